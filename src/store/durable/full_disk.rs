//! A full disk on demand, for tests: while the switch is on, the data dir's writes fail as a
//! full disk's do (`ENOSPC`), the body files' half-way through and the backend's commits
//! outright, without a small file system to fill.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::backend::{Backend, ReadError, Row, Rows};

/// The switch. Clones share it: keep one, give another to the store
/// (`EmulatorBuilder::full_disk`, or `durable::Options::full_disk`).
#[derive(Debug, Clone, Default)]
pub struct FullDisk(Arc<AtomicBool>);

impl FullDisk {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, every write fails with "No space left on device".
    pub fn fill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Space is back: writes succeed again.
    pub fn free(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// `backend` with commits that fail while the disk is full: how a store on any backend
    /// gets this switch (`open_on(dir, full.around(backend), .., Some(full))`; `Some(full)`
    /// there makes the body files fail too).
    pub fn around<B: Backend>(&self, backend: B) -> Filling<B> {
        Filling {
            inner: backend,
            full: self.clone(),
        }
    }

    /// `Err` (`ENOSPC`) while the disk is full.
    pub(super) fn check(&self) -> io::Result<()> {
        match self.0.load(Ordering::SeqCst) {
            true => Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device (simulated)",
            )),
            false => Ok(()),
        }
    }
}

/// A backend whose commits fail while the disk is full; reads pass through.
pub struct Filling<B> {
    inner: B,
    full: FullDisk,
}

impl<B: Backend> Backend for Filling<B> {
    fn commit(&mut self, batches: &[&Rows]) -> io::Result<()> {
        self.full.check()?;
        self.inner.commit(batches)
    }

    fn read_all(
        &mut self,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        self.inner.read_all(each)
    }
}
