//! What the application's test files share: a fresh store on each backend.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lysty_app::{Actor, App, AppConfig, EmailCipher, ManualClock};
use lysty_domain::{Role, Roles};
use lysty_store::Store;
use lysty_store_postgres::{PgOptions, PgStore, create_database};
use lysty_store_sqlite::{SqliteOptions, SqliteStore};

/// A fresh store on SQLite, then on PostgreSQL when `LYSTY_TEST_POSTGRES` names a server.
pub async fn stores() -> Vec<Arc<dyn Store>> {
    let dir = tempfile::tempdir().unwrap().keep();
    let url = format!("sqlite://{}", dir.join("lysty.db").display());
    let sqlite = SqliteStore::open(
        &url,
        &SqliteOptions {
            create: true,
            ..SqliteOptions::default()
        },
    )
    .await
    .unwrap();
    let mut stores: Vec<Arc<dyn Store>> = vec![Arc::new(sqlite)];
    if let Ok(admin) = std::env::var("LYSTY_TEST_POSTGRES") {
        let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
        let url = create_database(&admin, &name).await.unwrap();
        stores.push(Arc::new(
            PgStore::open(&url, &PgOptions::default()).await.unwrap(),
        ));
    }
    stores
}

/// The reviewing and delivery desk the printing and safety cases share: the app on a clock
/// fixed in March 2030 with the demo seeded, and a moderator, a translator and a dispatcher
/// of the first organisation, each also holding `also`.
pub struct Desk {
    pub app: App,
    pub moderator: Actor,
    pub translator: Actor,
    pub dispatcher: Actor,
}

pub async fn desk(store: Arc<dyn Store>, config: AppConfig, also: &[Role]) -> Desk {
    let cipher = EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap();
    let clock = ManualClock::starting_at(Utc.with_ymd_and_hms(2030, 3, 14, 10, 0, 0).unwrap());
    let app = App::start(store, cipher, Arc::new(clock), config)
        .await
        .unwrap();
    app.seed_demo().await.unwrap();
    let org = app.store().list_organisations().await.unwrap()[0].id;
    let mut actors = Vec::new();
    for (email, role) in [
        ("m@pen.example", Role::Moderator),
        ("t@pen.example", Role::Translator),
        ("d@pen.example", Role::Dispatcher),
    ] {
        let mut roles = vec![role];
        roles.extend_from_slice(also);
        app.create_staff(
            None,
            org,
            email,
            email,
            Roles::of(&roles),
            Some("correct horse battery staple 42"),
        )
        .await
        .unwrap();
        actors.push(app.operator(email).await.unwrap());
    }
    let dispatcher = actors.pop().unwrap();
    let translator = actors.pop().unwrap();
    let moderator = actors.pop().unwrap();
    Desk {
        app,
        moderator,
        translator,
        dispatcher,
    }
}
