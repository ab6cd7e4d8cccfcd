//! A CONNECT proxy on loopback that tunnels every host to one address: how a client whose base
//! URLs are fixed (rclone's `https://api.box.com/2.0`, `https://graph.microsoft.com/v1.0`)
//! reaches the emulator, with `HTTPS_PROXY` naming the proxy. It records which hosts were asked
//! for, so that a test can tell what else the client would have called.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The most a CONNECT request's head may hold; a client sends a line and a few headers.
const MAX_HEAD: usize = 8 * 1024;

pub struct ConnectProxy {
    /// What `HTTPS_PROXY` says: `http://127.0.0.1:{port}`.
    pub url: String,
    hosts: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl ConnectProxy {
    /// A proxy on a free loopback port whose every tunnel leads to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hosts = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn(accept(listener, target, Arc::clone(&hosts)));
        Self { url, hosts, task }
    }

    /// The `host:port` of every CONNECT so far, sorted, each once.
    pub fn hosts(&self) -> Vec<String> {
        let mut hosts = self.hosts.lock().unwrap().clone();
        hosts.sort();
        hosts.dedup();
        hosts
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(listener: TcpListener, target: SocketAddr, hosts: Arc<Mutex<Vec<String>>>) {
    while let Ok((client, _)) = listener.accept().await {
        let hosts = Arc::clone(&hosts);
        tokio::spawn(async move {
            // A tunnel ends when either side closes, often without a clean shutdown.
            let _ = tunnel(client, target, hosts).await;
        });
    }
}

/// Answers one CONNECT with `200` and then copies bytes both ways. Anything else gets `405`.
async fn tunnel(
    mut client: TcpStream,
    target: SocketAddr,
    hosts: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    // Read a byte at a time, so that nothing past the head (the TLS hello) is taken from the
    // tunnel.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() == MAX_HEAD {
            return Ok(());
        }
        head.push(client.read_u8().await?);
    }
    let head = String::from_utf8_lossy(&head);
    let Some(host) = (head.strip_prefix("CONNECT ")).and_then(|rest| rest.split(' ').next()) else {
        let refusal = b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n";
        return client.write_all(refusal).await;
    };
    hosts.lock().unwrap().push(host.to_owned());
    let mut server = TcpStream::connect(target).await?;
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await?;
    tokio::io::copy_bidirectional(&mut client, &mut server).await?;
    Ok(())
}
