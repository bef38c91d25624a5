//! The public figures: served from a snapshot no older than the configured age, and
//! "waiting for letters" summed from day counters over its 90-day window.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use lysty_app::stats::WAITING_WINDOW_DAYS;
use lysty_app::{App, AppConfig, EmailCipher, LetterInput, ManualClock};
use lysty_domain::Source;
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

async fn app(figures_max_age: Duration) -> (App, Arc<ManualClock>) {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}", dir.join("f.db").display());
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
    let clock = Arc::new(ManualClock::starting_at(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 3, 14, 10, 0, 0).unwrap(),
    ));
    let app = App::start(
        Arc::new(store),
        cipher,
        clock.clone(),
        AppConfig {
            figures_max_age,
            ..AppConfig::default()
        },
    )
    .await
    .unwrap();
    app.seed_demo().await.unwrap();
    (app, clock)
}

async fn write_to(app: &App, slug: &str, n: usize) {
    for i in 0..n {
        app.submit_letter(
            &LetterInput {
                prisoner: slug.into(),
                body: format!("Тримайтеся! Ми з вами, лист {i}."),
                language: "uk".into(),
                ..LetterInput::default()
            },
            Source::Online,
        )
        .await
        .unwrap();
    }
}

async fn recent(app: &App, slug: &str) -> i64 {
    app.public_figures()
        .await
        .unwrap()
        .waiting
        .iter()
        .find(|w| w.prisoner.slug.as_str() == slug)
        .map(|w| w.recent)
        .unwrap()
}

#[tokio::test]
async fn the_figures_are_served_from_the_snapshot_until_it_ages() {
    let (app, clock) = app(Duration::from_secs(600)).await;
    let before = app.public_figures().await.unwrap();
    write_to(&app, "remzi-bekirov", 3).await;
    // Within its age the snapshot answers: the new letters are not counted yet.
    let cached = app.public_figures().await.unwrap();
    assert!(Arc::ptr_eq(&before, &cached));
    assert_eq!(cached.stats.total, before.stats.total);
    clock.advance(chrono::Duration::seconds(601));
    let fresh = app.public_figures().await.unwrap();
    assert_eq!(fresh.stats.total, before.stats.total + 3);
    assert_eq!(
        recent(&app, "remzi-bekirov").await,
        before
            .waiting
            .iter()
            .find(|w| w.prisoner.slug.as_str() == "remzi-bekirov")
            .unwrap()
            .recent
            + 3
    );
}

#[tokio::test]
async fn with_no_age_every_view_sees_the_last_letter() {
    let (app, _clock) = app(Duration::ZERO).await;
    let before = app.public_figures().await.unwrap().stats.total;
    write_to(&app, "remzi-bekirov", 1).await;
    assert_eq!(app.public_figures().await.unwrap().stats.total, before + 1);
}

#[tokio::test]
async fn waiting_for_letters_counts_the_window_of_days_and_no_more() {
    let (app, clock) = app(Duration::ZERO).await;
    let start = recent(&app, "bohdan-ziza").await;
    write_to(&app, "bohdan-ziza", 2).await;
    assert_eq!(recent(&app, "bohdan-ziza").await, start + 2);
    clock.advance(chrono::Duration::days(30));
    write_to(&app, "bohdan-ziza", 1).await;
    assert_eq!(recent(&app, "bohdan-ziza").await, start + 3);
    // The first two leave the window a little over 90 days after they came.
    clock.advance(chrono::Duration::days(WAITING_WINDOW_DAYS - 30 + 2));
    assert_eq!(recent(&app, "bohdan-ziza").await, 1);
    clock.advance(chrono::Duration::days(30));
    assert_eq!(recent(&app, "bohdan-ziza").await, 0);
    // The live day counters are what a full recount finds.
    let recount = app
        .store()
        .rebuild_counters(app.campaign().id)
        .await
        .unwrap();
    assert!(recount.changed.is_empty(), "{:?}", recount.changed);
}
