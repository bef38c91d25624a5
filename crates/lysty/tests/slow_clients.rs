//! Slow clients cannot hold the server: one that trickles its request headers a byte at a
//! time has its connection closed once `server.header_read_timeout_ms` has passed, and while
//! fifty of them hang on, everyone else is answered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Bounded: a trickling client gives up after this long.
const TRICKLE_FOR: Duration = Duration::from_secs(8);

/// Sends a request's headers one byte every 100 ms; returns whether the server closed the
/// connection before the headers were complete (or `TRICKLE_FOR` ran out).
fn trickle(addr: &str) -> bool {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(1)))
        .unwrap();
    let headers = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: {}\r\n\r\n",
        "a".repeat(200)
    );
    let started = Instant::now();
    for byte in headers.as_bytes() {
        if started.elapsed() > TRICKLE_FOR {
            return false;
        }
        if stream.write_all(&[*byte]).is_err() {
            return true;
        }
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            // Closed, with or without a 408 first.
            Ok(0) => return true,
            Ok(_) => {
                let mut rest = Vec::new();
                stream
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .unwrap();
                let _ = stream.read_to_end(&mut rest);
                return true;
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_is_cut_off_and_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::sqlite_url(dir.path());
    let (mut server, _lines, addr) =
        support::serve_with(&url, &[("LYSTY_SERVER__HEADER_READ_TIMEOUT_MS", "500")]);

    // Fifty trickling clients at once.
    let slow: Vec<_> = (0..50)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || trickle(&addr))
        })
        .collect();
    // Meanwhile a writer is served.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let page = client
        .get(format!("http://{addr}/prisoners"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let cut_off = slow
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|closed| *closed)
        .count();
    assert_eq!(cut_off, 50, "every trickling client was cut off");
    // A client that sends its request in time is still served on a new connection.
    let home = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(home.status(), reqwest::StatusCode::OK);
    server.kill().unwrap();
    server.wait().unwrap();
}
