//! Serving the router over hyper: a header-read timeout per connection, graceful shutdown,
//! and `/metrics` on an address of its own.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::{AppState, metrics, router};

/// Serves until `shutdown` resolves, then lets requests in flight finish.
///
/// Connections are served by hyper directly rather than `axum::serve`, which sets no timer
/// and so no header-read timeout: a client that sends its headers a byte at a time would
/// hold a connection for ever. Here a client has `header_read_timeout` to send a request's
/// headers (the first one's, and each next one's on a kept-alive connection) or the
/// connection is closed; the body and the handler are bounded by the router's timeout.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_read_timeout = state.config.header_read_timeout;
    serve_router(listener, router(state), header_read_timeout, shutdown).await
}

/// `/metrics` alone, without a token, for `server.metrics_addr`: an address on a private
/// network or the loopback that only the scraper reaches, apart from the public site.
pub async fn serve_metrics(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_read_timeout = state.config.header_read_timeout;
    let app = Router::new()
        .route("/metrics", get(metrics::scrape))
        .with_state(state);
    serve_router(listener, app, header_read_timeout, shutdown).await
}

async fn serve_router(
    listener: TcpListener,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // The client's address is needed only for the in-memory limits, never stored.
        let service = tower_http::add_extension::AddExtension::new(
            app.clone(),
            axum::extract::ConnectInfo(peer),
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that hangs up or times out ends its own connection; nothing to report.
            let _ = connection.await;
        });
    }
    drop(listener);
    // Requests under way finish (each within the router's timeout); idle connections close.
    graceful.shutdown().await;
    Ok(())
}
