//! Counter keys: the figures the public pages show, kept up to date in the same
//! transaction as the letters they count, so that no page ever counts letter rows.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use crate::letter::{LetterState, Source};
use crate::text::normalise_key;

/// One counter of a campaign. Stored as text: `total`, `prisoner:{uuid}`, `month:2024-11`,
/// `city:kyiv`, `country:ukraine`, `event:{uuid}`, `source:online`, `state:received`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CounterKey {
    Total,
    Prisoner(Uuid),
    Month {
        year: i32,
        month: u32,
    },
    City(String),
    Country(String),
    Event(Uuid),
    Source(Source),
    State(LetterState),
    /// Paper letters counted at events but not entered one by one.
    Tallied,
    /// The tallied share of one event's letters.
    EventTallied(Uuid),
    /// Letters received for one prisoner on one day (UTC): what "waiting for letters"
    /// sums over its window, so that the home page never counts letter rows. Stored as
    /// `day:2026-12-07:{uuid}`, date first, so that a window is one range of keys.
    Day {
        day: NaiveDate,
        prisoner: Uuid,
    },
    /// Letters from a place (normalised like [`CounterKey::City`]) that a moderator
    /// approved: a writer-entered place is published only once enough of its letters were
    /// reviewed (`AppConfig::public_place_min_letters`).
    ApprovedCity(String),
    ApprovedCountry(String),
    /// Set by every recount: the approved places have been counted in this database
    /// (versions before them did not keep them).
    PlacesCounted,
}

/// The first and the last-plus-one stored keys of the day counters: a key is a day
/// counter exactly when it lies in `[DAY_KEYS_FROM, DAY_KEYS_UNTIL)`.
pub const DAY_KEYS_FROM: &str = "day:";
pub const DAY_KEYS_UNTIL: &str = "day;";

impl CounterKey {
    pub fn month_of(at: DateTime<Utc>) -> Self {
        CounterKey::Month {
            year: at.year(),
            month: at.month(),
        }
    }

    pub fn city(name: &str) -> Self {
        CounterKey::City(normalise_key(name))
    }

    pub fn country(name: &str) -> Self {
        CounterKey::Country(normalise_key(name))
    }

    /// The day counter of a letter received at `at` for `prisoner`.
    pub fn day_of(prisoner: Uuid, at: DateTime<Utc>) -> Self {
        CounterKey::Day {
            day: at.date_naive(),
            prisoner,
        }
    }

    /// The stored key from which day counters on and after `day` start.
    pub fn days_from(day: NaiveDate) -> String {
        format!("{DAY_KEYS_FROM}{}", day.format("%Y-%m-%d"))
    }

    /// Reads a stored key back; unknown shapes give `None` so that an older binary
    /// ignores counters a newer one added.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw == "total" {
            return Some(CounterKey::Total);
        }
        if raw == "tallied" {
            return Some(CounterKey::Tallied);
        }
        if raw == "places_counted" {
            return Some(CounterKey::PlacesCounted);
        }
        let (kind, value) = raw.split_once(':')?;
        Some(match kind {
            "prisoner" => CounterKey::Prisoner(value.parse().ok()?),
            "event" => CounterKey::Event(value.parse().ok()?),
            "event_tallied" => CounterKey::EventTallied(value.parse().ok()?),
            "month" => {
                let (y, m) = value.split_once('-')?;
                CounterKey::Month {
                    year: y.parse().ok()?,
                    month: m.parse().ok()?,
                }
            }
            "city" => CounterKey::City(value.to_owned()),
            "approved_city" => CounterKey::ApprovedCity(value.to_owned()),
            "approved_country" => CounterKey::ApprovedCountry(value.to_owned()),
            "country" => CounterKey::Country(value.to_owned()),
            "source" => CounterKey::Source(value.parse().ok()?),
            "state" => CounterKey::State(value.parse().ok()?),
            "day" => {
                let (day, prisoner) = value.split_once(':')?;
                CounterKey::Day {
                    day: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
                    prisoner: prisoner.parse().ok()?,
                }
            }
            _ => return None,
        })
    }
}

impl fmt::Display for CounterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CounterKey::Total => f.write_str("total"),
            CounterKey::Prisoner(id) => write!(f, "prisoner:{id}"),
            CounterKey::Month { year, month } => write!(f, "month:{year:04}-{month:02}"),
            CounterKey::City(c) => write!(f, "city:{c}"),
            CounterKey::Country(c) => write!(f, "country:{c}"),
            CounterKey::Event(id) => write!(f, "event:{id}"),
            CounterKey::Source(s) => write!(f, "source:{}", s.as_str()),
            CounterKey::State(s) => write!(f, "state:{}", s.as_str()),
            CounterKey::Tallied => f.write_str("tallied"),
            CounterKey::EventTallied(id) => write!(f, "event_tallied:{id}"),
            CounterKey::ApprovedCity(c) => write!(f, "approved_city:{c}"),
            CounterKey::ApprovedCountry(c) => write!(f, "approved_country:{c}"),
            CounterKey::PlacesCounted => f.write_str("places_counted"),
            CounterKey::Day { day, prisoner } => {
                write!(f, "day:{}:{prisoner}", day.format("%Y-%m-%d"))
            }
        }
    }
}

/// What a letter adds to when a moderator first approves it: its place, as counted at
/// intake (the event's for paper letters, the writer's otherwise).
pub fn keys_for_approval(city: Option<&str>, country: Option<&str>) -> Vec<CounterKey> {
    let mut keys = Vec::new();
    keys.extend(
        city.filter(|c| !c.trim().is_empty())
            .map(|c| CounterKey::ApprovedCity(normalise_key(c))),
    );
    keys.extend(
        country
            .filter(|c| !c.trim().is_empty())
            .map(|c| CounterKey::ApprovedCountry(normalise_key(c))),
    );
    keys
}

/// What a tally of paper letters at an event adds to (by its count).
pub fn keys_for_tally(
    event: Uuid,
    prisoner: Option<Uuid>,
    event_start: DateTime<Utc>,
    city: &str,
    country: &str,
) -> Vec<CounterKey> {
    let mut keys = vec![
        CounterKey::Total,
        CounterKey::Tallied,
        CounterKey::Event(event),
        CounterKey::EventTallied(event),
        CounterKey::month_of(event_start),
        CounterKey::city(city),
        CounterKey::country(country),
    ];
    keys.extend(prisoner.map(CounterKey::Prisoner));
    keys
}

/// What a newly received letter adds to: one for each key.
pub fn keys_for_new_letter(
    prisoner: Uuid,
    received_at: DateTime<Utc>,
    source: Source,
    event: Option<Uuid>,
    city: Option<&str>,
    country: Option<&str>,
) -> Vec<CounterKey> {
    let mut keys = vec![
        CounterKey::Total,
        CounterKey::Prisoner(prisoner),
        CounterKey::day_of(prisoner, received_at),
        CounterKey::month_of(received_at),
        CounterKey::Source(source),
        CounterKey::State(LetterState::Received),
    ];
    keys.extend(event.map(CounterKey::Event));
    keys.extend(city.map(CounterKey::city));
    keys.extend(country.map(CounterKey::country));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_round_trip_through_text() {
        let keys = [
            CounterKey::Total,
            CounterKey::Prisoner(Uuid::now_v7()),
            CounterKey::Month {
                year: 2024,
                month: 3,
            },
            CounterKey::city("Івано-Франківськ"),
            CounterKey::country("Україна"),
            CounterKey::Event(Uuid::now_v7()),
            CounterKey::Source(Source::Kiosk),
            CounterKey::State(LetterState::NeedsTranslation),
            CounterKey::Tallied,
            CounterKey::EventTallied(Uuid::now_v7()),
            CounterKey::day_of(
                Uuid::now_v7(),
                Utc.with_ymd_and_hms(2024, 3, 9, 23, 59, 0).unwrap(),
            ),
            CounterKey::ApprovedCity("kyiv".into()),
            CounterKey::ApprovedCountry("ukraine".into()),
            CounterKey::PlacesCounted,
        ];
        for key in keys {
            assert_eq!(CounterKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(CounterKey::parse("weather:sunny"), None);
    }

    #[test]
    fn day_counters_sort_by_day_and_lie_in_their_own_range() {
        let prisoner = Uuid::now_v7();
        let key = |y, m, d| {
            CounterKey::day_of(prisoner, Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).unwrap())
                .to_string()
        };
        let from = CounterKey::days_from(chrono::NaiveDate::from_ymd_opt(2024, 9, 10).unwrap());
        assert!(key(2024, 9, 9) < from);
        assert!(key(2024, 9, 10) >= from);
        assert!(key(2025, 1, 2) > key(2024, 12, 31));
        for k in [key(2024, 1, 1), key(2099, 12, 31)] {
            assert!((DAY_KEYS_FROM..DAY_KEYS_UNTIL).contains(&k.as_str()));
        }
        // No other kind of counter falls in the days' range.
        for other in [
            "total",
            "tallied",
            "month:2024-03",
            "city:dnipro",
            "country:x",
        ] {
            assert!(!(DAY_KEYS_FROM..DAY_KEYS_UNTIL).contains(&other));
        }
    }

    #[test]
    fn months_are_zero_padded_so_they_sort() {
        let at = Utc.with_ymd_and_hms(2024, 3, 9, 12, 0, 0).unwrap();
        assert_eq!(CounterKey::month_of(at).to_string(), "month:2024-03");
    }

    #[test]
    fn a_new_letter_counts_once_in_each_dimension() {
        let prisoner = Uuid::now_v7();
        let at = Utc.with_ymd_and_hms(2024, 11, 1, 0, 0, 0).unwrap();
        let keys = keys_for_new_letter(prisoner, at, Source::Online, None, Some(" Kyiv "), None);
        assert_eq!(keys.len(), 7);
        assert!(keys.contains(&CounterKey::City("kyiv".into())));
        assert!(keys.contains(&CounterKey::day_of(prisoner, at)));
        assert!(keys.contains(&CounterKey::Prisoner(prisoner)));
    }
}
