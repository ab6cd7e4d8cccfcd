//! The binary: its command line, the address line it prints, and graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::support::binary::BINARY;
use crate::support::TempDir;

/// Starts the binary on a free port with `command`'s arguments and environment, and reads the
/// address it prints.
fn start(command: &mut Command) -> (Child, String) {
    crate::support::listening(command.args(["--port", "0"]).env("RUST_LOG", "off"))
}

#[tokio::test]
async fn the_binary_prints_its_address_serves_and_stops_on_sigterm() {
    // Arrange
    let (mut child, address) = start(&mut Command::new(BINARY));

    // Act
    let health = reqwest::get(format!("{address}/__admin/health"))
        .await
        .unwrap();
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();

    // Assert
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert_eq!(health.status(), 200);
    assert!(terminated.success());
    assert!(
        status.success(),
        "a graceful shutdown exits 0, got {status}"
    );
}

/// At SIGTERM a Box long poll (which holds up to ten minutes) answers `reconnect` at once, and
/// any other request still open (here one a delay fault holds for ten minutes) gets a few
/// seconds, then the process stops without it. The binary used to wait both out, and a second
/// Ctrl-C did nothing.
#[tokio::test]
async fn requests_still_open_do_not_keep_the_binary_from_stopping() {
    // Arrange: tower_http logs each request as it arrives.
    let mut command = Command::new(BINARY);
    command
        .args(["--port", "0"])
        .env("RUST_LOG", "tower_http=debug,restore_mock=warn")
        .stderr(Stdio::piped());
    let (mut child, address) = crate::support::listening(&mut command);
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let client = reqwest::Client::new();
    let delay =
        serde_json::json!({"match": {"api": "graph"}, "action": {"type": "delay", "ms": 600_000}});
    let fault = client
        .post(format!("{address}/__admin/faults"))
        .json(&delay)
        .send()
        .await
        .unwrap();
    assert_eq!(fault.status(), 201);
    let poll = client
        .get(format!("{address}/2.0/events/realtime?timeout_ms=600000"))
        .bearer_auth("box-token")
        .send();
    let poll = tokio::spawn(async move { poll.await?.text().await });
    let held = client
        .get(format!("{address}/v1.0/me/drive"))
        .bearer_auth("graph-token")
        .send();
    let held = tokio::spawn(held);
    let (arrived, mut stderr) = tokio::task::spawn_blocking(move || {
        let mut waiting = vec!["/2.0/events/realtime", "/v1.0/me/drive"];
        for line in stderr.by_ref().map_while(Result::ok) {
            waiting.retain(|path| !(line.contains("started") && line.contains(path)));
            if waiting.is_empty() {
                break;
            }
        }
        (waiting.is_empty(), stderr)
    })
    .await
    .unwrap();
    assert!(arrived, "both requests reach the server");

    // Act
    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = tokio::task::spawn_blocking(move || wait_at_most_a_minute(&mut child))
        .await
        .unwrap();
    let rest: Vec<String> = stderr.by_ref().map_while(Result::ok).collect();

    // Assert
    assert!(terminated.success());
    assert!(
        status.success(),
        "a graceful shutdown exits 0, got {status}"
    );
    assert_eq!(
        poll.await.unwrap().unwrap(),
        r#"{"message":"reconnect"}"#,
        "the poll is told to come back"
    );
    assert!(
        held.await.unwrap().is_err(),
        "the held request is cut off unanswered"
    );
    let warning = "requests still open 5 s after the stop were left unanswered";
    assert!(rest.iter().any(|line| line.contains(warning)), "{rest:?}");
}

/// Waits for `child` to exit; one still running after a minute (a long poll would hold it ten)
/// is killed and fails the test.
fn wait_at_most_a_minute(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..600 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the binary did not stop within a minute of SIGTERM");
}

#[test]
fn a_cors_origin_that_is_no_origin_stops_the_start_saying_what_one_is() {
    for value in ["localhost:3000", "http://localhost:3000/app"] {
        // Act
        let output = Command::new(BINARY)
            .args(["--port", "0", "--cors-origin", value])
            .output()
            .unwrap();

        // Assert
        assert_eq!(output.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected = format!(
            "{value:?} is not a web origin: give scheme://host[:port] as a browser sends it in \
             Origin (e.g. http://localhost:3000), or * for any"
        );
        assert!(stderr.contains(&expected), "{value}: {stderr}");
    }
}

#[test]
fn the_port_can_come_from_the_environment() {
    // Arrange: an invalid port in the environment must be read, and refused, by the parser.
    let output = Command::new(BINARY)
        .env("RESTORE_MOCK_PORT", "not-a-port")
        .output()
        .unwrap();

    // Assert
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not-a-port"), "{stderr}");
}

#[test]
fn help_and_version_describe_the_program() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    let version = Command::new(BINARY).arg("--version").output().unwrap();

    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--host",
        "--port",
        "--tokens",
        "--fixtures",
        "--journal-limit",
        "--clock",
        "--admin-token",
        "--hide-unreachable-drives",
        "--public-url",
        "--allowed-host",
        "--cors-origin",
        "--max-file-size",
        "--max-session-bytes",
        "--max-sessions-per-user",
        "--print-env",
        "--require-https-receivers",
        "--receiver-ca-file",
        "--delivery-backoff-ms",
        "--delivery-retries",
        "--tls-name",
    ] {
        assert!(help.contains(flag), "--help should list {flag}:\n{help}");
    }
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("restore-mock {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_broken_fixtures_file_stops_the_start_with_the_entry_named() {
    // Arrange
    let dir = TempDir::new("cli");
    std::fs::create_dir_all(&*dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, r#"{"spaces": [{"face": "box", "owner": "nobody"}]}"#).unwrap();

    // Act
    let output = Command::new(BINARY)
        .args(["--port", "0", "--fixtures"])
        .arg(&path)
        .output()
        .unwrap();

    // Assert
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("spaces[0].owner"), "{stderr}");
}

#[tokio::test]
async fn the_binary_takes_tokens_fixtures_clock_and_admin_token_from_flags_and_environment() {
    // Arrange
    let dir = TempDir::new("cli-flags");
    std::fs::create_dir_all(&*dir).unwrap();
    let tokens = dir.join("tokens.json");
    std::fs::write(
        &tokens,
        r#"{"users": [{"id": "11", "name": "Ada", "tokens": ["ada"]}]}"#,
    )
    .unwrap();
    let fixtures = dir.join("fixtures.json");
    let fixture = r#"{"spaces": [{"face": "box", "owner": "11", "items": [
        {"type": "file", "path": "a.txt", "id": 77, "versions": [{"text": "hi"}]}]}]}"#;
    std::fs::write(&fixtures, fixture).unwrap();
    let (mut child, address) = start(
        Command::new(BINARY)
            .args(["--clock", "2024-03-04T05:06:07Z", "--tokens"])
            .arg(&tokens)
            .arg("--fixtures")
            .arg(&fixtures)
            .env("RESTORE_MOCK_ADMIN_TOKEN", "admin"),
    );
    let client = reqwest::Client::new();

    // Act
    let seeded = client
        .get(format!("{address}/2.0/files/77"))
        .bearer_auth("ada")
        .send()
        .await
        .unwrap();
    let seeded_status = seeded.status();
    let seeded: serde_json::Value = seeded.json().await.unwrap();
    let stranger = client
        .get(format!("{address}/2.0/files/77"))
        .bearer_auth("eve")
        .send()
        .await
        .unwrap();
    let admin_without = client
        .get(format!("{address}/__admin/state"))
        .send()
        .await
        .unwrap();
    let admin_with = client
        .get(format!("{address}/__admin/clock"))
        .bearer_auth("admin")
        .send()
        .await
        .unwrap();
    let clock: serde_json::Value = admin_with.json().await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();

    // Assert
    assert_eq!(seeded_status, 200);
    assert_eq!(
        (
            seeded["name"].as_str(),
            seeded["created_by"]["name"].as_str()
        ),
        (Some("a.txt"), Some("Ada"))
    );
    assert_eq!(stranger.status(), 401, "only listed tokens sign in");
    assert_eq!(admin_without.status(), 401);
    assert_eq!(
        clock,
        serde_json::json!({"now": "2024-03-04T05:06:07Z", "frozen": true})
    );
}

#[tokio::test]
async fn the_binary_serves_https_with_a_self_signed_certificate_it_writes_and_names() {
    // Arrange
    let dir = TempDir::new("cli-tls");

    // Act
    let (mut child, address) = start(
        Command::new(BINARY)
            .arg("--tls-self-signed")
            .arg(&*dir)
            .stderr(Stdio::piped()),
    );
    let pem = std::fs::read(dir.join("cert.pem")).expect("the certificate is written");
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let health = client
        .get(format!("{address}/__admin/health"))
        .send()
        .await
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();

    // Assert
    assert!(address.starts_with("https://127.0.0.1:"), "{address}");
    assert_eq!(health.status(), 200);
    assert!(
        stderr.contains(&dir.join("cert.pem").display().to_string()),
        "the line names the certificate to trust: {stderr}"
    );
}

#[test]
fn tls_flags_that_cannot_work_stop_the_start_with_a_reason() {
    // Arrange
    let missing = std::env::temp_dir().join("restore-mock-no-such-cert.pem");
    let cases: [(&[&str], &str, &str); 2] = [
        (
            &["--tls-cert", "x.pem"],
            "--tls-key",
            "a certificate without its key",
        ),
        (
            &[
                "--tls-cert",
                missing.to_str().unwrap(),
                "--tls-key",
                missing.to_str().unwrap(),
            ],
            "restore-mock-no-such-cert.pem",
            "files that are not there",
        ),
    ];

    for (args, named, why) in cases {
        // Act
        let output = Command::new(BINARY).args(args).output().unwrap();

        // Assert
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{why}: {stderr}");
        assert!(stderr.contains(named), "{why}: {stderr}");
    }
}

#[test]
fn a_clock_past_the_year_9999_stops_the_start_with_a_reason() {
    // Act
    let output = Command::new(BINARY)
        .args(["--port", "0", "--clock", "+262142-12-31T23:59:59Z"])
        .output()
        .unwrap();

    // Assert
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "--clock +262142-12-31T23:59:59Z: a date must fall in the years 0000 to 9999"
        ),
        "{stderr}"
    );
}
