//! The store contract on PostgreSQL: runs when `LYSTY_TEST_POSTGRES` names a server
//! (CI always sets it). Each case gets a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use lysty_store::prelude::*;
use lysty_store_postgres::{PgOptions, PgStore, create_database};

/// A new database of its own on the server `LYSTY_TEST_POSTGRES` names, if it names one.
async fn fresh_url() -> Option<String> {
    let admin = std::env::var("LYSTY_TEST_POSTGRES").ok()?;
    let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
    Some(
        create_database(&admin, &name)
            .await
            .expect("create database"),
    )
}

async fn fresh() -> Option<Arc<dyn Store>> {
    let url = fresh_url().await?;
    Some(Arc::new(
        PgStore::open(&url, &PgOptions::default())
            .await
            .expect("open"),
    ))
}

lysty_store_contract::contract_tests!(fresh());

#[tokio::test]
async fn the_database_refuses_to_change_the_audit_log() {
    use sqlx::Connection;
    let Some(url) = fresh_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let store = PgStore::open(&url, &PgOptions::default())
        .await
        .expect("open");
    store
        .append_audit(&lysty_store::NewAudit {
            at: chrono::Utc::now(),
            actor: None,
            actor_org: None,
            action: "sign_in".into(),
            object_type: None,
            object_id: None,
            detail: String::new(),
        })
        .await
        .expect("append");
    let mut raw = sqlx::PgConnection::connect(&url).await.expect("connect");
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&mut raw)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE audit_log SET action = 'x'")
            .execute(&mut raw)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_server_that_would_acknowledge_before_durable_is_refused() {
    let Some(url) = fresh_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    // What a server configured with synchronous_commit = off reports to its sessions.
    let unsafe_url = format!("{url}?options=-c%20synchronous_commit%3Doff");
    let error = PgStore::open(&unsafe_url, &PgOptions::default())
        .await
        .expect_err("must refuse");
    assert!(
        matches!(error, lysty_store_postgres::OpenError::Unsafe(ref why) if why.contains("synchronous_commit is off")),
        "{error}"
    );
    // An operator who knows what they do may override it; the default server passes.
    let overridden = PgOptions {
        allow_unsafe: true,
        ..PgOptions::default()
    };
    PgStore::open(&unsafe_url, &overridden)
        .await
        .expect("overridden")
        .close()
        .await;
    PgStore::open(&url, &PgOptions::default())
        .await
        .expect("safe")
        .close()
        .await;
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_lysty_is_refused() {
    use sqlx::Connection;
    let Some(url) = fresh_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    PgStore::open(&url, &PgOptions::default())
        .await
        .expect("open")
        .close()
        .await;
    let mut db = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (999999, 'from the future', TRUE, '\\x00', 0)",
    )
    .execute(&mut db)
    .await
    .expect("insert");
    db.close().await.expect("close");
    let error = PgStore::open(&url, &PgOptions::default())
        .await
        .expect_err("a newer schema must be refused");
    assert!(
        matches!(error, lysty_store_postgres::OpenError::NewerSchema(999999)),
        "{error}"
    );
}

#[tokio::test]
async fn the_copy_knows_every_table_and_column_of_the_schema() {
    let Some(url) = fresh_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let store = PgStore::open(&url, &PgOptions::default())
        .await
        .expect("open");
    // Each column is listed with a kind its declared type can hold, and none is missing.
    lysty_store::copy::check_schema(&store, "test")
        .await
        .unwrap();
    store.close().await;
}
