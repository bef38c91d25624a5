//! The safety checker over HTTP: a writer checks a letter before sending it (the form
//! without JavaScript, and the JSON endpoint the live hints use), sees the passages marked
//! and advice in their language, and nothing is stored; case terms on their staff page and
//! in the API. On both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;
use crate::dispatch::{app, person};

use common::{Backend, TestApp, encode};
use lysty_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const RISKY: &str = "Дорогий Ремзі! Скоро наша перемога, і Крим буде вільним. Тримайся!";
const CALM: &str = "Дорогий Ремзі! У нас весна, цвітуть каштани, діти граються у дворі. Тримайся!";

async fn waiting(app: &TestApp) -> i64 {
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    stats["total"].as_i64().unwrap()
}

async fn check_form(app: &TestApp, body: &str, lang: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post(app.url("/prisoners/remzi-bekirov/letters"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", lang)
        .body(encode(&[
            ("body", body),
            ("language", "uk"),
            ("writer_name", "Оля"),
            ("idempotency_key", "0190a0b0-0000-7000-8000-00000000c0de"),
            ("check", "1"),
        ]))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn a_writer_checks_a_letter_without_javascript(backend: Backend) {
    let app = app(backend).await;
    let before = waiting(&app).await;
    let (status, page) = check_form(&app, RISKY, "uk").await;
    assert_eq!(status, StatusCode::OK);
    // The passages are marked in the letter as typed, with advice in Ukrainian.
    assert!(page.contains("<mark>перемога</mark>"), "{page}");
    assert!(page.contains("Що ми знайшли"));
    assert!(page.contains("Війна:"));
    // What was typed is all there to be edited, and the warning travels with the form.
    assert!(page.contains(">Дорогий Ремзі! Скоро наша перемога"));
    assert!(page.contains(r#"value="Оля""#));
    assert!(
        page.contains(r#"name="warned" id="warned" value="political,war""#),
        "{page}"
    );
    // A calm letter is clear.
    let (_, calm) = check_form(&app, CALM, "en").await;
    assert!(calm.contains("Nothing in your letter is likely to get it stopped"));
    assert!(calm.contains(r#"name="warned" id="warned" value="""#));
    // Checking stored nothing.
    assert_eq!(waiting(&app).await, before);
}

async fn the_live_hints_come_from_an_endpoint_that_stores_nothing(backend: Backend) {
    let app = app(backend).await;
    let before = waiting(&app).await;
    let response = app
        .client
        .post(app.url("/api/v1/letters/check"))
        .header("accept-language", "uk")
        .json(&json!({"prisoner": "remzi-bekirov", "body": RISKY}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["clear"], false);
    let findings = answer["findings"].as_array().unwrap();
    let war = findings.iter().find(|f| f["kind"] == "war").unwrap();
    assert!(war["advice"].as_str().unwrap().starts_with("Війна:"));
    let passage = &war["passages"][0];
    let (start, end) = (
        passage["start"].as_u64().unwrap() as usize,
        passage["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&RISKY[start..end], "перемога");
    assert_eq!(waiting(&app).await, before);

    let unknown = app
        .post_json(
            "/api/v1/letters/check",
            &json!({"prisoner": "nobody", "body": RISKY}),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let malformed = app
        .post_json("/api/v1/letters/check", &json!({"body": RISKY}))
        .await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

    // Sent after the warning: the moderator's flags say so.
    let sent = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": RISKY, "warned": ["war", "political"]}),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let id: Value = sent.json().await.unwrap();
    let id = lysty_domain::LetterId(id["id"].as_str().unwrap().parse().unwrap());
    let letter = app.app.store().review_letter(id).await.unwrap().unwrap();
    assert!(
        letter
            .flags
            .iter()
            .any(|f| f.kind == lysty_domain::safety::FlagKind::WriterWarned)
    );
}

async fn case_terms_are_kept_on_a_staff_page_and_in_the_api(backend: Backend) {
    let app = app(backend).await;
    let moderator = person(&app, "mod@pen.example", &[Role::Moderator]).await;
    let dispatcher = person(&app, "disp@pen.example", &[Role::Dispatcher]).await;
    let page = moderator
        .page(&app, "/staff/prisoners/remzi-bekirov/case")
        .await;
    assert!(page.contains("Ремзі Бекіров"));
    let saved = moderator
        .post(
            &app,
            "/staff/prisoners/remzi-bekirov/case",
            &[("terms", "ч. 2 ст. 205.5 УК РФ\r\nсудья Ковалевский")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = moderator
        .page(&app, "/staff/prisoners/remzi-bekirov/case?saved")
        .await;
    assert!(page.contains("судья Ковалевский"));
    assert!(page.contains("alert-success"));
    // Too long a term: refused, and what was typed comes back.
    let long = "я".repeat(101);
    let refused = moderator
        .post(
            &app,
            "/staff/prisoners/remzi-bekirov/case",
            &[("terms", &format!("судья Ковалевский\n{long}"))],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains(&long));
    // A dispatcher does not keep case terms.
    let denied = dispatcher
        .get(&app, "/staff/prisoners/remzi-bekirov/case")
        .await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);

    // The same terms through the API, and a letter that names the judge is flagged.
    let token = app
        .app
        .create_token(&moderator.actor, "case terms")
        .await
        .unwrap();
    let bearer = format!("Bearer {}", lysty_app::App::reveal(&token));
    let read: Value = app
        .client
        .get(app.url("/api/v1/prisoners/remzi-bekirov/case-terms"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read["terms"],
        json!(["ч. 2 ст. 205.5 УК РФ", "судья Ковалевский"])
    );
    let put = app
        .client
        .put(app.url("/api/v1/prisoners/remzi-bekirov/case-terms"))
        .header("authorization", &bearer)
        .json(&json!({"terms": ["судья Ковалевский", "Ленур Асанов"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    let answer: Value = app
        .post_json(
            "/api/v1/letters/check",
            &json!({"prisoner": "remzi-bekirov", "body": "Привет! Асанову тоже привет. У нас тепло."}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["findings"][0]["kind"], "case_details");
    assert_eq!(answer["findings"][0]["terms"], json!(["Асанов"]));
}

on_both_databases!(
    a_writer_checks_a_letter_without_javascript,
    the_live_hints_come_from_an_endpoint_that_stores_nothing,
    case_terms_are_kept_on_a_staff_page_and_in_the_api
);
