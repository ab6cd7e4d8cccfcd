//! The change-notification subscriptions that exist. Kept in memory, not in the store: a restart
//! forgets them (as it forgets upload sessions), an admin reset empties them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::deliver::receiver::Receiver;
use crate::splitmix::splitmix64;
use crate::store::User;

/// The most subscriptions one user may hold; Graph publishes no number for drives, and a bound
/// keeps what a client can make finite.
pub(crate) const PER_USER: usize = 1000;

/// Which drive a subscription watches, in the change log's terms: a user's own drive, or a
/// shared drive by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Watched {
    pub shared: bool,
    pub owner: Arc<str>,
}

#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    pub id: Uuid,
    pub owner: Arc<User>,
    /// Whether an app with application permissions made it: it keeps the app's reach.
    pub by_app: bool,
    /// As the subscriber wrote it; notifications echo it.
    pub resource: String,
    pub watched: Watched,
    pub change_type: String,
    pub notification_url: String,
    pub receiver: Receiver,
    pub lifecycle_notification_url: Option<String>,
    pub client_state: Option<String>,
    pub expiration: DateTime<Utc>,
    pub latest_supported_tls_version: String,
}

#[derive(Debug, Default)]
pub(crate) struct Subscriptions {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Ids are a scrambled counter, so a reset server hands out the same ids again.
    issued: u64,
    subscriptions: BTreeMap<Uuid, Subscription>,
}

impl Subscriptions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops the subscriptions that expired by `now`, as the service removes them.
    fn sweep(inner: &mut Inner, now: DateTime<Utc>) {
        inner.subscriptions.retain(|_, s| s.expiration > now);
    }

    /// Adds `subscription` under a new id; `None` when its owner holds `PER_USER` already.
    pub fn add(&self, mut subscription: Subscription, now: DateTime<Utc>) -> Option<Subscription> {
        let mut inner = self.lock();
        Self::sweep(&mut inner, now);
        let held = inner
            .subscriptions
            .values()
            .filter(|s| s.owner.id == subscription.owner.id)
            .count();
        if held >= PER_USER {
            return None;
        }
        inner.issued += 1;
        let n = inner.issued;
        subscription.id = Uuid::from_u64_pair(splitmix64(n ^ 0x5ab5_c41b), splitmix64(!n));
        inner
            .subscriptions
            .insert(subscription.id, subscription.clone());
        Some(subscription)
    }

    /// The user's subscription `id`, unless it expired; another user's is not found.
    pub fn get(&self, user: &User, id: Uuid, now: DateTime<Utc>) -> Option<Subscription> {
        let mut inner = self.lock();
        Self::sweep(&mut inner, now);
        inner
            .subscriptions
            .get(&id)
            .filter(|s| s.owner.id == user.id)
            .cloned()
    }

    /// The user's subscriptions, in id order.
    pub fn of_user(&self, user: &User, now: DateTime<Utc>) -> Vec<Subscription> {
        let mut inner = self.lock();
        Self::sweep(&mut inner, now);
        inner
            .subscriptions
            .values()
            .filter(|s| s.owner.id == user.id)
            .cloned()
            .collect()
    }

    /// Every live subscription watching `watched`.
    pub fn watching(&self, watched: &Watched, now: DateTime<Utc>) -> Vec<Subscription> {
        let mut inner = self.lock();
        Self::sweep(&mut inner, now);
        inner
            .subscriptions
            .values()
            .filter(|s| s.watched == *watched)
            .cloned()
            .collect()
    }

    /// Replaces the user's subscription `id` with `subscription`.
    pub fn replace(&self, user: &User, subscription: Subscription) -> bool {
        let mut inner = self.lock();
        match inner.subscriptions.get_mut(&subscription.id) {
            Some(old) if old.owner.id == user.id => {
                *old = subscription;
                true
            }
            _ => false,
        }
    }

    /// Removes the user's subscription `id`; whether there was one.
    pub fn remove(&self, user: &User, id: Uuid) -> bool {
        let mut inner = self.lock();
        let owned = inner
            .subscriptions
            .get(&id)
            .is_some_and(|s| s.owner.id == user.id);
        owned && inner.subscriptions.remove(&id).is_some()
    }

    pub fn clear(&self) {
        *self.lock() = Inner::default();
    }
}
