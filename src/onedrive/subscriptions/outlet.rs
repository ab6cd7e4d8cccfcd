//! The notification a change in a watched drive sends: Graph's "shoulder tap", which names the
//! subscription and its resource, never the item
//! (<https://learn.microsoft.com/en-us/graph/api/resources/changenotification>;
//! <https://github.com/OneDrive/onedrive-api-docs/issues/1214> shows one for a drive root).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue};
use chrono::SecondsFormat;
use serde::Serialize;

use super::registry::{Subscription, Watched};
use crate::control::journal::Api;
use crate::deliver::{Body, Delivery, Occasion, RetryPolicy, Tuning};
use crate::state::AppState;
use crate::store::{ChangeEntry, DriveAccess, Face};

/// The tenant every notification names; the emulator is one tenant.
const TENANT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A 2xx within 3 seconds, else retried with exponential back-off
/// (<https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks>); a minute
/// in all here, where Graph goes on for hours, so a test with a dead receiver still ends.
const POLICY: RetryPolicy = RetryPolicy {
    retries: 6,
    first_backoff: Duration::from_secs(1),
    max_backoff: Duration::from_secs(30),
    timeout: Duration::from_secs(3),
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    subscription_id: String,
    client_state: Option<&'a str>,
    change_type: &'a str,
    resource: &'a str,
    subscription_expiration_date_time: String,
    tenant_id: &'static str,
    resource_data: Option<()>,
}

#[derive(Serialize)]
struct Notifications<'a> {
    value: [Notification<'a>; 1],
}

/// Queues a notification for every live subscription on the drive `entry` is in whose owner
/// may still read that drive.
pub(crate) fn on_change(state: &AppState, entry: &ChangeEntry) {
    if entry.space.face != Face::Graph {
        return;
    }
    let watched = Watched {
        shared: entry.space.shared,
        owner: entry.space.owner.clone(),
    };
    for subscription in state.subscriptions.watching(&watched, state.clock.now()) {
        // A shared drive's member list can change after the subscription was made; a user's
        // own drive is only ever watched by that user (another's is refused at creation).
        if watched.shared
            && state
                .store
                .drive(
                    &watched.owner,
                    DriveAccess::of(&subscription.owner, subscription.by_app),
                )
                .is_err()
        {
            continue;
        }
        if let Some(delivery) = notification(&subscription, entry, state.delivery_tuning) {
            state.deliveries.enqueue(delivery);
        }
    }
}

/// The headers of every notification.
static HEADERS: [(HeaderName, HeaderValue); 1] = [(
    header::CONTENT_TYPE,
    HeaderValue::from_static("application/json; charset=utf-8"),
)];

fn notification(
    subscription: &Subscription,
    entry: &ChangeEntry,
    tuning: Tuning,
) -> Option<Delivery> {
    let body = Notifications {
        value: [Notification {
            subscription_id: subscription.id.to_string(),
            client_state: subscription.client_state.as_deref(),
            change_type: "updated",
            resource: &subscription.resource,
            subscription_expiration_date_time: subscription
                .expiration
                .to_rfc3339_opts(SecondsFormat::AutoSi, false),
            tenant_id: TENANT_ID,
            resource_data: None,
        }],
    };
    let body = serde_json::to_vec(&body).ok()?;
    let occasion = Occasion {
        api: Api::Graph,
        at: entry.at,
        kind: "notification",
        body: Body::Ready(Bytes::from(body)),
        headers: &HEADERS,
        stamp: None,
        cause: None,
        change: Some(entry.position),
        item: Some(entry.item),
        coalesce: true,
        policy: tuning.apply(POLICY),
    };
    Some(Delivery {
        occasion: Arc::new(occasion),
        subscription: Arc::from(subscription.id.to_string()),
        receiver: subscription.receiver.clone(),
        event: None,
    })
}
