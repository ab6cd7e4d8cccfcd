//! Identities behind tokens: the clients that sign in (client id and secret, optionally a public
//! key), the tokens the emulator issues to them, and who each token is (a user or an app).
//!
//! The token endpoints of both clouds (Box's `POST /oauth2/token` in [`crate::box_api`], the
//! Microsoft identity platform's) are thin translators over this module: they parse the grant,
//! ask here who the client is and what it may become, and hand the result back in their own
//! wire shape. Plain bearer tokens ([`crate::accounts`], `--tokens`) keep working beside issued
//! ones: an issued token is recognised by its prefix before the open sign-in is asked.
//!
//! # Clients
//! A client is configured in the fixture format's `clients` list ([`crate::fixture`]) or with
//! `PUT /__admin/clients` (`{"clients": [...]}`, replacing the list; `GET` reads it):
//!
//! | field | meaning |
//! |---|---|
//! | `id`, `secret` | required; a token request must present both |
//! | `public_key` | a PEM RSA public key (`PUBLIC KEY` or `RSA PUBLIC KEY`): JWT assertions of this client must carry a valid RS256 signature by its private key; without it, signatures are not checked |
//! | `user` | the user id the client signs in as when it asks for itself (Box's enterprise subject); absent: an app identity of its own |
//! | `roles` | application permissions of its app identity; absent: `Files.ReadWrite.All`, `Sites.ReadWrite.All` |
//! | `scopes` | what its tokens hold (`root_readwrite`, `Files.ReadWrite`, …); absent: everything |
//! | `token_lifetime` | seconds an access token lives, on the emulator's clock (default 3600) |
//!
//! With no configuration, any client id with any non-empty secret signs in, as an app identity of
//! its own per client id (the same id always gives the same app, as an unknown bearer token
//! always gives the same user) with the default roles. A configured id wants its secret
//! (`invalid_client` otherwise); an unknown id is refused too once sign-in is closed
//! (`--tokens`).
//!
//! # Identities and grants
//! Every token, plain or issued, resolves to a [`Grant`]: `user` is whose files it reaches,
//! `identity` says whether that is a user signed in ([`Identity::User`]) or an app acting with
//! application roles ([`Identity::App`]), whose `user` is then the app's own service account
//! (a user of its own, id derived from the client id: Box's enterprise subject). `scopes` and
//! `resource` restrict what it may do (a Box downscoped token holds both).
//!
//! # Issued tokens
//! [`Identities`] is the API the token endpoints use:
//!
//! - [`Identities::authenticate`]`(client_id, secret)` → the [`Client`] (or why not);
//!   [`Client::app_identity`] and [`Client::service_account`] give its app identity;
//! - [`Identities::issue`]`(grant, lifetime, now)` → an opaque access token with its expiry on
//!   the emulator's clock; [`Identities::issue_refresh`], [`Identities::issue_code`] and their
//!   single-use `redeem_*` counterparts;
//! - [`Identities::sign_in`]`(token, now)` → `None` for a token the emulator did not issue (the
//!   plain sign-in decides), else the grant or [`TokenRefused`] (expired, revoked, unknown);
//! - [`Identities::revoke`] drops an access or refresh token;
//! - [`Identities::register`] adds an access token minted elsewhere (a signed JWT), which then
//!   signs in, expires and is revoked like an issued one.
//!
//! The registry lives in the store beside the accounts (`VersionStore::identity`) and a full
//! reset empties it. Users that issued tokens sign in as (a service account, a subject user) are
//! accounts like any other and are kept by the durable store. The issued tokens, codes and
//! clients set through the admin API are not: after a restart on `--data-dir` an issued token
//! answers 401, and box_sdk_gen and the Microsoft libraries then sign in again by themselves
//! (clients come back from `--fixtures` with the rest of the configuration).

mod assertion;
mod clients;
mod tokens;

use std::sync::Arc;

#[cfg(doc)]
use crate::store::Grant;

pub use assertion::{Assertion, AssertionError, PublicKey};
pub use clients::{Client, ClientError, ClientRecord, DEFAULT_LIFETIME, DEFAULT_ROLES};
pub use tokens::{Identities, InvalidClient, Issued, TokenRefused};

/// Who a token acts as, beside the user whose files it reaches ([`crate::store::Grant`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Identity {
    /// A user signed in: plain bearer tokens, delegated flows, Box's user subject.
    #[default]
    User,
    /// An app with application permissions (client credentials, Box's enterprise subject): the
    /// grant's user is the app's service account.
    App {
        client_id: Arc<str>,
        roles: Arc<[String]>,
    },
}

/// One file or folder a token is restricted to (a Box downscoped token's `resource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub kind: crate::store::ItemKind,
    /// The item's id as the API prints it (Box's folder `0` is the root).
    pub id: String,
}
