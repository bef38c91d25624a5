//! Places writers type are published only after review and only in groups: a city or
//! country is named in `/stats` and the API once it has enough approved letters; until
//! then its letters are "other places". An unreviewed "visit evil.example" or a street
//! address never reaches the public page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp};
use lysty_domain::Role;
use lysty_store::LetterId;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn letter_from(app: &TestApp, city: &str, n: usize) -> LetterId {
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({
                "prisoner": "remzi-bekirov",
                "body": format!("Здравствуйте! Держитесь, мы о вас помним. Письмо {n}."),
                "language": "ru",
                "writer_city": city,
                "writer_country": "Україна",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    LetterId(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap())
}

fn places(stats: &Value, list: &str) -> Vec<(String, i64)> {
    stats[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_owned(),
                b["letters"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn a_place_is_named_only_after_enough_of_its_letters_were_approved(backend: Backend) {
    // The default: five approved letters.
    let app = common::spawn_default(backend)
        .await
        .expect("backend configured");
    let moderator = crate::dispatch::person(&app, "m@pen.example", &[Role::Moderator]).await;
    let mut lviv = Vec::new();
    for n in 0..5 {
        lviv.push(letter_from(&app, "Львів", n).await);
    }
    letter_from(&app, "visit evil.example", 10).await;
    letter_from(&app, "вул. Шевченка, 5, кв. 12", 11).await;

    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert!(places(&stats, "by_city").is_empty(), "nothing reviewed yet");
    assert_eq!(stats["other_cities"], 7);
    assert_eq!(stats["other_countries"], 7);

    // Four approved: still not enough.
    for id in &lviv[..4] {
        app.app.open_letter(&moderator.actor, *id).await.unwrap();
        app.app.approve(&moderator.actor, *id).await.unwrap();
    }
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert!(places(&stats, "by_city").is_empty());

    // The fifth: Lviv is named with all its letters; the others stay together.
    app.app
        .open_letter(&moderator.actor, lviv[4])
        .await
        .unwrap();
    app.app.approve(&moderator.actor, lviv[4]).await.unwrap();
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(places(&stats, "by_city"), [("львів".to_owned(), 5)]);
    assert_eq!(stats["other_cities"], 2);
    assert_eq!(places(&stats, "by_country"), [("україна".to_owned(), 7)]);
    assert_eq!(stats["other_countries"], 0);

    // The page says the same, and never shows the typed address.
    let page = app.get("/stats?lang=en").await.text().await.unwrap();
    assert!(page.contains("Other places"));
    // A letter without a city: the places still add up to every letter.
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Здравствуйте! Без города.", "language": "ru"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    let page = app.get("/stats?lang=en").await.text().await.unwrap();
    let not_stated = page
        .split("<tr class=\"not-stated\"><td>Not stated</td><td class=\"num\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a row for letters without a city");
    let named: i64 = places(&stats, "by_city").iter().map(|(_, n)| n).sum();
    assert_eq!(
        named + stats["other_cities"].as_i64().unwrap() + not_stated.parse::<i64>().unwrap(),
        stats["total"].as_i64().unwrap(),
        "the cities add up"
    );
    assert!(
        page.contains("letters written each month"),
        "the line is labelled"
    );
    assert!(!page.contains("evil.example"));
    assert!(!page.contains("Шевченка"));
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("evil.example"));

    // The live counters are what a recount finds.
    let recount = app
        .app
        .store()
        .rebuild_counters(app.app.campaign().id)
        .await
        .unwrap();
    assert!(recount.changed.is_empty(), "{:?}", recount.changed);
}

on_both_databases!(a_place_is_named_only_after_enough_of_its_letters_were_approved);
