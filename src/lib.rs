//! restore-mock: a local emulator of the file-version APIs of Microsoft Graph (OneDrive) and Box,
//! with full version state, for integration tests and development.
//!
//! # Layout
//! - [`store`]: the version store both APIs share (`VersionStore`): domain types, the rules every
//!   store applies (`store::rules`), the item tree and its operations (`store::tree`), the engine
//!   that puts the tree behind one lock (`store::engine`), and `MemoryStore`, the default.
//! - [`accounts`]: tokens, users and scopes, and sign-in, shared by every store.
//! - `onedrive`: the Microsoft Graph face under `/v1.0` (and `/beta`): drives, items, versions.
//! - `box_api`: the Box face under `/2.0` and `/api/2.0`.
//! - `admin`: the emulator's own control plane under `/__admin`.
//! - [`download`]: pre-authenticated download links both faces redirect to.
//! - [`upload_session`]: large-file upload sessions (bytes, parts, expiry) both faces share.
//! - [`app`]: shared state and the route table; [`pipeline`]: the one app-level layer, which sets
//!   `http_date` (the `Date` header from the emulator's clock).
//! - [`server`]: `serve` and the embeddable [`Emulator`].
//! - [`fixture`]: the fixture format that seeds and exports state, turned into and from the
//!   store's records; [`journal`]: recorded requests; [`faults`]: injected failures.
//! - [`config`], [`clock`] (domain time: frozen, advanced), [`content`] (bytes and hashes),
//!   [`request_id`], [`origin`], [`bearer`], `admission` (sign-in, scopes, faults for both faces),
//!   `mix`, `timestamp`: helpers.

pub mod accounts;
pub mod app;
pub mod bearer;
pub mod clock;
pub mod config;
pub mod content;
pub mod download;
pub mod faults;
pub mod fixture;
pub mod journal;
pub mod origin;
pub mod pipeline;
pub mod request_id;
pub mod server;
pub mod store;
pub mod upload_session;

mod admin;
mod admission;
mod box_api;
mod http_date;
mod mix;
mod onedrive;
mod timestamp;

pub use config::Config;
pub use server::{serve, Emulator};
