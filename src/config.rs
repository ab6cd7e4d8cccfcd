//! Command-line and environment configuration, kept in the library so tests and the
//! `Emulator` builder can make one; with the `cli` feature, the binary's whole command line
//! ([`Cli`]: serve, or `exec` a command beside the emulator).

use std::net::IpAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

pub use crate::http::cors::{CorsOrigin, CorsOriginError};
pub use crate::http::host::{AllowedHost, HostError, PublicUrl, PublicUrlError};

/// The emulator's options.
///
/// With the `cli` feature (on by default) these are also the binary's flags (clap), in [`Cli`];
/// an embedder without it builds one with `Config::default()` and struct update syntax.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Config {
    /// Address to listen on.
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_HOST", default_value = "127.0.0.1")
    )]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free one (the chosen address is printed on stdout).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_PORT", default_value_t = 8080)
    )]
    pub port: u16,

    /// Largest request body accepted, in bytes; larger ones get each API's 413.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_MAX_BODY", default_value_t = DEFAULT_MAX_BODY))]
    pub max_body: usize,

    /// Largest file an upload session takes, in bytes; larger declared sizes get each API's
    /// error. Default: each service's own limit (Graph 250 GiB, Box 5 GiB), never more than
    /// --max-session-bytes.
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_MAX_FILE_SIZE", value_name = "BYTES")
    )]
    pub max_file_size: Option<u64>,

    /// Most bytes all open upload sessions may declare together; a session past it is refused
    /// until others are committed, cancelled or expire.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_MAX_SESSION_BYTES", value_name = "BYTES", default_value_t = DEFAULT_MAX_SESSION_BYTES))]
    pub max_session_bytes: u64,

    /// Most upload sessions one user may have open (and not yet committed) at once.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_MAX_SESSIONS_PER_USER", value_name = "COUNT", default_value_t = DEFAULT_MAX_SESSIONS_PER_USER))]
    pub max_sessions_per_user: usize,

    /// A JSON file in the fixture format whose `users` (with `tokens` and `scopes`) are the only
    /// tokens accepted; any other token gets each API's 401.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_TOKENS"))]
    pub tokens: Option<PathBuf>,

    /// A fixture file (users, folders, files and version histories) loaded at start.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_FIXTURES"))]
    pub fixtures: Option<PathBuf>,

    /// How many requests the journal keeps; the oldest go first.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_JOURNAL_LIMIT", default_value_t = DEFAULT_JOURNAL_LIMIT))]
    pub journal_limit: usize,

    /// Start with the clock frozen at this RFC 3339 instant (e.g. 2024-01-02T03:04:05Z).
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_CLOCK"))]
    pub clock: Option<DateTime<Utc>>,

    /// Require this bearer token on every /__admin route but health.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_ADMIN_TOKEN"))]
    pub admin_token: Option<String>,

    /// The URL clients reach the emulator by (e.g. http://restore-mock:8080 behind a proxy or in
    /// a compose file): every absolute link it writes starts with it, and the open admin API
    /// answers to its host.
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_PUBLIC_URL", value_name = "URL")
    )]
    pub public_url: Option<PublicUrl>,

    /// One more `host[:port]` the open admin API answers to, besides loopback names and the
    /// address it listens on (e.g. restore-mock:8080 for other containers); repeatable.
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "allowed-host",
            env = "RESTORE_MOCK_ALLOWED_HOSTS",
            value_delimiter = ',',
            value_name = "HOST[:PORT]"
        )
    )]
    pub allowed_hosts: Vec<AllowedHost>,

    /// A web origin (`scheme://host[:port]`, or `*` for any) whose pages may call the APIs from
    /// a browser: preflights are answered and replies carry `Access-Control-Allow-Origin`;
    /// repeatable. Off by default (any bearer token signs in); never for `/__admin`.
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "cors-origin",
            env = "RESTORE_MOCK_CORS_ORIGINS",
            value_delimiter = ',',
            value_name = "ORIGIN"
        )
    )]
    pub cors_origins: Vec<CorsOrigin>,

    /// Keep users, files, versions and content in this directory (made if missing), so that
    /// they survive a restart or a crash; without it nothing touches the disk.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_DATA_DIR"))]
    pub data_dir: Option<PathBuf>,

    /// Serve HTTPS on the port with this PEM certificate chain (and `--tls-key`).
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "RESTORE_MOCK_TLS_CERT",
            requires = "tls_key",
            value_name = "FILE"
        )
    )]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of `--tls-cert`.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "RESTORE_MOCK_TLS_KEY",
            requires = "tls_cert",
            value_name = "FILE"
        )
    )]
    pub tls_key: Option<PathBuf>,

    /// Serve HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1, written to
    /// DIR/cert.pem (for clients to trust) and DIR/key.pem.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "RESTORE_MOCK_TLS_SELF_SIGNED",
            conflicts_with = "tls_cert",
            value_name = "DIR"
        )
    )]
    pub tls_self_signed: Option<PathBuf>,

    /// One more name the `--tls-self-signed` certificate is for, besides localhost and the
    /// loopback addresses (e.g. api.box.com, for a client whose base URLs are fixed and whose
    /// requests reach the emulator through /etc/hosts or a proxy); repeatable.
    #[cfg_attr(
        feature = "cli",
        arg(
            long = "tls-name",
            env = "RESTORE_MOCK_TLS_NAMES",
            value_delimiter = ',',
            requires = "tls_self_signed",
            value_name = "NAME"
        )
    )]
    pub tls_names: Vec<String>,

    /// How many changes the change log keeps (what Graph delta and Box events read); a delta
    /// token or stream position older than the oldest kept gets the service's resync answer.
    #[cfg_attr(feature = "cli", arg(long, env = "RESTORE_MOCK_CHANGE_LOG_LEN", value_name = "COUNT", default_value_t = DEFAULT_CHANGE_LOG_LEN, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)))]
    pub change_log_len: usize,

    /// Log warnings and errors only, not a line per request (overrides RUST_LOG).
    #[cfg_attr(feature = "cli", arg(long, short, env = "RESTORE_MOCK_QUIET"))]
    pub quiet: bool,

    /// Answer a Graph drive the caller may not reach (a group or site they are no member of,
    /// another user's drive) with 404 itemNotFound instead of 403 accessDenied.
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_HIDE_UNREACHABLE_DRIVES")
    )]
    pub hide_unreachable_drives: bool,

    /// Refuse `http://` receivers for Graph subscriptions and Box webhooks, as the real services
    /// do (they call only `https://` addresses); by default plain `http://` is taken too, so a
    /// test's receiver can be a socket on loopback. An `https://` receiver is called over TLS
    /// either way (see --receiver-ca-file for which certificates it may present).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_REQUIRE_HTTPS_RECEIVERS")
    )]
    pub require_https_receivers: bool,

    /// A PEM bundle of CAs whose certificates `https://` receivers may present (a test's own
    /// CA), trusted besides the system's (SSL_CERT_FILE, else
    /// /etc/ssl/certs/ca-certificates.crt) and the emulator's own --tls-self-signed CA; a
    /// receiver with any other certificate is a failed delivery.
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_RECEIVER_CA_FILE", value_name = "FILE")
    )]
    pub receiver_ca_file: Option<PathBuf>,

    /// The wait before the first retry of a failed delivery (Graph notification, Box webhook),
    /// in milliseconds; each later wait doubles. Small values let a test see a dead receiver
    /// given up quickly.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            env = "RESTORE_MOCK_DELIVERY_BACKOFF_MS",
            value_name = "MS",
            default_value_t = 1000
        )
    )]
    pub delivery_backoff_ms: u64,

    /// Retries after a failed delivery's first attempt; by default each service's own (Graph
    /// notifications 6, Box webhooks 10).
    #[cfg_attr(
        feature = "cli",
        arg(long, env = "RESTORE_MOCK_DELIVERY_RETRIES", value_name = "COUNT")
    )]
    pub delivery_retries: Option<u32>,
}

pub const DEFAULT_MAX_BODY: usize = 256 * 1024 * 1024;
pub const DEFAULT_JOURNAL_LIMIT: usize = 10_000;
pub const DEFAULT_CHANGE_LOG_LEN: usize = crate::store::change_log::DEFAULT_LEN;
pub const DEFAULT_MAX_SESSION_BYTES: u64 = crate::upload_session::DEFAULT_SESSION_BYTES;
pub const DEFAULT_MAX_SESSIONS_PER_USER: usize = crate::upload_session::DEFAULT_SESSIONS_PER_USER;

/// The defaults of the command line, but on port 0: what an embedded emulator wants.
impl Config {
    /// The bounds on upload sessions these options set.
    pub(crate) fn session_limits(&self) -> crate::upload_session::Limits {
        crate::upload_session::Limits {
            max_file_size: self.max_file_size,
            session_bytes: self.max_session_bytes,
            sessions_per_user: self.max_sessions_per_user,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            max_body: DEFAULT_MAX_BODY,
            max_file_size: None,
            max_session_bytes: DEFAULT_MAX_SESSION_BYTES,
            max_sessions_per_user: DEFAULT_MAX_SESSIONS_PER_USER,
            tokens: None,
            fixtures: None,
            journal_limit: DEFAULT_JOURNAL_LIMIT,
            clock: None,
            admin_token: None,
            public_url: None,
            allowed_hosts: Vec::new(),
            cors_origins: Vec::new(),
            data_dir: None,
            tls_cert: None,
            tls_key: None,
            tls_self_signed: None,
            tls_names: Vec::new(),
            change_log_len: DEFAULT_CHANGE_LOG_LEN,
            quiet: false,
            hide_unreachable_drives: false,
            require_https_receivers: false,
            receiver_ca_file: None,
            delivery_backoff_ms: 1000,
            delivery_retries: None,
        }
    }
}

/// A local emulator of the OneDrive (Microsoft Graph) and Box file-version APIs.
///
/// Serves until Ctrl-C or SIGTERM (requests still open get 5 seconds to finish); `restore-mock
/// exec [OPTIONS] -- COMMAND` runs a command (a test suite) beside a fresh emulator instead, and
/// stops it when the command ends.
#[cfg(feature = "cli")]
#[derive(Debug, clap::Parser)]
#[command(name = "restore-mock", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    /// Once listening, print the variables that point clients at the server (RESTORE_MOCK_URL,
    /// ...) on stdout in this form, instead of the `listening on` line, then serve.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub print_env: Option<crate::server::EnvFormat>,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// The binary's subcommands; without one it serves.
#[cfg(feature = "cli")]
#[derive(Debug, clap::Subcommand)]
pub enum CliCommand {
    /// Start a fresh emulator (on a free port unless --port says otherwise), run COMMAND with
    /// RESTORE_MOCK_URL and the other variables pointing at it, stop the emulator when the
    /// command ends, and exit with the command's status.
    Exec(ExecArgs),
}

/// `restore-mock exec`: the emulator's options, where its log goes, and the command.
#[cfg(feature = "cli")]
#[derive(Debug, clap::Args)]
#[command(mut_arg("port", |port| port
    .default_value("0")
    .help("Port to listen on; 0 (the default here) picks a free one, passed on in RESTORE_MOCK_URL")))]
pub struct ExecArgs {
    #[command(flatten)]
    pub config: Config,

    /// Append the emulator's log to this file instead of writing it to stderr (the command's
    /// stdout never has it either way).
    #[arg(long, env = "RESTORE_MOCK_LOG_FILE", value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// The command to run and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}
