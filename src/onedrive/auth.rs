//! Who is calling a Graph route (bearer token → `Grant`, scopes, fault rules), and the
//! correlation headers every Graph reply carries.

use std::future::Future;

use axum::extract::Request;
use axum::response::Response;

use axum::http::Method;

use super::correlation::Correlation;
use super::errors::GraphError;
use crate::app::AppState;
use crate::bearer::bearer_token;
use crate::faults::Intercept;
use crate::request_id::RequestId;
use crate::store::{Face, Grant};

/// Scopes that allow reading a user's files, least to most (reference §7.1).
const READ_SCOPES: [&str; 6] = [
    "Files.Read",
    "Files.ReadWrite",
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
];
/// Scopes that allow uploads, deletes, folder creation and restoreVersion (reference §7.1).
const WRITE_SCOPES: [&str; 3] = [
    "Files.ReadWrite",
    "Files.ReadWrite.All",
    "Sites.ReadWrite.All",
];

/// Signs the caller in, checks the token's scopes, consults the fault rules, runs `serve` with
/// the grant, and writes `request-id` / `client-request-id` on the reply, whatever it is.
///
/// This is a plain function the dispatcher calls rather than a middleware layer: the Graph face
/// has one handler, and a layer would clone the inner service and box a future on every request.
/// A clone of the `Grant` goes into the response's extensions for the request journal. Every
/// Graph write is a method other than GET and HEAD, so the method alone says which scopes a
/// request needs. Faults are decided after sign-in (rules can match a user) and before `serve`,
/// so an injected error never leaves a half-applied change.
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
    let signed_in = match bearer_token(request.headers()) {
        // Graph's message for a missing or blank token (reference §6.3).
        None => Err(GraphError::InvalidAuthenticationToken(
            "Access token is empty.",
        )),
        Some(token) => state.store.sign_in(token).map_err(GraphError::from),
    };
    let mut response = match signed_in {
        Ok(grant) => {
            let reads = matches!(*request.method(), Method::GET | Method::HEAD);
            let wanted: &[&str] = if reads { &READ_SCOPES } else { &WRITE_SCOPES };
            let mut response = if !grant.has_any_scope(wanted) {
                GraphError::AccessDenied.render(&correlation, state.clock.now())
            } else {
                let (method, path) = (request.method().as_str(), request.uri().path());
                match state
                    .faults
                    .intercept(Face::Graph, method, path, &grant.user.id)
                    .await
                {
                    None => serve(grant.clone(), correlation.clone(), request).await,
                    Some(Intercept::Reply(response)) => response,
                    Some(Intercept::Error(error)) => {
                        GraphError::from(error).render(&correlation, state.clock.now())
                    }
                }
            };
            response.extensions_mut().insert(grant);
            response
        }
        Err(error) => error.render(&correlation, state.clock.now()),
    };
    correlation.write_headers(response.headers_mut());
    response
}
