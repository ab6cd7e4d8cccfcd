//! `GET /me` (often an app's first call) and `GET /users/{id or userPrincipalName}`.

use axum::http::StatusCode;
use axum::response::Response;

use super::{json, Call};
use crate::onedrive::address::Owner;
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::UserProfile;

/// The caller for `/me`; any user the emulator knows for `/users/{u}`, by id or by
/// userPrincipalName (case-insensitive, as the directory compares them).
pub(super) fn get_user(call: &Call) -> Result<Response, GraphError> {
    let user = match call.owner {
        Owner::User(key) => call
            .store
            .user(key)
            .ok_or_else(|| GraphError::RequestResourceNotFound(key.clone()))?,
        _ => call.space.actor.clone(),
    };
    json(
        StatusCode::OK,
        &UserProfile::new(&user, &call.links),
        &call.query,
    )
}
