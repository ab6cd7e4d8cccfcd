//! Box shared links on the tree: setting one with a rename or move as one change, and opening
//! an item by its link. The link itself is `store::shared_link`; it is kept in `Sharing`.

use chrono::{DateTime, Utc};

use super::{NodeKind, SpaceOwner, Tree};
use crate::store::domain::{Face, ItemId, ItemView, Space};
use crate::store::shared_link::{LinkAccess, SharedLink, SharedLinkChange, SharedLinkError};
use crate::store::sharing::SharingError;
use crate::store::{StoreError, User};

impl Tree {
    /// The item's shared link while it lives on the clock.
    pub(super) fn live_shared_link(&self, id: ItemId) -> Option<&SharedLink> {
        (self.sharing.shared_link(id)).filter(|link| link.live(self.now()))
    }

    /// The link an item will have after `link` (`None`: none), checked against the link it has
    /// before anything is written (`update_item` applies it with `apply_shared_link`).
    pub fn plan_shared_link(
        &self,
        space: &Space,
        id: ItemId,
        link: SharedLinkChange,
        now: DateTime<Utc>,
    ) -> Result<Option<SharedLink>, StoreError> {
        let node = self.node(space, id)?;
        let is_file = matches!(node.kind, NodeKind::File(_));
        Ok(match link {
            SharedLinkChange::Remove => None,
            SharedLinkChange::Set(edit) => {
                let existing = self.live_shared_link(id);
                let by = &space.actor.id;
                let link = SharedLink::edited(id, existing, edit, is_file, String::new, by, now)
                    .map_err(SharingError::from)?;
                Some(link)
            }
        })
    }

    /// Gives the item its planned link, a new one its id. A change bumps the item's etag (Box's
    /// fixtures show a new `etag` after one; the emulator follows them).
    pub fn apply_shared_link(&mut self, id: ItemId, planned: Option<SharedLink>) {
        let planned = planned.map(|mut link| {
            if link.id.is_empty() {
                link.id = self.sharing_mut().new_id();
            }
            link
        });
        if self.sharing.shared_link(id) != planned.as_ref() {
            self.sharing_mut().set_shared_link(id, planned);
            self.bump(id);
        }
    }

    /// The Box item a live shared link opens, by the link's id, for `viewer` (`None`: no token).
    /// An `open` link opens it to anyone, a `company` one to any signed-in user (the emulator
    /// is one enterprise), a `collaborators` one to its owner alone (there are no
    /// collaborations); to anyone else, as for a removed, expired or trashed link, it is not
    /// there. A link with a password wants it (`IncorrectPassword`).
    pub fn shared_item(
        &self,
        link: &str,
        password: Option<&str>,
        viewer: Option<&User>,
    ) -> Result<ItemView, StoreError> {
        let link = (self.sharing.shared_link_by_id(link))
            .filter(|link| link.live(self.now()))
            .ok_or(StoreError::ItemNotFound)?;
        let node = (self.items.get(&link.item))
            .filter(|node| node.face == Face::Box && !self.in_trash(link.item))
            .ok_or(StoreError::ItemNotFound)?;
        let owner = matches!((&node.owner, viewer),
            (SpaceOwner::User(owner), Some(viewer)) if owner.id == viewer.id);
        let reaches = match link.access {
            LinkAccess::Open => true,
            LinkAccess::Company => viewer.is_some(),
            LinkAccess::Collaborators => owner,
        };
        if !reaches {
            return Err(StoreError::ItemNotFound);
        }
        if link.password.is_some() && link.password.as_deref() != password {
            return Err(SharingError::from(SharedLinkError::IncorrectPassword).into());
        }
        Ok(self.view_for(viewer.map(|v| v.id.as_str()), link.item))
    }
}
