//! The tree: every item, version and shared body one store holds, the indexes over them, and the
//! operations on them, as plain data behind no lock. A store wraps it in its one mutex
//! (`super::engine`) and calls one operation per store call.
//!
//! Every operation checks everything before its first write (plan, then apply), so an error
//! leaves the tree as it was; that is what makes each store call atomic under one lock.

#[cfg(test)]
mod arrange;
mod children;
mod collaborations;
mod comments;
mod copy;
mod edit;
mod favorites;
mod feed;
mod find;
mod inspect;
mod locks;
mod metadata;
mod moves;
mod org_records;
mod path_limits;
mod records;
mod search;
mod shared_links;
mod sharing;
mod sizes;
mod special;
mod tasks;
mod trash;
mod view;
mod write;
mod zip;

pub(crate) use children::Children;
pub(crate) use feed::Noted;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Weak};

use chrono::{DateTime, Utc};

use super::change_log::ChangeLog;
use super::changes::ChangeSet;
use super::domain::{
    Face, ItemId, ItemKind, Space, SpaceOwner, Tags, Trashed, Version, VersionId, VersionRef,
};
use super::org::Org;
use super::precondition::Precondition;
use super::rules::{self, name_key, Entry};
use super::sharing::Sharing;
use super::StoreError;
use crate::control::clock::Clock;
use crate::store::accounts::User;
use crate::store::content::Content;

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

/// The next ids to hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    pub next_item: u64,
    pub next_version: u64,
}

#[derive(Debug, Clone)]
pub struct Tree {
    counters: Counters,
    roots: HashMap<(Face, SpaceOwner), ItemId>,
    items: HashMap<ItemId, Node>,
    /// Where each version lives: its file and its index in that file's history.
    version_index: HashMap<VersionId, (ItemId, usize)>,
    /// The items put in the trash themselves (not those below a trashed folder), every space's.
    trash: BTreeSet<ItemId>,
    /// One `Content` per distinct body, found by its BLAKE3 so equal uploads share their bytes.
    blobs: HashMap<[u8; 32], Weak<Content>>,
    /// The bodies of the versions removed since `drop_unused_blobs` last ran, and how many
    /// were removed since it last looked at every body (`Released`).
    released: Released,
    /// Groups, sites and their document libraries (the shared drives): few, and kept under the
    /// same lock as the items so that a drive made on first use and its root apply together.
    org: Org,
    /// Sharing links, invitations, check-outs, Box locks, descriptions and tags
    /// (`super::sharing`).
    sharing: Sharing,
    /// What changed since the store last took it; `None` when the store keeps nothing elsewhere.
    changes: Option<ChangeSet>,
    /// Every committed change, in order, for the outlets (`feed`).
    log: ChangeLog,
    /// The emulator's clock, read where something lapses on it (a Box shared link's
    /// `unshared_at`, a collaboration's `expires_at`) so that a read needs no write to the tree.
    clock: Arc<Clock>,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub face: Face,
    pub owner: SpaceOwner,
    pub name: String,
    pub parent: Option<ItemId>,
    pub created_at: DateTime<Utc>,
    pub created_by: Arc<User>,
    pub modified_at: DateTime<Utc>,
    pub modified_by: Arc<User>,
    pub revision: u64,
    pub content_revision: u64,
    /// Set when this item itself was put in the trash. It then sits in no folder's index (its
    /// name is free again) but keeps `parent`, where a restore puts it back.
    pub trashed: Option<Trashed>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    /// Children by `rules::name_key`: both services compare names case-insensitively.
    Folder(Children),
    File(FileNode),
}

/// What `Tree::drop_unused_blobs` has to look at.
#[derive(Debug, Clone, Default)]
struct Released {
    bodies: Vec<[u8; 32]>,
    since_sweep: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct FileNode {
    /// Oldest first; the last one is current. Each is shared with the views and pages that show
    /// it, so showing one clones one `Arc` rather than the three to five inside a `Version`: a
    /// page is read on both workers at once, and every shared counter it touches moves between
    /// their cores. A change to a version goes through `Arc::make_mut`.
    pub versions: Vec<Arc<Version>>,
    pub mime_type: String,
    pub content_created_at: DateTime<Utc>,
    pub content_modified_at: DateTime<Utc>,
}

impl FileNode {
    pub fn current(&self) -> &Arc<Version> {
        self.versions.last().expect("a file always has a version")
    }
}

impl Tree {
    /// An empty tree. With `track`, every operation records what it changed for `take_changes`.
    pub fn new(seed: IdSeed, track: bool, clock: Arc<Clock>) -> Self {
        Self {
            counters: Counters {
                next_item: seed.first_item,
                next_version: seed.first_version,
            },
            roots: HashMap::new(),
            items: HashMap::new(),
            version_index: HashMap::new(),
            trash: BTreeSet::new(),
            blobs: HashMap::new(),
            released: Released::default(),
            org: Org::default(),
            sharing: Sharing::default(),
            changes: track.then(ChangeSet::default),
            log: ChangeLog::default(),
            clock,
        }
    }

    /// The emulator's time now, for judging what lapses on it.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// What changed since the last call (empty when the tree does not track changes).
    pub fn take_changes(&mut self) -> ChangeSet {
        self.changes
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Marks the whole tree as changed: after it replaced another one.
    pub fn mark_replaced(&mut self) {
        if let Some(changes) = &mut self.changes {
            *changes = ChangeSet {
                replaced: true,
                ..ChangeSet::default()
            };
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    pub fn org(&self) -> &Org {
        &self.org
    }

    /// Runs `op` on the groups, sites and libraries, recording a change if it made one.
    pub fn org_op<T>(&mut self, op: impl FnOnce(&mut Org) -> T) -> T {
        let value = op(&mut self.org);
        if self.org.take_dirty() {
            self.changed(|c| c.org = true);
        }
        value
    }

    fn changed(&mut self, record: impl FnOnce(&mut ChangeSet)) {
        if let Some(changes) = &mut self.changes {
            record(changes);
        }
    }

    /// The items trashed on their own, by the folder they were in, each folder's by id: they are
    /// in no folder's index, so a walk below a folder finds them here. A walk makes this once,
    /// rather than looking through the whole trash at each folder.
    fn trashed_by_folder(&self) -> HashMap<ItemId, Vec<ItemId>> {
        let mut by_folder: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
        for id in &self.trash {
            if let Some(parent) = self.items.get(id).and_then(|n| n.parent) {
                by_folder.entry(parent).or_default().push(*id);
            }
        }
        by_folder
    }

    /// Whether the files of `owner` get minor versions: only a library with them turned on.
    fn minor_versions(&self, owner: &SpaceOwner) -> bool {
        match owner {
            SpaceOwner::Drive(id) => self.org.library(id).is_some_and(|l| l.minor_versions),
            SpaceOwner::User(_) => false,
        }
    }

    fn new_item_id(&mut self) -> ItemId {
        let id = ItemId(self.counters.next_item);
        self.counters.next_item += 1;
        id
    }

    fn new_version_id(&mut self) -> VersionId {
        let id = VersionId(self.counters.next_version);
        self.counters.next_version += 1;
        id
    }

    /// The one shared `Content` for these bytes.
    fn intern(&mut self, content: Content) -> Arc<Content> {
        if let Some(existing) = self.held(&content) {
            return existing;
        }
        let shared = Arc::new(content);
        self.blobs.insert(shared.blake3, Arc::downgrade(&shared));
        shared
    }

    /// The one shared `Content` for the bytes `content` holds: it, or an equal one held already.
    fn intern_shared(&mut self, content: &Arc<Content>) -> Arc<Content> {
        if let Some(existing) = self.held(content) {
            return existing;
        }
        self.blobs.insert(content.blake3, Arc::downgrade(content));
        content.clone()
    }

    /// A body held already with the same BLAKE3 and length as `content`.
    ///
    /// The bytes themselves are not compared: the BLAKE3 names the body, as a digest names a
    /// blob in Git or an OCI registry, and comparing a 1 MiB re-upload byte by byte took 6 % of
    /// its CPU, under the store's lock. A data dir names its body files by the same digest.
    fn held(&self, content: &Content) -> Option<Arc<Content>> {
        let existing = self.blobs.get(&content.blake3).and_then(Weak::upgrade)?;
        (existing.bytes.len() == content.bytes.len()).then_some(existing)
    }

    /// Notes that a version holding `content` is gone, for `drop_unused_blobs`.
    fn release(&mut self, content: &Content) {
        self.released.bodies.push(content.blake3);
    }

    /// Forgets the bodies nothing holds any more: those of the versions just removed, and now
    /// and then every body, for one a download or an upload session still held when its last
    /// version went. Looking at every body on each delete cost a drive of 2·10⁴ files about
    /// 0.15 ms per delete. Now a delete looks at the bodies it released, and every body is
    /// looked at once those released since the last sweep reach `1 / SWEEP_EVERY` of the bodies
    /// held, which spreads the sweep's cost over the deletes that called for it.
    fn drop_unused_blobs(&mut self) {
        const SWEEP_EVERY: usize = 4;
        let released = std::mem::take(&mut self.released.bodies);
        self.released.since_sweep += released.len();
        let mut dropped = Vec::new();
        if self.released.since_sweep * SWEEP_EVERY >= self.blobs.len() {
            self.released.since_sweep = 0;
            self.blobs.retain(|key, blob| {
                let held = blob.strong_count() > 0;
                if !held {
                    dropped.push(*key);
                }
                held
            });
        } else {
            for key in released {
                if self.blobs.get(&key).is_some_and(|b| b.strong_count() == 0) {
                    self.blobs.remove(&key);
                    dropped.push(key);
                }
            }
        }
        self.changed(|c| c.removed_bodies.extend(dropped));
    }

    /// The id of the space's root folder, made on first use.
    pub fn root_id(&mut self, space: &Space, now: DateTime<Utc>) -> ItemId {
        let key = (space.face, space.owner.clone());
        if let Some(id) = self.roots.get(&key) {
            return *id;
        }
        let id = self.new_item_id();
        self.insert_node(id, folder_node(space, None, "root".to_owned(), now));
        self.roots.insert(key, id);
        id
    }

    /// Whether `id` is a drive's (or Box account's) root folder, where Graph refuses a few folder
    /// names (`rules::validate_folder_name`).
    fn is_root(&self, id: ItemId) -> bool {
        self.items
            .get(&id)
            .is_some_and(|node| node.parent.is_none())
    }

    /// The node, if it exists, belongs to the space and is not in the trash (itself or through
    /// a folder above it). Another space's item is as absent as one that never existed.
    fn node(&self, space: &Space, id: ItemId) -> Result<&Node, StoreError> {
        let node = self.any_node(space, id)?;
        if self.in_trash(id) {
            return Err(StoreError::Trashed);
        }
        Ok(node)
    }

    /// The node, in the trash or not.
    fn any_node(&self, space: &Space, id: ItemId) -> Result<&Node, StoreError> {
        match self.items.get(&id) {
            Some(node) if node.face == space.face && node.owner == space.owner => Ok(node),
            _ => Err(StoreError::ItemNotFound),
        }
    }

    /// `top` and everything below it, in pre-order (each folder before what it holds, children
    /// by name). Items in the trash are in no folder's index, so they are left out.
    fn live_subtree(&self, top: ItemId) -> Vec<ItemId> {
        let mut order = Vec::new();
        let mut stack = vec![top];
        while let Some(id) = stack.pop() {
            order.push(id);
            if let Some(NodeKind::Folder(children)) = self.items.get(&id).map(|n| &n.kind) {
                let from = stack.len();
                stack.extend(children.values());
                stack[from..].reverse();
            }
        }
        order
    }

    /// Whether the item or a folder above it is in the trash. Free while the trash is empty,
    /// which is the common case; otherwise a walk up the item's folders.
    fn in_trash(&self, id: ItemId) -> bool {
        if self.trash.is_empty() {
            return false;
        }
        let mut cursor = Some(id);
        while let Some(at) = cursor {
            let Some(node) = self.items.get(&at) else {
                return false;
            };
            if node.trashed.is_some() {
                return true;
            }
            cursor = node.parent;
        }
        false
    }

    fn file(&self, space: &Space, id: ItemId) -> Result<&FileNode, StoreError> {
        match &self.node(space, id)?.kind {
            NodeKind::File(file) => Ok(file),
            NodeKind::Folder(_) => Err(StoreError::NotAFile),
        }
    }

    fn children_of(&self, space: &Space, id: ItemId) -> Result<&Children, StoreError> {
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

    /// What `name` in `folder` is, for `rules::walk`.
    fn entry(&self, space: &Space, folder: ItemId, name: &str) -> Entry<ItemId> {
        match self.child(space, folder, name) {
            Ok(Some(id)) => match self.items[&id].kind {
                NodeKind::Folder(_) => Entry::Folder(id),
                NodeKind::File(_) => Entry::File(id),
            },
            Ok(None) | Err(_) => Entry::Missing,
        }
    }

    /// A name in `folder` that no child has: `name`, or the first free `stem N.ext`.
    fn free_name(&self, space: &Space, folder: ItemId, name: &str) -> Result<String, StoreError> {
        let children = self.children_of(space, folder)?;
        Ok(rules::free_name(name, |candidate| {
            children.contains_key(&name_key(candidate))
        }))
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
                let at = |i: &usize| file.versions.get(*i).map(|v| (v.number, v.minor));
                match guess.filter(|i| at(i) == Some((n, 0))) {
                    Some(i) => Some(i),
                    None => (file.versions)
                        .binary_search_by_key(&(n, 0), |v| (v.number, v.minor))
                        .ok(),
                }
            }
            VersionRef::Minor(n, minor) => (file.versions)
                .binary_search_by_key(&(n, minor), |v| (v.number, v.minor))
                .ok(),
            VersionRef::Id(id) => match self.version_index.get(&id) {
                Some((owner, index)) if *owner == file_id => Some(*index),
                _ => None,
            },
        };
        index
            .filter(|i| *i < file.versions.len())
            .ok_or(StoreError::VersionNotFound)
    }

    /// Refuses the change unless the item's tags satisfy the precondition, if there is one.
    fn check(&self, id: ItemId, precondition: Option<Precondition>) -> Result<(), StoreError> {
        let node = &self.items[&id];
        let tags = Tags {
            item: id,
            revision: node.revision,
            content_revision: node.content_revision,
        };
        match precondition {
            Some(precondition) if !precondition.holds(tags) => Err(StoreError::PreconditionFailed),
            _ => Ok(()),
        }
    }

    /// The node with this id, whoever owns it (for a store that writes nodes down).
    pub(crate) fn node_by_id(&self, id: ItemId) -> Option<&Node> {
        self.items.get(&id)
    }

    /// A version by id and the file it belongs to, whoever owns it.
    pub(crate) fn version_record(&self, id: VersionId) -> Option<(ItemId, &Version)> {
        let (file, index) = self.version_index.get(&id)?;
        match &self.items.get(file)?.kind {
            NodeKind::File(node) => Some((*file, node.versions.get(*index)?)),
            NodeKind::Folder(_) => None,
        }
    }

    /// Every node, in no particular order.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = (ItemId, &Node)> {
        self.items.iter().map(|(id, node)| (*id, node))
    }

    /// A tree made from nodes read back from disk: folders' child maps must be empty and files'
    /// histories complete; the indexes (roots, children, versions, bodies) are made here.
    pub(crate) fn rebuild(
        seed: IdSeed,
        counters: Counters,
        nodes: Vec<(ItemId, Node)>,
        org: Org,
        track: bool,
        clock: Arc<Clock>,
    ) -> Self {
        let mut tree = Self::new(seed, track, clock);
        tree.counters = counters;
        tree.org = org;
        let versions = (nodes.iter())
            .map(|(_, node)| match &node.kind {
                NodeKind::File(file) => file.versions.len(),
                NodeKind::Folder(_) => 0,
            })
            .sum();
        tree.items.reserve(nodes.len());
        tree.version_index.reserve(versions);
        let mut children = Vec::with_capacity(nodes.len());
        for (id, mut node) in nodes {
            // An item in the trash is in no folder's index, only in the trash's.
            match node.parent {
                None => {
                    tree.roots.insert((node.face, node.owner.clone()), id);
                }
                Some(_) if node.trashed.is_some() => {
                    tree.trash.insert(id);
                }
                Some(parent) => children.push((
                    parent,
                    name_key(&node.name),
                    id,
                    matches!(node.kind, NodeKind::Folder(_)),
                )),
            }
            if let NodeKind::File(file) = &mut node.kind {
                for (index, version) in file.versions.iter_mut().enumerate() {
                    tree.version_index.insert(version.id, (id, index));
                    Arc::make_mut(version).content = tree.intern_shared(&version.content);
                }
            }
            tree.items.insert(id, node);
        }
        for (parent, key, id, folder) in children {
            if let Some(NodeKind::Folder(map)) = tree.items.get_mut(&parent).map(|p| &mut p.kind) {
                map.insert(key, id, folder);
            }
        }
        tree.recount_bytes();
        tree
    }

    /// The body with this BLAKE3, if a version holds it.
    pub(crate) fn body(&self, blake3: &[u8; 32]) -> Option<Arc<Content>> {
        self.blobs.get(blake3).and_then(Weak::upgrade)
    }

    /// The BLAKE3 of every body some version holds.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = [u8; 32]> + '_ {
        self.blobs
            .iter()
            .filter(|(_, blob)| blob.strong_count() > 0)
            .map(|(key, _)| *key)
    }

    /// A version by id alone, for pre-authenticated download links, which carry no token.
    /// A file in the trash serves no download until it is restored.
    pub fn version_by_id(&self, id: VersionId) -> Result<Version, StoreError> {
        let (file, index) = self
            .version_index
            .get(&id)
            .ok_or(StoreError::VersionNotFound)?;
        if self.in_trash(*file) {
            return Err(StoreError::VersionNotFound);
        }
        match &self.items[file].kind {
            NodeKind::File(file) => Ok(Version::clone(&file.versions[*index])),
            NodeKind::Folder(_) => Err(StoreError::VersionNotFound),
        }
    }
}

/// Refuses a node of the other kind than `kind` asks for, as an unknown item.
pub(super) fn is_kind(node: &Node, kind: Option<ItemKind>) -> Result<(), StoreError> {
    match (kind, &node.kind) {
        (Some(ItemKind::File), NodeKind::Folder(_))
        | (Some(ItemKind::Folder), NodeKind::File(_)) => Err(StoreError::ItemNotFound),
        _ => Ok(()),
    }
}

/// A new, empty folder in the space, made by its actor; `None` as parent makes a root.
fn folder_node(space: &Space, parent: Option<ItemId>, name: String, now: DateTime<Utc>) -> Node {
    Node {
        face: space.face,
        owner: space.owner.clone(),
        name,
        parent,
        created_at: now,
        created_by: space.actor.clone(),
        modified_at: now,
        modified_by: space.actor.clone(),
        revision: 0,
        content_revision: 0,
        trashed: None,
        kind: NodeKind::Folder(Children::default()),
    }
}

/// The label of the version after `current`: its next minor one, or the next major one.
fn next_label(current: &Version, minor: bool) -> (u32, u32) {
    match minor {
        true => (current.number, current.minor + 1),
        false => (current.number + 1, 0),
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
        minor: 0,
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

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::arrange::Arranged;
    use crate::store::content::Content;

    const BODIES: [&[u8]; 40] = [
        b"00", b"01", b"02", b"03", b"04", b"05", b"06", b"07", b"08", b"09", b"10", b"11", b"12",
        b"13", b"14", b"15", b"16", b"17", b"18", b"19", b"20", b"21", b"22", b"23", b"24", b"25",
        b"26", b"27", b"28", b"29", b"30", b"31", b"32", b"33", b"34", b"35", b"36", b"37", b"38",
        b"39",
    ];

    #[test]
    fn a_delete_forgets_the_bodies_it_released_and_a_later_sweep_one_still_held_then() {
        let mut at = Arranged::new();
        let files: Vec<_> = (BODIES.iter().enumerate())
            .map(|(i, body)| at.file(at.root, &[&format!("f{i}.txt")], body))
            .collect();
        let sha = |i: usize| Content::new(Bytes::from_static(BODIES[i])).blake3;
        let Arranged {
            mut tree, space, ..
        } = at;
        tree.take_changes();
        let delete = |tree: &mut super::Tree, i: usize| {
            tree.delete_item(&space, files[i], None).unwrap();
            tree.take_changes().removed_bodies
        };

        // A download still holds the first body when its file goes.
        let held = tree.body(&sha(0)).expect("the first body");
        assert_eq!(delete(&mut tree, 0), [] as [[u8; 32]; 0], "held, so kept");
        assert_eq!(
            delete(&mut tree, 1),
            [sha(1)],
            "the body it released, alone"
        );
        drop(held);
        let mut swept_at = None;
        for i in 2..BODIES.len() {
            let removed = delete(&mut tree, i);
            if removed.contains(&sha(0)) {
                swept_at = Some(i);
                break;
            }
            assert_eq!(
                removed,
                [sha(i)],
                "before the sweep, only what delete {i} released"
            );
        }

        // The sweep comes once the bodies released since the last one are a quarter of those
        // held: at the ninth delete, 9 × 4 ≥ the 33 bodies then held.
        assert_eq!(swept_at, Some(8));
        assert!(tree.body(&sha(0)).is_none());
    }
}
