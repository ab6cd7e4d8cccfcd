//! The one outgoing HTTP call deliveries make: a `POST` on a fresh HTTP/1.1 connection (TLS for
//! an `https://` receiver), under one deadline for connecting, the handshake and the reply, with
//! the reply's body read up to a small bound.
//!
//! hyper's own client connection (`hyper::client::conn::http1`), which the server side already
//! builds on, rather than reqwest: a delivery needs one request per connection and no pool,
//! redirects, cookies or proxies, and the crate gains no new dependency tree. TLS is
//! tokio-rustls, which the server side serves HTTPS with, checking the receiver's certificate
//! against the roots in `trust` for the receiver's host (a name or an IP literal). A handshake
//! that fails, an untrusted certificate included, is a failed attempt like any other: its error
//! says why, and it is retried and given up on as the policy says.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;

use super::receiver::Receiver;
use super::trust::Trust;

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
    #[error("TLS handshake with {address} failed: {reason}")]
    Tls { address: String, reason: String },
    #[error(
        "the certificate of {address} is not trusted ({reason}); trust its CA with \
         --receiver-ca-file"
    )]
    Untrusted { address: String, reason: String },
}

/// `POST`s `body` to `receiver` with `headers`, and waits at most `timeout` for the whole
/// reply: the connection, the TLS handshake (for `https://`) and the answer together.
pub(crate) async fn post(
    receiver: &Receiver,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
    timeout: Duration,
    trust: &Trust,
) -> Result<Reply, DeliveryError> {
    match tokio::time::timeout(timeout, connect_and_send(receiver, headers, body, trust)).await {
        Ok(result) => result,
        Err(_) => Err(DeliveryError::Timeout(timeout.as_millis())),
    }
}

async fn connect_and_send(
    receiver: &Receiver,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
    trust: &Trust,
) -> Result<Reply, DeliveryError> {
    let address = || format!("{}:{}", receiver.host(), receiver.port());
    let stream = TcpStream::connect((receiver.host(), receiver.port()))
        .await
        .map_err(|source| DeliveryError::Connect {
            address: address(),
            source,
        })?;
    // Small bodies on loopback: Nagle's delay would dominate the latency.
    let _ = stream.set_nodelay(true);
    if !receiver.tls() {
        return exchange(TokioIo::new(stream), receiver, headers, body).await;
    }
    // An IP literal is a name too: rustls then checks the certificate's IP addresses (and
    // sends no SNI, which RFC 6066 §3 allows only for host names).
    let name =
        ServerName::try_from(receiver.host().to_owned()).map_err(|_| DeliveryError::Tls {
            address: address(),
            reason: "the host is not a name a certificate can be for".into(),
        })?;
    let stream = TlsConnector::from(trust.client_config())
        .connect(name, stream)
        .await
        .map_err(|error| tls_failure(address(), error))?;
    exchange(TokioIo::new(stream), receiver, headers, body).await
}

/// A failed handshake in words; a certificate the emulator does not trust says how to trust it.
fn tls_failure(address: String, error: std::io::Error) -> DeliveryError {
    let untrusted = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|e| matches!(e, rustls::Error::InvalidCertificate(_)));
    match untrusted {
        true => DeliveryError::Untrusted {
            address,
            reason: error.to_string(),
        },
        false => DeliveryError::Tls {
            address,
            reason: error.to_string(),
        },
    }
}

/// The HTTP/1.1 exchange over a connection, plain or TLS.
async fn exchange<T>(
    io: T,
    receiver: &Receiver,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
) -> Result<Reply, DeliveryError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
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
