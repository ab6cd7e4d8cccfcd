//! A second backend, in one file: the durable store's rows in ordered maps shared with the
//! test (so a reopened store reads back what the last one kept), with body files in a data dir
//! as on any backend. It shows what a database adds to the durable store, and runs the contract.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::control::clock::Clock;
use crate::store::accounts::Accounts;
use crate::store::durable::backend::{Backend, ReadError, Row, Rows};
use crate::store::durable::{self, DurableStore, FullDisk};
use crate::store::VersionStore;

use super::{Durable, Subject};

/// The tables: what a database would hold.
#[derive(Debug, Default)]
struct Tables {
    meta: BTreeMap<String, Vec<u8>>,
    items: BTreeMap<u64, Vec<u8>>,
    versions: BTreeMap<u64, Vec<u8>>,
    changes: BTreeMap<u64, Vec<u8>>,
}

struct MapBackend(Arc<Mutex<Tables>>);

impl Backend for MapBackend {
    fn commit(&mut self, batches: &[&Rows]) -> io::Result<()> {
        // All or nothing: the batches apply to a copy that replaces the tables.
        let mut tables = self.0.lock().unwrap();
        let mut next = Tables {
            meta: tables.meta.clone(),
            items: tables.items.clone(),
            versions: tables.versions.clone(),
            changes: tables.changes.clone(),
        };
        for rows in batches {
            if rows.clear {
                next.items.clear();
                next.versions.clear();
                next.changes.clear();
            }
            for (table, changes) in [
                (&mut next.items, &rows.items),
                (&mut next.versions, &rows.versions),
                (&mut next.changes, &rows.changes),
            ] {
                for (id, row) in changes {
                    match row {
                        Some(row) => table.insert(*id, row.clone()),
                        None => table.remove(id),
                    };
                }
            }
            for (key, value) in &rows.meta {
                next.meta.insert((*key).to_owned(), value.clone());
            }
        }
        *tables = next;
        Ok(())
    }

    fn read_all(
        &mut self,
        each: &mut dyn FnMut(Row<'_>) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        let tables = self.0.lock().unwrap();
        let meta = (tables.meta.iter()).map(|(k, v)| Row::Meta(k, v));
        let items = (tables.items.iter()).map(|(id, v)| Row::Item(*id, v));
        let versions = (tables.versions.iter()).map(|(id, v)| Row::Version(*id, v));
        let changes = (tables.changes.iter()).map(|(p, v)| Row::Change(*p, v));
        for row in meta.chain(items).chain(versions).chain(changes) {
            each(row).map_err(ReadError::Row)?;
        }
        Ok(())
    }
}

pub(super) struct Maps {
    store: Option<DurableStore>,
    tables: Arc<Mutex<Tables>>,
    disk: FullDisk,
    dir: PathBuf,
}

impl Maps {
    fn at(dir: PathBuf, tables: Arc<Mutex<Tables>>, disk: FullDisk) -> Self {
        std::fs::create_dir_all(&dir).unwrap();
        let backend = disk.around(MapBackend(tables.clone()));
        let clock = Arc::new(Clock::real());
        let opened = durable::open_on(&dir, backend, clock, Accounts::open(), Some(disk.clone()));
        Self {
            store: Some(opened.unwrap_or_else(|e| panic!("{e}")).store),
            tables,
            disk,
            dir,
        }
    }
}

impl Subject for Maps {
    fn open() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "restore-mock-contract-maps-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        Self::at(dir, Arc::default(), FullDisk::new())
    }
    fn store(&self) -> &dyn VersionStore {
        self.store.as_ref().expect("open")
    }
}

impl Durable for Maps {
    fn reopen(mut self) -> Self {
        drop(self.store.take());
        let dir = std::mem::take(&mut self.dir);
        Self::at(dir, self.tables.clone(), self.disk.clone())
    }
    fn disk(&self) -> &FullDisk {
        &self.disk
    }
}

impl Drop for Maps {
    fn drop(&mut self) {
        drop(self.store.take());
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
