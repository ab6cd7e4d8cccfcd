// Search by metadata through box-node-sdk (the generated Box SDK for Node): a template, two
// files with instances of it, and `searchForContent` with `mdfilters` (a plain value with no
// query, then a float range). Asserts as it goes and prints "box node search metadata passed";
// the Rust test (tests/api/box_search.rs) runs it.
//
// Usage: node box_search_metadata.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const client = new BoxClient({ auth: new BoxDeveloperTokenAuth({ token: "node-search-token" }) })
  .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });

const upload = async (name) =>
  (await client.uploads.uploadFile({
    attributes: { name, parent: { id: "0" } }, file: Readable.from([Buffer.from(name)]),
  })).entries[0];

(async () => {
  await client.metadataTemplates.createMetadataTemplate({
    scope: "enterprise", displayName: "Invoice", templateKey: "invoice",
    fields: [
      { type: "string", key: "customer", displayName: "customer" },
      { type: "float", key: "amount", displayName: "amount" },
    ],
  });
  const a = await upload("a.txt");
  const b = await upload("b.txt");
  await client.fileMetadata.createFileMetadataById(a.id, "enterprise", "invoice", { customer: "Acme", amount: 100 });
  await client.fileMetadata.createFileMetadataById(b.id, "enterprise", "invoice", { customer: "Beta", amount: 250 });

  const byValue = await client.search.searchForContent({
    mdfilters: [{ scope: "enterprise", templateKey: "invoice", filters: { customer: "Beta" } }],
  });
  assert.deepEqual(byValue.entries.map((entry) => entry.name), ["b.txt"]);
  const byRange = await client.search.searchForContent({
    query: "txt",
    mdfilters: [{ scope: "enterprise", templateKey: "invoice", filters: { amount: { gt: 50, lt: 100 } } }],
  });
  assert.deepEqual(byRange.entries.map((entry) => entry.name), ["a.txt"]);
  console.log("box node search metadata passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
