//! History imports: events, tallies and letters of earlier years in one transaction.

use chrono::Duration;
use lysty_store::*;

use super::*;

fn historic(line: u64, prisoner: &str, event: Option<&str>, state: LetterState) -> HistoricLetter {
    let received_at = at(0) - Duration::days(400);
    HistoricLetter {
        line,
        id: LetterId::new(),
        id_from_file: false,
        tracking_code: TrackingCode::generate(),
        idempotency_key: IdempotencyKey::parse(&format!("import-{line}"))
            .unwrap()
            .unwrap(),
        earlier_keys: Vec::new(),
        prisoner: PrisonerSlug::parse(prisoner).unwrap(),
        source: if event.is_some() {
            Source::Kiosk
        } else {
            Source::Online
        },
        event: event.map(Into::into),
        writer_name: None,
        writer_city: Place::parse("Київ").unwrap(),
        writer_country: Place::parse("Україна").unwrap(),
        writer_email_encrypted: None,
        language: Some(LetterLanguage::Uk),
        body: String::new(),
        received_at,
        state,
        sent_at: Some(received_at + Duration::days(7)),
        outcome_at: (state == LetterState::Delivered).then(|| received_at + Duration::days(30)),
        flags: FlagsUpdate {
            json: "[]".into(),
            kinds: Vec::new(),
            detected_language: None,
        },
        fingerprint: String::new(),
    }
}

pub async fn a_history_import_is_all_or_nothing_and_counted(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let event = NewEvent {
        campaign,
        organisation: None,
        slug: "forum-2024".into(),
        kind: "book_forum".into(),
        title: Localised {
            uk: "Форум".into(),
            en: "Forum".into(),
            crh: String::new(),
        },
        city: "Львів".into(),
        country: "Україна".into(),
        venue: None,
        starts_at: at(0) - Duration::days(400),
        ends_at: at(0) - Duration::days(399),
        series: None,
        demo: false,
    };
    let tally = |line, prisoner: Option<&str>, count| HistoricTally {
        line,
        event: "forum-2024".into(),
        prisoner: prisoner.map(|p| PrisonerSlug::parse(p).unwrap()),
        count,
    };
    let quiet = |_: u64| {};

    // One unknown prisoner refuses the whole history, the event included.
    let refused = store
        .import_history(
            campaign,
            &History {
                events: vec![event.clone()],
                tallies: vec![tally(2, Some("remzi-bekirov"), 3)],
                letters: vec![
                    historic(
                        2,
                        "remzi-bekirov",
                        Some("forum-2024"),
                        LetterState::Delivered,
                    ),
                    historic(3, "nobody-known", None, LetterState::Sent),
                ],
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        refused.refused,
        [(3, HistoryRefusal::UnknownPrisoner("nobody-known".into()))]
    );
    assert!(
        store
            .list_events(campaign, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 0);

    let history = History {
        events: vec![event],
        tallies: vec![tally(2, Some("remzi-bekirov"), 3), tally(3, None, 2)],
        letters: vec![
            historic(
                2,
                "remzi-bekirov",
                Some("forum-2024"),
                LetterState::Delivered,
            ),
            historic(3, "remzi-bekirov", None, LetterState::Sent),
        ],
    };
    let seen = std::sync::atomic::AtomicU64::new(0);
    let count = |n: u64| seen.store(n, std::sync::atomic::Ordering::Relaxed);
    let done = store
        .import_history(campaign, &history, &count)
        .await
        .unwrap();
    assert_eq!((done.events, done.tallies, done.letters), (1, 2, 2));
    assert!(done.refused.is_empty());
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 5);
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 7);
    assert_eq!(counter(&store, campaign, CounterKey::Tallied).await, 5);
    assert_eq!(
        counter(&store, campaign, CounterKey::State(LetterState::Delivered)).await,
        1
    );
    let recount = store.rebuild_counters(campaign).await.unwrap();
    assert!(recount.changed.is_empty(), "{:?}", recount.changed);

    // The journey is kept: sent a week after writing, delivered after a month.
    let from = at(0) - Duration::days(500);
    let figures = store.period_figures(campaign, from, at(0)).await.unwrap();
    assert_eq!(figures.send_delays, [7 * 86_400, 7 * 86_400]);
    assert_eq!(figures.outcomes, [("delivered".to_owned(), 1)]);

    // The same letters and tallies again are skipped.
    let again = store
        .import_history(campaign, &history, &quiet)
        .await
        .unwrap();
    assert_eq!((again.letters, again.tallies), (0, 0));
    assert_eq!(again.already_imported, 4);
    assert!(again.refused.is_empty(), "{:?}", again.refused);
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 7);

    // A file with one new tally imports it and skips the rest; one that changes a stored
    // count is refused with the count it would change.
    store
        .upsert_prisoners(&[prisoner(
            "server-mustafayev",
            PrisonerStatus::Convicted,
            true,
        )])
        .await
        .unwrap();
    let mut tallies = history.tallies.clone();
    tallies.push(tally(4, Some("server-mustafayev"), 4));
    let grown = store
        .import_history(
            campaign,
            &History {
                tallies: tallies.clone(),
                ..History::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!((grown.tallies, grown.already_imported), (1, 2));
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 11);
    tallies[0].count = 30;
    let changed = store
        .import_history(
            campaign,
            &History {
                tallies,
                ..History::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        changed.refused,
        [(
            2,
            HistoryRefusal::TallyExists {
                event: "forum-2024".into(),
                stored: 3
            }
        )]
    );
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 11);

    // A corrected row updates its letter instead of adding a second one.
    let mut corrected = history.letters[1].clone();
    corrected.writer_city = Place::parse("Одеса").unwrap();
    corrected.state = LetterState::Delivered;
    corrected.outcome_at = corrected.sent_at.map(|s| s + Duration::days(10));
    corrected.id = LetterId::new();
    corrected.tracking_code = TrackingCode::generate();
    let fixed = store
        .import_history(
            campaign,
            &History {
                letters: vec![corrected],
                ..History::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!((fixed.letters, fixed.updated), (0, 1));
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 11);
    assert_eq!(
        counter(&store, campaign, CounterKey::State(LetterState::Delivered)).await,
        2
    );
    let recount = store.rebuild_counters(campaign).await.unwrap();
    assert!(recount.changed.is_empty(), "{:?}", recount.changed);
    let exported = store
        .export_letters(campaign, None, 10, false)
        .await
        .unwrap();
    assert_eq!(exported.len(), 2);
    let odesa = exported
        .iter()
        .find(|l| l.city.as_deref() == Some("Одеса"))
        .expect("the city corrected");
    assert_eq!(odesa.state, LetterState::Delivered);
    assert!(odesa.outcome_at.is_some());
}
