// The JS Graph client's OneDriveLargeFileUploadTask against the emulator over HTTPS: a new file,
// then a new version of it, each sent in several ranges. Node trusts the emulator's certificate
// through NODE_EXTRA_CA_CERTS. Prints what the SDK reported as one JSON line; the Rust test
// (tests/api/https.rs) reads the state back through the API and checks both.
//
// Usage: node graph_large_file.js ORIGIN FIRST_FILE SECOND_FILE
"use strict";

const fs = require("node:fs");
const { Client, OneDriveLargeFileUploadTask } = require("@microsoft/microsoft-graph-client");

const [origin, firstFile, secondFile] = process.argv.slice(2);

// The plain way to build the client: the default middleware chain sends the token to `https`
// URLs on the hosts named in `customHosts` (the host alone: the SDK compares it without port).
const client = Client.init({
  authProvider: (done) => done(null, "js-large-file-token"),
  baseUrl: origin,
  customHosts: new Set([new URL(origin).hostname]),
});

// 2.5 MiB: a multiple of 320 KiB, as the task makes any range size it is given.
const RANGE_SIZE = 8 * 320 * 1024;

// Uploads `file` to /js/big.bin; `conflictBehavior` is the task's option (its default is
// `rename`, which would make a second file rather than a new version).
async function upload(file, conflictBehavior) {
  const ranges = [];
  const task = await OneDriveLargeFileUploadTask.create(client, fs.readFileSync(file), {
    fileName: "big.bin",
    path: "/js",
    rangeSize: RANGE_SIZE,
    conflictBehavior,
    uploadEventHandlers: {
      progress: (range) => ranges.push([range.minValue, range.maxValue]),
    },
  });
  const result = await task.upload();
  return { uploadUrl: task.getUploadSession().url, ranges, item: result.responseBody };
}

(async () => {
  const created = await upload(firstFile, "fail");
  const replaced = await upload(secondFile, "replace");
  console.log(JSON.stringify({ created, replaced }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
