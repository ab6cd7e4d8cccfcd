//! Printing instants as both APIs do: UTC, whole seconds, and a suffix each face picks (`Z`,
//! `+00:00`, or none). Written by hand because chrono's strftime reparses its pattern on every
//! call, and a JSON reply prints several dates: a page of 100 versions prints 200 to 400, so the
//! digits are put in a buffer and written in one piece (through `write!`, each of the six fields
//! went through the formatter's padding and, in JSON, its own escape check).

use std::fmt::{self, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Deserializer};

use crate::short_text::{Short, ShortText};

/// The first and last instants RFC 3339 can write, years 0000 to 9999: the dates both APIs
/// print and read. chrono goes on to year 262142, but the clock and every date a client or a
/// fixture gives are held to this range, because each expiry the emulator works out (a link's
/// hour, a session's week, a trashed item's purge) is such a date plus a span, and near chrono's
/// end that sum panics.
pub(crate) const EARLIEST: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
pub(crate) const LATEST: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

/// Whether `at` is in the range above.
pub(crate) fn is_writable(at: DateTime<Utc>) -> bool {
    (EARLIEST..=LATEST).contains(&at.timestamp())
}

/// What a refused date is told: the range, in the words a client reads.
pub(crate) const OUT_OF_RANGE: &str = "a date must fall in the years 0000 to 9999";

/// A date read with serde and refused outside the range above (`#[serde(deserialize_with)]`):
/// chrono's own reading takes `+262142-12-31T23:59:59Z`.
pub(crate) fn writable<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    let at = DateTime::<Utc>::deserialize(deserializer)?;
    match is_writable(at) {
        true => Ok(at),
        false => Err(serde::de::Error::custom(format!("{at:?}: {OUT_OF_RANGE}"))),
    }
}

/// [`writable`] for an optional date (give the field `#[serde(default)]` too).
pub(crate) fn writable_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    #[derive(Deserialize)]
    struct Writable(#[serde(deserialize_with = "writable")] DateTime<Utc>);
    Ok(Option::<Writable>::deserialize(deserializer)?.map(|Writable(at)| at))
}

/// `2024-01-02T03:04:05` followed by `suffix`, as a `Display` and a [`Short`] value.
pub(crate) struct UtcSeconds<'a> {
    at: DateTime<Utc>,
    suffix: &'a str,
}

pub(crate) fn utc_seconds(at: DateTime<Utc>, suffix: &str) -> UtcSeconds<'_> {
    UtcSeconds { at, suffix }
}

impl Short for UtcSeconds<'_> {
    fn short(&self) -> ShortText {
        let mut out = ShortText::default();
        let at = self.at.naive_utc();
        match u32::try_from(at.year()) {
            Ok(year) if year <= 9999 => {
                let mut text = *b"0000-00-00T00:00:00";
                put(&mut text[0..4], year);
                put(&mut text[5..7], at.month());
                put(&mut text[8..10], at.day());
                put(&mut text[11..13], at.hour());
                put(&mut text[14..16], at.minute());
                put(&mut text[17..19], at.second());
                out.push_ascii(&text);
                out.push(self.suffix);
            }
            // Years past 9999 or before year 0, which chrono allows and `{:04}` prints as it can.
            _ => {
                let _ = write!(
                    out,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
                    at.year(),
                    at.month(),
                    at.day(),
                    at.hour(),
                    at.minute(),
                    at.second(),
                    self.suffix
                );
            }
        }
        out
    }
}

impl fmt::Display for UtcSeconds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short().as_str())
    }
}

/// Writes `n` as decimal digits into all of `digits`, zero-padded (`n` fits by construction).
fn put(digits: &mut [u8], mut n: u32) {
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_what_strftime_prints() {
        for text in [
            "2024-01-02T03:04:05Z",
            "1999-12-31T23:59:59Z",
            "0042-06-07T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            let at: DateTime<Utc> = text.parse().unwrap();
            for suffix in ["+00:00", "Z", ""] {
                assert_eq!(
                    utc_seconds(at, suffix).to_string(),
                    at.format(&format!("%Y-%m-%dT%H:%M:%S{suffix}")).to_string(),
                    "{text} {suffix:?}"
                );
            }
        }
    }

    #[test]
    fn years_past_four_digits_print_as_they_did() {
        let far = chrono::NaiveDate::from_ymd_opt(10000, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap()
            .and_utc();
        assert_eq!(utc_seconds(far, "Z").to_string(), "10000-01-02T03:04:05Z");
    }
}
