//! Staff accounts: sessions and tokens, lockout, the second factor.

use super::*;
use crate::audit::lines_of;

pub async fn staff_sessions_and_tokens_live_and_end_together(store: DynStore) {
    let pen = organisation(&store, "pen").await;
    let zmina = organisation(&store, "zmina").await;
    let moderator = staff(&store, pen, "mod@pen.example", &[Role::Moderator]).await;
    staff(&store, zmina, "coord@zmina.example", &[Role::Coordinator]).await;
    let again = store
        .create_staff(
            &NewStaff {
                organisation: zmina,
                email: "mod@pen.example".into(),
                name: "Twin".into(),
                roles: Roles::of(&[Role::Viewer]),
                password_hash: "x".into(),
            },
            None,
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    let found = store
        .staff_by_email("mod@pen.example")
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found.id, moderator);
    assert!(found.roles.has(Role::Moderator));
    assert_eq!(store.list_staff(Some(pen)).await.unwrap().len(), 1);
    assert_eq!(store.list_staff(None).await.unwrap().len(), 2);
    store
        .set_staff_roles(
            moderator,
            Roles::of(&[Role::Moderator, Role::Translator]),
            &line(0, "role_change"),
        )
        .await
        .unwrap();
    let found = store.staff_by_id(moderator).await.unwrap().expect("found");
    assert!(found.roles.has(Role::Translator));

    store
        .create_session(&NewSession {
            id_hash: "session-1".into(),
            staff: moderator,
            stage: SessionStage::Password,
            csrf_token: "csrf-1".into(),
            now: at(0),
            expires_at: at(59),
            audit: None,
        })
        .await
        .unwrap();
    let session = store.session("session-1").await.unwrap().expect("session");
    assert_eq!(session.stage, SessionStage::Password);
    assert_eq!(session.staff.id, moderator);
    assert_eq!(session.csrf_token, "csrf-1");
    store.promote_session("session-1", None).await.unwrap();
    store.touch_session("session-1", at(5)).await.unwrap();
    let session = store.session("session-1").await.unwrap().expect("session");
    assert_eq!(session.stage, SessionStage::Full);
    assert_eq!(session.last_seen_at, at(5));

    let token = store
        .create_token(
            moderator,
            "laptop",
            "token-hash-1",
            at(50),
            &line(1, "token_created"),
        )
        .await
        .unwrap();
    let by_token = store.staff_by_token("token-hash-1", at(2)).await.unwrap();
    assert_eq!(by_token.map(|s| s.id), Some(moderator));
    let tokens = store.list_tokens(moderator).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].last_used_at, Some(at(2)));
    assert_eq!(tokens[0].expires_at, at(50));
    assert!(
        store
            .revoke_token(moderator, token, &line(3, "token_revoked"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_token(moderator, token, &line(3, "token_revoked"))
            .await
            .unwrap()
    );
    assert!(
        store
            .staff_by_token("token-hash-1", at(4))
            .await
            .unwrap()
            .is_none()
    );

    // A token opens nothing once it has expired.
    store
        .create_token(
            moderator,
            "tablet",
            "token-hash-3",
            at(20),
            &line(1, "token_created"),
        )
        .await
        .unwrap();
    assert!(
        store
            .staff_by_token("token-hash-3", at(19))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .staff_by_token("token-hash-3", at(20))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );

    // Disabling ends every session and every token at once.
    store
        .create_token(
            moderator,
            "phone",
            "token-hash-2",
            at(50),
            &line(6, "token_created"),
        )
        .await
        .unwrap();
    store
        .set_staff_disabled(moderator, true, &line(7, "staff_disabled"))
        .await
        .unwrap();
    assert!(store.session("session-1").await.unwrap().is_none());
    assert!(
        store
            .staff_by_token("token-hash-2", at(8))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .staff_by_id(moderator)
            .await
            .unwrap()
            .expect("kept")
            .disabled
    );

    store
        .set_staff_disabled(moderator, false, &line(9, "staff_enabled"))
        .await
        .unwrap();
    store
        .create_session(&NewSession {
            id_hash: "session-2".into(),
            staff: moderator,
            stage: SessionStage::Full,
            csrf_token: "csrf-2".into(),
            now: at(10),
            expires_at: at(59),
            audit: None,
        })
        .await
        .unwrap();
    store
        .create_token(
            moderator,
            "desk",
            "token-hash-4",
            at(50),
            &line(10, "token_created"),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .sign_out_everywhere(moderator, &line(11, "sign_out_everywhere"))
            .await
            .unwrap(),
        1
    );
    assert!(
        store
            .staff_by_token("token-hash-4", at(12))
            .await
            .unwrap()
            .is_none(),
        "signing out everywhere revokes the tokens too"
    );
    store.delete_session("no-such-session", None).await.unwrap();
}

pub async fn failed_sign_ins_lock_the_account(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let id = staff(&store, org, "a@pen.example", &[Role::Moderator]).await;
    let (failed, lockout) = (line(1, "sign_in_failed"), line(1, "lockout"));
    for expected in 1..=4 {
        assert_eq!(
            store
                .record_login_failure(id, 5, at(30), &failed, &lockout)
                .await
                .unwrap(),
            expected
        );
    }
    // Each failure is audited with it; the lockout only when it happens.
    assert_eq!(lines_of(&store, "sign_in_failed").await.len(), 4);
    assert_eq!(lines_of(&store, "lockout").await.len(), 0);
    assert!(
        store
            .staff_by_id(id)
            .await
            .unwrap()
            .expect("staff")
            .locked_until
            .is_none()
    );
    assert_eq!(
        store
            .record_login_failure(id, 5, at(30), &failed, &lockout)
            .await
            .unwrap(),
        5
    );
    assert_eq!(lines_of(&store, "sign_in_failed").await.len(), 5);
    assert_eq!(lines_of(&store, "lockout").await.len(), 1);
    let locked = store.staff_by_id(id).await.unwrap().expect("staff");
    assert_eq!(locked.locked_until, Some(at(30)));
    assert_eq!(locked.failed_logins, 5);
    store.reset_login_failures(id).await.unwrap();
    let reset = store.staff_by_id(id).await.unwrap().expect("staff");
    assert_eq!(reset.failed_logins, 0);
    assert!(reset.locked_until.is_none());
}

pub async fn second_factor_codes_are_never_accepted_twice(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let id = staff(&store, org, "admin@pen.example", &[Role::Admin]).await;
    store
        .enrol_totp(&enrolment(id, b"encrypted-secret", &["rc-1", "rc-2"], None))
        .await
        .unwrap();
    let enrolled = store.staff_by_id(id).await.unwrap().expect("staff");
    assert_eq!(
        enrolled.totp_secret_enc.as_deref(),
        Some(&b"encrypted-secret"[..])
    );
    assert!(store.accept_totp_step(id, 100).await.unwrap());
    assert!(!store.accept_totp_step(id, 100).await.unwrap(), "replay");
    assert!(!store.accept_totp_step(id, 99).await.unwrap(), "older step");
    assert!(store.accept_totp_step(id, 101).await.unwrap());
    assert!(store.use_recovery_code(id, "rc-1", at(1)).await.unwrap());
    assert!(!store.use_recovery_code(id, "rc-1", at(2)).await.unwrap());
    assert!(!store.use_recovery_code(id, "unknown", at(2)).await.unwrap());
    // Enrolling again replaces the codes and forgets the last step.
    store
        .enrol_totp(&enrolment(id, b"new-secret", &["rc-3"], None))
        .await
        .unwrap();
    assert!(!store.use_recovery_code(id, "rc-2", at(3)).await.unwrap());
    assert!(store.use_recovery_code(id, "rc-3", at(3)).await.unwrap());
    assert!(store.accept_totp_step(id, 50).await.unwrap());
}

fn enrolment(id: StaffId, secret: &[u8], codes: &[&str], notice: Option<&str>) -> TotpEnrolment {
    TotpEnrolment {
        staff: id,
        secret_enc: secret.to_vec(),
        recovery_hashes: codes.iter().map(|c| (*c).to_owned()).collect(),
        audit: NewAudit {
            at: at(1),
            actor: Some(id),
            actor_org: None,
            action: if notice.is_some() {
                "second_factor_replaced".into()
            } else {
                "second_factor_enrolled".into()
            },
            object_type: Some("staff".into()),
            object_id: Some(id.to_string()),
            detail: String::new(),
        },
        notice: notice.map(str::to_owned),
    }
}

pub async fn a_replaced_second_factor_is_audited_and_told_in_one_transaction(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let id = staff(&store, org, "admin@pen.example", &[Role::Admin]).await;
    store
        .enrol_totp(&enrolment(id, b"first", &["rc-1"], None))
        .await
        .unwrap();
    assert!(
        store
            .pending_staff_notices(at(59), 10)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .enrol_totp(&enrolment(
            id,
            b"second",
            &["rc-2"],
            Some("second_factor_replaced"),
        ))
        .await
        .unwrap();
    let actions: Vec<String> = store
        .list_audit(&AuditFilter {
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"second_factor_enrolled".to_owned()));
    assert!(actions.contains(&"second_factor_replaced".to_owned()));
    let notices = store.pending_staff_notices(at(59), 10).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].email, "admin@pen.example");
    assert_eq!(notices[0].kind, "second_factor_replaced");
    assert!(
        store
            .pending_staff_notices(at(0), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due before it was queued"
    );
    store
        .mark_staff_notice_failed(notices[0].id, "421", at(30))
        .await
        .unwrap();
    assert!(
        store
            .pending_staff_notices(at(29), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let retried = store.pending_staff_notices(at(31), 10).await.unwrap();
    assert_eq!(retried[0].attempts, 1);
    // Two instances sending at once: one takes it, for the lease.
    let (first, second) = futures::join!(
        store.claim_staff_notices(at(31), at(40), 10),
        store.claim_staff_notices(at(31), at(40), 10)
    );
    assert_eq!(first.unwrap().len() + second.unwrap().len(), 1);
    assert!(
        store
            .claim_staff_notices(at(39), at(45), 10)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .mark_staff_notice_sent(notices[0].id, at(31))
        .await
        .unwrap();
    assert!(
        store
            .pending_staff_notices(at(59), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn wrong_codes_are_counted_per_session(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let id = staff(&store, org, "admin@pen.example", &[Role::Admin]).await;
    for name in ["session-a", "session-b"] {
        store
            .create_session(&NewSession {
                id_hash: name.into(),
                staff: id,
                stage: SessionStage::Password,
                csrf_token: "csrf".into(),
                now: at(0),
                expires_at: at(50),
                audit: None,
            })
            .await
            .unwrap();
    }
    assert_eq!(store.record_code_failure("session-a").await.unwrap(), 1);
    assert_eq!(store.record_code_failure("session-a").await.unwrap(), 2);
    assert_eq!(store.record_code_failure("session-b").await.unwrap(), 1);
    assert!(matches!(
        store.record_code_failure("no-such-session").await,
        Err(StoreError::NotFound)
    ));
}
