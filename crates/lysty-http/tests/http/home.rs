//! The campaign home: who is waiting for letters, by the letters of the last 90 days,
//! with birthdays coming up marked — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::Backend;
use lysty_store::{Localised, NewPrisoner, PrisonerNames, PrisonerSlug, PrisonerStatus};
use serde_json::json;

async fn the_home_lists_those_with_fewest_recent_letters_first_and_marks_birthdays(
    backend: Backend,
) {
    let app = common::spawn_default(backend)
        .await
        .expect("backend configured");
    let soon = app.app.now().date_naive() + chrono::Duration::days(10);
    let born = chrono::NaiveDate::from_ymd_opt(
        1980,
        chrono::Datelike::month(&soon),
        chrono::Datelike::day(&soon).min(28),
    )
    .unwrap();
    app.app
        .store()
        .upsert_prisoners(&[NewPrisoner {
            slug: PrisonerSlug::parse("aaa-first-by-name").unwrap(),
            names: PrisonerNames {
                uk: "Тест Іменинник".into(),
                en: "Test Birthday".into(),
                crh: None,
                ru_full: None,
            },
            birth_year: Some(1980),
            birth_date: Some(born),
            status: PrisonerStatus::Convicted,
            gender: lysty_domain::Gender::Male,
            story: Localised::default(),
            guidance: Localised::default(),
            facility: None,
            published: true,
        }])
        .await
        .unwrap();
    // Letters today for the new prisoner: they move behind those with none lately.
    for _ in 0..2 {
        let response = app
            .post_json(
                "/api/v1/letters",
                &json!({"prisoner": "aaa-first-by-name", "body": "Привіт! Тримайся."}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let html = app
        .client
        .get(app.url("/?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let birthday = html.find("Test Birthday").expect("listed");
    let none_lately = html
        .find("No letters in 90 days")
        .expect("others with none lately");
    assert!(none_lately < birthday, "fewest recent letters first");
    assert!(html.contains("2 letters in 90 days"));
    assert!(
        html[birthday..].contains("Birthday on"),
        "the birthday is marked"
    );
}

async fn the_statistics_page_draws_accessible_charts_from_the_counters(backend: Backend) {
    let app = common::spawn(
        backend,
        common::every_place_named(),
        lysty_http::HttpConfig::default(),
    )
    .await
    .expect("backend configured");
    for city in ["Івано-Франківськ", "Івано-Франківськ", "Київ <b>bold</b>"]
    {
        let response = app
            .post_json(
                "/api/v1/letters",
                &json!({"prisoner": "remzi-bekirov", "body": "Привіт! Тримайся.", "writer_city": city}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let html = app
        .client
        .get(app.url("/stats?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for chart in [
        "chart-months",
        "chart-sources",
        "chart-cities",
        "chart-prisoners",
    ] {
        assert!(
            html.contains(&format!("aria-labelledby=\"{chart}-title\"")),
            "{chart} is drawn with a title"
        );
    }
    assert!(html.contains("<title id=\"chart-cities-title\">"));
    assert!(
        !html.contains("<b>bold</b>"),
        "a writer's city is text, not markup"
    );
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;") || html.contains("&#60;b&#62;bold"));
    // The bars are proportional: the city with two letters has the longer bar.
    let cities = &html[html.find("chart-cities-title").unwrap()..];
    let cities = &cities[..cities.find("</svg>").unwrap()];
    let widths: Vec<u32> = cities
        .match_indices("class=\"chart-bar\"")
        .map(|(i, _)| {
            let rest = &cities[i..];
            let w = &rest[rest.find("width=\"").unwrap() + 7..];
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), 2);
    assert_eq!(widths[0], 2 * widths[1]);
    assert!(html.contains("sent to facilities") && html.contains("delivered"));
}

async fn letters_at_events_count_for_their_organisation_and_series(backend: Backend) {
    let app = common::spawn_default(backend)
        .await
        .expect("backend configured");
    let store = app.app.store();
    let campaign = app.app.campaign().id;
    let pen = store
        .list_organisations()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.slug == "pen-ukraine")
        .unwrap();
    let before = |stats: &serde_json::Value| {
        stats["by_organisation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["slug"] == "pen-ukraine")
            .map_or(0, |o| o["letters"].as_i64().unwrap())
    };
    let stats: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
    let had = before(&stats);
    let at = app.app.now();
    let event = store
        .upsert_event(
            &lysty_store::NewEvent {
                campaign,
                organisation: Some(pen.id),
                slug: "pen-reading-night".into(),
                kind: "meeting".into(),
                title: Localised {
                    uk: "Вечір читань".into(),
                    en: "Reading night".into(),
                    crh: String::new(),
                },
                city: "Київ".into(),
                country: "Україна".into(),
                venue: None,
                starts_at: at,
                ends_at: at + chrono::Duration::hours(2),
                series: Some("Читання 2026".into()),
                demo: false,
            },
            None,
        )
        .await
        .unwrap();
    store
        .record_tally(
            campaign,
            &lysty_store::NewTally {
                event,
                prisoner: None,
                count: 7,
                actor: None,
                at,
                audit: None,
            },
        )
        .await
        .unwrap();
    // An online letter belongs to no organisation.
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Привіт! Тримайся."}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let stats: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(before(&stats), had + 7);
    let series = stats["by_series"].as_array().unwrap();
    assert!(
        series
            .iter()
            .any(|s| s["key"] == "Читання 2026" && s["letters"] == 7),
        "{series:?}"
    );
    let html = app.get("/stats?lang=en").await.text().await.unwrap();
    assert!(html.contains("chart-organisations-title"));
    assert!(html.contains("By organisation"));
    assert!(html.contains("chart-series-title"));
}

on_both_databases!(
    the_home_lists_those_with_fewest_recent_letters_first_and_marks_birthdays,
    the_statistics_page_draws_accessible_charts_from_the_counters,
    letters_at_events_count_for_their_organisation_and_series
);
