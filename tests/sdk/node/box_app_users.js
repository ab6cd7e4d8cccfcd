// App users through box-node-sdk (the generated Box SDK for Node): an enterprise client-credentials
// client makes an app user, signs in as them with `CcgConfig({ userId })` and uploads, lists their
// folder with `withAsUserHeader`, and deletes them with `force`. Asserts as it goes and prints
// "box node app users passed"; the Rust test (tests/api/box_users.rs) runs it.
//
// Usage: node box_app_users.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const { BoxClient, BoxCcgAuth, CcgConfig } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const client = (config) =>
  new BoxClient({ auth: new BoxCcgAuth({ config: new CcgConfig(config) }) })
    .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });

(async () => {
  const admin = client({ clientId: "node-users-app", clientSecret: "s", enterpriseId: "900" });
  const made = await admin.users.createUser({ name: "Node App User", isPlatformAccessOnly: true });
  assert.match(made.login, /^AppUser_.*@boxdevedition\.com$/);

  const own = client({ clientId: "node-users-app", clientSecret: "s", userId: made.id });
  assert.equal((await own.users.getUserMe()).id, made.id);
  await own.uploads.uploadFile({
    attributes: { name: "node.txt", parent: { id: "0" } }, file: Readable.from([Buffer.from("node")]),
  });

  const items = await admin.withAsUserHeader(made.id).folders.getFolderItems("0");
  assert.deepEqual(items.entries.map((entry) => entry.name), ["node.txt"]);

  await admin.users.deleteUserById(made.id, { queryParams: { force: true } });
  await assert.rejects(admin.users.getUserById(made.id), (error) => {
    assert.equal(error.responseInfo.statusCode, 404);
    return true;
  });
  console.log("box node app users passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
