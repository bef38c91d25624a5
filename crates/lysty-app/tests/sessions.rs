//! Sessions end when idle and at their absolute limit, whatever the browser keeps.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use lysty_app::{App, AppConfig, EmailCipher, ManualClock};
use lysty_domain::{Role, Roles};
use lysty_store::NewOrganisation;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

/// Every test starts at the same instant, whatever the day it runs.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 14, 10, 0, 0).unwrap()
}

async fn app(clock: Arc<ManualClock>) -> App {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}", dir.join("s.db").display());
    let store = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .unwrap();
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap();
    let app = App::start(Arc::new(store), cipher, clock, AppConfig::default())
        .await
        .unwrap();
    let org = app
        .create_organisation(
            None,
            &NewOrganisation {
                slug: "pen".into(),
                name_uk: "ПЕН".into(),
                name_en: "PEN".into(),
            },
        )
        .await
        .unwrap();
    app.create_staff(
        None,
        org,
        "m@pen.example",
        "M",
        Roles::of(&[Role::Moderator]),
        Some("correct horse battery staple 42"),
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn an_idle_session_ends() {
    let clock = Arc::new(ManualClock::starting_at(start()));
    let app = app(clock.clone()).await;
    let signed = app
        .sign_in("m@pen.example", "correct horse battery staple 42")
        .await
        .unwrap();
    let secret = App::reveal(&signed.cookie_secret).to_owned();
    clock.advance(Duration::minutes(29));
    assert!(
        app.session_actor(&secret).await.unwrap().is_some(),
        "still alive after 29 minutes"
    );
    clock.advance(Duration::minutes(29));
    assert!(
        app.session_actor(&secret).await.unwrap().is_some(),
        "use keeps it alive"
    );
    clock.advance(Duration::minutes(31));
    assert!(
        app.session_actor(&secret).await.unwrap().is_none(),
        "31 idle minutes end it"
    );
}

#[tokio::test]
async fn a_used_session_still_ends_at_its_absolute_limit() {
    let clock = Arc::new(ManualClock::starting_at(start()));
    let app = app(clock.clone()).await;
    let signed = app
        .sign_in("m@pen.example", "correct horse battery staple 42")
        .await
        .unwrap();
    let secret = App::reveal(&signed.cookie_secret).to_owned();
    for _ in 0..35 {
        clock.advance(Duration::minutes(20));
        assert!(app.session_actor(&secret).await.unwrap().is_some());
    }
    clock.advance(Duration::minutes(20));
    assert!(
        app.session_actor(&secret).await.unwrap().is_none(),
        "12 hours is the limit"
    );
}

#[tokio::test]
async fn a_new_sign_in_gets_a_new_session_id() {
    let clock = Arc::new(ManualClock::starting_at(start()));
    let app = app(clock).await;
    let a = app
        .sign_in("m@pen.example", "correct horse battery staple 42")
        .await
        .unwrap();
    let b = app
        .sign_in("m@pen.example", "correct horse battery staple 42")
        .await
        .unwrap();
    assert_ne!(App::reveal(&a.cookie_secret), App::reveal(&b.cookie_secret));
}
