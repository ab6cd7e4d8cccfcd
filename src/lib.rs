//! restore-mock: a local emulator of the file-version APIs of Microsoft Graph (OneDrive) and Box,
//! with full version state, for integration tests and development.
//!
//! # Layout
//! - [`store`]: the version store both APIs share (`VersionStore`), in memory by default.
//! - `onedrive`: the Microsoft Graph face under `/v1.0` (and `/beta`): drives, items, versions.
//! - `box_api`: the Box face under `/2.0` and `/api/2.0`.
//! - `admin`: the emulator's own control plane under `/__admin`.
//! - [`download`]: pre-authenticated download links both faces redirect to.
//! - [`app`]: shared state and the route table; [`pipeline`]: the one app-level layer.
//! - [`server`]: `serve` and the embeddable [`Emulator`].
//! - [`fixture`]: the fixture format that seeds and exports state; [`journal`]: recorded requests;
//!   [`faults`]: injected failures.
//! - [`config`], [`clock`], [`content`] (bytes and hashes), [`request_id`], [`origin`], [`bearer`],
//!   `admission` (sign-in, scopes, faults for both faces), `mix`, `timestamp`: helpers.

pub mod clock;
pub mod config;
pub mod content;
pub mod faults;
pub mod fixture;
pub mod journal;
pub mod store;

mod admin;
mod admission;
mod app;
mod bearer;
mod box_api;
mod download;
mod mix;
mod onedrive;
mod origin;
mod pipeline;
mod request_id;
mod server;
mod state;
mod timestamp;

pub use config::Config;
pub use server::{Emulator, EmulatorBuilder, Server, StartError};

/// The route table and the app-level layer, for the HTTP benchmark's layer-by-layer figures.
/// Only with the `bench-internals` feature; not a stable interface.
#[cfg(feature = "bench-internals")]
pub mod internals {
    pub use crate::app::router;
    pub use crate::pipeline::pipeline;
    pub use crate::server::build_state;
    pub use crate::state::AppState;
}
