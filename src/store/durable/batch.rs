//! What one change set writes: the rows of the items and versions it names, the named values
//! that moved with it, and the bodies its new versions hold. The same for every backend.

use std::collections::HashSet;
use std::sync::Arc;

use super::backend::Rows;
use super::rows::{self, ChangeRow, ItemRow, VersionRow};
use crate::control::clock::Clock;
use crate::store::accounts::Directory;
use crate::store::changes::ChangeSet;
use crate::store::content::Content;
use crate::store::tree::{NodeKind, Tree};

/// The rows and bodies one store operation changed, ready to write.
#[derive(Debug, Default)]
pub struct Batch {
    pub rows: Rows,
    /// Bodies the rows point to; written unless a file has them already.
    pub bodies: Vec<Arc<Content>>,
    /// Bodies no version holds any more.
    pub removed_bodies: Vec<[u8; 32]>,
    /// Set when the batch replaces everything (`rows.clear`): afterwards every body file not
    /// in this set goes.
    pub replace: Option<HashSet<[u8; 32]>>,
}

/// What to write for `changes`, read from the tree they were made in. `everything_named` adds
/// the accounts and groups even when the change set did not touch them (after a recovery, when
/// the disk may lack some the memory has).
pub fn of(
    tree: &Tree,
    accounts: &Directory,
    clock: &Clock,
    changes: ChangeSet,
    everything_named: bool,
) -> Batch {
    let mut batch = Batch::default();
    if changes.replaced {
        batch.rows.clear = true;
        for (id, node) in tree.nodes() {
            (batch.rows.items).push((id.0, Some(rows::encode(&ItemRow::of(node)))));
            if let NodeKind::File(file) = &node.kind {
                for version in &file.versions {
                    let row = VersionRow::of(id, version);
                    (batch.rows.versions).push((version.id.0, Some(rows::encode(&row))));
                    batch.bodies.push(version.content.clone());
                }
            }
        }
        batch.replace = Some(tree.bodies().collect());
        for entry in tree.log().entries() {
            (batch.rows.changes).push((entry.position, Some(rows::encode(&ChangeRow::of(entry)))));
        }
    }
    for position in changes.log {
        let row = (tree.log().entry(position)).map(|e| rows::encode(&ChangeRow::of(e)));
        batch.rows.changes.push((position, row));
    }
    for position in changes.log_removed {
        batch.rows.changes.push((position, None));
    }
    for id in changes.items {
        let row = (tree.node_by_id(id)).map(|node| rows::encode(&ItemRow::of(node)));
        batch.rows.items.push((id.0, row));
    }
    for id in changes.removed_items {
        batch.rows.items.push((id.0, None));
    }
    for (_, id) in changes.versions {
        if let Some((file, version)) = tree.version_record(id) {
            let row = rows::encode(&VersionRow::of(file, version));
            batch.rows.versions.push((id.0, Some(row)));
            batch.bodies.push(version.content.clone());
        }
    }
    for id in changes.removed_versions {
        batch.rows.versions.push((id.0, None));
    }
    batch.removed_bodies = changes.removed_bodies;
    let meta = &mut batch.rows.meta;
    let counters = tree.counters();
    meta.push((
        "counters",
        json(&(counters.next_item, counters.next_version)),
    ));
    let reading = clock.reading();
    let frozen = reading.frozen.then(|| reading.now.timestamp());
    meta.push(("clock", json(&frozen)));
    meta.push(("change_log", json(&tree.log().bounds())));
    if changes.accounts || changes.replaced || everything_named {
        meta.push(("accounts", json(&accounts.list(None))));
    }
    if changes.org || changes.replaced || everything_named {
        meta.push(("org", json(tree.org())));
    }
    batch
}

/// A named value (counters, accounts, clock, groups) as JSON.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("rows are plain data")
}
