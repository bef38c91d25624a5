//! An action and its audit line commit together, and a refused action leaves none.

use super::delivery::{approved, built, by, desk, facility, placed, request};
use super::*;

pub async fn a_review_step_writes_its_audit_line_only_when_it_happens(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let org = organisation(&store, "pen").await;
    let moderator = staff(&store, org, "m@pen.example", &[Role::Moderator]).await;
    let other = staff(&store, org, "o@pen.example", &[Role::Moderator]).await;
    let new = letter(campaign, "remzi-bekirov", None);
    created(
        &store
            .submit_letters(std::slice::from_ref(&new))
            .await
            .unwrap()[0],
    );
    let audit = |action: &str| NewAudit {
        at: at(2),
        actor: Some(moderator),
        actor_org: Some(org),
        action: action.to_owned(),
        object_type: Some("letter".to_owned()),
        object_id: Some(new.id.to_string()),
        detail: String::new(),
    };
    let step = |actor, audit| ReviewStep {
        letter: new.id,
        from: LetterState::InReview,
        to: LetterState::Approved,
        actor,
        actor_org: org,
        note: None,
        at: at(2),
        require_claim: true,
        change: TextChange {
            body_delivery: Some("Держись!".into()),
            ..TextChange::default()
        },
        audit: Some(audit),
    };
    assert!(matches!(
        store
            .claim_letter(new.id, moderator, org, at(1), at(10), None)
            .await
            .unwrap(),
        ClaimOutcome::Claimed(_)
    ));
    // Not claimed by the one who steps: the step is refused, and so is its audit line.
    assert_eq!(
        store
            .review_step(&step(other, audit("approve_unclaimed")))
            .await
            .unwrap(),
        StepOutcome::NotClaimed
    );
    assert_eq!(lines_of(&store, "approve_unclaimed").await.len(), 0);
    assert_eq!(
        store
            .review_step(&step(moderator, audit("approve")))
            .await
            .unwrap(),
        StepOutcome::Done
    );
    assert_eq!(
        lines_of(&store, "approve").await.len(),
        1,
        "the step and its line, together"
    );
}

pub async fn a_built_batch_and_its_audit_line_commit_together(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-1").await;
    placed(&store, "server-mustafayev", ik).await;
    approved(&store, &d, "server-mustafayev", 10).await;
    approved(&store, &d, "server-mustafayev", 20).await;
    let builder = |minute| NewAudit {
        action: "batch_built".into(),
        object_type: Some("batch".into()),
        detail: "facility=ik-1 letters={count}".into(),
        ..by(&d, minute)
    };
    let batch = built(
        store
            .build_batch(&request(&d, ik, 10), &builder(2))
            .await
            .unwrap(),
    );
    let lines = store
        .list_audit(&AuditFilter {
            action: Some("batch_built".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0].object_id.as_deref(),
        Some(batch.to_string().as_str())
    );
    assert_eq!(lines[0].detail, "facility=ik-1 letters=2");
    // Nothing left to take: no batch, and no audit line either.
    assert!(matches!(
        store
            .build_batch(&request(&d, ik, 10), &builder(3))
            .await
            .unwrap(),
        BuildOutcome::Empty
    ));
    let lines = store
        .list_audit(&AuditFilter {
            action: Some("batch_built".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);

    // Sending it: the line counts the letters sent; sending again is refused, unaudited.
    let sent_by = NewAudit {
        action: "batch_sent".into(),
        object_type: Some("batch".into()),
        object_id: Some(batch.to_string()),
        detail: "letters={count}".into(),
        ..by(&d, 4)
    };
    assert!(matches!(
        store
            .mark_batch_sent(batch, at(4), "", &sent_by)
            .await
            .unwrap(),
        SentOutcome::Done(2)
    ));
    assert!(matches!(
        store
            .mark_batch_sent(batch, at(5), "", &sent_by)
            .await
            .unwrap(),
        SentOutcome::AlreadySent
    ));
    let sent = store
        .list_audit(&AuditFilter {
            action: Some("batch_sent".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].detail, "letters=2");
}

/// The lines the log holds for an action (at most ten).
pub(crate) async fn lines_of(store: &DynStore, action: &str) -> Vec<AuditEntry> {
    store
        .list_audit(&AuditFilter {
            action: Some(action.to_owned()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

pub async fn staff_lexicon_and_kiosk_actions_commit_with_their_audit_lines(store: DynStore) {
    let campaign = campaign(&store).await;
    let org = organisation(&store, "pen").await;
    let moderator = staff(&store, org, "m@pen.example", &[Role::Moderator]).await;

    // A refused action writes no line; a done one writes exactly one.
    let nobody = StaffId(uuid::Uuid::now_v7());
    let roles = Roles::of(&[Role::Translator]);
    assert!(matches!(
        store
            .set_staff_roles(nobody, roles, &line(1, "role_change"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(lines_of(&store, "role_change").await.is_empty());
    store
        .set_staff_roles(moderator, roles, &line(1, "role_change"))
        .await
        .unwrap();
    assert_eq!(lines_of(&store, "role_change").await.len(), 1);

    // A created object is named by the store in its line.
    let token_line = NewAudit {
        object_type: Some("token".into()),
        ..line(2, "token_created")
    };
    let token = store
        .create_token(moderator, "laptop", "hash-of-laptop", at(50), &token_line)
        .await
        .unwrap();
    let named = lines_of(&store, "token_created").await;
    assert_eq!(named.len(), 1);
    assert_eq!(
        named[0].object_id.as_deref(),
        Some(token.0.to_string().as_str())
    );
    for _ in 0..2 {
        store
            .revoke_token(moderator, token, &line(3, "token_revoked"))
            .await
            .unwrap();
    }
    assert_eq!(
        lines_of(&store, "token_revoked").await.len(),
        1,
        "revoked once"
    );

    // A removed term's line says what it was; removing nothing says nothing.
    let removal = NewAudit {
        detail: "{language}/{category}: {term}".into(),
        ..line(5, "lexicon_remove")
    };
    let term = store
        .add_lexicon("этап", "ru", "case", &line(4, "lexicon_add"))
        .await
        .unwrap();
    assert!(
        store
            .remove_lexicon(term, &removal)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .remove_lexicon(term, &removal)
            .await
            .unwrap()
            .is_none()
    );
    let removed = lines_of(&store, "lexicon_remove").await;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].detail, "ru/case: этап");

    // A kiosk of no event: refused, unaudited.
    let missing = EventId(uuid::Uuid::now_v7());
    assert!(
        store
            .replace_kiosk(
                missing,
                "kiosk-token-of-nothing-000000",
                &line(6, "kiosk_replaced")
            )
            .await
            .is_err()
    );
    assert!(lines_of(&store, "kiosk_replaced").await.is_empty());

    // A letter that is not held is not rerouted, and nothing is logged.
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
    assert!(
        !store
            .release_hold(new.id, &line(7, "letter_rerouted"))
            .await
            .unwrap()
    );
    assert!(lines_of(&store, "letter_rerouted").await.is_empty());
}
