//! How Box signs a delivery, and the two keys it signs with
//! (<https://developer.box.com/guides/webhooks/v2/signatures-v2/>).
//!
//! Each key signs `base64(HMAC-SHA256(key, body ‖ BOX-DELIVERY-TIMESTAMP))`, the raw body bytes
//! first and the header's text after them, with nothing between; box_sdk_gen's
//! `WebhooksManager.validate_message` recomputes the same
//! (<https://github.com/box/box-python-sdk-gen/blob/main/box_sdk_gen/managers/webhooks.py>).
//! On Box the keys are set per application in the developer console, not through the API; here
//! they are configuration: the fixture's `box_webhook_keys`, `PUT /__admin/webhook-keys`, or the
//! defaults below.

use std::sync::RwLock;

use axum::http::{HeaderName, HeaderValue};
use base64::prelude::{Engine as _, BASE64_STANDARD};
use chrono::{SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The primary key when none is configured.
pub const DEFAULT_PRIMARY_KEY: &str = "restore-mock-primary-key";
/// The secondary key when none is configured.
pub const DEFAULT_SECONDARY_KEY: &str = "restore-mock-secondary-key";

/// The two signature keys in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookKeys {
    pub primary: String,
    pub secondary: String,
}

impl Default for WebhookKeys {
    fn default() -> Self {
        Self {
            primary: DEFAULT_PRIMARY_KEY.to_owned(),
            secondary: DEFAULT_SECONDARY_KEY.to_owned(),
        }
    }
}

/// The keys, changeable while the emulator runs; each attempt signs with those in force then.
#[derive(Debug, Default)]
pub(crate) struct KeyRing(RwLock<WebhookKeys>);

impl KeyRing {
    pub fn get(&self) -> WebhookKeys {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, keys: WebhookKeys) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = keys;
    }
}

/// One key's signature of `body` sent at `timestamp`.
pub(crate) fn sign(key: &str, body: &[u8], timestamp: &str) -> String {
    // HMAC takes a key of any length; `new_from_slice` fails for none.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    mac.update(timestamp.as_bytes());
    BASE64_STANDARD.encode(mac.finalize().into_bytes())
}

/// The headers of one delivery attempt: a new delivery id, the timestamp, both signatures.
///
/// The timestamp is the wall clock's, whatever the emulator's clock says: receivers check it
/// against their own clock (box_sdk_gen refuses one older than ten minutes or in the future),
/// so it is rounded down to whole seconds, never up.
pub(crate) fn stamp(keys: &WebhookKeys, body: &[u8]) -> Vec<(HeaderName, HeaderValue)> {
    let timestamp = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, false);
    let header = |name: &'static str, value: String| {
        HeaderValue::try_from(value)
            .ok()
            .map(|v| (HeaderName::from_static(name), v))
    };
    [
        header("box-delivery-id", uuid::Uuid::new_v4().to_string()),
        header("box-delivery-timestamp", timestamp.clone()),
        header(
            "box-signature-primary",
            sign(&keys.primary, body, &timestamp),
        ),
        header(
            "box-signature-secondary",
            sign(&keys.secondary, body, &timestamp),
        ),
        header("box-signature-version", "1".to_owned()),
        header("box-signature-algorithm", "HmacSHA256".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectors of box_sdk_gen's own test (`test/webhooks.py`, `testWebhookValidation`).
    #[test]
    fn signatures_match_box_sdk_gens_test_vectors() {
        let body = r#"{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}"#;
        let timestamp = "2020-01-01T00:00:00-07:00";
        assert_eq!(
            sign("SamplePrimaryKey", body.as_bytes(), timestamp),
            "6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI="
        );
        assert_eq!(
            sign("SampleSecondaryKey", body.as_bytes(), timestamp),
            "v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo="
        );
    }
}
