//! The request body limit (`--max-body`), enforced in one place: the app layer calls [`limit`]
//! on every request, and every route reads a body with [`read`], which tells a body over the
//! limit from one that could not be read, for each face to answer in its own envelope (Graph's
//! and Box's 413, the admin API's).
//!
//! Routes read bodies only through [`read`], never with axum's `Bytes`, `Json` or `String`
//! extractors: those would apply axum's own 2 MiB default on top of the configured limit.

use std::error::Error as _;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header;
use bytes::BytesMut;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};

/// Why a body could not be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    #[error("the request body is larger than the configured limit")]
    TooLarge,
    /// The client went away or broke the framing mid-body; the message is axum's wording.
    #[error("{0}")]
    Unreadable(String),
}

/// Puts `request`'s body under `max` bytes. A body that declares more in `Content-Length` is
/// refused before a byte of it is read: whoever reads it meets the limit at once and answers
/// `413`, so the client need not send the body first.
pub(crate) fn limit(request: &mut Request, max: usize) {
    // Most requests (GETs, and restores as the SDKs send them) have no body: nothing to limit,
    // and no wrapper to allocate.
    if request.body().is_end_stream() {
        return;
    }
    let limited = if declared_over(request, max) {
        Body::new(Limited::new(Full::new(Bytes::from_static(b" ")), 0))
    } else {
        Body::new(Limited::new(std::mem::take(request.body_mut()), max))
    };
    *request.body_mut() = limited;
}

/// The whole body, buffered. Under [`limit`], a body over the limit is [`BodyError::TooLarge`].
pub(crate) async fn read(body: Body) -> Result<Bytes, BodyError> {
    read_each(body, |_| ()).await
}

/// The whole body as [`read`] has it, with `each` called on every piece as it arrives, in
/// order: an upload hashes its bytes while they are still in the CPU's cache from the socket.
pub(crate) async fn read_each(
    mut body: Body,
    mut each: impl FnMut(&[u8]),
) -> Result<Bytes, BodyError> {
    // One piece is kept as it came; from the second on they are copied into one buffer, sized
    // up front from `Content-Length` (already held under the limit) but never beyond
    // `PREALLOCATE_AT_MOST` on a client's word.
    let mut first: Option<Bytes> = None;
    let mut whole: Option<BytesMut> = None;
    let expected = usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX);
    while let Some(frame) = body.frame().await {
        let Ok(piece) = frame.map_err(unreadable)?.into_data() else {
            continue; // trailers
        };
        each(&piece);
        match (&mut whole, first.take()) {
            (Some(whole), _) => whole.extend_from_slice(&piece),
            (None, None) => first = Some(piece),
            (None, Some(earlier)) => {
                let room = expected.max(earlier.len() + piece.len());
                let mut buffer = BytesMut::with_capacity(room.min(PREALLOCATE_AT_MOST));
                buffer.extend_from_slice(&earlier);
                buffer.extend_from_slice(&piece);
                whole = Some(buffer);
            }
        }
    }
    Ok(match whole {
        Some(whole) => whole.freeze(),
        None => first.unwrap_or_default(),
    })
}

/// The most a body's buffer is given before its bytes arrive.
const PREALLOCATE_AT_MOST: usize = 64 * 1024 * 1024;

/// Why a frame could not be read: the limit, or the connection.
fn unreadable(error: axum::Error) -> BodyError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(inner) = cause {
        if inner.is::<LengthLimitError>() {
            return BodyError::TooLarge;
        }
        cause = inner.source();
    }
    BodyError::Unreadable(format!("Failed to buffer the request body: {error}"))
}

/// Whether the request's `Content-Length` is over `limit`.
fn declared_over(request: &Request, limit: usize) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .is_some_and(|length| length > limit as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &'static [u8], content_length: Option<u64>) -> Request {
        let mut request = Request::new(Body::from(body));
        if let Some(length) = content_length {
            request
                .headers_mut()
                .insert(header::CONTENT_LENGTH, length.into());
        }
        request
    }

    #[tokio::test]
    async fn bodies_up_to_the_limit_are_read_and_larger_ones_are_too_large() {
        // (body sent, Content-Length, what is read: the bytes, or None for too large, why)
        let cases = [
            (&b""[..], None, Some(&b""[..]), "no body"),
            (b"1234", Some(4), Some(b"1234"), "exactly the limit"),
            (b"12345", Some(5), None, "one byte over, declared"),
            (b"12345", None, None, "one byte over, undeclared (chunked)"),
            (
                b"1",
                Some(1_000_000),
                None,
                "declared over, whatever is sent",
            ),
        ];
        for (body, length, expected, why) in cases {
            let mut request = request(body, length);
            limit(&mut request, 4);
            let read = read(request.into_body()).await;
            match expected {
                Some(bytes) => assert_eq!(read.unwrap(), bytes, "{why}"),
                None => assert!(matches!(read, Err(BodyError::TooLarge)), "{why}"),
            }
        }
    }

    /// A body that declares far more than it sends, in pieces.
    struct Boastful(std::collections::VecDeque<Bytes>);

    impl HttpBody for Boastful {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
            std::task::Poll::Ready(self.0.pop_front().map(|b| Ok(hyper::body::Frame::data(b))))
        }

        fn size_hint(&self) -> hyper::body::SizeHint {
            hyper::body::SizeHint::with_exact(1 << 46)
        }
    }

    #[tokio::test]
    async fn each_piece_is_seen_in_order_and_a_declared_size_is_not_taken_on_trust() {
        let pieces = [&b"one "[..], b"two ", b"three"].map(Bytes::from_static);
        let mut seen = Vec::new();
        // 64 TiB declared: a buffer sized from it would abort the process.
        let body = Body::new(Boastful(pieces.iter().cloned().collect()));
        let read = read_each(body, |piece| seen.push(piece.to_vec())).await;
        assert_eq!(read.unwrap(), "one two three");
        assert_eq!(seen, pieces.map(|p| p.to_vec()));
        // One piece is kept as it came, not copied.
        let only = Bytes::from_static(b"only");
        let body = Body::new(Boastful([only.clone()].into()));
        let read = read_each(body, |_| ()).await.unwrap();
        assert_eq!(read.as_ptr(), only.as_ptr());
    }
}
