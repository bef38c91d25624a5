//! What is printed is what was reviewed: a passage a moderator strikes reaches the prison in
//! neither the Russian text nor the original, whichever text it was struck in. On SQLite, and
//! on PostgreSQL too when `LYSTY_TEST_POSTGRES` names a server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::stores;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lysty_app::delivery::{BatchInput, FacilityInput};
use lysty_app::{Actor, App, AppConfig, EmailCipher, LetterInput, ManualClock, ReviewError};
use lysty_domain::{LetterId, LetterState, Role, Roles, Source};
use lysty_store::Store;

const UKRAINIAN: &str = "Привіт, Ремзі! Сьогодні в Києві сонячно, цвітуть каштани. \
    Суддя Петров скоро розгляне вашу справу. Тримайтеся, ми з вами!";
const RUSSIAN: &str = "Привет, Ремзи! Сегодня в Киеве солнечно, цветут каштаны. \
    Судья Петров скоро рассмотрит ваше дело. Держитесь, мы с вами!";
/// In both texts: the word that must not be printed.
const STRUCK_NAME: &str = "Петров";

struct Desk {
    app: App,
    moderator: Actor,
    translator: Actor,
    dispatcher: Actor,
}

async fn desks() -> Vec<Desk> {
    let mut desks = Vec::new();
    for store in stores().await {
        desks.push(desk(store).await);
    }
    desks
}

async fn desk(store: Arc<dyn Store>) -> Desk {
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap();
    let clock = ManualClock::starting_at(Utc.with_ymd_and_hms(2030, 3, 14, 10, 0, 0).unwrap());
    let app = App::start(store, cipher, Arc::new(clock), AppConfig::default())
        .await
        .unwrap();
    app.seed_demo().await.unwrap();
    let org = app.store().list_organisations().await.unwrap()[0].id;
    let mut actors = Vec::new();
    for (email, role) in [
        ("m@pen.example", Role::Moderator),
        ("t@pen.example", Role::Translator),
        ("d@pen.example", Role::Dispatcher),
    ] {
        app.create_staff(
            None,
            org,
            email,
            email,
            Roles::of(&[role, Role::Coordinator]),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
        actors.push(app.operator(email).await.unwrap());
    }
    let dispatcher = actors.pop().unwrap();
    let translator = actors.pop().unwrap();
    let moderator = actors.pop().unwrap();
    app.save_facility(
        &dispatcher,
        &FacilityInput {
            slug: "ik-2".into(),
            name_ru: "ФКУ ИК-2".into(),
            address_ru: "431120, Республика Мордовия\nп. Явас".into(),
            channels: "post".into(),
            ..FacilityInput::default()
        },
    )
    .await
    .unwrap();
    app.record_placement(&dispatcher, "remzi-bekirov", "ik-2", "2025-01-01", "")
        .await
        .unwrap();
    Desk {
        app,
        moderator,
        translator,
        dispatcher,
    }
}

impl Desk {
    /// A Ukrainian letter, approved for translation and translated into Russian: back in
    /// review with both texts.
    async fn translated_letter(&self) -> LetterId {
        let receipt = self
            .app
            .submit_letter(
                &LetterInput {
                    prisoner: "remzi-bekirov".into(),
                    body: UKRAINIAN.into(),
                    language: "uk".into(),
                    ..LetterInput::default()
                },
                Source::Online,
            )
            .await
            .unwrap();
        let id = receipt.id;
        self.app.open_letter(&self.moderator, id).await.unwrap();
        assert_eq!(
            self.app.approve(&self.moderator, id).await.unwrap(),
            LetterState::NeedsTranslation
        );
        self.translate(id, RUSSIAN).await;
        id
    }

    async fn translate(&self, id: LetterId, russian: &str) {
        self.app.open_letter(&self.translator, id).await.unwrap();
        self.app
            .translate(&self.translator, id, russian)
            .await
            .unwrap();
    }

    async fn state(&self, id: LetterId) -> LetterState {
        self.app
            .letter_for_staff(&self.moderator, id)
            .await
            .unwrap()
            .state
    }

    /// The text of the batch's PDF, as typst lays it out.
    async fn printed(&self) -> String {
        let batch = self
            .app
            .build_batch(
                &self.dispatcher,
                &BatchInput {
                    facility: "ik-2".into(),
                    channel: "post".into(),
                    prisoner: None,
                },
            )
            .await
            .unwrap();
        let document = self
            .app
            .batch_document(&self.dispatcher, batch, lysty_pdf::Labels::default(), false)
            .await
            .unwrap();
        lysty_pdf::render_text(&document).unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passage_struck_in_the_original_sends_the_letter_back_to_translation() {
    for desk in desks().await {
        let id = desk.translated_letter().await;
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        desk.app
            .redact(
                &desk.moderator,
                id,
                &["Суддя Петров скоро розгляне вашу справу.".to_owned()],
            )
            .await
            .unwrap();
        assert_eq!(
            desk.state(id).await,
            LetterState::NeedsTranslation,
            "the Russian text may still say it"
        );
        assert!(matches!(
            desk.app.approve(&desk.moderator, id).await,
            Err(ReviewError::WrongState(LetterState::NeedsTranslation))
        ));
        desk.translate(
            id,
            "Привет, Ремзи! Сегодня в Киеве солнечно, цветут каштаны. […] Держитесь, мы с вами!",
        )
        .await;
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        assert_eq!(
            desk.app.approve(&desk.moderator, id).await.unwrap(),
            LetterState::Approved
        );
        let printed = desk.printed().await;
        assert!(printed.contains("Держитесь"), "the letter is printed");
        assert!(
            !printed.contains(STRUCK_NAME),
            "the struck passage is in neither text: {printed}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passage_struck_in_the_russian_text_is_printed_in_neither_text() {
    for desk in desks().await {
        let id = desk.translated_letter().await;
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        desk.app
            .redact(
                &desk.moderator,
                id,
                &["Судья Петров скоро рассмотрит ваше дело.".to_owned()],
            )
            .await
            .unwrap();
        let letter = desk
            .app
            .letter_for_staff(&desk.moderator, id)
            .await
            .unwrap();
        assert_eq!(letter.state, LetterState::InReview);
        assert!(
            letter
                .flags
                .iter()
                .all(|f| f.kind != lysty_domain::safety::FlagKind::NotRussian),
            "the flags are those of the Russian text: {:?}",
            letter.flags
        );
        assert_eq!(
            desk.app.approve(&desk.moderator, id).await.unwrap(),
            LetterState::Approved
        );
        let printed = desk.printed().await;
        assert!(printed.contains("Держитесь"), "the letter is printed");
        assert!(
            !printed.contains(STRUCK_NAME),
            "the Ukrainian original, which still says it, is not printed: {printed}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_translation_older_than_the_last_redaction_cannot_be_approved() {
    for desk in desks().await {
        let id = desk.translated_letter().await;
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        desk.app
            .redact(&desk.moderator, id, &["цвітуть каштани".to_owned()])
            .await
            .unwrap();
        // Whatever puts the letter back in review, the old Russian text is not approved: the
        // translator must save a new one.
        let letter = desk
            .app
            .letter_for_staff(&desk.moderator, id)
            .await
            .unwrap();
        desk.app
            .store()
            .review_step(&lysty_store::ReviewStep {
                letter: id,
                from: LetterState::NeedsTranslation,
                to: LetterState::InReview,
                actor: desk.moderator.id(),
                actor_org: desk.moderator.org(),
                note: None,
                at: desk.app.now(),
                require_claim: false,
                change: lysty_store::TextChange::default(),
                audit: None,
            })
            .await
            .unwrap();
        assert_eq!(letter.body_delivery.as_deref(), Some(RUSSIAN));
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        assert_eq!(
            desk.app.approve(&desk.moderator, id).await.unwrap(),
            LetterState::NeedsTranslation,
            "approving sends it to a translator instead"
        );
        desk.translate(id, RUSSIAN).await;
        desk.app.open_letter(&desk.moderator, id).await.unwrap();
        assert_eq!(
            desk.app.approve(&desk.moderator, id).await.unwrap(),
            LetterState::Approved,
            "a new translation, saved after the redaction, may be approved"
        );
    }
}
