//! `/healthz`: the process answers. `/readyz`: the instance can do its work (the database
//! answers, its schema is this build's, emails to writers go out). A load balancer sends
//! traffic by `/readyz`; a supervisor restarts by `/healthz`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

/// Liveness: the process serves requests. It does not touch the database.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        database: state.app.store_kind(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// `ready` or `unavailable`.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
    pub database_answers: bool,
    /// The latest migration applied to the database; absent when it cannot be read.
    pub schema_applied: Option<i64>,
    /// The latest migration this build carries.
    pub schema_known: Option<i64>,
    /// Emails to writers due for more than 15 minutes and not sent (absent when this
    /// instance sends no email).
    pub overdue_emails: Option<i64>,
}

/// Readiness: 200 when the instance can do its work, 503 with the reason otherwise.
#[utoipa::path(get, path = "/readyz",
    responses((status = 200, body = Ready), (status = 503, body = Ready)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Ready>) {
    let readiness = state.app.readiness().await;
    let ready = readiness.ready();
    let body = Ready {
        status: if ready { "ready" } else { "unavailable" },
        database: readiness.database,
        database_answers: readiness.database_answers,
        schema_applied: readiness.schema.map(|(applied, _)| applied),
        schema_known: readiness.schema.map(|(_, known)| known),
        overdue_emails: readiness.overdue_emails,
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}
