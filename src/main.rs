//! The `restore-mock` binary: parse the command line, set up logging, serve until Ctrl-C or
//! SIGTERM, or hand `restore-mock exec` to the library's `exec`. Any failure to start is one line
//! on stderr, `restore-mock: …`, and exit status 2.

use std::process::ExitCode;

use clap::Parser;
use restore_mock::config::{Cli, CliCommand, ExecArgs};
use restore_mock::{exec, logging, Config, EnvFormat, Server, StartError};

// hyper, axum and the handlers allocate a little on every request from two or more threads, and
// frees often happen on another thread than the allocation; mimalloc handles that pattern with
// less contention than glibc's arenas (Graph restoreVersion: 16.2 -> 13.5 us of CPU at c=64).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The exit status of every start-up failure, as clap uses for a bad command line.
const START_FAILED: u8 = 2;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return command_line_error(error),
    };
    if let Some(CliCommand::Exec(args)) = cli.command {
        return run_exec(args).await;
    }
    let log = logging::init(cli.config.quiet);
    let result = run(cli.config, cli.print_env).await;
    // Every buffered log line out before the last word, which goes straight to stderr.
    drop(log);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("restore-mock: {error}");
            ExitCode::from(START_FAILED)
        }
    }
}

/// Exits with the command's status. `process::exit` rather than an `ExitCode` (a `u8`), so that a
/// Windows status above 255 is not wrapped, perhaps to 0; the emulator has stopped by then.
async fn run_exec(args: ExecArgs) -> ExitCode {
    match exec::run(args).await {
        Ok(status) => std::process::exit(status),
        Err(error) => {
            eprintln!("restore-mock: {error}");
            ExitCode::from(error.exit_status())
        }
    }
}

/// Reads the files the configuration names before binding, so a bad file costs no port.
async fn run(config: Config, print_env: Option<EnvFormat>) -> Result<(), StartError> {
    let host = config.host;
    let server = Server::build(config)?;
    if let Some(written) = server.self_signed() {
        let ca = std::path::absolute(&written.cert).unwrap_or_else(|_| written.cert.clone());
        let ca = ca.display();
        eprintln!(
            "restore-mock: wrote a local CA to {ca} (also served at /__admin/ca.pem) and a \
             certificate it signed for localhost, 127.0.0.1 and ::1 to {} (its key: {}); have \
             clients trust the CA:\n  \
             export REQUESTS_CA_BUNDLE={ca}\n  \
             export SSL_CERT_FILE={ca}\n  \
             export NODE_EXTRA_CA_CERTS={ca}",
            written.chain.display(),
            written.key.display()
        );
    }
    if let Some(warning) = server.open_bind_warning() {
        eprintln!("{warning}");
    }
    let shutdown = shutdown_signal();
    let listener = server.bind().await?;
    let address = listener.local_addr().map_err(|source| StartError::Bind {
        address: host.to_string(),
        source,
    })?;
    match print_env {
        // One write, so that a reader sees the whole block or none of it.
        Some(format) => print!("{}", server.environment(address).render(format)),
        // Scripts that start the server on port 0 read the address from this line.
        None => println!("restore-mock listening on {}://{address}", server.scheme()),
    }
    server
        .serve(listener, shutdown)
        .await
        .map_err(StartError::Serve)
}

/// `--help` and `--version` print as clap makes them; a bad flag or value is one line, like
/// every other start-up failure, rather than clap's paragraph with usage.
fn command_line_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let rendered = error.render().to_string();
    // The first paragraph, on one line: a missing argument is named on the line after it.
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    let first = first.join(" ");
    let first = if first.is_empty() {
        "invalid command line".to_owned()
    } else {
        first
    };
    let message = first.strip_prefix("error: ").unwrap_or(&first);
    eprintln!("restore-mock: {message} (see --help)");
    ExitCode::from(START_FAILED)
}

/// Installs the Ctrl-C and SIGTERM handlers at once and returns the future that waits for either.
/// It is called before the listening line is printed: a script that signals the server as soon
/// as it reads that line must find the handlers in place, not the default action, which kills the
/// process without a graceful shutdown (a handler made inside the future is only installed when
/// the server first polls it).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            // Without handlers the default actions still stop the process.
            _ => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}
