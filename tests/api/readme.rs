//! The README's snippets, run as written: each fenced block under a `<!-- tested: KIND -->` line
//! runs against a fresh server whose address is in `RESTORE_MOCK_URL`. A Rust one would be a
//! doctest (`src/lib.rs` includes the README).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use restore_mock::Emulator;

use restore_mock::journal::JournalFilter;
use serde_json::{json, Value};

use crate::support::spawn;
use crate::support::Reply;
use crate::support::{sdk_node, sdk_python, send};

/// The fenced blocks marked `<!-- tested: {kind} -->`, in README order.
fn snippets(kind: &str) -> Vec<String> {
    snippets_in(&source("README.md"), kind)
}

/// A file of the repository by its path from the top.
fn source(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The fenced blocks marked `<!-- tested: {kind} -->` in the markdown file at `path`, in order;
/// in a Rust file, in its `//!` docs (where a module's reference keeps its own examples).
pub(crate) fn snippets_in(path: &Path, kind: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = if path.extension().is_some_and(|e| e == "rs") {
        let docs = text.lines().filter_map(|l| l.strip_prefix("//!"));
        docs.map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        text
    };
    let marker = format!("<!-- tested: {kind} -->");
    let mut lines = text.lines();
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() != marker {
            continue;
        }
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{marker} must sit on the line above a fence"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        found.push(body.join("\n") + "\n");
    }
    found
}

/// A scratch directory of its own for each test, emptied first.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("readme-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `command` off the runtime (the server needs it) and panics with its output on failure.
async fn run(mut command: Command, what: String) -> Output {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_snippets_run_against_a_fresh_server() {
    let snippets = snippets("python");
    assert_eq!(snippets.len(), 2, "msgraph-sdk and box_sdk_gen");
    let python = tokio::task::spawn_blocking(sdk_python).await.unwrap();
    let dir = scratch("python");
    for (n, snippet) in snippets.iter().enumerate() {
        // Arrange
        let emulator = spawn().start().await.emulator;
        let path = dir.join(format!("snippet{n}.py"));
        std::fs::write(&path, snippet).unwrap();
        let mut command = Command::new(&python);
        command.arg(&path).env("RESTORE_MOCK_URL", emulator.uri());

        // Act and assert: each snippet asserts what it shows.
        run(command, format!("python snippet {n}:\n{snippet}")).await;
        assert!(
            !emulator.requests(&Default::default()).is_empty(),
            "snippet {n} reached the server"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_microsoft_sign_in_snippets_run_against_a_fresh_server() {
    let python = tokio::task::spawn_blocking(sdk_python).await.unwrap();
    let dir = scratch("entra");
    let fixture = serde_json::json!({"users": [{"id": "42", "tokens": ["ada"]}]});
    for (kind, tls) in [
        ("entra https python", true),
        ("entra managed identity python", false),
    ] {
        // Arrange
        let [snippet] = &snippets(kind)[..] else {
            panic!("one {kind} snippet")
        };
        let certs = dir.join(format!("tls-{tls}"));
        let mut emulator = spawn().fixture(fixture.clone());
        if tls {
            emulator = emulator.tls_self_signed(&certs);
        }
        let emulator = emulator.start().await.emulator;
        let path = dir.join(format!("{}.py", kind.replace(' ', "-")));
        std::fs::write(&path, snippet).unwrap();
        let mut command = Command::new(&python);
        command.arg(&path).env("RESTORE_MOCK_URL", emulator.uri());
        if tls {
            let ca = certs.join("cert.pem");
            command
                .env("REQUESTS_CA_BUNDLE", &ca)
                .env("SSL_CERT_FILE", &ca);
        }

        // Act and assert: each snippet asserts what it shows.
        let output = run(command, format!("{kind}:\n{snippet}")).await;
        assert!(
            !String::from_utf8_lossy(&output.stdout).trim().is_empty(),
            "{kind} printed what it got"
        );
        assert!(
            !emulator.requests(&Default::default()).is_empty(),
            "{kind} reached the server"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_snippets_run_against_a_fresh_server() {
    let snippets = snippets("node");
    assert_eq!(snippets.len(), 2, "microsoft-graph-client and box-node-sdk");
    // Placed beside node_modules, so that `require` finds the pinned SDKs.
    let modules = tokio::task::spawn_blocking(sdk_node).await.unwrap();
    for (n, snippet) in snippets.iter().enumerate() {
        // Arrange
        let emulator = spawn().start().await.emulator;
        let path = modules.join(format!("readme-snippet{n}.js"));
        std::fs::write(&path, snippet).unwrap();
        let mut command = Command::new("node");
        command.arg(&path).env("RESTORE_MOCK_URL", emulator.uri());

        // Act and assert
        run(command, format!("node snippet {n}:\n{snippet}")).await;
        assert!(
            !emulator.requests(&Default::default()).is_empty(),
            "snippet {n} reached the server"
        );
    }
}

/// Runs a README shell block as it is, in `dir`, against `emulator`: under bash, with each
/// `curl` failing the block on an error status and ending its output with a newline. The
/// failure reaches the block from inside `$(…)` (`inherit_errexit`) and pipes (`pipefail`) too,
/// so a reply captured for a later line cannot fail unseen.
pub(crate) async fn run_shell_block(
    block: &str,
    dir: &Path,
    emulator: &Emulator,
    what: &str,
) -> String {
    assert!(
        Command::new("curl").arg("--version").output().is_ok(),
        "these tests need curl (Debian: apt-get install curl; .ci/run installs it)"
    );
    let script = format!(
        "set -euo pipefail; shopt -s inherit_errexit\n\
         curl() {{ command curl --silent --show-error --fail-with-body \"$@\" && echo; }}\n{block}"
    );
    let mut command = Command::new("bash");
    command
        .args(["-c", &script])
        .current_dir(dir)
        .env("RESTORE_MOCK_URL", emulator.uri());
    let output = run(command, format!("{what}:\n{block}")).await;
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The "React to changes" snippets: each subscribes a receiver of its own, makes a change and
/// asserts the call arrived. The clock runs: the Graph one sends an expiry on its own clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_react_to_changes_snippets_receive_their_calls() {
    let snippets = snippets("react python");
    assert_eq!(snippets.len(), 2, "a Graph subscription and a Box webhook");
    let python = tokio::task::spawn_blocking(sdk_python).await.unwrap();
    let dir = scratch("react");
    for (n, snippet) in snippets.iter().enumerate() {
        // Arrange
        let emulator = spawn().running_clock().start().await.emulator;
        let path = dir.join(format!("react{n}.py"));
        std::fs::write(&path, snippet).unwrap();
        let mut command = Command::new(&python);
        command.arg(&path).env("RESTORE_MOCK_URL", emulator.uri());

        // Act and assert: each snippet asserts that its call arrived.
        run(command, format!("react snippet {n}:\n{snippet}")).await;
        assert_eq!(
            emulator.deliveries().last().map(|a| a.outcome),
            Some("delivered"),
            "snippet {n}'s delivery is in the log"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_curl_lines_run_as_written() {
    // Arrange
    let [block] = &snippets("graph curl")[..] else {
        panic!("one Graph curl block");
    };
    let emulator = spawn().start().await.emulator;

    // Act
    let stdout = run_shell_block(block, &scratch("graph"), &emulator, "the Graph block").await;

    // Assert: every line answered 2xx (else curl failed the block); the restore's status line
    // and the restored bytes are there, and the file was renamed last.
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(&"204"),
        "the restore answered 204:\n{stdout}"
    );
    assert!(lines.contains(&"one"), "the restored bytes:\n{stdout}");
    let batch = lines
        .iter()
        .find(|line| line.starts_with(r#"{"responses""#));
    let batch: serde_json::Value = serde_json::from_str(batch.expect("the batch's reply")).unwrap();
    let statuses: Vec<_> = (batch["responses"].as_array().unwrap().iter())
        .map(|r| (r["id"].as_str().unwrap(), r["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(statuses, [("1", 200), ("2", 200)], "{stdout}");
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last["name"], "b.txt", "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_curl_lines_run_as_written() {
    // Arrange: the block beside the README's fixture as `fixture.json`.
    let [block] = &snippets("admin")[..] else {
        panic!("one admin block");
    };
    let [fixture] = &snippets("fixture.json")[..] else {
        panic!("one fixture example");
    };
    let dir = scratch("admin");
    std::fs::write(dir.join("fixture.json"), fixture).unwrap();
    let emulator = spawn().start().await.emulator;

    // Act
    let stdout = run_shell_block(block, &dir, &emulator, "the admin block").await;

    // Assert: every line answered 2xx (else curl failed the block), and the lines took effect.
    assert!(stdout.starts_with("{\"status\":\"ok\"}\n"), "{stdout}");
    let rules: Vec<String> = emulator
        .faults()
        .iter()
        .map(|rule| serde_json::to_string(&rule.spec).unwrap())
        .collect();
    assert_eq!(
        rules,
        Vec::<String>::new(),
        "the block ends by removing every rule"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    for (line, what) in [
        (
            r#"{"loaded":{"items":3,"spaces":2,"users":2}}"#,
            "the README's fixture loaded whole",
        ),
        (
            r#"{"now":"2024-01-02T04:04:05Z","frozen":true}"#,
            "the clock froze, then went an hour forward",
        ),
    ] {
        assert!(lines.contains(&line), "{what}: {line} in\n{stdout}");
    }
    assert!(
        !emulator.clock().reading().frozen,
        "the block ends on real time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_box_curl_lines_run_as_written() {
    // Arrange
    let [block] = &snippets_in(&source("src/box_api/mod.rs"), "box curl")[..] else {
        panic!("one Box curl block");
    };
    let emulator = spawn().start().await.emulator;

    // Act
    let stdout = run_shell_block(block, &scratch("box"), &emulator, "the Box block").await;

    // Assert: the ids the block captured are the ones its later lines used (the first printed
    // line is the second upload's reply, the third the list of previous versions: the first one).
    let lines: Vec<&str> = stdout.lines().collect();
    let reply = |n: usize| -> Value {
        serde_json::from_str(lines[n]).unwrap_or_else(|e| panic!("line {n} ({e}):\n{stdout}"))
    };
    let file = reply(0)["entries"][0]["id"].as_str().unwrap().to_owned();
    let version = reply(2)["entries"][0]["id"].as_str().unwrap().to_owned();
    // Every API call, in order, with the status the spec gives it (curl failed the block on
    // any error status; this pins that each line reached the route it shows).
    let calls: Vec<(String, String, u16)> = emulator
        .requests(&JournalFilter::default())
        .into_iter()
        .filter(|entry| entry.api == "box")
        .map(|entry| {
            let path = entry.path.replace(&file, "{F}").replace(&version, "{V}");
            (entry.method, path, entry.status)
        })
        .collect();
    let expected: Vec<(String, String, u16)> = [
        ("POST", "/api/2.0/files/content", 201),
        ("POST", "/2.0/files/{F}/content", 201),
        ("GET", "/2.0/files/{F}", 200),
        ("GET", "/2.0/files/{F}/versions", 200),
        ("DELETE", "/2.0/files/{F}/versions/{V}", 204),
        ("PUT", "/2.0/files/{F}/versions/{V}", 200),
        ("POST", "/2.0/files/{F}/versions/current", 201),
        ("GET", "/2.0/files/{F}/content", 302),
        ("GET", "/2.0/files/{F}/content", 302),
        ("POST", "/2.0/folders", 201),
        ("GET", "/2.0/users/me", 200),
        ("POST", "/2.0/files/{F}/content", 201),
        ("PUT", "/2.0/files/{F}", 200),
        ("DELETE", "/2.0/files/{F}", 204),
        ("GET", "/2.0/files/{F}/trash", 200),
        ("GET", "/2.0/folders/trash/items", 200),
        ("POST", "/2.0/files/{F}", 201),
        ("DELETE", "/2.0/files/{F}", 204),
        ("DELETE", "/2.0/files/{F}/trash", 204),
    ]
    .into_iter()
    .map(|(method, path, status)| (method.to_owned(), path.to_owned(), status))
    .collect();
    assert_eq!(calls, expected, "{stdout}");
    // The restored version is back, and both downloads (current after the promotion, and the
    // old version) printed the first upload's bytes.
    let restored = lines
        .iter()
        .find(|line| line.contains("\"restored_at\""))
        .map(|line| serde_json::from_str::<Value>(line).unwrap());
    let restored = restored.unwrap_or_else(|| panic!("the version's restore:\n{stdout}"));
    assert_eq!(
        (&restored["id"], &restored["trashed_at"]),
        (&json!(version), &Value::Null)
    );
    assert_eq!(
        lines.iter().filter(|line| **line == "one").count(),
        2,
        "{stdout}"
    );
    // Read back: the purge took the file, and the trash is empty.
    let http = reqwest::Client::new();
    let box_get = |path: String| http.get(emulator.url(&path)).bearer_auth("any-token");
    let Reply { status, .. } = send(box_get(format!("/2.0/files/{file}"))).await;
    assert_eq!(status, 404, "the file was purged");
    let Reply {
        status,
        body: trash,
        ..
    } = send(box_get("/2.0/folders/trash/items".into())).await;
    assert_eq!((status.as_u16(), &trash["total_count"]), (200, &json!(0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_drive_curl_lines_run_as_written() {
    // Arrange
    let [block] = &snippets_in(&source("src/onedrive/mod.rs"), "shared curl")[..] else {
        panic!("one shared-drive curl block");
    };
    let emulator = spawn().start().await.emulator;

    // Act
    let stdout = run_shell_block(block, &scratch("shared"), &emulator, "the shared block").await;

    // Assert: Bob's two versions over Alice's first, the team site, and Alice's empty drive.
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.is_empty()).collect();
    let json = |n: usize| -> Value { serde_json::from_str(lines[n]).unwrap() };
    let (alice, bob) = (
        json(0)["createdBy"].clone(),
        json(1)["lastModifiedBy"].clone(),
    );
    assert_ne!(alice, bob, "{stdout}");
    assert_eq!(lines[2], "204", "{stdout}");
    let authors: Vec<Value> = (json(3)["value"].as_array().unwrap().iter())
        .map(|v| v["lastModifiedBy"].clone())
        .collect();
    assert_eq!(authors, [bob.clone(), bob, alice], "{stdout}");
    assert_eq!(json(4)["name"], "team", "{stdout}");
    assert_eq!(json(5)["value"], json!([]), "{stdout}");
}

#[tokio::test]
async fn the_groups_fixture_loads_and_its_members_rule_holds() {
    // Arrange
    let [fixture] = &snippets_in(&source("src/fixture/mod.rs"), "groups fixture")[..] else {
        panic!("one groups fixture example");
    };
    let emulator = spawn().start().await.emulator;
    let fixture = restore_mock::fixture::Fixture::from_json(fixture.as_bytes()).unwrap();

    // Act
    emulator.load_fixture(&fixture).unwrap();

    // Assert
    let client = reqwest::Client::new();
    let get = |token: &'static str, path: &str| {
        client
            .get(emulator.url(&format!("/v1.0{path}")))
            .bearer_auth(token)
    };
    let Reply {
        status,
        body: versions,
        ..
    } = send(get("bob", "/groups/g-eng/drive/root:/plan.txt:/versions")).await;
    assert_eq!(status, 200, "{versions}");
    let authors: Vec<&Value> = (versions["value"].as_array().unwrap().iter())
        .map(|v| &v["lastModifiedBy"]["user"]["id"])
        .collect();
    assert_eq!(authors, [&json!("b2"), &json!("a1")]);
    let Reply {
        body: libraries, ..
    } = send(get("alice", "/sites/eng/drives")).await;
    let names: Vec<&Value> = (libraries["value"].as_array().unwrap().iter())
        .map(|d| &d["name"])
        .collect();
    assert_eq!(names, [&json!("Documents"), &json!("Specs")]);
    for (token, path) in [("eve", "/groups/g-eng/drive"), ("bob", "/sites/wiki/drive")] {
        let Reply { status, body, .. } = send(get(token, path)).await;
        assert_eq!(status, 403, "{token} {path}: {body}");
        assert_eq!(body["error"]["code"], "accessDenied");
    }
}
