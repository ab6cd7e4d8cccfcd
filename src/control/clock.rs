//! The emulator's clock: real time by default, frozen or shifted when a test asks for it.
//!
//! Every timestamp the store writes comes from here, so a frozen clock plus a fixture makes whole
//! responses reproducible byte for byte.
//!
//! It shows only instants from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the dates both APIs
//! can write (`timestamp::EARLIEST`, `LATEST`): set outside them, it stops at the nearest end.
//! The admin API and `--clock` refuse such an instant rather than clamp it.

use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

use crate::timestamp::{EARLIEST, LATEST};

/// A clock shared by the store, the faces and the admin routes.
///
/// Both APIs print whole seconds, so the clock keeps whole seconds in atomics: every request
/// reads it several times, and a lock here would be taken by every core on every request.
#[derive(Debug)]
pub struct Clock {
    /// The frozen instant in Unix seconds, or `RUNNING`.
    frozen: AtomicI64,
    /// Seconds added to the real time while the clock runs.
    offset: AtomicI64,
}

const RUNNING: i64 = i64::MIN;

/// What the clock is doing, as the admin API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ClockReading {
    pub now: DateTime<Utc>,
    pub frozen: bool,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            frozen: AtomicI64::new(RUNNING),
            offset: AtomicI64::new(0),
        }
    }
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

    /// The current instant, in whole seconds: both APIs print seconds only, and a stored value
    /// that round-trips through a fixture must compare equal.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.now_seconds(), 0).unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// `now()` as Unix seconds.
    pub fn now_seconds(&self) -> i64 {
        match self.frozen.load(Ordering::Relaxed) {
            RUNNING => Utc::now()
                .timestamp()
                .saturating_add(self.offset.load(Ordering::Relaxed))
                .clamp(EARLIEST, LATEST),
            at => at,
        }
    }

    /// Stops the clock at `instant`, or at the nearest instant it can show.
    pub fn freeze(&self, instant: DateTime<Utc>) {
        (self.frozen).store(
            instant.timestamp().clamp(EARLIEST, LATEST),
            Ordering::Relaxed,
        );
    }

    /// Moves time forward (in whole seconds): a frozen clock stays frozen at the later instant,
    /// a running one runs ahead. Either stops at 9999-12-31T23:59:59Z.
    pub fn advance(&self, by: TimeDelta) {
        let seconds = by.num_seconds();
        let frozen = self
            .frozen
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |at| {
                (at != RUNNING).then(|| at.saturating_add(seconds).min(LATEST))
            });
        if frozen.is_err() {
            // Kept at most the span from now to the last instant, so the offset cannot wrap.
            let room = LATEST.saturating_sub(Utc::now().timestamp());
            let _ = (self.offset).fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                Some(offset.saturating_add(seconds).min(room))
            });
        }
    }

    /// Back to real time, with no offset.
    pub fn resume(&self) {
        self.frozen.store(RUNNING, Ordering::Relaxed);
        self.offset.store(0, Ordering::Relaxed);
    }

    pub fn reading(&self) -> ClockReading {
        let frozen = self.frozen.load(Ordering::Relaxed) != RUNNING;
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
        clock.resume();
        assert!(!clock.reading().frozen);
    }

    #[test]
    fn the_clock_stops_at_the_ends_of_year_0000_and_9999() {
        let last = DateTime::from_timestamp(LATEST, 0).unwrap();
        let first = DateTime::from_timestamp(EARLIEST, 0).unwrap();
        let clock = Clock::frozen_at(DateTime::<Utc>::MAX_UTC);
        assert_eq!(clock.now(), last);
        clock.freeze(DateTime::<Utc>::MIN_UTC);
        assert_eq!(clock.now(), first);
        clock.freeze(last - TimeDelta::seconds(10));
        clock.advance(TimeDelta::MAX);
        assert_eq!(clock.now(), last);
        // Running, twice as far as the offset can hold: it neither wraps nor passes the end.
        clock.resume();
        clock.advance(TimeDelta::MAX);
        clock.advance(TimeDelta::MAX);
        assert_eq!(clock.now(), last);
        assert!(!clock.reading().frozen);
    }
}
