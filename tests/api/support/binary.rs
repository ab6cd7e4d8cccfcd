//! The `restore-mock` binary as a child process, for the tests of the command line itself.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

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
