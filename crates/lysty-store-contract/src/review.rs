//! Review: the audit log, the lexicon, a letter step by step, the queue's filters and pages.

use super::*;

pub async fn the_audit_log_lists_newest_first_with_filters(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let a = staff(&store, org, "a@pen.example", &[Role::Moderator]).await;
    let b = staff(&store, org, "b@pen.example", &[Role::Translator]).await;
    for (i, (actor, action)) in [
        (a, "sign_in"),
        (b, "sign_in"),
        (a, "approve"),
        (a, "reject"),
    ]
    .into_iter()
    .enumerate()
    {
        store
            .append_audit(&NewAudit {
                at: at(i as u32),
                actor: Some(actor),
                actor_org: Some(org),
                action: action.into(),
                object_type: Some("letter".into()),
                object_id: Some(format!("letter-{i}")),
                detail: String::new(),
            })
            .await
            .unwrap();
    }
    let all = store
        .list_audit(&AuditFilter {
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<_> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["reject", "approve", "sign_in", "sign_in"]);
    assert_eq!(all[0].actor_email.as_deref(), Some("a@pen.example"));
    let by_a = store
        .list_audit(&AuditFilter {
            actor: Some(a),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_a.len(), 3);
    let sign_ins = store
        .list_audit(&AuditFilter {
            action: Some("sign_in".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(sign_ins.len(), 2);
    let page = store
        .list_audit(&AuditFilter {
            before: Some(all[1].id),
            limit: 1,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, all[2].id);
}

pub async fn the_lexicon_is_edited_without_duplicates(store: DynStore) {
    let first = store
        .add_lexicon("война", "ru", "war", &line(0, "lexicon_add"))
        .await
        .unwrap();
    let again = store
        .add_lexicon("война", "ru", "war", &line(1, "lexicon_add"))
        .await
        .unwrap();
    assert_eq!(first, again, "adding a term again gives the same term");
    store
        .add_lexicon("війна", "uk", "war", &line(1, "lexicon_add"))
        .await
        .unwrap();
    let terms = store.list_lexicon().await.unwrap();
    assert_eq!(terms.len(), 2);
    let removed = store
        .remove_lexicon(terms[0].id, &line(2, "lexicon_remove"))
        .await
        .unwrap();
    assert_eq!(removed.map(|t| t.term), Some(terms[0].term.clone()));
    assert!(
        store
            .remove_lexicon(terms[0].id, &line(2, "lexicon_remove"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.list_lexicon().await.unwrap().len(), 1);
}

pub async fn a_claimed_letter_goes_through_review_step_by_step(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let org = organisation(&store, "pen").await;
    let moderator = staff(&store, org, "m@pen.example", &[Role::Moderator]).await;
    let other = staff(&store, org, "o@pen.example", &[Role::Moderator]).await;
    let translator = staff(&store, org, "t@pen.example", &[Role::Translator]).await;
    let new = letter(campaign, "remzi-bekirov", None);
    created(
        &store
            .submit_letters(std::slice::from_ref(&new))
            .await
            .unwrap()[0],
    );
    assert_eq!(store.count_fingerprint("fp-default").await.unwrap(), 1);

    let ClaimOutcome::Claimed(claimed) = store
        .claim_letter(new.id, moderator, org, at(0), at(10), None)
        .await
        .unwrap()
    else {
        panic!("the first moderator claims it");
    };
    assert_eq!(claimed.state, LetterState::InReview);
    assert_eq!(claimed.flags.len(), 1);
    assert_eq!(
        claimed.flags[0].kind,
        lysty_store::lysty_domain::safety::FlagKind::NotRussian
    );
    let held = store
        .claim_letter(new.id, other, org, at(1), at(11), None)
        .await
        .unwrap();
    assert!(matches!(held, ClaimOutcome::HeldByOther { until } if until == at(10)));

    let step = |actor, from, to, change: TextChange, minute| ReviewStep {
        letter: new.id,
        from,
        to,
        actor,
        actor_org: org,
        note: None,
        at: at(minute),
        require_claim: true,
        change,
        audit: None,
    };
    let stolen = store
        .review_step(&step(
            other,
            LetterState::InReview,
            LetterState::Approved,
            TextChange::default(),
            2,
        ))
        .await
        .unwrap();
    assert_eq!(stolen, StepOutcome::NotClaimed);
    let wrong = store
        .review_step(&step(
            moderator,
            LetterState::Received,
            LetterState::InReview,
            TextChange::default(),
            2,
        ))
        .await
        .unwrap();
    assert_eq!(wrong, StepOutcome::WrongState(LetterState::InReview));

    // Redaction keeps the state and the earlier text.
    let redacted = TextChange {
        body: Some("Тримайся! […]".into()),
        version_reason: Some("redaction".into()),
        ..TextChange::default()
    };
    assert_eq!(
        store
            .review_step(&step(
                moderator,
                LetterState::InReview,
                LetterState::InReview,
                redacted,
                3
            ))
            .await
            .unwrap(),
        StepOutcome::Done
    );
    assert_eq!(
        store
            .review_step(&step(
                moderator,
                LetterState::InReview,
                LetterState::NeedsTranslation,
                TextChange::default(),
                4
            ))
            .await
            .unwrap(),
        StepOutcome::Done
    );
    let after = store.review_letter(new.id).await.unwrap().expect("letter");
    assert_eq!(after.body, "Тримайся! […]");
    assert!(
        after.claimed_by.is_none(),
        "a state change releases the claim"
    );

    assert!(matches!(
        store
            .claim_letter(new.id, translator, org, at(5), at(15), None)
            .await
            .unwrap(),
        ClaimOutcome::Claimed(_)
    ));
    let translation = TextChange {
        body_delivery: Some("Держись! […]".into()),
        version_reason: Some("translation".into()),
        flags: Some(FlagsUpdate {
            json: "[]".into(),
            kinds: vec![],
            detected_language: Some("ru".into()),
        }),
        ..TextChange::default()
    };
    assert_eq!(
        store
            .review_step(&step(
                translator,
                LetterState::NeedsTranslation,
                LetterState::InReview,
                translation,
                6
            ))
            .await
            .unwrap(),
        StepOutcome::Done
    );
    assert!(matches!(
        store
            .claim_letter(new.id, moderator, org, at(7), at(17), None)
            .await
            .unwrap(),
        ClaimOutcome::Claimed(_)
    ));
    assert_eq!(
        store
            .review_step(&step(
                moderator,
                LetterState::InReview,
                LetterState::Approved,
                TextChange::default(),
                8
            ))
            .await
            .unwrap(),
        StepOutcome::Done
    );

    let done = store.review_letter(new.id).await.unwrap().expect("letter");
    assert_eq!(done.state, LetterState::Approved);
    assert_eq!(done.body_delivery.as_deref(), Some("Держись! […]"));
    assert!(done.flags.is_empty());
    let steps: Vec<_> = store
        .letter_transitions(new.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.from, t.to, t.actor))
        .collect();
    use LetterState::*;
    assert_eq!(
        steps,
        [
            (None, Received, None),
            (Some(Received), InReview, Some(moderator)),
            (Some(InReview), NeedsTranslation, Some(moderator)),
            (Some(NeedsTranslation), InReview, Some(translator)),
            (Some(InReview), Approved, Some(moderator)),
        ]
    );
    let versions = store.letter_versions(new.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].reason, "redaction");
    assert_eq!(versions[0].body, "Тримайся! Ми пам'ятаємо про тебе.");
    assert_eq!(
        counter(&store, campaign, CounterKey::State(Approved)).await,
        1
    );
    assert_eq!(
        counter(&store, campaign, CounterKey::State(Received)).await,
        0
    );
    assert_eq!(
        counter(&store, campaign, CounterKey::State(InReview)).await,
        0
    );
    let tracked = store
        .letter_by_tracking_code(new.tracking_code.as_str())
        .await
        .unwrap()
        .expect("tracked");
    assert_eq!(tracked.journey.len(), 5);
}

pub async fn the_review_queue_filters_and_pages(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[
            prisoner("remzi-bekirov", PrisonerStatus::Convicted, true),
            prisoner("bohdan-ziza", PrisonerStatus::Convicted, true),
        ])
        .await
        .unwrap();
    let mut letters = Vec::new();
    for i in 0..5 {
        let mut l = letter(
            campaign,
            if i % 2 == 0 {
                "remzi-bekirov"
            } else {
                "bohdan-ziza"
            },
            None,
        );
        if i == 4 {
            l.flags = FlagsUpdate {
                json: "[]".into(),
                kinds: vec!["link".into(), "phone".into()],
                detected_language: Some("ru".into()),
            };
            l.source = Source::Kiosk;
        }
        letters.push(l);
    }
    store.submit_letters(&letters).await.unwrap();
    let waiting = ReviewFilter {
        states: vec![LetterState::Received, LetterState::InReview],
        limit: 3,
        ..ReviewFilter::default()
    };
    let first = store.review_queue(campaign, &waiting).await.unwrap();
    let ids: Vec<_> = first.iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        [letters[0].id, letters[1].id, letters[2].id],
        "oldest first"
    );
    let rest = store
        .review_queue(
            campaign,
            &ReviewFilter {
                after: Some(letters[2].id),
                ..waiting.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.len(), 2);
    let by = |filter: ReviewFilter| {
        let store = store.clone();
        async move { store.review_queue(campaign, &filter).await.unwrap().len() }
    };
    let base = ReviewFilter {
        limit: 50,
        ..waiting.clone()
    };
    assert_eq!(
        by(ReviewFilter {
            prisoner: Some("bohdan-ziza".into()),
            ..base.clone()
        })
        .await,
        2
    );
    assert_eq!(
        by(ReviewFilter {
            flag: Some("phone".into()),
            ..base.clone()
        })
        .await,
        1
    );
    assert_eq!(
        by(ReviewFilter {
            flag: Some("not_russian".into()),
            ..base.clone()
        })
        .await,
        4
    );
    assert_eq!(
        by(ReviewFilter {
            language: Some("ru".into()),
            ..base.clone()
        })
        .await,
        1
    );
    assert_eq!(
        by(ReviewFilter {
            source: Some(Source::Kiosk),
            ..base.clone()
        })
        .await,
        1
    );
    assert_eq!(
        by(ReviewFilter {
            states: vec![LetterState::NeedsTranslation],
            ..base.clone()
        })
        .await,
        0
    );
}

pub async fn flags_that_cannot_be_read_are_an_error_not_an_empty_list(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let new = letter(campaign, "remzi-bekirov", None);
    created(
        &store
            .submit_letters(std::slice::from_ref(&new))
            .await
            .unwrap()[0],
    );
    assert!(store.review_letter(new.id).await.unwrap().is_some());
    store
        .set_letter_flags(
            new.id,
            &FlagsUpdate {
                json: "[{\"kind\": \"no such kind\"}]".into(),
                kinds: Vec::new(),
                detected_language: None,
            },
        )
        .await
        .unwrap();
    assert!(
        store.review_letter(new.id).await.is_err(),
        "a moderator must not see this letter as one with no flags"
    );
}
