//! The letter intake: group commit with an answer only after the commit.
//!
//! Handlers parse and check a letter, then hand it here. One writer task per process takes
//! every letter waiting in the queue (up to `max_group`) and commits them in a single
//! transaction, then answers each request. Under load, many letters share one fsync; when
//! idle, a letter is committed at once. A request is answered only when its letter is
//! durable, so an acknowledged letter survives `kill -9`.

use std::sync::Arc;
use std::time::Duration;

use lysty_store::{NewLetter, Store, StoreError, SubmitOutcome};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct IntakeConfig {
    /// Most letters committed in one transaction.
    pub max_group: usize,
    /// Letters that may wait for the writer before senders wait too (backpressure).
    pub queue: usize,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            max_group: 256,
            queue: 4096,
        }
    }
}

/// Why the intake could not take a letter. Not the writer's fault: a 503.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the database is busy")]
    Busy,
    #[error("the intake has stopped")]
    Stopped,
    /// The database cannot store anything (disk full, read-only): nothing was stored.
    #[error("the database cannot store anything now")]
    Unavailable,
    #[error("storage failure: {0}")]
    Store(String),
}

struct Job {
    letter: NewLetter,
    reply: oneshot::Sender<Result<SubmitOutcome, IntakeError>>,
}

#[derive(Clone)]
pub struct Intake {
    sender: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
    writer: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Intake {
    pub fn start(store: Arc<dyn Store>, config: IntakeConfig) -> Self {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let writer = tokio::spawn(write_loop(store, rx, config.max_group.max(1)));
        Intake {
            sender: Arc::new(Mutex::new(Some(tx))),
            writer: Arc::new(Mutex::new(Some(writer))),
        }
    }

    /// Hands a letter to the writer and waits for its commit.
    pub async fn submit(&self, letter: NewLetter) -> Result<SubmitOutcome, IntakeError> {
        let sender = self
            .sender
            .lock()
            .await
            .clone()
            .ok_or(IntakeError::Stopped)?;
        let (reply, answer) = oneshot::channel();
        sender
            .send(Job { letter, reply })
            .await
            .map_err(|_| IntakeError::Stopped)?;
        answer.await.map_err(|_| IntakeError::Stopped)?
    }

    /// Stops taking letters, and returns once every letter already queued is answered.
    pub async fn shutdown(&self) {
        self.sender.lock().await.take();
        if let Some(writer) = self.writer.lock().await.take() {
            let _ = writer.await;
        }
    }
}

async fn write_loop(store: Arc<dyn Store>, mut rx: mpsc::Receiver<Job>, max_group: usize) {
    let mut jobs = Vec::with_capacity(max_group);
    while rx.recv_many(&mut jobs, max_group).await > 0 {
        let (letters, replies): (Vec<_>, Vec<_>) =
            jobs.drain(..).map(|j| (j.letter, j.reply)).unzip();
        tracing::debug!(letters = letters.len(), "committing a group of letters");
        let started = std::time::Instant::now();
        let result = commit_with_retry(&store, &letters).await;
        // Sizes and times only: nothing of a letter goes into a metric.
        metrics::histogram!("lysty_intake_group_size").record(letters.len() as f64);
        metrics::histogram!("lysty_intake_commit_seconds").record(started.elapsed().as_secs_f64());
        match result {
            Ok(outcomes) => {
                metrics::counter!("lysty_letters_acknowledged_total")
                    .increment(outcomes.len() as u64);
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) if letters.len() > 1 => {
                metrics::counter!("lysty_store_errors_total", "area" => "intake").increment(1);
                // One bad letter must not fail its neighbours: commit each alone.
                tracing::warn!(%error, "group commit failed; committing letters one by one");
                for (letter, reply) in letters.into_iter().zip(replies) {
                    let result = commit_with_retry(&store, std::slice::from_ref(&letter))
                        .await
                        .and_then(|mut o| o.pop().ok_or(IntakeError::Store("no answer".into())));
                    if result.is_ok() {
                        metrics::counter!("lysty_letters_acknowledged_total").increment(1);
                    }
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                metrics::counter!("lysty_store_errors_total", "area" => "intake").increment(1);
                for reply in replies {
                    let _ = reply.send(Err(match &error {
                        IntakeError::Busy => IntakeError::Busy,
                        IntakeError::Stopped => IntakeError::Stopped,
                        IntakeError::Unavailable => IntakeError::Unavailable,
                        IntakeError::Store(m) => IntakeError::Store(m.clone()),
                    }));
                }
            }
        }
    }
}

async fn commit_with_retry(
    store: &Arc<dyn Store>,
    letters: &[NewLetter],
) -> Result<Vec<SubmitOutcome>, IntakeError> {
    let mut delay = Duration::from_millis(10);
    for _ in 0..6 {
        match store.submit_letters(letters).await {
            Ok(outcomes) if outcomes.len() == letters.len() => return Ok(outcomes),
            Ok(_) => {
                return Err(IntakeError::Store(
                    "the store answered the wrong count".into(),
                ));
            }
            Err(StoreError::Busy) => {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(StoreError::Unavailable(cause)) => {
                tracing::error!(%cause, "letters could not be committed: the database cannot store anything");
                return Err(IntakeError::Unavailable);
            }
            Err(other) => {
                tracing::error!(error = %other, "letters could not be committed");
                return Err(IntakeError::Store(other.to_string()));
            }
        }
    }
    Err(IntakeError::Busy)
}
