//! Two `lysty serve` instances on one PostgreSQL database, behind nginx as a round-robin load
//! balancer on 127.0.0.1, with writers, moderators and dispatchers working at once through
//! it: no letter lost or stored twice (a retried letter comes back the same from the other
//! instance), no letter claimed by two moderators, none in two batches, the counters exact,
//! and a session opened on one instance valid on the other.
//!
//! Runs when `LYSTY_TEST_POSTGRES` names a server and `LYSTY_TEST_NGINX` the nginx binary
//! (`.ci/run` sets both).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const WRITERS: usize = 4;
const LETTERS_EACH: usize = 15;
const PASSWORD: &str = "a long password for the two instances";

/// A process ended when the test ends, even when it fails half-way.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// nginx, stopped with its own signal so that its workers end with it.
struct Balancer {
    master: Child,
    nginx: String,
    prefix: std::path::PathBuf,
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = std::process::Command::new(&self.nginx)
            .arg("-p")
            .arg(&self.prefix)
            .args(["-c", "nginx.conf", "-s", "stop"])
            .status();
        let _ = self.master.wait();
    }
}

/// `lysty serve` on a free port; the first instance seeds the demo campaign.
fn instance(url: &str, demo: bool) -> (Running, String) {
    let mut command = support::lysty();
    command
        // Room for every letter in batches of ten, so that the dispatchers race.
        .env("LYSTY_DELIVERY__PER_PRISONER_PER_WEEK", "1000")
        .env("LYSTY_DELIVERY__BATCH_LIMIT", "10")
        .args(["serve", "--addr", "127.0.0.1:0", "--database", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if demo {
        command.arg("--demo");
    }
    let (child, _lines, _seen, addr) = support::spawn_reading_lines(&mut command);
    (Running(child), addr)
}

/// nginx in front of both, round robin, logging which instance answered each request.
fn balancer(nginx: &str, dir: &std::path::Path, a: &str, b: &str) -> (Balancer, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let d = dir.display();
    let conf = format!(
        "daemon off;\nuser root;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nworker_processes 1;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
           client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;\n\
           uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
           log_format upstream '$upstream_addr $status';\n\
           access_log {d}/access.log upstream;\n\
           upstream lysty {{ server {a}; server {b}; keepalive 16; }}\n\
           server {{\n\
             listen 127.0.0.1:{port};\n\
             location / {{\n\
               proxy_pass http://lysty; proxy_http_version 1.1; proxy_set_header Connection \"\";\n\
               proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr;\n\
             }}\n\
           }}\n\
         }}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let master = std::process::Command::new(nginx)
        .args(["-p", &d.to_string(), "-c", path.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let balancer = Balancer {
        master,
        nginx: nginx.to_owned(),
        prefix: dir.to_owned(),
    };
    (balancer, format!("127.0.0.1:{port}"))
}

async fn wait_until_up(client: &reqwest::Client, base: &str) {
    for _ in 0..100 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base} did not come up");
}

/// A member of staff with a token, made with the command line.
fn staff_token(url: &str, email: &str, roles: &str) -> String {
    use std::io::Write;
    let mut add = support::lysty()
        .args([
            "user",
            "add",
            "--database",
            url,
            "--email",
            email,
            "--org",
            "pen-ukraine",
            "--role",
            roles,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());
    let token = support::lysty()
        .args(["token", "create", "--database", url, "--user", email])
        .output()
        .unwrap();
    assert!(token.status.success());
    String::from_utf8_lossy(&token.stdout).trim().to_owned()
}

async fn call(
    client: &reqwest::Client,
    token: &str,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (reqwest::StatusCode, Value) {
    let mut request = client
        .request(method, url)
        .header("authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Claims and approves what it can from the queue until the queue is empty; the letters it
/// approved.
async fn moderate(client: reqwest::Client, base: String, token: String) -> Vec<String> {
    let mut approved = Vec::new();
    loop {
        let (status, page) = call(
            &client,
            &token,
            reqwest::Method::GET,
            format!("{base}/api/v1/review/queue?limit=200"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let ids: Vec<String> = page["letters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect();
        if ids.is_empty() {
            return approved;
        }
        for id in ids {
            let (claimed, answer) = call(
                &client,
                &token,
                reqwest::Method::POST,
                format!("{base}/api/v1/letters/{id}/claim"),
                None,
            )
            .await;
            match claimed.as_u16() {
                // Opened, but already approved by the other moderator: nothing to do.
                200 if answer["state"] != "in_review" => {}
                // Claimed: it is this moderator's alone, so approving it must work.
                200 => {
                    let (status, step) = call(
                        &client,
                        &token,
                        reqwest::Method::POST,
                        format!("{base}/api/v1/letters/{id}/approve"),
                        None,
                    )
                    .await;
                    assert_eq!(status, 200, "a claimed letter is approved: {step}");
                    approved.push(id);
                }
                // The other moderator has it, or has just approved it.
                409 => {}
                other => panic!("claim answered {other}: {answer}"),
            }
        }
    }
}

/// Builds batches until nothing is left; the letters of each batch it built.
async fn dispatch(client: reqwest::Client, base: String, token: String) -> Vec<Vec<String>> {
    let mut batches = Vec::new();
    loop {
        let (status, batch) = call(
            &client,
            &token,
            reqwest::Method::POST,
            format!("{base}/api/v1/batches"),
            Some(json!({"facility": "ik-21-iksa", "channel": "post"})),
        )
        .await;
        match status.as_u16() {
            201 => batches.push(
                batch["letters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["id"].as_str().unwrap().to_owned())
                    .collect(),
            ),
            422 if batch["error"]["code"] == "nothing_to_batch" => return batches,
            other => panic!("building a batch answered {other}: {batch}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_behind_nginx_lose_nothing_and_share_everything() {
    let (Some(url), Ok(nginx)) = (
        support::postgres_url().await,
        std::env::var("LYSTY_TEST_NGINX"),
    ) else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES and LYSTY_TEST_NGINX are not both set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (first, a) = instance(&url, true);
    let (second, b) = instance(&url, false);
    let (lb, front) = balancer(&nginx, dir.path(), &a, &b);
    let base = format!("http://{front}");
    wait_until_up(&client, &base).await;
    let moderators = [
        staff_token(&url, "m1@pen.example", "moderator,dispatcher"),
        staff_token(&url, "m2@pen.example", "moderator,dispatcher"),
    ];

    // Writers: each letter once, and every fifth sent again with its key.
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (client, base) = (client.clone(), base.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = BTreeMap::new();
            for n in 0..LETTERS_EACH {
                let key = uuid::Uuid::now_v7().to_string();
                let letter = json!({
                    "prisoner": "vladlen-abdulkadyrov",
                    "body": format!("Здравствуйте! Письмо {n} от автора {writer}. Держитесь, мы с вами."),
                    "language": "ru",
                    "idempotency_key": key,
                });
                let sends = if n % 5 == 0 { 2 } else { 1 };
                let mut codes = BTreeSet::new();
                for _ in 0..sends {
                    let response = client
                        .post(format!("{base}/api/v1/letters"))
                        .json(&letter)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201);
                    let answer: Value = response.json().await.unwrap();
                    codes.insert(answer["tracking_code"].as_str().unwrap().to_owned());
                }
                assert_eq!(codes.len(), 1, "a retried letter is the same letter");
                acknowledged.insert(key, codes.into_iter().next().unwrap());
            }
            acknowledged
        }));
    }
    let mut acknowledged = BTreeMap::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert_eq!(acknowledged.len(), WRITERS * LETTERS_EACH);

    // Two moderators work the same queue at once.
    let working: Vec<_> = moderators
        .iter()
        .map(|token| tokio::spawn(moderate(client.clone(), base.clone(), token.clone())))
        .collect();
    let mut approved = Vec::new();
    for moderator in working {
        approved.extend(moderator.await.unwrap());
    }
    let approved_once: BTreeSet<&String> = approved.iter().collect();
    assert_eq!(
        approved.len(),
        approved_once.len(),
        "no letter approved twice"
    );
    assert_eq!(approved.len(), acknowledged.len(), "every letter approved");

    // Two dispatchers build batches at once.
    let building: Vec<_> = moderators
        .iter()
        .map(|token| tokio::spawn(dispatch(client.clone(), base.clone(), token.clone())))
        .collect();
    let mut batched = Vec::new();
    for dispatcher in building {
        for batch in dispatcher.await.unwrap() {
            batched.extend(batch);
        }
    }
    let batched_once: BTreeSet<&String> = batched.iter().collect();
    assert_eq!(
        batched.len(),
        batched_once.len(),
        "no letter in two batches"
    );
    assert_eq!(batched_once, approved_once, "every approved letter batched");

    // A session opened on one instance is valid on the other.
    let page = client
        .get(format!("http://{a}/staff"))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    let html = page.text().await.unwrap();
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let signed = client
        .post(format!("http://{a}/staff/login"))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "m1@pen.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let session: Vec<String> = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    let on_b = client
        .get(format!("http://{b}/staff/review"))
        .header("cookie", session.join("; "))
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), 200, "the session opened on A works on B");

    // Both instances answered through the balancer.
    let log = std::fs::read_to_string(dir.path().join("access.log")).unwrap_or_default();
    for instance in [&a, &b] {
        assert!(
            log.lines().any(|l| l.starts_with(instance.as_str())),
            "{instance} served requests through nginx"
        );
    }
    let stats: Value = client
        .get(format!("{base}/api/v1/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    drop((lb, first, second));
    assert_eq!(stats["total"], acknowledged.len());
    let rebuilt = support::lysty()
        .args(["stats", "rebuild", "--database", &url])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&rebuilt.stdout);
    assert!(out.contains(" 0 differed"), "the counters are exact: {out}");
}
