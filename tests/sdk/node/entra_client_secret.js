// @azure/identity's ClientSecretCredential, unmodified but for the authority host and instance
// discovery, signs in as the app `report-app` over https and reads a user's drive.
//
// Usage: node entra_client_secret.js <root-url> <user-id>
// Trust comes from NODE_EXTRA_CA_CERTS (the emulator's local CA). Prints one JSON line.

const { ClientSecretCredential } = require("@azure/identity");

async function main(root, user) {
  const credential = new ClientSecretCredential(
    "contoso.onmicrosoft.com",
    "report-app",
    "right",
    { authorityHost: root, disableInstanceDiscovery: true },
  );
  const token = await credential.getToken("https://graph.microsoft.com/.default");
  if (!token || !token.token) throw new Error("no token");
  const reply = await fetch(`${root}/v1.0/users/${user}/drive`, {
    headers: { Authorization: `Bearer ${token.token}` },
  });
  if (reply.status !== 200) throw new Error(`${reply.status}: ${await reply.text()}`);
  const drive = await reply.json();
  console.log(JSON.stringify({ drive: drive.id }));
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error);
  process.exit(1);
});
