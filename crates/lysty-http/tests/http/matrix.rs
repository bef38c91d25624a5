//! The authorization matrix: every route of the router × anonymous × every role × a
//! coordinator of another organisation. A route added without an entry here fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::collections::HashMap;

use common::{Backend, TestApp, spawn};
use lysty_app::AppConfig;
use lysty_domain::{Role, Roles};
use lysty_http::HttpConfig;
use lysty_store::{OrganisationId, StaffId};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone; only checks that nothing breaks (no 5xx, no CSRF refusal).
    Open,
    /// Any signed-in member of staff.
    Staff,
    /// Members with one of these roles (admins always).
    Roles(&'static [Role]),
    /// Admins and coordinators of the target's organisation.
    OwnOrganisation,
}

fn expectations() -> HashMap<(Method, &'static str), Access> {
    use Access::*;
    use Role::*;
    const REVIEWERS: &[Role] = &[Moderator, Translator];
    const REGISTRARS: &[Role] = &[Coordinator, Dispatcher];
    let get = Method::GET;
    let post = Method::POST;
    let put = Method::PUT;
    const CASE_KEEPERS: &[Role] = &[Coordinator, Moderator];
    const PRISONER_KEEPERS: &[Role] = &[Coordinator];
    HashMap::from([
        ((post.clone(), "/api/v1/letters/check"), Open),
        ((get.clone(), "/metrics"), Open),
        (
            (get.clone(), "/api/v1/prisoners/{slug}/case-terms"),
            Roles(CASE_KEEPERS),
        ),
        (
            (put.clone(), "/api/v1/prisoners/{slug}/case-terms"),
            Roles(CASE_KEEPERS),
        ),
        (
            (get.clone(), "/staff/prisoners/{slug}/case"),
            Roles(CASE_KEEPERS),
        ),
        ((get.clone(), "/staff/prisoners"), Roles(PRISONER_KEEPERS)),
        ((post.clone(), "/staff/prisoners"), Roles(PRISONER_KEEPERS)),
        (
            (get.clone(), "/staff/prisoners/new"),
            Roles(PRISONER_KEEPERS),
        ),
        (
            (get.clone(), "/staff/prisoners/{slug}/edit"),
            Roles(PRISONER_KEEPERS),
        ),
        (
            (post.clone(), "/staff/prisoners/{slug}/edit"),
            Roles(PRISONER_KEEPERS),
        ),
        (
            (post.clone(), "/staff/prisoners/{slug}/case"),
            Roles(CASE_KEEPERS),
        ),
        ((get.clone(), "/"), Open),
        ((get.clone(), "/prisoners"), Open),
        ((get.clone(), "/about"), Open),
        ((get.clone(), "/privacy"), Open),
        ((get.clone(), "/prisoners/{slug}"), Open),
        ((post.clone(), "/prisoners/{slug}/letters"), Open),
        ((get.clone(), "/letters"), Open),
        ((get.clone(), "/letters/{code}"), Open),
        ((get.clone(), "/events"), Open),
        ((get.clone(), "/events/{id}"), Open),
        ((get.clone(), "/stats"), Open),
        ((get.clone(), "/events/series/{series}"), Open),
        ((get.clone(), "/kiosk/sw.js"), Open),
        ((get.clone(), "/kiosk/{token}"), Open),
        ((get.clone(), "/kiosk/{token}/count"), Open),
        ((post.clone(), "/kiosk/{token}/letters"), Open),
        ((get.clone(), "/staff/events"), Roles(&[Coordinator])),
        ((post.clone(), "/staff/events"), Roles(&[Coordinator])),
        ((get.clone(), "/staff/events/{id}"), OwnOrganisation),
        ((post.clone(), "/staff/events/{id}"), OwnOrganisation),
        ((post.clone(), "/staff/events/{id}/kiosk"), OwnOrganisation),
        (
            (post.clone(), "/staff/events/{id}/kiosk/replace"),
            OwnOrganisation,
        ),
        (
            (post.clone(), "/staff/events/{id}/kiosk/revoke"),
            OwnOrganisation,
        ),
        ((post.clone(), "/staff/events/{id}/tally"), OwnOrganisation),
        ((post.clone(), "/staff/events/{id}/paper"), OwnOrganisation),
        (
            (get.clone(), "/staff/letters/{id}/pages/{page}"),
            Roles(&[Moderator, Translator, Coordinator]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/transcription"),
            Roles(REVIEWERS),
        ),
        ((get.clone(), "/api/v1/events"), Open),
        ((post.clone(), "/api/v1/events"), Roles(&[Coordinator])),
        ((post.clone(), "/api/v1/events/{id}/tally"), OwnOrganisation),
        ((get.clone(), "/healthz"), Open),
        ((get.clone(), "/readyz"), Open),
        ((get.clone(), "/static/{file}"), Open),
        ((get.clone(), "/staff"), Open),
        ((post.clone(), "/staff/login"), Open),
        ((get.clone(), "/staff/second-factor"), Open),
        ((post.clone(), "/staff/second-factor"), Open),
        ((get.clone(), "/staff/enrol"), Open),
        ((post.clone(), "/staff/enrol"), Open),
        ((post.clone(), "/staff/logout"), Open),
        ((post.clone(), "/staff/logout-everywhere"), Staff),
        ((get.clone(), "/staff/account"), Staff),
        ((post.clone(), "/staff/account/password"), Staff),
        ((get.clone(), "/staff/review"), Roles(REVIEWERS)),
        ((get.clone(), "/staff/translation"), Roles(REVIEWERS)),
        ((get.clone(), "/staff/letters/{id}"), Roles(REVIEWERS)),
        (
            (post.clone(), "/staff/letters/{id}/approve"),
            Roles(&[Moderator]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/reject"),
            Roles(&[Moderator]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/redact"),
            Roles(&[Moderator]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/translation"),
            Roles(&[Translator]),
        ),
        ((get.clone(), "/staff/people"), Roles(&[Coordinator])),
        ((post.clone(), "/staff/people"), OwnOrganisation),
        ((post.clone(), "/staff/people/{id}/roles"), OwnOrganisation),
        (
            (post.clone(), "/staff/people/{id}/disable"),
            OwnOrganisation,
        ),
        ((post.clone(), "/staff/people/{id}/enable"), OwnOrganisation),
        (
            (post.clone(), "/staff/people/{id}/password-reset"),
            Roles(&[Admin]),
        ),
        ((get.clone(), "/staff/organisations"), Roles(&[Admin])),
        ((post.clone(), "/staff/organisations"), Roles(&[Admin])),
        ((get.clone(), "/staff/tokens"), Staff),
        ((post.clone(), "/staff/tokens"), Staff),
        ((post.clone(), "/staff/tokens/{id}/revoke"), Staff),
        ((get.clone(), "/staff/lexicon"), Roles(&[Admin])),
        ((post.clone(), "/staff/lexicon"), Roles(&[Admin])),
        (
            (post.clone(), "/staff/lexicon/{id}/remove"),
            Roles(&[Admin]),
        ),
        ((get.clone(), "/staff/audit"), Roles(&[Admin])),
        ((get.clone(), "/staff/export"), Roles(&[Coordinator])),
        ((post.clone(), "/staff/export"), Roles(&[Coordinator])),
        (
            (get.clone(), "/staff/report"),
            Roles(&[Admin, Coordinator, Viewer]),
        ),
        (
            (get.clone(), "/staff/report/download"),
            Roles(&[Admin, Coordinator, Viewer]),
        ),
        // delivery pages (pages/dispatch.rs)
        ((get.clone(), "/staff/delivery"), Roles(&[Dispatcher])),
        ((post.clone(), "/staff/batches"), Roles(&[Dispatcher])),
        ((post.clone(), "/staff/outcomes"), Roles(&[Dispatcher])),
        ((get.clone(), "/staff/batches/{id}"), Roles(&[Dispatcher])),
        (
            (get.clone(), "/staff/batches/{id}/pdf"),
            Roles(&[Dispatcher]),
        ),
        (
            (get.clone(), "/staff/batches/{id}/electronic"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/staff/batches/{id}/sent"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/outcome"),
            Roles(&[Dispatcher]),
        ),
        ((get.clone(), "/staff/evidence/{id}"), Roles(&[Dispatcher])),
        ((get.clone(), "/staff/held"), Roles(&[Dispatcher])),
        (
            (post.clone(), "/staff/letters/{id}/reroute"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/staff/letters/{id}/bank"),
            Roles(&[Dispatcher]),
        ),
        ((get.clone(), "/staff/bank"), Roles(&[Dispatcher])),
        (
            (get.clone(), "/staff/bank/{slug}/pdf"),
            Roles(&[Dispatcher]),
        ),
        ((get.clone(), "/staff/facilities"), Roles(REGISTRARS)),
        ((post.clone(), "/staff/facilities"), Roles(REGISTRARS)),
        ((get.clone(), "/staff/facilities/{slug}"), Roles(REGISTRARS)),
        (
            (get.clone(), "/staff/prisoners/{slug}/placements"),
            Roles(REGISTRARS),
        ),
        (
            (post.clone(), "/staff/prisoners/{slug}/placements"),
            Roles(REGISTRARS),
        ),
        (
            (post.clone(), "/staff/prisoners/{slug}/status"),
            Roles(REGISTRARS),
        ),
        ((get.clone(), "/staff/replies"), Roles(&[Dispatcher])),
        ((post.clone(), "/staff/replies"), Roles(&[Dispatcher])),
        (
            (get.clone(), "/staff/replies/{id}/scan"),
            Roles(&[Dispatcher]),
        ),
        ((get.clone(), "/api/v1/prisoners"), Open),
        ((get.clone(), "/api/v1/prisoners/{slug}"), Open),
        ((post.clone(), "/api/v1/letters"), Open),
        ((get.clone(), "/api/v1/proof-of-work"), Open),
        ((get.clone(), "/api/v1/letters/track/{code}"), Open),
        ((get.clone(), "/api/v1/stats"), Open),
        ((get.clone(), "/api/v1/openapi.json"), Open),
        ((get.clone(), "/api/v1/review/queue"), Roles(REVIEWERS)),
        (
            (post.clone(), "/api/v1/letters/{id}/claim"),
            Roles(REVIEWERS),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/approve"),
            Roles(&[Moderator]),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/reject"),
            Roles(&[Moderator]),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/translation"),
            Roles(&[Translator]),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/redact"),
            Roles(&[Moderator]),
        ),
        // delivery in the API
        (
            (get.clone(), "/api/v1/facilities"),
            Roles(&[Coordinator, Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/facilities"),
            Roles(&[Coordinator, Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/prisoners/{slug}/placements"),
            Roles(&[Coordinator, Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/prisoners/{slug}/status"),
            Roles(&[Coordinator, Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/prisoners/{slug}/replies"),
            Roles(&[Dispatcher]),
        ),
        ((post.clone(), "/api/v1/batches"), Roles(&[Dispatcher])),
        ((get.clone(), "/api/v1/batches/{id}"), Roles(&[Dispatcher])),
        (
            (get.clone(), "/api/v1/batches/{id}/pdf"),
            Roles(&[Dispatcher]),
        ),
        (
            (get.clone(), "/api/v1/batches/{id}/electronic"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/batches/{id}/sent"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/outcome"),
            Roles(&[Dispatcher]),
        ),
        ((post.clone(), "/api/v1/outcomes"), Roles(&[Dispatcher])),
        ((get.clone(), "/api/v1/held"), Roles(&[Dispatcher])),
        (
            (post.clone(), "/api/v1/letters/{id}/reroute"),
            Roles(&[Dispatcher]),
        ),
        (
            (post.clone(), "/api/v1/letters/{id}/bank"),
            Roles(&[Dispatcher]),
        ),
        ((get.clone(), "/api/v1/bank"), Roles(&[Dispatcher])),
        (
            (get.clone(), "/api/v1/bank/{slug}/pdf"),
            Roles(&[Dispatcher]),
        ),
    ])
}

struct Principal {
    name: &'static str,
    staff: Option<(StaffId, Roles, OrganisationId)>,
}

struct Fixture {
    event: String,
    /// An event's start and end as the staff form takes them, around the app's now.
    starts_at: String,
    ends_at: String,
    letter: String,
    target: StaffId,
    org_a: OrganisationId,
}

async fn session(app: &TestApp, staff: StaffId) -> (String, String) {
    common::full_session(app, staff).await
}

fn concrete(path: &str, f: &Fixture) -> String {
    // The delivery pages act on prisoners and facilities other than the fixture letter's.
    path.replace("/staff/prisoners/{slug}", "/staff/prisoners/bohdan-ziza")
        .replace("/staff/facilities/{slug}", "/staff/facilities/ik-21-iksa")
        .replace("/staff/events/{id}", &format!("/staff/events/{}", f.event))
        .replace(
            "/api/v1/events/{id}",
            &format!("/api/v1/events/{}", f.event),
        )
        .replace("{series}", "demo-press-tour-2024")
        .replace("{page}", "1")
        .replace("{token}", "no-such-kiosk-token-000000000")
        .replace("{slug}", "remzi-bekirov")
        .replace("{code}", "AAAA-AAAA-AAAA-AAAA")
        .replace("{file}", "missing.css")
        .replace("/events/{id}", &format!("/events/{}", uuid::Uuid::now_v7()))
        .replace("/letters/{id}", &format!("/letters/{}", f.letter))
        .replace("/people/{id}", &format!("/people/{}", f.target))
        .replace("{id}", &uuid::Uuid::now_v7().to_string())
}

fn form_body(path: &str, csrf: &str, f: &Fixture) -> String {
    let unique = uuid::Uuid::now_v7().simple().to_string();
    let email = format!("new-{unique}@pen.example");
    let org = f.org_a.to_string();
    let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf)];
    if path.ends_with("/people") {
        pairs.extend([
            ("email", email.as_str()),
            ("name", "New person"),
            ("organisation", org.as_str()),
            ("role", "viewer"),
        ]);
    } else if path.ends_with("/roles") {
        pairs.extend([("role", "viewer"), ("role", "dispatcher")]);
    } else if path.ends_with("/lexicon") {
        pairs.extend([
            ("term", "санкции"),
            ("language", "ru"),
            ("category", "political"),
        ]);
    } else if path.ends_with("/organisations") {
        pairs.extend([("slug", "new-org"), ("name_uk", "Нова"), ("name_en", "New")]);
    } else if path.ends_with("/tokens") {
        pairs.push(("name", "matrix"));
    } else if path.ends_with("/staff/export") {
        pairs.extend([("what", "letters"), ("format", "csv")]);
    } else if path.ends_with("/reject") {
        pairs.extend([("reason", "other"), ("note", "n")]);
    } else if path.ends_with("/tally") {
        pairs.push(("count", "3"));
    } else if path.ends_with("/staff/events") || path.ends_with("/staff/events/{id}") {
        pairs.extend([
            ("kind", "meeting"),
            ("title_uk", "Зустріч"),
            ("city", "Київ"),
            ("country", "Україна"),
            ("starts_at", f.starts_at.as_str()),
            ("ends_at", f.ends_at.as_str()),
        ]);
    } else if path.ends_with("/translation") {
        pairs.push(("russian", "Добрый день!"));
    } else if path.ends_with("/staff/facilities") {
        pairs.extend([
            ("name_ru", "ФКУ ИК-1"),
            ("name_en", "Colony No. 1"),
            ("channels", "post"),
        ]);
    } else if path.ends_with("/staff/prisoners/{slug}/placements") {
        pairs.extend([("facility", "ik-21-iksa"), ("since", "2024-01-10")]);
    } else if path.ends_with("/staff/prisoners") || path.ends_with("/staff/prisoners/{slug}/edit") {
        pairs.extend([
            ("slug", "matrix-person"),
            ("name_uk", "Матриця Тестова"),
            ("name_en", "Matrix Test"),
            ("status", "convicted"),
            ("gender", "female"),
            ("published", "1"),
        ]);
    } else if path.ends_with("/staff/prisoners/{slug}/case") {
        pairs.push(("terms", "ст. 205.5"));
    } else if path.ends_with("/staff/prisoners/{slug}/status") {
        pairs.push(("status", "convicted"));
    } else if path.ends_with("/staff/batches") {
        pairs.extend([("facility", "ik-21-iksa"), ("channel", "post")]);
    } else if path.ends_with("/letters") {
        pairs.push(("body", "Привіт"));
    }
    common::encode(&pairs)
}

fn denied(status: StatusCode, location: &str) -> bool {
    status == StatusCode::UNAUTHORIZED
        || status == StatusCode::FORBIDDEN
        || (status == StatusCode::SEE_OTHER
            && (location == "/staff" || location == "/staff/second-factor"))
}

async fn every_route_answers_each_role_as_the_matrix_says(backend: Backend) {
    let http = HttpConfig {
        secure_cookies: false,
        ..HttpConfig::default()
    };
    let app = spawn(backend, AppConfig::default(), http).await.unwrap();
    let org_a = app
        .app
        .create_organisation(
            None,
            &lysty_store::NewOrganisation {
                slug: "org-a".into(),
                name_uk: "А".into(),
                name_en: "A".into(),
            },
        )
        .await
        .unwrap();
    let org_b = app
        .app
        .create_organisation(
            None,
            &lysty_store::NewOrganisation {
                slug: "org-b".into(),
                name_uk: "Б".into(),
                name_en: "B".into(),
            },
        )
        .await
        .unwrap();
    let mut principals = vec![Principal {
        name: "anonymous",
        staff: None,
    }];
    let people: [(&'static str, &[Role], OrganisationId); 7] = [
        ("viewer", &[Role::Viewer], org_a),
        ("moderator", &[Role::Moderator], org_a),
        ("translator", &[Role::Translator], org_a),
        ("dispatcher", &[Role::Dispatcher], org_a),
        ("coordinator", &[Role::Coordinator], org_a),
        (
            "coordinator of another organisation",
            &[Role::Coordinator],
            org_b,
        ),
        ("admin", &[Role::Admin], org_a),
    ];
    for (name, roles, org) in people {
        let roles = Roles::of(roles);
        let (id, _) = app
            .app
            .create_staff(
                None,
                org,
                &format!("{}@example.org", name.replace(' ', "-")),
                name,
                roles,
                Some("correct horse battery staple 42"),
            )
            .await
            .unwrap();
        principals.push(Principal {
            name,
            staff: Some((id, roles, org)),
        });
    }
    let (target, _) = app
        .app
        .create_staff(
            None,
            org_a,
            "target@example.org",
            "Target",
            Roles::of(&[Role::Viewer]),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
    let letter: serde_json::Value = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Привіт! Як ви?"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let event = app
        .app
        .store()
        .upsert_event(
            &lysty_store::NewEvent {
                campaign: app.app.campaign().id,
                organisation: Some(org_a),
                slug: "matrix-event".into(),
                kind: "meeting".into(),
                title: lysty_store::Localised {
                    uk: "Зустріч".into(),
                    en: "Meeting".into(),
                    crh: String::new(),
                },
                city: "Київ".into(),
                country: "Україна".into(),
                venue: None,
                starts_at: app.now(),
                ends_at: app.now() + chrono::Duration::hours(2),
                series: None,
                demo: false,
            },
            None,
        )
        .await
        .unwrap();
    let fixture = Fixture {
        event: event.to_string(),
        starts_at: app.form_time(0),
        ends_at: app.form_time(2),
        letter: letter["id"].as_str().unwrap().to_owned(),
        target,
        org_a,
    };

    let expected = expectations();
    let routes = lysty_http::route_table();
    for (method, path) in &routes {
        assert!(
            expected.contains_key(&(method.clone(), *path)),
            "{method} {path} has no entry in the authorization matrix"
        );
    }
    assert_eq!(
        routes.len(),
        expected.len(),
        "the matrix lists routes that do not exist"
    );

    let mut failures = Vec::new();
    for (method, path) in &routes {
        let access = expected[&(method.clone(), *path)];
        for principal in &principals {
            let url = app.url(&concrete(path, &fixture));
            let mut request = app.client.request(method.clone(), &url);
            let mut csrf = String::new();
            if let Some((id, _, _)) = principal.staff {
                let (cookie, token) = session(&app, id).await;
                request = request.header("cookie", cookie);
                csrf = token;
            }
            if *method == Method::POST || *method == Method::PUT {
                if path.starts_with("/api/") {
                    request = request
                        .header("x-csrf-token", &csrf)
                        .header("content-type", "application/json");
                    if path.ends_with("/api/v1/facilities") {
                        request = request.body(json!({"name_ru": "ИК-1"}).to_string());
                    } else if path.ends_with("/case-terms") {
                        request = request.body(json!({"terms": ["ст. 205.5"]}).to_string());
                    } else if path.ends_with("/letters/check") {
                        request = request
                            .body(json!({"prisoner": "remzi-bekirov", "body": "x"}).to_string());
                    } else if path.ends_with("/placements") {
                        request = request.body(json!({"facility": "none"}).to_string());
                    } else if path.ends_with("/status") {
                        request = request.body(json!({"status": "convicted"}).to_string());
                    } else if path.ends_with("/replies") {
                        request = request.body(json!({"transcription": "Спасибо"}).to_string());
                    } else if path.ends_with("/api/v1/batches") {
                        request = request
                            .body(json!({"facility": "none", "channel": "post"}).to_string());
                    } else if path.ends_with("/outcome") {
                        request = request.body(json!({"outcome": "delivered"}).to_string());
                    } else if path.ends_with("/reject") {
                        request = request.body(json!({"reason": "other"}).to_string());
                    } else if path.ends_with("/translation") {
                        request = request.body(json!({"text": "Добрый день"}).to_string());
                    } else if path.ends_with("/redact") {
                        request = request.body(json!({"passages": ["Привіт!"]}).to_string());
                    } else if path.ends_with("/letters") {
                        request = request
                            .body(json!({"prisoner": "remzi-bekirov", "body": "x"}).to_string());
                    } else if path.ends_with("/tally") {
                        request = request.body(json!({"count": 2}).to_string());
                    } else if path.ends_with("/api/v1/events") {
                        request = request.body(
                            json!({"kind": "meeting", "title_uk": "Зустріч", "city": "Київ", "country": "Україна", "starts_at": fixture.starts_at.clone() + ":00Z", "ends_at": fixture.ends_at.clone() + ":00Z"})
                                .to_string(),
                        );
                    } else {
                        request = request.body("{}");
                    }
                } else {
                    request = request
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(form_body(path, &csrf, &fixture));
                }
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let refused = denied(status, &location);
            let hidden = status == StatusCode::NOT_FOUND;
            let holds = |roles: &[Role]| principal.staff.is_some_and(|(_, r, _)| r.any(roles));
            let ok = match access {
                // Anonymous posts to staff pages carry no CSRF token: refused, rightly.
                Access::Open => {
                    !status.is_server_error()
                        && (status != StatusCode::FORBIDDEN
                            || (principal.staff.is_none() && path.starts_with("/staff")))
                }
                Access::Staff => {
                    if principal.staff.is_some() {
                        !refused && !status.is_server_error()
                    } else {
                        refused
                    }
                }
                Access::Roles(roles) => {
                    if holds(roles) {
                        !refused && !status.is_server_error()
                    } else {
                        refused
                    }
                }
                Access::OwnOrganisation => match principal.staff {
                    Some((_, r, org))
                        if r.has(Role::Admin) || (r.has(Role::Coordinator) && org == org_a) =>
                    {
                        !refused && !hidden && !status.is_server_error()
                    }
                    _ => refused || hidden,
                },
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: {status} {location}",
                    principal.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix violations:\n{}",
        failures.join("\n")
    );
}

on_both_databases!(every_route_answers_each_role_as_the_matrix_says);

/// The matrix edits an event and opens its kiosk: with the clock a year later it answers the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_matrix_holds_a_year_ahead() {
    common::years_ahead(
        1,
        every_route_answers_each_role_as_the_matrix_says(Backend::Sqlite),
    )
    .await;
}
