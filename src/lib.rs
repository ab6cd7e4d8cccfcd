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
//!   [`access_log`]: one log line per request, [`logging`]: the binary's subscriber;
//!   [`faults`]: injected failures, and `fault_builder`: `FaultSpec::error(429).times(1)`….
//! - [`config`], [`clock`], [`content`] (bytes and hashes), [`request_id`], [`origin`], [`bearer`],
//!   `admission` (sign-in, scopes, faults for both faces), `mix`, `timestamp`: helpers.

pub mod access_log;
pub mod app;
pub mod bearer;
pub mod clock;
pub mod config;
pub mod content;
pub mod download;
pub mod faults;
pub mod fixture;
pub mod journal;
pub mod logging;
pub mod origin;
pub mod pipeline;
pub mod request_id;
pub mod server;
pub mod store;

mod admin;
mod admission;
mod box_api;
mod fault_builder;
mod mix;
mod onedrive;
mod timestamp;

pub use config::Config;
pub use server::{serve, Emulator};
