//! A receiver for the emulator's outgoing calls (Graph change notifications, Box webhooks): a
//! small HTTP server (or HTTPS, with a certificate from a `TestCa`) on a free loopback port that
//! records every request and answers as told. Bound before it is spawned, so its URL works at
//! once.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

/// How the receiver answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// As a Graph app does: a validation request gets its token back as `text/plain`, anything
    /// else `202`.
    EchoToken,
    /// `200 text/plain` with other text than the token, `202` otherwise.
    WrongToken,
    /// This status with an empty body, to every request.
    Status(u16),
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path and query, as sent.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {self:?}"))
            .to_str()
            .expect("a text header")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Clone)]
struct Shared {
    answer: Answer,
    received: Arc<Mutex<Vec<Received>>>,
}

pub struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start(answer: Answer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let (app, received) = recorder(answer);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Self {
            url,
            received,
            task,
        }
    }

    /// An HTTPS receiver presenting `acceptor`'s certificate, reached as
    /// `https://{host}:PORT/hook` (`host`: `localhost` or `127.0.0.1`, names its certificate
    /// is for).
    pub async fn start_tls(answer: Answer, acceptor: TlsAcceptor, host: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let url = format!("https://{host}:{port}/hook");
        let (app, received) = recorder(answer);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (acceptor, app) = (acceptor.clone(), app.clone());
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to serve.
                    let Ok(stream) = acceptor.accept(stream).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(move |request: Request<_>| {
                        app.clone().oneshot(request.map(axum::body::Body::new))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            url,
            received,
            task,
        }
    }

    /// `http://127.0.0.1:PORT/hook` (`https://…` from `start_tls`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The app that records requests and answers them as `answer` says, and what it recorded.
fn recorder(answer: Answer) -> (Router, Arc<Mutex<Vec<Received>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let shared = Shared {
        answer,
        received: received.clone(),
    };
    (Router::new().fallback(record).with_state(shared), received)
}

async fn record(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.expect("a body");
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let token = parts
        .uri
        .query()
        .and_then(|q| url_decoded_param(q, "validationToken"));
    shared.received.lock().unwrap().push(Received {
        target,
        headers: parts.headers,
        body,
    });
    match (shared.answer, token) {
        (Answer::Status(status), _) => StatusCode::from_u16(status).unwrap().into_response(),
        (Answer::EchoToken, Some(token)) => {
            ([(header::CONTENT_TYPE, "text/plain")], token).into_response()
        }
        (Answer::WrongToken, Some(_)) => {
            ([(header::CONTENT_TYPE, "text/plain")], "not the token").into_response()
        }
        (_, None) => StatusCode::ACCEPTED.into_response(),
    }
}

/// The value of `name` in a query, percent-decoded (`+` stays `+`: Graph encodes spaces as
/// `%20`).
fn url_decoded_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}
