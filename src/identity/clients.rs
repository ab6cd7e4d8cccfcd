//! Clients: who may ask for a token, with which secret and key, and what it signs in as.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::assertion::PublicKey;
use super::Identity;
use crate::store::User;

/// The application roles an app identity holds unless its client says otherwise: what a real app
/// granted these permissions reaches (every user's drive, every site).
pub const DEFAULT_ROLES: [&str; 2] = ["Files.ReadWrite.All", "Sites.ReadWrite.All"];

/// An access token's lifetime unless its client says otherwise: an hour, as both clouds give.
pub const DEFAULT_LIFETIME: u64 = 3600;

/// The longest lifetime a client may ask for (a day): no real token lives longer, and it keeps
/// expiry arithmetic far from overflow.
const MAX_LIFETIME: u64 = 86_400;

/// A client as configured: the fixture's `clients` entries and `/__admin/clients`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRecord {
    pub id: String,
    pub secret: String,
    /// PEM; when set, JWT assertions must be signed by the matching private key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The user it signs in as for itself; absent: an app identity of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Application roles of its app identity; absent: [`DEFAULT_ROLES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// Scopes its tokens hold; absent: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// Seconds an access token lives; absent: [`DEFAULT_LIFETIME`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime: Option<u64>,
}

/// Why a client list was refused, with the index of the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("clients[{index}]: {message}")]
pub struct ClientError {
    pub index: usize,
    pub message: String,
}

/// A client that signed in (or may): its record checked, its key parsed.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: Arc<str>,
    /// `None` for a client nobody configured: any non-empty secret is its secret.
    secret: Option<String>,
    pub public_key: Option<Arc<PublicKey>>,
    /// The user id it signs in as for itself; `None`: its service account.
    pub user: Option<String>,
    pub roles: Arc<[String]>,
    pub scopes: Option<Arc<[String]>>,
    /// Seconds.
    pub token_lifetime: u64,
}

impl Client {
    /// A client nobody configured, signing in on first use like an unknown bearer token.
    pub(crate) fn open(id: &str) -> Self {
        Self {
            id: Arc::from(id),
            secret: None,
            public_key: None,
            user: None,
            roles: DEFAULT_ROLES.iter().map(|r| r.to_string()).collect(),
            scopes: None,
            token_lifetime: DEFAULT_LIFETIME,
        }
    }

    fn from_record(record: &ClientRecord) -> Result<Self, String> {
        if record.id.trim().is_empty() {
            return Err("the client id is empty".to_owned());
        }
        if record.secret.is_empty() {
            return Err("the secret is empty".to_owned());
        }
        if record.user.as_ref().is_some_and(|u| u.trim().is_empty()) {
            return Err("the user id is empty".to_owned());
        }
        let token_lifetime = record.token_lifetime.unwrap_or(DEFAULT_LIFETIME);
        if !(1..=MAX_LIFETIME).contains(&token_lifetime) {
            return Err(format!(
                "token_lifetime must be between 1 and {MAX_LIFETIME} seconds"
            ));
        }
        let public_key = match &record.public_key {
            None => None,
            Some(pem) => Some(Arc::new(
                PublicKey::from_pem(pem).map_err(|e| format!("public_key: {e}"))?,
            )),
        };
        let mut client = Self::open(&record.id);
        client.secret = Some(record.secret.clone());
        client.public_key = public_key;
        client.user.clone_from(&record.user);
        if let Some(roles) = &record.roles {
            client.roles = Arc::from(roles.as_slice());
        }
        client.scopes = record.scopes.as_deref().map(Arc::from);
        client.token_lifetime = token_lifetime;
        Ok(client)
    }

    /// Whether `secret` is this client's. A client nobody configured takes any non-empty one.
    /// Compared in constant time: the emulator is no vault, but a comparison that leaks the
    /// secret's prefix would be a bad example to copy.
    pub fn secret_matches(&self, secret: &str) -> bool {
        match &self.secret {
            None => !secret.is_empty(),
            Some(own) => {
                own.len() == secret.len()
                    && own
                        .bytes()
                        .zip(secret.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            }
        }
    }

    /// The identity of the app itself (client credentials, Box's enterprise subject).
    pub fn app_identity(&self) -> Identity {
        Identity::App {
            client_id: self.id.clone(),
            roles: self.roles.clone(),
        }
    }

    /// The app's own service account: a user whose id is derived from the client id (digits
    /// only, so it suits Box as well as Graph), the same on every run.
    pub fn service_account(&self) -> User {
        let digest = Sha256::digest(format!("client:{}", self.id).as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % 9_000_000_000
            + 1_000_000_000;
        User {
            id: n.to_string(),
            name: format!("Service Account {}", self.id),
            // The shape of a real Box service account's login.
            login: format!("AutomationUser_{n}@boxdevedition.com"),
        }
    }

    fn record(&self) -> ClientRecord {
        ClientRecord {
            id: self.id.to_string(),
            secret: self.secret.clone().unwrap_or_default(),
            public_key: self.public_key.as_ref().map(|k| k.pem().to_owned()),
            user: self.user.clone(),
            roles: Some(self.roles.to_vec()),
            scopes: self.scopes.as_deref().map(<[String]>::to_vec),
            token_lifetime: Some(self.token_lifetime),
        }
    }
}

/// The configured clients, by id.
#[derive(Debug, Default)]
pub(crate) struct Clients {
    by_id: HashMap<Arc<str>, Client>,
    /// In configuration order, for listing.
    order: Vec<Arc<str>>,
}

impl Clients {
    /// The clients of `records`, all checked first: a refused list changes nothing.
    pub(crate) fn from_records(records: &[ClientRecord]) -> Result<Self, ClientError> {
        let mut clients = Self::default();
        for (index, record) in records.iter().enumerate() {
            let client =
                Client::from_record(record).map_err(|message| ClientError { index, message })?;
            if clients.by_id.contains_key(&client.id) {
                return Err(ClientError {
                    index,
                    message: format!("the client id {:?} is listed twice", client.id),
                });
            }
            clients.order.push(client.id.clone());
            clients.by_id.insert(client.id.clone(), client);
        }
        Ok(clients)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Client> {
        self.by_id.get(id)
    }

    /// Adds `more` (checked as a whole first), replacing clients with the same id.
    pub(crate) fn extend(&mut self, more: Self) {
        for id in more.order {
            if let Some(client) = more.by_id.get(&id) {
                if !self.by_id.contains_key(&id) {
                    self.order.push(id.clone());
                }
                self.by_id.insert(id, client.clone());
            }
        }
    }

    pub(crate) fn records(&self) -> Vec<ClientRecord> {
        (self.order.iter())
            .filter_map(|id| self.by_id.get(id))
            .map(Client::record)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> ClientRecord {
        ClientRecord {
            id: id.into(),
            secret: "s3cret".into(),
            public_key: None,
            user: None,
            roles: None,
            scopes: None,
            token_lifetime: None,
        }
    }

    #[test]
    fn a_configured_client_wants_its_own_secret_and_an_open_one_any() {
        let clients = Clients::from_records(&[record("app")]).unwrap();
        let app = clients.get("app").unwrap();
        assert!(app.secret_matches("s3cret"));
        assert!(!app.secret_matches("s3cres"));
        assert!(!app.secret_matches("s3cret!"));
        let open = Client::open("other");
        assert!(open.secret_matches("anything"));
        assert!(!open.secret_matches(""));
    }

    #[test]
    fn a_list_is_refused_whole_naming_the_entry() {
        for (records, expected, reason) in [
            (
                vec![record("a"), record("a")],
                "clients[1]: the client id \"a\" is listed twice",
                "duplicate id",
            ),
            (
                vec![ClientRecord {
                    secret: String::new(),
                    ..record("a")
                }],
                "clients[0]: the secret is empty",
                "empty secret",
            ),
            (
                vec![ClientRecord {
                    token_lifetime: Some(0),
                    ..record("a")
                }],
                "clients[0]: token_lifetime must be between 1 and 86400 seconds",
                "zero lifetime",
            ),
            (
                vec![ClientRecord {
                    public_key: Some("not a key".into()),
                    ..record("a")
                }],
                "clients[0]: public_key: the key is not PEM",
                "broken key",
            ),
        ] {
            let error = Clients::from_records(&records).unwrap_err();
            assert_eq!(error.to_string(), expected, "{reason}");
        }
    }

    #[test]
    fn a_service_account_is_the_same_for_the_same_client() {
        let a = Client::open("app").service_account();
        assert_eq!(a, Client::open("app").service_account());
        assert_ne!(a.id, Client::open("other").service_account().id);
        assert!(a.id.bytes().all(|b| b.is_ascii_digit()), "{}", a.id);
    }
}
