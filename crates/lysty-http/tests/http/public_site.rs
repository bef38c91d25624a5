//! The real application on port 0, driven over HTTP: pages, the letter form with its
//! redirect, the JSON API, idempotent retries and every kind of bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp, encode, spawn, spawn_default};
use lysty_app::AppConfig;
use lysty_http::HttpConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn app(backend: Backend) -> TestApp {
    spawn_default(backend).await.expect("backend configured")
}

fn form(pairs: &[(&str, &str)]) -> String {
    encode(pairs)
}

/// Follows the form's redirect and returns the tracking page's path.
async fn send_form_letter(app: &TestApp, slug: &str, pairs: &[(&str, &str)]) -> String {
    let response = app
        .post_form(&format!("/prisoners/{slug}/letters"), form(pairs))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response
        .headers()
        .get("location")
        .expect("location")
        .to_str()
        .expect("ascii")
        .to_owned()
}

async fn home_shows_the_campaign_with_live_counters(backend: Backend) {
    let app = app(backend).await;
    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains("Листи до вільного Криму"));
    assert!(page.contains("Ремзі Бекіров"));
    assert!(page.contains(r#"<html lang="uk">"#));
    send_form_letter(
        &app,
        "remzi-bekirov",
        &[("body", "Привіт!"), ("writer_city", "Київ")],
    )
    .await;
    let page = app.get("/?lang=en").await.text().await.unwrap();
    assert!(page.contains("Letters to Free Crimea"));
    assert!(page.contains("letter written"), "one letter, singular");
}

async fn the_demo_banner_shows_only_in_demo_mode(backend: Backend) {
    let plain = app(backend).await;
    let page = plain.get("/").await.text().await.unwrap();
    assert!(!page.contains("demo-banner"));
    let demo = spawn(
        backend,
        AppConfig::default(),
        HttpConfig {
            demo: true,
            ..HttpConfig::default()
        },
    )
    .await
    .unwrap();
    let page = demo.get("/").await.text().await.unwrap();
    assert!(page.contains("demo-banner"));
    assert!(page.contains("демонстраційні дані"));
}

async fn a_form_letter_redirects_to_its_tracking_page(backend: Backend) {
    let app = app(backend).await;
    let location = send_form_letter(
        &app,
        "iryna-danylovych",
        &[
            ("body", "Доброго дня! Пишу вам з Києва."),
            ("language", "uk"),
            ("writer_name", "Оксана"),
            ("idempotency_key", "form-key-1"),
        ],
    )
    .await;
    assert!(location.starts_with("/letters/"), "{location}");
    assert!(location.ends_with("?new=1"));
    let code = location
        .trim_start_matches("/letters/")
        .trim_end_matches("?new=1")
        .to_owned();
    assert_eq!(code.len(), 19, "four groups of four: {code}");

    let response = app.get(&location).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("Дякуємо"));
    assert!(page.contains(&code));
    assert!(page.contains("Отримано"));
    // The thanks offer someone else who has received few letters lately.
    let suggestion = page
        .split("class=\"suggest\"")
        .nth(1)
        .expect("a suggestion");
    assert!(suggestion.contains("/prisoners/"));
    assert!(!suggestion[..suggestion.find("</p>").unwrap()].contains("iryna-danylovych"));

    // The code is forgiving when typed by hand.
    let typed = app
        .get(&format!(
            "/letters?code={}",
            code.to_lowercase().replace('-', "")
        ))
        .await;
    assert_eq!(typed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        typed.headers()["location"],
        format!("/letters/{code}").as_str()
    );

    let track: Value = app
        .get(&format!("/api/v1/letters/track/{code}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(track["state"], "received");
    assert_eq!(track["prisoner"]["slug"], "iryna-danylovych");
    assert_eq!(track["journey"][0]["state"], "received");
}

async fn a_resubmitted_form_makes_no_second_letter(backend: Backend) {
    let app = app(backend).await;
    let pairs = [("body", "Тримайтеся!"), ("idempotency_key", "double-click")];
    let first = send_form_letter(&app, "bohdan-ziza", &pairs).await;
    let second = send_form_letter(&app, "bohdan-ziza", &pairs).await;
    assert_eq!(first, second);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 1);
}

async fn an_empty_letter_comes_back_with_everything_typed(backend: Backend) {
    let app = app(backend).await;
    let response = app
        .post_form(
            "/prisoners/remzi-bekirov/letters",
            form(&[
                ("body", "   "),
                ("writer_name", "Оксана <b>"),
                ("writer_city", "Львів"),
                ("writer_country", "Україна"),
                ("writer_email", "oksana@example.org"),
                ("email_consent", "yes"),
                ("language", "uk"),
                ("idempotency_key", "k-empty"),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Напишіть текст листа"));
    assert!(
        page.contains(r#"value="Оксана &#60;b&#62;""#)
            || page.contains(r#"value="Оксана &lt;b&gt;""#),
        "escaped and kept"
    );
    assert!(page.contains(r#"value="Львів""#));
    assert!(page.contains(r#"value="Україна""#));
    assert!(page.contains(r#"value="oksana@example.org""#));
    assert!(
        page.contains(r#"value="k-empty""#),
        "the same idempotency key travels on"
    );
    assert!(page.contains(r#"<option value="uk" selected>"#));
    assert!(page.contains(r#"aria-invalid="true""#));
}

async fn a_letter_over_the_limit_is_refused_and_kept(backend: Backend) {
    let app = spawn(
        backend,
        AppConfig {
            max_letter_chars: 100,
            ..AppConfig::default()
        },
        HttpConfig::default(),
    )
    .await
    .unwrap();
    let long = "ж".repeat(101);
    let response = app
        .post_form("/prisoners/remzi-bekirov/letters", form(&[("body", &long)]))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("101"), "says how long it is");
    assert!(page.contains("100"), "says the limit");
    assert!(page.contains(&long), "the text comes back");

    let api = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": long}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_letter");
    assert_eq!(body["error"]["fields"][0]["field"], "body");
    assert_eq!(body["error"]["fields"][0]["code"], "too-long");
}

async fn the_default_limit_is_eight_thousand_characters(backend: Backend) {
    let app = app(backend).await;
    let fits = "а".repeat(8_000);
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": fits}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let over = "а".repeat(8_001);
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": over}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_released_person_takes_no_letters_and_the_text_is_kept(backend: Backend) {
    let app = app(backend).await;
    let profile = app
        .get("/prisoners/leniye-umerova")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        profile.contains("Звільнена"),
        "in words that agree with her"
    );
    assert!(!profile.contains("Звільнений(-а)"));
    assert!(
        !profile.contains(r#"<form method="post""#),
        "no form for a released person"
    );

    let response = app
        .post_form(
            "/prisoners/nariman-dzhelyal/letters",
            form(&[("body", "Вітаю з волею!")]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = response.text().await.unwrap();
    assert!(page.contains("Вітаю з волею!"));
    assert!(page.contains("не може отримувати листи"));

    let api = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "nariman-dzhelyal", "body": "Вітаю!"}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::CONFLICT);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "prisoner_not_accepting");
}

async fn an_unknown_person_gets_a_clear_page_with_the_text_kept(backend: Backend) {
    let app = app(backend).await;
    let response = app
        .post_form(
            "/prisoners/no-such-person/letters",
            form(&[("body", "Мій лист")]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page = response.text().await.unwrap();
    assert!(page.contains("Такої людини немає у списку"));
    assert!(page.contains("Мій лист"));

    let api = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "no-such-person", "body": "x"}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_prisoner");
    assert!(body["error"]["message"].as_str().unwrap().len() > 10);

    assert_eq!(
        app.get("/prisoners/no-such-person").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn invalid_utf8_is_reported_and_the_rest_kept(backend: Backend) {
    let app = app(backend).await;
    let mut body =
        b"writer_name=%D0%9E%D0%BA%D1%81%D0%B0%D0%BD%D0%B0&body=%D0%9F%D1%80%D0%B8%FF%FE".to_vec();
    body.extend_from_slice(b"&idempotency_key=k-utf8");
    let response = app
        .post_form("/prisoners/remzi-bekirov/letters", body)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(page.contains("неправильне кодування"));
    assert!(page.contains(r#"value="Оксана""#));
    assert!(page.contains("При"), "what could be read is shown");

    let api = app
        .client
        .post(app.url("/api/v1/letters"))
        .header("content-type", "application/json")
        .body(b"{\"prisoner\":\"remzi-bekirov\",\"body\":\"\xff\xfe\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::BAD_REQUEST);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "malformed_json");
}

async fn an_oversized_request_gets_a_413_with_a_message(backend: Backend) {
    let app = spawn(
        backend,
        AppConfig::default(),
        HttpConfig {
            max_request_bytes: 4_096,
            ..HttpConfig::default()
        },
    )
    .await
    .unwrap();
    // Just over the limit: the server answers before reading the body, so a fresh
    // connection per request keeps the client from writing into a closed socket.
    let huge = "а".repeat(2_500);
    let fresh = || {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    };
    let response = fresh()
        .post(app.url("/prisoners/remzi-bekirov/letters"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("body", &huge)]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = response.text().await.unwrap();
    assert!(page.contains("Лист завеликий"));
    assert!(page.contains("ваш текст залишився у формі"));

    let api = fresh()
        .post(app.url("/api/v1/letters"))
        .json(&json!({"prisoner": "remzi-bekirov", "body": huge}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "body_too_large");
}

async fn malformed_requests_get_a_4xx_never_a_5xx(backend: Backend) {
    let app = app(backend).await;
    let cases: Vec<(&str, &[u8], StatusCode, &str)> = vec![
        ("application/json", b"{not json", StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", b"", StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", b"[]", StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", br#"{"prisoner": 5, "body": "x"}"#, StatusCode::BAD_REQUEST, "malformed_json"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": "x", "surprise": 1}"#, StatusCode::BAD_REQUEST, "malformed_json"),
        ("text/plain", br#"{"prisoner": "remzi-bekirov", "body": "x"}"#, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": ""}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_letter"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": "x", "writer_email": "x@y.org"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_letter"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": "x", "language": "klingon"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_letter"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": "x", "event": "not-an-id"}"#, StatusCode::UNPROCESSABLE_ENTITY, "invalid_letter"),
        ("application/json", br#"{"prisoner": "remzi-bekirov", "body": "x", "event": "01937f3a-0000-7000-8000-000000000000"}"#, StatusCode::UNPROCESSABLE_ENTITY, "unknown_event"),
    ];
    for (content_type, body, status, code) in cases {
        let response = app
            .client
            .post(app.url("/api/v1/letters"))
            .header("content-type", content_type)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let got = response.status();
        let json: Value = response.json().await.unwrap();
        assert_eq!(got, status, "{}: {json}", String::from_utf8_lossy(body));
        assert_eq!(
            json["error"]["code"],
            code,
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(!json["error"]["message"].as_str().unwrap_or("").is_empty());
    }
    // A form post that is not a form at all.
    let response = app
        .post_form("/prisoners/remzi-bekirov/letters", "%%%&&==")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 0, "nothing was stored");
}

async fn errors_speak_the_writers_language(backend: Backend) {
    let app = app(backend).await;
    let response = app
        .client
        .post(app.url("/api/v1/letters"))
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&json!({"prisoner": "remzi-bekirov", "body": " "}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"][0]["message"],
        "Please write the text of your letter."
    );

    let page = app
        .client
        .post(app.url("/prisoners/remzi-bekirov/letters?lang=en"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("body=")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Please write the text of your letter."));
    assert!(page.contains(r#"<html lang="en">"#));
}

async fn the_api_creates_letters_idempotently(backend: Backend) {
    let app = spawn(backend, common::every_place_named(), HttpConfig::default())
        .await
        .expect("backend configured");
    let request = json!({
        "prisoner": "halyna-dovhopola",
        "body": "Добрий день! Я з Тернополя.",
        "language": "uk",
        "writer_name": "Марія",
        "writer_city": "Тернопіль",
        "writer_country": "Україна",
        "writer_email": "maria@example.org",
        "email_consent": true,
        "idempotency_key": "api-retry-1"
    });
    let first = app.post_json("/api/v1/letters", &request).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["state"], "received");
    assert!(first["id"].as_str().unwrap().len() == 36);
    let second: Value = app
        .post_json("/api/v1/letters", &request)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, second);

    // The same key with another text is refused, and says why.
    let mut reused = request.clone();
    reused["body"] = json!("Зовсім інший лист");
    let response = app.post_json("/api/v1/letters", &reused).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "idempotency_key_reused");
    assert!(
        body.to_string()
            .find(first["tracking_code"].as_str().unwrap())
            .is_none()
    );

    // The header works as well as the field.
    let by_header = |key: &'static str| {
        app.client
            .post(app.url("/api/v1/letters"))
            .header("idempotency-key", key)
            .json(&json!({"prisoner": "halyna-dovhopola", "body": "Ще один лист"}))
            .send()
    };
    let a: Value = by_header("hdr-1").await.unwrap().json().await.unwrap();
    let b: Value = by_header("hdr-1").await.unwrap().json().await.unwrap();
    assert_eq!(a["id"], b["id"]);

    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 2);
    let city = &stats["by_city"][0];
    assert_eq!(city["key"], "тернопіль");
    assert_eq!(city["letters"], 2 - 1);
    let prisoner = stats["by_prisoner"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "halyna-dovhopola")
        .unwrap();
    assert_eq!(prisoner["letters"], 2);
}

async fn the_writers_email_is_encrypted_at_rest(backend: Backend) {
    let app = app(backend).await;
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Привіт", "writer_email": "secret.writer@example.org", "email_consent": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let Some(path) = &app.sqlite_path else { return };
    app.app.shutdown().await;
    let raw = std::fs::read(path).unwrap();
    let wal = std::fs::read(path.with_extension("db-wal")).unwrap_or_default();
    let needle = b"secret.writer";
    assert!(!raw.windows(needle.len()).any(|w| w == needle));
    assert!(!wal.windows(needle.len()).any(|w| w == needle));
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let stored: Vec<u8> = sqlx::query_scalar("SELECT writer_email_enc FROM letters")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(stored.len() > 40, "nonce, ciphertext and tag");
}

async fn the_registry_api_lists_and_describes_prisoners(backend: Backend) {
    let app = app(backend).await;
    let page: Value = app
        .get("/api/v1/prisoners?limit=3")
        .await
        .json()
        .await
        .unwrap();
    let slugs: Vec<_> = page["prisoners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        slugs,
        ["bohdan-ziza", "halyna-dovhopola", "iryna-danylovych"]
    );
    assert_eq!(page["next"], "iryna-danylovych");
    let rest: Value = app
        .get("/api/v1/prisoners?limit=10&after=iryna-danylovych")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["prisoners"].as_array().unwrap().len(), 4);
    assert!(rest["next"].is_null());
    let released = rest["prisoners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "leniye-umerova")
        .unwrap();
    assert_eq!(released["accepts_letters"], false);

    let one: Value = app
        .get("/api/v1/prisoners/vladlen-abdulkadyrov")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["names"]["en"], "Vladlen Abdulkadyrov");
    assert!(one["story"]["en"].as_str().unwrap().contains("12 years"));
    assert!(
        one["facility"]["name_en"]
            .as_str()
            .unwrap()
            .contains("No. 21")
    );
    assert_eq!(one["guidance"]["general"].as_array().unwrap().len(), 5);

    let missing = app.get("/api/v1/prisoners/nobody").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_prisoner");
}

async fn pages_render_for_every_public_route(backend: Backend) {
    let app = app(backend).await;
    for path in [
        "/",
        "/prisoners",
        "/prisoners/remzi-bekirov",
        "/prisoners/leniye-umerova",
        "/events",
        "/stats",
        "/letters",
        "/healthz",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let events = app.get("/events").await.text().await.unwrap();
    assert!(events.contains("Івано-Франківськ"));
    assert!(events.contains("демо"));
    let tracking = app.get("/letters/AAAA-AAAA-AAAA-AAAA").await;
    assert_eq!(tracking.status(), StatusCode::NOT_FOUND);
    assert!(tracking.text().await.unwrap().contains("не знайдено"));
    assert_eq!(
        app.get("/letters/garbage").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/events/not-an-id").await.status(),
        StatusCode::NOT_FOUND
    );
    let health: Value = app.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
}

async fn every_response_carries_the_security_headers(backend: Backend) {
    let app = app(backend).await;
    let page = app.get("/").await.text().await.unwrap();
    let css = page
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")))
        .unwrap()
        .to_owned();
    for path in [
        "/",
        "/no-such-page",
        "/api/v1/nothing",
        css.as_str(),
        "/api/v1/stats",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    let static_file = app.get(&css).await;
    assert!(
        static_file.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let api_404 = app.get("/api/v1/nothing").await;
    assert_eq!(api_404.status(), StatusCode::NOT_FOUND);
    let body: Value = api_404.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

async fn the_language_choice_is_remembered(backend: Backend) {
    let app = app(backend).await;
    let response = app.get("/?lang=en").await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lang=en"));
    let page = app
        .client
        .get(app.url("/prisoners"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Write to"));
    let guessed = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-US,en;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(guessed.contains(r#"<html lang="en">"#));
}

/// Each step of a letter's way says what it means; a rejected letter says why in kind words
/// and offers to write again; a letter to someone whose facility is unknown says it waits.
async fn every_tracking_state_explains_itself(backend: Backend) {
    let app = app(backend).await;
    let track = |path: String| {
        let app = &app;
        async move { app.get(&path).await.text().await.unwrap() }
    };
    let first = send_form_letter(
        &app,
        "remzi-bekirov",
        &[
            ("body", "Привет! Держитесь, мы о вас помним."),
            ("language", "ru"),
        ],
    )
    .await;
    let page = track(first.clone()).await;
    assert!(page.contains("чекає на перевірку"), "received: {page}");

    let org = app.app.store().list_organisations().await.unwrap()[0]
        .slug
        .clone();
    app.staff(&org, "m@pen.example", &[lysty_domain::Role::Moderator])
        .await;
    let moderator = app.app.operator("m@pen.example").await.unwrap();
    let id = |path: &str| {
        let code = path
            .trim_start_matches("/letters/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let app = &app;
        async move {
            app.app
                .tracked_letter(&lysty_domain::TrackingCode::parse(&code).unwrap())
                .await
                .unwrap()
                .unwrap()
                .letter
                .id
        }
    };
    let letter = id(&first).await;
    app.app.open_letter(&moderator, letter).await.unwrap();
    let page = track(first.clone()).await;
    assert!(
        page.contains("Волонтери зараз читають лист"),
        "in review: {page}"
    );
    app.app.approve(&moderator, letter).await.unwrap();
    let page = track(first.clone()).await;
    assert!(
        page.contains("Ми ще не знаємо, де тримають людину"),
        "approved, no facility known: {page}"
    );

    let second = send_form_letter(&app, "remzi-bekirov", &[("body", "Ще один лист, інший.")]).await;
    let letter = id(&second).await;
    app.app.open_letter(&moderator, letter).await.unwrap();
    app.app
        .reject(
            &moderator,
            letter,
            lysty_domain::RejectReason::CaseDetails,
            "",
        )
        .await
        .unwrap();
    let page = track(second).await;
    assert!(
        page.contains("згадано справу людини"),
        "the reason in kind words: {page}"
    );
    assert!(
        page.contains("href=\"/prisoners/remzi-bekirov#write\""),
        "write again"
    );
    assert!(!page.contains("state-explain-"), "no message id shows");
}

/// The thanks page says what happens next, with the campaign's own usual time to sending,
/// and confirms the emails only to a writer who asked for them.
async fn the_thanks_page_says_what_happens_next(backend: Backend) {
    let app = app(backend).await;
    // A year in which letters went out ten days after they were written.
    let day = |days_ago: i64| {
        (app.now() - chrono::Duration::days(days_ago))
            .format("%Y-%m-%d")
            .to_string()
    };
    let csv = format!(
        "received_at,prisoner,source,state,sent_at\n\
         {},remzi-bekirov,online,sent,{}\n\
         {},remzi-bekirov,online,sent,{}\n\
         {},bohdan-ziza,online,sent,{}\n",
        day(60),
        day(50),
        day(40),
        day(30),
        day(35),
        day(25)
    );
    app.app
        .import_letters(csv.as_bytes(), &|_, _| {})
        .await
        .unwrap();
    let quiet = send_form_letter(&app, "remzi-bekirov", &[("body", "Вітаю! Тримайтеся.")]).await;
    assert!(!quiet.contains("updates"), "{quiet}");
    let page = app.get(&quiet).await.text().await.unwrap();
    assert!(page.contains("Що буде далі"), "{page}");
    assert!(
        page.contains("приблизно 10 днів"),
        "the campaign's own median: {page}"
    );
    assert!(!page.contains("updates-confirmed"));
    assert!(page.contains("авторам, які не просили, ми не пишемо"));
    assert!(
        page.contains("/prisoners/remzi-bekirov"),
        "an invitation to write to them"
    );

    let asked = send_form_letter(
        &app,
        "remzi-bekirov",
        &[
            ("body", "Ще один лист, з поштою."),
            ("writer_email", "writer@example.org"),
            ("email_consent", "1"),
        ],
    )
    .await;
    assert!(asked.ends_with("?new=1&updates=1"), "{asked}");
    let page = app.get(&asked).await.text().await.unwrap();
    assert!(page.contains("updates-confirmed"), "{page}");
    assert!(
        !page.contains("writer@example.org"),
        "the address is never shown back"
    );
}

/// Who runs the campaign is on every page; the "about" and privacy pages are written from the
/// installation's settings (here a contact, the threshold for naming a place, and how long
/// writers' data is kept).
async fn the_organisers_and_the_privacy_rules_are_public(backend: Backend) {
    let config = AppConfig {
        contact: Some("letters@campaign.example".into()),
        public_place_min_letters: 7,
        retention: lysty_app::RetentionConfig {
            after: Some(chrono::Duration::days(180)),
            keep_text: true,
        },
        ..AppConfig::default()
    };
    let app = spawn(backend, config, HttpConfig::default()).await.unwrap();
    app.app.seed_demo().await.unwrap();
    let home = app.get("/").await.text().await.unwrap();
    let organisers = app.app.store().list_organisations().await.unwrap();
    assert!(!organisers.is_empty());
    for o in &organisers {
        assert!(
            home.contains(&o.name_uk),
            "{} named on every page",
            o.name_uk
        );
    }
    assert!(home.contains("href=\"/privacy\"") && home.contains("href=\"/about\""));
    let about = app.get("/about?lang=en").await.text().await.unwrap();
    assert!(about.contains("letters@campaign.example"));
    assert!(about.contains(&organisers[0].name_en));
    let privacy = app.get("/privacy").await.text().await.unwrap();
    assert!(
        privacy.contains("перевірено 7 листів"),
        "the real threshold: {privacy}"
    );
    assert!(privacy.contains("letters@campaign.example"));
    assert!(privacy.contains("IP-адреса"));
    assert!(
        privacy.contains("Через 180 днів"),
        "the retention rule: {privacy}"
    );
    assert!(privacy.contains("Текст листа зберігається"));
    // Without a rule, the page says the data is kept.
    let keeping = spawn(backend, AppConfig::default(), HttpConfig::default())
        .await
        .unwrap();
    let page = keeping.get("/privacy?lang=en").await.text().await.unwrap();
    assert!(page.contains("no automatic deletion"), "{page}");
    for lang in ["uk", "en", "crh"] {
        for path in ["/about", "/privacy"] {
            let page = app.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(page.status(), StatusCode::OK);
            let page = page.text().await.unwrap();
            assert!(
                !page.contains("privacy-") && !page.contains("about-"),
                "{lang} {path}"
            );
        }
    }
}

on_both_databases!(
    the_organisers_and_the_privacy_rules_are_public,
    the_thanks_page_says_what_happens_next,
    every_tracking_state_explains_itself,
    home_shows_the_campaign_with_live_counters,
    the_demo_banner_shows_only_in_demo_mode,
    a_form_letter_redirects_to_its_tracking_page,
    a_resubmitted_form_makes_no_second_letter,
    an_empty_letter_comes_back_with_everything_typed,
    a_letter_over_the_limit_is_refused_and_kept,
    the_default_limit_is_eight_thousand_characters,
    a_released_person_takes_no_letters_and_the_text_is_kept,
    an_unknown_person_gets_a_clear_page_with_the_text_kept,
    invalid_utf8_is_reported_and_the_rest_kept,
    an_oversized_request_gets_a_413_with_a_message,
    malformed_requests_get_a_4xx_never_a_5xx,
    errors_speak_the_writers_language,
    the_api_creates_letters_idempotently,
    the_writers_email_is_encrypted_at_rest,
    the_registry_api_lists_and_describes_prisoners,
    pages_render_for_every_public_route,
    every_response_carries_the_security_headers,
    the_language_choice_is_remembered,
);
