//! The store contract on SQLite: always runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use lysty_store::prelude::*;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

async fn fresh() -> Option<Arc<dyn Store>> {
    // The directory lives as long as the test process; each case has its own file.
    let dir = tempfile::tempdir().expect("tempdir").keep();
    let url = format!("sqlite://{}", dir.join("contract.db").display());
    let options = SqliteOptions {
        create: true,
        ..SqliteOptions::default()
    };
    Some(Arc::new(
        SqliteStore::open(&url, &options).await.expect("open"),
    ))
}

lysty_store_contract::contract_tests!(fresh());

#[tokio::test]
async fn a_missing_database_file_is_not_created_silently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("typo.db").display());
    let error = SqliteStore::open(&url, &SqliteOptions::default())
        .await
        .expect_err("must refuse");
    assert!(error.to_string().contains("does not exist"), "{error}");
    assert!(!dir.path().join("typo.db").exists());
}

#[tokio::test]
async fn the_database_refuses_to_change_the_audit_log() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("audit.db");
    let url = format!("sqlite://{}", path.display());
    let options = SqliteOptions {
        create: true,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(&url, &options).await.expect("open");
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
    let mut raw = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("connect");
    let delete = sqlx::query("DELETE FROM audit_log").execute(&mut raw).await;
    assert!(delete.is_err(), "a delete is refused");
    let update = sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(&mut raw)
        .await;
    assert!(update.is_err(), "an update is refused");
}

#[tokio::test]
async fn the_database_runs_with_the_safe_settings_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("safe.db").display());
    let store = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .expect("open");
    let observed = store.durability().await.expect("read back");
    assert_eq!(
        observed,
        lysty_store_sqlite::durability::Observed {
            journal_mode: "wal".into(),
            synchronous: 2,
            foreign_keys: true,
            secure_delete: true,
            trusted_schema: false,
        }
    );
    store.close().await;
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_lysty_is_refused() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("newer.db").display());
    let options = SqliteOptions {
        create: true,
        ..SqliteOptions::default()
    };
    SqliteStore::open(&url, &options)
        .await
        .expect("open")
        .close()
        .await;
    // What a later version's migration leaves behind.
    let mut db = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("connect");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (999999, 'from the future', TRUE, x'00', 0)",
    )
    .execute(&mut db)
    .await
    .expect("insert");
    db.close().await.expect("close");
    let error = SqliteStore::open(&url, &options)
        .await
        .expect_err("a newer schema must be refused");
    assert!(
        matches!(error, lysty_store_sqlite::OpenError::NewerSchema(999999)),
        "{error}"
    );
    assert!(error.to_string().contains("newer Lysty"));
}

#[tokio::test]
async fn the_copy_knows_every_table_and_column_of_the_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("schema.db").display());
    let options = SqliteOptions {
        create: true,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open(&url, &options).await.expect("open");
    // Each column is listed with a kind its declared type can hold, and none is missing.
    lysty_store::copy::check_schema(&store, "test")
        .await
        .unwrap();
    // A table the list does not know is named, not silently left behind.
    store.close().await;
    {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE notes (id BLOB PRIMARY KEY, body TEXT)")
            .execute(&mut db)
            .await
            .unwrap();
        db.close().await.unwrap();
    }
    let store = SqliteStore::open(&url, &SqliteOptions::default())
        .await
        .expect("open");
    let refusal = lysty_store::copy::check_schema(&store, "source")
        .await
        .expect_err("an unknown table is refused");
    assert!(refusal.to_string().contains("notes.id"), "{refusal}");
    store.close().await;
}
