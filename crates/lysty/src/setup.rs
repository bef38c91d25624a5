//! Opening what every command needs: the store (backend by the URL's scheme), the email
//! key, the application's settings.

use super::*;

/// Picks the backend from the URL's scheme, opens it and applies pending migrations.
pub(crate) async fn open_store(config: &Config, create: bool) -> Result<Arc<dyn Store>> {
    Ok(Opened::open(config, &config.database.url, create)
        .await?
        .into_store())
}

/// A database opened by its URL, as its concrete backend (`lysty db copy` is generic over
/// the backend, so it needs the type, not `dyn Store`).
pub(crate) enum Opened {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Opened {
    /// Opens `url` with the configured options and applies pending migrations; a missing
    /// SQLite file is created only when `create`.
    pub(crate) async fn open(config: &Config, url: &str, create: bool) -> Result<Opened> {
        if url.starts_with("sqlite:") {
            let synchronous = match config.database.sqlite_synchronous.as_str() {
                "full" => Synchronous::Full,
                "normal" => Synchronous::Normal,
                other => {
                    bail!(
                        "database.sqlite_synchronous must be \"full\" or \"normal\", not {other:?}"
                    )
                }
            };
            let options = SqliteOptions {
                create,
                synchronous,
                max_read_connections: config.database.max_connections,
                allow_unsafe: config.database.allow_unsafe,
            };
            Ok(Opened::Sqlite(SqliteStore::open(url, &options).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgOptions {
                max_connections: config.database.max_connections,
                allow_unsafe: config.database.allow_unsafe,
            };
            let store = PgStore::open(url, &options)
                .await
                .with_context(|| format!("cannot open {}", redact_url(url)))?;
            Ok(Opened::Postgres(store))
        } else {
            bail!(
                "unsupported database URL {}: use sqlite://PATH or postgres://…",
                redact_url(url)
            )
        }
    }

    pub(crate) fn into_store(self) -> Arc<dyn Store> {
        match self {
            Opened::Sqlite(store) => Arc::new(store),
            Opened::Postgres(store) => Arc::new(store),
        }
    }

    pub(crate) async fn close(self) {
        match self {
            Opened::Sqlite(store) => store.close().await,
            Opened::Postgres(store) => store.close().await,
        }
    }
}

/// The email key from configuration, or from the key file (created when `create`).
pub(crate) fn email_cipher(config: &Config, create: bool) -> Result<EmailCipher> {
    if let Some(key) = &config.secrets.email_key {
        return EmailCipher::from_base64(key).context("secrets.email_key");
    }
    let path = &config.secrets.email_key_file;
    if !path.exists() {
        if !create {
            bail!(
                "no email key: set LYSTY_SECRETS__EMAIL_KEY or create {} (serve creates it on first start)",
                path.display()
            );
        }
        write_new_key(path)?;
        tracing::warn!(file = %path.display(), "created a new email key; back it up with the database");
    }
    let key = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the email key file {}", path.display()))?;
    EmailCipher::from_base64(&SecretString::from(key))
        .with_context(|| format!("the email key file {}", path.display()))
}

pub(crate) fn write_new_key(path: &Path) -> Result<()> {
    use secrecy::ExposeSecret;
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create the email key file {}", path.display()))?;
    writeln!(file, "{}", EmailCipher::generate_key().expose_secret())?;
    file.sync_all()?;
    Ok(())
}

pub(crate) fn app_config(config: &Config) -> AppConfig {
    AppConfig {
        campaign: NewCampaign {
            slug: config.campaign.slug.clone(),
            name_uk: config.campaign.name_uk.clone(),
            name_en: config.campaign.name_en.clone(),
        },
        max_letter_chars: config.letters.max_chars,
        time_zone: config.campaign.time_zone,
        contact: config
            .campaign
            .contact
            .clone()
            .filter(|c| !c.trim().is_empty()),
        public_place_min_letters: i64::from(config.letters.public_place_min_letters),
        retention: lysty_app::RetentionConfig {
            after: config
                .retention
                .days
                .map(|days| chrono::Duration::days(i64::from(days))),
            keep_text: config.retention.keep_text,
        },
        kiosk_grace: chrono::Duration::hours(i64::from(config.events.kiosk_grace_hours)),
        delivery: config.delivery.clone(),
        mail: lysty_app::MailConfig {
            smtp_url: config.mail.smtp_url.clone(),
            from: config.mail.from.clone(),
            public_url: config
                .server
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.server.addr)),
            poll: std::time::Duration::from_secs(config.mail.poll_seconds.max(1)),
        },
        figures_max_age: std::time::Duration::from_millis(config.server.figures_max_age_ms),
        ..AppConfig::default()
    }
}

/// The application for a one-off command, on an existing database.
pub(crate) async fn cli_app(config: &Config) -> Result<App> {
    let store = open_store(config, false).await?;
    let cipher = email_cipher(config, false).or_else(|_| {
        // Commands that touch no stored email can work with a throwaway key.
        EmailCipher::from_base64(&EmailCipher::generate_key()).context("email key")
    })?;
    Ok(App::start(store, cipher, Arc::new(SystemClock), app_config(config)).await?)
}
