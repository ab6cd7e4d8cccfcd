//! The request journal: what clients sent to either face and what they got, bounded in size.
//!
//! The app layer (`http::app_layer`) records every request a face answered (the face marks its reply with
//! `Answered`; the emulator's own `/__admin` replies carry no mark), after the face has answered,
//! so injected faults and auth failures are recorded like any other reply. Records are
//! compact (the request target and the recorded headers copied into one string each, the
//! signed-in `User` shared) and are formatted into `JournalEntry`s only when someone reads the
//! journal. They copy rather than share the request's bytes on purpose: a kept `Uri` or
//! `HeaderValue` would pin hyper's read buffer, which then has to be reallocated per request.
//!
//! `GET /__admin/requests` and [`Emulator::requests`](crate::Emulator::requests) read it; the
//! fields of an entry are listed in [`crate::admin`].

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::{HeaderName, Method};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::http::request_id::RequestId;
use crate::http::secrets::masked;
use crate::store::{ItemId, Listing, User, Window};

/// Request headers worth seeing in the journal. `Authorization` is left out: it is a secret,
/// and the `user` field already says who signed in.
static RECORDED_HEADERS: [HeaderName; 10] = [
    HeaderName::from_static("accept"),
    HeaderName::from_static("client-request-id"),
    HeaderName::from_static("content-range"),
    HeaderName::from_static("content-type"),
    HeaderName::from_static("if-match"),
    HeaderName::from_static("if-none-match"),
    HeaderName::from_static("range"),
    HeaderName::from_static("retry-attempt"),
    HeaderName::from_static("user-agent"),
    HeaderName::from_static("x-box-ua"),
];

/// Which part of the emulator answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Graph,
    Box,
    /// The pre-authenticated download links both faces hand out.
    Download,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graph => "graph",
            Self::Box => "box",
            Self::Download => "download",
        }
    }

    /// `id` as this API's client saw it: Box's hex `box-request-id`, Graph's (and the download
    /// links') GUID `request-id`.
    pub fn request_id(self, id: RequestId) -> String {
        match self {
            Self::Box => id.hex(),
            Self::Graph | Self::Download => id.uuid().to_string(),
        }
    }
}

/// What the face that answered a request puts on its reply for the journal: which API it is,
/// the id it gave the request, who signed in and the fault rule that fired, if any did.
#[derive(Debug, Clone)]
pub(crate) struct Answered {
    pub api: Api,
    pub request_id: RequestId,
    pub user: Option<Arc<User>>,
    /// The client id when the token is an app's ([`crate::identity::Identity::App`]).
    pub app: Option<Arc<str>>,
    pub fault: Option<u64>,
}

impl Answered {
    /// A reply that no one signed in for and no rule touched.
    pub fn anonymous(api: Api, request_id: RequestId) -> Self {
        Self {
            api,
            request_id,
            user: None,
            app: None,
            fault: None,
        }
    }

    /// Marks `response` as answered.
    pub fn mark(self, response: &mut Response) {
        response.extensions_mut().insert(self);
    }
}

/// One recorded request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: DateTime<Utc>,
    /// `graph`, `box` or `download`.
    pub api: String,
    /// The id of the user the token signed in as; absent when it did not sign in.
    pub user: Option<String>,
    /// The client id when the token is an app's (its `user` is then the app's service account);
    /// left out otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub body_size: u64,
    pub status: u16,
    pub duration_us: u64,
    /// The id the client saw (Graph `request-id`, Box `box-request-id`).
    pub request_id: String,
    /// The id of the fault rule that answered instead of the API, or delayed it, if one did.
    pub fault: Option<u64>,
    /// The file or folder the request acted on, when the face knew it (see `Touched`).
    pub item: Option<ItemId>,
    /// What the real service might hold against a request the emulator took (see `Warning`).
    #[serde(default)]
    pub warning: Option<String>,
}

/// The item a request acted on, put in the reply's extensions by the face that resolved it, so
/// that the journal (and the admin page's link from an entry to its file) can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touched(pub ItemId);

impl Touched {
    /// Marks `response` as having acted on `item`.
    pub fn mark(item: ItemId, mut response: Response) -> Response {
        response.extensions_mut().insert(Self(item));
        response
    }
}

/// A request the emulator served although the real service may not: put in the reply's
/// extensions by the face, recorded in the journal (and logged by the face).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Warning(pub String);

impl Warning {
    /// Marks `response` with `warning`.
    pub fn mark(warning: String, mut response: Response) -> Response {
        response.extensions_mut().insert(Self(warning));
        response
    }
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
    /// Matched against the stored record, so that a page of the journal formats only the
    /// entries it returns.
    fn matches(&self, record: &Record) -> bool {
        self.api
            .as_ref()
            .is_none_or(|api| api == record.api.as_str())
            && self
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(record.method.as_str()))
            && self
                .path_prefix
                .as_ref()
                .is_none_or(|p| record.path().starts_with(p.as_str()))
            && self.status.is_none_or(|s| s == record.status)
            && self
                .user
                .as_ref()
                .is_none_or(|u| record.user.as_ref().is_some_and(|user| user.id == *u))
    }
}

/// The journal itself: the newest `limit` records, oldest dropped first.
#[derive(Debug)]
pub(crate) struct Journal {
    limit: usize,
    records: Mutex<VecDeque<Record>>,
}

/// A request being served, as far as the journal knows it before the reply.
#[derive(Debug)]
pub(crate) struct Pending {
    started: Instant,
    time: DateTime<Utc>,
    method: Method,
    target: Box<str>,
    headers: Box<str>,
    body_size: u64,
}

/// One stored request: everything a `JournalEntry` says, unformatted.
#[derive(Debug, Clone)]
struct Record {
    time: DateTime<Utc>,
    api: Api,
    user: Option<Arc<User>>,
    app: Option<Arc<str>>,
    method: Method,
    /// The path and query, as received.
    target: Box<str>,
    /// The recorded headers present, as `name: value` lines.
    headers: Box<str>,
    body_size: u64,
    status: u16,
    duration_us: u64,
    request_id: RequestId,
    fault: Option<u64>,
    item: Option<ItemId>,
    warning: Option<Box<str>>,
}

impl Journal {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            records: Mutex::new(VecDeque::with_capacity(limit.min(4096))),
        }
    }

    /// Notes what a request is, before it is served; `None` when the journal keeps nothing.
    pub fn start(&self, request: &Request, time: DateTime<Utc>) -> Option<Pending> {
        if self.limit == 0 {
            return None;
        }
        let body = request.body().size_hint();
        Some(Pending {
            started: Instant::now(),
            time,
            method: request.method().clone(),
            target: masked(request.uri().path_and_query().map_or("/", |pq| pq.as_str())).into(),
            headers: recorded_headers(request),
            body_size: body.exact().unwrap_or_else(|| body.lower()),
        })
    }

    /// Records the request with its reply, if a face answered it (see `Answered`).
    pub fn finish(&self, pending: Pending, response: &Response) {
        let Some(answered) = response.extensions().get::<Answered>() else {
            return;
        };
        let record = Record {
            duration_us: u64::try_from(pending.started.elapsed().as_micros()).unwrap_or(u64::MAX),
            time: pending.time,
            api: answered.api,
            user: answered.user.clone(),
            app: answered.app.clone(),
            method: pending.method,
            target: pending.target,
            headers: pending.headers,
            body_size: pending.body_size,
            status: response.status().as_u16(),
            request_id: answered.request_id,
            fault: answered.fault,
            item: response.extensions().get::<Touched>().map(|t| t.0),
            warning: response
                .extensions()
                .get::<Warning>()
                .map(|w| w.0.as_str().into()),
        };
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() == self.limit {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// Matching entries, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let records = self
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        records
            .iter()
            .filter(|r| filter.matches(r))
            .map(Record::entry)
            .collect()
    }

    /// One page of the matching entries, newest first when `newest_first`, with how many match.
    /// Only the page is formatted; matching is a walk over the bounded journal under its lock.
    pub fn page(
        &self,
        filter: &JournalFilter,
        newest_first: bool,
        window: Window,
    ) -> Listing<JournalEntry> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let total = records.iter().filter(|r| filter.matches(r)).count();
        let matching = records.iter().filter(|r| filter.matches(r));
        let entries = if newest_first {
            let newest: Vec<JournalEntry> =
                window.page(matching.rev()).map(Record::entry).collect();
            newest
        } else {
            window.page(matching).map(Record::entry).collect()
        };
        Listing { total, entries }
    }

    pub fn clear(&self) {
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The recorded headers a request has, as `name: value` lines; values that are not visible
/// ASCII are left out, as they cannot be shown as text anyway.
fn recorded_headers(request: &Request) -> Box<str> {
    let mut lines = String::new();
    for name in &RECORDED_HEADERS {
        if let Some(value) = request.headers().get(name).and_then(|v| v.to_str().ok()) {
            lines.push_str(name.as_str());
            lines.push_str(": ");
            lines.push_str(value);
            lines.push('\n');
        }
    }
    lines.into()
}

impl Record {
    fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&*self.target, |(path, _)| path)
    }

    fn entry(&self) -> JournalEntry {
        let (path, query) = match self.target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (&*self.target, None),
        };
        JournalEntry {
            time: self.time,
            api: self.api.as_str().to_owned(),
            user: self.user.as_ref().map(|u| u.id.clone()),
            app: self.app.as_deref().map(str::to_owned),
            method: self.method.to_string(),
            path: path.to_owned(),
            query: query.map(str::to_owned),
            headers: self
                .headers
                .lines()
                .filter_map(|line| line.split_once(": "))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect::<BTreeMap<_, _>>(),
            body_size: self.body_size,
            status: self.status,
            duration_us: self.duration_us,
            request_id: self.api.request_id(self.request_id),
            fault: self.fault,
            item: self.item,
            warning: self.warning.as_deref().map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;
    use crate::http::request_id::RequestIds;

    #[test]
    fn the_oldest_entries_go_first_when_the_journal_is_full() {
        let journal = Journal::new(2);
        let ids = RequestIds::default();
        for n in 1..=3u16 {
            let request = Request::builder()
                .uri(format!("/v1.0/{n}"))
                .body(Body::empty())
                .unwrap();
            let pending = journal.start(&request, DateTime::UNIX_EPOCH).unwrap();
            let mut response = Response::new(Body::empty());
            *response.status_mut() = axum::http::StatusCode::from_u16(200 + n).unwrap();
            Answered::anonymous(Api::Graph, ids.next()).mark(&mut response);
            journal.finish(pending, &response);
        }
        let statuses: Vec<u16> = journal
            .entries(&JournalFilter::default())
            .iter()
            .map(|e| e.status)
            .collect();
        assert_eq!(statuses, [202, 203]);
    }
}
