//! Content-addressed bodies: one file per distinct body, named by its SHA-256, under `blobs/`.
//!
//! A body is written to a temporary file, fsynced, renamed into place and its directory fsynced,
//! all before the metadata that points to it commits; so after a crash every committed version
//! finds its bytes. Files nothing points to (a crash between the two, or before a delete ran) are
//! removed when the store opens.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::store::content::{hex, Content};

/// The `blobs/` directory of a data dir.
#[derive(Debug)]
pub struct Blobs {
    dir: PathBuf,
}

impl Blobs {
    pub fn open(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join("blobs");
        fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }

    fn path(&self, sha256: &[u8; 32]) -> PathBuf {
        self.dir.join(hex(sha256))
    }

    /// Writes the body unless a file for it is there already; `true` when it wrote one (the
    /// caller then fsyncs the directory once for all it wrote).
    pub fn write(&self, content: &Content) -> io::Result<bool> {
        let path = self.path(&content.sha256);
        if fs::metadata(&path).is_ok_and(|m| m.len() == content.len()) {
            return Ok(false);
        }
        let temporary = self.dir.join(format!("{}.tmp", hex(&content.sha256)));
        let mut file = File::create(&temporary)?;
        file.write_all(&content.bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, &path)?;
        Ok(true)
    }

    /// Makes the renames of `write` durable.
    pub fn sync(&self) -> io::Result<()> {
        File::open(&self.dir)?.sync_all()
    }

    pub fn read(&self, sha256: &[u8; 32]) -> io::Result<Vec<u8>> {
        fs::read(self.path(sha256))
    }

    pub fn remove(&self, sha256: &[u8; 32]) -> io::Result<()> {
        match fs::remove_file(self.path(sha256)) {
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

    /// The SHA-256 of every body file there is (tests read it to check nothing is left over).
    #[cfg(test)]
    pub fn list(&self) -> io::Result<Vec<[u8; 32]>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            if let Some(sha) = entry?.file_name().to_str().and_then(unhex) {
                out.push(sha);
            }
        }
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
