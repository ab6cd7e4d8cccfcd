//! `POST /__admin/clock` freezes time (`{"freeze": "2024-01-02T03:04:05Z"}`) or moves it forward
//! (`{"advance_seconds": 90}`); `DELETE` returns to real time; `GET` reads it. An instant past
//! the years 0000 to 9999 is a `400`: the clock cannot show it (`control::clock`).

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use super::{AdminError, AdminJson};
use crate::control::clock::ClockReading;
use crate::state::AppState;
use crate::timestamp::{LATEST, OUT_OF_RANGE};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockChange {
    #[serde(default, deserialize_with = "crate::timestamp::writable_option")]
    freeze: Option<DateTime<Utc>>,
    advance_seconds: Option<i64>,
}

pub(crate) async fn read(State(state): State<AppState>) -> Json<ClockReading> {
    Json(state.clock.reading())
}

pub(crate) async fn set(
    State(state): State<AppState>,
    AdminJson(change): AdminJson<ClockChange>,
) -> Result<Json<ClockReading>, AdminError> {
    match (change.freeze, change.advance_seconds) {
        (Some(at), None) => state.clock.freeze(at),
        (None, Some(seconds)) if seconds >= 0 => {
            let past_the_end = || {
                AdminError::BadRequest(format!(
                    "advance_seconds would take the clock past 9999-12-31T23:59:59Z: {OUT_OF_RANGE}"
                ))
            };
            let reachable =
                (state.clock.now_seconds().checked_add(seconds)).is_some_and(|at| at <= LATEST);
            let by = TimeDelta::try_seconds(seconds)
                .filter(|_| reachable)
                .ok_or_else(past_the_end)?;
            state.clock.advance(by);
        }
        (None, Some(_)) => {
            return Err(AdminError::BadRequest(
                "time only moves forward: advance_seconds must not be negative".into(),
            ))
        }
        _ => {
            return Err(AdminError::BadRequest(
                "give exactly one of freeze (an RFC 3339 instant) and advance_seconds".into(),
            ))
        }
    }
    Ok(Json(state.clock.reading()))
}

pub(crate) async fn resume(State(state): State<AppState>) -> Json<ClockReading> {
    state.clock.resume();
    Json(state.clock.reading())
}
