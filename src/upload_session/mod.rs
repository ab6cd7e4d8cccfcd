//! Upload sessions, shared by both faces: a registry of open sessions under unguessable tokens,
//! each holding its file's bytes once (`assembly`), which parts have arrived, and when it
//! expires on the emulator's clock. Completion makes exactly one store write.
//!
//! The faces decide what a session is for (Graph's `createUploadSession`, Box's
//! `upload_sessions`) and render replies and errors in their own JSON; this module holds only
//! the bookkeeping both need. Sessions live outside the store: fixtures and exports never see
//! them, and a reset drops them.

mod assembly;
mod range;
mod token;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};

use crate::store::content::Content;
use crate::store::{Face, Space, WriteFile, WriteTarget};
use assembly::Assembly;
pub use range::ContentRange;
use token::TokenMint;

/// Every open session of both faces.
#[derive(Debug)]
pub struct Sessions {
    open: Mutex<HashMap<(Face, String), Arc<Session>>>,
    mint: TokenMint,
    /// Parts being copied and hashed at once: one core fewer than the machine has, so uploads
    /// running flat out leave a core to ordinary requests (the p99 under uploads).
    hashing: tokio::sync::Semaphore,
}

/// Where a completed session's bytes go: the store write it will make, less the content.
#[derive(Debug, Clone)]
pub struct Destination {
    pub target: WriteTarget,
    /// Renames the file along with the new version (Box's `file_name` on a version session).
    pub rename: Option<String>,
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
    pub destination: Destination,
    /// The file's size when announced at creation; otherwise the first range's total fixes it.
    pub size: Option<u64>,
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
    pub grid: Grid,
    commit: Commit,
    destination: Destination,
    lifetime: Lifetime,
    pub opened_at: DateTime<Utc>,
    /// Unix seconds, read on every lookup without taking the state lock.
    expires_at: AtomicI64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    size: Option<u64>,
    /// Present from the first write until every byte is in.
    assembly: Option<Assembly>,
    /// Every byte is in and hashed: what the commit will write.
    content: Option<Content>,
    parts: BTreeMap<u64, Part>,
    /// Every range taken, in the order it arrived, with when (Box's upload log).
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
}

impl Sessions {
    /// `seed`: see `TokenMint::new`.
    pub fn new(seed: Option<i64>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            open: Mutex::new(HashMap::new()),
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

    /// Opens a session; expired ones are dropped on the way, so they hold no memory for long.
    pub fn open(&self, new: NewSession, now: DateTime<Utc>) -> Arc<Session> {
        let session = Arc::new(Session {
            token: self.mint.next(),
            face: new.face,
            space: new.space,
            grid: new.grid,
            commit: new.commit,
            destination: new.destination,
            lifetime: new.lifetime,
            opened_at: now,
            expires_at: AtomicI64::new((now + new.lifetime.span).timestamp()),
            state: Mutex::new(State {
                size: new.size,
                ..State::default()
            }),
        });
        let mut open = self.lock();
        open.retain(|_, s| !s.expired(now));
        open.insert((session.face, session.token.clone()), session.clone());
        session
    }

    /// The live session with this token on this face.
    pub fn get(
        &self,
        face: Face,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Arc<Session>, SessionError> {
        let mut open = self.lock();
        let key = (face, token.to_owned());
        match open.get(&key) {
            Some(session) if session.expired(now) => {
                open.remove(&key);
                Err(SessionError::NotFound)
            }
            Some(session) => Ok(session.clone()),
            None => Err(SessionError::NotFound),
        }
    }

    /// Cancels a session: its bytes go, and its token answers "not found" from now on.
    pub fn remove(&self, face: Face, token: &str, now: DateTime<Utc>) -> Result<(), SessionError> {
        self.get(face, token, now)?;
        self.lock().remove(&(face, token.to_owned()));
        Ok(())
    }

    /// Drops every session and restarts the token sequence, as a reset does.
    pub fn clear(&self) {
        self.lock().clear();
        self.mint.reset();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(Face, String), Arc<Session>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
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

    /// Takes one range of bytes. Copying and hashing a large part takes milliseconds, so faces
    /// call this on tokio's blocking pool; it holds only this session's lock.
    pub fn write(
        &self,
        range: ContentRange,
        bytes: &[u8],
        sha1: Option<[u8; 20]>,
        now: DateTime<Utc>,
    ) -> Result<Progress, SessionError> {
        let mut state = self.lock();
        if state.committed {
            return Err(SessionError::Completed);
        }
        match state.size {
            Some(size) if size != range.total => return Err(SessionError::TotalChanged),
            Some(_) => {}
            None => state.size = Some(range.total),
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
        let total = range.total;
        let assembly = state.assembly.get_or_insert_with(|| Assembly::new(total));
        assembly.write(range.start, bytes);
        if assembly.is_complete() {
            state.content = state.assembly.take().and_then(Assembly::finish);
        }
        let part = Part {
            offset: range.start,
            size: range.len(),
            sha1,
        };
        state.parts.insert(range.start, part);
        state.arrivals.push((now, part));
        if self.lifetime.sliding {
            self.expires_at
                .store((now + self.lifetime.span).timestamp(), Ordering::Relaxed);
        }
        Ok(self.progress_of(&state))
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

    /// The parts received so far in the order they arrived, each with the time it did.
    pub fn arrivals(&self) -> Vec<(DateTime<Utc>, Part)> {
        self.lock().arrivals.clone()
    }

    /// Completes the session: `check` may refuse (a digest, a parts list), then `write` makes the
    /// one store write. Both run under this session's lock, so two commits racing each other
    /// make one version between them; if either fails, the session stays as it was and may be
    /// committed again. The bytes are handed over, not copied.
    pub fn commit<T, E: From<SessionError>>(
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
            content_created_at: None,
            content_modified_at: None,
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
