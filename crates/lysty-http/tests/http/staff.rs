//! The staff side over HTTP: sign-in with a second factor, sessions and CSRF, lockout,
//! review and translation, the audit log, tokens — on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, TestApp, spawn};
use lysty_app::{Actor, AppConfig};
use lysty_domain::{Role, Roles};
use lysty_http::HttpConfig;
use lysty_http::throttle::ThrottleConfig;
use lysty_store::{SessionStage, StaffId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

pub const PASSWORD: &str = "correct horse battery staple 42";

pub fn http_config() -> HttpConfig {
    HttpConfig {
        secure_cookies: false,
        throttle: ThrottleConfig {
            max_failures: 12,
            window: Duration::from_secs(600),
            delay_step: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        },
        ..HttpConfig::default()
    }
}

async fn app(backend: Backend) -> TestApp {
    spawn(backend, AppConfig::default(), http_config())
        .await
        .expect("backend configured")
}

async fn org(app: &TestApp, slug: &str) -> lysty_store::OrganisationId {
    app.app
        .create_organisation(
            None,
            &lysty_store::NewOrganisation {
                slug: slug.into(),
                name_uk: slug.into(),
                name_en: slug.into(),
            },
        )
        .await
        .unwrap()
}

async fn person(
    app: &TestApp,
    org: lysty_store::OrganisationId,
    email: &str,
    roles: &[Role],
) -> StaffId {
    app.app
        .create_staff(None, org, email, email, Roles::of(roles), Some(PASSWORD))
        .await
        .unwrap()
        .0
}

/// A browser: keeps the session cookie by hand (cookies are not `Secure` in tests).
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let raw = value.to_str().unwrap();
            let pair = raw.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() && !raw.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), v.to_owned()));
            }
        }
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let response = self
            .app
            .client
            .get(self.app.url(path))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&response);
        response
    }

    async fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(common::encode(pairs))
            .send()
            .await
            .unwrap();
        self.keep(&response);
        response
    }

    /// The CSRF token of the page at `path`.
    async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await.text().await.unwrap();
        page.split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no csrf on {path}"))
            .to_owned()
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf("/staff").await;
        self.post(
            "/staff/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn submit_ukrainian_letter(app: &TestApp) -> String {
    let response = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Добрий день! Я пишу вам з Києва. У нас цвітуть каштани, і я часто гуляю в парку.", "language": "uk"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

async fn a_ukrainian_letter_goes_through_translation_to_approval(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "moderator@pen.example", &[Role::Moderator]).await;
    person(&app, pen, "translator@pen.example", &[Role::Translator]).await;
    let id = submit_ukrainian_letter(&app).await;

    let mut moderator = Browser::new(&app);
    let signed = moderator.sign_in("moderator@pen.example", PASSWORD).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed), "/staff");
    let queue = moderator.get("/staff/review").await.text().await.unwrap();
    assert!(queue.contains(&id), "the letter waits in review");
    let elsewhere = moderator
        .get("/staff/review?prisoner=bohdan-ziza")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !elsewhere.contains(&id),
        "the prisoner filter leaves it out"
    );
    let by_flag = moderator
        .get("/staff/review?flag=not_russian&language=uk")
        .await
        .text()
        .await
        .unwrap();
    assert!(by_flag.contains(&id), "flag and language filters keep it");
    assert!(queue.contains("не російською"), "with its flag explained");
    let page = moderator.get(&format!("/staff/letters/{id}")).await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let page = page.text().await.unwrap();
    assert!(page.contains("Добрий день"));
    let csrf = moderator.csrf(&format!("/staff/letters/{id}")).await;
    let approved = moderator
        .post(&format!("/staff/letters/{id}/approve"), &[("csrf", &csrf)])
        .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&approved), "/staff/review?done=translation");

    let mut translator = Browser::new(&app);
    translator.sign_in("translator@pen.example", PASSWORD).await;
    let queue = translator
        .get("/staff/translation")
        .await
        .text()
        .await
        .unwrap();
    assert!(queue.contains(&id));
    let csrf = translator.csrf(&format!("/staff/letters/{id}")).await;
    let saved = translator
        .post(
            &format!("/staff/letters/{id}/translation"),
            &[("csrf", &csrf), ("russian", "Добрый день! Я пишу вам из Киева. У нас цветут каштаны, и я часто гуляю в парке.")],
        )
        .await;
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text().await.unwrap()
    );

    let csrf = moderator.csrf(&format!("/staff/letters/{id}")).await;
    let approved = moderator
        .post(&format!("/staff/letters/{id}/approve"), &[("csrf", &csrf)])
        .await;
    assert_eq!(location(&approved), "/staff/review?done=approved");

    let letter = app
        .app
        .store()
        .review_letter(lysty_store::LetterId(id.parse().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(letter.state, lysty_domain::LetterState::Approved);
    assert!(letter.body_delivery.unwrap().starts_with("Добрый день"));

    let audit = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            object_id: Some(id.clone()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut actions: Vec<_> = audit.iter().rev().map(|e| e.action.as_str()).collect();
    // Opening the page twice in a row is logged twice; the steps are what matter here.
    actions.dedup();
    assert_eq!(
        actions,
        [
            "letter_opened",
            "approve_for_translation",
            "letter_opened",
            "translate",
            "letter_opened",
            "approve"
        ]
    );
    for entry in &audit {
        assert!(
            !entry.detail.contains("Добр"),
            "no letter text in the audit log"
        );
    }
}

async fn a_second_moderator_cannot_take_a_claimed_letter(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "a@pen.example", &[Role::Moderator]).await;
    person(&app, pen, "b@pen.example", &[Role::Moderator]).await;
    let id = submit_ukrainian_letter(&app).await;
    let mut a = Browser::new(&app);
    a.sign_in("a@pen.example", PASSWORD).await;
    a.get(&format!("/staff/letters/{id}")).await;
    let mut b = Browser::new(&app);
    b.sign_in("b@pen.example", PASSWORD).await;
    let page = b
        .get(&format!("/staff/letters/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("інша людина"), "b sees that a holds it");
    let csrf = b.csrf("/staff/review").await;
    let refused = b
        .post(&format!("/staff/letters/{id}/approve"), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
}

async fn unknown_users_and_wrong_passwords_look_the_same(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "real@pen.example", &[Role::Moderator]).await;
    let mut browser = Browser::new(&app);
    let unknown = browser.sign_in("nobody@pen.example", PASSWORD).await;
    let unknown_status = unknown.status();
    let unknown_page = unknown.text().await.unwrap();
    let wrong = browser
        .sign_in("real@pen.example", "a wrong password 123")
        .await;
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status(), unknown_status);
    let wrong_page = wrong.text().await.unwrap();
    let message = |page: &str| {
        page.split("alert-error")
            .nth(1)
            .unwrap_or("")
            .split("</div>")
            .next()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(message(&unknown_page), message(&wrong_page));
    assert!(!message(&wrong_page).is_empty());
}

async fn a_brute_force_run_locks_the_account_then_the_address(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "target@pen.example", &[Role::Moderator]).await;
    let mut browser = Browser::new(&app);
    for i in 0..5 {
        let r = browser
            .sign_in("target@pen.example", &format!("guess number {i} xx"))
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = browser.sign_in("target@pen.example", PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::UNAUTHORIZED,
        "locked even with the right password"
    );
    let staff = app
        .app
        .store()
        .staff_by_email("target@pen.example")
        .await
        .unwrap()
        .unwrap();
    assert!(staff.locked_until.is_some());
    for i in 0..8 {
        browser
            .sign_in(&format!("other{i}@pen.example"), "whatever password 1")
            .await;
    }
    let blocked = browser.sign_in("target@pen.example", PASSWORD).await;
    assert_eq!(
        blocked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the address is stopped"
    );
    let actions: Vec<_> = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"lockout".to_owned()));
    assert!(actions.contains(&"sign_in_failed".to_owned()));
}

async fn a_csrf_attempt_is_refused(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let id = submit_ukrainian_letter(&app).await;
    let mut m = Browser::new(&app);
    m.sign_in("m@pen.example", PASSWORD).await;
    m.get(&format!("/staff/letters/{id}")).await;
    let without = m.post(&format!("/staff/letters/{id}/approve"), &[]).await;
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let forged = m
        .post(
            &format!("/staff/letters/{id}/approve"),
            &[("csrf", "forged-token-value-123456")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let csrf = m.csrf("/staff/review").await;
    let cross_site = app
        .client
        .post(app.url(&format!("/staff/letters/{id}/approve")))
        .header("cookie", m.cookie_header())
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    // A cookie-authenticated API call needs JSON and the header.
    let api = app
        .client
        .post(app.url(&format!("/api/v1/letters/{id}/approve")))
        .header("cookie", m.cookie_header())
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let letter = app
        .app
        .store()
        .review_letter(lysty_store::LetterId(id.parse().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        letter.state,
        lysty_domain::LetterState::InReview,
        "nothing changed"
    );
    // The login form is protected too.
    let login = app
        .client
        .post(app.url("/staff/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::encode(&[
            ("email", "m@pen.example"),
            ("password", PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
}

async fn a_disabled_users_old_session_is_refused(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "coord@pen.example", &[Role::Moderator]).await;
    let victim = person(&app, pen, "leaver@pen.example", &[Role::Moderator]).await;
    let mut leaver = Browser::new(&app);
    leaver.sign_in("leaver@pen.example", PASSWORD).await;
    assert_eq!(leaver.get("/staff/review").await.status(), StatusCode::OK);
    let admin = admin_actor(&app, pen).await;
    app.app.set_disabled(&admin, victim, true).await.unwrap();
    let after = leaver.get("/staff/review").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&after), "/staff");
    let again = leaver.sign_in("leaver@pen.example", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

async fn sign_out_ends_the_session_on_the_server(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let mut m = Browser::new(&app);
    m.sign_in("m@pen.example", PASSWORD).await;
    let stolen = m.cookie_header();
    let csrf = m.csrf("/staff/review").await;
    m.post("/staff/logout", &[("csrf", &csrf)]).await;
    let replay = app
        .client
        .get(app.url("/staff/review"))
        .header("cookie", stolen)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replay.status(),
        StatusCode::SEE_OTHER,
        "the old cookie opens nothing"
    );
}

/// An admin with a full session made directly in the store (the TOTP journey is tested
/// separately): returns the actor for app-level calls.
async fn admin_actor(app: &TestApp, org: lysty_store::OrganisationId) -> Actor {
    let id = person(
        app,
        org,
        &format!("admin-{}@pen.example", uuid::Uuid::now_v7().simple()),
        &[Role::Admin],
    )
    .await;
    Actor {
        staff: app.app.store().staff_by_id(id).await.unwrap().unwrap(),
        session: None,
        csrf_token: None,
        stage: SessionStage::Full,
    }
}

/// The code an authenticator shows at the app's now.
fn totp_now(app: &TestApp, secret: &str) -> String {
    let secret = lysty_auth::totp::TotpSecret::from_base32(secret).unwrap();
    let now = u64::try_from(app.now().timestamp()).unwrap();
    lysty_auth::totp::code_at(&secret, now).unwrap()
}

async fn admins_enrol_a_second_factor_and_codes_are_never_reused(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "boss@pen.example", &[Role::Admin]).await;
    let mut boss = Browser::new(&app);
    let signed = boss.sign_in("boss@pen.example", PASSWORD).await;
    assert_eq!(
        location(&signed),
        "/staff/enrol",
        "an admin must enrol first"
    );
    assert_eq!(
        boss.get("/staff/review").await.status(),
        StatusCode::SEE_OTHER,
        "nothing else opens"
    );
    let page = boss.get("/staff/enrol").await.text().await.unwrap();
    assert!(page.contains("<svg"), "a QR code");
    let secret = page
        .split(r#"name="secret" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let csrf = page
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let code = totp_now(&app, &secret);
    let enrolled = boss
        .post(
            "/staff/enrol",
            &[("csrf", &csrf), ("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(enrolled.status(), StatusCode::OK);
    let codes_page = enrolled.text().await.unwrap();
    assert!(codes_page.contains("codes"), "recovery codes are shown");
    assert_eq!(boss.get("/staff/audit").await.status(), StatusCode::OK);

    // A new sign-in asks for a code; the code just used is refused.
    let mut again = Browser::new(&app);
    let signed = again.sign_in("boss@pen.example", PASSWORD).await;
    assert_eq!(location(&signed), "/staff/second-factor");
    let csrf = again.csrf("/staff/second-factor").await;
    let reused = again
        .post("/staff/second-factor", &[("csrf", &csrf), ("code", &code)])
        .await;
    assert_eq!(
        reused.status(),
        StatusCode::UNAUTHORIZED,
        "a used code is refused"
    );
    assert_eq!(
        again.get("/staff/audit").await.status(),
        StatusCode::SEE_OTHER
    );
    // A recovery code works once.
    let recovery = codes_page
        .split("<ul class=\"codes\" translate=\"no\">")
        .nth(1)
        .unwrap()
        .split("<li>")
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap()
        .to_owned();
    let ok = again
        .post(
            "/staff/second-factor",
            &[("csrf", &csrf), ("code", &recovery)],
        )
        .await;
    assert_eq!(location(&ok), "/staff");
    assert_eq!(again.get("/staff/audit").await.status(), StatusCode::OK);
    let mut third = Browser::new(&app);
    third.sign_in("boss@pen.example", PASSWORD).await;
    let csrf = third.csrf("/staff/second-factor").await;
    let used = third
        .post(
            "/staff/second-factor",
            &[("csrf", &csrf), ("code", &recovery)],
        )
        .await;
    assert_eq!(used.status(), StatusCode::UNAUTHORIZED);
}

/// The secret and CSRF token of an enrolment page.
fn enrol_fields(page: &str) -> (String, String) {
    let field = |name: &str| {
        page.split(&format!(r#"name="{name}" value=""#))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no {name} on the enrolment page"))
            .to_owned()
    };
    (field("secret"), field("csrf"))
}

/// Signs an admin in and sets up their second factor; returns the browser (fully signed
/// in) and the secret.
async fn enrolled_admin<'a>(app: &'a TestApp, email: &str) -> (Browser<'a>, String) {
    let pen = org(app, &format!("org-{}", uuid::Uuid::now_v7().simple())).await;
    person(app, pen, email, &[Role::Admin]).await;
    let mut owner = Browser::new(app);
    owner.sign_in(email, PASSWORD).await;
    let page = owner.get("/staff/enrol").await.text().await.unwrap();
    let (secret, csrf) = enrol_fields(&page);
    let code = totp_now(app, &secret);
    let enrolled = owner
        .post(
            "/staff/enrol",
            &[("csrf", &csrf), ("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(enrolled.status(), StatusCode::OK);
    (owner, secret)
}

async fn the_second_factor_cannot_be_replaced_with_the_password_alone(backend: Backend) {
    let app = app(backend).await;
    let (mut owner, secret) = enrolled_admin(&app, "boss@pen.example").await;
    let stored = |app: &TestApp| {
        let store = app.app.store().clone();
        async move {
            store
                .staff_by_email("boss@pen.example")
                .await
                .unwrap()
                .unwrap()
                .totp_secret_enc
        }
    };
    let first = stored(&app).await;

    // Someone with the password only: the enrolment page sends them to the second step,
    // and a forged confirmation with a secret of their own changes nothing.
    let mut attacker = Browser::new(&app);
    let signed = attacker.sign_in("boss@pen.example", PASSWORD).await;
    assert_eq!(location(&signed), "/staff/second-factor");
    let form = attacker.get("/staff/enrol").await;
    assert_eq!(location(&form), "/staff/second-factor");
    let csrf = attacker.csrf("/staff/second-factor").await;
    let theirs = lysty_auth::totp::TotpSecret::generate().base32();
    let code = totp_now(&app, &theirs);
    let forged = attacker
        .post(
            "/staff/enrol",
            &[
                ("csrf", &csrf),
                ("secret", &theirs),
                ("code", &code),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_ne!(
        forged.status(),
        StatusCode::OK,
        "no recovery codes for them"
    );
    assert_eq!(stored(&app).await, first, "the secret is unchanged");
    assert_eq!(
        attacker.get("/staff/audit").await.status(),
        StatusCode::SEE_OTHER,
        "their session is still password-only"
    );

    // The owner, fully signed in, replaces it only with the current password.
    let page = owner.get("/staff/enrol").await.text().await.unwrap();
    assert!(page.contains(r#"name="current_password""#));
    let (new_secret, csrf) = enrol_fields(&page);
    assert_ne!(new_secret, secret);
    app.clock.advance(chrono::Duration::seconds(60));
    let code = totp_now(&app, &new_secret);
    let without = owner
        .post(
            "/staff/enrol",
            &[
                ("csrf", &csrf),
                ("secret", &new_secret),
                ("code", &code),
                ("current_password", "not the password"),
            ],
        )
        .await;
    assert_eq!(without.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let kept = without.text().await.unwrap();
    assert!(
        kept.contains(&new_secret),
        "the new secret is kept to retry"
    );
    assert!(kept.contains(r#"id="current-password-error""#));
    assert_eq!(stored(&app).await, first);
    let replaced = owner
        .post(
            "/staff/enrol",
            &[
                ("csrf", &csrf),
                ("secret", &new_secret),
                ("code", &code),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert_ne!(stored(&app).await, first, "replaced");
    let audit = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            action: Some("second_factor_replaced".into()),
            limit: 10,
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "the replacement is an audit line");
    let notices = app
        .app
        .store()
        .pending_staff_notices(app.now() + chrono::Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(notices.len(), 1, "the owner is told by email");
    assert_eq!(notices[0].email, "boss@pen.example");
}

async fn a_locked_account_gets_no_second_step_and_wrong_codes_end_the_session(backend: Backend) {
    let app = app(backend).await;
    let (_owner, secret) = enrolled_admin(&app, "boss@pen.example").await;
    // Signed in with the password before the account locks.
    let mut early = Browser::new(&app);
    early.sign_in("boss@pen.example", PASSWORD).await;
    let early_csrf = early.csrf("/staff/second-factor").await;

    let mut guesser = Browser::new(&app);
    guesser.sign_in("boss@pen.example", PASSWORD).await;
    let csrf = guesser.csrf("/staff/second-factor").await;
    for attempt in 1..=3 {
        let wrong = guesser
            .post(
                "/staff/second-factor",
                &[("csrf", &csrf), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let page = wrong.text().await.unwrap();
        if attempt < 3 {
            assert!(
                page.contains(r#"name="code""#),
                "attempt {attempt} may retry"
            );
        } else {
            assert!(
                page.contains(r#"name="password""#),
                "back to the sign-in form"
            );
        }
    }
    assert_eq!(
        location(&guesser.get("/staff/second-factor").await),
        "/staff",
        "the password-only session ended after three wrong codes"
    );
    // Signing in again with the password does not give a fresh count: two more wrong
    // codes reach the lockout.
    guesser.sign_in("boss@pen.example", PASSWORD).await;
    let csrf = guesser.csrf("/staff/second-factor").await;
    for _ in 0..2 {
        guesser
            .post(
                "/staff/second-factor",
                &[("csrf", &csrf), ("code", "000000")],
            )
            .await;
    }
    let staff = app
        .app
        .store()
        .staff_by_email("boss@pen.example")
        .await
        .unwrap()
        .unwrap();
    assert!(
        staff.locked_until.is_some_and(|until| until > app.now()),
        "locked"
    );

    // The session opened before the lockout is refused even with the right code.
    app.clock.advance(chrono::Duration::seconds(60));
    let right = totp_now(&app, &secret);
    let refused = early
        .post(
            "/staff/second-factor",
            &[("csrf", &early_csrf), ("code", &right)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        early.get("/staff/audit").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in"
    );
    let refusals = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            action: Some("second_factor_refused_locked".into()),
            limit: 10,
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(refusals.len(), 1);
}

async fn api_tokens_act_with_their_owners_roles_until_revoked(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let token = app
        .app
        .create_token_for("m@pen.example", "script")
        .await
        .unwrap();
    let token = lysty_app::App::reveal(&token).to_owned();
    let id = submit_ukrainian_letter(&app).await;
    let queue: Value = app
        .client
        .get(app.url("/api/v1/review/queue"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue["letters"][0]["id"], id.as_str());
    assert!(
        queue["letters"][0]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "not_russian")
    );
    let claim = app
        .client
        .post(app.url(&format!("/api/v1/letters/{id}/claim")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(claim.status(), StatusCode::OK);
    let reject = app
        .client
        .post(app.url(&format!("/api/v1/letters/{id}/reject")))
        .bearer_auth(&token)
        .json(&json!({"reason": "spam", "note": "a template"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reject.status(), StatusCode::OK);
    let body: Value = reject.json().await.unwrap();
    assert_eq!(body["state"], "rejected");
    let anonymous = app
        .client
        .get(app.url("/api/v1/review/queue"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let staff = app
        .app
        .store()
        .staff_by_email("m@pen.example")
        .await
        .unwrap()
        .unwrap();
    let tokens = app.app.store().list_tokens(staff.id).await.unwrap();
    app.app
        .store()
        .revoke_token(
            staff.id,
            tokens[0].id,
            &lysty_store::NewAudit {
                at: app.app.now(),
                actor: Some(staff.id),
                actor_org: Some(staff.organisation),
                action: "token_revoked".into(),
                object_type: None,
                object_id: None,
                detail: String::new(),
            },
        )
        .await
        .unwrap();
    let revoked = app
        .client
        .get(app.url("/api/v1/review/queue"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
    // The writer sees a kind, generic explanation, never the note.
    let code = app
        .app
        .store()
        .review_letter(lysty_store::LetterId(id.parse().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(code.reject_note.as_deref(), Some("a template"));
}

async fn the_writer_sees_a_kind_explanation_never_the_note(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let created: Value = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Купуйте наш товар на example.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let mut m = Browser::new(&app);
    m.sign_in("m@pen.example", PASSWORD).await;
    let page = m
        .get(&format!("/staff/letters/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<mark>example.com</mark>"),
        "the link is highlighted"
    );
    let csrf = m.csrf(&format!("/staff/letters/{id}")).await;
    let rejected = m
        .post(
            &format!("/staff/letters/{id}/reject"),
            &[
                ("csrf", &csrf),
                ("reason", "spam"),
                ("note", "SECRET-NOTE advertising"),
            ],
        )
        .await;
    assert_eq!(location(&rejected), "/staff/review?done=rejected");
    let tracking = app
        .get(&format!("/letters/{code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(tracking.contains("Не може бути надіслано"));
    assert!(tracking.contains("Дякуємо вам за підтримку"));
    assert!(!tracking.contains("SECRET-NOTE"));
    let api = app
        .get(&format!("/api/v1/letters/track/{code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!api.contains("SECRET-NOTE"));
    assert!(!api.contains("m@pen.example"), "no staff names");
}

async fn a_redaction_keeps_the_original_for_admins_only(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let created: Value = app
        .post_json(
            "/api/v1/letters",
            &json!({"prisoner": "remzi-bekirov", "body": "Привет! Звони мне по номеру +7 912 345 67 89. Держись."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let mut m = Browser::new(&app);
    m.sign_in("m@pen.example", PASSWORD).await;
    let csrf = m.csrf(&format!("/staff/letters/{id}")).await;
    let struck = m
        .post(
            &format!("/staff/letters/{id}/redact"),
            &[
                ("csrf", &csrf),
                ("strike", "Звони мне по номеру +7 912 345 67 89."),
            ],
        )
        .await;
    assert_eq!(struck.status(), StatusCode::SEE_OTHER);
    let page = m
        .get(&format!("/staff/letters/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Привет! […] Держись."));
    assert!(
        !page.contains("912 345"),
        "the moderator no longer sees the struck text"
    );
    assert!(
        !page.contains("телефон"),
        "the phone flag is gone with the number"
    );

    let admin = app
        .app
        .create_staff(
            None,
            pen,
            "admin@pen.example",
            "Admin",
            Roles::of(&[Role::Admin]),
            Some(PASSWORD),
        )
        .await
        .unwrap()
        .0;
    let (cookie, _) = session_for(&app, admin).await;
    let admin_page = app
        .client
        .get(app.url(&format!("/staff/letters/{id}")))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        admin_page.contains("912 345"),
        "the admin sees the original in the history"
    );
    let audit = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            action: Some("redact".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(!audit[0].detail.contains("912"));
}

async fn a_letter_longer_than_the_facility_accepts_is_flagged(backend: Backend) {
    let app = app(backend).await;
    app.app
        .store()
        .upsert_facility(&lysty_store::NewFacility {
            slug: "ik-21-iksa".into(),
            name_ru: "ИК-21".into(),
            name_en: "Colony No. 21".into(),
            region: None,
            address_ru: None,
            max_letter_chars: Some(100),
        })
        .await
        .unwrap();
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let token = app
        .app
        .create_token_for("m@pen.example", "t")
        .await
        .unwrap();
    let long = "Здравствуйте! Как ваши дела? У нас всё хорошо, весна пришла рано. ".repeat(3);
    let fits = "Здравствуйте! Держитесь, мы о вас помним.";
    for (body, to) in [
        (long.as_str(), "vladlen-abdulkadyrov"),
        (fits, "vladlen-abdulkadyrov"),
        (long.as_str(), "remzi-bekirov"),
    ] {
        let r = app
            .post_json("/api/v1/letters", &json!({"prisoner": to, "body": body}))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let queue: Value = app
        .client
        .get(app.url("/api/v1/review/queue?flag=too_long"))
        .bearer_auth(lysty_app::App::reveal(&token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let flagged = queue["letters"].as_array().unwrap();
    assert_eq!(
        flagged.len(),
        1,
        "only the long letter to the colony with a limit"
    );
    assert_eq!(flagged[0]["prisoner"], "vladlen-abdulkadyrov");
    let flag = flagged[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "too_long")
        .unwrap();
    assert_eq!(flag["detail"]["value"]["max"], 100);
}

async fn a_refused_new_person_keeps_what_was_typed(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "taken@pen.example", &[Role::Moderator]).await;
    let coordinator = person(&app, pen, "coord@pen.example", &[Role::Coordinator]).await;
    let (cookie, csrf) = session_for(&app, coordinator).await;
    let body = common::encode(&[
        ("csrf", &csrf),
        ("email", "taken@pen.example"),
        ("name", "Олена Коваль"),
        ("organisation", &pen.to_string()),
        ("role", "translator"),
        ("role", "dispatcher"),
        ("password", "a long enough password 42"),
    ]);
    let response = app
        .client
        .post(app.url("/staff/people"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"add-person-error\""));
    assert!(
        html.contains("value=\"taken@pen.example\""),
        "the email is kept"
    );
    assert!(html.contains("value=\"Олена Коваль\""), "the name is kept");
    assert!(html.contains("value=\"translator\" aria-describedby=\"new-roles-hint\" checked"));
    assert!(html.contains("value=\"dispatcher\" aria-describedby=\"new-roles-hint\" checked"));
    assert!(!html.contains("value=\"moderator\" aria-describedby=\"new-roles-hint\" checked"));
    assert!(
        !html.contains("a long enough password 42"),
        "a password is never sent back"
    );

    // A new person without a role: the page says that is what is missing.
    let (cookie, csrf) = session_for(&app, coordinator).await;
    let body = common::encode(&[
        ("csrf", &csrf),
        ("email", "new@pen.example"),
        ("name", "Ігор Лис"),
        ("organisation", &pen.to_string()),
        ("password", "a long enough password 42"),
    ]);
    let response = app
        .client
        .post(app.url("/staff/people"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Оберіть хоча б одну роль для нової людини"),
        "{html}"
    );
    assert!(html.contains("value=\"Ігор Лис\""), "the name is kept");
}

async fn an_admin_cannot_remove_their_own_admin_role(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    let admin = admin_actor(&app, pen).await;
    let (cookie, csrf) = session_for(&app, admin.id()).await;
    let body = common::encode(&[("csrf", &csrf), ("role", "coordinator")]);
    let response = app
        .client
        .post(app.url(&format!("/staff/people/{}/roles?lang=en", admin.id())))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You cannot remove your own admin role")
    );
    let still = app
        .app
        .store()
        .staff_by_id(admin.id())
        .await
        .unwrap()
        .unwrap();
    assert!(still.roles.has(Role::Admin), "still an admin");
    // Another admin can.
    let other = admin_actor(&app, pen).await;
    app.app
        .set_roles(&other, admin.id(), Roles::of(&[Role::Coordinator]))
        .await
        .unwrap();
}

/// A full session for an account, made in the store.
pub async fn session_for(app: &TestApp, staff: StaffId) -> (String, String) {
    common::full_session(app, staff).await
}

async fn staff_change_their_password_with_the_current_one(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let mut me = Browser::new(&app);
    me.sign_in("m@pen.example", PASSWORD).await;
    let mut elsewhere = Browser::new(&app);
    elsewhere.sign_in("m@pen.example", PASSWORD).await;
    const NEW: &str = "a lantern over the quiet harbour";

    // The current password is proof: a wrong one changes nothing.
    let csrf = me.csrf("/staff/account").await;
    let wrong = me
        .post(
            "/staff/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "not my password at all"),
                ("new_password", NEW),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("password-error"));
    // A weak new password is refused with the reason, on the page.
    let csrf = me.csrf("/staff/account").await;
    let weak = me
        .post(
            "/staff/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(me.get("/staff/review").await.status(), StatusCode::OK);

    // Changed: every session ends, this one and the one on another device.
    let csrf = me.csrf("/staff/account").await;
    let changed = me
        .post(
            "/staff/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", NEW),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/staff?password-changed");
    assert_eq!(
        me.get("/staff/review").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        elsewhere.get("/staff/review").await.status(),
        StatusCode::SEE_OTHER
    );
    // The old password no longer opens the account; the new one does.
    let mut later = Browser::new(&app);
    assert_eq!(
        later.sign_in("m@pen.example", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let mut again = Browser::new(&app);
    assert_eq!(
        again.sign_in("m@pen.example", NEW).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(again.get("/staff/review").await.status(), StatusCode::OK);
    // Audited: the refused attempt and the change.
    let actions: Vec<String> = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            limit: 50,
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"password_change_refused".to_owned()));
    assert!(actions.contains(&"password_changed".to_owned()));
}

async fn api_tokens_expire_and_signing_out_everywhere_revokes_them(backend: Backend) {
    let app = app(backend).await;
    let pen = org(&app, "pen").await;
    person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    let token = |app: &TestApp| {
        let app = app.app.clone();
        async move {
            let t = app
                .create_token_for("m@pen.example", "script")
                .await
                .unwrap();
            lysty_app::App::reveal(&t).to_owned()
        }
    };
    let queue = |token: String| {
        let request = app
            .client
            .get(app.url("/api/v1/review/queue"))
            .bearer_auth(token);
        async move { request.send().await.unwrap().status() }
    };
    // Ninety days, shown on the tokens page.
    let first = token(&app).await;
    assert_eq!(queue(first.clone()).await, StatusCode::OK);
    let mut me = Browser::new(&app);
    me.sign_in("m@pen.example", PASSWORD).await;
    let page = me.get("/staff/tokens?lang=en").await.text().await.unwrap();
    assert!(page.contains("Valid until"));
    app.clock.advance(chrono::Duration::days(89));
    assert_eq!(queue(first.clone()).await, StatusCode::OK);
    app.clock
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    assert_eq!(queue(first).await, StatusCode::UNAUTHORIZED, "expired");

    // Signing out everywhere revokes every token too.
    let second = token(&app).await;
    assert_eq!(queue(second.clone()).await, StatusCode::OK);
    let mut me = Browser::new(&app);
    me.sign_in("m@pen.example", PASSWORD).await;
    let csrf = me.csrf("/staff/account").await;
    me.post("/staff/logout-everywhere", &[("csrf", &csrf)])
        .await;
    assert_eq!(queue(second).await, StatusCode::UNAUTHORIZED, "revoked");
}

/// The password a reset page shows once.
fn shown_password(page: &str) -> String {
    page.split(r#"class="tracking-code" translate="no">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .trim()
        .to_owned()
}

async fn an_admin_resets_a_password_and_the_second_factor_still_guards_the_account(
    backend: Backend,
) {
    let app = app(backend).await;
    let (mut admin, _) = enrolled_admin(&app, "boss@pen.example").await;
    let pen = org(&app, "pen").await;
    let moderator = person(&app, pen, "m@pen.example", &[Role::Moderator]).await;
    // The moderator is signed in, has a token, and has mistyped the password twice.
    let mut theirs = Browser::new(&app);
    theirs.sign_in("m@pen.example", PASSWORD).await;
    assert_eq!(theirs.get("/staff/review").await.status(), StatusCode::OK);
    let token = app
        .app
        .create_token_for("m@pen.example", "script")
        .await
        .unwrap();
    let token = lysty_app::App::reveal(&token).to_owned();
    for _ in 0..2 {
        Browser::new(&app)
            .sign_in("m@pen.example", "not the password at all")
            .await;
    }
    let stored = |app: &TestApp| {
        let store = app.app.store().clone();
        async move { store.staff_by_id(moderator).await.unwrap().unwrap() }
    };
    assert_eq!(stored(&app).await.failed_logins, 2);

    // The page offers it; without the confirmation nothing happens.
    let page = admin.get("/staff/people").await.text().await.unwrap();
    let action = format!("/staff/people/{}/password-reset", moderator.0);
    assert!(page.contains(&action), "the people page offers a reset");
    let csrf = admin.csrf("/staff/people").await;
    let unconfirmed = admin.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = stored(&app).await.password_hash;
    assert_eq!(before, stored(&app).await.password_hash);

    // An admin cannot reset their own this way (who else may is the matrix's to check).
    let boss = app
        .app
        .store()
        .staff_by_email("boss@pen.example")
        .await
        .unwrap()
        .unwrap();
    let csrf = admin.csrf("/staff/people").await;
    let own = admin
        .post(
            &format!("/staff/people/{}/password-reset", boss.id.0),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, stored(&app).await.password_hash);

    // Reset: the new password is shown once, on a page no cache keeps.
    let csrf = admin.csrf("/staff/people").await;
    let reset = admin
        .post(&action, &[("csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(reset.headers()["cache-control"], "no-store");
    let shown = reset.text().await.unwrap();
    assert!(shown.contains("m@pen.example"));
    let new_password = shown_password(&shown);
    assert!(new_password.len() >= 16, "{new_password}");

    // Their session and token are over, the lockout count is cleared, the old password fails.
    assert_eq!(
        theirs.get("/staff/review").await.status(),
        StatusCode::SEE_OTHER
    );
    let api = app
        .client
        .get(app.url("/api/v1/review/queue"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(stored(&app).await.failed_logins, 0);
    assert_eq!(
        Browser::new(&app)
            .sign_in("m@pen.example", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let mut again = Browser::new(&app);
    assert_eq!(
        again.sign_in("m@pen.example", &new_password).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(again.get("/staff/review").await.status(), StatusCode::OK);

    // An admin's second factor survives a reset: the new password alone does not open it.
    let (_, _) = enrolled_admin(&app, "second@pen.example").await;
    let second = app
        .app
        .store()
        .staff_by_email("second@pen.example")
        .await
        .unwrap()
        .unwrap();
    let csrf = admin.csrf("/staff/people").await;
    let reset = admin
        .post(
            &format!("/staff/people/{}/password-reset", second.id.0),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    let password = shown_password(&reset.text().await.unwrap());
    let mut holder = Browser::new(&app);
    let signed = holder.sign_in("second@pen.example", &password).await;
    assert_eq!(location(&signed), "/staff/second-factor");
    assert_eq!(
        holder.get("/staff/audit").await.status(),
        StatusCode::SEE_OTHER
    );

    // Audited, and both owners are told by email.
    let resets = app
        .app
        .store()
        .list_audit(&lysty_store::AuditFilter {
            limit: 50,
            action: Some("password_reset".into()),
            ..lysty_store::AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(resets.len(), 2);
    assert_eq!(
        resets[1].object_id.as_deref(),
        Some(moderator.to_string().as_str())
    );
    let notices = app
        .app
        .store()
        .pending_staff_notices(app.now() + chrono::Duration::minutes(1), 10)
        .await
        .unwrap();
    let told: Vec<&str> = notices
        .iter()
        .filter(|n| n.kind == "password_reset")
        .map(|n| n.email.as_str())
        .collect();
    assert!(told.contains(&"m@pen.example"), "{told:?}");
    assert!(told.contains(&"second@pen.example"), "{told:?}");
}

on_both_databases!(
    an_admin_resets_a_password_and_the_second_factor_still_guards_the_account,
    api_tokens_expire_and_signing_out_everywhere_revokes_them,
    staff_change_their_password_with_the_current_one,
    a_ukrainian_letter_goes_through_translation_to_approval,
    a_second_moderator_cannot_take_a_claimed_letter,
    unknown_users_and_wrong_passwords_look_the_same,
    a_brute_force_run_locks_the_account_then_the_address,
    a_csrf_attempt_is_refused,
    a_disabled_users_old_session_is_refused,
    sign_out_ends_the_session_on_the_server,
    admins_enrol_a_second_factor_and_codes_are_never_reused,
    the_second_factor_cannot_be_replaced_with_the_password_alone,
    a_locked_account_gets_no_second_step_and_wrong_codes_end_the_session,
    api_tokens_act_with_their_owners_roles_until_revoked,
    the_writer_sees_a_kind_explanation_never_the_note,
    a_redaction_keeps_the_original_for_admins_only,
    a_letter_longer_than_the_facility_accepts_is_flagged,
    a_refused_new_person_keeps_what_was_typed,
    an_admin_cannot_remove_their_own_admin_role,
);
