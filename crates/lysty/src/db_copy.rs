//! `lysty db copy --from URL --to URL`: an installation moved between SQLite and PostgreSQL
//! (either way, or between two databases of one kind), every table and row, with a progress
//! bar. The work is `lysty_store::copy`; this opens the two databases and reports.

use lysty_store::copy::{self, CopyProgress, Counts};

use super::*;

/// A progress bar on standard error, drawn only on a terminal.
struct Bar(indicatif::ProgressBar);

impl CopyProgress for Bar {
    fn start(&mut self, rows: u64) {
        self.0.set_length(rows);
    }

    fn copied(&mut self, table: &'static str, rows: u64) {
        self.0.set_message(table);
        self.0.inc(rows);
    }
}

pub(crate) async fn db_copy(config: &Config, from: &str, to: &str) -> Result<()> {
    if from == to {
        bail!("--from and --to name the same database");
    }
    let source = Opened::open(config, from, false)
        .await
        .with_context(|| format!("cannot open the source {}", redact_url(from)))?;
    let target = match Opened::open(config, to, true).await {
        Ok(target) => target,
        Err(error) => {
            source.close().await;
            return Err(error.context(format!("cannot open the target {}", redact_url(to))));
        }
    };
    let mut bar = Bar(indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({msg}), {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    ));
    let copied = {
        use Opened::{Postgres, Sqlite};
        match (&source, &target) {
            (Sqlite(a), Sqlite(b)) => copy::copy(a, b, &mut bar).await,
            (Sqlite(a), Postgres(b)) => copy::copy(a, b, &mut bar).await,
            (Postgres(a), Sqlite(b)) => copy::copy(a, b, &mut bar).await,
            (Postgres(a), Postgres(b)) => copy::copy(a, b, &mut bar).await,
        }
    };
    bar.0.finish_and_clear();
    source.close().await;
    target.close().await;
    let counts = copied?;
    report(&counts, from, to);
    Ok(())
}

fn report(counts: &Counts, from: &str, to: &str) {
    let rows: u64 = counts.iter().map(|(_, n)| n).sum();
    let letters = counts
        .iter()
        .find(|(table, _)| *table == "letters")
        .map_or(0, |(_, n)| *n);
    println!(
        "copied {letters} letters ({rows} rows in {} tables) from {} to {}",
        counts.len(),
        redact_url(from),
        redact_url(to)
    );
    println!(
        "the email key is not in a database: start the server on {} with the key the source used",
        redact_url(to)
    );
}
