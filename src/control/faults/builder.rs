//! Fault rules built in Rust: the same `FaultSpec` that `POST /__admin/faults` reads, without
//! writing its JSON.
//!
//! ```
//! use std::time::Duration;
//! use restore_mock::faults::FaultSpec;
//! use restore_mock::store::Face;
//!
//! // The next restore answers 429 with `Retry-After: 1`, in Graph's envelope.
//! let throttle = FaultSpec::error(429)
//!     .retry_after(1)
//!     .api(Face::Graph)
//!     .method("POST")
//!     .path("*/restoreVersion")
//!     .times(1);
//! // Half of the Box requests, drawn repeatably, wait 250 ms.
//! let slow = FaultSpec::delay(Duration::from_millis(250)).api(Face::Box).probability(0.5, 7);
//! # let _ = (throttle, slow);
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use crate::control::faults::{FaultAction, FaultMatch, FaultSpec};
use crate::store::Face;

impl FaultSpec {
    /// A rule that fires on every request and does `action`; narrow it with the methods below.
    pub fn new(action: FaultAction) -> Self {
        Self {
            matcher: FaultMatch::default(),
            action,
            times: None,
            probability: None,
            seed: 0,
        }
    }

    /// Answer with this error status (400 to 599) in the API's own envelope, with the code and
    /// message that API uses for it unless [`code`](Self::code) and [`message`](Self::message)
    /// say otherwise.
    pub fn error(status: u16) -> Self {
        Self::new(FaultAction::Error {
            status,
            code: None,
            message: None,
            retry_after: None,
            headers: BTreeMap::new(),
        })
    }

    /// Wait this long (in whole milliseconds), then run the request as usual.
    pub fn delay(by: Duration) -> Self {
        Self::new(FaultAction::Delay {
            ms: u64::try_from(by.as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Close the connection mid-reply.
    pub fn drop_connection() -> Self {
        Self::new(FaultAction::Drop)
    }

    /// Only requests to this API.
    pub fn api(mut self, face: Face) -> Self {
        self.matcher.api = Some(face);
        self
    }

    /// Only requests with this method (any case).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.matcher.method = Some(method.into());
        self
    }

    /// Only paths that match `pattern`, where `*` stands for any run of characters.
    pub fn path(mut self, pattern: impl Into<String>) -> Self {
        self.matcher.path = Some(pattern.into());
        self
    }

    /// Only requests whose token signs in as this user id.
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.matcher.user = Some(id.into());
        self
    }

    /// Fire on the next `n` matching requests only.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Fire with probability `p` (0 to 1), drawn from a generator seeded with `seed`.
    pub fn probability(mut self, p: f64, seed: u64) -> Self {
        self.probability = Some(p);
        self.seed = seed;
        self
    }

    /// The error's code in the envelope. Only an error has one: on a delay or drop it does
    /// nothing, as the JSON form has nowhere to put it.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        if let FaultAction::Error { code: slot, .. } = &mut self.action {
            *slot = Some(code.into());
        }
        self
    }

    /// The error's message in the envelope (errors only, like [`code`](Self::code)).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        if let FaultAction::Error { message: slot, .. } = &mut self.action {
            *slot = Some(message.into());
        }
        self
    }

    /// A `Retry-After` header on the error, in seconds (errors only).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        if let FaultAction::Error { retry_after, .. } = &mut self.action {
            *retry_after = Some(seconds);
        }
        self
    }

    /// A header on the error reply (errors only); checked when the rule is added.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let FaultAction::Error { headers, .. } = &mut self.action {
            headers.insert(name.into(), value.into());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each built rule equals the JSON rule the README gives for it.
    #[test]
    fn built_rules_equal_their_json_form() {
        let cases = [
            (
                FaultSpec::error(429)
                    .retry_after(1)
                    .api(Face::Graph)
                    .method("POST")
                    .path("*/restoreVersion")
                    .times(1),
                json!({"match": {"api": "graph", "method": "POST", "path": "*/restoreVersion"},
                       "action": {"type": "error", "status": 429, "retry_after": 1}, "times": 1}),
            ),
            (
                FaultSpec::delay(Duration::from_millis(250))
                    .api(Face::Box)
                    .probability(0.5, 7),
                json!({"match": {"api": "box"}, "action": {"type": "delay", "ms": 250},
                       "probability": 0.5, "seed": 7}),
            ),
            (
                FaultSpec::drop_connection().user("1001").times(2),
                json!({"match": {"user": "1001"}, "action": {"type": "drop"}, "times": 2}),
            ),
            (
                FaultSpec::error(503)
                    .code("serviceNotAvailable")
                    .message("down for a test")
                    .header("x-test", "1"),
                json!({"action": {"type": "error", "status": 503, "code": "serviceNotAvailable",
                       "message": "down for a test", "headers": {"x-test": "1"}}}),
            ),
        ];
        for (built, written) in cases {
            let written: FaultSpec = serde_json::from_value(written.clone()).unwrap();
            assert_eq!(built, written);
        }
    }

    #[test]
    fn error_details_leave_other_actions_alone() {
        let drop = FaultSpec::drop_connection()
            .code("x")
            .message("y")
            .retry_after(1)
            .header("a", "b");
        assert_eq!(drop, FaultSpec::drop_connection());
    }
}
