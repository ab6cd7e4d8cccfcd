//! Directories the tests write (certificates, data dirs, browser profiles), each under the
//! system's temporary one with a name no other test or run shares, and removed when dropped: a
//! suite run leaves nothing behind in `/tmp`.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A path for a test's directory (not made: whatever writes there makes it), removed with
/// everything in it when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// `restore-mock-{name}-{pid}-{n}` under the system's temporary directory, emptied of
    /// whatever an earlier process of the same id left there. Short on purpose: chromium puts a
    /// socket in its profile, and a socket's path has at most 107 bytes.
    pub fn new(name: &str) -> Self {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "restore-mock-{name}-{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }

    /// [`TempDir::new`], the directory made.
    pub fn made(name: &str) -> Self {
        let dir = Self::new(name);
        std::fs::create_dir_all(&dir.0).expect("a test directory");
        dir
    }
}

impl Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
