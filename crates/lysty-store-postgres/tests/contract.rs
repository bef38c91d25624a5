//! The store contract on PostgreSQL: runs when `LYSTY_TEST_POSTGRES` names a server
//! (CI always sets it). Each case gets a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use lysty_store::prelude::*;
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

#[tokio::test]
async fn the_database_refuses_to_change_the_audit_log() {
    use sqlx::Connection;
    let Some(admin) = std::env::var("LYSTY_TEST_POSTGRES").ok() else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
    let url = create_database(&admin, &name)
        .await
        .expect("create database");
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
