//! `MemoryStore`: the in-memory `VersionStore`, one `std::sync::Mutex` around the whole state.
//!
//! Every trait method takes the lock once and does its whole read-check-write before letting go
//! (the pattern of mini-redis's `db.rs`): that is what makes operations atomic and keeps concurrent
//! restores from losing or duplicating a version. Nothing inside awaits, so a std mutex is right.

mod fixtures;
mod inspect;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{
    Ancestor, Face, FileView, Grant, IfMatch, ItemId, ItemKindView, ItemView, Listing, NewFolder,
    NodeDetail, NodeSummary, OnConflict, PromoteRules, Space, StoreError, Tags, TimelineEntry,
    TimelineOrder, User, UserSpaces, Version, VersionId, VersionQuery, VersionRef, VersionStore,
    VersionView, Window, WriteFile, WriteTarget, Written,
};
use crate::clock::Clock;
use crate::content::Content;
use crate::fixture::{Fixture, FixtureError, FixtureUser};

/// Where the id counters start. Real Box ids have 10 to 13 digits; starting high keeps ours
/// looking like theirs, and starting from fixed values keeps runs reproducible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdSeed {
    pub first_item: u64,
    pub first_version: u64,
}

impl Default for IdSeed {
    fn default() -> Self {
        Self {
            first_item: 1_000_000_001,
            first_version: 5_000_000_001,
        }
    }
}

/// The in-memory store. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct MemoryStore {
    clock: Arc<Clock>,
    seed: IdSeed,
    /// The configured token list (`--tokens`): it closes sign-in and survives a reset.
    token_list: Option<Vec<FixtureUser>>,
    state: Mutex<State>,
    /// Grants already signed in, readable without the state's lock. Every request signs in, and
    /// taking the one store mutex for that as well as for the operation made two cores queue on
    /// it. `State::tokens` stays the source of truth; this cache is filled from it and emptied
    /// whenever the state is replaced (reset, fixture load).
    signed_in: RwLock<HashMap<String, Grant>>,
}

#[derive(Debug, Clone)]
struct State {
    next_item: u64,
    next_version: u64,
    users: HashMap<String, Arc<User>>,
    tokens: HashMap<String, Grant>,
    /// With a fixed token list, unknown tokens are refused instead of signing in.
    open_sign_in: bool,
    roots: HashMap<(Face, String), ItemId>,
    items: HashMap<ItemId, Node>,
    /// Where each version lives: its file and its index in that file's history.
    version_index: HashMap<VersionId, (ItemId, usize)>,
    /// One `Content` per distinct body, found by SHA-256 so equal uploads share their bytes.
    blobs: HashMap<[u8; 32], Weak<Content>>,
}

#[derive(Debug, Clone)]
struct Node {
    face: Face,
    owner: Arc<User>,
    name: String,
    parent: Option<ItemId>,
    created_at: DateTime<Utc>,
    created_by: Arc<User>,
    modified_at: DateTime<Utc>,
    modified_by: Arc<User>,
    revision: u64,
    content_revision: u64,
    kind: NodeKind,
}

#[derive(Debug, Clone)]
enum NodeKind {
    /// Children by lowercased name: both services compare names case-insensitively.
    Folder(BTreeMap<String, ItemId>),
    File(FileNode),
}

#[derive(Debug, Clone)]
struct FileNode {
    /// Oldest first; the last one is current.
    versions: Vec<Version>,
    mime_type: String,
    content_created_at: DateTime<Utc>,
    content_modified_at: DateTime<Utc>,
}

impl FileNode {
    fn current(&self) -> &Version {
        self.versions.last().expect("a file always has a version")
    }
}

impl MemoryStore {
    pub fn new(clock: Arc<Clock>) -> Self {
        Self::with_seed(clock, IdSeed::default())
    }

    pub fn with_seed(clock: Arc<Clock>, seed: IdSeed) -> Self {
        Self {
            clock,
            seed,
            token_list: None,
            state: Mutex::new(State::new(seed)),
            signed_in: RwLock::new(HashMap::new()),
        }
    }

    /// Only the tokens in `users` sign in from now on (and after every reset); others are refused.
    pub fn with_token_list(mut self, users: Vec<FixtureUser>) -> Result<Self, FixtureError> {
        let mut state = State::new(self.seed);
        state.open_sign_in = false;
        state.load(
            &Fixture {
                users: users.clone(),
                spaces: Vec::new(),
            },
            self.clock.now(),
        )?;
        self.state = Mutex::new(state);
        self.token_list = Some(users);
        Ok(self)
    }

    /// Caches a grant for lock-free sign-in. Called with the state's lock held, so it cannot
    /// race a reset or load, which empty the cache under that lock.
    fn remember(&self, token: &str, grant: &Grant) {
        let mut signed_in = self.signed_in.write().unwrap_or_else(|e| e.into_inner());
        signed_in.insert(token.to_owned(), grant.clone());
    }

    /// Forgets every cached grant; called with the state's lock held, after replacing the state.
    fn forget_grants(&self) {
        self.signed_in
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a half-applied change behind: every method
        // checks everything before its first write. So a poisoned lock is safe to keep using.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn new(seed: IdSeed) -> Self {
        Self {
            next_item: seed.first_item,
            next_version: seed.first_version,
            users: HashMap::new(),
            tokens: HashMap::new(),
            open_sign_in: true,
            roots: HashMap::new(),
            items: HashMap::new(),
            version_index: HashMap::new(),
            blobs: HashMap::new(),
        }
    }

    fn new_item_id(&mut self) -> ItemId {
        let id = ItemId(self.next_item);
        self.next_item += 1;
        id
    }

    fn new_version_id(&mut self) -> VersionId {
        let id = VersionId(self.next_version);
        self.next_version += 1;
        id
    }

    /// The one shared `Content` for these bytes.
    fn intern(&mut self, content: Content) -> Arc<Content> {
        if let Some(existing) = self.blobs.get(&content.sha256).and_then(Weak::upgrade) {
            if existing.bytes == content.bytes {
                return existing;
            }
        }
        let shared = Arc::new(content);
        self.blobs.insert(shared.sha256, Arc::downgrade(&shared));
        shared
    }

    fn root_id(&mut self, space: &Space, now: DateTime<Utc>) -> ItemId {
        let key = (space.face, space.user.id.clone());
        if let Some(id) = self.roots.get(&key) {
            return *id;
        }
        let id = self.new_item_id();
        self.items
            .insert(id, folder_node(space, None, "root".to_owned(), now));
        self.roots.insert(key, id);
        id
    }

    /// The node, if it exists and belongs to the space. Another user's item is as absent as one
    /// that never existed.
    fn node(&self, space: &Space, id: ItemId) -> Result<&Node, StoreError> {
        match self.items.get(&id) {
            Some(node) if node.face == space.face && node.owner.id == space.user.id => Ok(node),
            _ => Err(StoreError::ItemNotFound),
        }
    }

    fn file(&self, space: &Space, id: ItemId) -> Result<&FileNode, StoreError> {
        match &self.node(space, id)?.kind {
            NodeKind::File(file) => Ok(file),
            NodeKind::Folder(_) => Err(StoreError::NotAFile),
        }
    }

    fn children_of(
        &self,
        space: &Space,
        id: ItemId,
    ) -> Result<&BTreeMap<String, ItemId>, StoreError> {
        match &self.node(space, id)?.kind {
            NodeKind::Folder(children) => Ok(children),
            NodeKind::File(_) => Err(StoreError::NotAFolder),
        }
    }

    fn child(
        &self,
        space: &Space,
        folder: ItemId,
        name: &str,
    ) -> Result<Option<ItemId>, StoreError> {
        Ok(self
            .children_of(space, folder)?
            .get(&name_key(name))
            .copied())
    }

    /// The index into the history that `at` names.
    fn version_index(
        &self,
        file_id: ItemId,
        file: &FileNode,
        at: VersionRef,
    ) -> Result<usize, StoreError> {
        let index = match at {
            VersionRef::Current => Some(file.versions.len() - 1),
            // Numbers rise along the history and are usually consecutive, so try the position
            // they would have first; a fixture may start past 1 or skip some, hence the search.
            VersionRef::Number(n) => {
                let guess = n.checked_sub(file.versions[0].number).map(|i| i as usize);
                match guess.filter(|i| file.versions.get(*i).is_some_and(|v| v.number == n)) {
                    Some(i) => Some(i),
                    None => file.versions.binary_search_by_key(&n, |v| v.number).ok(),
                }
            }
            VersionRef::Id(id) => match self.version_index.get(&id) {
                Some((owner, index)) if *owner == file_id => Some(*index),
                _ => None,
            },
        };
        index
            .filter(|i| *i < file.versions.len())
            .ok_or(StoreError::VersionNotFound)
    }

    fn view(&self, id: ItemId) -> ItemView {
        let node = &self.items[&id];
        let mut ancestors = Vec::new();
        let mut cursor = node.parent;
        while let Some(parent_id) = cursor {
            let parent = &self.items[&parent_id];
            ancestors.push(Ancestor {
                id: parent_id,
                name: parent.name.clone(),
            });
            cursor = parent.parent;
        }
        ancestors.reverse();
        let kind = match &node.kind {
            NodeKind::Folder(children) => ItemKindView::Folder {
                child_count: children.len(),
                size: self.tree_size(id),
            },
            NodeKind::File(file) => ItemKindView::File(FileView {
                current: file.current().clone(),
                version_count: file.versions.len(),
                mime_type: file.mime_type.clone(),
                content_created_at: file.content_created_at,
                content_modified_at: file.content_modified_at,
            }),
        };
        ItemView {
            id,
            name: node.name.clone(),
            parent: node.parent,
            ancestors,
            owner: node.owner.clone(),
            created_at: node.created_at,
            created_by: node.created_by.clone(),
            modified_at: node.modified_at,
            modified_by: node.modified_by.clone(),
            revision: node.revision,
            content_revision: node.content_revision,
            kind,
        }
    }

    fn tree_size(&self, id: ItemId) -> u64 {
        match &self.items[&id].kind {
            NodeKind::File(file) => file.current().content.len(),
            NodeKind::Folder(children) => children.values().map(|c| self.tree_size(*c)).sum(),
        }
    }

    fn check(&self, id: ItemId, if_match: IfMatch<'_>) -> Result<(), StoreError> {
        let node = &self.items[&id];
        let tags = Tags {
            item: id,
            revision: node.revision,
            content_revision: node.content_revision,
        };
        match if_match {
            Some(matches) if !matches(tags) => Err(StoreError::PreconditionFailed),
            _ => Ok(()),
        }
    }

    /// A free name in `folder` for `name`: `name`, then `stem 1.ext`, `stem 2.ext`, …
    fn free_name(&self, space: &Space, folder: ItemId, name: &str) -> Result<String, StoreError> {
        let children = self.children_of(space, folder)?;
        if !children.contains_key(&name_key(name)) {
            return Ok(name.to_owned());
        }
        let (stem, ext) = match name.rfind('.') {
            Some(dot) if dot > 0 => name.split_at(dot),
            _ => (name, ""),
        };
        let mut n = 1u64;
        loop {
            let candidate = format!("{stem} {n}{ext}");
            if !children.contains_key(&name_key(&candidate)) {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    fn insert_node(&mut self, id: ItemId, node: Node) {
        if let Some(parent) = node.parent {
            if let Some(NodeKind::Folder(children)) =
                self.items.get_mut(&parent).map(|p| &mut p.kind)
            {
                children.insert(name_key(&node.name), id);
            }
        }
        self.items.insert(id, node);
    }

    /// Makes the next version of a file (the next number and id, the file's current name) and
    /// appends it, recording the change on the file. The caller has checked that it is a file.
    fn push_version(
        &mut self,
        file_id: ItemId,
        content: Arc<Content>,
        author: &Arc<User>,
        now: DateTime<Utc>,
        restored_from: Option<VersionId>,
    ) -> Version {
        let id = self.new_version_id();
        let node = self
            .items
            .get_mut(&file_id)
            .expect("caller checked the file");
        let NodeKind::File(file) = &mut node.kind else {
            unreachable!("caller checked the file")
        };
        let version = Version {
            number: file.current().number + 1,
            name: Arc::from(node.name.as_str()),
            restored_from,
            ..first_version(id, content, author, now)
        };
        self.version_index
            .insert(id, (file_id, file.versions.len()));
        node.modified_at = now;
        node.modified_by = author.clone();
        node.revision += 1;
        node.content_revision += 1;
        file.content_modified_at = now;
        file.versions.push(version.clone());
        version
    }

    /// A version of a file, to change in place (trash and restore do not add versions).
    fn version_mut(
        &mut self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
    ) -> Result<(&mut Version, bool), StoreError> {
        let index = self.version_index(file_id, self.file(space, file_id)?, at)?;
        let NodeKind::File(file) = &mut self.items.get_mut(&file_id).expect("checked").kind else {
            unreachable!("checked a file")
        };
        let is_current = index + 1 == file.versions.len();
        Ok((&mut file.versions[index], is_current))
    }

    /// Refuses `name` for `id` when another item in the same folder has it.
    fn check_name_free(&self, space: &Space, id: ItemId, name: &str) -> Result<(), StoreError> {
        let parent = self.items[&id].parent.expect("files have a parent");
        match self
            .child(space, parent, name)?
            .filter(|other| *other != id)
        {
            Some(other) => Err(StoreError::NameConflict {
                existing: Box::new(self.view(other)),
            }),
            None => Ok(()),
        }
    }

    /// Renames an item and re-files it under its new name in its folder.
    fn rename(&mut self, id: ItemId, name: &str) {
        let node = self.items.get_mut(&id).expect("caller checked the item");
        if node.name == name {
            return;
        }
        let old_key = name_key(&node.name);
        node.name = name.to_owned();
        let parent = node.parent.expect("the root is never renamed");
        if let NodeKind::Folder(children) = &mut self.items.get_mut(&parent).expect("parent").kind {
            children.remove(&old_key);
            children.insert(name_key(name), id);
        }
    }

    fn remove_subtree(&mut self, id: ItemId) {
        let Some(node) = self.items.remove(&id) else {
            return;
        };
        match node.kind {
            NodeKind::Folder(children) => {
                for child in children.into_values() {
                    self.remove_subtree(child);
                }
            }
            NodeKind::File(file) => {
                for version in &file.versions {
                    self.version_index.remove(&version.id);
                }
            }
        }
    }
}

/// A new, empty folder owned by the space's user; `None` as parent makes a root.
fn folder_node(space: &Space, parent: Option<ItemId>, name: String, now: DateTime<Utc>) -> Node {
    Node {
        face: space.face,
        owner: space.user.clone(),
        name,
        parent,
        created_at: now,
        created_by: space.user.clone(),
        modified_at: now,
        modified_by: space.user.clone(),
        revision: 0,
        content_revision: 0,
        kind: NodeKind::Folder(BTreeMap::new()),
    }
}

/// Version 1 of a new file; later versions are made from it by `push_version`.
fn first_version(
    id: VersionId,
    content: Arc<Content>,
    author: &Arc<User>,
    now: DateTime<Utc>,
) -> Version {
    Version {
        id,
        number: 1,
        content,
        name: Arc::from(""),
        created_at: now,
        created_by: author.clone(),
        trashed_at: None,
        trashed_by: None,
        restored_at: None,
        restored_by: None,
        restored_from: None,
    }
}

/// The key a name is indexed by: both services treat names case-insensitively.
fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Names both services refuse: empty, too long, path separators and the reserved characters
/// OneDrive lists (`/ \ * < > ? : |` and `"`), and the dot names.
fn validate_name(name: &str) -> Result<(), StoreError> {
    let reason = if name.trim().is_empty() {
        Some("the name is empty")
    } else if name.chars().count() > 255 {
        Some("the name is longer than 255 characters")
    } else if name == "." || name == ".." {
        Some("the name is reserved")
    } else if name.chars().any(|c| {
        matches!(c, '/' | '\\' | '*' | '<' | '>' | '?' | ':' | '|' | '"') || c.is_control()
    }) {
        Some("the name contains a character that is not allowed")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidName(format!("{name:?}: {reason}"))),
        None => Ok(()),
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

fn guess_mime_type(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        Some("csv") => "text/csv",
        Some("md") => "text/markdown",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
    .to_owned()
}

impl VersionStore for MemoryStore {
    fn sign_in(&self, token: &str) -> Result<Grant, StoreError> {
        if let Some(grant) = self
            .signed_in
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(token)
        {
            return Ok(grant.clone());
        }
        let mut state = self.lock();
        if let Some(grant) = state.tokens.get(token) {
            self.remember(token, grant);
            return Ok(grant.clone());
        }
        if !state.open_sign_in {
            return Err(StoreError::UnknownToken);
        }
        let user = user_for_token(token);
        let user = state
            .users
            .entry(user.id.clone())
            .or_insert_with(|| Arc::new(user))
            .clone();
        let grant = Grant { user, scopes: None };
        state.tokens.insert(token.to_owned(), grant.clone());
        self.remember(token, &grant);
        Ok(grant)
    }

    fn root(&self, space: &Space) -> Result<ItemView, StoreError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let id = state.root_id(space, now);
        Ok(state.view(id))
    }

    fn root_id(&self, space: &Space) -> Result<ItemId, StoreError> {
        let now = self.clock.now();
        Ok(self.lock().root_id(space, now))
    }

    fn item(&self, space: &Space, id: ItemId) -> Result<ItemView, StoreError> {
        let state = self.lock();
        state.node(space, id)?;
        Ok(state.view(id))
    }

    fn resolve(
        &self,
        space: &Space,
        base: ItemId,
        segments: &[String],
    ) -> Result<ItemView, StoreError> {
        let state = self.lock();
        let mut id = base;
        state.node(space, id)?;
        for segment in segments {
            id = match state.child(space, id, segment) {
                Ok(Some(child)) => child,
                Ok(None) | Err(StoreError::NotAFolder) => return Err(StoreError::ItemNotFound),
                Err(e) => return Err(e),
            };
        }
        Ok(state.view(id))
    }

    fn children(
        &self,
        space: &Space,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<ItemView>, StoreError> {
        let state = self.lock();
        let children = state.children_of(space, folder)?;
        Ok(Listing {
            total: children.len(),
            entries: children
                .values()
                .skip(window.offset)
                .take(window.limit)
                .map(|id| state.view(*id))
                .collect(),
        })
    }

    fn create_folder(&self, space: &Space, folder: NewFolder) -> Result<ItemView, StoreError> {
        validate_name(&folder.name)?;
        let now = self.clock.now();
        let mut state = self.lock();
        state.children_of(space, folder.parent)?;
        let name = match (
            state.child(space, folder.parent, &folder.name)?,
            folder.on_conflict,
        ) {
            (None, _) => folder.name,
            (Some(_), OnConflict::Rename) => state.free_name(space, folder.parent, &folder.name)?,
            // Replacing a folder with an empty one is never what a test wants; both services
            // answer a clash on folder creation with a conflict.
            (Some(existing), OnConflict::Fail | OnConflict::Replace) => {
                return Err(StoreError::NameConflict {
                    existing: Box::new(state.view(existing)),
                })
            }
        };
        let id = state.new_item_id();
        let node = folder_node(space, Some(folder.parent), name, now);
        state.insert_node(id, node);
        Ok(state.view(id))
    }

    fn write_file(
        &self,
        space: &Space,
        write: WriteFile,
        if_match: IfMatch<'_>,
    ) -> Result<Written, StoreError> {
        if let Some(name) = &write.rename {
            validate_name(name)?;
        }
        let now = self.clock.now();
        let mut state = self.lock();

        // Phase 1: find out what the write will do, changing nothing.
        enum Plan {
            NewVersion(ItemId),
            NewFile {
                folder: ItemId,
                missing: Vec<String>,
                name: String,
            },
        }
        let plan = match write.target {
            WriteTarget::Item(id) => {
                state.file(space, id).map_err(|e| match e {
                    StoreError::NotAFile => StoreError::WriteToFolder,
                    e => e,
                })?;
                Plan::NewVersion(id)
            }
            WriteTarget::Path {
                base,
                segments,
                on_conflict,
                create_parents,
            } => {
                let Some((name, parents)) = segments.split_last() else {
                    return Err(StoreError::InvalidName("the path names no file".to_owned()));
                };
                for segment in &segments {
                    validate_name(segment)?;
                }
                let mut folder = base;
                state.children_of(space, folder)?;
                let mut missing = Vec::new();
                for segment in parents {
                    if !missing.is_empty() {
                        missing.push(segment.clone());
                        continue;
                    }
                    match state.child(space, folder, segment)? {
                        Some(child) => match state.items[&child].kind {
                            NodeKind::Folder(_) => folder = child,
                            NodeKind::File(_) => return Err(StoreError::NotAFolder),
                        },
                        None if create_parents => missing.push(segment.clone()),
                        None => return Err(StoreError::ItemNotFound),
                    }
                }
                let existing = if missing.is_empty() {
                    state.child(space, folder, name)?
                } else {
                    None
                };
                match (existing, on_conflict) {
                    (None, _) => Plan::NewFile {
                        folder,
                        missing,
                        name: name.clone(),
                    },
                    (Some(id), OnConflict::Replace) => match state.items[&id].kind {
                        NodeKind::File(_) => Plan::NewVersion(id),
                        NodeKind::Folder(_) => return Err(StoreError::WriteToFolder),
                    },
                    (Some(id), OnConflict::Fail) => {
                        return Err(StoreError::NameConflict {
                            existing: Box::new(state.view(id)),
                        })
                    }
                    (Some(_), OnConflict::Rename) => {
                        let name = state.free_name(space, folder, name)?;
                        Plan::NewFile {
                            folder,
                            missing,
                            name,
                        }
                    }
                }
            }
        };
        match (&plan, if_match) {
            (Plan::NewVersion(id), _) => state.check(*id, if_match)?,
            // A precondition on something that does not exist yet cannot hold (RFC 9110 §13.1.1).
            (Plan::NewFile { .. }, Some(_)) => return Err(StoreError::PreconditionFailed),
            (Plan::NewFile { .. }, None) => {}
        }
        if let (Plan::NewVersion(id), Some(name)) = (&plan, &write.rename) {
            state.check_name_free(space, *id, name)?;
        }

        // Phase 2: apply. Nothing below can fail.
        let content = state.intern(write.content);
        let (id, created) = match plan {
            Plan::NewVersion(id) => {
                if let Some(name) = &write.rename {
                    state.rename(id, name);
                }
                state.push_version(id, content, &space.user, now, None);
                if let NodeKind::File(file) = &mut state.items.get_mut(&id).expect("planned").kind {
                    if let Some(mime) = write.mime_type {
                        file.mime_type = mime;
                    }
                    if let Some(at) = write.content_modified_at {
                        file.content_modified_at = at;
                    }
                }
                (id, false)
            }
            Plan::NewFile {
                mut folder,
                missing,
                name,
            } => {
                for segment in missing {
                    let id = state.new_item_id();
                    let node = folder_node(space, Some(folder), segment, now);
                    state.insert_node(id, node);
                    folder = id;
                }
                let id = state.new_item_id();
                let version = Version {
                    name: Arc::from(name.as_str()),
                    ..first_version(state.new_version_id(), content, &space.user, now)
                };
                state.version_index.insert(version.id, (id, 0));
                let mime_type = write.mime_type.unwrap_or_else(|| guess_mime_type(&name));
                let node = Node {
                    face: space.face,
                    owner: space.user.clone(),
                    name,
                    parent: Some(folder),
                    created_at: now,
                    created_by: space.user.clone(),
                    modified_at: now,
                    modified_by: space.user.clone(),
                    revision: 0,
                    content_revision: 0,
                    kind: NodeKind::File(FileNode {
                        versions: vec![version],
                        mime_type,
                        content_created_at: write.content_created_at.unwrap_or(now),
                        content_modified_at: write.content_modified_at.unwrap_or(now),
                    }),
                };
                state.insert_node(id, node);
                (id, true)
            }
        };
        Ok(Written {
            item: state.view(id),
            created,
        })
    }

    fn delete_item(
        &self,
        space: &Space,
        id: ItemId,
        if_match: IfMatch<'_>,
    ) -> Result<(), StoreError> {
        let mut state = self.lock();
        let node = state.node(space, id)?;
        let Some(parent) = node.parent else {
            return Err(StoreError::RootFolder);
        };
        let key = name_key(&node.name);
        state.check(id, if_match)?;
        if let NodeKind::Folder(children) = &mut state.items.get_mut(&parent).expect("parent").kind
        {
            children.remove(&key);
        }
        state.remove_subtree(id);
        state.blobs.retain(|_, blob| blob.strong_count() > 0);
        Ok(())
    }

    fn versions(
        &self,
        space: &Space,
        file: ItemId,
        query: VersionQuery,
    ) -> Result<Listing<Version>, StoreError> {
        let state = self.lock();
        let file = state.file(space, file)?;
        // Newest first, and only the requested page: the cost does not grow with the history.
        let listed = if query.include_current {
            &file.versions[..]
        } else {
            &file.versions[..file.versions.len() - 1]
        };
        Ok(Listing {
            total: listed.len(),
            entries: listed
                .iter()
                .rev()
                .skip(query.window.offset)
                .take(query.window.limit)
                .cloned()
                .collect(),
        })
    }

    fn version(
        &self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
    ) -> Result<VersionView, StoreError> {
        let state = self.lock();
        let file = state.file(space, file_id)?;
        let index = state.version_index(file_id, file, at)?;
        Ok(VersionView {
            version: file.versions[index].clone(),
            is_current: index + 1 == file.versions.len(),
        })
    }

    fn promote_version(
        &self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        rules: PromoteRules,
        if_match: IfMatch<'_>,
    ) -> Result<Version, StoreError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let file = state.file(space, file_id)?;
        let index = state.version_index(file_id, file, at)?;
        let source = &file.versions[index];
        if index + 1 == file.versions.len() && !rules.allow_current {
            return Err(StoreError::CurrentVersion);
        }
        if source.trashed_at.is_some() {
            return Err(StoreError::VersionTrashed);
        }
        let source = source.clone();
        state.check(file_id, if_match)?;
        if rules.restore_name {
            state.check_name_free(space, file_id, &source.name)?;
            state.rename(file_id, &source.name);
        }
        Ok(state.push_version(file_id, source.content, &space.user, now, Some(source.id)))
    }

    fn trash_version(
        &self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
        if_match: IfMatch<'_>,
    ) -> Result<Version, StoreError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let (_, is_current) = state.version_mut(space, file_id, at)?;
        if is_current {
            return Err(StoreError::CurrentVersion);
        }
        state.check(file_id, if_match)?;
        let (version, _) = state.version_mut(space, file_id, at)?;
        if version.trashed_at.is_none() {
            version.trashed_at = Some(now);
            version.trashed_by = Some(space.user.clone());
        }
        Ok(version.clone())
    }

    fn restore_trashed_version(
        &self,
        space: &Space,
        file_id: ItemId,
        at: VersionRef,
    ) -> Result<Version, StoreError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let (version, _) = state.version_mut(space, file_id, at)?;
        if version.trashed_at.is_some() {
            version.trashed_at = None;
            version.trashed_by = None;
            version.restored_at = Some(now);
            version.restored_by = Some(space.user.clone());
        }
        Ok(version.clone())
    }

    fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError> {
        let state = self.lock();
        let (file, index) = state
            .version_index
            .get(&id)
            .ok_or(StoreError::VersionNotFound)?;
        match &state.items[file].kind {
            NodeKind::File(file) => Ok(file.versions[*index].clone()),
            NodeKind::Folder(_) => Err(StoreError::VersionNotFound),
        }
    }

    fn reset(&self, user: Option<&str>) {
        let mut state = self.lock();
        match user {
            Some(user) => state.remove_user_data(user),
            None => {
                let mut fresh = State::new(self.seed);
                if let Some(users) = &self.token_list {
                    fresh.open_sign_in = false;
                    let fixture = Fixture {
                        users: users.clone(),
                        spaces: Vec::new(),
                    };
                    fresh
                        .load(&fixture, self.clock.now())
                        .expect("the token list loaded at start");
                }
                *state = fresh;
            }
        }
        self.forget_grants();
    }

    fn load_fixture(&self, fixture: &Fixture) -> Result<(), FixtureError> {
        let now = self.clock.now();
        let mut state = self.lock();
        // Applied to a copy that replaces the state only if every entry is accepted.
        let mut draft = state.clone();
        draft.load(fixture, now)?;
        *state = draft;
        self.forget_grants();
        Ok(())
    }

    fn export(&self, user: Option<&str>) -> Fixture {
        self.lock().export(user)
    }

    fn users(&self, window: Window) -> Listing<UserSpaces> {
        self.lock().users_page(window)
    }

    fn inspect_item(&self, id: ItemId) -> Result<NodeDetail, StoreError> {
        self.lock().node_detail(id)
    }

    fn inspect_children(
        &self,
        folder: ItemId,
        window: Window,
    ) -> Result<Listing<NodeSummary>, StoreError> {
        self.lock().children_page(folder, window)
    }

    fn timeline(
        &self,
        file: ItemId,
        order: TimelineOrder,
        window: Window,
    ) -> Result<Listing<TimelineEntry>, StoreError> {
        self.lock().timeline_page(file, order, window)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn store() -> (MemoryStore, Space) {
        let store = MemoryStore::new(Arc::new(Clock::real()));
        let user = store.sign_in("token").unwrap().user;
        (
            store,
            Space {
                face: Face::Graph,
                user,
            },
        )
    }

    fn upload(store: &MemoryStore, space: &Space, path: &[&str], body: &'static [u8]) -> Written {
        let root = store.root(space).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: root,
                segments: path.iter().map(|s| s.to_string()).collect(),
                on_conflict: OnConflict::Replace,
                create_parents: true,
            },
            content: Content::new(Bytes::from_static(body)),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        store.write_file(space, write, None).unwrap()
    }

    #[test]
    fn restoring_shares_the_bytes_of_the_restored_version() {
        let (store, space) = store();
        let first = upload(&store, &space, &["a.txt"], b"one");
        upload(&store, &space, &["a.txt"], b"two");
        let rules = PromoteRules {
            allow_current: true,
            restore_name: false,
        };
        let promoted = store
            .promote_version(&space, first.item.id, VersionRef::Number(1), rules, None)
            .unwrap();
        let original = store
            .version(&space, first.item.id, VersionRef::Number(1))
            .unwrap()
            .version;
        assert!(Arc::ptr_eq(&promoted.content, &original.content));
        assert_eq!(promoted.number, 3);
        assert_eq!(promoted.restored_from, Some(original.id));
    }

    #[test]
    fn a_failed_precondition_creates_no_parent_folders() {
        let (store, space) = store();
        let root = store.root(&space).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: root,
                segments: vec!["dir".into(), "a.txt".into()],
                on_conflict: OnConflict::Replace,
                create_parents: true,
            },
            content: Content::new(Bytes::from_static(b"x")),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        let never = |_: Tags| false;
        let result = store.write_file(&space, write, Some(&never));
        assert!(matches!(result, Err(StoreError::PreconditionFailed)));
        assert_eq!(
            store
                .children(
                    &space,
                    root,
                    Window {
                        offset: 0,
                        limit: 10
                    }
                )
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn root_id_names_the_root_and_makes_it_once() {
        let (store, space) = store();
        let id = store.root_id(&space).unwrap();
        assert_eq!(store.root(&space).unwrap().id, id);
        assert_eq!(store.root_id(&space).unwrap(), id);
    }

    #[test]
    fn another_users_items_are_not_found() {
        let (store, space) = store();
        let written = upload(&store, &space, &["a.txt"], b"one");
        let other = Space {
            face: Face::Graph,
            user: store.sign_in("other").unwrap().user,
        };
        assert!(matches!(
            store.item(&other, written.item.id),
            Err(StoreError::ItemNotFound)
        ));
        let other_face = Space {
            face: Face::Box,
            user: space.user.clone(),
        };
        assert!(matches!(
            store.item(&other_face, written.item.id),
            Err(StoreError::ItemNotFound)
        ));
    }
}
