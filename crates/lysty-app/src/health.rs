//! Whether this instance can do its work: the database answers, its schema is the one this
//! build knows, and the emails to writers are going out.

use crate::App;

/// How long an email may stay due and unsent before the outbox counts as stuck: the
/// outbox loop polls every few seconds, so this is minutes of it not running.
pub const OUTBOX_STUCK_AFTER_MINUTES: i64 = 15;

/// What `/readyz` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// `sqlite` or `postgres`.
    pub database: &'static str,
    pub database_answers: bool,
    /// The latest migration applied to the database and the latest this build carries.
    pub schema: Option<(i64, i64)>,
    /// Emails due for longer than [`OUTBOX_STUCK_AFTER_MINUTES`]; `None` when this
    /// instance sends no email (no SMTP server configured); -1 when the outbox cannot be read.
    pub overdue_emails: Option<i64>,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database_answers
            && self.schema.is_some_and(|(applied, known)| applied == known)
            && self.overdue_emails.unwrap_or(0) == 0
    }
}

/// How much work is waiting, for `/metrics`: counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueLengths {
    /// Letters received or in review.
    pub review: i64,
    /// Letters waiting for a Russian text.
    pub translation: i64,
    /// Emails due now and not sent yet.
    pub outbox: i64,
}

impl App {
    /// The review and translation queues (from the state counters) and the emails due.
    pub async fn queue_lengths(&self) -> Result<QueueLengths, lysty_store::StoreError> {
        use lysty_domain::LetterState;
        use lysty_domain::counter::CounterKey;
        let mut lengths = QueueLengths::default();
        for counter in self.store().counters(self.campaign().id).await? {
            match counter.key {
                CounterKey::State(LetterState::Received | LetterState::InReview) => {
                    lengths.review += counter.value;
                }
                CounterKey::State(LetterState::NeedsTranslation) => {
                    lengths.translation += counter.value;
                }
                _ => {}
            }
        }
        lengths.outbox = self.store().overdue_mail(self.now()).await?;
        Ok(lengths)
    }

    pub async fn readiness(&self) -> Readiness {
        let store = self.store();
        let database_answers = match store.ping().await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "readiness: the database does not answer");
                false
            }
        };
        let schema = match store.schema().await {
            Ok(schema) => Some(schema),
            Err(error) => {
                tracing::error!(%error, "readiness: cannot read the schema version");
                None
            }
        };
        let overdue_emails = match self.mailer() {
            None => None,
            Some(_) => {
                let before = self.now() - chrono::Duration::minutes(OUTBOX_STUCK_AFTER_MINUTES);
                match store.overdue_mail(before).await {
                    Ok(n) => Some(n),
                    Err(error) => {
                        tracing::error!(%error, "readiness: cannot read the outbox");
                        Some(-1)
                    }
                }
            }
        };
        Readiness {
            database: store.backend(),
            database_answers,
            schema,
            overdue_emails,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Readiness {
        Readiness {
            database: "sqlite",
            database_answers: true,
            schema: Some((10, 10)),
            overdue_emails: None,
        }
    }

    #[test]
    fn each_reason_makes_an_instance_unready() {
        assert!(ready().ready());
        assert!(
            Readiness {
                overdue_emails: Some(0),
                ..ready()
            }
            .ready()
        );
        for unready in [
            Readiness {
                database_answers: false,
                ..ready()
            },
            Readiness {
                schema: None,
                ..ready()
            },
            Readiness {
                schema: Some((11, 10)),
                ..ready()
            },
            Readiness {
                overdue_emails: Some(3),
                ..ready()
            },
            Readiness {
                overdue_emails: Some(-1),
                ..ready()
            },
        ] {
            assert!(!unready.ready(), "{unready:?}");
        }
    }
}
