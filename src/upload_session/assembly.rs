//! A session's bytes while they arrive: one buffer of the file's size, written at each part's
//! offset, and the three hashes advanced over the contiguous prefix as it grows. Finishing hands
//! the buffer to a `Content` without copying it and without a second pass over it.

use bytes::{Bytes, BytesMut};
use quickxorhash::QuickXorHash;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::store::content::Content;

/// Hash in slices this size, so each slice is still in cache for the second and third hasher
/// (as `Content::new` does).
const HASH_CHUNK: usize = 64 * 1024;

pub struct Assembly {
    /// Zeroed on allocation, which the allocator maps lazily: resident memory grows with the
    /// bytes written, not with the size announced.
    buffer: BytesMut,
    /// How many bytes from the start are present and hashed.
    hashed: usize,
    /// Bytes present beyond `hashed`, as `(start, end)` half-open ranges that do not touch.
    ahead: Vec<(usize, usize)>,
    sha1: Sha1,
    sha256: Sha256,
    quick_xor: QuickXorHash,
}

impl std::fmt::Debug for Assembly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assembly")
            .field("size", &self.buffer.len())
            .field("hashed", &self.hashed)
            .field("ahead", &self.ahead)
            .finish()
    }
}

impl Assembly {
    pub fn new(size: u64) -> Self {
        Self {
            buffer: BytesMut::zeroed(usize::try_from(size).unwrap_or(usize::MAX)),
            hashed: 0,
            ahead: Vec::new(),
            sha1: Sha1::new(),
            sha256: Sha256::new(),
            quick_xor: QuickXorHash::new(),
        }
    }

    /// Copies `bytes` to `offset` and hashes whatever prefix that completes. The caller has
    /// checked that the range is inside the file and not yet present.
    pub fn write(&mut self, offset: u64, bytes: &[u8]) {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let end = start + bytes.len();
        self.buffer[start..end].copy_from_slice(bytes);
        self.ahead.push((start, end));
        self.ahead.sort_unstable();
        // Advance over every range that now continues the prefix.
        let mut reach = self.hashed;
        let mut used = 0;
        for &(s, e) in &self.ahead {
            if s > reach {
                break;
            }
            reach = reach.max(e);
            used += 1;
        }
        self.ahead.drain(..used);
        for chunk in self.buffer[self.hashed..reach].chunks(HASH_CHUNK) {
            self.sha1.update(chunk);
            self.sha256.update(chunk);
            self.quick_xor.update(chunk);
        }
        self.hashed = reach;
    }

    pub fn is_complete(&self) -> bool {
        self.hashed == self.buffer.len()
    }

    /// The whole file with its hashes, once every byte is present: the buffer becomes the
    /// content's `Bytes` as it is.
    pub fn finish(mut self) -> Option<Content> {
        if !self.is_complete() {
            return None;
        }
        let bytes: Bytes = self.buffer.freeze();
        Some(Content {
            bytes,
            sha1: self.sha1.finalize().into(),
            sha256: self.sha256.finalize().into(),
            quick_xor: self.quick_xor.finalize(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_in_any_order_give_the_hashes_of_the_whole() {
        let body: Vec<u8> = (0..(5 * HASH_CHUNK + 3)).map(|i| (i % 241) as u8).collect();
        let cut = [
            0,
            HASH_CHUNK + 5,
            3 * HASH_CHUNK,
            4 * HASH_CHUNK + 1,
            body.len(),
        ];
        let mut assembly = Assembly::new(body.len() as u64);
        for i in [2, 0, 3, 1] {
            assert!(!assembly.is_complete());
            assembly.write(cut[i] as u64, &body[cut[i]..cut[i + 1]]);
        }
        let content = assembly.finish().expect("complete");
        assert_eq!(content, Content::new(Bytes::from(body)));
    }

    #[test]
    fn an_incomplete_assembly_does_not_finish() {
        let mut assembly = Assembly::new(4);
        assembly.write(2, b"cd");
        assert!(assembly.finish().is_none());
    }
}
