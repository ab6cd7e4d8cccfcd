//! Upload sessions, shared by both faces: a registry of open sessions under unguessable tokens,
//! each holding the bytes that have arrived (`assembly`), which parts those are, and when it
//! expires on the emulator's clock. Completion makes exactly one store write.
//!
//! The faces decide what a session is for (Graph's `createUploadSession`, Box's
//! `upload_sessions`) and render replies and errors in their own JSON; this module holds only
//! the bookkeeping both need. Sessions live outside the store: fixtures and exports never see
//! them, and a reset drops them.
//!
//! # Limits
//! Nothing a client declares sizes an allocation: a session costs the bytes that have arrived,
//! kept as pieces by offset until half the file is in (an eighth, for a large file), then in one
//! zeroed buffer of the file's size (address space of at most eight times what has arrived,
//! resident as it is written; `assembly`). What a client declares is checked against
//! these bounds (`limits`), each refused with the face's own error:
//! - `--max-file-size` (default: each service's own limit, 250 GiB for Graph and 5 GiB for
//!   Box's Business plan): the largest file one session takes, never more than
//!   `--max-session-bytes`. Checked at creation when the size is declared (Graph's
//!   `item.fileSize`, Box's `file_size`), else at a Graph session's first fragment.
//! - `--max-session-bytes` (default 4 GiB): the declared sizes of all open sessions, summed.
//!   A session counts from when its size is known until it is committed, cancelled or expires.
//! - `--max-sessions-per-user` (default 100): sessions one user may have open and uncommitted.
//!
//! Expired sessions are swept: on any session request once the earliest expiry has passed, and
//! by a timer every `SWEEP_PERIOD` (`Sessions::sweep_every`, which the server runs), so their
//! memory goes back even when no client calls again. A part whose framing the emulator does not
//! interpret (two `Content-Range` headers, a `gzip` transfer or content coding) is refused
//! (`framing`).

mod assembly;
mod framing;
mod limits;
mod range;
mod token;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};

use crate::control::clock::Clock;
use crate::store::content::{Content, Hashes};
use crate::store::{Face, FileTimes, Space, WriteFile, WriteTarget};
use assembly::Assembly;
pub use framing::{part_range, plain_body, FramingError};
use limits::Usage;
pub use limits::{LimitError, Limits, DEFAULT_SESSIONS_PER_USER, DEFAULT_SESSION_BYTES, GIB};
pub use range::ContentRange;
use token::TokenMint;

/// How often the server's timer sweeps expired sessions.
pub const SWEEP_PERIOD: Duration = Duration::from_secs(5);

/// Every open session of both faces.
#[derive(Debug)]
pub struct Sessions {
    registry: Mutex<Registry>,
    limits: Limits,
    mint: TokenMint,
    /// Parts being copied and hashed at once: one core fewer than the machine has, so uploads
    /// running flat out leave a core to ordinary requests (the p99 under uploads).
    hashing: tokio::sync::Semaphore,
}

/// The sessions and what they hold, under one lock so that they change together.
#[derive(Debug, Default)]
struct Registry {
    open: HashMap<Key, Arc<Session>>,
    /// What each session counts against the limits, until it is committed or ends.
    shares: HashMap<Key, Share>,
    usage: Usage,
    /// No session expires before this (Unix seconds): expiries only move later, so a sweep
    /// before then would find nothing.
    next_expiry: i64,
}

type Key = (Face, String);

#[derive(Debug)]
struct Share {
    user: String,
    bytes: u64,
}

/// Where a completed session's bytes go: the store write it will make, less the content.
#[derive(Debug, Clone)]
pub struct Destination {
    pub target: WriteTarget,
    /// Renames the file along with the new version (Box's `file_name` on a version session).
    pub rename: Option<String>,
    /// The file's own times, given when the session was made (Graph's `item.fileSystemInfo`).
    pub times: FileTimes,
}

/// Which ranges a session takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grid {
    /// Fragments of any length, strictly in order (Graph).
    Sequential,
    /// Parts of exactly this size at multiples of it, the last one shorter, in any order (Box).
    Fixed(u64),
}

/// When a session's bytes become a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// As soon as the last byte is in (Graph's default).
    OnLastByte,
    /// Only when the client asks (Graph's `deferCommit`, every Box session).
    Explicit,
}

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    pub span: TimeDelta,
    /// Each write moves the expiry to `span` after it (Graph's uploadSession resource: "each
    /// fragment extends expirationDateTime"); otherwise it is fixed at creation (Box).
    pub sliding: bool,
}

/// What a face asks for when it opens a session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub face: Face,
    pub space: Space,
    /// Whether an app with application permissions opened it: its commit reaches the drive as
    /// the app did, members listed or not.
    pub by_app: bool,
    pub destination: Destination,
    /// The file's size when announced at creation; otherwise the first range's total fixes it.
    pub size: Option<u64>,
    /// The service's own limit on a file's size; `Limits` may lower it.
    pub max_size: u64,
    pub grid: Grid,
    pub commit: Commit,
    pub lifetime: Lifetime,
}

/// One open session. Its state sits under its own lock, so parts of different sessions (and
/// requests that touch no session) never wait for each other.
#[derive(Debug)]
pub struct Session {
    pub token: String,
    pub face: Face,
    pub space: Space,
    pub by_app: bool,
    pub grid: Grid,
    commit: Commit,
    destination: Destination,
    lifetime: Lifetime,
    /// The largest size this session may take (the service's, capped by `Limits`).
    max_size: u64,
    pub opened_at: DateTime<Utc>,
    /// Unix seconds, read on every lookup without taking the state lock.
    expires_at: AtomicI64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    size: Option<u64>,
    /// The bytes received, until every byte is in.
    assembly: Assembly,
    /// Every byte is in and hashed: what the commit will write.
    content: Option<Content>,
    /// The ranges received by offset; a sequential session's are one range, grown by each
    /// fragment, so many small fragments cost no more bookkeeping than one.
    parts: BTreeMap<u64, Part>,
    /// Every range taken, in the order it arrived, with when (Box's upload log; sessions on a
    /// fixed grid only, whose parts are few).
    arrivals: Vec<(DateTime<Utc>, Part)>,
    committed: bool,
}

/// One range a session received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub offset: u64,
    pub size: u64,
    /// The part's own SHA-1, when the face computed it (Box checks and reports it).
    pub sha1: Option<[u8; 20]>,
}

/// Where a session stands, for progress replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub size: Option<u64>,
    /// The ranges still wanted, inclusive; an end of `None` means "to the end of a file whose
    /// size is not known yet".
    pub missing: Vec<(u64, Option<u64>)>,
    pub parts: usize,
    /// Every byte is in.
    pub complete: bool,
    pub committed: bool,
    pub expires_at: DateTime<Utc>,
}

/// Why a session request did nothing. Each face maps every variant to its own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("no such session, or it expired or was cancelled")]
    NotFound,
    #[error("the session has already been committed")]
    Completed,
    #[error("the range's total differs from the session's file size")]
    TotalChanged,
    #[error("the body's length differs from the range's")]
    LengthMismatch,
    #[error("the range overlaps bytes already received")]
    Overlap,
    #[error("the range starts after the next expected byte")]
    OutOfOrder,
    #[error("the range is not on the session's part grid")]
    OffGrid,
    #[error("a part at this offset was already received")]
    PartExists,
    #[error("bytes are still missing")]
    Incomplete,
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl Sessions {
    /// `seed`: see `TokenMint::new`.
    pub fn new(seed: Option<i64>, limits: Limits) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            registry: Mutex::new(Registry {
                next_expiry: i64::MAX,
                ..Registry::default()
            }),
            limits,
            mint: TokenMint::new(seed),
            hashing: tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1)),
        }
    }

    /// Runs `work` (copying a part into its session and hashing it, milliseconds for megabytes)
    /// on tokio's blocking pool, so it stalls no async worker, and within the hashing budget.
    /// `None` only when the runtime is shutting down.
    pub async fn off_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let _permit = self.hashing.acquire().await.ok()?;
        tokio::task::spawn_blocking(work).await.ok()
    }

    /// Opens a session, if its declared size and its owner's other sessions are within the
    /// limits. Expired sessions are swept on the way.
    pub fn open(&self, new: NewSession, now: DateTime<Utc>) -> Result<Arc<Session>, SessionError> {
        let max_size = self.limits.max_file_size(new.max_size);
        if let Some(size) = new.size.filter(|size| *size > max_size) {
            return Err(LimitError::FileTooLarge {
                size,
                limit: max_size,
            }
            .into());
        }
        let user = new.space.actor.id.clone();
        let bytes = new.size.unwrap_or(0);
        let mut registry = self.lock();
        registry.sweep(now);
        registry.usage.admit(&self.limits, &user, bytes)?;
        // Minted only once admitted, so a refusal leaves the token sequence as it was.
        let session = Arc::new(Session {
            token: self.mint.next(),
            face: new.face,
            space: new.space,
            by_app: new.by_app,
            grid: new.grid,
            commit: new.commit,
            destination: new.destination,
            lifetime: new.lifetime,
            max_size,
            opened_at: now,
            expires_at: AtomicI64::new((now + new.lifetime.span).timestamp()),
            state: Mutex::new(State {
                size: new.size,
                assembly: Assembly::new(Hashes::of_upload_to(new.face)),
                ..State::default()
            }),
        });
        let key = (session.face, session.token.clone());
        registry.shares.insert(key.clone(), Share { user, bytes });
        registry.next_expiry = registry
            .next_expiry
            .min(session.expires_at.load(Ordering::Relaxed));
        registry.open.insert(key, session.clone());
        Ok(session)
    }

    /// The live session with this token on this face.
    pub fn get(
        &self,
        face: Face,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Arc<Session>, SessionError> {
        let mut registry = self.lock();
        registry.sweep(now);
        registry
            .open
            .get(&(face, token.to_owned()))
            .cloned()
            .ok_or(SessionError::NotFound)
    }

    /// Cancels a session: its bytes go, and its token answers "not found" from now on.
    pub fn remove(&self, face: Face, token: &str, now: DateTime<Utc>) -> Result<(), SessionError> {
        let mut registry = self.lock();
        registry.sweep(now);
        registry
            .remove(&(face, token.to_owned()))
            .map(drop)
            .ok_or(SessionError::NotFound)
    }

    /// Takes one range of bytes into `session`. Copying and hashing a large part takes
    /// milliseconds, so faces call this on tokio's blocking pool; it holds only this session's
    /// lock (and the registry's for a moment when the range fixes the session's size).
    pub fn write(
        &self,
        session: &Session,
        range: ContentRange,
        bytes: Bytes,
        sha1: Option<[u8; 20]>,
        now: DateTime<Utc>,
    ) -> Result<Progress, SessionError> {
        let mut state = session.lock();
        session.check(&state, range, &bytes)?;
        if state.size.is_none() {
            // The first range of a session created without a size fixes it: the limits
            // apply now, before anything is kept.
            if range.total > session.max_size {
                return Err(LimitError::FileTooLarge {
                    size: range.total,
                    limit: session.max_size,
                }
                .into());
            }
            self.lock().reserve(&self.limits, session, range.total)?;
            state.size = Some(range.total);
        }
        Ok(session.apply(&mut state, range, bytes, sha1, now))
    }

    /// Completes `session` (see `Session::commit`); once it has, what it held counts no more
    /// against the limits, although its token answers until it expires or is removed.
    pub fn commit<T, E: From<SessionError>>(
        &self,
        session: &Session,
        check: impl FnOnce(&Content, &[Part]) -> Result<(), E>,
        write: impl FnOnce(WriteFile) -> Result<T, E>,
    ) -> Result<T, E> {
        let written = session.commit(check, write)?;
        self.lock().retire(&(session.face, session.token.clone()));
        Ok(written)
    }

    /// The largest file a session of a face whose own limit is `service` may declare: what an
    /// upload's preflight checks a declared size against.
    pub fn max_file_size(&self, service: u64) -> u64 {
        self.limits.max_file_size(service)
    }

    /// Drops the sessions that have expired by `now`, and what they held.
    pub fn sweep(&self, now: DateTime<Utc>) {
        self.lock().sweep(now);
    }

    /// Sweeps every `period` of real time, on the emulator's clock, until the task is dropped:
    /// the server runs this beside the listener.
    pub async fn sweep_every(self: Arc<Self>, clock: Arc<Clock>, period: Duration) {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            self.sweep(clock.now());
        }
    }

    /// How many sessions are open (expired ones not yet swept included), and the bytes they
    /// count against `--max-session-bytes`.
    #[cfg(test)]
    fn held(&self) -> (usize, u64) {
        let registry = self.lock();
        (registry.open.len(), registry.usage.bytes())
    }

    /// Drops every session and restarts the token sequence, as a reset does.
    pub fn clear(&self) {
        let mut registry = self.lock();
        *registry = Registry {
            next_expiry: i64::MAX,
            ..Registry::default()
        };
        self.mint.reset();
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Registry {
    fn sweep(&mut self, now: DateTime<Utc>) {
        if now.timestamp() < self.next_expiry {
            return;
        }
        let expired: Vec<Key> = self
            .open
            .iter()
            .filter(|(_, session)| session.expired(now))
            .map(|(key, _)| key.clone())
            .collect();
        for key in &expired {
            self.remove(key);
        }
        self.next_expiry = self
            .open
            .values()
            .map(|session| session.expires_at.load(Ordering::Relaxed))
            .min()
            .unwrap_or(i64::MAX);
    }

    fn remove(&mut self, key: &Key) -> Option<Arc<Session>> {
        self.retire(key);
        self.open.remove(key)
    }

    /// Gives back what the session counted against the limits.
    fn retire(&mut self, key: &Key) {
        if let Some(share) = self.shares.remove(key) {
            self.usage.release(&share.user, share.bytes);
        }
    }

    /// Counts `bytes` more for an open session whose size was not known.
    fn reserve(
        &mut self,
        limits: &Limits,
        session: &Session,
        bytes: u64,
    ) -> Result<(), SessionError> {
        let key = (session.face, session.token.clone());
        // Removed (or expired and swept) while this range was on its way.
        let Some(share) = self.shares.get_mut(&key) else {
            return Err(SessionError::NotFound);
        };
        self.usage.reserve(limits, bytes)?;
        share.bytes += bytes;
        Ok(())
    }
}

impl Session {
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.expires_at.load(Ordering::Relaxed), 0)
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    fn expired(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() >= self.expires_at.load(Ordering::Relaxed)
    }

    pub fn commit_mode(&self) -> Commit {
        self.commit
    }

    pub fn size(&self) -> Option<u64> {
        self.lock().size
    }

    /// Whether the session has made its file or version.
    pub fn is_committed(&self) -> bool {
        self.lock().committed
    }

    /// Refuses a range this session cannot take, changing nothing.
    fn check(&self, state: &State, range: ContentRange, bytes: &[u8]) -> Result<(), SessionError> {
        if state.committed {
            return Err(SessionError::Completed);
        }
        if state.size.is_some_and(|size| size != range.total) {
            return Err(SessionError::TotalChanged);
        }
        if bytes.len() as u64 != range.len() {
            return Err(SessionError::LengthMismatch);
        }
        match self.grid {
            Grid::Sequential => {
                let next = state.received();
                if range.start < next {
                    return Err(SessionError::Overlap);
                }
                if range.start > next {
                    return Err(SessionError::OutOfOrder);
                }
            }
            Grid::Fixed(part_size) => {
                let last = range.end + 1 == range.total;
                let on_grid = range.start % part_size == 0
                    && (range.len() == part_size || (last && range.len() < part_size));
                if !on_grid {
                    return Err(SessionError::OffGrid);
                }
                if state.parts.contains_key(&range.start) {
                    return Err(SessionError::PartExists);
                }
            }
        }
        Ok(())
    }

    /// Keeps a range `check` accepted.
    fn apply(
        &self,
        state: &mut State,
        range: ContentRange,
        bytes: Bytes,
        sha1: Option<[u8; 20]>,
        now: DateTime<Utc>,
    ) -> Progress {
        state.assembly.write(range.start, bytes, range.total);
        if state.assembly.prefix() == range.total {
            let assembly = std::mem::take(&mut state.assembly);
            state.content = assembly.finish(range.total);
        }
        let part = Part {
            offset: range.start,
            size: range.len(),
            sha1,
        };
        match self.grid {
            Grid::Sequential => match state.parts.last_entry() {
                Some(mut last) => last.get_mut().size += part.size,
                None => {
                    state.parts.insert(range.start, part);
                }
            },
            Grid::Fixed(_) => {
                state.parts.insert(range.start, part);
                state.arrivals.push((now, part));
            }
        }
        if self.lifetime.sliding {
            self.expires_at
                .store((now + self.lifetime.span).timestamp(), Ordering::Relaxed);
        }
        self.progress_of(state)
    }

    pub fn progress(&self) -> Progress {
        self.progress_of(&self.lock())
    }

    fn progress_of(&self, state: &State) -> Progress {
        let mut missing = Vec::new();
        let mut next = 0;
        for part in state.parts.values() {
            if part.offset > next {
                missing.push((next, Some(part.offset - 1)));
            }
            next = part.offset + part.size;
        }
        match state.size {
            Some(size) if next < size => missing.push((next, Some(size - 1))),
            Some(_) => {}
            None => missing.push((next, None)),
        }
        Progress {
            size: state.size,
            complete: state.content.is_some(),
            missing: if state.committed { Vec::new() } else { missing },
            parts: state.parts.len(),
            committed: state.committed,
            expires_at: self.expires_at(),
        }
    }

    /// The parts received so far, by offset.
    pub fn parts(&self) -> Vec<Part> {
        self.lock().parts.values().copied().collect()
    }

    /// The parts received so far in the order they arrived, each with the time it did (fixed-grid
    /// sessions only).
    pub fn arrivals(&self) -> Vec<(DateTime<Utc>, Part)> {
        self.lock().arrivals.clone()
    }

    /// Completes the session: `check` may refuse (a digest, a parts list), then `write` makes the
    /// one store write. Both run under this session's lock, so two commits racing each other
    /// make one version between them; if either fails, the session stays as it was and may be
    /// committed again. The bytes are handed over, not copied.
    fn commit<T, E: From<SessionError>>(
        &self,
        check: impl FnOnce(&Content, &[Part]) -> Result<(), E>,
        write: impl FnOnce(WriteFile) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut state = self.lock();
        if state.committed {
            return Err(SessionError::Completed.into());
        }
        let Some(content) = &state.content else {
            return Err(SessionError::Incomplete.into());
        };
        let parts: Vec<Part> = state.parts.values().copied().collect();
        check(content, &parts)?;
        let written = write(WriteFile {
            target: self.destination.target.clone(),
            content: content.clone(),
            mime_type: None,
            rename: self.destination.rename.clone(),
            content_created_at: self.destination.times.created,
            content_modified_at: self.destination.times.modified,
        })?;
        state.committed = true;
        state.content = None;
        state.parts.clear();
        state.arrivals.clear();
        Ok(written)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// The end of the contiguous prefix received (all of it, for sequential sessions).
    fn received(&self) -> u64 {
        let mut next = 0;
        for part in self.parts.values() {
            if part.offset != next {
                break;
            }
            next += part.size;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::accounts::User;
    use crate::store::ItemId;

    const T0: i64 = 1_700_000_000;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(T0 + seconds, 0).unwrap()
    }

    fn new_session(user: &str, size: Option<u64>, minutes: i64) -> NewSession {
        let user = Arc::new(User {
            id: user.to_owned(),
            name: user.to_owned(),
            login: user.to_owned(),
        });
        NewSession {
            face: Face::Graph,
            space: Space::own(Face::Graph, user),
            by_app: false,
            destination: Destination {
                target: WriteTarget::Item(ItemId(1)),
                rename: None,
                times: FileTimes::default(),
            },
            size,
            max_size: 1000,
            grid: Grid::Sequential,
            commit: Commit::Explicit,
            lifetime: Lifetime {
                span: TimeDelta::minutes(minutes),
                sliding: false,
            },
        }
    }

    fn limits(session_bytes: u64, sessions_per_user: usize) -> Limits {
        Limits {
            max_file_size: None,
            session_bytes,
            sessions_per_user,
        }
    }

    fn range(start: u64, end: u64, total: u64) -> ContentRange {
        ContentRange { start, end, total }
    }

    #[test]
    fn a_size_over_the_limit_is_refused_and_the_session_keeps_no_size() {
        let sessions = Sessions::new(Some(1), limits(500, 10));
        assert_eq!(
            sessions.open(new_session("a", Some(501), 15), at(0)).err(),
            Some(SessionError::Limit(LimitError::FileTooLarge {
                size: 501,
                limit: 500
            })),
            "declared at creation: the budget caps the service's 1000"
        );
        let session = sessions.open(new_session("a", None, 15), at(0)).unwrap();
        let refused = sessions.write(
            &session,
            range(0, 0, u64::MAX),
            Bytes::from_static(b"x"),
            None,
            at(0),
        );
        assert_eq!(
            refused.err(),
            Some(SessionError::Limit(LimitError::FileTooLarge {
                size: u64::MAX,
                limit: 500
            })),
            "declared by the first range"
        );
        assert_eq!(session.size(), None, "a refused range fixes nothing");
        assert_eq!(sessions.held(), (1, 0));
        sessions
            .write(
                &session,
                range(0, 0, 400),
                Bytes::from_static(b"x"),
                None,
                at(0),
            )
            .unwrap();
        assert_eq!(sessions.held(), (1, 400), "counted once its size is known");
    }

    #[test]
    fn sessions_past_the_bounds_are_refused_until_others_end() {
        let sessions = Sessions::new(Some(1), limits(1000, 2));
        let first = sessions
            .open(new_session("a", Some(600), 15), at(0))
            .unwrap();
        assert_eq!(
            sessions.open(new_session("b", Some(401), 15), at(0)).err(),
            Some(SessionError::Limit(LimitError::SessionBytes {
                held: 600,
                limit: 1000
            })),
            "all sessions together"
        );
        sessions.open(new_session("a", None, 15), at(0)).unwrap();
        assert_eq!(
            sessions.open(new_session("a", None, 15), at(0)).err(),
            Some(SessionError::Limit(LimitError::SessionsPerUser {
                limit: 2
            })),
            "one user's sessions"
        );
        sessions.open(new_session("b", None, 15), at(0)).unwrap();
        sessions.remove(Face::Graph, &first.token, at(0)).unwrap();
        assert_eq!(
            sessions.held(),
            (2, 0),
            "a cancelled session gives back its share"
        );
        sessions
            .open(new_session("a", Some(1000), 15), at(0))
            .unwrap();
    }

    #[test]
    fn a_committed_session_counts_no_more_though_its_token_still_answers() {
        let sessions = Sessions::new(Some(1), limits(1000, 1));
        let session = sessions.open(new_session("a", Some(2), 15), at(0)).unwrap();
        sessions
            .write(
                &session,
                range(0, 1, 2),
                Bytes::from_static(b"ab"),
                None,
                at(0),
            )
            .unwrap();
        let written = sessions.commit(
            &session,
            |_, _| Ok::<_, SessionError>(()),
            |w| Ok(w.content.bytes),
        );
        assert_eq!(written, Ok(Bytes::from_static(b"ab")));
        assert_eq!(sessions.held(), (1, 0));
        assert!(sessions.get(Face::Graph, &session.token, at(0)).is_ok());
        sessions
            .open(new_session("a", Some(1000), 15), at(0))
            .unwrap();
    }

    #[test]
    fn expired_sessions_are_swept_with_what_they_held() {
        let sessions = Sessions::new(Some(1), limits(1000, 10));
        let short = sessions
            .open(new_session("a", Some(100), 1), at(0))
            .unwrap();
        sessions
            .write(
                &short,
                range(0, 9, 100),
                Bytes::from(vec![7; 10]),
                None,
                at(0),
            )
            .unwrap();
        sessions
            .open(new_session("a", Some(200), 10), at(0))
            .unwrap();
        sessions.sweep(at(59));
        assert_eq!(sessions.held(), (2, 300), "nothing expired yet");
        sessions.sweep(at(60));
        assert_eq!(sessions.held(), (1, 200), "the one-minute session is gone");
        assert_eq!(
            sessions.get(Face::Graph, &short.token, at(60)).err(),
            Some(SessionError::NotFound)
        );
        sessions.sweep(at(600));
        assert_eq!(sessions.held(), (0, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn the_timer_sweeps_without_any_request() {
        let sessions = Arc::new(Sessions::new(Some(1), limits(1000, 10)));
        let clock = Arc::new(Clock::frozen_at(at(0)));
        sessions
            .open(new_session("a", Some(100), 1), at(0))
            .unwrap();
        let timer = tokio::spawn(sessions.clone().sweep_every(clock.clone(), SWEEP_PERIOD));
        clock.advance(TimeDelta::minutes(2));
        tokio::time::sleep(SWEEP_PERIOD * 2).await;
        assert_eq!(sessions.held(), (0, 0));
        timer.abort();
    }
}
