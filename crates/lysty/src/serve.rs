//! `lysty serve`: the site, the intake writer and the outbox, until a signal ends them.

use super::*;

pub(crate) async fn serve(mut config: Config, demo: bool, create: bool) -> Result<()> {
    // Listening first: with port 0 the address, and so the links in emails, is known
    // only once bound.
    let listener = tokio::net::TcpListener::bind(config.server.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.addr))?;
    let local = listener.local_addr()?;
    config.server.addr = local;
    let store = open_store(&config, create).await?;
    let cipher = email_cipher(&config, true)?;
    let app = App::start(store, cipher, Arc::new(SystemClock), app_config(&config))
        .await
        .context("cannot prepare the campaign")?;
    if demo {
        app.seed_demo().await.context("cannot seed the demo data")?;
        let (email, password) = app
            .demo_admin()
            .await
            .map_err(|e| anyhow::anyhow!("cannot prepare the demo admin: {e}"))?;
        println!(
            "Demo admin (valid until the next start): {email} / {}",
            App::reveal(&password)
        );
    }
    let public_url = config
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let secure_cookies = config
        .server
        .secure_cookies
        .unwrap_or_else(|| public_url.starts_with("https://"));
    let state = AppState::new(
        app.clone(),
        HttpConfig {
            max_request_bytes: config.server.max_request_bytes,
            demo,
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies,
            limits: config.limits.to_http(),
            trusted_proxies: config.server.trusted_proxies.clone(),
            metrics_token: config.server.metrics_token.clone(),
            header_read_timeout: std::time::Duration::from_millis(
                config.server.header_read_timeout_ms.max(1),
            ),
            ..HttpConfig::default()
        },
    );
    tracing::info!(
        database = app.store().backend(),
        %local,
        demo,
        "Lysty is listening"
    );
    // Printed plainly too: tests and people wait for this line.
    println!("Lysty is listening on http://{local}");
    let metrics = match config.server.metrics_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for metrics on {addr}"))?;
            let addr = listener.local_addr()?;
            println!("Metrics for Prometheus on http://{addr}/metrics");
            let state = state.clone();
            Some(tokio::spawn(async move {
                if let Err(error) =
                    lysty_http::serve_metrics(listener, state, shutdown_signal()).await
                {
                    tracing::error!(%error, "the metrics listener stopped");
                }
            }))
        }
        None => None,
    };
    let mail = app.spawn_mail_loop(Arc::new(lysty_text::i18n::MailTexts));
    let retention = app.spawn_retention_loop();
    lysty_http::serve(listener, state, shutdown_signal()).await?;
    mail.abort();
    retention.abort();
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    app.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
