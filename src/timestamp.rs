//! Printing instants as both APIs do: UTC, whole seconds, and a suffix each face picks (`Z`,
//! `+00:00`, or none). Written by hand because chrono's strftime reparses its pattern on every
//! call, and a JSON reply prints several dates.

use std::fmt;

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `2024-01-02T03:04:05` followed by `suffix`, as a `Display` value.
pub(crate) struct UtcSeconds<'a> {
    at: DateTime<Utc>,
    suffix: &'a str,
}

pub(crate) fn utc_seconds(at: DateTime<Utc>, suffix: &str) -> UtcSeconds<'_> {
    UtcSeconds { at, suffix }
}

impl fmt::Display for UtcSeconds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = &self.at;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            self.suffix
        )
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
        ] {
            let at: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(
                utc_seconds(at, "+00:00").to_string(),
                at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
            );
        }
    }
}
