//! Box's copy: `POST /2.0/files/{id}/copy` makes a new file with one version (of the current
//! bytes, or of the `version` named), `POST /2.0/folders/{id}/copy` the whole tree; each reply is
//! checked whole and against Box's OpenAPI shapes, then read back, and every refusal is a Box
//! envelope with the state unchanged; a fault rule answers a copy like any route, and the
//! journal records it with the item it made.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{send, spawn, TestApp};

/// A refusal: why, the path, the body (`Null` for none), the status, the reply by request id.
type Case = (&'static str, String, Value, u16, Box<dyn Fn(&str) -> Value>);

async fn copy(app: &TestApp, path: &str, body: Value) -> Reply {
    send_json(app, Method::POST, path, body).await
}

fn folder_mini(id: &str, name: &str) -> Value {
    json!({"type": "folder", "id": id, "sequence_id": "0", "etag": "0", "name": name})
}

fn file_mini(id: &str, version: &str, content: &[u8], name: &str) -> Value {
    let sha1 = sha1(content);
    json!({
        "type": "file", "id": id,
        "file_version": {"type": "file_version", "id": version, "sha1": sha1},
        "sequence_id": "0", "etag": "0", "sha1": sha1, "name": name,
    })
}

#[tokio::test]
async fn a_file_copy_is_a_new_file_with_one_version_of_the_current_or_the_named_bytes() {
    // Arrange: a.txt with two versions, and a folder to copy into.
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let first = id(&file["file_version"]).to_owned();
    upload_version(&app, &f, b"two").await;
    let dest = create_folder(&app, "0", "Dest").await;
    let d = id(&dest).to_owned();
    let me = user(&app);

    // Act
    let current = copy(
        &app,
        &format!("/2.0/files/{f}/copy"),
        json!({"parent": {"id": d}, "name": "b.txt"}),
    )
    .await;
    let older = copy(
        &app,
        &format!("/2.0/files/{f}/copy"),
        json!({"parent": {"id": "0"}, "name": "c.txt", "version": first}),
    )
    .await;

    // Assert: new ids, one version each, the bytes asked for.
    assert_eq!(current.status, StatusCode::CREATED);
    let expected = ExpectedFile {
        id: "1000000004",
        etag: 0,
        name: "b.txt",
        content: b"two",
        version_id: "5000000003",
        path: vec![root_mini(), folder_mini("1000000003", "Dest")],
        user: &me,
    };
    assert_eq!(current.body, expected.json());
    assert_file_shape(&current.body);
    assert_eq!(older.status, StatusCode::CREATED);
    let expected = ExpectedFile {
        id: "1000000005",
        etag: 0,
        name: "c.txt",
        content: b"one",
        version_id: "5000000004",
        path: vec![root_mini()],
        user: &me,
    };
    assert_eq!(older.body, expected.json());
    assert_file_shape(&older.body);
    // Read back: the copy has no earlier version and serves its bytes; the source is unchanged.
    let versions = list_versions(&app, "1000000004").await;
    assert_eq!(versions["total_count"], 0);
    let download = send(request(&app, Method::GET, "/2.0/files/1000000005/content")).await;
    assert_eq!(download.status, StatusCode::FOUND);
    let location = download.headers["location"].to_str().unwrap().to_owned();
    let bytes = app.client.get(location).send().await.unwrap().bytes().await;
    assert_eq!(&bytes.unwrap()[..], b"one");
    let source = list_versions(&app, &f).await;
    assert_eq!(source["total_count"], 1);
    let Reply { body: read, .. } = get(&app, &format!("/2.0/files/{f}?fields=name")).await;
    assert_eq!(
        read,
        json!({"type": "file", "id": f, "etag": "1", "name": "a.txt"})
    );
}

#[tokio::test]
async fn a_folder_copy_copies_everything_not_trashed_and_lists_it() {
    // Arrange: F holds a.txt and sub/b.txt, and gone.txt in the trash.
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "F").await;
    let f = id(&folder).to_owned();
    upload(&app, &f, "a.txt", b"A").await;
    let sub = create_folder(&app, &f, "sub").await;
    upload(&app, id(&sub), "b.txt", b"B").await;
    let gone = upload(&app, &f, "gone.txt", b"gone").await;
    let trashed = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{}", id(&gone)),
    ))
    .await;
    assert_eq!(trashed.status, StatusCode::NO_CONTENT);
    let me = user(&app);

    // Act
    let Reply { status, body, .. } = copy(
        &app,
        &format!("/2.0/folders/{f}/copy"),
        json!({"parent": {"id": "0"}, "name": "G"}),
    )
    .await;

    // Assert: the new folder, its children listed as `GET /folders/{id}` lists them.
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        body,
        json!({
            "type": "folder", "id": "1000000007", "sequence_id": "0", "etag": "0", "name": "G",
            "created_at": at(0), "modified_at": at(0), "description": "", "size": 2,
            "path_collection": {"total_count": 1, "entries": [root_mini()]},
            "created_by": me, "modified_by": me,
            "trashed_at": null, "purged_at": null,
            "content_created_at": at(0), "content_modified_at": at(0),
            "owned_by": me, "shared_link": null, "folder_upload_email": null,
            "parent": root_mini(), "item_status": "active",
            "item_collection": {
                "total_count": 2,
                "entries": [
                    folder_mini("1000000009", "sub"),
                    file_mini("1000000008", "5000000004", b"A", "a.txt"),
                ],
                "offset": 0, "limit": 100,
                "order": [{"by": "type", "direction": "ASC"}, {"by": "name", "direction": "ASC"}],
            },
        })
    );
    assert_folder_shape(&body);
    // Read back: the copy's subfolder holds its copy of b.txt; the source keeps its own.
    let Reply { body: inner, .. } = get(&app, "/2.0/folders/1000000009/items").await;
    assert_eq!(
        inner["entries"],
        json!([file_mini("1000000010", "5000000005", b"B", "b.txt")])
    );
    let Reply { body: source, .. } = get(&app, &format!("/2.0/folders/{f}/items")).await;
    assert_eq!(source["total_count"], 2);
    assert_eq!(source["entries"][0]["id"], id(&sub));
}

#[tokio::test]
async fn copies_box_refuses_answer_its_envelope_and_change_nothing() {
    // Arrange: F holds a.txt (two versions, the first trashed) and sub; b.txt is another file.
    let app = spawn().start().await;
    let folder = create_folder(&app, "0", "F").await;
    let f = id(&folder).to_owned();
    let file = upload(&app, &f, "a.txt", b"one").await;
    let a = id(&file).to_owned();
    let first = id(&file["file_version"]).to_owned();
    upload_version(&app, &a, b"two").await;
    let trash_version = format!("/2.0/files/{a}/versions/{first}");
    let trashed = send(request(&app, Method::DELETE, &trash_version)).await;
    assert_eq!(trashed.status, StatusCode::NO_CONTENT);
    let sub = create_folder(&app, &f, "sub").await;
    let s = id(&sub).to_owned();
    let other = upload(&app, "0", "b.txt", b"b").await;
    let other_version = id(&other["file_version"]).to_owned();
    let file_copy = format!("/2.0/files/{a}/copy");
    let folder_copy = format!("/2.0/folders/{f}/copy");
    let in_f = json!({"parent": {"id": f}});
    let a_mini = file_mini(&a, "5000000002", b"two", "a.txt");
    let a_mini = {
        let mut mini = a_mini;
        mini["etag"] = json!("1");
        mini["sequence_id"] = json!("1");
        mini
    };
    let cases: Vec<Case> = vec![
        (
            "a file copied into its own folder keeps its name, which is taken: one conflict",
            file_copy.clone(),
            in_f.clone(),
            409,
            Box::new(move |rid| name_in_use(rid, a_mini.clone())),
        ),
        (
            "a folder copied beside itself: the conflict in a list",
            folder_copy.clone(),
            json!({"parent": {"id": "0"}}),
            409,
            Box::new({
                let f = f.clone();
                move |rid| name_in_use(rid, json!([folder_mini(&f, "F")]))
            }),
        ),
        (
            "a folder copied into itself",
            folder_copy.clone(),
            json!({"parent": {"id": f}, "name": "G"}),
            400,
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "cyclical_folder_structure",
                    "Folder cannot be copied into itself or a folder below it",
                    None,
                )
            }),
        ),
        (
            "a folder copied below itself",
            folder_copy.clone(),
            json!({"parent": {"id": s}, "name": "G"}),
            400,
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "cyclical_folder_structure",
                    "Folder cannot be copied into itself or a folder below it",
                    None,
                )
            }),
        ),
        (
            "the root folder",
            "/2.0/folders/0/copy".to_owned(),
            json!({"parent": {"id": f}}),
            400,
            Box::new(|rid| {
                bad_request(
                    rid,
                    "invalid_parameter",
                    "folder_id",
                    "Invalid value '0'. The root folder cannot be copied.",
                )
            }),
        ),
        (
            "no parent",
            file_copy.clone(),
            json!({"name": "x.txt"}),
            400,
            Box::new(|rid| bad_request(rid, "missing_parameter", "parent", "'parent' is required")),
        ),
        (
            "no body",
            folder_copy.clone(),
            Value::Null,
            400,
            Box::new(|rid| bad_request(rid, "missing_parameter", "parent", "'parent' is required")),
        ),
        (
            "an unknown file",
            "/2.0/files/999/copy".to_owned(),
            json!({"parent": {"id": "0"}}),
            404,
            Box::new(not_found),
        ),
        (
            "an unknown destination",
            file_copy.clone(),
            json!({"parent": {"id": "999"}}),
            404,
            Box::new(not_found),
        ),
        (
            "a file as the destination",
            file_copy.clone(),
            json!({"parent": {"id": other["id"]}, "name": "x.txt"}),
            404,
            Box::new(not_found),
        ),
        (
            "a version of another file",
            file_copy.clone(),
            json!({"parent": {"id": "0"}, "version": other_version}),
            404,
            Box::new(not_found),
        ),
        (
            "a trashed version",
            file_copy.clone(),
            json!({"parent": {"id": "0"}, "version": first}),
            404,
            Box::new(not_found),
        ),
        (
            "a folder as a file",
            format!("/2.0/files/{f}/copy"),
            json!({"parent": {"id": "0"}, "name": "x"}),
            404,
            Box::new(not_found),
        ),
        (
            "a file copy's name that is only what Box strips",
            file_copy.clone(),
            json!({"parent": {"id": "0"}, "name": "/\\"}),
            400,
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "item_name_invalid",
                    "Item name invalid",
                    Some(json!({"errors": [{
                        "reason": "invalid_parameter", "name": "name",
                        "message": "\"\": the name is empty",
                    }]})),
                )
            }),
        ),
        (
            "a folder copy's name with a slash, which Box refuses",
            folder_copy.clone(),
            json!({"parent": {"id": "0"}, "name": "a/b"}),
            400,
            Box::new(|rid| {
                error_json(
                    rid,
                    400,
                    "item_name_invalid",
                    "Item name invalid",
                    Some(json!({"errors": [{
                        "reason": "invalid_parameter", "name": "name",
                        "message": "\"a/b\": the name contains a character that is not allowed",
                    }]})),
                )
            }),
        ),
        (
            "a non-numeric id routes nowhere",
            "/2.0/files/abc/copy".to_owned(),
            json!({"parent": {"id": "0"}}),
            405,
            Box::new(method_not_allowed),
        ),
    ];
    let ids = [
        "vwg6yy95fp0e33t8",
        "ycktnh30wucomkh9",
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
        "oinuhub5cwlx1v41",
        "lyz8s2axjhem3eke",
        "zzdtobihk4nv2tyy",
        "d1d7ify2mh7z2bb7",
        "biar33sk4udo1rep",
        "py37c8n589do1au7",
        "vwttn8ywrcqa10p8",
        "auky7qyzrpns0b00",
        "lsdp7mrn36v93vyi",
        "yr6gg79x1zii3ern",
    ];
    for ((case, path, body, status, expected), request_id) in
        crate::support::with_request_ids(cases, ids)
    {
        // Act
        let builder = request(&app, Method::POST, &path);
        let builder = match body {
            Value::Null => builder,
            body => builder.json(&body),
        };
        let reply = send(builder).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {}", reply.body);
        assert_eq!(reply.body, expected(request_id), "{case}");
    }
    // Read back: nothing was made.
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items?fields=name").await;
    assert_eq!(root["total_count"], 2, "{root}");
    let Reply { body: inside, .. } = get(&app, &format!("/2.0/folders/{f}/items")).await;
    assert_eq!(inside["total_count"], 2, "{inside}");
}

#[tokio::test]
async fn another_users_file_cannot_be_copied_and_a_trashed_one_is_404_trashed() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let stranger = app
        .client
        .post(app.url(&format!("/2.0/files/{f}/copy")))
        .bearer_auth("someone-else")
        .json(&json!({"parent": {"id": "0"}}));
    let trashed = upload(&app, "0", "t.txt", b"t").await;
    let t = id(&trashed).to_owned();
    send(request(&app, Method::DELETE, &format!("/2.0/files/{t}"))).await;

    // Act
    let theirs = send(stranger).await;
    let in_trash = copy(
        &app,
        &format!("/2.0/files/{t}/copy"),
        json!({"parent": {"id": "0"}, "name": "u.txt"}),
    )
    .await;

    // Assert
    assert_eq!(
        (theirs.status, theirs.body),
        (StatusCode::NOT_FOUND, not_found("jy7327635gmk3m5w"))
    );
    assert_eq!(
        (in_trash.status, in_trash.body),
        (
            StatusCode::NOT_FOUND,
            error_json("d95it76emao82qkv", 404, "trashed", "Item is trashed", None)
        )
    );
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items").await;
    assert_eq!(root["total_count"], 1);
}

#[tokio::test]
async fn a_fault_rule_answers_a_copy_in_boxs_envelope_and_the_journal_records_both_tries() {
    // Arrange: Box's 409 for a tree another operation holds, once.
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let rule = app
        .client
        .post(app.url("/__admin/faults"))
        .json(&json!({
            "match": {"api": "box", "method": "POST", "path": "*/copy"},
            "action": {"type": "error", "status": 409, "code": "operation_blocked_temporary",
                       "message": "The operation is blocked by another ongoing operation."},
            "times": 1
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(rule.status(), 201);
    let path = format!("/2.0/files/{f}/copy");
    let body = json!({"parent": {"id": "0"}, "name": "b.txt"});

    // Act
    let blocked = copy(&app, &path, body.clone()).await;
    let retried = copy(&app, &path, body).await;
    let journal: Value = app
        .client
        .get(app.url("/__admin/requests?path_prefix=/2.0/files/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    // Assert: the fault answered first and copied nothing; the retry made the copy.
    assert_eq!(
        (blocked.status, blocked.body),
        (
            StatusCode::CONFLICT,
            error_json(
                "vyh6gf7h6pw8mme7",
                409,
                "operation_blocked_temporary",
                "The operation is blocked by another ongoing operation.",
                None,
            )
        )
    );
    assert_eq!(retried.status, StatusCode::CREATED);
    assert_eq!(retried.body["id"], "1000000003");
    let entries: Vec<Value> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"] == path.as_str())
        .map(|e| json!([e["status"], e["fault"], e["item"]]))
        .collect();
    assert_eq!(
        entries,
        [json!([409, 1, null]), json!([201, null, 1000000003])]
    );
    let Reply { body: root, .. } = get(&app, "/2.0/folders/0/items?fields=name").await;
    assert_eq!(root["total_count"], 2);
}
