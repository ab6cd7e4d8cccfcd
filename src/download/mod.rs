//! Pre-authenticated download links, shared by both faces: `GET /_content/{token}`.
//!
//! Both services answer a content request with a 302 to a URL that needs no token (SharePoint's
//! `download.aspx`, Box's `dl.boxcloud.com`). This route plays that host; `links` makes and
//! checks the tokens. Like those URLs it is not part of either API, so its errors are bare
//! statuses, not either API's envelope: a guessed, altered or expired link, or one to bytes that
//! are gone (or in the trash, unless the admin API made the link), is a plain 404; on a data
//! dir, a read that saw a change the disk then failed to keep is a `503` with `Retry-After`
//! (the store has dropped that change; the next try reads without it). A link with
//! `?thumbnail=WxH` serves a Graph thumbnail of that version instead (`thumbnail`);
//! `/_content/placeholder.png` is the placeholder a Box thumbnail request is sent to for a file
//! that has none; `/_content/zip/{token}` a Box zip download's archive (`zip`). A file's bytes
//! honour `Range` as RFC 9110 §14 has it (one part, the first range the file holds), which SDKs
//! use for resumed and partial downloads.

pub(crate) mod links;
pub(crate) mod secret;
mod shared;
pub(crate) mod thumbnail;
pub(crate) mod zip;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;

use crate::control::journal::{Answered, Api};
use crate::state::AppState;
use crate::store::{acknowledge, StoreError};

const PREFIX: &str = "/_content";

/// The whole `/_content` prefix, so that every request under it is this route's to answer (and
/// to journal as a download), malformed ones included.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(PREFIX, any(download))
        .route("/_content/", any(download))
        .route("/_content/{*rest}", any(download))
        .route(thumbnail::PLACEHOLDER_PATH, any(placeholder))
        .merge(shared::router())
        .merge(zip::router())
}

async fn download(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    answer(&state, &method, &uri, &headers, serve).await
}

/// Answers a link with `serve` (GET and HEAD; any other method is 405 with `Allow`), journaled
/// as an anonymous download: the one shape of every tokenless link.
async fn answer(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    serve: fn(&AppState, &Uri, &HeaderMap) -> Response,
) -> Response {
    let answered = Answered::anonymous(Api::Download, state.request_ids.next());
    let mut response = if *method != Method::GET && *method != Method::HEAD {
        let allow = [(header::ALLOW, HeaderValue::from_static("GET,HEAD"))];
        (StatusCode::METHOD_NOT_ALLOWED, allow).into_response()
    } else {
        kept(|| serve(state, uri, headers)).await
    };
    answered.mark(&mut response);
    response
}

/// `serve`'s reply once every commit its reads saw is kept, or a bare `503` when one was not
/// (try again: the store has dropped that change).
///
/// `serve` runs in an acknowledge scope, as the faces' handlers do: on a data dir its reads
/// leave their waits (for the commits they saw to reach the disk) to the scope, which awaits
/// them, rather than blocking the worker.
async fn kept(serve: impl FnOnce() -> Response) -> Response {
    let served = acknowledge::held(async { Ok::<_, StoreError>(serve()) });
    served.await.unwrap_or_else(|_| {
        let retry = [(header::RETRY_AFTER, HeaderValue::from_static("1"))];
        (StatusCode::SERVICE_UNAVAILABLE, retry).into_response()
    })
}

async fn placeholder(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    answer(&state, &method, &uri, &headers, serve_placeholder).await
}

/// The grey square a Box thumbnail redirect points at for a file that has none.
fn serve_placeholder(_: &AppState, _: &Uri, _: &HeaderMap) -> Response {
    let edge = thumbnail::PLACEHOLDER_EDGE;
    png_reply(thumbnail::flat_png(edge, edge))
}

fn png_reply(png: Result<Vec<u8>, png::EncodingError>) -> Response {
    match png {
        Ok(png) => {
            let kind = [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))];
            (StatusCode::OK, kind, png).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn serve(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Response {
    let token = uri.path().strip_prefix("/_content/").unwrap_or_default();
    let Some(claim) = state.links.claim(token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A version the store no longer has (its file deleted, the state reset) is not served.
    let Ok(version) = state.store.version_by_id(claim.version) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !state.links.verify(&claim, &version, state.clock.now()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // A thumbnail link is the version's link with the size after it: the MAC covers the
    // version, and the size only shapes the flat PNG made here.
    if let Some((width, height)) = thumbnail::requested(uri.query()) {
        return png_reply(thumbnail::flat_png(width, height));
    }
    bytes_reply(version.content.bytes.clone(), headers)
}

/// A body's bytes, or the range of them `Range` asks for.
fn bytes_reply(bytes: bytes::Bytes, headers: &HeaderMap) -> Response {
    let total = bytes.len() as u64;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let mut response = match range.map_or(Asked::Whole, |r| parse_range(r, total)) {
        Asked::Whole => (StatusCode::OK, Body::from(bytes)).into_response(),
        Asked::Part(start, end) => {
            let mut response = (
                StatusCode::PARTIAL_CONTENT,
                Body::from(bytes.slice(start as usize..=end as usize)),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
        Asked::Unsatisfiable => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{total}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response
}

/// What a `Range` header asks of a body (RFC 9110 §14.2).
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    /// No range, or one to ignore: a unit other than `bytes`, which a server must ignore, or
    /// ranges that are not ranges, which it may ignore, as common servers do.
    Whole,
    /// These bytes, as inclusive offsets.
    Part(u64, u64),
    /// Well-formed ranges none of which the body holds: `416`.
    Unsatisfiable,
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n`, or several of them: answered with the first range
/// the body holds (one part; no multipart/byteranges). The unit is case-insensitive (§14.1), as
/// `upload_session::ContentRange` reads it too.
fn parse_range(value: &str, total: u64) -> Asked {
    let Some(specs) = (value.split_once('='))
        .filter(|(unit, _)| unit.trim().eq_ignore_ascii_case("bytes"))
        .map(|(_, specs)| specs)
    else {
        return Asked::Whole;
    };
    let mut first = None;
    for spec in specs.split(',') {
        let Some((start, end)) = spec.trim().split_once('-') else {
            return Asked::Whole;
        };
        let number = |text: &str| {
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| text.parse::<u64>().unwrap_or(u64::MAX))
        };
        let last = total.checked_sub(1);
        let range = match (start.trim(), end.trim()) {
            ("", suffix) => match number(suffix) {
                None => return Asked::Whole,
                Some(n) => last.map(|last| (total - n.min(total), last)),
            },
            (start, "") => match number(start) {
                None => return Asked::Whole,
                Some(start) => last.map(|last| (start, last)),
            },
            (start, end) => match (number(start), number(end)) {
                (Some(start), Some(end)) if start <= end => last.map(|last| (start, end.min(last))),
                _ => return Asked::Whole,
            },
        };
        first = first.or(range.filter(|(start, end)| start <= end));
    }
    first.map_or(Asked::Unsatisfiable, |(start, end)| Asked::Part(start, end))
}

#[cfg(test)]
mod tests {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;

    use super::{kept, parse_range, Asked};
    use crate::store::{acknowledge, StoreError};

    /// A reply whose read saw one commit, which the writer then reports as `outcome`.
    async fn reply_after(outcome: Result<(), StoreError>) -> axum::response::Response {
        kept(|| {
            let (report, wait) = acknowledge::report();
            assert!(
                matches!(wait, acknowledge::Wait::Deferred),
                "the read's wait is left to the scope, not blocked on"
            );
            report.send(outcome);
            (StatusCode::OK, "bytes").into_response()
        })
        .await
    }

    #[tokio::test]
    async fn a_link_answers_once_what_its_read_saw_is_kept_and_503_when_it_was_not() {
        assert_eq!(reply_after(Ok(())).await.status(), StatusCode::OK);
        let refused = reply_after(Err(StoreError::Storage("disk gone".into()))).await;
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn ranges_are_read_as_http_defines_them() {
        for (value, expected) in [
            ("bytes=0-3", Asked::Part(0, 3)),
            ("bytes=2-", Asked::Part(2, 9)),
            ("bytes=-4", Asked::Part(6, 9)),
            ("bytes=-40", Asked::Part(0, 9)),
            ("bytes=5-100", Asked::Part(5, 9)),
            (" bytes= 1-2 , 4-5", Asked::Part(1, 2)),
            ("Bytes=0-3", Asked::Part(0, 3)),
            ("BYTES=-2", Asked::Part(8, 9)),
            ("bytes=20-30,4-5", Asked::Part(4, 5)),
            ("bytes=0-99999999999999999999999", Asked::Part(0, 9)),
            ("bytes=10-12", Asked::Unsatisfiable),
            ("bytes=-0", Asked::Unsatisfiable),
            ("bytes=10-", Asked::Unsatisfiable),
            ("bytes=4-2", Asked::Whole),
            ("bytes=abc", Asked::Whole),
            ("bytes=1-2,x", Asked::Whole),
            ("bytes=+1-2", Asked::Whole),
            ("items=0-1", Asked::Whole),
            ("bytes", Asked::Whole),
            ("bytesx=0-1", Asked::Whole),
        ] {
            assert_eq!(parse_range(value, 10), expected, "{value:?}");
        }
        assert_eq!(parse_range("bytes=0-", 0), Asked::Unsatisfiable);
        assert_eq!(parse_range("bytes=-1", 0), Asked::Unsatisfiable);
    }
}
