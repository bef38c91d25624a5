//! The annual report from a year of history: events with a five-stop series, letters from
//! several cities, tallies, delivery and a reply — every figure checked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use lysty_app::{App, AppConfig, EmailCipher, SystemClock};
use lysty_domain::{LetterBody, Place, PrisonerSlug, Source, TrackingCode};
use lysty_store::{
    EventId, FlagsUpdate, LetterLanguage, Localised, NewEvent, NewLetter, NewPrisoner, NewTally,
    PrisonerNames, PrisonerStatus,
};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()
}

async fn app() -> App {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}", dir.join("r.db").display());
    let store = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .unwrap();
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap();
    App::start(
        Arc::new(store),
        cipher,
        Arc::new(SystemClock),
        AppConfig::default(),
    )
    .await
    .unwrap()
}

fn prisoner(slug: &str, name: &str, status: PrisonerStatus) -> NewPrisoner {
    NewPrisoner {
        slug: PrisonerSlug::parse(slug).unwrap(),
        names: PrisonerNames {
            uk: name.into(),
            en: name.into(),
            crh: None,
            ru_full: None,
        },
        birth_year: None,
        birth_date: None,
        status,
        story: Localised::default(),
        guidance: Localised::default(),
        facility: None,
        published: true,
    }
}

async fn event(
    app: &App,
    slug: &str,
    kind: &str,
    city: &str,
    country: &str,
    at: DateTime<Utc>,
    series: Option<&str>,
) -> EventId {
    app.store()
        .upsert_event(&NewEvent {
            campaign: app.campaign().id,
            organisation: None,
            slug: slug.into(),
            kind: kind.into(),
            title: Localised {
                uk: format!("Подія {slug}"),
                en: slug.into(),
            },
            city: city.into(),
            country: country.into(),
            venue: None,
            starts_at: at,
            ends_at: at + chrono::Duration::hours(3),
            series: series.map(Into::into),
            demo: false,
        })
        .await
        .unwrap()
}

#[allow(
    clippy::too_many_arguments,
    reason = "a test helper spelling out each letter's facts"
)]
async fn letters(
    app: &App,
    prisoner: &str,
    city: &str,
    country: &str,
    source: Source,
    ev: Option<EventId>,
    at: DateTime<Utc>,
    n: usize,
) {
    let batch: Vec<NewLetter> = (0..n)
        .map(|_| NewLetter {
            id: lysty_store::LetterId::new(),
            campaign: app.campaign().id,
            tracking_code: TrackingCode::generate(),
            idempotency_key: None,
            prisoner: PrisonerSlug::parse(prisoner).unwrap(),
            source,
            event: ev,
            writer_name: None,
            writer_city: Place::parse(city).unwrap(),
            writer_country: Place::parse(country).unwrap(),
            writer_email_encrypted: None,
            language: LetterLanguage::Uk,
            body: LetterBody::parse("Тримайся!", 8000).unwrap(),
            received_at: at,
            flags: FlagsUpdate {
                json: "[]".into(),
                kinds: Vec::new(),
                detected_language: None,
            },
            fingerprint: String::new(),
        })
        .collect();
    app.store().submit_letters(&batch).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_years_report_is_computed_from_its_history() {
    let app = app().await;
    app.store()
        .upsert_prisoners(&[
            prisoner(
                "server-mustafayev",
                "Сервер Мустафаєв",
                PrisonerStatus::Convicted,
            ),
            prisoner("remzi-bekirov", "Ремзі Бекіров", PrisonerStatus::Convicted),
            prisoner(
                "iryna-danylovych",
                "Ірина Данилович",
                PrisonerStatus::Convicted,
            ),
            prisoner(
                "nariman-dzhelyal",
                "Наріман Джелял",
                PrisonerStatus::Exchanged,
            ),
        ])
        .await
        .unwrap();

    // A press tour of five stops; Ivano-Frankivsk gathers the most.
    let stops = [
        ("tour-kyiv", "Київ", 3, 3, 10),
        ("tour-lviv", "Львів", 2, 0, 11),
        ("tour-if", "Івано-Франківськ", 5, 10, 12),
        ("tour-odesa", "Одеса", 1, 0, 13),
        ("tour-dnipro", "Дніпро", 1, 2, 14),
    ];
    for (slug, city, kiosk, tallied, d) in stops {
        let id = event(
            &app,
            slug,
            "press_tour",
            city,
            "Україна",
            day(2024, 5, d),
            Some("Прес-тур 2024"),
        )
        .await;
        letters(
            &app,
            "server-mustafayev",
            city,
            "Україна",
            Source::Kiosk,
            Some(id),
            day(2024, 5, d),
            kiosk,
        )
        .await;
        if tallied > 0 {
            app.store()
                .record_tally(
                    app.campaign().id,
                    &NewTally {
                        event: id,
                        prisoner: Some(PrisonerSlug::parse("remzi-bekirov").unwrap()),
                        count: tallied,
                        actor: None,
                        at: day(2024, 5, d),
                    },
                )
                .await
                .unwrap();
        }
    }
    let forum = event(
        &app,
        "forum",
        "book_forum",
        "Київ",
        "Україна",
        day(2024, 9, 20),
        None,
    )
    .await;
    letters(
        &app,
        "server-mustafayev",
        "Київ",
        "Україна",
        Source::Kiosk,
        Some(forum),
        day(2024, 9, 20),
        4,
    )
    .await;
    // Online letters from several cities and countries.
    letters(
        &app,
        "server-mustafayev",
        "Київ",
        "Україна",
        Source::Online,
        None,
        day(2024, 2, 1),
        2,
    )
    .await;
    letters(
        &app,
        "remzi-bekirov",
        "Warszawa",
        "Polska",
        Source::Online,
        None,
        day(2024, 11, 1),
        3,
    )
    .await;
    letters(
        &app,
        "remzi-bekirov",
        " київ ",
        "україна",
        Source::Online,
        None,
        day(2024, 12, 31),
        1,
    )
    .await;
    // Another year: not in the report.
    letters(
        &app,
        "iryna-danylovych",
        "Київ",
        "Україна",
        Source::Online,
        None,
        day(2023, 12, 31),
        5,
    )
    .await;
    event(
        &app,
        "old",
        "meeting",
        "Київ",
        "Україна",
        day(2023, 6, 1),
        None,
    )
    .await;

    let report = app.annual_report(2024).await.unwrap();
    assert_eq!(report.year, 2024);
    // 12 + 4 kiosk, 6 online, 15 tallied.
    assert_eq!(report.letters.kiosk, 16);
    assert_eq!(report.letters.online, 6);
    assert_eq!(report.letters.paper_entered, 0);
    assert_eq!(report.letters.paper_tallied, 15);
    assert_eq!(report.letters.total, 37);
    assert_eq!(report.events.total, 6);
    assert_eq!(report.events.by_kind[0].name, "press_tour");
    assert_eq!(report.events.by_kind[0].count, 5);
    assert_eq!(report.events.by_kind[1].count, 1);
    assert_eq!(report.top_events[0].city, "Івано-Франківськ");
    assert_eq!(report.top_events[0].letters, 15);
    assert_eq!(report.top_events[1].letters, 6, "Kyiv stop: 3 + 3 tallied");
    assert_eq!(report.series.len(), 1);
    let tour = &report.series[0];
    assert_eq!(
        (tour.name.as_str(), tour.stops, tour.letters),
        ("Прес-тур 2024", 5, 27)
    );
    assert_eq!(tour.leading_city, "Івано-Франківськ");
    // Kyiv: 3 + 3 (tour) + 4 (forum) + 2 + 1 (online) = 13; Ivano-Frankivsk 15.
    assert_eq!(report.cities[0].name, "Івано-Франківськ");
    assert_eq!(report.cities[0].count, 15);
    assert_eq!(report.cities[1].name, "Київ");
    assert_eq!(report.cities[1].count, 13);
    assert_eq!(report.cities.iter().map(|c| c.count).sum::<i64>(), 37);
    assert_eq!(report.countries[0].name, "Україна");
    assert_eq!(report.countries[0].count, 34);
    assert_eq!(report.countries[1].name, "Polska");
    assert_eq!(report.countries[1].count, 3);
    assert_eq!(report.prisoners_reached, 2);
    assert_eq!(
        report.prisoners_without_letters,
        vec!["Ірина Данилович".to_owned()]
    );
    assert_eq!(report.outcomes.delivered, 0);
    assert_eq!(report.replies, 0);
    assert_eq!(report.median_days_to_send, None);

    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["letters"]["total"], 37);
}
