//! The annual report from a year of history: events with a five-stop series, letters from
//! several cities, tallies, delivery and a reply — every figure checked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use lysty_app::{App, AppConfig, EmailCipher, ManualClock};
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
        // The year's history is in the past of a fixed now, whatever the day the test runs.
        Arc::new(ManualClock::starting_at(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 3, 14, 10, 0, 0).unwrap(),
        )),
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
        gender: lysty_domain::Gender::Unstated,
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
        .upsert_event(
            &NewEvent {
                campaign: app.campaign().id,
                organisation: None,
                slug: slug.into(),
                kind: kind.into(),
                title: Localised {
                    uk: format!("Подія {slug}"),
                    en: slug.into(),
                    crh: String::new(),
                },
                city: city.into(),
                country: country.into(),
                venue: None,
                starts_at: at,
                ends_at: at + chrono::Duration::hours(3),
                series: series.map(Into::into),
                demo: false,
            },
            None,
        )
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
                        audit: None,
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

/// `(rows, prisoner, city, country, source, event, received, state, sent, outcome)` as CSV
/// lines of `lysty import letters`.
#[allow(clippy::too_many_arguments, reason = "one CSV row's columns")]
fn rows(
    n: usize,
    prisoner: &str,
    city: &str,
    country: &str,
    source: &str,
    event: &str,
    received: &str,
    state: &str,
    sent: &str,
    outcome: &str,
) -> String {
    let body = if matches!(state, "received" | "approved") {
        "Тримайся! Ми пам'ятаємо."
    } else {
        ""
    };
    format!("{received},{prisoner},{source},{event},\"{city}\",\"{country}\",{state},{sent},{outcome},{body}\n")
        .repeat(n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_history_imported_from_csv_gives_every_figure_of_its_report() {
    let app = app().await;
    let none = |_: u64, _: u64| {};
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

    let events = "slug,kind,title_uk,title_en,city,country,starts_at,ends_at,series\n\
        tour-kyiv,press_tour,Прес-тур: Київ,Press tour: Kyiv,Київ,Україна,2024-05-10,,Прес-тур 2024\n\
        tour-lviv,press_tour,Прес-тур: Львів,Press tour: Lviv,Львів,Україна,2024-05-11,,Прес-тур 2024\n\
        tour-if,press_tour,Прес-тур: Івано-Франківськ,Press tour: Ivano-Frankivsk,Івано-Франківськ,Україна,2024-05-12,,Прес-тур 2024\n\
        tour-odesa,press_tour,Прес-тур: Одеса,Press tour: Odesa,Одеса,Україна,2024-05-13,,Прес-тур 2024\n\
        tour-dnipro,press_tour,Прес-тур: Дніпро,Press tour: Dnipro,Дніпро,Україна,2024-05-14,,Прес-тур 2024\n\
        forum-2024,book_forum,Книжковий форум,Book forum,Київ,Україна,2024-09-20,2024-09-22,\n\
        meeting-2023,meeting,Зустріч,Meeting,Київ,Україна,2023-06-01,,\n";
    let done = app.import_events(events.as_bytes(), &none).await.unwrap();
    assert_eq!(done.events, 7);

    let tallies = "event,prisoner,count\n\
        tour-kyiv,remzi-bekirov,3\n\
        tour-if,remzi-bekirov,10\n\
        tour-dnipro,,2\n";
    let done = app.import_tallies(tallies.as_bytes(), &none).await.unwrap();
    assert_eq!(done.tallies, 3);
    // The same tallies again are recognised and skipped: their letters count once.
    let again = app.import_tallies(tallies.as_bytes(), &none).await.unwrap();
    assert_eq!((again.tallies, again.already_imported), (0, 3));

    let s = "server-mustafayev";
    let r = "remzi-bekirov";
    let mut letters = String::from(
        "received_at,prisoner,source,event,city,country,state,sent_at,outcome_at,body\n",
    );
    // The tour: 10 days to send from Kyiv, 8 from Ivano-Frankivsk; both delivered in June.
    letters += &rows(
        3,
        s,
        "Київ",
        "Україна",
        "kiosk",
        "tour-kyiv",
        "2024-05-10",
        "delivered",
        "2024-05-20",
        "2024-06-15",
    );
    letters += &rows(
        2,
        s,
        "Львів",
        "Україна",
        "kiosk",
        "tour-lviv",
        "2024-05-11",
        "approved",
        "",
        "",
    );
    letters += &rows(
        5,
        s,
        "Івано-Франківськ",
        "Україна",
        "kiosk",
        "tour-if",
        "2024-05-12",
        "delivered",
        "2024-05-20",
        "2024-06-10",
    );
    letters += &rows(
        1,
        s,
        "Одеса",
        "Україна",
        "kiosk",
        "tour-odesa",
        "2024-05-13",
        "rejected",
        "",
        "",
    );
    letters += &rows(
        1,
        s,
        "Дніпро",
        "Україна",
        "kiosk",
        "tour-dnipro",
        "2024-05-14",
        "received",
        "",
        "",
    );
    // The forum: 11 days to send; a paper letter entered there, delivered only next year.
    letters += &rows(
        4,
        s,
        "Київ",
        "Україна",
        "kiosk",
        "forum-2024",
        "2024-09-20",
        "sent",
        "2024-10-01",
        "",
    );
    letters += &rows(
        1,
        r,
        "Київ",
        "Україна",
        "paper",
        "forum-2024",
        "2024-09-20",
        "delivered",
        "2024-10-01",
        "2025-01-15",
    );
    // Online, from several cities and countries; withheld by the censor.
    letters += &rows(
        2,
        s,
        "Київ",
        "Україна",
        "online",
        "",
        "2024-02-01",
        "withheld",
        "2024-02-11",
        "2024-03-01",
    );
    letters += &rows(
        3,
        r,
        "Warszawa",
        "Polska",
        "online",
        "",
        "2024-11-01",
        "sent",
        "2024-11-05",
        "",
    );
    letters += &rows(
        1,
        r,
        " київ ",
        "україна",
        "online",
        "",
        "2024-12-31",
        "received",
        "",
        "",
    );
    // Written the year before, sent in January: counts in this year's sending times only.
    letters += &rows(
        5,
        "iryna-danylovych",
        "Київ",
        "Україна",
        "online",
        "",
        "2023-12-31",
        "sent",
        "2024-01-10",
        "",
    );
    let progress = std::sync::Mutex::new(Vec::new());
    let record = |done: u64, total: u64| progress.lock().unwrap().push((done, total));
    let done = app
        .import_letters(letters.as_bytes(), &record)
        .await
        .unwrap();
    assert_eq!(done.letters, 28);
    assert_eq!(progress.lock().unwrap().last(), Some(&(28, 28)));
    // Importing the same file again adds nothing.
    let again = app.import_letters(letters.as_bytes(), &none).await.unwrap();
    assert_eq!((again.letters, again.already_imported), (0, 28));
    // The counters the import left are what a recount finds.
    let recount = app
        .store()
        .rebuild_counters(app.campaign().id)
        .await
        .unwrap();
    assert!(recount.changed.is_empty(), "{:?}", recount.changed);

    let report = app.annual_report(2024).await.unwrap();
    assert_eq!(report.letters.online, 6);
    assert_eq!(report.letters.kiosk, 16);
    assert_eq!(report.letters.paper_entered, 1);
    assert_eq!(report.letters.paper_tallied, 15);
    assert_eq!(report.letters.total, 38);
    assert_eq!(report.events.total, 6);
    let kinds: Vec<_> = report
        .events
        .by_kind
        .iter()
        .map(|k| (k.name.as_str(), k.count))
        .collect();
    assert_eq!(kinds, [("press_tour", 5), ("book_forum", 1)]);
    let top: Vec<_> = report
        .top_events
        .iter()
        .map(|e| (e.city.as_str(), e.letters))
        .collect();
    assert_eq!(
        top,
        [
            ("Івано-Франківськ", 15),
            ("Київ", 6),
            ("Київ", 5),
            ("Дніпро", 3),
            ("Львів", 2),
            ("Одеса", 1)
        ]
    );
    assert_eq!(report.top_events[2].title, "Книжковий форум");
    assert_eq!(report.series.len(), 1);
    let tour = &report.series[0];
    assert_eq!(
        (
            tour.name.as_str(),
            tour.stops,
            tour.letters,
            tour.leading_city.as_str()
        ),
        ("Прес-тур 2024", 5, 27, "Івано-Франківськ")
    );
    let cities: Vec<_> = report
        .cities
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(
        cities,
        [
            ("Івано-Франківськ", 15),
            ("Київ", 14),
            ("Warszawa", 3),
            ("Дніпро", 3),
            ("Львів", 2),
            ("Одеса", 1)
        ]
    );
    let countries: Vec<_> = report
        .countries
        .iter()
        .map(|c| (c.name.as_str(), c.count))
        .collect();
    assert_eq!(countries, [("Україна", 35), ("Polska", 3)]);
    assert_eq!(report.prisoners_reached, 2);
    assert_eq!(report.prisoners_without_letters, ["Ірина Данилович"]);
    assert_eq!(
        report.outcomes.delivered, 8,
        "the paper letter arrived in 2025"
    );
    assert_eq!(report.outcomes.withheld, 2);
    assert_eq!(report.outcomes.returned, 0);
    assert_eq!(report.outcomes.undeliverable, 0);
    assert_eq!(report.replies, 0);
    // 3×4, 5×8, 10×10 and 5×11 days: the twelfth of 23 is 10.
    assert_eq!(report.median_days_to_send, Some(10.0));

    // The year before holds the meeting, and the letters written then.
    let before = app.annual_report(2023).await.unwrap();
    assert_eq!((before.events.total, before.letters.online), (1, 5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_file_with_any_bad_row_imports_nothing() {
    let app = app().await;
    let none = |_: u64, _: u64| {};
    app.store()
        .upsert_prisoners(&[prisoner(
            "remzi-bekirov",
            "Ремзі Бекіров",
            PrisonerStatus::Convicted,
        )])
        .await
        .unwrap();
    let letters = "received_at,prisoner,source,event,state,sent_at\n\
        2024-05-10,remzi-bekirov,online,,sent,2024-05-20\n\
        2024-05-10,nobody-known,online,,sent,2024-05-20\n\
        2024-05-10,remzi-bekirov,kiosk,no-such-event,sent,2024-05-20\n";
    let Err(lysty_app::import::ImportError::Rows(refused)) =
        app.import_letters(letters.as_bytes(), &none).await
    else {
        panic!("a file with unknown names was imported");
    };
    let lines: Vec<_> = refused.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(refused[0].message.contains("nobody-known"));
    assert!(refused[1].message.contains("no-such-event"));
    let report = app.annual_report(2024).await.unwrap();
    assert_eq!(
        report.letters.total, 0,
        "the good row was not stored either"
    );
    assert!(
        app.store()
            .counters(app.campaign().id)
            .await
            .unwrap()
            .iter()
            // The marker that places are counted is not a figure.
            .filter(|c| c.key != lysty_domain::CounterKey::PlacesCounted)
            .all(|c| c.value == 0)
    );
}

/// A report that counts letters from an event lists that event: the demo's 2024 press tour
/// (demo events included, as their letters are) is in its year's events and series.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_lists_every_event_whose_letters_it_counts() {
    let app = app().await;
    app.seed_demo().await.unwrap();
    // Someone running the demo counts 40 paper letters at a stop of its press tour.
    let stop = app
        .all_events()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.slug == "demo-tour-ivano-frankivsk")
        .unwrap();
    app.store()
        .record_tally(
            app.campaign().id,
            &lysty_store::NewTally {
                event: stop.id,
                prisoner: None,
                count: 40,
                actor: None,
                at: stop.starts_at,
                audit: None,
            },
        )
        .await
        .unwrap();
    let report = app.annual_report(2024).await.unwrap();
    let from_events =
        report.letters.kiosk + report.letters.paper_entered + report.letters.paper_tallied;
    assert!(
        from_events > 0,
        "the demo counts letters from its events: {:?}",
        report.letters
    );
    assert!(
        report.events.total > 0,
        "and lists them: {:?}",
        report.events
    );
    let listed: i64 = report.top_events.iter().map(|e| e.letters).sum();
    assert!(listed >= from_events.min(1), "{:?}", report.top_events);
    assert!(
        report
            .series
            .iter()
            .any(|s| s.name == "demo-press-tour-2024" && s.stops > 0),
        "{:?}",
        report.series
    );
}
