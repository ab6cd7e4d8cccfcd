// The JS Graph client makes a sharing link and invites a second user, who then finds the file in
// sharedWithMe and reads it through the owner's drive. Each user is a token of its own. Every
// step asserts; any failure exits non-zero. Prints "ok" last.
//
// Usage: node graph_sharing.js ORIGIN
"use strict";

const assert = require("node:assert/strict");
const { Client, HTTPMessageHandler } = require("@microsoft/microsoft-graph-client");

const [origin] = process.argv.slice(2);

// The default AuthenticationHandler drops Authorization on plain http: put the token on in a
// middleware instead, as the README's Node snippet does.
function clientFor(token) {
  const bearer = {
    async execute(context) {
      context.options.headers = { ...context.options.headers, Authorization: `Bearer ${token}` };
      await this.next.execute(context);
    },
    setNext(next) {
      this.next = next;
    },
  };
  bearer.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ baseUrl: origin, middleware: bearer });
}

(async () => {
  const alice = clientFor("js-alice");
  const bob = clientFor("js-bob");
  const bobMe = await bob.api("/me").get();
  const drive = await alice.api("/me/drive").get();
  const item = await alice.api("/me/drive/root:/shared.txt:/content").put("for bob");

  const link = await alice
    .api(`/me/drive/items/${item.id}/createLink`)
    .post({ type: "edit", scope: "organization" });
  assert.deepEqual(link.roles, ["write"]);
  assert.equal(link.link.type, "edit");
  const opened = await fetch(link.link.webUrl);
  assert.equal(opened.status, 200);
  assert.equal(await opened.text(), "for bob");

  const invited = await alice.api(`/me/drive/items/${item.id}/invite`).post({
    recipients: [{ email: bobMe.mail }],
    roles: ["read"],
    requireSignIn: true,
    sendInvitation: false,
  });
  assert.deepEqual(invited.value.map((p) => p.roles), [["read"]]);

  const shared = await bob.api("/me/drive/sharedWithMe").get();
  assert.deepEqual(shared.value.map((s) => s.remoteItem.id), [item.id]);
  assert.equal(shared.value[0].remoteItem.parentReference.driveId, drive.id);
  const seen = await bob.api(`/drives/${drive.id}/items/${item.id}`).get();
  assert.equal(seen.name, "shared.txt");
  // Read only: Bob's write is refused with Graph's error.
  await assert.rejects(
    bob.api(`/drives/${drive.id}/items/${item.id}/content`).put("bob's"),
    (error) => error.statusCode === 403 && error.code === "accessDenied",
  );
  console.log("ok");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
