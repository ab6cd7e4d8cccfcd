//! Managed identity over plain http, the way an app on Azure gets its token with no secret:
//! the App Service form (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, which azure-identity's
//! `ManagedIdentityCredential` and `DefaultAzureCredential` use when both are set) and the IMDS
//! form VMs use (`/metadata/identity/oauth2/token` with `Metadata: true`).
//!
//! The token is an app identity's: the system-assigned identity (client id
//! [`SYSTEM_ASSIGNED`]) or, when the request names one with `client_id`, that user-assigned
//! identity. `expires_on` is on the wall clock, since the SDKs compare it with theirs: one in
//! the past (a frozen emulator clock) would make them ask again before every call.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::admission::admit;
use super::identity;
use super::issue;
use super::Platform;
use crate::state::AppState;

/// The client id of the emulator's system-assigned managed identity.
pub const SYSTEM_ASSIGNED: &str = "00000000-0000-4000-8000-0000000000a1";

/// The App Service form's path: what `IDENTITY_ENDPOINT` points at.
pub const APP_SERVICE_PATH: &str = "/msi/token";

const IDENTITY_HEADER: HeaderName = HeaderName::from_static("x-identity-header");
const METADATA: HeaderName = HeaderName::from_static("metadata");

#[derive(Debug, Deserialize)]
pub(crate) struct MsiQuery {
    resource: Option<String>,
    client_id: Option<String>,
}

/// Which form a request came in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    AppService,
    Imds,
}

/// `GET /msi/token`.
pub(crate) async fn app_service(
    state: State<AppState>,
    query: Result<Query<MsiQuery>, QueryRejection>,
    request: Parts,
) -> Response {
    token(state, query, request, Form::AppService).await
}

/// `GET /metadata/identity/oauth2/token`.
pub(crate) async fn imds(
    state: State<AppState>,
    query: Result<Query<MsiQuery>, QueryRejection>,
    request: Parts,
) -> Response {
    token(state, query, request, Form::Imds).await
}

/// Any method but `GET`: `405`, in the words IMDS uses
/// (<https://learn.microsoft.com/en-us/azure/load-balancer/troubleshoot-load-balancer-imds>), in
/// the envelope of its token errors.
pub(crate) async fn wrong_method(State(state): State<AppState>, request: Parts) -> Response {
    let call = match admit(&state, &request).await {
        Ok(call) => call,
        Err(refused) => return refused,
    };
    let description = format!(
        "Http method not allowed: Path = \"{}\", Method = \"{}\"",
        request.uri.path(),
        request.method
    );
    let mut response = refusal(&description);
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    call.reply(response)
}

fn refusal(description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": "invalid_request", "error_description": description})),
    )
        .into_response()
}

async fn token(
    State(state): State<AppState>,
    query: Result<Query<MsiQuery>, QueryRejection>,
    request: Parts,
    form: Form,
) -> Response {
    let mut call = match admit(&state, &request).await {
        Ok(call) => call,
        Err(refused) => return refused,
    };
    let header_present = match form {
        Form::AppService => request
            .headers
            .get(IDENTITY_HEADER)
            .is_some_and(|v| !v.is_empty()),
        Form::Imds => request
            .headers
            .get(METADATA)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true")),
    };
    if !header_present {
        let missing = match form {
            Form::AppService => "Required header X-IDENTITY-HEADER not specified",
            Form::Imds => "Required metadata header not specified",
        };
        return call.reply(refusal(missing));
    }
    let Ok(Query(query)) = query else {
        return call.reply(refusal("Required audience parameter not specified"));
    };
    let Some(resource) = query.resource.filter(|r| !r.is_empty()) else {
        return call.reply(refusal("Required audience parameter not specified"));
    };
    let client_id = query
        .client_id
        .unwrap_or_else(|| SYSTEM_ASSIGNED.to_owned());
    let signed = match identity::managed_identity(&state, &client_id) {
        Ok(signed) => signed,
        Err(error) => return call.refuse(&state, error),
    };
    let audience = resource.trim_end_matches("/.default");
    let tid = Platform::tenant_id("");
    let trace_id = call.trace_id.clone();
    let token = match issue::access_token(&state, tid, &signed, audience, None, &trace_id).await {
        Ok(token) => token,
        Err(error) => return call.refuse(&state, error),
    };
    let expires_on = chrono::Utc::now().timestamp() + signed.lifetime;
    call.signed_in(&signed.grant);
    call.reply(
        Json(json!({
            "access_token": token,
            "expires_on": expires_on.to_string(),
            "expires_in": signed.lifetime.to_string(),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": client_id,
        }))
        .into_response(),
    )
}
