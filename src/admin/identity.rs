//! The sign-in side of the admin API: how the device flow answers
//! (`GET`/`PUT /__admin/identity/device-flow`, `{"answer": "approved" | "pending" | "denied"}`)
//! and the local CA certificate `--tls-self-signed` made (`GET /__admin/ca.pem`), for a client
//! to trust before its first https request.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{AdminError, AdminJson};
use crate::entra::DeviceAnswer;
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeviceFlow {
    answer: DeviceAnswer,
}

pub(crate) async fn device_flow(State(state): State<AppState>) -> Json<DeviceFlow> {
    Json(DeviceFlow {
        answer: state.identity_platform.device_answer(),
    })
}

/// Applies to the next poll of every device code, those already handed out included.
pub(crate) async fn set_device_flow(
    State(state): State<AppState>,
    AdminJson(flow): AdminJson<DeviceFlow>,
) -> Json<DeviceFlow> {
    state.identity_platform.set_device_answer(flow.answer);
    Json(flow)
}

/// The CA certificate as PEM; 404 unless the emulator made its own (`--tls-self-signed`).
pub(crate) async fn ca_certificate(State(state): State<AppState>) -> Result<Response, AdminError> {
    let path = state.trust_anchor.as_ref().ok_or(AdminError::NotFound)?;
    let pem = std::fs::read(path).map_err(|_| AdminError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], pem).into_response())
}
