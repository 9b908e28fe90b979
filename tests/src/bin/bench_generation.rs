//! Benchmark of story generation on a 10,000-element script: a generated screenplay is
//! imported, a job requested through the API, and the worker (the offline generator) run
//! here on the job's message from its queue, as Lambda would. Prints the worker's wall-clock
//! time, its peak memory (the process's high-water mark, reset before the run, minus the
//! resident size before it: the local stack shares the process), DynamoDB calls and the
//! outputs' sizes. Run it with `./infra/bench.sh`.
//!
//! Times are of a debug build against moto.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use fountain_e2e::Harness;
use fountain_e2e::bench::{Usage, ms};
use fountain_generation::outputs::Outputs;
use fountain_generation::worker::{WorkerDeps, generate_stories};
use fountain_local::StackOptions;
use fountain_local::pollers::{receive, settle, sqs_event};
use fountain_prose::{DEFAULT_PART_BUDGET, Offline, Provider};
use fountain_store::Table;
use reqwest::Method;
use serde_json::json;

const ELEMENTS: usize = 10_000;

/// A line of /proc/self/status, in KiB.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let mut options = StackOptions::for_test("bench-gen");
    options.unpolled = vec!["GenerateStoriesFunction".into()];
    let h = Harness::start_with(options).await;
    let table_name = h.stack.table_name("AppTable").unwrap().to_owned();
    let table = Table::new(aws_sdk_dynamodb::Client::new(&h.stack.sdk), &table_name);
    let worker = WorkerDeps {
        settings: fountain_runtime::settings::Settings::new(table.clone()),
        table,
        outputs: Outputs::new(
            &h.stack.sdk,
            h.stack.bucket_name("GenerationBucket").unwrap().to_owned(),
        ),
        generator: Provider::Offline(Offline),
        backup: None,
        breaker: None,
        max_receive_count: 3,
        lease: Duration::from_secs(900),
        attempt_budget: Duration::from_secs(870),
        part_budget: DEFAULT_PART_BUDGET,
        redelivery: None,
    };
    let text = fountain_text::write(&fountain_text::generate::screenplay(31, ELEMENTS));
    let imported = Harness::send(
        h.request(Method::POST, "/scripts/import", Some("bench"))
            .header("content-type", "text/plain; charset=utf-8")
            .body(text),
    )
    .await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script = imported.body["scriptId"].as_str().unwrap().to_owned();
    println!(
        "# Story generation ({} elements, {} sections, {} characters; offline generator)\n",
        imported.body["elements"], imported.body["sections"], imported.body["characters"]
    );

    let sqs = aws_sdk_sqs::Client::new(&h.stack.sdk);
    let queue = h.stack.queue("GenerationQueue").unwrap().clone();
    for run in ["cold story (assembled in the job)", "cached story"] {
        let job = h
            .post(
                &format!("/scripts/{script}/generations"),
                "bench",
                json!({}),
            )
            .await;
        assert_eq!(job.status, 202, "{:?}", job.body);
        let job_id = job.body["jobId"].as_str().unwrap().to_owned();
        let messages = Harness::eventually(60, "the job's message", || async {
            let messages = receive(&sqs, &queue, 1).await.unwrap();
            (!messages.is_empty()).then_some(messages)
        })
        .await;
        let event = sqs_event(&messages, &queue, "us-east-1").unwrap();

        let before = Usage::now(&h, &table_name).await;
        let resident = status_kib("VmRSS:");
        // Resets the high-water mark to the current resident size (Linux).
        std::fs::write("/proc/self/clear_refs", "5").ok();
        let started = Instant::now();
        let response =
            generate_stories(&worker, fountain_runtime::consumer::Batch::new(event)).await;
        let took = started.elapsed();
        let peak = status_kib("VmHWM:");
        let usage = Usage::now(&h, &table_name).await.since(&before);
        settle(&sqs, &queue, &messages, response.clone()).await;
        assert!(response.batch_item_failures.is_empty());

        let done = h.get(&format!("/generations/{job_id}"), "bench").await;
        assert_eq!(done.body["status"], "succeeded", "{:?}", done.body);
        println!("## {run}\n");
        println!("- worker: {}; {}", ms(took), usage.describe());
        println!(
            "- memory: {} MiB resident before, peak {} MiB (+{} MiB during the job)",
            resident / 1024,
            peak / 1024,
            peak.saturating_sub(resident) / 1024
        );
        let mut total = 0;
        for output in done.body["outputs"].as_array().unwrap() {
            let bytes = output["bytes"].as_u64().unwrap();
            total += bytes;
            println!(
                "- {}: {} KB",
                output["name"].as_str().unwrap(),
                bytes / 1024
            );
        }
        println!("- all outputs: {} KB\n", total / 1024);
    }

    // The same work without the emulator: what the worker computes, step by step.
    let story = fountain_stories::current_story(&worker.table, &script)
        .await
        .unwrap();
    println!("## the steps alone, from the cached story (no emulator)\n");
    let started = Instant::now();
    let manuscript = fountain_generation::manuscript::manuscript(&story);
    let prose = fountain_prose::write_all(&Offline, &manuscript, DEFAULT_PART_BUDGET)
        .await
        .unwrap();
    println!(
        "- prose ({} parts): {}",
        fountain_prose::plan_parts(&manuscript, DEFAULT_PART_BUDGET).len(),
        ms(started.elapsed())
    );
    let started = Instant::now();
    let fountain = fountain_text::write(&fountain_io::screenplay(&story));
    println!("- Fountain text: {}", ms(started.elapsed()));
    let started = Instant::now();
    let scores = fountain_generation::music::files(&story).unwrap();
    println!("- orchestration (ly, mid, csd): {}", ms(started.elapsed()));
    assert!(!prose.is_empty() && !fountain.is_empty() && scores.len() == 3);
}
