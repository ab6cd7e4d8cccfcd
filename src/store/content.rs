//! File content: the bytes of one distinct body and the hashes the APIs report.
//!
//! A `Content` is made once per upload, outside the store's lock, and shared by `Arc` between every
//! version that has those bytes, so a restore or promote never copies them.
//!
//! Hashing is most of an upload's cost, so an upload computes only what its face shows and what
//! the store needs: BLAKE3 always (the store's key for a body, and a data dir's file name: a
//! cryptographic digest, so equal keys are equal bodies, at four times SHA-256's speed),
//! QuickXorHash always (OneDrive for Business shows only `quickXorHash`, and it costs next to
//! nothing), SHA-1 for Box (its `sha1`, and the `Content-MD5`/`Digest` checks) and otherwise on
//! first use (a Graph upload read through the admin API or Box), as SHA-256 is (the admin API
//! shows it; no face does). `sha1` and `sha256` run on the CPU's SHA extensions where it has
//! them: the `sha1`/`sha2` crates detect them at run time (`cpufeatures`) on x86-64, as `blake3`
//! does its SIMD.

use std::sync::OnceLock;

use base64::Engine;
use bytes::Bytes;
use quickxorhash::QuickXorHash;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use super::Face;

/// The digests' printed form: a short text kept on the stack.
pub use crate::short_text::ShortText;

/// The bytes of a body and their hashes.
#[derive(Debug, Clone)]
pub struct Content {
    pub bytes: Bytes,
    /// The store's name for the body.
    pub blake3: [u8; 32],
    pub quick_xor: [u8; 20],
    /// Made with the others when an upload's face shows it, otherwise on first use.
    sha1: OnceLock<[u8; 20]>,
    /// Made on first use.
    sha256: OnceLock<[u8; 32]>,
}

/// Two contents are equal when their bytes are, whichever hashes they have made so far.
impl PartialEq for Content {
    fn eq(&self, other: &Self) -> bool {
        self.blake3 == other.blake3 && self.bytes == other.bytes
    }
}

impl Eq for Content {}

/// Which hashes an upload makes while it has the bytes in cache (see the module's docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hashes {
    /// BLAKE3 and QuickXorHash: a Graph upload.
    Graph,
    /// SHA-1 too: a Box upload, whose reply shows it.
    WithSha1,
}

impl Hashes {
    /// What an upload to `face` makes, by any route (a simple upload or a session).
    pub fn of_upload_to(face: Face) -> Self {
        match face {
            Face::Graph => Self::Graph,
            Face::Box => Self::WithSha1,
        }
    }
}

/// Hash input in slices of this size so every hasher sees each slice while it is still in the
/// CPU cache: one pass over memory instead of one per hash. BLAKE3 hashes 16 of its 1 KiB chunks
/// side by side (AVX-512), so a slice is a whole number of those.
const HASH_CHUNK: usize = 64 * 1024;

/// How much `Hasher::update_in_turns` hashes before it lets other tasks run.
const TURN: usize = 256 * 1024;

/// The hashes of a body made as its bytes go by: an upload is hashed piece by piece as it
/// arrives, while each piece is still in the CPU's cache from being received, rather than in a
/// second pass over the whole body once it is in.
pub struct Hasher {
    sha1: Option<Sha1>,
    blake3: blake3::Hasher,
    quick_xor: QuickXorHash,
    /// Bytes `update_in_turns` hashed since it last let other tasks run.
    since_turn: usize,
}

impl Hasher {
    pub fn new(hashes: Hashes) -> Self {
        Self {
            sha1: (hashes == Hashes::WithSha1).then(Sha1::new),
            blake3: blake3::Hasher::new(),
            quick_xor: QuickXorHash::new(),
            since_turn: 0,
        }
    }

    /// Hashes the next `bytes` of the body.
    pub fn update(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(HASH_CHUNK) {
            if let Some(sha1) = &mut self.sha1 {
                sha1.update(chunk);
            }
            self.blake3.update(chunk);
            self.quick_xor.update(chunk);
        }
    }

    /// `update`, letting the worker's other tasks run after each `TURN` bytes: for a body
    /// already in memory, where no read waits between pieces (hashing a mebibyte takes about a
    /// millisecond).
    pub async fn update_in_turns(&mut self, bytes: &[u8]) {
        for slice in bytes.chunks(TURN) {
            self.update(slice);
            self.since_turn += slice.len();
            if self.since_turn >= TURN {
                self.since_turn = 0;
                tokio::task::yield_now().await;
            }
        }
    }

    /// The content whose bytes are `bytes`: exactly what was passed to `update`, in order.
    pub fn finish(mut self, bytes: Bytes) -> Content {
        Content {
            blake3: self.blake3.finalize().into(),
            quick_xor: self.quick_xor.finalize(),
            sha1: self.sha1.map_or_else(OnceLock::new, |s| {
                OnceLock::from(<[u8; 20]>::from(s.finalize()))
            }),
            sha256: OnceLock::new(),
            bytes,
        }
    }
}

impl Content {
    /// `bytes` with BLAKE3 and QuickXorHash; SHA-1 and SHA-256 on first use.
    pub fn new(bytes: Bytes) -> Self {
        Self::with(bytes, Hashes::Graph)
    }

    /// `bytes` with the hashes `hashes` names, in one pass over memory.
    pub fn with(bytes: Bytes, hashes: Hashes) -> Self {
        let mut hasher = Hasher::new(hashes);
        hasher.update(&bytes);
        hasher.finish(bytes)
    }

    /// A content whose hashes were made elsewhere (a data dir's rows). `sha1` may be unknown yet.
    pub fn from_parts(
        bytes: Bytes,
        sha1: Option<[u8; 20]>,
        blake3: [u8; 32],
        quick_xor: [u8; 20],
    ) -> Self {
        Self {
            bytes,
            blake3,
            quick_xor,
            sha1: sha1.map_or_else(OnceLock::new, OnceLock::from),
            sha256: OnceLock::new(),
        }
    }

    /// SHA-1 of the bytes, made now if the upload did not make it.
    pub fn sha1(&self) -> [u8; 20] {
        *self.sha1.get_or_init(|| Sha1::digest(&self.bytes).into())
    }

    /// SHA-1 of the bytes if it was made already, without making it.
    pub fn made_sha1(&self) -> Option<[u8; 20]> {
        self.sha1.get().copied()
    }

    /// SHA-256 of the bytes, made on first use.
    pub fn sha256(&self) -> [u8; 32] {
        *self
            .sha256
            .get_or_init(|| Sha256::digest(&self.bytes).into())
    }

    pub fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Lowercase hex SHA-1, as Box prints it: on the stack, as a listing prints one or two per
    /// entry, and making a `String` for each was 7 % of a Box folder page's CPU.
    pub fn sha1_hex(&self) -> ShortText<40> {
        let mut text = ShortText::default();
        for byte in self.sha1() {
            text.push_ascii(&hex_pair(byte));
        }
        text
    }

    /// Base64 of the 20-byte QuickXorHash, as OneDrive prints `quickXorHash`.
    pub fn quick_xor_base64(&self) -> ShortText<28> {
        let mut base64 = [0u8; 28];
        // 20 bytes are exactly 28 characters of padded base64, so the buffer always fits.
        let _ = base64::engine::general_purpose::STANDARD.encode_slice(self.quick_xor, &mut base64);
        let mut text = ShortText::default();
        text.push_ascii(&base64);
        text
    }
}

const LOWER: &[u8; 16] = b"0123456789abcdef";

fn hex_pair(byte: u8) -> [u8; 2] {
    [
        LOWER[usize::from(byte >> 4)],
        LOWER[usize::from(byte & 0x0f)],
    ]
}

/// Lowercase hex of any bytes: Box's part digests, the names of a data dir's body files (and,
/// on the stack, `Content::sha1_hex`). The crate's one hex printer.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.extend(hex_pair(byte).map(char::from));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many times `future` lets go before it is done, polled with a waker that does nothing.
    fn times_it_lets_go(future: impl std::future::Future<Output = ()>) -> usize {
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        (0..)
            .find(|_| future.as_mut().poll(&mut context).is_ready())
            .unwrap()
    }

    #[test]
    fn hashing_in_turns_lets_go_after_each_turn_and_gives_the_same_hashes() {
        let body: Vec<u8> = (0..3 * TURN + 5).map(|i| (i % 251) as u8).collect();
        let mut hasher = Hasher::new(Hashes::WithSha1);
        // (bytes given, times it lets go, why)
        let cases = [
            (TURN - 1, 0, "less than a turn, so far"),
            (2, 1, "the turn completed, with one byte over"),
            (2 * TURN, 2, "two turns more"),
            (4, 0, "what is left"),
        ];
        let mut at = 0;
        for (len, turns, why) in cases {
            let piece = &body[at..at + len];
            assert_eq!(
                times_it_lets_go(hasher.update_in_turns(piece)),
                turns,
                "{why}"
            );
            at += len;
        }
        assert_eq!(at, body.len());
        let bytes = Bytes::from(body);
        let (turns, once) = (
            hasher.finish(bytes.clone()),
            Content::with(bytes, Hashes::WithSha1),
        );
        assert_eq!(
            (turns.sha1(), turns.blake3, turns.quick_xor),
            (once.sha1(), once.blake3, once.quick_xor)
        );
    }

    #[test]
    fn hashes_match_known_values() {
        let content = Content::new(Bytes::from_static(b"hello"));
        assert_eq!(
            content.sha1_hex().as_str(),
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
        );
        assert_eq!(content.sha1_hex().as_str(), hex(&content.sha1()));
        assert_eq!(
            hex(&content.sha256()),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        // As the BLAKE3 team's own implementation (the `blake3` crate) computes it.
        assert_eq!(
            hex(&content.blake3),
            "ea8f163db38682925e4491c5e58d4bb3506ef8c14eb78a86e908c5624a67200f"
        );
        // A vector from rclone's QuickXorHash tests, which match OneDrive's own values: the
        // five bytes that base64 "eAV52qE=" stands for.
        let content = Content::new(Bytes::from_static(&[0x78, 0x05, 0x79, 0xda, 0xa1]));
        assert_eq!(
            content.quick_xor_base64().to_string(),
            "eChAHrQRCgAAAAAABQAAAAAAAAA="
        );
    }

    #[test]
    fn hex_prints_every_byte_as_two_digits_lowercase() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn sha1_is_the_same_made_with_the_others_or_on_first_use() {
        let eager = Content::with(Bytes::from_static(b"hello"), Hashes::WithSha1);
        let lazy = Content::new(Bytes::from_static(b"hello"));
        assert_eq!(lazy.sha1.get(), None);
        assert_eq!(eager.sha1(), lazy.sha1());
        assert_eq!(eager, lazy);
    }

    #[test]
    fn chunked_hashing_equals_hashing_in_one_go() {
        let body: Vec<u8> = (0..(3 * HASH_CHUNK + 17))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let content = Content::with(Bytes::from(body.clone()), Hashes::WithSha1);
        assert_eq!(
            content.sha1.get(),
            Some(&<[u8; 20]>::from(Sha1::digest(&body)))
        );
        assert_eq!(content.blake3, <[u8; 32]>::from(blake3::hash(&body)));
        let mut whole = QuickXorHash::new();
        whole.update(&body);
        assert_eq!(content.quick_xor, whole.finalize());
    }
}
