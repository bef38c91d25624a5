//! What the application's test files share: a fresh store on each backend.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::Arc;

use lysty_store::Store;
use lysty_store_postgres::{PgOptions, PgStore, create_database};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

/// A fresh store on SQLite, then on PostgreSQL when `LYSTY_TEST_POSTGRES` names a server.
pub async fn stores() -> Vec<Arc<dyn Store>> {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}", dir.join("lysty.db").display());
    let sqlite = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .unwrap();
    let mut stores: Vec<Arc<dyn Store>> = vec![Arc::new(sqlite)];
    if let Ok(admin) = std::env::var("LYSTY_TEST_POSTGRES") {
        let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
        let url = create_database(&admin, &name).await.unwrap();
        stores.push(Arc::new(
            PgStore::open(&url, &PgOptions::default()).await.unwrap(),
        ));
    }
    stores
}
