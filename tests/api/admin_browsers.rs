//! What the open admin API (no `--admin-token`) refuses from web pages: changes sent with another
//! origin's `Origin` (a page's `text/plain` POST needs no preflight), and any request whose `Host`
//! is not a name the emulator answers to (a DNS-rebinding page's). `curl` (no `Origin`), the
//! emulator's own origin, `--allowed-host` and `--public-url` pass; health is never refused.

use reqwest::{Method, StatusCode};
use restore_mock::fixture::Fixture;
use restore_mock::{Config, Emulator};
use serde_json::{json, Value};

use crate::support::chromium::Browser;
use crate::support::raw::{exchange, RawReply};
use crate::support::{read_reply, spawn, Reply};

fn fixture() -> Fixture {
    serde_json::from_value(json!({
        "users": [{"id": "7", "name": "Ada", "login": "ada@example.com", "tokens": ["ada-token"]}]
    }))
    .expect("a valid fixture")
}

async fn start(config: Config) -> Emulator {
    spawn()
        .config(config)
        .fixture(fixture())
        .start()
        .await
        .emulator
}

/// The three writes a page on another origin made in the report, plus two more, as
/// `(method, path, text/plain body, what it would do)`.
const WRITES: [(&str, &str, &str, &str); 5] = [
    (
        "POST",
        "/__admin/faults",
        r#"{"action": {"type": "error", "status": 503, "code": "down", "message": "down"}}"#,
        "add a fault rule",
    ),
    (
        "POST",
        "/__admin/clock",
        r#"{"freeze": "2020-01-01T00:00:00Z"}"#,
        "freeze the clock",
    ),
    (
        "POST",
        "/__admin/fixtures",
        r#"{"users": [{"id": "666", "name": "Mallory", "tokens": ["planted-token"]}]}"#,
        "add a user with a token",
    ),
    ("POST", "/__admin/reset", "", "empty the store"),
    ("DELETE", "/__admin/requests", "", "clear the journal"),
];

/// What the emulator holds that those writes would change.
async fn observable(emulator: &Emulator) -> Value {
    let client = reqwest::Client::new();
    let mut seen = json!({});
    for path in ["/__admin/state", "/__admin/faults", "/__admin/clock"] {
        let Reply { status, body, .. } =
            read_reply(client.get(emulator.url(path)).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        seen[path] = body;
    }
    seen
}

#[tokio::test]
async fn writes_from_a_page_on_another_origin_are_refused_and_change_nothing() {
    // Arrange
    let emulator = start(Config::default()).await;
    let before = observable(&emulator).await;
    let client = reqwest::Client::new();

    for origin in ["http://evil.example", "null", "http://127.0.0.1:1"] {
        for (method, path, body, what) in WRITES {
            // Act: what `fetch(url, {method, mode: "no-cors", body})` sends.
            let reply = client
                .request(method.parse().unwrap(), emulator.url(path))
                .header("origin", origin)
                .header("content-type", "text/plain;charset=UTF-8")
                .body(body)
                .send()
                .await
                .unwrap();
            let Reply { status, body, .. } = read_reply(reply).await;

            // Assert
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{what} from {origin}: {body}"
            );
            assert_eq!(
                body,
                json!({"error": {
                    "code": "cross_origin_refused",
                    "message": format!(
                        "the admin API refuses changes sent by a web page on another origin \
                         ({origin}); send them without an Origin header (curl, scripts, SDKs), \
                         or set --admin-token"
                    )
                }}),
                "{what} from {origin}"
            );
        }
    }
    assert_eq!(observable(&emulator).await, before, "nothing changed");
}

#[tokio::test]
async fn writes_without_an_origin_or_from_the_emulators_own_origin_pass() {
    // Arrange
    let emulator = start(Config::default()).await;
    let port = emulator.address().port();
    let own = emulator.uri();
    let localhost = format!("http://localhost:{port}");
    let cases: [(Option<&str>, Option<&str>, &str); 3] = [
        (None, None, "curl -d: no Origin"),
        (Some(&own), None, "the emulator's own origin"),
        (
            Some(&localhost),
            Some(&localhost),
            "its own origin under the name localhost",
        ),
    ];

    for (origin, base, why) in cases {
        let base = base.map_or_else(|| emulator.uri(), str::to_owned);
        let mut request = reqwest::Client::new()
            .post(format!("{base}/__admin/faults"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(r#"{"action": {"type": "drop"}, "times": 0}"#);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }

        // Act
        let Reply { status, body, .. } = read_reply(request.send().await.unwrap()).await;

        // Assert
        assert_eq!(status, StatusCode::CREATED, "{why}: {body}");
    }
    assert_eq!(emulator.faults().len(), 3, "each write was kept");
}

/// `method path` with `host` as the `Host` header, sent as raw bytes.
async fn with_host(emulator: &Emulator, method: &str, path: &str, hosts: &[&str]) -> RawReply {
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for host in hosts {
        request.push_str(&format!("Host: {host}\r\n"));
    }
    request.push_str("Content-Length: 0\r\nConnection: close\r\n\r\n");
    RawReply::parse(&exchange(emulator, request.as_bytes(), false).await)
}

#[tokio::test]
async fn a_page_under_another_name_cannot_read_or_change_the_admin_api() {
    // Arrange: a DNS-rebinding page reaches 127.0.0.1 under its own name.
    let emulator = start(Config::default()).await;
    let port = emulator.address().port();
    let evil = format!("rebind.evil.example:{port}");
    let cases = [
        ("GET", "/__admin/state", "every user's files and tokens"),
        ("GET", "/__admin/requests", "the journal"),
        ("GET", "/__admin/ui", "the admin page"),
        ("POST", "/__admin/reset", "a reset"),
    ];

    for (method, path, what) in cases {
        // Act
        let reply = with_host(&emulator, method, path, &[&evil]).await;

        // Assert
        assert_eq!(reply.status, 403, "{what}");
        assert_eq!(
            reply.json(),
            json!({"error": {
                "code": "host_not_allowed",
                "message": format!(
                    "the admin API does not answer to the host \"{evil}\", which may be a web \
                     page's own name (DNS rebinding); it answers to loopback names, the address \
                     it listens on and --public-url; start it with --allowed-host {evil} to add \
                     this one, or set --admin-token"
                )
            }}),
            "{what}"
        );
    }
    let two = with_host(
        &emulator,
        "GET",
        "/__admin/state",
        &["127.0.0.1", "evil.example"],
    )
    .await;
    assert_eq!(two.status, 403, "two Host headers");
    assert_eq!(
        two.json(),
        json!({"error": {
            "code": "bad_host",
            "message": "the admin API wants one Host header holding a plain host[:port]"
        }})
    );
    let health = with_host(&emulator, "GET", "/__admin/health", &[&evil]).await;
    assert_eq!(
        (health.status, health.json()),
        (200, json!({"status": "ok"})),
        "health is never refused"
    );
    assert_eq!(emulator.export().users.len(), 1, "the reset was refused");
}

#[tokio::test]
async fn loopback_names_the_allowed_hosts_and_the_public_url_are_answered() {
    // Arrange
    let emulator = start(Config {
        allowed_hosts: vec![
            "restore-mock:8080".parse().unwrap(),
            "http://proxy.lan".parse().unwrap(),
        ],
        public_url: Some("https://mock.example".parse().unwrap()),
        ..Config::default()
    })
    .await;
    let port = emulator.address().port();
    let cases = [
        (format!("127.0.0.1:{port}"), 200, "the bound address"),
        (format!("localhost:{port}"), 200, "localhost"),
        (format!("[::1]:{port}"), 200, "IPv6 loopback"),
        ("restore-mock:8080".to_owned(), 200, "an allowed host:port"),
        (
            "restore-mock:9090".to_owned(),
            403,
            "an allowed host on another port",
        ),
        (
            "proxy.lan:3128".to_owned(),
            200,
            "an allowed host, any port",
        ),
        ("mock.example".to_owned(), 200, "the public URL's host"),
        ("evil.example".to_owned(), 403, "any other name"),
    ];

    for (host, status, why) in cases {
        // Act
        let reply = with_host(&emulator, "GET", "/__admin/faults", &[&host]).await;

        // Assert
        assert_eq!(reply.status, status, "{why}: {host}");
    }
    let from_public = reqwest::Client::new()
        .post(emulator.url("/__admin/clock"))
        .header("origin", "https://mock.example")
        .body(r#"{"advance_seconds": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        from_public.status(),
        StatusCode::OK,
        "the public URL is the emulator's own origin"
    );
}

#[tokio::test]
async fn with_an_admin_token_the_token_is_the_guard() {
    // Arrange
    let emulator = start(Config {
        admin_token: Some("secret".into()),
        ..Config::default()
    })
    .await;

    // Act
    let reply = reqwest::Client::new()
        .request(Method::POST, emulator.url("/__admin/faults"))
        .bearer_auth("secret")
        .header("origin", "http://tools.example")
        .body(r#"{"action": {"type": "drop"}, "times": 0}"#)
        .send()
        .await
        .unwrap();
    let by_name = with_host(&emulator, "GET", "/__admin/faults", &["mock.internal"]).await;

    // Assert: a page cannot send the token (it needs a preflight no one grants), so the token
    // alone decides.
    assert_eq!(reply.status(), StatusCode::CREATED);
    assert_eq!(by_name.status, 401, "refused for the missing token only");
}

#[tokio::test]
async fn in_chromium_a_page_on_another_origin_cannot_add_a_fault_and_the_admin_page_works() {
    // Arrange: the page on another origin is a second emulator's health route.
    let emulator = start(Config::default()).await;
    let elsewhere = start(Config::default()).await;
    let mut page = Browser::open(&elsewhere.url("/__admin/health")).await;

    // Act: the plain cross-origin POST the report sent, which needs no preflight.
    let sent = page
        .eval(&format!(
            "fetch({}, {{method: 'POST', mode: 'no-cors', body: {}}}).then(() => 'sent', (e) => String(e))",
            json!(emulator.url("/__admin/faults")),
            json!(r#"{"action": {"type": "error", "status": 503, "code": "down", "message": "down"}}"#),
        ))
        .await;

    // Assert
    assert_eq!(sent, json!("sent"), "the browser sent it");
    assert_eq!(emulator.faults(), vec![], "and the emulator refused it");
    let mut admin = Browser::open(&emulator.url("/__admin/ui")).await;
    let shown = admin
        .wait_for("document.querySelector('#users .user') && document.querySelector('#users .user').textContent")
        .await;
    assert!(
        shown.as_str().is_some_and(|s| s.contains("Ada")),
        "the open admin page lists the users: {shown}"
    );
}
