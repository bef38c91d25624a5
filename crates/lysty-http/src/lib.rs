//! Lysty's web server: the public pages, the JSON API and the middleware around them
//! (security headers, language, body limits, tracing).

pub mod api;
mod assets;
pub mod error;
mod forms;
mod health;
pub mod i18n;
mod pages;
mod security;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::routing::{get, post};
use lysty_app::App;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use security::security_headers;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger ones get a 413 with a clear message.
    pub max_request_bytes: usize,
    /// Show the demo-data banner on every page.
    pub demo: bool,
    /// The address people reach the site at, for links shown to them (no trailing slash).
    pub public_url: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_request_bytes: 256 * 1024,
            demo: false,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: HttpConfig,
}

/// Every route of the service. The authorization-matrix test (issue #3) enumerates this.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_request_bytes;
    let api = Router::new()
        .route("/prisoners", get(api::list_prisoners))
        .route("/prisoners/{slug}", get(api::get_prisoner))
        .route("/letters", post(api::create_letter))
        .route("/letters/track/{code}", get(api::track_letter))
        .route("/stats", get(api::stats))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found);
    Router::new()
        .route("/", get(pages::public::home))
        .route("/prisoners", get(pages::public::prisoners))
        .route("/prisoners/{slug}", get(pages::public::profile))
        .route(
            "/prisoners/{slug}/letters",
            post(pages::public::submit_letter),
        )
        .route("/letters", get(pages::public::track_form))
        .route("/letters/{code}", get(pages::public::letter))
        .route("/events", get(pages::public::events))
        .route("/events/{id}", get(pages::public::event))
        .route("/stats", get(pages::public::stats))
        .route("/healthz", get(health::healthz))
        .route("/static/{file}", get(assets::serve))
        .nest("/api/v1", api)
        .fallback(pages::public::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(
            // Spans name the route template, never the path: paths can hold tracking codes.
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("unmatched", MatchedPath::as_str);
                tracing::info_span!("request", method = %request.method(), route)
            }),
        )
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(axum::middleware::from_fn(i18n::negotiate))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
