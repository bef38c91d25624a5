//! `/metrics` in Prometheus's text format, through the `metrics` facade and its Prometheus
//! exporter: requests by route template, method and status, their latency, letters
//! acknowledged, the intake's group sizes and commit time, store errors, and how much work
//! waits (review, translation, outbox). Labels are route templates, methods, statuses and
//! fixed names only: never a path (paths hold tracking codes and kiosk tokens), a letter's
//! text, an address or an email.
//!
//! Served only with `server.metrics_token` set, to a client that presents it as a bearer
//! token: the figures say how busy the campaign is, which is nobody else's business.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::AppState;

/// Latency buckets, in seconds: from a page out of memory to a slow PDF.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder, installed once (a process has one global recorder; every
/// router in it, test servers included, shares it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .ok()?
                .install_recorder()
                .map_err(|error| tracing::warn!(%error, "metrics are off"))
                .ok()
        })
        .as_ref()
}

/// Starts recording (called when the router is built).
pub(crate) fn install() {
    let _ = handle();
}

/// Counts each request and times it, by its route template.
pub(crate) async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(
        "lysty_http_request_duration_seconds",
        "method" => method.clone(),
        "route" => route.clone()
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "lysty_http_requests_total",
        "method" => method,
        "route" => route,
        "status" => status
    )
    .increment(1);
    response
}

/// Whether the request carries the configured token; compared by digest, so that the
/// time taken says nothing of how much of it was right.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state
        .config
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !authorised(&headers, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    scrape(State(state)).await
}

/// `/metrics` on `server.metrics_addr`, an address only the scraper reaches: no token.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let Some(handle) = handle() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match state.app.queue_lengths().await {
        Ok(lengths) => {
            metrics::gauge!("lysty_queue_letters", "queue" => "review").set(lengths.review as f64);
            metrics::gauge!("lysty_queue_letters", "queue" => "translation")
                .set(lengths.translation as f64);
            metrics::gauge!("lysty_outbox_due").set(lengths.outbox as f64);
        }
        Err(error) => {
            tracing::error!(%error, "metrics: the queues cannot be read");
            metrics::counter!("lysty_store_errors_total", "area" => "metrics").increment(1);
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
