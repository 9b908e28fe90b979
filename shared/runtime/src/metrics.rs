//! CloudWatch Embedded Metric Format: a metric is a JSON log line CloudWatch turns into a
//! metric, with no API call on the request path. Every metric the product emits is declared
//! once in [`CATALOG`] (name, unit, dimensions, who emits it); docs/operations.md's metric
//! table is checked against it, and only a declared [`Metric`] can be recorded.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value, json};

const NAMESPACE: &str = "FountainAI";
static ENABLED: AtomicBool = AtomicBool::new(true);
/// Documents flushed while capturing (tests), instead of printed.
static CAPTURED: Mutex<Option<Vec<Value>>> = Mutex::new(None);

/// Turns EMF output off (the local runner and tests keep their output readable).
pub fn disable() {
    ENABLED.store(false, Ordering::Relaxed);
}

/// From now on, flushed documents are kept for [`captured`] instead of printed.
pub fn capture() {
    if let Ok(mut captured) = CAPTURED.lock() {
        *captured = Some(Vec::new());
    }
}

/// The documents flushed since [`capture`], taken.
pub fn captured() -> Vec<Value> {
    CAPTURED
        .lock()
        .ok()
        .and_then(|mut captured| captured.as_mut().map(std::mem::take))
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Milliseconds,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Milliseconds => "Milliseconds",
        }
    }
}

/// One metric of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub name: &'static str,
    pub unit: Unit,
    /// The dimensions it is emitted with (always `Function` first).
    pub dimensions: &'static [&'static str],
    /// Who emits it, and when (for the docs).
    pub emitted_by: &'static str,
}

const FUNCTION: &[&str] = &["Function"];
const PER_EVENT_TYPE: &[&str] = &["Function", "EventType"];

pub const REQUESTS: Metric = Metric {
    name: "Requests",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "every HTTP function, per request",
};
pub const LATENCY: Metric = Metric {
    name: "Latency",
    unit: Unit::Milliseconds,
    dimensions: FUNCTION,
    emitted_by: "every HTTP function, per request",
};
pub const SUCCESSES: Metric = Metric {
    name: "Successes",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "every HTTP function: a status below 400",
};
pub const CLIENT_ERRORS: Metric = Metric {
    name: "ClientErrors",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "every HTTP function: a 4xx status",
};
pub const SERVER_ERRORS: Metric = Metric {
    name: "ServerErrors",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "every HTTP function: a 5xx status",
};
pub const EVENTS_PUBLISHED: Metric = Metric {
    name: "EventsPublished",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "relay, per batch",
};
pub const EVENTS_PENDING: Metric = Metric {
    name: "EventsPending",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "relay, per batch: outbox events left for the retry",
};
pub const EVENTS_PROCESSED: Metric = Metric {
    name: "EventsProcessed",
    unit: Unit::Count,
    dimensions: PER_EVENT_TYPE,
    emitted_by: "every consumer, per event handled (a duplicate skipped counts too)",
};
pub const EVENTS_FAILED: Metric = Metric {
    name: "EventsFailed",
    unit: Unit::Count,
    dimensions: PER_EVENT_TYPE,
    emitted_by: "every consumer, per event left for a retry (`EventType` is `unreadable` for a poison message)",
};
pub const EVENT_DURATION: Metric = Metric {
    name: "EventDuration",
    unit: Unit::Milliseconds,
    dimensions: PER_EVENT_TYPE,
    emitted_by: "every consumer, per event: its handling",
};
pub const EVENT_AGE: Metric = Metric {
    name: "EventAge",
    unit: Unit::Milliseconds,
    dimensions: PER_EVENT_TYPE,
    emitted_by: "every consumer, per event: from the event's time to its handling (lag behind the producer)",
};
pub const AUTHORIZER_ALLOWED: Metric = Metric {
    name: "Allowed",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "authorizer, per verdict with a principal",
};
pub const AUTHORIZER_DENIED: Metric = Metric {
    name: "Denied",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "authorizer, per refused token (missing, invalid, expired, revoked) or unreadable state",
};
pub const AUTHORIZER_RATE_LIMITED: Metric = Metric {
    name: "RateLimited",
    unit: Unit::Count,
    dimensions: FUNCTION,
    emitted_by: "authorizer, per request over MAX_REQUESTS_PER_MINUTE",
};

/// Every metric the product emits.
pub const CATALOG: &[Metric] = &[
    REQUESTS,
    LATENCY,
    SUCCESSES,
    CLIENT_ERRORS,
    SERVER_ERRORS,
    EVENTS_PUBLISHED,
    EVENTS_PENDING,
    EVENTS_PROCESSED,
    EVENTS_FAILED,
    EVENT_DURATION,
    EVENT_AGE,
    AUTHORIZER_ALLOWED,
    AUTHORIZER_DENIED,
    AUTHORIZER_RATE_LIMITED,
];

/// Metrics of one invocation (or of one event), flushed as one EMF line. All recorded
/// metrics share its dimensions: `Function`, and `EventType` when given.
#[derive(Debug)]
pub struct Metrics {
    function: String,
    event_type: Option<String>,
    values: Vec<(Metric, f64)>,
}

impl Metrics {
    pub fn new(function: impl Into<String>) -> Self {
        Self {
            function: function.into(),
            event_type: None,
            values: Vec::new(),
        }
    }

    /// Metrics of one event of `event_type`, handled by `function`.
    pub fn for_event(function: impl Into<String>, event_type: impl Into<String>) -> Self {
        Self {
            event_type: Some(event_type.into()),
            ..Self::new(function)
        }
    }

    pub fn record(&mut self, metric: Metric, value: f64) {
        self.values.push((metric, value));
    }

    /// The EMF document for what was recorded.
    pub fn document(&self, timestamp_ms: i64) -> Value {
        let definitions: Vec<Value> = self
            .values
            .iter()
            .map(|(metric, _)| json!({ "Name": metric.name, "Unit": metric.unit.as_str() }))
            .collect();
        let dimensions: &[&str] = match self.event_type {
            Some(_) => PER_EVENT_TYPE,
            None => FUNCTION,
        };
        let mut root = Map::new();
        root.insert(
            "_aws".into(),
            json!({
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": NAMESPACE,
                    "Dimensions": [dimensions],
                    "Metrics": definitions,
                }],
            }),
        );
        root.insert("Function".into(), Value::String(self.function.clone()));
        if let Some(event_type) = &self.event_type {
            root.insert("EventType".into(), Value::String(event_type.clone()));
        }
        for (metric, value) in &self.values {
            root.insert(metric.name.to_owned(), json!(value));
        }
        Value::Object(root)
    }

    pub fn flush(self) {
        if self.values.is_empty() {
            return;
        }
        let document = self.document(chrono::Utc::now().timestamp_millis());
        if let Ok(mut captured) = CAPTURED.lock()
            && let Some(captured) = captured.as_mut()
        {
            captured.push(document);
            return;
        }
        if ENABLED.load(Ordering::Relaxed) {
            println!("{document}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_declares_every_recorded_metric_with_its_value() {
        let mut metrics = Metrics::new("create_script");
        metrics.record(REQUESTS, 1.0);
        metrics.record(LATENCY, 12.5);
        let doc = metrics.document(1_700_000_000_000);
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "FountainAI"
        );
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Metrics"][1]["Unit"],
            "Milliseconds"
        );
        assert_eq!(doc["Latency"], 12.5);
        assert_eq!(doc["Function"], "create_script");
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json!([["Function"]])
        );
    }

    #[test]
    fn an_event_metric_has_the_event_type_as_a_second_dimension() {
        let mut metrics = Metrics::for_event("notify_users", "UsageLimitReached");
        metrics.record(EVENTS_PROCESSED, 1.0);
        let doc = metrics.document(1_700_000_000_000);
        assert_eq!(
            doc["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json!([["Function", "EventType"]])
        );
        assert_eq!(doc["EventType"], "UsageLimitReached");
        assert_eq!(doc["EventsProcessed"], 1.0);
    }

    #[test]
    fn every_metric_is_declared_once() {
        let mut names: Vec<_> = CATALOG.iter().map(|m| m.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CATALOG.len());
    }
}
