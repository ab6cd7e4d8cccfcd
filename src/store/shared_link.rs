//! Box shared links: one per file or folder, opening it to whoever holds its URL
//! (<https://developer.box.com/guides/shared-links/>). Kept in `sharing::Sharing` beside the
//! Graph face's permissions, numbered from the same counter, so that a link's URL is the same
//! signed `/_share/{token}` a Graph sharing link has (`download::links::LinkSigner::share_token`).
//!
//! A link lives until it is removed, or until its `unshared_at` passes on the emulator's clock;
//! while its item is in the trash it is kept but opens nothing (Box does not say; the emulator
//! treats it as Graph's links, which the trash also silences, pinned by
//! `a_trashed_items_link_opens_nothing_until_it_is_restored`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::domain::ItemId;

/// Who a link opens the item to (`access` in
/// <https://developer.box.com/reference/put-files-id--add-shared-link/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkAccess {
    /// Anyone with the URL.
    Open,
    /// Signed-in users of the same enterprise: every user of the emulator.
    Company,
    /// Only the item's collaborators: the emulator has none, so only its owner.
    Collaborators,
}

/// A file's or folder's shared link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLink {
    /// From the sharing counter: the share token signs it, so a removed link's URL never
    /// comes back.
    pub id: String,
    pub item: ItemId,
    pub access: LinkAccess,
    /// Kept as given: the emulator holds test data, not secrets.
    pub password: Option<String>,
    pub unshared_at: Option<DateTime<Utc>>,
    pub can_download: bool,
    pub can_edit: bool,
    /// The user id of who made it.
    pub created_by: String,
}

impl SharedLink {
    /// Whether it still opens the item at `now`.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.unshared_at.is_none_or(|at| now < at)
    }
}

/// What `PUT /files/{id}` or `/folders/{id}` asks of the link: keys left out (`None`) keep the
/// link's value, or the default on a new link; `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedLinkEdit {
    pub access: Option<LinkAccess>,
    pub password: Option<Option<String>>,
    pub unshared_at: Option<Option<DateTime<Utc>>>,
    pub can_download: Option<bool>,
    pub can_edit: Option<bool>,
}

/// Set (create or change) the item's link, or remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedLinkChange {
    Set(SharedLinkEdit),
    Remove,
}

/// Why a link was not set or not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SharedLinkError {
    /// `can_download` without `open` or `company` access, or `can_edit` without
    /// `can_download` or on a folder (<https://developer.box.com/guides/shared-links/permissions/>).
    #[error("incorrect permission combination")]
    Permissions,
    /// A password is only taken on an `open` link.
    #[error("a password needs open access")]
    PasswordNeedsOpen,
    /// `unshared_at` must lie in the future.
    #[error("unshared_at is not in the future")]
    PastUnsharedAt,
    /// The link has a password and the request did not give it.
    #[error("incorrect shared item password")]
    IncorrectPassword,
}

impl SharedLink {
    /// The link `edit` makes of `item`'s `existing` one (a live link, or `None` for a new one),
    /// checked.
    pub fn edited(
        item: ItemId,
        existing: Option<&SharedLink>,
        edit: SharedLinkEdit,
        is_file: bool,
        new_id: impl FnOnce() -> String,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<SharedLink, SharedLinkError> {
        let access = edit
            .access
            .or(existing.map(|l| l.access))
            .unwrap_or(LinkAccess::Open);
        let open = access == LinkAccess::Open;
        // A password set before goes when access leaves `open`: box_sdk_gen's
        // test/shared_links_files.py switches a password link to `collaborators` without error.
        let password = match edit.password {
            Some(Some(_)) if !open => return Err(SharedLinkError::PasswordNeedsOpen),
            Some(password) => password,
            None => existing.and_then(|l| l.password.clone()).filter(|_| open),
        };
        let unshared_at = match edit.unshared_at {
            Some(Some(at)) if at <= now => return Err(SharedLinkError::PastUnsharedAt),
            Some(at) => at,
            None => existing.and_then(|l| l.unshared_at),
        };
        let downloadable = access != LinkAccess::Collaborators;
        let can_download = match edit.can_download {
            Some(can) => can,
            None => existing.map_or(downloadable, |l| l.can_download && downloadable),
        };
        let can_edit = match edit.can_edit {
            Some(can) => can,
            None => existing.is_some_and(|l| l.can_edit) && can_download,
        };
        let id = match existing {
            Some(link) => link.id.clone(),
            None => new_id(),
        };
        let link = SharedLink {
            id,
            item,
            access,
            password,
            unshared_at,
            can_download,
            can_edit,
            created_by: existing.map_or_else(|| by.to_owned(), |l| l.created_by.clone()),
        };
        link.check(is_file)?;
        Ok(link)
    }

    /// Whether the link's settings go together, whatever the clock says: a password only on an
    /// `open` link, `can_download` only with `open` or `company` access, `can_edit` only on a
    /// file and with `can_download`. A fixture's link is checked with this alone (its
    /// `unshared_at` may have passed: an export keeps a lapsed link).
    pub fn check(&self, is_file: bool) -> Result<(), SharedLinkError> {
        if self.password.is_some() && self.access != LinkAccess::Open {
            return Err(SharedLinkError::PasswordNeedsOpen);
        }
        let downloadable = self.access != LinkAccess::Collaborators;
        if (self.can_download && !downloadable)
            || (self.can_edit && (!self.can_download || !is_file))
        {
            return Err(SharedLinkError::Permissions);
        }
        Ok(())
    }
}
