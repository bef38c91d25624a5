//! Kills the server with SIGKILL while letters pour in, restarts it, and finds every
//! letter that was acknowledged — by the form (303) or by the API (201) — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;

const WRITERS: usize = 8;
/// Bounded load: at most this many letters, for at most this long.
const MAX_LETTERS: usize = 3_000;
const LOAD_FOR: Duration = Duration::from_millis(1_500);

async fn acknowledged_letters_survive_kill_9(database: String) {
    let (mut server, addr) = support::serve(&database);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
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
                let key = format!("crash-{writer}-{n}");
                let code = if writer % 2 == 0 {
                    let response = client
                        .post(format!("http://{addr}/api/v1/letters"))
                        .json(&serde_json::json!({
                            "prisoner": "remzi-bekirov",
                            "body": format!("Лист {n} від автора {writer}"),
                            "writer_city": "Київ",
                            "idempotency_key": key,
                        }))
                        .send()
                        .await;
                    match response {
                        Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                            let body: serde_json::Value = match r.json().await {
                                Ok(b) => b,
                                Err(_) => break,
                            };
                            body["tracking_code"].as_str().map(str::to_owned)
                        }
                        _ => break,
                    }
                } else {
                    let response = client
                        .post(format!("http://{addr}/prisoners/bohdan-ziza/letters"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(format!("body=Letter+{n}&idempotency_key={key}"))
                        .send()
                        .await;
                    match response {
                        Ok(r) if r.status() == reqwest::StatusCode::SEE_OTHER => r
                            .headers()
                            .get("location")
                            .and_then(|l| l.to_str().ok())
                            .and_then(|l| l.strip_prefix("/letters/"))
                            .and_then(|l| l.strip_suffix("?new=1"))
                            .map(str::to_owned),
                        _ => break,
                    }
                };
                match code {
                    Some(code) => acknowledged.lock().await.push(code),
                    None => break,
                }
            }
        }));
    }
    tokio::time::sleep(LOAD_FOR).await;
    // SIGKILL while requests are in flight: no graceful shutdown, no flush.
    server.kill().expect("kill -9");
    server.wait().expect("reap");
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().await.clone();
    assert!(
        acknowledged.len() >= 50,
        "the load produced only {} letters",
        acknowledged.len()
    );

    let (mut server, addr) = support::serve(&database);
    let mut missing = Vec::new();
    for code in &acknowledged {
        let response = client
            .get(format!("http://{addr}/api/v1/letters/track/{code}"))
            .send()
            .await
            .unwrap();
        if response.status() != reqwest::StatusCode::OK {
            missing.push(code.clone());
        }
    }
    let stats: serde_json::Value = client
        .get(format!("http://{addr}/api/v1/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().ok();
    server.wait().ok();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged letters are missing after kill -9",
        missing.len(),
        acknowledged.len()
    );
    let total = stats["total"].as_i64().unwrap();
    assert!(
        total >= acknowledged.len() as i64,
        "counters ({total}) lag the acknowledged letters ({})",
        acknowledged.len()
    );
    eprintln!(
        "{} acknowledged letters survived kill -9",
        acknowledged.len()
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
    acknowledged_letters_survive_kill_9(url).await;
}
