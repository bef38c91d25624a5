//! Limits on the public side, so that one client cannot flood the moderators' queue or the
//! public totals: per client address (letters, tracking lookups), per kiosk token, a global
//! ceiling on letters, and exact duplicates of a text from one address.
//!
//! Everything is in memory only: addresses are never stored or logged, and they are
//! forgotten once their allowance is whole again. The client address is the peer's,
//! unless the peer is a trusted proxy (`server.trusted_proxies`): then it is the nearest
//! untrusted address in `X-Forwarded-For`, so a header from anyone else changes nothing.
//! IPv6 clients are grouped by their /64, which one household or phone holds whole.
//!
//! The rates are GCRA (the `governor` crate): an allowance that refills steadily, so a
//! burst is served and a flood is cut to the refill rate.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use crate::AppState;

/// The limits' settings (`[limits]`).
#[derive(Debug, Clone)]
pub struct LimitsConfig {
    /// Off turns every limit off: for load benchmarks, where one generator is one address.
    pub enabled: bool,
    /// Letters one client address may send per hour (form and API together); the whole
    /// allowance may be used at once.
    pub letters_per_hour: u32,
    /// Letters one kiosk (by its token) may send per minute: a tablet at a busy stand.
    pub kiosk_letters_per_minute: u32,
    /// Letters per second from everyone together: the ceiling a flood from many addresses
    /// meets.
    pub letters_per_second: u32,
    /// Tracking lookups (a letter by its code) one client address may make per minute.
    pub lookups_per_minute: u32,
    /// How long the same text from the same address is refused as a duplicate.
    pub duplicate_window: Duration,
    /// The proof of work asked of every letter from the form and the API (not the kiosk).
    pub proof_of_work: crate::proof::ProofConfig,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            enabled: true,
            letters_per_hour: 20,
            kiosk_letters_per_minute: 30,
            letters_per_second: 50,
            lookups_per_minute: 60,
            duplicate_window: Duration::from_secs(60 * 60),
            proof_of_work: crate::proof::ProofConfig::default(),
        }
    }
}

/// Who is asking, as far as limits are concerned: an IPv4 address or an IPv6 /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The client behind `peer`: the peer itself unless it is a trusted proxy, then the
    /// nearest address in `X-Forwarded-For` (read from the right) that is not one.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Self {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        let mut client = peer;
        if is_trusted(&peer) {
            let forwarded = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect::<Vec<_>>();
            for hop in forwarded.iter().rev() {
                let Ok(ip) = hop.parse::<IpAddr>() else {
                    // A hop a proxy did not write: stop at the last address it vouches for.
                    break;
                };
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
        }
        ClientKey::of(client)
    }

    /// The address (or the /64's first address) the limits count under.
    pub fn ip(self) -> IpAddr {
        self.0
    }

    fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => ClientKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    ClientKey(IpAddr::V6(Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }
}

/// The client of a request, as [`identify`] resolved it. Without a peer address (a router
/// driven in-process), every request counts as one unspecified client.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientKey>()
            .copied()
            .unwrap_or(ClientKey(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))))
    }
}

/// Refused for now: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one, for the `Retry-After` header.
    pub fn seconds(self) -> u64 {
        self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)
    }

    /// Whole minutes, at least one, for the message.
    pub fn minutes(self) -> i64 {
        i64::try_from(self.seconds().div_ceil(60).max(1)).unwrap_or(i64::MAX)
    }
}

/// The JSON refusal of a letter over its allowance (API and kiosk), saying in the
/// request's language how many minutes to wait, with its `Retry-After`.
pub fn too_many_letters(lang: &crate::i18n::Lang, wait: RetryAfter) -> Response {
    use axum::response::IntoResponse;
    let refused = crate::error::ApiError {
        status: axum::http::StatusCode::TOO_MANY_REQUESTS,
        code: "too_many_requests",
        message: lang.tn("error-too-many-letters", "minutes", wait.minutes()),
        fields: Vec::new(),
        cause: None,
    };
    with_retry_after(refused.into_response(), wait)
}

/// Adds `Retry-After` to a refusal.
pub fn with_retry_after(mut response: Response, wait: RetryAfter) -> Response {
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(wait.seconds()),
    );
    response
}

/// A client and the SHA-256 of a text it sent.
type SeenText = (ClientKey, [u8; 32]);

pub struct Limits {
    config: LimitsConfig,
    letters: DefaultKeyedRateLimiter<ClientKey>,
    kiosks: DefaultKeyedRateLimiter<String>,
    lookups: DefaultKeyedRateLimiter<ClientKey>,
    everyone: DefaultDirectRateLimiter,
    /// (client, text fingerprint) → (when first seen, the idempotency key it came with).
    recent_texts: Mutex<HashMap<SeenText, (Instant, String)>>,
    checks: AtomicU64,
}

fn per(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl Limits {
    pub fn new(config: LimitsConfig) -> Self {
        let hourly =
            Quota::per_hour(per(config.letters_per_hour)).allow_burst(per(config.letters_per_hour));
        Limits {
            letters: RateLimiter::keyed(hourly),
            kiosks: RateLimiter::keyed(Quota::per_minute(per(config.kiosk_letters_per_minute))),
            lookups: RateLimiter::keyed(Quota::per_minute(per(config.lookups_per_minute))),
            everyone: RateLimiter::direct(Quota::per_second(per(config.letters_per_second))),
            recent_texts: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
            config,
        }
    }

    pub fn enabled(&self) -> bool {
        self.config.enabled
    }

    /// A letter from a writer's address (the form or the API).
    pub fn letter(&self, client: ClientKey) -> Result<(), RetryAfter> {
        if !self.config.enabled {
            return Ok(());
        }
        self.tidy();
        check(self.letters.check_key(&client))?;
        check(self.everyone.check())
    }

    /// A letter from a kiosk: its own allowance, by token, then the global ceiling.
    pub fn kiosk_letter(&self, token: &str) -> Result<(), RetryAfter> {
        if !self.config.enabled {
            return Ok(());
        }
        self.tidy();
        check(self.kiosks.check_key(&token.to_owned()))?;
        check(self.everyone.check())
    }

    /// A letter looked up by its tracking code.
    pub fn lookup(&self, client: ClientKey) -> Result<(), RetryAfter> {
        if !self.config.enabled {
            return Ok(());
        }
        self.tidy();
        check(self.lookups.check_key(&client))
    }

    /// Whether this text from this address is a duplicate of one sent within the window
    /// under another idempotency key (a retry of the same letter is not a duplicate).
    /// Remembers it otherwise. Only a fingerprint of the text is kept.
    pub fn duplicate(&self, client: ClientKey, text: &str, idempotency_key: &str) -> bool {
        if !self.config.enabled {
            return false;
        }
        use sha2::Digest;
        let fingerprint: [u8; 32] = sha2::Sha256::digest(text.trim().as_bytes()).into();
        let now = Instant::now();
        let Ok(mut recent) = self.recent_texts.lock() else {
            return false;
        };
        match recent.get(&(client, fingerprint)) {
            Some((at, key))
                if now.duration_since(*at) < self.config.duplicate_window
                    && key != idempotency_key =>
            {
                true
            }
            Some((at, _)) if now.duration_since(*at) < self.config.duplicate_window => false,
            _ => {
                recent.insert((client, fingerprint), (now, idempotency_key.to_owned()));
                false
            }
        }
    }

    /// Forgets clients whose allowance is whole again, now and then.
    fn tidy(&self) {
        if !self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(4096)
        {
            return;
        }
        self.letters.retain_recent();
        self.kiosks.retain_recent();
        self.lookups.retain_recent();
        let window = self.config.duplicate_window;
        if let Ok(mut recent) = self.recent_texts.lock() {
            recent.retain(|_, (at, _)| at.elapsed() < window);
        }
    }
}

fn check<T>(
    outcome: Result<T, governor::NotUntil<<DefaultClock as Clock>::Instant>>,
) -> Result<(), RetryAfter> {
    outcome
        .map(drop)
        .map_err(|until| RetryAfter(until.wait_time_from(DefaultClock::default().now())))
}

/// Puts the [`ClientKey`] of every request in its extensions, for the handlers that limit.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let key = ClientKey::resolve(peer, request.headers(), &state.config.trusted_proxies);
        request.extensions_mut().insert(key);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(forwarded: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", forwarded.parse().unwrap());
        h
    }

    #[test]
    fn a_forwarded_header_counts_only_from_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let spoofed = headers("203.0.113.9");
        // From anyone else the header is ignored: the peer counts.
        assert_eq!(
            ClientKey::resolve(ip("198.51.100.7"), &spoofed, &trusted),
            ClientKey(ip("198.51.100.7"))
        );
        // Through the proxy, the client it saw.
        assert_eq!(
            ClientKey::resolve(ip("10.0.0.2"), &spoofed, &trusted),
            ClientKey(ip("203.0.113.9"))
        );
        // A client that writes its own header cannot choose its address: the proxy
        // appends the real one, and the nearest untrusted hop wins.
        assert_eq!(
            ClientKey::resolve(ip("10.0.0.2"), &headers("1.2.3.4, 198.51.100.7"), &trusted),
            ClientKey(ip("198.51.100.7"))
        );
        // Chained proxies are skipped; garbage stops the walk at the last good hop.
        assert_eq!(
            ClientKey::resolve(ip("10.0.0.2"), &headers("198.51.100.7, 10.1.1.1"), &trusted),
            ClientKey(ip("198.51.100.7"))
        );
        assert_eq!(
            ClientKey::resolve(ip("10.0.0.2"), &headers("nonsense"), &trusted),
            ClientKey(ip("10.0.0.2"))
        );
    }

    #[test]
    fn ipv6_clients_are_grouped_by_their_64() {
        let a = ClientKey::resolve(ip("2001:db8:1:2:aaaa::1"), &HeaderMap::new(), &[]);
        let b = ClientKey::resolve(ip("2001:db8:1:2:bbbb::9"), &HeaderMap::new(), &[]);
        let other = ClientKey::resolve(ip("2001:db8:1:3::1"), &HeaderMap::new(), &[]);
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(
            ClientKey::resolve(ip("::ffff:192.0.2.1"), &HeaderMap::new(), &[]),
            ClientKey(ip("192.0.2.1"))
        );
    }

    #[test]
    fn an_address_gets_its_allowance_and_then_waits() {
        let limits = Limits::new(LimitsConfig {
            letters_per_hour: 3,
            ..LimitsConfig::default()
        });
        let me = ClientKey(ip("198.51.100.7"));
        let you = ClientKey(ip("198.51.100.8"));
        for _ in 0..3 {
            assert!(limits.letter(me).is_ok());
        }
        let wait = limits.letter(me).unwrap_err();
        assert!(wait.seconds() > 60 && wait.seconds() <= 20 * 60, "{wait:?}");
        assert!(limits.letter(you).is_ok(), "others still get through");
        let off = Limits::new(LimitsConfig {
            enabled: false,
            letters_per_hour: 1,
            ..LimitsConfig::default()
        });
        for _ in 0..10 {
            assert!(off.letter(me).is_ok());
        }
    }

    #[test]
    fn the_same_text_again_is_a_duplicate_but_a_retry_is_not() {
        let limits = Limits::new(LimitsConfig::default());
        let me = ClientKey(ip("198.51.100.7"));
        assert!(!limits.duplicate(me, "Тримайтеся!", "key-1"));
        assert!(!limits.duplicate(me, "Тримайтеся!", "key-1"), "a retry");
        assert!(limits.duplicate(me, " Тримайтеся! ", "key-2"));
        assert!(!limits.duplicate(ClientKey(ip("198.51.100.8")), "Тримайтеся!", "key-3"));
        assert!(!limits.duplicate(me, "Інший лист", "key-4"));
    }
}
