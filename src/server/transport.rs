//! How connections are served: hyper's own HTTP/1 connection, with the settings `axum::serve`
//! does not expose, and TLS when it is configured.
//!
//! - Half-closed requests are answered: a client may shut its write side once the request is
//!   sent (`curl` with `--no-keepalive` scripts, `nc -N`); hyper's default takes that EOF as
//!   the end of the connection and drops the reply.
//! - Headers must arrive within `HEADER_READ_TIMEOUT`, so a client sending a byte a second
//!   cannot hold a connection forever.
//! - An HTTP/1.1 request without `Host` is a `400` (RFC 9112 §3.2).
//! - A reply to a request whose body the handler left unread says `Connection: close`: hyper
//!   closes such a connection rather than read the rest, and a client must not reuse it.
//! - A stop lets open requests finish for `STOP_GRACE` at most (a Box long poll answers at once,
//!   `state.stopping`), so a request that would hold it up cannot keep the process alive; what
//!   is still open then is cut off, so an in-process `Emulator` that is dropped stops serving
//!   although the runtime it ran on goes on.
//!
//! One `400` cannot carry an API's envelope: a request target that the `http` crate's URI
//! parser refuses (`<`, `>`, `` ` ``, DEL or a control byte in the path, `<` or `>` in the
//! query, bytes >= 0x80 that are not UTF-8) fails while hyper reads the request head, before
//! any service is called. hyper 1.x then writes its own reply (`Server::on_error`: status
//! `400 Bad Request`, `connection: close`, `content-length: 0`, no body), closes the connection
//! and offers no hook to write another. Answering those in the envelope would take a second parser in front
//! of hyper's; UTF-8 bytes the parser takes do reach the faces, which answer in their envelope.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode, Version};
use axum::Router;
use bytes::Bytes;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

/// How long a client has to send a request's headers.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long open requests get to finish once the server is told to stop. The emulator's
/// requests take milliseconds; what is still open by then is a Box long poll (it holds up to
/// ten minutes), a delay fault or a stalled client, none of which may keep Ctrl-C, SIGTERM or
/// the end of `exec`'s command from stopping the process.
pub(crate) const STOP_GRACE: Duration = Duration::from_secs(5);

/// Put on every request that came over TLS, so absolute links say `https://`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Secure;

/// Put on every request: the local address of its connection, the bound address made concrete
/// (the interface the client reached when bound to `0.0.0.0`). Links fall back to it when the
/// `Host` is not one plain name, and the open admin API answers to it (`http::host`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalAddr(pub SocketAddr);

/// Serves `router` on `listener` until `shutdown` completes, then lets open connections finish
/// the requests they are serving, for `STOP_GRACE` at most, and closes what is left.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut connection = http1::Builder::new();
    connection
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .half_close(true);
    let graceful = GracefulShutdown::new();
    // Each connection's task, so those still open after the grace can be ended.
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            // The signal first: a shutdown is never put off by a stream of new connections.
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // A connection that failed before it was accepted (reset, out of descriptors
                // for a moment) is that client's problem, not the listener's.
                Err(error) => {
                    tracing::debug!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        let (router, connection, watcher) =
            (router.clone(), connection.clone(), graceful.watcher());
        let tls = tls.clone();
        // Ended connections leave the set here, so it holds the open ones only.
        while connections.try_join_next().is_some() {}
        connections.spawn(async move {
            let secure = tls.is_some();
            let service = service_fn(move |request| answer(router.clone(), secure, local, request));
            match tls {
                None => {
                    let served = connection.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(served).await;
                }
                Some(acceptor) => {
                    // A handshake that fails or stalls ends only this connection.
                    let handshake =
                        tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream));
                    let Ok(Ok(stream)) = handshake.await else {
                        return;
                    };
                    let served = connection.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(served).await;
                }
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(STOP_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still open {} s after the stop were left unanswered",
            STOP_GRACE.as_secs()
        );
    }
    connections.shutdown().await;
    Ok(())
}

/// One request: the checks above around the app's router.
async fn answer(
    router: Router,
    secure: bool,
    local: SocketAddr,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    if request.version() == Version::HTTP_11 && !request.headers().contains_key(header::HOST) {
        let mut response = Response::new(Body::from("An HTTP/1.1 request needs a Host header."));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return Ok(response);
    }
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(LocalAddr(local));
    if secure {
        parts.extensions.insert(Secure);
    }
    // Only a request with a body can leave one unread; the others pay for no watch.
    let watched = (!hyper::body::Body::is_end_stream(&body)).then(|| Watched::new(body));
    let (body, read) = match watched {
        None => (Body::empty(), None),
        Some(watched) => {
            let read = watched.read.clone();
            (Body::new(watched), Some(read))
        }
    };
    let Ok(mut response) = router.oneshot(Request::from_parts(parts, body)).await;
    if read.is_some_and(|read| !read.load(Ordering::Acquire)) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(response)
}

/// A request body that remembers whether it was read to its end.
struct Watched {
    inner: Incoming,
    read: Arc<AtomicBool>,
}

impl Watched {
    fn new(inner: Incoming) -> Self {
        Self {
            inner,
            read: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl hyper::body::Body for Watched {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.read.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
