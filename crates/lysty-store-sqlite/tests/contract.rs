//! The store contract on SQLite: always runs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use lysty_store::Store;
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
