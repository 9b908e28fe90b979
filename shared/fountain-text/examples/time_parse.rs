//! Times our parse of a Fountain file the way infra/bench-fountain.sh times screenplain's:
//! `time_parse <file> [runs]` prints the median, minimum and maximum milliseconds of `runs`
//! parses (default 50) after one warm-up. Build it with `--release`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

const DEFAULT_RUNS: usize = 50;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: time_parse <file> [runs]");
        return ExitCode::FAILURE;
    };
    let runs = match args.next().map(|arg| arg.parse::<usize>()) {
        None => DEFAULT_RUNS,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("runs must be a positive number");
            return ExitCode::FAILURE;
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let elements = match fountain_text::parse(&text) {
        Ok(screenplay) => screenplay.elements.len(),
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let parsed = fountain_text::parse(std::hint::black_box(&text));
            std::hint::black_box(parsed).ok();
            start.elapsed()
        })
        .collect();
    times.sort();
    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "fountain-text: {elements} elements, {} bytes, {runs} runs: median {:.3} ms (min {:.3}, max {:.3})",
        text.len(),
        millis(times[times.len() / 2]),
        millis(times[0]),
        millis(times[times.len() - 1]),
    );
    ExitCode::SUCCESS
}
