//! Tokens from the Microsoft identity platform on Graph: an app (client credentials) reaches
//! users' drives by id and gets Graph's error on `/me`; a delegated token is its user; a
//! configured client wants its own secret; an expired token is Graph's 401 with
//! `WWW-Authenticate`; the journal names the user or app each request ran as.

use reqwest::StatusCode;
use restore_mock::journal::JournalFilter;
use serde_json::{json, Value};

use crate::support::graph::Graph;
use crate::support::{send, spawn, Reply};

/// Ada, with a plain token, and one configured client.
fn fixture() -> Value {
    json!({
        "users": [{"id": "42", "name": "Ada", "login": "ada@example.com", "tokens": ["ada"]}],
        "clients": [{"id": "report-app", "secret": "right", "roles": ["Files.Read.All"]}],
    })
}

pub(crate) async fn client_credentials(graph: &Graph, client: &str, secret: &str) -> Reply {
    send(
        graph
            .app
            .client
            .post(graph.app.url("/common/oauth2/v2.0/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client),
                ("client_secret", secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ]),
    )
    .await
}

async fn get(graph: &Graph, token: &str, path: &str) -> Reply {
    send(graph.app.client.get(graph.url(path)).bearer_auth(token)).await
}

#[tokio::test]
async fn an_app_reaches_a_users_drive_within_its_roles_and_has_no_me() {
    // Arrange
    let graph = spawn().fixture(fixture()).graph().await;
    let signed = client_credentials(&graph, "report-app", "right").await;
    assert_eq!(signed.status, StatusCode::OK, "{:?}", signed.body);
    let token = signed.body["access_token"].as_str().unwrap().to_owned();

    // Act
    let by_user = get(&graph, &token, "/users/42/drive").await;
    let by_id = get(&graph, &token, "/drives/b!42/root").await;
    let me = get(&graph, &token, "/me/drive").await;
    let write = send(
        graph
            .app
            .client
            .put(graph.url("/users/42/drive/root:/report.txt:/content"))
            .bearer_auth(&token)
            .body("x"),
    )
    .await;

    // Assert
    assert_eq!(by_user.status, StatusCode::OK, "{:?}", by_user.body);
    assert_eq!(
        (&by_user.body["id"], &by_user.body["owner"]["user"]["id"]),
        (&json!("b!42"), &json!("42"))
    );
    assert_eq!(by_id.status, StatusCode::OK, "{:?}", by_id.body);
    assert_eq!(by_id.body["parentReference"]["driveId"], "b!42");
    graph.assert_error(
        &me,
        400,
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
    );
    graph.assert_error(
        &write,
        403,
        "accessDenied",
        "Access denied",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
    );
    let journal = graph.app.emulator.requests(&JournalFilter {
        path_prefix: Some("/v1.0/users/42".into()),
        method: Some("GET".into()),
        ..JournalFilter::default()
    });
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].app.as_deref(), Some("report-app"));
}

#[tokio::test]
async fn a_configured_client_wants_its_own_secret() {
    // Arrange
    let graph = spawn().fixture(fixture()).graph().await;

    // Act
    let wrong = client_credentials(&graph, "report-app", "wrong").await;

    // Assert
    let trace = "e220a839-7b1d-cdaf-e4d9-71771b652c20";
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body,
        json!({
            "error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'report-app'. Trace ID: {trace} Correlation ID: {trace} Timestamp: 2024-06-01 10:00:00Z"),
            "error_codes": [7000215],
            "timestamp": "2024-06-01 10:00:00Z",
            "trace_id": trace,
            "correlation_id": trace,
            "error_uri": "https://login.microsoftonline.com/error?code=7000215",
        })
    );
}

#[tokio::test]
async fn a_token_past_its_lifetime_on_the_emulators_clock_gets_graphs_401() {
    // Arrange
    let graph = spawn().fixture(fixture()).graph().await;
    let signed = client_credentials(&graph, "any-app", "any-secret").await;
    let token = signed.body["access_token"].as_str().unwrap().to_owned();
    let before = get(&graph, &token, "/users/42/drive").await;
    graph.advance(3600);

    // Act
    let after = get(&graph, &token, "/users/42/drive").await;
    graph.app.emulator.reset().unwrap();
    let after_reset = get(&graph, &token, "/users/42/drive").await;

    // Assert
    assert_eq!(before.status, StatusCode::OK, "{:?}", before.body);
    for (reply, id) in [
        (&after, "975835de-1c97-56ce-f75f-04cbb5a1a1dd"),
        (&after_reset, "e220a839-7b1d-cdaf-e4d9-71771b652c20"),
    ] {
        graph.assert_error(
            reply,
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
            id,
        );
        assert_eq!(
            reply.header("www-authenticate"),
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\""
        );
    }
}

#[tokio::test]
async fn a_delegated_token_is_the_user_login_hint_named_with_the_scopes_asked_for() {
    // Arrange
    let graph = spawn().fixture(fixture()).graph().await;
    let client = &graph.app.client;
    let redirect = send(client.get(graph.app.url(
        "/common/oauth2/v2.0/authorize?client_id=cli&redirect_uri=http%3A%2F%2Flocalhost&scope=Files.Read&login_hint=42",
    )))
    .await;
    let location = redirect.header("location").to_owned();
    let code = location.strip_prefix("http://localhost?code=").unwrap();
    let tokens = send(
        client
            .post(graph.app.url("/common/oauth2/v2.0/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", "cli"),
                ("code", code),
                ("redirect_uri", "http://localhost"),
            ]),
    )
    .await;
    let token = tokens.body["access_token"].as_str().unwrap().to_owned();

    // Act
    let me = get(&graph, &token, "/me/drive").await;
    let write = send(
        client
            .put(graph.url("/me/drive/root:/a.txt:/content"))
            .bearer_auth(&token)
            .body("x"),
    )
    .await;

    // Assert
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["id"], "b!42");
    assert_eq!(me.body["owner"]["user"]["displayName"], "Ada");
    assert_eq!(
        write.status,
        StatusCode::FORBIDDEN,
        "Files.Read writes nothing"
    );
    let journal = graph.app.emulator.requests(&JournalFilter {
        path_prefix: Some("/v1.0/me/drive".into()),
        ..JournalFilter::default()
    });
    let users: Vec<_> = journal.iter().map(|e| e.user.as_deref()).collect();
    assert_eq!(users, [Some("42"), Some("42")]);
}
