//! What MSAL reads before it asks for a token: the OpenID configuration, the signing keys and,
//! when instance discovery is left on, `/common/discovery/instance`.
//!
//! MSAL Python reads `authorization_endpoint`, `token_endpoint` and
//! `device_authorization_endpoint`; msal-node also `issuer` and `jwks_uri` (without
//! `jwks_uri` it fails with `endpoints_resolution_error`). Every endpoint is on the emulator's
//! own origin, under the tenant the request named, as the service's are
//! (<https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration>).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::errors::AadError;
use super::Platform;
use crate::http::origin::Origin;
use crate::state::AppState;

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn openid_configuration(
    Origin(origin): Origin,
    Path(tenant): Path<String>,
) -> Response {
    let base = format!("{origin}/{tenant}");
    Json(json!({
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{origin}/{}/v2.0", Platform::tenant_id(&tenant)),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{origin}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce",
            "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "tenant_region_scope": null,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    }))
    .into_response()
}

/// `GET /{tenant}/discovery/v2.0/keys`: the one key every token is signed with.
pub(crate) async fn keys(State(state): State<AppState>) -> Response {
    match state.identity_platform.signer.key().await {
        Ok(key) => Json(json!({"keys": [key.jwk()]})).into_response(),
        Err(error) => {
            tracing::error!("{error}");
            AadError::Unavailable.reply("", "", state.clock.now())
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct InstanceQuery {
    authorization_endpoint: Option<String>,
}

/// `GET /common/discovery/instance`: MSAL asks which hosts are aliases of the authority before
/// its first request, unless instance discovery is off. The answer names the emulator's own
/// host as the only one, so that MSAL keeps talking to it.
pub(crate) async fn instance_discovery(
    Origin(origin): Origin,
    Query(query): Query<InstanceQuery>,
) -> Response {
    let host = origin.split_once("://").map_or(origin.as_str(), |(_, h)| h);
    let endpoint = query
        .authorization_endpoint
        .unwrap_or_else(|| format!("{origin}/common/oauth2/v2.0/authorize"));
    Json(json!({
        "tenant_discovery_endpoint": format!("{origin}/common/v2.0/.well-known/openid-configuration"),
        "api-version": "1.1",
        "metadata": [{
            "preferred_network": host,
            "preferred_cache": host,
            "aliases": [host],
        }],
        "authorization_endpoint": endpoint,
    }))
    .into_response()
}
