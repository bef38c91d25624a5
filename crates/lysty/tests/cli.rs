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
        "server", "database", "letters", "events", "secrets", "campaign", "log",
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
