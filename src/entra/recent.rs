//! Tokens signed in the current second of the emulator's clock, handed out again for the same
//! claims. An RS256 signature costs about 0.6 ms of CPU, which made sign-in the bottleneck of a
//! suite that asks for a token per test; two requests in the same second for the same identity,
//! audience and scopes would get byte-identical claims but for `uti`, so the second gets the
//! first's token (`uti` is then the first request's id). A frozen clock therefore hands one
//! token per identity until it moves, which is what its claims would be anyway.

use std::collections::HashMap;
use std::sync::Mutex;

/// At most this many tokens are kept for a second; past it, tokens are signed afresh.
const CAPACITY: usize = 4096;

#[derive(Default)]
pub(crate) struct RecentTokens {
    inner: Mutex<Second>,
}

#[derive(Default)]
struct Second {
    at: i64,
    tokens: HashMap<String, String>,
}

impl RecentTokens {
    /// The token signed at `at` (seconds) for claims `key` stands for, if any.
    pub fn get(&self, at: i64, key: &str) -> Option<String> {
        let second = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (second.at == at).then(|| second.tokens.get(key).cloned())?
    }

    /// Keeps `token`, signed at `at`, for `key`; a new second forgets the last one's.
    pub fn put(&self, at: i64, key: String, token: &str) {
        let mut second = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if second.at != at {
            second.at = at;
            second.tokens.clear();
        }
        if second.tokens.len() < CAPACITY {
            second.tokens.insert(key, token.to_owned());
        }
    }

    /// Forgets every token (a reset: they no longer sign in).
    pub fn clear(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .tokens
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_handed_out_again_only_within_its_second_and_until_a_reset() {
        let recent = RecentTokens::default();
        recent.put(10, "k".into(), "t");
        assert_eq!(recent.get(10, "k").as_deref(), Some("t"));
        assert_eq!(recent.get(10, "other"), None);
        assert_eq!(recent.get(11, "k"), None);
        recent.clear();
        assert_eq!(recent.get(10, "k"), None);
        recent.put(10, "k".into(), "t");
        recent.put(11, "j".into(), "u");
        assert_eq!(recent.get(10, "k"), None, "a new second forgets the last");
    }
}
