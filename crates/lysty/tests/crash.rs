//! The crash loop: letters pour in through the form and the API, each with an idempotency
//! key, while the server is killed with SIGKILL at a random moment; then, with the server
//! down, the counters are recounted (`lysty stats rebuild` must find nothing to correct),
//! SQLite's `integrity_check` passes, every acknowledged letter is stored with its exact
//! text, and after a restart the letters whose answer was lost in the crash are sent again
//! with their keys — each stored once, never twice. Repeated `LYSTY_CRASH_ROUNDS` times per
//! backend (3 by default, as CI runs it; 20 for the figures in docs/RELIABILITY.md).
//!
//! With `LYSTY_TEST_PG_CLUSTER` naming the local PostgreSQL cluster (`17/main`, as CI sets
//! it), one more round stops PostgreSQL itself with `-m immediate` under load and starts it
//! again while Lysty keeps running.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use rand::Rng;
use tokio::sync::Mutex;

const WRITERS: usize = 8;
/// The PostgreSQL tests here take turns: one of them stops the server the other uses.
static POSTGRES: Mutex<()> = Mutex::const_new(());
/// Bounded load: at most this many letters per round.
const MAX_LETTERS: usize = 3_000;

fn rounds() -> usize {
    std::env::var("LYSTY_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
}

/// What the writers learnt: letters acknowledged (tracking code → text), and letters whose
/// answer never came (idempotency key → (form or API, text)).
#[derive(Default)]
struct Ledger {
    acknowledged: BTreeMap<String, String>,
    unanswered: BTreeMap<String, (bool, String)>,
    /// Letters sent again after a crash, and how many of those the crash had already stored.
    resent: usize,
    resent_stored: usize,
}

/// Sends one letter; `Some(code)` when acknowledged, `None` when no answer came.
async fn send(
    client: &reqwest::Client,
    addr: &str,
    api: bool,
    key: &str,
    body: &str,
) -> Option<String> {
    if api {
        let response = client
            .post(format!("http://{addr}/api/v1/letters"))
            .json(&serde_json::json!({
                "prisoner": "remzi-bekirov",
                "body": body,
                "writer_city": "Київ",
                "idempotency_key": key,
            }))
            .send()
            .await
            .ok()?;
        if response.status() != reqwest::StatusCode::CREATED {
            return None;
        }
        let answer: serde_json::Value = response.json().await.ok()?;
        answer["tracking_code"].as_str().map(|c| c.replace('-', ""))
    } else {
        let response = client
            .post(format!("http://{addr}/prisoners/bohdan-ziza/letters"))
            .form(&[("body", body), ("idempotency_key", key)])
            .send()
            .await
            .ok()?;
        if response.status() != reqwest::StatusCode::SEE_OTHER {
            return None;
        }
        response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.strip_prefix("/letters/"))
            .and_then(|l| l.split('?').next())
            .map(|c| c.replace('-', ""))
    }
}

/// Writers posting until `stop`; every answer goes into the ledger.
fn start_writers(
    client: &reqwest::Client,
    addr: &str,
    round: usize,
    ledger: &Arc<Mutex<Ledger>>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let sent = Arc::new(AtomicUsize::new(0));
    (0..WRITERS)
        .map(|writer| {
            let (client, addr, ledger, stop, sent) = (
                client.clone(),
                addr.to_owned(),
                ledger.clone(),
                stop.clone(),
                sent.clone(),
            );
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed)
                    && sent.fetch_add(1, Ordering::Relaxed) < MAX_LETTERS
                {
                    n += 1;
                    let key = uuid::Uuid::now_v7().to_string();
                    let api = writer % 2 == 0;
                    let body = format!("Лист {n} від автора {writer}, коло {round}: тримайтеся!");
                    match send(&client, &addr, api, &key, &body).await {
                        Some(code) => {
                            ledger.lock().await.acknowledged.insert(code, body);
                        }
                        None => {
                            // No answer: the letter may or may not be stored. Sent again
                            // with its key after the restart.
                            ledger.lock().await.unanswered.insert(key, (api, body));
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                    }
                }
            })
        })
        .collect()
}

/// Every stored letter: tracking code → text, and how many letters carry each key.
async fn stored(database: &str) -> (BTreeMap<String, String>, BTreeMap<String, i64>) {
    use sqlx::Connection;
    const LETTERS: &str = "SELECT tracking_code, body FROM letters";
    const KEYS: &str = "SELECT idempotency_key, COUNT(*) FROM letters \
                        WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key";
    if database.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(database).await.unwrap();
        let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(check, "ok", "integrity_check after the crash");
        let letters = sqlx::query_as::<_, (String, String)>(LETTERS)
            .fetch_all(&mut db)
            .await
            .unwrap();
        let keys = sqlx::query_as::<_, (String, i64)>(KEYS)
            .fetch_all(&mut db)
            .await
            .unwrap();
        db.close().await.unwrap();
        (letters.into_iter().collect(), keys.into_iter().collect())
    } else {
        let mut db = sqlx::PgConnection::connect(database).await.unwrap();
        let letters = sqlx::query_as::<_, (String, String)>(LETTERS)
            .fetch_all(&mut db)
            .await
            .unwrap();
        let keys = sqlx::query_as::<_, (String, i64)>(KEYS)
            .fetch_all(&mut db)
            .await
            .unwrap();
        db.close().await.unwrap();
        (letters.into_iter().collect(), keys.into_iter().collect())
    }
}

/// The counters recounted from the letters with the server down: nothing to correct.
fn counters_are_exact(database: &str) {
    let output = support::lysty()
        .args(["stats", "rebuild", "--database", database])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && out.contains(" 0 differed"),
        "counters after the crash: {out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Checks the ledger against the database, then resends the unanswered letters on a
/// running server and checks each is stored once.
async fn check_round(database: &str, ledger: &Arc<Mutex<Ledger>>, round: usize) {
    counters_are_exact(database);
    let (letters, _) = stored(database).await;
    let mut ledger = ledger.lock().await;
    for (code, body) in &ledger.acknowledged {
        assert_eq!(
            letters.get(code),
            Some(body),
            "round {round}: acknowledged letter {code} is missing or changed"
        );
    }

    let (mut server, addr) = support::serve(database);
    let addr = addr.to_string();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let unanswered = std::mem::take(&mut ledger.unanswered);
    let (_, keys_before) = stored(database).await;
    ledger.resent += unanswered.len();
    ledger.resent_stored += unanswered
        .keys()
        .filter(|key| keys_before.contains_key(*key))
        .count();
    for (key, (api, body)) in &unanswered {
        let code = send(&client, &addr, *api, key, body)
            .await
            .unwrap_or_else(|| panic!("round {round}: a resent letter was refused"));
        ledger.acknowledged.insert(code, body.clone());
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let (letters, keys) = stored(database).await;
    for (key, count) in &keys {
        assert_eq!(*count, 1, "round {round}: key {key} stored {count} times");
    }
    for (code, body) in &ledger.acknowledged {
        assert_eq!(letters.get(code), Some(body), "round {round}: {code}");
    }
    assert_eq!(
        letters.len(),
        ledger.acknowledged.len(),
        "round {round}: every stored letter was acknowledged once"
    );
    counters_are_exact(database);
}

async fn acknowledged_letters_survive_kill_9(database: String) {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for round in 0..rounds() {
        let (mut server, addr) = support::serve(&database);
        let addr = addr.to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let before = ledger.lock().await.acknowledged.len();
        let writers = start_writers(&client, &addr, round, &ledger, &stop);
        // SIGKILL at a random moment while requests are in flight: no graceful shutdown.
        let after = rand::rng().random_range(300..1_500);
        tokio::time::sleep(Duration::from_millis(after)).await;
        server.kill().expect("kill -9");
        server.wait().expect("reap");
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await.unwrap();
        }
        let made = ledger.lock().await.acknowledged.len() - before;
        assert!(
            made >= 20,
            "round {round}: the load produced only {made} letters"
        );
        check_round(&database, &ledger, round).await;
    }
    let ledger = ledger.lock().await;
    eprintln!(
        "{} rounds on {}: {} acknowledged letters survived kill -9; {} unanswered letters sent again, {} of which the crash had stored (each kept once)",
        rounds(),
        database.split(':').next().unwrap_or(""),
        ledger.acknowledged.len(),
        ledger.resent,
        ledger.resent_stored
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_letters_survive_kill_9_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    acknowledged_letters_survive_kill_9(support::sqlite_url(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_letters_survive_kill_9_on_postgres() {
    let Some(url) = support::postgres_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let _turn = POSTGRES.lock().await;
    acknowledged_letters_survive_kill_9(url).await;
}

fn pg_cluster(cluster: &str, action: &[&str]) {
    let (version, name) = cluster.split_once('/').unwrap();
    let status = std::process::Command::new("pg_ctlcluster")
        .arg("--skip-systemctl-redirect")
        .args([version, name])
        .args(action)
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctlcluster {action:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_letters_survive_postgres_stopping_immediately() {
    let (Some(url), Ok(cluster)) = (
        support::postgres_url().await,
        std::env::var("LYSTY_TEST_PG_CLUSTER"),
    ) else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES and LYSTY_TEST_PG_CLUSTER are not both set");
        return;
    };
    let _turn = POSTGRES.lock().await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (mut server, addr) = support::serve(&url);
    let addr = addr.to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let writers = start_writers(&client, &addr, 0, &ledger, &stop);
    tokio::time::sleep(Duration::from_millis(800)).await;
    // The database dies under load, as in a power cut of its machine, and comes back.
    pg_cluster(&cluster, &["stop", "-m", "immediate"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    pg_cluster(&cluster, &["start"]);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    // Lysty, still running, takes letters again once its database is back.
    let after = send(
        &client,
        &addr,
        true,
        &uuid::Uuid::now_v7().to_string(),
        "Після",
    )
    .await;
    server.kill().unwrap();
    server.wait().unwrap();
    let code = after.expect("a letter is accepted once PostgreSQL is back");
    ledger
        .lock()
        .await
        .acknowledged
        .insert(code, "Після".into());
    check_round(&url, &ledger, 0).await;
}
