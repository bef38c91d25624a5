//! `lysty backup` while letters pour in, then `lysty restore` into a new database: the
//! copy is private, intact and consistent, holds every letter acknowledged before it began
//! with identical text, and its counters agree with its letters.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::Connection;
use tokio::sync::Mutex;

const WRITERS: usize = 4;
/// Bounded load: at most this many letters, for at most this long.
const MAX_LETTERS: usize = 2_000;
const LOAD_FOR: Duration = Duration::from_secs(3);

/// Every letter's tracking code and text.
async fn letters(path: &Path) -> BTreeMap<String, String> {
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT tracking_code, body FROM letters ORDER BY tracking_code")
            .fetch_all(&mut db)
            .await
            .unwrap();
    db.close().await.unwrap();
    rows.into_iter().collect()
}

fn run(args: &[&str]) -> std::process::Output {
    support::lysty().args(args).output().expect("run lysty")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_letter() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("lysty.db");
    let url = format!("sqlite://{}", live.display());
    let (mut server, addr) = support::serve(&url);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(BTreeMap::<String, String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (client, acknowledged, stop, sent) = (
            client.clone(),
            acknowledged.clone(),
            stop.clone(),
            sent.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed)
                && sent.fetch_add(1, Ordering::Relaxed) < MAX_LETTERS
            {
                n += 1;
                let body = format!("Лист {n} від автора {writer}: тримайтеся!");
                let response = client
                    .post(format!("http://{addr}/api/v1/letters"))
                    .json(&serde_json::json!({
                        "prisoner": "remzi-bekirov",
                        "body": body,
                        "idempotency_key": format!("backup-{writer}-{n}"),
                    }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), reqwest::StatusCode::CREATED);
                let receipt: serde_json::Value = response.json().await.unwrap();
                let code = receipt["tracking_code"].as_str().unwrap().replace('-', "");
                acknowledged.lock().await.insert(code, body);
            }
        }));
    }
    // Let the load build up, then back up in the middle of it.
    tokio::time::sleep(LOAD_FOR / 3).await;
    let before_backup = acknowledged.lock().await.clone();
    let backup = dir.path().join("backups").join("monday.db");
    std::fs::create_dir(backup.parent().unwrap()).unwrap();
    let backup_arg = backup.to_str().unwrap().to_owned();
    let url_arg = url.clone();
    let output =
        tokio::task::spawn_blocking(move || run(&["backup", &backup_arg, "--database", &url_arg]))
            .await
            .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    tokio::time::sleep(LOAD_FOR / 3).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let after_load = acknowledged.lock().await.clone();
    assert!(
        before_backup.len() >= 20 && after_load.len() > before_backup.len(),
        "the load did not run across the backup: {} then {} letters",
        before_backup.len(),
        after_load.len()
    );

    // Readable by its owner only; nothing left beside it; never written over.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "backup mode {mode:o}");
    }
    let beside: Vec<_> = std::fs::read_dir(backup.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("monday.db")]);
    let again = run(&["backup", backup.to_str().unwrap(), "--database", &url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Restored into a new database: every letter acknowledged before the backup began,
    // with its text; nothing that the live database does not hold.
    let restored = dir.path().join("restored.db");
    let restored_url = format!("sqlite://{}", restored.display());
    let output = run(&[
        "restore",
        backup.to_str().unwrap(),
        "--database",
        &restored_url,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let in_backup = letters(&restored).await;
    for (code, body) in &before_backup {
        assert_eq!(in_backup.get(code), Some(body), "letter {code}");
    }
    server.kill().ok();
    server.wait().ok();
    let in_live = letters(&live).await;
    for (code, body) in &in_backup {
        assert_eq!(in_live.get(code), Some(body), "letter {code} differs");
    }
    assert!(in_backup.len() < in_live.len());

    // The snapshot is consistent: its counters are what a recount of its letters finds.
    let recount = run(&["stats", "rebuild", "--database", &restored_url]);
    assert!(recount.status.success());
    let said = String::from_utf8_lossy(&recount.stdout);
    assert!(said.trim_end().ends_with("; 0 differed"), "{said}");

    // A restore never writes over a database.
    let over = run(&["restore", backup.to_str().unwrap(), "--database", &url]);
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("exists"));
    assert_eq!(letters(&live).await, in_live);
}

#[test]
fn a_file_that_is_not_a_backup_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let target = format!("sqlite://{}", dir.path().join("new.db").display());
    let output = run(&["restore", junk.to_str().unwrap(), "--database", &target]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not a Lysty backup"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!dir.path().join("new.db").exists());
}

#[test]
fn on_postgres_the_commands_point_to_pg_dump() {
    let output = run(&[
        "backup",
        "/tmp/never-written.db",
        "--database",
        "postgres://nobody@127.0.0.1:1/none",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
}
