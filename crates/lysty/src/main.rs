//! `lysty`: one binary for every job — serve the site, migrate, import, print the
//! example configuration.

mod config;

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use lysty_app::{App, AppConfig, EmailCipher, SystemClock};
use lysty_http::{AppState, HttpConfig};
use lysty_store::{NewCampaign, Store};
use lysty_store_postgres::{PgOptions, PgStore};
use lysty_store_sqlite::{SqliteOptions, SqliteStore, Synchronous};
use secrecy::SecretString;
use tracing_subscriber::EnvFilter;

use config::{Config, redact_url};

#[derive(Parser)]
#[command(
    name = "lysty",
    version,
    about = "Letter-writing campaigns to political prisoners"
)]
struct Cli {
    /// A TOML configuration file (see `lysty default-config`).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The database: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site and the API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Seed the demo campaign (idempotent) and show a demo banner on every page.
        /// Creates the SQLite file when missing.
        #[arg(long)]
        demo: bool,
        /// Create the SQLite database file when it does not exist.
        #[arg(long)]
        create_database: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        /// Create the SQLite database file when it does not exist.
        #[arg(long)]
        create_database: bool,
    },
    /// Print a commented example configuration.
    DefaultConfig,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Open an event's kiosk and print its link.
    Kiosk {
        /// The event's short identifier (e.g. `demo-book-forum-kyiv`) or id.
        #[arg(long)]
        event: String,
    },
    /// Print the audit log, newest first.
    Audit {
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Only this action, e.g. `sign_in` or `approve`.
        #[arg(long)]
        action: Option<String>,
    },
    /// Export the campaign's letters (without the writers' personal data unless asked for)
    /// or its figures; the audit log records it under `--user`.
    Export {
        #[arg(value_enum)]
        what: ExportWhatArg,
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Where to write it; `-` for standard output.
        #[arg(long, default_value = "-")]
        out: PathBuf,
        /// The admin or coordinator on whose behalf it is exported.
        #[arg(long)]
        user: String,
        /// Add the writers' names, emails and letters (admins only, letters only).
        #[arg(long)]
        personal_data: bool,
    },
    /// Campaign figures.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Print-ready batches.
    Batch {
        #[command(subcommand)]
        command: BatchCommand,
    },
    /// The annual report: every figure computed from the year's data.
    Report {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormatArg,
        /// uk, en or crh.
        #[arg(long, default_value = "uk")]
        lang: String,
        /// Where to write it; `-` for standard output.
        #[arg(long, default_value = "-")]
        out: PathBuf,
    },
    /// Import records from a CSV file: all rows or none.
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        /// The CSV file (`-` for standard input).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account. The password is read from standard input with
    /// `--password-stdin`; otherwise one is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// The organisation's short identifier (see `lysty org list`).
        #[arg(long)]
        org: String,
        /// admin, coordinator, moderator, translator, dispatcher or viewer; repeat or
        /// separate with commas for several.
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation (or rename it).
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name_uk: String,
        #[arg(long)]
        name_en: String,
    },
    /// List organisations.
    List,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for an account; it is printed once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand)]
enum StatsCommand {
    /// Recompute every counter from the letters and tallies (writers wait meanwhile) and
    /// report any that differed.
    Rebuild,
}

#[derive(Subcommand)]
enum BatchCommand {
    /// Write a batch's print-ready PDF.
    Print {
        /// The batch's id.
        #[arg(long)]
        batch: String,
        /// The dispatcher (or admin) on whose behalf it is printed; the audit log says so.
        #[arg(long)]
        user: String,
        /// Where to write the PDF; `-` for standard output.
        #[arg(long, default_value = "-")]
        out: PathBuf,
        /// Add a reply-kit page for each prisoner.
        #[arg(long)]
        reply_kit: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportWhatArg {
    /// Columns: received_at, prisoner, source, event, city, country, language, state,
    /// sent_at, outcome_at; with `--personal-data` also writer_name, writer_email, body.
    Letters,
    /// The figures of `/api/v1/stats`; as CSV, rows of figure, key, value.
    Stats,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    /// Columns: slug, name_uk, name_en, status (required); name_crh, name_ru_full,
    /// birth_year, facility, story_uk, story_en, guidance_uk, guidance_en, published.
    Prisoners,
    /// Columns: name_ru (required); slug, name_en, region, address_ru (lines separated
    /// by `\n`), channels (post, electronic, handover), language, max_letter_chars,
    /// needs_birth_year, needs_number, electronic_max_chars, electronic_parts, notes.
    Facilities,
    /// Events of earlier years. Columns: slug, kind, title_uk, city, country, starts_at
    /// (required); title_en, venue, ends_at, series, organisation. Import these before
    /// tallies and letters.
    Events,
    /// Paper letters counted at past events. Columns: event, count (required); prisoner.
    Tallies,
    /// Letters of earlier years, as `lysty export letters` writes them. Columns:
    /// received_at, prisoner, source, state (required); event, city, country, language,
    /// sent_at, outcome_at, writer_name, writer_email, body.
    Letters,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Md,
    Html,
    Pdf,
    Json,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::DefaultConfig = cli.command {
        print!("{}", config::EXAMPLE);
        return std::process::ExitCode::SUCCESS;
    }
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let mut config = config::load(cli.config.as_deref()).context("invalid configuration")?;
    if let Some(url) = cli.database {
        config.database.url = url;
    }
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log.filter))
        .context("invalid log filter")?;
    tracing_subscriber::fmt().with_env_filter(filter).init();

    match cli.command {
        Command::Serve {
            addr,
            demo,
            create_database,
        } => {
            if let Some(addr) = addr {
                config.server.addr = addr;
            }
            serve(config, demo, create_database || demo).await
        }
        Command::Migrate { create_database } => {
            let store = open_store(&config, create_database).await?;
            println!("migrations applied to {}", redact_url(&config.database.url));
            drop(store);
            Ok(())
        }
        Command::Import { kind, file } => import(config, kind, &file).await,
        Command::Report {
            year,
            format,
            lang,
            out,
        } => report(config, year, format, &lang, &out).await,
        Command::Batch { command } => batch(config, command).await,
        Command::Stats {
            command: StatsCommand::Rebuild,
        } => {
            let app = cli_app(&config).await?;
            let recount = app.store().rebuild_counters(app.campaign().id).await?;
            for (key, stored, counted) in &recount.changed {
                println!("{key}: {stored} -> {counted}");
            }
            println!(
                "{} counters recomputed; {} differed",
                recount.counters,
                recount.changed.len()
            );
            Ok(())
        }
        Command::User { command } => user(config, command).await,
        Command::Org { command } => org(config, command).await,
        Command::Token { command } => token(config, command).await,
        Command::Audit { limit, action } => audit(config, limit, action).await,
        Command::Export {
            what,
            format,
            out,
            user,
            personal_data,
        } => export(config, what, format, &out, &user, personal_data).await,
        Command::Kiosk { event } => {
            let app = cli_app(&config).await?;
            let (_, token) = app
                .open_kiosk_by_slug(&event)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("/kiosk/{token}");
            Ok(())
        }
        Command::DefaultConfig => Ok(()),
    }
}

/// Picks the backend from the URL's scheme, opens it and applies pending migrations.
async fn open_store(config: &Config, create: bool) -> Result<Arc<dyn Store>> {
    let url = &config.database.url;
    if url.starts_with("sqlite:") {
        let synchronous = match config.database.sqlite_synchronous.as_str() {
            "full" => Synchronous::Full,
            "normal" => Synchronous::Normal,
            other => {
                bail!("database.sqlite_synchronous must be \"full\" or \"normal\", not {other:?}")
            }
        };
        let options = SqliteOptions {
            create,
            synchronous,
            max_read_connections: config.database.max_connections,
        };
        let store = SqliteStore::open(url, &options).await?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgOptions {
            max_connections: config.database.max_connections,
        };
        let store = PgStore::open(url, &options)
            .await
            .with_context(|| format!("cannot open {}", redact_url(url)))?;
        Ok(Arc::new(store))
    } else {
        bail!(
            "unsupported database URL {}: use sqlite://PATH or postgres://…",
            redact_url(url)
        )
    }
}

/// The email key from configuration, or from the key file (created when `create`).
fn email_cipher(config: &Config, create: bool) -> Result<EmailCipher> {
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

fn write_new_key(path: &Path) -> Result<()> {
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

fn app_config(config: &Config) -> AppConfig {
    AppConfig {
        campaign: NewCampaign {
            slug: config.campaign.slug.clone(),
            name_uk: config.campaign.name_uk.clone(),
            name_en: config.campaign.name_en.clone(),
        },
        max_letter_chars: config.letters.max_chars,
        kiosk_grace: chrono::Duration::hours(i64::from(config.events.kiosk_grace_hours)),
        delivery: lysty_app::DeliveryConfig {
            per_prisoner_per_week: i64::from(config.delivery.per_prisoner_per_week),
            batch_limit: i64::from(config.delivery.batch_limit),
            electronic_default_chars: config.delivery.electronic_default_chars as usize,
        },
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
        ..AppConfig::default()
    }
}

async fn serve(mut config: Config, demo: bool, create: bool) -> Result<()> {
    // Listening first: with port 0 the address, and so the links in emails, is known
    // only once bound.
    let listener = tokio::net::TcpListener::bind(config.server.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.addr))?;
    let local = listener.local_addr()?;
    config.server.addr = local;
    let store = open_store(&config, create).await?;
    let cipher = email_cipher(&config, true)?;
    let app = App::start(store, cipher, Arc::new(SystemClock), app_config(&config))
        .await
        .context("cannot prepare the campaign")?;
    if demo {
        app.seed_demo().await.context("cannot seed the demo data")?;
        let (email, password) = app
            .demo_admin()
            .await
            .map_err(|e| anyhow::anyhow!("cannot prepare the demo admin: {e}"))?;
        println!(
            "Demo admin (valid until the next start): {email} / {}",
            App::reveal(&password)
        );
    }
    let public_url = config
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let secure_cookies = config
        .server
        .secure_cookies
        .unwrap_or_else(|| public_url.starts_with("https://"));
    let state = AppState::new(
        app.clone(),
        HttpConfig {
            max_request_bytes: config.server.max_request_bytes,
            demo,
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies,
            ..HttpConfig::default()
        },
    );
    tracing::info!(
        database = app.store().backend(),
        %local,
        demo,
        "Lysty is listening"
    );
    // Printed plainly too: tests and people wait for this line.
    println!("Lysty is listening on http://{local}");
    let mail = app.spawn_mail_loop(Arc::new(lysty_http::i18n::MailTexts));
    lysty_http::serve(listener, state, shutdown_signal()).await?;
    mail.abort();
    app.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The application for a one-off command, on an existing database.
async fn cli_app(config: &Config) -> Result<App> {
    let store = open_store(config, false).await?;
    let cipher = email_cipher(config, false).or_else(|_| {
        // Commands that touch no stored email can work with a throwaway key.
        EmailCipher::from_base64(&EmailCipher::generate_key()).context("email key")
    })?;
    Ok(App::start(store, cipher, Arc::new(SystemClock), app_config(config)).await?)
}

async fn user(config: Config, command: UserCommand) -> Result<()> {
    let UserCommand::Add {
        email,
        org,
        roles,
        name,
        password_stdin,
    } = command;
    let app = cli_app(&config).await?;
    let roles = lysty_domain::Roles::parse(&roles.join(","))
        .map_err(|_| anyhow::anyhow!("unknown role in {roles:?}: use admin, coordinator, moderator, translator, dispatcher or viewer"))?;
    let organisations = app.organisations().await?;
    let Some(organisation) = organisations.iter().find(|o| o.slug == org) else {
        let known: Vec<_> = organisations.iter().map(|o| o.slug.as_str()).collect();
        bail!("no organisation {org:?}; known: {}", known.join(", "));
    };
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_owned());
    let (id, generated) = app
        .create_staff(
            None,
            organisation.id,
            &email,
            &name,
            roles,
            password.as_deref(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created {email} ({roles}) in {org}: {id}");
    if let Some(generated) = generated {
        println!("password (shown once): {}", App::reveal(&generated));
    }
    if roles.requires_second_factor() {
        println!("this account must set up a second factor at its first sign-in");
    }
    Ok(())
}

async fn org(config: Config, command: OrgCommand) -> Result<()> {
    let app = cli_app(&config).await?;
    match command {
        OrgCommand::Add {
            slug,
            name_uk,
            name_en,
        } => {
            let id = app
                .create_organisation(
                    None,
                    &lysty_store::NewOrganisation {
                        slug: slug.clone(),
                        name_uk,
                        name_en,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("organisation {slug}: {id}");
        }
        OrgCommand::List => {
            for o in app.organisations().await? {
                println!("{}\t{}\t{}", o.slug, o.name_uk, o.name_en);
            }
        }
    }
    Ok(())
}

async fn token(config: Config, command: TokenCommand) -> Result<()> {
    let TokenCommand::Create { user, name } = command;
    let app = cli_app(&config).await?;
    let token = app
        .create_token_for(&user, &name)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", App::reveal(&token));
    Ok(())
}

async fn audit(config: Config, limit: u32, action: Option<String>) -> Result<()> {
    let store = open_store(&config, false).await?;
    let entries = store
        .list_audit(&lysty_store::AuditFilter {
            action,
            limit,
            ..lysty_store::AuditFilter::default()
        })
        .await?;
    for e in entries {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            e.at.to_rfc3339(),
            e.actor_email.unwrap_or_else(|| "-".into()),
            e.action,
            e.object_type.unwrap_or_else(|| "-".into()),
            e.object_id.unwrap_or_else(|| "-".into()),
            e.detail
        );
    }
    Ok(())
}

async fn export(
    config: Config,
    what: ExportWhatArg,
    format: ExportFormatArg,
    out: &Path,
    user: &str,
    personal_data: bool,
) -> Result<()> {
    use lysty_app::export::{ExportError, ExportFormat, ExportRequest, ExportWhat};
    use std::io::Write;
    let store = open_store(&config, false).await?;
    let cipher = if personal_data {
        // Writers' emails are decrypted: only the installation's own key will do.
        email_cipher(&config, false)?
    } else {
        email_cipher(&config, false).or_else(|_| {
            EmailCipher::from_base64(&EmailCipher::generate_key()).context("email key")
        })?
    };
    let app = App::start(store, cipher, Arc::new(SystemClock), app_config(&config)).await?;
    let actor = match app.operator(user).await {
        Ok(actor) => actor,
        Err(lysty_app::DeliveryError::NotFound) => bail!("no enabled account {user}"),
        Err(other) => return Err(other.into()),
    };
    let request = ExportRequest {
        what: match what {
            ExportWhatArg::Letters => ExportWhat::Letters,
            ExportWhatArg::Stats => ExportWhat::Stats,
        },
        format: match format {
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Json => ExportFormat::Json,
        },
        personal_data,
    };
    let mut export = match app.start_export(&actor, request).await {
        Ok(export) => export,
        Err(ExportError::Forbidden) if personal_data => {
            bail!("{user} may not export writers' personal data: only an admin may")
        }
        Err(ExportError::Forbidden) => {
            bail!("{user} may not export: only admins and coordinators may")
        }
        Err(ExportError::Invalid(_)) => {
            bail!("--personal-data goes with `export letters` only")
        }
        Err(other) => return Err(other.into()),
    };
    if personal_data {
        eprintln!(
            "this export holds writers' names, emails and letters: keep it encrypted and delete it when done"
        );
    }
    if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        while let Some(chunk) = export.next_chunk().await? {
            stdout.write_all(&chunk)?;
        }
        stdout.flush()?;
        return Ok(());
    }
    // Written beside the target and renamed when complete, so that a failure leaves no
    // file that looks whole; readable by its owner only.
    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let written: Result<()> = async {
        while let Some(chunk) = export.next_chunk().await? {
            file.write_all(&chunk)?;
        }
        file.sync_all()?;
        Ok(())
    }
    .await;
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))?;
    match what {
        ExportWhatArg::Letters => {
            eprintln!("wrote {} ({} letters)", out.display(), export.rows());
        }
        ExportWhatArg::Stats => eprintln!("wrote {}", out.display()),
    }
    Ok(())
}

async fn import(config: Config, kind: ImportKind, file: &Path) -> Result<()> {
    let mut input = Vec::new();
    if file == Path::new("-") {
        std::io::stdin().read_to_end(&mut input)?;
    } else {
        input = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    let store = open_store(&config, false).await?;
    let cipher = match kind {
        // Letters may carry writers' emails: they are sealed with the installation's key.
        ImportKind::Letters => email_cipher(&config, false)?,
        _ => email_cipher(&config, false).or_else(|_| {
            // Importing prisoners or events touches no email; a throwaway key is enough.
            EmailCipher::from_base64(&EmailCipher::generate_key()).context("email key")
        })?,
    };
    let app = App::start(store, cipher, Arc::new(SystemClock), app_config(&config)).await?;
    match kind {
        ImportKind::Prisoners => match app.import_prisoners(input.as_slice()).await {
            Ok(count) => {
                println!("imported {count} prisoner(s)");
                Ok(())
            }
            Err(lysty_app::import::ImportError::Rows(rows)) => {
                for row in &rows {
                    eprintln!("{}: {row}", file.display());
                }
                bail!("{} problem(s) found; nothing was imported", rows.len())
            }
            Err(other) => Err(other.into()),
        },
        ImportKind::Facilities => match app.import_facilities(input.as_slice()).await {
            Ok(count) => {
                println!(
                    "imported {count} facilit{}",
                    if count == 1 { "y" } else { "ies" }
                );
                Ok(())
            }
            Err(lysty_app::DeliveryError::Rows(rows)) => {
                for row in &rows {
                    eprintln!("{}: {row}", file.display());
                }
                bail!("{} problem(s) found; nothing was imported", rows.len())
            }
            Err(other) => Err(other.into()),
        },
        ImportKind::Events | ImportKind::Tallies | ImportKind::Letters => {
            let bar = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows, {eta} left")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let input = input.as_slice();
            let result = match kind {
                ImportKind::Events => app.import_events(input, &progress).await,
                ImportKind::Tallies => app.import_tallies(input, &progress).await,
                _ => app.import_letters(input, &progress).await,
            };
            bar.finish_and_clear();
            match result {
                Ok(done) => {
                    match kind {
                        ImportKind::Events => println!("imported {} event(s)", done.events),
                        ImportKind::Tallies => println!("imported {} tally(ies)", done.tallies),
                        _ => println!(
                            "imported {} letter(s); {} were imported before and skipped",
                            done.letters, done.already_imported
                        ),
                    }
                    Ok(())
                }
                Err(lysty_app::import::ImportError::Rows(rows)) => {
                    for row in &rows {
                        eprintln!("{}: {row}", file.display());
                    }
                    bail!("{} problem(s) found; nothing was imported", rows.len())
                }
                Err(other) => Err(other.into()),
            }
        }
    }
}

async fn report(
    config: Config,
    year: i32,
    format: ReportFormatArg,
    lang: &str,
    out: &Path,
) -> Result<()> {
    use lysty_http::report::{ReportFormat, render};
    if !lysty_http::i18n::SUPPORTED.iter().any(|c| c == lang) {
        bail!("unknown language `{lang}`: use uk, en or crh");
    }
    let app = cli_app(&config).await?;
    let figures = app.annual_report(year).await?;
    let format = match format {
        ReportFormatArg::Md => ReportFormat::Markdown,
        ReportFormatArg::Html => ReportFormat::Html,
        ReportFormatArg::Pdf => ReportFormat::Pdf,
        ReportFormatArg::Json => ReportFormat::Json,
    };
    let bytes = render(&figures, &lysty_http::i18n::Lang::from_code(lang), format)?;
    if out == Path::new("-") {
        use std::io::Write;
        std::io::stdout().write_all(&bytes)?;
    } else {
        std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    }
    Ok(())
}

async fn batch(config: Config, command: BatchCommand) -> Result<()> {
    let BatchCommand::Print {
        batch,
        user,
        out,
        reply_kit,
    } = command;
    let app = cli_app(&config).await?;
    let actor = app.operator(&user).await?;
    let id = uuid::Uuid::parse_str(batch.trim())
        .map(lysty_store::BatchId)
        .context("the batch id is not a UUID")?;
    let view = app.batch(&actor, id).await?;
    let labels = lysty_http::i18n::print_labels(&view.facility.rules.language);
    let pdf = app.batch_pdf(&actor, id, labels, reply_kit).await?;
    if out == Path::new("-") {
        use std::io::Write;
        std::io::stdout().write_all(&pdf)?;
    } else {
        std::fs::write(&out, &pdf).with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("wrote {} ({} letters)", out.display(), view.letters.len());
    }
    Ok(())
}
