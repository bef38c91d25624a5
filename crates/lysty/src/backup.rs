//! `lysty backup` and `lysty restore`: the SQLite file copied while the site runs, and a
//! new database made from such a copy. PostgreSQL has `pg_dump` and `pg_restore` for this
//! (docs/RELIABILITY.md); these commands say so rather than half-do it.

use super::*;

const ON_POSTGRES: &str = "on PostgreSQL, back up with `pg_dump --format=custom --file=FILE URL` \
and restore with `pg_restore --dbname=URL FILE` into an empty database (docs/RELIABILITY.md)";

pub(crate) async fn backup(config: &Config, file: &Path) -> Result<()> {
    let url = &config.database.url;
    if !url.starts_with("sqlite:") {
        bail!("{ON_POSTGRES}");
    }
    // Opened like the server opens it: never created, migrations applied.
    let store = SqliteStore::open(url, &SqliteOptions::default()).await?;
    let summary = store
        .backup_into(file)
        .await
        .with_context(|| format!("cannot back up to {}", file.display()));
    store.close().await;
    let summary = summary?;
    println!(
        "backed up {} letters ({} bytes, schema {}) to {}",
        summary.letters,
        summary.bytes,
        summary.schema,
        file.display()
    );
    println!("the email key is not in the backup: keep it apart, as safely");
    Ok(())
}

pub(crate) async fn restore(config: &Config, file: &Path) -> Result<()> {
    let url = &config.database.url;
    if !url.starts_with("sqlite:") {
        bail!("{ON_POSTGRES}");
    }
    let summary = lysty_store_sqlite::restore(file, url)
        .await
        .with_context(|| format!("cannot restore {}", file.display()))?;
    println!(
        "restored {} letters from {} into {}",
        summary.letters,
        file.display(),
        redact_url(url)
    );
    println!("start the server with the email key that was in use when the backup was made");
    Ok(())
}
