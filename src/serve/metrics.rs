//! `GET /metrics`: Prometheus text (OpenMetrics) through prometheus-client: token
//! requests by client, grant and outcome, and request latency.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TokenLabels {
    /// Only authenticated ids (an attacker's made-up ids would grow the series without
    /// bound); "" when nobody authenticated.
    client: String,
    grant: String,
    outcome: String,
}

pub struct Metrics {
    registry: Registry,
    tokens: Family<TokenLabels, Counter>,
    latency: Histogram,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("agentos_auth");
        let tokens = Family::<TokenLabels, Counter>::default();
        registry.register(
            "token_requests",
            "POST /token requests by client, grant and outcome (issued or the OAuth error)",
            tokens.clone(),
        );
        // 100 µs to ~3 s.
        let latency = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register(
            "request_duration_seconds",
            "Time from request head to answer, all endpoints",
            latency.clone(),
        );
        Metrics {
            registry,
            tokens,
            latency,
        }
    }

    pub fn token(&self, client: Option<&str>, grant: Option<&str>, outcome: &str) {
        self.tokens
            .get_or_create(&TokenLabels {
                client: client.unwrap_or("").to_string(),
                grant: grant.unwrap_or("").to_string(),
                outcome: outcome.to_string(),
            })
            .inc();
    }

    pub fn latency(&self, seconds: f64) {
        self.latency.observe(seconds);
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
