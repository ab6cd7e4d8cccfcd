//! The `restore-mock` binary as a child process, for the tests of the command line itself, and
//! running a command (the binary or what a snippet runs) to its exit.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The `restore-mock` binary cargo built for these tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_restore-mock");

/// Spawns the binary as `command` has it set up, with stdout piped, and reads the address from
/// the line it prints once it listens (`restore-mock listening on http://…`).
pub fn listening(command: &mut Command) -> (Child, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("restore-mock listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, address)
}

/// Runs `command` to its exit, stdin closed, and reads its output. A command that does not end
/// (a binary that starts instead of failing serves forever) is killed after a generous minute
/// and the test fails rather than hangs.
pub fn run_to_exit(command: &mut Command) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(&pid).status();
            panic!("still running after a minute, killed: {command:?}");
        }
    }
}
