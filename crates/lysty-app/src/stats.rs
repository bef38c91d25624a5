//! The campaign's figures, read from counters (never by counting letter rows).

use std::collections::HashMap;

use chrono::Datelike;
use lysty_domain::{CounterKey, LetterState, Source};
use lysty_store::{Event, PrisonerSummary, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::App;

/// Letters counted under one key (a month `2024-11`, a city, a source…).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
pub struct Bucket {
    pub key: String,
    pub letters: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrisonerBucket {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub letters: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventBucket {
    pub id: String,
    pub title_uk: String,
    pub title_en: String,
    pub city: String,
    pub letters: i64,
}

/// Letters collected at the events an organisation ran (kiosk, paper entered and tallied).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationBucket {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub letters: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignStats {
    pub total: i64,
    pub this_month: i64,
    /// Letters that went out: sent, and those whose outcome is known since.
    pub sent: i64,
    pub delivered: i64,
    pub by_year: Vec<Bucket>,
    pub by_month: Vec<Bucket>,
    /// Places with at least `public_place_min_letters` approved letters; the letters of
    /// every other place are in `other_cities` (a place a writer typed is never shown
    /// before enough of its letters were reviewed).
    pub by_city: Vec<Bucket>,
    pub other_cities: i64,
    pub by_country: Vec<Bucket>,
    pub other_countries: i64,
    pub by_source: Vec<Bucket>,
    pub by_state: Vec<Bucket>,
    pub by_event: Vec<EventBucket>,
    /// By event series (a press tour's stops together), most first.
    pub by_series: Vec<Bucket>,
    /// By the organisation that ran the event; online letters belong to none.
    pub by_organisation: Vec<OrganisationBucket>,
    pub by_prisoner: Vec<PrisonerBucket>,
}

/// The places that may be shown (at least `k` approved letters), ranked, and the letters
/// of all the others together.
fn published_places(
    all: HashMap<String, i64>,
    approved: &HashMap<String, i64>,
    k: i64,
) -> (Vec<Bucket>, i64) {
    // Zero names every place (a campaign whose places all come from its own events).
    let (shown, hidden): (HashMap<_, _>, HashMap<_, _>) = all
        .into_iter()
        .partition(|(place, _)| k <= 0 || approved.get(place).copied().unwrap_or(0) >= k);
    (ranked(shown), hidden.values().sum())
}

/// Largest first, then by name, so that lists read as rankings.
fn ranked(map: HashMap<String, i64>) -> Vec<Bucket> {
    let mut buckets: Vec<_> = map
        .into_iter()
        .map(|(key, letters)| Bucket { key, letters })
        .collect();
    buckets.sort_by(|a, b| b.letters.cmp(&a.letters).then_with(|| a.key.cmp(&b.key)));
    buckets
}

impl App {
    /// Every published prisoner, page by page (the registry is small: hundreds).
    pub async fn all_published_prisoners(&self) -> Result<Vec<PrisonerSummary>, StoreError> {
        let mut all = Vec::new();
        loop {
            let after = all
                .last()
                .map(|p: &PrisonerSummary| p.slug.as_str().to_owned());
            let page = self
                .store()
                .list_prisoners(self.campaign().id, after.as_deref(), 200)
                .await?;
            let done = page.len() < 200;
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }

    /// Every event of the campaign, newest first, page by page.
    pub async fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let mut all: Vec<Event> = Vec::new();
        loop {
            let before = all.last().map(|e| (e.starts_at, e.id));
            let page = self
                .store()
                .list_events(self.campaign().id, before, 200)
                .await?;
            let done = page.len() < 200;
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }

    pub async fn stats(&self) -> Result<CampaignStats, StoreError> {
        let prisoners = self.all_published_prisoners().await?;
        self.stats_of(&prisoners).await
    }

    /// The figures, given the published prisoners (read once for every public figure).
    pub(crate) async fn stats_of(
        &self,
        prisoners: &[PrisonerSummary],
    ) -> Result<CampaignStats, StoreError> {
        let counters = self.store().counters(self.campaign().id).await?;
        let now = self.now();
        let current_month = CounterKey::Month {
            year: now.year(),
            month: now.month(),
        };
        let mut total = 0;
        let mut this_month = 0;
        let mut years: HashMap<String, i64> = HashMap::new();
        let mut months = Vec::new();
        let mut cities = HashMap::new();
        let mut countries = HashMap::new();
        let mut sources: HashMap<String, i64> = Source::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), 0))
            .chain([("tallied".to_owned(), 0)])
            .collect();
        let mut states = HashMap::new();
        let mut approved_cities: HashMap<String, i64> = HashMap::new();
        let mut approved_countries: HashMap<String, i64> = HashMap::new();
        let mut per_prisoner = HashMap::new();
        let mut per_event = HashMap::new();
        for counter in counters {
            let value = counter.value;
            if counter.key == current_month {
                this_month = value;
            }
            match counter.key {
                CounterKey::Total => total = value,
                CounterKey::Month { year, month } => {
                    *years.entry(format!("{year:04}")).or_default() += value;
                    months.push(Bucket {
                        key: format!("{year:04}-{month:02}"),
                        letters: value,
                    });
                }
                CounterKey::City(c) => {
                    cities.insert(c, value);
                }
                CounterKey::Country(c) => {
                    countries.insert(c, value);
                }
                CounterKey::Source(s) => {
                    sources.insert(s.as_str().to_owned(), value);
                }
                CounterKey::State(s) => {
                    states.insert(s, value);
                }
                CounterKey::Prisoner(id) => {
                    per_prisoner.insert(id, value);
                }
                CounterKey::Event(id) => {
                    per_event.insert(id, value);
                }
                CounterKey::Tallied => {
                    sources.insert("tallied".to_owned(), value);
                }
                CounterKey::ApprovedCity(c) => {
                    approved_cities.insert(c, value);
                }
                CounterKey::ApprovedCountry(c) => {
                    approved_countries.insert(c, value);
                }
                CounterKey::EventTallied(_)
                | CounterKey::Day { .. }
                | CounterKey::PlacesCounted => {}
            }
        }
        months.sort_by(|a, b| a.key.cmp(&b.key));
        let mut by_year: Vec<_> = years
            .into_iter()
            .map(|(key, letters)| Bucket { key, letters })
            .collect();
        by_year.sort_by(|a, b| a.key.cmp(&b.key));
        let by_state = LetterState::ALL
            .iter()
            .filter_map(|s| {
                states.get(s).map(|v| Bucket {
                    key: s.as_str().to_owned(),
                    letters: *v,
                })
            })
            .collect();
        let mut by_prisoner: Vec<_> = prisoners
            .iter()
            .map(|p| PrisonerBucket {
                letters: per_prisoner.get(&p.id.0).copied().unwrap_or(0),
                slug: p.slug.as_str().to_owned(),
                name_uk: p.names.uk.clone(),
                name_en: p.names.en.clone(),
            })
            .collect();
        by_prisoner.sort_by(|a, b| b.letters.cmp(&a.letters).then_with(|| a.slug.cmp(&b.slug)));
        let events = self.all_events().await?;
        // Summed from the events' counters: still no letter row is counted.
        let mut per_organisation: HashMap<_, i64> = HashMap::new();
        let mut per_series: HashMap<String, i64> = HashMap::new();
        for e in &events {
            if let (Some(series), Some(letters)) = (&e.series, per_event.get(&e.id.0)) {
                *per_series.entry(series.clone()).or_default() += letters;
            }
            if let (Some(org), Some(letters)) = (e.organisation, per_event.get(&e.id.0)) {
                *per_organisation.entry(org).or_default() += letters;
            }
        }
        let mut by_organisation: Vec<_> = self
            .store()
            .list_organisations()
            .await?
            .into_iter()
            .filter_map(|o| {
                per_organisation
                    .get(&o.id)
                    .map(|letters| OrganisationBucket {
                        slug: o.slug,
                        name_uk: o.name_uk,
                        name_en: o.name_en,
                        letters: *letters,
                    })
            })
            .collect();
        by_organisation.sort_by(|a, b| b.letters.cmp(&a.letters).then_with(|| a.slug.cmp(&b.slug)));
        let mut by_event: Vec<_> = events
            .into_iter()
            .filter_map(|e| {
                per_event.get(&e.id.0).map(|letters| EventBucket {
                    id: e.id.to_string(),
                    title_uk: e.title.uk,
                    title_en: e.title.en,
                    city: e.city,
                    letters: *letters,
                })
            })
            .collect();
        by_event.sort_by_key(|e| std::cmp::Reverse(e.letters));
        let mut by_source = ranked(sources);
        // Online, kiosk, paper entered, then paper tallied.
        by_source.sort_by_key(|b| {
            Source::ALL
                .iter()
                .position(|s| s.as_str() == b.key)
                .unwrap_or(Source::ALL.len())
        });
        let in_state = |s: LetterState| states.get(&s).copied().unwrap_or(0);
        let delivered = in_state(LetterState::Delivered);
        let sent = in_state(LetterState::Sent)
            + delivered
            + in_state(LetterState::Withheld)
            + in_state(LetterState::Returned);
        let k = self.config().public_place_min_letters;
        let (by_city, other_cities) = published_places(cities, &approved_cities, k);
        let (by_country, other_countries) = published_places(countries, &approved_countries, k);
        Ok(CampaignStats {
            total,
            this_month,
            sent,
            delivered,
            by_year,
            by_month: months,
            by_city,
            other_cities,
            by_country,
            other_countries,
            by_source,
            by_state,
            by_event,
            by_series: ranked(per_series),
            by_organisation,
            by_prisoner,
        })
    }
}

/// A prisoner on the "waiting for letters" list.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub prisoner: PrisonerSummary,
    /// Letters received in the last [`WAITING_WINDOW_DAYS`] days.
    pub recent: i64,
    /// Their next birthday, when it falls within [`BIRTHDAY_NOTICE_DAYS`] days.
    pub birthday: Option<chrono::NaiveDate>,
}

pub const WAITING_WINDOW_DAYS: i64 = 90;
pub const BIRTHDAY_NOTICE_DAYS: i64 = 30;

/// The next day on or after `today` with the month and day of `born` (29 February falls
/// on 1 March in other years).
pub fn next_birthday(
    born: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let on = |year: i32| {
        chrono::NaiveDate::from_ymd_opt(year, born.month(), born.day())
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, 3, 1))
    };
    let this_year = on(today.year())?;
    if this_year >= today {
        Some(this_year)
    } else {
        on(today.year() + 1)
    }
}

impl App {
    /// Prisoners who take letters, those with the fewest letters lately first (then the
    /// fewest ever), with birthdays coming up marked.
    pub async fn waiting_for_letters(&self) -> Result<Vec<Waiting>, StoreError> {
        let prisoners = self.all_published_prisoners().await?;
        self.waiting_of(prisoners).await
    }

    /// "Waiting for letters", given the published prisoners.
    pub(crate) async fn waiting_of(
        &self,
        prisoners: Vec<PrisonerSummary>,
    ) -> Result<Vec<Waiting>, StoreError> {
        let now = self.now();
        let recent = self
            .store()
            .recent_letters(
                self.campaign().id,
                now - chrono::Duration::days(WAITING_WINDOW_DAYS),
            )
            .await?;
        let recent: std::collections::HashMap<_, _> =
            recent.into_iter().map(|r| (r.prisoner, r)).collect();
        let today = now.date_naive();
        let mut waiting: Vec<Waiting> = prisoners
            .into_iter()
            .filter(|p| p.status.accepts_letters())
            .map(|prisoner| {
                let lately = recent.get(&prisoner.id);
                let birthday = lately
                    .and_then(|r| r.birth_date)
                    .and_then(|born| next_birthday(born, today))
                    .filter(|day| (*day - today).num_days() <= BIRTHDAY_NOTICE_DAYS);
                Waiting {
                    recent: lately.map_or(0, |r| r.letters),
                    birthday,
                    prisoner,
                }
            })
            .collect();
        waiting.sort_by(|a, b| {
            (a.recent, a.prisoner.letters, a.prisoner.slug.as_str()).cmp(&(
                b.recent,
                b.prisoner.letters,
                b.prisoner.slug.as_str(),
            ))
        });
        Ok(waiting)
    }
}

#[cfg(test)]
mod waiting_tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_next_birthday_is_this_year_or_next() {
        assert_eq!(
            next_birthday(day(1985, 12, 10), day(2026, 11, 30)),
            Some(day(2026, 12, 10))
        );
        assert_eq!(
            next_birthday(day(1985, 11, 30), day(2026, 11, 30)),
            Some(day(2026, 11, 30))
        );
        assert_eq!(
            next_birthday(day(1985, 1, 5), day(2026, 11, 30)),
            Some(day(2027, 1, 5))
        );
        assert_eq!(
            next_birthday(day(1984, 2, 29), day(2026, 2, 1)),
            Some(day(2026, 3, 1))
        );
        assert_eq!(
            next_birthday(day(1984, 2, 29), day(2028, 2, 1)),
            Some(day(2028, 2, 29))
        );
    }
}
