//! The one outgoing HTTP call deliveries make: a `POST` on a fresh HTTP/1.1 connection, under a
//! deadline, with the reply's body read up to a small bound.
//!
//! hyper's own client connection (`hyper::client::conn::http1`), which the server side already
//! builds on, rather than reqwest: a delivery needs one request per connection and no pool,
//! redirects, cookies or proxies, and the crate gains no new dependency tree.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::receiver::Receiver;

/// How much of a receiver's reply is read: enough for Graph's echoed validation token.
const REPLY_LIMIT: usize = 64 * 1024;

/// What a receiver answered.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// Why a delivery got no reply. The text is what the admin API shows as the attempt's error.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DeliveryError {
    #[error("could not connect to {address}: {source}")]
    Connect {
        address: String,
        source: std::io::Error,
    },
    #[error("no reply within {0} ms")]
    Timeout(u128),
    #[error("the connection failed: {0}")]
    Http(#[from] hyper::Error),
    #[error("the reply was larger than {REPLY_LIMIT} bytes")]
    ReplyTooLarge,
    #[error("https receivers are not supported by this build; use an http:// address")]
    TlsUnsupported,
}

/// `POST`s `body` to `receiver` with `headers`, and waits at most `timeout` for the whole reply.
pub(crate) async fn post(
    receiver: &Receiver,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
    timeout: Duration,
) -> Result<Reply, DeliveryError> {
    match tokio::time::timeout(timeout, exchange(receiver, headers, body)).await {
        Ok(result) => result,
        Err(_) => Err(DeliveryError::Timeout(timeout.as_millis())),
    }
}

async fn exchange(
    receiver: &Receiver,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
) -> Result<Reply, DeliveryError> {
    if receiver.tls() {
        return Err(DeliveryError::TlsUnsupported);
    }
    let stream = TcpStream::connect((receiver.host(), receiver.port()))
        .await
        .map_err(|source| DeliveryError::Connect {
            address: format!("{}:{}", receiver.host(), receiver.port()),
            source,
        })?;
    // Small bodies on loopback: Nagle's delay would dominate the latency.
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // The connection is driven by its own task; it ends when the exchange does.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(receiver.path_and_query())
        .body(Full::new(body))
        .expect("a parsed path and method always build a request");
    let request_headers = request.headers_mut();
    if let Ok(host) = HeaderValue::from_str(receiver.authority()) {
        request_headers.insert(header::HOST, host);
    }
    for (name, value) in headers {
        request_headers.insert(name.clone(), value.clone());
    }
    let response = sender.send_request(request).await?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = Limited::new(response.into_body(), REPLY_LIMIT)
        .collect()
        .await
        .map_err(|e| match e.downcast::<hyper::Error>() {
            Ok(e) => DeliveryError::Http(*e),
            Err(_) => DeliveryError::ReplyTooLarge,
        })?
        .to_bytes();
    Ok(Reply {
        status,
        content_type,
        body,
    })
}
