//! The Microsoft identity platform's documents and grants as the SDKs use them: discovery, the
//! signing keys, client credentials, the device flow as a test steers it, managed identity in
//! both forms, and the CA certificate `--tls-self-signed` serves.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{send, spawn, TestApp};

/// The claims of a JWT, decoded without checking it (as apps that read tokens do).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> crate::support::Reply {
    send(app.client.post(app.url(path)).form(form)).await
}

#[tokio::test]
async fn the_openid_configuration_names_every_endpoint_on_the_emulators_origin() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.uri();

    // Act
    let reply = send(
        app.client
            .get(app.url("/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration")),
    )
    .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK);
    let base = format!("{root}/contoso.onmicrosoft.com");
    assert_eq!(
        reply.body,
        json!({
            "token_endpoint": format!("{base}/oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": format!("{base}/discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": format!("{root}/00000000-0000-4000-8000-00000000e1a0/v2.0"),
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": format!("{root}/oidc/userinfo"),
            "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
            "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
            "tenant_region_scope": null,
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        })
    );
}

#[tokio::test]
async fn a_client_credentials_token_is_a_jwt_for_an_app_signed_by_the_published_key() {
    // Arrange
    let app = spawn().start().await;
    let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    // Act
    let reply = post_form(
        &app,
        &format!("/{tenant}/oauth2/v2.0/token"),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "my-app"),
            ("client_secret", "s3cret"),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    let keys = send(
        app.client
            .get(app.url(&format!("/{tenant}/discovery/v2.0/keys"))),
    )
    .await;

    // Assert
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let token = reply.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        reply.body,
        json!({
            "token_type": "Bearer",
            "expires_in": 3600,
            "ext_expires_in": 3600,
            "access_token": token,
        })
    );
    let claims = claims(&token);
    let issued = 1_717_236_000; // support::NOW
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert_eq!(claims["iss"], format!("https://sts.windows.net/{tenant}/"));
    assert_eq!(claims["tid"], tenant);
    assert_eq!(claims["appid"], "my-app");
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(
        claims["roles"],
        json!(["Files.ReadWrite.All", "Sites.ReadWrite.All"])
    );
    assert_eq!(claims.get("scp"), None);
    assert_eq!(
        (claims["iat"].clone(), claims["exp"].clone()),
        (json!(issued), json!(issued + 3600))
    );
    assert_eq!(keys.status, StatusCode::OK);
    let key = &keys.body["keys"][0];
    assert_eq!(
        (&key["kty"], &key["alg"], &key["use"], &key["e"]),
        (
            &json!("RSA"),
            &json!("RS256"),
            &json!("sig"),
            &json!("AQAB")
        )
    );
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        header,
        json!({"typ": "JWT", "alg": "RS256", "kid": key["kid"]})
    );
}

#[tokio::test]
async fn the_device_flow_is_approved_at_once_unless_a_test_makes_it_wait_or_refuse() {
    // Arrange
    let app = spawn().start().await;
    let start = || async {
        let reply = post_form(
            &app,
            "/organizations/oauth2/v2.0/devicecode",
            &[
                ("client_id", "cli"),
                ("scope", "Files.ReadWrite offline_access"),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body
    };
    let poll = |code: String| {
        let app = &app;
        async move {
            post_form(
                app,
                "/organizations/oauth2/v2.0/token",
                &[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("client_id", "cli"),
                    ("device_code", &code),
                ],
            )
            .await
        }
    };
    let answer = |answer: &'static str| {
        let app = &app;
        async move {
            let reply = send(
                app.client
                    .put(app.url("/__admin/identity/device-flow"))
                    .json(&json!({"answer": answer})),
            )
            .await;
            assert_eq!(reply.body, json!({"answer": answer}));
        }
    };

    // Act
    let flow = start().await;
    answer("pending").await;
    let code = flow["device_code"].as_str().unwrap().to_owned();
    let pending = poll(code.clone()).await;
    answer("denied").await;
    let denied = poll(code.clone()).await;
    answer("approved").await;
    let approved = poll(code.clone()).await;
    let spent = poll(code).await;

    // Assert
    let user_code = flow["user_code"].as_str().unwrap();
    let root = app.emulator.uri();
    assert_eq!(
        flow,
        json!({
            "user_code": user_code,
            "device_code": flow["device_code"],
            "verification_uri": format!("{root}/devicelogin"),
            "expires_in": 900,
            "interval": 5,
            "message": format!("To sign in, use a web browser to open the page {root}/devicelogin and enter the code {user_code} to authenticate."),
        })
    );
    assert_eq!(
        (
            pending.status,
            &pending.body["error"],
            &pending.body["error_codes"]
        ),
        (
            StatusCode::BAD_REQUEST,
            &json!("authorization_pending"),
            &json!([70016])
        )
    );
    assert_eq!(
        (denied.status, &denied.body["error"]),
        (StatusCode::BAD_REQUEST, &json!("authorization_declined"))
    );
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    assert_eq!(
        claims(approved.body["access_token"].as_str().unwrap())["scp"],
        "Files.ReadWrite"
    );
    assert_eq!(approved.body["scope"], "Files.ReadWrite");
    assert!(
        approved.body["refresh_token"].is_string(),
        "{:?}",
        approved.body
    );
    assert_eq!(
        (spent.status, &spent.body["error_codes"]),
        (StatusCode::BAD_REQUEST, &json!([70000])),
        "a device code signs in once"
    );
}

#[tokio::test]
async fn managed_identity_answers_both_forms_with_expires_on_from_the_wall_clock() {
    // Arrange: the emulator's clock is frozen in 2024; the token must not look expired.
    let app = spawn().start().await;
    let wall = chrono::Utc::now().timestamp();
    let resource = "https%3A%2F%2Fgraph.microsoft.com";

    // Act
    let app_service = send(
        app.client
            .get(app.url(&format!(
                "/msi/token?api-version=2019-08-01&resource={resource}"
            )))
            .header("X-IDENTITY-HEADER", "restore-mock"),
    )
    .await;
    let imds = send(
        app.client
            .get(app.url(&format!(
                "/metadata/identity/oauth2/token?api-version=2018-02-01&resource={resource}&client_id=user-assigned"
            )))
            .header("Metadata", "true"),
    )
    .await;
    let no_header = send(app.client.get(app.url(&format!(
        "/msi/token?api-version=2019-08-01&resource={resource}"
    ))))
    .await;
    let no_metadata = send(app.client.get(app.url(&format!(
        "/metadata/identity/oauth2/token?resource={resource}"
    ))))
    .await;

    // Assert
    for (reply, client_id) in [
        (&app_service, "00000000-0000-4000-8000-0000000000a1"),
        (&imds, "user-assigned"),
    ] {
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let token = reply.body["access_token"].as_str().unwrap();
        let expires_on: i64 = reply.body["expires_on"].as_str().unwrap().parse().unwrap();
        assert!(
            (wall + 3590..wall + 3700).contains(&expires_on),
            "an hour from the wall clock: {expires_on} vs {wall}"
        );
        assert_eq!(
            reply.body,
            json!({
                "access_token": token,
                "expires_on": expires_on.to_string(),
                "expires_in": "3600",
                "resource": "https://graph.microsoft.com",
                "token_type": "Bearer",
                "client_id": client_id,
            })
        );
        assert_eq!(claims(token)["appid"], client_id);
    }
    assert_eq!(
        (no_header.status, no_header.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Required header X-IDENTITY-HEADER not specified"})
        )
    );
    assert_eq!(
        (no_metadata.status, no_metadata.body),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Required metadata header not specified"})
        )
    );
}

#[tokio::test]
async fn a_fault_rule_answers_the_token_endpoint_with_retry_after() {
    // Arrange
    let app = spawn().start().await;
    let rule = send(app.client.post(app.url("/__admin/faults")).json(&json!({
        "match": {"api": "graph", "path": "*/oauth2/v2.0/token"},
        "action": {"type": "error", "status": 429, "retry_after": 2},
        "times": 1,
    })))
    .await;
    assert_eq!(rule.status, StatusCode::CREATED, "{:?}", rule.body);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "my-app"),
        ("client_secret", "s3cret"),
        ("scope", "https://graph.microsoft.com/.default"),
    ];

    // Act
    let throttled = post_form(&app, "/common/oauth2/v2.0/token", &form).await;
    let next = post_form(&app, "/common/oauth2/v2.0/token", &form).await;

    // Assert
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.header("retry-after"), "2");
    assert_eq!(throttled.body["error"], "temporarily_unavailable");
    assert_eq!(next.status, StatusCode::OK);
}

#[tokio::test]
async fn the_local_ca_is_served_at_a_fixed_admin_url_and_signs_the_servers_certificate() {
    // Arrange
    let dir = std::env::temp_dir().join(format!("restore-mock-entra-ca-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = spawn().tls_self_signed(&dir).start().await;
    let ca = std::fs::read(dir.join("cert.pem")).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .build()
        .unwrap();
    let plain = spawn().start().await;

    // Act
    let served = send(client.get(app.url("/__admin/ca.pem"))).await;
    let without = send(plain.client.get(plain.url("/__admin/ca.pem"))).await;

    // Assert
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "application/x-pem-file");
    assert_eq!(served.bytes, ca);
    assert_eq!(without.status, StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_refresh_token_signs_in_again_as_the_linux_onedrive_client_sends_it() {
    // Arrange: a device sign-in's refresh token, then the client's exact refresh form (no scope,
    // no secret, tenant `common`).
    let app = spawn().start().await;
    let client_id = "d50ca740-c83f-4d1b-b616-12c519384f0c";
    let flow = post_form(
        &app,
        "/common/oauth2/v2.0/devicecode",
        &[
            ("client_id", client_id),
            ("scope", "Files.ReadWrite offline_access"),
        ],
    )
    .await;
    let first = post_form(
        &app,
        "/common/oauth2/v2.0/token",
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", client_id),
            ("device_code", flow.body["device_code"].as_str().unwrap()),
        ],
    )
    .await;
    let refresh = first.body["refresh_token"].as_str().unwrap().to_owned();

    // Act
    let again = post_form(
        &app,
        "/common/oauth2/v2.0/token",
        &[
            ("client_id", client_id),
            (
                "redirect_uri",
                "https://login.microsoftonline.com/common/oauth2/nativeclient",
            ),
            ("refresh_token", &refresh),
            ("grant_type", "refresh_token"),
        ],
    )
    .await;
    let discovery = send(app.client.get(app.url(
        "/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/authorize",
    )))
    .await;

    // Assert
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let token = again.body["access_token"].as_str().unwrap();
    let new_refresh = again.body["refresh_token"].as_str().unwrap();
    assert_ne!(new_refresh, refresh, "a new refresh token each time");
    assert_eq!(
        again.body,
        json!({
            "token_type": "Bearer",
            "scope": "Files.ReadWrite",
            "expires_in": 3600,
            "ext_expires_in": 3600,
            "access_token": token,
            "refresh_token": new_refresh,
            "id_token": again.body["id_token"],
            "client_info": again.body["client_info"],
        })
    );
    assert_eq!(
        claims(token)["oid"],
        claims(first.body["access_token"].as_str().unwrap())["oid"],
        "the same user"
    );
    let host = app.emulator.uri().replace("http://", "");
    assert_eq!(
        discovery.body,
        json!({
            "tenant_discovery_endpoint": format!("{}/common/v2.0/.well-known/openid-configuration", app.emulator.uri()),
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
            "authorization_endpoint": "https://login.microsoftonline.com/common/oauth2/authorize",
        })
    );
}
