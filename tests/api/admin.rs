//! The `/__admin` namespace.

use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_as_json() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let response = app
        .client
        .get(app.url("/__admin/health"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": "ok"})
    );
}
