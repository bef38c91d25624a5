//! The contract every Lysty store must keep, written once and run on each backend.
//!
//! Each case takes a fresh, empty, migrated store. A backend's `tests/contract.rs` calls
//! [`contract_tests!`] with a factory, which turns every case below into a test of its own.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lysty_store::*;

mod audit;
mod delivery;
mod export;
mod history;
mod replies;
mod review;
mod safety;
mod staff;
pub use audit::*;
pub use delivery::*;
pub use export::*;
pub use history::*;
pub use replies::*;
pub use review::*;
pub use safety::*;
pub use staff::*;

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
            a_replaced_kiosk_link_is_kept_with_the_time_it_was_replaced,
            staff_sessions_and_tokens_live_and_end_together,
            failed_sign_ins_lock_the_account,
            second_factor_codes_are_never_accepted_twice,
            a_replaced_second_factor_is_audited_and_told_in_one_transaction,
            wrong_codes_are_counted_per_session,
            the_audit_log_lists_newest_first_with_filters,
            the_lexicon_is_edited_without_duplicates,
            a_claimed_letter_goes_through_review_step_by_step,
            a_review_step_writes_its_audit_line_only_when_it_happens,
            flags_that_cannot_be_read_are_an_error_not_an_empty_list,
            a_built_batch_and_its_audit_line_commit_together,
            staff_lexicon_and_kiosk_actions_commit_with_their_audit_lines,
            the_review_queue_filters_and_pages,
            a_batch_takes_approved_letters_oldest_first_within_the_weekly_cap,
            concurrent_batches_never_share_a_letter,
            a_transfer_holds_letters_not_yet_sent_and_the_bank_keeps_them,
            a_reply_reaches_the_writers_of_delivered_letters,
            facilities_keep_their_rules,
            a_recount_of_the_counters_equals_the_live_ones,
            a_history_import_is_all_or_nothing_and_counted,
            letters_are_exported_page_by_page_with_their_journey,
            case_terms_and_their_audit_line_are_written_together,
            prisoners_added_and_edited_on_the_page_keep_their_facility_and_case,
            a_starter_list_is_added_once_with_its_version,
        );
    };
}

pub type DynStore = Arc<dyn Store>;

/// The flags a Ukrainian letter is stored with, as the safety check writes them.
const NOT_RUSSIAN_FLAGS: &str = r#"[{"kind":"not_russian","spans":[],"detail":{"type":"language","value":{"detected":"uk","confidence":1.0}}}]"#;

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
        gender: Gender::Female,
        story: Localised {
            uk: "Історія".into(),
            en: "Story".into(),
            crh: "Tarih".into(),
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
            json: NOT_RUSSIAN_FLAGS.into(),
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

pub async fn a_replaced_kiosk_link_is_kept_with_the_time_it_was_replaced(store: DynStore) {
    let campaign = campaign(&store).await;
    let starts_at = at(0);
    let event = store
        .upsert_event(
            &NewEvent {
                campaign,
                organisation: None,
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
                starts_at,
                ends_at: starts_at + chrono::Duration::hours(8),
                series: None,
                demo: false,
            },
            None,
        )
        .await
        .unwrap();
    let first = "first-kiosk-token-0000000000";
    let second = "second-kiosk-token-000000000";
    // Replacing a kiosk that has no link keeps nothing.
    store
        .replace_kiosk(event, first, &line(1, "kiosk_replaced"))
        .await
        .unwrap();
    assert!(
        store
            .event_by_replaced_kiosk_token(first)
            .await
            .unwrap()
            .is_none()
    );
    store
        .replace_kiosk(event, second, &line(2, "kiosk_replaced"))
        .await
        .unwrap();
    let found = store.event_by_kiosk_token(second).await.unwrap().unwrap();
    assert_eq!(found.id, event);
    assert!(store.event_by_kiosk_token(first).await.unwrap().is_none());
    let (old, replaced_at) = store
        .event_by_replaced_kiosk_token(first)
        .await
        .unwrap()
        .expect("the old link is kept");
    assert_eq!((old.id, replaced_at), (event, at(2)));
    // A closed kiosk's link is not kept as replaced: closing refuses it for good.
    store
        .set_kiosk(event, Some(second), Some(at(3)), &line(3, "kiosk_revoked"))
        .await
        .unwrap();
    store
        .replace_kiosk(
            event,
            "third-kiosk-token-0000000000",
            &line(4, "kiosk_replaced"),
        )
        .await
        .unwrap();
    assert!(
        store
            .event_by_replaced_kiosk_token(second)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn events_are_listed_newest_first_and_count_their_letters(store: DynStore) {
    let campaign = campaign(&store).await;
    store
        .upsert_prisoners(&[prisoner("remzi-bekirov", PrisonerStatus::Convicted, true)])
        .await
        .unwrap();
    let org = store
        .upsert_organisation(
            &NewOrganisation {
                slug: "pen".into(),
                name_uk: "Український ПЕН".into(),
                name_en: "PEN Ukraine".into(),
            },
            None,
        )
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
                crh: String::new(),
            },
            city: format!("City {day}"),
            country: "Україна".into(),
            venue: None,
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(4),
            series: Some("press-tour-2024".into()),
            demo: true,
        };
        ids.push(store.upsert_event(&event, None).await.unwrap());
        // Upserting again changes nothing.
        assert_eq!(
            store.upsert_event(&event, None).await.unwrap(),
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
        .upsert_organisation(
            &NewOrganisation {
                slug: slug.into(),
                name_uk: slug.into(),
                name_en: slug.into(),
            },
            None,
        )
        .await
        .expect("organisation")
}

async fn staff(store: &DynStore, org: OrganisationId, email: &str, roles: &[Role]) -> StaffId {
    store
        .create_staff(
            &NewStaff {
                organisation: org,
                email: email.into(),
                name: email.into(),
                roles: Roles::of(roles),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
            None,
        )
        .await
        .expect("staff")
}

/// The audit line of a case's action, at a minute.
pub(crate) fn line(minute: u32, action: &str) -> NewAudit {
    NewAudit {
        at: at(minute),
        actor: None,
        actor_org: None,
        action: action.into(),
        object_type: None,
        object_id: None,
        detail: String::new(),
    }
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, minute, 0)
        .single()
        .expect("time")
}
