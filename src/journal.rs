//! The request journal: what clients sent to either face and what they got, bounded in size.
//!
//! One app-level middleware records every request outside `/__admin`, after the face has
//! answered, so injected faults and auth failures are recorded like any other reply.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use axum::body::HttpBody as _;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::app::{api_of, AppState};
use crate::faults::FaultFired;
use crate::request_id::RequestId;
use crate::store::Grant;

/// Request headers worth seeing in the journal. `Authorization` is left out: it is a secret,
/// and the `user` field already says who signed in.
const RECORDED_HEADERS: [&str; 10] = [
    "accept",
    "client-request-id",
    "content-range",
    "content-type",
    "if-match",
    "if-none-match",
    "range",
    "retry-attempt",
    "user-agent",
    "x-box-ua",
];

/// One recorded request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: DateTime<Utc>,
    /// `graph`, `box` or `download`.
    pub api: String,
    /// The id of the user the token signed in as; absent when it did not sign in.
    pub user: Option<String>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub body_size: u64,
    pub status: u16,
    pub duration_us: u64,
    /// The id the client saw (Graph `request-id`, Box `box-request-id`).
    pub request_id: String,
    /// The id of the fault rule that answered instead of the API, if one did.
    pub fault: Option<u64>,
}

/// Which entries to return. Every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFilter {
    pub api: Option<String>,
    pub method: Option<String>,
    pub path_prefix: Option<String>,
    pub status: Option<u16>,
    pub user: Option<String>,
}

impl JournalFilter {
    fn matches(&self, entry: &JournalEntry) -> bool {
        self.api.as_ref().is_none_or(|api| *api == entry.api)
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&entry.method))
            && self
                .path_prefix
                .as_ref()
                .is_none_or(|p| entry.path.starts_with(p.as_str()))
            && self.status.is_none_or(|s| s == entry.status)
            && self
                .user
                .as_ref()
                .is_none_or(|u| entry.user.as_ref() == Some(u))
    }
}

/// The journal itself: the newest `limit` entries, oldest dropped first.
#[derive(Debug)]
pub struct Journal {
    limit: usize,
    entries: Mutex<VecDeque<JournalEntry>>,
}

impl Journal {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            entries: Mutex::new(VecDeque::with_capacity(limit.min(4096))),
        }
    }

    pub fn record(&self, entry: JournalEntry) {
        if self.limit == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == self.limit {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Matching entries, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .filter(|e| filter.matches(e))
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Middleware: records each request with its reply.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(api) = api_of(request.uri().path()) else {
        return next.run(request).await;
    };
    let started = Instant::now();
    let time = state.clock.now();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let headers = recorded_headers(request.headers());
    let body_size = request
        .body()
        .size_hint()
        .exact()
        .unwrap_or_else(|| request.body().size_hint().lower());
    let request_id = request.extensions().get::<RequestId>().copied();

    let response = next.run(request).await;

    let request_id = match (request_id, api) {
        (Some(id), "box") => id.hex(),
        (Some(id), _) => id.uuid().to_string(),
        (None, _) => String::new(),
    };
    state.journal.record(JournalEntry {
        time,
        api: api.to_owned(),
        user: response
            .extensions()
            .get::<Grant>()
            .map(|g| g.user.id.clone()),
        method,
        path,
        query,
        headers,
        body_size,
        status: response.status().as_u16(),
        duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        request_id,
        fault: response.extensions().get::<FaultFired>().map(|f| f.0),
    });
    response
}

fn recorded_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    RECORDED_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some(((*name).to_owned(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u16) -> JournalEntry {
        JournalEntry {
            time: DateTime::UNIX_EPOCH,
            api: "graph".into(),
            user: None,
            method: "GET".into(),
            path: format!("/v1.0/{n}"),
            query: None,
            headers: BTreeMap::new(),
            body_size: 0,
            status: n,
            duration_us: 0,
            request_id: String::new(),
            fault: None,
        }
    }

    #[test]
    fn the_oldest_entries_go_first_when_the_journal_is_full() {
        let journal = Journal::new(2);
        for n in 1..=3 {
            journal.record(entry(n));
        }
        let statuses: Vec<u16> = journal
            .entries(&JournalFilter::default())
            .iter()
            .map(|e| e.status)
            .collect();
        assert_eq!(statuses, [2, 3]);
    }
}
