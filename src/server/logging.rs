//! The binary's logging: one subscriber on stderr (or `exec --log-file`), at `info` by default so
//! that each API request shows as one line (`access_log`), quieter with `--quiet`, and coloured
//! only for a person.
//!
//! On start the server prints `restore-mock listening on http://HOST:PORT` (`https://` with TLS)
//! on stdout. Logs go to stderr: by default one line per API request (not for `/__admin`), with
//! method, path, status, duration, the request id the client saw, the user and the fault rule
//! that fired, if one did:
//!
//! ```text
//! 2024-01-02T03:04:05.123456Z  INFO restore_mock::access: POST /v1.0/me/drive/items/1000000002/versions/1.0/restoreVersion 429 0.3ms request_id=1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a user=1162330202 fault=1
//! ```
//!
//! Lines reach stderr through `log_writer`, a bounded buffer that a thread of its own writes out
//! within a few milliseconds and at shutdown, so a request does not wait on stderr.
//!
//! `RUST_LOG` filters them (default `restore_mock=info,tower_http=info`;
//! `restore_mock::access=off` drops the request lines alone); `--quiet` keeps warnings and errors
//! whatever `RUST_LOG` says. Colour only when stderr is a terminal and `NO_COLOR` is not set.
//!
//! If the server cannot start it says why in one line on stderr and exits with status 2, e.g.
//! `restore-mock: cannot listen on 127.0.0.1:8080: address already in use (try --port 0)`; a bad
//! fixture or token file, clock or flag is reported the same way.

use std::io::{IsTerminal, Write};

use tracing_subscriber::EnvFilter;

use crate::server::log_writer;
pub use crate::server::log_writer::LogGuard;

/// The name of the thread that writes the lines out (a benchmark counts its CPU as the server's).
pub const WRITER_THREAD: &str = log_writer::THREAD_NAME;

/// What is logged when neither `--quiet` nor `RUST_LOG` says otherwise.
pub const DEFAULT_FILTER: &str = "restore_mock=info,tower_http=info";

/// Installs the subscriber. `--quiet` keeps warnings and errors only, whatever `RUST_LOG` says (a
/// flag on the command line is the more deliberate choice); otherwise `RUST_LOG` decides when set.
/// Keep the guard until the end: dropping it writes out the lines still buffered.
pub fn init(quiet: bool) -> Option<LogGuard> {
    let ansi = colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR"),
    );
    install(quiet, ansi, std::io::stderr())
}

/// `init`, but into `file` (`exec --log-file`), never coloured.
pub fn init_to_file(quiet: bool, file: std::fs::File) -> Option<LogGuard> {
    install(quiet, false, file)
}

/// The subscriber, writing through `log_writer` into `sink`.
fn install(quiet: bool, ansi: bool, sink: impl Write + Send + 'static) -> Option<LogGuard> {
    let fmt = tracing_subscriber::fmt()
        .with_ansi(ansi)
        .with_env_filter(filter(quiet));
    match log_writer::start(sink) {
        Ok((writer, guard)) => {
            fmt.with_writer(writer).init();
            Some(guard)
        }
        // Only when no thread can be started: then each line goes to stderr as it is made.
        Err(_) => {
            fmt.with_writer(std::io::stderr).init();
            None
        }
    }
}

fn filter(quiet: bool) -> EnvFilter {
    if quiet {
        EnvFilter::new("warn")
    } else {
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER))
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything but the empty string
/// (<https://no-color.org>): logs redirected to a file must not fill with escape codes.
fn colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::colour;

    #[test]
    fn colour_is_for_a_terminal_without_no_color() {
        for (terminal, no_color, expected) in [
            (true, None, true),
            (true, Some(""), true),
            (true, Some("1"), false),
            (false, None, false),
            (false, Some("1"), false),
        ] {
            assert_eq!(
                colour(terminal, no_color.map(Into::into)),
                expected,
                "terminal {terminal}, NO_COLOR {no_color:?}"
            );
        }
    }
}
