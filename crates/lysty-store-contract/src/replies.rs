//! Replies and the emails they queue, and the counters a recount must find equal to the
//! live ones (day counters and approved places included).

use chrono::Duration;
use lysty_store::*;

use super::*;
use crate::delivery::{approved, built, by, desk, facility, placed, received, request};

pub async fn a_reply_reaches_the_writers_of_delivered_letters(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-3").await;
    let prisoner = placed(&store, "asan-akhtemov", ik).await;
    let with_email = approved(&store, &d, "asan-akhtemov", 1).await;
    let without = {
        let id = received(&store, &d, "asan-akhtemov", 2, false).await;
        store
            .claim_letter(id, d.moderator, d.org, at(0), at(59), None)
            .await
            .unwrap();
        let step = ReviewStep {
            letter: id,
            from: LetterState::InReview,
            to: LetterState::Approved,
            actor: d.moderator,
            actor_org: d.org,
            note: None,
            at: at(1),
            require_claim: true,
            change: TextChange::default(),
            audit: None,
        };
        store.review_step(&step).await.unwrap();
        id
    };
    let batch = built(
        store
            .build_batch(&request(&d, ik, 10), &by(&d, 2))
            .await
            .unwrap(),
    );
    store
        .mark_batch_sent(batch, at(3), "", &by(&d, 3))
        .await
        .unwrap();
    let delivered = |letter| NewOutcome {
        letter,
        outcome: Outcome::Delivered,
        note: String::new(),
        scan: None,
    };
    store
        .record_outcomes(&[delivered(with_email), delivered(without)], &by(&d, 4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.reply_for_letter(with_email).await.unwrap(), None);

    let reply = store
        .record_reply(&NewReply {
            campaign: d.campaign,
            prisoner,
            received_at: at(10),
            transcription: "Спасибо за письма!".into(),
            consent_publish: true,
            scan: None,
            actor: d.dispatcher,
            at: at(11),
            audit: None,
        })
        .await
        .unwrap();
    assert_eq!((reply.linked, reply.emails), (2, 1));
    assert_eq!(
        store.reply_for_letter(with_email).await.unwrap(),
        Some(at(10))
    );
    let private = store
        .record_reply(&NewReply {
            campaign: d.campaign,
            prisoner,
            received_at: at(20),
            transcription: "Личное".into(),
            consent_publish: false,
            scan: Some(("application/pdf".into(), b"%PDF-1.4".to_vec())),
            actor: d.dispatcher,
            at: at(21),
            audit: None,
        })
        .await
        .unwrap();
    assert_eq!(
        (private.linked, private.emails),
        (0, 0),
        "a writer hears once per letter"
    );
    assert_eq!(store.replies(prisoner, true).await.unwrap().len(), 1);
    let all = store.replies(prisoner, false).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].has_scan && !all[1].has_scan, "newest first");
    assert_eq!(
        store.reply_scan(private.id).await.unwrap().unwrap().bytes,
        b"%PDF-1.4"
    );

    let mail = store.pending_mail(at(30), 10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(
        store.overdue_mail(at(30)).await.unwrap(),
        1,
        "due, not sent"
    );
    assert_eq!(mail[0].letter, with_email);
    assert_eq!(mail[0].email_encrypted, vec![1, 2, 3]);
    // Two senders (two instances) reach for it at once: one takes it, for the lease.
    let (first, second) = futures::join!(
        store.claim_mail(at(30), at(35), 10),
        store.claim_mail(at(30), at(35), 10)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.len() + second.len(), 1, "taken by one sender only");
    assert!(
        store
            .claim_mail(at(34), at(39), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // The sender stopped without marking it: once the lease ends it is taken again.
    let again = store.claim_mail(at(35), at(40), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    store
        .mark_mail_failed(mail[0].id, "connection refused", at(40))
        .await
        .unwrap();
    assert!(
        store.pending_mail(at(30), 10).await.unwrap().is_empty(),
        "waits for the retry time"
    );
    assert_eq!(
        store.overdue_mail(at(39)).await.unwrap(),
        0,
        "not due again yet"
    );
    assert_eq!(store.overdue_mail(at(40)).await.unwrap(), 1);
    let retry = store.pending_mail(at(41), 10).await.unwrap();
    assert_eq!(retry[0].attempts, 1);
    store.mark_mail_sent(retry[0].id, at(41)).await.unwrap();
    assert!(store.pending_mail(at(50), 10).await.unwrap().is_empty());
    assert_eq!(store.overdue_mail(at(50)).await.unwrap(), 0, "sent");
    assert_eq!(store.given_up_mail().await.unwrap(), 0);

    // A later letter's reply email that the server refuses for good: never tried again,
    // never overdue, counted for the staff.
    let later = approved(&store, &d, "asan-akhtemov", 50).await;
    let batch = built(
        store
            .build_batch(&request(&d, ik, 10), &by(&d, 51))
            .await
            .unwrap(),
    );
    store
        .mark_batch_sent(batch, at(52), "", &by(&d, 52))
        .await
        .unwrap();
    store
        .record_outcomes(&[delivered(later)], &by(&d, 53))
        .await
        .unwrap()
        .unwrap();
    store
        .record_reply(&NewReply {
            campaign: d.campaign,
            prisoner,
            received_at: at(55),
            transcription: "Ещё раз спасибо!".into(),
            consent_publish: true,
            scan: None,
            actor: d.dispatcher,
            at: at(56),
            audit: None,
        })
        .await
        .unwrap();
    let refused = store.pending_mail(at(57), 10).await.unwrap();
    assert_eq!(refused.len(), 1);
    store
        .give_up_mail(refused[0].id, "permanent 550", at(57))
        .await
        .unwrap();
    assert!(store.pending_mail(at(59), 10).await.unwrap().is_empty());
    assert_eq!(store.overdue_mail(at(59)).await.unwrap(), 0);
    assert_eq!(store.given_up_mail().await.unwrap(), 1);
}

pub async fn a_recount_of_the_counters_equals_the_live_ones(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-11").await;
    placed(&store, "server-mustafayev", ik).await;
    store
        .upsert_prisoners(&[prisoner("bohdan-ziza", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    // Online letters through review and delivery.
    let mut ids = Vec::new();
    for minute in 0..4 {
        ids.push(approved(&store, &d, "server-mustafayev", minute).await);
    }
    received(&store, &d, "bohdan-ziza", 9, false).await;
    let batch = built(
        store
            .build_batch(&request(&d, ik, 10), &by(&d, 2))
            .await
            .unwrap(),
    );
    store
        .mark_batch_sent(batch, at(3), "", &by(&d, 3))
        .await
        .unwrap();
    let delivered = NewOutcome {
        letter: ids[0],
        outcome: Outcome::Delivered,
        note: String::new(),
        scan: None,
    };
    store
        .record_outcomes(&[delivered], &by(&d, 4))
        .await
        .unwrap()
        .unwrap();
    // An event with tallies, assigned and not, and paper letters that replace them or not.
    let event = store
        .upsert_event(
            &NewEvent {
                campaign: d.campaign,
                organisation: Some(d.org),
                slug: "forum".into(),
                kind: "book_forum".into(),
                title: Localised {
                    uk: "Форум".into(),
                    en: "Forum".into(),
                    crh: String::new(),
                },
                city: "Львів".into(),
                country: "Україна".into(),
                venue: None,
                starts_at: at(0) - Duration::days(40),
                ends_at: at(0) - Duration::days(39),
                series: None,
                demo: false,
            },
            None,
        )
        .await
        .unwrap();
    for (prisoner, count) in [(Some(()), 2), (None, 3)] {
        store
            .record_tally(
                d.campaign,
                &NewTally {
                    event,
                    prisoner: prisoner.map(|_| PrisonerSlug::parse("bohdan-ziza").unwrap()),
                    count,
                    actor: Some(d.dispatcher),
                    at: at(5),
                    audit: None,
                },
            )
            .await
            .unwrap();
    }
    for who in [
        "bohdan-ziza",
        "bohdan-ziza",
        "bohdan-ziza",
        "server-mustafayev",
    ] {
        let paper = NewPaperLetter {
            id: LetterId::new(),
            campaign: d.campaign,
            tracking_code: TrackingCode::generate(),
            prisoner: PrisonerSlug::parse(who).unwrap(),
            event,
            transcription: None,
            pages: Vec::new(),
            received_at: at(6),
            flags: FlagsUpdate {
                json: "[]".into(),
                kinds: Vec::new(),
                detected_language: None,
            },
            fingerprint: String::new(),
            audit: None,
        };
        store.enter_paper_letter(&paper).await.unwrap();
    }
    let since = at(0) - Duration::days(90);
    let recent = |mut r: Vec<RecentLetters>| {
        r.sort_by_key(|r| r.prisoner.0);
        r.into_iter()
            .map(|r| (r.prisoner, r.letters))
            .collect::<Vec<_>>()
    };
    let recent_before = recent(store.recent_letters(d.campaign, since).await.unwrap());
    let before = store.counters(d.campaign).await.unwrap();
    let recount = store.rebuild_counters(d.campaign).await.unwrap();
    assert_eq!(recount.changed, Vec::new(), "the live counters were exact");
    let after = store.counters(d.campaign).await.unwrap();
    // A recount leaves its marker (approved places are counted here); it is no figure.
    let marker = |c: &Counter| c.key == CounterKey::PlacesCounted;
    assert!(after.iter().any(marker), "the recount leaves its marker");
    let mut after: Vec<_> = after.into_iter().filter(|c| !marker(c)).collect();
    let mut before: Vec<_> = before.into_iter().filter(|c| c.value != 0).collect();
    before.sort_by_key(|c| c.key.to_string());
    after.sort_by_key(|c| c.key.to_string());
    assert_eq!(before, after);
    // Approved letters count towards their place being published: the four from Kyiv
    // that were approved (and have gone on since), none of the others.
    assert!(after.contains(&Counter {
        key: CounterKey::ApprovedCity("kyiv".into()),
        value: 4
    }));
    // The day counters behind "waiting for letters" were exact too: every letter row,
    // paper ones that replaced a tally included; `counters` leaves them out.
    let recent_after = recent(store.recent_letters(d.campaign, since).await.unwrap());
    assert_eq!(recent_before, recent_after);
    assert_eq!(recent_after.iter().map(|(_, n)| n).sum::<i64>(), 9);
    assert!(
        after
            .iter()
            .all(|c| !matches!(c.key, CounterKey::Day { .. }))
    );
    assert!(
        recount.counters > after.len(),
        "the recount stored the day counters too"
    );
    // Five online letters and five tallied ones; the paper letters took tallies' places.
    assert_eq!(counter(&store, d.campaign, CounterKey::Total).await, 10);
    assert_eq!(counter(&store, d.campaign, CounterKey::Tallied).await, 1);
}
