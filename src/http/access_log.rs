//! One log line per API request, at `info` under the target `restore_mock::access`, as
//! emulators people know print their traffic (Azurite, LocalStack, wiremock's `--verbose`):
//!
//! `POST /v1.0/me/drive/items/5/versions/1.0/restoreVersion 204 0.8ms request_id=… user=1001`
//!
//! with `fault=N` when a fault rule answered or delayed the request. The line is made only when
//! that target is enabled, so an embedded emulator without a subscriber pays one check per request.

use std::fmt;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;

use crate::control::journal::Answered;
use crate::http::secrets::masked;

/// The target of the lines, for `RUST_LOG` (`restore_mock::access=off` silences them alone).
const TARGET: &str = "restore_mock::access";

/// A request being served, as far as its log line knows it before the reply.
#[derive(Debug)]
pub(crate) struct Pending {
    started: Instant,
    method: Method,
    target: Box<str>,
}

/// Notes a request before it is served; `None` when access lines are not logged.
pub(crate) fn start(request: &Request) -> Option<Pending> {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return None;
    }
    Some(Pending {
        started: Instant::now(),
        method: request.method().clone(),
        target: masked(request.uri().path_and_query().map_or("/", |pq| pq.as_str())).into(),
    })
}

impl Pending {
    /// Logs the request with its reply, if an API answered it: the emulator's own `/__admin`
    /// replies carry no `Answered` mark, and are not API traffic.
    pub(crate) fn finish(self, response: &Response) {
        let Some(answered) = response.extensions().get::<Answered>() else {
            return;
        };
        let line = Line {
            method: &self.method,
            target: &self.target,
            status: response.status().as_u16(),
            duration: self.started.elapsed(),
            request_id: answered.api.request_id(answered.request_id),
            user: answered.user.as_ref().map(|user| user.id.as_str()),
            fault: answered.fault,
        };
        tracing::info!(target: TARGET, "{line}");
    }
}

/// The text of one line, apart from what the subscriber prefixes (time, level, target).
struct Line<'a> {
    method: &'a Method,
    target: &'a str,
    status: u16,
    duration: Duration,
    request_id: String,
    user: Option<&'a str>,
    fault: Option<u64>,
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.duration.as_secs_f64() * 1e3;
        write!(
            f,
            "{} {} {} {ms:.1}ms request_id={} user={}",
            self.method,
            self.target,
            self.status,
            self.request_id,
            self.user.unwrap_or("-"),
        )?;
        if let Some(rule) = self.fault {
            write!(f, " fault={rule}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_names_the_request_its_reply_and_who_made_it() {
        let line = Line {
            method: &Method::POST,
            target: "/2.0/files/5/versions/current?fields=id",
            status: 429,
            duration: Duration::from_micros(1240),
            request_id: "abc".into(),
            user: Some("1001"),
            fault: Some(3),
        };
        assert_eq!(
            line.to_string(),
            "POST /2.0/files/5/versions/current?fields=id 429 1.2ms request_id=abc user=1001 fault=3"
        );
        let anonymous = Line {
            user: None,
            fault: None,
            ..line
        };
        assert_eq!(
            anonymous.to_string(),
            "POST /2.0/files/5/versions/current?fields=id 429 1.2ms request_id=abc user=-"
        );
    }
}
