//! The soak's report: one line a minute as it goes, and markdown tables at the end.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use super::mix::OPS;
use super::stats::{Inner, Proc, ProcSample, Window, percentiles};

/// The figures of one minute.
pub struct Minute {
    pub index: usize,
    pub seconds: f64,
    pub requests: u64,
    pub errors: u64,
    pub server_errors: u64,
    pub conflicts: u64,
    pub runner_cpu_ms: Option<f64>,
    pub emulator_cpu_ms: Option<f64>,
    pub runner_rss_mb: Option<f64>,
    pub emulator_rss_mb: Option<f64>,
    pub characters: usize,
    /// (requests, p50, p99) by operation.
    pub ops: BTreeMap<&'static str, (usize, f64, f64)>,
}

impl Minute {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(0.001)
    }
}

/// The runner and the emulator, sampled at each minute's end.
pub struct Processes {
    pub runner: Option<(Proc, Option<ProcSample>)>,
    pub emulator: Option<(Proc, Option<ProcSample>)>,
}

impl Processes {
    pub fn new(runner: Option<u32>, emulator: Option<u32>) -> Self {
        let watch = |pid: Option<u32>| {
            pid.map(|pid| {
                let proc = Proc::new(pid);
                let sample = proc.sample();
                (proc, sample)
            })
        };
        Self {
            runner: watch(runner),
            emulator: watch(emulator),
        }
    }

    /// Starts the first interval now.
    pub fn restart(&mut self) {
        for (proc, last) in [&mut self.runner, &mut self.emulator].into_iter().flatten() {
            *last = proc.sample();
        }
    }

    /// The emulator's resident memory now, in MB.
    pub fn emulator_rss_mb(&self) -> Option<f64> {
        let (proc, _) = self.emulator.as_ref()?;
        Some(proc.sample()?.rss_kb as f64 / 1024.0)
    }

    /// CPU ms per request since the last sample, and RSS in MB now, of each; a new interval
    /// starts.
    fn sample(&mut self, requests: u64) -> [(Option<f64>, Option<f64>); 2] {
        [&mut self.runner, &mut self.emulator].map(|watched| {
            let Some((proc, last)) = watched else {
                return (None, None);
            };
            let now = proc.sample();
            let cpu = match (*last, now) {
                (Some(before), Some(after)) if requests > 0 => {
                    Some(proc.cpu_ms(before, after) / requests as f64)
                }
                _ => None,
            };
            *last = now;
            (cpu, now.map(|s| s.rss_kb as f64 / 1024.0))
        })
    }

    pub fn minute(
        &mut self,
        index: usize,
        seconds: f64,
        window: Window,
        characters: usize,
    ) -> Minute {
        let [
            (runner_cpu_ms, runner_rss_mb),
            (emulator_cpu_ms, emulator_rss_mb),
        ] = self.sample(window.requests);
        let ops = window
            .ops
            .iter()
            .filter_map(|(op, values)| {
                percentiles(values).map(|(p50, p99)| (*op, (values.len(), p50, p99)))
            })
            .collect();
        Minute {
            index,
            seconds,
            requests: window.requests,
            errors: window.errors,
            server_errors: window.server_errors,
            conflicts: window.conflicts,
            runner_cpu_ms,
            emulator_cpu_ms,
            runner_rss_mb,
            emulator_rss_mb,
            characters,
            ops,
        }
    }
}

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.decimals$}"))
}

/// The line printed as each minute ends.
pub fn progress(m: &Minute) -> String {
    let slowest = m
        .ops
        .iter()
        .map(|(op, (_, p50, p99))| format!("{op} {p50:.0}/{p99:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "- minute {} ({:.0} s): {} requests, {:.1}/s, {} errors, {} 5xx, {} conflicts; CPU ms \
         per request: runner {}, emulator {}; RSS MB: runner {}, emulator {}; {} characters \
         in the growing script; p50/p99 ms: {slowest}",
        m.index,
        m.seconds,
        m.requests,
        m.per_second(),
        m.errors,
        m.server_errors,
        m.conflicts,
        opt(m.runner_cpu_ms, 2),
        opt(m.emulator_cpu_ms, 2),
        opt(m.runner_rss_mb, 0),
        opt(m.emulator_rss_mb, 0),
        m.characters,
    )
}

/// What the end of the report needs besides the minutes and the recorded requests.
pub struct Summary {
    pub import: Duration,
    pub emulator_rss_after_import_mb: Option<f64>,
}

/// A bucket of character creates: those made when the script held `low..high` characters.
fn creates_between(creates: &[(usize, u32)], low: usize, high: usize) -> Vec<u32> {
    creates
        .iter()
        .filter(|(count, _)| (low..high).contains(count))
        .map(|(_, micros)| *micros)
        .collect()
}

/// The p99 of creates at about `count` characters (within 10 %), with how many there were.
fn p99_at(creates: &[(usize, u32)], count: usize) -> Option<(usize, f64)> {
    let bucket = creates_between(creates, count - count / 10, count + count / 10);
    percentiles(&bucket).map(|(_, p99)| (bucket.len(), p99))
}

pub fn render(minutes: &[Minute], inner: &Inner, summary: &Summary) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "\n## Per minute\n");
    let _ = writeln!(
        w,
        "| minute | requests | req/s | errors | 5xx | conflicts | runner CPU ms/req | emulator CPU ms/req | runner RSS MB | emulator RSS MB | characters (growing) |"
    );
    let _ = writeln!(
        w,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for m in minutes {
        let _ = writeln!(
            w,
            "| {} | {} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.index,
            m.requests,
            m.per_second(),
            m.errors,
            m.server_errors,
            m.conflicts,
            opt(m.runner_cpu_ms, 2),
            opt(m.emulator_cpu_ms, 2),
            opt(m.runner_rss_mb, 0),
            opt(m.emulator_rss_mb, 0),
            m.characters
        );
    }

    let ops: Vec<&str> = OPS
        .iter()
        .copied()
        .filter(|op| inner.all.contains_key(op))
        .collect();
    let _ = writeln!(w, "\n## p50/p99 per operation per minute (ms)\n");
    let _ = writeln!(w, "| minute | {} |", ops.join(" | "));
    let _ = writeln!(w, "|---:|{}", "---:|".repeat(ops.len()));
    for m in minutes {
        let cells: Vec<String> = ops
            .iter()
            .map(|op| {
                m.ops
                    .get(op)
                    .map_or("-".to_owned(), |(_, p50, p99)| format!("{p50:.0}/{p99:.0}"))
            })
            .collect();
        let _ = writeln!(w, "| {} | {} |", m.index, cells.join(" | "));
    }

    let total_seconds: f64 = minutes.iter().map(|m| m.seconds).sum();
    let errors: u64 = minutes.iter().map(|m| m.errors).sum();
    let server_errors: u64 = minutes.iter().map(|m| m.server_errors).sum();
    let conflicts: u64 = minutes.iter().map(|m| m.conflicts).sum();
    let _ = writeln!(w, "\n## Whole run\n");
    let _ = writeln!(
        w,
        "{} requests in {:.0} s ({:.1}/s), {errors} errors, {server_errors} 5xx, {conflicts} \
         conflicts (genuine races, not errors); import of the feature {:.2} s.\n",
        inner.requests,
        total_seconds,
        inner.requests as f64 / total_seconds.max(0.001),
        summary.import.as_secs_f64()
    );
    let _ = writeln!(w, "| operation | requests | p50 ms | p99 ms | max ms |");
    let _ = writeln!(w, "|---|---:|---:|---:|---:|");
    for op in &ops {
        let values = &inner.all[op];
        if let Some((p50, p99)) = percentiles(values) {
            let max = values.iter().max().copied().unwrap_or(0);
            let _ = writeln!(
                w,
                "| {op} | {} | {p50:.1} | {p99:.1} | {:.1} |",
                values.len(),
                f64::from(max) / 1000.0
            );
        }
    }

    let creates = &inner.character_creates;
    let _ = writeln!(
        w,
        "\n## Character creates in the growing script, by characters it held\n"
    );
    let _ = writeln!(w, "| characters | creates | p50 ms | p99 ms |");
    let _ = writeln!(w, "|---|---:|---:|---:|");
    let top = creates.iter().map(|(c, _)| *c).max().unwrap_or(0);
    for low in (0..=top).step_by(500) {
        let bucket = creates_between(creates, low, low + 500);
        if let Some((p50, p99)) = percentiles(&bucket) {
            let _ = writeln!(
                w,
                "| {low}-{} | {} | {p50:.1} | {p99:.1} |",
                low + 499,
                bucket.len()
            );
        }
    }

    let _ = writeln!(w, "\n## Generation jobs\n");
    if inner.jobs.is_empty() {
        let _ = writeln!(w, "none finished");
    }
    for job in &inner.jobs {
        let _ = writeln!(w, "- {} in {:.1} s", job.status, job.took.as_secs_f64());
    }

    let _ = writeln!(w, "\n## Unexpected statuses\n");
    if inner.unexpected.is_empty() {
        let _ = writeln!(w, "none");
    } else {
        let _ = writeln!(w, "| operation | status | count | first requests |");
        let _ = writeln!(w, "|---|---:|---:|---|");
        for ((op, status), unexpected) in &inner.unexpected {
            let status = if *status == 0 {
                "no response".to_owned()
            } else {
                status.to_string()
            };
            let _ = writeln!(
                w,
                "| {op} | {status} | {} | {} |",
                unexpected.count,
                unexpected.samples.join("<br>")
            );
        }
    }
    let _ = writeln!(
        w,
        "\n## Conflicts (409/412 of genuine races on the shared script)\n"
    );
    if inner.conflicts.is_empty() {
        let _ = writeln!(w, "none");
    }
    for ((op, status), count) in &inner.conflicts {
        let _ = writeln!(w, "- {op} {status}: {count}");
    }

    let _ = writeln!(w, "\n## Targets\n");
    let verdict = |held: bool| if held { "held" } else { "MISSED" };
    let _ = writeln!(
        w,
        "- 0 errors and 0 5xx: {} ({errors} errors, {server_errors} 5xx)",
        verdict(errors == 0 && server_errors == 0)
    );
    match summary.emulator_rss_after_import_mb {
        Some(rss) => {
            let _ = writeln!(
                w,
                "- emulator RSS under 1 GB after the import: {} ({rss:.0} MB)",
                verdict(rss < 1024.0)
            );
        }
        None => {
            let _ = writeln!(
                w,
                "- emulator RSS after the import: not measured (no --emulator-pid)"
            );
        }
    }
    if let (Some(first), Some(last)) = (minutes.first(), minutes.last()) {
        match (first.emulator_rss_mb, last.emulator_rss_mb) {
            (Some(a), Some(b)) => {
                let _ = writeln!(
                    w,
                    "- emulator RSS flat (last minute within 20 % of the first): {} ({a:.0} MB -> {b:.0} MB, {:+.1} %, {:+.1} MB a minute)",
                    verdict(b <= a * 1.2),
                    (b / a - 1.0) * 100.0,
                    (b - a) / (minutes.len().max(2) - 1) as f64
                );
            }
            _ => {
                let _ = writeln!(w, "- emulator RSS flat: not measured");
            }
        }
        let (a, b) = (first.per_second(), last.per_second());
        let _ = writeln!(
            w,
            "- steady throughput (last minute at least 80 % of the first): {} ({a:.1}/s -> {b:.1}/s, {:+.1} %)",
            verdict(b >= a * 0.8),
            (b / a.max(0.001) - 1.0) * 100.0
        );
    }
    for count in [500, 5_000] {
        match p99_at(creates, count) {
            Some((n, p99)) => {
                let _ = writeln!(
                    w,
                    "- p99 of a character create under 100 ms at {count} characters: {} ({p99:.1} ms over {n} creates at {}-{})",
                    verdict(p99 < 100.0),
                    count - count / 10,
                    count + count / 10 - 1
                );
            }
            None => {
                let _ = writeln!(
                    w,
                    "- p99 of a character create at {count} characters: not reached (the script got to {} characters; a longer run gets there)",
                    creates.len()
                );
            }
        }
    }
    out
}
