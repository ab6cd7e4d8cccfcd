//! Access tokens: the claims a token for an identity carries, signed, and recorded as signing
//! in as that identity until it expires on the emulator's clock.

use chrono::TimeDelta;
use serde::Serialize;

use super::errors::AadError;
use super::identity::{self, Signed};
use crate::state::AppState;

/// The access token's claims, as v1 tokens for Graph carry them.
#[derive(Debug, Serialize)]
pub(crate) struct AccessClaims<'a> {
    aud: &'a str,
    iss: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    appid: &'a str,
    azp: &'a str,
    idtyp: &'a str,
    oid: &'a str,
    sub: &'a str,
    tid: &'a str,
    uti: &'a str,
    ver: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scp: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upn: Option<&'a str>,
}

/// An access token for `signed`, for `audience`: with `scp` a delegated one, else an app's (its
/// `roles`). `uti` is the request's id.
pub(crate) async fn access_token(
    state: &AppState,
    tid: &str,
    signed: &Signed,
    audience: &str,
    scp: Option<&str>,
    uti: &str,
) -> Result<String, AadError> {
    let now = state.clock.now();
    let iat = now.timestamp();
    // Everything the claims are made of but `uti` (`iss`, `name`, `upn` follow from these).
    let recent_key = format!(
        "{tid}\n{audience}\n{}\n{}\n{scp:?}\n{}\n{}",
        signed.client_id,
        signed.oid,
        signed.roles.join(" "),
        signed.lifetime
    );
    let platform = &state.identity_platform;
    if let Some(token) = platform.recent.get(iat, &recent_key) {
        return Ok(token);
    }
    let key = state
        .identity_platform
        .signer
        .key()
        .await
        .map_err(|error| {
            tracing::error!("{error}");
            AadError::Unavailable
        })?;
    let claims = AccessClaims {
        aud: audience,
        iss: format!("https://sts.windows.net/{tid}/"),
        iat,
        nbf: iat,
        exp: iat + signed.lifetime,
        appid: &signed.client_id,
        azp: &signed.client_id,
        idtyp: if scp.is_some() { "user" } else { "app" },
        oid: &signed.oid,
        sub: &signed.oid,
        tid,
        uti,
        ver: "1.0",
        roles: scp.is_none().then_some(signed.roles.as_slice()),
        scp,
        name: signed.name.as_deref(),
        upn: signed.upn.as_deref(),
    };
    let token = key.sign(&claims);
    identity::record(
        state,
        &token,
        signed,
        now + TimeDelta::seconds(signed.lifetime),
    );
    platform.recent.put(iat, recent_key, &token);
    Ok(token)
}
