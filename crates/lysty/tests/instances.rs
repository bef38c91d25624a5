//! Several instances starting together against one PostgreSQL database: the migrations run
//! once, under sqlx's advisory lock, and every instance starts on the finished schema.
//! Runs when `LYSTY_TEST_POSTGRES` names a server (CI always sets it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use sqlx::Connection;

const INSTANCES: usize = 6;

#[tokio::test]
async fn instances_that_start_together_apply_each_migration_once() {
    let Some(url) = support::postgres_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    // Started at once on an empty database; each applies what is pending when it gets the lock.
    let children: Vec<_> = (0..INSTANCES)
        .map(|_| {
            support::lysty()
                .args(["migrate", "--database", &url])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    let (rows, versions, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT version), COUNT(*) FILTER (WHERE NOT success) \
         FROM _sqlx_migrations",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    let known = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../lysty-store-postgres/migrations"
    ))
    .unwrap()
    .count() as i64;
    assert_eq!(versions, known, "every migration applied");
    assert_eq!(rows, known, "none applied twice");
    assert_eq!(failed, 0);
    // The schema is whole: one table from the first migration, one from the last.
    for table in ["letters", "replaced_kiosk_links"] {
        let (exists,): (bool,) = sqlx::query_as("SELECT to_regclass($1) IS NOT NULL")
            .bind(table)
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert!(exists, "{table}");
    }
    db.close().await.unwrap();
}
