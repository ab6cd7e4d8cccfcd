//! The rows a data dir keeps in its backend's tables, one per item and one per version, in
//! postcard's compact binary form; and the few named values beside them (format version, id
//! counters, accounts, a frozen clock, groups) as JSON.
//!
//! Rows name users (or a shared drive) by id and bodies by the hashes they have, so that opening
//! a data dir reads each body once and hashes it once only to verify it (`super::readback`).
//! Dates are seconds and nanoseconds, not chrono's RFC 3339 text: opening decodes every row,
//! 10⁵ and more of them, and a parse per date was most of that.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::accounts::{Directory, User};
use crate::store::change_log::{ChangeEntry, ChangeKind, SpaceKey};
use crate::store::content::Content;
use crate::store::domain::{Face, ItemId, SpaceOwner, Trashed, Version, VersionId};
use crate::store::tree::{FileNode, Node, NodeKind};

/// A row as bytes. postcard is not self-describing: every field is written, in order (no
/// `skip_serializing_if`, no `default`), and a change to a row's fields is a new `FORMAT`.
pub fn encode<T: Serialize>(row: &T) -> Vec<u8> {
    postcard::to_allocvec(row).expect("rows are plain data")
}

pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// A moment as seconds and nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp(i64, u32);

impl From<DateTime<Utc>> for Stamp {
    fn from(at: DateTime<Utc>) -> Self {
        Self(at.timestamp(), at.timestamp_subsec_nanos())
    }
}

impl Stamp {
    fn time(self) -> Result<DateTime<Utc>, String> {
        DateTime::from_timestamp(self.0, self.1)
            .ok_or_else(|| format!("a date out of range ({}s)", self.0))
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ItemRow {
    pub face: Face,
    /// The owning user's id, or with `shared` the drive's.
    pub owner: String,
    /// Set on the items of a shared drive (a library).
    pub shared: bool,
    pub name: String,
    pub parent: Option<ItemId>,
    pub created_at: Stamp,
    pub created_by: String,
    pub modified_at: Stamp,
    pub modified_by: String,
    pub revision: u64,
    pub content_revision: u64,
    /// When and by whom the item itself was put in the trash.
    pub trashed: Option<(Stamp, String)>,
    /// `None` for a folder.
    pub file: Option<FileRow>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileRow {
    pub mime_type: String,
    pub content_created_at: Stamp,
    pub content_modified_at: Stamp,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct VersionRow {
    pub file: ItemId,
    pub number: u32,
    pub minor: u32,
    pub blake3: [u8; 32],
    /// Only when the upload made it (a Box upload): a Graph body's is made on first use.
    pub sha1: Option<[u8; 20]>,
    pub quick_xor: [u8; 20],
    pub size: u64,
    pub name: String,
    pub created_at: Stamp,
    pub created_by: String,
    pub trashed_at: Option<Stamp>,
    pub trashed_by: Option<String>,
    pub restored_at: Option<Stamp>,
    pub restored_by: Option<String>,
    pub restored_from: Option<VersionId>,
}

impl ItemRow {
    pub fn of(node: &Node) -> Self {
        Self {
            face: node.face,
            owner: node.owner.id().to_owned(),
            shared: node.owner.user().is_none(),
            name: node.name.clone(),
            parent: node.parent,
            created_at: node.created_at.into(),
            created_by: node.created_by.id.clone(),
            modified_at: node.modified_at.into(),
            modified_by: node.modified_by.id.clone(),
            revision: node.revision,
            content_revision: node.content_revision,
            trashed: (node.trashed.as_ref()).map(|t| (t.at.into(), t.by.id.clone())),
            file: match &node.kind {
                NodeKind::Folder(_) => None,
                NodeKind::File(file) => Some(FileRow {
                    mime_type: file.mime_type.clone(),
                    content_created_at: file.content_created_at.into(),
                    content_modified_at: file.content_modified_at.into(),
                }),
            },
        }
    }
}

impl VersionRow {
    pub fn of(file: ItemId, version: &Version) -> Self {
        let content = &version.content;
        Self {
            file,
            number: version.number,
            minor: version.minor,
            blake3: content.blake3,
            // Not made here for a Graph upload: this runs under the store's lock, and SHA-1 of a
            // MiB is half a millisecond that only Box and the admin API ever read.
            sha1: content.made_sha1(),
            quick_xor: content.quick_xor,
            size: content.len(),
            name: version.name.to_string(),
            created_at: version.created_at.into(),
            created_by: version.created_by.id.clone(),
            trashed_at: version.trashed_at.map(Stamp::from),
            trashed_by: version.trashed_by.as_ref().map(|u| u.id.clone()),
            restored_at: version.restored_at.map(Stamp::from),
            restored_by: version.restored_by.as_ref().map(|u| u.id.clone()),
            restored_from: version.restored_from,
        }
    }
}

/// A change-log entry (`crate::store::change_log`), keyed by its position.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChangeRow {
    pub face: Face,
    pub shared: bool,
    pub owner: String,
    pub item: ItemId,
    pub parent: Option<ItemId>,
    pub name: String,
    pub folder: bool,
    pub kind: ChangeKind,
    pub actor: String,
    pub at: Stamp,
}

impl ChangeRow {
    pub fn of(entry: &ChangeEntry) -> Self {
        Self {
            face: entry.space.face,
            shared: entry.space.shared,
            owner: entry.space.owner.to_string(),
            item: entry.item,
            parent: entry.parent,
            name: entry.name.clone(),
            folder: entry.folder,
            kind: entry.kind,
            actor: entry.actor.to_string(),
            at: entry.at.into(),
        }
    }

    pub fn entry(self, position: u64) -> Result<ChangeEntry, String> {
        Ok(ChangeEntry {
            position,
            space: SpaceKey {
                face: self.face,
                shared: self.shared,
                owner: Arc::from(self.owner),
            },
            item: self.item,
            parent: self.parent,
            name: self.name,
            folder: self.folder,
            kind: self.kind,
            actor: Arc::from(self.actor),
            at: (self.at.time()).map_err(|e| format!("change {position} is damaged: {e}"))?,
        })
    }
}

/// Puts rows back together into nodes, resolving users in `users` and bodies through `body`
/// (called once per distinct body, with the first version that holds it). Any row that does not
/// fit is damage, reported with what it is.
pub fn nodes(
    items: Vec<(ItemId, ItemRow)>,
    versions: Vec<(VersionId, VersionRow)>,
    users: &Directory,
    mut body: impl FnMut(VersionId, &VersionRow) -> Result<Arc<Content>, String>,
) -> Result<Vec<(ItemId, Node)>, String> {
    let user = |id: &str| -> Result<Arc<User>, String> {
        users
            .user(id)
            .cloned()
            .ok_or_else(|| format!("a row names user {id:?}, whom the accounts do not list"))
    };
    let mut histories: HashMap<ItemId, Vec<Version>> = HashMap::with_capacity(items.len());
    let mut bodies: HashMap<[u8; 32], Arc<Content>> = HashMap::new();
    for (id, row) in versions {
        let damaged = |e: String| format!("version {id} is damaged: {e}");
        let content = match bodies.get(&row.blake3) {
            Some(content) => content.clone(),
            None => {
                let content = body(id, &row)?;
                bodies.insert(row.blake3, content.clone());
                content
            }
        };
        let optional = |u: &Option<String>| u.as_deref().map(user).transpose();
        let time = |at: Option<Stamp>| at.map(Stamp::time).transpose().map_err(damaged);
        histories
            .entry(row.file)
            .or_insert_with(|| Vec::with_capacity(8))
            .push(Version {
                id,
                number: row.number,
                minor: row.minor,
                content,
                name: Arc::from(row.name.as_str()),
                created_at: row.created_at.time().map_err(damaged)?,
                created_by: user(&row.created_by)?,
                trashed_at: time(row.trashed_at)?,
                trashed_by: optional(&row.trashed_by)?,
                restored_at: time(row.restored_at)?,
                restored_by: optional(&row.restored_by)?,
                restored_from: row.restored_from,
            });
    }
    let mut nodes = Vec::with_capacity(items.len());
    for (id, row) in items {
        let damaged = |e: String| format!("item {id} is damaged: {e}");
        let kind = match row.file {
            None => NodeKind::Folder(Default::default()),
            Some(file) => {
                let mut versions = histories.remove(&id).unwrap_or_default();
                if versions.is_empty() {
                    return Err(format!("file {id} has no versions"));
                }
                versions.sort_by_key(|v| (v.number, v.minor));
                NodeKind::File(FileNode {
                    versions: versions.into_iter().map(Arc::new).collect(),
                    mime_type: file.mime_type,
                    content_created_at: file.content_created_at.time().map_err(damaged)?,
                    content_modified_at: file.content_modified_at.time().map_err(damaged)?,
                })
            }
        };
        nodes.push((
            id,
            Node {
                face: row.face,
                owner: match row.shared {
                    true => SpaceOwner::Drive(Arc::from(row.owner.as_str())),
                    false => SpaceOwner::User(user(&row.owner)?),
                },
                name: row.name,
                parent: row.parent,
                created_at: row.created_at.time().map_err(damaged)?,
                created_by: user(&row.created_by)?,
                modified_at: row.modified_at.time().map_err(damaged)?,
                modified_by: user(&row.modified_by)?,
                revision: row.revision,
                content_revision: row.content_revision,
                trashed: match &row.trashed {
                    None => None,
                    Some((at, by)) => Some(Trashed {
                        at: at.time().map_err(damaged)?,
                        by: user(by)?,
                    }),
                },
                kind,
            },
        ));
    }
    if let Some(file) = histories.keys().next() {
        return Err(format!("versions name file {file}, which has no row"));
    }
    Ok(nodes)
}
