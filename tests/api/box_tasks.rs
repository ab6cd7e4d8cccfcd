//! Box tasks on files and their assignments (`POST /2.0/tasks`, `GET/PUT/DELETE
//! /2.0/tasks/{id}`, `GET /2.0/files/{id}/tasks`, `POST /2.0/task_assignments`,
//! `GET/PUT/DELETE /2.0/task_assignments/{id}`, `GET /2.0/tasks/{id}/assignments`): made,
//! assigned by id or login, resolved by the assignee, completed by their rule, edited and
//! deleted; gone with their file; another user's out of reach; every bad request refused whole.

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

async fn post_task(app: &TestApp, body: Value) -> Reply {
    send_json(app, Method::POST, "/2.0/tasks", body).await
}

async fn assign(app: &TestApp, task: &str, to: Value) -> Reply {
    let body = json!({"task": {"type": "task", "id": task}, "assign_to": to});
    send_json(app, Method::POST, "/2.0/task_assignments", body).await
}

/// Signs `token` in and answers its user as a user mini.
async fn other_user(app: &TestApp, token: &str) -> Value {
    let me = send(app.client.get(app.url("/2.0/users/me")).bearer_auth(token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    json!({"type": "user", "id": me.body["id"], "name": me.body["name"], "login": me.body["login"]})
}

/// The file as a task shows it (`File--Mini`).
fn file_mini(file: &Value) -> Value {
    json!({
        "type": "file",
        "id": file["id"],
        "etag": file["etag"],
        "sequence_id": file["sequence_id"],
        "name": file["name"],
        "sha1": file["sha1"],
        "file_version": file["file_version"],
    })
}

fn on_file(file: &str) -> Value {
    json!({"item": {"type": "file", "id": file}})
}

/// An assignment as Box shows it, made at `NOW` by the test user and not yet resolved.
fn assignment_json(app: &TestApp, id: &str, file: &Value, to: &Value, message: &str) -> Value {
    json!({
        "type": "task_assignment",
        "id": id,
        "item": file_mini(file),
        "assigned_to": to,
        "message": message,
        "completed_at": null,
        "assigned_at": at(0),
        "reminded_at": null,
        "resolution_state": "incomplete",
        "assigned_by": user(app),
    })
}

/// Everything a failed request could have changed: the file's tasks with their assignments.
async fn snapshot(app: &TestApp, file: &str) -> Value {
    get(app, &format!("/2.0/files/{file}/tasks")).await.body
}

#[tokio::test]
async fn a_task_is_made_read_and_listed_on_its_file_with_the_specs_defaults() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act
    let full = post_task(
        &app,
        json!({
            "item": {"type": "file", "id": f},
            "action": "complete",
            "message": "Please finish",
            "due_at": "2030-01-02T03:04:05-08:00",
            "completion_rule": "any_assignee",
        }),
    )
    .await;
    let bare = post_task(&app, on_file(&f)).await;
    let read = get(&app, "/2.0/tasks/1").await;
    let listed = get(&app, &format!("/2.0/files/{f}/tasks")).await;

    // Assert: the spec's defaults are `review`, `""`, no due date and `all_assignees`.
    let empty = json!({"total_count": 0, "entries": []});
    let first = json!({
        "type": "task",
        "id": "1",
        "item": file_mini(&file),
        "due_at": "2030-01-02T11:04:05+00:00",
        "action": "complete",
        "message": "Please finish",
        "task_assignment_collection": empty,
        "is_completed": false,
        "created_by": user(&app),
        "created_at": at(0),
        "completion_rule": "any_assignee",
    });
    let second = json!({
        "type": "task",
        "id": "2",
        "item": file_mini(&file),
        "due_at": null,
        "action": "review",
        "message": "",
        "task_assignment_collection": empty,
        "is_completed": false,
        "created_by": user(&app),
        "created_at": at(0),
        "completion_rule": "all_assignees",
    });
    assert_eq!((full.status, &full.body), (StatusCode::CREATED, &first));
    assert_task_shape(&full.body);
    assert_eq!((bare.status, &bare.body), (StatusCode::CREATED, &second));
    assert_eq!((read.status, &read.body), (StatusCode::OK, &first));
    assert_eq!(
        (listed.status, &listed.body),
        (
            StatusCode::OK,
            &json!({"total_count": 2, "entries": [first, second]})
        )
    );
    assert_tasks_shape(&listed.body);
}

#[tokio::test]
async fn a_task_is_assigned_by_id_and_login_resolved_by_its_assignee_and_completed_by_its_rule() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let bob = other_user(&app, "bob-token").await;
    let me = user(&app);
    let task = post_task(
        &app,
        json!({"item": {"type": "file", "id": f}, "message": "Look"}),
    )
    .await;
    assert_eq!(task.status, StatusCode::CREATED);

    // Act
    let mine = assign(&app, "1", json!({"id": me["id"]})).await;
    let bobs = assign(&app, "1", json!({"login": bob["login"]})).await;
    let resolved = send_json(
        &app,
        Method::PUT,
        "/2.0/task_assignments/1",
        json!({"resolution_state": "approved", "message": "Fine by me"}),
    )
    .await;
    let half_done = get(&app, "/2.0/tasks/1").await;
    let relaxed = send_json(
        &app,
        Method::PUT,
        "/2.0/tasks/1",
        json!({"completion_rule": "any_assignee", "message": "Look again"}),
    )
    .await;
    let listed = get(&app, "/2.0/tasks/1/assignments").await;

    // Assert: an assignment starts with the task's message; the assignee's answer sets
    // `completed_at`; one approval of two completes the task only under `any_assignee`.
    let first = assignment_json(&app, "1", &file, &me, "Look");
    let second = assignment_json(&app, "2", &file, &bob, "Look");
    assert_eq!((mine.status, &mine.body), (StatusCode::CREATED, &first));
    assert_task_assignment_shape(&mine.body);
    assert_eq!((bobs.status, &bobs.body), (StatusCode::CREATED, &second));
    let mut answered = first.clone();
    answered["resolution_state"] = json!("approved");
    answered["message"] = json!("Fine by me");
    answered["completed_at"] = json!(at(0));
    assert_eq!(
        (resolved.status, &resolved.body),
        (StatusCode::OK, &answered)
    );
    assert_task_assignment_shape(&resolved.body);
    let both = json!({"total_count": 2, "entries": [answered, second]});
    assert_eq!(half_done.body["task_assignment_collection"], both);
    assert_eq!(half_done.body["is_completed"], false, "all_assignees");
    assert_eq!(relaxed.status, StatusCode::OK, "{}", relaxed.body);
    assert_eq!(
        (
            &relaxed.body["is_completed"],
            &relaxed.body["completion_rule"],
            &relaxed.body["message"]
        ),
        (&json!(true), &json!("any_assignee"), &json!("Look again"))
    );
    assert_task_shape(&relaxed.body);
    assert_eq!((listed.status, &listed.body), (StatusCode::OK, &both));
    assert_task_assignments_shape(&listed.body);
}

#[tokio::test]
async fn an_assignment_and_then_its_task_are_deleted_and_are_then_not_found() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let me = user(&app);
    post_task(&app, on_file(&f)).await;
    assign(&app, "1", json!({"id": me["id"]})).await;
    assign(&app, "1", json!({"id": me["id"]})).await;

    // Act
    let unassigned = send(request(&app, Method::DELETE, "/2.0/task_assignments/1")).await;
    let gone = get(&app, "/2.0/task_assignments/1").await;
    let left = get(&app, "/2.0/tasks/1/assignments").await;
    let deleted = send(request(&app, Method::DELETE, "/2.0/tasks/1")).await;
    let task_gone = get(&app, "/2.0/tasks/1").await;
    let its_assignment_gone = get(&app, "/2.0/task_assignments/2").await;
    let listed = snapshot(&app, &f).await;

    // Assert
    assert_eq!(unassigned.status, StatusCode::NO_CONTENT);
    assert!(unassigned.bytes.is_empty());
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        left.body,
        json!({"total_count": 1, "entries": [assignment_json(&app, "2", &file, &me, "")]})
    );
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    [task_gone, its_assignment_gone]
        .iter()
        .for_each(assert_not_found);
    assert_eq!(listed, json!({"total_count": 0, "entries": []}));
}

#[tokio::test]
async fn only_the_assignee_resolves_an_assignment_and_a_resolution_must_fit_the_action() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let bob = other_user(&app, "bob-token").await;
    post_task(
        &app,
        json!({"item": {"type": "file", "id": f}, "action": "complete"}),
    )
    .await;
    assign(&app, "1", json!({"id": bob["id"]})).await;
    assign(&app, "1", json!({"id": user(&app)["id"]})).await;
    let before = snapshot(&app, &f).await;

    // Act
    let not_theirs = send_json(
        &app,
        Method::PUT,
        "/2.0/task_assignments/1",
        json!({"resolution_state": "completed"}),
    )
    .await;
    let wrong_state = send_json(
        &app,
        Method::PUT,
        "/2.0/task_assignments/2",
        json!({"resolution_state": "approved"}),
    )
    .await;

    // Assert
    let request_id = not_theirs.body["request_id"].as_str().unwrap();
    assert_eq!(
        (not_theirs.status, &not_theirs.body),
        (StatusCode::FORBIDDEN, &insufficient_permission(request_id))
    );
    let request_id = wrong_state.body["request_id"].as_str().unwrap();
    assert_eq!(
        (wrong_state.status, &wrong_state.body),
        (
            StatusCode::BAD_REQUEST,
            &bad_request(
                request_id,
                "invalid_parameter",
                "resolution_state",
                "Invalid value. The state does not fit the task's action."
            )
        )
    );
    assert_eq!(snapshot(&app, &f).await, before);
}

#[tokio::test]
async fn every_bad_task_request_is_refused_and_changes_nothing() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let folder = create_folder(&app, "0", "F").await;
    let d = id(&folder).to_owned();
    post_task(&app, on_file(&f)).await;
    let me = user(&app);
    assign(&app, "1", json!({"id": me["id"]})).await;
    let long = "x".repeat(10_001);
    let bad = |name: &'static str, message: &'static str| Some((name, message));
    let missing = |name: &'static str| Some((name, ""));
    let task = |extra: Value| {
        let mut body = on_file(&f);
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let assignment =
        |task: &str, to: Value| json!({"task": {"type": "task", "id": task}, "assign_to": to});
    let cases: Vec<Case> = vec![
        (
            "no body",
            Method::POST,
            "/2.0/tasks".into(),
            Value::Null,
            StatusCode::BAD_REQUEST,
            missing("item"),
        ),
        (
            "an item of another type",
            Method::POST,
            "/2.0/tasks".into(),
            json!({"item": {"type": "folder", "id": d}}),
            StatusCode::BAD_REQUEST,
            bad("item", "Invalid value. Expected 'file'."),
        ),
        (
            "an unknown action",
            Method::POST,
            "/2.0/tasks".into(),
            task(json!({"action": "approve"})),
            StatusCode::BAD_REQUEST,
            bad("action", "Invalid value. Expected 'review' or 'complete'."),
        ),
        (
            "an unknown completion rule",
            Method::POST,
            "/2.0/tasks".into(),
            task(json!({"completion_rule": "everyone"})),
            StatusCode::BAD_REQUEST,
            bad(
                "completion_rule",
                "Invalid value. Expected 'all_assignees' or 'any_assignee'.",
            ),
        ),
        (
            "a due date that is no date",
            Method::POST,
            "/2.0/tasks".into(),
            task(json!({"due_at": "tomorrow"})),
            StatusCode::BAD_REQUEST,
            bad("due_at", "Invalid value. Expected an ISO 8601 date."),
        ),
        (
            "a message too long",
            Method::POST,
            "/2.0/tasks".into(),
            task(json!({"message": long})),
            StatusCode::BAD_REQUEST,
            bad(
                "message",
                "Invalid value. A message may be at most 10000 characters long.",
            ),
        ),
        (
            "an action that is not text",
            Method::POST,
            "/2.0/tasks".into(),
            task(json!({"action": 5})),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "an unknown file",
            Method::POST,
            "/2.0/tasks".into(),
            on_file("999999"),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a folder as the file",
            Method::POST,
            "/2.0/tasks".into(),
            json!({"item": {"id": d}}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "reading an unknown task",
            Method::GET,
            "/2.0/tasks/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a task id that is no number",
            Method::GET,
            "/2.0/tasks/abc".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "editing an unknown task",
            Method::PUT,
            "/2.0/tasks/99".into(),
            json!({"message": "x"}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "an edit to an unknown action",
            Method::PUT,
            "/2.0/tasks/1".into(),
            json!({"action": "approve"}),
            StatusCode::BAD_REQUEST,
            bad("action", "Invalid value. Expected 'review' or 'complete'."),
        ),
        (
            "an edit to a bad due date",
            Method::PUT,
            "/2.0/tasks/1".into(),
            json!({"due_at": "2030-13-01T00:00:00Z"}),
            StatusCode::BAD_REQUEST,
            bad("due_at", "Invalid value. Expected an ISO 8601 date."),
        ),
        (
            "deleting an unknown task",
            Method::DELETE,
            "/2.0/tasks/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "listing an unknown file's tasks",
            Method::GET,
            "/2.0/files/999999/tasks".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "listing a folder's tasks",
            Method::GET,
            format!("/2.0/files/{d}/tasks"),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "listing an unknown task's assignments",
            Method::GET,
            "/2.0/tasks/99/assignments".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "assigning an unknown task",
            Method::POST,
            "/2.0/task_assignments".into(),
            assignment("99", json!({"id": me["id"]})),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "assigning to an unknown user id",
            Method::POST,
            "/2.0/task_assignments".into(),
            assignment("1", json!({"id": "424242"})),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "assigning to an unknown login",
            Method::POST,
            "/2.0/task_assignments".into(),
            assignment("1", json!({"login": "nobody@example.com"})),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "assigning to no one",
            Method::POST,
            "/2.0/task_assignments".into(),
            json!({"task": {"type": "task", "id": "1"}}),
            StatusCode::BAD_REQUEST,
            missing("assign_to"),
        ),
        (
            "an assignee with neither id nor login",
            Method::POST,
            "/2.0/task_assignments".into(),
            assignment("1", json!({})),
            StatusCode::BAD_REQUEST,
            missing("assign_to.id"),
        ),
        (
            "assigning without a task",
            Method::POST,
            "/2.0/task_assignments".into(),
            json!({"assign_to": {"id": me["id"]}}),
            StatusCode::BAD_REQUEST,
            missing("task"),
        ),
        (
            "reading an unknown assignment",
            Method::GET,
            "/2.0/task_assignments/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "an unknown resolution state",
            Method::PUT,
            "/2.0/task_assignments/1".into(),
            json!({"resolution_state": "done"}),
            StatusCode::BAD_REQUEST,
            bad(
                "resolution_state",
                "Invalid value. Expected 'completed', 'incomplete', 'approved' or 'rejected'.",
            ),
        ),
        (
            "a state the review task does not have",
            Method::PUT,
            "/2.0/task_assignments/1".into(),
            json!({"resolution_state": "completed"}),
            StatusCode::BAD_REQUEST,
            bad(
                "resolution_state",
                "Invalid value. The state does not fit the task's action.",
            ),
        ),
        (
            "updating an unknown assignment",
            Method::PUT,
            "/2.0/task_assignments/99".into(),
            json!({"message": "x"}),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "deleting an unknown assignment",
            Method::DELETE,
            "/2.0/task_assignments/99".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            None,
        ),
    ];
    let before = snapshot(&app, &f).await;
    for (case, method, path, body, status, param) in cases {
        // Act and assert: the whole error, one case at a time.
        assert_refused(case, request(&app, method, &path), body, status, param).await;
    }
    // Read back: the one task and its one assignment as they were.
    let after = snapshot(&app, &f).await;
    assert_eq!(after, before);
    assert_eq!(
        before["entries"][0]["task_assignment_collection"]["entries"],
        json!([assignment_json(&app, "1", &file, &me, "")])
    );
}

#[tokio::test]
async fn tasks_go_with_their_file_and_a_trashed_files_are_out_of_reach() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let other = upload(&app, "0", "b.txt", b"two").await;
    let o = id(&other).to_owned();
    let me = user(&app);
    post_task(&app, on_file(&f)).await;
    post_task(&app, on_file(&o)).await;
    assign(&app, "1", json!({"id": me["id"]})).await;
    assign(&app, "2", json!({"id": me["id"]})).await;

    // Act: trash the first file, then purge it.
    let trashed = send(request(&app, Method::DELETE, &format!("/2.0/files/{f}"))).await;
    let while_trashed = [
        get(&app, "/2.0/tasks/1").await,
        get(&app, "/2.0/task_assignments/1").await,
    ];
    let purged = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{f}/trash"),
    ))
    .await;
    let after_purge = [
        get(&app, "/2.0/tasks/1").await,
        get(&app, "/2.0/task_assignments/1").await,
    ];
    let kept = snapshot(&app, &o).await;

    // Assert
    assert_eq!(trashed.status, StatusCode::NO_CONTENT);
    assert_eq!(purged.status, StatusCode::NO_CONTENT);
    while_trashed
        .iter()
        .chain(&after_purge)
        .for_each(assert_not_found);
    assert_eq!(kept["total_count"], 1);
    assert_eq!(
        kept["entries"][0]["task_assignment_collection"]["entries"],
        json!([assignment_json(&app, "2", &other, &me, "")])
    );
}

#[tokio::test]
async fn another_user_reaches_no_task_on_a_file_that_is_not_theirs() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    post_task(&app, on_file(&f)).await;
    assign(&app, "1", json!({"id": user(&app)["id"]})).await;
    let before = snapshot(&app, &f).await;
    let other = |method: Method, path: &str| {
        app.client
            .request(method, app.url(path))
            .bearer_auth("another-users-token")
    };

    // Act
    let replies = [
        send(other(Method::GET, "/2.0/tasks/1")).await,
        send(other(Method::PUT, "/2.0/tasks/1").json(&json!({"message": "theirs"}))).await,
        send(other(Method::DELETE, "/2.0/tasks/1")).await,
        send(other(Method::GET, "/2.0/tasks/1/assignments")).await,
        send(other(Method::GET, &format!("/2.0/files/{f}/tasks"))).await,
        send(other(Method::POST, "/2.0/tasks").json(&on_file(&f))).await,
        send(other(Method::GET, "/2.0/task_assignments/1")).await,
        send(other(Method::DELETE, "/2.0/task_assignments/1")).await,
        send(
            other(Method::POST, "/2.0/task_assignments")
                .json(&json!({"task": {"type": "task", "id": "1"}, "assign_to": {"login": "x"}})),
        )
        .await,
    ];

    // Assert: as absent as a task that never was; nothing changed.
    replies.iter().for_each(assert_not_found);
    assert_eq!(snapshot(&app, &f).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_makes_assigns_resolves_lists_and_deletes_a_task() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_tasks.py", &root).await;

    // Assert: the file is left with no task, read through the API.
    assert!(output.contains("box tasks passed"), "{output}");
    let as_sdk = |path: &str| app.client.get(app.url(path)).bearer_auth("sdk-tasks-token");
    let listing = send(as_sdk("/2.0/folders/0/items")).await.body;
    let file = listing["entries"][0]["id"].as_str().unwrap().to_owned();
    let tasks = send(as_sdk(&format!("/2.0/files/{file}/tasks"))).await;
    assert_eq!(
        (tasks.status, tasks.body),
        (StatusCode::OK, json!({"total_count": 0, "entries": []}))
    );
}

#[tokio::test]
async fn the_state_export_holds_tasks_and_loads_back_equal() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let me = user(&app);
    let due = json!({"item": {"type": "file", "id": f}, "action": "complete", "message": "Do",
        "due_at": "2030-01-02T03:04:05Z", "completion_rule": "any_assignee"});
    assert_eq!(post_task(&app, due).await.status, StatusCode::CREATED);
    assign(&app, "1", json!({"id": me["id"]})).await;
    let done = json!({"resolution_state": "completed", "message": "Done"});
    let resolved = send_json(&app, Method::PUT, "/2.0/task_assignments/1", done).await;
    assert_eq!(resolved.status, StatusCode::OK);

    // Act
    let state = send(app.client.get(app.url("/__admin/state"))).await.body;
    let again = spawn().fixture(state.clone()).start().await;

    // Assert: the export's file carries them, and the loaded copy answers the same.
    let items = state["spaces"][0]["items"].as_array().unwrap();
    let exported = items.iter().find(|i| i["path"] == "a.txt").unwrap();
    let by = me["id"].clone();
    assert_eq!(
        exported["tasks"],
        json!([{
            "id": 1, "action": "complete", "message": "Do", "due_at": "2030-01-02T03:04:05Z",
            "completion_rule": "any_assignee", "created_by": by, "created_at": crate::support::NOW,
            "assignments": [{
                "id": 1, "assigned_to": by, "assigned_by": by, "message": "Done",
                "resolution_state": "completed", "assigned_at": crate::support::NOW,
                "completed_at": crate::support::NOW,
            }],
        }])
    );
    for path in [
        format!("/2.0/files/{f}/tasks"),
        "/2.0/task_assignments/1".to_owned(),
    ] {
        assert_eq!(
            get(&again, &path).await.body,
            get(&app, &path).await.body,
            "{path}"
        );
    }
    let made_after = post_task(&again, on_file(&f)).await;
    assert_eq!(
        made_after.body["id"], "2",
        "new ids go on after the loaded ones"
    );
}

#[tokio::test]
async fn a_fixture_task_on_a_folder_with_a_taken_id_or_an_unfit_state_is_refused_whole() {
    let file = |tasks: Value| json!({"type": "file", "path": "a.txt", "versions": [{"text": "x"}], "tasks": tasks});
    let cases = [
        (
            "a task on a folder",
            json!({"type": "folder", "path": "F", "tasks": [{}]}),
            "(F)",
        ),
        (
            "two tasks with one id",
            file(json!([{"id": 4}, {"id": 4}])),
            "a.txt",
        ),
        (
            "an approval of a completion task",
            file(
                json!([{"action": "complete", "assignments": [{"assigned_to": "42", "resolution_state": "approved"}]}]),
            ),
            "a.txt",
        ),
        (
            "an unknown assignee",
            file(json!([{"assignments": [{"assigned_to": "nobody"}]}])),
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
