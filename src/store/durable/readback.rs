//! Reading a data dir back: every row the backend holds, decoded and checked, then the tree
//! rebuilt from them with each body read (and verified) once. Opening does it, and so does the
//! recovery after a commit failed. The same for every backend.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;

use super::backend::{Backend, Row, Rows};
use super::blobs::Blobs;
use super::rows::{self, ChangeRow, ItemRow, VersionRow};
use super::FORMAT;
use crate::control::clock::Clock;
use crate::store::accounts::{AccountRecord, Directory};
use crate::store::change_log::{self, ChangeEntry, ChangeLog, LogBounds};
use crate::store::content::Content;
use crate::store::org::Org;
use crate::store::sharing::Sharing;
use crate::store::tree::{Counters, IdSeed, Tree};
use crate::store::{ItemId, VersionId};

/// Everything a data dir holds, decoded.
pub struct Read {
    /// Nothing was kept yet (a new data dir, or one emptied by a reset).
    pub fresh: bool,
    pub counters: Option<Counters>,
    pub accounts: Vec<AccountRecord>,
    pub frozen_at: Option<i64>,
    /// Groups, sites and libraries; empty in a data dir written before them.
    pub org: Org,
    /// Sharing links, invitations and check-outs (absent in a data dir made before them).
    pub sharing: Sharing,
    pub items: Vec<(ItemId, ItemRow)>,
    pub versions: Vec<(VersionId, VersionRow)>,
    /// The change log's entries and counters (none in a data dir written before it).
    pub changes: Vec<ChangeEntry>,
    pub log_bounds: Option<LogBounds>,
}

impl Read {
    /// The BLAKE3 of every body a version row names.
    pub fn bodies(&self) -> HashSet<[u8; 32]> {
        self.versions.iter().map(|(_, row)| row.blake3).collect()
    }
}

/// Reads every row, refusing a format this build does not know; writes only the format marker
/// of a new data dir.
pub fn read(backend: &mut dyn Backend) -> Result<Read, String> {
    let mut meta: HashMap<String, Vec<u8>> = HashMap::new();
    let mut items = Vec::new();
    let mut versions = Vec::new();
    let mut changes = Vec::new();
    backend
        .read_all(&mut |row| match row {
            Row::Meta(key, value) => {
                meta.insert(key.to_owned(), value.to_vec());
                Ok(())
            }
            Row::Item(id, bytes) => {
                let row = rows::decode(bytes).map_err(|e| format!("item {id} is damaged: {e}"))?;
                items.push((ItemId(id), row));
                Ok(())
            }
            Row::Version(id, bytes) => {
                let row =
                    rows::decode(bytes).map_err(|e| format!("version {id} is damaged: {e}"))?;
                versions.push((VersionId(id), row));
                Ok(())
            }
            Row::Change(position, bytes) => {
                let row: ChangeRow = rows::decode(bytes)
                    .map_err(|e| format!("change {position} is damaged: {e}"))?;
                changes.push(row.entry(position)?);
                Ok(())
            }
        })
        .map_err(|e| e.to_string())?;
    let Some(format) = meta.get("format") else {
        if !meta.is_empty() || !items.is_empty() || !versions.is_empty() {
            return Err("it has no format version: not a restore-mock data dir".into());
        }
        let marker = Rows {
            meta: vec![("format", FORMAT.to_string().into_bytes())],
            ..Rows::default()
        };
        (backend.commit(&[&marker])).map_err(|e| format!("the database cannot be written: {e}"))?;
        return Ok(Read {
            fresh: true,
            counters: None,
            accounts: Vec::new(),
            frozen_at: None,
            org: Org::default(),
            sharing: Sharing::default(),
            items,
            versions,
            changes,
            log_bounds: None,
        });
    };
    check_format(format)?;
    let value = |key: &str| meta.get(key).map(Vec::as_slice);
    let counters =
        decode::<(u64, u64)>("counters", value("counters"))?.map(|(next_item, next_version)| {
            Counters {
                next_item,
                next_version,
            }
        });
    let accounts: Vec<AccountRecord> = decode("accounts", value("accounts"))?.unwrap_or_default();
    let frozen_at = decode::<Option<i64>>("clock", value("clock"))?.flatten();
    let org = decode::<Org>("org", value("org"))?.unwrap_or_default();
    let sharing = decode::<Sharing>("sharing", value("sharing"))?.unwrap_or_default();
    let log_bounds = decode::<LogBounds>("change_log", value("change_log"))?;
    Ok(Read {
        fresh: items.is_empty() && accounts.is_empty(),
        counters,
        accounts,
        frozen_at,
        org,
        sharing,
        items,
        versions,
        changes,
        log_bounds,
    })
}

fn check_format(format: &[u8]) -> Result<(), String> {
    match std::str::from_utf8(format)
        .ok()
        .and_then(|f| f.parse::<u32>().ok())
    {
        Some(FORMAT) => Ok(()),
        Some(other) if other > FORMAT => Err(format!(
            "it was written in format {other}, newer than this restore-mock's {FORMAT}; \
             use a newer restore-mock"
        )),
        Some(other) => Err(format!(
            "it was written in format {other}, older than this restore-mock's {FORMAT}, \
             which it does not read; export the state with the restore-mock that wrote it \
             (GET /__admin/state) and load that as fixtures"
        )),
        None => Err("its format version is not one this restore-mock knows".into()),
    }
}

/// A named value, if there is one; `key` names it in the refusal of a damaged one.
fn decode<T: serde::de::DeserializeOwned>(
    key: &str,
    bytes: Option<&[u8]>,
) -> Result<Option<T>, String> {
    bytes
        .map(serde_json::from_slice)
        .transpose()
        .map_err(|e| format!("the {key} record is damaged: {e}"))
}

/// The tree the rows describe, its users found in `users`. Each distinct body comes from
/// `held` when that already holds it (a recovery keeps the bodies in memory) and is read from
/// `blobs` otherwise, and verified.
pub fn rebuild(
    read: Read,
    users: &Directory,
    blobs: &Blobs,
    held: impl Fn(&[u8; 32]) -> Option<Arc<Content>>,
    clock: Arc<Clock>,
) -> Result<Tree, String> {
    let nodes = rows::nodes(read.items, read.versions, users, |id, row| {
        match held(&row.blake3) {
            Some(content) if content.len() == row.size => Ok(content),
            _ => load(blobs, id, row).map(Arc::new),
        }
    })?;
    let seed = IdSeed::default();
    let counters = read.counters.unwrap_or(Counters {
        next_item: seed.first_item,
        next_version: seed.first_version,
    });
    let mut tree = Tree::rebuild(seed, counters, nodes, read.org, true, clock);
    tree.restore_sharing(read.sharing);
    let bounds = read.log_bounds.unwrap_or(LogBounds { floor: 0, next: 1 });
    let log = ChangeLog::rebuild(read.changes, bounds, change_log::DEFAULT_LEN);
    tree.set_log(log);
    Ok(tree)
}

/// A version's body from its file, refused unless it is the body the row was written with.
///
/// The file is hashed as it is read (BLAKE3, which names it): this first read is the only
/// one (the body then lives in memory), so the check costs one hash of each body, once, at
/// opening. A file changed in place would otherwise be served under hashes that no longer
/// match it.
fn load(blobs: &Blobs, id: VersionId, row: &VersionRow) -> Result<Content, String> {
    let name = crate::store::content::hex(&row.blake3);
    let bytes = (blobs.read(&row.blake3))
        .map_err(|e| format!("the body blobs/{name} of version {id} cannot be read: {e}"))?;
    if bytes.len() as u64 != row.size {
        return Err(format!(
            "the body blobs/{name} of version {id} is {} bytes, not the {} it was written with",
            bytes.len(),
            row.size
        ));
    }
    if <[u8; 32]>::from(blake3::hash(&bytes)) != row.blake3 {
        return Err(format!(
            "the body blobs/{name} of version {id} was changed on disk: its BLAKE3 no longer \
             matches its name; put the original file back, or start on another data dir"
        ));
    }
    Ok(Content::from_parts(
        Bytes::from(bytes),
        row.sha1,
        row.blake3,
        row.quick_xor,
    ))
}
