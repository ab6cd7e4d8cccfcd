// The Box families beyond versions through box-node-sdk (the generated Box SDK for Node), with the
// SDK's own managers: a folder of 250 files paged by marker, an open shared link fetched without a
// token and then removed, a lock refusing a collaborator's new version until the unlock, comments,
// a PNG thumbnail, and an enterprise metadata instance changed with a JSON Patch. Asserts as it
// goes and prints "box node breadth passed"; the Rust test (tests/api/box_sdk_node.rs) runs it and
// reads the state back.
//
// Usage: node box_breadth.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const zlib = require("node:zlib");
const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const clientFor = (token) =>
  new BoxClient({ auth: new BoxDeveloperTokenAuth({ token }) })
    .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });
const owner = clientFor("node-breadth-owner");
const editor = clientFor("node-breadth-editor");

const upload = async (client, name, parent, bytes) =>
  (await client.uploads.uploadFile({
    attributes: { name, parent: { id: parent } }, file: Readable.from([Buffer.from(bytes)]),
  })).entries[0];

const bytesOf = async (stream) => Buffer.from(await new Response(Readable.toWeb(stream)).arrayBuffer());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A grey 8-bit PNG written by hand (signature, IHDR, IDAT, IEND), so the script needs no image package.
const png = (width, height) => {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)]);
  const rows = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([PNG_SIGNATURE, chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
};

const rejectsWith = (promise, status, code) =>
  assert.rejects(promise, (error) => {
    assert.equal(error.responseInfo.statusCode, status);
    assert.equal(error.responseInfo.body.code, code);
    return true;
  });

// 1. 250 files, uploaded 25 at a time, paged 100 at a time by marker.
const listing = async () => {
  const folder = await owner.folders.createFolder({ name: "Many", parent: { id: "0" } });
  const names = Array.from({ length: 250 }, (_, i) => `f${String(i).padStart(3, "0")}.txt`);
  for (let start = 0; start < names.length; start += 25) {
    await Promise.all(names.slice(start, start + 25).map((name) => upload(owner, name, folder.id, name)));
  }
  const seen = [];
  const pageSizes = [];
  let marker;
  do {
    const page = await owner.folders.getFolderItems(folder.id, {
      queryParams: { usemarker: true, limit: 100, ...(marker ? { marker } : {}) },
    });
    pageSizes.push(page.entries.length);
    seen.push(...page.entries.map((entry) => entry.name));
    marker = page.nextMarker;
  } while (marker);
  assert.deepEqual(pageSizes, [100, 100, 50]);
  assert.deepEqual(seen, names);
};

// 2. An open shared link opens the bytes without a token, and nothing once removed.
const sharedLink = async () => {
  const file = await upload(owner, "shared.txt", "0", "shared bytes");
  const added = await owner.sharedLinksFiles.addShareLinkToFile(
    file.id, { sharedLink: { access: "open" } }, { fields: "shared_link" },
  );
  assert.equal(added.sharedLink.access, "open");
  const url = added.sharedLink.url;
  const opened = await fetch(url, { redirect: "follow" });
  assert.equal(opened.status, 200);
  assert.equal(Buffer.from(await opened.arrayBuffer()).toString(), "shared bytes");

  const removed = await owner.sharedLinksFiles.removeSharedLinkFromFile(
    file.id, { sharedLink: null }, { fields: "shared_link" },
  );
  assert.equal(removed.sharedLink, undefined);
  const refused = await fetch(url, { redirect: "follow" });
  assert.equal(refused.status, 404);
};

// 3. A lock refuses a collaborating editor's new version until it is lifted.
const lock = async () => {
  const file = await upload(owner, "locked.txt", "0", "one");
  const locked = await owner.files.updateFileById(file.id, {
    requestBody: { lock: { access: "lock" } }, queryParams: { fields: ["lock"] },
  });
  assert.equal(locked.lock.type, "lock");
  const me = await editor.users.getUserMe();
  const collab = await owner.userCollaborations.createCollaboration({
    item: { type: "file", id: file.id }, accessibleBy: { type: "user", id: me.id }, role: "editor",
  });
  assert.equal(collab.role, "editor");
  const newVersion = (text) => editor.uploads.uploadFileVersion(file.id, {
    attributes: { name: "locked.txt" }, file: Readable.from([Buffer.from(text)]),
  });
  await rejectsWith(newVersion("refused"), 403, "access_denied_item_locked");

  const unlocked = await owner.files.updateFileById(file.id, {
    requestBody: { lock: null }, queryParams: { fields: ["lock"] },
  });
  assert.equal(unlocked.lock ?? null, null);
  const accepted = (await newVersion("two")).entries[0];
  assert.equal(accepted.id, file.id);
  assert.equal((await bytesOf(await owner.downloads.downloadFile(file.id))).toString(), "two");
};

// 4. Comments: create, list, update, delete.
const comments = async () => {
  const file = await upload(owner, "commented.txt", "0", "text");
  const made = await owner.comments.createComment({ message: "first", item: { id: file.id, type: "file" } });
  assert.equal(made.message, "first");
  assert.equal(made.item.id, file.id);
  const listed = await owner.comments.getFileComments(file.id);
  assert.deepEqual(listed.entries.map((entry) => [entry.id, entry.message]), [[made.id, "first"]]);
  const changed = await owner.comments.updateCommentById(made.id, { requestBody: { message: "second" } });
  assert.equal(changed.message, "second");
  assert.equal((await owner.comments.getCommentById(made.id)).message, "second");
  await owner.comments.deleteCommentById(made.id);
  assert.deepEqual((await owner.comments.getFileComments(file.id)).entries, []);
  await rejectsWith(owner.comments.getCommentById(made.id), 404, "not_found");
};

// 5. A thumbnail of an uploaded PNG is a PNG.
const thumbnail = async () => {
  const photo = await upload(owner, "photo.png", "0", png(64, 48));
  const stream = await owner.files.getFileThumbnailById(photo.id, "png", {
    queryParams: { minHeight: 32, minWidth: 32 },
  });
  const image = await bytesOf(stream);
  assert.deepEqual(image.subarray(0, 8), PNG_SIGNATURE);
};

// 6. An enterprise template, an instance on a file, a JSON Patch replace, read back.
const metadata = async () => {
  const file = await upload(owner, "contract.txt", "0", "terms");
  const template = await owner.metadataTemplates.createMetadataTemplate({
    scope: "enterprise", displayName: "Contract", templateKey: "contract",
    fields: [
      { type: "string", key: "name", displayName: "name" },
      { type: "enum", key: "country", displayName: "country", options: [{ key: "US" }, { key: "CA" }] },
    ],
  });
  assert.equal(template.templateKey, "contract");
  const made = await owner.fileMetadata.createFileMetadataById(
    file.id, "enterprise", "contract", { name: "Jill", country: "US" },
  );
  assert.equal(made.template, "contract");
  assert.equal(made.scope, template.scope);
  assert.equal(made.extraData.name, "Jill");
  const patched = await owner.fileMetadata.updateFileMetadataById(file.id, "enterprise", "contract", [
    { op: "replace", path: "/name", value: "Jack" },
    { op: "replace", path: "/country", value: "CA" },
  ]);
  assert.equal(patched.extraData.name, "Jack");
  assert.equal(patched.version, 1);
  const read = await owner.fileMetadata.getFileMetadataById(file.id, "enterprise", "contract");
  assert.equal(read.extraData.name, "Jack");
  assert.equal(read.extraData.country, "CA");
};

(async () => {
  await listing();
  await sharedLink();
  await lock();
  await comments();
  await thumbnail();
  await metadata();
  console.log("box node breadth passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
