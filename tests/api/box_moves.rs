//! Box users (`GET /users/me`, `GET /users/{id}`) and renaming or moving files and folders
//! (`PUT /files/{id}`, `PUT /folders/{id}`).

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::spawn;

fn folder_mini(folder: &Value) -> Value {
    json!({"type": "folder", "id": folder["id"], "sequence_id": "0", "etag": "0", "name": folder["name"]})
}

/// A refused `PUT`, and the error it must get.
struct BadMove<'a> {
    case: &'a str,
    path: String,
    if_match: Option<&'a str>,
    body: Value,
    status: u16,
    code: &'a str,
    message: &'a str,
    context: Option<Value>,
}

impl<'a> BadMove<'a> {
    fn new(
        case: &'a str,
        path: &str,
        body: Value,
        status: u16,
        code: &'a str,
        message: &'a str,
    ) -> Self {
        Self {
            case,
            path: path.to_owned(),
            if_match: None,
            body,
            status,
            code,
            message,
            context: None,
        }
    }
}

#[tokio::test]
async fn users_me_is_the_signed_in_user_and_users_id_finds_them_again() {
    // Arrange
    let app = spawn().start().await;
    let mini = user(&app);
    upload(&app, "0", "a.txt", b"12345").await;

    // Act
    let Reply {
        status, body: me, ..
    } = get(&app, "/2.0/users/me").await;
    let Reply {
        status: by_id_status,
        body: by_id,
        ..
    } = get(
        &app,
        &format!("/2.0/users/{}", mini["id"].as_str().unwrap()),
    )
    .await;
    let Reply {
        status: unknown_status,
        body: unknown,
        ..
    } = get(&app, "/2.0/users/1").await;

    // Assert
    assert_eq!(status, 200);
    let expected = json!({
        "type": "user",
        "id": mini["id"],
        "name": mini["name"],
        "login": mini["login"],
        "created_at": at(0),
        "modified_at": at(0),
        "language": "en",
        "timezone": "UTC",
        "space_amount": 10_737_418_240_u64,
        "space_used": 5,
        "max_upload_size": 5_368_709_120_u64,
        "status": "active",
        "job_title": "",
        "phone": "",
        "address": "",
        "avatar_url": app.url(&format!("/2.0/users/{}/avatar", mini["id"].as_str().unwrap())),
        "notification_email": null,
    });
    assert_eq!(me, expected);
    assert_eq!((by_id_status, by_id), (status, expected));
    assert_eq!(unknown_status, 404);
    assert_eq!(unknown, not_found("jy7327635gmk3m5w"));
}

#[tokio::test]
async fn a_put_renames_and_moves_a_file_keeping_its_versions() {
    // Arrange
    let app = spawn().start().await;
    let user = user(&app);
    let target = create_folder(&app, "0", "Archive").await;
    let file = upload(&app, "0", "draft.txt", b"v1").await;
    let file = upload_version(&app, id(&file), b"v2").await;
    let f = id(&file).to_owned();
    let versions = list_versions(&app, &f).await;

    // Act
    let Reply { status, body, .. } = send(
        request(&app, Method::PUT, &format!("/2.0/files/{f}"))
            .header("if-match", "1")
            .json(&json!({"name": "final.txt", "parent": {"id": id(&target)}})),
    )
    .await;

    // Assert: a new etag and place, the same content and history.
    assert_eq!(status, 200, "{body}");
    let expected = ExpectedFile {
        id: "1000000003",
        etag: 2,
        name: "final.txt",
        content: b"v2",
        version_id: "5000000002",
        path: vec![root_mini(), folder_mini(&target)],
        user: &user,
    }
    .json();
    assert_eq!(body, expected);
    assert_file_shape(&body);
    assert_eq!(get(&app, &format!("/2.0/files/{f}")).await.body, expected);
    assert_eq!(list_versions(&app, &f).await, versions);
    let moved_in = upload(&app, "0", "draft.txt", b"a new draft").await;
    assert_ne!(id(&moved_in), f, "the old name is free in the root");
}

#[tokio::test]
async fn bad_renames_and_moves_are_refused_and_change_nothing() {
    // Arrange
    let app = spawn().start().await;
    let outer = create_folder(&app, "0", "Outer").await;
    let inner = create_folder(&app, id(&outer), "Inner").await;
    let file = upload(&app, "0", "a.txt", b"a").await;
    let other = upload(&app, "0", "b.txt", b"b").await;
    let f = id(&file).to_owned();
    let conflict = json!({"conflicts": {
        "type": "file", "id": id(&other), "file_version": other["file_version"],
        "sequence_id": "0", "etag": "0", "sha1": sha1(b"b"), "name": "b.txt",
    }});
    let file_path = format!("/2.0/files/{f}");
    let not_found =
        |case, path: &str, body| BadMove::new(case, path, body, 404, "not_found", "Not Found");
    let cases = [
        BadMove {
            context: Some(conflict),
            ..BadMove::new(
                "a name taken in the folder, in another case",
                &file_path,
                json!({"name": "B.TXT"}),
                409,
                "item_name_in_use",
                "Item with the same name already exists",
            )
        },
        BadMove {
            if_match: Some("7"),
            ..BadMove::new(
                "a stale If-Match",
                &file_path,
                json!({"name": "c.txt"}),
                412,
                "precondition_failed",
                "The resource has been modified. Retrieve the resource again and retry",
            )
        },
        BadMove {
            context: Some(
                json!({"errors": [{"reason": "invalid_parameter", "name": "name",
                "message": "\"x/y\": the name contains a character that is not allowed"}]}),
            ),
            ..BadMove::new(
                "a name with a slash",
                &file_path,
                json!({"name": "x/y"}),
                400,
                "item_name_invalid",
                "Item name invalid",
            )
        },
        not_found(
            "an unknown parent",
            &file_path,
            json!({"parent": {"id": "999"}}),
        ),
        not_found(
            "a file as parent",
            &file_path,
            json!({"parent": {"id": id(&other)}}),
        ),
        BadMove {
            context: Some(
                json!({"errors": [{"reason": "invalid_parameter", "name": "parent",
                "message": "Invalid value. A folder cannot be moved into itself or a folder below it."}]}),
            ),
            ..BadMove::new(
                "a folder into its own subfolder",
                &format!("/2.0/folders/{}", id(&outer)),
                json!({"parent": {"id": id(&inner)}}),
                400,
                "bad_request",
                "Bad Request",
            )
        },
        not_found(
            "a file id on the folder route",
            &format!("/2.0/folders/{f}"),
            json!({"name": "z"}),
        ),
    ];

    for (case, expected_id) in crate::support::with_request_ids(
        cases,
        [
            "d95it76emao82qkv",
            "bz54cz2iuj32wwyx",
            "vwg6yy95fp0e33t8",
            "ycktnh30wucomkh9",
            "ispcx3sevmwf24kd",
            "5nsjyz48o9wragcz",
            "auz3cuf5o5pf3leh",
        ],
    ) {
        // Act
        let mut builder = request(&app, Method::PUT, &case.path).json(&case.body);
        if let Some(etag) = case.if_match {
            builder = builder.header("if-match", etag);
        }
        let Reply {
            status,
            body: reply,
            ..
        } = send(builder).await;

        // Assert
        let what = case.case;
        assert_eq!(status, case.status, "{what}: {reply}");
        let expected = error_json(
            expected_id,
            case.status,
            case.code,
            case.message,
            case.context,
        );
        assert_eq!(reply, expected, "{what}");
    }
    assert_eq!(get(&app, &format!("/2.0/files/{f}")).await.body, file);
    // A folder read back also carries its first page of children.
    let mut outer = outer;
    outer["item_collection"] = json!({
        "total_count": 1,
        "entries": [{"type": "folder", "id": id(&inner), "sequence_id": "0", "etag": "0", "name": "Inner"}],
        "offset": 0,
        "limit": 100,
        "order": [{"by": "type", "direction": "ASC"}, {"by": "name", "direction": "ASC"}],
    });
    assert_eq!(
        get(&app, &format!("/2.0/folders/{}", id(&outer)))
            .await
            .body,
        outer
    );
}

#[tokio::test]
async fn a_moved_folder_takes_its_files_along() {
    // Arrange
    let app = spawn().start().await;
    let source = create_folder(&app, "0", "Source").await;
    let target = create_folder(&app, "0", "Target").await;
    let file = upload(&app, id(&source), "in.txt", b"in").await;

    // Act
    let Reply {
        status,
        body: moved,
        ..
    } = send_json(
        &app,
        Method::PUT,
        &format!("/2.0/folders/{}", id(&source)),
        json!({"parent": {"id": id(&target)}, "name": "Moved"}),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["name"], "Moved");
    assert_eq!(moved["etag"], "1");
    assert_eq!(moved["parent"], folder_mini(&target));
    let Reply { body: file, .. } = get(&app, &format!("/2.0/files/{}", id(&file))).await;
    let mut moved_mini = folder_mini(&source);
    moved_mini["name"] = json!("Moved");
    moved_mini["etag"] = json!("1");
    moved_mini["sequence_id"] = json!("1");
    assert_eq!(
        file["path_collection"]["entries"],
        json!([root_mini(), folder_mini(&target), moved_mini])
    );
}
