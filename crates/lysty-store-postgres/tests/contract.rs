//! The store contract on PostgreSQL: runs when `LYSTY_TEST_POSTGRES` names a server
//! (CI always sets it). Each case gets a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use lysty_store::Store;
use lysty_store_postgres::{PgOptions, PgStore, create_database};

async fn fresh() -> Option<Arc<dyn Store>> {
    let admin = std::env::var("LYSTY_TEST_POSTGRES").ok()?;
    let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
    let url = create_database(&admin, &name)
        .await
        .expect("create database");
    Some(Arc::new(
        PgStore::open(&url, &PgOptions::default())
            .await
            .expect("open"),
    ))
}

lysty_store_contract::contract_tests!(fresh());
