//! What the platform hands out and later takes back: authorization codes, device codes and
//! refresh tokens, each with its expiry on the emulator's clock.
//!
//! They live beside the store, not in it, like upload sessions: they last minutes (a refresh
//! token: until the emulator stops), a fixture never carries them, and an admin reset empties
//! them. Each kind is bounded, so that a client looping over `/authorize` or `/devicecode`
//! cannot grow the emulator without end: past the bound the expired go first, then the oldest.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// How many of each kind are kept at once.
const KEPT: usize = 10_000;

/// The delegated sign-in a code or refresh token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Delegation {
    pub client_id: String,
    /// The user's id.
    pub user: String,
    /// The scopes asked for, as sent (space-separated).
    pub scope: String,
}

/// An authorization code, until redeemed (once) or expired.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationCode {
    pub delegation: Delegation,
    pub redirect_uri: Option<String>,
    /// PKCE: the challenge and its method (`plain` or `S256`), when the request had one.
    pub challenge: Option<(String, String)>,
    pub nonce: Option<String>,
    pub expires: DateTime<Utc>,
    pub redeemed: bool,
}

/// A device code, from `/devicecode` until its sign-in is answered or it expires.
#[derive(Debug, Clone)]
pub(crate) struct DeviceCode {
    pub delegation: Delegation,
    pub expires: DateTime<Utc>,
}

/// A refresh token.
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub delegation: Delegation,
    pub expires: DateTime<Utc>,
}

/// Something with an expiry, for eviction.
trait Expiring {
    fn expires(&self) -> DateTime<Utc>;
}

impl Expiring for AuthorizationCode {
    fn expires(&self) -> DateTime<Utc> {
        self.expires
    }
}

impl Expiring for DeviceCode {
    fn expires(&self) -> DateTime<Utc> {
        self.expires
    }
}

impl Expiring for RefreshToken {
    fn expires(&self) -> DateTime<Utc> {
        self.expires
    }
}

/// One kind, keyed by the code, each entry numbered in the order it came.
#[derive(Debug)]
struct Kept<T> {
    next: u64,
    entries: HashMap<String, (u64, T)>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Self {
            next: 0,
            entries: HashMap::new(),
        }
    }
}

impl<T: Expiring> Kept<T> {
    fn insert(&mut self, key: String, value: T, now: DateTime<Utc>) {
        if self.entries.len() >= KEPT {
            self.entries.retain(|_, (_, v)| v.expires() > now);
        }
        if self.entries.len() >= KEPT {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (n, _))| *n)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.next += 1;
        self.entries.insert(key, (self.next, value));
    }
}

/// The three kinds, each under its own lock (no operation touches two).
#[derive(Debug, Default)]
pub(crate) struct Codes {
    authorization: Mutex<Kept<AuthorizationCode>>,
    device: Mutex<Kept<DeviceCode>>,
    refresh: Mutex<Kept<RefreshToken>>,
}

/// What became of a code that was presented.
#[derive(Debug)]
pub(crate) enum Redeemed<T> {
    Valid(T),
    Unknown,
    Expired,
    Spent,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Codes {
    pub fn add_authorization(&self, code: String, value: AuthorizationCode, now: DateTime<Utc>) {
        lock(&self.authorization).insert(code, value, now);
    }

    /// Redeems a code once; the check of the PKCE verifier and the redirect is the caller's, on
    /// the value returned, and a refusal there still spends the code (as the service does).
    pub fn redeem_authorization(
        &self,
        code: &str,
        now: DateTime<Utc>,
    ) -> Redeemed<AuthorizationCode> {
        let mut kept = lock(&self.authorization);
        let Some((_, entry)) = kept.entries.get_mut(code) else {
            return Redeemed::Unknown;
        };
        if entry.redeemed {
            Redeemed::Spent
        } else if entry.expires <= now {
            Redeemed::Expired
        } else {
            entry.redeemed = true;
            Redeemed::Valid(entry.clone())
        }
    }

    pub fn add_device(&self, code: String, value: DeviceCode, now: DateTime<Utc>) {
        lock(&self.device).insert(code, value, now);
    }

    /// The device code as it stands; `take` removes it (its sign-in was answered).
    pub fn device(&self, code: &str, now: DateTime<Utc>, take: bool) -> Redeemed<DeviceCode> {
        let mut kept = lock(&self.device);
        let Some((_, entry)) = kept.entries.get(code) else {
            return Redeemed::Unknown;
        };
        if entry.expires <= now {
            return Redeemed::Expired;
        }
        let entry = entry.clone();
        if take {
            kept.entries.remove(code);
        }
        Redeemed::Valid(entry)
    }

    pub fn add_refresh(&self, token: String, value: RefreshToken, now: DateTime<Utc>) {
        lock(&self.refresh).insert(token, value, now);
    }

    /// A refresh token stays valid after use until it expires, as the service's do.
    pub fn refresh(&self, token: &str, now: DateTime<Utc>) -> Redeemed<RefreshToken> {
        match lock(&self.refresh).entries.get(token) {
            None => Redeemed::Unknown,
            Some((_, entry)) if entry.expires <= now => Redeemed::Expired,
            Some((_, entry)) => Redeemed::Valid(entry.clone()),
        }
    }

    pub fn clear(&self) {
        *lock(&self.authorization) = Kept::default();
        *lock(&self.device) = Kept::default();
        *lock(&self.refresh) = Kept::default();
    }
}
