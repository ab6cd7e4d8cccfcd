// The JS Graph client on what graph_sharing.js and graph_copy_search.js leave out: an image's
// thumbnails (the list, then one size's bytes), deleting a previous version of a file (the list
// read back without it; the current one refused), and check-out and check-in with a comment.
// Every step asserts; any failure exits non-zero. Prints one JSON line for the Rust test
// (tests/api/onedrive_node_versions.rs), which reads the state back.
//
// Usage: node graph_versions.js ORIGIN PNG_FILE
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const { Client, HTTPMessageHandler, ResponseType } = require("@microsoft/microsoft-graph-client");

const [origin, pngFile] = process.argv.slice(2);

// The default AuthenticationHandler drops Authorization on plain http: put the token on in a
// middleware instead, as graph_sharing.js does.
const bearer = {
  async execute(context) {
    context.options.headers = { ...context.options.headers, Authorization: "Bearer js-versions" };
    await this.next.execute(context);
  },
  setNext(next) {
    this.next = next;
  },
};
bearer.setNext(new HTTPMessageHandler());
const client = Client.initWithMiddleware({ baseUrl: origin, middleware: bearer });

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(bytes) {
  const view = Buffer.from(bytes);
  assert.equal(view.subarray(1, 4).toString("latin1"), "PNG");
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

(async () => {
  // Thumbnails: one set of three sizes for an image; the content of one size is a PNG of it.
  const photo = await client.api("/me/drive/root:/photo.png:/content").put(fs.readFileSync(pngFile));
  const sets = await client.api(`/me/drive/items/${photo.id}/thumbnails`).get();
  assert.equal(sets.value.length, 1);
  const set = sets.value[0];
  const sizes = Object.fromEntries(
    ["small", "medium", "large"].map((size) => [size, [set[size].width, set[size].height]]),
  );
  const medium = await client
    .api(`/me/drive/items/${photo.id}/thumbnails/${set.id}/medium/content`)
    .responseType(ResponseType.ARRAYBUFFER)
    .get();
  assert.deepEqual(pngSize(medium), sizes.medium);

  // Version delete: the middle of three versions goes; the current one is refused.
  let notes;
  for (const body of ["one", "second", "third!!"]) {
    notes = await client.api("/me/drive/root:/notes.txt:/content").put(body);
  }
  const labels = async () =>
    (await client.api(`/me/drive/items/${notes.id}/versions`).get()).value.map((v) => v.id);
  assert.deepEqual(await labels(), ["3.0", "2.0", "1.0"]);
  const deleted = await client.api(`/me/drive/items/${notes.id}/versions/2.0`).delete();
  assert.equal(deleted, undefined);
  const afterDelete = await labels();
  await assert.rejects(
    client.api(`/me/drive/items/${notes.id}/versions/3.0`).delete(),
    (error) => error.statusCode === 400 && error.code === "invalidRequest",
  );
  const first = await client
    .api(`/me/drive/items/${notes.id}/versions/1.0/content`)
    .responseType(ResponseType.TEXT)
    .get();
  assert.equal(first, "one");

  // Check-out, a write while out, and check-in with a comment.
  const publication = async () =>
    (await client.api(`/me/drive/items/${notes.id}`).select("id,publication").get()).publication;
  await client.api(`/me/drive/items/${notes.id}/checkout`).post({});
  const out = await publication();
  await client.api(`/me/drive/items/${notes.id}/content`).put("fourth");
  await client.api(`/me/drive/items/${notes.id}/checkin`).post({ comment: "js check-in" });
  const checkedIn = await publication();

  console.log(
    JSON.stringify({
      photo: photo.id,
      sizes,
      medium: pngSize(medium),
      notes: notes.id,
      afterDelete,
      out: out.level,
      checkedIn: [checkedIn.level, checkedIn.versionId],
      afterCheckin: await labels(),
    }),
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
