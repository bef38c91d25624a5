//! Lysty's use cases: they combine the store with the clock, the email cipher and the
//! letter intake, and are the one place the HTTP layer and the CLI call into.

pub mod cipher;
pub mod clock;
pub mod delivery;
pub mod demo;
pub mod events;
pub mod export;
pub mod failure;
pub mod health;
pub mod history;
pub mod import;
pub mod intake;
pub mod mail;
pub mod prisoners;
pub mod public;
pub mod report;
pub mod retention;
pub mod review;
pub mod scans;
pub mod staff;
pub mod stats;
mod submit;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lysty_store::{Campaign, NewCampaign, Store, StoreError};

pub use cipher::EmailCipher;
pub use clock::{Clock, ManualClock, SystemClock};
pub use delivery::{DeliveryConfig, DeliveryError};
pub use failure::{Arg, ErrorKind, Failure, Message};
pub use intake::{Intake, IntakeConfig};
pub use mail::{MailConfig, MailText, Mailer};
pub use retention::RetentionConfig;
pub use review::{Queue, ReviewError};
pub use staff::{Actor, AuthConfig, StaffError};
pub use submit::{Field, FieldError, LetterInput, Problem, SubmitError, validate};

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The campaign this installation runs (its slug and names).
    pub campaign: NewCampaign,
    /// The longest letter accepted, in characters.
    pub max_letter_chars: usize,
    pub intake: IntakeConfig,
    pub auth: AuthConfig,
    /// How long after an event ends its kiosk still takes letters.
    pub kiosk_grace: chrono::Duration,
    pub delivery: DeliveryConfig,
    pub mail: MailConfig,
    /// How old the public figures (home page, `/stats`) may be before a page view
    /// rebuilds them. Zero (the default here) rebuilds them for every view; the server
    /// sets a second, so that a crowd costs one rebuild a second, not one per view.
    pub figures_max_age: std::time::Duration,
    /// How many approved letters a place (city, country) needs before the public
    /// figures name it; fewer, and it is counted among "other places". Zero names every
    /// place, reviewed or not.
    pub public_place_min_letters: i64,
    /// The campaign's time zone: staff read and type times in it (an event's start and
    /// end, when a claim ends). Times are stored in UTC.
    pub time_zone: chrono_tz::Tz,
    /// Where writers and the press reach the campaign (an email address or a web page),
    /// shown on the "about" and privacy pages when set.
    pub contact: Option<String>,
    /// When writers' data is erased (see `retention.rs`); shown on the privacy page.
    pub retention: RetentionConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            campaign: default_campaign(),
            max_letter_chars: lysty_domain::LetterBody::DEFAULT_MAX_CHARS,
            intake: IntakeConfig::default(),
            auth: AuthConfig::default(),
            kiosk_grace: events::DEFAULT_KIOSK_GRACE,
            delivery: DeliveryConfig::default(),
            mail: MailConfig::default(),
            figures_max_age: std::time::Duration::ZERO,
            public_place_min_letters: DEFAULT_PUBLIC_PLACE_MIN_LETTERS,
            time_zone: DEFAULT_TIME_ZONE,
            contact: None,
            retention: RetentionConfig::default(),
        }
    }
}

/// See [`AppConfig::time_zone`]: the campaign runs from Kyiv.
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Kyiv;

/// See [`AppConfig::public_place_min_letters`].
pub const DEFAULT_PUBLIC_PLACE_MIN_LETTERS: i64 = 5;

pub fn default_campaign() -> NewCampaign {
    NewCampaign {
        slug: "letters-to-free-crimea".into(),
        name_uk: "Листи до вільного Криму".into(),
        name_en: "Letters to Free Crimea".into(),
    }
}

/// How many passwords are hashed at once: every core but one, which stays free for the
/// requests that do not sign in (measured by bench/sign_in.sh), and at least one.
fn password_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_sub(1)
        .max(1)
}

/// The application: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

/// Prepared case terms by prisoner slug.
type CaseLexicons =
    std::collections::HashMap<String, (Vec<String>, Arc<lysty_domain::safety::Lexicon>)>;

struct Inner {
    store: Arc<dyn Store>,
    campaign: Campaign,
    intake: Intake,
    cipher: EmailCipher,
    clock: Arc<dyn Clock>,
    config: AppConfig,
    auth: AuthConfig,
    /// The safety lexicon, prepared for matching; replaced when admins edit it.
    lexicon: std::sync::RwLock<Arc<lysty_domain::safety::Lexicon>>,
    /// Every prisoner's names, for flagging them in letters to someone else.
    prisoner_names: std::sync::RwLock<Arc<lysty_domain::safety::PrisonerNames>>,
    /// Each prisoner's case terms as last prepared (the terms, and the prepared lexicon).
    case_lexicons: std::sync::RwLock<CaseLexicons>,
    mailer: Option<Mailer>,
    /// Woken when an email is queued, so that it goes out at once.
    mail_wakeup: tokio::sync::Notify,
    figures: public::FiguresCache,
    /// The organisations running the campaign, named on every public page; read once and
    /// again after one is saved.
    organisers: std::sync::RwLock<Option<Arc<Vec<lysty_store::Organisation>>>>,
    /// Bounds the password hashing running at once (see `App::password_work`).
    password_work: tokio::sync::Semaphore,
}

impl App {
    /// Makes sure the configured campaign exists and starts the letter intake.
    pub async fn start(
        store: Arc<dyn Store>,
        cipher: EmailCipher,
        clock: Arc<dyn Clock>,
        config: AppConfig,
    ) -> Result<Self, StoreError> {
        let id = store.upsert_campaign(&config.campaign).await?;
        let campaign = Campaign {
            id,
            slug: config.campaign.slug.clone(),
            name_uk: config.campaign.name_uk.clone(),
            name_en: config.campaign.name_en.clone(),
        };
        let mailer = match &config.mail.smtp_url {
            Some(url) => Some(
                Mailer::new(url, &config.mail.from)
                    .map_err(|e| StoreError::message(e.to_string()))?,
            ),
            None => None,
        };
        let intake = Intake::start(store.clone(), config.intake.clone());
        let app = App {
            inner: Arc::new(Inner {
                store,
                campaign,
                intake,
                cipher,
                clock,
                auth: config.auth.clone(),
                config,
                lexicon: std::sync::RwLock::new(Arc::new(lysty_domain::safety::Lexicon::new(
                    Vec::new(),
                ))),
                prisoner_names: std::sync::RwLock::default(),
                case_lexicons: std::sync::RwLock::default(),
                mailer,
                mail_wakeup: tokio::sync::Notify::new(),
                figures: public::FiguresCache::default(),
                organisers: std::sync::RwLock::new(None),
                password_work: tokio::sync::Semaphore::new(password_slots()),
            }),
        };
        app.reload_lexicon().await?;
        app.count_places_once().await?;
        Ok(app)
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    pub fn campaign(&self) -> &Campaign {
        &self.inner.campaign
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// A secret derived from the email key for `purpose` (see `EmailCipher::derived_secret`).
    pub fn derived_secret(&self, purpose: &str) -> [u8; 32] {
        self.inner.cipher.derived_secret(purpose)
    }

    pub(crate) fn cipher(&self) -> &EmailCipher {
        &self.inner.cipher
    }

    pub(crate) fn mailer(&self) -> Option<Mailer> {
        self.inner.mailer.clone()
    }

    pub(crate) fn mail_wakeup(&self) -> &tokio::sync::Notify {
        &self.inner.mail_wakeup
    }

    pub(crate) fn wake_mail(&self) {
        self.inner.mail_wakeup.notify_one();
    }

    /// A database from before approved places were counted gets them counted once, by a
    /// full recount (writers wait meanwhile; it changes no other figure).
    async fn count_places_once(&self) -> Result<(), StoreError> {
        let counters = self.store().counters(self.campaign().id).await?;
        if counters
            .iter()
            .any(|c| c.key == lysty_domain::CounterKey::PlacesCounted)
        {
            return Ok(());
        }
        let recount = self.store().rebuild_counters(self.campaign().id).await?;
        tracing::info!(
            counters = recount.counters,
            "counted the approved letters of each place once"
        );
        Ok(())
    }

    /// Waits until every letter handed to the intake has been answered.
    pub async fn shutdown(&self) {
        self.inner.intake.shutdown().await;
    }
}
