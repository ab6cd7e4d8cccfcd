//! `--cors-origin`: a page on a web origin let in calls both APIs from a browser (preflights
//! answered, replies readable); any other origin gets no CORS headers, and Box refuses it as it
//! refuses an origin its app does not list; the admin API never answers cross-origin; without the
//! option nothing changes. The last test drives headless Chromium through it.

use reqwest::{Method, StatusCode};
use restore_mock::config::CorsOrigin;
use restore_mock::Config;
use serde_json::{json, Value};

use crate::support::chromium::Browser;
use crate::support::{spawn, Reply, TestApp};

const APP: &str = "http://app.example:3000";

async fn start(origins: &[&str]) -> TestApp {
    let config = Config {
        cors_origins: origins.iter().map(|o| o.parse().unwrap()).collect(),
        ..Config::default()
    };
    spawn().config(config).start().await
}

/// Sends `method path` as a browser on `origin` would, with the bearer token a page holds.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    origin: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut request = (app.client.request(method, app.url(path)))
        .header("origin", origin)
        .header("authorization", "Bearer page-token");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    Reply::read(request.send().await.unwrap()).await
}

/// The CORS headers of a reply, by name, absent ones left out.
fn cors_headers(reply: &Reply) -> Value {
    let names = [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-expose-headers",
        "access-control-max-age",
    ];
    let mut seen = json!({});
    for name in names {
        if let Some(value) = reply.headers.get(name) {
            seen[name] = value.to_str().unwrap().into();
        }
    }
    seen
}

async fn journal_len(app: &TestApp) -> usize {
    let reply = Reply::read(
        (app.client.get(app.url("/__admin/requests")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.body["requests"].as_array().expect("a list").len()
}

#[tokio::test]
async fn a_preflight_from_an_origin_let_in_is_answered_before_any_face_and_not_journaled() {
    // Arrange
    let app = start(&[APP]).await;
    let before = journal_len(&app).await;

    // Act: what a browser sends before a PATCH with a bearer token.
    let reply = call(
        &app,
        Method::OPTIONS,
        "/v1.0/me/drive/root:/notes.txt",
        APP,
        &[
            ("access-control-request-method", "PATCH"),
            (
                "access-control-request-headers",
                "authorization,content-type",
            ),
        ],
        None,
    )
    .await;

    // Assert
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{reply:?}");
    assert_eq!(
        cors_headers(&reply),
        json!({
            "access-control-allow-origin": APP,
            "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
            "access-control-allow-headers": "authorization,content-type",
            "access-control-max-age": "600",
        })
    );
    assert_eq!(
        reply.header("vary"),
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    );
    assert!(reply.bytes.is_empty());
    assert_eq!(journal_len(&app).await, before, "no API call was made");
}

#[tokio::test]
async fn each_reply_says_who_may_read_it_and_box_refuses_an_origin_not_let_in() {
    // Arrange
    let app = start(&[APP, "https://other.example"]).await;
    let upload_url = format!("{}/api/2.0/files/content", app.emulator.uri());
    let readable =
        json!({"access-control-allow-origin": APP, "access-control-expose-headers": "*"});
    // (method, path, origin, JSON body, status, CORS headers, why)
    let cases = [
        (
            Method::GET,
            "/v1.0/me/drive/root",
            APP,
            None,
            StatusCode::OK,
            readable.clone(),
            "a Graph read from the app",
        ),
        (
            Method::GET,
            "/v1.0/me/drive/root",
            "http://evil.example",
            None,
            StatusCode::OK,
            json!({}),
            "Graph answers, and the browser keeps the reply from the page",
        ),
        (
            Method::GET,
            "/2.0/folders/0",
            "HTTP://APP.EXAMPLE:3000",
            None,
            StatusCode::OK,
            json!({"access-control-allow-origin": "HTTP://APP.EXAMPLE:3000", "access-control-expose-headers": "*"}),
            "an origin is matched without regard to case",
        ),
        (
            Method::OPTIONS,
            "/2.0/files/content",
            APP,
            Some(json!({"name": "b.txt", "size": 3, "parent": {"id": "0"}})),
            StatusCode::OK,
            readable.clone(),
            "Box's upload preflight is an API call, not a CORS preflight",
        ),
        (
            Method::GET,
            "/__admin/health",
            APP,
            None,
            StatusCode::OK,
            json!({}),
            "the admin API never answers cross-origin",
        ),
    ];

    for (method, path, origin, body, status, headers, why) in cases {
        // Act
        let reply = call(&app, method.clone(), path, origin, &[], body).await;

        // Assert
        assert_eq!(reply.status, status, "{why}: {reply:?}");
        assert_eq!(cors_headers(&reply), headers, "{why}");
        if headers != json!({}) {
            assert_eq!(reply.header("vary"), "Origin", "{why}");
        }
        if method == Method::OPTIONS {
            assert_eq!(reply.body, json!({"upload_url": upload_url}), "{why}");
        }
    }

    // Act: Box refuses a page whose origin is not let in, before it signs in.
    let reply = call(
        &app,
        Method::GET,
        "/2.0/folders/0",
        "http://evil.example",
        &[],
        None,
    )
    .await;

    // Assert
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&reply), json!({}));
    let request_id = reply.body["request_id"].clone();
    assert_eq!(
        reply.body,
        json!({
            "type": "error",
            "status": 403,
            "code": "cors_origin_not_whitelisted",
            "context_info": {"origin": "http://evil.example"},
            "help_url": "http://developers.box.com/docs/#errors",
            "message": "Access denied - Did you forget to safelist your origin in the CORS config of your app?",
            "request_id": request_id,
        })
    );
    assert!(request_id.as_str().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn without_the_option_no_reply_carries_cors_headers_and_nothing_is_refused() {
    // Arrange
    let app = start(&[]).await;
    // (method, path, extra headers, status, why)
    let cases = [
        (
            Method::OPTIONS,
            "/v1.0/me/drive/root",
            &[("access-control-request-method", "GET")][..],
            StatusCode::METHOD_NOT_ALLOWED,
            "a preflight reaches Graph, which serves no OPTIONS there",
        ),
        (
            Method::GET,
            "/v1.0/me/drive/root",
            &[][..],
            StatusCode::OK,
            "a Graph read",
        ),
        (
            Method::GET,
            "/2.0/folders/0",
            &[][..],
            StatusCode::OK,
            "Box refuses no origin",
        ),
    ];

    for (method, path, headers, status, why) in cases {
        // Act
        let reply = call(&app, method, path, APP, headers, None).await;

        // Assert
        assert_eq!(reply.status, status, "{why}: {reply:?}");
        assert_eq!(cors_headers(&reply), json!({}), "{why}");
    }
}

#[tokio::test]
async fn a_page_in_chromium_uploads_and_lists_through_graph_only_where_cors_is_on() {
    // Arrange: the page's origin is one emulator (under the name localhost), which lets no origin
    // in; the other lets any in.
    let closed = start(&[]).await;
    let open = spawn().builder().cors_origin(CorsOrigin::Any).start().await;
    let page = format!(
        "http://localhost:{}/__admin/health",
        closed.emulator.address().port()
    );
    let mut browser = Browser::open(&page).await;
    let script = |base: &str| {
        format!(
            r#"(async () => {{
                const auth = {{Authorization: "Bearer page-token"}};
                try {{
                    const put = await fetch("{base}/v1.0/me/drive/root:/from-page.txt:/content", {{
                        method: "PUT",
                        headers: {{...auth, "Content-Type": "text/plain"}},
                        body: "written by a page",
                    }});
                    const list = await fetch("{base}/v1.0/me/drive/root/children", {{headers: auth}});
                    const names = (await list.json()).value.map(item => item.name);
                    return {{put: put.status, requestId: put.headers.get("request-id") !== null, names}};
                }} catch (error) {{
                    return {{error: error.name}};
                }}
            }})()"#
        )
    };

    // Act
    let through_open = browser.eval(&script(&open.uri())).await;
    let through_closed = browser.eval(&script(&closed.emulator.uri())).await;

    // Assert: the open one took the upload and the page read both replies, a header included.
    assert_eq!(
        through_open,
        json!({"put": 201, "requestId": true, "names": ["from-page.txt"]})
    );
    let client = reqwest::Client::new();
    let content = client
        .get(open.url("/v1.0/me/drive/root:/from-page.txt:/content"))
        .bearer_auth("page-token")
        .send()
        .await
        .unwrap();
    assert_eq!(content.text().await.unwrap(), "written by a page");
    // The closed one: the browser stopped at the preflight, so nothing was written.
    assert_eq!(through_closed, json!({"error": "TypeError"}));
    let listed = Reply::read(
        client
            .get(closed.url("/v1.0/me/drive/root/children"))
            .bearer_auth("page-token")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed.body["value"], json!([]));
}
