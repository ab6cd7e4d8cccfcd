//! Cross-origin access for web apps, opened with `--cors-origin`: a single-page app on another
//! origin (MSAL.js with the Graph JavaScript client, a Box UI Elements page) calls the API from
//! the browser with a bearer token, which takes a CORS preflight and an
//! `Access-Control-Allow-Origin` on every reply (<https://fetch.spec.whatwg.org/#http-cors-protocol>).
//! Both services answer them: Microsoft Graph for single-page apps on any origin
//! (<https://devblogs.microsoft.com/microsoft365dev/30daysmsgraph-day-23-use-case-calling-microsoft-graph-from-a-single-page-application-part-1/>),
//! Box for the origins an app lists (<https://developer.box.com/guides/security/cors/>).
//!
//! Off unless asked: with the open sign-in any bearer token is a user, so a page the developer
//! happens to open could otherwise read and change the emulator's files. The admin API
//! (`/__admin`) never answers cross-origin requests (`admin::browsers`).
//!
//! Written here rather than with `tower_http::cors`, which takes every `OPTIONS` request for a
//! preflight: Box's upload preflight (`OPTIONS /2.0/files/content`) is an API call of its own, and
//! a preflight is only an `OPTIONS` that carries `Access-Control-Request-Method`.

use std::str::FromStr;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;

use crate::http::host::PublicUrl;

/// `--cors-origin`: one web origin whose pages may call the APIs, or `*` for any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigin {
    Any,
    /// `scheme://host[:port]`, lower-case, as browsers send `Origin`.
    Exact(String),
}

/// An origin is read as `--public-url` is (scheme, host, port, nothing after), so it shares its
/// parser; the refusal speaks of origins.
impl FromStr for CorsOrigin {
    type Err = CorsOriginError;

    fn from_str(text: &str) -> Result<Self, CorsOriginError> {
        if text == "*" {
            return Ok(Self::Any);
        }
        let url: PublicUrl = text.parse().map_err(|_| CorsOriginError(text.to_owned()))?;
        Ok(Self::Exact(url.origin().to_ascii_lowercase()))
    }
}

/// Why a `--cors-origin` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a web origin: give scheme://host[:port] as a browser sends it in Origin \
     (e.g. http://localhost:3000), or * for any"
)]
pub struct CorsOriginError(String);

/// The methods a preflight allows: every one either API serves.
const METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/// How long a browser may keep a preflight's answer, in seconds (Chromium keeps at most 7200).
const MAX_AGE: &str = "600";

/// The origins `--cors-origin` lets in; none when it was not given.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cors {
    origins: Box<[CorsOrigin]>,
}

impl Cors {
    pub fn new(origins: &[CorsOrigin]) -> Self {
        Self {
            origins: origins.into(),
        }
    }

    /// The request's `Origin`, when it is one a page may call from: an API route (not
    /// `/__admin`) and an origin let in. `None` costs one check when CORS is off.
    pub fn allowed(&self, request: &Request) -> Option<HeaderValue> {
        if self.origins.is_empty() || request.uri().path().starts_with("/__admin") {
            return None;
        }
        let origin = request.headers().get(header::ORIGIN)?;
        self.lets_in(origin).then(|| origin.clone())
    }

    /// The request's `Origin`, when CORS is on and it is not let in: Box refuses such a page.
    /// Without `--cors-origin` nothing is refused, as before the option was there.
    pub fn foreign(&self, headers: &HeaderMap) -> Option<String> {
        if self.origins.is_empty() {
            return None;
        }
        let origin = headers.get(header::ORIGIN)?;
        (!self.lets_in(origin)).then(|| String::from_utf8_lossy(origin.as_bytes()).into_owned())
    }

    fn lets_in(&self, origin: &HeaderValue) -> bool {
        let Ok(text) = origin.to_str() else {
            return false;
        };
        self.origins.iter().any(|allowed| match allowed {
            CorsOrigin::Any => true,
            CorsOrigin::Exact(exact) => exact.eq_ignore_ascii_case(text),
        })
    }
}

/// Whether `request` is a browser's preflight rather than a call of its own.
pub(crate) fn is_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// The answer to a preflight from `origin`: any method either API serves, with the headers it
/// asked for (a bearer token's `Authorization` is one no wildcard covers).
pub(crate) fn preflight(origin: HeaderValue, request: &Request) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(METHODS),
    );
    if let Some(asked) = (request.headers()).get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
    }
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(MAX_AGE),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
    );
    response
}

/// Lets the page from `origin` read `headers`' reply, with every header it has (a Graph upload's
/// `Location`, an `ETag`, `Retry-After`, Box's `BOX-REQUEST-ID`). `*` exposes them all to a
/// request without credentials, which a bearer token's is.
pub(crate) fn expose(origin: HeaderValue, headers: &mut HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("*"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_a_scheme_and_a_host_or_any() {
        // (text, what it is read as, why)
        let cases = [
            ("*", Some(CorsOrigin::Any), "any origin"),
            (
                "http://localhost:3000",
                Some(CorsOrigin::Exact("http://localhost:3000".into())),
                "a dev server",
            ),
            (
                "HTTPS://App.Example/",
                Some(CorsOrigin::Exact("https://app.example".into())),
                "as a browser sends it: lower-case, no slash",
            ),
            ("localhost:3000", None, "no scheme"),
            ("http://localhost:3000/app", None, "a path is not an origin"),
            ("ftp://files.example", None, "neither http nor https"),
            ("", None, "empty"),
        ];
        for (text, expected, why) in cases {
            assert_eq!(text.parse::<CorsOrigin>().ok(), expected, "{why}: {text}");
        }
    }
}
