//! Webhooks: `POST`/`GET /2.0/webhooks`, `GET`/`PUT`/`DELETE /2.0/webhooks/{webhook_id}`
//! (<https://developer.box.com/reference/resources/webhook/>). What they deliver, and when, is
//! `box_api::webhooks`.
//!
//! A webhook watches one of the caller's files or folders (a folder with everything below it)
//! for the triggers it names. The caller sees and changes only their own webhooks; another
//! user's id is a 404, as an unknown one is.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, WebhookPath};
use crate::box_api::model::{Date, Str, UserMini};
use crate::box_api::webhooks::registry::{AddError, Webhook, PER_USER};
use crate::box_api::webhooks::triggers;
use crate::deliver::receiver::{Receiver, ReceiverError};
use crate::state::AppState;
use crate::store::{ItemId, ItemKind, ItemKindView, Space};

/// `{"id", "type"}` of the watched item, in a request.
#[derive(Debug, Deserialize)]
pub(crate) struct TargetRef {
    id: Option<super::IdValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// The body of `POST /webhooks` (all three keys required) and `PUT /webhooks/{id}` (any of them).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WebhookBody {
    target: Option<TargetRef>,
    address: Option<String>,
    triggers: Option<Vec<String>>,
}

/// `GET /webhooks`: marker paging, as the specification's `marker` and `limit` say.
#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    marker: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Serialize)]
struct TargetJson {
    id: Str<ItemId>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A webhook as Box answers it (the `Webhook` schema).
#[derive(Debug, Serialize)]
struct WebhookJson<'a> {
    id: Str<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
    target: TargetJson,
    created_by: UserMini<'a>,
    created_at: Date,
    address: &'a str,
    triggers: &'a [&'static str],
}

/// The `Webhook--Mini` schema of a list's entries.
#[derive(Debug, Serialize)]
struct WebhookMini {
    id: Str<u64>,
    #[serde(rename = "type")]
    kind: &'static str,
    target: TargetJson,
}

#[derive(Debug, Serialize)]
struct Webhooks {
    entries: Vec<WebhookMini>,
    limit: usize,
    next_marker: Option<String>,
}

fn target_json(hook: &Webhook) -> TargetJson {
    TargetJson {
        id: Str(hook.target),
        kind: kind_name(hook.target_kind),
    }
}

fn kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::File => "file",
        ItemKind::Folder => "folder",
    }
}

fn webhook_reply(status: StatusCode, hook: &Webhook) -> Response {
    let json = WebhookJson {
        id: Str(hook.id),
        kind: "webhook",
        target: target_json(hook),
        created_by: UserMini::new(&hook.owner),
        created_at: Date(hook.created_at),
        address: &hook.address,
        triggers: &hook.triggers,
    };
    (status, Json(json)).into_response()
}

/// 201 with the new webhook.
pub(crate) async fn create_webhook(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxJson(body): BoxJson<Option<WebhookBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let target = body.target.ok_or_else(|| BoxApiError::missing("target"))?;
    let address = body
        .address
        .ok_or_else(|| BoxApiError::missing("address"))?;
    let names = body
        .triggers
        .ok_or_else(|| BoxApiError::missing("triggers"))?;
    let (target, target_kind) = resolve_target(&state, &space, target)?;
    let receiver = receiver(&state, &address)?;
    let triggers = parse_triggers(&names, target_kind)?;
    let hook = Webhook {
        id: 0,
        key: std::sync::Arc::from(""),
        owner: space.actor.clone(),
        target,
        target_kind,
        address,
        receiver,
        triggers,
        created_at: state.clock.now(),
    };
    let hook = state.webhooks.add(hook).map_err(add_error)?;
    Ok(webhook_reply(StatusCode::CREATED, &hook))
}

/// 200 with the caller's webhooks, in id order, `limit` (default 100, at most 1000) at a time.
pub(crate) async fn list_webhooks(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<ListQuery>,
) -> Result<Response, BoxApiError> {
    let limit = match query.limit.as_deref() {
        None => 100,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| BoxApiError::InvalidLimit)?
            .clamp(1, 1000),
    };
    let after = match query.marker.as_deref() {
        None | Some("") => 0,
        Some(marker) => marker
            .parse::<u64>()
            .map_err(|_| BoxApiError::invalid("marker", "Invalid value for 'marker'"))?,
    };
    let (page, more) = state.webhooks.page(&space.actor, after, limit);
    let next_marker = match more {
        true => page.last().map(|h| h.id.to_string()),
        false => None,
    };
    let entries = page
        .iter()
        .map(|hook| WebhookMini {
            id: Str(hook.id),
            kind: "webhook",
            target: target_json(hook),
        })
        .collect();
    Ok(Json(Webhooks {
        entries,
        limit,
        next_marker,
    })
    .into_response())
}

pub(crate) async fn get_webhook(
    State(state): State<AppState>,
    Caller(space): Caller,
    WebhookPath(id): WebhookPath,
) -> Result<Response, BoxApiError> {
    let hook = state
        .webhooks
        .get(&space.actor, id)
        .ok_or(BoxApiError::NotFound)?;
    Ok(webhook_reply(StatusCode::OK, &hook))
}

/// 200 with the webhook, its target, address or triggers replaced by those the body gives.
pub(crate) async fn update_webhook(
    State(state): State<AppState>,
    Caller(space): Caller,
    WebhookPath(id): WebhookPath,
    BoxJson(body): BoxJson<Option<WebhookBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let current = state
        .webhooks
        .get(&space.actor, id)
        .ok_or(BoxApiError::NotFound)?;
    let (target, target_kind) = match body.target {
        Some(target) => resolve_target(&state, &space, target)?,
        None => (current.target, current.target_kind),
    };
    let (address, receiver) = match body.address {
        Some(address) => {
            let receiver = receiver(&state, &address)?;
            (address, receiver)
        }
        None => (current.address.clone(), current.receiver.clone()),
    };
    let triggers = match body.triggers {
        Some(names) => parse_triggers(&names, target_kind)?,
        None => {
            // The triggers kept must still fit a target that changed kind.
            let kept: Vec<String> = current.triggers.iter().map(|t| (*t).to_owned()).collect();
            parse_triggers(&kept, target_kind)?
        }
    };
    let updated = state.webhooks.update(&space.actor, id, |old| Webhook {
        target,
        target_kind,
        address,
        receiver,
        triggers,
        ..old.clone()
    });
    let hook = updated.ok_or(BoxApiError::NotFound)?.map_err(add_error)?;
    Ok(webhook_reply(StatusCode::OK, &hook))
}

/// 204; queued deliveries of the webhook are dropped with it.
pub(crate) async fn delete_webhook(
    State(state): State<AppState>,
    Caller(space): Caller,
    WebhookPath(id): WebhookPath,
) -> Result<Response, BoxApiError> {
    if !state.webhooks.remove(&space.actor, id) {
        return Err(BoxApiError::NotFound);
    }
    state
        .deliveries
        .close(crate::control::journal::Api::Box, &id.to_string());
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The caller's file or folder the body names: 404 when they have none by that id, 400 for
/// the root folder, on which Box allows no webhook
/// (<https://developer.box.com/guides/webhooks/v2/limitations-v2/>).
fn resolve_target(
    state: &AppState,
    space: &Space,
    target: TargetRef,
) -> Result<(ItemId, ItemKind), BoxApiError> {
    let kind = match target.kind.as_deref() {
        Some("file") => ItemKind::File,
        Some("folder") => ItemKind::Folder,
        Some(_) => {
            return Err(BoxApiError::invalid(
                "target",
                "Invalid value for 'target.type': it must be 'file' or 'folder'",
            ))
        }
        None => return Err(BoxApiError::missing("target")),
    };
    let id = match target.id {
        None => return Err(BoxApiError::missing("target")),
        Some(super::IdValue::Number(0)) => None,
        Some(super::IdValue::Number(n)) => Some(ItemId(n)),
        Some(super::IdValue::Text(text)) if text == "0" => None,
        Some(super::IdValue::Text(text)) => Some(text.parse().map_err(|_| BoxApiError::NotFound)?),
    };
    let Some(id) = id else {
        return Err(BoxApiError::invalid(
            "target",
            "Webhooks cannot be created on the root folder",
        ));
    };
    let item = state.store.item(space, id)?;
    let found = match item.kind {
        ItemKindView::File(_) => ItemKind::File,
        ItemKindView::Folder { .. } => ItemKind::Folder,
    };
    if found != kind || item.parent.is_none() {
        return Err(BoxApiError::NotFound);
    }
    Ok((id, kind))
}

fn receiver(state: &AppState, address: &str) -> Result<Receiver, BoxApiError> {
    Receiver::parse(address, state.receiver_rule).map_err(|e| {
        let message = match e {
            ReceiverError::NotAbsolute => {
                "Invalid value for 'address': it must be an absolute https URL"
            }
            ReceiverError::HttpsRequired => "Invalid value for 'address': it must be an https URL",
        };
        BoxApiError::invalid("address", message)
    })
}

/// The triggers named, as the table spells them, each once; 400 for an empty list, an unknown
/// name or one the target's kind cannot have.
fn parse_triggers(names: &[String], kind: ItemKind) -> Result<Vec<&'static str>, BoxApiError> {
    if names.is_empty() {
        return Err(BoxApiError::invalid(
            "triggers",
            "Invalid value for 'triggers': at least one trigger is required",
        ));
    }
    let mut triggers: Vec<&'static str> =
        Vec::with_capacity(names.len().min(triggers::TRIGGERS.len()));
    for name in names {
        let trigger = triggers::known(name).ok_or_else(|| {
            BoxApiError::invalid(
                "triggers",
                format!("Invalid value for 'triggers': unknown trigger '{name}'"),
            )
        })?;
        if kind == ItemKind::File && triggers::folder_only(trigger) {
            return Err(BoxApiError::invalid(
                "triggers",
                format!("Invalid value for 'triggers': '{trigger}' applies to folders only"),
            ));
        }
        if !triggers.contains(&trigger) {
            triggers.push(trigger);
        }
    }
    Ok(triggers)
}

fn add_error(error: AddError) -> BoxApiError {
    match error {
        AddError::Duplicate => BoxApiError::Conflict,
        AddError::TooMany => BoxApiError::invalid(
            "target",
            format!("A user may hold at most {PER_USER} webhooks"),
        ),
    }
}
