//! Retention: a set time after a letter is settled (delivered, withheld, returned,
//! undeliverable or rejected), its writer's name, email, city and country are erased — and
//! its text too, unless the campaign chose to keep texts. The campaign's figures are
//! counters and stay whole. SQLite runs with `secure_delete`, so the erased values are
//! overwritten in the file, not left in free pages.

use std::time::Duration;

use lysty_store::{NewAudit, StoreError};

use crate::App;

/// How long writers' data is kept once their letters are settled.
#[derive(Debug, Clone, Default)]
pub struct RetentionConfig {
    /// `None`: kept as long as the letters (the default).
    pub after: Option<chrono::Duration>,
    /// Keep the letters' texts when the writers' data is erased.
    pub keep_text: bool,
}

/// How often the server applies retention.
const EVERY: Duration = Duration::from_secs(60 * 60);

impl App {
    /// Erases what retention says is due now; how many letters were erased. Audited as
    /// `retention` (by no one: it is the campaign's rule, not a person's act).
    pub async fn apply_retention(&self) -> Result<u64, StoreError> {
        let rule = &self.config().retention;
        let Some(after) = rule.after else {
            return Ok(0);
        };
        let now = self.now();
        self.store()
            .erase_writer_data(
                now - after,
                !rule.keep_text,
                &NewAudit {
                    at: now,
                    actor: None,
                    actor_org: None,
                    action: "retention".into(),
                    object_type: None,
                    object_id: None,
                    detail: String::new(),
                },
            )
            .await
    }

    /// Applies retention now and every hour, while the server runs.
    pub fn spawn_retention_loop(&self) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            if app.config().retention.after.is_none() {
                return;
            }
            loop {
                match app.apply_retention().await {
                    Ok(0) => {}
                    Ok(erased) => tracing::info!(erased, "retention: writers' data erased"),
                    Err(error) => tracing::error!(%error, "retention could not be applied"),
                }
                tokio::time::sleep(EVERY).await;
            }
        })
    }
}
