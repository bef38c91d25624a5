//! What the public side reads: published prisoners, events, a letter by its tracking code,
//! and the campaign's figures. The figures come from a snapshot, so that at a campaign's
//! peak a page view runs no query: at most one rebuild per [`AppConfig::figures_max_age`]
//! (single-flight), read from counters only.
//!
//! [`AppConfig::figures_max_age`]: crate::AppConfig::figures_max_age

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lysty_domain::TrackingCode;
use lysty_store::{Event, EventId, Prisoner, PrisonerSummary, StoreError, TrackedLetter};

use crate::App;
use crate::stats::{CampaignStats, Waiting};

/// The public figures at one moment: the campaign's statistics and who waits for letters.
#[derive(Debug)]
pub struct PublicFigures {
    pub stats: CampaignStats,
    pub waiting: Vec<Waiting>,
    pub built_at: DateTime<Utc>,
}

/// A letter as its writer follows it, with the day a reply to it came, if one did.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub letter: TrackedLetter,
    pub reply_at: Option<DateTime<Utc>>,
}

/// The snapshot and the lock that makes its rebuild single-flight.
#[derive(Default)]
pub(crate) struct FiguresCache {
    current: std::sync::RwLock<Option<Arc<PublicFigures>>>,
    rebuild: tokio::sync::Mutex<()>,
    /// The campaign's usual days from writing to sending, and when it was worked out.
    usual_wait: tokio::sync::Mutex<Option<(DateTime<Utc>, Option<f64>)>>,
}

/// How long the usual wait is kept before it is worked out again: it moves slowly, and
/// working it out reads a year of sendings.
const USUAL_WAIT_MAX_AGE: chrono::Duration = chrono::Duration::hours(1);

impl App {
    /// The campaign's public figures, at most `figures_max_age` old.
    pub async fn public_figures(&self) -> Result<Arc<PublicFigures>, StoreError> {
        let cache = &self.inner.figures;
        if let Some(fresh) = self.fresh_figures() {
            return Ok(fresh);
        }
        // One rebuild at a time; those who waited for it take its result.
        let _rebuilding = cache.rebuild.lock().await;
        if let Some(fresh) = self.fresh_figures() {
            return Ok(fresh);
        }
        let built_at = self.now();
        let prisoners = self.all_published_prisoners().await?;
        let figures = Arc::new(PublicFigures {
            stats: self.stats_of(&prisoners).await?,
            waiting: self.waiting_of(prisoners).await?,
            built_at,
        });
        if let Ok(mut current) = cache.current.write() {
            *current = Some(figures.clone());
        }
        Ok(figures)
    }

    /// The median days from a letter's writing to its sending over the last year, for
    /// telling writers what to expect; `None` before any letter was sent.
    pub async fn usual_days_to_send(&self) -> Result<Option<f64>, StoreError> {
        let mut cached = self.inner.figures.usual_wait.lock().await;
        let now = self.now();
        if let Some((at, days)) = *cached
            && now - at < USUAL_WAIT_MAX_AGE
            && now >= at
        {
            return Ok(days);
        }
        let mut delays = self
            .store()
            .send_delays(self.campaign().id, now - chrono::Duration::days(365), now)
            .await?;
        let days = crate::report::median(&mut delays).map(|seconds| seconds / 86_400.0);
        *cached = Some((now, days));
        Ok(days)
    }

    /// The organisations running the campaign, for naming them on every public page.
    pub async fn organisers(&self) -> Result<Arc<Vec<lysty_store::Organisation>>, StoreError> {
        if let Some(known) = self.inner.organisers.read().ok().and_then(|o| o.clone()) {
            return Ok(known);
        }
        let all = Arc::new(self.store().list_organisations().await?);
        if let Ok(mut known) = self.inner.organisers.write() {
            *known = Some(all.clone());
        }
        Ok(all)
    }

    /// After an organisation is saved: the next page reads them again.
    pub(crate) fn forget_organisers(&self) {
        if let Ok(mut known) = self.inner.organisers.write() {
            *known = None;
        }
    }

    fn fresh_figures(&self) -> Option<Arc<PublicFigures>> {
        let max_age = chrono::Duration::from_std(self.config().figures_max_age).ok()?;
        let current = self.inner.figures.current.read().ok()?.clone()?;
        let age = self.now() - current.built_at;
        (age >= chrono::Duration::zero() && age < max_age).then_some(current)
    }

    /// A prisoner the public may see: `None` for an unknown or unpublished one.
    pub async fn published_prisoner(&self, slug: &str) -> Result<Option<Prisoner>, StoreError> {
        Ok(self
            .store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .filter(|p| p.published))
    }

    /// One page of the published prisoners, by slug after `after`.
    pub async fn published_prisoners(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<PrisonerSummary>, StoreError> {
        self.store()
            .list_prisoners(self.campaign().id, after, limit)
            .await
    }

    /// A letter by the tracking code its writer holds.
    pub async fn tracked_letter(&self, code: &TrackingCode) -> Result<Option<Tracked>, StoreError> {
        let Some(letter) = self.store().letter_by_tracking_code(code.as_str()).await? else {
            return Ok(None);
        };
        let reply_at = self.store().reply_for_letter(letter.id).await?;
        Ok(Some(Tracked { letter, reply_at }))
    }

    pub async fn event(&self, id: EventId) -> Result<Option<Event>, StoreError> {
        self.store().event_by_id(id).await
    }

    /// The stops of an event series (a press tour), in order.
    pub async fn series(&self, series: &str) -> Result<Vec<Event>, StoreError> {
        self.store()
            .events_in_series(self.campaign().id, series)
            .await
    }

    /// Which database this is: `sqlite` or `postgres`.
    pub fn store_kind(&self) -> &'static str {
        self.store().backend()
    }
}
