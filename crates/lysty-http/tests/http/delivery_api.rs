//! Delivery through the JSON API: batches refused with a clear reason, a PDF for letters
//! with any Unicode, the copy-ready export in numbered parts, outcomes from CSV all or
//! nothing — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp};
use lysty_domain::{LetterState, Role};
use lysty_store::{ClaimOutcome, LetterId, ReviewStep, StepOutcome, TextChange};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Desk {
    app: TestApp,
    token: String,
}

async fn desk(backend: Backend) -> Desk {
    let app = common::staff_app(backend, lysty_app::AppConfig::default()).await;
    let roles = [Role::Dispatcher, Role::Moderator, Role::Coordinator];
    app.staff("pen-ukraine", "dispatch@pen.example", &roles)
        .await;
    let token = app
        .app
        .create_token_for("dispatch@pen.example", "tests")
        .await
        .unwrap();
    let token = lysty_app::App::reveal(&token).to_owned();
    Desk { app, token }
}

impl Desk {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.token)
            .header("accept-language", "en");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let value = response.json().await.unwrap_or(Value::Null);
        (status, value)
    }

    async fn state(&self, id: LetterId) -> LetterState {
        let letter = self.app.app.store().delivery_letter(id).await.unwrap();
        letter.unwrap().state
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// A letter for `prisoner`, approved by the desk's moderator.
    async fn approved(&self, prisoner: &str, text: &str) -> LetterId {
        let (status, created) = self
            .post(
                "/api/v1/letters",
                json!({"prisoner": prisoner, "body": text, "language": "ru"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = LetterId(created["id"].as_str().unwrap().parse().unwrap());
        let store = self.app.app.store();
        let staff = store
            .staff_by_email("dispatch@pen.example")
            .await
            .unwrap()
            .unwrap();
        let now = self.app.now();
        let claimed = store
            .claim_letter(
                id,
                staff.id,
                staff.organisation,
                now,
                now + chrono::Duration::minutes(10),
                None,
            )
            .await
            .unwrap();
        assert!(matches!(claimed, ClaimOutcome::Claimed(_)));
        let step = ReviewStep {
            letter: id,
            from: LetterState::InReview,
            to: LetterState::Approved,
            actor: staff.id,
            actor_org: staff.organisation,
            note: None,
            at: now,
            require_claim: true,
            change: TextChange::default(),
            audit: None,
        };
        assert_eq!(store.review_step(&step).await.unwrap(), StepOutcome::Done);
        id
    }

    async fn facility(
        &self,
        slug: &str,
        address: Option<&str>,
        channels: &str,
        limit: Option<i64>,
    ) {
        let (status, body) = self
            .post(
                "/api/v1/facilities",
                json!({
                    "slug": slug,
                    "name_ru": format!("ИК {slug}"),
                    "address_ru": address.unwrap_or(""),
                    "channels": channels,
                    "electronic_max_chars": limit.map(|l| l.to_string()).unwrap_or_default(),
                    "electronic_parts": true,
                }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn place(&self, prisoner: &str, facility: &str) -> Value {
        let (status, body) = self
            .post(
                &format!("/api/v1/prisoners/{prisoner}/placements"),
                json!({"facility": facility}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

async fn a_batch_is_refused_with_a_clear_reason(backend: Backend) {
    let d = desk(backend).await;
    d.facility("no-address", None, "post", None).await;
    d.approved("remzi-bekirov", "Привет! Как ты?").await;
    let (status, body) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "no-address", "channel": "post"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "no_address");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("postal address"),
        "{body}"
    );

    d.facility("ik-5", Some("123456, г. Город"), "post", None)
        .await;
    let (status, body) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-5", "channel": "post", "prisoner": "remzi-bekirov"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "no_placement");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No facility is recorded")
    );

    let (status, body) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-5", "channel": "electronic"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("channel_not_used"))
    );
    let (status, body) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-5", "channel": "post"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("nothing_to_batch"))
    );
}

async fn any_unicode_prints_and_markup_stays_text(backend: Backend) {
    let d = desk(backend).await;
    d.facility(
        "ik-7",
        Some("123456, г. Город\nул. Лесная, 1"),
        "post",
        None,
    )
    .await;
    d.place("remzi-bekirov", "ik-7").await;
    let texts = [
        "Эмодзи 🌻🇺🇦👩🏽‍🚀 и #set page(width: 1pt) *жирный* $x^2$ = Заголовок #panic()".to_owned(),
        "שלום עליכם — مرحبا بك — Z̷̢͍a̶̡͝l̵g̶o".to_owned(),
        "Слово".repeat(1000),
    ];
    for text in &texts {
        d.approved("remzi-bekirov", text).await;
    }
    let (status, batch) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-7", "channel": "post"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!(batch["letters"].as_array().unwrap().len(), 3);
    let response = d
        .app
        .client
        .get(d.app.url(&format!(
            "/api/v1/batches/{}/pdf",
            batch["id"].as_str().unwrap()
        )))
        .bearer_auth(&d.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
}

async fn electronic_letters_come_in_numbered_parts(backend: Backend) {
    let d = desk(backend).await;
    d.facility("ik-8", None, "electronic", Some(200)).await;
    d.place("remzi-bekirov", "ik-8").await;
    let long = "Здравствуй! Сегодня было солнечно и тепло. ".repeat(12);
    d.approved("remzi-bekirov", &long).await;
    let (status, batch) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-8", "channel": "electronic"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    let (status, export) = d
        .get(&format!(
            "/api/v1/batches/{}/electronic",
            batch["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{export}");
    let parts = export["letters"][0]["parts"].as_array().unwrap();
    assert!(parts.len() >= 3, "{export}");
    let n = parts.len();
    for (i, part) in parts.iter().enumerate() {
        let part = part.as_str().unwrap();
        assert!(part.chars().count() <= 200);
        assert!(part.starts_with(&format!("({}/{n}) ", i + 1)), "{part}");
    }
}

async fn outcomes_from_csv_are_all_or_nothing(backend: Backend) {
    let d = desk(backend).await;
    d.facility("ik-9", Some("123456, г. Город"), "post", None)
        .await;
    d.place("remzi-bekirov", "ik-9").await;
    let first = d.approved("remzi-bekirov", "Первое письмо.").await;
    let second = d.approved("remzi-bekirov", "Второе письмо.").await;
    let (_, batch) = d
        .post(
            "/api/v1/batches",
            json!({"facility": "ik-9", "channel": "post"}),
        )
        .await;
    let id = batch["id"].as_str().unwrap();
    let (status, _) = d
        .post(
            &format!("/api/v1/batches/{id}/sent"),
            json!({"reference": "RPO 1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let reference = |l: LetterId| lysty_domain::delivery::reference(l);

    let csv = format!(
        "reference,outcome,note\n{},delivered,вручено\n{},lost,\nL-0000-0000,withheld,\n",
        reference(first),
        reference(second)
    );
    let response = d
        .app
        .client
        .post(d.app.url("/api/v1/outcomes"))
        .bearer_auth(&d.token)
        .header("content-type", "text/csv")
        .header("accept-language", "en")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let lines: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["line 3"],
        "the bad outcome is reported first: {body}"
    );

    assert_eq!(d.state(first).await, LetterState::Sent, "nothing changed");

    let csv = format!(
        "reference,outcome,note\n{},delivered,вручено\nL-0000-0000,withheld,\n",
        reference(first)
    );
    let response = d
        .app
        .client
        .post(d.app.url("/api/v1/outcomes"))
        .bearer_auth(&d.token)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "line 3", "{body}");
    assert_eq!(d.state(first).await, LetterState::Sent, "nothing changed");

    let csv = format!(
        "reference,outcome,note\n{},delivered,вручено\n{},withheld,цензура\n",
        reference(first).to_lowercase(),
        second.0
    );
    let response = d
        .app
        .client
        .post(d.app.url("/api/v1/outcomes"))
        .bearer_auth(&d.token)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(d.state(first).await, LetterState::Delivered);
    assert_eq!(d.state(second).await, LetterState::Withheld);
    let (status, body) = d
        .post(
            &format!("/api/v1/letters/{}/outcome", first.0),
            json!({"outcome": "returned"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_state"))
    );
}

/// A refusal raised with `?` deep in a handler is told in the caller's language.
async fn a_refusal_is_told_in_the_callers_language(backend: Backend) {
    let desk = desk(backend).await;
    let missing = desk
        .app
        .url(&format!("/api/v1/batches/{}", uuid::Uuid::now_v7()));
    for (lang, expected) in [
        ("en", "Page not found."),
        ("uk", "Сторінку не знайдено."),
        ("crh", "Saife tapılmadı."),
    ] {
        let response = desk
            .app
            .client
            .get(&missing)
            .bearer_auth(&desk.token)
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], expected, "{lang}");
    }
}

on_both_databases!(
    a_refusal_is_told_in_the_callers_language,
    a_batch_is_refused_with_a_clear_reason,
    any_unicode_prints_and_markup_stays_text,
    electronic_letters_come_in_numbered_parts,
    outcomes_from_csv_are_all_or_nothing
);
