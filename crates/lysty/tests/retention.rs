//! Retention: `lysty retention` erases the name, email, city, country and text of letters
//! settled longer ago than `retention.days`, leaves the rest, writes an audit line, and —
//! SQLite running with `secure_delete` — the erased values are found nowhere in the raw
//! database file afterwards (the letter still waiting is, which shows the scan can see).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use sqlx::Connection;

fn run(args: &[&str]) -> std::process::Output {
    support::lysty()
        .env("LYSTY_RETENTION__DAYS", "30")
        .args(args)
        .output()
        .unwrap()
}

/// Three letters with values found nowhere else: one settled in 2024 (its writer's data is
/// due for erasure), one from 2024 still on its way, one settled five days ago.
struct Planted {
    old_name: String,
    old_email: String,
    old_city: String,
    old_text: String,
    waiting_name: String,
    recent_name: String,
}

impl Planted {
    fn new() -> Self {
        let tag = uuid::Uuid::now_v7().simple().to_string();
        Planted {
            old_name: format!("Оксана Плант-{tag}"),
            old_email: format!("plant-{tag}@example.org"),
            old_city: format!("Плантаград-{tag}"),
            old_text: format!("Тримайтеся друже! Текст-плант-{tag}"),
            waiting_name: format!("Марія Чекає-{tag}"),
            recent_name: format!("Петро Нещодавно-{tag}"),
        }
    }

    /// The demo campaign, then the three letters imported as history.
    fn import(&self, url: &str, dir: &std::path::Path) {
        let (mut server, _) = support::serve(url);
        server.kill().unwrap();
        server.wait().unwrap();
        let recent = (chrono::Utc::now() - chrono::Duration::days(5))
            .format("%Y-%m-%d")
            .to_string();
        let Planted {
            old_name,
            old_email,
            old_city,
            old_text,
            waiting_name,
            recent_name,
        } = self;
        let csv = format!(
            "received_at,prisoner,source,event,city,country,state,sent_at,outcome_at,writer_name,writer_email,body\n\
             2024-05-30,remzi-bekirov,kiosk,demo-book-forum-kyiv,{old_city},Україна,delivered,2024-06-10,2024-07-01,{old_name},{old_email},{old_text}\n\
             2024-05-31,remzi-bekirov,kiosk,demo-book-forum-kyiv,Київ,Україна,approved,,,{waiting_name},,Лист чекає на відправлення.\n\
             {recent},remzi-bekirov,online,,Львів,Україна,delivered,{recent},{recent},{recent_name},,Нещодавній лист.\n"
        );
        let file = dir.join("letters.csv");
        std::fs::write(&file, csv).unwrap();
        support::ok(run(&[
            "import",
            "letters",
            "--database",
            url,
            file.to_str().unwrap(),
        ]));
    }
}

/// What the three letters hold after retention, oldest first.
type Kept = (
    Option<String>,
    Option<Vec<u8>>,
    Option<String>,
    Option<String>,
    String,
    String,
);
const KEPT: &str = "SELECT writer_name, writer_email_enc, writer_city, writer_country, body, state
                    FROM letters ORDER BY received_at";

fn erased_only_the_settled_letter(rows: &[Kept], waiting: &str, recent: &str) {
    assert_eq!(rows.len(), 3, "no letter is removed");
    assert_eq!(
        rows[0],
        (None, None, None, None, String::new(), "delivered".into()),
        "the settled letter keeps only what the figures need"
    );
    assert_eq!(rows[1].0.as_deref(), Some(waiting), "still on its way");
    assert_eq!(rows[2].0.as_deref(), Some(recent), "settled 5 days ago");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settled_letters_lose_their_writers_data_and_the_file_keeps_none_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lysty.db");
    let url = format!("sqlite://{}", path.display());
    let planted = Planted::new();
    planted.import(&url, dir.path());
    let Planted {
        old_name,
        old_email,
        old_text,
        waiting_name,
        recent_name,
        ..
    } = planted;

    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let (sealed,): (Vec<u8>,) =
        sqlx::query_as("SELECT writer_email_enc FROM letters WHERE writer_name = ?")
            .bind(&old_name)
            .fetch_one(&mut db)
            .await
            .unwrap();
    db.close().await.unwrap();

    let out = support::ok(run(&["retention", "--database", &url]));
    assert!(out.contains("of 1 letter(s)"), "{out}");
    let again = support::ok(run(&["retention", "--database", &url]));
    assert!(again.contains("of 0 letter(s)"), "{again}");

    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let rows: Vec<Kept> = sqlx::query_as(KEPT).fetch_all(&mut db).await.unwrap();
    erased_only_the_settled_letter(&rows, &waiting_name, &recent_name);
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'retention' AND detail = '1 letters'",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();

    let mut raw = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("lysty.db-wal")) {
        raw.extend(wal);
    }
    assert!(
        contains(&raw, waiting_name.as_bytes()),
        "the scan finds what is kept"
    );
    for (what, planted) in [
        ("name", old_name.as_bytes()),
        ("text", old_text.as_bytes()),
        ("sealed email", sealed.as_slice()),
        ("email", old_email.as_bytes()),
    ] {
        assert!(
            !contains(&raw, planted),
            "the erased {what} is still in the file"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_erases_the_same_on_postgres() {
    let Some(url) = support::postgres_url().await else {
        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let planted = Planted::new();
    planted.import(&url, dir.path());
    let out = support::ok(run(&["retention", "--database", &url]));
    assert!(out.contains("of 1 letter(s)"), "{out}");
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    let rows: Vec<Kept> = sqlx::query_as(KEPT).fetch_all(&mut db).await.unwrap();
    erased_only_the_settled_letter(&rows, &planted.waiting_name, &planted.recent_name);
    db.close().await.unwrap();
}
