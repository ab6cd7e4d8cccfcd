//! The scheme and host a request came in on, for the absolute links both APIs hand out
//! (download redirects, `@odata.nextLink`). SDKs follow them, so they must point back here.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use std::convert::Infallible;

use crate::server::transport::Secure;

/// `http://host:port` (or `https://`) as the client addressed this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()))
            .unwrap_or_else(|| "127.0.0.1".to_owned());
        let scheme = if parts.extensions.get::<Secure>().is_some() {
            "https"
        } else {
            "http"
        };
        Ok(Origin(format!("{scheme}://{host}")))
    }
}
