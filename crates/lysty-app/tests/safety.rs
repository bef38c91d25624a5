//! The safety flags as the campaign runs them: case terms staff record per prisoner, other
//! prisoners named in a letter, flags on both texts of a translated letter, the writer's
//! check before sending (which stores nothing, and tells the moderator when the writer was
//! warned), and the starter list added once per version. On SQLite, and on PostgreSQL too
//! when `LYSTY_TEST_POSTGRES` names a server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Desk, stores};

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lysty_app::{App, AppConfig, EmailCipher, LetterInput, ManualClock, ReviewError};
use lysty_domain::safety::{
    Flag, FlagDetail, FlagKind, FlagText, STARTER_VERSION, starter_lexicon,
};
use lysty_domain::{LetterId, LetterState, Source};
use lysty_store::{AuditFilter, NewAudit, Store};

async fn start(store: Arc<dyn Store>) -> App {
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap();
    let clock = ManualClock::starting_at(Utc.with_ymd_and_hms(2030, 3, 14, 10, 0, 0).unwrap());
    App::start(store, cipher, Arc::new(clock), AppConfig::default())
        .await
        .unwrap()
}

async fn desk(store: Arc<dyn Store>) -> Desk {
    common::desk(store, AppConfig::default(), &[]).await
}

impl Desk {
    async fn send(&self, prisoner: &str, body: &str, warned: &str) -> LetterId {
        self.app
            .submit_letter(
                &LetterInput {
                    prisoner: prisoner.into(),
                    body: body.into(),
                    language: "ru".into(),
                    warned: warned.into(),
                    ..LetterInput::default()
                },
                Source::Online,
            )
            .await
            .unwrap()
            .id
    }

    async fn flags(&self, id: LetterId) -> Vec<Flag> {
        self.app
            .store()
            .review_letter(id)
            .await
            .unwrap()
            .unwrap()
            .flags
    }
}

fn terms(flags: &[Flag], kind: FlagKind) -> Option<Vec<String>> {
    flags
        .iter()
        .find(|f| f.kind == kind)
        .map(|f| match &f.detail {
            FlagDetail::Terms(t) => t.clone(),
            other => panic!("{other:?}"),
        })
}

const ABOUT_THE_CASE: &str = "Здравствуй, Ремзи! Слышала, что Петренко опять приходил к \
    тебе. У нас весна, цветут абрикосы, дети бегают во дворе.";

#[tokio::test]
async fn case_terms_flag_that_prisoners_letters_and_are_audited() {
    for store in stores().await {
        let d = desk(store).await;
        // Before any case terms the investigator's name is an ordinary word.
        let before = d.send("remzi-bekirov", ABOUT_THE_CASE, "").await;
        assert_eq!(terms(&d.flags(before).await, FlagKind::CaseDetails), None);

        let saved = d
            .app
            .set_case_terms(
                &d.moderator,
                "remzi-bekirov",
                "ч. 2 ст. 205.5 УК РФ\n\n  следователь Петренко  \nч. 2 ст. 205.5 УК РФ",
            )
            .await
            .unwrap();
        assert_eq!(saved, ["ч. 2 ст. 205.5 УК РФ", "следователь Петренко"]);
        // The letter still waiting was read again with the new terms: the name alone is
        // found.
        assert_eq!(
            terms(&d.flags(before).await, FlagKind::CaseDetails),
            Some(vec!["Петренко".to_owned()])
        );
        // A new letter with the article's number alone.
        let id = d
            .send(
                "remzi-bekirov",
                "Привет! Читала про 205.5 — держись. У нас всё хорошо, мама печёт пироги.",
                "",
            )
            .await;
        let found = terms(&d.flags(id).await, FlagKind::CaseDetails).unwrap();
        assert!(found.iter().any(|t| t.contains("205.5")), "{found:?}");
        // Another prisoner's letters do not use Remzi's terms.
        let other = d.send("bohdan-ziza", ABOUT_THE_CASE, "").await;
        assert_eq!(terms(&d.flags(other).await, FlagKind::CaseDetails), None);

        let audit = d
            .app
            .store()
            .list_audit(&AuditFilter {
                action: Some("case_terms".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].object_id.as_deref(), Some("remzi-bekirov"));
        assert_eq!(audit[0].actor, Some(d.moderator.staff.id));

        assert!(matches!(
            d.app
                .set_case_terms(&d.dispatcher, "remzi-bekirov", "x")
                .await,
            Err(ReviewError::Forbidden)
        ));
        assert!(matches!(
            d.app
                .prisoner_with_case(&d.translator, "remzi-bekirov")
                .await,
            Err(ReviewError::Forbidden)
        ));
        let too_many: String = (0..201).map(|i| format!("термин {i}\n")).collect();
        assert!(matches!(
            d.app
                .set_case_terms(&d.moderator, "remzi-bekirov", &too_many)
                .await,
            Err(ReviewError::Invalid(_))
        ));
        assert!(matches!(
            d.app
                .set_case_terms(&d.moderator, "no-such-person", "x")
                .await,
            Err(ReviewError::NotFound)
        ));
        // Nothing of the refused changes was kept.
        let kept = d
            .app
            .prisoner_with_case(&d.moderator, "remzi-bekirov")
            .await
            .unwrap();
        assert_eq!(kept.case_terms.len(), 2);
    }
}

#[tokio::test]
async fn another_prisoner_named_in_a_letter_is_flagged_with_their_name() {
    for store in stores().await {
        let d = desk(store).await;
        let text = "Привет, Богдан! Передай, пожалуйста, привет Бекирову, если увидишь. \
            У нас всё хорошо, на даче зацвели яблони.";
        let to_bohdan = d.send("bohdan-ziza", text, "").await;
        assert_eq!(
            terms(&d.flags(to_bohdan).await, FlagKind::OtherPrisoner),
            Some(vec!["Ремзі Бекіров".to_owned()])
        );
        // Naming the person the letter is for is what letters do.
        let to_remzi = d.send("remzi-bekirov", text, "").await;
        assert_eq!(
            terms(&d.flags(to_remzi).await, FlagKind::OtherPrisoner),
            None
        );
        // A given name alone is not a person.
        let given = d
            .send(
                "bohdan-ziza",
                "Привет, Богдан! Мой сосед Ремзи передаёт привет, он печёт отличный хлеб.",
                "",
            )
            .await;
        assert_eq!(terms(&d.flags(given).await, FlagKind::OtherPrisoner), None);
    }
}

/// The name and city printed under a letter are checked like its text: a pseudonym can
/// carry a slogan. The flag says it was found in the signature, and stays when the flags
/// are worked out again (after a translation here).
#[tokio::test]
async fn a_signature_that_says_what_a_letter_must_not_is_flagged() {
    for store in stores().await {
        let d = desk(store).await;
        let send = |name: &str, city: &str| {
            let input = LetterInput {
                prisoner: "remzi-bekirov".into(),
                body: "Привіт! У нас весна, цвітуть каштани. Тримайтеся.".into(),
                language: "uk".into(),
                writer_name: name.into(),
                writer_city: city.into(),
                ..LetterInput::default()
            };
            let app = &d.app;
            async move { app.submit_letter(&input, Source::Online).await }
        };
        let plain = send("Олена", "Київ").await.unwrap().id;
        assert!(
            d.flags(plain)
                .await
                .iter()
                .all(|f| f.text != FlagText::Signature),
            "an ordinary name and city raise nothing"
        );
        let slogan = send("Слава ЗСУ", "Київ").await.unwrap().id;
        let flags = d.flags(slogan).await;
        let signed: Vec<&Flag> = flags
            .iter()
            .filter(|f| f.text == FlagText::Signature)
            .collect();
        assert!(!signed.is_empty(), "{flags:?}");
        assert!(signed.iter().all(|f| f.kind.is_about_content()));
        d.app.open_letter(&d.moderator, slogan).await.unwrap();
        d.app.approve(&d.moderator, slogan).await.unwrap();
        d.app.open_letter(&d.translator, slogan).await.unwrap();
        d.app
            .translate(
                &d.translator,
                slogan,
                "Привет! У нас весна, цветут каштаны. Держитесь.",
            )
            .await
            .unwrap();
        assert!(
            d.flags(slogan)
                .await
                .iter()
                .any(|f| f.text == FlagText::Signature),
            "the signature is still flagged once the Russian text is there"
        );
    }
}

#[tokio::test]
async fn a_translated_letter_is_flagged_in_both_texts_and_says_which() {
    for store in stores().await {
        let d = desk(store).await;
        let id = d
            .send(
                "remzi-bekirov",
                "Привіт, Ремзі! Передай вітання Ірині Данилович, будь ласка. У нас весна, цвітуть каштани.",
                "",
            )
            .await;
        d.app.open_letter(&d.moderator, id).await.unwrap();
        assert_eq!(
            d.app.approve(&d.moderator, id).await.unwrap(),
            LetterState::NeedsTranslation
        );
        d.app.open_letter(&d.translator, id).await.unwrap();
        // The translator left the name out but wrote about the war.
        d.app
            .translate(
                &d.translator,
                id,
                "Привет, Ремзи! Передай привет другу. У нас весна, но снова война и тревоги.",
            )
            .await
            .unwrap();
        let flags = d.flags(id).await;
        let war = flags.iter().find(|f| f.kind == FlagKind::War).unwrap();
        assert_eq!(war.text, FlagText::Delivery);
        let named = flags
            .iter()
            .find(|f| f.kind == FlagKind::OtherPrisoner)
            .unwrap();
        assert_eq!(named.text, FlagText::Original);
        assert_eq!(
            named.detail,
            FlagDetail::Terms(vec!["Ірина Данилович".into()])
        );
        // The original's language is not a flag of a letter that has its Russian text.
        assert!(flags.iter().all(|f| f.kind != FlagKind::NotRussian));
    }
}

#[tokio::test]
async fn the_writers_check_stores_nothing_and_the_warning_reaches_the_moderator() {
    for store in stores().await {
        let d = desk(store).await;
        let text = "Дорогий Ремзі! Скоро наша перемога, ЗСУ женуть окупантів. Тримайся!";
        let waiting = |d: &Desk| {
            let app = d.app.clone();
            let moderator = d.moderator.clone();
            async move {
                app.review_queue(&moderator, lysty_app::Queue::Review, Default::default())
                    .await
                    .unwrap()
                    .len()
            }
        };
        let before = waiting(&d).await;
        let check = d
            .app
            .check_letter("remzi-bekirov", text)
            .await
            .unwrap()
            .unwrap();
        assert!(!check.is_clear());
        assert!(
            check.kinds().contains(&FlagKind::War),
            "{:?}",
            check.kinds()
        );
        assert!(check.flags.iter().all(|f| f.kind.is_about_content()));
        assert_eq!(waiting(&d).await, before, "a check stores no letter");
        assert!(
            d.app
                .check_letter("no-such-person", text)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            d.app
                .store()
                .count_fingerprint(&lysty_domain::safety::fingerprint(text))
                .await
                .unwrap(),
            0
        );
        let rewritten = "Дорогий Ремзі! У нас весна, цвітуть каштани, діти граються. Тримайся!";
        assert!(
            d.app
                .check_letter("remzi-bekirov", rewritten)
                .await
                .unwrap()
                .unwrap()
                .is_clear()
        );

        // Sent as it is after the warning: the moderator is told, with the kinds shown.
        let id = d
            .send("remzi-bekirov", text, "war,political,not_a_kind,too_long")
            .await;
        let flags = d.flags(id).await;
        assert_eq!(
            terms(&flags, FlagKind::WriterWarned),
            Some(vec!["war".to_owned(), "political".to_owned()])
        );
        // A letter sent without a check carries no such flag.
        let plain = d.send("remzi-bekirov", rewritten, "").await;
        assert_eq!(terms(&d.flags(plain).await, FlagKind::WriterWarned), None);
    }
}

#[tokio::test]
async fn the_starter_list_is_added_once_and_a_newer_one_reaches_an_older_installation() {
    for store in stores().await {
        let starter = starter_lexicon().len();
        let app = start(store.clone()).await;
        let admin_terms = app.store().list_lexicon().await.unwrap();
        assert_eq!(admin_terms.len(), starter);
        let seeded = app
            .store()
            .list_audit(&AuditFilter {
                action: Some("lexicon_starter".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(seeded.len(), 1);
        assert!(
            seeded[0]
                .detail
                .starts_with(&format!("version {STARTER_VERSION}:"))
        );

        // An admin removes a starter term; starting again does not bring it back.
        let war = admin_terms.iter().find(|t| t.term == "война").unwrap();
        let removal = lysty_store::NewAudit {
            at: app.now(),
            actor: None,
            actor_org: None,
            action: "lexicon_remove".into(),
            object_type: None,
            object_id: None,
            detail: String::new(),
        };
        app.store().remove_lexicon(war.id, &removal).await.unwrap();
        drop(app);
        let again = start(store.clone()).await;
        let terms = again.store().list_lexicon().await.unwrap();
        assert_eq!(terms.len(), starter - 1);
        assert!(terms.iter().all(|t| t.term != "война"));

        // An installation seeded by an older version gets the newer list once.
        store
            .append_audit(&NewAudit {
                at: Utc::now(),
                actor: None,
                actor_org: None,
                action: "lexicon_starter".into(),
                object_type: None,
                object_id: None,
                detail: "version 1: 190 terms".into(),
            })
            .await
            .unwrap();
        let upgraded = start(store.clone()).await;
        assert_eq!(
            upgraded.store().list_lexicon().await.unwrap().len(),
            starter
        );
    }
}
