//! `GET /{tenant}/oauth2/v2.0/authorize`: where a browser would sign a user in. The emulator
//! shows no page: it redirects at once to `redirect_uri` with a code for the user `login_hint`
//! names (a user id or login), else the client's configured user, else its default one, so that
//! an auth-code or PKCE flow runs without a browser.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::TimeDelta;
use serde::Deserialize;

use super::admission::admit;
use super::codes::{AuthorizationCode, Delegation};
use super::errors::AadError;
use crate::state::AppState;

/// How long a code may wait to be redeemed: the service's ten minutes
/// (<https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow>).
const CODE_LIFETIME: i64 = 600;

#[derive(Debug, Deserialize)]
pub(crate) struct AuthorizeQuery {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    nonce: Option<String>,
    login_hint: Option<String>,
}

pub(crate) async fn authorize(
    State(state): State<AppState>,
    query: Result<Query<AuthorizeQuery>, QueryRejection>,
    request: Parts,
) -> Response {
    let call = match admit(&state, &request).await {
        Ok(call) => call,
        Err(refused) => return refused,
    };
    let Ok(Query(query)) = query else {
        return call.refuse(&state, AadError::MissingParameter("client_id"));
    };
    let Some(client_id) = query.client_id.filter(|c| !c.is_empty()) else {
        return call.refuse(&state, AadError::MissingParameter("client_id"));
    };
    let Some(redirect_uri) = query.redirect_uri.filter(|r| !r.is_empty()) else {
        return call.refuse(&state, AadError::MissingParameter("redirect_uri"));
    };
    let now = state.clock.now();
    // Letters, digits, `.`, `_` and `-` only: the Linux OneDrive client refuses anything else.
    let code = format!("M.C{}", uuid::Uuid::new_v4().simple());
    let challenge = query.code_challenge.map(|challenge| {
        let method = query
            .code_challenge_method
            .unwrap_or_else(|| "plain".to_owned());
        (challenge, method)
    });
    state.identity_platform.codes.add_authorization(
        code.clone(),
        AuthorizationCode {
            delegation: Delegation {
                client_id,
                user: query.login_hint.unwrap_or_default(),
                scope: query.scope.unwrap_or_default(),
            },
            redirect_uri: Some(redirect_uri.clone()),
            challenge,
            nonce: query.nonce,
            expires: now + TimeDelta::seconds(CODE_LIFETIME),
            redeemed: false,
        },
        now,
    );
    let mut params = form_urlencoded_pairs(&[
        ("code", Some(code.as_str())),
        ("state", query.state.as_deref()),
    ]);
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    params.insert(0, separator);
    let location = format!("{redirect_uri}{params}");
    let mut response = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            call.reply(response)
        }
        Err(_) => call.refuse(&state, AadError::MissingParameter("redirect_uri")),
    }
}

/// `name=value&...` for the pairs that have a value, percent-encoded.
fn form_urlencoded_pairs(pairs: &[(&str, Option<&str>)]) -> String {
    let mut serializer = Vec::new();
    for (name, value) in pairs {
        if let Some(value) = value {
            serializer.push((*name, *value));
        }
    }
    serde_urlencoded::to_string(serializer).unwrap_or_default()
}
