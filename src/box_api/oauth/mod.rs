//! Box's sign-in: `POST /oauth2/token`, `POST /oauth2/revoke` and the authorize step `GET
//! /api/oauth2/authorize`, over the identity registry ([`crate::identity`]), so that an app's
//! production sign-in code (box_sdk_gen's `BoxCCGAuth`, `BoxJWTAuth`, `BoxOAuth`) runs unchanged
//! against the emulator once its base URL points here.
//!
//! - `grants`: each grant and what it signs in as; `error`: OAuth's error shape.
//!
//! # Grants (`POST /oauth2/token`, form-encoded)
//! | `grant_type` | signs in as | reply |
//! |---|---|---|
//! | `client_credentials`, `box_subject_type=enterprise` | the client's `user`, else its app identity (its service account; the `box_subject_id` is not compared) | `access_token`, `expires_in`, `restricted_to: []`, `token_type: "bearer"` |
//! | `client_credentials`, `box_subject_type=user`, `box_subject_id=U` | user `U` (made on first use while sign-in is open) | the same |
//! | `urn:ietf:params:oauth:grant-type:jwt-bearer`, `assertion` | the claims `sub` and `box_sub_type`, as above; `iss` must be the client id and `exp` not past (wall clock, a minute's leeway); the RS256 signature is checked only if the client has a `public_key`; `aud` is never compared | the same |
//! | `authorization_code`, `code` | the user the code was issued for; a code works once, within 30 seconds (a `redirect_uri`, if sent, must be the authorize step's) | plus `refresh_token` |
//! | `refresh_token`, `refresh_token` | the same user; a refresh token works once and is replaced | plus a new `refresh_token` |
//! | `urn:ietf:params:oauth:grant-type:token-exchange`, `subject_token`, `subject_token_type`, `scope`, `resource` | the subject token's caller, holding only `scope` and (with `resource`) only that file or folder, until the subject token expires | `restricted_to` (one entry per scope, with the resource's mini object), `issued_token_type` |
//!
//! Every grant but the exchange wants `client_id` and `client_secret` ([`crate::identity`]:
//! any pair works until clients are configured). Errors are `400 {"error",
//! "error_description"}`: `invalid_client` (wrong id or secret), `invalid_grant` (a code or
//! refresh token used, expired or unknown; a bad assertion; a subject the emulator will not
//! make), `invalid_request` (a field missing), `unsupported_grant_type`, `unauthorized_client`
//! (a `box_subject_type` other than `enterprise` or `user`), `invalid_scope` (a scope that is
//! not one of Box's downscopes). Another method than the route's is an `invalid_request` in the
//! same shape (Box does not say what it answers; this keeps the reply in the envelope the SDKs
//! parse).
//!
//! Not checked, where real Box would: a JWT's `jti` used twice, the enterprise id, whether the
//! app may act as a user subject, and whether a downscope asks for more than its subject token
//! holds.
//!
//! # Tokens at work
//! An access token expires after its client's `token_lifetime` on the emulator's clock (move
//! the clock with `POST /__admin/clock` to expire it); an expired or revoked one gets Box's `401`
//! with `WWW-Authenticate: Bearer realm="Service", error="invalid_token", …`, which makes
//! box_sdk_gen refresh or sign in again and retry. A downscoped token's scopes decide its
//! methods (reads: `item_preview`, `item_download`, `item_read`, `base_explorer`,
//! `base_preview`, `base_picker`; writes: `item_upload`, `item_delete`, `item_rename`,
//! `base_upload`), and its resource its paths: the file itself, or the folder and what lies
//! below it; anything else (another item, a new upload, upload sessions, the trash list) is
//! `403 access_denied_insufficient_permissions`.
//!
//! # Revoke and authorize
//! `POST /oauth2/revoke` (`client_id`, `client_secret`, `token`) drops an access or refresh
//! token and answers `200` with no body, an unknown token included (RFC 7009).
//!
//! `GET /api/oauth2/authorize?response_type=code&client_id=…&redirect_uri=…&state=…` redirects
//! at once (`302`) to `redirect_uri?code=…&state=…`, with a code for the client's configured
//! `user`, else for a user of its own (the same for the same client id). box_sdk_gen's
//! `get_authorize_url()` always names `account.box.com`: replace its origin with the
//! emulator's, and pass the client's `NetworkSession` to `get_tokens_authorization_code_grant`,
//! which otherwise posts to real Box.
//!
//! Token requests are in the journal (`api: "box"`, the user they signed in as and, for an app,
//! `app`; the form is never recorded, and secrets in a query are masked) and fault rules apply
//! to them as to any Box route.

mod error;
mod grants;

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use super::errors::BoxApiError;
use crate::control::faults::dropped_connection;
use crate::control::journal::Answered;
use crate::http::admission::{self, Verdict};
use crate::http::body;
use crate::identity::{Client, Identity};
use crate::state::AppState;
use crate::store::{Face, Grant, User};
use error::{no_store, OAuthError};
use grants::Form;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth2/token", only(POST_ONLY, post(token)))
        .route("/oauth2/revoke", only(POST_ONLY, post(revoke)))
        .route("/api/oauth2/authorize", only(GET_ONLY, get(authorize)))
}

const POST_ONLY: &str = "Only POST is accepted here";
const GET_ONLY: &str = "Only GET is accepted here";

/// `route`, answering any other method with OAuth's `invalid_request` saying `why`, journaled
/// and faulted as the route's own requests are.
fn only(why: &'static str, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(
        move |State(state): State<AppState>, request: Request| async move {
            served(&state, request, |_, _| {
                Err(OAuthError::InvalidRequest(why).into())
            })
            .await
        },
    )
}

/// `POST /oauth2/token`.
async fn token(State(state): State<AppState>, request: Request) -> Response {
    served(&state, request, |state, form| {
        let granted = grants::grant(state, &form?)?;
        let mut response = Json(granted.body()).into_response();
        no_store(&mut response);
        Ok((response, Some(granted.grant)))
    })
    .await
}

/// `POST /oauth2/revoke`.
async fn revoke(State(state): State<AppState>, request: Request) -> Response {
    served(&state, request, |state, form| {
        let form = form?;
        grants::authenticate(state, &form)?;
        if let Some(token) = form.0.get("token") {
            state.store.identity().revoke(token);
        }
        Ok((StatusCode::OK.into_response(), None))
    })
    .await
}

/// `GET /api/oauth2/authorize`: no page to sign in on, so the code is issued at once.
async fn authorize(State(state): State<AppState>, request: Request) -> Response {
    served(&state, request, |state, form| {
        let form = form?;
        let query = |name: &str| {
            form.0
                .get(name)
                .map(String::as_str)
                .filter(|v| !v.is_empty())
        };
        if query("response_type") != Some("code") {
            return Err(OAuthError::UnsupportedResponseType.into());
        }
        let client = (query("client_id").and_then(|id| state.store.identity().client(id)))
            .ok_or(OAuthError::InvalidClient)?;
        let redirect_uri =
            query("redirect_uri").ok_or(OAuthError::InvalidRequest("redirect_uri is missing"))?;
        let user = (state
            .store
            .subject(code_user(&client), state.store.identity().is_open()))
        .ok_or(OAuthError::InvalidRequest("The client's user is not known"))?;
        let grant = Grant {
            scopes: client.scopes.clone(),
            ..Grant::of(user.clone())
        };
        let code = state.store.identity().issue_code(
            grant,
            &client.id,
            Some(redirect_uri.to_owned()),
            state.clock.now(),
        );
        let mut location = format!(
            "{redirect_uri}{}code={code}",
            if redirect_uri.contains('?') { '&' } else { '?' }
        );
        if let Some(value) = query("state") {
            location.push_str("&state=");
            location.extend(utf8_percent_encode(value, NON_ALPHANUMERIC));
        }
        let location = HeaderValue::from_str(&location)
            .map_err(|_| OAuthError::InvalidRequest("redirect_uri is not a valid URL"))?;
        let response = (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
        Ok((response, Some(Grant::of(user))))
    })
    .await
}

/// Who a client's authorization codes are for: its configured user, else a user of its own.
fn code_user(client: &Client) -> User {
    match &client.user {
        Some(id) => grants::mock_user(id),
        None => {
            let digest = Sha256::digest(format!("user:{}", client.id).as_bytes());
            let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % 9_000_000_000
                + 1_000_000_000;
            grants::mock_user(&n.to_string())
        }
    }
}

/// A failure of a token route: OAuth's error, or the Box envelope (a fault rule, a body over the
/// limit).
enum Failure {
    OAuth(OAuthError),
    Box(BoxApiError),
}

impl From<OAuthError> for Failure {
    fn from(error: OAuthError) -> Self {
        Self::OAuth(error)
    }
}

/// What every token route shares: admission by fault rules only (there is no bearer token yet),
/// the form (the body, or the query of a GET), the journal mark with the user signed in as.
async fn served(
    state: &AppState,
    request: Request,
    handle: impl FnOnce(
        &AppState,
        Result<Form, OAuthError>,
    ) -> Result<(Response, Option<Grant>), Failure>,
) -> Response {
    let (parts, body) = request.into_parts();
    let (mut answered, verdict): (Answered, _) =
        admission::admit_by_url(state, Face::Box, None, &parts).await;
    let result = match verdict {
        Verdict::Dropped => return dropped_connection(),
        Verdict::Refused(refusal) => Err(Failure::Box(BoxApiError::from(refusal))),
        Verdict::Admitted(()) => {
            let raw = match parts.uri.query() {
                Some(query) if parts.method == axum::http::Method::GET => {
                    Ok(query.as_bytes().to_vec())
                }
                _ => body::read(body).await.map(|b| b.to_vec()),
            };
            match raw {
                Err(error) => Err(Failure::Box(error.into())),
                Ok(raw) => {
                    let form = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&raw)
                        .map(|pairs| {
                            let mut fields = HashMap::with_capacity(pairs.len());
                            for (name, value) in pairs {
                                fields.entry(name).or_insert(value);
                            }
                            Form(fields)
                        })
                        .map_err(|_| OAuthError::InvalidRequest("The body is not form-encoded"));
                    handle(state, form)
                }
            }
        }
    };
    let mut response = match result {
        Ok((response, grant)) => {
            if let Some(grant) = grant {
                answered.user = Some(grant.user);
                if let Identity::App { client_id, .. } = grant.identity {
                    answered.app = Some(client_id);
                }
            }
            response
        }
        Err(Failure::OAuth(error)) => error.into_response(),
        Err(Failure::Box(error)) => error.render(answered.request_id),
    };
    answered.mark(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_without_a_user_has_codes_for_a_user_of_its_own() {
        let a = code_user(&Client::open("app"));
        assert_eq!(a, code_user(&Client::open("app")));
        assert_ne!(a.id, code_user(&Client::open("other")).id);
    }
}
