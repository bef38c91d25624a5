//! The annual report: every figure computed from the data of the year, never typed in.
//! Letters count in the year they were written; tallied paper letters in the year of
//! their event; events by their start; outcomes, replies and sending by the day they
//! were recorded.

use std::collections::HashMap;

use chrono::{TimeZone, Utc};
use lysty_domain::text::normalise_key;
use lysty_domain::{LetterState, Source};
use lysty_store::{PrisonerId, StoreError};
use serde::Serialize;

use lysty_domain::Role;

use crate::App;
use crate::staff::{Actor, StaffError};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnnualReport {
    pub year: i32,
    pub letters: LetterFigures,
    pub events: EventFigures,
    /// The events with the most letters, most first (at most ten).
    pub top_events: Vec<EventLine>,
    pub series: Vec<SeriesLine>,
    /// Cities and countries ranked by letters, most first.
    pub cities: Vec<Ranked>,
    pub countries: Vec<Ranked>,
    /// Prisoners who received at least one letter written this year.
    pub prisoners_reached: i64,
    /// Published prisoners who take letters and received none this year (their names).
    pub prisoners_without_letters: Vec<String>,
    pub outcomes: OutcomeFigures,
    pub replies: i64,
    /// Median days from writing to sending, for the letters sent this year.
    pub median_days_to_send: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LetterFigures {
    pub total: i64,
    pub online: i64,
    pub kiosk: i64,
    /// Paper letters entered one by one.
    pub paper_entered: i64,
    /// Paper letters counted at events and not entered.
    pub paper_tallied: i64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct EventFigures {
    pub total: i64,
    /// (kind, events), most first.
    pub by_kind: Vec<Ranked>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Ranked {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EventLine {
    pub title: String,
    pub city: String,
    pub letters: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SeriesLine {
    pub name: String,
    pub stops: i64,
    pub letters: i64,
    /// The city whose stop gathered the most letters.
    pub leading_city: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct OutcomeFigures {
    pub delivered: i64,
    pub withheld: i64,
    pub returned: i64,
    pub undeliverable: i64,
}

/// Most first, then by name, so that lists read as rankings.
fn ranking(map: HashMap<String, (String, i64)>) -> Vec<Ranked> {
    let mut list: Vec<Ranked> = map
        .into_values()
        .map(|(name, count)| Ranked { name, count })
        .filter(|r| r.count > 0)
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    list
}

/// Counts under a normalised key ("київ") and keeps the first spelling seen as the name.
fn add(map: &mut HashMap<String, (String, i64)>, name: &str, by: i64) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    map.entry(normalise_key(name))
        .or_insert_with(|| (name.to_owned(), 0))
        .1 += by;
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] as f64 + values[mid] as f64) / 2.0
    } else {
        values[mid] as f64
    })
}

/// Coordinators, viewers and admins read reports.
pub fn may_read_reports(actor: &Actor) -> Result<(), StaffError> {
    if actor.is_complete() && actor.is(&[Role::Admin, Role::Coordinator, Role::Viewer]) {
        Ok(())
    } else {
        Err(StaffError::Forbidden)
    }
}

impl App {
    /// The report for a staff member: coordinators, viewers and admins read it.
    pub async fn staff_annual_report(
        &self,
        actor: &Actor,
        year: i32,
    ) -> Result<AnnualReport, StaffError> {
        may_read_reports(actor)?;
        Ok(self.annual_report(year).await?)
    }

    pub async fn annual_report(&self, year: i32) -> Result<AnnualReport, StoreError> {
        let start = |y: i32| {
            Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
                .single()
                .ok_or_else(|| StoreError::message("the year is out of range"))
        };
        let (from, to) = (start(year)?, start(year + 1)?);
        let figures = self
            .store()
            .period_figures(self.campaign().id, from, to)
            .await?;

        let mut letters = LetterFigures::default();
        let mut cities = HashMap::new();
        let mut countries = HashMap::new();
        let mut reached: HashMap<PrisonerId, i64> = HashMap::new();
        for g in &figures.letters {
            match g.source {
                Source::Online => letters.online += g.letters,
                Source::Kiosk => letters.kiosk += g.letters,
                Source::Paper => letters.paper_entered += g.letters,
            }
            add(&mut cities, g.city.as_deref().unwrap_or(""), g.letters);
            add(
                &mut countries,
                g.country.as_deref().unwrap_or(""),
                g.letters,
            );
            *reached.entry(g.prisoner).or_default() += g.letters;
        }
        for t in &figures.tallies {
            letters.paper_tallied += t.letters;
            add(&mut cities, &t.city, t.letters);
            add(&mut countries, &t.country, t.letters);
            if let Some(p) = t.prisoner
                && t.letters > 0
            {
                *reached.entry(p).or_default() += t.letters;
            }
        }
        letters.total =
            letters.online + letters.kiosk + letters.paper_entered + letters.paper_tallied;

        // Every event of the year, demo ones too: the figures above count their letters, and
        // a report that counts an event's letters lists the event.
        let events: Vec<_> = self
            .all_events()
            .await?
            .into_iter()
            .filter(|e| e.starts_at >= from && e.starts_at < to)
            .collect();
        let mut kinds = HashMap::new();
        for e in &events {
            add(&mut kinds, &e.kind, 1);
        }
        let mut top: Vec<EventLine> = events
            .iter()
            .filter(|e| e.letters > 0)
            .map(|e| EventLine {
                title: e.title.uk.clone(),
                city: e.city.clone(),
                letters: e.letters,
            })
            .collect();
        top.sort_by(|a, b| {
            b.letters
                .cmp(&a.letters)
                .then_with(|| a.title.cmp(&b.title))
        });
        top.truncate(10);
        let mut series: HashMap<String, Vec<&lysty_store::Event>> = HashMap::new();
        for e in &events {
            if let Some(name) = &e.series {
                series.entry(name.clone()).or_default().push(e);
            }
        }
        let mut series: Vec<SeriesLine> = series
            .into_iter()
            .map(|(name, stops)| {
                let leading = stops
                    .iter()
                    .max_by(|a, b| a.letters.cmp(&b.letters).then_with(|| b.city.cmp(&a.city)))
                    .map(|e| e.city.clone())
                    .unwrap_or_default();
                SeriesLine {
                    name,
                    stops: stops.len() as i64,
                    letters: stops.iter().map(|e| e.letters).sum(),
                    leading_city: leading,
                }
            })
            .collect();
        series.sort_by(|a, b| b.letters.cmp(&a.letters).then_with(|| a.name.cmp(&b.name)));

        let mut without: Vec<String> = self
            .all_published_prisoners()
            .await?
            .into_iter()
            .filter(|p| p.status.accepts_letters() && !reached.contains_key(&p.id))
            .map(|p| p.names.uk)
            .collect();
        without.sort();

        let mut outcomes = OutcomeFigures::default();
        for (state, n) in &figures.outcomes {
            match state.parse::<LetterState>() {
                Ok(LetterState::Delivered) => outcomes.delivered += n,
                Ok(LetterState::Withheld) => outcomes.withheld += n,
                Ok(LetterState::Returned) => outcomes.returned += n,
                Ok(LetterState::Undeliverable) => outcomes.undeliverable += n,
                _ => {}
            }
        }
        let mut delays = figures.send_delays.clone();
        let median_days_to_send = median(&mut delays).map(|s| (s / 86_400.0 * 10.0).round() / 10.0);

        Ok(AnnualReport {
            year,
            letters,
            events: EventFigures {
                total: events.len() as i64,
                by_kind: ranking(kinds),
            },
            top_events: top,
            series,
            cities: ranking(cities),
            countries: ranking(countries),
            prisoners_reached: reached.values().filter(|n| **n > 0).count() as i64,
            prisoners_without_letters: without,
            outcomes,
            replies: figures.replies,
            median_days_to_send,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn places_are_counted_under_one_name_whatever_the_spelling() {
        let mut map = HashMap::new();
        add(&mut map, "Київ", 2);
        add(&mut map, " київ ", 1);
        add(&mut map, "Львів", 1);
        add(&mut map, "", 5);
        let ranked = ranking(map);
        assert_eq!(
            ranked[0],
            Ranked {
                name: "Київ".into(),
                count: 3
            }
        );
        assert_eq!(ranked.len(), 2);
    }
}
