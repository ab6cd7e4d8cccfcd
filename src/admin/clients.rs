//! `GET /__admin/clients` lists the clients of the token endpoints; `PUT` replaces them
//! (`{"clients": [...]}`, the fixture's `clients` entries: [`crate::identity`] lists the
//! fields), whole or not at all.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{AdminError, AdminJson};
use crate::identity::ClientRecord;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientList {
    clients: Vec<ClientRecord>,
}

pub(crate) async fn list(State(state): State<AppState>) -> Json<ClientList> {
    Json(ClientList {
        clients: state.store.identity().client_records(),
    })
}

pub(crate) async fn replace(
    State(state): State<AppState>,
    AdminJson(list): AdminJson<ClientList>,
) -> Result<Json<ClientList>, AdminError> {
    (state.store.identity().set_clients(&list.clients))
        .map_err(|e| AdminError::BadRequest(e.to_string()))?;
    Ok(Json(ClientList {
        clients: state.store.identity().client_records(),
    }))
}
