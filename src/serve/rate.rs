//! The per-client rate limit: a token bucket per authenticated client (`--rate-limit N`
//! a second, bursts of 2N), answered with 429 and `Retry-After`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimit {
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimit {
    /// `per_second` 0: no limit.
    pub fn new(per_second: u32) -> RateLimit {
        RateLimit {
            per_second: f64::from(per_second),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` to go ahead, else the whole seconds to wait.
    pub fn take(&self, client: &str, now: Instant) -> Result<(), u64> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let burst = 2.0 * self.per_second;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(client.to_string()).or_insert((burst, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * self.per_second).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bursts_then_refills() {
        let r = RateLimit::new(2);
        let t0 = Instant::now();
        for _ in 0..4 {
            assert!(r.take("a", t0).is_ok());
        }
        assert_eq!(r.take("a", t0), Err(1));
        assert!(r.take("b", t0).is_ok(), "buckets are per client");
        assert!(r.take("a", t0 + Duration::from_millis(600)).is_ok());
        assert!(RateLimit::new(0).take("a", t0).is_ok());
    }
}
