//! A headless Debian `chromium` driven over the DevTools protocol, for the admin page's tests.
//!
//! One browser per test, started with a fresh profile directory and the flags this machine needs
//! (no sandbox as root, no GPU, and none of the background traffic a first run makes), on a
//! DevTools port the browser picks. It runs in a process group of its own, with its temporary
//! files in the profile, so that the end of a test stops every process it started (killing the
//! main one alone left its helpers writing) and removes every file they wrote. The protocol is JSON over one WebSocket (`tokio-tungstenite`):
//! `Target.createTarget` opens a tab, `Target.attachToTarget` with `flatten` gives a session id
//! that later commands carry, and `Runtime.evaluate` runs script in the page.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::TempDir;

/// How long one wait for the page may take before the test fails; generous for a loaded machine.
const WAIT_MS: u64 = 20_000;

pub struct Browser {
    child: Child,
    /// Dropped after the browser is stopped (fields drop after `Drop::drop`).
    _profile: TempDir,
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    session: String,
}

impl Browser {
    /// Starts chromium and opens `url` in a tab, returning once the page has loaded.
    pub async fn open(url: &str) -> Browser {
        let profile = TempDir::made("chromium");
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
        let mut child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .env("TMPDIR", &*profile)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {binary} ({e}): install Debian's chromium (`.ci/run` does)")
            });
        // The browser prints its DevTools address on stderr once it listens.
        let stderr = child.stderr.take().expect("piped stderr");
        let address = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stderr).lines();
            let found = lines.by_ref().map_while(Result::ok).find_map(|line| {
                line.strip_prefix("DevTools listening on ")
                    .map(str::to_owned)
            });
            // Keep draining so the browser never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            found
        });
        let address = tokio::time::timeout(Duration::from_millis(WAIT_MS), address)
            .await
            .expect("chromium printed its DevTools address in time")
            .expect("the reader thread")
            .expect("chromium printed its DevTools address");
        let (socket, _) = tokio_tungstenite::connect_async(address.as_str())
            .await
            .expect("connect to chromium's DevTools socket");
        let mut browser = Browser {
            child,
            _profile: profile,
            socket,
            next_id: 0,
            session: String::new(),
        };
        let target = browser
            .command("Target.createTarget", json!({"url": "about:blank"}))
            .await;
        let attached = browser
            .command(
                "Target.attachToTarget",
                json!({"targetId": target["targetId"], "flatten": true}),
            )
            .await;
        browser.session = attached["sessionId"].as_str().unwrap().to_owned();
        browser.command("Page.enable", json!({})).await;
        browser.command("Page.navigate", json!({"url": url})).await;
        browser.event("Page.loadEventFired").await;
        browser
    }

    /// Sends one command (to the page's session once there is one) and returns its result.
    async fn command(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send a DevTools command");
        loop {
            let reply = self.next_message().await;
            if reply["id"] == id {
                if let Some(error) = reply.get("error") {
                    panic!("{method} failed: {error}");
                }
                return reply["result"].clone();
            }
        }
    }

    /// Waits for an event of the page's session.
    async fn event(&mut self, method: &str) {
        loop {
            let message = self.next_message().await;
            if message["method"] == method && message["sessionId"] == self.session.as_str() {
                return;
            }
        }
    }

    async fn next_message(&mut self) -> Value {
        // Longer than a page-side wait, so that one times out first and says what it saw.
        let frame = tokio::time::timeout(Duration::from_millis(2 * WAIT_MS), self.socket.next())
            .await
            .expect("chromium answered in time")
            .expect("the DevTools socket is open")
            .expect("a DevTools frame");
        match frame {
            Message::Text(text) => serde_json::from_str(&text).expect("DevTools sends JSON"),
            other => panic!("unexpected DevTools frame {other:?}"),
        }
    }

    /// Runs `expression` in the page (awaiting it when it is a promise) and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .command(
                "Runtime.evaluate",
                json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
            )
            .await;
        if let Some(details) = result.get("exceptionDetails") {
            panic!("the page threw on {expression}: {details}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `condition` (a script expression) is truthy in the page and returns its value.
    /// The page updates itself by polling, so this is how a test sees a change arrive.
    pub async fn wait_for(&mut self, condition: &str) -> Value {
        let script = format!(
            r#"new Promise((resolve, reject) => {{
                const started = Date.now();
                const check = () => {{
                    let value;
                    try {{ value = ({condition}); }} catch (e) {{ value = undefined; }}
                    if (value) resolve(value);
                    else if (Date.now() - started > {WAIT_MS}) reject(new Error("timed out waiting"));
                    else setTimeout(check, 25);
                }};
                check();
            }})"#
        );
        let result = self
            .command(
                "Runtime.evaluate",
                json!({"expression": script, "awaitPromise": true, "returnByValue": true}),
            )
            .await;
        if result.get("exceptionDetails").is_some() {
            let page = self.eval("document.body.innerText").await;
            panic!("the page never showed `{condition}`; it shows:\n{page}");
        }
        result["result"]["value"].clone()
    }

    /// Clicks the element `selector` names, as a user would (focus, then a click).
    pub async fn click(&mut self, selector: &str) {
        let selector = serde_json::to_string(selector).unwrap();
        self.wait_for(&format!("document.querySelector({selector})"))
            .await;
        self.eval(&format!(
            "(() => {{ const el = document.querySelector({selector}); el.focus(); el.click(); return true; }})()"
        ))
        .await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole group: the browser's helper processes outlive a kill of the main one.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
