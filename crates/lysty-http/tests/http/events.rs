//! Events over HTTP: kiosks that take letters until closed, tallies of paper letters in
//! every total, and a series side by side — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp};
use lysty_app::Actor;
use lysty_domain::{Role, Roles};
use lysty_store::{EventId, NewEvent, SessionStage};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn app(backend: Backend) -> TestApp {
    common::staff_app(backend, common::every_place_named()).await
}

pub(crate) async fn coordinator(app: &TestApp) -> (Actor, String) {
    let id = app
        .staff("pen-ukraine", "coord@pen.example", &[Role::Coordinator])
        .await;
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

pub(crate) async fn event(app: &TestApp, actor: &Actor, ends_in_hours: i64) -> EventId {
    let now = app.now();
    app.app
        .store()
        .upsert_event(
            &NewEvent {
                campaign: app.app.campaign().id,
                organisation: Some(actor.org()),
                slug: format!("ev-{}", uuid::Uuid::now_v7().simple()),
                kind: "book_forum".into(),
                title: lysty_store::Localised {
                    uk: "Книжковий форум".into(),
                    en: "Book forum".into(),
                    crh: String::new(),
                },
                city: "Чернівці".into(),
                country: "Україна".into(),
                venue: None,
                starts_at: now - chrono::Duration::hours(2),
                ends_at: now + chrono::Duration::hours(ends_in_hours),
                series: None,
                demo: false,
            },
            None,
        )
        .await
        .unwrap()
}

async fn the_public_api_counts_a_letter_at_an_event_only_with_its_kiosk_token(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let elsewhere = event(&app, &actor, 4).await;
    let token = app.app.open_kiosk(&actor, id).await.unwrap();
    let other_token = app.app.open_kiosk(&actor, elsewhere).await.unwrap();
    let letter = |kiosk: Option<&str>| {
        let mut body = json!({"prisoner": "remzi-bekirov", "body": "Вітаю з форуму!", "event": id.to_string()});
        if let Some(kiosk) = kiosk {
            body["kiosk_token"] = json!(kiosk);
        }
        body
    };
    for (kiosk, why) in [
        (None, "no token"),
        (Some(other_token.as_str()), "another event's token"),
        (
            Some("a-token-that-opens-nothing-at-all"),
            "an unknown token",
        ),
    ] {
        let refused = app.post_json("/api/v1/letters", &letter(kiosk)).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unknown_event", "{why}");
    }
    let counted = app
        .post_json("/api/v1/letters", &letter(Some(&token)))
        .await;
    assert_eq!(counted.status(), StatusCode::CREATED);
    let event = app.app.store().event_by_id(id).await.unwrap().unwrap();
    assert_eq!(
        event.letters, 1,
        "only the letter with the kiosk's token counts"
    );
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
    // The writer sees their code once, in the answer itself: no redirect puts it in a URL
    // for the next person at the tablet, and the kiosk page never shows one by itself.
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.headers().get("location").is_none());
    assert_eq!(form.headers()["cache-control"], "no-store");
    let thanks = form.text().await.unwrap();
    let code = thanks
        .split("<strong translate=\"no\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 19, "{code}");
    let next = app.get(&format!("/kiosk/{token}?sent={code}")).await;
    assert!(!next.text().await.unwrap().contains(&code));

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
    ] {
        let r = tally(bad.clone()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // A prisoner no one knows is a record that is not there, as the API document says.
    let unknown = tally(json!({"prisoner": "nobody", "count": 1}))
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_prisoner");
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
    the_public_api_counts_a_letter_at_an_event_only_with_its_kiosk_token,
    a_kiosk_takes_letters_for_its_event_until_it_is_closed,
    tallied_paper_letters_count_in_every_total,
    a_series_shows_its_stops_total_and_leader,
);

/// A one-pixel PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F,
    0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
/// A one-page PDF, as a scanner writes one (with its cross-reference table).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";

pub(crate) async fn staff_session(app: &TestApp, email: &str, roles: &[Role]) -> (String, String) {
    staff_session_in(app, "pen-ukraine", email, roles).await
}

/// A full session for a new member of staff of the demo organisation `org`.
async fn staff_session_in(
    app: &TestApp,
    org: &str,
    email: &str,
    roles: &[Role],
) -> (String, String) {
    let id = app.staff(org, email, roles).await;
    common::full_session(app, id).await
}

async fn upload(
    app: &TestApp,
    session: &(String, String),
    event: EventId,
    prisoner: &str,
    pages: Vec<(&'static str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("prisoner", prisoner.to_owned());
    for (name, bytes) in pages {
        form = form.part(
            "pages",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
    }
    app.client
        .post(app.url(&format!("/staff/events/{event}/paper?csrf={}", session.1)))
        .header("cookie", &session.0)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn paper_letters_replace_tallied_ones_and_stay_with_staff(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let coordinator = staff_session(&app, "c2@pen.example", &[Role::Coordinator]).await;
    app.app
        .record_tally(&actor, id, "halyna-dovhopola", "3")
        .await
        .unwrap();

    let entered = upload(
        &app,
        &coordinator,
        id,
        "halyna-dovhopola",
        vec![("page1.png", PNG.to_vec()), ("page2.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(entered.status(), StatusCode::SEE_OTHER);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(
        stats["total"], 3,
        "the entered letter replaced a tallied one"
    );
    let source = |key: &str| {
        stats["by_source"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["key"] == key)
            .unwrap()["letters"]
            .clone()
    };
    assert_eq!(source("paper"), 1);
    assert_eq!(source("tallied"), 2);
    let events: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let this = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.to_string())
        .unwrap()
        .clone();
    assert_eq!(this["letters"], 3);
    assert_eq!(this["tallied"], 2);

    // With no tally left for that person, a new letter adds to the totals.
    let more = upload(
        &app,
        &coordinator,
        id,
        "bohdan-ziza",
        vec![("p.png", PNG.to_vec())],
    )
    .await;
    assert_eq!(more.status(), StatusCode::SEE_OTHER);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 4);

    // Refused: by content, not by name; damaged; too large; without the CSRF token.
    let renamed = upload(
        &app,
        &coordinator,
        id,
        "bohdan-ziza",
        vec![("photo.jpg", b"not an image at all".to_vec())],
    )
    .await;
    assert_eq!(renamed.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let damaged = upload(
        &app,
        &coordinator,
        id,
        "bohdan-ziza",
        vec![("p.png", PNG[..40].to_vec())],
    )
    .await;
    assert_eq!(damaged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A PDF that would run a script when opened is refused, and says why.
    let active = String::from_utf8_lossy(PDF).replace(
        "/Type /Catalog",
        "/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
    );
    let refused = upload(
        &app,
        &coordinator,
        id,
        "bohdan-ziza",
        vec![("scan.pdf", active.into_bytes())],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("PDF"));
    let mut huge = PNG.to_vec();
    huge.resize(10 * 1024 * 1024 + 10, 0);
    let too_large = upload(
        &app,
        &coordinator,
        id,
        "bohdan-ziza",
        vec![("big.png", huge)],
    )
    .await;
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let forged = app
        .client
        .post(app.url(&format!(
            "/staff/events/{id}/paper?csrf=wrong-token-123456789"
        )))
        .header("cookie", &coordinator.0)
        .multipart(reqwest::multipart::Form::new().text("prisoner", "bohdan-ziza"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let stats: Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["total"], 4, "nothing half-stored");

    // The pages go to staff only, as downloads.
    let queue = app
        .app
        .store()
        .review_queue(
            app.app.campaign().id,
            &lysty_store::ReviewFilter {
                source: Some(lysty_domain::Source::Paper),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(queue.len(), 2);
    let letter = queue
        .iter()
        .find(|l| l.prisoner_slug.as_str() == "halyna-dovhopola")
        .unwrap();
    let moderator = staff_session(&app, "m@pen.example", &[Role::Moderator]).await;
    let page = app
        .client
        .get(app.url(&format!("/staff/letters/{}/pages/1", letter.id)))
        .header("cookie", &moderator.0)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["content-type"], "image/png");
    assert!(
        page.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        page.headers()["content-security-policy"],
        "sandbox; default-src 'none'"
    );
    // Stored as its pixels encoded again (crates/lysty-app/src/scans.rs): still a PNG.
    assert!(page.bytes().await.unwrap().starts_with(&PNG[..8]));
    let anonymous = app
        .get(&format!("/staff/letters/{}/pages/1", letter.id))
        .await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let viewer = staff_session(&app, "v@pen.example", &[Role::Viewer]).await;
    let refused = app
        .client
        .get(app.url(&format!("/staff/letters/{}/pages/1", letter.id)))
        .header("cookie", &viewer.0)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // The scans are the event's organisation's: a moderator of another organisation
    // cannot fetch them; an admin can.
    let other = staff_session_in(&app, "zmina", "m@zmina.example", &[Role::Moderator]).await;
    let elsewhere = app
        .client
        .get(app.url(&format!("/staff/letters/{}/pages/1", letter.id)))
        .header("cookie", &other.0)
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    let admin = staff_session(&app, "a@pen.example", &[Role::Admin]).await;
    let by_admin = app
        .client
        .get(app.url(&format!("/staff/letters/{}/pages/1", letter.id)))
        .header("cookie", &admin.0)
        .send()
        .await
        .unwrap();
    assert_eq!(by_admin.status(), StatusCode::OK);

    // Review: it cannot be approved before it is transcribed.
    let open = app
        .client
        .get(app.url(&format!("/staff/letters/{}", letter.id)))
        .header("cookie", &moderator.0)
        .send()
        .await
        .unwrap();
    let open = open.text().await.unwrap();
    assert!(
        open.contains(&format!("/staff/letters/{}/pages/2", letter.id)),
        "both pages are listed"
    );
    let approve = |session: &(String, String)| {
        app.client
            .post(app.url(&format!("/staff/letters/{}/approve", letter.id)))
            .header("cookie", &session.0)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={}", session.1))
            .send()
    };
    let early = approve(&moderator).await.unwrap();
    assert_eq!(early.status(), StatusCode::CONFLICT);
    let typed = app
        .client
        .post(app.url(&format!("/staff/letters/{}/transcription", letter.id)))
        .header("cookie", &moderator.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&[
            ("csrf", &moderator.1),
            ("text", "Здравствуйте! Пишу вам с книжного форума в Киеве, здесь много людей и хороших книг."),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), StatusCode::SEE_OTHER);
    let approved = approve(&moderator).await.unwrap();
    assert_eq!(
        approved.headers()["location"],
        "/staff/review?done=approved"
    );
}

async fn coordinators_edit_their_events_and_the_kiosk_stays(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let token = app.app.open_kiosk(&actor, id).await.unwrap();
    let session = staff_session(&app, "c3@pen.example", &[Role::Coordinator]).await;
    let saved = app
        .client
        .post(app.url(&format!("/staff/events/{id}")))
        .header("cookie", &session.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&[
            ("csrf", &session.1),
            ("kind", "meeting"),
            ("title_uk", "Зустріч у бібліотеці"),
            ("title_en", "Meeting at the library"),
            ("city", "Луцьк"),
            ("country", "Україна"),
            ("starts_at", &app.form_time(-24)),
            ("ends_at", &app.form_time(48)),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app
        .get(&format!("/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Зустріч у бібліотеці"));
    assert!(page.contains("Луцьк"));
    assert_eq!(
        app.get(&format!("/kiosk/{token}")).await.status(),
        StatusCode::OK
    );
    let refused = app
        .client
        .post(app.url(&format!("/staff/events/{id}")))
        .header("cookie", &session.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&[
            ("csrf", &session.1),
            ("kind", "party"),
            ("title_uk", "x"),
            ("city", "x"),
            ("country", "x"),
            ("starts_at", &app.form_time(-24)),
            ("ends_at", &app.form_time(-23)),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_kiosk_grace_after_an_event_is_configurable(backend: Backend) {
    let strict = common::spawn(
        backend,
        lysty_app::AppConfig {
            kiosk_grace: chrono::Duration::zero(),
            ..lysty_app::AppConfig::default()
        },
        lysty_http::HttpConfig::default(),
    )
    .await
    .unwrap();
    let (actor, _) = coordinator(&strict).await;
    let ended_an_hour_ago = event(&strict, &actor, -1).await;
    let token = strict
        .app
        .open_kiosk(&actor, ended_an_hour_ago)
        .await
        .unwrap();
    assert_eq!(
        strict.get(&format!("/kiosk/{token}")).await.status(),
        StatusCode::GONE
    );
    let lenient = app(backend).await;
    let (actor, _) = coordinator(&lenient).await;
    let ended_an_hour_ago = event(&lenient, &actor, -1).await;
    let token = lenient
        .app
        .open_kiosk(&actor, ended_an_hour_ago)
        .await
        .unwrap();
    assert_eq!(
        lenient.get(&format!("/kiosk/{token}")).await.status(),
        StatusCode::OK,
        "48 hours by default"
    );
}

/// Opening a kiosk again shows the link it has; replacing the link is a confirmed action of
/// its own, and a tablet that wrote letters before the replacement still delivers them, once.
async fn a_replaced_kiosk_link_still_delivers_what_was_written_before(backend: Backend) {
    let app = app(backend).await;
    let (actor, _) = coordinator(&app).await;
    let id = event(&app, &actor, 4).await;
    let old = app.app.open_kiosk(&actor, id).await.unwrap();
    assert_eq!(
        app.app.open_kiosk(&actor, id).await.unwrap(),
        old,
        "opening again never strands a tablet"
    );
    let session = staff_session(&app, "c4@pen.example", &[Role::Coordinator]).await;
    let staff_post = |path: String, pairs: Vec<(&'static str, String)>| {
        let mut pairs = pairs;
        pairs.push(("csrf", session.1.clone()));
        let body: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.client
            .post(app.url(&path))
            .header("cookie", &session.0)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(common::encode(&body))
            .send()
    };
    let page = |query: &'static str| {
        app.client
            .get(app.url(&format!("/staff/events/{id}{query}")))
            .header("cookie", &session.0)
            .send()
    };
    let shown = page("").await.unwrap().text().await.unwrap();
    assert!(
        shown.contains(&format!("/kiosk/{old}")),
        "the link and its QR"
    );
    assert!(
        !shown.contains("id=\"open-kiosk\""),
        "no button that makes a new one"
    );
    let opened = staff_post(format!("/staff/events/{id}/kiosk"), vec![])
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.app
            .event_for_staff(&actor, id)
            .await
            .unwrap()
            .kiosk_token,
        Some(old.clone())
    );

    // Written on a tablet, not yet sent: the network is down.
    let written_before = app.now().to_rfc3339();
    let unconfirmed = staff_post(format!("/staff/events/{id}/kiosk/replace"), vec![])
        .await
        .unwrap();
    assert_eq!(unconfirmed.status(), StatusCode::SEE_OTHER);
    let warned = page("?kiosk=unconfirmed")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(warned.contains("Посилання не замінено"), "{warned}");
    assert_eq!(
        app.app
            .event_for_staff(&actor, id)
            .await
            .unwrap()
            .kiosk_token,
        Some(old.clone())
    );

    app.clock.advance(chrono::Duration::minutes(10));
    let replaced = staff_post(
        format!("/staff/events/{id}/kiosk/replace"),
        vec![("confirm", "1".to_owned())],
    )
    .await
    .unwrap();
    assert_eq!(replaced.status(), StatusCode::SEE_OTHER);
    let new = app
        .app
        .event_for_staff(&actor, id)
        .await
        .unwrap()
        .kiosk_token
        .unwrap();
    assert_ne!(new, old);
    let audit = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            action: Some("kiosk_replaced".into()),
            object_id: Some(id.to_string()),
            limit: 10,
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);

    // The tablet comes back online: what it wrote before goes through the old link, once.
    let kept = json!({"prisoner": "remzi-bekirov", "body": "Написано до заміни.",
        "idempotency_key": "tablet-1", "written_at": written_before});
    let first = app.post_json(&format!("/kiosk/{old}/letters"), &kept).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again: Value = app
        .post_json(&format!("/kiosk/{old}/letters"), &kept)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["id"], again["id"], "a resend makes no second letter");
    // Written after the replacement, or saying nothing: refused for good.
    for late in [
        json!({"prisoner": "remzi-bekirov", "body": "Пізно.", "idempotency_key": "tablet-2",
            "written_at": app.now().to_rfc3339()}),
        json!({"prisoner": "remzi-bekirov", "body": "Без часу.", "idempotency_key": "tablet-3"}),
    ] {
        let refused = app.post_json(&format!("/kiosk/{old}/letters"), &late).await;
        assert_eq!(refused.status(), StatusCode::GONE, "{late}");
    }
    let gone = app.get(&format!("/kiosk/{old}")).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    let gone = gone.text().await.unwrap();
    assert!(gone.contains("замінили новим"), "{gone}");
    assert!(gone.contains("нове посилання чи QR-код"), "{gone}");
    assert!(
        gone.contains("kiosk-rescue"),
        "the page still sends what a tablet kept"
    );
    assert_eq!(
        app.get(&format!("/kiosk/{new}")).await.status(),
        StatusCode::OK
    );
    let count: Value = app
        .get(&format!("/kiosk/{new}/count"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(count["letters"], 1, "counted at the event once");

    // After the event's grace period, not even letters written before.
    app.clock.advance(chrono::Duration::hours(4 + 49));
    let kept_late = json!({"prisoner": "remzi-bekirov", "body": "Ще один.",
        "idempotency_key": "tablet-4", "written_at": written_before});
    let refused = app
        .post_json(&format!("/kiosk/{old}/letters"), &kept_late)
        .await;
    assert_eq!(refused.status(), StatusCode::GONE);
}

/// Staff type and read times in the campaign's time zone (Kyiv, two or three hours ahead of
/// UTC), and an event that has started and not ended is listed as happening now.
async fn times_are_typed_and_read_in_the_campaigns_time_zone(backend: Backend) {
    let app = app(backend).await;
    let session = staff_session(&app, "tz@pen.example", &[Role::Coordinator]).await;
    let (starts, ends) = (app.form_time(-1), app.form_time(3));
    let created = app
        .client
        .post(app.url("/staff/events"))
        .header("cookie", &session.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&[
            ("csrf", &session.1),
            ("kind", "meeting"),
            ("title_uk", "Зустріч у Чернівцях"),
            ("city", "Чернівці"),
            ("country", "Україна"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let id = EventId(location.rsplit('/').next().unwrap().parse().unwrap());
    let event = app.app.store().event_by_id(id).await.unwrap().unwrap();
    let an_hour_ago = app.now() - chrono::Duration::hours(1);
    assert!(
        (event.starts_at - an_hour_ago).num_minutes().abs() < 1,
        "the typed wall-clock time is Kyiv's: {} vs {}",
        event.starts_at,
        an_hour_ago
    );
    let page = app
        .client
        .get(app.url(&location))
        .header("cookie", &session.0)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("value=\"{starts}\"")),
        "shown as typed: {page}"
    );
    assert!(page.contains("Europe/Kyiv"));
    let public = app.get("/events").await.text().await.unwrap();
    let now = public.find("id=\"events-now\"").expect("a section for now");
    let title = public.find("Зустріч у Чернівцях").unwrap();
    let upcoming = public.find("Незабаром").unwrap_or(usize::MAX);
    assert!(
        now < title && title < upcoming,
        "happening now, not upcoming"
    );
}

mod paper {
    use super::*;
    on_both_databases!(
        times_are_typed_and_read_in_the_campaigns_time_zone,
        paper_letters_replace_tallied_ones_and_stay_with_staff,
        coordinators_edit_their_events_and_the_kiosk_stays,
        the_kiosk_grace_after_an_event_is_configurable,
        a_replaced_kiosk_link_still_delivers_what_was_written_before,
    );
}

/// The cases that depend on the date (kiosks close after their event, the form's dates), run
/// with the app's clock a year later: a case that wrote a date of its own instead of asking
/// the clock fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_date_dependent_cases_pass_a_year_ahead() {
    let usual = common::test_start();
    common::years_ahead(1, async move {
        let app = app(Backend::Sqlite).await;
        assert!(
            app.now() - usual >= chrono::Duration::days(365),
            "the clock moved on"
        );
        a_kiosk_takes_letters_for_its_event_until_it_is_closed(Backend::Sqlite).await;
        coordinators_edit_their_events_and_the_kiosk_stays(Backend::Sqlite).await;
        the_kiosk_grace_after_an_event_is_configurable(Backend::Sqlite).await;
        a_replaced_kiosk_link_still_delivers_what_was_written_before(Backend::Sqlite).await;
        times_are_typed_and_read_in_the_campaigns_time_zone(Backend::Sqlite).await;
    })
    .await;
}
