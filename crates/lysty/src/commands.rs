//! The one-off commands: staff and organisations, tokens, the audit log, exports,
//! imports, the annual report and printing a batch.

use super::*;

pub(crate) async fn user(config: Config, command: UserCommand) -> Result<()> {
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

pub(crate) async fn org(config: Config, command: OrgCommand) -> Result<()> {
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

pub(crate) async fn token(config: Config, command: TokenCommand) -> Result<()> {
    let TokenCommand::Create { user, name } = command;
    let app = cli_app(&config).await?;
    let token = app
        .create_token_for(&user, &name)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", App::reveal(&token));
    Ok(())
}

pub(crate) async fn audit(config: Config, limit: u32, action: Option<String>) -> Result<()> {
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

pub(crate) async fn export(
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

pub(crate) async fn import(config: Config, kind: ImportKind, file: &Path) -> Result<()> {
    let mut input = Vec::new();
    if file == Path::new("-") {
        std::io::stdin().read_to_end(&mut input)?;
    } else {
        input = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    // Say how the file is read: a spreadsheet saved in a Ukrainian locale is Windows-1251
    // with `;` between columns, and the person importing should know that was understood.
    eprintln!("{}: {}", file.display(), lysty_app::import::shape(&input));
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
                        ImportKind::Tallies => println!(
                            "imported {} tally(ies); {} were imported before and skipped",
                            done.tallies, done.already_imported
                        ),
                        _ => println!(
                            "imported {} letter(s); {} corrected; {} were imported before and skipped",
                            done.letters, done.updated, done.already_imported
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

pub(crate) async fn report(
    config: Config,
    year: i32,
    format: ReportFormatArg,
    lang: &str,
    out: &Path,
) -> Result<()> {
    use lysty_text::report::{ReportFormat, render};
    if !lysty_text::i18n::SUPPORTED.iter().any(|c| c == lang) {
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
    let bytes = render(&figures, &lysty_text::i18n::Lang::from_code(lang), format)?;
    if out == Path::new("-") {
        use std::io::Write;
        std::io::stdout().write_all(&bytes)?;
    } else {
        std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    }
    Ok(())
}

pub(crate) async fn batch(config: Config, command: BatchCommand) -> Result<()> {
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
    let pdf = app.batch_pdf(&actor, id, reply_kit).await?;
    if out == Path::new("-") {
        use std::io::Write;
        std::io::stdout().write_all(&pdf)?;
    } else {
        write_private(&out, &pdf)?;
        eprintln!("wrote {} ({} letters)", out.display(), view.letters.len());
    }
    Ok(())
}

/// Writes a file readable by its owner only (printed letters go to a prison, not to everyone
/// who can read the folder).
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}
