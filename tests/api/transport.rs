//! The HTTP/1 transport over raw sockets: half-closed requests, the header read timeout, `Host`,
//! an early 413 in each API's envelope, `Connection: close` on an unread body, raw bad bytes.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::raw::{exchange, RawReply};
use crate::support::spawn;

#[tokio::test]
async fn a_request_from_a_client_that_half_closes_its_socket_gets_its_reply() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let request = b"GET /v1.0/me/drive HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n";

    for attempt in 0..20 {
        // Act: the client shuts its write side right after the request, as `nc -N` does.
        let reply = RawReply::parse(&exchange(&emulator, request, true).await);

        // Assert
        assert_eq!(reply.status, 200, "attempt {attempt}");
        assert_eq!(reply.json()["driveType"], "business", "attempt {attempt}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    // Arrange: tokio's clock is paused and moves on whenever everything waits, so the server's
    // 30-second header timer runs out without the test waiting for it.
    let emulator = spawn().start().await.emulator;
    let mut stream = TcpStream::connect(emulator.address()).await.unwrap();

    // Act: a request line and half a header, then nothing.
    stream
        .write_all(b"GET /v1.0/me/drive HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let mut reply = Vec::new();
    let closed =
        tokio::time::timeout(Duration::from_secs(120), stream.read_to_end(&mut reply)).await;

    // Assert: the server gave up (hyper answers 408, or just closes) well before two minutes.
    assert!(closed.is_ok(), "the connection is still open");
    let text = String::from_utf8_lossy(&reply);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text:?}"
    );
}

#[tokio::test]
async fn an_http_1_1_request_without_host_is_400() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let cases: [(&[u8], u16, &str); 3] = [
        (
            b"GET /v1.0/me/drive HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n",
            400,
            "HTTP/1.1 wants a Host",
        ),
        (
            b"GET /v1.0/me/drive HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n",
            200,
            "with one it is served",
        ),
        (
            b"GET /v1.0/me/drive HTTP/1.0\r\nAuthorization: Bearer t\r\n\r\n",
            200,
            "HTTP/1.0 has no such rule",
        ),
    ];

    for (request, status, why) in cases {
        // Act
        let reply = RawReply::parse(&exchange(&emulator, request, false).await);

        // Assert
        assert_eq!(reply.status, status, "{why}");
    }
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent_in_each_apis_envelope() {
    // Arrange: a limit of 1 KiB, and requests that declare a gigabyte but send none of it.
    let emulator = spawn().max_body(1024).start().await.emulator;
    let graph = "PUT /v1.0/me/drive/root:/big.bin:/content HTTP/1.1\r\nHost: x\r\n\
                 Authorization: Bearer t\r\nContent-Length: 1000000000\r\n\r\n";
    let box_upload = "POST /api/2.0/files/content HTTP/1.1\r\nHost: x\r\n\
                      Authorization: Bearer t\r\nContent-Type: multipart/form-data; boundary=b\r\n\
                      Content-Length: 1000000000\r\n\r\n";

    // Act: no half-close: the reply must come while the client still owes the body.
    let graph = RawReply::parse(&exchange(&emulator, graph.as_bytes(), false).await);
    let boxed = RawReply::parse(&exchange(&emulator, box_upload.as_bytes(), false).await);

    // Assert
    assert_eq!(graph.status, 413);
    assert_eq!(graph.json()["error"]["code"], "BadRequest");
    assert_eq!(
        graph.json()["error"]["message"],
        "Maximum request length exceeded."
    );
    assert_eq!(graph.header("connection"), Some("close"));
    assert_eq!(boxed.status, 413);
    assert_eq!(boxed.json()["code"], "request_entity_too_large");
    assert_eq!(boxed.json()["type"], "error");
    assert_eq!(boxed.header("connection"), Some("close"));
    // Nothing was written: the export has users (the tokens signed in) and no spaces.
    let export = serde_json::to_value(emulator.export()).unwrap();
    assert_eq!(export.get("spaces"), None, "{export}");
}

#[tokio::test]
async fn a_reply_that_leaves_the_body_unread_says_connection_close() {
    // Arrange: a GET with a body, which no Graph handler reads, then a request on the same
    // connection that the server must not take as part of that body.
    let emulator = spawn().start().await.emulator;
    let unread = b"GET /v1.0/me/drive HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\
                   Content-Length: 5\r\n\r\nhello";
    let read = b"PUT /v1.0/me/drive/root:/a.txt:/content HTTP/1.1\r\nHost: x\r\n\
                 Authorization: Bearer t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

    // Act
    let unread = RawReply::parse(&exchange(&emulator, unread, false).await);
    let read = RawReply::parse(&exchange(&emulator, read, false).await);

    // Assert
    assert_eq!(unread.status, 200);
    assert_eq!(unread.header("connection"), Some("close"));
    assert_eq!(read.status, 201);
    assert_eq!(
        read.header("connection"),
        Some("close"),
        "asked for by the client"
    );
}

#[tokio::test]
async fn a_body_the_handler_reads_keeps_the_connection_open() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let mut stream = TcpStream::connect(emulator.address()).await.unwrap();
    let upload = b"PUT /v1.0/me/drive/root:/a.txt:/content HTTP/1.1\r\nHost: x\r\n\
                   Authorization: Bearer t\r\nContent-Length: 5\r\n\r\nhello";

    // Act: an upload, then a second request on the same connection.
    stream.write_all(upload).await.unwrap();
    stream
        .write_all(b"GET /v1.0/me/drive/root:/a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut replies = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut replies))
        .await
        .expect("both replies")
        .unwrap();

    // Assert: two replies; the first does not close.
    let text = String::from_utf8_lossy(&replies);
    assert_eq!(text.matches("HTTP/1.1 ").count(), 2, "{text}");
    let first = &text[..text[1..].find("HTTP/1.1 ").unwrap() + 1];
    assert!(first.starts_with("HTTP/1.1 201"), "{first}");
    assert!(
        !first.to_ascii_lowercase().contains("connection: close"),
        "{first}"
    );
}

#[tokio::test]
async fn raw_bytes_the_parser_refuses_in_a_path_get_hypers_bare_400_and_a_closed_connection() {
    // Arrange: no `Connection: close`, so the close is the server's own doing.
    let emulator = spawn().start().await.emulator;
    // The `http` crate's URI parser refuses these while hyper reads the head, before any
    // service runs; hyper writes its own reply and has no hook for another (src/transport.rs).
    let cases: [(&[u8], &str); 7] = [
        (b"/v1.0/me/drive/root:/<a>:", "angle brackets"),
        (b"/2.0/files/1>", "a closing angle bracket"),
        (b"/v1.0/me/drive/root:/`a`:", "backticks"),
        (b"/2.0/files/1\x7f", "DEL"),
        (
            b"/v1.0/me/drive/root/children?$filter=size<2",
            "an angle bracket in the query",
        ),
        (b"/2.0/files/\xff", "a byte that is not UTF-8"),
        (b"/v1.0/me/drive/root:/\xc3:", "a UTF-8 sequence cut short"),
    ];

    for (path, why) in cases {
        // Act
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(path);
        request.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n");
        let bytes = exchange(&emulator, &request, false).await;

        // Assert: the whole reply, but for the date.
        let reply = RawReply::parse(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{why}: {text:?}"
        );
        let names: Vec<&str> = reply.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["connection", "content-length", "date"],
            "{why}: {text:?}"
        );
        assert_eq!(reply.header("connection"), Some("close"), "{why}");
        assert_eq!(reply.header("content-length"), Some("0"), "{why}");
        assert_eq!(reply.body, b"", "{why}");
    }
    assert!(
        emulator.requests(&Default::default()).is_empty(),
        "no face saw any of them"
    );
}

#[tokio::test]
async fn raw_utf_8_bytes_in_a_path_reach_the_face_and_get_its_envelope() {
    // Arrange
    let emulator = spawn().start().await.emulator;
    let cases: [(&[u8], &str, &str); 2] = [
        (
            b"/v1.0/me/drive/root:/\xc3\xa9:",
            "graph",
            "UTF-8 bytes, not encoded",
        ),
        (b"/2.0/files/\xc3\xa9", "box", "UTF-8 bytes in a Box path"),
    ];

    for (path, face, why) in cases {
        // Act
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(path);
        request.extend_from_slice(
            b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n",
        );
        let reply = RawReply::parse(&exchange(&emulator, &request, false).await);

        // Assert: each face's envelope for a 400.
        assert_eq!(reply.status, 400, "{why}");
        match face {
            "graph" => assert_eq!(reply.json()["error"]["code"], "BadRequest", "{why}"),
            _ => assert_eq!(reply.json()["code"], "bad_request", "{why}"),
        }
    }
}
