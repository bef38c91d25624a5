//! Slows down and then stops repeated failed sign-ins from one client address. Kept in
//! memory only: IP addresses are never stored. (Per-account lockout is in the database,
//! shared by every instance.)

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ThrottleConfig {
    /// Failures from one address within `window` after which it is refused.
    pub max_failures: u32,
    pub window: Duration,
    /// Extra wait added per failure beyond the third, up to `max_delay`.
    pub delay_step: Duration,
    pub max_delay: Duration,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            max_failures: 20,
            window: Duration::from_secs(15 * 60),
            delay_step: Duration::from_millis(250),
            max_delay: Duration::from_secs(3),
        }
    }
}

struct Entry {
    failures: u32,
    since: Instant,
}

pub struct LoginThrottle {
    config: ThrottleConfig,
    entries: Mutex<HashMap<IpAddr, Entry>>,
}

/// Bounds memory: beyond this many addresses, stale entries are dropped.
const MAX_ENTRIES: usize = 100_000;

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        LoginThrottle {
            config,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<IpAddr, Entry>) -> T) -> T {
        let mut guard = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        let window = self.config.window;
        let max = self.config.max_failures;
        self.with(|entries| {
            entries
                .get(&ip)
                .is_some_and(|e| e.failures >= max && e.since.elapsed() < window)
        })
    }

    /// Records a failure and returns how long to wait before answering.
    pub fn failed(&self, ip: IpAddr) -> Duration {
        let window = self.config.window;
        let failures = self.with(|entries| {
            if entries.len() > MAX_ENTRIES {
                entries.retain(|_, e| e.since.elapsed() < window);
            }
            let entry = entries.entry(ip).or_insert(Entry {
                failures: 0,
                since: Instant::now(),
            });
            if entry.since.elapsed() >= window {
                *entry = Entry {
                    failures: 0,
                    since: Instant::now(),
                };
            }
            entry.failures += 1;
            entry.failures
        });
        (self.config.delay_step * failures.saturating_sub(3)).min(self.config.max_delay)
    }

    pub fn succeeded(&self, _ip: IpAddr) {
        // A success does not clear the count: an attacker with one valid account must
        // not reset their budget against the others.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_then_block_one_address_only() {
        let throttle = LoginThrottle::new(ThrottleConfig {
            max_failures: 5,
            window: Duration::from_secs(60),
            delay_step: Duration::from_millis(100),
            max_delay: Duration::from_millis(150),
        });
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        let delays: Vec<_> = (0..5).map(|_| throttle.failed(ip)).collect();
        assert_eq!(delays[0], Duration::ZERO);
        assert_eq!(delays[3], Duration::from_millis(100));
        assert_eq!(delays[4], Duration::from_millis(150), "capped");
        assert!(throttle.is_blocked(ip));
        assert!(!throttle.is_blocked(other));
    }
}
