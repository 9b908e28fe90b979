//! CloudWatch Embedded Metric Format: a metric is a JSON log line CloudWatch turns into a
//! metric, with no API call on the request path.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value, json};

const NAMESPACE: &str = "FountainAI";
static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns EMF output off (the local runner and tests keep their output readable).
pub fn disable() {
    ENABLED.store(false, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Milliseconds,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Milliseconds => "Milliseconds",
        }
    }
}

/// Metrics of one invocation, flushed as one EMF line.
#[derive(Debug)]
pub struct Metrics {
    function: String,
    values: Vec<(String, f64, Unit)>,
}

impl Metrics {
    pub fn new(function: impl Into<String>) -> Self {
        Self {
            function: function.into(),
            values: Vec::new(),
        }
    }

    pub fn record(&mut self, name: &str, value: f64, unit: Unit) {
        self.values.push((name.to_owned(), value, unit));
    }

    /// The EMF document for what was recorded, with `Function` as the dimension.
    pub fn document(&self, timestamp_ms: i64) -> Value {
        let definitions: Vec<Value> = self
            .values
            .iter()
            .map(|(name, _, unit)| json!({ "Name": name, "Unit": unit.as_str() }))
            .collect();
        let mut root = Map::new();
        root.insert(
            "_aws".into(),
            json!({
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": NAMESPACE,
                    "Dimensions": [["Function"]],
                    "Metrics": definitions,
                }],
            }),
        );
        root.insert("Function".into(), Value::String(self.function.clone()));
        for (name, value, _) in &self.values {
            root.insert(name.clone(), json!(value));
        }
        Value::Object(root)
    }

    pub fn flush(self) {
        if self.values.is_empty() || !ENABLED.load(Ordering::Relaxed) {
            return;
        }
        println!("{}", self.document(chrono::Utc::now().timestamp_millis()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_declares_every_recorded_metric_with_its_value() {
        let mut metrics = Metrics::new("create_script");
        metrics.record("Requests", 1.0, Unit::Count);
        metrics.record("Latency", 12.5, Unit::Milliseconds);
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
    }
}
