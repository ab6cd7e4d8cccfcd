//! HTTPS: a self-signed certificate the emulator writes, reqwest (rustls) and curl trusting it,
//! links that say `https://`, and the official Python SDKs pointed at an `https://` base URL.

use std::path::PathBuf;
use std::process::Command;

use restore_mock::Emulator;
use serde_json::Value;

use crate::helpers::run_sdk_script_with_env;

/// A fresh directory for one test's certificate.
fn cert_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("restore-mock-tls-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// An emulator on HTTPS with a certificate written to `dir`, and a client that trusts it.
async fn https_emulator(dir: &PathBuf) -> (Emulator, reqwest::Client) {
    let emulator = crate::helpers::builder().tls_self_signed(dir).start().await;
    let pem = std::fs::read(dir.join("cert.pem")).expect("the certificate was written");
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (emulator, client)
}

#[tokio::test]
async fn the_emulator_serves_https_and_every_link_it_writes_says_so() {
    // Arrange
    let dir = cert_dir("links");
    let (emulator, client) = https_emulator(&dir).await;

    // Act
    let upload = client
        .put(emulator.url("/v1.0/me/drive/root:/a.txt:/content"))
        .bearer_auth("t")
        .body("over tls")
        .send()
        .await
        .unwrap();
    let item: Value = upload.json().await.unwrap();
    let download = item["@microsoft.graph.downloadUrl"].as_str().unwrap();
    let bytes = client
        .get(download)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let plain = reqwest::Client::new()
        .get(
            emulator
                .url("/__admin/health")
                .replace("https://", "http://"),
        )
        .send()
        .await;

    // Assert
    assert!(
        emulator.uri().starts_with("https://127.0.0.1:"),
        "{}",
        emulator.uri()
    );
    assert!(
        download.starts_with(&format!("{}/_content/", emulator.uri())),
        "{download}"
    );
    assert_eq!(bytes, "over tls");
    assert!(
        item["@odata.context"]
            .as_str()
            .unwrap()
            .starts_with("https://"),
        "{item}"
    );
    assert!(
        plain.is_err() || !plain.unwrap().status().is_success(),
        "no plain HTTP"
    );
}

#[tokio::test]
async fn curl_trusting_the_written_certificate_reaches_both_faces() {
    // Arrange
    let dir = cert_dir("curl");
    let (emulator, _) = https_emulator(&dir).await;
    let port = emulator.address().port();
    let cacert = dir.join("cert.pem");

    for (url, expected) in [
        (
            format!("https://localhost:{port}/v1.0/me/drive"),
            "\"driveType\":\"business\"",
        ),
        (
            format!("https://127.0.0.1:{port}/2.0/folders/0"),
            "\"type\":\"folder\"",
        ),
    ] {
        // Act: curl runs off the runtime, which must keep serving meanwhile.
        let (cacert, url2) = (cacert.clone(), url.clone());
        let output = tokio::task::spawn_blocking(move || {
            Command::new("curl")
                .args(["--silent", "--show-error", "--cacert"])
                .arg(&cacert)
                .args(["-H", "Authorization: Bearer t", &url2])
                .output()
                .expect("curl runs")
        })
        .await
        .unwrap();

        // Assert
        let body = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{url}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(body.contains(expected), "{url}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_work_against_an_https_base_url() {
    // Arrange: httpx (msgraph) reads SSL_CERT_FILE, requests (Box) REQUESTS_CA_BUNDLE.
    let dir = cert_dir("sdk");
    let (emulator, _) = https_emulator(&dir).await;
    let (graph, root) = (emulator.graph_url(), emulator.box_url());
    let cacert = dir.join("cert.pem");

    // Act
    let outputs = tokio::task::spawn_blocking(move || {
        let env = [
            ("SSL_CERT_FILE", cacert.as_path()),
            ("REQUESTS_CA_BUNDLE", cacert.as_path()),
        ];
        (
            run_sdk_script_with_env("graph_flow.py", &[&graph], &env),
            run_sdk_script_with_env("box_flow.py", &[&root], &env),
        )
    })
    .await
    .unwrap();

    // Assert
    assert!(outputs.0.trim_end().ends_with("ok"), "{}", outputs.0);
    assert!(outputs.1.contains("box flow passed"), "{}", outputs.1);
}
