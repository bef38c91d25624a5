//! The export part of the contract: letters page by page, with the times they were sent
//! and their outcome recorded, the writer's data only when asked for.

use lysty_store::*;

use super::delivery::{approved, built, by, desk, facility, placed, request};
use super::*;

pub async fn letters_are_exported_page_by_page_with_their_journey(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-export").await;
    placed(&store, "server-mustafayev", ik).await;
    let mut approved_ids = Vec::new();
    for minute in [10, 20, 30] {
        approved_ids.push(approved(&store, &d, "server-mustafayev", minute).await);
    }
    let batch = built(
        store
            .build_batch(&request(&d, ik, 10), &by(&d, 2))
            .await
            .unwrap(),
    );
    store
        .mark_batch_sent(batch, at(4), "RPO 1", &by(&d, 4))
        .await
        .unwrap();
    store
        .record_outcomes(
            &[NewOutcome {
                letter: approved_ids[0],
                outcome: Outcome::Delivered,
                note: String::new(),
                scan: None,
            }],
            &by(&d, 7),
        )
        .await
        .unwrap()
        .unwrap();

    let event = |slug: &str, demo: bool| NewEvent {
        campaign: d.campaign,
        organisation: Some(d.org),
        slug: slug.into(),
        kind: "meeting".into(),
        title: Localised {
            uk: slug.into(),
            en: slug.into(),
            crh: String::new(),
        },
        city: "Львів".into(),
        country: "Україна".into(),
        venue: None,
        starts_at: at(0),
        ends_at: at(50),
        series: None,
        demo,
    };
    let real = store
        .upsert_event(&event("real-meeting", false), None)
        .await
        .unwrap();
    let demo = store
        .upsert_event(&event("demo-meeting", true), None)
        .await
        .unwrap();
    let mut at_real = letter(d.campaign, "server-mustafayev", None);
    at_real.event = Some(real);
    at_real.source = Source::Kiosk;
    at_real.writer_email_encrypted = None;
    let mut at_demo = letter(d.campaign, "server-mustafayev", None);
    at_demo.event = Some(demo);
    at_demo.source = Source::Kiosk;
    store
        .submit_letters(&[at_real.clone(), at_demo.clone()])
        .await
        .unwrap();
    // Another campaign's letter stays out.
    let other = store
        .upsert_campaign(&NewCampaign {
            slug: "other-campaign".into(),
            name_uk: "Інша".into(),
            name_en: "Other".into(),
        })
        .await
        .unwrap();
    store
        .submit_letters(&[letter(other, "server-mustafayev", None)])
        .await
        .unwrap();

    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .export_letters(d.campaign, after, 2, false)
            .await
            .unwrap();
        assert!(page.len() <= 2);
        let done = page.len() < 2;
        after = page.last().map(|l| l.id);
        all.extend(page);
        if done {
            break;
        }
    }
    let ids: Vec<_> = all.iter().map(|l| l.id).collect();
    let mut expected = approved_ids.clone();
    expected.push(at_real.id);
    expected.sort();
    assert_eq!(
        ids, expected,
        "every letter once, by id, no demo, no other campaign"
    );
    assert!(all.iter().all(|l| l.personal.is_none()));

    let first = all.iter().find(|l| l.id == approved_ids[0]).expect("first");
    assert_eq!(first.state, LetterState::Delivered);
    assert_eq!(first.prisoner, "server-mustafayev");
    assert_eq!(first.source, Source::Online);
    assert_eq!(first.event, None);
    assert_eq!(first.city.as_deref(), Some("Kyiv"));
    assert_eq!(first.country.as_deref(), Some("Україна"));
    assert_eq!(first.language, "uk");
    assert_eq!(first.sent_at, Some(at(4)));
    assert_eq!(first.outcome_at, Some(at(7)));
    let second = all
        .iter()
        .find(|l| l.id == approved_ids[1])
        .expect("second");
    assert_eq!(second.state, LetterState::Sent);
    assert_eq!((second.sent_at, second.outcome_at), (Some(at(4)), None));
    let kiosk = all.iter().find(|l| l.id == at_real.id).expect("kiosk");
    assert_eq!(kiosk.event.as_deref(), Some("real-meeting"));
    assert_eq!(kiosk.source, Source::Kiosk);
    assert_eq!((kiosk.sent_at, kiosk.outcome_at), (None, None));
    assert_eq!(kiosk.received_at, at_real.received_at);

    let personal = store
        .export_letters(d.campaign, None, 100, true)
        .await
        .unwrap();
    assert_eq!(personal.len(), 4);
    let first = personal
        .iter()
        .find(|l| l.id == approved_ids[0])
        .expect("first");
    let writer = first.personal.as_ref().expect("asked for");
    assert_eq!(writer.writer_name.as_deref(), Some("Оксана"));
    assert_eq!(
        writer.writer_email_encrypted.as_deref(),
        Some(&[1u8, 2, 3][..])
    );
    assert_eq!(writer.body, "Тримайся! Ми пам'ятаємо про тебе.");
    let kiosk = personal.iter().find(|l| l.id == at_real.id).expect("kiosk");
    assert_eq!(
        kiosk
            .personal
            .as_ref()
            .and_then(|p| p.writer_email_encrypted.clone()),
        None
    );
    assert!(
        store
            .export_letters(d.campaign, personal.last().map(|l| l.id), 100, false)
            .await
            .unwrap()
            .is_empty()
    );
}
