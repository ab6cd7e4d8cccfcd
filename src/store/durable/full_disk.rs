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

/// A backend whose commits fail while `full` is on; reads pass through.
pub(super) struct Filling<B> {
    pub inner: B,
    pub full: FullDisk,
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
