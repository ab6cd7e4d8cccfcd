//! Which identity a Microsoft sign-in is, decided by the identity registry
//! ([`crate::identity`]): an app (client credentials, managed identity) or a user (authorization
//! code, refresh, device code). The token's claims follow from it, and the registry records the
//! signed token as signing in as it until it expires.
//!
//! - An app's identity is its client's app identity: its `roles` (by default
//!   `Files.ReadWrite.All` and `Sites.ReadWrite.All`), acting through its service account. Its
//!   roles are also the grant's scopes, so Graph enforces them as it does `--tokens` scopes.
//! - A delegated sign-in is the user `login_hint` named (a user id), else the client's
//!   configured `user`, else the client's default user (a user of its own per client id, like an
//!   unknown bearer token's). Its grant holds the scopes asked for (`scp`), or the client's
//!   configured `scopes` when it has them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::codes::Delegation;
use super::errors::AadError;
use crate::identity::{Client, Identity};
use crate::state::AppState;
use crate::store::{Grant, User};

/// A sign-in that succeeded: the grant its tokens carry, and what their claims say.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub client_id: String,
    pub grant: Grant,
    /// The identity's object id: the user's id (an app's: its service account's).
    pub oid: String,
    /// An app's application permissions.
    pub roles: Vec<String>,
    pub name: Option<String>,
    pub upn: Option<String>,
    /// Seconds.
    pub lifetime: i64,
}

impl Signed {
    fn new(client: &Client, grant: Grant) -> Self {
        let roles = match &grant.identity {
            Identity::App { roles, .. } => roles.to_vec(),
            Identity::User => Vec::new(),
        };
        let user = grant.user.clone();
        Self {
            client_id: client.id.to_string(),
            oid: user.id.clone(),
            roles,
            name: Some(user.name.clone()),
            upn: Some(user.login.clone()),
            lifetime: i64::try_from(client.token_lifetime).unwrap_or(i64::MAX / 4),
            grant,
        }
    }
}

/// The client `client_id`, which must exist: configured, or any while sign-in is open.
fn client(state: &AppState, tenant: &str, client_id: &str) -> Result<Client, AadError> {
    state
        .store
        .identity()
        .client(client_id)
        .ok_or_else(|| AadError::UnknownClient {
            client_id: client_id.to_owned(),
            tenant: tenant.to_owned(),
        })
}

/// Client credentials: the client's app identity, once its secret is its own.
pub(crate) fn client_app(
    state: &AppState,
    tenant: &str,
    client_id: &str,
    secret: Option<&str>,
) -> Result<Signed, AadError> {
    let client = client(state, tenant, client_id)?;
    let secret = secret.ok_or(AadError::MissingSecret)?;
    if !client.secret_matches(secret) {
        return Err(AadError::InvalidSecret(client_id.to_owned()));
    }
    app(state, &client)
}

/// A managed identity: an app identity that presents no secret (the endpoint is only reachable
/// from the machine, as IMDS is only from the VM).
pub(crate) fn managed_identity(state: &AppState, client_id: &str) -> Result<Signed, AadError> {
    let client = client(state, "managed identity", client_id)?;
    app(state, &client)
}

fn app(state: &AppState, client: &Client) -> Result<Signed, AadError> {
    let user = state
        .store
        .subject(client.service_account(), true)
        .ok_or(AadError::Unavailable)?;
    let identity = client.app_identity();
    let roles = match &identity {
        Identity::App { roles, .. } => roles.clone(),
        Identity::User => Arc::from([]),
    };
    let grant = Grant {
        scopes: Some(roles),
        identity,
        ..Grant::of(user)
    };
    Ok(Signed::new(client, grant))
}

/// The user a delegated grant signs in as, with the scopes `scp` asked for.
pub(crate) fn delegated_user(
    state: &AppState,
    tenant: &str,
    delegation: &Delegation,
    scp: &str,
) -> Result<Signed, AadError> {
    let client = client(state, tenant, &delegation.client_id)?;
    let open = state.store.identity().is_open();
    let wanted = if !delegation.user.is_empty() {
        state
            .store
            .user(&delegation.user)
            .map(|user| User::clone(&user))
            .unwrap_or_else(|| mock_user(&delegation.user))
    } else if let Some(id) = &client.user {
        mock_user(id)
    } else {
        default_user(&client.id)
    };
    let user = state
        .store
        .subject(wanted, open)
        .ok_or(AadError::InvalidCode)?;
    let scopes: Arc<[String]> = match &client.scopes {
        Some(configured) => configured.clone(),
        None => scp.split_ascii_whitespace().map(str::to_owned).collect(),
    };
    let grant = Grant {
        scopes: Some(scopes),
        ..Grant::of(user)
    };
    Ok(Signed::new(&client, grant))
}

/// A user the emulator makes on first use, named as an unknown token's user is.
fn mock_user(id: &str) -> User {
    User {
        id: id.to_owned(),
        name: format!("Mock User {id}"),
        login: format!("user{id}@example.com"),
    }
}

/// The user a client's delegated flows sign in as when nothing names one: stable per client id,
/// digits only (a user id that suits Box as well).
fn default_user(client_id: &str) -> User {
    let digest = Sha256::digest(format!("user-of:{client_id}").as_bytes());
    let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % 9_000_000_000
        + 1_000_000_000;
    mock_user(&n.to_string())
}

/// Makes `token` sign in as `signed`'s grant until `expires` (on the emulator's clock).
pub(crate) fn record(state: &AppState, token: &str, signed: &Signed, expires: DateTime<Utc>) {
    state.store.identity().register(
        token,
        signed.grant.clone(),
        &signed.client_id,
        expires,
        state.clock.now(),
    );
}
