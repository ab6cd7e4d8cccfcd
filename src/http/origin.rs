//! The scheme and host the absolute links both APIs hand out start with (download redirects,
//! Graph upload URLs and `@odata.nextLink`s, Box upload-session URLs). SDKs follow them, so
//! they must point back here, and never where a request's `Host` says when that is not one
//! plain name.
//!
//! The rule, first match wins:
//! 1. `--public-url`, when it is set (a proxy or a container name in between);
//! 2. the request's `Host`, when it is one well-formed `host[:port]` (`http::host`): what the
//!    client addressed, so links work through port forwards and `localhost` alike;
//! 3. the address the connection came in on (the bound one; with `--host 0.0.0.0`, the
//!    interface the client reached).
//!
//! API requests are never refused for their `Host` (clients behind proxies send all sorts); a
//! `Host` such as `127.0.0.1:1@evil.example`, or two of them, only falls through to rule 3.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Extensions;

use crate::http::host::{HostPort, PublicUrl};
use crate::server::transport::{LocalAddr, Secure};
use crate::state::AppState;

/// `http://host:port` (or `https://`), the root of every absolute link in a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(pub String);

impl FromRequestParts<AppState> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(origin(parts, state.public_url.as_ref(), state.listen)))
    }
}

/// The rule above; `listen` stands in for the connection's address when a request came by
/// another way than the transport (a router called directly).
pub(crate) fn origin(parts: &Parts, public_url: Option<&PublicUrl>, listen: SocketAddr) -> String {
    if let Some(url) = public_url {
        return url.origin();
    }
    let scheme = scheme(&parts.extensions);
    match HostPort::of_request(&parts.headers) {
        Some(host) => format!("{scheme}://{host}"),
        None => {
            let local = parts.extensions.get::<LocalAddr>().map_or(listen, |l| l.0);
            format!("{scheme}://{local}")
        }
    }
}

/// `https` for a request that came over TLS, else `http`.
pub(crate) fn scheme(extensions: &Extensions) -> &'static str {
    if extensions.get::<Secure>().is_some() {
        "https"
    } else {
        "http"
    }
}
