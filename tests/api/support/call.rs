//! Requests a test sends to set the stage, when only the status matters.

use reqwest::{Method, StatusCode};
use restore_mock::Emulator;

/// `method path` on `emulator` as the user `token` signs in as, the way a test sets the stage
/// through the API before it looks at what that did; the reply's status.
pub async fn call_as(emulator: &Emulator, token: &str, method: Method, path: &str) -> StatusCode {
    reqwest::Client::new()
        .request(method, emulator.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("the request is sent")
        .status()
}
