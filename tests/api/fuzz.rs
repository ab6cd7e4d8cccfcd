//! A property test in process, through the app's router: random methods, paths built from every
//! address form, odd encodings, queries and bodies at both faces. Whatever comes in, the answer
//! is never a 5xx or a panic, an error is in the face's own envelope, and a refused request
//! changes nothing.

use axum::body::Body;
use axum::http::{Method, Request};
use proptest::prelude::*;
use restore_mock::config::Config;
use restore_mock::internals::{build_state, router, AppState};
use serde_json::Value;
use tower::ServiceExt as _;

/// Graph address forms and operations (as
/// <https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/addressing-driveitems>
/// lists them), and Box routes (<https://developer.box.com/reference/>); the
/// strategy below mixes them with odd pieces.
const GRAPH_BASES: &[&str] = &[
    "/v1.0/me/drive",
    "/v1.0/drives/b!x",
    "/v1.0/users/me-user/drive",
    "/beta/me/drive",
    "/v1.0/groups/g/drive",
    "/v1.0/sites/s/drive",
    "/v1.0",
    "/v2.0/me/drive",
];
const GRAPH_ITEMS: &[&str] = &[
    "",
    "/root",
    "/root:/a.txt:",
    "/root:/Docs/a%20b.txt:",
    "/items/1000000001",
    "/items/root:/x:",
    "/items/abc",
    "/root:/%zz:",
    "/root:/a%2Fb:",
];
const GRAPH_OPS: &[&str] = &[
    "",
    "/content",
    "/children",
    "/versions",
    "/versions/1.0",
    "/versions/current",
    "/versions/2.0/content",
    "/versions/1.0/restoreVersion",
    "/createUploadSession",
    "/nonsense",
];
const BOX_PATHS: &[&str] = &[
    "/2.0/files/5000000001",
    "/2.0/files/1/content",
    "/2.0/files/1/versions",
    "/2.0/files/1/versions/current",
    "/2.0/files/1/versions/5000000001",
    "/2.0/folders/0",
    "/2.0/folders",
    "/api/2.0/files/content",
    "/api/2.0/files/1/content",
    "/2.0/files/upload_sessions",
    "/2.0/files/abc",
    "/2.0/nope",
];
const QUERIES: &[&str] = &[
    "",
    "?$top=1",
    "?$top=-1",
    "?$skip=x",
    "?$select=id,name",
    "?$skiptoken=%zz",
    "?fields=id,etag",
    "?limit=0&offset=99999",
    "?version=abc",
    "?@microsoft.graph.conflictBehavior=rename",
];
const BODIES: &[&[u8]] = &[
    b"",
    b"{}",
    b"null",
    b"{\"name\":\"f\",\"folder\":{}}",
    b"{\"trashed_at\":null}",
    b"{\"id\":\"5000000001\",\"type\":\"file_version\"}",
    b"not json",
    b"\xff\xfe",
];

fn request() -> impl Strategy<Value = (Method, String, Vec<u8>, Option<&'static str>)> {
    let method = prop::sample::select(vec![
        Method::GET,
        Method::PUT,
        Method::POST,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
    ]);
    let graph = (
        prop::sample::select(GRAPH_BASES),
        prop::sample::select(GRAPH_ITEMS),
        prop::sample::select(GRAPH_OPS),
    )
        .prop_map(|(base, item, op)| format!("{base}{item}{op}"));
    let boxed = prop::sample::select(BOX_PATHS).prop_map(str::to_owned);
    let path = prop_oneof![graph, boxed];
    (
        method,
        path,
        prop::sample::select(QUERIES),
        prop::sample::select(BODIES),
        prop::option::of(prop::sample::select(vec!["t", "other-user", " "])),
    )
        .prop_map(|(method, path, query, body, token)| {
            (method, format!("{path}{query}"), body.to_vec(), token)
        })
}

/// The files and versions as the admin export shows them, for before/after comparisons. Users
/// are left out, and so are empty drives: a new token signs in (becoming a user) before any
/// refusal, and its drive's root is made on first use, which no API reply can tell apart from
/// a root that was always there.
async fn export(app: &axum::Router) -> Value {
    let response = app
        .clone()
        .oneshot(Request::get("/__admin/state").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let state: Value = serde_json::from_slice(&bytes).unwrap();
    let spaces = state["spaces"].as_array().cloned().unwrap_or_default();
    let kept: Vec<Value> = spaces
        .into_iter()
        .filter(|space| {
            space["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
        })
        .collect();
    Value::Array(kept)
}

/// An app with one Graph file and one Box file for the requests to hit.
async fn seeded() -> (AppState, axum::Router) {
    let state = build_state(&Config::default()).expect("a state");
    let app = router(state.clone());
    for (path, body) in [
        ("/v1.0/me/drive/root:/a.txt:/content", "graph bytes"),
        ("/v1.0/me/drive/root:/a.txt:/content", "graph bytes 2"),
    ] {
        let request = Request::put(path)
            .header("authorization", "Bearer t")
            .header("host", "localhost")
            .body(Body::from(body))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert!(response.status().is_success());
    }
    (state, app)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_request_makes_either_face_fail_or_change_state_when_refused(
        (method, target, body, token) in request()
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            // Arrange
            let (_state, app) = seeded().await;
            let before = export(&app).await;
            let mut request = Request::builder().method(method.clone()).uri(&target).header("host", "localhost");
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let request = request.body(Body::from(body)).unwrap();

            // Act
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();

            // Assert
            let what = format!("{method} {target} -> {status}");
            prop_assert!(!status.is_server_error(), "{what}");
            if status.is_client_error() {
                let is_box = target.starts_with("/2.0") || target.starts_with("/api/2.0");
                if method != Method::HEAD && !(is_box && status == 401) {
                    let json: Value = serde_json::from_slice(&bytes)
                        .map_err(|e| TestCaseError::fail(format!("{what}: not JSON ({e})")))?;
                    if is_box {
                        prop_assert_eq!(&json["type"], "error", "{}", what);
                        prop_assert_eq!(&json["status"], status.as_u16(), "{}", what);
                    } else {
                        prop_assert!(json["error"]["code"].is_string(), "{what}: {json}");
                        prop_assert!(json["error"]["innerError"]["request-id"].is_string(), "{what}");
                    }
                }
                prop_assert_eq!(export(&app).await, before, "{} changed the state", what);
            }
            Ok(())
        })?;
    }
}
