//! Running the emulator: the `serve` entry point the binary uses, and `Emulator`, the handle
//! tests embed (shaped like wiremock's `MockServer`: start, read the URL, drop to stop).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{self, AppState};
use crate::clock::Clock;
use crate::config::Config;
use crate::request_id::RequestIds;
use crate::store::{MemoryStore, VersionStore};

/// Builds the state a server runs on from a configuration: the in-memory store on a real clock.
pub fn build_state(_config: &Config) -> AppState {
    let clock = Arc::new(Clock::real());
    AppState {
        store: Arc::new(MemoryStore::new(clock.clone())),
        clock,
        request_ids: Arc::new(RequestIds::default()),
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = app::router(state, config.max_body);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A running emulator on a free loopback port. Dropping it shuts the server down.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let emulator = restore_mock::Emulator::start().await;
/// assert!(emulator.uri().starts_with("http://127.0.0.1:"));
/// # }
/// ```
pub struct Emulator {
    address: SocketAddr,
    state: AppState,
    // Dropping the sender ends the server's graceful-shutdown future.
    _shutdown: watch::Sender<()>,
}

impl Emulator {
    /// Starts an emulator with the default configuration. The port is bound before this returns,
    /// so the server is ready at once: no polling needed.
    pub async fn start() -> Self {
        Self::start_with(Config::default()).await
    }

    /// Starts an emulator with `config` (its host and port are honoured; port 0 picks one).
    pub async fn start_with(config: Config) -> Self {
        let listener = TcpListener::bind((config.host, config.port))
            .await
            .expect("restore-mock: cannot bind the emulator's port");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let state = build_state(&config);
        let (shutdown, mut stopped) = watch::channel(());
        let served = state.clone();
        tokio::spawn(async move {
            let signal = async move {
                // Resolves when the sender, held by the handle, is dropped.
                while stopped.changed().await.is_ok() {}
            };
            if let Err(error) = serve(listener, served, &config, signal).await {
                tracing::error!(%error, "the embedded emulator stopped");
            }
        });
        Self {
            address,
            state,
            _shutdown: shutdown,
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The server's root, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
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

    pub fn clock(&self) -> Arc<Clock> {
        self.state.clock.clone()
    }
}
