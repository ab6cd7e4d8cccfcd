//! The `Date` header every reply carries, from the emulator's clock (not the host's), so that
//! with a frozen clock whole replies, headers included, repeat byte for byte (hyper only adds its
//! own `Date` when a reply has none).

use std::cell::RefCell;
use std::time::{Duration, SystemTime};

use axum::http::HeaderValue;

use crate::control::clock::Clock;

thread_local! {
    /// The header made last on this thread, for the second it was made in: formatting a date on
    /// every reply costs more than the rest of a small request's bookkeeping, and a per-thread
    /// copy needs no lock.
    static LAST: RefCell<Option<(i64, HeaderValue)>> = const { RefCell::new(None) };
}

/// The clock's current instant as an HTTP `Date` value (RFC 9110 §5.6.7). Instants before 1970,
/// which an HTTP date cannot show, are shown as its first; the clock stops at the end of 9999,
/// the last year `httpdate` prints.
pub(crate) fn date_header(clock: &Clock) -> HeaderValue {
    let now = clock.now_seconds();
    LAST.with_borrow_mut(|last| match last {
        Some((at, value)) if *at == now => value.clone(),
        _ => {
            let seconds = u64::try_from(now).unwrap_or(0);
            let text =
                httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
            let value = HeaderValue::from_str(&text).expect("an HTTP date is a valid header value");
            *last = Some((now, value.clone()));
            value
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_follows_the_clock_and_clamps_what_http_cannot_print() {
        for (at, expected) in [
            ("2024-01-02T03:05:35Z", "Tue, 02 Jan 2024 03:05:35 GMT"),
            ("1960-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
            ("+262142-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] {
            let clock = Clock::frozen_at(at.parse().unwrap());
            assert_eq!(date_header(&clock), expected, "{at}");
        }
    }
}
