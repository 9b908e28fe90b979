//! Parsing and writing a feature-length screenplay (3,000 elements, about 120 pages).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const ELEMENTS: usize = 3_000;
const SEED: u64 = 2025;

fn feature_length(c: &mut Criterion) {
    let screenplay = fountain_text::generate::screenplay(SEED, ELEMENTS);
    let text = fountain_text::write(&screenplay);
    let mut group = c.benchmark_group("feature_length_3000_elements");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| fountain_text::parse(black_box(&text)))
    });
    group.bench_function("write", |b| {
        b.iter(|| fountain_text::write(black_box(&screenplay)))
    });
    group.finish();
}

criterion_group!(benches, feature_length);
criterion_main!(benches);
