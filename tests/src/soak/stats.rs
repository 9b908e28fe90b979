//! What the soak records: every request's latency by operation and minute, the statuses
//! that were not expected (with the first requests that got them), the conflicts that were
//! genuine races, the character creates of the growing script by the count at the time,
//! generation jobs, and the CPU time and memory of the runner and the emulator.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How many requests of each (operation, status) the report quotes.
const SAMPLES: usize = 3;

/// One minute's requests.
#[derive(Default)]
pub struct Window {
    /// Latencies in microseconds, by operation.
    pub ops: BTreeMap<&'static str, Vec<u32>>,
    pub requests: u64,
    pub errors: u64,
    pub server_errors: u64,
    pub conflicts: u64,
}

/// An unexpected status of an operation: how often, and the first requests that got it.
#[derive(Default)]
pub struct Unexpected {
    pub count: u64,
    pub samples: Vec<String>,
}

/// A finished (or abandoned) generation job.
pub struct Job {
    pub status: String,
    pub took: Duration,
}

#[derive(Default)]
pub struct Inner {
    pub window: Window,
    pub all: BTreeMap<&'static str, Vec<u32>>,
    pub requests: u64,
    /// By (operation, status); status 0 is a request that got no response.
    pub unexpected: BTreeMap<(&'static str, u16), Unexpected>,
    pub conflicts: BTreeMap<(&'static str, u16), u64>,
    /// (characters in the script before the create, latency in microseconds), in order.
    pub character_creates: Vec<(usize, u32)>,
    pub jobs: Vec<Job>,
}

pub struct Stats {
    inner: Mutex<Inner>,
}

impl Stats {
    pub fn new() -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// One request of `op` that took `took`.
    pub fn request(&self, op: &'static str, took: Duration) {
        let micros = u32::try_from(took.as_micros()).unwrap_or(u32::MAX);
        let mut inner = self.lock();
        inner.requests += 1;
        inner.window.requests += 1;
        inner.window.ops.entry(op).or_default().push(micros);
        inner.all.entry(op).or_default().push(micros);
    }

    /// A status `op` should not get; `request` says what was sent and what came back.
    pub fn unexpected(&self, op: &'static str, status: u16, request: String) {
        let mut inner = self.lock();
        if status >= 500 {
            inner.window.server_errors += 1;
        } else {
            inner.window.errors += 1;
        }
        let entry = inner.unexpected.entry((op, status)).or_default();
        entry.count += 1;
        if entry.samples.len() < SAMPLES {
            entry.samples.push(request);
        }
    }

    /// A 409 or 412 that a concurrent change of another client explains.
    pub fn conflict(&self, op: &'static str, status: u16) {
        let mut inner = self.lock();
        inner.window.conflicts += 1;
        *inner.conflicts.entry((op, status)).or_default() += 1;
    }

    pub fn character_create(&self, count_before: usize, took: Duration) {
        let micros = u32::try_from(took.as_micros()).unwrap_or(u32::MAX);
        self.lock().character_creates.push((count_before, micros));
    }

    pub fn job(&self, status: String, took: Duration) {
        self.lock().jobs.push(Job { status, took });
    }

    /// Forgets everything recorded so far (the set-up's requests).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// The current minute's requests; a new minute starts.
    pub fn take_window(&self) -> Window {
        std::mem::take(&mut self.lock().window)
    }
}

/// p50 and p99 (nearest rank) of latencies in microseconds, in milliseconds.
pub fn percentiles(values: &[u32]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = |p: f64| {
        let index = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        f64::from(sorted[index]) / 1000.0
    };
    Some((rank(0.50), rank(0.99)))
}

/// CPU time and resident memory of a process, from /proc.
#[derive(Clone, Copy)]
pub struct ProcSample {
    pub cpu_ticks: u64,
    pub rss_kb: u64,
}

pub struct Proc {
    pub pid: u32,
    pub clock_ticks: u64,
}

impl Proc {
    pub fn new(pid: u32) -> Self {
        Self {
            pid,
            clock_ticks: clock_ticks(),
        }
    }

    pub fn sample(&self) -> Option<ProcSample> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        // The fields after the command name (which may hold spaces) start with field 3.
        let rest = stat.get(stat.rfind(')')? + 1..)?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = fields.get(11)?.parse().ok()?;
        let stime: u64 = fields.get(12)?.parse().ok()?;
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let rss_kb = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
            .unwrap_or(0);
        Some(ProcSample {
            cpu_ticks: utime + stime,
            rss_kb,
        })
    }

    /// Milliseconds of CPU time between two samples.
    pub fn cpu_ms(&self, before: ProcSample, after: ProcSample) -> f64 {
        after.cpu_ticks.saturating_sub(before.cpu_ticks) as f64 * 1000.0 / self.clock_ticks as f64
    }
}

/// `getconf CLK_TCK`, 100 when it cannot be asked.
fn clock_ticks() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|ticks| *ticks > 0)
        .unwrap_or(100)
}
