//! Box collaborations on the tree: a user invited to another user's file or folder, kept as a
//! `Permission` with an invitation grantee (the machinery Graph's invitations use) and a
//! `Collaboration` beside it for Box's role and status. Here they meet the items: who may
//! make, change and remove them, and what a collaborator reaches (the item and what is below
//! it, in its owner's space, as far as the role goes).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{is_kind, Tree};
use crate::store::change_log::ChangeKind;
use crate::store::domain::{Face, ItemId, ItemKind, Listing, Space, SpaceOwner, Window};
use crate::store::inspect::CollaboratorSummary;
use crate::store::sharing::{
    BoxRole, BoxTarget, CollabStatus, Collaboration, CollaborationEdit, CollaborationView,
    Collaborator, Grantee, NewCollaboration, Permission, SharingError,
};
use crate::store::{StoreError, User};

/// How the caller stands to one collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Standing {
    /// The item's owner, or a collaborator whose role invites.
    manages: bool,
    /// The collaboration's own collaborator (or, pending, the invited login).
    invitee: bool,
    /// Reaches the item at all.
    sees: bool,
}

impl Tree {
    /// The role `actor` holds on `item` through the live (accepted, unexpired) collaborations
    /// on it and the folders above it, all together (`BoxRole::join`).
    pub(super) fn collab_role(
        &self,
        actor: &str,
        item: ItemId,
        now: DateTime<Utc>,
    ) -> Option<BoxRole> {
        (self.lineage(item).into_iter())
            .flat_map(|at| self.sharing.collaborations_on(at))
            .filter(|p| p.live(now))
            .filter(|p| matches!(&p.grantee, Grantee::Invitation { user, .. } if user.id == actor))
            .filter_map(|p| p.collab.as_ref().map(|c| c.box_role))
            .reduce(BoxRole::join)
    }

    /// Another user's Box item that `actor` collaborates on (or the file a comment, task or
    /// assignment is on): the owner's space with `actor` acting, and the role. `None` for the
    /// actor's own items, unknown or trashed ones, and items no collaboration opens.
    pub fn box_reach(
        &self,
        actor: &Arc<User>,
        target: BoxTarget,
        now: DateTime<Utc>,
    ) -> Option<(Space, BoxRole)> {
        let item = match target {
            BoxTarget::Item(item) => item,
            BoxTarget::Comment(id) => self.sharing.comment(id)?.file,
            BoxTarget::Task(id) => self.sharing.tasks().task(id)?.file,
            BoxTarget::TaskAssignment(id) => self.sharing.tasks().assignment(id)?.file,
        };
        let node = self.items.get(&item)?;
        let SpaceOwner::User(owner) = &node.owner else {
            return None;
        };
        if node.face != Face::Box || owner.id == actor.id || self.in_trash(item) {
            return None;
        }
        let role = self.collab_role(&actor.id, item, now)?;
        let space = Space {
            face: Face::Box,
            owner: node.owner.clone(),
            actor: actor.clone(),
        };
        Some((space, role))
    }

    /// The items others collaborate `actor` into that show in their "All Files" (not
    /// `is_access_only`), each once, and none below another of them.
    pub(super) fn collaborated_tops(&self, actor: &str, now: DateTime<Utc>) -> Vec<ItemId> {
        let mut items: Vec<ItemId> = (self.sharing.collaborations())
            .filter(|p| p.live(now) && p.collab.as_ref().is_some_and(|c| !c.is_access_only))
            .filter(|p| matches!(&p.grantee, Grantee::Invitation { user, .. } if user.id == actor))
            .map(|p| p.item)
            .filter(|id| self.items.contains_key(id) && !self.in_trash(*id))
            .collect();
        items.sort();
        items.dedup();
        let all = items.clone();
        items.retain(|id| {
            !self.lineage(*id)[1..]
                .iter()
                .any(|above| all.contains(above))
        });
        items
    }

    /// Whether `actor` owns `item` or holds a role on it that invites others.
    fn manages(&self, actor: &str, item: ItemId, now: DateTime<Utc>) -> bool {
        let owns = (self.items.get(&item)).is_some_and(|n| n.owner.id() == actor);
        owns || self
            .collab_role(actor, item, now)
            .is_some_and(BoxRole::invites)
    }

    fn standing(&self, actor: &User, permission: &Permission, now: DateTime<Utc>) -> Standing {
        let invitee = match &permission.grantee {
            Grantee::Invitation { user, .. } if !user.id.is_empty() => user.id == actor.id,
            Grantee::Invitation { email, .. } => email.eq_ignore_ascii_case(&actor.login),
            Grantee::Link { .. } => false,
        };
        let manages = self.manages(&actor.id, permission.item, now);
        let sees =
            manages || invitee || self.collab_role(&actor.id, permission.item, now).is_some();
        Standing {
            manages,
            invitee,
            sees,
        }
    }

    fn collaboration_view(&self, permission: &Permission) -> CollaborationView {
        CollaborationView {
            permission: permission.clone(),
            item: self.view(permission.item),
        }
    }

    /// The collaboration `id`, if `actor` may see it (its owner, its collaborator, or anyone who
    /// reaches its item) and its item is not in the trash.
    fn visible_collaboration(
        &self,
        actor: &User,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Permission, Standing), StoreError> {
        let permission = (self.sharing.permission(id))
            .filter(|p| p.collab.is_some() && self.items.contains_key(&p.item))
            .filter(|p| !self.in_trash(p.item))
            .ok_or(SharingError::CollaborationNotFound)?;
        let standing = self.standing(actor, permission, now);
        match standing.sees {
            true => Ok((permission.clone(), standing)),
            false => Err(SharingError::CollaborationNotFound.into()),
        }
    }

    /// Invites a user (known: accepted at once; a login nobody signed in as: pending, until a
    /// user with that login accepts) to an item of `space`, whose actor must own it or hold a
    /// role that invites.
    pub fn create_collaboration(
        &mut self,
        space: &Space,
        new: NewCollaboration,
        now: DateTime<Utc>,
    ) -> Result<CollaborationView, StoreError> {
        let node = self.node(space, new.item)?;
        is_kind(node, Some(new.kind))?;
        if node.parent.is_none() {
            return Err(SharingError::CollaborationOnRoot.into());
        }
        let owner = node.owner.id().to_owned();
        if !self.manages(&space.actor.id, new.item, now) {
            return Err(SharingError::InsufficientRole.into());
        }
        let (user, status) = match new.collaborator {
            Collaborator::User(user) => ((*user).clone(), CollabStatus::Accepted),
            Collaborator::Login(login) => (
                User {
                    id: String::new(),
                    name: String::new(),
                    login,
                },
                CollabStatus::Pending,
            ),
        };
        let taken = self
            .sharing
            .collaborations_on(new.item)
            .any(|p| match &p.grantee {
                Grantee::Invitation { user: u, email, .. } => {
                    (!user.id.is_empty() && u.id == user.id)
                        || email.eq_ignore_ascii_case(&user.login)
                }
                Grantee::Link { .. } => false,
            });
        if taken || user.id == owner {
            return Err(SharingError::AlreadyCollaborator.into());
        }
        let sharing = self.sharing_mut();
        let permission = Permission {
            id: sharing.new_collab_id(),
            item: new.item,
            role: new.role.role(),
            grantee: Grantee::Invitation {
                email: user.login.clone(),
                user,
                sign_in_required: true,
            },
            expires: new.expires,
            created_by: space.actor.id.clone(),
            collab: Some(Collaboration {
                box_role: new.role,
                status,
                created_at: now,
                modified_at: now,
                acknowledged_at: (status == CollabStatus::Accepted).then_some(now),
                is_access_only: new.is_access_only,
                can_view_path: new.can_view_path,
            }),
        };
        sharing.insert(permission.clone());
        let kind = match status {
            CollabStatus::Accepted => ChangeKind::CollabAdded,
            _ => ChangeKind::CollabInvited,
        };
        self.note(space, new.item, kind, now);
        Ok(self.collaboration_view(&permission))
    }

    /// A collaboration `actor` may see.
    pub fn collaboration(
        &self,
        actor: &User,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<CollaborationView, StoreError> {
        let (permission, _) = self.visible_collaboration(actor, id, now)?;
        Ok(self.collaboration_view(&permission))
    }

    /// Changes a collaboration: its invitee accepts or rejects it while it is pending; the
    /// item's owner (or a collaborator whose role invites) changes its role, expiry and
    /// `can_view_path`. All checked before anything changes.
    pub fn update_collaboration(
        &mut self,
        actor: &Arc<User>,
        id: &str,
        edit: CollaborationEdit,
        now: DateTime<Utc>,
    ) -> Result<CollaborationView, StoreError> {
        let (mut permission, standing) = self.visible_collaboration(actor, id, now)?;
        let changes_terms =
            edit.role.is_some() || edit.expires.is_some() || edit.can_view_path.is_some();
        if changes_terms && !standing.manages {
            return Err(SharingError::InsufficientRole.into());
        }
        let collab = permission
            .collab
            .as_mut()
            .expect("visible_collaboration keeps collaborations");
        let mut kinds = Vec::new();
        if let Some(status) = edit.status {
            if collab.status != CollabStatus::Pending || status == CollabStatus::Pending {
                return Err(SharingError::InvalidStatus.into());
            }
            if !standing.invitee {
                return Err(SharingError::InsufficientRole.into());
            }
            collab.status = status;
            collab.acknowledged_at = Some(now);
            if status == CollabStatus::Accepted {
                // The invite now names the user who took it.
                if let Grantee::Invitation { user, .. } = &mut permission.grantee {
                    *user = (**actor).clone();
                }
                kinds.push(ChangeKind::CollabAccepted);
            } else {
                kinds.push(ChangeKind::CollabRejected);
            }
        }
        if let Some(role) = edit.role.filter(|role| *role != collab.box_role) {
            collab.box_role = role;
            permission.role = role.role();
            kinds.push(ChangeKind::CollabChanged);
        }
        if let Some(can_view_path) = edit.can_view_path {
            collab.can_view_path = can_view_path;
        }
        if edit.expires.is_some() {
            permission.expires = edit.expires;
        }
        collab.modified_at = now;
        let item = permission.item;
        self.sharing_mut().insert(permission.clone());
        if let Some(space) = self.owner_space(item, actor) {
            for kind in kinds {
                self.note(&space, item, kind, now);
            }
        }
        Ok(self.collaboration_view(&permission))
    }

    /// Removes a collaboration: the item's owner or a collaborator whose role invites, or the
    /// collaborator leaving.
    pub fn delete_collaboration(
        &mut self,
        actor: &Arc<User>,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (permission, standing) = self.visible_collaboration(actor, id, now)?;
        if !standing.manages && !standing.invitee {
            return Err(SharingError::InsufficientRole.into());
        }
        self.sharing_mut().remove(&permission.id);
        if let Some(space) = self.owner_space(permission.item, actor) {
            self.note(&space, permission.item, ChangeKind::CollabRemoved, now);
        }
        Ok(())
    }

    /// The item's owner's space with `actor` acting, for the change log.
    fn owner_space(&self, item: ItemId, actor: &Arc<User>) -> Option<Space> {
        let node = self.items.get(&item)?;
        Some(Space {
            face: node.face,
            owner: node.owner.clone(),
            actor: actor.clone(),
        })
    }

    /// The pending and accepted collaborations set on the item itself (not those of the folders
    /// above it), in the order they were made.
    pub fn item_collaborations(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
        window: Window,
    ) -> Result<Listing<CollaborationView>, StoreError> {
        is_kind(self.node(space, item)?, Some(kind))?;
        let mut on = self.collaborations_made_on(item);
        on.retain(|p| {
            p.collab
                .as_ref()
                .is_some_and(|c| c.status != CollabStatus::Rejected)
        });
        Ok(Listing {
            total: on.len(),
            entries: window
                .page(on.into_iter())
                .map(|p| self.collaboration_view(p))
                .collect(),
        })
    }

    /// The collaborations still pending on `actor`'s login, in the order they were made.
    pub fn pending_collaborations(&self, actor: &User) -> Vec<CollaborationView> {
        let mut pending: Vec<&Permission> = (self.sharing.collaborations())
            .filter(|p| p.collab.as_ref().is_some_and(|c| c.status == CollabStatus::Pending))
            .filter(|p| matches!(&p.grantee, Grantee::Invitation { email, .. } if email.eq_ignore_ascii_case(&actor.login)))
            .filter(|p| self.items.contains_key(&p.item) && !self.in_trash(p.item))
            .collect();
        pending.sort_by_key(|p| p.id.parse::<u64>().unwrap_or(u64::MAX));
        pending
            .into_iter()
            .map(|p| self.collaboration_view(p))
            .collect()
    }

    /// Whether anything collaborates on the item itself (Box's `has_collaborations`).
    pub(super) fn has_collaborations(&self, item: ItemId) -> bool {
        (self.sharing.collaborations_on(item)).any(|p| {
            p.collab
                .as_ref()
                .is_some_and(|c| c.status != CollabStatus::Rejected)
        })
    }

    /// The collaborations set on the item itself, oldest first: their ids are numbers given out
    /// in order (the index keeps them in text order).
    pub(super) fn collaborations_made_on(&self, item: ItemId) -> Vec<&Permission> {
        let mut on: Vec<&Permission> = self.sharing.collaborations_on(item).collect();
        on.sort_by_key(|p| p.id.parse::<u64>().unwrap_or(u64::MAX));
        on
    }

    /// The collaborations set on the item, oldest first, for the admin browser.
    pub(super) fn collaborator_summaries(&self, item: ItemId) -> Vec<CollaboratorSummary> {
        (self.collaborations_made_on(item).into_iter())
            .filter_map(|p| {
                let collab = p.collab.as_ref()?;
                let Grantee::Invitation { user, email, .. } = &p.grantee else {
                    return None;
                };
                let known = !user.id.is_empty();
                Some(CollaboratorSummary {
                    id: p.id.clone(),
                    user: known.then(|| user.clone()),
                    invite_email: (!known).then(|| email.clone()),
                    role: collab.box_role,
                    status: collab.status,
                })
            })
            .collect()
    }

    /// Drops the collaborations on an item that is gone for good.
    pub(super) fn forget_collaborations(&mut self, item: ItemId) {
        if self.sharing.collaborations_on(item).next().is_some() {
            let ids: Vec<String> = self
                .sharing
                .collaborations_on(item)
                .map(|p| p.id.clone())
                .collect();
            let sharing = self.sharing_mut();
            for id in ids {
                sharing.remove(&id);
            }
        }
    }

    /// Drops the collaborations that name `user` (a reset of that user).
    pub(super) fn forget_collaborations_of(&mut self, user: &str) {
        let ids: Vec<String> = (self.sharing.collaborations())
            .filter(|p| matches!(&p.grantee, Grantee::Invitation { user: u, .. } if u.id == user))
            .map(|p| p.id.clone())
            .collect();
        if !ids.is_empty() {
            let sharing = self.sharing_mut();
            for id in ids {
                sharing.remove(&id);
            }
        }
    }
}
