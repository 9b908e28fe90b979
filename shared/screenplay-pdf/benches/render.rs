//! Rendering a generated feature of about 120 pages: the median time of repeated runs
//! (target under 200 ms in release), the page count and the PDF's size.
//!
//! `cargo bench -p fountain-pdf --bench render`

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The generator's elements for about 120 letter pages (its forced breaks and short
/// scenes make about 13 elements a page).
const ELEMENTS: usize = 1_530;
const SEED: u64 = 2025;
const RUNS: usize = 31;
const TARGET: Duration = Duration::from_millis(200);

fn main() {
    let screenplay = fountain_text::generate::screenplay(SEED, ELEMENTS);
    let options = fountain_pdf::Options::default();
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let rendered = fountain_pdf::render(black_box(&screenplay), black_box(&options));
        times.push(start.elapsed());
        last = Some(rendered);
    }
    times.sort();
    let median = times[RUNS / 2];
    let Some(Ok(rendered)) = last else {
        eprintln!("the feature did not render: {last:?}");
        std::process::exit(1);
    };
    println!(
        "render {ELEMENTS} elements: {} pages (+ title page), median {:.1} ms of {RUNS} runs \
         (fastest {:.1} ms, slowest {:.1} ms), PDF {} bytes ({:.0} KiB); target < {} ms: {}",
        rendered.pages,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3,
        rendered.pdf.len(),
        rendered.pdf.len() as f64 / 1024.0,
        TARGET.as_millis(),
        if median < TARGET { "met" } else { "MISSED" },
    );
}
