//! The durable store's rows in redb: checksummed copy-on-write B-trees in one file,
//! `metadata.redb`, fsynced on every commit. Everything redb-specific is in this file.

use std::io;
use std::path::{Path, PathBuf};

use redb::{Database, DatabaseError, Durability, ReadableTable, TableDefinition};

use super::backend::{Backend, ReadError, Row, Rows};

const ITEMS: TableDefinition<u64, &[u8]> = TableDefinition::new("items");
const VERSIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("versions");
const CHANGES: TableDefinition<u64, &[u8]> = TableDefinition::new("changes");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// redb's page cache. The working set lives in the store's tree, so the cache only needs the
/// pages a commit walks; redb's default (1 GiB) would copy the whole file into fresh memory
/// while opening.
const CACHE_BYTES: usize = 32 << 20;

/// A data dir's `metadata.redb`.
pub struct Redb {
    path: PathBuf,
    /// `None` after a failed commit: redb then answers every later call with `PreviousIo`
    /// ("close and re-open the database"), so the next call opens it again, which is what lets
    /// writes succeed once space is back, without a restart.
    db: Option<Database>,
}

impl Redb {
    /// Opens (or makes) `metadata.redb` in `dir`; `Err` says why not, for the refusal.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let path = dir.join("metadata.redb");
        let db = Self::open_file(&path)?;
        Ok(Self { path, db: Some(db) })
    }

    fn open_file(path: &Path) -> Result<Database, String> {
        // redb 2 asserts (panics) on some truncated files instead of returning an error, so a
        // panic while opening is caught and taken for what it means: a damaged file. The
        // default hook's report is silenced for that one call: the refusal says it.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let opened = std::panic::catch_unwind(|| {
            Database::builder().set_cache_size(CACHE_BYTES).create(path)
        });
        std::panic::set_hook(hook);
        match opened {
            Ok(Ok(db)) => Ok(db),
            Ok(Err(DatabaseError::DatabaseAlreadyOpen)) => {
                Err("another restore-mock process has it open".into())
            }
            Ok(Err(e)) => Err(format!("the database cannot be opened: {e}")),
            Err(_) => {
                Err("the database cannot be opened: metadata.redb is damaged (truncated?)".into())
            }
        }
    }
}

/// redb's error as an `io::Error`, keeping the OS error (a full disk) where there is one.
fn io_error(error: impl Into<redb::Error>) -> io::Error {
    match error.into() {
        redb::Error::Io(e) => e,
        other => io::Error::other(other),
    }
}

impl Redb {
    /// The database, opened again if a failed commit closed it.
    fn db(&mut self) -> io::Result<&Database> {
        if self.db.is_none() {
            self.db = Some(Self::open_file(&self.path).map_err(io::Error::other)?);
        }
        Ok(self.db.as_ref().expect("opened above"))
    }

    fn write(&mut self, batches: &[&Rows]) -> io::Result<()> {
        let mut txn = self.db()?.begin_write().map_err(io_error)?;
        txn.set_durability(Durability::Immediate);
        {
            let mut items = txn.open_table(ITEMS).map_err(io_error)?;
            let mut versions = txn.open_table(VERSIONS).map_err(io_error)?;
            let mut changes = txn.open_table(CHANGES).map_err(io_error)?;
            let mut meta = txn.open_table(META).map_err(io_error)?;
            for rows in batches {
                if rows.clear {
                    items.retain(|_, _| false).map_err(io_error)?;
                    versions.retain(|_, _| false).map_err(io_error)?;
                    changes.retain(|_, _| false).map_err(io_error)?;
                }
                for (position, row) in &rows.changes {
                    match row {
                        Some(row) => changes.insert(*position, row.as_slice()).map(drop),
                        None => changes.remove(*position).map(drop),
                    }
                    .map_err(io_error)?;
                }
                for (id, row) in &rows.items {
                    match row {
                        Some(row) => items.insert(*id, row.as_slice()).map(drop),
                        None => items.remove(*id).map(drop),
                    }
                    .map_err(io_error)?;
                }
                for (id, row) in &rows.versions {
                    match row {
                        Some(row) => versions.insert(*id, row.as_slice()).map(drop),
                        None => versions.remove(*id).map(drop),
                    }
                    .map_err(io_error)?;
                }
                for (key, value) in &rows.meta {
                    meta.insert(*key, value.as_slice()).map_err(io_error)?;
                }
            }
        }
        txn.commit().map_err(io_error)
    }
}

impl Backend for Redb {
    fn commit(&mut self, batches: &[&Rows]) -> io::Result<()> {
        let result = self.write(batches);
        if result.is_err() {
            // Closed before the next call opens it again (the file lock is the process's).
            self.db = None;
        }
        result
    }

    fn read_all(
        &mut self,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        let txn = self.db()?.begin_read().map_err(io_error)?;
        // A table nobody wrote to yet does not exist: it has no rows.
        macro_rules! table {
            ($def:expr) => {
                match txn.open_table($def) {
                    Ok(table) => Some(table),
                    Err(redb::TableError::TableDoesNotExist(_)) => None,
                    Err(e) => return Err(io_error(e).into()),
                }
            };
        }
        if let Some(meta) = table!(META) {
            for row in meta.iter().map_err(io_error)? {
                let (key, value) = row.map_err(io_error)?;
                each(Row::Meta(key.value(), value.value())).map_err(ReadError::Row)?;
            }
        }
        for (def, table_index) in [(ITEMS, 0), (VERSIONS, 1), (CHANGES, 2)] {
            let Some(table) = table!(def) else { continue };
            for entry in table.iter().map_err(io_error)? {
                let (key, value) = entry.map_err(io_error)?;
                let (id, bytes) = (key.value(), value.value());
                let row = match table_index {
                    0 => Row::Item(id, bytes),
                    1 => Row::Version(id, bytes),
                    _ => Row::Change(id, bytes),
                };
                each(row).map_err(ReadError::Row)?;
            }
        }
        Ok(())
    }
}
