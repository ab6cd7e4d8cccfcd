//! What each Box collaboration role may do, by operation rather than by HTTP method
//! (https://support.box.com/hc/en-us/articles/360044196413-Understanding-Collaborator-Permission-Levels):
//! every role previews; a viewer also downloads, and so copies out of the item into a folder of
//! their own, where the copy is theirs; a previewer does neither; only the writing roles preflight
//! a new version or copy into the shared folder.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::box_collaborations::{
    as_user, bob_on, collaborate, on_folder, root_names, shared_folder, user_mini, who, BOB,
};
use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// The roles of the table's columns, in order.
const ROLES: [&str; 4] = ["previewer", "viewer", "uploader", "editor"];

/// One operation Bob tries on the owner's folder `Shared` (id `{f}` in the path) or its file
/// `a.txt` (`{a}`): why, method, path, body, and the status for each of `ROLES`.
type Row = (&'static str, Method, &'static str, Value, [u16; 4]);

fn rows() -> Vec<Row> {
    vec![
        (
            "reading the file is a preview",
            Method::GET,
            "/2.0/files/{a}",
            Value::Null,
            [200, 200, 200, 200],
        ),
        (
            "a download needs the right to download",
            Method::GET,
            "/2.0/files/{a}/content",
            Value::Null,
            [403, 302, 403, 302],
        ),
        (
            "the preflight of a new version asks to write",
            Method::OPTIONS,
            "/2.0/files/{a}/content",
            json!({"name": "a.txt", "size": 3}),
            [403, 403, 200, 200],
        ),
        (
            "a copy of the file into his own root only reads the source",
            Method::POST,
            "/2.0/files/{a}/copy",
            json!({"parent": {"id": "0"}, "name": "mine.txt"}),
            [403, 201, 403, 201],
        ),
        (
            "a copy of the folder into his own root only reads the source",
            Method::POST,
            "/2.0/folders/{f}/copy",
            json!({"parent": {"id": "0"}, "name": "Mine"}),
            [403, 201, 403, 201],
        ),
        (
            "a zip download of the shared folder needs the right to download",
            Method::POST,
            "/2.0/zip_downloads",
            json!({"items": [{"type": "folder", "id": "{f}"}]}),
            [403, 202, 403, 202],
        ),
        (
            "a copy into the shared folder writes there",
            Method::POST,
            "/2.0/files/{a}/copy",
            json!({"parent": {"id": "{f}"}, "name": "b.txt"}),
            [403, 403, 403, 201],
        ),
    ]
}

/// What an operation could change: the names in the owner's folder and root, and in Bob's root.
async fn snapshot(app: &TestApp, folder: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let names = |body: Value| -> Vec<String> {
        let mut names: Vec<String> = (body["entries"].as_array().unwrap().iter())
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    let mut bob = root_names(app, BOB).await;
    bob.sort();
    (
        names(get(app, &format!("/2.0/folders/{folder}/items")).await.body),
        names(get(app, "/2.0/folders/0/items").await.body),
        bob,
    )
}

/// A granted read is the real thing: the file itself, a preflight's upload URL, a download link
/// that serves the file's bytes to anyone holding it, a zip download's URLs.
async fn granted(app: &TestApp, reply: &Reply, status: u16, file: &str, case: &str) {
    match status {
        200 if reply.body["type"] == "file" => assert_eq!(reply.body["id"], file, "{case}"),
        200 => {
            let url = format!("{}/api/2.0/files/{file}/content", app.emulator.uri());
            assert_eq!(reply.body, json!({ "upload_url": url }), "{case}");
        }
        302 => {
            let link = reply.header("location").to_owned();
            let served = crate::support::send(app.client.get(link)).await;
            assert_eq!(
                (served.status.as_u16(), &served.bytes[..]),
                (200, &b"hello"[..]),
                "{case}"
            );
        }
        202 => {
            for url in ["download_url", "status_url"] {
                assert!(reply.body[url].is_string(), "{case}: {}", reply.body);
            }
        }
        403 => {}
        other => panic!("{case}: no check for {other}"),
    }
}

#[tokio::test]
async fn each_role_may_do_what_its_rights_allow_whatever_the_method() {
    for (column, role) in ROLES.into_iter().enumerate() {
        // Arrange: Bob collaborates on `Shared` with the role.
        let app = spawn().start().await;
        let (f, a) = shared_folder(&app).await;
        let bob = bob_on(&app, &f, role).await;

        for (why, method, path, body, statuses) in rows() {
            let path = path.replace("{a}", &a).replace("{f}", &f);
            let body = serde_json::from_str::<Value>(
                &body.to_string().replace("{a}", &a).replace("{f}", &f),
            )
            .unwrap();
            let before = snapshot(&app, &f).await;

            // Act
            let reply = as_user(
                &app,
                BOB,
                method,
                &path,
                Some(body).filter(|b| !b.is_null()),
            )
            .await;

            // Assert: the status the role's rights give, a refusal with Box's whole envelope and
            // nothing changed.
            let case = format!("{role}: {why}");
            let expected = statuses[column];
            assert_eq!(reply.status.as_u16(), expected, "{case}: {}", reply.body);
            let after = snapshot(&app, &f).await;
            if expected == 403 {
                assert_eq!(
                    reply.body,
                    insufficient_permission(reply.body["request_id"].as_str().unwrap()),
                    "{case}"
                );
            }
            if expected != 201 {
                assert_eq!(after, before, "{case}: nothing changes");
                granted(&app, &reply, expected, &a, &case).await;
                continue;
            }
            // A copy is Bob's where it lands: in his root, only his root gains it; in the shared
            // folder, only the folder does, as the owner's.
            let name = reply.body["name"].as_str().unwrap().to_owned();
            let mut expected_after = before.clone();
            let owner = match reply.body["parent"]["id"].as_str() {
                Some("0") => {
                    expected_after.2.push(name.clone());
                    expected_after.2.sort();
                    user_mini(&bob)
                }
                _ => {
                    expected_after.0.push(name.clone());
                    expected_after.0.sort();
                    user(&app)
                }
            };
            assert_eq!(after, expected_after, "{case}");
            assert_eq!(reply.body["owned_by"], owner, "{case}");
            assert_eq!(reply.body["created_by"], user_mini(&bob), "{case}");
        }
    }
}

#[tokio::test]
async fn a_viewers_copy_into_their_root_is_a_file_of_their_own_with_the_sources_bytes() {
    // Arrange
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = bob_on(&app, &f, "viewer").await;

    // Act
    let copied = as_user(
        &app,
        BOB,
        Method::POST,
        &format!("/2.0/files/{a}/copy"),
        Some(json!({"parent": {"id": "0"}})),
    )
    .await;

    // Assert: the whole file, in Bob's root, made and owned by him.
    assert_eq!(copied.status, StatusCode::CREATED, "{}", copied.body);
    let id = copied.body["id"].as_str().unwrap().to_owned();
    let bob_user = user_mini(&bob);
    let expected = ExpectedFile {
        id: &id,
        etag: 0,
        name: "a.txt",
        content: b"hello",
        version_id: copied.body["file_version"]["id"].as_str().unwrap(),
        path: vec![root_mini()],
        user: &bob_user,
    }
    .json();
    assert_eq!(copied.body, expected);
    // Read back: Bob reads and downloads his copy; to the owner it is another user's, so absent.
    let read = as_user(&app, BOB, Method::GET, &format!("/2.0/files/{id}"), None).await;
    assert_eq!((read.status, &read.body), (StatusCode::OK, &expected));
    let bytes = crate::box_collaborations::download(&app, BOB, &id).await;
    assert_eq!(bytes, (StatusCode::FOUND, b"hello".to_vec()));
    let owner_reads = get(&app, &format!("/2.0/files/{id}")).await;
    assert_eq!(owner_reads.status, StatusCode::NOT_FOUND);
    let mut bob_root = root_names(&app, BOB).await;
    bob_root.sort();
    assert_eq!(bob_root, ["Shared", "a.txt"]);
}

#[tokio::test]
async fn a_viewer_zips_the_shared_folder_beside_a_folder_of_their_own() {
    // Arrange: Bob views `Shared` (holding a.txt) and has an empty folder `Mine`.
    let app = spawn().start().await;
    let (f, _) = shared_folder(&app).await;
    bob_on(&app, &f, "viewer").await;
    let mine = json!({"name": "Mine", "parent": {"id": "0"}});
    let mine = as_user(&app, BOB, Method::POST, "/2.0/folders", Some(mine)).await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);

    // Act
    let items = json!({"items": [{"type": "folder", "id": f},
                                 {"type": "folder", "id": mine.body["id"]}]});
    let made = as_user(&app, BOB, Method::POST, "/2.0/zip_downloads", Some(items)).await;

    // Assert: one archive with both trees, the shared file's bytes from the owner's tree.
    assert_eq!(made.status, StatusCode::ACCEPTED, "{}", made.body);
    assert_eq!(made.body["name_conflicts"], json!([]));
    let archive = crate::box_zip_downloads::read_archive(&app, &made.body).await;
    assert_eq!(archive.status, StatusCode::OK);
    let entries = crate::box_zip_downloads::unzip(&archive.bytes);
    let expected: Vec<(String, Vec<u8>)> = vec![
        ("Shared/".into(), vec![]),
        ("Shared/a.txt".into(), b"hello".to_vec()),
        ("Mine/".into(), vec![]),
    ];
    assert_eq!(entries, expected);
}

#[tokio::test]
async fn a_viewer_on_the_folder_who_uploads_to_a_file_in_it_may_do_both() {
    // Arrange: Bob views `Shared` and is an uploader on its `a.txt`: neither role alone both
    // downloads and writes the file.
    let app = spawn().start().await;
    let (f, a) = shared_folder(&app).await;
    let bob = who(&app, BOB).await;
    let on_file = json!({"item": {"type": "file", "id": a},
                         "accessible_by": {"type": "user", "id": bob.0}, "role": "uploader"});
    for body in [on_folder(&f, &bob.2, "viewer"), on_file] {
        let made = collaborate(&app, body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }

    // Act
    let downloaded = crate::box_collaborations::download(&app, BOB, &a).await;
    let path = format!("/2.0/files/{a}/content");
    let preflight = as_user(&app, BOB, Method::OPTIONS, &path, Some(json!({"size": 3}))).await;

    // Assert: he downloads (as a viewer) and may send a new version (as an uploader).
    assert_eq!(downloaded, (StatusCode::FOUND, b"hello".to_vec()));
    assert_eq!(preflight.status, StatusCode::OK, "{}", preflight.body);
    assert_eq!(
        preflight.body,
        json!({"upload_url": app.url(&format!("/api/2.0/files/{a}/content"))})
    );
}

#[tokio::test]
async fn a_viewers_copy_is_kept_as_theirs_across_a_restart() {
    // Arrange: a viewer's copy into his root, on a data dir, then a restart.
    let dir = crate::box_users::temp_dir();
    let app = spawn().data_dir(dir.to_path_buf()).start().await;
    let (f, a) = shared_folder(&app).await;
    bob_on(&app, &f, "viewer").await;
    let path = format!("/2.0/files/{a}/copy");
    let copied = as_user(
        &app,
        BOB,
        Method::POST,
        &path,
        Some(json!({"parent": {"id": "0"}})),
    )
    .await;
    assert_eq!(copied.status, StatusCode::CREATED, "{}", copied.body);
    let id = copied.body["id"].as_str().unwrap().to_owned();
    drop(app);

    // Act
    let app = crate::box_users::restart(|| spawn().data_dir(dir.to_path_buf())).await;
    let read = as_user(&app, BOB, Method::GET, &format!("/2.0/files/{id}"), None).await;
    // (The restarted app's client follows the download's redirect.)
    let content = format!("/2.0/files/{id}/content");
    let downloaded = as_user(&app, BOB, Method::GET, &content, None).await;

    // Assert: the same file, his, with the source's bytes.
    assert_eq!((read.status, &read.body), (StatusCode::OK, &copied.body));
    assert_eq!(
        (downloaded.status, downloaded.bytes.to_vec()),
        (StatusCode::OK, b"hello".to_vec())
    );
}
