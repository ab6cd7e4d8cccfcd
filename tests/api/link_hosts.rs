//! Where the absolute links in replies point: `--public-url` when set, else the request's `Host`
//! when it is one well-formed `host[:port]`, else the address the client connected to. A `Host`
//! that smuggles another authority, or two of them, never reaches a link, and is never refused.

use restore_mock::fixture::Fixture;
use restore_mock::{Config, Emulator};
use serde_json::json;

use crate::support::raw::{exchange, RawReply};
use crate::support::spawn;

const TOKEN: &str = "ada-token";

fn fixture() -> Fixture {
    serde_json::from_value(json!({
        "users": [{"id": "7", "name": "Ada", "tokens": [TOKEN]}],
        "spaces": [{"face": "graph", "owner": "7", "items": [
            {"type": "file", "path": "notes.txt", "id": 100, "versions": [{"text": "draft"}]}
        ]}]
    }))
    .expect("a valid fixture")
}

async fn emulator(config: Config) -> Emulator {
    spawn()
        .config(config)
        .fixture(fixture())
        .start()
        .await
        .emulator
}

/// The links a client is handed, one per kind, as `(what, method, path, body, status)`.
const LINKS: [(&str, &str, &str, &str, u16); 3] = [
    (
        "a Graph download redirect",
        "GET",
        "/v1.0/me/drive/items/100/content",
        "",
        302,
    ),
    (
        "a Graph upload URL",
        "POST",
        "/v1.0/me/drive/root:/big.bin:/createUploadSession",
        "{}",
        200,
    ),
    (
        "a Box upload-session URL",
        "POST",
        "/api/2.0/files/upload_sessions",
        r#"{"folder_id":"0","file_size":20000000,"file_name":"big.bin"}"#,
        201,
    ),
];

/// Sends one request as raw bytes, with each of `hosts` as a `Host` header of its own.
async fn raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    hosts: &[&str],
    body: &str,
) -> RawReply {
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for host in hosts {
        request.push_str(&format!("Host: {host}\r\n"));
    }
    request.push_str(&format!(
        "Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    RawReply::parse(&exchange(emulator, request.as_bytes(), false).await)
}

/// The absolute link a reply of each kind hands out.
fn link(reply: &RawReply, what: &str) -> String {
    let body = reply.json();
    let link = match what {
        "a Graph download redirect" => reply.header("location").map(str::to_owned),
        "a Graph upload URL" => body["uploadUrl"].as_str().map(str::to_owned),
        _ => body["session_endpoints"]["upload_part"]
            .as_str()
            .map(str::to_owned),
    };
    link.unwrap_or_else(|| panic!("{what}: no link in {} {body}", reply.status))
}

#[tokio::test]
async fn a_host_that_is_not_one_plain_host_and_port_never_reaches_a_link() {
    // Arrange
    let emulator = emulator(Config::default()).await;
    let own = format!("http://{}/", emulator.address());
    let hosts: [(&[&str], &str); 5] = [
        (
            &["127.0.0.1:1@evil.example"],
            "user info before another host",
        ),
        (&["evil.example/x"], "a path after the host"),
        (&["evil.example:80:81"], "two ports"),
        (&["evil.example", "127.0.0.1"], "two Host headers"),
        (
            &["127.0.0.1", "evil.example"],
            "two Host headers, the other order",
        ),
    ];

    for (what, method, path, body, status) in LINKS {
        for (host, why) in hosts {
            // Act
            let reply = raw(&emulator, method, path, host, body).await;

            // Assert: answered, with the link on the address the client reached.
            assert_eq!(reply.status, status, "{what}, {why}");
            let link = link(&reply, what);
            assert!(link.starts_with(&own), "{what}, {why}: {link}");
        }
    }
}

#[tokio::test]
async fn a_well_formed_host_is_where_the_links_point() {
    // Arrange
    let emulator = emulator(Config::default()).await;
    let host = format!("localhost:{}", emulator.address().port());

    for (what, method, path, body, status) in LINKS {
        // Act
        let reply = raw(&emulator, method, path, &[&host], body).await;

        // Assert: a client that reached the emulator by a name gets links by that name.
        assert_eq!(reply.status, status, "{what}");
        let link = link(&reply, what);
        assert!(
            link.starts_with(&format!("http://{host}/")),
            "{what}: {link}"
        );
    }
}

#[tokio::test]
async fn the_public_url_is_where_every_link_points_whatever_the_host() {
    // Arrange
    let emulator = emulator(Config {
        public_url: Some("http://restore-mock:8080".parse().unwrap()),
        ..Config::default()
    })
    .await;
    let own = emulator.address().to_string();

    for (what, method, path, body, status) in LINKS {
        for host in [own.as_str(), "localhost", "127.0.0.1:1@evil.example"] {
            // Act
            let reply = raw(&emulator, method, path, &[host], body).await;

            // Assert
            assert_eq!(reply.status, status, "{what}, Host {host}");
            let link = link(&reply, what);
            assert!(
                link.starts_with("http://restore-mock:8080/"),
                "{what}, Host {host}: {link}"
            );
        }
    }
}
