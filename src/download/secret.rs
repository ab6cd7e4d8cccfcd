//! The keys behind the emulator's unguessable URLs (download links, upload sessions): drawn at
//! start, or derived from the frozen start instant so that two runs with the same frozen clock
//! hand out byte-identical URLs (the replay guarantee).

use sha2::{Digest, Sha256};

/// A 256-bit key for `purpose`. With `seed` it depends on the seed alone; without, on
/// randomness drawn now, so no two processes share keys. `purpose` keeps the keys of different
/// uses apart even when they share a seed.
pub(crate) fn key(purpose: &str, seed: Option<i64>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(purpose.as_bytes());
    match seed {
        Some(seed) => hasher.update(seed.to_be_bytes()),
        None => {
            hasher.update(uuid::Uuid::new_v4().as_bytes());
            hasher.update(uuid::Uuid::new_v4().as_bytes());
        }
    }
    hasher.finalize().into()
}
