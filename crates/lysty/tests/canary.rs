//! The canary test: the real binary at debug log level, with secrets planted in every path
//! that handles them — a staff password and the session it opens, the CSRF token, an API
//! token, the `/metrics` token, and a letter's text, its writer's name, city and email and
//! its tracking code, and a second factor's secret (its six-digit codes would match digits
//! in any log by chance, so they are not searched for). None of them
//! may appear in the log output, in `/metrics`, in the audit log or in the outbox — on
//! SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use sqlx::Row;

fn planted(what: &str) -> String {
    format!("canary{what}{}", uuid::Uuid::now_v7().simple())
}

#[tokio::test]
async fn planted_secrets_appear_in_no_log_metric_audit_line_or_outbox_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    planted_secrets_appear_nowhere(&support::sqlite_url(dir.path())).await;
}

#[tokio::test]
async fn planted_secrets_appear_in_no_log_metric_audit_line_or_outbox_on_postgres() {
    let Some(database) = support::postgres_url().await else {
        eprintln!("LYSTY_TEST_POSTGRES is not set; the PostgreSQL canary did not run");
        return;
    };
    planted_secrets_appear_nowhere(&database).await;
}

/// The audit log's and the outbox's text, as stored.
async fn stored(database: &str) -> Vec<String> {
    const AUDIT: &str = "SELECT action, COALESCE(CAST(object_type AS TEXT), ''), \
        COALESCE(CAST(object_id AS TEXT), ''), COALESCE(CAST(detail AS TEXT), '') FROM audit_log";
    const OUTBOX: &str =
        "SELECT CAST(kind AS TEXT), COALESCE(CAST(last_error AS TEXT), '') FROM outbox";
    let mut stored = Vec::new();
    if database.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(database).await.unwrap();
        for (query, columns) in [(AUDIT, 4), (OUTBOX, 2)] {
            for row in sqlx::query(query).fetch_all(&pool).await.unwrap() {
                stored.extend((0..columns).map(|i| row.get::<String, _>(i)));
            }
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(database).await.unwrap();
        for (query, columns) in [(AUDIT, 4), (OUTBOX, 2)] {
            for row in sqlx::query(query).fetch_all(&pool).await.unwrap() {
                stored.extend((0..columns).map(|i| row.get::<String, _>(i)));
            }
        }
        pool.close().await;
    }
    stored
}

async fn planted_secrets_appear_nowhere(database: &str) {
    let database = database.to_owned();
    let password = format!("{} horse battery", planted("pw"));
    let metrics_token = planted("metrics");
    let staff_email = "moderator@pen.example";

    let (mut child, rx, mut logs, addr) = support::spawn_reading_lines(
        support::lysty()
            .env("RUST_LOG", "debug")
            .env("LYSTY_SERVER__METRICS_TOKEN", &metrics_token)
            // An SMTP server that refuses: emails fail and their errors are kept.
            .env("LYSTY_MAIL__SMTP_URL", "smtp://127.0.0.1:9")
            .env("LYSTY_MAIL__POLL_SECONDS", "1")
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
            .stderr(Stdio::piped()),
    );
    let base = format!("http://{addr}");
    // The account, made with the command line (the password through stdin).
    let mut add = support::lysty()
        .args([
            "user",
            "add",
            "--database",
            &database,
            "--email",
            staff_email,
            "--org",
            "pen-ukraine",
            "--role",
            "moderator",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{password}").unwrap();
    let added = add.wait_with_output().unwrap();
    logs.push(String::from_utf8_lossy(&added.stdout).into_owned());
    logs.push(String::from_utf8_lossy(&added.stderr).into_owned());
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let staff = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // A writer's letter through the form, with every optional field.
    let text = format!("Здравствуй! {} У нас весна.", planted("text"));
    let name = planted("name");
    let city = planted("city");
    let email = format!("{}@example.org", planted("email"));
    let form = [
        ("body", text.as_str()),
        ("language", "ru"),
        ("writer_name", name.as_str()),
        ("writer_city", city.as_str()),
        ("writer_email", email.as_str()),
        ("email_consent", "yes"),
        ("idempotency_key", "0190a0b0-0000-7000-8000-0000000ca7a7"),
    ];
    let sent = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/prisoners/remzi-bekirov/letters"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), reqwest::StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().unwrap().to_owned();
    let code = location
        .trim_start_matches("/letters/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        reqwest::get(format!("{base}/letters/{code}"))
            .await
            .unwrap()
            .status(),
        reqwest::StatusCode::OK
    );

    // The moderator signs in (a session and its CSRF token), opens the queue and the letter.
    let page = staff
        .get(format!("{base}/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = page
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let signed = staff
        .post(format!("{base}/staff/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", staff_email),
            ("password", &password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), reqwest::StatusCode::SEE_OTHER);
    let session = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("lysty_session="))
        .and_then(|c| c.split(';').next())
        .and_then(|c| c.split('=').nth(1))
        .unwrap()
        .to_owned();
    let queue = staff
        .get(format!("{base}/staff/review"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let letter = queue
        .split("/staff/letters/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let opened = staff
        .get(format!("{base}/staff/letters/{letter}"))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), reqwest::StatusCode::OK);

    // An API token, used once.
    let made = support::lysty()
        .args([
            "token",
            "create",
            "--database",
            &database,
            "--user",
            staff_email,
        ])
        .output()
        .unwrap();
    assert!(made.status.success());
    let token = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    let api = reqwest::Client::new()
        .get(format!("{base}/api/v1/review/queue"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), reqwest::StatusCode::OK);

    // The moderator sets up a second factor: the secret shown once, the code typed back.
    let enrol = staff
        .get(format!("{base}/staff/enrol"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let totp_secret = enrol
        .split(r#"id="totp-secret">"#)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(
        totp_secret.len(),
        32,
        "the page shows the secret: {totp_secret}"
    );
    let enrol_csrf = enrol
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let totp_code = lysty_auth::totp::code_at(
        &lysty_auth::totp::TotpSecret::from_base32(&totp_secret).unwrap(),
        now,
    )
    .unwrap();
    let enrolled = staff
        .post(format!("{base}/staff/enrol"))
        .form(&[
            ("csrf", enrol_csrf.as_str()),
            ("secret", totp_secret.as_str()),
            ("code", totp_code.as_str()),
            ("current_password", password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        enrolled.status().is_success() || enrolled.status().is_redirection(),
        "{}",
        enrolled.status()
    );
    assert!(
        !enrolled.text().await.unwrap().contains("code-error"),
        "the code was taken"
    );

    let metrics = reqwest::Client::new()
        .get(format!("{base}/metrics"))
        .header("authorization", format!("Bearer {metrics_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), reqwest::StatusCode::OK);
    let metrics = metrics.text().await.unwrap();

    // Let the outbox try (and fail) for a moment, then stop.
    tokio::time::sleep(Duration::from_secs(3)).await;
    child.kill().ok();
    child.wait().ok();
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
        logs.push(line);
    }

    let stored = stored(&database).await;

    let logs = logs.join("\n");
    assert!(
        logs.len() > 1_000,
        "debug logging ran: {} bytes",
        logs.len()
    );
    assert!(!stored.is_empty(), "the audit log has lines");
    for (what, secret) in [
        ("password", password.as_str()),
        ("session", session.as_str()),
        ("csrf token", csrf.as_str()),
        ("api token", token.as_str()),
        ("metrics token", metrics_token.as_str()),
        ("letter text", text.as_str()),
        ("writer's name", name.as_str()),
        ("writer's city", city.as_str()),
        ("writer's email", email.as_str()),
        ("tracking code", code.as_str()),
        ("second factor's secret", totp_secret.as_str()),
    ] {
        assert!(!logs.contains(secret), "the {what} is in the logs");
        assert!(!metrics.contains(secret), "the {what} is in /metrics");
        assert!(
            !stored.iter().any(|s| s.contains(secret)),
            "the {what} is in the audit log or the outbox"
        );
    }
    // The planted prefix alone would show a part of any of them.
    assert!(!logs.contains("canary"), "a planted value is in the logs");
    assert!(!metrics.contains("canary"));
}
