//! The suite's one fuzzer: a property test over HTTP against one emulator, reset and seeded
//! again before each case: random methods; paths built from every address form, from Graph's
//! path pieces strung together at random, from Box's routes (versions, folders, copy, metadata,
//! collaborations, comments, tasks, search, webhooks...) on a seeded file and folder, and from
//! both platforms' sign-in routes; odd encodings, queries, bodies and tokens. Whatever comes in,
//! the answer is never a 5xx or a panic, an error is in the face's own envelope (JSON, said so
//! by `Content-Type`), and a refused request changes nothing, on whichever store the suite runs.
//! Proptest shrinks a failure to the smallest request.

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{box_api, send, spawn, TestApp};

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
    "/copy",
    "/createLink",
    "/invite",
    "/checkout",
    "/checkin",
    "/permissions",
    "/thumbnails",
    "/delta",
    "/search(q='a')",
    "/nonsense",
];
/// Box routes, with `{file}`, `{folder}` and `{version}` standing for the seed's file, its
/// folder and the file's first version.
const BOX_PATHS: &[&str] = &[
    "/2.0/files/{file}",
    "/2.0/files/1/content",
    "/2.0/files/{file}/content",
    "/2.0/files/{file}/versions",
    "/2.0/files/{file}/versions/current",
    "/2.0/files/{file}/versions/{version}",
    "/2.0/files/{file}/copy",
    "/2.0/files/{file}/trash",
    "/2.0/files/{file}/thumbnail.png",
    "/2.0/files/{file}/metadata",
    "/2.0/files/{file}/metadata/global/properties",
    "/2.0/files/{file}/collaborations",
    "/2.0/files/{file}/comments",
    "/2.0/files/{file}/tasks",
    "/2.0/folders/0",
    "/2.0/folders/{folder}",
    "/2.0/folders/{folder}/items",
    "/2.0/folders/{folder}/copy",
    "/2.0/folders/{folder}/collaborations",
    "/2.0/folders/{folder}/metadata/global/properties",
    "/2.0/folders/trash/items",
    "/2.0/folders",
    "/2.0/collaborations",
    "/2.0/comments",
    "/2.0/tasks",
    "/2.0/task_assignments",
    "/2.0/metadata_templates/schema",
    "/2.0/metadata_templates/global/properties/schema",
    "/2.0/search",
    "/2.0/shared_items",
    "/2.0/users",
    "/2.0/zip_downloads",
    "/2.0/webhooks",
    "/2.0/events",
    "/api/2.0/files/content",
    "/api/2.0/files/{file}/content",
    "/2.0/files/upload_sessions",
    "/2.0/files/abc",
    "/2.0/nope",
];
/// The sign-in routes of both platforms, which answer in OAuth's envelope.
const SIGN_IN_PATHS: &[&str] = &[
    "/common/oauth2/v2.0/token",
    "/organizations/oauth2/v2.0/devicecode",
    "/common/v2.0/.well-known/openid-configuration",
    "/metadata/identity/oauth2/token",
    "/msi/token",
    "/oauth2/token",
    "/oauth2/revoke",
    "/api/oauth2/authorize",
];
/// Graph's path pieces, strung one to six at a time after `/v1.0/`.
const GRAPH_PIECES: &[&str] = &[
    "me",
    "drive",
    "drives",
    "b!1",
    "users",
    "groups",
    "sites",
    "items",
    "root",
    "root:",
    "1000000003",
    "1000000003:",
    "a.txt:",
    "%3A",
    "%2F",
    ":",
    "::",
    "versions",
    "1.0",
    "current",
    "content",
    "children",
    "restoreVersion",
    "microsoft.graph.restoreVersion",
    "$batch",
    "",
    "%",
    "%FF",
    "%C3%BC",
    "+",
    "a%2Fb",
    "~",
    "$top=1",
    "?$top=x",
    "?$skiptoken=-1",
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
    "?fields=item_collection,shared_link,permissions,lock,metadata.global.properties",
    "?usemarker=true&marker=x&limit=1",
    "?query=a&mdfilters=%5B%7B%7D%5D",
];
const BODIES: &[&[u8]] = &[
    b"",
    b"{}",
    b"null",
    b"{\"name\":\"f\",\"folder\":{}}",
    b"{\"trashed_at\":null}",
    b"{\"id\":\"5000000001\",\"type\":\"file_version\"}",
    b"{\"shared_link\":{\"access\":\"open\",\"unshared_at\":\"x\"}}",
    b"{\"lock\":{\"type\":\"lock\",\"expires_at\":1}}",
    b"[{\"op\":\"add\",\"path\":\"/a\",\"value\":1},{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]",
    b"{\"item\":{\"type\":\"file\",\"id\":\"1\"},\"message\":7}",
    b"{\"parent\":{\"id\":\"0\"},\"name\":\"\"}",
    b"{\"parentReference\":{\"id\":\"nope\"}}",
    b"grant_type=client_credentials&client_id=a&client_secret=b&scope=x%2F.default",
    b"not json",
    b"\xff\xfe",
    b"{\"requests\":[{\"id\":\"1\",\"method\":\"DELETE\",\"url\":\"/me/drive/items/1000000003\"},{\"id\":\"2\",\"method\":\"GET\",\"url\":\"%\",\"dependsOn\":[\"2\"]}]}",
    b"{\"requests\":[{\"id\":\"1\",\"method\":\"PUT\",\"url\":\"me/drive/root:/z.bin:/content\",\"headers\":{\"content-type\":\"x/y\"},\"body\":\"%%\"}]}",
];

fn request(seed: &Seed) -> impl Strategy<Value = (Method, String, Vec<u8>, Option<&'static str>)> {
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
    let pieces = prop::collection::vec(prop::sample::select(GRAPH_PIECES), 1..=6)
        .prop_map(|pieces| format!("/v1.0/{}", pieces.join("/")));
    let seed = seed.clone();
    let boxed = prop::sample::select(BOX_PATHS).prop_map(move |path| {
        path.replace("{file}", &seed.file)
            .replace("{folder}", &seed.folder)
            .replace("{version}", &seed.version)
    });
    let sign_in = prop::sample::select(SIGN_IN_PATHS).prop_map(str::to_owned);
    let path = prop_oneof![3 => graph, 3 => pieces, 3 => boxed, 1 => sign_in];
    (
        method,
        path,
        prop::sample::select(QUERIES),
        prop::sample::select(BODIES),
        // Most requests carry a token: without one, every route answers 401 alike.
        prop::option::weighted(
            0.85,
            prop::sample::select(vec!["t", box_api::TOKEN, "other-user", " "]),
        ),
    )
        .prop_map(|(method, path, query, body, token)| {
            (method, format!("{path}{query}"), body.to_vec(), token)
        })
}

/// The files and versions (with what hangs on them: comments, metadata, collaborations...) and
/// the metadata templates as the admin export shows them, for before/after comparisons. Users
/// are left out, and so are empty drives: a new token signs in (becoming a user) before any
/// refusal, and its drive's root is made on first use, which no API reply can tell apart from
/// a root that was always there.
async fn export(app: &TestApp) -> Value {
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let spaces = state["spaces"].as_array().cloned().unwrap_or_default();
    let kept: Vec<Value> = spaces
        .into_iter()
        .filter(|space| {
            space["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
        })
        .collect();
    json!({"spaces": kept, "templates": state["box_metadata_templates"]})
}

/// The Box ids the seed made; a reset starts ids over, so every seed has the same.
#[derive(Debug, Clone, PartialEq)]
struct Seed {
    file: String,
    folder: String,
    version: String,
}

/// Empties the emulator and gives it one Graph file with two versions, and a Box folder holding
/// a file with two versions, for the requests to hit.
async fn reseed(app: &TestApp) -> Seed {
    app.emulator.reset().expect("a reset");
    for body in ["graph bytes", "graph bytes 2"] {
        let path = app.url("/v1.0/me/drive/root:/a.txt:/content");
        let reply = send(app.client.put(path).bearer_auth("t").body(body)).await;
        assert!(reply.status.is_success(), "{reply:?}");
    }
    let folder = box_api::create_folder(app, "0", "box").await;
    let file = box_api::upload(app, box_api::id(&folder), "b.txt", b"box bytes").await;
    box_api::upload_version(app, box_api::id(&file), b"box bytes 2").await;
    Seed {
        file: box_api::id(&file).to_owned(),
        folder: box_api::id(&folder).to_owned(),
        version: file["file_version"]["id"].as_str().unwrap().to_owned(),
    }
}

/// One case: the request's answer and what it did to the state. `seeded` says whether the state
/// is still the seed (the cases since the last reset were all refused, which the check holds to
/// changing nothing), so that only an accepted request costs a reset.
async fn check(
    app: &TestApp,
    seed: &Seed,
    seeded: &Cell<bool>,
    (method, target, body, token): (Method, String, Vec<u8>, Option<&'static str>),
) -> Result<(), TestCaseError> {
    // Arrange
    if !seeded.replace(false) {
        prop_assert_eq!(&reseed(app).await, seed, "a reset starts the ids over");
    }
    let before = export(app).await;
    prop_assert_eq!(
        before["spaces"].as_array().map(Vec::len),
        Some(2),
        "the seed is there"
    );
    let mut request = app
        .client
        .request(method.clone(), app.url(&target))
        .body(body);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }

    // Act
    let reply = send(request).await;

    // Assert
    let status = reply.status;
    let what = format!("{method} {target} -> {status}");
    prop_assert!(!status.is_server_error(), "{what}");
    if status.is_client_error() {
        let is_sign_in = SIGN_IN_PATHS.iter().any(|path| target.starts_with(path));
        let is_box = target.starts_with("/2.0") || target.starts_with("/api/2.0");
        if method != Method::HEAD && !(is_box && status == 401) {
            let json: Value = serde_json::from_slice(&reply.bytes)
                .map_err(|e| TestCaseError::fail(format!("{what}: not JSON ({e})")))?;
            prop_assert!(
                reply.header("content-type").starts_with("application/json"),
                "{what}: {reply:?}"
            );
            if is_sign_in {
                prop_assert!(json["error"].is_string(), "{what}: {json}");
                prop_assert!(json["error_description"].is_string(), "{what}: {json}");
            } else if is_box
                && target.contains("/metadata/")
                && [400, 409].contains(&status.as_u16())
            {
                // Instance creation's refusals are in the metadata service's own shape
                // (<https://github.com/box/box-openapi/pull/536>).
                prop_assert!(json["code"].is_string(), "{what}: {json}");
                prop_assert!(json["message"].is_string(), "{what}: {json}");
                prop_assert!(json["request_id"].is_string(), "{what}: {json}");
            } else if is_box {
                prop_assert_eq!(&json["type"], "error", "{}", what);
                prop_assert_eq!(&json["status"], status.as_u16(), "{}", what);
            } else {
                prop_assert!(json["error"]["code"].is_string(), "{what}: {json}");
                prop_assert!(
                    json["error"]["innerError"]["request-id"].is_string(),
                    "{what}"
                );
            }
        }
        prop_assert_eq!(export(app).await, before, "{} changed the state", what);
        seeded.set(true);
    }
    Ok(())
}

#[test]
fn no_request_makes_either_face_fail_or_change_state_when_refused() {
    // One emulator for every case (reset in between), on a runtime that outlives them.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime.block_on(spawn().start());
    let seed = runtime.block_on(reseed(&app));
    let config = Config {
        cases: 1024,
        failure_persistence: None,
        ..Config::default()
    };
    let seeded = Cell::new(true);
    let outcome = TestRunner::new(config).run(&request(&seed), |case| {
        runtime.block_on(check(&app, &seed, &seeded, case))
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
