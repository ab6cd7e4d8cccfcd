//! File content: the bytes of one distinct body and the three hashes both APIs report.
//!
//! A `Content` is made once per upload, outside the store's lock, and shared by `Arc` between every
//! version that has those bytes, so a restore or promote never copies them.

use base64::Engine;
use bytes::Bytes;
use quickxorhash::QuickXorHash;
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// The bytes of a body and their hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub bytes: Bytes,
    pub sha1: [u8; 20],
    pub sha256: [u8; 32],
    pub quick_xor: [u8; 20],
}

/// Bodies at least this large are hashed on tokio's blocking pool (see `Content::hash`).
const HASH_OFF_THREAD: usize = 256 * 1024;

/// Hash input in slices of this size so all three hashers see each slice while it is still in
/// the CPU cache: one pass over memory instead of three.
const HASH_CHUNK: usize = 64 * 1024;

impl Content {
    pub fn new(bytes: Bytes) -> Self {
        let mut sha1 = Sha1::new();
        let mut sha256 = Sha256::new();
        let mut quick_xor = QuickXorHash::new();
        for chunk in bytes.chunks(HASH_CHUNK) {
            sha1.update(chunk);
            sha256.update(chunk);
            quick_xor.update(chunk);
        }
        Self {
            sha1: sha1.finalize().into(),
            sha256: sha256.finalize().into(),
            quick_xor: quick_xor.finalize(),
            bytes,
        }
    }

    /// Hashes an uploaded body as `new` does, but on tokio's blocking pool when it is large:
    /// hashing a mebibyte takes about a millisecond, which would otherwise stall every other
    /// request waiting on the same async worker.
    pub async fn hash(bytes: Bytes) -> Self {
        if bytes.len() < HASH_OFF_THREAD {
            return Self::new(bytes);
        }
        let retry = bytes.clone();
        match tokio::task::spawn_blocking(move || Self::new(bytes)).await {
            Ok(content) => content,
            // Only if the runtime is shutting down; hash here rather than fail the upload.
            Err(_) => Self::new(retry),
        }
    }

    pub fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Lowercase hex SHA-1, as Box prints it.
    pub fn sha1_hex(&self) -> String {
        hex(&self.sha1)
    }

    /// Uppercase hex SHA-1, as OneDrive prints `sha1Hash`.
    pub fn sha1_hex_upper(&self) -> String {
        hex_in(&self.sha1, UPPER)
    }

    /// Uppercase hex SHA-256, as OneDrive prints `sha256Hash`.
    pub fn sha256_hex_upper(&self) -> String {
        hex_in(&self.sha256, UPPER)
    }

    /// Base64 of the 20-byte QuickXorHash, as OneDrive prints `quickXorHash`.
    pub fn quick_xor_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.quick_xor)
    }
}

const LOWER: &[u8; 16] = b"0123456789abcdef";
const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lowercase hex of any bytes: Box's `sha1` and part digests, the names of a data dir's body
/// files. The crate's one hex printer; OneDrive's uppercase hashes go through `Content`.
pub fn hex(bytes: &[u8]) -> String {
    hex_in(bytes, LOWER)
}

fn hex_in(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digits[usize::from(b >> 4)] as char);
        out.push(digits[usize::from(b & 0x0f)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_known_values() {
        let content = Content::new(Bytes::from_static(b"hello"));
        assert_eq!(
            content.sha1_hex(),
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
        );
        assert_eq!(
            content.sha256_hex_upper(),
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"
        );
        // A vector from rclone's QuickXorHash tests, which match OneDrive's own values: the
        // five bytes that base64 "eAV52qE=" stands for.
        let content = Content::new(Bytes::from_static(&[0x78, 0x05, 0x79, 0xda, 0xa1]));
        assert_eq!(content.quick_xor_base64(), "eChAHrQRCgAAAAAABQAAAAAAAAA=");
    }

    #[test]
    fn hex_prints_every_byte_as_two_digits_lowercase_and_uppercase_for_onedrive() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
        assert_eq!(hex_in(&[0x00, 0x0f, 0xa5, 0xff], UPPER), "000FA5FF");
    }

    #[test]
    fn chunked_hashing_equals_hashing_in_one_go() {
        let body: Vec<u8> = (0..(3 * HASH_CHUNK + 17))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let content = Content::new(Bytes::from(body.clone()));
        assert_eq!(content.sha1, <[u8; 20]>::from(Sha1::digest(&body)));
        let mut whole = QuickXorHash::new();
        whole.update(&body);
        assert_eq!(content.quick_xor, whole.finalize());
    }
}
