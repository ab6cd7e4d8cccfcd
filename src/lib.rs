//! restore-mock: a local emulator of the file-version APIs of Microsoft Graph (OneDrive) and Box,
//! with full version state, for integration tests and development.
//!
//! # Layout
//! One line per folder; each module's own `//!` says more.
//! - `server/`: [`Server`] (what the binary runs), the [`Emulator`] handle, the transport and TLS.
//! - `http/`: what every request passes through whichever face answers: the app layer, the
//!   access log, `Date`, admission (sign-in, scopes, faults), bearer tokens, the `Host` and the
//!   origin links start with, request ids.
//! - `control/`: what tests steer: the [`journal`], [`faults`] and the [`clock`].
//! - `onedrive/`: the Microsoft Graph face under `/v1.0` (and `/beta`).
//! - `box_api/`: the Box face under `/2.0` and `/api/2.0`.
//! - `download/`: the `/_content` links both faces redirect to, their signing and the secrets.
//! - `upload_session/`: large-file upload sessions both faces share.
//! - `admin/`: the emulator's own control plane under `/__admin`, and its page.
//! - [`store`]: the version store both faces share (`VersionStore`), with [`accounts`] and
//!   [`content`]; in memory by default, kept on a data dir with `--data-dir`.
//! - [`fixture`]: the format that seeds and exports state.
//! - the root: `config` ([`Config`]), `app` (the route table), `state` (what every route
//!   reaches), `timestamp` (dates as both APIs print them), `splitmix` (the integer scrambler
//!   behind request ids and seeded fault draws).
//!
//! # Features
//! - `cli` (default): the binary's command line (clap), log output and allocator. Embedders can
//!   turn it off: `restore-mock = { version = "...", default-features = false }`.
//! - `internals`: exposes `internals` for the HTTP benchmark and the fuzz test; not a stable
//!   interface.

pub mod config;
pub mod fixture;
pub mod store;

mod admin;
mod app;
mod box_api;
mod control;
mod download;
mod http;
mod onedrive;
mod server;
mod splitmix;
mod state;
mod timestamp;
mod upload_session;

// The public paths users know, kept where the modules moved.
pub use control::{clock, faults, journal};
#[cfg(feature = "cli")]
pub use server::logging;
pub use store::{accounts, content};

pub use config::Config;

// The README's Rust snippet runs as a doctest, so it cannot fall behind the API it shows.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use server::tls::{SelfSigned, TlsError};
pub use server::{Emulator, EmulatorBuilder, Server, StartError};

/// The route table and the app-level layer, for the HTTP benchmark's layer-by-layer figures and
/// the fuzz test.
/// Only with the `internals` feature; not a stable interface.
#[cfg(feature = "internals")]
pub mod internals {
    pub use crate::app::router;
    pub use crate::http::app_layer::app_layer;
    pub use crate::server::build_state;
    pub use crate::state::AppState;
}
