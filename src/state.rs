//! The emulator's shared state, which every face and the admin API reach through `AppState`.
//! A leaf module: it names the parts of the state, never the routes that use them.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use crate::box_api::webhooks::registry::Webhooks;
use crate::box_api::webhooks::signature::KeyRing;
use crate::box_api::zip_downloads::ZipDownloads;
use crate::control::clock::Clock;
use crate::control::faults::Faults;
use crate::control::journal::Journal;
use crate::deliver::receiver::SchemeRule;
use crate::deliver::{Deliveries, Tuning};
use crate::download::links::LinkSigner;
use crate::http::cors::Cors;
use crate::http::host::{AllowedHost, PublicUrl};
use crate::http::request_id::RequestIds;
use crate::onedrive::monitor::CopyMonitors;
use crate::onedrive::subscriptions::registry::Subscriptions;
use crate::store::{StoreError, VersionStore};
use crate::upload_session::Sessions;

/// What every handler can reach: one `Arc`, so that the clone each layer and extractor makes
/// per request is a single reference-count bump.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of the emulator's state, reached through `AppState` (which derefs to this).
pub struct Shared {
    pub(crate) store: Arc<dyn VersionStore>,
    pub(crate) clock: Arc<Clock>,
    pub(crate) request_ids: Arc<RequestIds>,
    pub(crate) journal: Arc<Journal>,
    pub(crate) faults: Arc<Faults>,
    /// Signs and checks the download links both faces hand out.
    pub(crate) links: LinkSigner,
    /// Open upload sessions of both faces; not part of the store, so fixtures never carry them.
    pub(crate) sessions: Arc<Sessions>,
    /// Graph copy monitors (`onedrive::monitor`); like sessions, not part of the store.
    pub(crate) copies: Arc<CopyMonitors>,
    /// The largest request body accepted (`--max-body`).
    pub(crate) max_body: usize,
    /// When set, the `/__admin` routes (but health) want it as the bearer token.
    pub(crate) admin_token: Option<Arc<str>>,
    /// `--public-url`: the root of every absolute link, when set (`http::origin`).
    pub(crate) public_url: Option<PublicUrl>,
    /// `--allowed-host`: more names the open admin API answers to (`admin::browsers`).
    pub(crate) allowed_hosts: Arc<[AllowedHost]>,
    /// `--cors-origin`: the web origins whose pages may call the APIs (`http::cors`).
    pub(crate) cors: Cors,
    /// The configured address, for a request that did not come through the transport (which
    /// tells each request its connection's address).
    pub(crate) listen: SocketAddr,
    /// The local CA certificate `--tls-self-signed` writes, served at `/__admin/ca.pem`.
    pub(crate) trust_anchor: Option<std::path::PathBuf>,
    /// The Microsoft identity platform's key and the codes it handed out (`entra`).
    pub(crate) identity_platform: crate::entra::Platform,
    /// `--hide-unreachable-drives`: a Graph drive the caller may not reach is 404, not 403.
    pub(crate) hide_unreachable_drives: bool,
    /// Graph change-notification subscriptions (`onedrive::subscriptions`).
    pub(crate) subscriptions: Arc<Subscriptions>,
    /// Box webhooks (`box_api::webhooks`) and the keys their deliveries are signed with.
    pub(crate) webhooks: Arc<Webhooks>,
    pub(crate) webhook_keys: Arc<KeyRing>,
    /// Box zip downloads not yet over (`box_api::zip_downloads`); not part of the store.
    pub(crate) zips: Arc<ZipDownloads>,
    /// Both faces' outgoing deliveries, their queues and attempts (`deliver`).
    pub(crate) deliveries: Arc<Deliveries>,
    /// `--require-https-receivers`: which receiver addresses subscriptions may name.
    pub(crate) receiver_rule: SchemeRule,
    /// `--delivery-backoff-ms`, `--delivery-retries`.
    pub(crate) delivery_tuning: Tuning,
    /// Turns `true` when the server starts to stop, so that a request that waits on purpose (a
    /// Box long poll) answers at once rather than hold the stop up.
    pub(crate) stopping: tokio::sync::watch::Sender<bool>,
}

/// A handle on the state that does not keep it alive: for what waits in a queue the state
/// itself owns (a webhook delivery), which would otherwise keep the state from being dropped.
#[derive(Clone)]
pub(crate) struct WeakState(std::sync::Weak<Shared>);

impl WeakState {
    pub(crate) fn upgrade(&self) -> Option<AppState> {
        self.0.upgrade().map(AppState)
    }
}

impl AppState {
    pub(crate) fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    pub(crate) fn downgrade(&self) -> WeakState {
        WeakState(Arc::downgrade(&self.0))
    }

    /// Empties everything a test can leave behind: the store, the upload sessions, copy
    /// monitors and zip downloads, the journal, the fault rules, subscriptions, webhooks and
    /// their pending deliveries, the identity platform's codes, and the request-id sequence (so
    /// a reset server answers like a fresh one). The clock and the webhook keys stay.
    pub(crate) fn reset(&self) -> Result<(), StoreError> {
        self.subscriptions.clear();
        self.webhooks.clear();
        self.deliveries.clear();
        self.store.reset(None)?;
        self.sessions.clear();
        self.copies.clear();
        self.zips.clear();
        self.journal.clear();
        self.faults.clear();
        self.request_ids.reset();
        self.identity_platform.reset();
        Ok(())
    }
}

impl AppState {
    /// Waits until every change so far has been delivered or given up, at most `timeout`;
    /// whether everything settled.
    pub(crate) async fn settle_deliveries(&self, timeout: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        let committed = self.store.latest_position();
        self.deliveries.dispatched(committed, deadline).await
            && self.deliveries.settle(deadline).await
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
