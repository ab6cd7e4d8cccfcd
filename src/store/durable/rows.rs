//! The rows a data dir keeps, as JSON values in redb tables: one per item, one per version, and
//! a few named values (format version, id counters, accounts, a frozen clock).
//!
//! Rows name users by id and bodies by SHA-256 (with the other two hashes, so that opening a
//! data dir reads each body once and hashes nothing).

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::blobs::{hex, unhex};
use crate::accounts::{Directory, User};
use crate::content::Content;
use crate::store::domain::{Face, ItemId, SpaceOwner, Trashed, Version, VersionId};
use crate::store::tree::{FileNode, Node, NodeKind};

#[derive(Debug, Serialize, Deserialize)]
pub struct ItemRow {
    pub face: Face,
    /// The owning user's id, or with `shared` the drive's.
    pub owner: String,
    /// Set on the items of a shared drive (a library); absent in rows written before them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
    pub name: String,
    pub parent: Option<ItemId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub modified_at: DateTime<Utc>,
    pub modified_by: String,
    pub revision: u64,
    pub content_revision: u64,
    /// When and by whom the item itself was put in the trash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed: Option<(DateTime<Utc>, String)>,
    /// `None` for a folder.
    pub file: Option<FileRow>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FileRow {
    pub mime_type: String,
    pub content_created_at: DateTime<Utc>,
    pub content_modified_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct VersionRow {
    pub file: ItemId,
    pub number: u32,
    pub sha256: String,
    pub sha1: String,
    pub quick_xor: String,
    pub size: u64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub trashed_at: Option<DateTime<Utc>>,
    pub trashed_by: Option<String>,
    pub restored_at: Option<DateTime<Utc>>,
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
            created_at: node.created_at,
            created_by: node.created_by.id.clone(),
            modified_at: node.modified_at,
            modified_by: node.modified_by.id.clone(),
            revision: node.revision,
            content_revision: node.content_revision,
            trashed: (node.trashed.as_ref()).map(|t| (t.at, t.by.id.clone())),
            file: match &node.kind {
                NodeKind::Folder(_) => None,
                NodeKind::File(file) => Some(FileRow {
                    mime_type: file.mime_type.clone(),
                    content_created_at: file.content_created_at,
                    content_modified_at: file.content_modified_at,
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
            sha256: hex(&content.sha256),
            sha1: hex(&content.sha1),
            quick_xor: hex(&content.quick_xor),
            size: content.len(),
            name: version.name.to_string(),
            created_at: version.created_at,
            created_by: version.created_by.id.clone(),
            trashed_at: version.trashed_at,
            trashed_by: version.trashed_by.as_ref().map(|u| u.id.clone()),
            restored_at: version.restored_at,
            restored_by: version.restored_by.as_ref().map(|u| u.id.clone()),
            restored_from: version.restored_from,
        }
    }

    pub fn body(&self) -> Option<[u8; 32]> {
        unhex(&self.sha256)
    }
}

/// Puts rows back together into nodes, resolving users in `users` and bodies through `read`
/// (each body once). Any row that does not fit is damage, reported with what it is.
pub fn nodes(
    items: Vec<(ItemId, ItemRow)>,
    versions: Vec<(VersionId, VersionRow)>,
    users: &Directory,
    mut read: impl FnMut(&[u8; 32]) -> Result<Vec<u8>, String>,
) -> Result<Vec<(ItemId, Node)>, String> {
    let user = |id: &str| -> Result<Arc<User>, String> {
        users
            .user(id)
            .cloned()
            .ok_or_else(|| format!("a row names user {id:?}, whom the accounts do not list"))
    };
    let mut histories: HashMap<ItemId, Vec<Version>> = HashMap::new();
    let mut bodies: HashMap<[u8; 32], Arc<Content>> = HashMap::new();
    for (id, row) in versions {
        let sha256 = row
            .body()
            .ok_or_else(|| format!("version {id} has no valid hash"))?;
        let content = match bodies.get(&sha256) {
            Some(content) => content.clone(),
            None => {
                let bytes = read(&sha256)?;
                let content =
                    Arc::new(content_of(&row, sha256, bytes).ok_or_else(|| {
                        format!("the body of version {id} does not match its row")
                    })?);
                bodies.insert(sha256, content.clone());
                content
            }
        };
        let optional = |u: &Option<String>| u.as_deref().map(user).transpose();
        histories.entry(row.file).or_default().push(Version {
            id,
            number: row.number,
            content,
            name: Arc::from(row.name.as_str()),
            created_at: row.created_at,
            created_by: user(&row.created_by)?,
            trashed_at: row.trashed_at,
            trashed_by: optional(&row.trashed_by)?,
            restored_at: row.restored_at,
            restored_by: optional(&row.restored_by)?,
            restored_from: row.restored_from,
        });
    }
    let mut nodes = Vec::with_capacity(items.len());
    for (id, row) in items {
        let kind = match row.file {
            None => NodeKind::Folder(Default::default()),
            Some(file) => {
                let mut versions = histories.remove(&id).unwrap_or_default();
                if versions.is_empty() {
                    return Err(format!("file {id} has no versions"));
                }
                versions.sort_by_key(|v| v.number);
                NodeKind::File(FileNode {
                    versions,
                    mime_type: file.mime_type,
                    content_created_at: file.content_created_at,
                    content_modified_at: file.content_modified_at,
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
                created_at: row.created_at,
                created_by: user(&row.created_by)?,
                modified_at: row.modified_at,
                modified_by: user(&row.modified_by)?,
                revision: row.revision,
                content_revision: row.content_revision,
                trashed: match &row.trashed {
                    None => None,
                    Some((at, by)) => Some(Trashed {
                        at: *at,
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

/// The body with the hashes its row gives, if the file is as long as the row says (bodies are
/// fsynced before their row commits, so a complete file is the right one; hashing every body
/// again would make opening cost as much as the bytes).
fn content_of(row: &VersionRow, sha256: [u8; 32], bytes: Vec<u8>) -> Option<Content> {
    if bytes.len() as u64 != row.size {
        return None;
    }
    let array = |text: &str| -> Option<[u8; 20]> {
        let mut out = [0u8; 20];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        (text.len() == 40).then_some(out)
    };
    Some(Content {
        bytes: Bytes::from(bytes),
        sha1: array(&row.sha1)?,
        sha256,
        quick_xor: array(&row.quick_xor)?,
    })
}
