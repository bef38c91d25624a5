//! The delivery part of the contract: batches, outcomes, holds, the bank, facilities.

use chrono::Duration;
use lysty_store::*;

use super::*;

pub(crate) struct Desk {
    pub(crate) campaign: CampaignId,
    pub(crate) org: OrganisationId,
    pub(crate) dispatcher: StaffId,
    pub(crate) moderator: StaffId,
}

pub(crate) async fn desk(store: &DynStore) -> Desk {
    let campaign = campaign(store).await;
    let org = organisation(store, "pen").await;
    Desk {
        campaign,
        org,
        dispatcher: staff(store, org, "d@pen.example", &[Role::Dispatcher]).await,
        moderator: staff(store, org, "m@pen.example", &[Role::Moderator]).await,
    }
}

pub(crate) async fn facility(store: &DynStore, slug: &str) -> FacilityId {
    store
        .save_facility(
            &NewFacility {
                slug: slug.into(),
                name_ru: format!("ИК {slug}"),
                name_en: format!("Colony {slug}"),
                region: Some("Республика Мордовия".into()),
                address_ru: Some("431120, Республика Мордовия, п. Явас, ул. Центральная, 1".into()),
                max_letter_chars: None,
            },
            &FacilityRules::default(),
            None,
        )
        .await
        .expect("facility")
}

pub(crate) async fn placed(store: &DynStore, slug: &str, at_facility: FacilityId) -> PrisonerId {
    let id = store
        .upsert_prisoners(&[prisoner(slug, PrisonerStatus::Convicted, true)])
        .await
        .unwrap()[0];
    let outcome = store
        .record_placement(&NewPlacement {
            prisoner: id,
            facility: at_facility,
            since: at(0) - Duration::days(30),
            note: String::new(),
            actor: None,
            actor_org: None,
            at: at(0),
            audit: None,
        })
        .await
        .unwrap();
    assert_eq!(
        outcome,
        PlacementOutcome {
            current: true,
            held: 0
        }
    );
    id
}

/// A letter submitted at `minute` and taken through review to approved.
pub(crate) async fn approved(store: &DynStore, d: &Desk, prisoner: &str, minute: i64) -> LetterId {
    let id = received(store, d, prisoner, minute, true).await;
    let ClaimOutcome::Claimed(_) = store
        .claim_letter(id, d.moderator, d.org, at(0), at(59), None)
        .await
        .unwrap()
    else {
        panic!("claimed");
    };
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
    assert_eq!(store.review_step(&step).await.unwrap(), StepOutcome::Done);
    id
}

pub(crate) async fn received(
    store: &DynStore,
    d: &Desk,
    prisoner: &str,
    minute: i64,
    email: bool,
) -> LetterId {
    let mut new = letter(d.campaign, prisoner, None);
    new.received_at = at(0) - Duration::days(10) + Duration::minutes(minute);
    if !email {
        new.writer_email_encrypted = None;
    }
    created(
        &store
            .submit_letters(std::slice::from_ref(&new))
            .await
            .unwrap()[0],
    );
    new.id
}

pub(crate) fn request(d: &Desk, facility: FacilityId, cap: i64) -> BatchRequest {
    BatchRequest {
        campaign: d.campaign,
        facility,
        channel: Channel::Post,
        prisoner: None,
        per_prisoner_per_week: cap,
        limit: 500,
        now: at(5),
    }
}

/// The dispatcher's action at a minute, with its audit line.
pub(crate) fn by(d: &Desk, minute: u32) -> NewAudit {
    NewAudit {
        actor: Some(d.dispatcher),
        actor_org: Some(d.org),
        ..line(minute, "dispatch")
    }
}

async fn state(store: &DynStore, id: LetterId) -> LetterState {
    store
        .delivery_letter(id)
        .await
        .unwrap()
        .expect("letter")
        .state
}

pub(crate) fn built(outcome: BuildOutcome) -> BatchId {
    match outcome {
        BuildOutcome::Built { id, .. } => id,
        BuildOutcome::Empty => panic!("expected a batch"),
    }
}

pub async fn a_batch_takes_approved_letters_oldest_first_within_the_weekly_cap(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-1").await;
    placed(&store, "server-mustafayev", ik).await;
    // Submitted newest first, so that "oldest first" is not insertion order.
    let mut ids = Vec::new();
    for minute in [40, 30, 20, 10] {
        ids.push(approved(&store, &d, "server-mustafayev", minute).await);
    }
    ids.reverse();
    let preview = store.batch_candidates(&request(&d, ik, 3)).await.unwrap();
    assert_eq!(
        preview.iter().map(|l| l.id).collect::<Vec<_>>(),
        ids[..3].to_vec()
    );
    assert_eq!(
        state(&store, ids[0]).await,
        LetterState::Approved,
        "a preview changes nothing"
    );

    let batch = built(
        store
            .build_batch(&request(&d, ik, 3), &by(&d, 2))
            .await
            .unwrap(),
    );
    let letters = store.batch_letters(batch).await.unwrap();
    assert_eq!(letters.len(), 3);
    assert!(
        letters
            .iter()
            .all(|l| l.state == LetterState::Batched && l.batch == Some(batch))
    );
    assert!(
        matches!(
            store
                .build_batch(&request(&d, ik, 3), &by(&d, 3))
                .await
                .unwrap(),
            BuildOutcome::Empty
        ),
        "the fourth letter waits for next week"
    );
    assert_eq!(
        counter(&store, d.campaign, CounterKey::State(LetterState::Approved)).await,
        1
    );
    assert_eq!(
        counter(&store, d.campaign, CounterKey::State(LetterState::Batched)).await,
        3
    );

    let summary = store.batch(batch).await.unwrap().expect("batch");
    assert_eq!((summary.letters, summary.sent_at), (3, None));
    assert_eq!(
        store
            .mark_batch_sent(batch, at(4), "RPO 12345", &by(&d, 4))
            .await
            .unwrap(),
        SentOutcome::Done(3)
    );
    assert_eq!(
        store
            .mark_batch_sent(batch, at(4), "again", &by(&d, 4))
            .await
            .unwrap(),
        SentOutcome::AlreadySent
    );
    assert_eq!(state(&store, ids[0]).await, LetterState::Sent);
    assert_eq!(
        store.list_batches(d.campaign, 10).await.unwrap()[0]
            .sent_reference
            .as_deref(),
        Some("RPO 12345")
    );

    // One bad row and nothing changes.
    let outcomes = vec![
        NewOutcome {
            letter: ids[0],
            outcome: Outcome::Delivered,
            note: "receipt".into(),
            scan: None,
        },
        NewOutcome {
            letter: ids[3],
            outcome: Outcome::Delivered,
            note: String::new(),
            scan: None,
        },
    ];
    assert_eq!(
        store.record_outcomes(&outcomes, &by(&d, 6)).await.unwrap(),
        Err((1, OutcomeProblem::WrongState(LetterState::Approved)))
    );
    assert_eq!(state(&store, ids[0]).await, LetterState::Sent);
    assert!(store.evidence(ids[0]).await.unwrap().is_empty());

    let outcomes = vec![
        NewOutcome {
            letter: ids[0],
            outcome: Outcome::Delivered,
            note: "receipt".into(),
            scan: Some(("image/png".into(), vec![0x89, b'P', b'N', b'G'])),
        },
        NewOutcome {
            letter: ids[1],
            outcome: Outcome::Withheld,
            note: "censor".into(),
            scan: None,
        },
    ];
    assert_eq!(
        store.record_outcomes(&outcomes, &by(&d, 7)).await.unwrap(),
        Ok(())
    );
    assert_eq!(state(&store, ids[0]).await, LetterState::Delivered);
    assert_eq!(state(&store, ids[1]).await, LetterState::Withheld);
    let evidence = store.evidence(ids[0]).await.unwrap();
    assert_eq!(evidence.len(), 1);
    assert!(evidence[0].has_scan);
    let scan = store
        .evidence_scan(evidence[0].id)
        .await
        .unwrap()
        .expect("scan");
    assert_eq!(scan.content_type, "image/png");
    assert_eq!(
        counter(
            &store,
            d.campaign,
            CounterKey::State(LetterState::Delivered)
        )
        .await,
        1
    );
    assert_eq!(
        counter(&store, d.campaign, CounterKey::State(LetterState::Sent)).await,
        1
    );
    let transitions = store.letter_transitions(ids[0]).await.unwrap();
    let states: Vec<_> = transitions.iter().map(|t| t.to).collect();
    assert!(
        states.ends_with(&[
            LetterState::Batched,
            LetterState::Sent,
            LetterState::Delivered
        ]),
        "{states:?}"
    );
}

pub async fn concurrent_batches_never_share_a_letter(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-2").await;
    placed(&store, "nariman-dzhelyal", ik).await;
    placed(&store, "emir-usein-kuku", ik).await;
    let mut all = Vec::new();
    for i in 0..12 {
        let who = if i % 2 == 0 {
            "nariman-dzhelyal"
        } else {
            "emir-usein-kuku"
        };
        all.push(approved(&store, &d, who, i).await);
    }
    let mut tasks = Vec::new();
    for i in 0..4 {
        let store = store.clone();
        let mut request = request(&d, ik, 100);
        request.limit = 5;
        let line = by(&d, i);
        tasks.push(tokio::spawn(async move {
            store.build_batch(&request, &line).await
        }));
    }
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    for task in tasks {
        if let BuildOutcome::Built { id, letters } = task.await.unwrap().unwrap() {
            let in_batch = store.batch_letters(id).await.unwrap();
            assert_eq!(in_batch.len(), letters);
            for l in in_batch {
                assert!(seen.insert(l.id), "a letter is in two batches");
            }
            total += letters;
        }
    }
    assert_eq!(total, 12, "every letter is batched exactly once");
    assert_eq!(
        counter(&store, d.campaign, CounterKey::State(LetterState::Batched)).await,
        12
    );
    assert_eq!(
        counter(&store, d.campaign, CounterKey::State(LetterState::Approved)).await,
        0
    );
}

pub async fn a_transfer_holds_letters_not_yet_sent_and_the_bank_keeps_them(store: DynStore) {
    let d = desk(&store).await;
    let first = facility(&store, "sizo-2").await;
    let second = facility(&store, "ik-6").await;
    let prisoner = placed(&store, "vilen-temeryanov", first).await;
    let sent = approved(&store, &d, "vilen-temeryanov", 1).await;
    let batch = built(
        store
            .build_batch(&request(&d, first, 10), &by(&d, 2))
            .await
            .unwrap(),
    );
    store
        .mark_batch_sent(batch, at(3), "", &by(&d, 3))
        .await
        .unwrap();
    let batched = approved(&store, &d, "vilen-temeryanov", 2).await;
    let open = built(
        store
            .build_batch(&request(&d, first, 10), &by(&d, 4))
            .await
            .unwrap(),
    );
    let waiting = approved(&store, &d, "vilen-temeryanov", 3).await;
    let fresh = received(&store, &d, "vilen-temeryanov", 4, true).await;

    let moved = store
        .record_placement(&NewPlacement {
            prisoner,
            facility: second,
            since: at(5),
            note: "этап".into(),
            actor: Some(d.dispatcher),
            actor_org: Some(d.org),
            at: at(5),
            audit: None,
        })
        .await
        .unwrap();
    assert_eq!(
        moved,
        PlacementOutcome {
            current: true,
            held: 3
        }
    );
    assert_eq!(
        state(&store, sent).await,
        LetterState::Sent,
        "a sent letter is not held"
    );
    assert_eq!(
        state(&store, batched).await,
        LetterState::Approved,
        "an unsent batch gives it back"
    );
    assert!(store.batch_letters(open).await.unwrap().is_empty());
    let held = store.held_letters(d.campaign).await.unwrap();
    let mut held_ids: Vec<_> = held.iter().map(|l| l.id).collect();
    held_ids.sort();
    let mut expected = vec![batched, waiting, fresh];
    expected.sort();
    assert_eq!(held_ids, expected);
    assert!(held.iter().all(|l| l.held == Some(HoldReason::Transferred)));
    let history = store.placements(prisoner).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].facility, second, "newest first");
    let now_at = store
        .prisoner_by_slug(d.campaign, "vilen-temeryanov")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now_at.facility.map(|f| f.id), Some(second));

    assert!(matches!(
        store
            .build_batch(&request(&d, second, 10), &by(&d, 6))
            .await
            .unwrap(),
        BuildOutcome::Empty
    ));
    assert!(
        store
            .release_hold(batched, &line(0, "letter_rerouted"))
            .await
            .unwrap()
    );
    let rerouted = built(
        store
            .build_batch(&request(&d, second, 10), &by(&d, 7))
            .await
            .unwrap(),
    );
    assert_eq!(store.batch_letters(rerouted).await.unwrap()[0].id, batched);

    assert_eq!(
        store
            .bank_letter(waiting, "released soon", &by(&d, 8))
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        store.bank_letter(sent, "", &by(&d, 8)).await.unwrap(),
        Err(OutcomeProblem::WrongState(LetterState::Sent))
    );
    let bank = store.letter_bank(d.campaign).await.unwrap();
    assert_eq!(bank.len(), 1);
    assert_eq!((bank[0].prisoner, bank[0].letters), (prisoner, 1));
    assert_eq!(store.banked_letters(prisoner).await.unwrap()[0].id, waiting);
    assert_eq!(state(&store, waiting).await, LetterState::Undeliverable);

    // Release from prison holds the rest.
    let other = approved(&store, &d, "vilen-temeryanov", 9).await;
    let held = store
        .set_prisoner_status(prisoner, PrisonerStatus::Released, &by(&d, 9))
        .await
        .unwrap();
    assert!(held >= 1);
    let letter = store.delivery_letter(other).await.unwrap().unwrap();
    assert_eq!(letter.held, Some(HoldReason::Released));
}

pub async fn facilities_keep_their_rules(store: DynStore) {
    let rules = FacilityRules {
        channels: vec![Channel::Post, Channel::Electronic],
        language: "ru".into(),
        needs_birth_year: true,
        needs_number: true,
        electronic_max_chars: Some(1000),
        electronic_parts: false,
        prints_original: true,
        notes: "Только на русском".into(),
    };
    let new = NewFacility {
        slug: "ik-10".into(),
        name_ru: "ИК-10".into(),
        name_en: "Colony 10".into(),
        region: None,
        address_ru: None,
        max_letter_chars: Some(3000),
    };
    let id = store.save_facility(&new, &rules, None).await.unwrap();
    let again = store.save_facility(&new, &rules, None).await.unwrap();
    assert_eq!(id, again, "saved by slug");
    let found = store
        .facility_by_slug("ik-10")
        .await
        .unwrap()
        .expect("facility");
    assert_eq!(found.rules, rules);
    assert_eq!(found.max_letter_chars, Some(3000));
    assert_eq!(found.prisoners, 0);
    assert_eq!(
        store.facility_by_id(id).await.unwrap().unwrap().slug,
        "ik-10"
    );
    assert_eq!(store.list_facilities().await.unwrap().len(), 1);
}
