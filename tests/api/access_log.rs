//! The binary logs one line per API request at its default level, without colour when stderr is
//! not a terminal, and `--quiet` or `RUST_LOG` turn the lines off.

use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::binary::BINARY;

/// Starts the binary on a free port with stderr piped and the caller's logging environment
/// removed, and reads the address it prints.
fn start(args: &[&str], env: &[(&str, &str)]) -> (Child, String) {
    crate::support::listening(
        Command::new(BINARY)
            .args(["--port", "0"])
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stderr(Stdio::piped()),
    )
}

/// Stops the binary with SIGTERM and returns everything it wrote on stderr.
fn stop(child: Child) -> String {
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", output.status);
    String::from_utf8(output.stderr).unwrap()
}

/// Some Graph and Box traffic: a read, a fault rule that answers the next Box request, the Box
/// request it answers, and an admin call (which is not an API request).
async fn traffic(address: &str) -> Vec<Value> {
    let client = reqwest::Client::new();
    let drive = client
        .get(format!("{address}/v1.0/me/drive"))
        .bearer_auth("log-token")
        .send()
        .await
        .unwrap();
    assert_eq!(drive.status(), 200);
    let rule = client
        .post(format!("{address}/__admin/faults"))
        .body(
            r#"{"match": {"api": "box"}, "action": {"type": "error", "status": 503}, "times": 1}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(rule.status(), 201);
    let faulted = client
        .get(format!("{address}/2.0/folders/0?fields=name"))
        .bearer_auth("log-token")
        .send()
        .await
        .unwrap();
    assert_eq!(faulted.status(), 503);
    let anonymous = client
        .get(format!("{address}/v1.0/me/drive"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let journal: Value = client
        .get(format!("{address}/__admin/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    journal["requests"].as_array().unwrap().clone()
}

/// The access lines of a log, each without the subscriber's time stamp and with its duration
/// (the one part that varies) replaced by `<ms>`.
fn access_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| line.split_once("  INFO restore_mock::access: "))
        .map(|(_, line)| {
            line.split(' ')
                .map(|word| match word.strip_suffix("ms") {
                    Some(ms) if ms.parse::<f64>().is_ok() => "<ms>",
                    _ => word,
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[tokio::test]
async fn each_api_request_is_one_line_at_the_default_level_without_colour() {
    // Arrange
    let (child, address) = start(&[], &[]);

    // Act
    let journal = traffic(&address).await;
    let log = stop(child);

    // Assert: the lines say what the journal says, in the same order; admin calls are not there.
    let user = journal[0]["user"].as_str().unwrap();
    let ids: Vec<&str> = journal
        .iter()
        .map(|entry| entry["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        access_lines(&log),
        vec![
            format!(
                "GET /v1.0/me/drive 200 <ms> request_id={} user={user}",
                ids[0]
            ),
            format!(
                "GET /2.0/folders/0?fields=name 503 <ms> request_id={} user={user} fault=1",
                ids[1]
            ),
            format!("GET /v1.0/me/drive 401 <ms> request_id={} user=-", ids[2]),
        ],
        "{log}"
    );
    assert!(!log.contains('\u{1b}'), "no colour codes in a pipe:\n{log}");
}

#[tokio::test]
async fn quiet_and_rust_log_turn_the_lines_off() {
    for (args, env, what) in [
        (&["--quiet"][..], &[][..], "--quiet"),
        (
            &["-q"][..],
            &[("RUST_LOG", "debug")][..],
            "-q over RUST_LOG",
        ),
        (
            &[][..],
            &[("RESTORE_MOCK_QUIET", "true")][..],
            "RESTORE_MOCK_QUIET",
        ),
        (
            &[][..],
            &[("RUST_LOG", "restore_mock::access=off")][..],
            "RUST_LOG",
        ),
    ] {
        // Arrange
        let (child, address) = start(args, env);

        // Act
        let journal = traffic(&address).await;
        let log = stop(child);

        // Assert
        assert_eq!(journal.len(), 3, "{what}: the requests were served");
        assert_eq!(access_lines(&log), Vec::<String>::new(), "{what}:\n{log}");
    }
}
