//! Backups of the SQLite file while the site runs, and restoring one into a new file.
//!
//! A backup is `VACUUM INTO`: one read transaction, so it is a consistent snapshot and
//! the writer never waits for it (WAL). It is written inside a private directory beside the
//! destination, checked (`PRAGMA integrity_check`), made readable by its owner only, synced
//! and only then moved into place: no one else can read it at any moment, and a backup that
//! exists under its name is complete.
//!
//! A restore never writes over a database: the audit log is append-only by trigger, and a
//! file replaced under a running server (or beside a stale `-wal`) corrupts. It checks the
//! backup, copies it to a new file the same way, and opens it, which applies the
//! migrations a backup from an older version lacks.

use std::path::{Path, PathBuf};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, Row};

use crate::{OpenError, SqliteOptions, SqliteStore};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(PathBuf),
    #[error(
        "{0} exists: a restore only creates a new database. Stop the server, move the old file (and its -wal and -shm files) aside, then restore"
    )]
    DatabaseExists(PathBuf),
    #[error("{0} is not a Lysty backup: {1}")]
    NotABackup(PathBuf, String),
    #[error(
        "{0} was written by a newer Lysty (its schema has migration {1}, this one knows up to {2}); restore it with that version"
    )]
    Newer(PathBuf, i64, i64),
    #[error("the copy failed its integrity check: {0}")]
    Damaged(String),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Open(#[from] OpenError),
}

/// What a backup or restore holds, to show the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub letters: i64,
    pub bytes: u64,
    /// The latest migration in the file.
    pub schema: i64,
}

impl SqliteStore {
    /// Writes a consistent copy of the live database to `to`, which must not exist.
    pub async fn backup_into(&self, to: &Path) -> Result<Summary, BackupError> {
        if to.exists() {
            return Err(BackupError::Exists(to.to_owned()));
        }
        let staging = Staging::beside(to)?;
        let copy = staging.path();
        // Its own connection (VACUUM INTO reads only): the pools stay free for the site.
        let mut source = SqliteConnectOptions::new()
            .filename(&self.path)
            .busy_timeout(std::time::Duration::from_secs(10))
            .connect()
            .await?;
        sqlx::query("VACUUM INTO ?")
            .bind(copy.to_string_lossy().into_owned())
            .execute(&mut source)
            .await?;
        source.close().await?;
        let summary = check(&copy).await?;
        staging.finish(to)?;
        Ok(summary)
    }
}

/// Creates the database at `url` from the backup `from`: checked, copied privately, then
/// opened with the migrations this version adds.
pub async fn restore(from: &Path, url: &str) -> Result<Summary, BackupError> {
    let to = crate::path_of(url)?;
    for existing in [
        to.clone(),
        with_suffix(&to, "-wal"),
        with_suffix(&to, "-shm"),
    ] {
        if existing.exists() {
            return Err(BackupError::DatabaseExists(existing));
        }
    }
    let summary = check(from).await?;
    let known = crate::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or_default();
    if summary.schema > known {
        return Err(BackupError::Newer(from.to_owned(), summary.schema, known));
    }
    let staging = Staging::beside(&to)?;
    std::fs::copy(from, staging.path()).map_err(|e| BackupError::Io(from.to_owned(), e))?;
    staging.finish(&to)?;
    let store = SqliteStore::open(url, &SqliteOptions::default()).await?;
    store.close().await;
    Ok(summary)
}

/// Opens a copy read-only and checks it: intact, a Lysty schema, its letters counted.
async fn check(path: &Path) -> Result<Summary, BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup(path.to_owned(), why);
    if !path.is_file() {
        return Err(not_a_backup("no such file".into()));
    }
    let mut db = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
    let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut db)
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
    if verdict != ["ok"] {
        return Err(BackupError::Damaged(verdict.join("; ")));
    }
    let schema: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut db)
            .await
            .map_err(|_| not_a_backup("it has no Lysty schema".into()))?;
    let letters = sqlx::query("SELECT COUNT(*) AS n FROM letters")
        .fetch_one(&mut db)
        .await
        .and_then(|r| r.try_get::<i64, _>("n"))
        .map_err(|_| not_a_backup("it has no letters table".into()))?;
    db.close().await?;
    let bytes = std::fs::metadata(path)
        .map_err(|e| BackupError::Io(path.to_owned(), e))?
        .len();
    Ok(Summary {
        letters,
        bytes,
        schema: schema.unwrap_or_default(),
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A directory only its owner can enter, beside the destination (same file system, so
/// that the finished file is renamed into place, never copied); removed when dropped.
struct Staging {
    dir: tempfile::TempDir,
}

impl Staging {
    fn beside(to: &Path) -> Result<Self, BackupError> {
        let parent = match to.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        // tempfile creates the directory with mode 0700.
        let dir = tempfile::Builder::new()
            .prefix(".lysty-staging-")
            .tempdir_in(&parent)
            .map_err(|e| BackupError::Io(parent, e))?;
        Ok(Staging { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("lysty.db")
    }

    /// Makes the file private, syncs it and moves it to `to`.
    fn finish(self, to: &Path) -> Result<(), BackupError> {
        let file = self.path();
        let io = |e| BackupError::Io(file.clone(), e);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        std::fs::File::open(&file)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        // A link, not a rename: it fails rather than replace a file that appeared meanwhile.
        std::fs::hard_link(&file, to).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_owned()),
            _ => BackupError::Io(to.to_owned(), e),
        })?;
        if let Some(dir) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The new name survives a power cut too.
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| BackupError::Io(dir.to_owned(), e))?;
        }
        Ok(())
    }
}
