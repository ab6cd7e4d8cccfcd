//! Loading, exporting and resetting the in-memory state in the fixture format (`crate::fixture`).
//!
//! A load is applied to a copy of the state that replaces the live one only when every entry was
//! accepted: a broken fixture changes nothing, and readers never see half of one.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::{folder_node, validate_name, FileNode, Node, NodeKind, State};
use crate::content::Content;
use crate::fixture::{
    Fixture, FixtureError, FixtureItem, FixtureItemType, FixtureRoot, FixtureSpace, FixtureUser,
    FixtureVersion,
};
use crate::store::{Face, Grant, ItemId, Space, User, Version};

impl State {
    pub(super) fn load(
        &mut self,
        fixture: &Fixture,
        now: DateTime<Utc>,
    ) -> Result<(), FixtureError> {
        for (i, user) in fixture.users.iter().enumerate() {
            self.load_user(user).map_err(|message| {
                FixtureError::new(format!("users[{i}] ({})", user.id), message)
            })?;
        }
        for (i, space) in fixture.spaces.iter().enumerate() {
            self.load_space(space, now, &format!("spaces[{i}]"))?;
        }
        Ok(())
    }

    fn load_user(&mut self, entry: &FixtureUser) -> Result<(), String> {
        if entry.id.trim().is_empty() {
            return Err("the user id is empty".to_owned());
        }
        let user = User {
            id: entry.id.clone(),
            name: entry
                .name
                .clone()
                .unwrap_or_else(|| format!("Mock User {}", entry.id)),
            login: entry
                .login
                .clone()
                .unwrap_or_else(|| format!("user{}@example.com", entry.id)),
        };
        let user = match self.users.get(&entry.id) {
            Some(known)
                if (entry.name.is_none() || known.name == user.name)
                    && (entry.login.is_none() || known.login == user.login) =>
            {
                known.clone()
            }
            Some(_) => {
                return Err(
                    "a user with this id already exists with another name or login".to_owned(),
                )
            }
            None => {
                let user = Arc::new(user);
                self.users.insert(user.id.clone(), user.clone());
                user
            }
        };
        for token in &entry.tokens {
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
                user: user.clone(),
                scopes: entry.scopes.as_deref().map(Arc::from),
            };
            self.tokens.insert(token.clone(), grant);
        }
        Ok(())
    }

    fn user_ref(
        &self,
        id: Option<&String>,
        default: &Arc<User>,
        entry: &str,
    ) -> Result<Arc<User>, FixtureError> {
        match id {
            None => Ok(default.clone()),
            Some(id) => self
                .users
                .get(id)
                .cloned()
                .ok_or_else(|| FixtureError::new(entry, format!("unknown user {id:?}"))),
        }
    }

    fn load_space(
        &mut self,
        entry: &FixtureSpace,
        now: DateTime<Utc>,
        at: &str,
    ) -> Result<(), FixtureError> {
        let owner = self.users.get(&entry.owner).cloned().ok_or_else(|| {
            FixtureError::new(
                format!("{at}.owner"),
                format!("unknown user {:?}", entry.owner),
            )
        })?;
        let space = Space {
            face: entry.face,
            user: owner.clone(),
        };
        let key = (entry.face, owner.id.clone());
        let root = match (&entry.root, self.roots.get(&key).copied()) {
            (Some(root), Some(existing)) if root.id != existing => {
                return Err(FixtureError::new(
                    format!("{at}.root"),
                    format!("the space already has root {existing}"),
                ))
            }
            (Some(root), None) => {
                self.claim_item_id(root.id, &format!("{at}.root"))?;
                self.items.insert(
                    root.id,
                    folder_node(&space, None, "root".to_owned(), root.created_at),
                );
                self.roots.insert(key, root.id);
                root.id
            }
            (_, _) => self.root_id(&space, now),
        };
        for (i, item) in entry.items.iter().enumerate() {
            self.load_item(
                &space,
                root,
                item,
                now,
                &format!("{at}.items[{i}] ({})", item.path),
            )?;
        }
        Ok(())
    }

    fn claim_item_id(&mut self, id: ItemId, entry: &str) -> Result<(), FixtureError> {
        if self.items.contains_key(&id) {
            return Err(FixtureError::new(
                entry,
                format!("item id {id} is already in use"),
            ));
        }
        self.next_item = self.next_item.max(id.0 + 1);
        Ok(())
    }

    fn load_item(
        &mut self,
        space: &Space,
        root: ItemId,
        entry: &FixtureItem,
        now: DateTime<Utc>,
        at: &str,
    ) -> Result<(), FixtureError> {
        let segments: Vec<&str> = entry.path.split('/').filter(|s| !s.is_empty()).collect();
        let Some((name, parents)) = segments.split_last() else {
            return Err(FixtureError::new(at, "the path names no item"));
        };
        for segment in &segments {
            validate_name(segment).map_err(|e| FixtureError::new(at, e.to_string()))?;
        }
        let mut folder = root;
        for segment in parents {
            folder = match self.child(space, folder, segment) {
                Ok(Some(child)) if matches!(self.items[&child].kind, NodeKind::Folder(_)) => child,
                Ok(Some(_)) | Err(_) => {
                    return Err(FixtureError::new(
                        at,
                        format!("{segment:?} on the path is a file"),
                    ))
                }
                Ok(None) => {
                    let id = self.new_item_id();
                    let node = folder_node(space, Some(folder), (*segment).to_owned(), now);
                    self.insert_node(id, node);
                    id
                }
            };
        }
        if self.child(space, folder, name).ok().flatten().is_some() {
            return Err(FixtureError::new(
                at,
                "an item with this path already exists",
            ));
        }
        let id = match entry.id {
            Some(id) => {
                self.claim_item_id(id, at)?;
                id
            }
            None => self.new_item_id(),
        };
        let created_at = entry.created_at.unwrap_or(now);
        let created_by = self.user_ref(entry.created_by.as_ref(), &space.user, at)?;
        let kind = match entry.kind {
            FixtureItemType::Folder if entry.versions.is_empty() => {
                NodeKind::Folder(BTreeMap::new())
            }
            FixtureItemType::Folder => {
                return Err(FixtureError::new(at, "a folder has no versions"))
            }
            FixtureItemType::File => {
                NodeKind::File(self.load_versions(id, entry, name, &created_by, created_at, at)?)
            }
        };
        let (last_at, last_by) = match &kind {
            NodeKind::File(file) => (file.current().created_at, file.current().created_by.clone()),
            NodeKind::Folder(_) => (created_at, created_by.clone()),
        };
        let node = Node {
            face: space.face,
            owner: space.user.clone(),
            name: (*name).to_owned(),
            parent: Some(folder),
            created_at,
            created_by,
            modified_at: entry.modified_at.unwrap_or(last_at),
            modified_by: self.user_ref(entry.modified_by.as_ref(), &last_by, at)?,
            revision: entry.revision.unwrap_or(0),
            content_revision: entry.content_revision.unwrap_or(0),
            kind,
        };
        self.insert_node(id, node);
        Ok(())
    }

    fn load_versions(
        &mut self,
        file_id: ItemId,
        entry: &FixtureItem,
        name: &str,
        author: &Arc<User>,
        created_at: DateTime<Utc>,
        at: &str,
    ) -> Result<FileNode, FixtureError> {
        if entry.versions.is_empty() {
            return Err(FixtureError::new(at, "a file needs at least one version"));
        }
        let mut versions: Vec<Version> = Vec::with_capacity(entry.versions.len());
        let mut seen = HashSet::new();
        for (i, v) in entry.versions.iter().enumerate() {
            let at = format!("{at}.versions[{i}]");
            let bytes = v
                .bytes()
                .map_err(|message| FixtureError::new(&at, message))?;
            let number = v
                .number
                .unwrap_or_else(|| versions.last().map_or(1, |p| p.number + 1));
            if versions.last().is_some_and(|p| p.number >= number) || number == 0 {
                return Err(FixtureError::new(
                    &at,
                    "version numbers must start at 1 or more and rise",
                ));
            }
            let id = match v.id {
                Some(id) if self.version_index.contains_key(&id) || !seen.insert(id) => {
                    return Err(FixtureError::new(
                        &at,
                        format!("version id {id} is already in use"),
                    ))
                }
                Some(id) => {
                    self.next_version = self.next_version.max(id.0 + 1);
                    id
                }
                None => self.new_version_id(),
            };
            if let Some(name) = &v.name {
                validate_name(name).map_err(|e| FixtureError::new(&at, e.to_string()))?;
            }
            let version = Version {
                id,
                number,
                content: self.intern(Content::new(Bytes::from(bytes))),
                name: Arc::from(v.name.as_deref().unwrap_or(name)),
                created_at: v.created_at.unwrap_or(created_at),
                created_by: self.user_ref(v.created_by.as_ref(), author, &at)?,
                trashed_at: v.trashed_at,
                trashed_by: v
                    .trashed_by
                    .as_ref()
                    .map(|u| self.user_ref(Some(u), author, &at))
                    .transpose()?,
                restored_at: v.restored_at,
                restored_by: v
                    .restored_by
                    .as_ref()
                    .map(|u| self.user_ref(Some(u), author, &at))
                    .transpose()?,
                restored_from: v.restored_from,
            };
            self.version_index.insert(id, (file_id, versions.len()));
            versions.push(version);
        }
        if versions.last().is_some_and(|v| v.trashed_at.is_some()) {
            return Err(FixtureError::new(
                at,
                "the current (last) version cannot be trashed",
            ));
        }
        let current = versions.last().expect("checked non-empty");
        Ok(FileNode {
            mime_type: entry
                .mime_type
                .clone()
                .unwrap_or_else(|| super::guess_mime_type(name)),
            content_created_at: entry.content_created_at.unwrap_or(created_at),
            content_modified_at: entry.content_modified_at.unwrap_or(current.created_at),
            versions,
        })
    }

    /// The state (or one user's part of it) as a fixture.
    pub(super) fn export(&self, only: Option<&str>) -> Fixture {
        let wanted = |id: &str| only.is_none_or(|only| only == id);
        let mut users: BTreeMap<(String, Option<Vec<String>>), FixtureUser> = BTreeMap::new();
        let mut tokens: Vec<(&String, &Grant)> = self
            .tokens
            .iter()
            .filter(|(_, g)| wanted(&g.user.id))
            .collect();
        tokens.sort_by(|a, b| a.0.cmp(b.0));
        for (token, grant) in tokens {
            users
                .entry((
                    grant.user.id.clone(),
                    grant.scopes.as_deref().map(<[String]>::to_vec),
                ))
                .or_insert_with(|| {
                    fixture_user(&grant.user, grant.scopes.as_deref().map(<[String]>::to_vec))
                })
                .tokens
                .push(token.clone());
        }
        let mut known: Vec<&Arc<User>> = self.users.values().filter(|u| wanted(&u.id)).collect();
        known.sort_by(|a, b| a.id.cmp(&b.id));
        for user in known {
            if !users.keys().any(|(id, _)| *id == user.id) {
                users.insert((user.id.clone(), None), fixture_user(user, None));
            }
        }
        let mut roots: Vec<(&(Face, String), &ItemId)> = self
            .roots
            .iter()
            .filter(|((_, owner), _)| wanted(owner))
            .collect();
        roots.sort();
        let spaces = roots
            .into_iter()
            .map(|((face, owner), root)| {
                let mut items = Vec::new();
                self.export_children(*root, "", &mut items);
                FixtureSpace {
                    face: *face,
                    owner: owner.clone(),
                    root: Some(FixtureRoot {
                        id: *root,
                        created_at: self.items[root].created_at,
                    }),
                    items,
                }
            })
            .collect();
        Fixture {
            users: users.into_values().collect(),
            spaces,
        }
    }

    fn export_children(&self, folder: ItemId, prefix: &str, out: &mut Vec<FixtureItem>) {
        let NodeKind::Folder(children) = &self.items[&folder].kind else {
            return;
        };
        for child in children.values() {
            let node = &self.items[child];
            let path = format!("{prefix}{}", node.name);
            let (kind, versions, mime_type, content_created_at, content_modified_at) =
                match &node.kind {
                    NodeKind::Folder(_) => (FixtureItemType::Folder, Vec::new(), None, None, None),
                    NodeKind::File(file) => (
                        FixtureItemType::File,
                        file.versions.iter().map(export_version).collect(),
                        Some(file.mime_type.clone()),
                        Some(file.content_created_at),
                        Some(file.content_modified_at),
                    ),
                };
            out.push(FixtureItem {
                kind,
                path: path.clone(),
                id: Some(*child),
                created_at: Some(node.created_at),
                created_by: Some(node.created_by.id.clone()),
                modified_at: Some(node.modified_at),
                modified_by: Some(node.modified_by.id.clone()),
                revision: Some(node.revision),
                content_revision: Some(node.content_revision),
                mime_type,
                content_created_at,
                content_modified_at,
                versions,
            });
            if kind == FixtureItemType::Folder {
                self.export_children(*child, &format!("{path}/"), out);
            }
        }
    }

    /// Removes one user's files on both faces; the user and their tokens stay.
    pub(super) fn remove_user_data(&mut self, user: &str) {
        for face in [Face::Graph, Face::Box] {
            if let Some(root) = self.roots.remove(&(face, user.to_owned())) {
                self.remove_subtree(root);
            }
        }
        self.blobs.retain(|_, blob| blob.strong_count() > 0);
    }
}

fn fixture_user(user: &User, scopes: Option<Vec<String>>) -> FixtureUser {
    FixtureUser {
        id: user.id.clone(),
        name: Some(user.name.clone()),
        login: Some(user.login.clone()),
        tokens: Vec::new(),
        scopes,
    }
}

fn export_version(v: &Version) -> FixtureVersion {
    let mut out = FixtureVersion {
        id: Some(v.id),
        number: Some(v.number),
        name: Some(v.name.to_string()),
        created_at: Some(v.created_at),
        created_by: Some(v.created_by.id.clone()),
        trashed_at: v.trashed_at,
        trashed_by: v.trashed_by.as_ref().map(|u| u.id.clone()),
        restored_at: v.restored_at,
        restored_by: v.restored_by.as_ref().map(|u| u.id.clone()),
        restored_from: v.restored_from,
        ..FixtureVersion::default()
    };
    out.set_bytes(&v.content.bytes);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::clock::Clock;
    use crate::fixture::Fixture;
    use crate::store::{MemoryStore, VersionStore};

    fn fixture() -> Fixture {
        serde_json::from_value(json!({
            "users": [{"id": "42", "name": "Ada", "login": "ada@example.com", "tokens": ["ada"]}],
            "spaces": [{
                "face": "box",
                "owner": "42",
                "items": [
                    {"type": "folder", "path": "Docs"},
                    {"type": "file", "path": "Docs/a.txt", "id": 7, "versions": [
                        {"text": "one", "created_at": "2024-01-01T00:00:00Z"},
                        {"base64": "AAEC", "trashed_at": "2024-01-02T00:00:00Z", "trashed_by": "42"},
                        {"text": "three", "number": 5}
                    ]}
                ]
            }]
        }))
        .unwrap()
    }

    fn store() -> MemoryStore {
        MemoryStore::new(std::sync::Arc::new(Clock::frozen_at(
            "2024-03-01T00:00:00Z".parse().unwrap(),
        )))
    }

    #[test]
    fn an_export_loaded_into_an_empty_store_exports_the_same() {
        let first = store();
        first.load_fixture(&fixture()).unwrap();
        let exported = first.export(None);

        let second = store();
        second.load_fixture(&exported).unwrap();

        assert_eq!(second.export(None), exported);
        assert_eq!(exported.spaces[0].items[1].versions[2].number, Some(5));
    }

    #[test]
    fn a_broken_fixture_applies_nothing_and_names_the_entry() {
        let store = store();
        let mut broken = fixture();
        broken.spaces[0].items[1].versions[1].base64 = Some("not base64!".into());

        let error = store.load_fixture(&broken).unwrap_err();

        assert_eq!(error.entry, "spaces[0].items[1] (Docs/a.txt).versions[1]");
        assert_eq!(store.export(None), Fixture::default());
    }
}
