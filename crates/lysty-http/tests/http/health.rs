//! `/healthz` answers while the process runs; `/readyz` only while the instance can work:
//! the database answers with the schema this build knows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, spawn_default};
use reqwest::StatusCode;
use serde_json::Value;

async fn a_fresh_instance_is_live_and_ready(backend: Backend) {
    let app = spawn_default(backend).await.expect("backend configured");
    let live = app.get("/healthz").await;
    assert_eq!(live.status(), StatusCode::OK);
    let live: Value = live.json().await.unwrap();
    assert_eq!(live["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database_answers"], true);
    assert_eq!(ready["schema_applied"], ready["schema_known"]);
    assert!(ready["schema_known"].as_i64().unwrap() >= 10);
    assert!(
        ready["overdue_emails"].is_null(),
        "no SMTP server configured"
    );
}

on_both_databases!(a_fresh_instance_is_live_and_ready);

/// Another instance of a newer version migrated the database under this one: it stays
/// live (a restart would not help) but stops taking traffic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_behind_the_schema_is_live_but_not_ready() {
    use sqlx::Connection;
    let app = spawn_default(Backend::Sqlite).await.unwrap();
    let path = app.sqlite_path.clone().unwrap();
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (999999, 'from a newer version', TRUE, x'00', 0)",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "unavailable");
    assert_eq!(ready["schema_applied"], 999999);
}
