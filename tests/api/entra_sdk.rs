//! Microsoft's own sign-in libraries against the emulator, unmodified but for the authority:
//! azure-identity's `ClientSecretCredential` driving msgraph-sdk (https), MSAL Python's device
//! flow, `DefaultAzureCredential` through `IDENTITY_ENDPOINT` (plain http), and
//! @azure/identity's client-secret path. Each run is read back from the journal: which user or
//! app each Graph request ran as.

use std::path::{Path, PathBuf};

use restore_mock::journal::{JournalEntry, JournalFilter};
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::{run_node_script, run_sdk_script_with_env, spawn};

/// The service account ids of the apps below, and the device flow's default user (each derived
/// from the client id: sha-256, as `identity::Client::service_account` says).
const REPORT_APP_ACCOUNT: &str = "8426355790";
const MANAGED_IDENTITY_ACCOUNT: &str = "7998412751";
const CLI_DEFAULT_USER: &str = "1909682114";

fn fixture() -> Value {
    json!({
        "users": [{"id": "42", "name": "Ada", "tokens": ["ada"]}],
        "clients": [{"id": "report-app", "secret": "right"}],
    })
}

fn cert_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("restore-mock-entra-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The Graph requests under `path`, as (user, app) pairs.
fn ran_as(emulator: &Emulator, path: &str) -> Vec<(Option<String>, Option<String>)> {
    let entries: Vec<JournalEntry> = emulator.requests(&JournalFilter {
        api: Some("graph".into()),
        path_prefix: Some(path.into()),
        ..JournalFilter::default()
    });
    entries.into_iter().map(|e| (e.user, e.app)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_identity_and_msal_sign_in_over_https_as_an_app_and_a_user() {
    // Arrange
    let dir = cert_dir("python");
    let emulator = spawn()
        .fixture(fixture())
        .tls_self_signed(&dir)
        .start()
        .await
        .emulator;
    let ca = dir.join("cert.pem");
    let root = emulator.uri();

    // Act
    let out = tokio::task::spawn_blocking(move || {
        run_sdk_script_with_env(
            "entra_client_secret.py",
            &[&root, "42"],
            &[("REQUESTS_CA_BUNDLE", &ca), ("SSL_CERT_FILE", &ca)],
        )
    })
    .await
    .unwrap();

    // Assert
    let seen: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        seen,
        json!({"app": "b!42", "device": format!("b!{CLI_DEFAULT_USER}")})
    );
    let app = (
        Some(REPORT_APP_ACCOUNT.to_owned()),
        Some("report-app".to_owned()),
    );
    assert_eq!(
        ran_as(&emulator, "/v1.0/users/42/drive"),
        std::slice::from_ref(&app)
    );
    assert_eq!(
        ran_as(&emulator, "/v1.0/me"),
        [app, (Some(CLI_DEFAULT_USER.to_owned()), None)],
        "the app's refused /me, then the device flow's user on /me/drive"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn default_azure_credential_signs_in_through_the_managed_identity_variables() {
    // Arrange
    let emulator = spawn().fixture(fixture()).start().await.emulator;
    let endpoint = emulator.environment().get("IDENTITY_ENDPOINT").unwrap();
    let header = emulator.environment().get("IDENTITY_HEADER").unwrap();
    let (endpoint, header) = (PathBuf::from(endpoint), PathBuf::from(header));
    let root = emulator.uri();

    // Act
    let out = tokio::task::spawn_blocking(move || {
        run_sdk_script_with_env(
            "entra_managed_identity.py",
            &[&root, "42"],
            &[
                ("IDENTITY_ENDPOINT", &endpoint),
                ("IDENTITY_HEADER", &header),
            ],
        )
    })
    .await
    .unwrap();

    // Assert
    assert_eq!(
        serde_json::from_str::<Value>(out.trim()).unwrap(),
        json!({"drive": "b!42"})
    );
    assert_eq!(
        ran_as(&emulator, "/v1.0/users/42/drive"),
        [(
            Some(MANAGED_IDENTITY_ACCOUNT.to_owned()),
            Some("00000000-0000-4000-8000-0000000000a1".to_owned())
        )]
    );
    assert_eq!(
        ran_as(&emulator, "/msi/token").len(),
        1,
        "one token request"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn node_azure_identity_signs_in_with_a_client_secret_over_https() {
    // Arrange
    let dir = cert_dir("node");
    let emulator = spawn()
        .fixture(fixture())
        .tls_self_signed(&dir)
        .start()
        .await
        .emulator;
    let ca = dir.join("cert.pem");
    let root = emulator.uri();

    // Act
    let out = tokio::task::spawn_blocking(move || {
        run_node_script(
            "entra_client_secret.js",
            &[&root, "42"],
            &[("NODE_EXTRA_CA_CERTS", Path::new(&ca))],
        )
    })
    .await
    .unwrap();

    // Assert
    assert_eq!(
        serde_json::from_str::<Value>(out.trim()).unwrap(),
        json!({"drive": "b!42"})
    );
    assert_eq!(
        ran_as(&emulator, "/v1.0/users/42/drive"),
        [(
            Some(REPORT_APP_ACCOUNT.to_owned()),
            Some("report-app".to_owned())
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
