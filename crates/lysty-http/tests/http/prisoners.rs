//! The registry's prisoners on the staff's pages: a coordinator adds one, fixes a refused
//! field without retyping the rest, edits the page (gender, Crimean Tatar texts,
//! publication), and every change is an audit line; the public pages show the result.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;
use crate::events::staff_session;

use common::{Backend, TestApp};
use lysty_domain::Role;
use reqwest::StatusCode;

async fn post(
    app: &TestApp,
    session: &(String, String),
    path: &str,
    pairs: &[(&str, &str)],
) -> reqwest::Response {
    let mut pairs = pairs.to_vec();
    pairs.push(("csrf", &session.1));
    app.client
        .post(app.url(path))
        .header("cookie", &session.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&pairs))
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, session: &(String, String), path: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(app.url(path))
        .header("cookie", &session.0)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn audit(app: &TestApp, action: &str) -> Vec<lysty_store::AuditEntry> {
    app.app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            action: Some(action.into()),
            limit: 10,
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap()
}

async fn a_coordinator_adds_and_edits_a_prisoner_and_every_change_is_audited(backend: Backend) {
    let http = lysty_http::HttpConfig {
        secure_cookies: false,
        ..lysty_http::HttpConfig::default()
    };
    let app = common::spawn(backend, lysty_app::AppConfig::default(), http)
        .await
        .unwrap();
    let coordinator = staff_session(&app, "c@pen.example", &[Role::Coordinator]).await;
    let (status, list) = page(&app, &coordinator, "/staff/prisoners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Ремзі Бекіров"), "the demo registry");

    // A refused field: the page comes back with everything typed and the field named.
    let typed = [
        ("slug", "Server Mustafayev"),
        ("name_uk", "Сервер Мустафаєв"),
        ("name_en", "Server Mustafayev"),
        ("name_crh", "Server Mustafayev"),
        ("status", "convicted"),
        ("gender", "male"),
        ("birth_year", "86"),
        ("story_uk", "Громадський журналіст і правозахисник."),
        ("story_crh", "Vatandaş gazeteci ve insan aqları qoruyıcısı."),
    ];
    let refused = post(&app, &coordinator, "/staff/prisoners", &typed).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("Громадський журналіст і правозахисник."),
        "kept"
    );
    assert!(
        refused.contains("Адреса: малі латинські літери"),
        "{refused}"
    );
    assert!(refused.contains("Рік із чотирьох цифр"), "{refused}");
    assert!(
        !refused.contains("is not a year"),
        "no English on a Ukrainian page"
    );

    let mut fixed = typed.to_vec();
    fixed[0] = ("slug", "server-mustafayev");
    fixed[6] = ("birth_year", "1986");
    let created = post(&app, &coordinator, "/staff/prisoners", &fixed).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        created.headers()["location"],
        "/staff/prisoners/server-mustafayev/edit?saved"
    );
    assert_eq!(
        app.get("/prisoners/server-mustafayev").await.status(),
        StatusCode::NOT_FOUND,
        "not published until someone says so"
    );
    let taken = post(&app, &coordinator, "/staff/prisoners", &fixed).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    assert!(taken.text().await.unwrap().contains("вже належить"));
    assert_eq!(audit(&app, "prisoner_added").await.len(), 1);

    // Edited: published, and what the public pages show follows.
    let (_, form) = page(
        &app,
        &coordinator,
        "/staff/prisoners/server-mustafayev/edit",
    )
    .await;
    assert!(form.contains("Vatandaş gazeteci"), "the form is filled");
    let mut edited = fixed.clone();
    edited.push(("published", "1"));
    edited.push(("guidance_uk", "Не згадуйте справу."));
    let saved = post(
        &app,
        &coordinator,
        "/staff/prisoners/server-mustafayev/edit",
        &edited,
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let public = app
        .get("/prisoners/server-mustafayev")
        .await
        .text()
        .await
        .unwrap();
    assert!(public.contains("Засуджений"), "{public}");
    assert!(!public.contains("Засуджений(-а)"));
    let crh = app
        .get("/prisoners/server-mustafayev?lang=crh")
        .await
        .text()
        .await
        .unwrap();
    assert!(crh.contains("Vatandaş gazeteci ve insan aqları qoruyıcısı."));
    let lines = audit(&app, "prisoner_edited").await;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].detail, "guidance_uk,published");
    assert_eq!(lines[0].object_id.as_deref(), Some("server-mustafayev"));
    // Saving the page unchanged writes nothing.
    post(
        &app,
        &coordinator,
        "/staff/prisoners/server-mustafayev/edit",
        &edited,
    )
    .await;
    assert_eq!(audit(&app, "prisoner_edited").await.len(), 1);
    // The other prisoners' names flag letters at once.
    let check = app
        .post_json(
            "/api/v1/letters/check",
            &serde_json::json!({"prisoner": "remzi-bekirov", "body": "Передавай привіт Серверу Мустафаєву!"}),
        )
        .await;
    let check: serde_json::Value = check.json().await.unwrap();
    assert!(
        check.to_string().contains("other_prisoner"),
        "the new name is known: {check}"
    );

    // A moderator keeps no registry.
    let moderator = staff_session(&app, "m@pen.example", &[Role::Moderator]).await;
    let (status, _) = page(&app, &moderator, "/staff/prisoners/server-mustafayev/edit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

on_both_databases!(a_coordinator_adds_and_edits_a_prisoner_and_every_change_is_audited);
