// Collaborations through box-node-sdk (the generated Box SDK for Node), with two users: the owner
// collaborates the second user (by id) on a folder as an editor, who uploads into it; made a
// viewer, the same upload is refused with 403. Asserts as it goes and prints "box node
// collaborations passed"; the Rust test (tests/api/box_collaborations.rs) runs it.
//
// Usage: node box_collaborations.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const clientFor = (token) =>
  new BoxClient({ auth: new BoxDeveloperTokenAuth({ token }) })
    .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });
const owner = clientFor("node-collab-owner");
const guest = clientFor("node-collab-guest");

const upload = async (client, name, parent) =>
  (await client.uploads.uploadFile({
    attributes: { name, parent: { id: parent } }, file: Readable.from([Buffer.from(name)]),
  })).entries[0];

(async () => {
  const folder = await owner.folders.createFolder({ name: "Team", parent: { id: "0" } });
  const me = await guest.users.getUserMe();
  const collab = await owner.userCollaborations.createCollaboration({
    item: { type: "folder", id: folder.id }, accessibleBy: { type: "user", id: me.id }, role: "editor",
  });
  assert.equal(collab.status, "accepted");
  assert.equal(collab.accessibleBy.id, me.id);

  const made = await upload(guest, "from-guest.txt", folder.id);
  const items = await owner.folders.getFolderItems(folder.id);
  assert.deepEqual(items.entries.map((entry) => entry.id), [made.id]);

  const changed = await owner.userCollaborations.updateCollaborationById(collab.id, {
    requestBody: { role: "viewer" },
  });
  assert.equal(changed.role, "viewer");
  await assert.rejects(upload(guest, "second.txt", folder.id), (error) => {
    assert.equal(error.responseInfo.statusCode, 403);
    assert.equal(error.responseInfo.body.code, "access_denied_insufficient_permissions");
    return true;
  });
  const listed = await owner.listCollaborations.getFolderCollaborations(folder.id);
  assert.deepEqual(listed.entries.map((entry) => entry.role), ["viewer"]);
  console.log("box node collaborations passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
