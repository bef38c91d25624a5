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
    let lines = |action: &'static str| {
        let store = store.clone();
        async move {
            store
                .list_audit(&AuditFilter {
                    action: Some(action.to_owned()),
                    limit: 10,
                    ..AuditFilter::default()
                })
                .await
                .unwrap()
                .len()
        }
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
    assert_eq!(lines("approve_unclaimed").await, 0);
    assert_eq!(
        store
            .review_step(&step(moderator, audit("approve")))
            .await
            .unwrap(),
        StepOutcome::Done
    );
    assert_eq!(lines("approve").await, 1, "the step and its line, together");
}

pub async fn a_built_batch_and_its_audit_line_commit_together(store: DynStore) {
    let d = desk(&store).await;
    let ik = facility(&store, "ik-1").await;
    placed(&store, "server-mustafayev", ik).await;
    approved(&store, &d, "server-mustafayev", 10).await;
    approved(&store, &d, "server-mustafayev", 20).await;
    let builder = |minute| Doer {
        audit: Some(AuditNote {
            action: "batch_built".into(),
            object: None,
            detail: "facility=ik-1 letters={count}".into(),
        }),
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
    let sent_by = Doer {
        audit: Some(AuditNote {
            action: "batch_sent".into(),
            object: Some(("batch".into(), batch.to_string())),
            detail: "letters={count}".into(),
        }),
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
