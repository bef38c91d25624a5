//! The campaign's statistics page: figures from counters, charts beside their tables.

use super::*;

#[derive(askama::Template)]
#[template(path = "stats.html")]
pub(super) struct StatsPage {
    c: Chrome,
    stats: CampaignStats,
    months: crate::charts::ColumnChart,
    sources: crate::charts::BarChart,
    cities: crate::charts::BarChart,
    countries: crate::charts::BarChart,
    prisoners: crate::charts::BarChart,
    events: crate::charts::BarChart,
    series: crate::charts::BarChart,
    organisations: crate::charts::BarChart,
    /// Letters whose writers gave no city (or country).
    cities_not_stated: i64,
    countries_not_stated: i64,
}

pub async fn stats(State(state): State<AppState>, c: Chrome) -> Result<Response, PageError> {
    use crate::charts::{bars, columns};
    let stats = match state.app.public_figures().await {
        Ok(figures) => figures.stats.clone(),
        Err(e) => return Err(PageError::internal(c, e)),
    };
    let series = |items: Vec<(String, i64)>| -> Vec<(String, i64, String)> {
        items
            .into_iter()
            .map(|(label, v)| (label, v, c.lang.num(v)))
            .collect()
    };
    let en = c.lang.code() == "en";
    let by_month: Vec<(String, i64)> = stats
        .by_month
        .iter()
        .map(|b| (b.key.clone(), b.letters))
        .collect();
    let mut months = columns(
        "chart-months",
        c.t("stats-chart-months"),
        &series(
            crate::charts::continuous_months(&by_month)
                .into_iter()
                .map(|(key, letters)| (c.lang.month_key(&key), letters))
                .collect(),
        ),
        36,
    );
    months.legend = c.t("stats-chart-months-line");
    let sources = bars(
        "chart-sources",
        c.t("stats-by-source"),
        &series(
            stats
                .by_source
                .iter()
                .map(|b| (c.t(format!("source-{}", b.key)), b.letters))
                .collect(),
        ),
        10,
    );
    // Places are counted under a normalised key ("київ"); shown as a name ("Київ").
    let place = |list: &[lysty_app::stats::Bucket]| {
        series(
            list.iter()
                .map(|b| {
                    let mut chars = b.key.chars();
                    let name = chars
                        .next()
                        .map(|first| first.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                    (name, b.letters)
                })
                .collect(),
        )
    };
    let cities = bars(
        "chart-cities",
        c.t("stats-by-city"),
        &place(&stats.by_city),
        10,
    );
    let countries = bars(
        "chart-countries",
        c.t("stats-by-country"),
        &place(&stats.by_country),
        10,
    );
    let prisoners = bars(
        "chart-prisoners",
        c.t("stats-by-prisoner"),
        &series(
            stats
                .by_prisoner
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.name_en.clone()
                        } else {
                            b.name_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        12,
    );
    let events = bars(
        "chart-events",
        c.t("stats-by-event"),
        &series(
            stats
                .by_event
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.title_en.clone()
                        } else {
                            b.title_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        10,
    );
    let series_chart = bars(
        "chart-series",
        c.t("stats-by-series"),
        &series(
            stats
                .by_series
                .iter()
                .map(|b| (b.key.clone(), b.letters))
                .collect(),
        ),
        10,
    );
    let organisations = bars(
        "chart-organisations",
        c.t("stats-by-organisation"),
        &series(
            stats
                .by_organisation
                .iter()
                .map(|b| {
                    (
                        if en {
                            b.name_en.clone()
                        } else {
                            b.name_uk.clone()
                        },
                        b.letters,
                    )
                })
                .collect(),
        ),
        10,
    );
    // Every letter is in a row of the places: named, among the others, or without a place.
    let placed = |named: &[lysty_app::stats::Bucket], others: i64| {
        (stats.total - named.iter().map(|b| b.letters).sum::<i64>() - others).max(0)
    };
    let cities_not_stated = placed(&stats.by_city, stats.other_cities);
    let countries_not_stated = placed(&stats.by_country, stats.other_countries);
    Ok(render(
        StatusCode::OK,
        &StatsPage {
            c,
            stats,
            months,
            sources,
            cities,
            countries,
            prisoners,
            events,
            series: series_chart,
            organisations,
            cities_not_stated,
            countries_not_stated,
        },
    ))
}
