//! The annual report in the staff pages: a year imported from CSV files shown on the page
//! and downloaded as PDF, Markdown, HTML and JSON; a wrong year kept with its message;
//! who may read it — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp};
use lysty_domain::Role;
use reqwest::StatusCode;

async fn app(backend: Backend) -> TestApp {
    common::staff_app(backend, lysty_app::AppConfig::default()).await
}

/// A browser session for a new member of the demo's PEN Ukraine.
async fn session(app: &TestApp, email: &str, role: Role) -> String {
    let id = app.staff("pen-ukraine", email, &[role]).await;
    common::full_session(app, id).await.0
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// A year of history: a two-stop tour (Ivano-Frankivsk leads), tallies, letters from two
/// countries, one delivered.
async fn history(app: &TestApp) {
    let quiet = |_: u64, _: u64| {};
    let prisoner = app
        .app
        .store()
        .list_prisoners(app.app.campaign().id, None, 1)
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo has prisoners")
        .slug;
    let events = "slug,kind,title_uk,title_en,city,country,starts_at,series\n\
        tour-kyiv,press_tour,Прес-тур: Київ,Press tour: Kyiv,Київ,Україна,2024-05-10,Прес-тур 2024\n\
        tour-if,press_tour,Прес-тур: Франківськ,Press tour: Ivano-Frankivsk,Івано-Франківськ,Україна,2024-05-12,Прес-тур 2024\n";
    app.app
        .import_events(events.as_bytes(), &quiet)
        .await
        .unwrap();
    let tallies = format!("event,prisoner,count\ntour-if,{prisoner},10\n");
    app.app
        .import_tallies(tallies.as_bytes(), &quiet)
        .await
        .unwrap();
    let letters = format!(
        "received_at,prisoner,source,event,city,country,state,sent_at,outcome_at\n\
         2024-05-10,{prisoner},kiosk,tour-kyiv,Київ,Україна,delivered,2024-05-17,2024-06-01\n\
         2024-05-12,{prisoner},kiosk,tour-if,Івано-Франківськ,Україна,sent,2024-05-19,\n\
         2024-11-01,{prisoner},online,,Warszawa,Polska,sent,2024-11-08,\n"
    );
    app.app
        .import_letters(letters.as_bytes(), &quiet)
        .await
        .unwrap();
}

async fn a_viewer_reads_the_years_report_and_downloads_it_in_every_format(backend: Backend) {
    let app = app(backend).await;
    history(&app).await;
    let viewer = session(&app, "viewer@report.example", Role::Viewer).await;

    let page = get(&app, &viewer, "/staff/report?year=2024&lang=en").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1 id=\"page-title\">Annual report 2024</h1>"));
    assert!(
        html.contains("13 letters collected."),
        "3 letters and 10 tallied"
    );
    assert!(html.contains("<th scope=\"row\">Прес-тур 2024</th>"));
    assert!(html.contains("Івано-Франківськ"));
    assert!(html.contains("From writing to sending took 7 days (median)."));
    assert!(html.contains("href=\"/staff/report/download?year=2024&amp;format=pdf\""));

    let pdf = get(&app, &viewer, "/staff/report/download?year=2024&format=pdf").await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("lysty-report-2024.pdf")
    );
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));

    let md = get(
        &app,
        &viewer,
        "/staff/report/download?year=2024&format=md&lang=en",
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(md.starts_with("# Annual report 2024\n"), "{md}");
    assert!(
        md.contains("| Прес-тур 2024 | 2 | 12 | Івано-Франківськ |"),
        "{md}"
    );
    assert!(md.contains("| Polska | 1 |"), "{md}");

    let json: serde_json::Value = get(
        &app,
        &viewer,
        "/staff/report/download?year=2024&format=json",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(json["letters"]["total"], 13);
    assert_eq!(json["outcomes"]["delivered"], 1);
    assert_eq!(json["series"][0]["leading_city"], "Івано-Франківськ");

    let standalone = get(
        &app,
        &viewer,
        "/staff/report/download?year=2024&format=html&lang=uk",
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(standalone.starts_with("<!doctype html>"));
    assert!(standalone.contains("<html lang=\"uk\">"));
    assert!(standalone.contains("<h1>Річний звіт за 2024 рік</h1>"));
    assert!(
        standalone.contains("<style>"),
        "it stands alone: styles inline"
    );
}

async fn a_wrong_year_is_kept_with_its_message_and_others_are_refused(backend: Backend) {
    let app = app(backend).await;
    let coordinator = session(&app, "coordinator@report.example", Role::Coordinator).await;
    let page = get(&app, &coordinator, "/staff/report?year=20x4&lang=en").await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.text().await.unwrap();
    assert!(html.contains("value=\"20x4\""), "what was typed is kept");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("The year must be a number from 2000 to"));
    let future = get(&app, &coordinator, "/staff/report?year=2999").await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let docx = get(
        &app,
        &coordinator,
        "/staff/report/download?year=2024&format=docx",
    )
    .await;
    assert_eq!(docx.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let moderator = session(&app, "moderator@report.example", Role::Moderator).await;
    let refused = get(&app, &moderator, "/staff/report?year=2024").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = get(
        &app,
        &moderator,
        "/staff/report/download?year=2024&format=json",
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let anonymous = app
        .client
        .get(app.url("/staff/report/download?year=2024&format=json"))
        .send()
        .await
        .unwrap();
    assert_ne!(anonymous.status(), StatusCode::OK);
}

on_both_databases!(
    a_viewer_reads_the_years_report_and_downloads_it_in_every_format,
    a_wrong_year_is_kept_with_its_message_and_others_are_refused
);
