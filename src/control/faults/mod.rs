//! Fault injection: rules that make the next matching requests fail, wait, or lose their
//! connection, so tests can check a client's retries and error handling.
//!
//! Admission (`http::admission`) asks `Faults::decide` after signing the caller in and before the
//! face runs the operation, so an injected fault never leaves a half-applied change. The face
//! renders an injected error in its own envelope; this module only decides.
//!
//! A rule is the same whether it arrives as JSON (`POST /__admin/faults`, whose fields
//! [`crate::admin`] lists) or is built in Rust (`FaultSpec::error(429).retry_after(1)…`, added with
//! [`Emulator::add_fault`](crate::Emulator::add_fault)).

mod builder;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::splitmix::splitmix64;
use crate::store::Face;

/// What a test asks for with `POST /__admin/faults`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default, rename = "match")]
    pub matcher: FaultMatch,
    pub action: FaultAction,
    /// Fire on the next N matching requests only; absent means every time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Fire on a matching request with this probability (0 to 1), drawn from a generator seeded
    /// with `seed`, so a run repeats exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    #[serde(default)]
    pub seed: u64,
}

/// Which requests a rule applies to. Every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultMatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<Face>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A pattern for the request path, where `*` stands for any run of characters, `/` included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The id of the user the token signs in as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// What happens to a matching request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultAction {
    /// An error in the face's own envelope. `code` and `message` default to what that API sends
    /// for the status; `retry_after` (seconds) becomes a `Retry-After` header, and `headers` are
    /// added as given.
    Error {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
    },
    /// Wait this long, then run the request as usual.
    Delay { ms: u64 },
    /// Close the connection without a complete reply.
    Drop,
}

/// A rule as `GET /__admin/faults` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultRule {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// How often the rule has fired.
    pub fired: u64,
    #[serde(skip)]
    rng: u64,
}

/// What a rule that fired does to a request. `Faults::decide` answers `None` when none fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Wait this long, then serve the request as usual.
    Delay { rule: u64, wait: Duration },
    /// Answer with this error in the face's own envelope instead of running the operation.
    Error(InjectedError),
    /// Close the connection without a complete reply (`dropped_connection`).
    Drop { rule: u64 },
}

impl Fault {
    /// The id of the rule that fired, which the journal records.
    pub fn rule(&self) -> u64 {
        match self {
            Self::Delay { rule, .. } | Self::Drop { rule } => *rule,
            Self::Error(error) => error.rule,
        }
    }
}

/// An error to render in the face's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InjectedError {
    pub rule: u64,
    pub status: StatusCode,
    pub code: Option<String>,
    pub message: Option<String>,
    /// `Retry-After` and the rule's own headers.
    pub headers: HeaderMap,
}

impl InjectedError {
    /// Adds the rule's headers to the face's rendering of the error.
    pub fn add_headers(&self, response: &mut Response) {
        for (name, value) in &self.headers {
            response.headers_mut().insert(name, value.clone());
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FaultSpecError {
    #[error("status {0} is neither 202 nor an error status (400 to 599)")]
    NotAnErrorStatus(u16),
    #[error("probability {0} is not between 0 and 1")]
    BadProbability(String),
    #[error("{0:?} is not a valid header name and value")]
    BadHeader(String),
}

/// The rules in force.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    state: Mutex<FaultState>,
    /// How many rules there are, readable without the lock: every request asks, and almost
    /// always there are none.
    count: AtomicUsize,
}

#[derive(Debug, Default)]
struct FaultState {
    next_id: u64,
    rules: Vec<FaultRule>,
}

impl Faults {
    pub fn add(&self, spec: FaultSpec) -> Result<FaultRule, FaultSpecError> {
        if let FaultAction::Error {
            status, headers, ..
        } = &spec.action
        {
            // 202 is the one success a rule may send: Box's answer to a session commit whose
            // parts are not processed yet, which the SDKs retry after `Retry-After`
            // (https://developer.box.com/reference/post-files-upload-sessions-id-commit/ and
            // https://github.com/box/box-python-sdk/blob/main/box_sdk_gen/networking/retries.py).
            if !(400..=599).contains(status) && *status != 202 {
                return Err(FaultSpecError::NotAnErrorStatus(*status));
            }
            if let Some((name, _)) = headers.iter().find(|(n, v)| parse_header(n, v).is_none()) {
                return Err(FaultSpecError::BadHeader(name.clone()));
            }
        }
        if let Some(p) = spec.probability {
            if !(0.0..=1.0).contains(&p) {
                return Err(FaultSpecError::BadProbability(p.to_string()));
            }
        }
        let mut state = self.lock();
        self.count.fetch_add(1, Ordering::Relaxed);
        state.next_id += 1;
        let rule = FaultRule {
            id: state.next_id,
            rng: spec.seed,
            spec,
            fired: 0,
        };
        state.rules.push(rule.clone());
        Ok(rule)
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().rules.clone()
    }

    /// Removes one rule; false when there was none with that id.
    pub fn remove(&self, id: u64) -> bool {
        let mut state = self.lock();
        let before = state.rules.len();
        state.rules.retain(|r| r.id != id);
        self.count.store(state.rules.len(), Ordering::Relaxed);
        state.rules.len() != before
    }

    pub fn clear(&self) {
        let mut state = self.lock();
        state.rules.clear();
        self.count.store(0, Ordering::Relaxed);
    }

    /// The first rule that matches and fires decides; `None` when no rule fires.
    pub fn decide(&self, face: Face, method: &str, path: &str, user: &str) -> Option<Fault> {
        if self.count.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut state = self.lock();
        for rule in &mut state.rules {
            if !rule.matches(face, method, path, user)
                || rule.spec.times.is_some_and(|t| rule.fired >= t)
            {
                continue;
            }
            if let Some(p) = rule.spec.probability {
                rule.rng = splitmix64(rule.rng);
                // The top 53 bits as a fraction in [0, 1).
                let draw = (rule.rng >> 11) as f64 / (1u64 << 53) as f64;
                if draw >= p {
                    continue;
                }
            }
            rule.fired += 1;
            return Some(match &rule.spec.action {
                FaultAction::Delay { ms } => Fault::Delay {
                    rule: rule.id,
                    wait: Duration::from_millis(*ms),
                },
                FaultAction::Drop => Fault::Drop { rule: rule.id },
                FaultAction::Error {
                    status,
                    code,
                    message,
                    retry_after,
                    headers,
                } => {
                    let mut reply_headers: HeaderMap = headers
                        .iter()
                        .filter_map(|(n, v)| parse_header(n, v))
                        .collect();
                    if let Some(seconds) = retry_after {
                        reply_headers.insert(header::RETRY_AFTER, HeaderValue::from(*seconds));
                    }
                    Fault::Error(InjectedError {
                        rule: rule.id,
                        status: StatusCode::from_u16(*status)
                            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                        code: code.clone(),
                        message: message.clone(),
                        headers: reply_headers,
                    })
                }
            });
        }
        None
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FaultRule {
    fn matches(&self, face: Face, method: &str, path: &str, user: &str) -> bool {
        let m = &self.spec.matcher;
        m.api.is_none_or(|api| api == face)
            && m.method
                .as_ref()
                .is_none_or(|x| x.eq_ignore_ascii_case(method))
            && m.path
                .as_ref()
                .is_none_or(|pattern| glob_match(pattern, path))
            && m.user.as_ref().is_none_or(|u| u == user)
    }
}

/// A reply whose body fails at once: the server closes the connection mid-response, which
/// clients see as a dropped connection.
pub(crate) fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault: drop",
        ))
    });
    (StatusCode::OK, Body::from_stream(failing)).into_response()
}

/// A header of a rule, if its name and value are valid (checked when the rule is added).
fn parse_header(name: &str, value: &str) -> Option<(HeaderName, HeaderValue)> {
    Some((
        HeaderName::try_from(name).ok()?,
        HeaderValue::try_from(value).ok()?,
    ))
}

/// `*` matches any run of characters; everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_once() -> FaultSpec {
        FaultSpec {
            matcher: FaultMatch {
                api: Some(Face::Graph),
                path: Some("/v1.0/*/versions*".into()),
                ..FaultMatch::default()
            },
            action: FaultAction::Error {
                status: 429,
                code: None,
                message: None,
                retry_after: Some(1),
                headers: BTreeMap::new(),
            },
            times: Some(1),
            probability: None,
            seed: 0,
        }
    }

    #[test]
    fn a_rule_set_to_fire_once_fires_once() {
        let faults = Faults::default();
        faults.add(error_once()).unwrap();
        let path = "/v1.0/me/drive/items/1/versions";
        assert!(matches!(
            faults.decide(Face::Graph, "GET", path, "u"),
            Some(Fault::Error(_))
        ));
        assert_eq!(faults.decide(Face::Graph, "GET", path, "u"), None);
        assert_eq!(faults.list()[0].fired, 1);
    }

    #[test]
    fn rules_only_fire_on_matching_requests() {
        let faults = Faults::default();
        faults.add(error_once()).unwrap();
        assert_eq!(
            faults.decide(Face::Box, "GET", "/v1.0/x/versions", "u"),
            None
        );
        assert_eq!(
            faults.decide(Face::Graph, "GET", "/v1.0/me/drive", "u"),
            None
        );
    }

    #[test]
    fn a_seeded_probability_repeats_exactly() {
        let draws = || {
            let faults = Faults::default();
            faults
                .add(FaultSpec {
                    probability: Some(0.5),
                    seed: 7,
                    times: None,
                    ..error_once()
                })
                .unwrap();
            (0..64)
                .map(|_| {
                    faults
                        .decide(Face::Graph, "GET", "/v1.0/a/versions", "u")
                        .is_some()
                })
                .collect::<Vec<bool>>()
        };
        let first = draws();
        assert_eq!(first, draws());
        let fired = first.iter().filter(|f| **f).count();
        assert!((16..=48).contains(&fired), "fired {fired} of 64 at p = 0.5");
    }

    #[test]
    fn glob_patterns_match_like_shell_stars() {
        for (pattern, text, expected) in [
            ("/v1.0/*", "/v1.0/me/drive", true),
            ("*/versions", "/2.0/files/1/versions", true),
            ("*/versions", "/2.0/files/1/versions/2", false),
            ("/2.0/files/*/versions/*", "/2.0/files/1/versions/2", true),
            ("/exact", "/exact", true),
            ("/exact", "/exactly", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "ab", false),
        ] {
            assert_eq!(glob_match(pattern, text), expected, "{pattern} vs {text}");
        }
    }
}
