//! Email to writers, over SMTP with lettre. Emails are queued in the outbox in the same
//! transaction as their reason (a reply) and sent afterwards by [`App::send_pending_mail`],
//! so that a crash between the two loses nothing and a failed send is retried.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lysty_store::MailItem;

use crate::App;

#[derive(Clone)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or `smtps://host:465`;
    /// `None` keeps emails queued until an SMTP server is configured.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Lysty <letters@example.org>`.
    pub from: String,
    /// The site's public address, for links in emails.
    pub public_url: String,
    /// How often the outbox is looked at even without a wake-up.
    pub poll: Duration,
}

/// Written by hand so that the SMTP password in `smtp_url` never reaches a log line.
impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &self.smtp_url.as_deref().map(mask_password))
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .field("poll", &self.poll)
            .finish()
    }
}

/// `smtp://user:secret@host` → `smtp://user:***@host`.
fn mask_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: "Lysty <letters@localhost>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            poll: Duration::from_secs(30),
        }
    }
}

/// How long an email taken for sending is left to its sender before another may take it.
const MAIL_LEASE: chrono::Duration = chrono::Duration::minutes(10);
/// Emails (and, apart, notices to staff) taken in one round: at 20 seconds each at worst,
/// a round ends well within the lease.
const MAIL_PER_ROUND: i64 = 20;

/// The texts of an email, in the writer's language. Implemented where the message
/// files live (the HTTP crate), so this crate holds no user-facing text.
pub trait MailText: Send + Sync {
    /// Subject and plain-text body of the email telling a writer that the person they
    /// wrote to has replied.
    fn reply_email(
        &self,
        language: &str,
        prisoner_name: &str,
        letter_url: &str,
    ) -> (String, String);

    /// Subject and plain-text body of an email to a staff member about their own account
    /// (`kind`, e.g. `second_factor_replaced`). Staff accounts have no language of their
    /// own, so the text carries every language the site speaks.
    fn staff_notice(&self, kind: &str, sign_in_url: &str) -> (String, String);
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the SMTP address is invalid: {0}")]
    Url(String),
    #[error("the sender address is invalid: {0}")]
    From(String),
}

/// The SMTP connection settings, ready to send.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::From(e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, to: &str, subject: String, body: String) -> Result<(), SendFailure> {
        let to: Mailbox = to.parse().map_err(|_| SendFailure::permanent("address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|_| SendFailure::permanent("message"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendFailure::of(&e))
    }
}

/// What is kept of a failed send: its class and SMTP code, never the server's words,
/// which quote the writer's address ("550 5.1.1 <name@example.org>: user unknown").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// The server refused for good (5xx), or the address or message cannot be sent:
    /// retrying cannot help.
    pub permanent: bool,
    /// `permanent 550`, `transient 421`, `timeout`, `tls`, `connection`, `address`…
    pub summary: String,
}

impl SendFailure {
    fn permanent(class: &str) -> Self {
        SendFailure {
            permanent: true,
            summary: class.to_owned(),
        }
    }

    fn of(error: &lettre::transport::smtp::Error) -> Self {
        let code = error.status().map(|c| c.to_string());
        let (permanent, class) = if error.is_permanent() {
            (true, "permanent")
        } else if error.is_transient() {
            (false, "transient")
        } else if error.is_timeout() {
            (false, "timeout")
        } else if error.is_tls() {
            (false, "tls")
        } else {
            (false, "connection")
        };
        SendFailure {
            permanent,
            summary: match code {
                Some(code) => format!("{class} {code}"),
                None => class.to_owned(),
            },
        }
    }
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)
    }
}

/// How many emails went out and how many will be tried again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRound {
    pub sent: usize,
    pub failed: usize,
}

impl App {
    /// Sends the emails waiting in the outbox. Failures are kept with their error and
    /// retried later, waiting longer after each attempt.
    pub async fn send_pending_mail(
        &self,
        text: &dyn MailText,
    ) -> Result<MailRound, lysty_store::StoreError> {
        let Some(mailer) = self.mailer() else {
            return Ok(MailRound::default());
        };
        let mut round = MailRound::default();
        // Claimed for a while, so that another instance sending mail does not send these
        // too; a round takes few enough to finish within the lease, even with each
        // server taking its full 20 seconds.
        let lease_until = self.now() + MAIL_LEASE;
        let items = self
            .store()
            .claim_mail(self.now(), lease_until, MAIL_PER_ROUND)
            .await?;
        for item in items {
            match self.send_one(&mailer, text, &item).await {
                Ok(()) => {
                    self.store().mark_mail_sent(item.id, self.now()).await?;
                    round.sent += 1;
                }
                Err(error) if error.permanent => {
                    tracing::warn!(%error, mail = %item.id, "an email was refused for good");
                    self.store()
                        .give_up_mail(item.id, &error.summary, self.now())
                        .await?;
                    round.failed += 1;
                }
                Err(error) => {
                    tracing::warn!(%error, mail = %item.id, "an email could not be sent");
                    let wait = chrono::Duration::minutes(
                        2_i64.saturating_pow(item.attempts.clamp(0, 10) as u32),
                    );
                    self.store()
                        .mark_mail_failed(item.id, &error.summary, self.now() + wait)
                        .await?;
                    round.failed += 1;
                }
            }
        }
        let notices = self
            .store()
            .claim_staff_notices(self.now(), self.now() + MAIL_LEASE, MAIL_PER_ROUND)
            .await?;
        let sign_in = format!(
            "{}/staff",
            self.config().mail.public_url.trim_end_matches('/')
        );
        for notice in notices {
            let (subject, body) = text.staff_notice(&notice.kind, &sign_in);
            match mailer.send(&notice.email, subject, body).await {
                Ok(()) => {
                    self.store()
                        .mark_staff_notice_sent(notice.id, self.now())
                        .await?;
                    round.sent += 1;
                }
                Err(error) if error.permanent => {
                    tracing::warn!(%error, notice = %notice.id, "an email to staff was refused for good");
                    self.store()
                        .give_up_staff_notice(notice.id, &error.summary, self.now())
                        .await?;
                    round.failed += 1;
                }
                Err(error) => {
                    tracing::warn!(%error, notice = %notice.id, "an email to staff could not be sent");
                    let wait = chrono::Duration::minutes(
                        2_i64.saturating_pow(notice.attempts.clamp(0, 10) as u32),
                    );
                    self.store()
                        .mark_staff_notice_failed(notice.id, &error.summary, self.now() + wait)
                        .await?;
                    round.failed += 1;
                }
            }
        }
        Ok(round)
    }

    async fn send_one(
        &self,
        mailer: &Mailer,
        text: &dyn MailText,
        item: &MailItem,
    ) -> Result<(), SendFailure> {
        // A key that cannot open the address may be fixed by the operator: retried.
        let to = self
            .cipher()
            .decrypt(&item.email_encrypted)
            .map_err(|_| SendFailure {
                permanent: false,
                summary: "email key".into(),
            })?;
        let base = self.config().mail.public_url.trim_end_matches('/');
        let code = lysty_domain::TrackingCode::parse(&item.tracking_code)
            .map(|c| c.display())
            .unwrap_or_else(|_| item.tracking_code.clone());
        let url = format!("{base}/letters/{code}");
        let name = match item.language.as_str() {
            "en" => &item.prisoner_names.en,
            "crh" => item
                .prisoner_names
                .crh
                .as_ref()
                .unwrap_or(&item.prisoner_names.uk),
            _ => &item.prisoner_names.uk,
        };
        let (subject, body) = text.reply_email(&item.language, name, &url);
        mailer.send(&to, subject, body).await
    }

    /// How many emails to writers were refused for good (for the dispatchers' page).
    pub async fn undeliverable_emails(
        &self,
        actor: &crate::Actor,
    ) -> Result<i64, crate::DeliveryError> {
        if !Self::may_dispatch(actor) {
            return Err(crate::DeliveryError::Forbidden);
        }
        Ok(self.store().given_up_mail().await?)
    }

    /// Runs the outbox until the process ends: after each wake-up and every `poll`.
    pub fn spawn_mail_loop(&self, text: Arc<dyn MailText>) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                match app.send_pending_mail(text.as_ref()).await {
                    // A full round: more may be waiting, so go on at once.
                    Ok(round) if round.sent + round.failed >= MAIL_PER_ROUND as usize => {
                        continue;
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "the outbox could not be read"),
                }
                let _ = tokio::time::timeout(app.config().mail.poll, app.mail_wakeup().notified())
                    .await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smtp_password_is_never_printed() {
        let config = MailConfig {
            smtp_url: Some("smtp://letters:s3cret-pass@mail.example:587?tls=required".into()),
            ..MailConfig::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret-pass"), "{printed}");
        assert!(
            printed.contains("smtp://letters:***@mail.example:587"),
            "{printed}"
        );
        assert_eq!(
            mask_password("smtp://mail.example:25"),
            "smtp://mail.example:25"
        );
    }
}

#[cfg(test)]
mod smtp_tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    /// A one-connection SMTP server that refuses every recipient with `refusal`, quoting
    /// the address as real servers do.
    async fn refusing_server(refusal: &'static str) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            while let Ok(Some(line)) = lines.next_line().await {
                let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
                let answer = match verb.as_str() {
                    "EHLO" | "HELO" => "250 test".to_owned(),
                    "MAIL" => "250 ok".to_owned(),
                    "RCPT" => {
                        let address = line.split(':').nth(1).unwrap_or("").trim().to_owned();
                        format!("{refusal} {address}: no such user here")
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    }
                    _ => "250 ok".to_owned(),
                };
                if write
                    .write_all(format!("{answer}\r\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
        port
    }

    async fn send_to_refusing(refusal: &'static str) -> SendFailure {
        let port = refusing_server(refusal).await;
        let mailer = Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Lysty <letters@example.org>",
        )
        .unwrap();
        mailer
            .send("oksana.writer@example.org", "Subject".into(), "Body".into())
            .await
            .unwrap_err()
    }

    #[tokio::test]
    async fn a_permanent_refusal_keeps_its_code_and_never_the_address() {
        let failure = send_to_refusing("550 5.1.1").await;
        assert!(failure.permanent);
        assert_eq!(failure.summary, "permanent 550");
        assert!(!failure.to_string().contains("oksana"));
    }

    #[tokio::test]
    async fn a_transient_refusal_is_retried() {
        let failure = send_to_refusing("451 4.3.0").await;
        assert!(!failure.permanent);
        assert_eq!(failure.summary, "transient 451");
    }

    #[tokio::test]
    async fn an_address_that_cannot_be_written_to_is_given_up_at_once() {
        let mailer = Mailer::new("smtp://127.0.0.1:9", "Lysty <letters@example.org>").unwrap();
        let failure = mailer
            .send("not an address", "Subject".into(), "Body".into())
            .await
            .unwrap_err();
        assert_eq!(failure, SendFailure::permanent("address"));
    }
}
