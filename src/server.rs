//! Running the emulator: `Server`, which the binary builds and serves, and `Emulator`, the handle
//! tests embed (shaped like wiremock's `MockServer`: start, read the URL, drop to stop).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::accounts::Accounts;
use crate::app;
use crate::clock::Clock;
use crate::config::Config;
use crate::faults::{FaultRule, FaultSpec, FaultSpecError, Faults};
use crate::fixture::{self, Fixture, FixtureError, FixtureUser};
use crate::journal::{Journal, JournalEntry, JournalFilter};
use crate::links::LinkSigner;
use crate::request_id::RequestIds;
use crate::state::{AppState, Shared};
use crate::store::durable::{self, OpenError};
use crate::store::{IdSeed, MemoryStore, StoreError, VersionStore};
use crate::tls::{self, SelfSigned, TlsError};
use crate::transport;
use crate::upload_session::Sessions;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot read {path}: {}", os_words(source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is not valid fixture JSON: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: a token list holds only `users`; files (`spaces`), groups and sites go in --fixtures")]
    TokensWithSpaces { path: PathBuf },
    #[error("{context}: {source}")]
    Fixture {
        context: String,
        source: FixtureError,
    },
    #[error("cannot listen on {address}: {}", listen_failure(source))]
    Bind { address: String, source: io::Error },
    #[error(transparent)]
    DataDir(#[from] OpenError),
    #[error("the server stopped: {0}")]
    Serve(io::Error),
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// Why a listener could not be made, in words, with the way out when there is an obvious one.
fn listen_failure(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::AddrInUse => "address already in use (try --port 0)".into(),
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges; try --port 0)".into()
        }
        io::ErrorKind::AddrNotAvailable => {
            "address not available (no interface has it; try --host 127.0.0.1)".into()
        }
        _ => os_words(error),
    }
}

/// The OS's wording of an I/O error, lowercase and without Rust's " (os error N)" suffix.
fn os_words(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rsplit_once(" (os error ") {
        Some((words, _)) => words.to_lowercase(),
        None => text,
    }
}

/// An emulator configured and ready to serve: what the binary runs. Building it reads the token
/// list and fixtures, so a bad file is reported before any port is bound.
pub struct Server {
    config: Config,
    state: AppState,
    tls: Tls,
}

impl Server {
    /// Reads the files the configuration names (and writes a self-signed certificate if it
    /// asks for one).
    pub fn build(config: Config) -> Result<Self, StartError> {
        let tls = Tls::from_config(&config)?;
        let state = build_state(&config)?;
        Ok(Self { config, state, tls })
    }

    /// `https` when serving TLS, else `http`: the scheme of the listening line and of every
    /// absolute URL the emulator writes.
    pub fn scheme(&self) -> &'static str {
        self.tls.scheme()
    }

    /// Where `--tls-self-signed` wrote its certificate, for the user to trust it.
    pub fn self_signed(&self) -> Option<&SelfSigned> {
        self.tls.written.as_ref()
    }

    /// What is open to other machines when the host is not a loopback address.
    pub fn open_bind_warning(&self) -> Option<String> {
        open_bind_warning(&self.config)
    }

    /// Binds the configured host and port (port 0: a free one).
    pub async fn bind(&self) -> Result<TcpListener, StartError> {
        bind(&self.config).await
    }

    /// Serves on `listener` until `shutdown` completes, then finishes in-flight requests.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        serve(
            listener,
            self.state,
            &self.config,
            self.tls.acceptor,
            shutdown,
        )
        .await
    }
}

/// The TLS side of a configuration: none, PEM files, or a self-signed certificate written now.
struct Tls {
    acceptor: Option<TlsAcceptor>,
    written: Option<SelfSigned>,
}

impl Tls {
    fn from_config(config: &Config) -> Result<Self, TlsError> {
        let written = config
            .tls_self_signed
            .as_deref()
            .map(tls::write_self_signed)
            .transpose()?;
        let files = match (&written, &config.tls_cert, &config.tls_key) {
            (Some(written), _, _) => Some((written.cert.clone(), written.key.clone())),
            (None, Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None, None) => None,
            (None, _, _) => return Err(TlsError::Incomplete),
        };
        let acceptor = files
            .map(|(cert, key)| tls::acceptor(&cert, &key))
            .transpose()?;
        Ok(Self { acceptor, written })
    }

    fn scheme(&self) -> &'static str {
        if self.acceptor.is_some() {
            "https"
        } else {
            "http"
        }
    }
}

/// The warning for a host other than loopback: the emulator has no real authentication, so
/// binding it to a reachable address opens everything it holds.
fn open_bind_warning(config: &Config) -> Option<String> {
    if config.host.is_loopback() {
        return None;
    }
    let sign_in = if config.tokens.is_some() {
        "only the tokens in --tokens sign in"
    } else {
        "any bearer token signs in (each is a user of its own); --tokens FILE closes that"
    };
    let admin = if config.admin_token.is_some() {
        "the admin API (/__admin) wants --admin-token"
    } else {
        "the admin API (/__admin), with every user's files and tokens, is open to anyone; \
         --admin-token closes it"
    };
    Some(format!(
        "restore-mock: listening on {}, which other machines can reach: {sign_in}; {admin}",
        config.host
    ))
}

/// Builds the state a server runs on: the in-memory store (or the durable one on `--data-dir`),
/// with the configured clock, token list and fixtures.
pub fn build_state(config: &Config) -> Result<AppState, StartError> {
    let (tokens, fixtures) = read_files(config)?;
    assemble(config, tokens, &fixtures)
}

/// The token list and fixtures that `--tokens` and `--fixtures` name.
fn read_files(config: &Config) -> Result<(Option<Vec<FixtureUser>>, Vec<Fixture>), StartError> {
    let tokens = match &config.tokens {
        Some(path) => {
            let list = read_fixture(path)?;
            if !list.spaces.is_empty() || !list.groups.is_empty() || !list.sites.is_empty() {
                return Err(StartError::TokensWithSpaces { path: path.clone() });
            }
            Some(list.users)
        }
        None => None,
    };
    let fixtures = config.fixtures.as_deref().map(read_fixture).transpose()?;
    Ok((tokens, fixtures.into_iter().collect()))
}

fn assemble(
    config: &Config,
    tokens: Option<Vec<FixtureUser>>,
    fixtures: &[Fixture],
) -> Result<AppState, StartError> {
    let clock = Arc::new(match config.clock {
        Some(at) => Clock::frozen_at(at),
        None => Clock::real(),
    });
    let accounts = match tokens {
        None => Accounts::open(),
        Some(users) => {
            let list = Fixture {
                users,
                ..Fixture::default()
            };
            let records = list.to_records(clock.now()).and_then(|records| {
                Accounts::closed(records.accounts).map_err(|e| {
                    let entry = format!("users[{}] ({})", e.index, list.users[e.index].id);
                    FixtureError::new(entry, e.message)
                })
            });
            records.map_err(|source| StartError::Fixture {
                context: "the token list".into(),
                source,
            })?
        }
    };
    let (store, fresh): (Arc<dyn VersionStore>, bool) = match &config.data_dir {
        None => {
            let store = MemoryStore::with_accounts(clock.clone(), IdSeed::default(), accounts);
            (Arc::new(store), true)
        }
        Some(dir) => {
            let opened = durable::open(dir, clock.clone(), accounts)?;
            (Arc::new(opened.store), opened.fresh)
        }
    };
    // Fixtures seed an empty store; a data dir that already holds state keeps it (loading the
    // same fixture again on every start would only clash with the ids it kept).
    for fixture in fixtures.iter().filter(|_| fresh) {
        fixture::load(&*store, fixture, clock.now()).map_err(|source| StartError::Fixture {
            context: "the fixtures".into(),
            source,
        })?;
    }
    Ok(AppState::new(Shared {
        store,
        clock,
        request_ids: Arc::new(RequestIds::default()),
        journal: Arc::new(Journal::new(config.journal_limit)),
        faults: Arc::new(Faults::default()),
        // Under a frozen start the session URLs depend on that instant only (the replay
        // guarantee across runs); otherwise on a secret drawn now.
        sessions: Arc::new(Sessions::new(config.clock.map(|at| at.timestamp()))),
        // Seeded the same way, so download links also replay byte for byte.
        links: LinkSigner::new(config.clock.map(|at| at.timestamp())),
        max_body: config.max_body,
        admin_token: config.admin_token.as_deref().map(Arc::from),
        hide_unreachable_drives: config.hide_unreachable_drives,
    }))
}

fn read_fixture(path: &Path) -> Result<Fixture, StartError> {
    let text = std::fs::read(path).map_err(|source| StartError::Read {
        path: path.to_owned(),
        source,
    })?;
    Fixture::from_json(&text).map_err(|source| StartError::Parse {
        path: path.to_owned(),
        source,
    })
}

/// Binds the configured host and port (port 0: a free one).
async fn bind(config: &Config) -> Result<TcpListener, StartError> {
    let bind_error = |source| StartError::Bind {
        address: SocketAddr::from((config.host, config.port)).to_string(),
        source,
    };
    TcpListener::bind((config.host, config.port))
        .await
        .map_err(bind_error)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes in-flight requests.
async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &Config,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = app::router(state, config.max_body);
    transport::serve(listener, router, tls, shutdown).await
}

/// A running emulator on a free loopback port. Dropping it shuts the server down.
///
/// Seed a file, restore a version over HTTP, then check what the journal recorded:
///
/// ```
/// use restore_mock::fixture::Fixture;
/// use restore_mock::journal::JournalFilter;
/// use restore_mock::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let fixture: Fixture = serde_json::from_value(serde_json::json!({
///     "users": [{"id": "7", "name": "Ada", "tokens": ["ada-token"]}],
///     "spaces": [{"face": "graph", "owner": "7", "items": [
///         {"type": "file", "path": "notes.txt", "id": 100,
///          "versions": [{"text": "first draft"}, {"text": "second draft"}]}
///     ]}]
/// }))
/// .unwrap();
/// let emulator = Emulator::builder().fixture(fixture).start().await;
///
/// let client = reqwest::Client::new();
/// let restore = emulator.url("/v1.0/me/drive/items/100/versions/1.0/restoreVersion");
/// let response = client.post(restore).bearer_auth("ada-token").send().await.unwrap();
/// assert_eq!(response.status(), 204);
///
/// // The restore made version 3.0 with the bytes of 1.0.
/// let versions = emulator.url("/v1.0/me/drive/items/100/versions");
/// let listed: serde_json::Value =
///     client.get(versions).bearer_auth("ada-token").send().await.unwrap().json().await.unwrap();
/// assert_eq!(listed["value"][0]["id"], "3.0");
///
/// let posts = JournalFilter { method: Some("POST".into()), ..JournalFilter::default() };
/// let journal = emulator.requests(&posts);
/// assert_eq!(journal.len(), 1);
/// assert_eq!(journal[0].path, "/v1.0/me/drive/items/100/versions/1.0/restoreVersion");
/// assert_eq!((journal[0].status, journal[0].user.as_deref()), (204, Some("7")));
/// # }
/// ```
pub struct Emulator {
    address: SocketAddr,
    scheme: &'static str,
    state: AppState,
    // Dropping the sender ends the server's graceful-shutdown future.
    _shutdown: watch::Sender<()>,
    /// The data dir `EmulatorBuilder::temporary_data_dir` made, removed on drop.
    _temporary: Option<TemporaryDir>,
}

/// A directory removed (with everything in it) when dropped.
#[derive(Debug)]
struct TemporaryDir(PathBuf);

impl Drop for TemporaryDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Options for an [`Emulator`]: the same as the command line's, plus fixtures and token lists
/// given as values instead of files.
#[derive(Debug, Default)]
pub struct EmulatorBuilder {
    config: Config,
    tokens: Option<Vec<FixtureUser>>,
    fixture: Option<Fixture>,
    temporary_data_dir: bool,
}

impl EmulatorBuilder {
    /// Address to bind (default 127.0.0.1).
    pub fn host(mut self, host: std::net::IpAddr) -> Self {
        self.config.host = host;
        self
    }

    /// Port to bind (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    pub fn max_body(mut self, bytes: usize) -> Self {
        self.config.max_body = bytes;
        self
    }

    /// Only these users' tokens sign in; others get each API's 401.
    pub fn tokens(mut self, users: Vec<FixtureUser>) -> Self {
        self.tokens = Some(users);
        self
    }

    /// Like `--tokens FILE`.
    pub fn tokens_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.tokens = Some(path.into());
        self
    }

    /// State to start with.
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = Some(fixture);
        self
    }

    /// Like `--fixtures FILE`.
    pub fn fixtures_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.fixtures = Some(path.into());
        self
    }

    pub fn journal_limit(mut self, entries: usize) -> Self {
        self.config.journal_limit = entries;
        self
    }

    /// Starts with the clock frozen at `instant`.
    pub fn clock(mut self, instant: DateTime<Utc>) -> Self {
        self.config.clock = Some(instant);
        self
    }

    /// Serves HTTPS with this PEM certificate chain and key, like `--tls-cert`/`--tls-key`.
    pub fn tls(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.config.tls_cert = Some(cert.into());
        self.config.tls_key = Some(key.into());
        self
    }

    /// Serves HTTPS with a self-signed certificate written to `dir`, like `--tls-self-signed`.
    pub fn tls_self_signed(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.tls_self_signed = Some(dir.into());
        self
    }

    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.config.admin_token = Some(token.into());
        self
    }

    /// Like `--data-dir DIR`: keep the state in `dir`, durably.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.data_dir = Some(dir.into());
        self
    }

    /// Keeps the state durably in a new directory under the system's temporary one, removed
    /// when the emulator is dropped: a test of code that runs against the durable store.
    pub fn temporary_data_dir(mut self) -> Self {
        self.temporary_data_dir = true;
        self
    }

    /// Every option at once, as the command line would set them.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Starts the emulator; panics if it cannot (a bad fixture, no free port), as a test wants.
    pub async fn start(self) -> Emulator {
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("restore-mock could not start: {e}"))
    }

    pub async fn try_start(mut self) -> Result<Emulator, StartError> {
        let temporary = self.temporary_data_dir.then(|| {
            let dir = std::env::temp_dir().join(format!(
                "restore-mock-{}-{}",
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ));
            self.config.data_dir = Some(dir.clone());
            TemporaryDir(dir)
        });
        let (file_tokens, mut fixtures) = read_files(&self.config)?;
        fixtures.extend(self.fixture);
        let state = assemble(&self.config, self.tokens.or(file_tokens), &fixtures)?;
        let mut emulator = Emulator::launch(self.config, state).await?;
        emulator._temporary = temporary;
        Ok(emulator)
    }
}

impl Emulator {
    /// Starts an emulator with the defaults on a free port. The port is bound before this
    /// returns, so the server is ready at once: no polling needed.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// Starts an emulator with a whole configuration, as the command line would make it (its
    /// host and port are honoured; port 0 picks one).
    pub async fn start_with(config: Config) -> Self {
        EmulatorBuilder {
            config,
            ..EmulatorBuilder::default()
        }
        .start()
        .await
    }

    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    async fn launch(config: Config, state: AppState) -> Result<Self, StartError> {
        let tls = Tls::from_config(&config)?;
        let scheme = tls.scheme();
        if let Some(warning) = open_bind_warning(&config) {
            tracing::warn!("{warning}");
        }
        let listener = bind(&config).await?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: config.host.to_string(),
            source,
        })?;
        let (shutdown, mut stopped) = watch::channel(());
        let served = state.clone();
        tokio::spawn(async move {
            let signal = async move {
                // Resolves when the sender, held by the handle, is dropped.
                while stopped.changed().await.is_ok() {}
            };
            if let Err(error) = serve(listener, served, &config, tls.acceptor, signal).await {
                tracing::error!(%error, "the embedded emulator stopped");
            }
        });
        Ok(Self {
            address,
            scheme,
            state,
            _shutdown: shutdown,
            _temporary: None,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server's root, e.g. `http://127.0.0.1:41234` (`https://` when serving TLS).
    pub fn uri(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    /// An absolute URL for `path`, which starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.uri())
    }

    /// The base URL Microsoft's Graph SDKs want: the root plus `/v1.0`.
    pub fn graph_url(&self) -> String {
        self.url("/v1.0")
    }

    /// The `base_url` Box's SDKs want: the root (they append `/2.0`).
    pub fn box_url(&self) -> String {
        self.uri()
    }

    /// The `upload_url` Box's SDKs want: the root plus `/api`.
    pub fn box_upload_url(&self) -> String {
        self.url("/api")
    }

    /// The store, for seeding and inspecting state from Rust.
    pub fn store(&self) -> Arc<dyn VersionStore> {
        self.state.store.clone()
    }

    /// Adds a fixture's users and files: all of it, or nothing and an error naming the entry.
    pub fn load_fixture(&self, fixture: &Fixture) -> Result<(), FixtureError> {
        fixture::load(&*self.state.store, fixture, self.state.clock.now())
    }

    /// The whole state in the fixture format.
    pub fn export(&self) -> Fixture {
        fixture::export(&*self.state.store, None)
    }

    /// Recorded requests that match `filter`, oldest first.
    pub fn requests(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        self.state.journal.entries(filter)
    }

    /// Forgets the journal's entries.
    pub fn clear_requests(&self) {
        self.state.journal.clear();
    }

    /// Adds a fault rule, as `POST /__admin/faults` does.
    pub fn add_fault(&self, fault: FaultSpec) -> Result<FaultRule, FaultSpecError> {
        self.state.faults.add(fault)
    }

    /// The fault rules, with how often each fired.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.state.faults.list()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Empties everything, as `POST /__admin/reset` does: the store, the journal, the fault rules
    /// and the request ids.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.state.reset()
    }

    /// The clock: freeze, advance or resume it.
    pub fn clock(&self) -> Arc<Clock> {
        self.state.clock.clone()
    }

    /// Stops the clock at `instant`, as `POST /__admin/clock {"freeze": …}` does.
    pub fn freeze_clock(&self, instant: DateTime<Utc>) {
        self.state.clock.freeze(instant);
    }

    /// Moves the clock forward by whole seconds (a frozen clock stays frozen at the later
    /// instant), as `{"advance_seconds": …}` does.
    pub fn advance_clock(&self, by: std::time::Duration) {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        let by = TimeDelta::try_seconds(seconds).unwrap_or(TimeDelta::MAX);
        self.state.clock.advance(by);
    }

    /// Back to real time, as `DELETE /__admin/clock` does.
    pub fn resume_clock(&self) {
        self.state.clock.resume();
    }

    /// The emulator's current instant (whole seconds), as its replies date things.
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_other_than_loopback_warns_what_is_open_and_which_flag_closes_it() {
        let open = |host: [u8; 4], tokens: bool, admin: bool| {
            open_bind_warning(&Config {
                host: std::net::IpAddr::from(host),
                tokens: tokens.then(|| PathBuf::from("tokens.json")),
                admin_token: admin.then(|| "secret".to_owned()),
                ..Config::default()
            })
        };
        assert_eq!(open([127, 0, 0, 1], false, false), None, "loopback");
        assert_eq!(
            open([127, 0, 0, 2], false, false),
            None,
            "all of 127/8 is loopback"
        );
        let wide = open([0, 0, 0, 0], false, false).expect("a warning");
        for part in [
            "0.0.0.0",
            "any bearer token signs in",
            "--tokens",
            "/__admin",
            "--admin-token",
        ] {
            assert!(wide.contains(part), "{part}: {wide}");
        }
        let closed = open([192, 168, 1, 5], true, true).expect("still a warning");
        assert!(
            closed.contains("only the tokens in --tokens sign in"),
            "{closed}"
        );
        assert!(closed.contains("wants --admin-token"), "{closed}");
    }
}
