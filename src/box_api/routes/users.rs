//! `GET /2.0/users/me` (the usual "is my token working" call) and `GET /2.0/users/{user_id}`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{Caller, UserPath};
use crate::box_api::model::UserJson;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::{Face, Space, User};

pub(crate) async fn get_user_me(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
) -> Result<Response, BoxApiError> {
    user_reply(&state, space.actor, &origin)
}

/// Any user the emulator knows (Box shows users of the same enterprise, and here every user is
/// in one); 404 for an id no one signed in as or a fixture named.
pub(crate) async fn get_user(
    State(state): State<AppState>,
    Caller(_): Caller,
    UserPath(id): UserPath,
    Origin(origin): Origin,
) -> Result<Response, BoxApiError> {
    let user = state.store.user(&id).ok_or(BoxApiError::NotFound)?;
    user_reply(&state, user, &origin)
}

fn user_reply(state: &AppState, user: Arc<User>, origin: &str) -> Result<Response, BoxApiError> {
    let space = Space::own(Face::Box, user);
    let root = state.store.root(&space)?;
    Ok(Json(UserJson::new(&space.actor, &root, origin)).into_response())
}
