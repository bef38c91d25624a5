//! The events and tallies files of a history import, read row by row.

use super::*;

pub fn parse_events(
    input: impl Read,
    now: DateTime<Utc>,
    campaign: lysty_store::CampaignId,
    organisations: &HashMap<String, lysty_store::OrganisationId>,
) -> Result<Vec<NewEvent>, Vec<RowError>> {
    let mut seen = std::collections::HashSet::new();
    read_rows(input, EVENT_COLUMNS, EVENT_REQUIRED, |_, get| {
        let mut problems = Vec::new();
        let slug = get("slug");
        let slug_ok = !slug.is_empty()
            && slug.len() <= 80
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            problems.push(format!(
                "slug `{slug}` must be lower-case Latin letters, digits and dashes"
            ));
        } else if !seen.insert(slug.clone()) {
            problems.push(format!("slug `{slug}` appears twice in the file"));
        }
        let kind = get("kind");
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            problems.push(format!(
                "kind `{kind}` must be lower-case Latin letters and `_`, like book_forum"
            ));
        }
        for column in ["title_uk", "city", "country"] {
            if get(column).is_empty() {
                problems.push(format!("`{column}` is empty"));
            }
        }
        let mut rows = Rows {
            now,
            problems: &mut problems,
        };
        let starts_at = rows.time("starts_at", &get("starts_at"), true);
        let ends_at = match get("ends_at").as_str() {
            "" => starts_at,
            raw => parse_date(raw).or_else(|| {
                rows.problems.push(format!(
                    "ends_at `{raw}` is not a date like {}",
                    crate::import::DATE_FORMS
                ));
                None
            }),
        };
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e < s
        {
            problems.push("ends_at is before starts_at".to_owned());
        }
        let organisation = match get("organisation").as_str() {
            "" => None,
            slug => match organisations.get(slug) {
                Some(id) => Some(*id),
                None => {
                    problems.push(format!("no organisation `{slug}` (see `lysty org list`)"));
                    None
                }
            },
        };
        let optional = |name: &str| Some(get(name)).filter(|v| !v.is_empty());
        match (starts_at, ends_at) {
            (Some(starts_at), Some(ends_at)) if problems.is_empty() => Ok(NewEvent {
                campaign,
                organisation,
                slug,
                kind,
                title: Localised {
                    uk: get("title_uk"),
                    en: get("title_en"),
                    crh: String::new(),
                },
                city: get("city"),
                country: get("country"),
                venue: optional("venue"),
                starts_at,
                ends_at,
                series: optional("series"),
                demo: false,
            }),
            _ => Err(problems),
        }
    })
}

pub fn parse_tallies(input: impl Read) -> Result<Vec<HistoricTally>, Vec<RowError>> {
    read_rows(input, TALLY_COLUMNS, TALLY_REQUIRED, |line, get| {
        let mut problems = Vec::new();
        let event = get("event");
        if event.is_empty() {
            problems.push("`event` is empty".to_owned());
        }
        let prisoner = match get("prisoner").as_str() {
            "" => None,
            raw => PrisonerSlug::parse(raw)
                .map_err(|e| problems.push(format!("prisoner `{raw}`: {e}")))
                .ok(),
        };
        let count = match get("count").parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => n,
            _ => {
                problems.push(format!(
                    "count `{}` is not a number from 1 to 1000000",
                    get("count")
                ));
                0
            }
        };
        if problems.is_empty() {
            Ok(HistoricTally {
                line,
                event,
                prisoner,
                count,
            })
        } else {
            Err(problems)
        }
    })
}
