//! The test harness, one module for every test: `spawn()` starts an emulator (store, fixture,
//! tokens, TLS, admin token, clock), [`Reply`] is every reply read whole, [`NOW`] the instant
//! every clock is frozen at, and each face has its typed calls and expected JSON.
//!
//! With the clock frozen, everything a reply carries repeats on both stores: user and drive ids
//! follow from the token, item ids count up from the root, eTag GUIDs from the item id, signed
//! links and upload URLs from the clock, and request ids count up from 0 in the order the server
//! receives requests. Tests write these out as literals rather than copy them from the reply.
//!
//! - `spawn`: the one way to start an emulator, and `TestApp` (the emulator and a client).
//! - `reply`: `Reply` and `send`.
//! - `call`: stage-setting requests where only the status matters.
//! - `graph`: the Graph face's client (`Graph`) and driveItem JSON.
//! - `box_api`: the Box face's calls, multipart bodies and expected JSON.
//! - `box_schema`: Box replies checked by hand against Box's OpenAPI shapes.
//! - `download`: reading signed download links.
//! - `receiver`: a local HTTP(S) server that records the emulator's outgoing calls.
//! - `test_ca`: a CA of a test's own and a certificate for an HTTPS receiver.
//! - `raw`: requests written as raw bytes, for what a client library would not send.
//! - `sdk`: the official Python and Node SDKs the flows under `tests/sdk/` run.
//! - `binary`: the `restore-mock` binary (or any command) as a child process.
//! - `chromium`: a headless browser for the admin page.
//! - `connect_proxy`: a CONNECT proxy that leads every host to the emulator.
//! - `rclone`: rclone run against the emulator through that proxy.

pub mod binary;
pub mod box_api;
pub mod box_schema;
pub mod call;
pub mod chromium;
pub mod connect_proxy;
pub mod download;
pub mod graph;
pub mod raw;
pub mod rclone;
pub mod receiver;
pub mod reply;
pub mod sdk;
pub mod spawn;
pub mod temp_dir;
pub mod test_ca;

use chrono::{DateTime, Utc};

pub use binary::listening;
pub use call::call_as;
pub use download::linked_version;
pub use reply::{read_reply, send, Reply};
pub use sdk::{
    run_node_script, run_sdk_script, run_sdk_script_off_runtime, run_sdk_script_with_env, sdk_node,
    sdk_python,
};
pub use spawn::{spawn, TestApp};
pub use temp_dir::TempDir;

/// The instant every test's clock is frozen at unless it asks for another.
pub const NOW: &str = "2024-06-01T10:00:00Z";

/// [`NOW`] as a date.
pub fn now() -> DateTime<Utc> {
    NOW.parse().expect("NOW is a date")
}

/// Pairs each case of a table with the id the server gives that case's request (see the module
/// docs), one id per case: a table whose requests are sent one at a time in order.
/// (An id may be a group of ids, for a case that sends several.)
pub fn with_request_ids<T, Id>(
    cases: impl IntoIterator<Item = T>,
    ids: impl IntoIterator<Item = Id>,
) -> Vec<(T, Id)> {
    let cases: Vec<T> = cases.into_iter().collect();
    let ids: Vec<Id> = ids.into_iter().collect();
    assert_eq!(cases.len(), ids.len(), "one request id per case");
    cases.into_iter().zip(ids).collect()
}
