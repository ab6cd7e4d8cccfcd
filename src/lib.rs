//! restore-mock: a local emulator of the file-version APIs of Microsoft Graph (OneDrive) and Box,
//! with full version state, for integration tests and development.
//!
//! # Layout
//! Public, what an embedder uses: [`Emulator`] and its builder, [`Server`] (what the binary
//! runs), [`Config`], [`fixture`] (the format that seeds and exports state, turned into and from
//! the store's records), [`journal`] (recorded requests), [`faults`] (injected-failure rules),
//! [`clock`] (domain time: frozen, advanced), [`content`] (bytes and hashes), [`logging`] (the
//! binary's log output, with `cli`), and:
//! - [`store`]: the version store both APIs share (`VersionStore`): domain types, the rules every
//!   store applies (`store::rules`), the item tree and its operations (`store::tree`), Graph's
//!   groups, sites and their libraries, the shared drives (`store::org`), the engine
//!   that puts the tree behind one lock (`store::engine`), `MemoryStore`, the default, and
//!   `store::durable`, the same engine kept on a data dir (`--data-dir`).
//! - [`accounts`]: tokens, users and scopes, and sign-in, shared by every store.
//!
//! Private, the HTTP side:
//! - `app`: the route table and its layers; `state`: the shared state every route reaches;
//!   `pipeline`: the one app-level layer (journal, a log line per request through `access_log`,
//!   `Date` through `http_date`).
//! - `admission`: request id, sign-in, scopes and fault rules, one function both faces call;
//!   `fault_builder`: fault rules built in Rust (`FaultSpec::error(429).times(1)`).
//! - `onedrive`: the Microsoft Graph face under `/v1.0` (and `/beta`): drives, items, versions.
//! - `box_api`: the Box face under `/2.0` and `/api/2.0`.
//! - `download`: pre-authenticated download links both faces redirect to (signed by `links`);
//!   `upload_session`: large-file upload sessions (bytes, parts, expiry) both faces share;
//!   `secret`: the keys behind both kinds of unguessable URL.
//! - `admin`: the emulator's own control plane under `/__admin`, and its page, `/__admin/ui`.
//! - `server`: building the state and serving it; `request_id`, `origin`, `bearer`, `mix`,
//!   `timestamp`: helpers.
//!
//! # Features
//! - `cli` (default): the binary's command line (clap), log output and allocator. Embedders can
//!   turn it off: `restore-mock = { version = "...", default-features = false }`.
//! - `bench-internals`: exposes `internals` for the HTTP benchmark; not a stable interface.

pub mod accounts;
pub mod clock;
pub mod config;
pub mod content;
pub mod faults;
pub mod fixture;
pub mod journal;
#[cfg(feature = "cli")]
pub mod logging;
pub mod store;

mod access_log;
mod admin;
mod admission;
mod app;
mod bearer;
mod box_api;
mod download;
mod fault_builder;
mod http_date;
mod links;
mod mix;
mod onedrive;
mod origin;
mod pipeline;
mod request_id;
mod secret;
mod server;
mod state;
mod timestamp;
mod tls;
mod transport;
mod upload_session;

pub use config::Config;

// The README's Rust snippet runs as a doctest, so it cannot fall behind the API it shows.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use server::{Emulator, EmulatorBuilder, Server, StartError};
pub use tls::{SelfSigned, TlsError};

/// The route table and the app-level layer, for the HTTP benchmark's layer-by-layer figures.
/// Only with the `bench-internals` feature; not a stable interface.
#[cfg(feature = "bench-internals")]
pub mod internals {
    pub use crate::app::router;
    pub use crate::pipeline::pipeline;
    pub use crate::server::build_state;
    pub use crate::state::AppState;
}
