//! Box zip downloads between their creation and their end
//! (<https://developer.box.com/guides/downloads/zip-archive/>): `POST /zip_downloads` leaves an
//! archive's plan here; its tokenless `download_url` (`crate::download::zip`) takes it once,
//! before it expires, and streams it; its `status_url` answers from then on, for 12 hours.
//!
//! Like upload sessions these are not part of the store: a fixture never carries them, and a
//! reset forgets them. The plan holds the bytes the store held when the download was made
//! (`Arc`s, never copies), so the archive is what was asked for even if the files change before
//! it is read; nothing is skipped.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::store::content::Content;

/// The most files an archive holds: Box's limit ("The limit for an archive is either the
/// Account's upload limit or 10,000 files", <https://developer.box.com/reference/post-zip-downloads/>).
pub(crate) const MAX_FILES: usize = 10_000;
/// How long a `download_url` waits to be read. Box says "a few seconds" and publishes no
/// figure; the emulator gives as long as its other download redirects, so a test stepping
/// through in a debugger still reads it.
pub(crate) const LIFETIME: TimeDelta = crate::download::links::BOX_REDIRECT;
/// How long a `status_url` answers after the download started (the spec of
/// `GET /zip_downloads/{id}/status`: "valid for 12 hours from the start of the download").
const STATUS_LIFETIME: TimeDelta = TimeDelta::hours(12);
/// The most downloads one user may have made and not yet read. Box limits parallel downloads
/// to 5 per user (`user_too_many_concurrent_downloads`); unread plans are what holds memory
/// here, so they are what is bounded.
pub(crate) const MAX_WAITING_PER_USER: usize = 100;

/// One entry of the archive: a folder (`content` none, the path ends in `/`) or a file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub path: String,
    pub content: Option<Arc<Content>>,
    pub modified: DateTime<Utc>,
}

/// What an archive will hold and what it is called.
#[derive(Debug, Clone)]
pub(crate) struct Archive {
    /// The archive's file name, `.zip` included.
    pub name: String,
    pub entries: Vec<Entry>,
    pub file_count: usize,
}

/// How far a started download is, as its writer reports it.
#[derive(Debug)]
pub(crate) struct Progress {
    total: usize,
    downloaded: AtomicUsize,
    state: AtomicU8,
}

const IN_PROGRESS: u8 = 0;
const SUCCEEDED: u8 = 1;
const FAILED: u8 = 2;

impl Progress {
    pub fn file_written(&self) {
        self.downloaded.fetch_add(1, Ordering::Relaxed);
    }

    pub fn succeeded(&self) {
        self.state.store(SUCCEEDED, Ordering::Release);
    }

    /// The client went away, or the archive could not be written.
    pub fn failed(&self) {
        self.state.store(FAILED, Ordering::Release);
    }
}

/// `GET /zip_downloads/{id}/status`'s reply
/// (<https://developer.box.com/reference/resources/zip-download-status/>).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Status {
    total_file_count: usize,
    downloaded_file_count: usize,
    skipped_file_count: usize,
    skipped_folder_count: usize,
    state: &'static str,
}

/// The user has as many unread downloads as the emulator keeps for one.
#[derive(Debug)]
pub(crate) struct TooManyWaiting;

#[derive(Debug)]
enum Stage {
    Waiting(Archive),
    Started {
        at: DateTime<Utc>,
        progress: Arc<Progress>,
    },
}

#[derive(Debug)]
struct Download {
    /// The user who made it: only they read its status.
    user: String,
    expires: DateTime<Utc>,
    stage: Stage,
}

#[derive(Debug, Default)]
struct Inner {
    /// Never reset, so that a link from before a reset names nothing after it.
    last: u64,
    downloads: BTreeMap<u64, Download>,
}

/// Every zip download not yet over, by id.
#[derive(Debug, Default)]
pub(crate) struct ZipDownloads {
    inner: Mutex<Inner>,
}

impl ZipDownloads {
    /// Keeps `archive` for `user` until `now + LIFETIME`; its id and expiry. Downloads that are
    /// over are dropped first.
    pub fn create(
        &self,
        user: &str,
        archive: Archive,
        now: DateTime<Utc>,
    ) -> Result<(u64, DateTime<Utc>), TooManyWaiting> {
        let mut inner = self.lock();
        inner.downloads.retain(|_, d| match d.stage {
            Stage::Waiting(_) => now < d.expires,
            Stage::Started { at, .. } => now < at + STATUS_LIFETIME,
        });
        let waiting = (inner.downloads.values())
            .filter(|d| d.user == user && matches!(d.stage, Stage::Waiting(_)))
            .count();
        if waiting >= MAX_WAITING_PER_USER {
            return Err(TooManyWaiting);
        }
        inner.last += 1;
        let id = inner.last;
        let expires = now + LIFETIME;
        let download = Download {
            user: user.to_owned(),
            expires,
            stage: Stage::Waiting(archive),
        };
        inner.downloads.insert(id, download);
        Ok((id, expires))
    }

    /// The archive to stream, once: `None` for an unknown, expired or already started
    /// download.
    pub fn start(&self, id: u64, now: DateTime<Utc>) -> Option<(Archive, Arc<Progress>)> {
        let mut inner = self.lock();
        let download = inner.downloads.get_mut(&id)?;
        let total = match &download.stage {
            Stage::Waiting(archive) if now < download.expires => archive.file_count,
            _ => return None,
        };
        let progress = Arc::new(Progress {
            total,
            downloaded: AtomicUsize::new(0),
            state: AtomicU8::new(IN_PROGRESS),
        });
        let started = Stage::Started {
            at: now,
            progress: progress.clone(),
        };
        match std::mem::replace(&mut download.stage, started) {
            Stage::Waiting(archive) => Some((archive, progress)),
            Stage::Started { .. } => None,
        }
    }

    /// A started download's status for the user who made it; `None` before the start (Box's
    /// 404), after 12 hours, or for anyone else.
    pub fn status(&self, id: u64, user: &str, now: DateTime<Utc>) -> Option<Status> {
        let inner = self.lock();
        let download = inner.downloads.get(&id).filter(|d| d.user == user)?;
        let Stage::Started { at, progress } = &download.stage else {
            return None;
        };
        if now >= *at + STATUS_LIFETIME {
            return None;
        }
        Some(Status {
            total_file_count: progress.total,
            downloaded_file_count: progress.downloaded.load(Ordering::Relaxed),
            skipped_file_count: 0,
            skipped_folder_count: 0,
            state: match progress.state.load(Ordering::Acquire) {
                SUCCEEDED => "succeeded",
                FAILED => "failed",
                _ => "in_progress",
            },
        })
    }

    /// Forgets every download (a reset); ids go on.
    pub fn clear(&self) {
        self.lock().downloads.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding it cannot leave the map half-changed: every change is one
        // insert, replace or retain.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The token in a download's URLs: its id with a MAC (the signer's sharing tokens, under a
/// prefix no permission id has), so that URLs cannot be guessed from a counter.
pub(crate) fn token(links: &crate::download::links::LinkSigner, id: u64) -> String {
    links.share_token(&format!("zip-{id}"))
}

/// The id a token names, if this process made it.
pub(crate) fn token_id(links: &crate::download::links::LinkSigner, token: &str) -> Option<u64> {
    links.share_claim(token)?.strip_prefix("zip-")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Archive {
        Archive {
            name: "a.zip".into(),
            entries: Vec::new(),
            file_count: 2,
        }
    }

    #[test]
    fn a_download_starts_once_before_it_expires_and_shows_status_only_then() {
        let downloads = ZipDownloads::default();
        let now = DateTime::UNIX_EPOCH;
        let (id, expires) = downloads.create("u", archive(), now).unwrap();
        assert_eq!(expires, now + LIFETIME);
        assert_eq!(downloads.status(id, "u", now), None, "before the start");
        let (_, progress) = downloads.start(id, now).expect("first start");
        assert!(downloads.start(id, now).is_none(), "second start");
        progress.file_written();
        let status = downloads.status(id, "u", now).unwrap();
        assert_eq!(
            (status.downloaded_file_count, status.state),
            (1, "in_progress")
        );
        assert_eq!(downloads.status(id, "other", now), None, "another user");
        let late = now + STATUS_LIFETIME;
        assert_eq!(downloads.status(id, "u", late), None, "after 12 hours");

        let (expired, _) = downloads.create("u", archive(), now).unwrap();
        assert!(
            downloads.start(expired, now + LIFETIME).is_none(),
            "expired"
        );
    }

    #[test]
    fn a_user_has_a_bounded_number_of_unread_downloads() {
        let downloads = ZipDownloads::default();
        let now = DateTime::UNIX_EPOCH;
        for _ in 0..MAX_WAITING_PER_USER {
            downloads.create("u", archive(), now).unwrap();
        }
        assert!(downloads.create("u", archive(), now).is_err());
        assert!(downloads.create("v", archive(), now).is_ok(), "per user");
        assert!(
            downloads.create("u", archive(), now + LIFETIME).is_ok(),
            "expired ones make room"
        );
    }
}
