//! The seam between the durable store and the database under it: a `Backend` commits batches of
//! rows and reads every row back, and knows nothing else about the store.
//!
//! Rows are opaque bytes keyed by id, in three tables (items, versions, change-log entries), plus a few named
//! values (`meta`); what they mean, the bodies beside them, group commit, read-back and rebuild
//! are the durable store's, the same over every backend. A second database is one more file
//! implementing this trait (`super::redb` is the one there is).

use std::io;

/// The rows one or more store operations changed, in the order they applied.
#[derive(Debug, Default)]
pub struct Rows {
    /// Empty both tables first (a full reset, or a fixture load that replaced the tree).
    pub clear: bool,
    /// Item rows to put (`Some`) or delete (`None`).
    pub items: Vec<(u64, Option<Vec<u8>>)>,
    pub versions: Vec<(u64, Option<Vec<u8>>)>,
    /// Change-log entries by position, to put or delete (`clear` empties them too).
    pub changes: Vec<(u64, Option<Vec<u8>>)>,
    /// Named values to put.
    pub meta: Vec<(&'static str, Vec<u8>)>,
}

/// One stored row, as `Backend::read_all` hands it over.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Meta(&'a str, &'a [u8]),
    Item(u64, &'a [u8]),
    Version(u64, &'a [u8]),
    Change(u64, &'a [u8]),
}

/// A database the durable store keeps its rows in. Owned by the store's writer thread, so calls
/// never overlap; they block (the writer is a thread of its own).
pub trait Backend: Send + 'static {
    /// Applies `batches` in order as one transaction, durable (fsynced) when it returns `Ok`;
    /// after an `Err` none of them is kept. A full disk is an error of kind
    /// `io::ErrorKind::StorageFull` (or its OS error, `ENOSPC`), which the store reports as such.
    fn commit(&mut self, batches: &[&Rows]) -> io::Result<()>;

    /// Hands every stored row to `each`, in any order; stops at `each`'s first error. Called
    /// when the store opens, and again to recover after a commit failed.
    fn read_all(
        &mut self,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), ReadError>;
}

/// Why reading back stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The database could not be read.
    #[error("the database cannot be read: {0}")]
    Io(#[from] io::Error),
    /// A row did not decode: what `each` said.
    #[error("{0}")]
    Row(String),
}

/// Whether an error is the disk (or a quota) being full.
pub fn is_full(error: &io::Error) -> bool {
    // std maps ENOSPC and EDQUOT to these kinds.
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}
