//! restore-mock: a local emulator of the file-version APIs of Microsoft Graph (OneDrive) and Box,
//! with full version state, for integration tests and development.
//!
//! The README is the front door; the details are here, in the modules that implement them: each
//! face's routes, behaviour and known differences from the real service in [`onedrive`] and
//! [`box_api`], the admin API and page in [`admin`], the fixture format in [`fixture`], users,
//! tokens and scopes in [`accounts`], fault rules in [`faults`], the journal in [`journal`],
//! persistence in [`store::durable`], and the security model below.
//!
//! # Layout
//! One line per folder; each module's own `//!` says more.
//! - `server/`: [`Server`] (what the binary runs), the [`Emulator`] handle, the transport and TLS,
//!   the [`Environment`] that tells a client where the emulator is, and `exec` (the binary's
//!   `restore-mock exec`).
//! - `http/`: what every request passes through whichever face answers: the app layer, the body
//!   read under the limit, the access log, `Date`, admission (sign-in, scopes, faults), bearer
//!   tokens, the `Host` and the origin links start with, request ids.
//! - `control/`: what tests steer: the [`journal`], [`faults`] and the [`clock`].
//! - [`onedrive`]: the Microsoft Graph face under `/v1.0` (and `/beta`).
//! - [`box_api`]: the Box face under `/2.0` and `/api/2.0`.
//! - `download/`: the `/_content` links both faces redirect to, their signing and the secrets.
//! - `upload_session/`: large-file upload sessions both faces share.
//! - `deliver/`: the calls out to receivers that Graph subscriptions and Box webhooks make.
//! - [`admin`]: the emulator's own control plane under `/__admin`, and its page.
//! - [`store`]: the version store both faces share (`VersionStore`), with [`accounts`] and
//!   [`content`]; in memory by default, kept on a data dir with `--data-dir`.
//! - [`fixture`]: the format that seeds and exports state.
//! - [`identity`]: clients of the token endpoints, the tokens issued to them, and whether a
//!   token is a user or an app.
//! - the root: `config` ([`Config`]), `app` (the route table), `state` (what every route
//!   reaches), `timestamp` (dates as both APIs print them), `splitmix` (the integer scrambler
//!   behind request ids and seeded fault draws).
//!
//! # Features
//! - `cli` (default): the binary's command line (clap), log output and allocator. Embedders can
//!   turn it off: `restore-mock = { version = "...", default-features = false }`.
//! - `internals`: exposes `internals` for the HTTP benchmark; not a stable interface.
//!
//! # Security model
//! The emulator is for a developer's machine and CI, not a network. What is open, and what closes it:
//!
//! | open by default | closed by |
//! |---|---|
//! | any non-empty bearer token signs in (each is a user of its own) | `--tokens FILE`: only the listed tokens, with their scopes |
//! | the admin API (`/__admin`: every user's files, tokens, the journal, fault rules) | `--admin-token TOKEN` (health stays open) |
//! | plain HTTP: tokens and bytes cross the wire in clear | `--tls-cert`/`--tls-key` or `--tls-self-signed DIR` |
//! | reachable from this machine only (`127.0.0.1`) | `--host` opens it; any other address prints on stderr what is then open |
//! | download links work without a token | they are signed, per version, and expire: Graph's `downloadUrl` after an hour, Graph's redirects after ten minutes, Box's after fifteen, on the emulator's clock |
//! | one user's items, versions and links are never another's | (always: every cross-user try is a `404`) |
//! | the open admin API takes writes without an `Origin` (curl, scripts, SDKs) | always refused: a write from another origin (`403 cross_origin_refused`), a request under a `Host` it does not answer to (`403 host_not_allowed`; `--allowed-host` adds names) |
//! | absolute links start with the request's `Host` | `--public-url URL`; a `Host` that is not one well-formed `host[:port]` is never used |
//! | upload sessions hold what has arrived | declared sizes over `--max-file-size`, and sessions past `--max-session-bytes` or `--max-sessions-per-user`, are refused in each API's envelope |
//!
//! One thing is closed by default and opened on request: web pages on other origins cannot read
//! either API (no reply carries CORS headers) until `--cors-origin` names theirs (`http::cors`);
//! `/__admin` never answers them.
//!
//! The transport refuses what would knock a client or the server over: a request's headers must
//! arrive within 30 seconds, a body declared over `--max-body` is refused (`413` in the API's
//! envelope) before it is sent, an HTTP/1.1 request without `Host` is a `400`, a half-closed request
//! still gets its reply, and a reply that leaves the request body unread says `Connection: close`.
//! A request target that HTTP's parser refuses (`<`, `>`, `` ` `` or a control byte in the path,
//! bytes ≥ 0x80 that are not UTF-8) is a bare `400` with no body and `connection: close`, written
//! by hyper before any route runs (it has no hook for another reply), so it cannot carry the API's
//! envelope; raw UTF-8 bytes in a path do reach the API, which answers in its envelope.

pub mod config;
pub mod fixture;
pub mod identity;
pub mod store;

// Public for their documentation (each face's and the admin API's behaviour in full); they
// export no items of their own.
pub mod admin;
mod app;
pub mod box_api;
mod control;
mod deliver;
mod download;
pub mod entra;
mod http;
mod names;
pub mod onedrive;
mod server;
mod short_text;
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

// A Rust snippet in the README runs as a doctest, so it cannot fall behind the API it shows
// (the embedding examples themselves live on `Emulator`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
#[cfg(feature = "cli")]
pub use server::exec;
pub use server::tls::{SelfSigned, TlsError};
pub use server::{Emulator, EmulatorBuilder, EnvFormat, Environment, Server, StartError};

/// What the push outlets (Graph subscriptions, Box webhooks) deliver: the attempts the admin API
/// and [`Emulator::deliveries`] list, and the keys Box deliveries are signed with.
pub mod deliveries {
    pub use crate::box_api::webhooks::signature::{
        WebhookKeys, DEFAULT_PRIMARY_KEY, DEFAULT_SECONDARY_KEY,
    };
    pub use crate::deliver::DeliveryAttempt;
}

/// The route table and the app-level layer, for the HTTP benchmark's layer-by-layer figures.
/// Only with the `internals` feature; not a stable interface.
#[cfg(feature = "internals")]
pub mod internals {
    pub use crate::app::router;
    pub use crate::http::app_layer::app_layer;
    pub use crate::server::build_state;
    pub use crate::state::AppState;
}
