//! `Content-Range: bytes s-e/total`, the header both faces' session uploads carry (Graph's
//! fragments, Box's parts), read the same way for both.

/// One inclusive byte range of a file of `total` bytes: `start <= end < total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    pub start: u64,
    pub end: u64,
    pub total: u64,
}

impl ContentRange {
    /// Reads `bytes s-e/total`; `None` for anything else, including `*` forms, which no upload
    /// can use, and ranges that do not fit in `total`.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        let (unit, spec) = value.split_once(' ')?;
        if !unit.eq_ignore_ascii_case("bytes") {
            return None;
        }
        let (range, total) = spec.trim().split_once('/')?;
        let (start, end) = range.split_once('-')?;
        let number = |s: &str| -> Option<u64> {
            let s = s.trim();
            // Digits only: `u64::from_str` would also take a sign.
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let range = Self {
            start: number(start)?,
            end: number(end)?,
            total: number(total)?,
        };
        (range.start <= range.end && range.end < range.total).then_some(range)
    }

    /// How many bytes the range covers.
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }
}

#[cfg(test)]
mod tests {
    use super::ContentRange;

    #[test]
    fn only_complete_ranges_inside_the_total_are_read() {
        let range = |start, end, total| Some(ContentRange { start, end, total });
        for (value, expected, why) in [
            ("bytes 0-9/10", range(0, 9, 10), "the whole file"),
            ("Bytes 5-5/6", range(5, 5, 6), "one byte, unit in any case"),
            (" bytes  2-3/4 ", range(2, 3, 4), "spaces around"),
            ("bytes 0-10/10", None, "end past the total"),
            ("bytes 4-3/10", None, "end before start"),
            ("bytes */10", None, "unsatisfied form"),
            ("bytes 0-9/*", None, "unknown total"),
            ("bytes -1-9/10", None, "sign"),
            ("items 0-9/10", None, "other unit"),
            ("bytes 0-9", None, "no total"),
            ("", None, "empty"),
        ] {
            assert_eq!(ContentRange::parse(value), expected, "{why}: {value:?}");
        }
    }
}
