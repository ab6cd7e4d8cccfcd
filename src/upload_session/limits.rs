//! What open upload sessions may hold: the largest file one session takes, the bytes all open
//! sessions may declare together, and how many sessions one user may keep open. Sizes here are
//! promises, never allocations: a session's memory grows with the bytes that arrive, and the
//! declared size only counts against the budget, so no declaration can make the process
//! allocate (or abort) before the bytes are sent.

use std::collections::HashMap;

/// `--max-session-bytes`' default: what a developer's machine can hold beside everything else.
pub const DEFAULT_SESSION_BYTES: u64 = 4 * GIB;

/// `--max-sessions-per-user`' default: well above the parallel uploads of any SDK's transfer
/// manager, low enough that one client in a loop cannot fill the table.
pub const DEFAULT_SESSIONS_PER_USER: usize = 100;

pub const GIB: u64 = 1024 * 1024 * 1024;

/// The bounds, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `--max-file-size`: when set, caps each face's own limit.
    pub max_file_size: Option<u64>,
    /// `--max-session-bytes`: the declared sizes of all open sessions, summed.
    pub session_bytes: u64,
    /// `--max-sessions-per-user`.
    pub sessions_per_user: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: None,
            session_bytes: DEFAULT_SESSION_BYTES,
            sessions_per_user: DEFAULT_SESSIONS_PER_USER,
        }
    }
}

impl Limits {
    /// The largest file a session may declare, given the service's own limit: never more than
    /// `--max-file-size`, nor than all sessions together may hold.
    pub fn max_file_size(&self, service: u64) -> u64 {
        service
            .min(self.max_file_size.unwrap_or(u64::MAX))
            .min(self.session_bytes)
    }
}

/// Which bound a request ran into, in a sentence both faces put in their error's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("The file's {size} bytes are over the limit of {limit} bytes (--max-file-size).")]
    FileTooLarge { size: u64, limit: u64 },
    #[error(
        "Open upload sessions already hold {held} of the {limit} bytes they may hold together \
         (--max-session-bytes); finish, cancel or let some expire first."
    )]
    SessionBytes { held: u64, limit: u64 },
    #[error(
        "This user has {limit} upload sessions open, the most allowed \
         (--max-sessions-per-user); finish, cancel or let some expire first."
    )]
    SessionsPerUser { limit: usize },
}

/// What the open sessions hold now. Kept under the registry's lock, beside the sessions, so a
/// session and its share are added and removed together.
#[derive(Debug, Default)]
pub(super) struct Usage {
    bytes: u64,
    per_user: HashMap<String, usize>,
}

impl Usage {
    /// Counts a new session of `user` that declares `bytes` (0 while its size is unknown).
    pub fn admit(&mut self, limits: &Limits, user: &str, bytes: u64) -> Result<(), LimitError> {
        let sessions = self.per_user.get(user).copied().unwrap_or(0);
        if sessions >= limits.sessions_per_user {
            return Err(LimitError::SessionsPerUser {
                limit: limits.sessions_per_user,
            });
        }
        self.reserve(limits, bytes)?;
        *self.per_user.entry(user.to_owned()).or_default() += 1;
        Ok(())
    }

    /// Counts `bytes` more for a session already open (a Graph session learns its size from
    /// its first fragment).
    pub fn reserve(&mut self, limits: &Limits, bytes: u64) -> Result<(), LimitError> {
        match self.bytes.checked_add(bytes) {
            Some(total) if total <= limits.session_bytes => {
                self.bytes = total;
                Ok(())
            }
            _ => Err(LimitError::SessionBytes {
                held: self.bytes,
                limit: limits.session_bytes,
            }),
        }
    }

    /// Gives back what a session that ended held.
    pub fn release(&mut self, user: &str, bytes: u64) {
        self.bytes = self.bytes.saturating_sub(bytes);
        if let Some(count) = self.per_user.get_mut(user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.per_user.remove(user);
            }
        }
    }

    #[cfg(test)]
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_limit_is_the_smallest_of_the_service_the_option_and_the_budget() {
        let limits = |max_file_size, session_bytes| Limits {
            max_file_size,
            session_bytes,
            sessions_per_user: 1,
        };
        for (limits, service, expected, why) in [
            (limits(None, u64::MAX), 10, 10, "the service's own limit"),
            (limits(Some(5), u64::MAX), 10, 5, "the option caps it"),
            (
                limits(Some(50), u64::MAX),
                10,
                10,
                "the option never raises it",
            ),
            (
                limits(None, 3),
                10,
                3,
                "no file larger than all sessions hold",
            ),
        ] {
            assert_eq!(limits.max_file_size(service), expected, "{why}");
        }
    }

    #[test]
    fn usage_refuses_past_each_bound_and_gives_back_what_ends() {
        let limits = Limits {
            max_file_size: None,
            session_bytes: 100,
            sessions_per_user: 2,
        };
        let mut usage = Usage::default();
        usage.admit(&limits, "a", 60).unwrap();
        assert_eq!(
            usage.admit(&limits, "b", 41),
            Err(LimitError::SessionBytes {
                held: 60,
                limit: 100
            }),
            "over the bytes of all sessions"
        );
        assert_eq!(
            usage.reserve(&limits, u64::MAX),
            Err(LimitError::SessionBytes {
                held: 60,
                limit: 100
            }),
            "no overflow"
        );
        usage.admit(&limits, "a", 0).unwrap();
        assert_eq!(
            usage.admit(&limits, "a", 0),
            Err(LimitError::SessionsPerUser { limit: 2 }),
            "a third session of one user"
        );
        usage.admit(&limits, "b", 40).unwrap();
        usage.release("a", 60);
        assert_eq!(usage.bytes(), 40);
        usage.admit(&limits, "a", 60).unwrap();
    }
}
