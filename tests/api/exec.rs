//! `restore-mock exec -- COMMAND` and `--print-env`, through the built binary: the command
//! reaches the emulator through the variables alone, its status and signals pass through, the
//! emulator is gone afterwards, and each failure is one line with the status a shell would give.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::support::binary::{run_to_exit, BINARY};

/// `restore-mock exec ARGS`, logging at the default level whatever the caller's RUST_LOG.
fn exec(args: &[&str]) -> Command {
    let mut command = Command::new(BINARY);
    command.arg("exec").args(args).env_remove("RUST_LOG");
    command
}

/// A scratch directory of its own for each test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("exec-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A port nobody listens on now (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_reaches_the_emulator_through_the_variables_and_its_status_is_exec_s() {
    // The command calls each face and the admin API through the variables only, then exits
    // with the status under test.
    let script = r#"
        for url in "$RESTORE_MOCK_GRAPH_URL/me/drive" "$RESTORE_MOCK_BOX_URL/2.0/users/me" \
                   "$RESTORE_MOCK_ADMIN_URL/health" "$RESTORE_MOCK_URL/v1.0/me"; do
            curl -fsS -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer t' "$url"
        done
        exit "$1""#;
    for (status, why) in [
        (0, "success"),
        (3, "a failure"),
        (255, "the highest status"),
    ] {
        // Act
        let output = run_to_exit(&mut exec(&[
            "--",
            "sh",
            "-c",
            script,
            "sh",
            &status.to_string(),
        ]));

        // Assert: stdout is the command's alone; the emulator logged each call on stderr.
        assert_eq!(output.status.code(), Some(status), "{why}");
        assert_eq!(text(&output.stdout), "200\n200\n200\n200\n", "{why}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("GET /2.0/users/me 200"),
            "{why}: the access log is on stderr:\n{stderr}"
        );
    }
}

#[test]
fn the_emulator_is_stopped_and_its_port_free_once_the_command_ends() {
    // Arrange: a fixed port, so that the test knows which one must be free afterwards.
    let port = free_port();

    // Act
    let output = run_to_exit(&mut exec(&[
        "--port",
        &port.to_string(),
        "--",
        "sh",
        "-c",
        r#"echo "$RESTORE_MOCK_URL""#,
    ]));

    // Assert: exec (and the emulator in it) has exited; nothing answers on the port, which a
    // new listener can take.
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), format!("http://127.0.0.1:{port}\n"));
    let refused = TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
}

#[test]
fn the_log_goes_to_the_log_file_and_never_to_the_command_s_output() {
    // Arrange
    let log = scratch("log-file").join("emulator.log");

    // Act
    let output = run_to_exit(&mut exec(&[
        "--log-file",
        log.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        r#"curl -fsS -H 'Authorization: Bearer t' "$RESTORE_MOCK_GRAPH_URL/me/drive" -o /dev/null && echo done"#,
    ]));

    // Assert
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "done\n");
    assert_eq!(text(&output.stderr), "", "the log went to the file");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("GET /v1.0/me/drive 200"), "{logged}");
}

/// Waits for `child`; an exec that has not passed the signal on would wait for its command
/// (`command`, a process id) forever, so after a generous minute both are killed and the test
/// fails instead of hanging.
fn wait_at_most_a_minute(
    child: &mut std::process::Child,
    command: String,
    why: &str,
) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let (done, waited) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if waited
            .recv_timeout(std::time::Duration::from_secs(60))
            .is_err()
        {
            let _ = Command::new("kill")
                .args(["-KILL", &pid, &command])
                .status();
        }
    });
    let status = child.wait().unwrap();
    let _ = done.send(());
    watchdog.join().unwrap();
    assert!(
        status.code().is_some(),
        "{why}: exec did not end within a minute, the signal was not passed on"
    );
    status
}

#[test]
fn a_signal_to_exec_reaches_the_command_whose_status_exec_returns() {
    // A command that says it is ready, then waits for a signal; with `handled` it exits 7 on
    // SIGTERM and 8 on SIGINT, without it the signal ends it.
    let program = |handled: bool| {
        let handlers = if handled {
            "signal.signal(signal.SIGTERM, lambda *_: bye('TERM', 7))\n\
             signal.signal(signal.SIGINT, lambda *_: bye('INT', 8))\n"
        } else {
            ""
        };
        format!(
            "import os, signal, sys\n\
             def bye(name, status):\n    print('got', name, flush=True)\n    sys.exit(status)\n\
             {handlers}print('ready', os.getpid(), flush=True)\nwhile True:\n    signal.pause()\n"
        )
    };
    let cases = [
        ("-TERM", true, Some(7), "got TERM\n", "SIGTERM, handled"),
        ("-INT", true, Some(8), "got INT\n", "SIGINT, handled"),
        (
            "-TERM",
            false,
            Some(128 + 15),
            "",
            "SIGTERM ends the command: 128 + 15",
        ),
    ];
    for (signal, handled, status, said, why) in cases {
        // Arrange: exec's stdout is the command's; its first line says the handlers are set,
        // with the command's process id.
        let mut child = exec(&["-q", "--", "python3", "-c", &program(handled)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let command = line
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("{why}: {line}"));
        let command = command.trim().to_owned();

        // Act: the signal goes to exec alone, not to its process group.
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let exited = wait_at_most_a_minute(&mut child, command, why);

        // Assert
        assert!(sent.success(), "{why}");
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(
            (exited.code(), rest.as_str()),
            (status, said),
            "{why}: {stderr}"
        );
    }
}

#[test]
fn each_failure_is_one_line_with_the_status_a_shell_would_give() {
    // Arrange: a port in use, a file that is not executable, a log file that cannot be made.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = scratch("failures");
    let not_executable = dir.join("script.sh");
    std::fs::write(&not_executable, "echo ran\n").unwrap();
    let not_executable = not_executable.to_str().unwrap();
    let no_dir_log = dir.join("missing").join("emulator.log");
    let no_dir_log = no_dir_log.to_str().unwrap();
    let cases: Vec<(Vec<&str>, i32, String, &str)> = vec![
        (
            vec!["--port", &port, "--", "sh", "-c", "echo ran"],
            2,
            format!("cannot listen on 127.0.0.1:{port}: address already in use (try --port 0)"),
            "the port is taken: the command does not run",
        ),
        (
            vec!["--", "no-such-command-for-restore-mock"],
            127,
            "cannot run no-such-command-for-restore-mock: command not found".into(),
            "a command that does not exist: 127, as shells say",
        ),
        (
            vec!["--", not_executable],
            126,
            format!("cannot run {not_executable}: permission denied"),
            "a file that is not executable: 126, as shells say",
        ),
        (
            vec!["--log-file", no_dir_log, "--", "sh", "-c", "echo ran"],
            2,
            format!("cannot write the log to {no_dir_log}: no such file or directory"),
            "a log file in a directory that does not exist",
        ),
        (
            vec!["--port", "0"],
            2,
            "the following required arguments were not provided: <COMMAND>... (see --help)".into(),
            "no command",
        ),
    ];

    for (args, status, message, why) in cases {
        // Act
        let output = run_to_exit(&mut exec(&[&["-q"], &args[..]].concat()));

        // Assert
        assert_eq!(output.status.code(), Some(status), "{why}");
        assert_eq!(
            text(&output.stderr),
            format!("restore-mock: {message}\n"),
            "{why}"
        );
        assert_eq!(text(&output.stdout), "", "{why}: nothing ran");
    }
}

#[test]
fn options_before_exec_are_refused_rather_than_ignored() {
    let output = run_to_exit(Command::new(BINARY).args(["--port", "0", "exec", "--", "true"]));

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "restore-mock: the subcommand 'exec' cannot be used with '--port <PORT>' (see --help)\n"
    );
}

/// Parses `--print-env` output in `form` into the variables it sets: the shell form by a shell
/// that evaluates it, the others as their readers would.
fn parse(form: &str, printed: &str) -> BTreeMap<String, String> {
    match form {
        "json" => serde_json::from_str(printed).unwrap(),
        "dotenv" => printed
            .lines()
            .map(|line| {
                let (name, value) = line.split_once('=').unwrap();
                (name.to_owned(), value.to_owned())
            })
            .collect(),
        "shell" => {
            // `env -i`: the variables the block exports, and nothing inherited.
            let output = Command::new("env")
                .args(["-i", "sh", "-c", "eval \"$1\" && env", "sh", printed])
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", text(&output.stderr));
            text(&output.stdout)
                .lines()
                .filter_map(|line| line.split_once('='))
                .filter(|(name, _)| !["PWD", "SHLVL", "_", "OLDPWD"].contains(name))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect()
        }
        other => panic!("no form {other}"),
    }
}

#[test]
fn print_env_prints_the_variables_in_each_form_and_they_reach_the_server() {
    let dir = scratch("print-env");
    let cert = std::path::absolute(dir.join("tls"))
        .unwrap()
        .join("cert.pem");
    let cert = cert.to_str().unwrap();
    for (form, tls, lines, why) in [
        ("shell", false, 7, "export lines"),
        ("dotenv", false, 7, "NAME=value lines"),
        ("json", false, 1, "one line of JSON"),
        ("json", true, 1, "TLS adds the CA variables"),
        ("dotenv", true, 10, "TLS adds the CA variables"),
    ] {
        // Arrange
        let port = free_port();
        let mut command = Command::new(BINARY);
        command
            .args(["-q", "--port", &port.to_string(), "--print-env", form])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if tls {
            command.arg("--tls-self-signed").arg(dir.join("tls"));
        }
        let mut child = command.spawn().unwrap();

        // Act: the block is the first thing on stdout.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let printed: String = (0..lines)
            .map(|_| {
                let mut line = String::new();
                stdout.read_line(&mut line).unwrap();
                line
            })
            .collect();
        let vars = parse(form, &printed);
        let health = vars.get("RESTORE_MOCK_ADMIN_URL").map(|admin| {
            let mut curl = Command::new("curl");
            curl.args(["-fsS", &format!("{admin}/health")]);
            if tls {
                curl.args(["--cacert", cert]);
            }
            curl.output().unwrap()
        });
        child.kill().unwrap();
        child.wait().unwrap();

        // Assert
        let scheme = if tls { "https" } else { "http" };
        let root = format!("{scheme}://127.0.0.1:{port}");
        let mut expected = json!({
            "RESTORE_MOCK_URL": root,
            "RESTORE_MOCK_GRAPH_URL": format!("{root}/v1.0"),
            "RESTORE_MOCK_BOX_URL": root,
            "RESTORE_MOCK_BOX_UPLOAD_URL": format!("{root}/api"),
            "RESTORE_MOCK_ADMIN_URL": format!("{root}/__admin"),
            "IDENTITY_ENDPOINT": format!("{root}/msi/token"),
            "IDENTITY_HEADER": "restore-mock",
        });
        if tls {
            for name in ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"] {
                expected[name] = json!(cert);
            }
        }
        assert_eq!(
            serde_json::to_value(&vars).unwrap(),
            expected,
            "{form}, {why}:\n{printed}"
        );
        let health = health.unwrap();
        assert_eq!(
            (text(&health.stdout), health.status.success()),
            ("{\"status\":\"ok\"}".to_owned(), true),
            "{form}, {why}: {}",
            text(&health.stderr)
        );
    }
}

#[test]
fn under_tls_the_ca_variables_alone_make_python_and_node_trust_the_emulator() {
    // Arrange: each client reads the health route with its defaults: no CA named in code.
    let dir = scratch("tls");
    let python = crate::support::sdk_python();
    let python = python.to_str().unwrap();
    let clients: [(&str, Vec<&str>); 4] = [
        (
            "urllib (SSL_CERT_FILE)",
            vec!["python3", "-c", "import os, urllib.request as u; print(u.urlopen(os.environ['RESTORE_MOCK_ADMIN_URL'] + '/health').read().decode())"],
        ),
        (
            "requests, as boxsdk uses it (REQUESTS_CA_BUNDLE)",
            vec![python, "-c", "import os, requests; print(requests.get(os.environ['RESTORE_MOCK_ADMIN_URL'] + '/health').text)"],
        ),
        (
            "httpx, as msgraph-sdk uses it (SSL_CERT_FILE)",
            vec![python, "-c", "import os, httpx; print(httpx.get(os.environ['RESTORE_MOCK_ADMIN_URL'] + '/health').text)"],
        ),
        (
            "node's fetch (NODE_EXTRA_CA_CERTS)",
            vec!["node", "-e", "fetch(process.env.RESTORE_MOCK_ADMIN_URL + '/health').then(r => r.text()).then(console.log)"],
        ),
    ];
    for (client, command) in clients {
        // Act
        let mut args = vec!["-q", "--tls-self-signed", dir.to_str().unwrap(), "--"];
        args.extend(command);
        let output = run_to_exit(&mut exec(&args));

        // Assert
        assert_eq!(
            (output.status.code(), text(&output.stdout)),
            (Some(0), "{\"status\":\"ok\"}\n".to_owned()),
            "{client}: {}",
            text(&output.stderr)
        );
    }
}

#[tokio::test]
async fn an_embedded_emulator_offers_the_same_variables_for_a_process_it_starts() {
    // Arrange
    let emulator = crate::support::spawn().start().await.emulator;

    // Act
    let vars: BTreeMap<&str, &str> = emulator.environment().vars().collect();

    // Assert
    let root = format!("http://127.0.0.1:{}", emulator.address().port());
    let expected = json!({
        "RESTORE_MOCK_URL": root,
        "RESTORE_MOCK_GRAPH_URL": format!("{root}/v1.0"),
        "RESTORE_MOCK_BOX_URL": root,
        "RESTORE_MOCK_BOX_UPLOAD_URL": format!("{root}/api"),
        "RESTORE_MOCK_ADMIN_URL": format!("{root}/__admin"),
        "IDENTITY_ENDPOINT": format!("{root}/msi/token"),
        "IDENTITY_HEADER": "restore-mock",
    });
    assert_eq!(serde_json::to_value(&vars).unwrap(), expected);
}
