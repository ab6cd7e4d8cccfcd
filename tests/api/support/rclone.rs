//! rclone, a real third-party client, run against the emulator as if it were the real services:
//! an emulator on HTTPS whose self-signed certificate also names the services' hosts
//! (`--tls-name`), a CONNECT proxy (`HTTPS_PROXY`) that leads every host to it, and the
//! emulator's CA in `SSL_CERT_FILE` (Go reads it). rclone has no option for its Box or OneDrive
//! base URLs, so this is the way in. The binary is Debian's `rclone` (`.ci/run` installs it), or
//! the one `RCLONE` names.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use restore_mock::journal::{JournalEntry, JournalFilter};
use restore_mock::Emulator;

use super::binary::run_to_exit;
use super::connect_proxy::ConnectProxy;
use super::spawn::{spawn, TestApp};

/// An access token rclone takes as valid for a long while, so that it never asks the
/// (emulated) token endpoint for another; `refresh_token` is never used.
pub fn token(access_token: &str) -> String {
    serde_json::json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "refresh_token": "never-used",
        "expiry": "2099-01-01T00:00:00Z",
    })
    .to_string()
}

/// One test's proxy and rclone configuration.
pub struct Rclone {
    pub proxy: ConnectProxy,
    /// The emulator's CA (`cert.pem` of `--tls-self-signed`), and rclone's config beside it.
    dir: PathBuf,
}

impl Rclone {
    /// An emulator on HTTPS for `hosts` (and loopback) with a client that trusts it, a proxy to
    /// it, and `config` as rclone's config file.
    pub async fn start(test: &str, hosts: &[&str], config: &str) -> (TestApp, Self) {
        check_installed();
        let dir =
            std::env::temp_dir().join(format!("restore-mock-rclone-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut spawn = spawn().tls_self_signed(&dir);
        for host in hosts {
            spawn = spawn.tls_name(host);
        }
        let emulator = spawn.start().await.emulator;
        std::fs::write(dir.join("rclone.conf"), config).unwrap();
        let client = Self::client(&dir, None);
        let proxy = ConnectProxy::start(emulator.address()).await;
        (TestApp { emulator, client }, Self { proxy, dir })
    }

    /// A client trusting the emulator's CA, through `proxy` when given: what opens a link rclone
    /// printed, which names a service host.
    fn client(dir: &Path, proxy: Option<&str>) -> reqwest::Client {
        let pem = std::fs::read(dir.join("cert.pem")).unwrap();
        let mut builder = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if let Some(proxy) = proxy {
            builder = builder.proxy(reqwest::Proxy::all(proxy).unwrap());
        }
        builder.build().unwrap()
    }

    /// A client without a token that reaches any host through the proxy, as a browser would
    /// open a shared link.
    pub fn anonymous(&self) -> reqwest::Client {
        Self::client(&self.dir, Some(&self.proxy.url))
    }

    /// Writes a local file for rclone to upload.
    pub fn local(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `rclone ARGS` to its exit off the runtime (which keeps serving), and returns its
    /// stdout; a failure fails the test with rclone's log. No retries, so that an error the
    /// emulator gives is seen rather than retried away.
    pub async fn run(&self, args: &[&str]) -> String {
        let mut command = Command::new(program());
        command
            .args(["--config"])
            .arg(self.dir.join("rclone.conf"))
            .args(["--retries", "1", "--low-level-retries", "1"])
            .args(["--contimeout", "10s", "--timeout", "20s", "-v"])
            .args(["--cache-dir"])
            .arg(self.dir.join("cache"))
            .args(args)
            .env("HTTPS_PROXY", &self.proxy.url)
            .env("SSL_CERT_FILE", self.dir.join("cert.pem"))
            .env("HOME", &self.dir);
        for name in [
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "NO_PROXY",
            "no_proxy",
            "ALL_PROXY",
            "all_proxy",
            "SSL_CERT_DIR",
        ] {
            command.env_remove(name);
        }
        let output: Output = tokio::task::spawn_blocking(move || run_to_exit(&mut command))
            .await
            .unwrap();
        assert!(
            output.status.success(),
            "rclone {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }
}

/// Whether the emulator was sent `method` to `path` (by rclone, in these tests) and answered
/// `status`.
pub fn sent(emulator: &Emulator, method: &str, path: &str, status: u16) -> bool {
    (emulator.requests(&JournalFilter::default()).iter())
        .any(|e| e.method == method && e.path == path && e.status == status)
}

/// The requests that refreshed a token or failed on the server's side (or for want of a
/// token): there should be none, since rclone's token is good for years.
pub fn refreshes_and_failures(emulator: &Emulator) -> Vec<JournalEntry> {
    (emulator.requests(&JournalFilter::default()).into_iter())
        .filter(|e| e.path.contains("oauth2") || e.status >= 500 || e.status == 401)
        .collect()
}

impl Drop for Rclone {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `RCLONE`, else `rclone` on the path.
fn program() -> String {
    std::env::var("RCLONE").unwrap_or("rclone".to_owned())
}

/// Fails with how to install rclone when the binary is missing: these tests never skip.
fn check_installed() {
    let found = Command::new(program()).arg("version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "{} cannot run: install rclone (`apt-get install rclone`, as .ci/run does) or name \
         another binary in RCLONE",
        program()
    );
}
