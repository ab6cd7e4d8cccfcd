//! The framing of a part or fragment: one `Content-Range` and a body sent as it is (the latter
//! also for Box's whole-file uploads). Anything the
//! emulator would not interpret is refused rather than guessed at: a second `Content-Range`
//! (which one did the client mean?) or a transfer or content coding other than `chunked`
//! (hyper undoes `chunked` only, so a `gzip` body would be stored still compressed).

use axum::http::{header, HeaderMap};

use super::range::ContentRange;

/// Why a part's framing was refused; each face maps it to its bad-request error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    #[error("The Content-Range header is missing.")]
    NoRange,
    #[error("The Content-Range header is malformed.")]
    BadRange,
    #[error("Only one Content-Range header is allowed.")]
    SeveralRanges,
    #[error("Transfer-Encoding other than chunked is not supported.")]
    TransferCoding,
    #[error("Content-Encoding is not supported on uploads: send the bytes as they are.")]
    ContentCoding,
}

/// The part's one `Content-Range`, after checking that its body needs no decoding.
pub fn part_range(headers: &HeaderMap) -> Result<ContentRange, FramingError> {
    plain_body(headers)?;
    let mut ranges = headers.get_all(header::CONTENT_RANGE).iter();
    let range = ranges.next().ok_or(FramingError::NoRange)?;
    if ranges.next().is_some() {
        return Err(FramingError::SeveralRanges);
    }
    range
        .to_str()
        .ok()
        .and_then(ContentRange::parse)
        .ok_or(FramingError::BadRange)
}

/// Refuses a body in a coding the emulator does not undo. `chunked` (alone, or listed more than
/// once by a sloppy client) is hyper's to undo; `identity` is no coding at all. Whole-file
/// uploads check this too.
pub fn plain_body(headers: &HeaderMap) -> Result<(), FramingError> {
    let only = |name, allowed: &[&str]| {
        headers.get_all(name).iter().all(|value| {
            value.to_str().is_ok_and(|v| {
                v.split(',').all(|coding| {
                    let coding = coding.trim();
                    allowed.iter().any(|a| coding.eq_ignore_ascii_case(a))
                })
            })
        })
    };
    if !only(header::TRANSFER_ENCODING, &["chunked"]) {
        return Err(FramingError::TransferCoding);
    }
    if !only(header::CONTENT_ENCODING, &["identity", ""]) {
        return Err(FramingError::ContentCoding);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_range_over_a_plain_body_is_read() {
        let range = Ok(ContentRange {
            start: 0,
            end: 9,
            total: 10,
        });
        for (headers, expected, why) in [
            (&[("content-range", "bytes 0-9/10")][..], range, "one range"),
            (
                &[
                    ("content-range", "bytes 0-9/10"),
                    ("transfer-encoding", "chunked"),
                ],
                range,
                "chunked, which hyper undoes",
            ),
            (
                &[
                    ("content-range", "bytes 0-9/10"),
                    ("content-encoding", "identity"),
                ],
                range,
                "no coding at all",
            ),
            (&[], Err(FramingError::NoRange), "no range"),
            (
                &[
                    ("content-range", "bytes 0-9/10"),
                    ("content-range", "bytes 0-4/10"),
                ],
                Err(FramingError::SeveralRanges),
                "two ranges",
            ),
            (
                &[
                    ("content-range", "bytes 0-9/10"),
                    ("transfer-encoding", "gzip, chunked"),
                ],
                Err(FramingError::TransferCoding),
                "gzip under chunked",
            ),
            (
                &[
                    ("content-range", "bytes 0-9/10"),
                    ("content-encoding", "gzip"),
                ],
                Err(FramingError::ContentCoding),
                "a compressed body",
            ),
        ] {
            let mut map = HeaderMap::new();
            for (name, value) in headers {
                map.append(*name, value.parse().unwrap());
            }
            assert_eq!(part_range(&map), expected, "{why}");
        }
    }
}
