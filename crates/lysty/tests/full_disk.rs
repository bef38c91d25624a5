//! A database that cannot grow — the disk full — answers 503 with a clear message, stores
//! nothing half-written, keeps serving reads, and after the operator frees space every
//! acknowledged letter is there, no refused one is, and the counters agree with the letters.
//!
//! The disk is made "full" for the server alone: it runs under `ulimit -f` (a file-size
//! limit a little above the database's size) with SIGXFSZ ignored, so a write past the
//! limit fails the way a full disk does, without a privileged tmpfs.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use sqlx::Connection;

/// Bounded: at most this many letters are sent.
const MAX_LETTERS: usize = 3_000;

fn limited_server(url: &str, limit_kib: u64) -> (std::process::Child, String) {
    let lysty = support::lysty();
    let mut command = Command::new("bash");
    for (key, value) in lysty.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command
        .args([
            "-c",
            // bash counts `ulimit -f` in KiB; an ignored SIGXFSZ turns the limit into EFBIG.
            // Only the soft limit, which `prlimit` raises again when the "disk" is freed.
            &format!("trap '' XFSZ; ulimit -S -f {limit_kib}; exec \"$0\" \"$@\""),
            lysty.get_program().to_str().unwrap(),
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database",
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let (child, _lines, _seen, addr) = support::spawn_reading_lines(&mut command);
    (child, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lysty.db");
    let url = format!("sqlite://{}", path.display());
    // The demo campaign, then the server stopped; the limit leaves room for the database and
    // its write-ahead log as they are, plus 1 MiB.
    let (mut server, _) = support::serve(&url);
    server.kill().unwrap();
    server.wait().unwrap();
    let size = |name: &str| std::fs::metadata(dir.path().join(name)).map_or(0, |m| m.len());
    let size_kib = (size("lysty.db") + size("lysty.db-wal")) / 1024;

    let (mut server, addr) = limited_server(&url, size_kib + 1024);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut acknowledged = BTreeMap::new();
    let mut refused = Vec::new();
    let mut message = None;
    for n in 0..MAX_LETTERS {
        let key = format!("0190a0b0-0000-7000-8000-{n:012}");
        let body = format!(
            "Лист номер {n}: ми пам'ятаємо про вас і чекаємо вдома. {}",
            "Тримайтеся! ".repeat(20).trim_end()
        );
        let response = client
            .post(format!("http://{addr}/api/v1/letters"))
            .json(&serde_json::json!({
                "prisoner": "remzi-bekirov",
                "body": body,
                "idempotency_key": key,
            }))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: serde_json::Value = response.json().await.unwrap();
        if status.is_success() {
            acknowledged.insert(
                answer["tracking_code"].as_str().unwrap().replace('-', ""),
                body,
            );
        } else {
            assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{answer}");
            message.get_or_insert(answer);
            refused.push(key);
            if refused.len() == 20 {
                break;
            }
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "letters were taken before the disk filled"
    );
    assert_eq!(
        refused.len(),
        20,
        "the disk filled within {MAX_LETTERS} letters"
    );
    let message = message.unwrap();
    assert_eq!(message["error"]["code"], "unavailable", "{message}");

    // The public form keeps what the writer typed and says to try again.
    let page = client
        .post(format!("http://{addr}/prisoners/remzi-bekirov/letters"))
        .form(&[
            ("body", "Лист, що не вміщається: ми з вами."),
            ("idempotency_key", "0190a0b0-0000-7000-8000-ffffffffffff"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    let html = page.text().await.unwrap();
    assert!(html.contains("Лист, що не вміщається"), "the text is kept");
    // Reads go on.
    let home = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(home.status(), reqwest::StatusCode::OK);

    // Space freed while the server runs: it takes letters again without a restart.
    let freed = Command::new("prlimit")
        .args(["--pid", &server.id().to_string(), "--fsize=unlimited"])
        .status()
        .unwrap();
    assert!(freed.success());
    let body = "Лист після того, як місце звільнили.".to_owned();
    let response = client
        .post(format!("http://{addr}/api/v1/letters"))
        .json(&serde_json::json!({"prisoner": "remzi-bekirov", "body": body}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let answer: serde_json::Value = response.json().await.unwrap();
    acknowledged.insert(
        answer["tracking_code"].as_str().unwrap().replace('-', ""),
        body,
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let stored: BTreeMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT tracking_code, body FROM letters")
            .fetch_all(&mut db)
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(
        stored, acknowledged,
        "exactly the acknowledged letters, text intact"
    );
    db.close().await.unwrap();
    let rebuilt = support::lysty()
        .args(["stats", "rebuild", "--database", &url])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&rebuilt.stdout);
    assert!(out.contains("0 differed"), "{out}");
}
