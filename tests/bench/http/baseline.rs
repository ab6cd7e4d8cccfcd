//! The baseline: a server on the same stack as the emulator (axum, `axum::serve`, the same kind of
//! runtime) whose routes keep no state and answer with fixed replies. Every operation is measured
//! against one of these, in alternating rounds.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use restore_mock::config::DEFAULT_MAX_BODY;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Which fixed reply an operation is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// `204 No Content`, the reply of Graph's restoreVersion.
    Empty204,
    /// `200` with a fixed JSON body of about 700 bytes, the size of a Box file_version.
    Json,
    /// Reads the whole request body, then the fixed JSON: the floor for an upload, whose cost is
    /// mostly moving the bytes.
    UploadJson,
    /// `200` with exactly the bytes the operation itself answered (taken from one of its replies
    /// when the row starts): for listings, so the ratio measures the emulator's work rather than
    /// the size of its JSON.
    SameBytes,
}

impl Baseline {
    pub fn path(self) -> &'static str {
        match self {
            Self::Empty204 => "/baseline/204",
            Self::Json => "/baseline/json",
            Self::UploadJson => "/baseline/upload",
            Self::SameBytes => "/baseline/same-bytes",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Empty204 => "fixed 204",
            Self::Json => "fixed JSON",
            Self::UploadJson => "body + fixed JSON",
            Self::SameBytes => "same bytes",
        }
    }
}

/// A Box file_version as Box sends it, 700-odd bytes.
pub const FIXED_JSON: &str = r#"{"type":"file_version","id":"7000000042","sha1":"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed","name":"quarterly-report-final-draft.txt","size":104857,"created_at":"2024-01-02T03:04:05-08:00","modified_at":"2024-01-02T03:04:05-08:00","modified_by":{"type":"user","id":"1000000007","name":"Ada Lovelace","login":"ada@example.com"},"trashed_at":null,"trashed_by":null,"restored_at":null,"restored_by":null,"purged_at":null,"uploader_display_name":"Ada Lovelace","version_number":"42","file_version":{"type":"file_version","id":"7000000042","sha1":"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"},"created_by":{"type":"user","id":"1000000007","name":"Ada Lovelace","login":"ada@example.com"},"etag":"41","sequence_id":"41"}"#;

fn router() -> Router {
    Router::new()
        .route(
            Baseline::Empty204.path(),
            any(|| async { StatusCode::NO_CONTENT }),
        )
        .route(Baseline::Json.path(), any(json))
        .route(
            Baseline::UploadJson.path(),
            // Extracting `Bytes` reads the whole body, as the emulator's upload must. The limit
            // sits on this route alone so the other two stay bare.
            any(|_body: Bytes| json()).layer(DefaultBodyLimit::max(DEFAULT_MAX_BODY)),
        )
}

async fn json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], FIXED_JSON)
}

/// A server whose one route answers `body` as JSON: the same-bytes baseline of one operation.
fn same_bytes(body: Bytes) -> Router {
    Router::new().route(
        Baseline::SameBytes.path(),
        any(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    )
}

/// A running baseline server; dropping it stops it.
pub struct BaselineServer {
    pub address: SocketAddr,
    _shutdown: watch::Sender<()>,
}

/// Starts the baseline on a free loopback port, on the current runtime.
pub async fn start() -> BaselineServer {
    serve(router()).await
}

/// Starts a same-bytes baseline that answers `body` (see [`Baseline::SameBytes`]).
pub async fn start_same_bytes(body: Bytes) -> BaselineServer {
    serve(same_bytes(body)).await
}

async fn serve(router: Router) -> BaselineServer {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the baseline server");
    let address = listener.local_addr().expect("the baseline's address");
    let (shutdown, mut stopped) = watch::channel(());
    tokio::spawn(async move {
        let signal = async move { while stopped.changed().await.is_ok() {} };
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(signal)
            .await;
    });
    BaselineServer {
        address,
        _shutdown: shutdown,
    }
}
