//! The export page: letters and figures as CSV or JSON, without writers' personal data
//! unless an admin asks for it, every export in the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp, full_session, header, spawn};
use lysty_app::export::{LETTER_COLUMNS, PERSONAL_COLUMNS};
use lysty_domain::{Role, Source};
use lysty_http::HttpConfig;
use lysty_store::{AuditFilter, StaffId};
use reqwest::StatusCode;

const EMAIL: &str = "oksana.pysarchuk@example.org";
const NAME: &str = "=HYPERLINK(\"http://evil.example\",\"Оксана\")";
const BODY: &str = "Тримайтеся! Ми пам'ятаємо про вас і чекаємо вдома.";
const CITY: &str = "=1+2";

struct Fixture {
    app: TestApp,
    tracking_code: String,
}

async fn fixture(backend: Backend) -> Option<Fixture> {
    let http = HttpConfig {
        secure_cookies: false,
        ..HttpConfig::default()
    };
    let app = spawn(backend, common::every_place_named(), http).await?;
    let receipt = app
        .app
        .submit_letter(
            &lysty_app::LetterInput {
                prisoner: "remzi-bekirov".into(),
                body: BODY.into(),
                language: "uk".into(),
                writer_name: NAME.into(),
                writer_city: CITY.into(),
                writer_country: "Україна".into(),
                writer_email: EMAIL.into(),
                email_consent: true,
                ..lysty_app::LetterInput::default()
            },
            Source::Online,
        )
        .await
        .unwrap();
    Some(Fixture {
        app,
        tracking_code: receipt.tracking_code.as_str().to_owned(),
    })
}

async fn person(app: &TestApp, email: &str, roles: &[Role]) -> StaffId {
    let org = app.app.store().list_organisations().await.unwrap()[0]
        .slug
        .clone();
    app.staff(&org, email, roles).await
}

/// Signed in as `staff`: GET and POST to the export page.
struct Client<'a> {
    app: &'a TestApp,
    cookie: String,
    csrf: String,
}

impl<'a> Client<'a> {
    async fn new(app: &'a TestApp, staff: StaffId) -> Self {
        let (cookie, csrf) = full_session(app, staff).await;
        Client { app, cookie, csrf }
    }

    async fn page(&self) -> (StatusCode, String) {
        let response = self
            .app
            .client
            .get(self.app.url("/staff/export?lang=en"))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn export(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut pairs = vec![("csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        self.app
            .client
            .post(self.app.url("/staff/export"))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(common::encode(&pairs))
            .send()
            .await
            .unwrap()
    }
}

/// The CSV's header and rows, read as any CSV reader would (the BOM skipped).
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for spreadsheets");
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

async fn actions(app: &TestApp, action: &str) -> Vec<lysty_store::AuditEntry> {
    app.app
        .store()
        .list_audit(&AuditFilter {
            action: Some(action.into()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

fn assert_no_personal_data(text: &str, tracking_code: &str) {
    for secret in [EMAIL, "Оксана", "HYPERLINK", "Тримайтеся", tracking_code] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

async fn a_coordinator_exports_letters_without_personal_data(backend: Backend) {
    let Some(f) = fixture(backend).await else {
        return;
    };
    let coordinator = person(&f.app, "coord@pen.example", &[Role::Coordinator]).await;
    let client = Client::new(&f.app, coordinator).await;

    let (status, page) = client.page().await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"what\""), "{page}");
    assert!(
        !page.contains("personal_data"),
        "no personal-data choice for a coordinator"
    );
    assert!(page.contains("href=\"/staff/export\""), "in the navigation");

    let response = client
        .export(&[("what", "letters"), ("format", "csv")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/csv; charset=utf-8");
    let disposition = header(&response, "content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"lysty-letters-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert_eq!(header(&response, "cache-control"), "no-store");
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert_no_personal_data(&text, &f.tracking_code);
    let (headers, rows) = parse_csv(&bytes);
    assert_eq!(headers, LETTER_COLUMNS);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let cell = |name: &str| row[LETTER_COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
    assert_eq!(cell("prisoner"), "remzi-bekirov");
    assert_eq!(cell("source"), "online");
    assert_eq!(cell("event"), "");
    assert_eq!(cell("state"), "received");
    assert_eq!(cell("language"), "uk");
    assert_eq!(cell("country"), "Україна");
    assert_eq!(
        cell("city"),
        "'=1+2",
        "a cell a spreadsheet would run is guarded"
    );
    assert_eq!(cell("sent_at"), "");
    let received = chrono::DateTime::parse_from_rfc3339(&cell("received_at")).unwrap();
    assert!(cell("received_at").ends_with('Z'), "UTC");
    assert!((f.app.now() - received.to_utc()).num_minutes() < 5);

    let response = client
        .export(&[("what", "letters"), ("format", "json")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/json");
    let text = response.text().await.unwrap();
    assert_no_personal_data(&text, &f.tracking_code);
    let letters: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(&text).unwrap();
    assert_eq!(letters.len(), 1);
    let keys: Vec<_> = letters[0].keys().map(String::as_str).collect();
    let mut expected = LETTER_COLUMNS.to_vec();
    expected.sort_unstable();
    let mut keys = keys.clone();
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(letters[0]["city"], "=1+2", "JSON keeps the text as typed");
    assert_eq!(letters[0]["sent_at"], serde_json::Value::Null);

    // A forged personal-data field is refused outright, and the attempt is recorded.
    let response = client
        .export(&[
            ("what", "letters"),
            ("format", "csv"),
            ("personal_data", "1"),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let text = response.text().await.unwrap();
    assert_no_personal_data(&text, &f.tracking_code);
    let refused = actions(&f.app, "export_personal_data_refused").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].actor, Some(coordinator));
    assert!(actions(&f.app, "export_personal_data").await.is_empty());

    let exports = actions(&f.app, "export").await;
    assert_eq!(exports.len(), 2);
    assert!(exports.iter().all(|e| e.actor == Some(coordinator)
        && e.object_type.as_deref() == Some("export")
        && e.object_id.as_deref() == Some("letters")));
    let formats: Vec<_> = exports.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(formats, ["json", "csv"], "newest first");
}

async fn an_admin_gets_personal_data_only_when_asking_and_it_is_audited(backend: Backend) {
    let Some(f) = fixture(backend).await else {
        return;
    };
    let admin = person(&f.app, "admin@pen.example", &[Role::Admin]).await;
    let client = Client::new(&f.app, admin).await;
    let (status, page) = client.page().await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"personal_data\""), "{page}");
    assert!(
        !page.contains("name=\"personal_data\" value=\"1\" checked"),
        "never ticked in advance"
    );

    // Not asked for: nothing personal, even for an admin.
    let response = client
        .export(&[("what", "letters"), ("format", "csv")])
        .await;
    let text = response.text().await.unwrap();
    assert_no_personal_data(&text, &f.tracking_code);
    assert!(actions(&f.app, "export_personal_data").await.is_empty());

    let response = client
        .export(&[
            ("what", "letters"),
            ("format", "csv"),
            ("personal_data", "1"),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, "content-disposition").contains("lysty-letters-personal-data-"),
        "the file says what it holds"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes).contains(&f.tracking_code),
        "never the tracking code"
    );
    let (headers, rows) = parse_csv(&bytes);
    let mut expected: Vec<&str> = LETTER_COLUMNS.to_vec();
    expected.extend(PERSONAL_COLUMNS);
    assert_eq!(headers, expected);
    let row = &rows[0];
    let cell = |name: &str| row[expected.iter().position(|c| *c == name).unwrap()].clone();
    assert_eq!(cell("writer_email"), EMAIL, "decrypted");
    assert_eq!(cell("body"), BODY);
    assert_eq!(cell("writer_name"), format!("'{NAME}"), "guarded");
    assert_eq!(lysty_app::export::unguard_cell(&cell("writer_name")), NAME);

    let response = client
        .export(&[
            ("what", "letters"),
            ("format", "json"),
            ("personal_data", "on"),
        ])
        .await;
    let letters: Vec<serde_json::Value> = response.json().await.unwrap();
    assert_eq!(letters[0]["writer_email"], EMAIL);
    assert_eq!(letters[0]["writer_name"], NAME);
    assert_eq!(letters[0]["body"], BODY);

    let recorded = actions(&f.app, "export_personal_data").await;
    assert_eq!(recorded.len(), 2);
    assert!(recorded.iter().all(|e| e.actor == Some(admin)));
    assert_eq!(recorded[0].detail, "json");
    assert_eq!(recorded[1].detail, "csv");
    assert_eq!(actions(&f.app, "export").await.len(), 1);

    // Personal data goes with letters only.
    let response = client
        .export(&[("what", "stats"), ("format", "csv"), ("personal_data", "1")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = client
        .export(&[("what", "everything"), ("format", "csv")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_campaign_figures_are_exported(backend: Backend) {
    let Some(f) = fixture(backend).await else {
        return;
    };
    let coordinator = person(&f.app, "coord@pen.example", &[Role::Coordinator]).await;
    let client = Client::new(&f.app, coordinator).await;
    let response = client.export(&[("what", "stats"), ("format", "csv")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-disposition").contains("lysty-stats-"));
    let (headers, rows) = parse_csv(&response.bytes().await.unwrap());
    assert_eq!(headers, ["figure", "key", "value"]);
    let value = |figure: &str, key: &str| {
        rows.iter()
            .find(|r| r[0] == figure && r[1] == key)
            .map(|r| r[2].clone())
    };
    assert_eq!(value("total", "").as_deref(), Some("1"));
    assert_eq!(value("by_source", "online").as_deref(), Some("1"));
    assert_eq!(value("by_prisoner", "remzi-bekirov").as_deref(), Some("1"));
    assert_eq!(value("by_city", "'=1+2").as_deref(), Some("1"));

    let response = client
        .export(&[("what", "stats"), ("format", "json")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let exported: serde_json::Value = response.json().await.unwrap();
    let api: serde_json::Value = f.app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(exported, api, "the figures of /api/v1/stats");
    let recorded = actions(&f.app, "export").await;
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded
            .iter()
            .all(|e| e.object_id.as_deref() == Some("stats"))
    );
}

async fn other_roles_are_refused(backend: Backend) {
    let Some(f) = fixture(backend).await else {
        return;
    };
    for (email, role) in [
        ("viewer@pen.example", Role::Viewer),
        ("moderator@pen.example", Role::Moderator),
        ("translator@pen.example", Role::Translator),
        ("dispatcher@pen.example", Role::Dispatcher),
    ] {
        let id = person(&f.app, email, &[role]).await;
        let client = Client::new(&f.app, id).await;
        let (status, page) = client.page().await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        assert!(!page.contains("href=\"/staff/export\""), "{email}: no link");
        for fields in [
            &[("what", "letters"), ("format", "csv")][..],
            &[
                ("what", "letters"),
                ("format", "json"),
                ("personal_data", "1"),
            ][..],
            &[("what", "stats"), ("format", "csv")][..],
        ] {
            let response = client.export(fields).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{email}");
            let text = response.text().await.unwrap();
            assert_no_personal_data(&text, &f.tracking_code);
            assert!(!text.contains("remzi-bekirov"), "{email}: {text}");
        }
    }
    assert!(actions(&f.app, "export").await.is_empty());
    // Anonymous: no session, no token: refused by the CSRF check before anything else.
    let response = f
        .app
        .post_form("/staff/export", "what=letters&format=csv")
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = f.app.get("/staff/export").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

on_both_databases!(
    a_coordinator_exports_letters_without_personal_data,
    an_admin_gets_personal_data_only_when_asking_and_it_is_audited,
    the_campaign_figures_are_exported,
    other_roles_are_refused,
);
