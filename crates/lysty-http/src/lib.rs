//! Lysty's web server: the public pages, the JSON API and the middleware around them
//! (security headers, language, body limits, tracing).

pub mod api;
mod api_delivery;
mod api_events;
mod api_safety;
mod api_staff;
mod assets;
pub mod auth;
mod charts;
pub mod error;
pub mod extract;
pub mod forms;
mod health;
pub mod i18n;
pub mod limits;
mod metrics;
pub mod openapi;
mod pages;
pub mod proof;
pub use lysty_text::report;
mod security;
mod server;
pub mod throttle;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use lysty_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use security::security_headers;
pub use server::{serve, serve_metrics};

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger ones get a 413 with a clear message.
    pub max_request_bytes: usize,
    /// Show the demo-data banner on every page.
    pub demo: bool,
    /// The address people reach the site at, for links shown to them (no trailing slash).
    pub public_url: String,
    /// Mark cookies `Secure` (with the `__Host-` prefix). Only plain-HTTP development
    /// and tests turn this off.
    pub secure_cookies: bool,
    pub throttle: throttle::ThrottleConfig,
    pub limits: limits::LimitsConfig,
    /// Proxies whose `X-Forwarded-For` is believed (a reverse proxy in front). From
    /// anyone else the header is ignored and the peer's address counts.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The bearer token `/metrics` asks for; without one `/metrics` is not served.
    pub metrics_token: Option<String>,
    /// How long a client has to send a request's headers before its connection is closed.
    pub header_read_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_request_bytes: 256 * 1024,
            demo: false,
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: true,
            throttle: throttle::ThrottleConfig::default(),
            limits: limits::LimitsConfig::default(),
            trusted_proxies: Vec::new(),
            metrics_token: None,
            header_read_timeout: Duration::from_secs(10),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: HttpConfig,
    pub throttle: Arc<throttle::LoginThrottle>,
    pub limits: Arc<limits::Limits>,
    pub proof: Arc<proof::ProofOfWork>,
}

impl AppState {
    pub fn new(app: App, config: HttpConfig) -> Self {
        let throttle = Arc::new(throttle::LoginThrottle::new(config.throttle.clone()));
        let limits = Arc::new(limits::Limits::new(config.limits.clone()));
        let proof = proof::ProofConfig {
            enabled: config.limits.enabled && config.limits.proof_of_work.enabled,
            ..config.limits.proof_of_work
        };
        let proof = Arc::new(proof::ProofOfWork::new(
            proof,
            app.derived_secret("proof-of-work"),
        ));
        AppState {
            app,
            config,
            throttle,
            limits,
            proof,
        }
    }
}

/// Every route: method, path and handler. The router is built from this list, and the
/// authorization-matrix test walks it, so no route escapes the matrix.
fn routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    use pages::{dispatch, kiosk, public, staff};
    vec![
        (Method::GET, "/", get(public::home)),
        (Method::GET, "/prisoners", get(public::prisoners)),
        (Method::GET, "/prisoners/{slug}", get(public::profile)),
        (
            Method::POST,
            "/prisoners/{slug}/letters",
            post(public::submit_letter),
        ),
        (Method::GET, "/letters", get(public::track_form)),
        (Method::GET, "/letters/{code}", get(public::letter)),
        (Method::GET, "/events", get(public::events)),
        (Method::GET, "/events/{id}", get(public::event)),
        (Method::GET, "/events/series/{series}", get(public::series)),
        (
            Method::GET,
            "/kiosk/sw.js",
            get(assets::kiosk_service_worker),
        ),
        (Method::GET, "/kiosk/{token}", get(kiosk::kiosk)),
        (Method::GET, "/kiosk/{token}/count", get(kiosk::count)),
        (Method::POST, "/kiosk/{token}/letters", post(kiosk::submit)),
        (Method::GET, "/stats", get(public::stats)),
        (Method::GET, "/about", get(public::about)),
        (Method::GET, "/privacy", get(public::privacy)),
        (Method::GET, "/healthz", get(health::healthz)),
        (Method::GET, "/readyz", get(health::readyz)),
        (Method::GET, "/static/{file}", get(assets::serve)),
        (Method::GET, "/staff", get(staff::home)),
        (Method::POST, "/staff/login", post(staff::login)),
        (
            Method::GET,
            "/staff/second-factor",
            get(staff::second_factor_form),
        ),
        (
            Method::POST,
            "/staff/second-factor",
            post(staff::second_factor),
        ),
        (Method::GET, "/staff/enrol", get(staff::enrol_form)),
        (Method::POST, "/staff/enrol", post(staff::enrol)),
        (Method::POST, "/staff/logout", post(staff::logout)),
        (
            Method::POST,
            "/staff/logout-everywhere",
            post(staff::logout_everywhere),
        ),
        (Method::GET, "/staff/account", get(staff::account)),
        (
            Method::POST,
            "/staff/account/password",
            post(staff::change_password),
        ),
        (Method::GET, "/staff/review", get(staff::review_queue)),
        (
            Method::GET,
            "/staff/translation",
            get(staff::translation_queue),
        ),
        (Method::GET, "/staff/letters/{id}", get(staff::letter)),
        (
            Method::POST,
            "/staff/letters/{id}/approve",
            post(staff::approve),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/reject",
            post(staff::reject),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/redact",
            post(staff::redact),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/translation",
            post(staff::translation),
        ),
        (Method::GET, "/staff/people", get(staff::people)),
        (Method::POST, "/staff/people", post(staff::create_person)),
        (
            Method::POST,
            "/staff/people/{id}/roles",
            post(staff::set_roles),
        ),
        (
            Method::POST,
            "/staff/people/{id}/disable",
            post(staff::disable_person),
        ),
        (
            Method::POST,
            "/staff/people/{id}/enable",
            post(staff::enable_person),
        ),
        (
            Method::POST,
            "/staff/people/{id}/password-reset",
            post(staff::reset_password),
        ),
        (
            Method::GET,
            "/staff/organisations",
            get(staff::organisations),
        ),
        (
            Method::POST,
            "/staff/organisations",
            post(staff::create_organisation),
        ),
        (Method::GET, "/staff/tokens", get(staff::tokens)),
        (Method::POST, "/staff/tokens", post(staff::create_token)),
        (
            Method::POST,
            "/staff/tokens/{id}/revoke",
            post(staff::revoke_token),
        ),
        (Method::GET, "/staff/lexicon", get(staff::lexicon)),
        (Method::POST, "/staff/lexicon", post(staff::add_term)),
        (
            Method::POST,
            "/staff/lexicon/{id}/remove",
            post(staff::remove_term),
        ),
        (Method::GET, "/staff/audit", get(staff::audit)),
        (Method::GET, "/staff/export", get(pages::export::form)),
        (Method::POST, "/staff/export", post(pages::export::download)),
        (Method::GET, "/staff/report", get(pages::report::page)),
        (
            Method::GET,
            "/staff/report/download",
            get(pages::report::download),
        ),
        (Method::GET, "/staff/events", get(staff::events)),
        // delivery (pages/dispatch.rs)
        (Method::GET, "/staff/delivery", get(dispatch::desk)),
        (Method::POST, "/staff/batches", post(dispatch::build_batch)),
        (
            Method::POST,
            "/staff/outcomes",
            post(dispatch::import_outcomes)
                .layer(DefaultBodyLimit::max(dispatch::MAX_OUTCOMES_UPLOAD)),
        ),
        (Method::GET, "/staff/batches/{id}", get(dispatch::batch)),
        (
            Method::GET,
            "/staff/batches/{id}/pdf",
            get(dispatch::batch_pdf),
        ),
        (
            Method::GET,
            "/staff/batches/{id}/electronic",
            get(dispatch::electronic),
        ),
        (
            Method::POST,
            "/staff/batches/{id}/sent",
            post(dispatch::mark_sent),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/outcome",
            post(dispatch::record_outcome).layer(DefaultBodyLimit::max(dispatch::MAX_SCAN_UPLOAD)),
        ),
        (
            Method::GET,
            "/staff/evidence/{id}",
            get(dispatch::evidence_scan),
        ),
        (Method::GET, "/staff/held", get(dispatch::held)),
        (
            Method::POST,
            "/staff/letters/{id}/reroute",
            post(dispatch::reroute),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/bank",
            post(dispatch::bank),
        ),
        (Method::GET, "/staff/bank", get(dispatch::letter_bank)),
        (
            Method::GET,
            "/staff/bank/{slug}/pdf",
            get(dispatch::bank_pdf),
        ),
        (Method::GET, "/staff/facilities", get(dispatch::facilities)),
        (
            Method::POST,
            "/staff/facilities",
            post(dispatch::save_facility),
        ),
        (
            Method::GET,
            "/staff/facilities/{slug}",
            get(dispatch::facility),
        ),
        (Method::GET, "/staff/prisoners", get(staff::prisoners)),
        (
            Method::POST,
            "/staff/prisoners",
            post(staff::create_prisoner),
        ),
        (
            Method::GET,
            "/staff/prisoners/new",
            get(staff::new_prisoner),
        ),
        (
            Method::GET,
            "/staff/prisoners/{slug}/edit",
            get(staff::edit_prisoner),
        ),
        (
            Method::POST,
            "/staff/prisoners/{slug}/edit",
            post(staff::update_prisoner),
        ),
        (
            Method::GET,
            "/staff/prisoners/{slug}/placements",
            get(dispatch::placements),
        ),
        (
            Method::GET,
            "/staff/prisoners/{slug}/case",
            get(staff::case_terms),
        ),
        (
            Method::POST,
            "/staff/prisoners/{slug}/case",
            post(staff::save_case_terms),
        ),
        (
            Method::POST,
            "/staff/prisoners/{slug}/placements",
            post(dispatch::record_placement),
        ),
        (
            Method::POST,
            "/staff/prisoners/{slug}/status",
            post(dispatch::set_status),
        ),
        (Method::GET, "/staff/replies", get(dispatch::replies)),
        (
            Method::POST,
            "/staff/replies",
            post(dispatch::record_reply).layer(DefaultBodyLimit::max(dispatch::MAX_SCAN_UPLOAD)),
        ),
        (
            Method::GET,
            "/staff/replies/{id}/scan",
            get(dispatch::reply_scan),
        ),
        (Method::POST, "/staff/events", post(staff::create_event)),
        (Method::GET, "/staff/events/{id}", get(staff::event)),
        (
            Method::POST,
            "/staff/events/{id}",
            post(staff::update_event),
        ),
        (
            Method::POST,
            "/staff/events/{id}/kiosk",
            post(staff::open_kiosk),
        ),
        (
            Method::POST,
            "/staff/events/{id}/kiosk/replace",
            post(staff::replace_kiosk),
        ),
        (
            Method::POST,
            "/staff/events/{id}/kiosk/revoke",
            post(staff::revoke_kiosk),
        ),
        (Method::POST, "/staff/events/{id}/tally", post(staff::tally)),
        (
            Method::POST,
            "/staff/events/{id}/paper",
            // Pages are photos and scans: up to 20 of them at 10 MiB each.
            post(staff::enter_paper).layer(DefaultBodyLimit::max(
                lysty_app::events::MAX_PAGES * lysty_app::events::MAX_PAGE_BYTES + 64 * 1024,
            )),
        ),
        (
            Method::GET,
            "/staff/letters/{id}/pages/{page}",
            get(staff::letter_page_file),
        ),
        (
            Method::POST,
            "/staff/letters/{id}/transcription",
            post(staff::transcription),
        ),
        (Method::GET, "/api/v1/prisoners", get(api::list_prisoners)),
        (
            Method::GET,
            "/api/v1/prisoners/{slug}",
            get(api::get_prisoner),
        ),
        (Method::POST, "/api/v1/letters", post(api::create_letter)),
        (
            Method::GET,
            "/api/v1/proof-of-work",
            get(api::proof_of_work),
        ),
        (
            Method::POST,
            "/api/v1/letters/check",
            post(api_safety::check_letter),
        ),
        (
            Method::GET,
            "/api/v1/prisoners/{slug}/case-terms",
            get(api_safety::case_terms),
        ),
        (
            Method::PUT,
            "/api/v1/prisoners/{slug}/case-terms",
            put(api_safety::set_case_terms),
        ),
        (
            Method::GET,
            "/api/v1/letters/track/{code}",
            get(api::track_letter),
        ),
        (Method::GET, "/api/v1/stats", get(api::stats)),
        (Method::GET, "/api/v1/openapi.json", get(openapi::openapi)),
        (Method::GET, "/metrics", get(metrics::metrics)),
        (Method::GET, "/api/v1/events", get(api_events::list)),
        (Method::POST, "/api/v1/events", post(api_events::create)),
        (
            Method::POST,
            "/api/v1/events/{id}/tally",
            post(api_events::tally),
        ),
        (Method::GET, "/api/v1/review/queue", get(api_staff::queue)),
        (
            Method::POST,
            "/api/v1/letters/{id}/claim",
            post(api_staff::claim),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/approve",
            post(api_staff::approve),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/reject",
            post(api_staff::reject),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/translation",
            post(api_staff::translation),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/redact",
            post(api_staff::redact),
        ),
        // delivery (api_delivery.rs)
        (
            Method::GET,
            "/api/v1/facilities",
            get(api_delivery::facilities),
        ),
        (
            Method::POST,
            "/api/v1/facilities",
            post(api_delivery::save_facility),
        ),
        (
            Method::POST,
            "/api/v1/prisoners/{slug}/placements",
            post(api_delivery::placement),
        ),
        (
            Method::POST,
            "/api/v1/prisoners/{slug}/status",
            post(api_delivery::prisoner_status),
        ),
        (
            Method::POST,
            "/api/v1/prisoners/{slug}/replies",
            post(api_delivery::reply),
        ),
        (
            Method::POST,
            "/api/v1/batches",
            post(api_delivery::build_batch),
        ),
        (
            Method::GET,
            "/api/v1/batches/{id}",
            get(api_delivery::batch),
        ),
        (
            Method::GET,
            "/api/v1/batches/{id}/pdf",
            get(api_delivery::batch_pdf),
        ),
        (
            Method::GET,
            "/api/v1/batches/{id}/electronic",
            get(api_delivery::electronic),
        ),
        (
            Method::POST,
            "/api/v1/batches/{id}/sent",
            post(api_delivery::mark_sent),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/outcome",
            post(api_delivery::outcome),
        ),
        (
            Method::POST,
            "/api/v1/outcomes",
            post(api_delivery::import_outcomes),
        ),
        (Method::GET, "/api/v1/held", get(api_delivery::held)),
        (
            Method::POST,
            "/api/v1/letters/{id}/reroute",
            post(api_delivery::reroute),
        ),
        (
            Method::POST,
            "/api/v1/letters/{id}/bank",
            post(api_delivery::bank),
        ),
        (Method::GET, "/api/v1/bank", get(api_delivery::letter_bank)),
        (
            Method::GET,
            "/api/v1/bank/{slug}/pdf",
            get(api_delivery::bank_pdf),
        ),
    ]
}

/// Every (method, path) the router serves.
pub fn route_table() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// The whole service: every route behind the middleware.
pub fn router(state: AppState) -> Router {
    metrics::install();
    let max_body = state.config.max_request_bytes;
    let mut router = Router::new();
    for (_, path, handler) in routes() {
        router = router.route(path, handler);
    }
    router
        .fallback(pages::public::fallback)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(
            // Spans name the route template, never the path: paths can hold tracking codes.
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or("unmatched", MatchedPath::as_str);
                // A random id per request (never derived from the client), echoed in the
                // response's x-request-id, so that a report can be matched to its log lines.
                let id = request
                    .extensions()
                    .get::<tower_http::request_id::RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("");
                tracing::info_span!("request", method = %request.method(), route, request_id = id)
            })
            // One line per answered request: status and latency, in the request's span.
            .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(axum::middleware::from_fn(i18n::negotiate))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::identify,
        ))
        // Outside authentication (which may hash a password) and the handler alike.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        // Every request gets an id of ours (a client's own is dropped first), seen by the
        // trace span and returned in x-request-id.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_client_request_id))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn drop_client_request_id(mut request: Request) -> Request {
    request.headers_mut().remove("x-request-id");
    request
}
