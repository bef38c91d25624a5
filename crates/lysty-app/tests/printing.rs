//! What is printed is what was reviewed: a passage a moderator strikes reaches the prison in
//! neither the Russian text nor the original, whichever text it was struck in; the original
//! travels only where the facility allows it; letters are signed as their writers chose; the
//! reply kit says where to reply. On SQLite, and on PostgreSQL too when `LYSTY_TEST_POSTGRES`
//! names a server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Desk, stores};

use std::sync::Arc;

use lysty_app::delivery::{BatchInput, FacilityInput};
use lysty_app::{AppConfig, LetterInput, ReviewError};
use lysty_domain::{LetterId, LetterState, Role, Source};
use lysty_store::Store;

const UKRAINIAN: &str = "Привіт, Ремзі! Сьогодні в Києві сонячно, цвітуть каштани. \
    Суддя Петров скоро розгляне вашу справу. Тримайтеся, ми з вами!";
const RUSSIAN: &str = "Привет, Ремзи! Сегодня в Киеве солнечно, цветут каштаны. \
    Судья Петров скоро рассмотрит ваше дело. Держитесь, мы с вами!";
/// In both texts: the word that must not be printed.
const STRUCK_NAME: &str = "Петров";
const RETURN_ADDRESS: &str = "«Письма в свободный Крым»\nа/я 10, Киев 01001";

async fn desks() -> Vec<Desk> {
    let mut desks = Vec::new();
    for store in stores().await {
        desks.push(desk(store).await);
    }
    desks
}

async fn desk(store: Arc<dyn Store>) -> Desk {
    let mut config = AppConfig::default();
    config.delivery.return_address = Some(RETURN_ADDRESS.to_owned());
    let desk = common::desk(store, config, &[Role::Coordinator]).await;
    // The redaction cases print at a facility that takes originals too: a struck passage
    // must be missing from both texts.
    desk.facility_prints_original(true).await;
    desk.app
        .record_placement(&desk.dispatcher, "remzi-bekirov", "ik-2", "2025-01-01", "")
        .await
        .unwrap();
    desk
}

impl Desk {
    /// A Ukrainian letter, approved for translation and translated into Russian: back in
    /// review with both texts.
    async fn translated_letter(&self) -> LetterId {
        self.translated_letter_from(LetterInput::default()).await
    }

    /// The same, with what the writer said about themselves.
    async fn translated_letter_from(&self, writer: LetterInput) -> LetterId {
        let receipt = self
            .app
            .submit_letter(
                &LetterInput {
                    prisoner: "remzi-bekirov".into(),
                    body: UKRAINIAN.into(),
                    language: "uk".into(),
                    ..writer
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
        self.printed_with(false).await
    }

    /// The same, with the printed labels and the reply kit when asked.
    async fn printed_with(&self, reply_kit: bool) -> String {
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
            .batch_document(&self.dispatcher, batch, reply_kit)
            .await
            .unwrap();
        lysty_pdf::render_text(&document).unwrap()
    }

    /// Lets the facility's censor read the original too, or not.
    async fn facility_prints_original(&self, prints_original: bool) {
        self.app
            .save_facility(
                &self.dispatcher,
                &FacilityInput {
                    slug: "ik-2".into(),
                    name_ru: "ФКУ ИК-2".into(),
                    address_ru: "431120, Республика Мордовия\nп. Явас".into(),
                    channels: "post".into(),
                    prints_original,
                    ..FacilityInput::default()
                },
            )
            .await
            .unwrap();
    }

    async fn approved_translated_letter(&self, writer: LetterInput) -> LetterId {
        let id = self.translated_letter_from(writer).await;
        self.app.open_letter(&self.moderator, id).await.unwrap();
        assert_eq!(
            self.app.approve(&self.moderator, id).await.unwrap(),
            LetterState::Approved
        );
        id
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_translated_letter_prints_its_original_only_where_the_facility_allows_it() {
    for desk in desks().await {
        desk.facility_prints_original(false).await;
        desk.approved_translated_letter(LetterInput::default())
            .await;
        let printed = desk.printed().await;
        assert!(printed.contains("Держитесь"), "the Russian text is printed");
        assert!(
            !printed.contains("Тримайтеся"),
            "the censor passes only Russian: {printed}"
        );
        desk.facility_prints_original(true).await;
        desk.approved_translated_letter(LetterInput::default())
            .await;
        let printed = desk.printed().await;
        assert!(printed.contains("Держитесь"));
        assert!(
            printed.contains("Тримайтеся"),
            "this facility passes the original: {printed}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_is_signed_as_its_writer_chose_and_an_unsigned_one_is_not() {
    for desk in desks().await {
        desk.approved_translated_letter(LetterInput {
            writer_name: "Олена Ч.".into(),
            writer_city: "Київ".into(),
            writer_country: "Україна".into(),
            ..LetterInput::default()
        })
        .await;
        desk.approved_translated_letter(LetterInput {
            writer_city: "Львів".into(),
            ..LetterInput::default()
        })
        .await;
        desk.approved_translated_letter(LetterInput::default())
            .await;
        let printed = desk.printed().await;
        assert!(
            printed.contains("Олена Ч., Київ"),
            "name, then city: {printed}"
        );
        assert!(
            printed.contains("Львів"),
            "a city alone still signs: {printed}"
        );
        assert!(
            !printed.contains("Україна"),
            "the country is not part of it"
        );
        let signature = printed.find("Олена Ч., Київ").unwrap();
        let text = printed.find("Держитесь").unwrap();
        assert!(text < signature, "the signature comes under the text");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cover_names_the_channel_in_print_and_the_kit_gives_the_return_address() {
    for desk in desks().await {
        desk.approved_translated_letter(LetterInput::default())
            .await;
        // The labels are the app's own, in the censor's language.
        let printed = desk.printed_with(true).await;
        let cover = printed.split('\u{c}').next().unwrap();
        assert!(cover.contains("почта"), "{cover}");
        assert!(
            !cover.contains("post"),
            "no English word on the cover: {cover}"
        );
        assert!(
            printed.contains("Адрес для ответа\n«Письма в свободный Крым»\nа/я 10, Киев 01001"),
            "{printed}"
        );
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
