//! The face's one middleware: admits the request (`admission::admit`, as Graph's dispatcher
//! does), renders any `BoxApiError` into Box's envelope with the request's id, and stamps the
//! headers Box puts on every reply.
//!
//! Box's handlers are typed axum handlers whose extractors fail with `BoxApiError`; only
//! something around them knows the request id that Box's envelope carries, so this is a route
//! layer where Graph's single dispatcher calls admission itself.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::errors::BoxApiError;
use super::{extract, reach, restriction};
use crate::control::faults::dropped_connection;
use crate::control::journal::Answered;
use crate::http::admission::{self, ScopeRules, Verdict};
use crate::http::request_scope;
use crate::state::AppState;
use crate::store::Face;

static BOX_REQUEST_ID: HeaderName = HeaderName::from_static("box-request-id");

/// Reads need `root_readonly` or `root_readwrite`; uploads, trash, restore and promote need
/// `root_readwrite` (<https://developer.box.com/guides/api-calls/permissions-and-errors/scopes/>).
/// A downscoped token holds Box's item scopes instead
/// (<https://developer.box.com/guides/authentication/tokens/downscope/>): the viewing ones read,
/// the changing ones write.
const SCOPES: ScopeRules = ScopeRules {
    read: &[
        "root_readonly",
        "root_readwrite",
        "item_preview",
        "item_download",
        "item_read",
        "base_explorer",
        "base_preview",
        "base_picker",
    ],
    write: &[
        "root_readwrite",
        "item_upload",
        "item_delete",
        "item_rename",
        "base_upload",
    ],
};

/// Admits the request, runs the handler, renders its error if it failed, and adds
/// `box-request-id` and `cache-control`, as real replies carry them
/// (<https://github.com/box/box-python-sdk-gen/issues/432>). The `Grant` goes into the request for
/// the `Caller` extractor.
pub(crate) async fn admit_and_render(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    // A page from an origin `--cors-origin` does not let in is refused before sign-in, as Box
    // refuses one its app does not list (<https://developer.box.com/guides/security/cors/>).
    if let Some(origin) = state.cors.foreign(&parts.headers) {
        let answered = admission::unadmitted(&state, Face::Box);
        let refused = BoxApiError::CorsOriginNotWhitelisted(origin).render(answered.request_id);
        return stamp(refused, answered);
    }
    let (mut answered, verdict) = admission::admit(&state, Face::Box, &SCOPES, &parts).await;
    let mut response = match verdict {
        // Raw bytes above ASCII in the path are a malformed request, as the `<` or `"` that
        // hyper's parser refuses are; Box clients percent-encode everything else.
        Verdict::Admitted(_) if !parts.uri.path().is_ascii() => {
            BoxApiError::invalid("path", "The path holds bytes that are not percent-encoded.")
                .render(answered.request_id)
        }
        Verdict::Admitted(grant)
            if grant.resource.as_ref().is_some_and(|resource| {
                !restriction::within(&state, &grant, resource, parts.uri.path())
            }) =>
        {
            BoxApiError::AccessDeniedInsufficientPermissions.render(answered.request_id)
        }
        Verdict::Admitted(grant) => match extract::acting_grant(&state, grant, &parts.headers) {
            Err(error) => error.render(answered.request_id),
            Ok(grant) => {
                // The journal names who acted: the `As-User` user when there is one.
                answered.user = Some(grant.user.clone());
                let state = &state;
                let work = Box::pin(async move {
                    // A collaborator's request on another user's item runs in that user's space
                    // (after `As-User`, so an admin acting as a collaborator reaches as they
                    // do). Found inside the request's scope, so that with a data dir the read's
                    // wait for the writes it saw joins the request's own wait rather than
                    // blocking the worker before the handler runs (one commit per promote, not
                    // two).
                    let reach = match grant.resource {
                        Some(_) => None,
                        None => reach::of_path(state, &grant, &parts.method, parts.uri.path())?,
                    };
                    // The other end of `extract::Caller`: every Box handler reads who signed in
                    // from here.
                    parts.extensions.insert(grant);
                    if let Some(reach) = reach {
                        parts.extensions.insert(reach);
                    }
                    Ok::<_, BoxApiError>(next.run(Request::from_parts(parts, body)).await)
                });
                match request_scope::run(state.store.clone(), work).await {
                    Ok(response) => response,
                    Err(error) => error.render(answered.request_id),
                }
            }
        },
        Verdict::Refused(refusal) => BoxApiError::from(refusal).render(answered.request_id),
        Verdict::Dropped => dropped_connection(),
    };
    if let Some(error) = response.extensions_mut().remove::<BoxApiError>() {
        response = error.render(answered.request_id);
    }
    stamp(response, answered)
}

/// The headers Box puts on every reply, and the journal's mark.
fn stamp(mut response: Response, answered: Answered) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&answered.request_id.hex()) {
        headers.insert(BOX_REQUEST_ID.clone(), value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    answered.mark(&mut response);
    response
}
