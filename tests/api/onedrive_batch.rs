//! Graph's JSON batching, `POST /v1.0/$batch`: each request answered as it would be alone, in
//! the order `dependsOn` asks; a `424` for one whose dependency failed; a batch that cannot be
//! read refused whole. Every write is read back after the batch.

use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};

use crate::https::{cert_dir, https_emulator, node_report};
use crate::support::graph::Graph;
use crate::support::reply::Reply;
use crate::support::{run_sdk_script_off_runtime, send, spawn};

/// `POST /v1.0/$batch` with `requests`.
async fn batch(graph: &Graph, requests: Value) -> Reply {
    graph
        .post_json("/$batch", json!({ "requests": requests }))
        .await
}

/// The batch's responses by id, checking that the batch itself is a `200`.
fn responses(reply: &Reply) -> Map<String, Value> {
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let listed = reply.body["responses"]
        .as_array()
        .expect("a list of responses");
    (listed.iter())
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

/// How a batch lists `reply`, had it been the reply to a request of it: its status, headers
/// (named as Graph writes them, without `Date`, `Content-Length` and the correlation ids, which
/// the batch's own reply carries) and JSON body.
fn as_listed(id: &str, reply: &Reply) -> Value {
    let headers: Map<String, Value> = (reply.headers.iter())
        .filter(|(name, _)| {
            !["date", "content-length", "request-id", "client-request-id"].contains(&name.as_str())
        })
        .map(|(name, value)| (title_case(name.as_str()), value.to_str().unwrap().into()))
        .collect();
    let mut listed = json!({"id": id, "status": reply.status.as_u16(), "headers": headers});
    if !reply.bytes.is_empty() {
        listed["body"] = reply.body.clone();
    }
    listed
}

fn title_case(name: &str) -> String {
    (name.split('-'))
        .map(|word| word[..1].to_uppercase() + &word[1..])
        .collect::<Vec<_>>()
        .join("-")
}

/// The names in the root folder.
async fn root_names(graph: &Graph) -> Vec<String> {
    let reply = graph.get("/me/drive/root/children").await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let names = reply.body["value"].as_array().unwrap().iter();
    names
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_request_of_a_batch_is_answered_as_it_would_be_alone_and_its_writes_are_kept() {
    // Arrange: a file with two versions, and how a GET of it answers alone.
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"one").await;
    let id = graph.upload("/a.txt", b"two!").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alone = graph.get("/me/drive/root:/a.txt").await;

    // Act: a read, a binary upload (its body base64), a restore and a download of the upload.
    let reply = batch(
        &graph,
        json!([
            {"id": "read", "method": "GET", "url": "/me/drive/root:/a.txt"},
            {"id": "upload", "method": "PUT", "url": "/me/drive/root:/b.bin:/content",
             "headers": {"Content-Type": "application/octet-stream"}, "body": "AAEC/w=="},
            {"id": "restore", "method": "POST", "url": format!("/me/drive/items/{id}/versions/1.0/restoreVersion")},
            {"id": "download", "method": "GET", "url": "me/drive/root:/b.bin:/content", "dependsOn": ["upload"]},
        ]),
    )
    .await;

    // Assert: one 200, each response as the request alone answers (read back now).
    let responses = responses(&reply);
    assert_eq!(reply.body["responses"].as_array().unwrap().len(), 4);
    assert_eq!(responses["read"], as_listed("read", &alone));
    let uploaded = graph.get("/me/drive/root:/b.bin").await;
    assert_eq!(uploaded.body["size"], 4);
    let mut created = as_listed("upload", &uploaded);
    created["status"] = json!(201);
    assert_eq!(responses["upload"], created);
    assert_eq!(
        responses["restore"],
        json!({"id": "restore", "status": 204, "headers": {}})
    );
    let download = &responses["download"];
    assert_eq!(download["status"], 302, "{download}");
    assert_eq!(
        download.as_object().unwrap().len(),
        3,
        "no body: {download}"
    );
    let location = download["headers"]["Location"].as_str().unwrap();
    let (status, bytes) = graph.fetch(location).await;
    assert_eq!((status, &bytes[..]), (StatusCode::OK, &[0, 1, 2, 255][..]));
    // The restore made version 3.0 with the first version's bytes.
    assert_eq!(graph.version_ids(&id).await, ["3.0", "2.0", "1.0"]);
    let current = graph.get(&format!("/me/drive/items/{id}")).await;
    assert_eq!(current.body["size"], 3);
}

#[tokio::test]
async fn requests_run_after_those_they_depend_on_and_not_at_all_when_one_failed() {
    // Arrange
    let graph = spawn().graph().await;
    graph.upload("/keep.txt", b"keep").await;

    // Act: "read" is listed first but depends on "write"; "delete" depends on a 404.
    let reply = batch(
        &graph,
        json!([
            {"id": "read", "method": "GET", "url": "/me/drive/root:/new.txt", "dependsOn": ["write"]},
            {"id": "write", "method": "PUT", "url": "/me/drive/root:/new.txt:/content",
             "headers": {"Content-Type": "text/plain"}, "body": "bmV3"},
            {"id": "missing", "method": "GET", "url": "/me/drive/items/404404"},
            {"id": "delete", "method": "DELETE", "url": "/me/drive/root:/keep.txt", "dependsOn": ["MISSING"]},
        ]),
    )
    .await;

    // Assert: the read found the file the write made before it; the delete did not run.
    let responses = responses(&reply);
    let ids: Vec<&str> = (reply.body["responses"].as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["read", "write", "missing", "delete"],
        "listed as sent"
    );
    assert_eq!(responses["read"]["status"], 200);
    assert_eq!(responses["read"]["body"]["name"], "new.txt");
    assert_eq!(responses["write"]["status"], 201);
    assert_eq!(responses["missing"]["status"], 404);
    assert_eq!(
        responses["missing"]["body"]["error"]["code"],
        "itemNotFound"
    );
    let delete = &responses["delete"];
    assert_eq!(
        (&delete["status"], &delete["body"]["error"]["code"]),
        (&json!(424), &json!("failedDependency")),
        "{delete}"
    );
    assert_eq!(
        delete["body"]["error"]["message"],
        "The request it depends on failed."
    );
    assert_eq!(root_names(&graph).await, ["keep.txt", "new.txt"]);
}

#[tokio::test]
async fn a_fault_rule_answers_the_request_of_a_batch_it_matches_and_the_others_run() {
    // Arrange: every upload of x.txt is throttled.
    let graph = spawn().graph().await;
    let rule = json!({
        "match": {"api": "graph", "method": "PUT", "path": "/v1.0/me/drive/root:/x.txt:/content"},
        "action": {"type": "error", "status": 429, "retry_after": 7},
    });
    let added = (graph.app.client.post(graph.app.url("/__admin/faults")))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);

    // Act
    let reply = batch(
        &graph,
        json!([
            {"id": "1", "method": "PUT", "url": "/me/drive/root:/x.txt:/content",
             "headers": {"Content-Type": "text/plain"}, "body": "eA=="},
            {"id": "2", "method": "PUT", "url": "/me/drive/root:/y.txt:/content",
             "headers": {"Content-Type": "text/plain"}, "body": "eQ=="},
        ]),
    )
    .await;

    // Assert: the batch is a 200 holding the rule's 429 and the other upload's 201.
    let responses = responses(&reply);
    let throttled = &responses["1"];
    assert_eq!(throttled["status"], 429, "{throttled}");
    assert_eq!(throttled["headers"]["Retry-After"], "7");
    assert_eq!(throttled["body"]["error"]["code"], "activityLimitReached");
    assert_eq!(responses["2"]["status"], 201);
    assert_eq!(root_names(&graph).await, ["y.txt"]);
}

#[tokio::test]
async fn a_batch_that_cannot_be_read_is_refused_whole_and_changes_nothing() {
    let graph = spawn().graph().await;
    graph.upload("/a.txt", b"one").await;
    let write = json!({"id": "w", "method": "PUT", "url": "/me/drive/root:/w.txt:/content",
                       "headers": {"Content-Type": "text/plain"}, "body": "dw=="});
    let get = |id: &str| json!({"id": id, "method": "GET", "url": "/me/drive/root"});
    let too_many: Vec<Value> = (0..21).map(|i| get(&i.to_string())).collect();
    let cases = [
        (
            "not a batch",
            json!({"request": []}),
            "The batch request body is not valid: missing field `requests` at line 1 column 14.",
        ),
        (
            "more than 20 requests",
            json!({"requests": too_many}),
            "A batch holds at most 20 requests; this one has 21.",
        ),
        (
            "an id twice, in another case",
            json!({"requests": [write, get("A"), get("a")]}),
            "The id 'a' is used twice in the batch.",
        ),
        (
            "a dependency that is not in the batch",
            json!({"requests": [write, {"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]}),
            "Request '1' depends on '9', which is not another request of the batch.",
        ),
        (
            "a circle of dependencies",
            json!({"requests": [write,
                {"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]},
                {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]}]}),
            "The dependsOn of the batch's requests go round in a circle.",
        ),
        (
            "a body without a Content-Type",
            json!({"requests": [write, {"id": "1", "method": "PATCH", "url": "/me/drive/root:/a.txt", "body": {"name": "b.txt"}}]}),
            "Request '1' has a body, so its headers must give its Content-Type.",
        ),
        (
            "an absolute url",
            json!({"requests": [write, {"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}]}),
            "The url of request '1' must be relative to the version, such as /me/drive.",
        ),
        (
            "a url that starts with the version (as the JS client sends an absolute one)",
            json!({"requests": [write, {"id": "1", "method": "GET", "url": "/v1.0/me"}]}),
            "The url of request '1' must be relative to the version, such as /me/drive.",
        ),
        (
            "a binary body that is not base64",
            json!({"requests": [write, {"id": "1", "method": "PUT", "url": "/me/drive/root:/c.bin:/content",
                "headers": {"Content-Type": "application/octet-stream"}, "body": "not base64!"}]}),
            "The body of request '1' is not base64.",
        ),
    ];
    for (case, body, message) in cases {
        // Act
        let reply = graph.post_json("/$batch", body).await;

        // Assert: Graph's 400, and not even the valid write ran.
        let id = reply.request_id().to_owned();
        graph.assert_error(&reply, 400, "BadRequest", message, &id);
        assert_eq!(root_names(&graph).await, ["a.txt"], "{case}");
    }
}

#[tokio::test]
async fn a_batch_is_a_post_signed_in_as_any_graph_request_is() {
    let graph = spawn().graph().await;
    let cases = [
        (
            graph.request(Method::GET, "/$batch"),
            405,
            "invalidRequest",
            "The HTTP method is not allowed for this resource.",
        ),
        (
            (graph.app.client.post(graph.url("/$batch"))).json(&json!({"requests": []})),
            401,
            "InvalidAuthenticationToken",
            "Access token is empty.",
        ),
    ];
    for (request, status, code, message) in cases {
        let reply = graph.send(request).await;
        let id = reply.request_id().to_owned();
        graph.assert_error(&reply, status, code, message, &id);
    }
    // An empty batch is answered with no responses.
    let empty = batch(&graph, json!([])).await;
    assert_eq!(empty.body, json!({"responses": []}));
}

/// msgraph-sdk's `client.batch.post`, its items made from the SDK's request builders, through
/// `tests/sdk/graph_batch.py` (which works around msgraph-core's absolute URLs as its issue
/// shows).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_posts_a_batch_and_reads_each_status() {
    // Arrange
    let app = spawn().start().await;

    // Act
    let output = run_sdk_script_off_runtime("graph_batch.py", &app.emulator.graph_url()).await;

    // Assert: the statuses the SDK read, then the folder the batch made, read back alone.
    let statuses: Value =
        serde_json::from_str(output.trim()).unwrap_or_else(|e| panic!("{e}: {output}"));
    assert_eq!(statuses, json!({"make": 201, "read": 200, "missing": 404}));
    let folder = send(
        (app.client.get(app.url("/v1.0/me/drive/root:/From a batch")))
            .bearer_auth("sdk-batch-token"),
    )
    .await;
    assert_eq!(folder.status, StatusCode::OK, "{folder:?}");
    assert_eq!(folder.body["folder"]["childCount"], 0);
    // The journal holds the batch, not its requests.
    let journal = send(
        app.client
            .get(app.url("/__admin/requests?path_prefix=/v1.0/")),
    )
    .await;
    let paths: Vec<&str> = (journal.body["requests"].as_array().unwrap().iter())
        .map(|entry| entry["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1.0/me/drive",
            "/v1.0/$batch",
            "/v1.0/me/drive/root:/From%20a%20batch"
        ]
    );
}

/// The JS client's `BatchRequestContent` and `BatchResponseContent`, through
/// `tests/sdk/node/graph_batch.js` over HTTPS (the client takes only `https://` URLs as absolute:
/// see `https.rs`). Its reader finds a JSON body by the header named exactly `Content-Type`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_js_graph_client_batches_and_reads_each_reply() {
    // Arrange
    let dir = cert_dir("js-batch");
    let (emulator, client) = https_emulator(&dir).await;
    let origin = emulator.uri();

    // Act
    let report = node_report(&dir, "graph_batch.js", vec![origin]).await;

    // Assert: each reply as the client reads it, JSON bodies parsed.
    let json = "application/json";
    assert_eq!(
        report,
        json!({
            "urls": ["/me/drive/root/children", "/me/drive/root:/From%20JS", "/me/drive/items/404404"],
            "replies": {
                "make": {"status": 201, "type": json, "name": "From JS", "code": null},
                "read": {"status": 200, "type": json, "name": "From JS", "code": null},
                "missing": {"status": 404, "type": json, "name": null, "code": "itemNotFound"},
            },
        })
    );
    let folder = send(
        (client.get(emulator.url("/v1.0/me/drive/root:/From JS"))).bearer_auth("js-batch-token"),
    )
    .await;
    assert_eq!(folder.status, StatusCode::OK, "{folder:?}");
    assert_eq!(folder.body["folder"]["childCount"], 0);
}
