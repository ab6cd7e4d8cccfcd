//! What the open admin API (no `--admin-token`) refuses from web pages.
//!
//! Without a token, anything that can send a request to the emulator can drive it, and a web page
//! open in the developer's browser can send requests to `127.0.0.1`:
//! - a page on another origin can send a "simple" cross-origin `POST` (`text/plain`, no
//!   preflight) that adds a fault rule, freezes the clock or loads users with tokens; the browser
//!   only hides the reply. Browsers name the page's origin in `Origin` on every such request, so an
//!   admin request whose method changes something and whose `Origin` is not the emulator's own
//!   (`scheme://` + the request's `Host`, or `--public-url`) is refused. Clients that are not
//!   browsers (`curl -d`, SDKs, test code) send no `Origin` and pass; the admin page at
//!   `/__admin/ui` only reads, from the emulator's own origin.
//! - a DNS-rebinding page (a name of the attacker's that first resolves to the attacker, then to
//!   127.0.0.1) is same-origin with its own name, so it could read `/__admin/state` with every
//!   user's files and tokens. Its requests carry that name as `Host`, so an admin request whose
//!   `Host` is not a name the emulator answers to is refused: loopback names (`localhost`,
//!   `*.localhost`, 127.0.0.0/8, `[::1]`), the address the connection came in on, the host of
//!   `--public-url`, and each `--allowed-host` (for containers and proxies, e.g.
//!   `--allowed-host restore-mock:8080`).
//!
//! `/__admin/health` is exempt (it says nothing but `ok`, and health checks come from anywhere).
//! With `--admin-token` neither check applies: a page cannot learn the token, and a request
//! carrying it in `Authorization` needs a CORS preflight the emulator never grants.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AdminError;
use crate::http::host::{HostPort, KnownHosts};
use crate::http::origin;
use crate::server::transport::LocalAddr;
use crate::state::AppState;

/// The two checks above, on every admin route but health, when the admin API is open.
pub(super) async fn refuse_foreign_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.admin_token.is_some() {
        return next.run(request).await;
    }
    match check(&state, &request) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.into_response(),
    }
}

fn check(state: &AppState, request: &Request) -> Result<(), AdminError> {
    let Some(host) = HostPort::of_request(request.headers()) else {
        return Err(AdminError::MalformedHost);
    };
    let known = KnownHosts {
        public_url: state.public_url.as_ref(),
        allowed: &state.allowed_hosts,
        local: (request.extensions().get::<LocalAddr>()).map_or(state.listen, |l| l.0),
    };
    if !known.knows(&host) {
        return Err(AdminError::HostNotAllowed(host.to_string()));
    }
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let Some(sent) = request.headers().get(header::ORIGIN).filter(|_| changes) else {
        return Ok(());
    };
    let own = format!("{}://{host}", origin::scheme(request.extensions()));
    let public = state.public_url.as_ref().map(|url| url.origin());
    let sent = sent.to_str().unwrap_or("(not text)");
    if sent.eq_ignore_ascii_case(&own) || public.is_some_and(|p| sent.eq_ignore_ascii_case(&p)) {
        Ok(())
    } else {
        Err(AdminError::CrossOrigin(sent.to_owned()))
    }
}
