//! HTTPS: a self-signed certificate the emulator writes, reqwest (rustls) and curl trusting it,
//! links that say `https://`, the official Python SDKs pointed at an `https://` base URL, and
//! the JS Graph client's large-file task, which works only over HTTPS.

use std::path::Path;
use std::process::Command;

use restore_mock::journal::JournalFilter;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::graph::hashes;
use crate::support::{run_node_script, run_sdk_script_with_env};
use crate::support::{spawn, TempDir};

/// A fresh directory for one test's certificate.
pub(crate) fn cert_dir(test: &str) -> TempDir {
    TempDir::new(&format!("tls-{test}"))
}

/// An emulator on HTTPS with a certificate written to `dir`, and a client that trusts it.
pub(crate) async fn https_emulator(dir: &Path) -> (Emulator, reqwest::Client) {
    let emulator = spawn().tls_self_signed(dir).start().await.emulator;
    let pem = std::fs::read(dir.join("cert.pem")).expect("the certificate was written");
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (emulator, client)
}

/// Runs `script` of `tests/sdk/node` with `args` on tokio's blocking pool (the emulator it talks
/// to needs the runtime's threads), trusting the certificate `https_emulator` wrote to `dir`;
/// its output, one JSON value.
pub(crate) async fn node_report(dir: &Path, script: &'static str, args: Vec<String>) -> Value {
    let cert = dir.join("cert.pem");
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_node_script(script, &args, &[("NODE_EXTRA_CA_CERTS", cert.as_path())])
    })
    .await
    .unwrap();
    serde_json::from_str(output.trim()).unwrap_or_else(|e| panic!("{e}: {output}"))
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

#[tokio::test]
async fn tls_name_adds_a_name_the_self_signed_certificate_is_for() {
    // Arrange: curl dials api.box.com, resolved to the emulator, as a client whose base URL is
    // fixed would with /etc/hosts.
    let (named, plain) = (cert_dir("named"), cert_dir("unnamed"));
    let with_name = spawn()
        .tls_self_signed(named.to_path_buf())
        .tls_name("api.box.com")
        .start()
        .await
        .emulator;
    let (without, _) = https_emulator(&plain).await;

    // Act
    let mut outputs = Vec::new();
    for (emulator, dir) in [(&with_name, &*named), (&without, &*plain)] {
        let port = emulator.address().port();
        let args = [
            "--silent".to_owned(),
            "--show-error".to_owned(),
            "--resolve".to_owned(),
            format!("api.box.com:{port}:127.0.0.1"),
            "--cacert".to_owned(),
            dir.join("cert.pem").display().to_string(),
            "-H".to_owned(),
            "Authorization: Bearer t".to_owned(),
            format!("https://api.box.com:{port}/2.0/folders/0"),
        ];
        let output = tokio::task::spawn_blocking(move || {
            Command::new("curl")
                .args(&args)
                .output()
                .expect("curl runs")
        })
        .await
        .unwrap();
        outputs.push(output);
    }

    // Assert
    let body = String::from_utf8_lossy(&outputs[0].stdout);
    assert!(outputs[0].status.success(), "{outputs:?}");
    assert!(body.contains("\"type\":\"folder\""), "{body}");
    let refused = String::from_utf8_lossy(&outputs[1].stderr);
    assert_eq!(outputs[1].status.code(), Some(60), "{refused}");
    assert!(refused.contains("api.box.com"), "{refused}");
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

/// `len` bytes of a pattern that differs with `seed`, so a misplaced range changes the hashes.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i % 251) as u8).wrapping_mul(7).wrapping_add(seed))
        .collect()
}

/// The ranges of `len` bytes in steps of `step`, inclusive, as the task reports them.
fn ranges(len: usize, step: usize) -> Vec<[usize; 2]> {
    (0..len)
        .step_by(step)
        .map(|start| [start, (start + step).min(len) - 1])
        .collect()
}

/// `@microsoft/microsoft-graph-client` takes only `https://` URLs as absolute: over plain HTTP it
/// glues the `uploadUrl` onto its base URL (the absolute-URL check of `src/GraphRequestUtil.ts` in
/// <https://github.com/microsoftgraph/msgraph-sdk-javascript>), so this is the one way its
/// large-file task can reach the emulator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_js_graph_clients_large_file_task_uploads_a_file_and_a_new_version_over_https() {
    // Arrange: two files of three 2.5 MiB ranges each (the script's range size), the second
    // ending in a range of one byte.
    const RANGE: usize = 8 * 320 * 1024;
    let dir = cert_dir("js-large-file");
    let (emulator, client) = https_emulator(&dir).await;
    let (first, second) = (
        pattern(2 * RANGE + 2 * 1024 * 1024 + 3, 1),
        pattern(2 * RANGE + 1, 2),
    );
    std::fs::write(dir.join("first.bin"), &first).unwrap();
    std::fs::write(dir.join("second.bin"), &second).unwrap();
    let origin = emulator.uri();

    // Act
    let files = [dir.join("first.bin"), dir.join("second.bin")];
    let args = [
        origin.as_str(),
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
    ];
    let args = args.map(str::to_owned).to_vec();
    let report = node_report(&dir, "graph_large_file.js", args).await;
    let id = report["created"]["item"]["id"].as_str().unwrap().to_owned();
    let read = |path: String| {
        let request = client
            .get(emulator.url(&path))
            .bearer_auth("js-large-file-token");
        async move { request.send().await.unwrap() }
    };
    let versions: Value = read(format!("/v1.0/me/drive/items/{id}/versions"))
        .await
        .json()
        .await
        .unwrap();
    let mut bytes = Vec::new();
    for path in ["content", "versions/1.0/content"] {
        let redirect = read(format!("/v1.0/me/drive/items/{id}/{path}")).await;
        let link = redirect.headers()["location"].to_str().unwrap().to_owned();
        bytes.push(
            client
                .get(link)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap(),
        );
    }
    let fragments: Vec<(String, u16)> = emulator
        .requests(&JournalFilter {
            method: Some("PUT".into()),
            path_prefix: Some("/_upload/".into()),
            ..JournalFilter::default()
        })
        .into_iter()
        .map(|entry| {
            // The task's ranges are multiples of 320 KiB: nothing to warn about.
            assert_eq!(entry.warning, None, "{entry:?}");
            (entry.headers["content-range"].clone(), entry.status)
        })
        .collect();

    // Assert: each upload went in three ranges to an https upload URL; the first made the
    // file (201), the second a new version of it (200).
    for (upload, file) in [("created", &first), ("replaced", &second)] {
        let sent = &report[upload];
        assert!(
            sent["uploadUrl"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{origin}/_upload/")),
            "{sent}"
        );
        assert_eq!(sent["ranges"], json!(ranges(file.len(), RANGE)), "{upload}");
        assert_eq!(sent["item"]["id"], json!(id), "{upload}");
        assert_eq!(sent["item"]["name"], "big.bin", "{upload}");
        assert_eq!(sent["item"]["size"], json!(file.len()), "{upload}");
        assert_eq!(sent["item"]["file"]["hashes"], hashes(file), "{upload}");
        let drive = sent["item"]["parentReference"]["driveId"].as_str().unwrap();
        assert_eq!(
            sent["item"]["parentReference"]["path"],
            format!("/drives/{drive}/root:/js"),
            "{upload}: the folder the task's `path` named, made on the way"
        );
    }
    let expected: Vec<(String, u16)> = [(&first, 201), (&second, 200)]
        .into_iter()
        .flat_map(|(file, last)| {
            let all = ranges(file.len(), RANGE);
            let n = all.len();
            all.into_iter().enumerate().map(move |(i, [start, end])| {
                let status = if i + 1 == n { last } else { 202 };
                (format!("bytes {start}-{end}/{}", file.len()), status)
            })
        })
        .collect();
    assert_eq!(fragments, expected);
    let listed: Vec<(&str, u64)> = versions["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap(), v["size"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [("2.0", second.len() as u64), ("1.0", first.len() as u64)]
    );
    assert!(
        bytes[0] == second,
        "the current version holds the second file"
    );
    assert!(bytes[1] == first, "version 1.0 holds the first file");
}
