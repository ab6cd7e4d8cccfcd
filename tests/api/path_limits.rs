//! How long a path each face lets an item have (`store::rules::check_path`): Graph refuses a
//! path over OneDrive's 400 characters, Box an item more than 500 levels below All Files,
//! wherever an item would get such a path (made, written by path or through a session, renamed,
//! moved, copied, restored, loaded from a fixture, and already at a preflight), and a refused
//! request changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::{self, assert_fixture_refused, assert_refused, upload_request, Part};
use crate::support::graph::Graph;
use crate::support::{send, spawn, TestApp};

/// A name of `n` characters made of `c`.
fn name(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

async fn state(app: &TestApp) -> Value {
    send(app.client.get(app.url("/__admin/state"))).await.body
}

/// Graph's 400 for a path over the limit: `invalidRequest` with OneDrive's detailed code.
fn assert_path_too_long(graph: &Graph, reply: &crate::support::Reply, case: &str) {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{case}: {reply:?}");
    let id = reply.request_id();
    let date = graph.app.emulator.clock().now().format("%Y-%m-%dT%H:%M:%S");
    assert_eq!(
        reply.body,
        json!({"error": {
            "code": "invalidRequest",
            "message": "Path exceeds maximum length.",
            "innerError": {
                "code": "pathIsTooLong",
                "date": date.to_string(),
                "request-id": id,
                "client-request-id": id,
            },
        }}),
        "{case}"
    );
}

#[tokio::test]
async fn graph_refuses_a_path_over_400_characters_wherever_an_item_would_get_one() {
    // Arrange: three folders of 99 characters (`a…/b…/c…` is 299 characters), a file whose
    // path is exactly 400 below them, and a small folder `s` holding a file of 120.
    let graph = spawn().graph().await;
    let (a, b, c) = (name('a', 99), name('b', 99), name('c', 99));
    let deep = format!("{a}/{b}/{c}");
    let at_limit = format!("{deep}/{}", name('f', 100));
    assert_eq!(at_limit.chars().count(), 400);
    let made = graph
        .put(&format!("/me/drive/root:/{at_limit}:/content"), b"x")
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "400 characters: {made:?}");
    let small = graph
        .put(
            &format!("/me/drive/root:/s/{}:/content", name('g', 120)),
            b"y",
        )
        .await;
    assert_eq!(small.status, StatusCode::CREATED, "{small:?}");
    let id_of = |path: String| {
        let graph = &graph;
        async move {
            let item = graph.get(&format!("/me/drive/root:/{path}")).await;
            item.body["id"].as_str().unwrap().to_owned()
        }
    };
    let (a_id, c_id, s_id) = (
        id_of(a.clone()).await,
        id_of(deep.clone()).await,
        id_of("s".into()).await,
    );

    // (why, request) — each would give some item a path of 401 characters or more.
    let cases = [
        (
            "a file of 101 characters written by path below the three folders",
            graph
                .request(
                    Method::PUT,
                    &format!("/me/drive/root:/{deep}/{}:/content", name('f', 101)),
                )
                .body("z"),
        ),
        (
            "a write by path that would make two folders on the way",
            graph
                .request(
                    Method::PUT,
                    &format!(
                        "/me/drive/root:/{deep}/{}/{}:/content",
                        name('n', 50),
                        name('m', 50)
                    ),
                )
                .body("z"),
        ),
        (
            "an upload session for a file of 101 characters, refused before any byte is sent",
            graph
                .request(
                    Method::POST,
                    &format!(
                        "/me/drive/items/{c_id}:/{}:/createUploadSession",
                        name('f', 101)
                    ),
                )
                .json(&json!({})),
        ),
        (
            "a folder of 101 characters made in the deepest folder",
            graph
                .request(Method::POST, &format!("/me/drive/items/{c_id}/children"))
                .json(&json!({"name": name('n', 101), "folder": {}})),
        ),
        (
            "the top folder renamed two characters longer, which lengthens the file's path",
            graph
                .request(Method::PATCH, &format!("/me/drive/items/{a_id}"))
                .json(&json!({"name": name('a', 101)})),
        ),
        (
            "the small folder moved into the deepest one (299 + 2 + 121)",
            graph
                .request(Method::PATCH, &format!("/me/drive/items/{s_id}"))
                .json(&json!({"parentReference": {"id": c_id}})),
        ),
        (
            "the small folder copied into the deepest one",
            graph
                .request(Method::POST, &format!("/me/drive/items/{s_id}/copy"))
                .json(&json!({"parentReference": {"id": c_id}})),
        ),
    ];
    for (case, request) in cases {
        let before = state(&graph.app).await;

        // Act
        let reply = graph.send(request).await;

        // Assert: refused, and nothing changed.
        assert_path_too_long(&graph, &reply, case);
        assert_eq!(
            state(&graph.app).await,
            before,
            "{case}: nothing may change"
        );
    }
    let file = graph.get(&format!("/me/drive/root:/{at_limit}")).await;
    assert_eq!(
        file.status,
        StatusCode::OK,
        "the file at the limit is still there"
    );
    assert_eq!(
        file.body["parentReference"]["path"],
        format!(
            "/drives/{}/root:/{deep}",
            file.body["parentReference"]["driveId"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn box_refuses_an_item_more_than_500_levels_below_all_files() {
    // Arrange: folder `deep` 499 levels down; at the root a folder `s` holding `t`, and a
    // folder `gone` holding `kid/grandkid`, where `kid` is in the trash and `gone` deleted, so
    // that a restore of `kid` must name another parent.
    let path = format!("{}deep", "d/".repeat(498));
    let fixture = json!({
        "users": [{"id": "42", "tokens": [box_api::TOKEN]}],
        "spaces": [{"face": "box", "owner": "42", "items": [
            {"type": "folder", "path": path},
            {"type": "folder", "path": "s/t"},
            {"type": "folder", "path": "gone/kid/grandkid"},
        ]}],
    });
    let app = spawn().fixture(fixture).start().await;
    let find = |name: &'static str| {
        let app = &app;
        async move {
            let found = box_api::get(app, &format!("/2.0/search?query={name}&type=folder")).await;
            found.body["entries"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    let (deep, s) = (find("deep").await, find("s").await);
    let (gone, kid) = (find("gone").await, find("kid").await);
    for folder in [&kid, &gone] {
        let path = format!("/2.0/folders/{folder}?recursive=true");
        let trashed = send(box_api::request(&app, Method::DELETE, &path)).await;
        assert_eq!(trashed.status, StatusCode::NO_CONTENT, "{trashed:?}");
    }
    let level_500 = box_api::create_folder(&app, &deep, "last").await;
    let level_500 = level_500["id"].as_str().unwrap().to_owned();
    let too_deep = "Invalid value. Items nest at most 500 levels below All Files here.";

    // (why, request) — each would put an item at level 501.
    let folder_in_500 = json!({"name": "x", "parent": {"id": level_500}});
    let cases = [
        (
            "a folder made at level 501",
            box_api::request(&app, Method::POST, "/2.0/folders").json(&folder_in_500),
        ),
        (
            "a file uploaded at level 501",
            upload_request(
                &app,
                "/api/2.0/files/content",
                &[
                    Part::attributes(&folder_in_500.to_string()),
                    Part::file(b"z"),
                ],
            ),
        ),
        (
            "a preflight for a file at level 501",
            box_api::request(&app, Method::OPTIONS, "/2.0/files/content").json(&folder_in_500),
        ),
        (
            "an upload session for a file at level 501",
            box_api::request(&app, Method::POST, "/api/2.0/files/upload_sessions")
                .json(&json!({"folder_id": level_500, "file_size": 50_000_000, "file_name": "x"})),
        ),
        (
            "a folder of two levels moved to level 500",
            box_api::request(&app, Method::PUT, &format!("/2.0/folders/{s}"))
                .json(&json!({"parent": {"id": deep}})),
        ),
        (
            "a folder of two levels copied to level 500",
            box_api::request(&app, Method::POST, &format!("/2.0/folders/{s}/copy"))
                .json(&json!({"parent": {"id": deep}})),
        ),
        (
            "a folder of two levels restored from the trash to level 500",
            box_api::request(&app, Method::POST, &format!("/2.0/folders/{kid}"))
                .json(&json!({"parent": {"id": deep}})),
        ),
    ];
    for (case, request) in cases {
        let before = state(&app).await;

        // Act and assert: refused, and nothing changed.
        let params = Some(("parent", too_deep));
        assert_refused(case, request, Value::Null, StatusCode::BAD_REQUEST, params).await;
        assert_eq!(state(&app).await, before, "{case}: nothing may change");
    }
}

#[tokio::test]
async fn a_fixture_past_either_face_s_limit_is_refused_whole() {
    let cases = [
        (
            "graph",
            format!("{}/{}", name('a', 200), name('b', 200)),
            "characters",
        ),
        ("box", format!("{}f", "d/".repeat(500)), "levels"),
    ];
    for (face, path, entry) in cases {
        let fixture = json!({
            "users": [{"id": "42", "tokens": ["t"]}],
            "spaces": [{"face": face, "owner": "42", "items": [{"type": "folder", "path": path}]}],
        });
        assert_fixture_refused(face, fixture, entry).await;
    }
}
