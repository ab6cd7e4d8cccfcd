//! The writer thread: it takes the batches the store submits, in order, and commits every batch
//! that is waiting as one redb transaction (group commit), so that concurrent writes share the
//! fsyncs instead of paying one each. Bodies are written and fsynced before the transaction
//! that points to them commits; bodies nothing points to any more are deleted after it.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use redb::{Database, Durability, TableDefinition};

use super::blobs::Blobs;
use crate::store::acknowledge::Report;
use crate::store::content::Content;

pub const ITEMS: TableDefinition<u64, &[u8]> = TableDefinition::new("items");
pub const VERSIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("versions");
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// The rows and bodies one store operation changed, ready to write.
#[derive(Debug, Default)]
pub struct Batch {
    /// Item rows to put (`Some`) or delete (`None`).
    pub items: Vec<(u64, Option<Vec<u8>>)>,
    pub versions: Vec<(u64, Option<Vec<u8>>)>,
    pub meta: Vec<(&'static str, Vec<u8>)>,
    /// Bodies the rows point to; written unless a file has them already.
    pub bodies: Vec<Arc<Content>>,
    /// Bodies no version holds any more.
    pub removed_bodies: Vec<[u8; 32]>,
    /// Set when the batch replaces everything: the tables are emptied first, and afterwards
    /// every body file not in this set goes.
    pub replace: Option<HashSet<[u8; 32]>>,
}

pub struct Job {
    pub batch: Batch,
    pub report: Report,
}

/// Runs until every sender is gone. After a failed commit the tree holds changes the disk does
/// not, and the batches queued behind it may build on them (a version of an item whose row was
/// lost): `failed` is set so that the store refuses new writes, and nothing queued is committed
/// either, so what the disk holds stays a prefix of what was applied.
pub fn run(db: Database, blobs: Blobs, jobs: Receiver<Job>, failed: &AtomicBool) {
    let mut error: Option<String> = None;
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        group.extend(jobs.try_iter());
        let result = match &error {
            Some(error) => Err(error.clone()),
            None => commit(&db, &blobs, &group).map_err(|e| e.to_string()),
        };
        if let (Err(first), None) = (&result, &error) {
            tracing::error!(error = %first, "the data dir could not keep a change");
            failed.store(true, Ordering::Relaxed);
            error = Some(first.clone());
        }
        for job in group {
            job.report.send(result.clone());
        }
    }
}

fn commit(db: &Database, blobs: &Blobs, group: &[Job]) -> Result<(), Box<dyn std::error::Error>> {
    // Bodies first, durable before any row that points to them.
    let mut wrote = false;
    let mut written = HashSet::new();
    for body in group.iter().flat_map(|job| &job.batch.bodies) {
        if written.insert(body.sha256) {
            wrote |= blobs.write(body)?;
        }
    }
    if wrote {
        blobs.sync()?;
    }
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate);
    {
        let mut items = txn.open_table(ITEMS)?;
        let mut versions = txn.open_table(VERSIONS)?;
        let mut meta = txn.open_table(META)?;
        for job in group {
            let batch = &job.batch;
            if batch.replace.is_some() {
                items.retain(|_, _| false)?;
                versions.retain(|_, _| false)?;
            }
            for (id, row) in &batch.items {
                match row {
                    Some(row) => items.insert(*id, row.as_slice())?,
                    None => items.remove(*id)?,
                };
            }
            for (id, row) in &batch.versions {
                match row {
                    Some(row) => versions.insert(*id, row.as_slice())?,
                    None => versions.remove(*id)?,
                };
            }
            for (key, value) in &batch.meta {
                meta.insert(*key, value.as_slice())?;
            }
        }
    }
    txn.commit()?;
    // Deletes last: a crash before them leaves files nothing points to, which opening removes.
    // A body removed by one batch and written again by a later one in the group stays.
    let last_replace = group.iter().rposition(|job| job.batch.replace.is_some());
    if let Some(index) = last_replace {
        let mut live = group[index].batch.replace.clone().unwrap_or_default();
        live.extend(
            group[index..]
                .iter()
                .flat_map(|j| j.batch.bodies.iter().map(|b| b.sha256)),
        );
        blobs.retain(&live)?;
    }
    let start = last_replace.map_or(0, |i| i + 1);
    for (index, job) in group.iter().enumerate().skip(start) {
        for sha in &job.batch.removed_bodies {
            let again = group[index + 1..]
                .iter()
                .any(|later| later.batch.bodies.iter().any(|b| b.sha256 == *sha));
            if !again {
                blobs.remove(sha)?;
            }
        }
    }
    Ok(())
}
