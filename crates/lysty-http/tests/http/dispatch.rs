//! The dispatcher's pages over HTTP: a batch from the desk to its PDF, sent and delivered;
//! outcomes from a file, all or nothing; held letters to the bank; the facility form;
//! replies; who may see them — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, Person, TestApp, header, location};
use lysty_app::Actor;
use lysty_domain::{LetterState, Role};
use lysty_store::{FacilityId, FacilityRules, LetterId, NewFacility, NewPlacement};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) async fn app(backend: Backend) -> TestApp {
    common::staff_app(backend, lysty_app::AppConfig::default()).await
}

pub(crate) async fn person(app: &TestApp, email: &str, roles: &[Role]) -> Person {
    app.person(email, roles).await
}

async fn facility(app: &TestApp, slug: &str, channels: Vec<lysty_domain::Channel>) -> FacilityId {
    app.app
        .store()
        .save_facility(
            &NewFacility {
                slug: slug.into(),
                name_ru: format!("ФКУ {slug}"),
                name_en: format!("Colony {slug}"),
                region: Some("Республика Мордовия".into()),
                address_ru: Some("431120, Республика Мордовия\nп. Явас, ул. Центральная, 1".into()),
                max_letter_chars: None,
            },
            &FacilityRules {
                channels,
                ..FacilityRules::default()
            },
            None,
        )
        .await
        .unwrap()
}

async fn place(app: &TestApp, prisoner: &str, at: FacilityId, days_ago: i64) -> u64 {
    let id = app
        .app
        .store()
        .prisoner_by_slug(app.app.campaign().id, prisoner)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = app.now();
    app.app
        .store()
        .record_placement(&NewPlacement {
            prisoner: id,
            facility: at,
            since: now - chrono::Duration::days(days_ago),
            note: String::new(),
            actor: None,
            actor_org: None,
            at: now,
            audit: None,
        })
        .await
        .unwrap()
        .held
}

/// A Russian letter submitted and approved by a moderator.
async fn approved_letter(app: &TestApp, moderator: &Actor, prisoner: &str) -> LetterId {
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({
                "prisoner": prisoner,
                "body": "Здравствуйте! Держитесь, мы о вас помним и ждём вас дома. Весной у нас снова цветут каштаны.",
                "language": "ru",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let id = LetterId(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap());
    app.app.open_letter(moderator, id).await.unwrap();
    assert_eq!(
        app.app.approve(moderator, id).await.unwrap(),
        LetterState::Approved
    );
    id
}

async fn state(app: &TestApp, id: LetterId) -> LetterState {
    app.app
        .store()
        .delivery_letter(id)
        .await
        .unwrap()
        .unwrap()
        .state
}

fn reference(id: LetterId) -> String {
    lysty_domain::delivery::reference(id)
}

const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

async fn a_dispatcher_builds_a_batch_prints_it_and_records_its_delivery(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "m@pen.example", &[Role::Moderator]).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let colony = facility(&app, "ik-5", vec![lysty_domain::Channel::Post]).await;
    place(&app, "remzi-bekirov", colony, 30).await;
    let letter = approved_letter(&app, &moderator.actor, "remzi-bekirov").await;

    let desk = dispatcher.page(&app, "/staff/delivery").await;
    assert!(desk.contains(r#"action="/staff/outcomes?csrf="#));
    assert!(desk.contains("ФКУ ik-5"), "the facility is offered");
    let preview = dispatcher
        .page(&app, "/staff/delivery?facility=ik-5&channel=post&prisoner=")
        .await;
    assert!(
        preview.contains(&reference(letter)),
        "the letter is previewed"
    );
    assert!(preview.contains("Держитесь"), "with the start of its text");
    assert_eq!(
        state(&app, letter).await,
        LetterState::Approved,
        "a preview takes nothing"
    );
    let unused = dispatcher
        .get(&app, "/staff/delivery?facility=ik-5&channel=electronic")
        .await;
    assert_eq!(unused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unused
            .text()
            .await
            .unwrap()
            .contains("не приймає листи таким способом")
    );

    let built = dispatcher
        .post(
            &app,
            "/staff/batches",
            &[("facility", "ik-5"), ("channel", "post"), ("prisoner", "")],
        )
        .await;
    assert_eq!(built.status(), StatusCode::SEE_OTHER);
    let batch_url = location(&built);
    assert!(batch_url.starts_with("/staff/batches/"), "{batch_url}");
    let batch_id = batch_url.trim_start_matches("/staff/batches/").to_owned();
    assert_eq!(state(&app, letter).await, LetterState::Batched);
    let page = dispatcher.page(&app, &batch_url).await;
    assert!(page.contains(&reference(letter)));
    assert!(page.contains("ФКУ ik-5"));
    assert!(page.contains(&format!("{batch_url}/pdf?reply_kit=1")));
    let again = dispatcher
        .post(
            &app,
            "/staff/batches",
            &[("facility", "ik-5"), ("channel", "post")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.text().await.unwrap().contains("Немає листів"),
        "nothing is left to batch"
    );

    for url in [
        format!("{batch_url}/pdf"),
        format!("{batch_url}/pdf?reply_kit=1"),
    ] {
        let pdf = dispatcher.get(&app, &url).await;
        assert_eq!(pdf.status(), StatusCode::OK, "{url}");
        assert_eq!(header(&pdf, "content-type"), "application/pdf");
        let disposition = header(&pdf, "content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\"batch-"),
            "{disposition}"
        );
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    }

    let sent = dispatcher
        .post(
            &app,
            &format!("{batch_url}/sent"),
            &[("date", ""), ("reference", "RA123456789RU")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), format!("{batch_url}?done=sent"));
    assert_eq!(state(&app, letter).await, LetterState::Sent);
    let twice = dispatcher
        .post(&app, &format!("{batch_url}/sent"), &[("date", "")])
        .await;
    // A conflict with the batch's state: the same 409 the API gives.
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert!(twice.text().await.unwrap().contains("уже позначено"));

    let page = dispatcher
        .page(&app, &format!("{batch_url}?done=sent"))
        .await;
    assert!(page.contains("RA123456789RU"));
    let outcome_url = format!("/staff/letters/{}/outcome", letter.0);
    assert!(page.contains(&format!(r#"action="{outcome_url}?csrf="#)));

    // A scan that is not an image keeps the note and says why.
    let refused = dispatcher
        .upload(
            &app,
            &outcome_url,
            reqwest::multipart::Form::new()
                .text("outcome", "delivered")
                .text("note", "Пришло уведомление")
                .text("back", batch_id.clone())
                .part(
                    "scan",
                    reqwest::multipart::Part::bytes(b"not a scan".to_vec()).file_name("x.txt"),
                ),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("JPEG, PNG, WebP"), "the scan's rule is shown");
    assert!(
        body.contains(r#"value="Пришло уведомление""#),
        "the note is kept"
    );
    assert_eq!(state(&app, letter).await, LetterState::Sent);

    let recorded = dispatcher
        .upload(
            &app,
            &outcome_url,
            reqwest::multipart::Form::new()
                .text("outcome", "delivered")
                .text("note", "Пришло уведомление")
                .text("back", batch_id.clone())
                .part(
                    "scan",
                    reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("notice.png"),
                ),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&recorded), format!("{batch_url}?done=outcome"));
    assert_eq!(state(&app, letter).await, LetterState::Delivered);

    let page = dispatcher
        .page(&app, &format!("{batch_url}?done=outcome"))
        .await;
    assert!(page.contains("Пришло уведомление"), "the evidence is shown");
    assert!(
        !page.contains(&format!(r#"action="{outcome_url}"#)),
        "no second outcome form"
    );
    let scan_url = page
        .split(r#"href="/staff/evidence/"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/staff/evidence/{id}"))
        .expect("a link to the scan");
    let scan = dispatcher.get(&app, &scan_url).await;
    assert_eq!(scan.status(), StatusCode::OK);
    assert_eq!(header(&scan, "content-type"), "image/png");
    assert_eq!(header(&scan, "content-disposition"), "inline");
    assert_eq!(header(&scan, "x-content-type-options"), "nosniff");
    assert_eq!(scan.bytes().await.unwrap().as_ref(), PNG);

    let desk = dispatcher.page(&app, "/staff/delivery").await;
    assert!(desk.contains(&batch_url), "the batch is listed on the desk");
}

async fn an_electronic_batch_gives_text_to_copy(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "m@pen.example", &[Role::Moderator]).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let colony = facility(&app, "ik-6", vec![lysty_domain::Channel::Electronic]).await;
    place(&app, "bohdan-ziza", colony, 30).await;
    let letter = approved_letter(&app, &moderator.actor, "bohdan-ziza").await;
    let built = dispatcher
        .post(
            &app,
            "/staff/batches",
            &[("facility", "ik-6"), ("channel", "electronic")],
        )
        .await;
    assert_eq!(built.status(), StatusCode::SEE_OTHER);
    let batch_url = location(&built);
    let page = dispatcher.page(&app, &batch_url).await;
    assert!(page.contains(&format!("{batch_url}/electronic")));
    let text = dispatcher
        .get(&app, &format!("{batch_url}/electronic"))
        .await;
    assert_eq!(text.status(), StatusCode::OK);
    assert_eq!(header(&text, "content-type"), "text/plain; charset=utf-8");
    let text = text.text().await.unwrap();
    assert!(
        text.starts_with(&format!("{}\n", reference(letter))),
        "{text}"
    );
    assert!(text.contains("Держитесь"));
    assert!(text.contains(&"-".repeat(40)));
}

async fn an_outcomes_file_with_a_bad_row_changes_nothing(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "m@pen.example", &[Role::Moderator]).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let colony = facility(&app, "ik-7", vec![lysty_domain::Channel::Post]).await;
    place(&app, "remzi-bekirov", colony, 30).await;
    let first = approved_letter(&app, &moderator.actor, "remzi-bekirov").await;
    let second = approved_letter(&app, &moderator.actor, "remzi-bekirov").await;
    let batch = app
        .app
        .build_batch(
            &dispatcher.actor,
            &lysty_app::delivery::BatchInput {
                facility: "ik-7".into(),
                channel: "post".into(),
                prisoner: None,
            },
        )
        .await
        .unwrap();
    app.app
        .mark_batch_sent(&dispatcher.actor, batch, "", "")
        .await
        .unwrap();

    let upload = |csv: String| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.into_bytes())
                .file_name("outcomes.csv")
                .mime_str("text/csv")
                .unwrap(),
        )
    };
    let bad = format!(
        "reference,outcome,note\n{},delivered,ok\n{},lost,\n",
        reference(first),
        reference(second)
    );
    let refused = dispatcher
        .upload(&app, "/staff/outcomes", upload(bad))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains("Рядок 3"), "the bad line is named");
    assert!(body.contains(r#"<span lang="en">outcome `lost`"#), "{body}");
    assert!(body.contains("нічого не змінено"));
    assert_eq!(state(&app, first).await, LetterState::Sent);
    assert_eq!(state(&app, second).await, LetterState::Sent);

    let good = format!(
        "reference,outcome,note\n{},delivered,ok\n{},withheld,\n",
        reference(first),
        reference(second)
    );
    let done = dispatcher
        .upload(&app, "/staff/outcomes", upload(good))
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/staff/delivery?imported=2");
    assert_eq!(state(&app, first).await, LetterState::Delivered);
    assert_eq!(state(&app, second).await, LetterState::Withheld);
    let desk = dispatcher.page(&app, "/staff/delivery?imported=2").await;
    assert!(desk.contains("Записано результати для 2 листів"));

    // A browser sends an empty file part when no file was chosen.
    let empty = dispatcher
        .upload(
            &app,
            "/staff/outcomes",
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
            ),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_transfer_holds_letters_which_go_on_or_into_the_bank(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "m@pen.example", &[Role::Moderator]).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let first_colony = facility(&app, "ik-8", vec![lysty_domain::Channel::Post]).await;
    facility(&app, "ik-9", vec![lysty_domain::Channel::Post]).await;
    place(&app, "remzi-bekirov", first_colony, 30).await;
    let banked = approved_letter(&app, &moderator.actor, "remzi-bekirov").await;
    let rerouted = approved_letter(&app, &moderator.actor, "remzi-bekirov").await;
    assert!(
        dispatcher
            .page(&app, "/staff/held")
            .await
            .contains("Затриманих листів немає")
    );

    let placements = dispatcher
        .page(&app, "/staff/prisoners/remzi-bekirov/placements")
        .await;
    assert!(placements.contains("ФКУ ik-8"), "the current facility");
    let moved = dispatcher
        .post(
            &app,
            "/staff/prisoners/remzi-bekirov/placements",
            &[("facility", "ik-9"), ("since", ""), ("note", "этап")],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&moved),
        "/staff/prisoners/remzi-bekirov/placements?held=2"
    );
    let placements = dispatcher.page(&app, &location(&moved)).await;
    assert!(
        placements.contains("2 листи затримано"),
        "the notice counts"
    );
    assert!(placements.contains("этап"), "the history shows the note");

    let held = dispatcher.page(&app, "/staff/held").await;
    for letter in [banked, rerouted] {
        assert!(held.contains(&reference(letter)));
    }
    assert!(held.contains("Людину перевели до іншої установи"));
    assert!(
        held.contains("ФКУ ik-9"),
        "where a rerouted letter would go"
    );
    assert!(held.contains(r#"href="/staff/prisoners/remzi-bekirov/placements""#));

    let bank = dispatcher
        .post(
            &app,
            &format!("/staff/letters/{}/bank", banked.0),
            &[("note", "передать при встрече")],
        )
        .await;
    assert_eq!(bank.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&bank), "/staff/held?done=banked");
    assert_eq!(state(&app, banked).await, LetterState::Undeliverable);
    let reroute = dispatcher
        .post(&app, &format!("/staff/letters/{}/reroute", rerouted.0), &[])
        .await;
    assert_eq!(reroute.status(), StatusCode::SEE_OTHER);
    let held = dispatcher.page(&app, "/staff/held?done=rerouted").await;
    assert!(!held.contains(&reference(banked)) && !held.contains(&reference(rerouted)));
    let preview = dispatcher
        .page(&app, "/staff/delivery?facility=ik-9&channel=post")
        .await;
    assert!(
        preview.contains(&reference(rerouted)),
        "the rerouted letter goes to the new facility"
    );

    let bank = dispatcher.page(&app, "/staff/bank").await;
    assert!(bank.contains("Ремзі Бекіров"));
    let pdf_url = "/staff/bank/remzi-bekirov/pdf";
    assert!(bank.contains(pdf_url));
    let pdf = dispatcher.get(&app, pdf_url).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(header(&pdf, "content-type"), "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // A letter already in the bank cannot go there twice: the page says so.
    let twice = dispatcher
        .post(
            &app,
            &format!("/staff/letters/{}/bank", banked.0),
            &[("note", "")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    let status = dispatcher
        .post(
            &app,
            "/staff/prisoners/remzi-bekirov/status",
            &[("status", "released")],
        )
        .await;
    assert_eq!(status.status(), StatusCode::SEE_OTHER);
    let bad_status = dispatcher
        .post(
            &app,
            "/staff/prisoners/remzi-bekirov/status",
            &[("status", "vanished")],
        )
        .await;
    assert_eq!(bad_status.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_status
            .text()
            .await
            .unwrap()
            .contains(r#"aria-invalid="true""#)
    );
}

async fn a_facility_form_with_a_mistake_keeps_what_was_typed(backend: Backend) {
    let app = app(backend).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let typed = [
        ("name_ru", " "),
        ("name_en", "Colony No. 7"),
        ("region", "Республика Мордовия"),
        ("address_ru", "431120, Республика Мордовия\r\nп. Явас"),
        ("channels", "post"),
        ("channels", "electronic"),
        ("needs_number", "1"),
        ("electronic_max_chars", "2500"),
    ];
    let refused = dispatcher.post(&app, "/staff/facilities", &typed).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(body.contains(r#"id="f-name_ru-error""#));
    assert!(
        body.contains(r#"aria-describedby="f-name_ru-hint f-name_ru-error" aria-invalid="true""#)
    );
    assert!(body.contains(r#"value="Colony No. 7""#));
    assert!(body.contains(r#"value="Республика Мордовия""#));
    assert!(body.contains("п. Явас</textarea>"));
    assert!(body.contains(r#"value="2500""#));
    assert!(body.contains(r#"name="needs_number" value="1" checked"#));
    assert!(!body.contains(r#"name="needs_birth_year" value="1" checked"#));
    assert!(body.contains(r#"value="electronic" checked"#));
    assert!(
        app.app
            .store()
            .facility_by_slug("colony-no-7")
            .await
            .unwrap()
            .is_none()
    );

    let no_channel: Vec<_> = typed
        .iter()
        .filter(|(k, _)| *k != "channels")
        .map(|(k, v)| {
            if *k == "name_ru" {
                (*k, "ФКУ ИК-7")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let refused = dispatcher
        .post(&app, "/staff/facilities", &no_channel)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains(r#"id="f-channels-error""#)
    );

    let mut fixed: Vec<_> = typed.to_vec();
    fixed[0] = ("name_ru", "ФКУ ИК-7");
    let saved = dispatcher.post(&app, "/staff/facilities", &fixed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/staff/facilities/colony-no-7?saved");
    let facility = app
        .app
        .store()
        .facility_by_slug("colony-no-7")
        .await
        .unwrap()
        .unwrap();
    assert!(facility.rules.needs_number && !facility.rules.needs_birth_year);
    assert_eq!(facility.rules.electronic_max_chars, Some(2500));
    let page = dispatcher.page(&app, &location(&saved)).await;
    assert!(page.contains("Установу збережено"));
    assert!(page.contains(r#"name="existing" value="1""#));

    // Editing keeps the slug and says what is wrong without losing the rest.
    let edited = dispatcher
        .post(
            &app,
            "/staff/facilities",
            &[
                ("existing", "1"),
                ("slug", "colony-no-7"),
                ("name_ru", "ФКУ ИК-7"),
                ("channels", "post"),
                ("max_letter_chars", "12"),
            ],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = edited.text().await.unwrap();
    assert!(body.contains(r#"id="f-max_letter_chars-error""#));
    assert!(body.contains(r#"value="12""#));
    let list = dispatcher.page(&app, "/staff/facilities").await;
    assert!(list.contains("ФКУ ИК-7"));
}

async fn a_reply_is_recorded_and_listed(backend: Backend) {
    let app = app(backend).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let form = reqwest::multipart::Form::new()
        .text("prisoner", "")
        .text("received", "2026-01-15")
        .text("transcription", "Спасибо за письма!");
    let refused = dispatcher.upload(&app, "/staff/replies", form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("Спасибо за письма!</textarea>"),
        "the text is kept"
    );
    assert!(body.contains(r#"id="r-prisoner-error""#));

    let form = reqwest::multipart::Form::new()
        .text("prisoner", "bohdan-ziza")
        .text("received", "2026-01-15")
        .text("transcription", "Спасибо за письма!")
        .text("consent", "1")
        .part(
            "scan",
            reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("reply.png"),
        );
    let recorded = dispatcher.upload(&app, "/staff/replies", form).await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&recorded),
        "/staff/replies?recorded=0&prisoner=bohdan-ziza"
    );
    let page = dispatcher.page(&app, &location(&recorded)).await;
    assert!(page.contains("Відповідь записано"));
    assert!(page.contains("Спасибо за письма!"));
    let scan_url = page
        .split(r#"href="/staff/replies/"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("/staff/replies/{rest}"))
        .expect("a link to the scan");
    let scan = dispatcher.get(&app, &scan_url).await;
    assert_eq!(scan.status(), StatusCode::OK);
    assert_eq!(header(&scan, "content-type"), "image/png");

    let en = lysty_http::i18n::Lang::from_code("en");
    assert_eq!(
        en.tn("dispatch-reply-recorded", "count", 1),
        "The reply was recorded. 1 writer will be told by email."
    );
    let uk = lysty_http::i18n::Lang::from_code("uk");
    assert!(
        uk.tn("dispatch-reply-recorded", "count", 3)
            .contains("3 автори")
    );
    assert!(
        uk.tn("dispatch-reply-recorded", "count", 5)
            .contains("5 авторів")
    );
}

async fn only_dispatchers_reach_the_desk(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "m@pen.example", &[Role::Moderator]).await;
    let coordinator = person(&app, "c@pen.example", &[Role::Coordinator]).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    for path in [
        "/staff/delivery",
        "/staff/held",
        "/staff/bank",
        "/staff/replies",
    ] {
        assert_eq!(
            moderator.get(&app, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            coordinator.get(&app, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(dispatcher.get(&app, path).await.status(), StatusCode::OK);
    }
    assert_eq!(
        moderator.get(&app, "/staff/facilities").await.status(),
        StatusCode::FORBIDDEN
    );
    let registry = coordinator.page(&app, "/staff/facilities").await;
    assert!(
        registry.contains(r#"href="/staff/facilities""#),
        "in the nav"
    );
    assert!(
        !registry.contains(r#"href="/staff/delivery""#),
        "not a dispatcher"
    );
    let desk = dispatcher.page(&app, "/staff/delivery").await;
    for link in [
        "/staff/delivery",
        "/staff/held",
        "/staff/bank",
        "/staff/replies",
    ] {
        assert!(desk.contains(&format!(r#"href="{link}""#)), "{link}");
    }
    let anonymous = app.get("/staff/delivery").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        dispatcher
            .get(&app, "/staff/batches/not-a-uuid")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// An id that is no id names nothing: 404, in the frame the reader is in — the staff desk
/// for a dispatcher, JSON for the API, and the sign-in page first for someone signed out.
async fn a_mistyped_id_is_not_found_where_the_reader_is(backend: Backend) {
    let app = app(backend).await;
    let dispatcher = person(&app, "d@pen.example", &[Role::Dispatcher]).await;
    let page = dispatcher.get(&app, "/staff/batches/not-a-batch").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let text = page.text().await.unwrap();
    assert!(text.contains("Сторінку не знайдено."), "{text}");
    assert!(text.contains("Вийти"), "the staff desk's frame: {text}");
    let signed_out = app.get("/staff/batches/not-a-batch").await;
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_out), "/staff");
    let token = app
        .app
        .create_token(&dispatcher.actor, "tests")
        .await
        .unwrap();
    let api = app
        .client
        .get(app.url("/api/v1/batches/not-a-batch"))
        .bearer_auth(lysty_app::App::reveal(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

on_both_databases!(
    a_mistyped_id_is_not_found_where_the_reader_is,
    a_dispatcher_builds_a_batch_prints_it_and_records_its_delivery,
    an_electronic_batch_gives_text_to_copy,
    an_outcomes_file_with_a_bad_row_changes_nothing,
    a_transfer_holds_letters_which_go_on_or_into_the_bank,
    a_facility_form_with_a_mistake_keeps_what_was_typed,
    a_reply_is_recorded_and_listed,
    only_dispatchers_reach_the_desk,
);
