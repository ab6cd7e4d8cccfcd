// The JS Graph client against the emulator over HTTPS: a copy whose Location is read from the
// raw reply and polled with a plain fetch (no token) until it completes, then a search. Prints
// one JSON line; the Rust test (tests/api/onedrive_node_copy.rs) reads the state back.
//
// Usage: node graph_copy_search.js ORIGIN
"use strict";

const { Client, ResponseType } = require("@microsoft/microsoft-graph-client");

const [origin] = process.argv.slice(2);

const client = Client.init({
  authProvider: (done) => done(null, "js-copy-token"),
  baseUrl: origin,
  customHosts: new Set([new URL(origin).hostname]),
});

(async () => {
  await client.api("/me/drive/root:/plan.txt:/content").put("the plan");
  const source = await client.api("/me/drive/root:/plan.txt:").get();
  const raw = await client
    .api(`/me/drive/items/${source.id}/copy`)
    .query({ "@microsoft.graph.conflictBehavior": "rename" })
    .responseType(ResponseType.RAW)
    .post({ name: "plan.txt" });
  const location = raw.headers.get("location");
  const phases = [];
  let report;
  for (let i = 0; i < 10; i++) {
    const reply = await fetch(location);
    report = await reply.json();
    phases.push([reply.status, report.status]);
    if (report.status === "completed") break;
  }
  const search = await client.api("/me/drive/root/search(q='plan')").select("id,name").get();
  console.log(
    JSON.stringify({ status: raw.status, location, phases, resourceId: report.resourceId, hits: search.value }),
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
