// The JS Graph client's JSON batching against the emulator over HTTPS: BatchRequestContent
// with a folder made, read back (dependsOn) and a missing item, posted to /$batch and read with
// BatchResponseContent. Prints one JSON line; the Rust test (tests/api/onedrive_batch.rs)
// checks it and reads the state back.
//
// Node 20's Request takes absolute URLs only, and the client keeps a step's path as it is, less
// the scheme and host: a path with the version in it is refused by Graph ("Invalid batch payload
// format.", https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8576), so the
// steps' URLs name the origin without it, as they must against the real service.
//
// Usage: node graph_batch.js ORIGIN
"use strict";

const {
  BatchRequestContent,
  BatchResponseContent,
  Client,
} = require("@microsoft/microsoft-graph-client");

const [origin] = process.argv.slice(2);

const client = Client.init({
  authProvider: (done) => done(null, "js-batch-token"),
  baseUrl: origin,
  customHosts: new Set([new URL(origin).hostname]),
});

(async () => {
  const json = { "Content-Type": "application/json" };
  const batch = new BatchRequestContent([
    {
      id: "make",
      request: new Request(`${origin}/me/drive/root/children`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ name: "From JS", folder: {} }),
      }),
    },
    {
      id: "read",
      request: new Request(`${origin}/me/drive/root:/From JS`),
      dependsOn: ["make"],
    },
    {
      id: "missing",
      request: new Request(`${origin}/me/drive/items/404404`),
      dependsOn: ["read"],
    },
  ]);
  const content = await batch.getContent();
  const replies = new BatchResponseContent(await client.api("/$batch").post(content));
  const report = {};
  for (const id of ["make", "read", "missing"]) {
    const reply = replies.getResponseById(id);
    const body = await reply.json();
    report[id] = {
      status: reply.status,
      type: reply.headers.get("content-type"),
      name: body.name ?? null,
      code: body.error?.code ?? null,
    };
  }
  console.log(JSON.stringify({ urls: content.requests.map((r) => r.url), replies: report }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
