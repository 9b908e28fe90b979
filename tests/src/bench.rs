//! What the benchmarks share: DynamoDB calls and item writes counted by the emulator, and
//! wall-clock times of requests through the local stack.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{Harness, Reply};

/// DynamoDB calls, item writes and capacity units on one table, as the emulator counts them
/// (units priced as AWS on-demand bills them: infra/scripts/fountain_moto/capacity.py).
#[derive(Debug, Default, Clone)]
pub struct Usage {
    pub calls: BTreeMap<String, u64>,
    pub writes: u64,
    pub read_units: f64,
    pub write_units: f64,
    /// Transactions cancelled (a condition failed or they conflicted): lost races.
    pub cancelled: u64,
}

impl Usage {
    pub async fn now(h: &Harness, table: &str) -> Self {
        let url = format!(
            "{}/_fountain/dynamodb-calls",
            std::env::var("AWS_ENDPOINT_URL").unwrap()
        );
        let all: Value = h.http.get(url).send().await.unwrap().json().await.unwrap();
        let mine = &all[table];
        Self {
            calls: serde_json::from_value(mine["calls"].clone()).unwrap_or_default(),
            writes: mine["itemWrites"].as_u64().unwrap_or(0),
            read_units: mine["readUnits"].as_f64().unwrap_or(0.0),
            write_units: mine["writeUnits"].as_f64().unwrap_or(0.0),
            cancelled: mine["cancelledTransactions"].as_u64().unwrap_or(0),
        }
    }

    pub fn since(&self, before: &Usage) -> Usage {
        Usage {
            calls: self
                .calls
                .iter()
                .map(|(op, n)| (op.clone(), n - before.calls.get(op).copied().unwrap_or(0)))
                .filter(|(_, n)| *n > 0)
                .collect(),
            writes: self.writes - before.writes,
            read_units: self.read_units - before.read_units,
            write_units: self.write_units - before.write_units,
            cancelled: self.cancelled - before.cancelled,
        }
    }

    /// The sum of two tables' usage.
    pub fn plus(&self, other: &Usage) -> Usage {
        let mut calls = self.calls.clone();
        for (op, n) in &other.calls {
            *calls.entry(op.clone()).or_default() += n;
        }
        Usage {
            calls,
            writes: self.writes + other.writes,
            read_units: self.read_units + other.read_units,
            write_units: self.write_units + other.write_units,
            cancelled: self.cancelled + other.cancelled,
        }
    }

    pub fn total_calls(&self) -> u64 {
        self.calls.values().sum()
    }

    pub fn describe(&self) -> String {
        let calls: Vec<String> = self
            .calls
            .iter()
            .map(|(op, n)| format!("{op} {n}"))
            .collect();
        format!(
            "{} calls ({}), {} item writes",
            self.total_calls(),
            calls.join(", "),
            self.writes
        )
    }
}

pub struct Bench {
    pub h: Harness,
    pub table: String,
}

impl Bench {
    /// Runs `call`, returning its reply, how long it took and what it cost.
    pub async fn measure(
        &self,
        call: impl std::future::Future<Output = Reply>,
    ) -> (Reply, Duration, Usage) {
        let before = Usage::now(&self.h, &self.table).await;
        let started = Instant::now();
        let reply = call.await;
        let took = started.elapsed();
        let usage = Usage::now(&self.h, &self.table).await.since(&before);
        (reply, took, usage)
    }
}

/// The value at fraction `p` (0 to 1) of `sorted`, by the nearest index.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}
