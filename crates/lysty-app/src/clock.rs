//! The time, as a port: production reads the system clock, tests give their own.
//!
//! Every use case asks `App::now()`; nothing in the app reads the system clock itself, so a test
//! that sets the clock decides every "now" the application sees (kiosks closing after their
//! event, sessions expiring, second-factor codes, "the last 90 days").

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that starts where a test puts it and then runs at the real pace (so that two
/// letters written one after the other still get two instants), and that the test can move
/// forward at will.
#[derive(Debug)]
pub struct ManualClock {
    start: DateTime<Utc>,
    began: Instant,
    moved: Mutex<Duration>,
}

impl ManualClock {
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        ManualClock {
            start,
            began: Instant::now(),
            moved: Mutex::new(Duration::zero()),
        }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut moved = self
            .moved
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *moved += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let moved = *self
            .moved
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let elapsed = Duration::from_std(self.began.elapsed()).unwrap_or(Duration::zero());
        self.start + elapsed + moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_starts_where_it_is_put_and_moves_when_told() {
        let start = Utc
            .with_ymd_and_hms(2031, 2, 3, 4, 5, 6)
            .single()
            .unwrap_or_default();
        let clock = ManualClock::starting_at(start);
        let first = clock.now();
        assert!(first >= start && first - start < Duration::seconds(5));
        clock.advance(Duration::days(400));
        let later = clock.now();
        assert!(later - start >= Duration::days(400));
        assert!(later - start < Duration::days(400) + Duration::seconds(5));
    }
}
