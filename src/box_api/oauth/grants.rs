//! Each grant Box's `POST /oauth2/token` takes, turned into a [`Grant`] and an issued token
//! (<https://developer.box.com/reference/post-oauth2-token/>).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::error::OAuthError;
use crate::box_api::model::{FolderId, ItemMini};
use crate::identity::{Assertion, Client, Identity, Issued, Resource, TokenRefused};
use crate::state::AppState;
use crate::store::{Face, Grant, ItemKind, Space, User};

pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub(crate) const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// The scopes a downscoped token may ask for: Box's `ResourceScope` values
/// (<https://developer.box.com/reference/resources/access-token/>).
const DOWNSCOPES: [&str; 14] = [
    "annotation_edit",
    "annotation_view_all",
    "annotation_view_self",
    "base_explorer",
    "base_picker",
    "base_preview",
    "base_upload",
    "item_delete",
    "item_download",
    "item_preview",
    "item_rename",
    "item_share",
    "item_upload",
    "item_read",
];

/// The form of a token request, first value of each field.
pub(crate) struct Form(pub HashMap<String, String>);

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn require(&self, name: &str, missing: &'static str) -> Result<&str, OAuthError> {
        self.get(name).ok_or(OAuthError::InvalidRequest(missing))
    }
}

/// A token to send back: the access token, a refresh token for the code and refresh grants, and
/// what a downscoped one is restricted to.
pub(crate) struct Granted {
    pub grant: Grant,
    pub issued: Issued,
    pub refresh_token: Option<String>,
    /// `restricted_to` entries, for a token exchange only.
    pub restricted_to: Option<Vec<Value>>,
}

impl Granted {
    pub fn body(&self) -> Value {
        let mut body = json!({
            "access_token": self.issued.token,
            "expires_in": self.issued.expires_in,
            "restricted_to": self.restricted_to.clone().unwrap_or_default(),
            "token_type": "bearer",
        });
        if let Some(refresh) = &self.refresh_token {
            body["refresh_token"] = json!(refresh);
        }
        if self.restricted_to.is_some() {
            body["issued_token_type"] = json!(ACCESS_TOKEN_TYPE);
        }
        body
    }
}

/// Runs the grant the form names.
pub(crate) fn grant(state: &AppState, form: &Form) -> Result<Granted, OAuthError> {
    let now = state.clock.now();
    match form.get("grant_type") {
        Some("client_credentials") => {
            let client = authenticate(state, form)?;
            let subject_type = form.require("box_subject_type", "box_subject_type is missing")?;
            let grant =
                subject(state, &client, subject_type, form.get("box_subject_id")).map_err(|e| {
                    e.unwrap_or(OAuthError::InvalidGrant("Grant credentials are invalid"))
                })?;
            Ok(access(state, &client, grant, now, false))
        }
        Some(JWT_BEARER) => {
            let client = authenticate(state, form)?;
            let grant = jwt(
                state,
                &client,
                form.require("assertion", "assertion is missing")?,
            )?;
            Ok(access(state, &client, grant, now, false))
        }
        Some("authorization_code") => {
            let client = authenticate(state, form)?;
            let code = form.require("code", "code is missing")?;
            let (grant, redirect_uri) = (state.store.identity().redeem_code(code, &client.id, now))
                .map_err(|e| match e {
                    TokenRefused::Expired => {
                        OAuthError::InvalidGrant("The authorization code has expired")
                    }
                    TokenRefused::Unknown => OAuthError::InvalidGrant(
                        "Auth code doesn't exist or is invalid for the client",
                    ),
                })?;
            // RFC 6749 §4.1.3: a redirect_uri sent here must be the one the code was issued for.
            if form
                .get("redirect_uri")
                .is_some_and(|sent| redirect_uri.as_deref() != Some(sent))
            {
                return Err(OAuthError::InvalidGrant(
                    "The redirect_uri does not match the one the code was issued for",
                ));
            }
            Ok(access(state, &client, grant, now, true))
        }
        Some("refresh_token") => {
            let client = authenticate(state, form)?;
            let token = form.require("refresh_token", "refresh_token is missing")?;
            let grant = (state
                .store
                .identity()
                .redeem_refresh(token, &client.id, now))
            .map_err(|_| OAuthError::InvalidGrant("Invalid refresh token"))?;
            Ok(access(state, &client, grant, now, true))
        }
        Some(TOKEN_EXCHANGE) => exchange(state, form, now),
        _ => Err(OAuthError::UnsupportedGrantType),
    }
}

/// The client the form's `client_id` and `client_secret` name.
pub(crate) fn authenticate(state: &AppState, form: &Form) -> Result<Client, OAuthError> {
    let id = form.get("client_id").unwrap_or_default();
    let secret = form.get("client_secret").unwrap_or_default();
    (state.store.identity().authenticate(id, secret)).map_err(|_| OAuthError::InvalidClient)
}

fn access(
    state: &AppState,
    client: &Client,
    grant: Grant,
    now: DateTime<Utc>,
    refresh: bool,
) -> Granted {
    let identity = state.store.identity();
    let refresh_token = refresh.then(|| identity.issue_refresh(grant.clone(), &client.id, now));
    let issued = identity.issue(grant.clone(), &client.id, client.token_lifetime, now);
    Granted {
        grant,
        issued,
        refresh_token,
        restricted_to: None,
    }
}

/// Who a client signs in as for a subject: `enterprise` is the client's configured user or its
/// service account (the enterprise id is not compared: the emulator has one enterprise);
/// `user` is that user. `Err(None)` for a user the emulator will not make (sign-in closed).
fn subject(
    state: &AppState,
    client: &Client,
    subject_type: &str,
    subject_id: Option<&str>,
) -> Result<Grant, Option<OAuthError>> {
    let open = state.store.identity().is_open();
    let (user, identity) = match subject_type {
        "enterprise" => match &client.user {
            Some(id) => (
                state.store.subject(mock_user(id), open).ok_or(None)?,
                Identity::User,
            ),
            None => (
                state
                    .store
                    .subject(client.service_account(), true)
                    .ok_or(None)?,
                client.app_identity(),
            ),
        },
        "user" => {
            let id = subject_id.ok_or(Some(OAuthError::InvalidRequest(
                "box_subject_id is missing",
            )))?;
            // Box's user ids are digits; anything else names nobody.
            if id.len() > 20 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(None);
            }
            (
                state.store.subject(mock_user(id), open).ok_or(None)?,
                Identity::User,
            )
        }
        _ => {
            return Err(Some(OAuthError::UnauthorizedClient(
                "The \"box_subject_type\" value is unauthorized for this client_id",
            )))
        }
    };
    Ok(Grant {
        scopes: client.scopes.clone(),
        identity,
        ..Grant::of(user)
    })
}

/// A JWT assertion (box_sdk_gen's `BoxJWTAuth`): `iss` must be the client, `sub` and
/// `box_sub_type` pick the subject as client credentials do, `exp` must not have passed on the
/// wall clock (the client set it from its own). `aud` is never compared: the SDKs always send
/// Box's own URL. The signature is checked only when the client has a public key.
fn jwt(state: &AppState, client: &Client, assertion: &str) -> Result<Grant, OAuthError> {
    let assertion = Assertion::decode(assertion).map_err(|_| {
        OAuthError::InvalidGrant("Please check the 'assertion' parameter: it is not a JWT.")
    })?;
    if let Some(key) = &client.public_key {
        assertion.verify(key).map_err(|_| {
            OAuthError::InvalidGrant("Signature verification error. The public key identified by the JWT header may not be valid.")
        })?;
    }
    if assertion.claim("iss") != Some(&*client.id) {
        return Err(OAuthError::InvalidGrant("Please check the 'iss' claim."));
    }
    let exp = assertion.claims.get("exp").and_then(Value::as_i64);
    // A minute of leeway for the client's clock, as Box allows.
    if exp.is_none_or(|exp| exp + 60 < Utc::now().timestamp()) {
        return Err(OAuthError::InvalidGrant("Please check the 'exp' claim."));
    }
    let sub_type = assertion.claim("box_sub_type").unwrap_or_default();
    subject(state, client, sub_type, assertion.claim("sub")).map_err(|e| {
        e.unwrap_or(OAuthError::InvalidGrant(
            "Please check the 'sub' claim. The 'sub' specified is invalid.",
        ))
    })
}

/// A token exchange (box_sdk_gen's `downscope_token`): a new token for the subject token's
/// caller, holding only `scope` and, with `resource`, only that file or folder; it expires with
/// the subject token. A plain bearer token may be exchanged too (it signs in as usual and the
/// new token lives the default hour).
fn exchange(state: &AppState, form: &Form, now: DateTime<Utc>) -> Result<Granted, OAuthError> {
    let subject_token = form.require("subject_token", "subject_token is missing")?;
    if form.get("subject_token_type") != Some(ACCESS_TOKEN_TYPE) {
        return Err(OAuthError::InvalidRequest(
            "subject_token_type is missing or not supported",
        ));
    }
    let identity = state.store.identity();
    let (parent, expires_at) = match identity.access(subject_token, now) {
        Ok(found) => found,
        Err(TokenRefused::Expired) => {
            return Err(OAuthError::InvalidGrant("The subject token has expired"))
        }
        Err(TokenRefused::Unknown) => {
            // An issued token that is gone is refused inside `sign_in` too.
            let grant = (state.store.sign_in(subject_token))
                .map_err(|_| OAuthError::InvalidGrant("Invalid subject token"))?;
            (
                grant,
                now + chrono::TimeDelta::seconds(crate::identity::DEFAULT_LIFETIME as i64),
            )
        }
    };
    let scopes: Vec<String> = form
        .require("scope", "scope is missing")?
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if scopes.iter().any(|s| !DOWNSCOPES.contains(&s.as_str())) {
        return Err(OAuthError::InvalidScope);
    }
    let (resource, object) = match form.get("resource") {
        None => (None, None),
        Some(url) => {
            let resource = parse_resource(url).ok_or(OAuthError::InvalidRequest(
                "The resource is not a file or folder API URL",
            ))?;
            let object = resource_object(state, &parent.user, &resource).ok_or(
                OAuthError::InvalidRequest("The resource could not be found"),
            )?;
            (Some(Arc::new(resource)), Some(object))
        }
    };
    let restricted_to = scopes
        .iter()
        .map(|scope| match &object {
            Some(object) => json!({"scope": scope, "object": object}),
            None => json!({"scope": scope}),
        })
        .collect();
    let grant = Grant {
        scopes: Some(Arc::from(scopes)),
        resource,
        ..parent
    };
    let issued = identity.issue_until(grant.clone(), "", expires_at, now);
    Ok(Granted {
        grant,
        issued,
        refresh_token: None,
        restricted_to: Some(restricted_to),
    })
}

/// `https://api.box.com/2.0/files/123` or `…/2.0/folders/45` (any host: the resource names an
/// item, not a server).
fn parse_resource(url: &str) -> Option<Resource> {
    let (_, path) = url.split_once("/2.0/")?;
    let path = path.split(['?', '#']).next()?;
    let (kind, id) = path.trim_end_matches('/').split_once('/')?;
    let kind = match kind {
        "files" => ItemKind::File,
        "folders" => ItemKind::Folder,
        _ => return None,
    };
    (!id.is_empty() && !id.contains('/')).then(|| Resource {
        kind,
        id: id.to_owned(),
    })
}

/// The resource's mini object, as `restricted_to` shows it, if the caller has it.
fn resource_object(state: &AppState, user: &Arc<User>, resource: &Resource) -> Option<Value> {
    let space = Space::own(Face::Box, user.clone());
    let view = match resource.id.parse::<FolderId>().ok()? {
        FolderId::Root if resource.kind == ItemKind::Folder => state.store.root(&space).ok()?,
        FolderId::Root => return None,
        FolderId::Id(id) => state.store.item(&space, id).ok()?,
    };
    let is_file = view.file().is_some();
    if is_file != (resource.kind == ItemKind::File) || view.trashed.is_some() {
        return None;
    }
    serde_json::to_value(ItemMini::new(&view)).ok()
}

/// A user the emulator makes on first use: named as an unknown token's user is.
pub(crate) fn mock_user(id: &str) -> User {
    User {
        id: id.to_owned(),
        name: format!("Mock User {id}"),
        login: format!("user{id}@example.com"),
    }
}
