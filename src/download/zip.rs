//! A Box zip download's `download_url`, `GET /_content/zip/{token}` (Box's
//! `dl.boxcloud.com/2.0/zip_downloads/{id}/content`): no token, once, before it expires
//! (`crate::box_api::zip_downloads`). Like the other links here its errors are bare statuses.
//!
//! The archive is written while it is sent: a blocking task writes the entries with the `zip`
//! crate into a channel of a few chunks, so what the archive costs beyond the bytes the store
//! already holds is those chunks and the archive's central directory, whatever its size.
//! Entries are stored, not deflated: the bytes are already in memory, stored entries cost no
//! CPU, and every reader takes them.

use std::io::{self, Write};

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, ZipWriter};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use bytes::Bytes;
use chrono::{DateTime, Datelike, Timelike, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tokio::sync::{mpsc, oneshot};

use crate::box_api::zip_downloads::{token_id, Archive, Progress};
use crate::control::journal::{Answered, Api};
use crate::state::AppState;

/// Where the download URLs point; `{token}` is `box_api::zip_downloads::token`.
pub(crate) const PREFIX: &str = "/_content/zip";

/// The size of a chunk sent to the client, and how many may wait in the channel.
const CHUNK: usize = 64 * 1024;
const CHUNKS_WAITING: usize = 4;

/// What RFC 5987 leaves as it is in `filename*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/_content/zip/{token}", any(download))
}

async fn download(
    State(state): State<AppState>,
    method: Method,
    Path(token): Path<String>,
) -> Response {
    let answered = Answered::anonymous(Api::Download, state.request_ids.next());
    let mut response = if method != Method::GET {
        // A HEAD would use up the one read, so only GET is served.
        let allow = [(header::ALLOW, HeaderValue::from_static("GET"))];
        (StatusCode::METHOD_NOT_ALLOWED, allow).into_response()
    } else {
        let started =
            token_id(&state.links, &token).and_then(|id| state.zips.start(id, state.clock.now()));
        match started {
            Some((archive, progress)) => stream(archive, progress).await,
            None => StatusCode::NOT_FOUND.into_response(),
        }
    };
    answered.mark(&mut response);
    response
}

/// 200 with the archive as it is written, `application/octet-stream` and Box's
/// `Content-Disposition` (the spec of `GET /zip_downloads/{id}/content`:
/// `attachment;filename="Avatars.zip";filename*=UTF-8''Avatars.zip`).
///
/// The reply goes out once the writer has finished or filled the channel, so an archive that
/// fits in the channel is whole, and its status `succeeded`, before the client sees a byte: a
/// client that asks for the status without reading the body (box_sdk_gen's own
/// `test/zip_downloads.py` does) reads the same status every run.
async fn stream(archive: Archive, progress: std::sync::Arc<Progress>) -> Response {
    let disposition = disposition(&archive.name);
    let (sender, receiver) = mpsc::channel(CHUNKS_WAITING);
    let (ready, waiting) = oneshot::channel();
    tokio::task::spawn_blocking(move || write_archive(archive, &progress, sender, ready));
    // Sent when the channel is full; dropped, which also wakes this, when the writer is done.
    let _ = waiting.await;
    let chunks = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let chunk = receiver.recv().await?;
        Some((chunk, receiver))
    });
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment;filename="…";filename*=UTF-8''…`: the plain name with anything but printable
/// ASCII (and `"` and `\`) as `_`, the exact one percent-encoded.
fn disposition(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let exact = utf8_percent_encode(name, ATTR_CHAR);
    format!("attachment;filename=\"{plain}\";filename*=UTF-8''{exact}")
}

/// Writes the archive into `sender`, counting files as they go. The status turns
/// `succeeded` before the last chunk is sent, so a client that has read the whole body reads
/// that status; if the client leaves first, `failed`.
fn write_archive(
    archive: Archive,
    progress: &Progress,
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
    ready: oneshot::Sender<()>,
) {
    let mut zip = ZipWriter::new_stream(Chunks {
        buffer: Vec::with_capacity(CHUNK),
        sender,
        ready: Some(ready),
    });
    let written = (|| -> ::zip::result::ZipResult<()> {
        for entry in &archive.entries {
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Stored)
                .last_modified_time(dos_time(entry.modified));
            match &entry.content {
                None => zip.add_directory(entry.path.as_str(), options)?,
                Some(content) => {
                    let large = content.bytes.len() as u64 >= u64::from(u32::MAX);
                    zip.start_file(entry.path.as_str(), options.large_file(large))?;
                    zip.write_all(&content.bytes)?;
                    progress.file_written();
                }
            }
        }
        Ok(())
    })();
    let finished = written.and_then(|()| zip.finish());
    match finished {
        Ok(stream) => {
            progress.succeeded();
            let mut chunks = stream.into_inner();
            if chunks.send().is_err() {
                progress.failed();
            }
        }
        Err(_) => progress.failed(),
    }
}

/// A file's time as a zip entry's (local time in DOS form, taken as UTC here); outside DOS
/// times' 1980–2107, their first day.
fn dos_time(at: DateTime<Utc>) -> ::zip::DateTime {
    let part = |n: u32| u8::try_from(n).unwrap_or(0);
    let year = u16::try_from(at.year()).unwrap_or(0);
    ::zip::DateTime::from_date_and_time(
        year,
        part(at.month()),
        part(at.day()),
        part(at.hour()),
        part(at.minute()),
        part(at.second()),
    )
    .unwrap_or_default()
}

/// The writer the archive goes into: chunks of `CHUNK` bytes, each sent once full. A send that
/// fails means the client has gone, and so does the write.
struct Chunks {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
    /// Told the first time the channel is full (the reply may go out then).
    ready: Option<oneshot::Sender<()>>,
}

impl Chunks {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        let gone = || io::Error::from(io::ErrorKind::BrokenPipe);
        match self.sender.try_send(Ok(chunk)) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(chunk)) => {
                if let Some(ready) = self.ready.take() {
                    let _ = ready.send(());
                }
                self.sender.blocking_send(chunk).map_err(|_| gone())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(gone()),
        }
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buffer.len();
        let taken = bytes.len().min(room);
        self.buffer.extend_from_slice(&bytes[..taken]);
        if self.buffer.len() == CHUNK {
            self.send()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn the_disposition_names_the_archive_plainly_and_exactly() {
        assert_eq!(
            disposition("Avatars.zip"),
            "attachment;filename=\"Avatars.zip\";filename*=UTF-8''Avatars.zip"
        );
        assert_eq!(
            disposition("Jan \"Q1\" Ü.zip"),
            "attachment;filename=\"Jan _Q1_ _.zip\";filename*=UTF-8''Jan%20%22Q1%22%20%C3%9C.zip"
        );
    }
}
