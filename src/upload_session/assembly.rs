//! A session's bytes while they arrive, costing what has arrived and never what the client
//! declared, and the three hashes advanced over the contiguous prefix as it grows.
//!
//! At first the pieces are kept by offset as the request bodies gave them (no copy; a piece that
//! continues one still smaller than `SMALL` is merged into it, so one byte per request costs a
//! few bytes of bookkeeping per `SMALL` bytes, not per request). Once half the file is in, or an
//! eighth of it and at least `EARLY` bytes, one zeroed buffer of the whole file is allocated
//! (address space of at most eight times what has arrived; what is resident, below), the
//! pieces are copied into it, and later parts are written straight to their offsets. Finishing
//! hands that buffer to a `Content` without copying it, so a whole upload peaks near the file's
//! size rather than twice it.
//!
//! Why not always at half: the allocator keeps freed memory resident for a while (mimalloc, the
//! binary's, purges it after a second), so what the pieces held still counts while the rest of
//! the file arrives. Switching at half made a 256 MiB upload peak at a median 1.53 × the file
//! through Graph and 1.32 × through Box (five runs of the benchmark's session probe, AMD EPYC);
//! at an eighth, 1.14 × and 1.13 × (eight runs). On an Intel Xeon, Box's peak still ranged from
//! 1.13 to 1.28 × over five runs, and 1.07 to 1.09 × with `MIMALLOC_PURGE_DELAY=0`: freed
//! memory still counts there (which allocations is not yet measured).
//!
//! Why not always at an eighth: pages become resident as they are written, but a whole huge
//! page at a time where the system backs the buffer with them (2 MiB with Linux's transparent
//! huge pages on x86-64). For a small file, an eighth could then make the buffer cost eight
//! times what arrived; at half it is at most twice, and from `EARLY` bytes on the rounding no
//! longer matters.

use std::collections::BTreeMap;

use bytes::{Bytes, BytesMut};

use crate::store::content::{Content, Hasher, Hashes};

/// Pieces below this size are merged with the piece they continue.
const SMALL: usize = 64 * 1024;

/// From this many bytes, an eighth of the file is enough to allocate its buffer (see above).
const EARLY: u64 = 8 * 1024 * 1024;

pub struct Assembly {
    /// Before `whole`: the non-overlapping pieces by offset (the caller refuses overlaps).
    pieces: BTreeMap<u64, Bytes>,
    /// From when enough of the file is in (`time_for_whole`): the whole file, each part
    /// written at its offset.
    whole: Option<BytesMut>,
    /// The ranges present, `start → end` (half-open), adjacent ones merged.
    present: BTreeMap<u64, u64>,
    /// Bytes received, summed over the parts.
    held: u64,
    /// How many bytes from the start are present and hashed.
    hashed: u64,
    hasher: Hasher,
}

impl std::fmt::Debug for Assembly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assembly")
            .field("pieces", &self.pieces.len())
            .field("whole", &self.whole.as_ref().map(BytesMut::len))
            .field("held", &self.held)
            .field("hashed", &self.hashed)
            .finish()
    }
}

/// What a Box session makes: every hash.
impl Default for Assembly {
    fn default() -> Self {
        Self::new(Hashes::WithSha1)
    }
}

impl Assembly {
    /// An assembly that makes `hashes`: those its face shows (a Graph session's reply shows
    /// quickXorHash alone, so it makes no SHA-1; a Box session's commit checks one).
    pub fn new(hashes: Hashes) -> Self {
        Self {
            pieces: BTreeMap::new(),
            whole: None,
            present: BTreeMap::new(),
            held: 0,
            hashed: 0,
            hasher: Hasher::new(hashes),
        }
    }

    /// Keeps `bytes` at `offset` of a file of `size` bytes and hashes whatever prefix that
    /// completes. The caller has checked that the range is inside the file and not yet present.
    pub fn write(&mut self, offset: u64, bytes: Bytes, size: u64) {
        if bytes.is_empty() {
            return;
        }
        let end = offset + bytes.len() as u64;
        self.held += bytes.len() as u64;
        self.mark_present(offset, end);
        match &mut self.whole {
            Some(whole) => {
                // Inside the file, whose buffer exists since enough of it has arrived.
                whole[offset as usize..end as usize].copy_from_slice(&bytes);
            }
            None => self.keep_piece(offset, bytes),
        }
        if self.whole.is_none() && time_for_whole(self.held, size) {
            if let Ok(len) = usize::try_from(size) {
                let mut whole = BytesMut::zeroed(len);
                for (start, piece) in std::mem::take(&mut self.pieces) {
                    let start = start as usize;
                    whole[start..start + piece.len()].copy_from_slice(&piece);
                }
                self.whole = Some(whole);
            }
        }
        self.hash_prefix();
    }

    fn keep_piece(&mut self, offset: u64, bytes: Bytes) {
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
    }

    /// Records `[start, end)` as present, merged with the ranges it touches.
    fn mark_present(&mut self, mut start: u64, mut end: u64) {
        if let Some((&s, &e)) = self.present.range(..=start).next_back() {
            if e >= start {
                start = s;
                end = end.max(e);
                self.present.remove(&s);
            }
        }
        if let Some(&e) = self.present.get(&end) {
            self.present.remove(&end);
            end = e;
        }
        self.present.insert(start, end);
    }

    /// Advances the hashes over every byte that now continues the hashed prefix.
    fn hash_prefix(&mut self) {
        let Some(&reach) = self.present.get(&0) else {
            return;
        };
        let Self {
            pieces,
            whole,
            hashed,
            hasher,
            ..
        } = self;
        let mut update = |slice: &[u8]| hasher.update(slice);
        match whole {
            Some(whole) => update(&whole[*hashed as usize..reach as usize]),
            None => {
                // From the piece holding the first byte not yet hashed.
                let from = pieces.range(..=*hashed).next_back().map_or(0, |(s, _)| *s);
                for (start, piece) in pieces.range(from..reach) {
                    let end = start + piece.len() as u64;
                    if end > *hashed {
                        update(&piece[(*hashed - start) as usize..]);
                    }
                }
            }
        }
        *hashed = reach;
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
        let bytes = match self.whole.take() {
            Some(whole) => whole.freeze(),
            // Unreachable in practice (the buffer exists once half is in); kept correct.
            None => {
                let mut whole = BytesMut::with_capacity(usize::try_from(size).ok()?);
                for piece in std::mem::take(&mut self.pieces).into_values() {
                    whole.extend_from_slice(&piece);
                }
                whole.freeze()
            }
        };
        Some(self.hasher.finish(bytes))
    }
}

/// Whether `held` bytes of a file of `size` are enough to allocate the whole file's buffer:
/// half of it, or an eighth and `EARLY` bytes. Its address space is then at most eight times
/// what has arrived.
fn time_for_whole(held: u64, size: u64) -> bool {
    held.saturating_mul(2) >= size || (held >= EARLY && held.saturating_mul(8) >= size)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cuts at and beside the hasher's own slices (64 KiB).
    const HASH_CHUNK: usize = 64 * 1024;

    #[test]
    fn parts_in_any_order_give_the_hashes_of_the_whole() {
        let body: Vec<u8> = (0..(5 * HASH_CHUNK + 3)).map(|i| (i % 241) as u8).collect();
        let size = body.len() as u64;
        let cut = [
            0,
            HASH_CHUNK + 5,
            3 * HASH_CHUNK,
            4 * HASH_CHUNK + 1,
            body.len(),
        ];
        for order in [[2, 0, 3, 1], [3, 2, 1, 0], [0, 1, 2, 3]] {
            let mut assembly = Assembly::default();
            for i in order {
                assert!(assembly.prefix() < size);
                let piece = Bytes::copy_from_slice(&body[cut[i]..cut[i + 1]]);
                assembly.write(cut[i] as u64, piece, size);
            }
            let content = assembly.finish(size).expect("complete");
            assert_eq!(
                content,
                Content::new(Bytes::from(body.clone())),
                "{order:?}"
            );
        }
    }

    #[test]
    fn nothing_the_size_of_the_declaration_is_allocated_before_enough_of_it_arrives() {
        let mut assembly = Assembly::default();
        assembly.write(0, Bytes::from_static(b"x"), u64::MAX);
        assembly.write(1_000_000_000_000, Bytes::from_static(b"y"), u64::MAX);
        assert!(assembly.whole.is_none());
        assert_eq!(assembly.held, 2);
        assert_eq!(assembly.prefix(), 1);
    }

    #[test]
    fn the_buffer_comes_at_half_a_small_file_and_an_eighth_of_a_large_one() {
        let mb = EARLY / 8;
        for (held, size, expected, why) in [
            (4, 10, false, "under half of a small file"),
            (5, 10, true, "half of a small file"),
            (EARLY - 1, 8 * EARLY, false, "an eighth, less a byte"),
            (EARLY, 8 * EARLY, true, "an eighth of 64 MiB"),
            (EARLY, 8 * EARLY + 1, false, "just under an eighth"),
            (
                4 * mb,
                16 * mb,
                false,
                "a quarter of 16 MiB: under EARLY, under half",
            ),
            (8 * mb, 16 * mb, true, "half of it"),
            (32 * EARLY, 256 * EARLY, true, "an eighth of 2 GiB"),
            (u64::MAX / 2, u64::MAX, true, "no overflow"),
        ] {
            assert_eq!(time_for_whole(held, size), expected, "{why}");
        }
    }

    #[test]
    fn the_buffer_holds_what_the_pieces_held() {
        // 80 bytes: the buffer comes with the fortieth byte.
        let mut assembly = Assembly::default();
        assembly.write(0, Bytes::from_static(b"abcde"), 80);
        assembly.write(46, Bytes::from_static(&[7; 34]), 80);
        assert!(assembly.whole.is_none(), "39 bytes of 80");
        assembly.write(45, Bytes::from_static(b"z"), 80);
        let whole = assembly.whole.as_ref().expect("40 bytes of 80");
        assert_eq!(
            (&whole[..5], whole[45], whole[79]),
            (&b"abcde"[..], b'z', 7)
        );
        assert!(assembly.pieces.is_empty());
        assert_eq!(assembly.prefix(), 5);
    }

    #[test]
    fn a_large_file_switches_at_an_eighth_and_still_hashes_as_the_whole() {
        // 64 MiB in 4 MiB parts, sent out of order; each 4 KiB block has its own byte value.
        const PART: usize = (EARLY / 2) as usize;
        let size = 8 * EARLY;
        let mut body = Vec::with_capacity(size as usize);
        for block in 0..size as usize / 4096 {
            body.resize(body.len() + 4096, (block % 251) as u8);
        }
        let order = [5, 0, 15, 7, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14];
        let mut assembly = Assembly::default();
        for (sent, part) in order.into_iter().enumerate() {
            let start = part * PART;
            let bytes = Bytes::copy_from_slice(&body[start..start + PART]);
            assembly.write(start as u64, bytes, size);
            // Two parts are 8 MiB, an eighth of the file and `EARLY`: the buffer comes then.
            assert_eq!(
                assembly.whole.is_some(),
                sent >= 1,
                "after {} parts",
                sent + 1
            );
        }
        let content = assembly.finish(size).expect("complete");
        assert_eq!(content, Content::new(Bytes::from(body)));
    }

    #[test]
    fn tiny_pieces_are_merged_and_still_hash_as_the_whole() {
        let body: Vec<u8> = (0..(3 * SMALL + 7)).map(|i| (i % 239) as u8).collect();
        // Twice the body's size as the declared total, so the pieces stay pieces.
        let size = 2 * body.len() as u64 + 2;
        let mut assembly = Assembly::default();
        for (i, piece) in body.chunks(16).enumerate() {
            assembly.write(16 * i as u64, Bytes::copy_from_slice(piece), size);
        }
        assert!(assembly.whole.is_none());
        assert!(
            assembly.pieces.len() <= 4,
            "{} pieces for {} writes",
            assembly.pieces.len(),
            body.len() / 16
        );
        assert_eq!(assembly.prefix(), body.len() as u64);
        let mut whole = body.clone();
        whole.extend_from_slice(&[5; 2]);
        whole.extend(body.iter().rev());
        let rest = Bytes::copy_from_slice(&whole[body.len()..]);
        assembly.write(body.len() as u64, rest, size);
        let content = assembly.finish(size).expect("complete");
        assert_eq!(content, Content::new(Bytes::from(whole)));
    }

    #[test]
    fn an_incomplete_assembly_does_not_finish() {
        let mut assembly = Assembly::default();
        assembly.write(2, Bytes::from_static(b"cd"), 4);
        assert_eq!(assembly.prefix(), 0);
        assert!(assembly.finish(4).is_none());
    }

    #[test]
    fn a_session_makes_sha1_only_for_the_face_that_shows_it() {
        let body = Bytes::from_static(b"the whole file");
        let size = body.len() as u64;
        // (hashes, whether SHA-1 is made with the others, why)
        let cases = [
            (
                Hashes::Graph,
                false,
                "a Graph session's reply shows quickXorHash alone",
            ),
            (
                Hashes::WithSha1,
                true,
                "a Box session's commit checks the file's SHA-1",
            ),
        ];
        for (hashes, made, why) in cases {
            let mut assembly = Assembly::new(hashes);
            assembly.write(0, body.clone(), size);
            let content = assembly.finish(size).expect("complete");
            assert_eq!(content.made_sha1().is_some(), made, "{why}");
            assert_eq!(content, Content::new(body.clone()), "{why}");
        }
    }
}
