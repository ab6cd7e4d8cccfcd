//! Graph change notifications for drives: the subscriptions that exist, the validation request
//! that comes before one, and the notifications the change log makes them send. The routes are
//! `routes/subscriptions.rs`.
//!
//! - `registry`: the subscriptions (in memory: a restart forgets them, a reset empties them;
//!   expired ones go as the service removes them).
//! - `validation`: the `validationToken` handshake, inside `POST /subscriptions` (and a `PATCH`
//!   that changes `notificationUrl`).
//! - `outlet`: the notification each change in the watched drive sends.
//!
//! # What the emulator takes
//! `resource` is a drive root: `/me/drive/root`, `/users/{id}/drive/root`, `/drives/{id}/root`,
//! `/groups/{id}/drive/root`, `/sites/{id}/drive/root` (with or without the leading `/`), of a
//! drive the caller may read; a folder or file is refused (`400 InvalidRequest "resource '…'
//! is not supported."`), as on business drives, and an absolute URL is `400 BadRequest`.
//! `changeType` must be `updated`. `expirationDateTime` (any RFC 3339 offset) must be in the
//! future and at most 42,300 minutes ahead on the emulator's clock (`400 ExtensionError`).
//! `clientState` at most 128 characters; `includeResourceData: true` is refused as the service
//! refuses it for drives. Expired subscriptions disappear.
//!
//! # Notifications
//! Each change under the watched root sends `POST notificationUrl` with
//! `{"value":[{"subscriptionId","clientState","changeType":"updated","resource",
//! "subscriptionExpirationDateTime","tenantId","resourceData":null}]}`: a "shoulder tap" that
//! names the subscribed resource, not the item; the app then calls `delta`
//! (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/using-webhooks>).
//! Changes that arrive while a notification is waiting to go out share it. A 2xx within 3
//! seconds is success; otherwise it is retried 6 times, waiting 1 s, 2 s, 4 s, … up to 30 s
//! (a minute in all: Graph retries for longer, a test should not wait so), then given up.

pub(crate) mod outlet;
pub(crate) mod registry;
pub(crate) mod validation;
