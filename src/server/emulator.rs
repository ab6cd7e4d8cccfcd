//! `Emulator`, the handle tests embed, shaped like wiremock's `MockServer`: start it, read its
//! URL, seed and inspect it, drop it to stop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;

use super::{assemble, bind, open_bind_warning, read_files, serve, Environment, StartError, Tls};
use crate::config::Config;
use crate::control::clock::Clock;
use crate::control::faults::{FaultRule, FaultSpec, FaultSpecError};
use crate::control::journal::{JournalEntry, JournalFilter};
use crate::fixture::{self, Fixture, FixtureError, FixtureUser};
use crate::state::AppState;
use crate::store::durable::FullDisk;
use crate::store::{StoreError, VersionStore};

/// A running emulator on a free loopback port. Dropping it shuts the server down: it stops
/// accepting at once and closes what is still open five seconds later, the grace a stop of the
/// binary gives.
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
///
/// Faults, the clock and the journal, typed: what the admin API does over HTTP.
///
/// ```
/// use std::time::Duration;
///
/// use restore_mock::faults::FaultSpec;
/// use restore_mock::store::Face;
/// use restore_mock::Emulator;
///
/// # #[tokio::main(flavor = "current_thread")]
/// async fn main() {
///     let emulator = Emulator::builder()
///         .clock("2024-01-02T03:04:05Z".parse().unwrap()) // frozen: replies repeat byte for byte
///         .start() // also .fixture(..), .fixtures_file(..), .tokens(..), .admin_token(..)
///         .await;
///     let graph = emulator.graph_url(); // http://127.0.0.1:PORT/v1.0; Box: box_url(), box_upload_url()
///
///     // The next restore answers 429 with Retry-After: 1, in Graph's envelope.
///     let throttle = FaultSpec::error(429).retry_after(1).api(Face::Graph).path("*/restoreVersion");
///     emulator.add_fault(throttle.times(1)).unwrap();
///     emulator.advance_clock(Duration::from_secs(3600));
///
///     let client = reqwest::Client::new();
///     let file = format!("{graph}/me/drive/root:/a.txt:");
///     let put = client.put(format!("{file}/content")).bearer_auth("any-token").body("one");
///     assert_eq!(put.send().await.unwrap().status(), 201);
///     let restore = client.post(format!("{file}/versions/1.0/restoreVersion")).bearer_auth("any-token");
///     assert_eq!(restore.send().await.unwrap().status(), 429);
///
///     let journal = emulator.requests(&Default::default()); // what the client sent, oldest first
///     assert_eq!(journal[1].fault, Some(1));
///     assert_eq!(emulator.now().to_rfc3339(), "2024-01-02T04:04:05+00:00");
/// }
/// ```
pub struct Emulator {
    address: SocketAddr,
    scheme: &'static str,
    environment: Environment,
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
    full_disk: Option<FullDisk>,
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

    /// Like `--tls-name`: the self-signed certificate is also for `name`.
    pub fn tls_name(mut self, name: impl Into<String>) -> Self {
        self.config.tls_names.push(name.into());
        self
    }

    /// Like `--receiver-ca-file`: `https://` receivers may also present certificates from the
    /// CAs in this PEM bundle.
    pub fn receiver_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.receiver_ca_file = Some(path.into());
        self
    }

    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.config.admin_token = Some(token.into());
        self
    }

    /// Like `--public-url`: every absolute link the emulator writes starts with `url`.
    pub fn public_url(mut self, url: crate::config::PublicUrl) -> Self {
        self.config.public_url = Some(url);
        self
    }

    /// Like `--allowed-host`: one more name the open admin API answers to.
    pub fn allowed_host(mut self, host: crate::config::AllowedHost) -> Self {
        self.config.allowed_hosts.push(host);
        self
    }

    /// Like `--cors-origin`: pages from `origin` may call the APIs from a browser.
    pub fn cors_origin(mut self, origin: crate::config::CorsOrigin) -> Self {
        self.config.cors_origins.push(origin);
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

    /// Gives the durable store (`data_dir`, `temporary_data_dir`) a disk that fills on demand:
    /// while `switch` is filled, every write fails as on a full disk. For tests of what a
    /// client sees then; without a data dir it changes nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use restore_mock::store::durable::FullDisk;
    ///
    /// let disk = FullDisk::new();
    /// let emulator = restore_mock::Emulator::builder()
    ///     .temporary_data_dir()
    ///     .full_disk(disk.clone())
    ///     .start()
    ///     .await;
    /// disk.fill();
    /// let upload = emulator.url("/v1.0/me/drive/root:/a.txt:/content");
    /// let client = reqwest::Client::new();
    /// let reply = client.put(upload).bearer_auth("t").body("hi").send().await.unwrap();
    /// assert_eq!(reply.status(), 507);
    /// disk.free();
    /// # }
    /// ```
    pub fn full_disk(mut self, switch: FullDisk) -> Self {
        self.full_disk = Some(switch);
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
        let tokens = self.tokens.or(file_tokens);
        let state = assemble(&self.config, tokens, &fixtures, self.full_disk)?;
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
        let environment = tls.environment(address);
        let (shutdown, mut stopped) = watch::channel(());
        let served = state.clone();
        tokio::spawn(async move {
            let signal = async move {
                // Resolves when the sender, held by the handle, is dropped.
                while stopped.changed().await.is_ok() {}
            };
            if let Err(error) = serve(listener, served, tls.acceptor, signal).await {
                tracing::error!(%error, "the embedded emulator stopped");
            }
        });
        Ok(Self {
            address,
            scheme,
            environment,
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

    /// The variables `restore-mock exec` would give a command run beside this emulator: for
    /// a test that starts a Python or Node process against it.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The store, for seeding and inspecting state from Rust.
    pub fn store(&self) -> Arc<dyn VersionStore> {
        self.state.store.clone()
    }

    /// Adds a fixture's users and files: all of it, or nothing and an error naming the entry.
    pub fn load_fixture(&self, fixture: &Fixture) -> Result<(), FixtureError> {
        fixture::load(&*self.state.store, fixture, self.state.clock.now())?;
        if let Some(keys) = &fixture.box_webhook_keys {
            self.state.webhook_keys.set(keys.clone());
        }
        Ok(())
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

    /// Waits until every change so far has been delivered to Graph subscriptions' and Box
    /// webhooks' receivers (or given up), at most `timeout`; whether everything settled. What
    /// `POST /__admin/deliveries/settle` does.
    pub async fn settle_deliveries(&self, timeout: std::time::Duration) -> bool {
        self.state.settle_deliveries(timeout).await
    }

    /// Every delivery attempt so far, oldest first (`GET /__admin/deliveries`).
    pub fn deliveries(&self) -> Vec<crate::deliveries::DeliveryAttempt> {
        self.state.deliveries.attempts(|_| true)
    }

    /// The keys Box webhook deliveries are signed with.
    pub fn webhook_keys(&self) -> crate::deliveries::WebhookKeys {
        self.state.webhook_keys.get()
    }

    /// Signs later Box webhook deliveries with `keys` (`PUT /__admin/webhook-keys`).
    pub fn set_webhook_keys(&self, keys: crate::deliveries::WebhookKeys) {
        self.state.webhook_keys.set(keys);
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

    /// Stops the clock at `instant`, as `POST /__admin/clock {"freeze": …}` does; an instant
    /// outside the years 0000 to 9999 stops it at the nearest end of them, where the admin API
    /// refuses it.
    pub fn freeze_clock(&self, instant: DateTime<Utc>) {
        self.state.clock.freeze(instant);
    }

    /// Moves the clock forward by whole seconds (a frozen clock stays frozen at the later
    /// instant), as `{"advance_seconds": …}` does, stopping at the end of the year 9999.
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
