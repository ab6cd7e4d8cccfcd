//! The webhooks that exist: who made each, on which file or folder, to which address, for which
//! triggers. Kept in memory (not in the store): a restart forgets them, as it forgets upload
//! sessions; an admin reset empties them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::deliver::receiver::Receiver;
use crate::splitmix::splitmix64;
use crate::store::{ItemId, ItemKind, User};

/// The first webhook id; Box's are numeric strings.
const FIRST_ID: u64 = 1_000_001;

/// The most webhooks one user may hold
/// (<https://developer.box.com/guides/webhooks/v2/limitations-v2/>: 1000 per application and user).
pub(crate) const PER_USER: usize = 1000;

#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub id: u64,
    /// `id` as its deliveries' queue is keyed (set with it by `Webhooks::add`).
    pub key: Arc<str>,
    pub owner: Arc<User>,
    pub target: ItemId,
    pub target_kind: ItemKind,
    pub address: String,
    pub receiver: Receiver,
    pub triggers: Vec<&'static str>,
    pub created_at: DateTime<Utc>,
}

/// Why a webhook could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddError {
    /// The user already has a webhook on this item.
    Duplicate,
    /// The user holds `PER_USER` webhooks.
    TooMany,
}

#[derive(Debug)]
pub(crate) struct Webhooks {
    inner: Mutex<Inner>,
    /// Event ids: a random start drawn once, then a counter through SplitMix64, so that an
    /// upload heard by ten webhooks costs no ten calls to the OS's randomness.
    events: (u64, AtomicU64),
}

#[derive(Debug)]
struct Inner {
    next_id: u64,
    /// Shared with the change outlet, which reads a user's hooks on every change.
    hooks: BTreeMap<u64, Arc<Webhook>>,
}

impl Default for Webhooks {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                next_id: FIRST_ID,
                hooks: BTreeMap::new(),
            }),
            events: {
                let (seed, start) = uuid::Uuid::new_v4().as_u64_pair();
                (seed, AtomicU64::new(start))
            },
        }
    }
}

impl Webhooks {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds `hook` under a new id, which it returns with the hook; one per (item, user), as on Box.
    pub fn add(&self, mut hook: Webhook) -> Result<Webhook, AddError> {
        let mut inner = self.lock();
        let own = inner.hooks.values().filter(|h| h.owner.id == hook.owner.id);
        let mut count = 0;
        for existing in own {
            if existing.target == hook.target {
                return Err(AddError::Duplicate);
            }
            count += 1;
        }
        if count >= PER_USER {
            return Err(AddError::TooMany);
        }
        hook.id = inner.next_id;
        hook.key = Arc::from(hook.id.to_string());
        inner.next_id += 1;
        inner.hooks.insert(hook.id, Arc::new(hook.clone()));
        Ok(hook)
    }

    /// The user's webhook `id`; another user's is not found.
    pub fn get(&self, user: &User, id: u64) -> Option<Webhook> {
        self.lock()
            .hooks
            .get(&id)
            .filter(|h| h.owner.id == user.id)
            .map(|h| Webhook::clone(h))
    }

    /// Replaces the user's webhook `id` with `change(old)`, unless that clashes with another of
    /// their webhooks' targets.
    pub fn update(
        &self,
        user: &User,
        id: u64,
        change: impl FnOnce(&Webhook) -> Webhook,
    ) -> Option<Result<Webhook, AddError>> {
        let mut inner = self.lock();
        let old = inner.hooks.get(&id).filter(|h| h.owner.id == user.id)?;
        let new = change(old);
        let clash = inner
            .hooks
            .values()
            .any(|h| h.id != id && h.owner.id == user.id && h.target == new.target);
        if clash {
            return Some(Err(AddError::Duplicate));
        }
        inner.hooks.insert(id, Arc::new(new.clone()));
        Some(Ok(new))
    }

    /// Removes the user's webhook `id`; whether there was one.
    pub fn remove(&self, user: &User, id: u64) -> bool {
        let mut inner = self.lock();
        let owned = inner.hooks.get(&id).is_some_and(|h| h.owner.id == user.id);
        owned && inner.hooks.remove(&id).is_some()
    }

    /// The user's webhooks with an id after `after`, in id order, at most `limit`, and whether
    /// more follow.
    pub fn page(&self, user: &User, after: u64, limit: usize) -> (Vec<Webhook>, bool) {
        let inner = self.lock();
        let mut own = inner
            .hooks
            .range(after.saturating_add(1)..)
            .map(|(_, h)| h)
            .filter(|h| h.owner.id == user.id);
        let page: Vec<Webhook> = own
            .by_ref()
            .take(limit)
            .map(|h| Webhook::clone(h))
            .collect();
        (page, own.next().is_some())
    }

    /// Every webhook of `user` (whose files a change is in).
    pub fn of_user(&self, user: &str) -> Vec<Arc<Webhook>> {
        self.lock()
            .hooks
            .values()
            .filter(|h| h.owner.id == user)
            .cloned()
            .collect()
    }

    /// A new event id (a delivery's body `id`, the same on each of its retries): version-4 shaped
    /// and never repeated within the emulator's life.
    pub fn event_id(&self) -> uuid::Uuid {
        let n = self.events.1.fetch_add(1, Ordering::Relaxed);
        // Each half a bijection of the counter, so two events never share an id.
        let high = splitmix64(n ^ self.events.0);
        let low = splitmix64(n.wrapping_add(self.events.0));
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }

    /// Forgets every webhook and starts the ids again.
    pub fn clear(&self) {
        *self.lock() = Inner {
            next_id: FIRST_ID,
            hooks: BTreeMap::new(),
        };
    }
}
