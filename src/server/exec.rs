//! `restore-mock exec [OPTIONS] -- COMMAND [ARGS...]`: a fresh emulator served on this process's
//! runtime while COMMAND runs with the [environment contract](super::Environment), stopped when
//! the command ends; the process then exits with the command's status.
//!
//! - The port is bound before the command starts, so its first request is answered: no
//!   readiness polling on either side.
//! - The command inherits stdin, stdout and stderr. The emulator writes nothing on stdout; its
//!   log goes to stderr, or to `--log-file`.
//! - On Unix, SIGTERM and SIGINT sent to `exec` are passed on to the command, and `exec` keeps
//!   waiting for it (a second signal is passed on again). Ctrl-C in a terminal reaches the
//!   command from the terminal as well (one process group), so it may see SIGINT twice; test
//!   runners treat the second as "stop now". On Windows, Ctrl-C reaches every process on the
//!   console, and `exec` waits for the command rather than dying first.
//! - Exit status: the command's; 128 + N when a signal N ended it (as shells report it); 127
//!   when the command is not found and 126 when it cannot be run (as shells do); 2, with one
//!   line on stderr, when the emulator could not start (as the server's own start-up errors).

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

use tokio::process::{Child, Command};
use tokio::sync::oneshot;

use super::{os_words, Server, StartError};
use crate::config::ExecArgs;
use crate::logging;

/// Why `exec` ended without running the command to its end.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot write the log to {path}: {}", os_words(source))]
    LogFile { path: PathBuf, source: io::Error },
    #[error("cannot watch for signals to pass on: {}", os_words(.0))]
    Signals(io::Error),
    #[error("cannot run {}: {}", .command.to_string_lossy(), spawn_failure(source))]
    Spawn {
        command: OsString,
        source: io::Error,
    },
    #[error("lost track of {}: {}", .command.to_string_lossy(), os_words(source))]
    Wait {
        command: OsString,
        source: io::Error,
    },
}

impl ExecError {
    /// The exit status `exec` ends with: the shells' 127 and 126 for a command that is not found
    /// or cannot be run, otherwise 2, the status of every start-up failure.
    pub fn exit_status(&self) -> u8 {
        match self {
            Self::Spawn { source, .. } if source.kind() == io::ErrorKind::NotFound => 127,
            Self::Spawn { .. } => 126,
            _ => 2,
        }
    }
}

fn spawn_failure(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "command not found".into(),
        _ => os_words(error),
    }
}

/// Runs `exec`: logging, the emulator, the command, then the emulator's stop. Returns the status
/// to exit with (the command's); the caller prints an error as `restore-mock: {error}`.
pub async fn run(args: ExecArgs) -> Result<i32, ExecError> {
    let ExecArgs {
        config,
        log_file,
        command,
    } = args;
    // Held to the end of `run`: dropping it writes out the log lines still buffered.
    let _log = match &log_file {
        Some(path) => {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|source| ExecError::LogFile {
                    path: path.clone(),
                    source,
                })?;
            logging::init_to_file(config.quiet, file)
        }
        None => logging::init(config.quiet),
    };
    let host = config.host;
    let server = Server::build(config)?;
    if let Some(warning) = server.open_bind_warning() {
        tracing::warn!("{warning}");
    }
    // Before the command exists: a signal that arrives while it starts must be passed on, not
    // take the default action and leave the command running without its emulator.
    let mut signals = Signals::install().map_err(ExecError::Signals)?;
    let listener = server.bind().await?;
    let address = listener.local_addr().map_err(|source| StartError::Bind {
        address: host.to_string(),
        source,
    })?;
    let environment = server.environment(address);
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stopped.await;
    }));

    let (program, arguments) = command.split_first().expect("clap requires a command");
    tracing::info!(
        "serving on {} for {}",
        environment.get("RESTORE_MOCK_URL").unwrap_or_default(),
        program.to_string_lossy()
    );
    let spawned = Command::new(program)
        .args(arguments)
        .envs(environment.vars())
        .spawn();
    let outcome = match spawned {
        Ok(mut child) => signals
            .wait_passing_on(&mut child)
            .await
            .map(exit_code)
            .map_err(|source| ExecError::Wait {
                command: program.clone(),
                source,
            }),
        Err(source) => Err(ExecError::Spawn {
            command: program.clone(),
            source,
        }),
    };

    // In-flight requests get `transport::STOP_GRACE` to finish: a process the command left
    // behind must not keep `exec` from exiting.
    let _ = stop.send(());
    match serving.await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::error!(%error, "the emulator stopped with an error"),
        Err(error) => tracing::error!(%error, "the emulator's task failed"),
    }
    outcome
}

/// The status a shell would report for `status`.
fn exit_code(status: ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return 128 + signal;
    }
    1
}

/// The signals `exec` passes on to its command, installed before the command starts.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Waits for `child` to end, passing SIGINT and SIGTERM on to it meanwhile.
    #[cfg(unix)]
    async fn wait_passing_on(&mut self, child: &mut Child) -> io::Result<ExitStatus> {
        use nix::sys::signal::Signal;
        loop {
            let signal = tokio::select! {
                status = child.wait() => return status,
                Some(()) = self.interrupt.recv() => Signal::SIGINT,
                Some(()) = self.terminate.recv() => Signal::SIGTERM,
            };
            // None once the child has been reaped: it has ended, and `wait` returns next.
            if let Some(pid) = child.id().and_then(|pid| i32::try_from(pid).ok()) {
                // Fails only when the child has just exited; its status comes next either way.
                let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal);
            }
        }
    }

    /// Waits for `child` to end. Ctrl-C reaches every process on the console, the child too;
    /// `exec` outlives it so as to stop the emulator after the child and report its status.
    #[cfg(not(unix))]
    async fn wait_passing_on(&mut self, child: &mut Child) -> io::Result<ExitStatus> {
        loop {
            tokio::select! {
                status = child.wait() => return status,
                _ = tokio::signal::ctrl_c() => {}
            }
        }
    }
}
