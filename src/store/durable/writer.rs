//! The writer thread: it takes the batches the store submits, in order, and commits every batch
//! that is waiting as one backend transaction (group commit), so that concurrent writes share
//! the fsyncs instead of paying one each. Bodies are written and fsynced before the transaction
//! that points to them commits; bodies nothing points to any more are deleted after it.
//!
//! After a failed commit the store's memory holds changes the disk does not, and the batches
//! queued behind it may build on them, so those fail too, until the store asks for a recovery:
//! everything kept is read back (the store rebuilds its memory from it), the bodies nothing kept
//! points to are removed, and commits go on as before. The store's replies wait for their
//! commits (`crate::store::acknowledge`), so no reply ever shows a change the disk did not keep.

use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

use super::backend::{is_full, Backend};
use super::batch::Batch;
use super::blobs::Blobs;
use super::readback::{self, Read};
use crate::store::acknowledge::Report;
use crate::store::StoreError;

pub enum Job {
    /// A change set's rows, numbered in the order the changes applied.
    Commit {
        seq: u64,
        /// Boxed: a batch is far larger than the other jobs.
        batch: Box<Batch>,
        report: Report,
    },
    /// Reports whether every job before it was kept: a read's wait for what it saw.
    Barrier(Report),
    /// Reads back everything kept, after a commit failed.
    Recover(SyncSender<Result<Read, StoreError>>),
}

/// What the writer tells the store without a job: whether it must recover, and how far the
/// commits got.
#[derive(Debug, Default)]
pub struct Progress {
    /// Set when a commit failed, cleared by the recovery.
    pub failed: AtomicBool,
    /// The number of the last change set kept; every one before it is kept too.
    pub kept: AtomicU64,
}

pub struct Writer {
    pub dir: PathBuf,
    pub backend: Box<dyn Backend>,
    pub blobs: Blobs,
    pub progress: Arc<Progress>,
}

/// Runs until every sender is gone.
pub fn run(writer: Writer, jobs: Receiver<Job>) {
    let mut state = State {
        writer,
        failure: None,
        seen: 0,
    };
    while let Ok(first) = jobs.recv() {
        let mut group = Vec::new();
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job {
                Job::Recover(reply) => {
                    state.flush(std::mem::take(&mut group));
                    let _ = reply.send(state.recover());
                }
                job => group.push(job),
            }
        }
        state.flush(group);
    }
}

struct State {
    writer: Writer,
    /// Why the last commit failed, until the recovery.
    failure: Option<StoreError>,
    /// The number of the last change set the writer took.
    seen: u64,
}

impl State {
    /// Commits the change sets of `group` together and reports to every job in it.
    fn flush(&mut self, group: Vec<Job>) {
        if group.is_empty() {
            return;
        }
        let batches: Vec<&Batch> = (group.iter())
            .filter_map(|job| match job {
                Job::Commit { batch, .. } => Some(&**batch),
                _ => None,
            })
            .collect();
        let last = (group.iter())
            .filter_map(|job| match job {
                Job::Commit { seq, .. } => Some(*seq),
                _ => None,
            })
            .max();
        let result = match &self.failure {
            Some(failure) => Err(failure.clone()),
            None if batches.is_empty() => Ok(()),
            None => commit(&mut *self.writer.backend, &self.writer.blobs, &batches)
                .map_err(|e| self.error(e)),
        };
        let progress = &self.writer.progress;
        match (&result, last) {
            (Ok(()), Some(seq)) => progress.kept.store(seq, Ordering::SeqCst),
            (Err(error), _) if self.failure.is_none() => {
                tracing::error!(%error, "the data dir could not keep a change");
                self.failure = Some(error.clone());
                // Before the replies go: a request that reads right after its failed write
                // finds the store recovering.
                progress.failed.store(true, Ordering::SeqCst);
            }
            _ => {}
        }
        self.seen = last.unwrap_or(self.seen).max(self.seen);
        for job in group {
            match job {
                Job::Commit { report, .. } | Job::Barrier(report) => report.send(result.clone()),
                Job::Recover(_) => unreachable!("recoveries are not grouped"),
            }
        }
    }

    fn error(&self, error: io::Error) -> StoreError {
        let dir = self.writer.dir.display();
        match is_full(&error) {
            true => StoreError::InsufficientStorage(format!(
                "the disk of the data dir {dir} is full ({error}); the change was not kept"
            )),
            false => StoreError::Storage(format!(
                "the data dir {dir} could not keep the change: {error}"
            )),
        }
    }

    /// Everything kept, read back; the store rebuilds its memory from it.
    fn recover(&mut self) -> Result<Read, StoreError> {
        let dir = self.writer.dir.display().to_string();
        let failed = |e: &dyn std::fmt::Display| {
            StoreError::Storage(format!(
                "the data dir {dir} cannot be read back after a failed write: {e}"
            ))
        };
        let read = readback::read(&mut *self.writer.backend).map_err(|e| failed(&e))?;
        // The bodies of the commit that failed, written before it, are nobody's.
        (self.writer.blobs.retain(&read.bodies())).map_err(|e| failed(&e))?;
        self.failure = None;
        // Every change set taken so far is kept or gone from memory with the recovery.
        let progress = &self.writer.progress;
        progress.kept.store(self.seen, Ordering::SeqCst);
        progress.failed.store(false, Ordering::SeqCst);
        tracing::info!(dir, "the data dir keeps changes again");
        Ok(read)
    }
}

fn commit(backend: &mut dyn Backend, blobs: &Blobs, group: &[&Batch]) -> io::Result<()> {
    // Bodies first, durable before any row that points to them.
    let mut wrote = false;
    let mut written = HashSet::new();
    for body in group.iter().flat_map(|batch| &batch.bodies) {
        if written.insert(body.blake3) {
            wrote |= blobs.write(body)?;
        }
    }
    if wrote {
        blobs.sync()?;
    }
    let rows: Vec<_> = group.iter().map(|batch| &batch.rows).collect();
    backend.commit(&rows)?;
    // Deletes last, and a failed one fails nothing (the change is kept): files nothing points
    // to, from a crash or a failed delete, are removed at the next opening or recovery.
    // A body removed by one batch and written again by a later one in the group stays.
    if let Err(error) = delete(blobs, group) {
        tracing::warn!(%error, "a body nothing points to could not be removed");
    }
    Ok(())
}

fn delete(blobs: &Blobs, group: &[&Batch]) -> io::Result<()> {
    let last_replace = group.iter().rposition(|batch| batch.replace.is_some());
    if let Some(index) = last_replace {
        let mut live = group[index].replace.clone().unwrap_or_default();
        live.extend(
            group[index..]
                .iter()
                .flat_map(|batch| batch.bodies.iter().map(|b| b.blake3)),
        );
        blobs.retain(&live)?;
    }
    let start = last_replace.map_or(0, |i| i + 1);
    for (index, batch) in group.iter().enumerate().skip(start) {
        for key in &batch.removed_bodies {
            let again = group[index + 1..]
                .iter()
                .any(|later| later.bodies.iter().any(|b| b.blake3 == *key));
            if !again {
                blobs.remove(key)?;
            }
        }
    }
    Ok(())
}
