//! Starts the real application on port 0 with a fresh database and drives it over HTTP.

#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::zombie_processes
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use lysty_app::{Actor, App, AppConfig, EmailCipher, ManualClock};
use lysty_domain::{Role, Roles};
use lysty_http::{AppState, HttpConfig};
use lysty_store::Store;
use lysty_store_postgres::{PgOptions, PgStore, create_database};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub app: App,
    /// The application's clock: tests read the time from it and move it, never from the system.
    pub clock: Arc<ManualClock>,
    /// The SQLite file, to look at raw rows.
    pub sqlite_path: Option<PathBuf>,
}

/// Every page and answer a test was given spoke in sentences: no message was asked for that
/// is missing or lacks its arguments (the suite shares one process, so the test that ends
/// after the mistake names it).
impl Drop for TestApp {
    #[allow(clippy::panic)]
    fn drop(&mut self) {
        let uncompleted = lysty_http::i18n::uncompleted_messages();
        if !uncompleted.is_empty() && !std::thread::panicking() {
            panic!("messages asked for that could not be completed: {uncompleted:?}");
        }
    }
}

/// Where every test's clock starts: a fixed instant, so that no test depends on the day it
/// runs. Far from the real date on purpose, so that a test reading the system clock stands out.
pub fn test_start() -> DateTime<Utc> {
    let start = Utc
        .with_ymd_and_hms(2030, 3, 14, 10, 0, 0)
        .single()
        .expect("a valid instant");
    start
        + YEARS_AHEAD
            .try_with(|years| Duration::days(365 * years))
            .unwrap_or(Duration::zero())
}

tokio::task_local! {
    /// Years added to `test_start()` for the apps a test body starts inside `years_ahead`.
    static YEARS_AHEAD: i64;
}

/// Runs a test body with every app it starts living `years` later: a body that writes dates
/// of its own instead of asking the app's clock fails here.
pub async fn years_ahead<F: std::future::Future>(years: i64, body: F) -> F::Output {
    YEARS_AHEAD.scope(years, body).await
}

impl TestApp {
    /// The application's now.
    pub fn now(&self) -> DateTime<Utc> {
        self.app.now()
    }

    /// A local date and time as the staff forms take it (`2030-03-14T10:00`), `hours` from now.
    /// A time `hours` from now as a `datetime-local` field holds it: in the campaign's
    /// time zone.
    pub fn form_time(&self, hours: i64) -> String {
        (self.now() + Duration::hours(hours))
            .with_timezone(&self.app.config().time_zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Posts a form body exactly as given (already urlencoded).
    pub async fn post_form(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                k,
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `None` when the backend is not configured here (PostgreSQL without LYSTY_TEST_POSTGRES).
pub async fn spawn(backend: Backend, config: AppConfig, http: HttpConfig) -> Option<TestApp> {
    let (store, sqlite_path): (Arc<dyn Store>, _) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir").keep();
            let path = dir.join("lysty.db");
            let url = format!("sqlite://{}", path.display());
            let options = SqliteOptions {
                create: true,
                ..SqliteOptions::default()
            };
            let store = SqliteStore::open(&url, &options)
                .await
                .expect("open sqlite");
            (Arc::new(store), Some(path))
        }
        Backend::Postgres => {
            let admin = std::env::var("LYSTY_TEST_POSTGRES").ok()?;
            let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
            let url = create_database(&admin, &name)
                .await
                .expect("create database");
            let store = PgStore::open(&url, &PgOptions::default())
                .await
                .expect("open postgres");
            (Arc::new(store), None)
        }
    };
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).expect("key");
    let clock = Arc::new(ManualClock::starting_at(test_start()));
    let app = App::start(store, cipher, clock.clone(), config)
        .await
        .expect("start app");
    app.seed_demo().await.expect("seed demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = AppState::new(app.clone(), http);
    tokio::spawn(lysty_http::serve(listener, state, std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Some(TestApp {
        addr,
        client,
        app,
        clock,
        sqlite_path,
    })
}

/// Settings that name every place in the public figures, reviewed or not: for tests about
/// how places are counted, not about when they are published (that is `places.rs`).
pub fn every_place_named() -> AppConfig {
    AppConfig {
        public_place_min_letters: 0,
        ..AppConfig::default()
    }
}

pub async fn spawn_default(backend: Backend) -> Option<TestApp> {
    spawn(backend, AppConfig::default(), HttpConfig::default()).await
}

/// Runs each named test body on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::common::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if std::env::var("LYSTY_TEST_POSTGRES").is_err() {
                        eprintln!("skipped: LYSTY_TEST_POSTGRES is not set");
                        return;
                    }
                    super::$name(super::common::Backend::Postgres).await;
                }
            )+
        }
    };
}

/// A full session (password and second factor given) for an account, made directly in
/// the store, for tests about what happens after sign-in: the cookie header and CSRF token.
/// Cookies are named without `__Host-`: tests run without TLS (`secure_cookies: false`).
pub async fn full_session(app: &TestApp, staff: lysty_store::StaffId) -> (String, String) {
    let secret = uuid::Uuid::now_v7().simple().to_string();
    let csrf = uuid::Uuid::now_v7().simple().to_string();
    let now = app.app.now();
    app.app
        .store()
        .create_session(&lysty_store::NewSession {
            id_hash: lysty_auth::token::hash_token(&secret),
            staff,
            stage: lysty_store::SessionStage::Full,
            csrf_token: csrf.clone(),
            now,
            expires_at: now + chrono::Duration::hours(1),
            audit: None,
        })
        .await
        .expect("session");
    (format!("lysty_session={secret}"), csrf)
}

/// The password every test account is given.
pub const PASSWORD: &str = "correct horse battery staple 42";

/// An app for the staff pages: over plain HTTP, so cookies without `Secure`.
pub async fn staff_app(backend: Backend, config: AppConfig) -> TestApp {
    let http = HttpConfig {
        secure_cookies: false,
        ..HttpConfig::default()
    };
    spawn(backend, config, http)
        .await
        .expect("backend configured")
}

/// A response's header, or "" when it has none.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Where a redirect points, or "".
pub fn location(response: &reqwest::Response) -> String {
    header(response, "location")
}

impl TestApp {
    /// A demo organisation by its slug (`pen-ukraine`, `zmina`).
    pub async fn organisation(&self, slug: &str) -> lysty_store::OrganisationId {
        self.app
            .store()
            .list_organisations()
            .await
            .expect("organisations")
            .into_iter()
            .find(|o| o.slug == slug)
            .expect("a demo organisation")
            .id
    }

    /// A new account of organisation `org` with the test password, named by its email.
    pub async fn staff(&self, org: &str, email: &str, roles: &[Role]) -> lysty_store::StaffId {
        let org = self.organisation(org).await;
        self.app
            .create_staff(None, org, email, email, Roles::of(roles), Some(PASSWORD))
            .await
            .expect("staff")
            .0
    }

    /// A new member of PEN Ukraine, signed in: the actor for app calls and a browser session.
    pub async fn person(&self, email: &str, roles: &[Role]) -> Person {
        let id = self.staff("pen-ukraine", email, roles).await;
        let actor = Actor {
            staff: self
                .app
                .store()
                .staff_by_id(id)
                .await
                .expect("read")
                .expect("staff"),
            session: None,
            csrf_token: None,
            stage: lysty_store::SessionStage::Full,
        };
        let (cookie, csrf) = full_session(self, id).await;
        Person {
            actor,
            cookie,
            csrf,
        }
    }
}

/// A member of staff signed in: the actor for app calls and a browser session for the pages.
pub struct Person {
    pub actor: Actor,
    pub cookie: String,
    pub csrf: String,
}

impl Person {
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        app.client
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request")
    }

    /// A page that must answer 200, as text.
    pub async fn page(&self, app: &TestApp, path: &str) -> String {
        let response = self.get(app, path).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {path}");
        response.text().await.expect("body")
    }

    /// A form posted with the session's CSRF token.
    pub async fn post(
        &self,
        app: &TestApp,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        app.client
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(&all))
            .send()
            .await
            .expect("request")
    }

    /// An upload form: the CSRF token rides in the action's query, as the pages do it.
    pub async fn upload(
        &self,
        app: &TestApp,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        app.client
            .post(app.url(&format!("{path}?csrf={}", self.csrf)))
            .header("cookie", &self.cookie)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }
}
