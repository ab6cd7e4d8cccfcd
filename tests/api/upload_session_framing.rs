//! Framings of a session part the emulator does not interpret (issue 25, item 6): two
//! `Content-Range` headers, or a body in a transfer or content coding other than `chunked`. Each
//! is refused with the face's bad request and leaves the session as it was; a plain `chunked`
//! body is still taken.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::box_sessions::{digest, open, pattern, PART, SIZE};
use crate::support::box_api::{bad_request, get, upload_request, Part, TOKEN as BOX_TOKEN};
use crate::support::graph::at;
use crate::support::{send, spawn, with_request_ids, Reply, TestApp};

/// Sends `head` (request line and headers, without the blank line) with `body` in one chunk
/// under `Transfer-Encoding: {coding}`, over a raw socket (reqwest writes its own framing), and
/// returns the status and JSON body of the reply.
async fn chunked(
    address: std::net::SocketAddr,
    head: &str,
    coding: &str,
    body: &[u8],
) -> (u16, Value) {
    let mut request = format!(
        "{head}\r\nHost: x\r\nTransfer-Encoding: {coding}\r\nConnection: close\r\n\r\n{:x}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut reply = Vec::new();
    // Bounded, so a server that never answers fails the test rather than hanging it.
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut reply));
    read.await.expect("the server answers and closes").unwrap();
    let text = String::from_utf8_lossy(&reply);
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole reply");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    // The reply to `Connection: close` is not chunked: the body is the JSON as it is.
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Graph's 400 `invalidRequest` with this message and request id, at `NOW`. (The replies read
/// off a raw socket are not a `Reply`, so `Graph::assert_error` cannot check them.)
fn graph_bad_request(request_id: &str, message: &str) -> Value {
    json!({"error": {
        "code": "invalidRequest",
        "message": message,
        "innerError": {
            "date": "2024-06-01T10:00:00",
            "request-id": request_id,
            "client-request-id": request_id,
        },
    }})
}

#[tokio::test]
async fn graph_refuses_fragments_it_would_not_read_as_sent_and_takes_a_plain_chunked_one() {
    // Arrange
    let graph = spawn().graph().await;
    let created = graph
        .post_json("/me/drive/root:/f.bin:/createUploadSession", json!({}))
        .await;
    let url = created.body["uploadUrl"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(&graph.origin()).unwrap().to_owned();
    let address = graph.app.emulator.address();

    // Act & Assert: two ranges, of which the first used to win.
    let two = graph
        .app
        .client
        .put(&url)
        .header("content-range", "bytes 0-4/10")
        .header("content-range", "bytes 5-9/10")
        .body(b"01234".to_vec());
    let reply = graph.send(two).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "two ranges");
    assert_eq!(
        reply.body,
        graph_bad_request(
            "910a2dec-8902-5cc1-f320-3e9039f4a821",
            "Only one Content-Range header is allowed."
        ),
        "two ranges"
    );
    let coded = graph
        .app
        .client
        .put(&url)
        .header("content-range", "bytes 0-4/5")
        .header("content-encoding", "gzip")
        .body(b"01234".to_vec());
    let reply = graph.send(coded).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "content coding");
    assert_eq!(
        reply.body,
        graph_bad_request(
            "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
            "Content-Encoding is not supported on uploads: send the bytes as they are."
        ),
        "content coding"
    );
    let head = format!("PUT {path} HTTP/1.1\r\nContent-Range: bytes 0-4/5");
    let (status, body) = chunked(address, &head, "gzip, chunked", b"01234").await;
    assert_eq!(status, 400, "gzip under chunked: {body}");
    assert_eq!(
        body,
        graph_bad_request(
            "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
            "Transfer-Encoding other than chunked is not supported."
        ),
        "gzip under chunked"
    );
    let progress = graph.send(graph.app.client.get(&url)).await;
    assert_eq!(
        progress.body,
        json!({"expirationDateTime": at(900), "nextExpectedRanges": ["0-"]}),
        "no refused fragment changed the session"
    );
    let (status, body) = chunked(address, &head, "chunked", b"01234").await;
    assert_eq!(
        status, 201,
        "a plain chunked body completes the file: {body}"
    );
    let content = graph.get("/me/drive/root:/f.bin").await;
    assert_eq!(content.body["size"], 5);
}

#[tokio::test]
async fn box_refuses_parts_it_would_not_read_as_sent_and_takes_a_plain_chunked_one() {
    // Arrange
    let app: TestApp = spawn().start().await;
    let file = pattern(SIZE, 9);
    let session = open(
        &app,
        "/api/2.0/files/upload_sessions",
        json!({"folder_id": "0", "file_size": SIZE, "file_name": "f.bin"}),
    )
    .await;
    let url = session["session_endpoints"]["upload_part"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url.strip_prefix(&app.emulator.uri()).unwrap().to_owned();
    let first = &file[..PART];
    let range = format!("bytes 0-{}/{SIZE}", PART - 1);
    let part = |extra: &[(&str, &str)]| {
        let mut request = app
            .client
            .put(&url)
            .bearer_auth(BOX_TOKEN)
            .header("digest", digest(first))
            .header("content-range", &range);
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        request.body(first.to_vec())
    };
    let second_range = format!("bytes {PART}-{}/{SIZE}", 2 * PART - 1);

    // Act & Assert
    let cases = [
        (
            vec![("content-range", second_range.as_str())],
            "content-range",
            "Only one Content-Range header is allowed.",
            "two ranges, of which the first used to win",
        ),
        (
            vec![("content-encoding", "gzip")],
            "content-encoding",
            "Content-Encoding is not supported on uploads: send the bytes as they are.",
            "a compressed body",
        ),
    ];
    for ((extra, name, message, why), request_id) in
        with_request_ids(cases, ["vyh6gf7h6pw8mme7", "1iqybveasnwi9py5"])
    {
        let Reply { status, body, .. } = send(part(&extra)).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert_eq!(
            body,
            bad_request(request_id, "invalid_parameter", name, message),
            "{why}"
        );
    }
    let head = format!(
        "PUT {path} HTTP/1.1\r\nAuthorization: Bearer {BOX_TOKEN}\r\nDigest: {}\r\n\
         Content-Range: {range}",
        digest(first)
    );
    let (status, body) = chunked(app.emulator.address(), &head, "gzip, chunked", first).await;
    assert_eq!(status, 400, "gzip under chunked: {body}");
    assert_eq!(
        body,
        bad_request(
            "jy7327635gmk3m5w",
            "invalid_parameter",
            "transfer-encoding",
            "Transfer-Encoding other than chunked is not supported."
        ),
        "gzip under chunked"
    );
    let parts_path = format!("{path}/parts");
    let Reply { body: listed, .. } = get(&app, &parts_path).await;
    assert_eq!(
        listed["total_count"], 0,
        "no refused part was kept: {listed}"
    );
    let (status, body) = chunked(app.emulator.address(), &head, "chunked", first).await;
    assert_eq!(status, 200, "a plain chunked body is a part: {body}");
    let Reply { body: listed, .. } = get(&app, &parts_path).await;
    assert_eq!(listed["total_count"], 1, "{listed}");
}

#[tokio::test]
async fn a_box_upload_in_a_content_coding_is_refused_rather_than_stored_as_it_came() {
    // Arrange
    let app = spawn().start().await;
    let parts = [
        Part::attributes(r#"{"name": "a.txt", "parent": {"id": "0"}}"#),
        Part::file(b"hello"),
    ];

    // Act
    let coded =
        upload_request(&app, "/api/2.0/files/content", &parts).header("content-encoding", "gzip");
    let Reply { status, body, .. } = send(coded).await;
    let Reply {
        status: plain,
        body: stored,
        ..
    } = send(upload_request(&app, "/api/2.0/files/content", &parts)).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        bad_request(
            "y83so4k8319p153p",
            "invalid_parameter",
            "content-encoding",
            "Content-Encoding is not supported on uploads: send the bytes as they are."
        )
    );
    assert_eq!(
        plain, 201,
        "the same upload, plain, finds no file of that name: {stored}"
    );
    assert_eq!(stored["entries"][0]["size"], 5);
}

#[tokio::test]
async fn a_graph_upload_in_a_content_coding_is_refused_rather_than_stored_as_it_came() {
    // Arrange
    let graph = spawn().graph().await;
    let path = "/me/drive/root:/a.txt:/content";

    // Act
    let coded = graph
        .send(
            graph
                .request(Method::PUT, path)
                .header("content-encoding", "gzip")
                .body("hello"),
        )
        .await;
    let plain = graph.put(path, b"hello").await;

    // Assert
    graph.assert_error(
        &coded,
        400,
        "invalidRequest",
        "Content-Encoding is not supported on uploads: send the bytes as they are.",
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    assert_eq!(
        plain.status, 201,
        "the same upload, plain, finds no file of that name: {plain:?}"
    );
    assert_eq!(plain.body["size"], 5);
}
