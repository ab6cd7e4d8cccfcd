//! The registry: configured clients, and the access tokens, refresh tokens and authorization
//! codes the emulator issued, each with its expiry on the emulator's clock.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, TimeDelta, Utc};

use super::clients::{Client, ClientError, ClientRecord, Clients};
use crate::store::Grant;

/// Every access token the emulator issues starts so: a token with this prefix that the registry
/// does not hold (revoked, expired and swept, or from before a restart) is refused, never signed
/// in as a new user the way an unknown plain token is.
const ACCESS_PREFIX: &str = "rmat_";
const REFRESH_PREFIX: &str = "rmrt_";

/// Box's authorization codes live 30 seconds
/// (<https://developer.box.com/guides/authentication/oauth2/without-sdk/>).
const CODE_LIFETIME: TimeDelta = TimeDelta::seconds(30);

/// Box's refresh tokens live 60 days
/// (<https://developer.box.com/guides/authentication/tokens/refresh/>).
const REFRESH_LIFETIME: TimeDelta = TimeDelta::days(60);

/// After this many issues, expired entries are swept, so that a long test suite's tokens do not
/// pile up.
const SWEEP_EVERY: u32 = 4096;

/// An access token and how long it lives, for the reply's `expires_in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub token: String,
    /// Seconds from now (relative, so a client comparing with its own clock is not confused
    /// by the emulator's frozen one).
    pub expires_in: u64,
    pub expires_at: DateTime<Utc>,
}

/// Why an issued token, code or refresh token does not sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefused {
    /// Never issued, revoked, already used, or issued to another client.
    #[error("the token is not known")]
    Unknown,
    #[error("the token has expired")]
    Expired,
}

/// The client's id or secret is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the client credentials are invalid")]
pub struct InvalidClient;

#[derive(Debug, Clone)]
struct Entry {
    grant: Grant,
    client_id: Arc<str>,
    expires_at: DateTime<Utc>,
    /// For a code: the `redirect_uri` it was issued for.
    redirect_uri: Option<String>,
}

#[derive(Debug, Default)]
struct Tokens {
    access: HashMap<String, Entry>,
    refresh: HashMap<String, Entry>,
    codes: HashMap<String, Entry>,
    since_sweep: u32,
}

/// Clients and issued tokens: see the module's `//!` ([`crate::identity`]).
#[derive(Debug)]
pub struct Identities {
    /// Whether a client nobody configured may sign in (not with `--tokens`).
    open: bool,
    clients: RwLock<Clients>,
    tokens: RwLock<Tokens>,
    /// Whether `register` was ever called: only then does a token without the issued prefix
    /// take the lock.
    registered: AtomicBool,
}

impl Default for Identities {
    fn default() -> Self {
        Self::new(true)
    }
}

impl Identities {
    pub(crate) fn new(open: bool) -> Self {
        Self {
            open,
            clients: RwLock::default(),
            tokens: RwLock::default(),
            registered: AtomicBool::new(false),
        }
    }

    /// Whether unknown clients, and the users they name, sign in on first use.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The client `id` if `secret` is its own: a configured one, or (while sign-in is open) a
    /// client of its own for any other id.
    pub fn authenticate(&self, id: &str, secret: &str) -> Result<Client, InvalidClient> {
        let client = self.client(id).ok_or(InvalidClient)?;
        client
            .secret_matches(secret)
            .then_some(client)
            .ok_or(InvalidClient)
    }

    /// The client `id`, configured or (while sign-in is open) signing in on first use.
    pub fn client(&self, id: &str) -> Option<Client> {
        if id.is_empty() {
            return None;
        }
        match self.read_clients().get(id) {
            Some(client) => Some(client.clone()),
            None => self.open.then(|| Client::open(id)),
        }
    }

    /// Replaces the configured clients, or refuses the list whole.
    pub fn set_clients(&self, records: &[ClientRecord]) -> Result<(), ClientError> {
        let clients = Clients::from_records(records)?;
        *self.clients.write().unwrap_or_else(|e| e.into_inner()) = clients;
        Ok(())
    }

    /// Checks `records` as `add_clients` would take them.
    pub fn check_clients(records: &[ClientRecord]) -> Result<(), ClientError> {
        Clients::from_records(records).map(drop)
    }

    /// Adds clients (a fixture's), replacing those with the same id; all or nothing.
    pub fn add_clients(&self, records: &[ClientRecord]) -> Result<(), ClientError> {
        let more = Clients::from_records(records)?;
        self.clients
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .extend(more);
        Ok(())
    }

    /// The configured clients, in the order they were configured.
    pub fn client_records(&self) -> Vec<ClientRecord> {
        self.read_clients().records()
    }

    /// Issues an access token for `grant` to `client_id`, living `lifetime` seconds from `now`
    /// on the emulator's clock.
    pub fn issue(
        &self,
        grant: Grant,
        client_id: &str,
        lifetime: u64,
        now: DateTime<Utc>,
    ) -> Issued {
        let expires_at = now + TimeDelta::seconds(i64::try_from(lifetime).unwrap_or(i64::MAX / 2));
        self.issue_until(grant, client_id, expires_at, now)
    }

    /// Issues an access token that expires at `expires_at` (a downscoped token expires with the
    /// token it came from).
    pub fn issue_until(
        &self,
        grant: Grant,
        client_id: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Issued {
        let token = format!("{ACCESS_PREFIX}{}", random_hex());
        self.insert(
            |t| &mut t.access,
            &token,
            grant,
            client_id,
            expires_at,
            None,
            now,
        );
        Issued {
            token,
            expires_in: u64::try_from((expires_at - now).num_seconds()).unwrap_or(0),
            expires_at,
        }
    }

    /// Who an issued access token signs in as: `None` for a token the emulator did not issue
    /// (the plain sign-in decides about it).
    ///
    /// Every request signs in, so a token without the issued prefix is answered without taking
    /// the registry's lock.
    pub fn sign_in(&self, token: &str, now: DateTime<Utc>) -> Option<Result<Grant, TokenRefused>> {
        // The identity platform's JWTs start with a fixed header too (`entra::ISSUED_PREFIX`):
        // one the registry no longer holds is refused, not signed in as a new user.
        let ours =
            token.starts_with(ACCESS_PREFIX) || token.starts_with(crate::entra::ISSUED_PREFIX);
        if !ours && !self.registered.load(Ordering::Relaxed) {
            return None;
        }
        match self.read_tokens().access.get(token) {
            Some(entry) if entry.expires_at <= now => Some(Err(TokenRefused::Expired)),
            Some(entry) => Some(Ok(entry.grant.clone())),
            None => ours.then_some(Err(TokenRefused::Unknown)),
        }
    }

    /// Registers an access token minted elsewhere (a signed JWT) for `grant`, until
    /// `expires_at`. Unlike an issued token, once it is gone (revoked, swept) it is unknown, and
    /// the plain sign-in decides about it.
    pub fn register(
        &self,
        token: &str,
        grant: Grant,
        client_id: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        self.registered.store(true, Ordering::Relaxed);
        self.insert(
            |t| &mut t.access,
            token,
            grant,
            client_id,
            expires_at,
            None,
            now,
        );
    }

    /// An issued access token's grant and expiry (a token exchange's subject token).
    pub fn access(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(Grant, DateTime<Utc>), TokenRefused> {
        match self.read_tokens().access.get(token) {
            None => Err(TokenRefused::Unknown),
            Some(entry) if entry.expires_at <= now => Err(TokenRefused::Expired),
            Some(entry) => Ok((entry.grant.clone(), entry.expires_at)),
        }
    }

    /// A refresh token for `grant`, good once.
    pub fn issue_refresh(&self, grant: Grant, client_id: &str, now: DateTime<Utc>) -> String {
        // Box's refresh tokens are 64 characters.
        let token = format!("{REFRESH_PREFIX}{}", &random_hex()[..59]);
        let until = now + REFRESH_LIFETIME;
        self.insert(
            |t| &mut t.refresh,
            &token,
            grant,
            client_id,
            until,
            None,
            now,
        );
        token
    }

    /// Uses up a refresh token issued to `client_id`.
    pub fn redeem_refresh(
        &self,
        token: &str,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Grant, TokenRefused> {
        let entry = self.take(|t| &mut t.refresh, token, client_id, now)?;
        Ok(entry.grant)
    }

    /// An authorization code for `grant`, good once within 30 seconds. Letters and digits only,
    /// as clients that paste codes from a redirect expect.
    pub fn issue_code(
        &self,
        grant: Grant,
        client_id: &str,
        redirect_uri: Option<String>,
        now: DateTime<Utc>,
    ) -> String {
        let code = random_hex();
        let until = now + CODE_LIFETIME;
        self.insert(
            |t| &mut t.codes,
            &code,
            grant,
            client_id,
            until,
            redirect_uri,
            now,
        );
        code
    }

    /// Uses up a code issued to `client_id`: its grant and the `redirect_uri` it was issued for.
    /// A code is gone after its first use, even a refused one (RFC 6749 §4.1.2).
    pub fn redeem_code(
        &self,
        code: &str,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Grant, Option<String>), TokenRefused> {
        let entry = self.take(|t| &mut t.codes, code, client_id, now)?;
        Ok((entry.grant, entry.redirect_uri))
    }

    /// Drops an access or refresh token; an unknown one changes nothing (RFC 7009 §2.2).
    pub fn revoke(&self, token: &str) {
        let mut tokens = self.write_tokens();
        tokens.access.remove(token);
        tokens.refresh.remove(token);
    }

    /// Forgets every issued token and code and every configured client (a full reset).
    pub fn reset(&self) {
        *self.write_tokens() = Tokens::default();
        *self.clients.write().unwrap_or_else(|e| e.into_inner()) = Clients::default();
    }

    #[allow(clippy::too_many_arguments)]
    fn insert(
        &self,
        map: impl Fn(&mut Tokens) -> &mut HashMap<String, Entry>,
        token: &str,
        grant: Grant,
        client_id: &str,
        expires_at: DateTime<Utc>,
        redirect_uri: Option<String>,
        now: DateTime<Utc>,
    ) {
        let mut guard = self.write_tokens();
        let tokens = &mut *guard;
        tokens.since_sweep += 1;
        if tokens.since_sweep >= SWEEP_EVERY {
            tokens.since_sweep = 0;
            for map in [&mut tokens.access, &mut tokens.refresh, &mut tokens.codes] {
                map.retain(|_, entry| entry.expires_at > now);
            }
        }
        let entry = Entry {
            grant,
            client_id: Arc::from(client_id),
            expires_at,
            redirect_uri,
        };
        map(tokens).insert(token.to_owned(), entry);
    }

    fn take(
        &self,
        map: impl Fn(&mut Tokens) -> &mut HashMap<String, Entry>,
        token: &str,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Entry, TokenRefused> {
        let entry = map(&mut self.write_tokens())
            .remove(token)
            .ok_or(TokenRefused::Unknown)?;
        if *entry.client_id != *client_id {
            return Err(TokenRefused::Unknown);
        }
        if entry.expires_at <= now {
            return Err(TokenRefused::Expired);
        }
        Ok(entry)
    }

    fn read_clients(&self) -> RwLockReadGuard<'_, Clients> {
        self.clients.read().unwrap_or_else(|e| e.into_inner())
    }

    fn read_tokens(&self) -> RwLockReadGuard<'_, Tokens> {
        self.tokens.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_tokens(&self) -> RwLockWriteGuard<'_, Tokens> {
        self.tokens.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// 32 random hex digits (a v4 UUID's 122 random bits): tokens must not be guessable from one
/// another, unlike the emulator's ids.
fn random_hex() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    a + &b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::User;

    fn grant() -> Grant {
        Grant::of(Arc::new(User {
            id: "42".into(),
            name: "Ada".into(),
            login: "ada@example.com".into(),
        }))
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn an_access_token_signs_in_until_it_expires_or_is_revoked() {
        let ids = Identities::new(true);
        let issued = ids.issue(grant(), "app", 60, at(0));
        assert_eq!(issued.expires_in, 60);
        assert_eq!(ids.sign_in(&issued.token, at(59)), Some(Ok(grant())));
        assert_eq!(
            ids.sign_in(&issued.token, at(60)),
            Some(Err(TokenRefused::Expired))
        );
        let jwt = "eyJ.minted.elsewhere";
        assert_eq!(ids.sign_in(jwt, at(1)), None);
        ids.register(jwt, grant(), "app", at(60), at(0));
        assert_eq!(ids.sign_in(jwt, at(1)), Some(Ok(grant())));
        let other = ids.issue(grant(), "app", 60, at(0));
        ids.revoke(&other.token);
        assert_eq!(
            ids.sign_in(&other.token, at(1)),
            Some(Err(TokenRefused::Unknown))
        );
        assert_eq!(ids.sign_in("plain-token", at(1)), None);
    }

    #[test]
    fn codes_and_refresh_tokens_work_once_and_only_for_their_client() {
        let ids = Identities::new(true);
        let code = ids.issue_code(grant(), "app", None, at(0));
        assert_eq!(ids.redeem_code(&code, "app", at(1)), Ok((grant(), None)));
        assert_eq!(
            ids.redeem_code(&code, "app", at(1)),
            Err(TokenRefused::Unknown)
        );
        let late = ids.issue_code(grant(), "app", None, at(0));
        assert_eq!(
            ids.redeem_code(&late, "app", at(30)),
            Err(TokenRefused::Expired)
        );
        let refresh = ids.issue_refresh(grant(), "app", at(0));
        assert_eq!(refresh.len(), 64);
        assert_eq!(
            ids.redeem_refresh(&refresh, "other", at(1)),
            Err(TokenRefused::Unknown)
        );
    }
}
