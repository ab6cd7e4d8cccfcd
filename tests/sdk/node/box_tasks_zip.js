// Tasks and zip downloads through box-node-sdk (the generated Box SDK for Node): a task made on a
// file, assigned to the current user and approved by them, then deleted; a zip of two files and
// an empty folder downloaded, and a download's status (two files: the folder counts none).
// Asserts as it goes and prints "box node tasks zip passed"; the Rust test
// (tests/api/box_zip_downloads.rs) runs it.
//
// Usage: node box_tasks_zip.js ROOT_URL
"use strict";

const assert = require("node:assert/strict");
const { Readable } = require("node:stream");
const { BoxClient, BoxDeveloperTokenAuth } = require("box-node-sdk");

const [root] = process.argv.slice(2);
const client = new BoxClient({ auth: new BoxDeveloperTokenAuth({ token: "node-tasks-zip-token" }) })
  .withCustomBaseUrls({ baseUrl: root, uploadUrl: root + "/api", oauth2Url: root + "/oauth2" });

const upload = async (name, bytes) =>
  (await client.uploads.uploadFile({
    attributes: { name, parent: { id: "0" } }, file: Readable.from([Buffer.from(bytes)]),
  })).entries[0];

const bytesOf = async (stream) => Buffer.from(await new Response(Readable.toWeb(stream)).arrayBuffer());

(async () => {
  const me = await client.users.getUserMe();
  const first = await upload("first.txt", "first bytes");
  const second = await upload("second.txt", "second bytes");
  const folder = await client.folders.createFolder({ name: "Empty", parent: { id: "0" } });

  const task = await client.tasks.createTask({ item: { id: first.id, type: "file" }, message: "Review" });
  assert.equal(task.item.id, first.id);
  assert.equal(task.isCompleted, false);
  const assignment = await client.taskAssignments.createTaskAssignment({
    task: { id: task.id, type: "task" }, assignTo: { id: me.id },
  });
  assert.equal(assignment.assignedTo.id, me.id);
  const approved = await client.taskAssignments.updateTaskAssignmentById(assignment.id, {
    requestBody: { resolutionState: "approved" },
  });
  assert.equal(approved.resolutionState, "approved");
  assert.equal((await client.tasks.getTaskById(task.id)).isCompleted, true);
  assert.equal((await client.tasks.getFileTasks(first.id)).totalCount, 1);
  await client.tasks.deleteTaskById(task.id);
  assert.equal((await client.tasks.getFileTasks(first.id)).totalCount, 0);

  const items = [
    { id: first.id, type: "file" }, { id: second.id, type: "file" }, { id: folder.id, type: "folder" },
  ];
  const archive = await bytesOf(await client.zipDownloads.downloadZip({ items, downloadFileName: "zip" }));
  assert.equal(archive.subarray(0, 4).toString("binary"), "PK\x03\x04");
  for (const name of ["first.txt", "second.txt", "Empty/", "first bytes", "second bytes"]) {
    assert.ok(archive.includes(name), `the archive holds ${name}`);
  }
  const made = await client.zipDownloads.createZipDownload({ items });
  await client.zipDownloads.getZipDownloadContent(made.downloadUrl);
  const status = await client.zipDownloads.getZipDownloadStatus(made.statusUrl);
  assert.equal(status.totalFileCount, 2);
  assert.equal(status.downloadedFileCount, 2);
  assert.equal(status.state, "succeeded");
  console.log("box node tasks zip passed");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
