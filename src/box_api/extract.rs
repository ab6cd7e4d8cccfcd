//! The face's extractors. Each one turns its failure into a `BoxApiError`, so no plain-text axum
//! rejection ever reaches a Box client.

use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use super::errors::BoxApiError;
use super::model::FolderId;
use super::reach::Reach;
use crate::http::body;
use crate::identity::Identity;
use crate::state::AppState;
use crate::store::{Face, Grant, ItemId, Precondition, Space, VersionId};

/// The caller's part of the store, from the `Grant` the face's middleware signed in: their own
/// space, or for a collaborator's request on another user's item, that user's (`reach`).
///
/// A contract with `layer::admit_and_render`: that layer puts the `Grant` into the request's
/// extensions after admission, and only then runs the handler. A route outside the layer would
/// find no grant and answer 401 here, never run unsigned.
pub(crate) struct Caller(pub Space);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // The middleware has already checked the token's scopes for this method.
        let grant = parts
            .extensions
            .get::<Grant>()
            .ok_or(BoxApiError::Unauthorized)?;
        // A collaborator's request on another user's item (`reach`): that user's space.
        if let Some(reach) = parts.extensions.get::<Reach>() {
            return Ok(Self(reach.0.clone()));
        }
        Ok(Self(Space::own(Face::Box, grant.user.clone())))
    }
}

/// The grant a request acts with, decided once per request by the face's layer before any
/// handler runs (so that `Caller` and the journal see the same user):
///
/// - the token's user as the directory has them now: a user renamed since the token was
///   issued acts under the new name; a deleted one is signed out (401);
/// - with an `As-User: <user id>` header
///   (<https://developer.box.com/guides/authentication/jwt/as-user/>), the user named, when the
///   token's caller counts as an admin: an app's service account (an enterprise-subject
///   client-credentials or JWT token) or a user whose `role` is `admin` or `coadmin` (fixture,
///   `PUT /2.0/users/{id}`). Anyone else gets 403 `access_denied_insufficient_permissions`, as
///   Box answers a co-admin without the right
///   (<https://support.box.com/hc/en-us/articles/360043693434>); an unknown or deleted user
///   404 `not_found`. The request then runs in that user's space, as that user: what it
///   changes is theirs and they are its author.
pub(crate) fn acting_grant(
    state: &AppState,
    grant: Grant,
    headers: &HeaderMap,
) -> Result<Grant, BoxApiError> {
    let grant = match state.store.account(&grant.user.id) {
        Some((_, profile)) if profile.deleted => return Err(BoxApiError::Unauthorized),
        Some((user, _)) => Grant { user, ..grant },
        // Not in the directory (nothing a token signs in as today): as the token says.
        None => grant,
    };
    let Some(value) = headers.get("as-user") else {
        return Ok(grant);
    };
    let admin = grant.is_app()
        || (state.store.account(&grant.user.id)).is_some_and(|(_, profile)| profile.is_admin());
    if !admin {
        return Err(BoxApiError::AccessDeniedInsufficientPermissions);
    }
    let id = value.to_str().unwrap_or_default().trim();
    let user = match state.store.account(id) {
        Some((user, profile)) if !profile.deleted => user,
        _ => return Err(BoxApiError::NotFound),
    };
    Ok(Grant {
        user,
        identity: Identity::User,
        ..grant
    })
}

/// A caller who may manage users (Box's `/users` admin endpoints): an app's service account
/// or a user whose role is `admin` or `coadmin` ([`acting_grant`] says who counts); anyone
/// else gets 403 `access_denied_insufficient_permissions`.
pub(crate) struct Admin(pub Space);

impl FromRequestParts<AppState> for Admin {
    type Rejection = BoxApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let grant = parts
            .extensions
            .get::<Grant>()
            .ok_or(BoxApiError::Unauthorized)?;
        let admin = grant.is_app()
            || (state.store.account(&grant.user.id)).is_some_and(|(_, profile)| profile.is_admin());
        match admin {
            true => Ok(Self(Space::own(Face::Box, grant.user.clone()))),
            false => Err(BoxApiError::AccessDeniedInsufficientPermissions),
        }
    }
}

/// `axum::extract::Query` with Box's 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(BoxApiError))]
pub(crate) struct BoxQuery<T>(pub T);

/// The body as JSON whatever its content type: legacy `boxsdk` 3.x posts JSON with none
/// (<https://github.com/box/box-python-sdk/tree/v3.9.2>). An empty body reads as `null`, so an
/// `Option` body may be left out (box_sdk_gen sends none for a plain `None`).
pub(crate) struct BoxJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for BoxJson<T> {
    type Rejection = BoxApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = body::read(request.into_body()).await?;
        let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &body
        };
        serde_json::from_slice(json)
            .map(Self)
            .map_err(|e| BoxApiError::invalid("body", format!("Invalid JSON body: {e}")))
    }
}

/// The whole body, with Box's 413 when it is over the limit.
pub(crate) struct BoxBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for BoxBytes {
    type Rejection = BoxApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(body::read(request.into_body()).await?))
    }
}

/// One id from the path. A non-numeric id names no route on Box, which answers 405 (the 405 of
/// `GET /files/{file_id}` in <https://github.com/box/box-openapi>).
fn path_id<T: FromStr>(params: &RawPathParams, key: &str) -> Result<T, BoxApiError> {
    params
        .iter()
        .find(|(name, _)| *name == key)
        .and_then(|(_, value)| value.parse().ok())
        .ok_or(BoxApiError::MethodNotAllowed)
}

/// `/files/{file_id}/...`
pub(crate) struct FilePath(pub ItemId);

impl<S: Send + Sync> FromRequestParts<S> for FilePath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        Ok(Self(path_id(&params, "file_id")?))
    }
}

/// `/files/{file_id}/versions/{file_version_id}`
pub(crate) struct VersionPath(pub ItemId, pub VersionId);

impl<S: Send + Sync> FromRequestParts<S> for VersionPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        Ok(Self(
            path_id(&params, "file_id")?,
            path_id(&params, "file_version_id")?,
        ))
    }
}

/// `/users/{user_id}`, taken as it is: fixtures may name users by any id.
pub(crate) struct UserPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for UserPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        Ok(Self(path_id(&params, "user_id")?))
    }
}

/// `/collections/{collection_id}`, taken as it is: the route compares it with the caller's.
pub(crate) struct CollectionPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CollectionPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        Ok(Self(path_id(&params, "collection_id")?))
    }
}

/// `/webhooks/{webhook_id}`.
pub(crate) struct WebhookPath(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for WebhookPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        // Box's ids are numbers; any other text names no webhook.
        let id = params
            .iter()
            .find(|(name, _)| *name == "webhook_id")
            .and_then(|(_, value)| value.parse().ok())
            .ok_or(BoxApiError::NotFound)?;
        Ok(Self(id))
    }
}

/// `/folders/{folder_id}`, where `0` is the root.
pub(crate) struct FolderPath(pub FolderId);

impl<S: Send + Sync> FromRequestParts<S> for FolderPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        Ok(Self(path_id(&params, "folder_id")?))
    }
}

/// The `If-Match` header as a store precondition: the file's etag as Box prints it (a bare
/// counter; quotes are tolerated, `*` matches any). The store compares it under its lock, against
/// the file as it is then.
pub(crate) struct IfMatch(pub Option<Precondition>);

impl IfMatch {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self(headers.get(header::IF_MATCH).map(|value| {
            match value.to_str().unwrap_or_default().trim().trim_matches('"') {
                "*" => Precondition::Any,
                etag => match etag.parse::<u64>() {
                    Ok(revision) => Precondition::Revision {
                        item: None,
                        revision,
                    },
                    // Not a counter this server ever printed, so it matches no state of the file.
                    Err(_) => Precondition::Never,
                },
            }
        }))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_headers(&parts.headers))
    }
}

/// A boolean query parameter in every form the SDKs write it: `true` (the TS SDK, curl),
/// `True` (box_sdk_gen formats a Python `bool` with `str()`,
/// <https://github.com/box/box-python-sdk/blob/main/box_sdk_gen/internal/utils.py>); anything
/// else is 400 `invalid_parameter`.
pub(crate) fn query_bool(name: &'static str, raw: Option<&str>) -> Result<bool, BoxApiError> {
    match raw {
        None => Ok(false),
        Some(raw) if raw.eq_ignore_ascii_case("true") => Ok(true),
        Some(raw) if raw.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(BoxApiError::invalid(
            name,
            "Invalid value. The value must be true or false.",
        )),
    }
}
