//! Benchmark of Fountain import and export through the local stack: a generated
//! 3,000-element feature (about 120 pages) imported with `POST /scripts/import` (content in
//! parallel batch writes, then one transaction), then exported cold and cached. Run it with
//! `./infra/bench.sh`. The import must stay well inside API Gateway's 29 s.
//!
//! Times are of a debug build against moto; calls and item writes are exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fountain_e2e::Harness;
use fountain_e2e::bench::{Bench, ms};
use reqwest::Method;

const ELEMENTS: usize = 3_000;

#[tokio::main]
async fn main() {
    let h = Harness::start("bench-fountain").await;
    let table = h.stack.table_name("AppTable").unwrap().to_owned();
    let b = Bench { h, table };
    let h = &b.h;
    let text = fountain_text::write(&fountain_text::generate::screenplay(29, ELEMENTS));
    println!(
        "# Fountain import and export ({ELEMENTS} elements, {} KB of text)\n",
        text.len() / 1024
    );
    let request = h
        .request(Method::POST, "/scripts/import", Some("bench"))
        .header("content-type", "text/plain; charset=utf-8")
        .body(text.clone());
    let (reply, took, usage) = b.measure(Harness::send(request)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    println!(
        "- import: {}; {} sections, {} elements, {} characters; {}",
        ms(took),
        reply.body["sections"],
        reply.body["elements"],
        reply.body["characters"],
        usage.describe()
    );
    let script = reply.body["scriptId"].as_str().unwrap().to_owned();
    let path = format!("/scripts/{script}/fountain");
    for what in ["export (story assembled)", "export (story cached)"] {
        let (reply, took, usage) = b.measure(h.get(&path, "bench")).await;
        assert_eq!(reply.status, 200);
        println!("- {what}: {}; {}", ms(took), usage.describe());
    }
}
