//! Change-notification subscriptions: `POST`/`GET /subscriptions`, `GET`/`PATCH`/`DELETE
//! /subscriptions/{id}` (<https://learn.microsoft.com/en-us/graph/api/resources/subscription>).
//! They are not drive items, so they sit beside the dispatch table rather than in it: the
//! dispatcher hands them the admitted request before it parses a drive address.
//! `onedrive::subscriptions` says what a subscription delivers.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{drives, json_bytes, no_content};
use crate::control::journal::Api;
use crate::deliver::receiver::{Receiver, ReceiverError};
use crate::http::request_id::RequestId;
use crate::onedrive::address::{self, ItemOp, ItemRef, Owner, Target};
use crate::onedrive::errors::GraphError;
use crate::onedrive::subscriptions::registry::{Subscription, Watched, PER_USER};
use crate::onedrive::subscriptions::validation;
use crate::state::AppState;
use crate::store::{Grant, SpaceOwner};

/// The longest a driveItem subscription may live: 42,300 minutes
/// (<https://learn.microsoft.com/en-us/graph/api/resources/subscription#subscription-lifetime>).
const MAX_LIFETIME_MINUTES: i64 = 42_300;

/// The id every subscription names as its `applicationId`: the emulator is one application.
const APPLICATION_ID: &str = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";

/// `/subscriptions` (`Some(None)`), `/subscriptions/{id}` (`Some(Some(id))`), or another path.
pub(super) fn path(rest: &str) -> Option<Option<&str>> {
    let tail = rest.strip_prefix("/subscriptions")?;
    match tail {
        "" | "/" => Some(None),
        _ => tail
            .strip_prefix('/')
            .filter(|id| !id.contains('/'))
            .map(Some),
    }
}

/// The admitted request on a subscriptions path.
pub(super) struct SubscriptionCall<'a> {
    pub state: &'a AppState,
    pub grant: &'a Grant,
    pub origin: &'a str,
    pub base: &'a str,
    pub request_id: RequestId,
}

pub(super) async fn handle(
    call: SubscriptionCall<'_>,
    method: &Method,
    id: Option<&str>,
    body: Bytes,
) -> Result<Response, GraphError> {
    match (id, method) {
        (None, &Method::POST) => create(&call, &body).await,
        (None, &Method::GET | &Method::HEAD) => list(&call),
        (None, _) => Err(GraphError::MethodNotAllowed {
            allow: "GET, HEAD, POST".into(),
        }),
        (Some(id), &Method::GET | &Method::HEAD) => {
            let subscription = find(&call, id)?;
            reply(&call, StatusCode::OK, &subscription, true)
        }
        (Some(id), &Method::PATCH) => update(&call, id, &body).await,
        (Some(id), &Method::DELETE) => {
            let id = parse_id(id)?;
            if !call.state.subscriptions.remove(&call.grant.user, id) {
                return Err(GraphError::ResourceNotFound);
            }
            call.state.deliveries.close(Api::Graph, &id.to_string());
            Ok(no_content())
        }
        (Some(_), _) => Err(GraphError::MethodNotAllowed {
            allow: "GET, HEAD, PATCH, DELETE".into(),
        }),
    }
}

/// The body of `POST /subscriptions`; `PATCH` takes `expirationDateTime` and `notificationUrl`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionBody {
    change_type: Option<String>,
    notification_url: Option<String>,
    resource: Option<String>,
    expiration_date_time: Option<String>,
    client_state: Option<String>,
    lifecycle_notification_url: Option<String>,
    latest_supported_tls_version: Option<String>,
    include_resource_data: Option<bool>,
}

/// A subscription as Graph answers it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionJson<'a> {
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    context: Option<String>,
    id: String,
    resource: &'a str,
    application_id: &'static str,
    change_type: &'a str,
    client_state: Option<&'a str>,
    notification_url: &'a str,
    notification_query_options: Option<()>,
    lifecycle_notification_url: Option<&'a str>,
    expiration_date_time: String,
    creator_id: &'a str,
    include_resource_data: Option<()>,
    latest_supported_tls_version: &'a str,
    encryption_certificate: Option<()>,
    encryption_certificate_id: Option<()>,
    notification_url_app_id: Option<()>,
}

fn json_of<'a>(s: &'a Subscription, context: Option<String>) -> SubscriptionJson<'a> {
    SubscriptionJson {
        context,
        id: s.id.to_string(),
        resource: &s.resource,
        application_id: APPLICATION_ID,
        change_type: &s.change_type,
        client_state: s.client_state.as_deref(),
        notification_url: &s.notification_url,
        notification_query_options: None,
        lifecycle_notification_url: s.lifecycle_notification_url.as_deref(),
        expiration_date_time: s.expiration.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        creator_id: &s.owner.id,
        include_resource_data: None,
        latest_supported_tls_version: &s.latest_supported_tls_version,
        encryption_certificate: None,
        encryption_certificate_id: None,
        notification_url_app_id: None,
    }
}

fn reply(
    call: &SubscriptionCall<'_>,
    status: StatusCode,
    subscription: &Subscription,
    entity: bool,
) -> Result<Response, GraphError> {
    let context = entity.then(|| {
        format!(
            "{}{}/$metadata#subscriptions/$entity",
            call.origin, call.base
        )
    });
    json_bytes(status, serde_json::to_vec(&json_of(subscription, context)))
}

fn list(call: &SubscriptionCall<'_>) -> Result<Response, GraphError> {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "@odata.context")]
        context: String,
        value: Vec<SubscriptionJson<'a>>,
    }
    let now = call.state.clock.now();
    let mine = call.state.subscriptions.of_user(&call.grant.user, now);
    let list = List {
        context: format!("{}{}/$metadata#subscriptions", call.origin, call.base),
        value: mine.iter().map(|s| json_of(s, None)).collect(),
    };
    json_bytes(StatusCode::OK, serde_json::to_vec(&list))
}

fn parse_body(body: &[u8]) -> Result<SubscriptionBody, GraphError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SubscriptionBody::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        GraphError::BadRequest(format!("The request body is not valid JSON: {e}").into())
    })
}

fn required<T>(value: Option<T>, name: &str) -> Result<T, GraphError> {
    value.ok_or_else(|| invalid(format!("The property '{name}' is required.")))
}

fn invalid(message: impl Into<Cow<'static, str>>) -> GraphError {
    GraphError::SubscriptionInvalidRequest(message.into())
}

async fn create(call: &SubscriptionCall<'_>, body: &[u8]) -> Result<Response, GraphError> {
    let body = parse_body(body)?;
    let change_type = required(body.change_type, "changeType")?;
    let notification_url = required(body.notification_url, "notificationUrl")?;
    let resource = required(body.resource, "resource")?;
    let expiration = required(body.expiration_date_time, "expirationDateTime")?;
    // Only `updated` exists for a drive (the `changeType` row of
    // https://learn.microsoft.com/en-us/graph/api/resources/subscription).
    if change_type.split(',').any(|t| t.trim() != "updated") {
        return Err(invalid(format!(
            "The changeType '{change_type}' is not supported for resource '{resource}'. \
             Drive items support 'updated' only."
        )));
    }
    let watched = watched_drive(call, &resource)?;
    let now = call.state.clock.now();
    let expiration = expiration_at(&expiration, now)?;
    if body.include_resource_data == Some(true) {
        // What a real attempt answered (https://github.com/OneDrive/onedrive-api-docs/issues/1214).
        return Err(invalid(
            "File Services workload is not enabled for rich notifications.",
        ));
    }
    let client_state = body.client_state;
    if client_state
        .as_ref()
        .is_some_and(|c| c.chars().count() > 128)
    {
        return Err(invalid(
            "The clientState property cannot exceed 128 characters.",
        ));
    }
    let tls = body
        .latest_supported_tls_version
        .unwrap_or_else(|| "v1_2".to_owned());
    if !["v1_0", "v1_1", "v1_2", "v1_3"].contains(&tls.as_str()) {
        return Err(invalid(format!(
            "The latestSupportedTlsVersion '{tls}' is not supported."
        )));
    }
    let target = receiver(call.state, &notification_url, "notificationUrl")?;
    if let Some(lifecycle) = &body.lifecycle_notification_url {
        receiver(call.state, lifecycle, "lifecycleNotificationUrl")?;
    }
    let subscription = Subscription {
        id: Uuid::nil(),
        owner: call.grant.user.clone(),
        by_app: call.grant.is_app(),
        resource,
        watched,
        change_type,
        notification_url,
        receiver: target.clone(),
        lifecycle_notification_url: body.lifecycle_notification_url,
        client_state,
        expiration,
        latest_supported_tls_version: tls,
    };
    // The id is drawn first so that the validation attempt in the log names it; a refused
    // subscription is then removed again.
    let subscription = call
        .state
        .subscriptions
        .add(subscription, now)
        .ok_or_else(|| invalid(format!("A user may hold at most {PER_USER} subscriptions.")))?;
    let validated = validation::validate(
        call.state,
        &target,
        &subscription.id.to_string(),
        &validation_token(call.request_id),
        &call.request_id.uuid().to_string(),
    )
    .await;
    if let Err(refused) = validated {
        call.state
            .subscriptions
            .remove(&call.grant.user, subscription.id);
        return Err(refused);
    }
    reply(call, StatusCode::CREATED, &subscription, true)
}

async fn update(
    call: &SubscriptionCall<'_>,
    id: &str,
    body: &[u8],
) -> Result<Response, GraphError> {
    let mut subscription = find(call, id)?;
    let body = parse_body(body)?;
    let now = call.state.clock.now();
    if let Some(expiration) = &body.expiration_date_time {
        subscription.expiration = expiration_at(expiration, now)?;
    }
    if let Some(url) = body.notification_url {
        let target = receiver(call.state, &url, "notificationUrl")?;
        validation::validate(
            call.state,
            &target,
            &subscription.id.to_string(),
            &validation_token(call.request_id),
            &call.request_id.uuid().to_string(),
        )
        .await?;
        subscription.notification_url = url;
        subscription.receiver = target;
    }
    if !call
        .state
        .subscriptions
        .replace(&call.grant.user, subscription.clone())
    {
        // Deleted while the new URL was being validated.
        return Err(GraphError::ResourceNotFound);
    }
    reply(call, StatusCode::OK, &subscription, true)
}

fn parse_id(id: &str) -> Result<Uuid, GraphError> {
    id.parse().map_err(|_| GraphError::ResourceNotFound)
}

fn find(call: &SubscriptionCall<'_>, id: &str) -> Result<Subscription, GraphError> {
    let id = parse_id(id)?;
    call.state
        .subscriptions
        .get(&call.grant.user, id, call.state.clock.now())
        .ok_or(GraphError::ResourceNotFound)
}

/// Graph's token is opaque text with spaces and colons; this one names the request.
fn validation_token(request_id: RequestId) -> String {
    format!(
        "Validation: Testing client application reachability for subscription Request-Id: {}",
        request_id.uuid()
    )
}

/// The drive a `resource` watches: its root, by one of the forms the service takes for
/// driveItem (`/me/drive/root`, `/users/{id}/drive/root`, `/drives/{id}/root`, and a group's or
/// site's default library), if the caller may read it. Anything else is refused as the service
/// refuses a folder or file on a business drive
/// (<https://learn.microsoft.com/en-us/answers/questions/1855696>).
fn watched_drive(call: &SubscriptionCall<'_>, resource: &str) -> Result<Watched, GraphError> {
    if resource.contains("://") {
        return Err(GraphError::BadRequest(
            format!("The value '{resource}' of property 'resource' must be a relative URI.").into(),
        ));
    }
    let path = format!("/{}", resource.trim_start_matches('/'));
    let not_supported = || invalid(format!("resource '{resource}' is not supported."));
    // The older `/drive/root` alias was refused with this text
    // (https://github.com/microsoftgraph/microsoft-graph-docs/issues/6664).
    if path == "/drive/root" || path.starts_with("/drive/") {
        return Err(invalid("Unable to find target address"));
    }
    let address = address::parse(&path).map_err(|_| not_supported())?;
    match &address.target {
        Target::Item {
            item,
            op: ItemOp::Item,
        } if item.base == ItemRef::Root && item.path.is_empty() => {}
        _ => return Err(not_supported()),
    }
    if matches!(address.drive.owner, Owner::Me) && !path.starts_with("/me/") {
        return Err(not_supported());
    }
    let hide = call.state.hide_unreachable_drives;
    let drive = drives::resolve(&*call.state.store, call.grant, &address.drive, false, hide)?;
    let space = drive.space(&call.grant.user);
    Ok(match &space.owner {
        SpaceOwner::User(user) => Watched {
            shared: false,
            owner: user.id.as_str().into(),
        },
        SpaceOwner::Drive(id) => Watched {
            shared: true,
            owner: id.clone(),
        },
    })
}

/// `expirationDateTime`: any RFC 3339 offset (the Python SDK sends `+00:00`), in the future, at
/// most `MAX_LIFETIME_MINUTES` ahead of the emulator's clock.
fn expiration_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, GraphError> {
    let at = DateTime::parse_from_rfc3339(text)
        .map_err(|_| {
            invalid(format!(
                "The value '{text}' of property 'expirationDateTime' is not a valid date and time."
            ))
        })?
        .with_timezone(&Utc);
    if at <= now {
        return Err(invalid(
            "Subscription expiration can only be in the future.",
        ));
    }
    if at > now + TimeDelta::minutes(MAX_LIFETIME_MINUTES) {
        return Err(GraphError::ExtensionError(
            format!(
                "Subscription expiration can only be {MAX_LIFETIME_MINUTES} minutes in the future."
            )
            .into(),
        ));
    }
    Ok(at)
}

fn receiver(state: &AppState, url: &str, name: &str) -> Result<Receiver, GraphError> {
    Receiver::parse(url, state.receiver_rule).map_err(|e| match e {
        ReceiverError::NotAbsolute => invalid(format!(
            "The value '{url}' of property '{name}' is not a valid absolute URL."
        )),
        ReceiverError::HttpsRequired => invalid(format!(
            "The value '{url}' of property '{name}' must use https."
        )),
    })
}
