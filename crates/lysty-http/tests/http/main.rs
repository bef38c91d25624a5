//! The HTTP suite, one test binary (one link, one `common`): the real application on port
//! 0 with a fresh database per test, driven by a real client, on SQLite and — when
//! `LYSTY_TEST_POSTGRES` names a server — on PostgreSQL. One module per area.

#[macro_use]
mod common;

mod delivery_api;
mod dispatch;
mod events;
mod export;
mod health;
mod home;
mod limits;
mod matrix;
mod messages;
mod metrics;
mod openapi;
mod places;
mod prisoners;
mod public_site;
mod report;
mod safety;
mod staff;
