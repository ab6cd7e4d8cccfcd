//! Box comments on files (`POST /2.0/comments`, `GET/PUT/DELETE /2.0/comments/{id}`, `GET
//! /2.0/files/{id}/comments`): made on a file or as a reply, listed oldest first with replies,
//! edited, deleted, counted in the file's `comment_count`; gone with their file; another user's
//! out of reach; every bad request refused whole.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// A bad request: why, method, path, body (`null`: none), status, and the parameter Box names
/// (`""` as its message: missing; no parameter: a 404, or an error whose text is only checked
/// against the envelope).
type Case = (
    &'static str,
    Method,
    String,
    Value,
    StatusCode,
    Option<(&'static str, &'static str)>,
);

async fn post_comment(app: &TestApp, body: Value) -> Reply {
    send_json(app, Method::POST, "/2.0/comments", body).await
}

async fn advance_clock(app: &TestApp, seconds: i64) {
    let reply = send(
        app.client
            .post(app.url("/__admin/clock"))
            .json(&json!({"advance_seconds": seconds})),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

/// A comment as Box shows it by default, made by the test user.
fn comment_json(app: &TestApp, id: &str, file: &str, message: &str, reply: bool) -> Value {
    json!({
        "type": "comment",
        "id": id,
        "is_reply_comment": reply,
        "message": message,
        "created_by": user(app),
        "created_at": at(0),
        "modified_at": at(0),
        "item": {"id": file, "type": "file"},
    })
}

fn on_file(file: &str, message: &str) -> Value {
    json!({"message": message, "item": {"type": "file", "id": file}})
}

/// Everything a failed request could have changed: the file's comments and its count.
async fn snapshot(app: &TestApp, file: &str) -> (Value, Value) {
    let list = get(app, &format!("/2.0/files/{file}/comments")).await.body;
    let count = get(app, &format!("/2.0/files/{file}?fields=comment_count"))
        .await
        .body;
    (list, count)
}

#[tokio::test]
async fn a_comment_and_a_reply_are_made_listed_oldest_first_and_counted_on_the_file() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act
    let made = post_comment(&app, on_file(&f, "Hello there!")).await;
    let reply = post_comment(
        &app,
        json!({"message": "A reply", "item": {"type": "comment", "id": made.body["id"]}}),
    )
    .await;
    let listed = get(&app, &format!("/2.0/files/{f}/comments")).await;
    let read = get(&app, "/2.0/comments/2").await;
    let counted = get(&app, &format!("/2.0/files/{f}?fields=comment_count")).await;

    // Assert: a reply names the file, not the comment it answers.
    let first = comment_json(&app, "1", &f, "Hello there!", false);
    let second = comment_json(&app, "2", &f, "A reply", true);
    assert_eq!((made.status, &made.body), (StatusCode::CREATED, &first));
    assert_comment_shape(&made.body);
    assert_eq!((reply.status, &reply.body), (StatusCode::CREATED, &second));
    assert_eq!(
        (listed.status, &listed.body),
        (
            StatusCode::OK,
            &json!({"total_count": 2, "entries": [first, second], "offset": 0, "limit": 100})
        )
    );
    assert_comments_shape(&listed.body);
    assert_eq!((read.status, &read.body), (StatusCode::OK, &second));
    assert_eq!(
        counted.body,
        json!({"type": "file", "id": f, "etag": "0", "comment_count": 2})
    );
}

#[tokio::test]
async fn a_fresh_file_has_no_comments_and_a_count_of_zero() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act
    let (list, count) = snapshot(&app, &f).await;

    // Assert
    assert_eq!(
        list,
        json!({"total_count": 0, "entries": [], "offset": 0, "limit": 100})
    );
    assert_eq!(count["comment_count"], 0);
}

#[tokio::test]
async fn a_tagged_comment_shows_its_mentions_as_names_and_fields_show_the_tagged_text() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let tagged = "@[1234:Other User] Looks good!";

    // Act
    let made = post_comment(
        &app,
        json!({"tagged_message": tagged, "item": {"type": "file", "id": f}}),
    )
    .await;
    let full = get(&app, "/2.0/comments/1?fields=tagged_message,message").await;
    let plain = post_comment(&app, on_file(&f, "no mention")).await;
    let plain_full = get(&app, "/2.0/comments/2?fields=tagged_message").await;

    // Assert
    assert_eq!(
        (made.status, &made.body),
        (
            StatusCode::CREATED,
            &comment_json(&app, "1", &f, "Other User Looks good!", false)
        )
    );
    assert_eq!(
        full.body,
        json!({"type": "comment", "id": "1", "message": "Other User Looks good!", "tagged_message": tagged})
    );
    let every = "is_reply_comment,message,tagged_message,created_by,created_at,modified_at,item";
    let whole = get(&app, &format!("/2.0/comments/1?fields={every}")).await;
    let mut expected = comment_json(&app, "1", &f, "Other User Looks good!", false);
    expected["tagged_message"] = json!(tagged);
    assert_eq!(whole.body, expected, "Comment--Full");
    assert_comment_shape(&whole.body);
    assert_eq!(plain.status, StatusCode::CREATED);
    assert_eq!(
        plain_full.body,
        json!({"type": "comment", "id": "2", "tagged_message": "no mention"})
    );
}

#[tokio::test]
async fn a_comment_is_edited_then_deleted_and_is_then_not_found() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    post_comment(&app, on_file(&f, "first")).await;
    post_comment(&app, on_file(&f, "second")).await;
    advance_clock(&app, 60).await;

    // Act
    let edited = send_json(
        &app,
        Method::PUT,
        "/2.0/comments/1",
        json!({"message": "first, edited"}),
    )
    .await;
    let read = get(&app, "/2.0/comments/1").await;
    let deleted = send(request(&app, Method::DELETE, "/2.0/comments/1")).await;
    let gone = get(&app, "/2.0/comments/1").await;
    let (list, count) = snapshot(&app, &f).await;

    // Assert: the edit moves `modified_at` only.
    let mut expected = comment_json(&app, "1", &f, "first, edited", false);
    expected["modified_at"] = json!(at(60));
    assert_eq!((edited.status, &edited.body), (StatusCode::OK, &expected));
    assert_comment_shape(&edited.body);
    assert_eq!(read.body, expected);
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.bytes.is_empty());
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        gone.body,
        not_found(gone.body["request_id"].as_str().unwrap())
    );
    assert_eq!(
        list,
        json!({
            "total_count": 1,
            "entries": [comment_json(&app, "2", &f, "second", false)],
            "offset": 0,
            "limit": 100,
        })
    );
    assert_eq!(count["comment_count"], 1);
}

#[tokio::test]
async fn comments_page_by_offset_and_limit() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    for n in 1..=3 {
        post_comment(&app, on_file(&f, &format!("c{n}"))).await;
    }

    // Act
    let page = get(&app, &format!("/2.0/files/{f}/comments?offset=1&limit=1")).await;
    let past = get(
        &app,
        &format!("/2.0/files/{f}/comments?offset=5&limit=5000"),
    )
    .await;
    let fields = get(
        &app,
        &format!("/2.0/files/{f}/comments?limit=1&fields=message"),
    )
    .await;

    // Assert: a limit above 1000 is clamped, as Box's offset paging does.
    assert_eq!(
        (page.status, page.body),
        (
            StatusCode::OK,
            json!({"total_count": 3, "entries": [comment_json(&app, "2", &f, "c2", false)], "offset": 1, "limit": 1})
        )
    );
    assert_eq!(
        past.body,
        json!({"total_count": 3, "entries": [], "offset": 5, "limit": 1000})
    );
    assert_eq!(
        fields.body["entries"],
        json!([{"type": "comment", "id": "1", "message": "c1"}])
    );
}

#[tokio::test]
async fn every_bad_comment_request_is_refused_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    post_comment(&app, on_file(&f, "kept")).await;
    let long = "x".repeat(10_001);
    let bad = |name: &'static str, message: &'static str| Some((name, message));
    let missing = |name: &'static str| Some((name, ""));
    let cases: Vec<Case> = vec![
        (
            "no message",
            Method::POST,
            "/2.0/comments".into(),
            json!({"item": {"type": "file", "id": f}}),
            StatusCode::BAD_REQUEST,
            missing("message"),
        ),
        (
            "no body",
            Method::POST,
            "/2.0/comments".into(),
            Value::Null,
            StatusCode::BAD_REQUEST,
            missing("message"),
        ),
        (
            "an empty message",
            Method::POST,
            "/2.0/comments".into(),
            on_file(&f, "  "),
            StatusCode::BAD_REQUEST,
            bad("message", "Invalid value. The comment is empty."),
        ),
        (
            "a message too long",
            Method::POST,
            "/2.0/comments".into(),
            on_file(&f, &long),
            StatusCode::BAD_REQUEST,
            bad(
                "message",
                "Invalid value. A comment may be at most 10000 characters long.",
            ),
        ),
        (
            "an empty tagged message",
            Method::POST,
            "/2.0/comments".into(),
            json!({"tagged_message": "", "item": {"type": "file", "id": f}}),
            StatusCode::BAD_REQUEST,
            bad("tagged_message", "Invalid value. The comment is empty."),
        ),
        (
            "no item",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": "x"}),
            StatusCode::BAD_REQUEST,
            missing("item"),
        ),
        (
            "an item without type",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": "x", "item": {"id": f}}),
            StatusCode::BAD_REQUEST,
            missing("item.type"),
        ),
        (
            "an item without id",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": "x", "item": {"type": "file"}}),
            StatusCode::BAD_REQUEST,
            missing("item.id"),
        ),
        (
            "an item of another type",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": "x", "item": {"type": "folder", "id": d}}),
            StatusCode::BAD_REQUEST,
            bad("item.type", "Invalid value. Expected 'file' or 'comment'."),
        ),
        (
            "a message that is not text",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": 5, "item": {"type": "file", "id": f}}),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "an unknown file",
            Method::POST,
            "/2.0/comments".into(),
            on_file("999999", "x"),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a folder as the file",
            Method::POST,
            "/2.0/comments".into(),
            on_file(&d, "x"),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a file id that is no number",
            Method::POST,
            "/2.0/comments".into(),
            on_file("abc", "x"),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a reply to an unknown comment",
            Method::POST,
            "/2.0/comments".into(),
            json!({"message": "x", "item": {"type": "comment", "id": "99"}}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "reading an unknown comment",
            Method::GET,
            "/2.0/comments/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "reading a comment id that is no number",
            Method::GET,
            "/2.0/comments/abc".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "editing an unknown comment",
            Method::PUT,
            "/2.0/comments/99".into(),
            json!({"message": "x"}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "an edit without message",
            Method::PUT,
            "/2.0/comments/1".into(),
            json!({}),
            StatusCode::BAD_REQUEST,
            missing("message"),
        ),
        (
            "an edit to an empty message",
            Method::PUT,
            "/2.0/comments/1".into(),
            json!({"message": ""}),
            StatusCode::BAD_REQUEST,
            bad("message", "Invalid value. The comment is empty."),
        ),
        (
            "an edit too long",
            Method::PUT,
            "/2.0/comments/1".into(),
            json!({"message": long}),
            StatusCode::BAD_REQUEST,
            bad(
                "message",
                "Invalid value. A comment may be at most 10000 characters long.",
            ),
        ),
        (
            "deleting an unknown comment",
            Method::DELETE,
            "/2.0/comments/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "listing an unknown file",
            Method::GET,
            "/2.0/files/999999/comments".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "listing a folder",
            Method::GET,
            format!("/2.0/files/{d}/comments"),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a bad limit",
            Method::GET,
            format!("/2.0/files/{f}/comments?limit=0"),
            Value::Null,
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "an offset past 10000",
            Method::GET,
            format!("/2.0/files/{f}/comments?offset=10001"),
            Value::Null,
            StatusCode::BAD_REQUEST,
            bad(
                "offset",
                "Invalid value '10001'. The offset must not exceed 10000.",
            ),
        ),
    ];
    let before = snapshot(&app, &f).await;
    for (case, method, path, body, status, param) in cases {
        // Act and assert: the whole error, one case at a time.
        assert_refused(case, request(&app, method, &path), body, status, param).await;
    }
    // Read back: the one comment as it was.
    let after = snapshot(&app, &f).await;
    assert_eq!(after, before);
    assert_eq!(
        before.0["entries"],
        json!([comment_json(&app, "1", &f, "kept", false)])
    );
}

#[tokio::test]
async fn comments_go_with_their_file_and_a_trashed_files_are_out_of_reach() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    post_comment(&app, on_file(&f, "on a")).await;
    let other = upload(&app, "0", "b.txt", b"two").await;
    let o = id(&other).to_owned();
    post_comment(&app, on_file(&o, "on b")).await;

    // Act: trash the first file, then purge it.
    let trashed = send(request(&app, Method::DELETE, &format!("/2.0/files/{f}"))).await;
    let while_trashed = get(&app, "/2.0/comments/1").await;
    let list_trashed = get(&app, &format!("/2.0/files/{f}/comments")).await;
    let purged = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{f}/trash"),
    ))
    .await;
    let after_purge = get(&app, "/2.0/comments/1").await;
    let kept = get(&app, &format!("/2.0/files/{o}/comments")).await;

    // Assert
    assert_eq!(trashed.status, StatusCode::NO_CONTENT);
    assert_eq!(while_trashed.status, StatusCode::NOT_FOUND);
    assert_eq!(
        list_trashed.body["code"], "trashed",
        "a trashed file's routes answer 404 trashed"
    );
    assert_eq!(purged.status, StatusCode::NO_CONTENT);
    assert_eq!(after_purge.status, StatusCode::NOT_FOUND);
    assert_eq!(
        kept.body["entries"],
        json!([comment_json(&app, "2", &o, "on b", false)])
    );
}

#[tokio::test]
async fn another_user_reaches_no_comment_on_a_file_that_is_not_theirs() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    post_comment(&app, on_file(&f, "mine")).await;
    let before = snapshot(&app, &f).await;
    let other = |method: Method, path: &str| {
        app.client
            .request(method, app.url(path))
            .bearer_auth("another-users-token")
    };

    // Act
    let replies = [
        send(other(Method::GET, "/2.0/comments/1")).await,
        send(other(Method::PUT, "/2.0/comments/1").json(&json!({"message": "theirs"}))).await,
        send(other(Method::DELETE, "/2.0/comments/1")).await,
        send(other(Method::GET, &format!("/2.0/files/{f}/comments"))).await,
        send(other(Method::POST, "/2.0/comments").json(&on_file(&f, "theirs"))).await,
        send(
            other(Method::POST, "/2.0/comments")
                .json(&json!({"message": "x", "item": {"type": "comment", "id": "1"}})),
        )
        .await,
    ];

    // Assert: as absent as a comment that never was; nothing changed.
    replies.iter().for_each(assert_not_found);
    assert_eq!(snapshot(&app, &f).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_creates_lists_updates_and_deletes_a_comment() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_comments.py", &root).await;

    // Assert: the reply alone is left, read through the API.
    assert!(output.contains("box comments passed"), "{output}");
    let reply = send(
        app.client
            .get(app.url("/2.0/comments/2"))
            .bearer_auth("sdk-comments-token"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (&reply.body["message"], &reply.body["is_reply_comment"]),
        (&json!("A reply"), &json!(true))
    );
    let gone = send(
        app.client
            .get(app.url("/2.0/comments/1"))
            .bearer_auth("sdk-comments-token"),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_state_export_holds_comments_and_loads_back_equal() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    post_comment(&app, on_file(&f, "first")).await;
    let tagged = json!({"tagged_message": "@[7:Ada] look", "item": {"type": "comment", "id": "1"}});
    assert_eq!(post_comment(&app, tagged).await.status, StatusCode::CREATED);

    // Act
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let again = spawn().fixture(state.clone()).start().await;

    // Assert: the export's file carries them, and the loaded copy answers the same.
    let items = state["spaces"][0]["items"].as_array().unwrap();
    let exported = items.iter().find(|i| i["path"] == "a.txt").unwrap();
    let by = user(&app)["id"].clone();
    assert_eq!(
        exported["comments"],
        json!([
            {"id": 1, "message": "first", "is_reply_comment": false, "created_by": by,
             "created_at": crate::support::NOW, "modified_at": crate::support::NOW},
            {"id": 2, "message": "Ada look", "tagged_message": "@[7:Ada] look",
             "is_reply_comment": true, "created_by": by,
             "created_at": crate::support::NOW, "modified_at": crate::support::NOW},
        ])
    );
    for path in [
        format!("/2.0/files/{f}/comments"),
        "/2.0/comments/2?fields=tagged_message,is_reply_comment".to_owned(),
        format!("/2.0/files/{f}?fields=comment_count"),
    ] {
        assert_eq!(
            get(&again, &path).await.body,
            get(&app, &path).await.body,
            "{path}"
        );
    }
    let made_after = post_comment(&again, on_file(&f, "after")).await;
    assert_eq!(
        made_after.body["id"], "3",
        "new ids go on after the loaded ones"
    );
}

#[tokio::test]
async fn a_fixture_comment_that_is_empty_on_a_folder_or_with_a_taken_id_is_refused_whole() {
    let file = |comments: Value| json!({"type": "file", "path": "a.txt", "versions": [{"text": "x"}], "comments": comments});
    let cases = [
        ("an empty message", file(json!([{"message": " "}])), "a.txt"),
        (
            "a comment on a folder",
            json!({"type": "folder", "path": "F", "comments": [{"message": "x"}]}),
            "(F)",
        ),
        (
            "two comments with one id",
            file(json!([{"id": 4, "message": "x"}, {"id": 4, "message": "y"}])),
            "a.txt",
        ),
        (
            "an unknown author",
            file(json!([{"message": "x", "created_by": "nobody"}])),
            "a.txt",
        ),
    ];
    for (case, item, entry) in cases {
        let fixture = json!({
            "users": [{"id": "42", "tokens": ["ada-token"]}],
            "spaces": [{"face": "box", "owner": "42", "items": [item]}],
        });
        assert_fixture_refused(case, fixture, entry).await;
    }
}
