//! The emulator's clock: real time by default, frozen or shifted when a test asks for it.
//!
//! Every timestamp the store writes comes from here, so a frozen clock plus a fixture makes whole
//! responses reproducible byte for byte.

use std::sync::Mutex;

use axum::http::HeaderValue;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// A clock shared by the store and the admin routes.
#[derive(Debug, Default)]
pub struct Clock {
    state: Mutex<ClockState>,
    /// The last `Date` header made, for the second it was made in: formatting an HTTP date on
    /// every reply costs more than the rest of a small request's bookkeeping.
    date: Mutex<Option<(DateTime<Utc>, HeaderValue)>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ClockState {
    /// When set, `now()` answers this instant (plus nothing: advancing moves it).
    frozen: Option<DateTime<Utc>>,
    /// Added to the real time while the clock is not frozen.
    offset: TimeDelta,
}

/// What the clock is doing, as the admin API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ClockReading {
    pub now: DateTime<Utc>,
    pub frozen: bool,
}

impl Clock {
    /// A clock that follows real time.
    pub fn real() -> Self {
        Self::default()
    }

    /// A clock stopped at `instant`.
    pub fn frozen_at(instant: DateTime<Utc>) -> Self {
        let clock = Self::default();
        clock.freeze(instant);
        clock
    }

    /// The current instant, truncated to whole seconds: both APIs print seconds only, and a
    /// stored value that round-trips through a fixture must compare equal.
    pub fn now(&self) -> DateTime<Utc> {
        let state = *self.state.lock().unwrap_or_else(|e| e.into_inner());
        match state.frozen {
            Some(at) => at,
            None => (Utc::now() + state.offset).trunc_subsecs(0),
        }
    }

    pub fn freeze(&self, instant: DateTime<Utc>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.frozen = Some(instant.trunc_subsecs(0));
    }

    /// Moves time forward: a frozen clock stays frozen at the later instant, a running one runs ahead.
    pub fn advance(&self, by: TimeDelta) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match state.frozen.as_mut() {
            Some(at) => *at += by,
            None => state.offset += by,
        }
    }

    /// Back to real time, with no offset.
    pub fn resume(&self) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = ClockState::default();
    }

    /// `now()` as an HTTP `Date` header value. The pipeline sets it on every reply, so that with
    /// a frozen clock whole replies, headers included, repeat byte for byte (hyper only adds its
    /// own `Date` when a reply has none).
    pub fn date_header(&self) -> HeaderValue {
        let now = self.now();
        let mut cached = self.date.lock().unwrap_or_else(|e| e.into_inner());
        match &*cached {
            Some((at, value)) if *at == now => value.clone(),
            _ => {
                let text = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                let value =
                    HeaderValue::from_str(&text).expect("an HTTP date is a valid header value");
                *cached = Some((now, value.clone()));
                value
            }
        }
    }

    pub fn reading(&self) -> ClockReading {
        let frozen = self
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .frozen
            .is_some();
        ClockReading {
            now: self.now(),
            frozen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_only_moves_when_advanced() {
        let start = "2024-01-02T03:04:05Z".parse().unwrap();
        let clock = Clock::frozen_at(start);
        assert_eq!(clock.now(), start);
        clock.advance(TimeDelta::seconds(90));
        assert_eq!(clock.now(), start + TimeDelta::seconds(90));
        assert_eq!(clock.date_header(), "Tue, 02 Jan 2024 03:05:35 GMT");
        clock.resume();
        assert!(!clock.reading().frozen);
    }
}
