//! `lysty`: one binary for every job — serve the site, migrate, import, print the
//! example configuration.

mod backup;
mod commands;
mod config;
mod db_copy;
mod serve;
mod setup;

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

use backup::*;
use commands::*;
use config::{Config, redact_url};
use db_copy::db_copy;
use serve::*;
use setup::*;

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
    /// `text` or `json` logs (overrides `log.format`).
    #[arg(long, global = true, value_enum)]
    log_format: Option<config::LogFormat>,
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
    /// Print an event's kiosk link, opening the kiosk when it is not open.
    Kiosk {
        /// The event's short identifier (e.g. `demo-book-forum-kyiv`) or id.
        #[arg(long)]
        event: String,
        /// Give the kiosk a new link. Tablets with the old one must open the new one; the
        /// letters they wrote before still arrive until the event's grace period ends.
        #[arg(long)]
        replace: bool,
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
    /// Write a consistent copy of the SQLite database to FILE while the site runs
    /// (readable by its owner only). On PostgreSQL use `pg_dump` (see docs/RELIABILITY.md).
    /// The email key is not in the backup: keep it apart, as safely.
    Backup {
        /// A new file; an existing one is never overwritten.
        file: PathBuf,
    },
    /// Create the SQLite database (`--database`) from a backup made by `lysty backup`;
    /// refuses to write over an existing database.
    Restore { file: PathBuf },
    /// Erase the writers' data that `[retention]` says is due now (the server also does it
    /// every hour).
    Retention,
    /// Work on whole databases.
    Db {
        #[command(subcommand)]
        command: DbCommand,
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
enum DbCommand {
    /// Copy every record of one database into a new, empty one: SQLite to PostgreSQL or
    /// back. Stop the servers on the source first (or copy from a `lysty backup` file);
    /// the email key is not in a database and stays as it was.
    Copy {
        /// The database to copy, e.g. sqlite:///var/lib/lysty/lysty.db
        #[arg(long)]
        from: String,
        /// A new, empty database: a SQLite file is created, a PostgreSQL database must
        /// exist (`createdb`); a target that holds any record is refused.
        #[arg(long)]
        to: String,
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
    match cli.log_format.unwrap_or(config.log.format) {
        config::LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        // The span's fields (route, request id) go with each line.
        config::LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
    }

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
        Command::Kiosk { event, replace } => {
            let app = cli_app(&config).await?;
            let (_, token) = app
                .open_kiosk_by_slug(&event, replace)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("/kiosk/{token}");
            Ok(())
        }
        Command::Backup { file } => backup(&config, &file).await,
        Command::Restore { file } => restore(&config, &file).await,
        Command::Retention => {
            if config.retention.days.is_none() {
                bail!("retention.days is not set: writers' data is kept as long as the letters");
            }
            let app = cli_app(&config).await?;
            let erased = app.apply_retention().await?;
            app.shutdown().await;
            println!("erased the writers' data of {erased} letter(s)");
            Ok(())
        }
        Command::Db {
            command: DbCommand::Copy { from, to },
        } => db_copy(&config, &from, &to).await,
        Command::DefaultConfig => Ok(()),
    }
}
