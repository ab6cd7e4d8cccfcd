//! Accounts: the users bearer tokens sign in as, with which scopes, and whether a token nobody
//! listed may sign in at all (it may unless `--tokens` closed the list).
//!
//! Kept apart from the item tree so that every store shares one sign-in: a store owns an
//! `Accounts`, and a durable one persists what `sign_in` reports as new.
//!
//! # Users, tokens and scopes
//! Each bearer token is a user with their own Graph drive (`/me/drive`) and their own Box root
//! folder (`0`). By default any unknown non-empty token signs in as a new user whose id is
//! derived from the token (the same token always gives the same user), so parallel tests that
//! use different tokens never see each other's files: another user's items answer 404, like
//! items that do not exist.
//!
//! `--tokens FILE` closes sign-in to a list. The file is in the fixture format
//! ([`crate::fixture`]) with only a `users` section; then unlisted tokens get each API's 401, and
//! a token whose `scopes` lack write access gets each API's 403 on uploads, deletes, trash,
//! restore and promote while reads still work:
//!
//! | API | reads need one of | writes need one of |
//! |---|---|---|
//! | Graph | `Files.Read`, `Files.ReadWrite`, `Files.Read.All`, `Files.ReadWrite.All`, `Sites.Read.All`, `Sites.ReadWrite.All` | `Files.ReadWrite`, `Files.ReadWrite.All`, `Sites.ReadWrite.All` |
//! | Box | `root_readonly`, `root_readwrite` | `root_readwrite` |
//!
//! A user without `scopes` holds them all. Graph's shared drives want a `.All` scope
//! ([`crate::onedrive`] says which). Tokens listed in a fixture's `users` are added to the list;
//! they do not close sign-in by themselves.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::identity::{Identities, Identity, Resource};

/// A person that tokens sign in as. Shown as `createdBy`/`modified_by` and friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    pub login: String,
}

/// What a bearer token grants: who the caller is and, when restricted, which scopes it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Whose files the token reaches: the user, or an app's service account.
    pub user: Arc<User>,
    /// `None` means unrestricted (the default for tokens that sign in on first use). Shared, so
    /// that handing a grant to each request copies no strings.
    pub scopes: Option<Arc<[String]>>,
    /// A user signed in, or an app with application roles ([`crate::identity`]).
    pub identity: Identity,
    /// The one file or folder the token is restricted to (a Box downscoped token).
    pub resource: Option<Arc<Resource>>,
}

impl Grant {
    /// A user's unrestricted grant.
    pub fn of(user: Arc<User>) -> Self {
        Self {
            user,
            scopes: None,
            identity: Identity::User,
            resource: None,
        }
    }

    /// Whether the caller is an app acting with application permissions, not a user.
    pub fn is_app(&self) -> bool {
        matches!(self.identity, Identity::App { .. })
    }

    /// Whether the token holds any of `wanted`. An unrestricted token holds every scope.
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        match &self.scopes {
            None => true,
            Some(held) => held.iter().any(|s| wanted.contains(&s.as_str())),
        }
    }
}

/// One user and the tokens that sign in as them with one set of scopes: what a fixture loads
/// and what an export lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub id: String,
    /// `None` when loading means "the known user's, or the default" (`Mock User {id}`).
    pub name: Option<String>,
    pub login: Option<String>,
    pub tokens: Vec<String>,
    /// `None` means unrestricted.
    pub scopes: Option<Vec<String>>,
    /// Box's account fields beyond the name and login; all default for a user who signed in.
    #[serde(flatten)]
    pub profile: Profile,
}

/// What Box's user admin API (`POST`/`PUT /2.0/users`, [`crate::box_api`]) keeps about a user
/// beyond id, name and login. Users who sign in on first use have the default: an active
/// managed user without admin rights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Box's enterprise role: `admin` and `coadmin` may use the user admin API and `As-User`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub role: Role,
    /// An app user (Box's `is_platform_access_only`), made by an app's service account.
    #[serde(default, skip_serializing_if = "is_default")]
    pub app_user: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: UserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Deleted through `DELETE /2.0/users/{id}`: the user no longer signs in, lists or is
    /// found, but stays known so that what they did keeps its author (Box keeps a deleted
    /// user's mini object on items and events too).
    #[serde(default, skip_serializing_if = "is_default")]
    pub deleted: bool,
}

/// A user's enterprise role (Box's `role` on `User--Full`,
/// <https://developer.box.com/reference/resources/user--full/>).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Coadmin,
    #[default]
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coadmin => "coadmin",
            Self::User => "user",
        }
    }
}

/// A user's account status (Box's `status`). Kept and shown; it does not stop sign-in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    #[default]
    Active,
    Inactive,
    CannotDeleteEdit,
    CannotDeleteEditUpload,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::CannotDeleteEdit => "cannot_delete_edit",
            Self::CannotDeleteEditUpload => "cannot_delete_edit_upload",
        }
    }
}

impl Profile {
    /// Whether the user may manage users and act as others (`As-User`).
    pub fn is_admin(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coadmin)
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A user made through Box's `POST /2.0/users`. `login: None` makes an app user's login.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub login: Option<String>,
    pub profile: Profile,
}

/// A change of `PUT /2.0/users/{id}`: each `Some` replaces what the user has.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub status: Option<UserStatus>,
    pub job_title: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Why a user admin operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("the user is not known")]
    NotFound,
    #[error("another user has this login")]
    LoginTaken,
    #[error("the user still owns files or folders")]
    OwnsItems,
}

/// The token signs in as nobody: only with a closed token list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the token is not known")]
pub struct UnknownToken;

/// Why an account record was refused, with its index in the list loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AccountError {
    pub index: usize,
    pub message: String,
}

/// A successful sign-in. `new` says the token was not known before: a durable store writes the
/// user and token down before answering.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub grant: Grant,
    pub new: bool,
}

/// Users and tokens as plain data, so that a fixture load can work on a copy and swap it in
/// only when the whole fixture was accepted.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    users: HashMap<String, Arc<User>>,
    /// Only the users whose profile is not the default.
    profiles: HashMap<String, Profile>,
    tokens: HashMap<String, Grant>,
    /// With a fixed token list, unknown tokens are refused instead of signing in.
    closed: bool,
}

/// The accounts of one store: a `Directory` behind a read-write lock, and the `--tokens` list it
/// goes back to on a full reset.
///
/// Every request signs in, and only a token's first request writes, so sign-in takes the read
/// side only: it never waits for the store's own lock, which taking on every request made two
/// cores queue on (see git log "Sign in without the store's mutex").
#[derive(Debug, Default)]
pub struct Accounts {
    token_list: Option<Vec<AccountRecord>>,
    directory: RwLock<Directory>,
    /// Clients and the tokens issued to them; closed with the token list.
    identity: Identities,
}

impl Accounts {
    /// Any token signs in, as a user derived from the token.
    pub fn open() -> Self {
        Self::default()
    }

    /// Only the listed tokens sign in, now and after every reset.
    pub fn closed(list: Vec<AccountRecord>) -> Result<Self, AccountError> {
        let directory = Directory::closed(&list)?;
        Ok(Self {
            token_list: Some(list),
            directory: RwLock::new(directory),
            identity: Identities::new(false),
        })
    }

    /// Clients and issued tokens ([`crate::identity`]).
    pub fn identity(&self) -> &Identities {
        &self.identity
    }

    /// The user an issued token signs in as: the known one with `wanted`'s id, else `wanted`
    /// itself when `create` (an app's service account, or any user while sign-in is open).
    /// `new` says it was added: a durable store writes it down.
    /// A deleted user is nobody's subject.
    pub fn subject(&self, wanted: User, create: bool) -> Option<(Arc<User>, bool)> {
        {
            let directory = self.read();
            if directory.user(&wanted.id).is_some() {
                return directory.live(&wanted.id).map(|user| (user.clone(), false));
            }
        }
        let mut directory = self.directory.write().unwrap_or_else(|e| e.into_inner());
        if directory.user(&wanted.id).is_some() {
            return directory.live(&wanted.id).map(|user| (user.clone(), false));
        }
        create.then(|| (directory.intern(wanted), true))
    }

    /// Who `token` signs in as; a new token signs in as a new user unless the list is closed.
    pub fn sign_in(&self, token: &str) -> Result<SignIn, UnknownToken> {
        if let Some(grant) = self.read().tokens.get(token) {
            return Ok(SignIn {
                grant: grant.clone(),
                new: false,
            });
        }
        let mut directory = self.directory.write().unwrap_or_else(|e| e.into_inner());
        // Another request may have signed the same token in between the two locks.
        if let Some(grant) = directory.tokens.get(token) {
            return Ok(SignIn {
                grant: grant.clone(),
                new: false,
            });
        }
        if directory.closed {
            return Err(UnknownToken);
        }
        let user = directory.intern(user_for_token(token));
        let grant = Grant::of(user);
        directory.tokens.insert(token.to_owned(), grant.clone());
        Ok(SignIn { grant, new: true })
    }

    /// The directory as it is now, for reading under the lock.
    pub fn read(&self) -> RwLockReadGuard<'_, Directory> {
        self.directory.read().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy to change and `replace` with, for changes that must apply whole or not at all.
    pub fn draft(&self) -> Directory {
        self.read().clone()
    }

    pub fn replace(&self, directory: Directory) {
        *self.directory.write().unwrap_or_else(|e| e.into_inner()) = directory;
    }

    /// What a full reset goes back to: the token list, or nobody.
    pub fn fresh(&self) -> Directory {
        match &self.token_list {
            Some(list) => Directory::closed(list).expect("the token list loaded at start"),
            None => Directory::default(),
        }
    }
}

impl Directory {
    fn closed(list: &[AccountRecord]) -> Result<Self, AccountError> {
        let mut directory = Self {
            closed: true,
            ..Self::default()
        };
        directory.load(list)?;
        Ok(directory)
    }

    pub fn user(&self, id: &str) -> Option<&Arc<User>> {
        self.users.get(id)
    }

    /// Every user, in no particular order.
    pub fn users(&self) -> impl Iterator<Item = &Arc<User>> {
        self.users.values()
    }

    /// The user with this id unless they were deleted.
    pub fn live(&self, id: &str) -> Option<&Arc<User>> {
        self.users.get(id).filter(|_| !self.profile(id).deleted)
    }

    /// What Box's user admin API keeps about the user (the default for most).
    pub fn profile(&self, id: &str) -> &Profile {
        static DEFAULT: Profile = Profile {
            role: Role::User,
            app_user: false,
            status: UserStatus::Active,
            job_title: None,
            phone: None,
            address: None,
            deleted: false,
        };
        self.profiles.get(id).unwrap_or(&DEFAULT)
    }

    fn set_profile(&mut self, id: &str, profile: Profile) {
        match profile == Profile::default() {
            true => self.profiles.remove(id),
            false => self.profiles.insert(id.to_owned(), profile),
        };
    }

    /// Makes a user (Box's `POST /2.0/users`) with the first free id from `seed`: users made
    /// the same way in the same order get the same ids. An app user's login is made up in
    /// Box's form, `AppUser_{service id}_{10 characters}@boxdevedition.com`
    /// (<https://developer.box.com/guides/authentication/user-types/app-users/>), with the
    /// id standing in for the service id.
    pub fn create(&mut self, new: NewUser, seed: &str) -> Result<Arc<User>, UserError> {
        if let Some(login) = &new.login {
            if self.login_taken(login, None) {
                return Err(UserError::LoginTaken);
            }
        }
        let mut n = user_for_token(&format!("{seed}\n{}", self.users.len()))
            .id
            .parse::<u64>()
            .expect("digits");
        while self.users.contains_key(&n.to_string()) {
            n += 1;
        }
        let id = n.to_string();
        let login = new.login.unwrap_or_else(|| {
            let digest = Sha256::digest(id.as_bytes());
            let tail: String = digest
                .iter()
                .take(10)
                .map(|b| {
                    char::from(
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[*b as usize % 52],
                    )
                })
                .collect();
            format!("AppUser_{id}_{tail}@boxdevedition.com")
        });
        let user = self.intern(User {
            id: id.clone(),
            name: new.name,
            login,
        });
        self.set_profile(&id, new.profile);
        Ok(user)
    }

    /// Whether a live user other than `except` signs in with `login` (case aside, as Box
    /// compares logins).
    fn login_taken(&self, login: &str, except: Option<&str>) -> bool {
        self.users.values().any(|user| {
            user.login.eq_ignore_ascii_case(login)
                && Some(user.id.as_str()) != except
                && !self.profile(&user.id).deleted
        })
    }

    /// Applies `PUT /2.0/users/{id}`. A new name makes a new `User`, which requests pick up
    /// from here; what the user did before keeps, in the store, the name they had then (both
    /// faces show the new one there too, looking the user up as they write a reply:
    /// `crate::names`).
    pub fn update(&mut self, id: &str, change: UserChange) -> Result<Arc<User>, UserError> {
        let user = self.live(id).ok_or(UserError::NotFound)?.clone();
        let mut profile = self.profile(id).clone();
        let user = match change.name {
            Some(name) if name != user.name => self.rename(&user, name),
            _ => user,
        };
        if let Some(role) = change.role {
            profile.role = role;
        }
        if let Some(status) = change.status {
            profile.status = status;
        }
        for (kept, new) in [
            (&mut profile.job_title, change.job_title),
            (&mut profile.phone, change.phone),
            (&mut profile.address, change.address),
        ] {
            if let Some(new) = new {
                *kept = Some(new).filter(|text| !text.is_empty());
            }
        }
        self.set_profile(id, profile);
        Ok(user)
    }

    /// Marks the user deleted and drops their tokens (the store removes their files).
    pub fn delete(&mut self, id: &str) -> Result<Arc<User>, UserError> {
        let user = self.live(id).ok_or(UserError::NotFound)?.clone();
        let mut profile = self.profile(id).clone();
        profile.deleted = true;
        self.set_profile(id, profile);
        self.tokens.retain(|_, grant| grant.user.id != id);
        Ok(user)
    }

    /// Gives a known user a new name: a new `User`, which their tokens sign in as from now on.
    fn rename(&mut self, user: &User, name: String) -> Arc<User> {
        let renamed = Arc::new(User {
            name,
            ..user.clone()
        });
        self.users.insert(user.id.clone(), renamed.clone());
        for grant in self.tokens.values_mut().filter(|g| g.user.id == user.id) {
            grant.user = renamed.clone();
        }
        renamed
    }

    /// Every token and what it grants, in no particular order.
    pub fn tokens(&self) -> impl Iterator<Item = (&String, &Grant)> {
        self.tokens.iter()
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The shared `User` with this id, added if new.
    fn intern(&mut self, user: User) -> Arc<User> {
        self.users
            .entry(user.id.clone())
            .or_insert_with(|| Arc::new(user))
            .clone()
    }

    /// Adds users and their tokens. A user already known may be listed again with the same name
    /// and login (or none); a token may not move to another user.
    pub fn load(&mut self, records: &[AccountRecord]) -> Result<(), AccountError> {
        for (index, record) in records.iter().enumerate() {
            self.load_one(record)
                .map_err(|message| AccountError { index, message })?;
        }
        Ok(())
    }

    /// Adds the users and tokens a data dir kept to the `--tokens` list already loaded. Unlike a
    /// fixture, a kept user's name wins over the list's: it is newer (a `PUT /2.0/users/{id}`
    /// renamed them after the list was written), and refusing it would refuse the data dir.
    pub fn load_kept(&mut self, records: &[AccountRecord]) -> Result<(), AccountError> {
        for (index, record) in records.iter().enumerate() {
            let renamed = match (&record.name, self.users.get(&record.id)) {
                (Some(name), Some(known))
                    if *name != known.name
                        && record.login.as_ref().is_none_or(|l| *l == known.login) =>
                {
                    Some((known.clone(), name.clone()))
                }
                _ => None,
            };
            if let Some((known, name)) = renamed {
                self.rename(&known, name);
            }
            self.load_one(record)
                .map_err(|message| AccountError { index, message })?;
        }
        Ok(())
    }

    fn load_one(&mut self, record: &AccountRecord) -> Result<(), String> {
        if record.id.trim().is_empty() {
            return Err("the user id is empty".to_owned());
        }
        let user = match self.users.get(&record.id) {
            Some(known)
                if record.name.as_ref().is_none_or(|name| *name == known.name)
                    && record
                        .login
                        .as_ref()
                        .is_none_or(|login| *login == known.login) =>
            {
                known.clone()
            }
            Some(_) => {
                return Err(
                    "a user with this id already exists with another name or login".to_owned(),
                )
            }
            None => self.intern(User {
                id: record.id.clone(),
                name: (record.name.clone()).unwrap_or_else(|| format!("Mock User {}", record.id)),
                login: (record.login.clone()).unwrap_or_else(|| match record.profile.app_user {
                    true => format!("AppUser_{}@boxdevedition.com", record.id),
                    false => format!("user{}@example.com", record.id),
                }),
            }),
        };
        // A user listed again without a profile keeps theirs.
        if record.profile != Profile::default() {
            self.set_profile(&user.id, record.profile.clone());
        }
        for token in &record.tokens {
            if token.trim().is_empty() {
                return Err("a token is empty".to_owned());
            }
            if let Some(other) = self.tokens.get(token).filter(|g| g.user.id != user.id) {
                return Err(format!(
                    "a token already signs in as user {}",
                    other.user.id
                ));
            }
            let grant = Grant {
                scopes: record.scopes.as_deref().map(Arc::from),
                ..Grant::of(user.clone())
            };
            self.tokens.insert(token.clone(), grant);
        }
        Ok(())
    }

    /// Every user (or only `only`) with their tokens, grouped by scopes; sorted, so that an export
    /// repeats byte for byte.
    pub fn list(&self, only: Option<&str>) -> Vec<AccountRecord> {
        let wanted = |id: &str| only.is_none_or(|only| only == id);
        let mut records: BTreeMap<(String, Option<Vec<String>>), AccountRecord> = BTreeMap::new();
        let mut tokens: Vec<(&String, &Grant)> = self
            .tokens
            .iter()
            .filter(|(_, g)| wanted(&g.user.id))
            .collect();
        tokens.sort_by(|a, b| a.0.cmp(b.0));
        for (token, grant) in tokens {
            let scopes = grant.scopes.as_deref().map(<[String]>::to_vec);
            records
                .entry((grant.user.id.clone(), scopes.clone()))
                .or_insert_with(|| record_of(&grant.user, scopes))
                .tokens
                .push(token.clone());
        }
        let mut known: Vec<&Arc<User>> = self.users.values().filter(|u| wanted(&u.id)).collect();
        known.sort_by(|a, b| a.id.cmp(&b.id));
        for user in known {
            if !records.keys().any(|(id, _)| *id == user.id) {
                records.insert((user.id.clone(), None), record_of(user, None));
            }
        }
        records
            .into_values()
            .map(|record| AccountRecord {
                profile: self.profile(&record.id).clone(),
                ..record
            })
            .collect()
    }
}

fn record_of(user: &User, scopes: Option<Vec<String>>) -> AccountRecord {
    AccountRecord {
        id: user.id.clone(),
        name: Some(user.name.clone()),
        login: Some(user.login.clone()),
        tokens: Vec::new(),
        scopes,
        profile: Profile::default(),
    }
}

/// A user id for a token that signs in on first use: stable across runs, digits only so that it
/// suits Box as well as Graph.
fn user_for_token(token: &str) -> User {
    let digest = Sha256::digest(token.as_bytes());
    let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % 9_000_000_000
        + 1_000_000_000;
    User {
        id: n.to_string(),
        name: format!("Mock User {n}"),
        login: format!("user{n}@example.com"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ada(tokens: &[&str]) -> AccountRecord {
        AccountRecord {
            id: "42".into(),
            name: Some("Ada".into()),
            login: None,
            tokens: tokens.iter().map(|t| t.to_string()).collect(),
            scopes: None,
            profile: Profile::default(),
        }
    }

    #[test]
    fn an_open_directory_signs_a_token_in_once_as_the_same_user() {
        let accounts = Accounts::open();
        let first = accounts.sign_in("t").unwrap();
        let again = accounts.sign_in("t").unwrap();
        assert!(first.new && !again.new);
        assert_eq!(first.grant, again.grant);
        assert_eq!(first.grant.user.id, user_for_token("t").id);
    }

    #[test]
    fn a_closed_list_refuses_other_tokens_and_comes_back_on_reset() {
        let accounts = Accounts::closed(vec![ada(&["ada"])]).unwrap();
        assert_eq!(accounts.sign_in("ada").unwrap().grant.user.name, "Ada");
        assert_eq!(accounts.sign_in("eve").unwrap_err(), UnknownToken);
        accounts.replace(accounts.fresh());
        assert!(accounts.sign_in("ada").is_ok());
    }

    #[test]
    fn a_kept_rename_wins_over_the_token_list_but_a_fixture_may_not_rename() {
        let mut directory = Directory::closed(&[ada(&["t"])]).unwrap();
        let renamed = AccountRecord {
            name: Some("Ada L.".into()),
            tokens: Vec::new(),
            ..ada(&[])
        };
        let refused = directory.clone().load(std::slice::from_ref(&renamed));
        assert!(refused.unwrap_err().message.contains("another name"));
        directory.load_kept(&[renamed]).unwrap();
        assert_eq!(directory.tokens().next().unwrap().1.user.name, "Ada L.");
    }

    #[test]
    fn a_token_cannot_move_to_another_user() {
        let mut directory = Directory::default();
        directory.load(&[ada(&["t"])]).unwrap();
        let bob = AccountRecord {
            id: "7".into(),
            ..ada(&["t"])
        };
        let error = directory.load(&[bob]).unwrap_err();
        assert_eq!(error.message, "a token already signs in as user 42");
    }

    fn app_user(name: &str) -> NewUser {
        NewUser {
            name: name.into(),
            login: None,
            profile: Profile {
                app_user: true,
                ..Profile::default()
            },
        }
    }

    #[test]
    fn made_users_get_free_ids_repeatably_and_logins_are_unique_case_aside() {
        let make = || {
            let mut directory = Directory::default();
            let first = directory.create(app_user("A"), "seed").unwrap();
            let second = directory.create(app_user("B"), "seed").unwrap();
            (directory, first, second)
        };
        let (mut directory, first, second) = make();
        let (_, again, _) = make();
        assert_ne!(first.id, second.id);
        assert_eq!(first.id, again.id);
        assert!(first.login.starts_with(&format!("AppUser_{}_", first.id)));
        let managed = |login: &str| NewUser {
            name: "M".into(),
            login: Some(login.into()),
            profile: Profile::default(),
        };
        directory.create(managed("m@example.com"), "seed").unwrap();
        let taken = directory.create(managed("M@Example.com"), "seed");
        assert_eq!(taken.unwrap_err(), UserError::LoginTaken);
    }

    #[test]
    fn a_deleted_user_loses_their_tokens_and_is_no_subject_but_stays_known() {
        let accounts = Accounts::open();
        let mut directory = accounts.draft();
        directory.load(&[ada(&["t"])]).unwrap();
        directory.delete("42").unwrap();
        accounts.replace(directory);
        assert!(accounts.read().user("42").is_some());
        assert!(accounts.read().live("42").is_none());
        assert!(accounts.subject(user_for_token("x"), false).is_none());
        let ada = User {
            id: "42".into(),
            name: "Ada".into(),
            login: "a@example.com".into(),
        };
        assert!(accounts.subject(ada, true).is_none());
        // The token is no longer Ada's: it signs in as any unknown token does (sign-in is open).
        let again = accounts.sign_in("t").unwrap();
        assert!(again.new && again.grant.user.id != "42");
        // A listed record round-trips the deletion.
        let listed = accounts.read().list(Some("42"));
        assert!(listed[0].profile.deleted);
    }
}
