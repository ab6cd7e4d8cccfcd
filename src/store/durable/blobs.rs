//! Content-addressed bodies: one file per distinct body, named by its BLAKE3 (in hex), under
//! `blobs/`.
//!
//! A body is written to a temporary file, fsynced, renamed into place and its directory fsynced,
//! all before the metadata that points to it commits; so after a crash every committed version
//! finds its bytes. Files nothing points to (a crash between the two, or before a delete ran) are
//! removed when the store opens, and after a failed commit. A write that fails half-way (a full
//! disk) removes its temporary file before it reports the failure.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::full_disk::FullDisk;
use crate::store::content::{hex, Content};

/// The `blobs/` directory of a data dir.
#[derive(Debug, Clone)]
pub struct Blobs {
    dir: PathBuf,
    /// A full disk on demand, for tests.
    full: Option<FullDisk>,
}

impl Blobs {
    pub fn open(data_dir: &Path, full: Option<FullDisk>) -> io::Result<Self> {
        let dir = data_dir.join("blobs");
        fs::create_dir_all(&dir)?;
        Ok(Self { dir, full })
    }

    fn path(&self, blake3: &[u8; 32]) -> PathBuf {
        self.dir.join(hex(blake3))
    }

    /// Writes the body unless a file for it is there already; `true` when it wrote one (the
    /// caller then fsyncs the directory once for all it wrote).
    pub fn write(&self, content: &Content) -> io::Result<bool> {
        let path = self.path(&content.blake3);
        if fs::metadata(&path).is_ok_and(|m| m.len() == content.len()) {
            return Ok(false);
        }
        let temporary = self.dir.join(format!("{}.tmp", hex(&content.blake3)));
        let written = (self.write_file(&temporary, &content.bytes))
            .and_then(|()| fs::rename(&temporary, &path));
        if let Err(error) = written {
            // Nothing points to a half-written file: it goes now, not at the next opening.
            let _ = fs::remove_file(&temporary);
            return Err(error);
        }
        Ok(true)
    }

    fn write_file(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file = File::create(path)?;
        if let Some(full) = &self.full {
            if full.check().is_err() {
                // As a real full disk does: part of the body lands before the write fails.
                file.write_all(&bytes[..bytes.len() / 2])?;
                full.check()?;
            }
        }
        file.write_all(bytes)?;
        file.sync_all()
    }

    /// Makes the renames of `write` durable.
    pub fn sync(&self) -> io::Result<()> {
        File::open(&self.dir)?.sync_all()
    }

    pub fn read(&self, blake3: &[u8; 32]) -> io::Result<Vec<u8>> {
        fs::read(self.path(blake3))
    }

    pub fn remove(&self, blake3: &[u8; 32]) -> io::Result<()> {
        match fs::remove_file(self.path(blake3)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes every file that is not the body of one of `live`: temporary files and bodies
    /// nothing points to.
    pub fn retain(&self, live: &HashSet<[u8; 32]>) -> io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let keep = name
                .to_str()
                .and_then(unhex)
                .is_some_and(|sha| live.contains(&sha));
            if !keep {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The name of every file there is, sorted (tests read it to check nothing is left over).
    #[cfg(test)]
    pub fn list(&self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            out.push(entry?.file_name().to_string_lossy().into_owned());
        }
        out.sort();
        Ok(out)
    }
}

pub fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
