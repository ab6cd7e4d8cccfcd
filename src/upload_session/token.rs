//! Session tokens: unguessable, yet the same after a reset (and across runs under a frozen clock),
//! so that the emulator's replay guarantee holds for replies that carry an upload URL.

use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

/// Makes tokens as a keyed hash of a secret and a counter. The counter restarts on reset, so the
/// same requests after a reset get the same tokens; nothing a client sees reveals the secret.
#[derive(Debug)]
pub struct TokenMint {
    secret: [u8; 32],
    counter: AtomicU64,
}

impl TokenMint {
    /// With `seed`, tokens depend on it alone (the server passes its frozen start instant, so two
    /// runs with the same frozen clock hand out the same URLs); without, on a secret drawn now.
    pub fn new(seed: Option<i64>) -> Self {
        Self {
            secret: crate::download::secret::key("restore-mock upload sessions", seed),
            counter: AtomicU64::new(0),
        }
    }

    /// The next token: 32 uppercase hex digits (128 bits), the shape of a Box session id.
    pub fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut hasher = Sha256::new();
        hasher.update(self.secret);
        hasher.update(n.to_be_bytes());
        let digest = hasher.finalize();
        let mut token = String::with_capacity(32);
        for b in &digest[..16] {
            token.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            token.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0x0f)]));
        }
        token
    }

    pub fn reset(&self) {
        self.counter.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::TokenMint;

    #[test]
    fn tokens_differ_from_each_other_and_repeat_after_a_reset() {
        let mint = TokenMint::new(Some(7));
        let (a, b) = (mint.next(), mint.next());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        mint.reset();
        assert_eq!(mint.next(), a);
        assert_eq!(TokenMint::new(Some(7)).next(), a, "same seed, same tokens");
        assert_ne!(TokenMint::new(Some(8)).next(), a, "another seed");
        assert_ne!(TokenMint::new(None).next(), TokenMint::new(None).next());
    }
}
