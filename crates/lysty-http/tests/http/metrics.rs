//! `/metrics`: served only with a token, counting requests by route template, and never
//! carrying a letter's text, a tracking code, an address or an email (a canary letter is
//! sent and looked for). On both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp};
use lysty_http::HttpConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

const TOKEN: &str = "scrape-token-for-the-test-0123456789";

async fn with_token(backend: Backend) -> TestApp {
    let http = HttpConfig {
        secure_cookies: false,
        metrics_token: Some(TOKEN.into()),
        ..HttpConfig::default()
    };
    common::spawn(backend, lysty_app::AppConfig::default(), http)
        .await
        .expect("backend configured")
}

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.send().await.unwrap()
}

async fn metrics_need_their_token_and_name_routes_not_paths(backend: Backend) {
    let app = with_token(backend).await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        scrape(&app, Some("scrape-token-for-the-test-0123456788"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // A canary letter: its text, its writer's email and its code must appear nowhere.
    let canary = format!("canary-{}", uuid::Uuid::now_v7().simple());
    let email = format!("{canary}@example.org");
    let sent = app
        .post_json(
            "/api/v1/letters",
            &json!({
                "prisoner": "remzi-bekirov",
                "body": format!("Здравствуй! {canary} У нас весна."),
                "writer_email": email,
                "email_consent": true,
                "writer_city": "Кременчук",
            }),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let created: Value = sent.json().await.unwrap();
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/letters/{code}")).await.status(),
        StatusCode::OK
    );
    app.get("/prisoners/remzi-bekirov").await;

    let response = scrape(&app, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    for wanted in [
        "lysty_http_requests_total{",
        r#"route="/api/v1/letters""#,
        r#"route="/letters/{code}""#,
        r#"route="/prisoners/{slug}""#,
        r#"status="201""#,
        "lysty_http_request_duration_seconds_bucket{",
        "lysty_letters_acknowledged_total",
        "lysty_intake_group_size",
        "lysty_intake_commit_seconds",
        r#"lysty_queue_letters{queue="review"}"#,
        "lysty_outbox_due",
    ] {
        assert!(text.contains(wanted), "{wanted} missing from:\n{text}");
    }
    for secret in [
        canary.as_str(),
        email.as_str(),
        code.as_str(),
        &code.replace('-', ""),
        "Кременчук",
        "remzi-bekirov",
        TOKEN,
    ] {
        assert!(!text.contains(secret), "/metrics shows {secret}");
    }
}

async fn metrics_are_not_served_without_a_token(backend: Backend) {
    let app = common::spawn_default(backend).await.unwrap();
    assert_eq!(
        scrape(&app, Some("anything")).await.status(),
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(
    metrics_need_their_token_and_name_routes_not_paths,
    metrics_are_not_served_without_a_token
);
