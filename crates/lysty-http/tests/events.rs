//! Events over HTTP: kiosks that take letters until closed, tallies of paper letters in
//! every total, and a series side by side — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Backend, TestApp, spawn_default};
use lysty_app::Actor;
use lysty_domain::{Role, Roles};
use lysty_store::{EventId, NewEvent, SessionStage};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn app(backend: Backend) -> TestApp {
    spawn_default(backend).await.expect("backend configured")
}

async fn coordinator(app: &TestApp) -> (Actor, String) {
    let org = app
        .app
        .store()
        .list_organisations()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.slug == "pen-ukraine")
        .unwrap()
        .id;
    let (id, _) = app
        .app
        .create_staff(
            None,
            org,
            "coord@pen.example",
            "Coord",
            Roles::of(&[Role::Coordinator]),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
    let actor = Actor {
        staff: app.app.store().staff_by_id(id).await.unwrap().unwrap(),
        session: None,
        csrf_token: None,
        stage: SessionStage::Full,
    };
    let token = app
        .app
        .create_token_for("coord@pen.example", "tests")
        .await
        .unwrap();
    (actor, lysty_app::App::reveal(&token).to_owned())
}

async fn event(app: &TestApp, actor: &Actor, ends_in_hours: i64) -> EventId {
    let now = chrono::Utc::now();
    app.app
        .store()
        .upsert_event(&NewEvent {
            campaign: app.app.campaign().id,
            organisation: Some(actor.org()),
            slug: format!("ev-{}", uuid::Uuid::now_v7().simple()),
            kind: "book_forum".into(),
            title: lysty_store::Localised {
                uk: "Книжковий форум".into(),
                en: "Book forum".into(),
            },
            city: "Чернівці".into(),
            country: "Україна".into(),
            venue: None,
            starts_at: now - chrono::Duration::hours(2),
            ends_at: now + chrono::Duration::hours(ends_in_hours),
            series: None,
            demo: false,
        })
        .await
        .unwrap()
}

async fn a_kiosk_takes_letters_for_its_event_until_it_is_closed(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let token = app.app.open_kiosk(&actor, id).await.unwrap();
    let page = app.get(&format!("/kiosk/{token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Книжковий форум"));
    assert!(page.contains("kiosk-form"));

    let letter = json!({"prisoner": "remzi-bekirov", "body": "Вітаю з Чернівців!", "idempotency_key": "kiosk-1"});
    let first = app
        .post_json(&format!("/kiosk/{token}/letters"), &letter)
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again: Value = app
        .post_json(&format!("/kiosk/{token}/letters"), &letter)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["id"], again["id"], "a resend makes no second letter");

    let form = app
        .post_form(
            &format!("/kiosk/{token}/letters"),
            common::encode(&[
                ("prisoner", "bohdan-ziza"),
                ("body", "Тримайтеся!"),
                ("writer_city", "Київ"),
                ("idempotency_key", "kiosk-2"),
            ]),
        )
        .await;
    assert_eq!(form.status(), StatusCode::SEE_OTHER);
    assert!(
        form.headers()["location"]
            .to_str()
            .unwrap()
            .contains("?sent=")
    );

    let count: Value = app
        .get(&format!("/kiosk/{token}/count"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(count["letters"], 2);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    let cities: Vec<_> = stats["by_city"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        cities.contains(&"чернівці".to_owned()),
        "the event's city, when the writer gave none"
    );
    assert!(
        cities.contains(&"київ".to_owned()),
        "the writer's own city wins"
    );
    let kiosk = stats["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "kiosk")
        .unwrap();
    assert_eq!(kiosk["letters"], 2);

    app.app.revoke_kiosk(&actor, id).await.unwrap();
    let closed = app.get(&format!("/kiosk/{token}")).await;
    assert_eq!(closed.status(), StatusCode::GONE);
    assert!(closed.text().await.unwrap().contains("кіоск закрито"));
    let refused = app
        .post_json(
            &format!("/kiosk/{token}/letters"),
            &json!({"prisoner": "remzi-bekirov", "body": "x", "idempotency_key": "kiosk-3"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::GONE);
    let unknown = app.get("/kiosk/this-token-does-not-exist-at-all").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("Такого кіоску немає")
    );

    let ended = event(&app, &actor, -72).await;
    let old_token = app.app.open_kiosk(&actor, ended).await.unwrap();
    let gone = app.get(&format!("/kiosk/{old_token}")).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    assert!(gone.text().await.unwrap().contains("Подія завершилася"));
}

async fn tallied_paper_letters_count_in_every_total(backend: Backend) {
    let app = app(backend).await;
    let (actor, token) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let tally = |body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/events/{id}/tally")))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let done = tally(json!({"prisoner": "halyna-dovhopola", "count": 5}))
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let done: Value = tally(json!({"count": 3}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["letters"], 8);
    assert_eq!(done["tallied"], 8);
    for bad in [
        json!({"count": -2}),
        json!({"count": 0}),
        json!({"count": 100000}),
        json!({"prisoner": "nobody", "count": 1}),
    ] {
        let r = tally(bad.clone()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 8);
    let tallied = stats["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "tallied")
        .unwrap();
    assert_eq!(tallied["letters"], 8);
    let halyna = stats["by_prisoner"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "halyna-dovhopola")
        .unwrap();
    assert_eq!(halyna["letters"], 5);
    let events: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let this = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.to_string())
        .unwrap();
    assert_eq!(this["letters"], 8);
    assert_eq!(this["tallied"], 8);
    let page = app
        .get(&format!("/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("пораховано"));
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(">8<"),
        "the home counter includes tallied letters"
    );
}

async fn a_series_shows_its_stops_total_and_leader(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let stops = app
        .app
        .store()
        .events_in_series(app.app.campaign().id, "demo-press-tour-2024")
        .await
        .unwrap();
    assert_eq!(stops.len(), 5);
    let admin = Actor {
        staff: lysty_store::Staff {
            roles: Roles::of(&[Role::Admin]),
            ..actor.staff.clone()
        },
        ..actor.clone()
    };
    let frankivsk = stops.iter().find(|e| e.city == "Івано-Франківськ").unwrap();
    let lviv = stops.iter().find(|e| e.city == "Львів").unwrap();
    app.app
        .record_tally(&admin, frankivsk.id, "", "420")
        .await
        .unwrap();
    app.app
        .record_tally(&admin, lviv.id, "", "90")
        .await
        .unwrap();
    let page = app.get("/events/series/demo-press-tour-2024").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"id="series-total">510<"#), "{page}");
    assert!(page.contains(r#"id="series-leader">Івано-Франківськ<"#));
    for city in ["Ужгород", "Тернопіль", "Чернівці"] {
        assert!(page.contains(city), "every stop is shown: {city}");
    }
    assert_eq!(
        app.get("/events/series/nothing-here").await.status(),
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(
    a_kiosk_takes_letters_for_its_event_until_it_is_closed,
    tallied_paper_letters_count_in_every_total,
    a_series_shows_its_stops_total_and_leader,
);
