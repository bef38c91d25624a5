//! `--log-format json`: one JSON object per line, each answered request with its route
//! template (never its path), its status and the id the response carried in x-request-id.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

#[tokio::test]
async fn json_logs_name_each_request_by_the_id_its_answer_carries() {
    let dir = tempfile::tempdir().unwrap();
    let database = support::sqlite_url(dir.path());
    let (mut child, rx, mut seen, addr) = support::spawn_reading_lines(
        support::lysty()
            .env("RUST_LOG", "info")
            .args([
                "serve",
                "--demo",
                "--addr",
                "127.0.0.1:0",
                "--database",
                &database,
                "--log-format",
                "json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{addr}/letters/ABCD-EFGH-JKMN-PQRS"))
        .header("x-request-id", "client-chosen")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(id, "client-chosen", "the id is ours, not the client's");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let again = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_ne!(again.headers()["x-request-id"].to_str().unwrap(), id);

    let mut found = None;
    while found.is_none() && Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(10)) else {
            break;
        };
        let entry: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        if entry["span"]["request_id"] == id.as_str() {
            found = Some(entry);
        }
        seen.push(line);
    }
    child.kill().ok();
    child.wait().ok();
    let entry = found.unwrap_or_else(|| panic!("no log line for request {id}: {seen:#?}"));
    assert_eq!(entry["span"]["route"], "/letters/{code}");
    assert!(
        seen.iter().all(|l| !l.contains("ABCD-EFGH")),
        "the path (a tracking code) is never logged"
    );
}
