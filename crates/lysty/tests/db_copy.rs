//! `lysty db copy`: an installation moved from SQLite to PostgreSQL and back arrives whole —
//! every row of every table equal to the original, the exports equal, the numbering of the
//! audit log continuing after the copied lines — and a target that holds data is refused.
//! The PostgreSQL legs run when `LYSTY_TEST_POSTGRES` names a server (CI always sets it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use chrono::SubsecRound;
use lysty_store::copy::{Cell, TABLES, read_table};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

fn run(args: &[&str], input: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = support::lysty()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// An installation with a little of everything: the demo registry and events, letters from
/// the public form and the API (some with an email, encrypted), a year of history with
/// tallies, staff with their audit lines and an API token.
async fn populate(url: &str, dir: &std::path::Path) {
    let (mut server, addr) = support::serve(url);
    let client = reqwest::Client::new();
    let mut refused = Vec::new();
    for n in 0..12 {
        let mut letter = serde_json::json!({
            "prisoner": if n % 2 == 0 { "remzi-bekirov" } else { "iryna-danylovych" },
            "body": format!("Лист {n}: тримайтеся, ми пам'ятаємо про вас і чекаємо вдома."),
            "writer_name": format!("Олена {n}"),
            "writer_city": "Київ",
            "idempotency_key": format!("0190a0b0-0000-7000-8000-{n:012}"),
        });
        if n % 3 == 0 {
            letter["writer_email"] = format!("writer{n}@example.org").into();
            letter["email_consent"] = true.into();
        }
        let response = client
            .post(format!("http://{addr}/api/v1/letters"))
            .json(&letter)
            .send()
            .await
            .unwrap();
        if !response.status().is_success() {
            refused.push(response.text().await.unwrap());
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(refused.is_empty(), "{refused:?}");

    let db = ["--database", url];
    support::ok(run(
        &[
            "user",
            "add",
            db[0],
            db[1],
            "--email",
            "coordinator@example.org",
            "--org",
            "crimea-representation",
            "--role",
            "admin,coordinator,moderator",
            "--name",
            "Координаторка",
            "--password-stdin",
        ],
        Some("a long enough password for the copy test\n"),
    ));
    support::ok(run(
        &[
            "token",
            "create",
            db[0],
            db[1],
            "--user",
            "coordinator@example.org",
        ],
        None,
    ));
    let tallies = dir.join("tallies.csv");
    std::fs::write(
        &tallies,
        "event,prisoner,count\ndemo-tour-lviv,remzi-bekirov,7\n",
    )
    .unwrap();
    support::ok(run(
        &["import", "tallies", db[0], db[1], tallies.to_str().unwrap()],
        None,
    ));
    let letters = dir.join("letters.csv");
    std::fs::write(
        &letters,
        "received_at,prisoner,source,event,state,sent_at,writer_name,body\n\
         2024-05-30,remzi-bekirov,kiosk,demo-book-forum-kyiv,sent,2024-06-10,Марія,\n\
         2024-05-31,iryna-danylovych,paper,demo-book-forum-kyiv,approved,,,Тримайтеся!\n",
    )
    .unwrap();
    support::ok(run(
        &["import", "letters", db[0], db[1], letters.to_str().unwrap()],
        None,
    ));
}

/// Every row of every table, times to the microsecond (PostgreSQL keeps no finer).
async fn rows(url: &str) -> Vec<(&'static str, Vec<Vec<Cell>>)> {
    let store = SqliteStore::open(url, &SqliteOptions::default())
        .await
        .unwrap();
    let mut all = Vec::new();
    for table in TABLES {
        let mut rows = read_table(&store, table).await.unwrap();
        for row in &mut rows {
            for cell in row.iter_mut() {
                if let Cell::Time(Some(at)) = cell {
                    *at = at.trunc_subsecs(6);
                }
            }
        }
        all.push((table.name, rows));
    }
    store.close().await;
    all
}

fn export(url: &str) -> Vec<String> {
    let csv = support::ok(run(
        &[
            "export",
            "letters",
            "--database",
            url,
            "--format",
            "csv",
            "--user",
            "coordinator@example.org",
            "--personal-data",
        ],
        None,
    ));
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installation_copied_to_postgres_and_back_is_the_same_row_for_row() {
    let Some(postgres) = support::postgres_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let original = format!("sqlite://{}", dir.path().join("original.db").display());
    populate(&original, dir.path()).await;
    let before = rows(&original).await;
    let filled: Vec<&str> = before
        .iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(table, _)| *table)
        .collect();
    for table in [
        "letters",
        "staff",
        "api_tokens",
        "audit_log",
        "tallies",
        "counters",
    ] {
        assert!(filled.contains(&table), "{table} has rows to copy");
    }

    let out = support::ok(run(
        &["db", "copy", "--from", &original, "--to", &postgres],
        None,
    ));
    assert!(out.contains("copied 14 letters"), "{out}");
    assert!(out.contains("email key"), "{out}");
    assert!(!out.contains("password"), "{out}");

    // The copy holds data now: a second copy into it is refused and changes nothing.
    let again = run(
        &["db", "copy", "--from", &original, "--to", &postgres],
        None,
    );
    assert!(!again.status.success());
    let refusal = String::from_utf8_lossy(&again.stderr);
    assert!(refusal.contains("already holds data"), "{refusal}");

    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    let out = support::ok(run(
        &["db", "copy", "--from", &postgres, "--to", &back],
        None,
    ));
    assert!(out.contains("copied 14 letters"), "{out}");

    let after = rows(&back).await;
    for ((table, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was.len(), is.len(), "{table}: row count");
        assert_eq!(was, is, "{table}: rows differ after the round trip");
    }
    let exported = export(&original);
    // The letters outside the demo events, with their writers' emails decrypted.
    assert_eq!(exported.len(), 13, "{exported:#?}");
    assert!(
        exported.iter().any(|l| l.contains("writer3@example.org")),
        "{exported:#?}"
    );
    assert_eq!(exported, export(&postgres), "the export from PostgreSQL");
    assert_eq!(exported, export(&back), "the export after the round trip");

    // The copies go on working: a new audit line on PostgreSQL is numbered after the copied
    // ones, and the copy back signs in the same account.
    support::ok(run(
        &[
            "token",
            "create",
            "--database",
            &postgres,
            "--user",
            "coordinator@example.org",
        ],
        None,
    ));
    let audit = support::ok(run(
        &["audit", "--database", &postgres, "--limit", "50"],
        None,
    ));
    assert!(audit.contains("token"), "{audit}");
}

#[test]
fn a_copy_from_a_missing_database_or_into_itself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}", dir.path().join("typo.db").display());
    let target = format!("sqlite://{}", dir.path().join("new.db").display());
    let output = run(&["db", "copy", "--from", &missing, "--to", &target], None);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("cannot open the source"), "{error}");
    assert!(!dir.path().join("new.db").exists(), "no target was made");

    let output = run(&["db", "copy", "--from", &target, "--to", &target], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("same database"));
}
