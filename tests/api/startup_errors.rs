//! Every way the binary can fail to start ends the same way: one line on stderr that says what
//! and where, `restore-mock: …`, nothing on stdout, and exit status 2.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::support::binary::{run_to_exit, BINARY};

/// A scratch directory of its own for each test, under cargo's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("startup-errors-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_port_in_use_names_the_address_and_the_way_out() {
    // Arrange: hold a port, then ask the binary for it.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    // Act
    let output = run_to_exit(Command::new(BINARY).args(["--port", &port]));

    // Assert
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "restore-mock: cannot listen on 127.0.0.1:{port}: address already in use (try --port 0)\n"
        )
    );
    assert!(output.stdout.is_empty(), "no address line was printed");
}

/// The flags, the environment, the line expected after `restore-mock: `, and what the case is.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, String, &'a str);

#[test]
fn every_other_start_up_failure_is_one_line_and_exit_status_2() {
    // Arrange
    let dir = scratch("table");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let missing = dir.join("missing.json").display().to_string();
    let tls_dir = dir.join("tls").display().to_string();
    let not_json = write("not-json.json", "{\"users\": [");
    let bad_owner = write(
        "bad-owner.json",
        r#"{"spaces": [{"face": "box", "owner": "nobody"}]}"#,
    );
    let tokens_with_files = write(
        "tokens-with-files.json",
        r#"{"users": [{"id": "1"}], "spaces": [{"face": "box", "owner": "1"}]}"#,
    );
    let key_only = write(
        "key-only.pem",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    let cases: Vec<Case> = vec![
        (
            vec!["--fixtures", &missing],
            vec![],
            format!("cannot read {missing}: no such file or directory"),
            "a fixtures file that does not exist",
        ),
        (
            vec!["--fixtures", &not_json],
            vec![],
            format!("{not_json} is not valid fixture JSON: EOF while parsing a list at line 1 column 11"),
            "a fixtures file that is not JSON",
        ),
        (
            vec!["--fixtures", &bad_owner],
            vec![],
            r#"the fixtures: spaces[0].owner: unknown user "nobody""#.to_owned(),
            "a fixture naming a user it does not have",
        ),
        (
            vec!["--tokens", &missing],
            vec![],
            format!("cannot read {missing}: no such file or directory"),
            "a tokens file that does not exist",
        ),
        (
            vec!["--tokens", &tokens_with_files],
            vec![],
            format!("{tokens_with_files}: a token list holds only `users`; files (`spaces`), groups and sites go in --fixtures"),
            "a tokens file with files in it",
        ),
        (
            vec!["--receiver-ca-file", &missing],
            vec![],
            format!("cannot read {missing}: no such file or directory"),
            "a receiver CA file that does not exist",
        ),
        (
            vec![],
            vec![("RESTORE_MOCK_RECEIVER_CA_FILE", &key_only)],
            format!("{key_only} (--receiver-ca-file): it holds no PEM certificate"),
            "a receiver CA file from the environment with a key but no certificate",
        ),
        (
            vec!["--clock", "yesterday"],
            vec![],
            "invalid value 'yesterday' for '--clock <CLOCK>': input contains invalid characters (see --help)".to_owned(),
            "a clock that is not an RFC 3339 instant",
        ),
        (
            vec![],
            vec![("RESTORE_MOCK_PORT", "eighty")],
            "invalid value 'eighty' for '--port <PORT>': invalid digit found in string (see --help)".to_owned(),
            "a port from the environment that is not a number",
        ),
        (
            vec!["--host", "localhost:8080"],
            vec![],
            "invalid value 'localhost:8080' for '--host <HOST>': invalid IP address syntax (see --help)".to_owned(),
            "a host that is not an IP address",
        ),
        (
            vec!["--tls-self-signed", &tls_dir, "--tls-name", "api.box.com,not a name"],
            vec![],
            "--tls-name \"not a name\" is neither a DNS name nor an IP address".to_owned(),
            "a certificate name with spaces",
        ),
        (
            vec!["--prot", "8080"],
            vec![],
            "unexpected argument '--prot' found (see --help)".to_owned(),
            "a misspelt flag",
        ),
    ];

    for (args, env, message, what) in cases {
        // Act
        let mut command = Command::new(BINARY);
        if !env.iter().any(|(name, _)| *name == "RESTORE_MOCK_PORT") {
            // Should a case start the server after all, it must not take the default port.
            command.args(["--port", "0"]);
        }
        let output = run_to_exit(command.args(&args).envs(env));

        // Assert
        assert_eq!(output.status.code(), Some(2), "{what}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!("restore-mock: {message}\n"),
            "{what}"
        );
        assert!(output.stdout.is_empty(), "{what}: the server did not start");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
