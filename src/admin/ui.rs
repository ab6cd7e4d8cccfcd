//! `GET /__admin/ui`: the page that shows what the emulator holds (users, spaces, shared drives,
//! folder trees, version timelines, the journal, fault rules, the clock), built from the admin
//! read routes.
//!
//! The HTML, CSS and script live next to this file and are compiled into the binary: no build
//! step and nothing fetched from the network (the Content-Security-Policy forbids it). The page
//! itself holds no data, so it is served without the admin token; the page asks for the token
//! once and sends it on each of its calls, which are guarded like every other admin route.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

const PAGE: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/style.css");

/// Only this origin, no inline script or style, no frames: the page works offline and cannot
/// be made to load anything else.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/__admin/ui",
            get(|| asset(PAGE, "text/html; charset=utf-8")),
        )
        .route(
            "/__admin/ui/app.js",
            get(|| asset(SCRIPT, "text/javascript; charset=utf-8")),
        )
        .route(
            "/__admin/ui/style.css",
            get(|| asset(STYLE, "text/css; charset=utf-8")),
        )
}

async fn asset(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
            // A new binary may bring a new page; never mix its script with an old cached one.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
}
