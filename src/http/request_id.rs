//! Request ids: one per request, made from a counter so that runs with a frozen clock repeat
//! byte for byte. Each face prints them in its own headers and error bodies.

use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

use crate::splitmix::splitmix64;

/// Hands out request ids. Shared by both faces through `AppState`.
#[derive(Debug, Default)]
pub struct RequestIds {
    next: AtomicU64,
}

/// One request's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId(u64);

impl RequestIds {
    pub fn next(&self) -> RequestId {
        RequestId(self.next.fetch_add(1, Ordering::Relaxed))
    }

    /// Starts the sequence again, so a reset server answers like a fresh one.
    pub fn reset(&self) {
        self.next.store(0, Ordering::Relaxed);
    }
}

impl RequestId {
    /// A GUID, as Graph's `request-id` is: the counter scrambled so that ids look unrelated.
    pub fn uuid(self) -> Uuid {
        Uuid::from_u64_pair(splitmix64(self.0), splitmix64(!self.0))
    }

    /// Lowercase hex, 32 digits, as Box's `box-request-id` header is.
    pub fn hex(self) -> String {
        self.uuid().simple().to_string()
    }

    /// A short opaque token, as the `request_id` in Box's error bodies is.
    pub fn short(self) -> String {
        const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut n = splitmix64(self.0 ^ 0x5bd1_e995);
        (0..16)
            .map(|_| {
                let c = ALPHABET[(n % 36) as usize] as char;
                n /= 36;
                if n == 0 {
                    n = splitmix64(self.0.wrapping_add(1));
                }
                c
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_repeat_after_reset() {
        let ids = RequestIds::default();
        let first = ids.next();
        assert_ne!(first.uuid(), ids.next().uuid());
        ids.reset();
        assert_eq!(ids.next().uuid(), first.uuid());
        assert_eq!(first.short().len(), 16);
        assert_eq!(first.hex().len(), 32);
    }
}
