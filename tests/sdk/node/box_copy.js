// Copying through box-node-sdk (the generated Box SDK for Node): a file, an older version of it,
// a whole folder, and the 409 a copy under a taken name gets. Asserts as it goes and prints
// "box node copy passed"; the Rust test (tests/api/box_sdk_copy.rs) runs it.
//
// Usage: node box_copy.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const client = new BoxClient({ auth: new BoxDeveloperTokenAuth({ token: "node-copy-token" }) })
  .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });

const upload = async (name, parent, bytes) =>
  (await client.uploads.uploadFile({
    attributes: { name, parent: { id: parent } }, file: Readable.from([Buffer.from(bytes)]),
  })).entries[0];

const read = async (id) => {
  const stream = await client.downloads.downloadFile(id);
  return Buffer.from(await new Response(Readable.toWeb(stream)).arrayBuffer()).toString();
};

(async () => {
  const folder = await client.folders.createFolder({ name: "Source", parent: { id: "0" } });
  const file = await upload("a.txt", folder.id, "one");
  await client.uploads.uploadFileVersion(file.id, {
    attributes: { name: "a.txt" }, file: Readable.from([Buffer.from("two")]),
  });

  const copied = await client.files.copyFile(file.id, { parent: { id: "0" }, name: "copy.txt" });
  assert.notEqual(copied.id, file.id);
  assert.equal(copied.parent.id, "0");
  assert.equal(copied.name, "copy.txt");
  assert.equal(await read(copied.id), "two");
  const [first] = (await client.fileVersions.getFileVersions(file.id)).entries;
  const older = await client.files.copyFile(file.id, { parent: { id: "0" }, name: "old.txt", version: first.id });
  assert.equal(await read(older.id), "one");

  const tree = await client.folders.copyFolder(folder.id, { parent: { id: "0" }, name: "Copy" });
  assert.deepEqual(tree.itemCollection.entries.map((entry) => entry.name), ["a.txt"]);

  await assert.rejects(
    client.files.copyFile(file.id, { parent: { id: "0" }, name: "copy.txt" }),
    (error) => {
      assert.equal(error.responseInfo.statusCode, 409);
      // The SDK keeps `code` as JSON text (quoted); the parsed body has it plain.
      assert.equal(error.responseInfo.body.code, "item_name_in_use");
      assert.equal(error.responseInfo.body.context_info.conflicts.id, copied.id);
      return true;
    },
  );
  console.log("box node copy passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
