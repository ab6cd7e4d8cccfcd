//! Sign-in requests the Microsoft identity platform refuses, as curl would send them: each gets
//! the platform's OAuth envelope with its AADSTS code and the right status
//! (<https://learn.microsoft.com/entra/identity-platform/reference-error-codes>).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{send, spawn, with_request_ids, Reply, TestApp};

const TOKEN_PATH: &str = "/common/oauth2/v2.0/token";

/// The platform's error body for a request with id `trace` (no `client-request-id` sent, so the
/// correlation id is the same), at the frozen clock's time.
fn aad_error(error: &str, code: u64, message: &str, trace: &str) -> Value {
    json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {message} Trace ID: {trace} Correlation ID: {trace} Timestamp: 2024-06-01 10:00:00Z"),
        "error_codes": [code],
        "timestamp": "2024-06-01 10:00:00Z",
        "trace_id": trace,
        "correlation_id": trace,
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    })
}

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Reply {
    send(app.client.post(app.url(path)).form(form)).await
}

struct Case {
    why: &'static str,
    form: Vec<(&'static str, &'static str)>,
    status: StatusCode,
    error: &'static str,
    code: u64,
    message: &'static str,
}

#[tokio::test]
async fn token_requests_with_a_missing_or_wrong_field_get_the_platforms_error() {
    // Arrange
    let app = spawn().start().await;
    let cases = [
        Case {
            why: "no grant_type",
            form: vec![("client_id", "app"), ("client_secret", "s")],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            code: 900144,
            message: "The request body must contain the following parameter: 'grant_type'.",
        },
        Case {
            why: "a grant the platform does not know",
            form: vec![("grant_type", "password"), ("client_id", "app")],
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            code: 70003,
            message: "The app requested an unsupported grant type 'password'.",
        },
        Case {
            why: "no client_id",
            form: vec![("grant_type", "client_credentials")],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            code: 900144,
            message: "The request body must contain the following parameter: 'client_id'.",
        },
        Case {
            why: "client credentials without a secret",
            form: vec![
                ("grant_type", "client_credentials"),
                ("client_id", "app"),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            code: 7000218,
            message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        },
        Case {
            why: "client credentials for a scope without /.default",
            form: vec![
                ("grant_type", "client_credentials"),
                ("client_id", "app"),
                ("client_secret", "s"),
                ("scope", "Files.Read"),
            ],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_scope",
            code: 1002012,
            message: "The provided value for scope Files.Read is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
        },
        Case {
            why: "a code the platform never issued",
            form: vec![
                ("grant_type", "authorization_code"),
                ("client_id", "app"),
                ("code", "M.Cnope"),
            ],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            code: 70000,
            message: "The provided value for the 'code' parameter is not valid.",
        },
        Case {
            why: "a refresh token the platform never issued",
            form: vec![
                ("grant_type", "refresh_token"),
                ("client_id", "app"),
                ("refresh_token", "1.Rnope"),
            ],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            code: 9002313,
            message: "Invalid request. Request is malformed or invalid.",
        },
        Case {
            why: "a device code the platform never issued",
            form: vec![
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", "app"),
                ("device_code", "DAQABnope"),
            ],
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            code: 70000,
            message: "The provided value for the input parameter 'device_code' is not valid.",
        },
    ];
    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
    ];

    for (case, trace) in with_request_ids(cases, ids) {
        // Act
        let reply = post_form(&app, TOKEN_PATH, &case.form).await;

        // Assert
        assert_eq!(reply.status, case.status, "{}: {:?}", case.why, reply.body);
        assert_eq!(
            reply.header("cache-control"),
            "no-store, no-cache",
            "{}",
            case.why
        );
        assert_eq!(
            reply.body,
            aad_error(case.error, case.code, case.message, trace),
            "{}",
            case.why
        );
    }
}

/// A token request's body is read under `--max-body` like every other: one over it gets the
/// platform's envelope with `413` (AADSTS9002313, its generic "malformed request"), and a large
/// one under it is read (axum's own limit of 2 MB answered it with a plain-text `413`).
#[tokio::test]
async fn a_token_request_over_the_body_limit_gets_the_platforms_413_and_one_under_it_is_read() {
    let padding = "a".repeat(3 << 20);
    let cases = [
        (
            64 << 10,
            StatusCode::PAYLOAD_TOO_LARGE,
            aad_error(
                "invalid_request",
                9002313,
                "Invalid request. Request is malformed or invalid.",
                "e220a839-7b1d-cdaf-e4d9-71771b652c20",
            ),
            "over --max-body",
        ),
        (
            256 << 20,
            StatusCode::BAD_REQUEST,
            aad_error(
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.",
                "e220a839-7b1d-cdaf-e4d9-71771b652c20",
            ),
            "3 MB under --max-body, read and found to lack grant_type",
        ),
    ];
    for (max_body, status, body, why) in cases {
        // Arrange
        let app = spawn().max_body(max_body).start().await;

        // Act
        let reply = post_form(
            &app,
            TOKEN_PATH,
            &[("client_id", "app"), ("padding", &padding)],
        )
        .await;

        // Assert
        assert_eq!(reply.status, status, "{why}: {:?}", reply.body);
        assert_eq!(reply.header("cache-control"), "no-store, no-cache", "{why}");
        assert_eq!(reply.body, body, "{why}");
    }
}

/// Signs in through `/authorize` as a browser would, with PKCE; the code from the redirect.
async fn authorize(app: &TestApp, challenge: &str) -> String {
    let reply = send(app.client.get(app.url(
        &format!("/common/oauth2/v2.0/authorize?client_id=app&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fback&scope=Files.ReadWrite%20offline_access&state=s1&code_challenge={challenge}&code_challenge_method=S256"),
    )))
    .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{reply:?}");
    let location = reply.header("location");
    let query = location
        .strip_prefix("http://localhost/back?")
        .unwrap_or_else(|| panic!("redirects to the redirect_uri: {location}"));
    let code = query
        .strip_prefix("code=")
        .and_then(|rest| rest.strip_suffix("&state=s1"))
        .unwrap_or_else(|| panic!("code, then the state as sent: {query}"));
    code.to_owned()
}

/// A PKCE pair: the challenge is base64url(SHA-256(verifier)), computed with Python's hashlib.
const VERIFIER: &str = "dBjftJeZ4CJP-0-HdhhD8URA8kqXGQ6qd-hLEngS0NE";
const CHALLENGE: &str = "b6hI7p-qxSwDPGCvg8UbmcdlO7s5w96LJbnCRPrMPKI";

fn redeem<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("client_id", "app"),
        ("code", code),
        ("redirect_uri", "http://localhost/back"),
        ("code_verifier", verifier),
    ]
}

#[tokio::test]
async fn a_code_redeems_once_with_its_verifier_and_not_after_ten_minutes() {
    // Arrange
    let app = spawn().start().await;
    let used = authorize(&app, CHALLENGE).await;
    let wrong_verifier = authorize(&app, CHALLENGE).await;
    let expired = authorize(&app, CHALLENGE).await;

    // Act
    let first = post_form(&app, TOKEN_PATH, &redeem(&used, VERIFIER)).await;
    let again = post_form(&app, TOKEN_PATH, &redeem(&used, VERIFIER)).await;
    let mismatch = post_form(
        &app,
        TOKEN_PATH,
        &redeem(&wrong_verifier, "not-the-verifier"),
    )
    .await;
    app.emulator
        .clock()
        .advance(chrono::TimeDelta::seconds(601));
    let late = post_form(&app, TOKEN_PATH, &redeem(&expired, VERIFIER)).await;

    // Assert
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["token_type"], "Bearer");
    assert_eq!(first.body["expires_in"], 3600);
    assert_eq!(first.body["scope"], "Files.ReadWrite");
    for (reply, error, code, message, trace) in [
        (again, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.", "6e73e372-e233-8aca-16b1-cba95fc60262"),
        (mismatch, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.", "63033b0c-a389-c35a-e8f9-38e3d92c0f81"),
        (late, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", "bd64a5d9-adef-e000-6c1e-186443822970"),
    ] {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{code}");
        let mut expected = aad_error(error, code, message, trace);
        if code == 70008 {
            // The clock moved: the time in the error moved with it.
            expected = serde_json::from_str(
                &expected.to_string().replace("2024-06-01 10:00:00Z", "2024-06-01 10:10:01Z"),
            )
            .unwrap();
        }
        assert_eq!(reply.body, expected, "{code}");
    }
}

#[tokio::test]
async fn a_method_a_route_does_not_take_gets_the_platforms_refusal_not_an_empty_405() {
    // Arrange
    let app = spawn().start().await;
    let cases = [
        (reqwest::Method::GET, TOKEN_PATH, "POST"),
        (
            reqwest::Method::PUT,
            "/organizations/oauth2/v2.0/devicecode",
            "POST",
        ),
        (
            reqwest::Method::POST,
            "/common/v2.0/.well-known/openid-configuration",
            "GET",
        ),
        (
            reqwest::Method::DELETE,
            "/common/oauth2/v2.0/authorize",
            "GET",
        ),
    ];
    let ids = [
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    ];

    for ((method, path, allowed), trace) in with_request_ids(cases, ids) {
        // Act
        let reply = send(app.client.request(method.clone(), app.url(path))).await;

        // Assert
        let message =
            format!("The endpoint only accepts {allowed} requests. Received a {method} request.");
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{method} {path}");
        assert_eq!(reply.header("x-ms-request-id"), trace, "{method} {path}");
        assert_eq!(
            reply.body,
            aad_error("invalid_request", 900561, &message, trace),
            "{method} {path}"
        );
    }
    // Managed identity answers in its own words and envelope, with HTTP's status.
    for path in ["/metadata/identity/oauth2/token", "/msi/token"] {
        let reply = send(app.client.post(app.url(path)).header("metadata", "true")).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(
            reply.body,
            json!({
                "error": "invalid_request",
                "error_description": format!("Http method not allowed: Path = \"{path}\", Method = \"POST\""),
            }),
            "{path}"
        );
    }
    // Each was journaled as the platform's request, signed in as no one.
    let journal = send(app.client.get(app.url("/__admin/requests"))).await;
    let seen: Vec<(&str, &Value)> = (journal.body["requests"].as_array().unwrap().iter())
        .map(|e| (e["method"].as_str().unwrap(), &e["user"]))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", &Value::Null),
            ("PUT", &Value::Null),
            ("POST", &Value::Null),
            ("DELETE", &Value::Null),
            ("POST", &Value::Null),
            ("POST", &Value::Null),
        ]
    );
}
