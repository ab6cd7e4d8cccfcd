//! Running the emulator: `Server`, which the binary builds and serves, the state both it and the
//! `Emulator` handle assemble, the transport (`transport`, `tls`) they serve on, the environment
//! that tells a client where it is, and `exec`, which runs a command beside it.

mod emulator;
mod environment;
#[cfg(feature = "cli")]
pub mod exec;
#[cfg(feature = "cli")]
mod log_writer;
#[cfg(feature = "cli")]
pub mod logging;
pub(crate) mod tls;
pub(crate) mod transport;

pub use emulator::{Emulator, EmulatorBuilder};
pub use environment::{EnvFormat, Environment};

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use self::tls::{SelfSigned, TlsError};
use crate::app;
use crate::box_api::webhooks::signature::KeyRing;
use crate::config::Config;
use crate::control::clock::Clock;
use crate::control::faults::Faults;
use crate::control::journal::Journal;
use crate::deliver::receiver::SchemeRule;
use crate::deliver::trust::{self, BundleError, Trust};
use crate::deliver::{Deliveries, Tuning};
use crate::download::links::LinkSigner;
use crate::fixture::{self, Fixture, FixtureError, FixtureUser};
use crate::http::cors::Cors;
use crate::http::request_id::RequestIds;
use crate::state::{AppState, Shared};
use crate::store::accounts::Accounts;
use crate::store::durable::{self, FullDisk, OpenError};
use crate::store::{IdSeed, MemoryStore, VersionStore};

use crate::timestamp::{is_writable, OUT_OF_RANGE};
use crate::upload_session::{Sessions, SWEEP_PERIOD};

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
    #[error("{path} (--receiver-ca-file): {reason}")]
    ReceiverCa { path: PathBuf, reason: String },
    #[error("the store cannot start: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("--clock {0}: {OUT_OF_RANGE}, which the clock can show")]
    Clock(String),
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

    /// The environment contract of this server once it listens on `address`.
    pub fn environment(&self, address: SocketAddr) -> Environment {
        self.tls.environment(address)
    }

    /// Serves on `listener` until `shutdown` completes, then finishes in-flight requests.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        serve(listener, self.state, self.tls.acceptor, shutdown).await
    }
}

/// The TLS side of a configuration: none, PEM files, or a self-signed certificate written now.
pub(super) struct Tls {
    acceptor: Option<TlsAcceptor>,
    written: Option<SelfSigned>,
}

impl Tls {
    fn from_config(config: &Config) -> Result<Self, TlsError> {
        let written = config
            .tls_self_signed
            .as_deref()
            .map(|dir| tls::write_self_signed(dir, &config.tls_names))
            .transpose()?;
        let files = match (&written, &config.tls_cert, &config.tls_key) {
            (Some(written), _, _) => Some((written.chain.clone(), written.key.clone())),
            (None, Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None, None) => None,
            (None, _, _) => return Err(TlsError::Incomplete),
        };
        let acceptor = files
            .map(|(cert, key)| tls::acceptor(&cert, &key))
            .transpose()?;
        Ok(Self { acceptor, written })
    }

    /// The variables a client needs to reach a server on `address` with this TLS: only a
    /// self-signed certificate is a trust anchor the clients can be given (see `environment`).
    fn environment(&self, address: SocketAddr) -> Environment {
        let ca = self.written.as_ref().map(|written| written.cert.as_path());
        Environment::new(self.scheme(), address, ca)
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
pub(super) fn open_bind_warning(config: &Config) -> Option<String> {
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
    assemble(config, tokens, &fixtures, None)
}

/// The token list and fixtures that `--tokens` and `--fixtures` name.
pub(super) fn read_files(
    config: &Config,
) -> Result<(Option<Vec<FixtureUser>>, Vec<Fixture>), StartError> {
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

/// `full_disk` gives a durable store a disk that fills on demand (`EmulatorBuilder::full_disk`).
pub(super) fn assemble(
    config: &Config,
    tokens: Option<Vec<FixtureUser>>,
    fixtures: &[Fixture],
    full_disk: Option<FullDisk>,
) -> Result<AppState, StartError> {
    let clock = Arc::new(match config.clock {
        Some(at) if !is_writable(at) => return Err(StartError::Clock(format!("{at:?}"))),
        Some(at) => Clock::frozen_at(at),
        None => Clock::real(),
    });
    let receiver_cas = config
        .receiver_ca_file
        .as_deref()
        .map(read_receiver_cas)
        .transpose()?
        .unwrap_or_default();
    let trust_anchor = config
        .tls_self_signed
        .as_ref()
        .map(|dir| dir.join("cert.pem"));
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
            store.set_change_log_len(config.change_log_len)?;
            (Arc::new(store), true)
        }
        Some(dir) => {
            let opened = durable::open_with(dir, clock.clone(), accounts, full_disk)?;
            opened.store.set_change_log_len(config.change_log_len)?;
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
        clock: clock.clone(),
        request_ids: Arc::new(RequestIds::default()),
        journal: Arc::new(Journal::new(config.journal_limit)),
        faults: Arc::new(Faults::default()),
        // Under a frozen start the session URLs depend on that instant only (the replay
        // guarantee across runs); otherwise on a secret drawn now.
        sessions: Arc::new(Sessions::new(
            config.clock.map(|at| at.timestamp()),
            config.session_limits(),
        )),
        copies: Arc::default(),
        // Seeded the same way, so download links also replay byte for byte.
        links: LinkSigner::new(config.clock.map(|at| at.timestamp())),
        max_body: config.max_body,
        admin_token: config.admin_token.as_deref().map(Arc::from),
        public_url: config.public_url.clone(),
        allowed_hosts: config.allowed_hosts.clone().into(),
        cors: Cors::new(&config.cors_origins),
        listen: SocketAddr::from((config.host, config.port)),
        hide_unreachable_drives: config.hide_unreachable_drives,
        identity_platform: Default::default(),
        trust_anchor: trust_anchor.clone(),
        subscriptions: Arc::default(),
        webhooks: Arc::default(),
        zips: Arc::default(),
        webhook_keys: Arc::new(webhook_keys(fixtures)),
        deliveries: Arc::new(Deliveries::new(
            clock.clone(),
            Trust::new(trust_anchor, receiver_cas),
        )),
        delivery_tuning: Tuning {
            first_backoff: std::time::Duration::from_millis(config.delivery_backoff_ms),
            retries: config.delivery_retries,
        },
        receiver_rule: match config.require_https_receivers {
            true => SchemeRule::HttpsOnly,
            false => SchemeRule::HttpOrHttps,
        },
        stopping: tokio::sync::watch::Sender::new(false),
    }))
}

/// The certificates of `--receiver-ca-file`, read at start so a wrong path or file is reported
/// then rather than as failed deliveries.
fn read_receiver_cas(
    path: &Path,
) -> Result<Vec<tokio_rustls::rustls::pki_types::CertificateDer<'static>>, StartError> {
    trust::read_bundle(path).map_err(|error| match error {
        BundleError::Read(source) => StartError::Read {
            path: path.to_owned(),
            source,
        },
        other => StartError::ReceiverCa {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    })
}

/// The Box webhook keys the last fixture that names any sets; the defaults otherwise.
fn webhook_keys(fixtures: &[Fixture]) -> KeyRing {
    let ring = KeyRing::default();
    if let Some(keys) = fixtures
        .iter()
        .rev()
        .find_map(|f| f.box_webhook_keys.clone())
    {
        ring.set(keys);
    }
    ring
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
pub(super) async fn bind(config: &Config) -> Result<TcpListener, StartError> {
    let bind_error = |source| StartError::Bind {
        address: SocketAddr::from((config.host, config.port)).to_string(),
        source,
    };
    TcpListener::bind((config.host, config.port))
        .await
        .map_err(bind_error)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes in-flight requests.
pub(super) async fn serve(
    listener: TcpListener,
    state: AppState,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Expired upload sessions go even when no client calls again, and their memory with them.
    // The timer stops with the server, however serving ends (even if this future is dropped).
    let _sweeper = AbortOnDrop(tokio::spawn(
        state
            .sessions
            .clone()
            .sweep_every(state.clock.clone(), SWEEP_PERIOD),
    ));
    // Changes reach subscriptions and webhooks through one reader of the change log, stopped
    // with the server like the sweeper.
    let _dispatcher = AbortOnDrop(tokio::spawn(crate::deliver::dispatcher::run(state.clone())));
    let announced = state.clone();
    let shutdown = async move {
        shutdown.await;
        announced.stopping.send_replace(true);
    };
    let router = app::router(state);
    transport::serve(listener, router, tls, shutdown).await
}

/// A background task that lives as long as this value.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
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
