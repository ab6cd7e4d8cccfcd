//! Box's production sign-in through the official Python SDK, unchanged but for the base URLs
//! (`tests/sdk/box_sign_in.py`): client credentials, JWT, the code grant with a refresh after the
//! token expired, and a downscoped token. Each test then reads the journal for who each request
//! ran as.

use std::path::Path;

use serde_json::Value;

use crate::readme::snippets_in;
use crate::support::{run_sdk_script, sdk_python, spawn};

/// One journal entry: method, path, user, app (the client id of an app's token), status.
type Row = (String, String, Value, Value, u64);

/// Runs one flow of the script against a fresh emulator and returns the journal's Box entries.
async fn run_flow(flow: &'static str) -> (String, Vec<Row>) {
    let emulator = spawn().start().await.emulator;
    let root = emulator.box_url();
    // The script blocks, so it runs off the runtime the server needs.
    let output =
        tokio::task::spawn_blocking(move || run_sdk_script("box_sign_in.py", &[&root, flow]))
            .await
            .expect("the SDK script ran");
    let journal: Value = reqwest::get(emulator.url("/__admin/requests?api=box"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap().to_owned(),
                e["path"].as_str().unwrap().to_owned(),
                e["user"].clone(),
                e.get("app").cloned().unwrap_or(Value::Null),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    (output, entries)
}

/// A request an app's token made, as its service account.
fn app(method: &str, path: &str, (user, client): (&str, &str), status: u64) -> Row {
    (
        method.into(),
        path.into(),
        user.into(),
        client.into(),
        status,
    )
}

/// A request a user's token made (`Null`: no token signed in).
fn user(method: &str, path: &str, user: Value, status: u64) -> Row {
    (method.into(), path.into(), user, Value::Null, status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_ccg_auth_signs_in_as_the_apps_service_account_and_as_a_user_subject() {
    // Act
    let (output, journal) = run_flow("ccg").await;

    // Assert: the enterprise token is the app's service account, the user subject's that user.
    assert!(output.contains("box sign-in passed: ccg"), "{output}");
    // The second client shares the auth object, and so its token.
    let ccg = ("4722424946", "ccg-app");
    assert_eq!(
        journal,
        vec![
            app("POST", "/oauth2/token", ccg, 200),
            app("GET", "/2.0/users/me", ccg, 200),
            app("POST", "/api/2.0/files/content", ccg, 201),
            user("POST", "/oauth2/token", "4242".into(), 200),
            user("GET", "/2.0/users/me", "4242".into(), 200),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_jwt_auth_with_a_generated_key_signs_in_and_a_forged_assertion_does_not() {
    // Act
    let (output, journal) = run_flow("jwt").await;

    // Assert
    assert!(output.contains("box sign-in passed: jwt"), "{output}");
    let jwt = ("5910191766", "jwt-app");
    assert_eq!(
        journal,
        vec![
            app("POST", "/oauth2/token", jwt, 200),
            app("GET", "/2.0/users/me", jwt, 200),
            user("POST", "/oauth2/token", "4343".into(), 200),
            user("GET", "/2.0/users/me", "4343".into(), 200),
            user("POST", "/oauth2/token", Value::Null, 400),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_oauth_code_grant_signs_in_and_refreshes_after_the_clock_expires_the_token() {
    // Act
    let (output, journal) = run_flow("oauth").await;

    // Assert: the expired token's 401, the refresh, and the retry as the same user.
    assert!(output.contains("box sign-in passed: oauth"), "{output}");
    // The code is for the client's own user (derived from its id).
    let web = Value::from("1347698527");
    assert_eq!(
        journal,
        vec![
            user("GET", "/api/oauth2/authorize", web.clone(), 302),
            user("POST", "/oauth2/token", web.clone(), 200),
            user("GET", "/2.0/users/me", web.clone(), 200),
            user("GET", "/2.0/users/me", Value::Null, 401),
            user("POST", "/oauth2/token", web.clone(), 200),
            user("GET", "/2.0/users/me", web, 200),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_downscoped_token_reads_its_file_and_is_refused_a_write_and_another_file() {
    // Act
    let (output, journal) = run_flow("downscope").await;

    // Assert
    assert!(output.contains("box sign-in passed: downscope"), "{output}");
    // The downscoped token is still the app's, as its service account.
    let scoped = ("1461732644", "scoped-app");
    assert_eq!(
        journal,
        vec![
            app("POST", "/oauth2/token", scoped, 200),
            app("POST", "/api/2.0/files/content", scoped, 201),
            app("POST", "/api/2.0/files/content", scoped, 201),
            app("POST", "/oauth2/token", scoped, 200),
            app("GET", "/2.0/files/1000000002", scoped, 200),
            app("POST", "/api/2.0/files/1000000002/content", scoped, 403),
            app("GET", "/2.0/files/1000000003", scoped, 403),
            app("GET", "/2.0/files/1000000002/versions", scoped, 200),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_box_sign_in_snippet_runs_against_a_fresh_server() {
    // Arrange
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let snippets = snippets_in(&readme, "python box sign-in");
    assert_eq!(snippets.len(), 1);
    let emulator = spawn().start().await.emulator;
    let script = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-box-sign-in.py");
    std::fs::write(&script, &snippets[0]).unwrap();
    let uri = emulator.uri();

    // Act: the snippet asserts what it shows.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(sdk_python())
            .arg(&script)
            .env("RESTORE_MOCK_URL", uri)
            .output()
            .unwrap()
    })
    .await
    .unwrap();

    // Assert
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let journal = emulator.requests(&Default::default());
    let users: Vec<(&str, Option<&str>, Option<&str>)> = journal
        .iter()
        .map(|e| (e.path.as_str(), e.user.as_deref(), e.app.as_deref()))
        .collect();
    assert_eq!(
        users,
        vec![
            ("/oauth2/token", Some("1322556279"), Some("my-app")),
            ("/2.0/users/me", Some("1322556279"), Some("my-app")),
            ("/oauth2/token", Some("42"), None),
            ("/2.0/users/me", Some("42"), None),
        ]
    );
}
