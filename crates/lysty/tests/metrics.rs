//! `server.metrics_addr`: `/metrics` alone on an address of its own, without a token, parsed
//! as Prometheus text; the public address does not serve it without a token.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_on_their_own_address_and_parse() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let (mut server, lines, addr) =
        support::serve_with(&url, &[("LYSTY_SERVER__METRICS_ADDR", "127.0.0.1:0")]);
    let metrics_addr = loop {
        let line = lines.recv_timeout(Duration::from_secs(30)).unwrap();
        if let Some(rest) = line.strip_prefix("Metrics for Prometheus on http://") {
            break rest.trim_end_matches("/metrics").to_owned();
        }
    };
    let client = reqwest::Client::new();
    let status = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap().status() }
    };
    assert_eq!(status(format!("http://{addr}/prisoners")).await, 200);
    // The public address: no token configured, so no metrics.
    assert_eq!(status(format!("http://{addr}/metrics")).await, 404);
    // The metrics address serves nothing else.
    assert_eq!(status(format!("http://{metrics_addr}/")).await, 404);

    let text = client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    // Prometheus text format: comments, or `name{labels} value` with a number for value.
    let mut samples = 0;
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        assert!(name.starts_with("lysty_"), "{line}");
        samples += 1;
    }
    assert!(samples > 0);
    assert!(
        text.contains(
            r#"lysty_http_requests_total{method="GET",route="/prisoners",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains("lysty_queue_letters{queue=\"review\"}"),
        "{text}"
    );
}
