//! The validation request Graph sends before it creates a subscription (or changes its URL):
//! `POST {notificationUrl}?validationToken=…`, empty `text/plain` body; the receiver must answer
//! `200` with the decoded token as its `text/plain` body within ten seconds
//! (<https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation>).
//! The token is opaque text with spaces and colons, so a receiver that forgets to URL-decode it
//! fails here as it would against Graph.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue};

use crate::control::journal::Api;
use crate::deliver::client::{self, DeliveryError};
use crate::deliver::receiver::Receiver;
use crate::deliver::DeliveryAttempt;
use crate::onedrive::errors::GraphError;
use crate::state::AppState;

/// How long the receiver has to answer.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends the validation request for `subscription` (its id, for the attempt log) and checks the
/// answer; the refusal is the service's, in its words (captured in
/// <https://github.com/microsoftgraph/nodejs-webhooks-sample/issues/158>, `…/350` and
/// <https://github.com/microsoftgraph/java-spring-webhooks-sample/issues/82>).
pub(crate) async fn validate(
    state: &AppState,
    receiver: &Receiver,
    subscription: &str,
    token: &str,
    cause: &str,
) -> Result<(), GraphError> {
    let url = receiver.with_query_param("validationToken", token);
    let headers: [(HeaderName, HeaderValue); 1] = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    )];
    let time = state.clock.now();
    let started = Instant::now();
    let result = client::post(
        &url,
        &headers,
        Bytes::new(),
        TIMEOUT,
        state.deliveries.trust(),
    )
    .await;
    let latency = started.elapsed();
    let verdict = match &result {
        Err(DeliveryError::Timeout(_)) => Err("Subscription validation request timed out."),
        Err(_) => Err(NOT_OK),
        Ok(reply) if reply.status.as_u16() != 200 => Err(NOT_OK),
        Ok(reply) => {
            let text = reply.content_type.as_deref().is_some_and(|t| {
                t.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("text/plain")
            });
            match text && reply.body == token.as_bytes() {
                true => Ok(()),
                false => Err(MISMATCH),
            }
        }
    };
    let error = match (&result, verdict) {
        (_, Ok(())) => None,
        (Err(e), Err(_)) => Some(e.to_string()),
        (Ok(_), Err(message)) => Some(message.to_owned()),
    };
    state.deliveries.record(DeliveryAttempt {
        seq: 0,
        api: Api::Graph.as_str(),
        subscription: subscription.to_owned(),
        kind: "validation",
        target: url.to_string(),
        attempt: 1,
        time,
        status: result.as_ref().ok().map(|r| r.status.as_u16()),
        latency_us: u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
        outcome: if error.is_none() {
            "delivered"
        } else {
            "refused"
        },
        error,
        cause: Some(cause.to_owned()),
        change: None,
        item: None,
        event: None,
    });
    verdict.map_err(|message| GraphError::SubscriptionInvalidRequest(message.into()))
}

const NOT_OK: &str = "Subscription validation request failed. Notification endpoint must respond \
                      with 200 OK to validation request.";
const MISMATCH: &str = "Subscription validation request failed. Response must exactly match \
                        validationToken query parameter.";
