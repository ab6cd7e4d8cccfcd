//! Copy monitors: what `POST {item}/copy` hands back in `Location`, and `GET` of that URL.
//!
//! The copy itself is made when it is accepted (one store call); the monitor only reports it, as
//! the service's asynchronous job does (<https://learn.microsoft.com/en-us/graph/long-running-actions-overview>).
//! So that a client's polling loop is exercised and a test can see both phases, each monitor
//! answers its first read `202` with `"status":"inProgress"` and every later read `200` with
//! `"status":"completed"` and the new item's `resourceId` (or `"failed"` with the error, for a
//! name conflict, which the service reports here rather than on the `POST`). Deterministic: no
//! timer, no clock.
//!
//! The URL needs no token (the docs say so, and rclone and the Rust crate send none), has
//! `/monitor/` in its path (python-o365 takes a `Location` without it for the new item itself)
//! and lives on the emulator's own origin. Monitors live outside the store, like upload
//! sessions: fixtures never carry them and a reset drops them. At most `KEPT` are kept, the
//! oldest dropped first; a dropped or unknown one answers `404 operationNotFound`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;

use super::correlation::Correlation;
use super::errors::GraphError;
use crate::control::journal::{Answered, Api};
use crate::splitmix::splitmix64;
use crate::state::AppState;

/// Where monitors are served, as SharePoint's `{host}/_api/v2.0/monitor/{id}`.
pub(crate) const PREFIX: &str = "/_api/v2.0/monitor";

/// The most monitors kept at once: the oldest go first.
const KEPT: usize = 10_000;

/// What a copy came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Completed {
        resource_id: String,
        /// The new item's absolute URL.
        resource_location: String,
    },
    /// The service's code and message for why it did not copy.
    Failed {
        code: &'static str,
        message: &'static str,
    },
}

/// Every copy monitor of the process.
#[derive(Default)]
pub(crate) struct CopyMonitors {
    inner: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    /// Counts monitors since start or reset; scrambled into each id.
    made: u64,
    operations: HashMap<String, Operation>,
    order: VecDeque<String>,
}

struct Operation {
    outcome: Outcome,
    reads: u32,
}

impl CopyMonitors {
    /// A new monitor for `outcome`; its id, a GUID that repeats from run to run.
    pub fn start(&self, outcome: Outcome) -> String {
        let mut registry = self.lock();
        registry.made += 1;
        let high = splitmix64(registry.made);
        let low = splitmix64(high ^ registry.made);
        let id = Uuid::from_u64_pair(high, low).to_string();
        if registry.order.len() == KEPT {
            if let Some(oldest) = registry.order.pop_front() {
                registry.operations.remove(&oldest);
            }
        }
        registry.order.push_back(id.clone());
        registry
            .operations
            .insert(id.clone(), Operation { outcome, reads: 0 });
        id
    }

    /// Reads a monitor: `None` before the first read has been answered, else its outcome.
    fn read(&self, id: &str) -> Option<Option<Outcome>> {
        let mut registry = self.lock();
        let operation = registry.operations.get_mut(id)?;
        operation.reads = operation.reads.saturating_add(1);
        Some((operation.reads > 1).then(|| operation.outcome.clone()))
    }

    /// Forgets every monitor and starts ids again, as the admin reset does.
    pub fn clear(&self) {
        *self.lock() = Registry::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        // Every change above is one assignment or insert: a poisoned lock holds nothing torn.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `GET {origin}/_api/v2.0/monitor/{id}`, with or without `Authorization`.
pub(crate) async fn monitor(
    State(state): State<AppState>,
    method: Method,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let answered = Answered::anonymous(Api::Graph, state.request_ids.next());
    let correlation = Correlation::new(answered.request_id, &headers);
    let result = match method {
        Method::GET | Method::HEAD => state
            .copies
            .read(&id)
            .map(|outcome| status_reply(&id, outcome))
            .ok_or(GraphError::OperationNotFound),
        _ => Err(GraphError::MethodNotAllowed {
            allow: "GET, HEAD".into(),
        }),
    };
    let mut response = result.unwrap_or_else(|e| e.render(&correlation, state.clock.now()));
    correlation.write_headers(response.headers_mut());
    answered.mark(&mut response);
    response
}

/// The monitor's body in each phase, as the copy page's examples show them
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-copy?view=graph-rest-beta>):
/// `percentageComplete` and `status` in every one, as the `onedrive-api` crate requires both.
fn status_reply(id: &str, outcome: Option<Outcome>) -> Response {
    // The service prints no real times here.
    const NO_TIME: &str = "0001-01-01T00:00:00Z";
    let (status, body) = match outcome {
        None => (
            StatusCode::ACCEPTED,
            json!({"operation": "ItemCopy", "percentageComplete": 0.0, "status": "inProgress"}),
        ),
        Some(Outcome::Completed {
            resource_id,
            resource_location,
        }) => (
            StatusCode::OK,
            json!({
                "id": id,
                "createdDateTime": NO_TIME,
                "lastActionDateTime": NO_TIME,
                "percentageComplete": 100.0,
                "percentComplete": 100.0,
                "resourceId": resource_id,
                "resourceLocation": resource_location,
                "status": "completed",
            }),
        ),
        Some(Outcome::Failed { code, message }) => (
            StatusCode::OK,
            json!({
                "id": id,
                "createdDateTime": NO_TIME,
                "lastActionDateTime": NO_TIME,
                "percentageComplete": 0.0,
                "status": "failed",
                "error": {"code": code, "message": message},
            }),
        ),
    };
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monitor_is_in_progress_once_then_reports_its_outcome() {
        let monitors = CopyMonitors::default();
        let outcome = Outcome::Failed {
            code: "nameAlreadyExists",
            message: "Name already exists",
        };
        let id = monitors.start(outcome.clone());
        assert_eq!(monitors.read(&id), Some(None));
        assert_eq!(monitors.read(&id), Some(Some(outcome.clone())));
        assert_eq!(monitors.read(&id), Some(Some(outcome)));
        assert_eq!(monitors.read("nope"), None);
    }

    #[test]
    fn ids_repeat_after_a_clear_and_the_oldest_go_past_the_limit() {
        let monitors = CopyMonitors::default();
        let done = || Outcome::Failed {
            code: "c",
            message: "m",
        };
        let first = monitors.start(done());
        monitors.clear();
        assert_eq!(monitors.start(done()), first);
        for _ in 1..KEPT {
            monitors.start(done());
        }
        assert!(monitors.read(&first).is_some());
        monitors.start(done());
        assert_eq!(monitors.read(&first), None);
    }
}
