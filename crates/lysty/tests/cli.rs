//! The command line: configuration, migrations, imports, refusing a mistyped database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use lysty_store::Store;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

#[test]
fn default_config_prints_commented_toml_with_every_section() {
    let output = support::lysty().arg("default-config").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 10,
        "commented"
    );
    let value: toml::Value = toml::from_str(&text).unwrap();
    for section in [
        "server", "database", "letters", "events", "secrets", "campaign", "delivery", "mail", "log",
    ] {
        assert!(value.get(section).is_some(), "{section}");
    }
}

#[test]
fn a_mistyped_sqlite_path_is_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.db");
    let output = support::lysty()
        .args(["serve", "--addr", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", path.display()))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("--create-database"), "{stderr}");
    assert!(!path.exists());
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let output = support::lysty()
        .args(["migrate", "--database", "mysql://localhost/x"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported database URL"));
}

#[test]
fn a_configuration_file_with_a_typo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lysty.toml");
    std::fs::write(&file, "[database]\nurll = \"sqlite://x.db\"\n").unwrap();
    let output = support::lysty()
        .arg("migrate")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("urll"));
}

#[tokio::test]
async fn importing_prisoners_is_all_or_nothing_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let migrate = support::lysty()
        .args(["migrate", "--create-database", "--database", &url])
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "slug,name_uk,name_en,status\n\
         server-mustafayev,Сервер Мустафаєв,Server Mustafayev,convicted\n\
         Bad Slug,Ім'я,Name,convicted\n\
         ok-two,Ім'я,Name,jailed\n",
    )
    .unwrap();
    let output = support::lysty()
        .args(["import", "prisoners", "--database", &url])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let store = SqliteStore::open(&url, &SqliteOptions::default())
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let campaign = store
        .campaign_by_slug("letters-to-free-crimea")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(
        store
            .prisoner_by_slug(campaign, "server-mustafayev")
            .await
            .unwrap()
            .is_none(),
        "the good row was not imported either"
    );

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "slug,name_uk,name_en,status,birth_year\n\
         server-mustafayev,Сервер Мустафаєв,Server Mustafayev,convicted,1986\n",
    )
    .unwrap();
    let output = support::lysty()
        .args(["import", "prisoners", "--database", &url])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("imported 1 prisoner"));
    let found = store
        .prisoner_by_slug(campaign, "server-mustafayev")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.birth_year, Some(1986));
}

#[tokio::test]
async fn facilities_are_imported_and_a_batch_is_printed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let run = |args: &[&str]| {
        let output = support::lysty()
            .args(args)
            .args(["--database", &url])
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            output.stdout,
        )
    };
    assert!(run(&["migrate", "--create-database"]).0);

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "slug,name_ru,address_ru,channels\n\
         ik-2,ФКУ ИК-2,\"431120, Республика Мордовия\\nп. Явас\",post\n\
         ik-3,,,post\n\
         ik-4,ИК-4,,fax\n",
    )
    .unwrap();
    let (ok, _, stderr, _) = run(&["import", "facilities", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("line 3") && stderr.contains("line 4"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "slug,name_ru,address_ru,channels\n\
         ik-2,ФКУ ИК-2,\"431120, Республика Мордовия\\nп. Явас\",post\n",
    )
    .unwrap();
    let (ok, stdout, stderr, _) = run(&["import", "facilities", good.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imported 1 facility"), "{stdout}");

    // A prisoner placed there, an approved letter, a batch built through the app.
    let store = SqliteStore::open(&url, &SqliteOptions::default())
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let facility = store.facility_by_slug("ik-2").await.unwrap().unwrap();
    assert_eq!(
        facility.address_ru.as_deref(),
        Some("431120, Республика Мордовия\nп. Явас")
    );
    let cipher =
        lysty_app::EmailCipher::from_base64(&support::EMAIL_KEY.to_owned().into()).unwrap();
    let app = lysty_app::App::start(
        store.clone(),
        cipher,
        Arc::new(lysty_app::SystemClock),
        lysty_app::AppConfig::default(),
    )
    .await
    .unwrap();
    app.seed_demo().await.unwrap();
    let org = store.list_organisations().await.unwrap()[0].id;
    let (staff, _) = app
        .create_staff(
            None,
            org,
            "dispatch@pen.example",
            "Dispatch",
            lysty_domain::Roles::of(&[lysty_domain::Role::Dispatcher]),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
    let actor = app.operator("dispatch@pen.example").await.unwrap();
    app.record_placement(&actor, "remzi-bekirov", "ik-2", "2025-01-01", "")
        .await
        .unwrap();
    let received = app
        .submit_letter(
            &lysty_app::LetterInput {
                prisoner: "remzi-bekirov".into(),
                body: "Здравствуй, Ремзи! Держись.".into(),
                language: "ru".into(),
                ..lysty_app::LetterInput::default()
            },
            lysty_domain::Source::Online,
        )
        .await
        .unwrap();
    let now = app.now();
    let moderator = store.staff_by_id(staff).await.unwrap().unwrap();
    store
        .claim_letter(
            received.id,
            staff,
            moderator.organisation,
            now,
            now + chrono::Duration::minutes(5),
            None,
        )
        .await
        .unwrap();
    store
        .review_step(&lysty_store::ReviewStep {
            letter: received.id,
            from: lysty_domain::LetterState::InReview,
            to: lysty_domain::LetterState::Approved,
            actor: staff,
            actor_org: moderator.organisation,
            note: None,
            at: now,
            require_claim: true,
            change: lysty_store::TextChange::default(),
            audit: None,
        })
        .await
        .unwrap();
    let batch = app
        .build_batch(
            &actor,
            &lysty_app::delivery::BatchInput {
                facility: "ik-2".into(),
                channel: "post".into(),
                prisoner: None,
            },
        )
        .await
        .unwrap();
    app.shutdown().await;

    let out = dir.path().join("batch.pdf");
    let batch = batch.0.to_string();
    let (ok, stdout, stderr, _) = run(&["stats", "rebuild"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("; 0 differed"),
        "the live counters were exact: {stdout}"
    );

    let (ok, _, stderr, _) = run(&[
        "batch",
        "print",
        "--batch",
        &batch,
        "--user",
        "dispatch@pen.example",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "printed letters are readable by their owner only"
        );
    }
    let (ok, _, _, stdout) = run(&[
        "batch",
        "print",
        "--batch",
        &batch,
        "--user",
        "dispatch@pen.example",
    ]);
    assert!(ok);
    assert!(stdout.starts_with(b"%PDF"), "to standard output");
    let (ok, _, stderr, _) = run(&[
        "batch",
        "print",
        "--batch",
        &batch,
        "--user",
        "nobody@pen.example",
    ]);
    assert!(!ok, "an unknown account cannot print");
    assert!(stderr.contains("not found"), "{stderr}");
}

#[test]
fn the_kiosk_command_shows_the_open_link_and_replaces_it_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let run = |args: &[&str]| {
        let output = support::lysty()
            .args(args)
            .args(["--database", &url])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    run(&["migrate", "--create-database"]);
    let events = dir.path().join("events.csv");
    std::fs::write(
        &events,
        "slug,kind,title_uk,city,country,starts_at\nforum,book_forum,Форум,Львів,Україна,2024-04-10\n",
    )
    .unwrap();
    run(&["import", "events", events.to_str().unwrap()]);
    let link = run(&["kiosk", "--event", "forum"]);
    assert!(link.starts_with("/kiosk/"), "{link}");
    assert_eq!(run(&["kiosk", "--event", "forum"]), link, "the same link");
    let replaced = run(&["kiosk", "--event", "forum", "--replace"]);
    assert!(
        replaced.starts_with("/kiosk/") && replaced != link,
        "{replaced}"
    );
    assert_eq!(run(&["kiosk", "--event", "forum"]), replaced);
}
