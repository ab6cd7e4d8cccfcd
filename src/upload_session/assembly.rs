//! A session's bytes while they arrive: the pieces received, by offset, costing what has arrived
//! and never what the client declared; the three hashes advanced over the contiguous prefix as
//! it grows; and, once every byte is in, one buffer of the whole file.
//!
//! Pieces are kept as the request bodies gave them, without a copy. A piece that continues one
//! still smaller than `SMALL` is merged into it, so a client sending one byte per request costs
//! a few bytes of bookkeeping per `SMALL` bytes, not per request. Finishing copies the pieces into one
//! buffer, once (a single piece is handed over as it is).

use std::collections::BTreeMap;

use bytes::{Bytes, BytesMut};
use quickxorhash::QuickXorHash;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::store::content::Content;

/// Hash in slices this size, so each slice is still in cache for the second and third hasher
/// (as `Content::new` does).
const HASH_CHUNK: usize = 64 * 1024;

/// Pieces below this size are merged with the piece they continue.
const SMALL: usize = 64 * 1024;

pub struct Assembly {
    /// Non-overlapping pieces by offset (the caller refuses overlaps).
    pieces: BTreeMap<u64, Bytes>,
    /// Bytes held, summed over the pieces.
    held: u64,
    /// How many bytes from the start are present and hashed.
    hashed: u64,
    sha1: Sha1,
    sha256: Sha256,
    quick_xor: QuickXorHash,
}

impl std::fmt::Debug for Assembly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assembly")
            .field("pieces", &self.pieces.len())
            .field("held", &self.held)
            .field("hashed", &self.hashed)
            .finish()
    }
}

impl Default for Assembly {
    fn default() -> Self {
        Self {
            pieces: BTreeMap::new(),
            held: 0,
            hashed: 0,
            sha1: Sha1::new(),
            sha256: Sha256::new(),
            quick_xor: QuickXorHash::new(),
        }
    }
}

impl Assembly {
    /// Keeps `bytes` at `offset` and hashes whatever prefix that completes. The caller has
    /// checked that the range is inside the file and not yet present.
    pub fn write(&mut self, offset: u64, bytes: Bytes) {
        if bytes.is_empty() {
            return;
        }
        self.held += bytes.len() as u64;
        let before = self
            .pieces
            .range(..offset)
            .next_back()
            .filter(|(start, piece)| **start + piece.len() as u64 == offset)
            .map(|(start, piece)| (*start, piece.len()));
        match before {
            // Bounded copying: only a piece still below `SMALL` is ever copied again.
            Some((start, len)) if len < SMALL => {
                let mut merged = BytesMut::with_capacity(len + bytes.len());
                merged.extend_from_slice(&self.pieces[&start]);
                merged.extend_from_slice(&bytes);
                self.pieces.insert(start, merged.freeze());
            }
            _ => {
                self.pieces.insert(offset, bytes);
            }
        }
        self.hash_prefix();
    }

    /// Advances the hashes over every byte that now continues the hashed prefix.
    fn hash_prefix(&mut self) {
        loop {
            let Some((start, piece)) = self.pieces.range(..=self.hashed).next_back() else {
                return;
            };
            let end = start + piece.len() as u64;
            if end <= self.hashed {
                return;
            }
            // `hashed - start` is below the piece's length, which is a `usize`.
            let from = (self.hashed - start) as usize;
            for chunk in piece[from..].chunks(HASH_CHUNK) {
                self.sha1.update(chunk);
                self.sha256.update(chunk);
                self.quick_xor.update(chunk);
            }
            self.hashed = end;
        }
    }

    /// How many bytes from the start are in.
    pub fn prefix(&self) -> u64 {
        self.hashed
    }

    /// The whole file of `size` bytes with its hashes, once every byte is present.
    pub fn finish(mut self, size: u64) -> Option<Content> {
        if self.hashed != size || self.held != size {
            return None;
        }
        let bytes = if self.pieces.len() == 1 {
            self.pieces.into_values().next().unwrap_or_default()
        } else {
            // `held` bytes have arrived, so this allocation is of received bytes only.
            let mut whole = BytesMut::with_capacity(usize::try_from(self.held).ok()?);
            for piece in self.pieces.into_values() {
                whole.extend_from_slice(&piece);
            }
            whole.freeze()
        };
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
        let mut assembly = Assembly::default();
        for i in [2, 0, 3, 1] {
            assert!(assembly.prefix() < body.len() as u64);
            let piece = Bytes::copy_from_slice(&body[cut[i]..cut[i + 1]]);
            assembly.write(cut[i] as u64, piece);
        }
        let content = assembly.finish(body.len() as u64).expect("complete");
        assert_eq!(content, Content::new(Bytes::from(body)));
    }

    #[test]
    fn tiny_pieces_are_merged_and_still_hash_as_the_whole() {
        let body: Vec<u8> = (0..(3 * SMALL + 7)).map(|i| (i % 239) as u8).collect();
        let mut assembly = Assembly::default();
        for (i, piece) in body.chunks(16).enumerate() {
            assembly.write(16 * i as u64, Bytes::copy_from_slice(piece));
        }
        assert!(
            assembly.pieces.len() <= 4,
            "{} pieces for {} writes",
            assembly.pieces.len(),
            body.len() / 16
        );
        let content = assembly.finish(body.len() as u64).expect("complete");
        assert_eq!(content, Content::new(Bytes::from(body)));
    }

    #[test]
    fn an_incomplete_assembly_does_not_finish() {
        let mut assembly = Assembly::default();
        assembly.write(2, Bytes::from_static(b"cd"));
        assert_eq!(assembly.prefix(), 0);
        assert!(assembly.finish(4).is_none());
    }
}
