//! `POST /{tenant}/oauth2/v2.0/token` and `/devicecode`: the grants as azure-identity,
//! @azure/identity and MSAL send them (form-encoded), answered as the service answers
//! (<https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow>,
//! `v2-oauth2-auth-code-flow`, `v2-oauth2-device-code`).
//!
//! Every reply carries `expires_in` and `ext_expires_in`; user flows add `refresh_token`,
//! `id_token`, `client_info` and `scope`. Authorization codes last ten minutes and redeem once;
//! device codes fifteen minutes; refresh tokens ninety days; all on the emulator's clock.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::admission::{admit, Call};
use super::codes::{Delegation, DeviceCode, Redeemed, RefreshToken};
use super::errors::AadError;
use super::identity::{self, Signed};
use super::issue;
use super::{DeviceAnswer, Platform};
use crate::http::origin::Origin;
use crate::state::AppState;

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// How long a device code waits for its user, and how often the client is asked to poll.
const DEVICE_CODE_LIFETIME: i64 = 900;
const DEVICE_POLL_INTERVAL: u64 = 5;
const REFRESH_TOKEN_LIFETIME: i64 = 90 * 24 * 3600;
/// Graph, the resource a scope without one means.
const GRAPH: &str = "https://graph.microsoft.com";

/// The form fields any grant may send; which are required depends on the grant.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
    refresh_token: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    device_code: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub(crate) async fn token(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(tenant): Path<String>,
    request: Parts,
    body: Body,
) -> Response {
    let mut call = match admit(&state, &request).await {
        Ok(call) => call,
        Err(refused) => return refused,
    };
    let form = match read_form(body).await {
        Ok(form) => form,
        Err(error) => return call.refuse(&state, error),
    };
    let context = Grant {
        state: &state,
        origin: &origin,
        tenant: &tenant,
        trace_id: &call.trace_id,
        now: state.clock.now(),
    };
    match context.run(&form).await {
        Ok((signed, reply)) => {
            call.signed_in(&signed.grant);
            call.reply(reply)
        }
        Err(error) => call.refuse(&state, error),
    }
}

/// One token request's surroundings.
struct Grant<'a> {
    state: &'a AppState,
    origin: &'a str,
    tenant: &'a str,
    trace_id: &'a str,
    now: DateTime<Utc>,
}

fn required<'f>(value: &'f Option<String>, name: &'static str) -> Result<&'f str, AadError> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or(AadError::MissingParameter(name))
}

impl Grant<'_> {
    async fn run(&self, form: &TokenForm) -> Result<(Signed, Response), AadError> {
        let grant_type = required(&form.grant_type, "grant_type")?;
        let client_id = required(&form.client_id, "client_id")?;
        match grant_type {
            "client_credentials" => {
                let scope = required(&form.scope, "scope")?;
                if !scope.ends_with("/.default") {
                    return Err(AadError::DefaultScopeRequired(scope.to_owned()));
                }
                let secret = form.client_secret.as_deref().filter(|s| !s.is_empty());
                let signed = identity::client_app(self.state, self.tenant, client_id, secret)?;
                let reply = self.app_reply(&signed, scope).await?;
                Ok((signed, reply))
            }
            "authorization_code" => {
                let code = required(&form.code, "code")?;
                let entry = match self.platform().codes.redeem_authorization(code, self.now) {
                    Redeemed::Valid(entry) => entry,
                    Redeemed::Unknown => return Err(AadError::InvalidCode),
                    Redeemed::Expired => return Err(AadError::ExpiredCode),
                    Redeemed::Spent => return Err(AadError::RedeemedCode),
                };
                if entry.delegation.client_id != client_id {
                    return Err(AadError::InvalidCode);
                }
                if entry.redirect_uri.is_some() && entry.redirect_uri != form.redirect_uri {
                    return Err(AadError::RedirectMismatch(client_id.to_owned()));
                }
                if let Some((challenge, method)) = &entry.challenge {
                    let verifier = required(&form.code_verifier, "code_verifier")?;
                    if !pkce_matches(challenge, method, verifier) {
                        return Err(AadError::PkceMismatch);
                    }
                }
                self.user_reply(&entry.delegation, form, entry.nonce.as_deref())
                    .await
            }
            "refresh_token" => {
                let token = required(&form.refresh_token, "refresh_token")?;
                let entry = match self.platform().codes.refresh(token, self.now) {
                    Redeemed::Valid(entry) if entry.delegation.client_id == client_id => entry,
                    Redeemed::Expired => return Err(AadError::ExpiredCode),
                    _ => return Err(AadError::InvalidRefreshToken),
                };
                self.user_reply(&entry.delegation, form, None).await
            }
            DEVICE_CODE_GRANT => {
                let device_code = required(&form.device_code, "device_code")?;
                let answer = self.platform().device_answer();
                let take = answer == DeviceAnswer::Approved;
                let entry = match self.platform().codes.device(device_code, self.now, take) {
                    Redeemed::Valid(entry) if entry.delegation.client_id == client_id => entry,
                    Redeemed::Expired => return Err(AadError::ExpiredDeviceCode),
                    _ => return Err(AadError::InvalidDeviceCode),
                };
                match answer {
                    DeviceAnswer::Approved => self.user_reply(&entry.delegation, form, None).await,
                    DeviceAnswer::Pending => Err(AadError::AuthorizationPending),
                    DeviceAnswer::Denied => Err(AadError::AuthorizationDeclined),
                }
            }
            other => Err(AadError::UnsupportedGrantType(other.to_owned())),
        }
    }

    fn platform(&self) -> &Platform {
        &self.state.identity_platform
    }

    fn tid(&self) -> &str {
        Platform::tenant_id(self.tenant)
    }

    async fn app_reply(&self, signed: &Signed, scope: &str) -> Result<Response, AadError> {
        let audience = scope.trim_end_matches("/.default");
        let token = issue::access_token(
            self.state,
            self.tid(),
            signed,
            audience,
            None,
            self.trace_id,
        )
        .await?;
        Ok(Json(json!({
            "token_type": "Bearer",
            "expires_in": signed.lifetime,
            "ext_expires_in": signed.lifetime,
            "access_token": token,
        }))
        .into_response())
    }

    /// The reply of every delegated grant: an access token, a new refresh token, an id token.
    async fn user_reply(
        &self,
        delegation: &Delegation,
        form: &TokenForm,
        nonce: Option<&str>,
    ) -> Result<(Signed, Response), AadError> {
        let scope = form.scope.as_deref().unwrap_or(&delegation.scope);
        let (audience, scp) = resource_and_scopes(scope);
        let signed = identity::delegated_user(self.state, self.tenant, delegation, &scp)?;
        let token = issue::access_token(
            self.state,
            self.tid(),
            &signed,
            &audience,
            Some(&scp),
            self.trace_id,
        )
        .await?;
        let refresh = format!("1.R{}", uuid::Uuid::new_v4().simple());
        self.platform().codes.add_refresh(
            refresh.clone(),
            RefreshToken {
                delegation: delegation.clone(),
                expires: self.now + TimeDelta::seconds(REFRESH_TOKEN_LIFETIME),
            },
            self.now,
        );
        let id_token = self.id_token(&signed, nonce).await?;
        let client_info = URL_SAFE_NO_PAD.encode(
            json!({"uid": signed.oid, "utid": self.tid()})
                .to_string()
                .as_bytes(),
        );
        let reply = Json(json!({
            "token_type": "Bearer",
            "scope": scp,
            "expires_in": signed.lifetime,
            "ext_expires_in": signed.lifetime,
            "access_token": token,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": client_info,
        }))
        .into_response();
        Ok((signed, reply))
    }

    async fn id_token(&self, signed: &Signed, nonce: Option<&str>) -> Result<String, AadError> {
        let key = self
            .platform()
            .signer
            .key()
            .await
            .map_err(|_| AadError::Unavailable)?;
        let iat = self.now.timestamp();
        Ok(key.sign(&json!({
            "aud": signed.client_id,
            "iss": format!("{}/{}/v2.0", self.origin, self.tid()),
            "iat": iat,
            "nbf": iat,
            "exp": iat + signed.lifetime,
            "name": signed.name,
            "preferred_username": signed.upn,
            "oid": signed.oid,
            "sub": signed.oid,
            "tid": self.tid(),
            "nonce": nonce,
            "ver": "2.0",
        })))
    }
}

/// The resource a delegated request's scopes are for, and the scopes without it (`scp`): `openid`,
/// `profile`, `offline_access` and `email` are the platform's own and never in `scp`.
fn resource_and_scopes(scope: &str) -> (String, String) {
    let mut audience = GRAPH.to_owned();
    let mut scp = Vec::new();
    for scope in scope.split_ascii_whitespace() {
        if matches!(scope, "openid" | "profile" | "offline_access" | "email") {
            continue;
        }
        match scope.rsplit_once('/') {
            Some((resource, name)) if resource.contains("://") => {
                audience = resource.to_owned();
                if name != ".default" {
                    scp.push(name);
                }
            }
            _ => scp.push(scope),
        }
    }
    if scp.is_empty() {
        // `.default` alone: what the app was consented to, which for the emulator is Graph's
        // file scopes.
        scp.extend(["Files.ReadWrite.All", "Sites.ReadWrite.All", "User.Read"]);
    }
    (audience, scp.join(" "))
}

/// RFC 7636: `S256` is base64url(SHA-256(verifier)); `plain` is the verifier itself.
fn pkce_matches(challenge: &str, method: &str, verifier: &str) -> bool {
    if method.eq_ignore_ascii_case("S256") {
        URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
    } else {
        verifier == challenge
    }
}

/// A token request's form, read under `--max-body` as the faces read bodies: a body over it is
/// the platform's envelope with `413`, not axum's plain-text refusal past its own 2 MB. A body
/// that is not a form reads as an empty one, which then lacks what the grant needs.
async fn read_form(body: Body) -> Result<TokenForm, AadError> {
    let bytes = crate::http::body::read(body)
        .await
        .map_err(AadError::Body)?;
    Ok(serde_urlencoded::from_bytes(&bytes).unwrap_or_default())
}

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub(crate) async fn device_code(
    State(state): State<AppState>,
    Origin(origin): Origin,
    request: Parts,
    body: Body,
) -> Response {
    let call: Call = match admit(&state, &request).await {
        Ok(call) => call,
        Err(refused) => return refused,
    };
    let form = match read_form(body).await {
        Ok(form) => form,
        Err(error) => return call.refuse(&state, error),
    };
    let Some(client_id) = form.client_id.as_deref().filter(|c| !c.is_empty()) else {
        return call.refuse(&state, AadError::MissingParameter("client_id"));
    };
    let now = state.clock.now();
    let device_code = format!("DAQAB{}", uuid::Uuid::new_v4().simple());
    let n = u64::from_le_bytes(
        Sha256::digest(device_code.as_bytes())[..8]
            .try_into()
            .expect("8 bytes"),
    );
    let user_code = format!("{:09}", n % 1_000_000_000);
    let user_code = format!("E{}", &user_code[..8]);
    state.identity_platform.codes.add_device(
        device_code.clone(),
        DeviceCode {
            delegation: Delegation {
                client_id: client_id.to_owned(),
                user: String::new(),
                scope: form.scope.clone().unwrap_or_default(),
            },
            expires: now + TimeDelta::seconds(DEVICE_CODE_LIFETIME),
        },
        now,
    );
    let verification_uri = format!("{origin}/devicelogin");
    let reply = Json(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": DEVICE_CODE_LIFETIME,
        "interval": DEVICE_POLL_INTERVAL,
        "message": format!("To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."),
    }))
    .into_response();
    call.reply(reply)
}
