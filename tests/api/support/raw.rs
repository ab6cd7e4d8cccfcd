//! Requests written as raw bytes on a socket of their own, and their replies read as text: for
//! what a client library would not send (bad bytes, two `Host` headers, a half-closed socket).

use std::time::Duration;

use restore_mock::Emulator;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A reply as raw text: the status line and headers, lower-cased names, and the body.
pub struct RawReply {
    pub status: u16,
    /// Each header as `(lower-cased name, value)`, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawReply {
    pub fn parse(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no complete reply: {text:?}"));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(": "))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
            .collect();
        Self {
            status,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// Sends `request` as it is and reads until the server closes the connection.
pub async fn exchange(emulator: &Emulator, request: &[u8], half_close: bool) -> Vec<u8> {
    let mut stream = TcpStream::connect(emulator.address()).await.unwrap();
    stream.write_all(request).await.unwrap();
    if half_close {
        stream.shutdown().await.unwrap();
    }
    let mut reply = Vec::new();
    // Bounded, so a server that never answers fails the test rather than hanging it.
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut reply));
    read.await.expect("the server answers and closes").unwrap();
    reply
}
