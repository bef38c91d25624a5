//! The contract every Lysty store must keep, written once and run on each backend.
//!
//! Each case takes a fresh, empty, migrated store. A backend's `tests/contract.rs` calls
//! [`contract_tests!`] with a factory, which turns every case below into a test of its own.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lysty_store::*;

mod delivery;
mod export;
mod history;
pub use delivery::*;
pub use export::*;
pub use history::*;

/// Generates one `#[tokio::test]` per contract case. `$factory` is an async expression
/// yielding `Option<Arc<dyn Store>>`; `None` means the backend is not configured here
/// (PostgreSQL without `LYSTY_TEST_POSTGRES`), and the case says so and returns.
#[macro_export]
macro_rules! contract_tests {
    ($factory:expr; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                match $factory.await {
                    Some(store) => $crate::$case(store).await,
                    None => eprintln!("skipped: backend not configured"),
                }
            }
        )+
    };
    ($factory:expr) => {
        $crate::contract_tests!($factory;
            campaigns_are_upserted_by_slug,
            prisoner_imports_are_all_or_nothing,
            a_submitted_letter_is_tracked_and_counted,
            an_idempotency_key_returns_the_first_letter,
            refusals_stay_with_their_letter,
            prisoners_are_listed_published_only_with_keyset_pages,
            concurrent_submissions_keep_counters_exact,
            events_are_listed_newest_first_and_count_their_letters,
            staff_sessions_and_tokens_live_and_end_together,
            failed_sign_ins_lock_the_account,
            second_factor_codes_are_never_accepted_twice,
            a_replaced_second_factor_is_audited_and_told_in_one_transaction,
            wrong_codes_are_counted_per_session,
            the_audit_log_lists_newest_first_with_filters,
            the_lexicon_is_edited_without_duplicates,
            a_claimed_letter_goes_through_review_step_by_step,
            the_review_queue_filters_and_pages,
            a_batch_takes_approved_letters_oldest_first_within_the_weekly_cap,
            concurrent_batches_never_share_a_letter,
            a_transfer_holds_letters_not_yet_sent_and_the_bank_keeps_them,
            a_reply_reaches_the_writers_of_delivered_letters,
            facilities_keep_their_rules,
            a_recount_of_the_counters_equals_the_live_ones,
            a_history_import_is_all_or_nothing_and_counted,
            letters_are_exported_page_by_page_with_their_journey,
        );
    };
}

pub type DynStore = Arc<dyn Store>;

async fn campaign(store: &DynStore) -> CampaignId {
    store
        .upsert_campaign(&NewCampaign {
            slug: "letters-to-free-crimea".into(),
            name_uk: "Листи до вільного Криму".into(),
            name_en: "Letters to Free Crimea".into(),
        })
        .await
        .expect("campaign")
}

fn prisoner(slug: &str, status: PrisonerStatus, published: bool) -> NewPrisoner {
    NewPrisoner {
        slug: PrisonerSlug::parse(slug).expect("slug"),
        names: PrisonerNames {
            uk: format!("Ім'я {slug}"),
            en: format!("Name {slug}"),
            crh: None,
            ru_full: Some(format!("Имя {slug}")),
        },
        birth_year: Some(1985),
        birth_date: None,
        status,
        story: Localised {
            uk: "Історія".into(),
            en: "Story".into(),
        },
        guidance: Localised::default(),
        facility: None,
        published,
    }
}

fn letter(campaign: CampaignId, prisoner: &str, key: Option<&str>) -> NewLetter {
    NewLetter {
        id: LetterId::new(),
        campaign,
        tracking_code: TrackingCode::generate(),
        idempotency_key: key.map(|k| IdempotencyKey::parse(k).expect("key").expect("some")),
        prisoner: PrisonerSlug::parse(prisoner).expect("slug"),
        source: Source::Online,
        event: None,
        writer_name: WriterName::parse("Оксана").expect("name"),
        writer_city: Place::parse(" Kyiv ").expect("city"),
        writer_country: Place::parse("Україна").expect("country"),
        writer_email_encrypted: Some(vec![1, 2, 3]),
        language: LetterLanguage::Uk,
        body: LetterBody::parse("Тримайся! Ми пам'ятаємо про тебе.", 8000).expect("body"),
        received_at: Utc
            .with_ymd_and_hms(2024, 11, 20, 10, 0, 0)
            .single()
            .expect("time"),
        flags: FlagsUpdate {
            json: r#"[{"kind":"not_russian"}]"#.into(),
            kinds: vec!["not_russian".into()],
            detected_language: Some("uk".into()),
        },
        fingerprint: "fp-default".into(),
    }
}

async fn counter(store: &DynStore, campaign: CampaignId, key: CounterKey) -> i64 {
    store
        .counters(campaign)
        .await
        .expect("counters")
        .into_iter()
        .find(|c| c.key == key)
        .map_or(0, |c| c.value)
}

fn created(outcome: &SubmitOutcome) -> &Receipt {
    match outcome {
        SubmitOutcome::Created(receipt) => receipt,
        other => panic!("expected a created letter, got {other:?}"),
    }
}

pub async fn campaigns_are_upserted_by_slug(store: DynStore) {
    let first = campaign(&store).await;
    let second = campaign(&store).await;
    assert_eq!(first, second);
    let found = store
        .campaign_by_slug("letters-to-free-crimea")
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(found.id, first);
    assert_eq!(found.name_en, "Letters to Free Crimea");
    assert!(store.campaign_by_slug("other").await.unwrap().is_none());
}

pub async fn prisoner_imports_are_all_or_nothing(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let mut with_bad_facility = prisoner("bohdan-ziza", PrisonerStatus::Convicted, true);
    with_bad_facility.facility = Some("no-such-facility".into());
    let mut renamed = prisoner("remzi-bekirov", PrisonerStatus::Convicted, true);
    renamed.names.en = "Changed".into();
    let result = store.upsert_prisoners(&[renamed, with_bad_facility]).await;
    assert!(
        result.is_err(),
        "an unknown facility fails the whole import"
    );
    let kept = store
        .prisoner_by_slug(campaign, "remzi-bekirov")
        .await
        .unwrap()
        .expect("kept");
    assert_eq!(
        kept.names.en, "Name remzi-bekirov",
        "the first row was rolled back"
    );
    assert!(
        store
            .prisoner_by_slug(campaign, "bohdan-ziza")
            .await
            .unwrap()
            .is_none()
    );

    let facility = store
        .upsert_facility(&NewFacility {
            slug: "ik-21-iksa".into(),
            name_ru: "ИК-21".into(),
            name_en: "Correctional colony No. 21".into(),
            region: Some("Архангельская область".into()),
            address_ru: None,
            max_letter_chars: Some(2500),
        })
        .await
        .unwrap();
    let mut placed = prisoner("vladlen-abdulkadyrov", PrisonerStatus::Convicted, true);
    placed.facility = Some("ik-21-iksa".into());
    store.upsert_prisoners(&[placed]).await.unwrap();
    let found = store
        .prisoner_by_slug(campaign, "vladlen-abdulkadyrov")
        .await
        .unwrap()
        .expect("stored");
    let placed_at = found.facility.expect("placed");
    assert_eq!(placed_at.id, facility);
    assert_eq!(placed_at.max_letter_chars, Some(2500));
    assert_eq!(found.birth_year, Some(1985));
}

pub async fn a_submitted_letter_is_tracked_and_counted(store: DynStore) {
    let campaign = campaign(&store).await;
    let ids = store
        .upsert_prisoners(&[prisoner(
            "iryna-danylovych",
            PrisonerStatus::Convicted,
            true,
        )])
        .await
        .unwrap();
    let new = letter(campaign, "iryna-danylovych", Some("key-1"));
    let outcomes = store
        .submit_letters(std::slice::from_ref(&new))
        .await
        .unwrap();
    let receipt = created(&outcomes[0]).clone();
    assert_eq!(receipt.id, new.id);
    assert_eq!(receipt.state, LetterState::Received);
    assert!(store.letter_exists(new.id).await.unwrap());

    let tracked = store
        .letter_by_tracking_code(new.tracking_code.as_str())
        .await
        .unwrap()
        .expect("tracked");
    assert_eq!(tracked.id, new.id);
    assert_eq!(tracked.state, LetterState::Received);
    assert_eq!(tracked.prisoner_slug.as_str(), "iryna-danylovych");
    assert_eq!(tracked.received_at, new.received_at);
    assert_eq!(tracked.journey.len(), 1);
    assert_eq!(tracked.journey[0].state, LetterState::Received);
    assert!(
        store
            .letter_by_tracking_code("0000000000000000")
            .await
            .unwrap()
            .is_none()
    );

    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 1);
    assert_eq!(
        counter(&store, campaign, CounterKey::Prisoner(ids[0].0)).await,
        1
    );
    assert_eq!(counter(&store, campaign, CounterKey::city("kyiv")).await, 1);
    assert_eq!(
        counter(&store, campaign, CounterKey::country("україна")).await,
        1
    );
    assert_eq!(
        counter(
            &store,
            campaign,
            CounterKey::Month {
                year: 2024,
                month: 11
            }
        )
        .await,
        1
    );
    assert_eq!(
        counter(&store, campaign, CounterKey::Source(Source::Online)).await,
        1
    );
    assert_eq!(
        counter(&store, campaign, CounterKey::State(LetterState::Received)).await,
        1
    );
    let found = store
        .prisoner_by_slug(campaign, "iryna-danylovych")
        .await
        .unwrap()
        .expect("prisoner");
    assert_eq!(found.letters, 1);
}

pub async fn an_idempotency_key_returns_the_first_letter(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let first = letter(campaign, "remzi-bekirov", Some("same-key"));
    let outcome = store
        .submit_letters(std::slice::from_ref(&first))
        .await
        .unwrap();
    let receipt = created(&outcome[0]).clone();

    let retry = letter(campaign, "remzi-bekirov", Some("same-key"));
    let outcome = store
        .submit_letters(std::slice::from_ref(&retry))
        .await
        .unwrap();
    assert_eq!(outcome[0], SubmitOutcome::Existing(receipt.clone()));
    assert!(!store.letter_exists(retry.id).await.unwrap());

    // The same key with other content never reveals the first letter.
    let mut other = letter(campaign, "remzi-bekirov", Some("same-key"));
    other.body = LetterBody::parse("Інший текст", 8000).expect("body");
    let outcome = store.submit_letters(&[other]).await.unwrap();
    assert_eq!(
        outcome[0],
        SubmitOutcome::Refused(Refusal::IdempotencyKeyReused)
    );

    // The same key twice inside one group commit.
    let a = letter(campaign, "remzi-bekirov", Some("group-key"));
    let b = letter(campaign, "remzi-bekirov", Some("group-key"));
    let outcome = store.submit_letters(&[a.clone(), b]).await.unwrap();
    let first_in_group = created(&outcome[0]).clone();
    assert_eq!(outcome[1], SubmitOutcome::Existing(first_in_group));

    // Letters without a key never collide.
    let outcome = store
        .submit_letters(&[
            letter(campaign, "remzi-bekirov", None),
            letter(campaign, "remzi-bekirov", None),
        ])
        .await
        .unwrap();
    created(&outcome[0]);
    created(&outcome[1]);

    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 4);
}

pub async fn refusals_stay_with_their_letter(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[
            prisoner("halyna-dovhopola", PrisonerStatus::Convicted, true),
            prisoner("nariman-dzhelyal", PrisonerStatus::Released, true),
            prisoner("hidden-person", PrisonerStatus::Detained, false),
        ])
        .await
        .unwrap();
    let mut to_unknown_event = letter(campaign, "halyna-dovhopola", None);
    to_unknown_event.event = Some(EventId::new());
    let outcomes = store
        .submit_letters(&[
            letter(campaign, "no-such-person", None),
            letter(campaign, "nariman-dzhelyal", None),
            letter(campaign, "hidden-person", None),
            to_unknown_event,
            letter(campaign, "halyna-dovhopola", None),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcomes[0],
        SubmitOutcome::Refused(Refusal::UnknownPrisoner)
    );
    assert_eq!(
        outcomes[1],
        SubmitOutcome::Refused(Refusal::PrisonerNotAccepting)
    );
    assert_eq!(
        outcomes[2],
        SubmitOutcome::Refused(Refusal::UnknownPrisoner)
    );
    assert_eq!(outcomes[3], SubmitOutcome::Refused(Refusal::UnknownEvent));
    created(&outcomes[4]);
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 1);
}

pub async fn prisoners_are_listed_published_only_with_keyset_pages(store: DynStore) {
    let campaign = campaign(&store).await;
    let mut all: Vec<NewPrisoner> = (0..7)
        .map(|i| prisoner(&format!("person-{i}"), PrisonerStatus::Convicted, true))
        .collect();
    all.push(prisoner("person-hidden", PrisonerStatus::Convicted, false));
    store.upsert_prisoners(&all).await.unwrap();
    store
        .submit_letters(&[
            letter(campaign, "person-3", None),
            letter(campaign, "person-3", None),
        ])
        .await
        .unwrap();

    let first = store.list_prisoners(campaign, None, 4).await.unwrap();
    let slugs: Vec<_> = first.iter().map(|p| p.slug.as_str().to_owned()).collect();
    assert_eq!(slugs, ["person-0", "person-1", "person-2", "person-3"]);
    assert_eq!(first[3].letters, 2);
    assert_eq!(first[0].letters, 0);
    let rest = store
        .list_prisoners(campaign, Some("person-3"), 4)
        .await
        .unwrap();
    let slugs: Vec<_> = rest.iter().map(|p| p.slug.as_str().to_owned()).collect();
    assert_eq!(slugs, ["person-4", "person-5", "person-6"]);
}

pub async fn concurrent_submissions_keep_counters_exact(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("bohdan-ziza", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for round in 0..5 {
                    let group: Vec<_> = (0..5)
                        .map(|i| {
                            letter(
                                campaign,
                                "bohdan-ziza",
                                Some(&format!("t{task}-r{round}-{i}")),
                            )
                        })
                        .collect();
                    let outcomes = loop {
                        match store.submit_letters(&group).await {
                            Ok(outcomes) => break outcomes,
                            Err(StoreError::Busy) => tokio::task::yield_now().await,
                            Err(other) => panic!("{other}"),
                        }
                    };
                    ids.extend(outcomes.iter().map(|o| created(o).id));
                }
                ids
            })
        })
        .collect();
    let ids: Vec<LetterId> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .flat_map(|r| r.expect("task"))
        .collect();
    assert_eq!(ids.len(), 200);
    for id in &ids {
        assert!(store.letter_exists(*id).await.unwrap());
    }
    assert_eq!(counter(&store, campaign, CounterKey::Total).await, 200);
    assert_eq!(
        counter(&store, campaign, CounterKey::city("kyiv")).await,
        200
    );
}

pub async fn events_are_listed_newest_first_and_count_their_letters(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let org = store
        .upsert_organisation(&NewOrganisation {
            slug: "pen".into(),
            name_uk: "Український ПЕН".into(),
            name_en: "PEN Ukraine".into(),
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for day in 1..=5 {
        let starts_at = Utc
            .with_ymd_and_hms(2024, 5, day, 10, 0, 0)
            .single()
            .expect("time");
        let event = NewEvent {
            campaign,
            organisation: Some(org),
            slug: format!("tour-stop-{day}"),
            kind: "press_tour".into(),
            title: Localised {
                uk: format!("Зупинка {day}"),
                en: format!("Stop {day}"),
            },
            city: format!("City {day}"),
            country: "Україна".into(),
            venue: None,
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(4),
            series: Some("press-tour-2024".into()),
            demo: true,
        };
        ids.push(store.upsert_event(&event).await.unwrap());
        // Upserting again changes nothing.
        assert_eq!(
            store.upsert_event(&event).await.unwrap(),
            ids[ids.len() - 1]
        );
    }
    let mut at_event = letter(campaign, "remzi-bekirov", None);
    at_event.event = Some(ids[1]);
    at_event.source = Source::Kiosk;
    created(&store.submit_letters(&[at_event]).await.unwrap()[0]);

    let page = store.list_events(campaign, None, 3).await.unwrap();
    let titles: Vec<_> = page.iter().map(|e| e.title.en.clone()).collect();
    assert_eq!(titles, ["Stop 5", "Stop 4", "Stop 3"]);
    let last = &page[2];
    let rest = store
        .list_events(campaign, Some((last.starts_at, last.id)), 3)
        .await
        .unwrap();
    let titles: Vec<_> = rest.iter().map(|e| e.title.en.clone()).collect();
    assert_eq!(titles, ["Stop 2", "Stop 1"]);
    assert_eq!(rest[0].letters, 1);
    let one = store.event_by_id(ids[1]).await.unwrap().expect("event");
    assert_eq!(one.letters, 1);
    assert_eq!(one.series.as_deref(), Some("press-tour-2024"));
    assert_eq!(
        counter(&store, campaign, CounterKey::Source(Source::Kiosk)).await,
        1
    );
}

async fn organisation(store: &DynStore, slug: &str) -> OrganisationId {
    store
        .upsert_organisation(&NewOrganisation {
            slug: slug.into(),
            name_uk: slug.into(),
            name_en: slug.into(),
        })
        .await
        .expect("organisation")
}

async fn staff(store: &DynStore, org: OrganisationId, email: &str, roles: &[Role]) -> StaffId {
    store
        .create_staff(&NewStaff {
            organisation: org,
            email: email.into(),
            name: email.into(),
            roles: Roles::of(roles),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        })
        .await
        .expect("staff")
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, minute, 0)
        .single()
        .expect("time")
}

pub async fn staff_sessions_and_tokens_live_and_end_together(store: DynStore) {
    let pen = organisation(&store, "pen").await;
    let zmina = organisation(&store, "zmina").await;
    let moderator = staff(&store, pen, "mod@pen.example", &[Role::Moderator]).await;
    staff(&store, zmina, "coord@zmina.example", &[Role::Coordinator]).await;
    let again = store
        .create_staff(&NewStaff {
            organisation: zmina,
            email: "mod@pen.example".into(),
            name: "Twin".into(),
            roles: Roles::of(&[Role::Viewer]),
            password_hash: "x".into(),
        })
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
        .set_staff_roles(moderator, Roles::of(&[Role::Moderator, Role::Translator]))
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
        })
        .await
        .unwrap();
    let session = store.session("session-1").await.unwrap().expect("session");
    assert_eq!(session.stage, SessionStage::Password);
    assert_eq!(session.staff.id, moderator);
    assert_eq!(session.csrf_token, "csrf-1");
    store.promote_session("session-1").await.unwrap();
    store.touch_session("session-1", at(5)).await.unwrap();
    let session = store.session("session-1").await.unwrap().expect("session");
    assert_eq!(session.stage, SessionStage::Full);
    assert_eq!(session.last_seen_at, at(5));

    let token = store
        .create_token(moderator, "laptop", "token-hash-1", at(1))
        .await
        .unwrap();
    let by_token = store.staff_by_token("token-hash-1", at(2)).await.unwrap();
    assert_eq!(by_token.map(|s| s.id), Some(moderator));
    let tokens = store.list_tokens(moderator).await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].last_used_at, Some(at(2)));
    assert!(store.revoke_token(moderator, token, at(3)).await.unwrap());
    assert!(!store.revoke_token(moderator, token, at(3)).await.unwrap());
    assert!(
        store
            .staff_by_token("token-hash-1", at(4))
            .await
            .unwrap()
            .is_none()
    );

    // Disabling ends every session and every token at once.
    store
        .create_token(moderator, "phone", "token-hash-2", at(6))
        .await
        .unwrap();
    store
        .set_staff_disabled(moderator, true, at(7))
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
        .set_staff_disabled(moderator, false, at(9))
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
        })
        .await
        .unwrap();
    assert_eq!(store.delete_sessions_of(moderator).await.unwrap(), 1);
    store.delete_session("no-such-session").await.unwrap();
}

pub async fn failed_sign_ins_lock_the_account(store: DynStore) {
    let org = organisation(&store, "pen").await;
    let id = staff(&store, org, "a@pen.example", &[Role::Moderator]).await;
    for expected in 1..=4 {
        assert_eq!(
            store.record_login_failure(id, 5, at(30)).await.unwrap(),
            expected
        );
    }
    assert!(
        store
            .staff_by_id(id)
            .await
            .unwrap()
            .expect("staff")
            .locked_until
            .is_none()
    );
    assert_eq!(store.record_login_failure(id, 5, at(30)).await.unwrap(), 5);
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
        .add_lexicon("война", "ru", "war", at(0))
        .await
        .unwrap();
    let again = store
        .add_lexicon("война", "ru", "war", at(1))
        .await
        .unwrap();
    assert_eq!(first, again, "adding a term again gives the same term");
    store
        .add_lexicon("війна", "uk", "war", at(1))
        .await
        .unwrap();
    let terms = store.list_lexicon().await.unwrap();
    assert_eq!(terms.len(), 2);
    let removed = store.remove_lexicon(terms[0].id).await.unwrap();
    assert_eq!(removed.map(|t| t.term), Some(terms[0].term.clone()));
    assert!(store.remove_lexicon(terms[0].id).await.unwrap().is_none());
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
        .claim_letter(new.id, moderator, org, at(0), at(10))
        .await
        .unwrap()
    else {
        panic!("the first moderator claims it");
    };
    assert_eq!(claimed.state, LetterState::InReview);
    assert_eq!(claimed.flags_json, r#"[{"kind":"not_russian"}]"#);
    let held = store
        .claim_letter(new.id, other, org, at(1), at(11))
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
            .claim_letter(new.id, translator, org, at(5), at(15))
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
            .claim_letter(new.id, moderator, org, at(7), at(17))
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
    assert_eq!(done.flags_json, "[]");
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
