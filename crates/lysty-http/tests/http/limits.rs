//! Floods on the public side, tried as a hostile client would: one address sending letter
//! after letter, a spoofed `X-Forwarded-For`, the same text again, a bot filling every field,
//! a busy kiosk, a crowd at once, tracking codes guessed. Every refusal is a 429 (or 409,
//! 422) with a reason in the writer's language, never a 5xx, and others still get through.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp, encode};
use lysty_http::HttpConfig;
use lysty_http::limits::LimitsConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Behind a proxy at 127.0.0.1 (the test client), so that `X-Forwarded-For` picks the
/// client's address.
async fn behind_proxy(backend: Backend, limits: LimitsConfig) -> TestApp {
    let http = HttpConfig {
        secure_cookies: false,
        limits,
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..HttpConfig::default()
    };
    let config = lysty_app::AppConfig::default();
    common::spawn(backend, config, http)
        .await
        .expect("backend configured")
}

async fn letter_from(app: &TestApp, client: &str, body: &str, key: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/letters"))
        .header("x-forwarded-for", client)
        .header("accept-language", "en")
        .json(&json!({"prisoner": "remzi-bekirov", "body": body, "idempotency_key": key}))
        .send()
        .await
        .unwrap()
}

async fn total(app: &TestApp) -> i64 {
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    stats["total"].as_i64().unwrap()
}

async fn one_address_cannot_flood_and_others_still_get_through(backend: Backend) {
    let app = behind_proxy(
        backend,
        LimitsConfig {
            letters_per_hour: 5,
            ..LimitsConfig::default()
        },
    )
    .await;
    let before = total(&app).await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let response = letter_from(
            &app,
            "198.51.100.7",
            &format!("Лист номер {n}"),
            &format!("k{n}"),
        )
        .await;
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=3600).contains(&wait), "Retry-After {wait}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "too_many_requests");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("minute"),
                "{body}"
            );
        }
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(accepted, 5, "{statuses:?}");
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Another writer is not held back by the flood.
    let other = letter_from(&app, "203.0.113.20", "Від іншої людини", "other").await;
    assert_eq!(other.status(), StatusCode::CREATED);
    // The form from the flooding address says why, keeps the text, and tells when to retry.
    let page = app
        .client
        .post(app.url("/prisoners/remzi-bekirov/letters"))
        .header("x-forwarded-for", "198.51.100.7")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[
            ("body", "Текст, який не можна загубити"),
            ("idempotency_key", "form-1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers().contains_key("retry-after"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Текст, який не можна загубити"),
        "the text is kept"
    );
    assert!(html.contains("забагато листів"), "said in Ukrainian");
    // Only the accepted letters were counted.
    assert_eq!(total(&app).await, before + 6);
}

async fn a_forwarded_header_from_anyone_but_the_proxy_changes_nothing(backend: Backend) {
    // No trusted proxy: the connecting address counts, whatever the header says.
    let http = HttpConfig {
        secure_cookies: false,
        limits: LimitsConfig {
            letters_per_hour: 3,
            ..LimitsConfig::default()
        },
        ..HttpConfig::default()
    };
    let app = common::spawn(backend, lysty_app::AppConfig::default(), http)
        .await
        .expect("backend configured");
    let mut statuses = Vec::new();
    for n in 0..6 {
        // A new made-up address each time, as a flooder would try.
        let spoof = format!("203.0.113.{n}");
        let response = letter_from(&app, &spoof, &format!("Спроба {n}"), &format!("s{n}")).await;
        statuses.push(response.status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS,
        ]
    );
}

async fn the_same_text_again_is_refused_but_a_retry_gets_its_receipt(backend: Backend) {
    let app = behind_proxy(backend, LimitsConfig::default()).await;
    let text = "Доброго дня! Пам'ятаємо про вас.";
    let first = letter_from(&app, "198.51.100.7", text, "same-1").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    // The same request again (a lost answer, retried): the first receipt.
    let retry = letter_from(&app, "198.51.100.7", text, "same-1").await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["tracking_code"], first["tracking_code"]);
    // The same text as a new letter: refused as a duplicate.
    let again = letter_from(&app, "198.51.100.7", &format!("  {text}\n"), "same-2").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["error"]["code"], "duplicate_letter");
    // From someone else it is their letter (a shared template is for the moderators).
    let elsewhere = letter_from(&app, "203.0.113.9", text, "same-3").await;
    assert_eq!(elsewhere.status(), StatusCode::CREATED);
}

async fn a_filled_trap_field_is_refused_and_nothing_is_counted(backend: Backend) {
    let app = behind_proxy(backend, LimitsConfig::default()).await;
    let before = total(&app).await;
    let form = app
        .get("/prisoners/remzi-bekirov")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("name=\"homepage\""),
        "the trap is in the form"
    );
    let response = app
        .post_form(
            "/prisoners/remzi-bekirov/letters",
            encode(&[
                ("body", "Buy cheap watches"),
                ("homepage", "http://spam.example"),
                ("idempotency_key", "bot-1"),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Buy cheap watches"));
    assert_eq!(total(&app).await, before);
}

async fn a_kiosk_has_its_own_allowance(backend: Backend) {
    let app = behind_proxy(
        backend,
        LimitsConfig {
            kiosk_letters_per_minute: 3,
            letters_per_hour: 2,
            ..LimitsConfig::default()
        },
    )
    .await;
    let (actor, _) = crate::events::coordinator(&app).await;
    let event = crate::events::event(&app, &actor, 4).await;
    let token = app.app.open_kiosk(&actor, event).await.unwrap();
    let mut statuses = Vec::new();
    for n in 0..5 {
        let response = app
            .client
            .post(app.url(&format!("/kiosk/{token}/letters")))
            .header("accept", "application/json")
            .json(&json!({
                "prisoner": "remzi-bekirov",
                "body": format!("Лист зі стенду {n}"),
                "idempotency_key": format!("kiosk-{n}"),
            }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    // More than one address may send per hour: a stand serves many people.
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS,
        ]
    );
    // The writers at the same address online are counted apart from the kiosk.
    let online = letter_from(&app, "127.0.0.1", "Онлайн, з тієї ж адреси", "on-1").await;
    assert_eq!(online.status(), StatusCode::CREATED);
}

async fn a_crowd_meets_the_global_ceiling(backend: Backend) {
    let app = behind_proxy(
        backend,
        LimitsConfig {
            letters_per_second: 2,
            ..LimitsConfig::default()
        },
    )
    .await;
    let mut statuses = Vec::new();
    for n in 0..8 {
        // Eight different people at once.
        let response = letter_from(
            &app,
            &format!("198.51.100.{n}"),
            &format!("Лист {n}"),
            &format!("c{n}"),
        )
        .await;
        statuses.push(response.status());
    }
    assert!(statuses.contains(&StatusCode::CREATED), "{statuses:?}");
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "eight letters in well under a second meet a ceiling of two a second: {statuses:?}"
    );
    assert!(statuses.iter().all(|s| !s.is_server_error()));
}

async fn tracking_codes_cannot_be_guessed_at_speed(backend: Backend) {
    let app = behind_proxy(
        backend,
        LimitsConfig {
            lookups_per_minute: 4,
            ..LimitsConfig::default()
        },
    )
    .await;
    let mut statuses = Vec::new();
    for n in 0..6 {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/letters/track/AAAA-AAAA-AAAA-AAA{n}")))
            .header("x-forwarded-for", "198.51.100.7")
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(&statuses[..4], [StatusCode::NOT_FOUND; 4]);
    assert_eq!(&statuses[4..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    // The tracking page shares the allowance and says so in the writer's language.
    let page = app
        .client
        .get(app.url("/letters/AAAA-AAAA-AAAA-AAAA"))
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().await.unwrap().contains("Забагато запитів"));
    // Someone else still finds their letter page.
    let other = app
        .client
        .get(app.url("/letters/AAAA-AAAA-AAAA-AAAA"))
        .header("x-forwarded-for", "203.0.113.1")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

/// The challenge a page carries in its `proof` field, as the browser reads it.
fn challenge_in(page: &str) -> Option<String> {
    let start = page.find("name=\"proof\" value=\"\" data-challenge=\"")?;
    let rest = &page[start..];
    let json = rest.split("data-challenge=\"").nth(1)?.split('"').next()?;
    Some(json.replace("&#34;", "\"").replace("&quot;", "\""))
}

async fn under_attack_every_letter_brings_a_proof_of_work(backend: Backend) {
    let proof = lysty_http::proof::ProofConfig {
        enabled: true,
        difficulty: 50,
    };
    let app = behind_proxy(
        backend,
        LimitsConfig {
            proof_of_work: proof,
            ..LimitsConfig::default()
        },
    )
    .await;
    let before = total(&app).await;
    let form_page = |client: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/prisoners/remzi-bekirov"))
                .header("x-forwarded-for", client)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let page = form_page("198.51.100.7").await;
    assert!(page.contains("proof.") && page.contains("<noscript>"));
    let challenge = challenge_in(&page).expect("the form carries a challenge");

    // A program posting the form without the work: refused, the text kept, a new challenge.
    let send = |proof: String, key: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/prisoners/remzi-bekirov/letters"))
                .header("x-forwarded-for", "198.51.100.7")
                .header("accept-language", "en")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(&[
                    ("body", "Тримайтеся, ми з вами."),
                    ("idempotency_key", key),
                    ("proof", &proof),
                ]))
                .send()
                .await
                .unwrap()
        }
    };
    let refused = send(String::new(), "pow-1").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = refused.text().await.unwrap();
    assert!(again.contains("Тримайтеся, ми з вами."), "the text is kept");
    assert!(
        again.contains("sending needs JavaScript"),
        "the reason in English"
    );
    let fresh = challenge_in(&again).expect("a fresh challenge");
    assert_ne!(fresh, challenge);

    // The browser's work, done here: accepted once.
    let solved = lysty_http::proof::solve(&challenge).unwrap();
    let sent = send(solved.clone(), "pow-2").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    // The same proof on another letter is refused: one proof, one letter.
    let reused = send(solved, "pow-3").await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A made-up proof too.
    let made_up = send("eyJjaGFsbGVuZ2UiOnt9fQ==".into(), "pow-4").await;
    assert_eq!(made_up.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        made_up
            .text()
            .await
            .unwrap()
            .contains("has not yet confirmed")
    );

    // The API asks the same, and says how.
    let refused = letter_from(&app, "198.51.100.8", "Привіт з API", "api-1").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "proof_of_work_required");
    let offered: Value = app.get("/api/v1/proof-of-work").await.json().await.unwrap();
    assert_eq!(offered["required"], true);
    let solved = lysty_http::proof::solve(&offered["challenge"].to_string()).unwrap();
    let created = app
        .client
        .post(app.url("/api/v1/letters"))
        .header("x-forwarded-for", "198.51.100.8")
        .json(&json!({"prisoner": "remzi-bekirov", "body": "Привіт з API",
            "idempotency_key": "api-2", "proof_of_work": solved}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    // A made-up kiosk token is no way around it: without an event no one would check it,
    // and with one the app refuses it.
    let bogus = app
        .client
        .post(app.url("/api/v1/letters"))
        .header("x-forwarded-for", "198.51.100.8")
        .json(&json!({"prisoner": "remzi-bekirov", "body": "Обхід", "kiosk_token": "made-up"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bogus.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bogus.json().await.unwrap();
    assert_eq!(body["error"]["code"], "proof_of_work_required");
    // A kiosk's letters are vouched for by its link and need no proof.
    let (actor, _) = crate::events::coordinator(&app).await;
    let event = crate::events::event(&app, &actor, 4).await;
    let token = app.app.open_kiosk(&actor, event).await.unwrap();
    let kiosk = app
        .client
        .post(app.url(&format!("/kiosk/{token}/letters")))
        .header("accept", "application/json")
        .json(
            &json!({"prisoner": "remzi-bekirov", "body": "Лист з форуму",
            "idempotency_key": "kiosk-1"}),
        )
        .send()
        .await
        .unwrap();
    assert!(kiosk.status().is_success(), "{}", kiosk.status());
    assert_eq!(total(&app).await, before + 3);
}

async fn without_the_setting_no_proof_is_asked(backend: Backend) {
    let app = behind_proxy(backend, LimitsConfig::default()).await;
    let page = app
        .get("/prisoners/remzi-bekirov")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(challenge_in(&page), None);
    assert!(!page.contains("<noscript>"));
    let offered: Value = app.get("/api/v1/proof-of-work").await.json().await.unwrap();
    assert_eq!(offered, json!({"required": false, "challenge": null}));
    let sent = letter_from(&app, "198.51.100.9", "Без доказу", "plain-1").await;
    assert_eq!(sent.status(), StatusCode::CREATED);
}

on_both_databases!(
    under_attack_every_letter_brings_a_proof_of_work,
    without_the_setting_no_proof_is_asked,
    one_address_cannot_flood_and_others_still_get_through,
    a_forwarded_header_from_anyone_but_the_proxy_changes_nothing,
    the_same_text_again_is_refused_but_a_retry_gets_its_receipt,
    a_filled_trap_field_is_refused_and_nothing_is_counted,
    a_kiosk_has_its_own_allowance,
    a_crowd_meets_the_global_ceiling,
    tracking_codes_cannot_be_guessed_at_speed
);
