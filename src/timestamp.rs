//! Printing instants as both APIs do: UTC, whole seconds, and a suffix each face picks (`Z`,
//! `+00:00`, or none). Written by hand because chrono's strftime reparses its pattern on every
//! call, and a JSON reply prints several dates: a page of 100 versions prints 200 to 400, so the
//! digits are put in a buffer and written in one piece (through `write!`, each of the six fields
//! went through the formatter's padding and, in JSON, its own escape check).

use std::fmt::{self, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::short_text::{Short, ShortText};

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
