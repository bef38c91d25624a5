//! Runs the real `lysty` binary.

#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::zombie_processes
)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub const EMAIL_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub fn lysty() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lysty"));
    command
        .env("LYSTY_SECRETS__EMAIL_KEY", EMAIL_KEY)
        .env("RUST_LOG", "warn")
        // One test client is one address: the load these tests make is not a flood.
        .env("LYSTY_LIMITS__ENABLED", "false")
        .env_remove("LYSTY_CONFIG")
        .env_remove("LYSTY_DATABASE__URL");
    command
}

/// Starts `lysty serve --demo` on a free port and waits until it listens.
pub fn serve(database: &str) -> (Child, SocketAddr) {
    let mut child = lysty()
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--database",
            database,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start lysty");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("lysty exited before listening")
            .expect("read stdout");
        if let Some(addr) = line.strip_prefix("Lysty is listening on http://") {
            let addr = addr.trim().parse().expect("address");
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            return (child, addr);
        }
    }
}

/// A fresh database URL for the backend: a file in a temporary directory, or a new
/// PostgreSQL database when `LYSTY_TEST_POSTGRES` is set.
pub fn sqlite_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("lysty.db").display())
}

pub async fn postgres_url() -> Option<String> {
    let admin = std::env::var("LYSTY_TEST_POSTGRES").ok()?;
    let name = format!("lysty_t_{}", uuid::Uuid::now_v7().simple());
    Some(
        lysty_store_postgres::create_database(&admin, &name)
            .await
            .expect("create database"),
    )
}

/// Starts a command with its stdout (and stderr, when piped) read line by line into a
/// channel, and waits for the line that says where it listens: the child, the lines, every
/// line read so far, and the address (`127.0.0.1:PORT`).
pub fn spawn_reading_lines(
    command: &mut Command,
) -> (
    Child,
    std::sync::mpsc::Receiver<String>,
    Vec<String>,
    String,
) {
    let mut child = command.spawn().expect("start lysty");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let streams: Vec<Box<dyn std::io::Read + Send>> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .collect();
    for stream in streams {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = Vec::new();
    let mut addr = None;
    while addr.is_none() && std::time::Instant::now() < deadline {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("a line from lysty");
        addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split(['"', ' ']).next())
            .filter(|a| a.starts_with("127.0.0.1:"))
            .map(str::to_owned);
        seen.push(line);
    }
    let addr = addr.expect("the server said where it listens");
    (child, rx, seen, addr)
}

/// `lysty serve --demo` on a free port with settings given as environment variables
/// (`LYSTY_SECTION__KEY`): the child, its standard output line by line, and its address.
pub fn serve_with(
    database: &str,
    env: &[(&str, &str)],
) -> (Child, std::sync::mpsc::Receiver<String>, String) {
    let mut command = lysty();
    command
        .envs(env.iter().copied())
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--database",
            database,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let (child, lines, _seen, addr) = spawn_reading_lines(&mut command);
    (child, lines, addr)
}

/// The standard output of a command that must have succeeded; its errors otherwise.
pub fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
