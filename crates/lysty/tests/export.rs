//! `lysty export`: letters and figures from the command line, on behalf of a member of
//! staff, recorded in the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use lysty_domain::{Role, Roles};
use lysty_store::Store;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

const EMAIL: &str = "writer@example.org";
const BODY: &str = "Тримайтеся, ми з вами!";

#[tokio::test]
async fn letters_and_figures_are_exported_for_admins_and_coordinators_only() {
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
        )
    };
    assert!(run(&["migrate", "--create-database"]).0);

    let store = SqliteStore::open(&url, &SqliteOptions::default())
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
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
    for (email, role) in [
        ("admin@pen.example", Role::Admin),
        ("coord@pen.example", Role::Coordinator),
        ("viewer@pen.example", Role::Viewer),
    ] {
        app.create_staff(
            None,
            org,
            email,
            email,
            Roles::of(&[role]),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
    }
    let receipt = app
        .submit_letter(
            &lysty_app::LetterInput {
                prisoner: "remzi-bekirov".into(),
                body: BODY.into(),
                language: "uk".into(),
                writer_name: "Оксана".into(),
                writer_email: EMAIL.into(),
                email_consent: true,
                ..lysty_app::LetterInput::default()
            },
            lysty_domain::Source::Online,
        )
        .await
        .unwrap();
    app.shutdown().await;
    let code = receipt.tracking_code.as_str().to_owned();

    // A coordinator, to standard output: the columns, no writer's data.
    let (ok, stdout, stderr) = run(&[
        "export",
        "letters",
        "--format",
        "csv",
        "--user",
        "coord@pen.example",
    ]);
    assert!(ok, "{stderr}");
    let mut lines = stdout.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("id,received_at,prisoner,source,event,city,country,language,state,sent_at,outcome_at")
    );
    assert!(lines.next().unwrap().contains(",remzi-bekirov,online,"));
    assert_eq!(lines.next(), None);
    for secret in [EMAIL, "Оксана", BODY, code.as_str()] {
        assert!(!stdout.contains(secret), "{secret}");
    }

    let (ok, _, stderr) = run(&[
        "export",
        "letters",
        "--format",
        "csv",
        "--user",
        "coord@pen.example",
        "--personal-data",
    ]);
    assert!(!ok, "only an admin gets personal data");
    assert!(stderr.contains("only an admin"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "export",
        "stats",
        "--format",
        "json",
        "--user",
        "viewer@pen.example",
    ]);
    assert!(!ok, "a viewer cannot export");
    assert!(stderr.contains("admins and coordinators"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "export",
        "stats",
        "--format",
        "json",
        "--user",
        "nobody@pen.example",
    ]);
    assert!(!ok);
    assert!(stderr.contains("no enabled account"), "{stderr}");

    // An admin, asking for personal data, to a file only they can read.
    let out = dir.path().join("letters.json");
    let (ok, _, stderr) = run(&[
        "export",
        "letters",
        "--format",
        "json",
        "--user",
        "admin@pen.example",
        "--personal-data",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("keep it encrypted"), "{stderr}");
    let letters: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["writer_email"], EMAIL, "decrypted");
    assert_eq!(letters[0]["writer_name"], "Оксана");
    assert_eq!(letters[0]["body"], BODY);
    assert!(letters[0].get("tracking_code").is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only: {mode:o}");
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")),
        "no partial file left behind"
    );

    let (ok, stdout, stderr) = run(&[
        "export",
        "stats",
        "--format",
        "csv",
        "--user",
        "admin@pen.example",
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("figure,key,value\n"), "{stdout}");
    assert!(stdout.contains("\ntotal,,1\n"), "{stdout}");

    let (ok, stdout, _) = run(&["audit", "--action", "export_personal_data"]);
    assert!(ok);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("admin@pen.example\texport_personal_data\texport\tletters\tjson"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["audit", "--action", "export"]);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let (_, stdout, _) = run(&["audit", "--action", "export_personal_data_refused"]);
    assert!(stdout.contains("coord@pen.example"), "{stdout}");
}
