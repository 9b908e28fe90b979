//! Structured JSON logs: every line carries the fields of the spans around it (request id,
//! correlation id, cold start), so CloudWatch Logs Insights can follow one request.

use std::sync::atomic::{AtomicBool, Ordering};

use tracing_subscriber::EnvFilter;

static COLD_START: AtomicBool = AtomicBool::new(true);

/// Sets up JSON logging; the level comes from `RUST_LOG` or `AWS_LAMBDA_LOG_LEVEL`.
/// Calling it twice is harmless (the runner and tests share one process).
pub fn init() {
    let filter = std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("AWS_LAMBDA_LOG_LEVEL").map(|l| l.to_lowercase()))
        .unwrap_or_else(|_| "info".to_owned());
    init_with(&filter, std::io::stdout);
}

/// Sets up JSON logging at `filter` into `writer` (tests capture the logs with it).
pub fn init_with<W>(filter: &str, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .json()
        .with_env_filter(EnvFilter::new(filter))
        .with_current_span(true)
        .with_span_list(false)
        .flatten_event(true)
        .with_target(false)
        .without_time()
        .try_init();
}

/// True for the first invocation of this process only.
pub fn take_cold_start() -> bool {
    COLD_START.swap(false, Ordering::Relaxed)
}
