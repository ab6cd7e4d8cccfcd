//! Who is calling a Graph route (bearer token → `Grant`, scopes, fault rules), and the
//! correlation headers every Graph reply carries.

use std::future::Future;

use axum::extract::Request;
use axum::response::Response;

use super::correlation::Correlation;
use super::errors::GraphError;
use crate::admission::{self, Refusal, Refused, ScopeRules};
use crate::faults::Intercept;
use crate::request_id::RequestId;
use crate::state::AppState;
use crate::store::{Face, Grant};

/// Reads need `Files.Read` or wider; uploads, deletes, folder creation and restoreVersion need
/// `Files.ReadWrite` or wider (reference §7.1).
const SCOPES: ScopeRules = ScopeRules {
    read: &[
        "Files.Read",
        "Files.ReadWrite",
        "Files.Read.All",
        "Files.ReadWrite.All",
        "Sites.Read.All",
        "Sites.ReadWrite.All",
    ],
    write: &[
        "Files.ReadWrite",
        "Files.ReadWrite.All",
        "Sites.ReadWrite.All",
    ],
};

/// Admits the request (sign-in, scopes, fault rules), runs `serve` with the grant, and writes
/// `request-id` / `client-request-id` on the reply, whatever it is.
///
/// This is a plain function the dispatcher calls rather than a middleware layer: the Graph face
/// has one handler, and a layer would clone the inner service and box a future on every request.
/// A clone of the `Grant` goes into the response's extensions for the request journal.
pub(crate) async fn authenticate<F, Fut>(state: &AppState, request: Request, serve: F) -> Response
where
    F: FnOnce(Grant, Correlation, Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let id = request
        .extensions()
        .get::<RequestId>()
        .copied()
        .unwrap_or_else(|| state.request_ids.next());
    let correlation = Correlation::new(id, request.headers());
    let now = || state.clock.now();
    let mut response = match admission::admit(state, Face::Graph, &SCOPES, &request).await {
        Ok(admitted) => {
            let grant = admitted.grant.clone();
            let mut response = serve(grant, correlation.clone(), request).await;
            admitted.mark(&mut response);
            response
        }
        Err(refused) => {
            let mut response = match refused.why {
                // Graph's messages for a missing and for a refused token (reference §6.3).
                Refusal::NoToken => {
                    GraphError::InvalidAuthenticationToken("Access token is empty.")
                        .render(&correlation, now())
                }
                Refusal::UnknownToken => {
                    GraphError::InvalidAuthenticationToken("Access token validation failure.")
                        .render(&correlation, now())
                }
                Refusal::MissingScope => GraphError::AccessDenied.render(&correlation, now()),
                Refusal::Fault(Intercept::Reply(response)) => response,
                Refusal::Fault(Intercept::Error(error)) => {
                    GraphError::from(error).render(&correlation, now())
                }
            };
            Refused::mark(refused.grant, &mut response);
            response
        }
    };
    correlation.write_headers(response.headers_mut());
    response
}
