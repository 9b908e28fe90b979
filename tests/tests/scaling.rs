//! Scaling on events: 40 jobs against a slow fake generator. The health checker's run sees
//! the backlog and publishes ScaleRequested; the scaler raises the worker's event source
//! mapping (the runner's pollers follow it) and the backlog drains faster than at
//! concurrency 1 (both measured and printed); once it is empty the next run scales down.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fountain_e2e::{ADMIN, Harness};
use fountain_local::StackOptions;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHECKER: &str = "CheckHealthFunction";
const WORKER: &str = "GenerateStoriesFunction";
/// How long the fake generator takes per part.
const SLOW: Duration = Duration::from_millis(400);

async fn slow_generator() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(SLOW)
                .set_body_json(json!({"choices": [{"message": {"content": "Waves."}}]})),
        )
        .mount(&server)
        .await;
    server
}

async fn queue_jobs(h: &Harness, script_id: &str, count: usize) -> Vec<String> {
    let mut jobs = Vec::new();
    for _ in 0..count {
        let reply = h
            .post(
                &format!("/scripts/{script_id}/generations"),
                "alice",
                json!({}),
            )
            .await;
        assert_eq!(reply.status, 202, "{:?}", reply.body);
        jobs.push(reply.body["jobId"].as_str().unwrap().to_owned());
    }
    jobs
}

async fn all_succeeded(h: &Harness, jobs: &[String]) {
    Harness::eventually(240, "every job to succeed", || async {
        for job in jobs {
            let reply = h.get(&format!("/generations/{job}"), "alice").await;
            if reply.body["status"] != "succeeded" {
                return None;
            }
        }
        Some(())
    })
    .await;
}

async fn scale_events(h: &Harness) -> Vec<Value> {
    let reply = h
        .get("/events?aggregateId=generationWorker&limit=100", ADMIN)
        .await;
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_backlog_scales_the_worker_up_drains_faster_and_scales_it_back_down() {
    let server = slow_generator().await;
    let mut options = StackOptions::for_test("scaling");
    for (key, value) in [
        ("GENERATOR", "openai".to_owned()),
        ("GENERATOR_URL", server.uri()),
        ("GENERATOR_MODEL", "slow".to_owned()),
        ("GENERATOR_API_KEY", "key".to_owned()),
    ] {
        options.env_overrides.insert(key.to_owned(), value);
    }
    let h = Harness::start_with(options).await;
    let quota = h
        .request(Method::PUT, "/config/GENERATIONS_PER_DAY_FREE", Some(ADMIN))
        .json(&json!({"value": 100}));
    assert_eq!(Harness::send(quota).await.status, 200);
    let imported = Harness::send(
        h.request(Method::POST, "/scripts/import", Some("alice"))
            .header("content-type", "text/plain; charset=utf-8")
            .body("Title: Tide\n\nEXT. SHORE - DAY\n\nThe tide comes in.\n"),
    )
    .await;
    let script_id = imported.body["scriptId"].as_str().unwrap().to_owned();
    assert_eq!(h.stack.concurrency(WORKER), Some(1));

    // At concurrency 1: ten jobs, one after another.
    let started = Instant::now();
    let serial = queue_jobs(&h, &script_id, 10).await;
    all_succeeded(&h, &serial).await;
    let serial_per_job = started.elapsed() / 10;

    // Forty jobs: the checker's run sees the backlog and asks for more workers.
    let started = Instant::now();
    let backlog = queue_jobs(&h, &script_id, 40).await;
    h.stack.fire(CHECKER).await.unwrap();
    let up = Harness::eventually(30, "the worker scaled up", || async {
        h.stack.concurrency(WORKER).filter(|c| *c > 2)
    })
    .await;
    all_succeeded(&h, &backlog).await;
    let scaled_per_job = started.elapsed() / 40;
    let events = scale_events(&h).await;
    let requested = events
        .iter()
        .find(|e| e["type"] == "ScaleRequested")
        .unwrap();
    assert_eq!(requested["data"]["to"], up);
    assert!(requested["data"]["backlog"].as_u64().unwrap() > 10);
    println!(
        "backlog drain: {} ms per job at concurrency 1 (10 jobs), {} ms per job scaled to {up} (40 jobs), \
         fake generator {} ms per call",
        serial_per_job.as_millis(),
        scaled_per_job.as_millis(),
        SLOW.as_millis()
    );

    // Empty: the next run scales back down to the minimum.
    h.stack.fire(CHECKER).await.unwrap();
    Harness::eventually(30, "the worker scaled down", || async {
        (h.stack.concurrency(WORKER) == Some(2)).then_some(())
    })
    .await;
    let down = Harness::eventually(30, "both decisions in the event store", || async {
        let decisions: Vec<(u64, u64)> = scale_events(&h)
            .await
            .iter()
            .filter(|e| e["type"] == "ScaleRequested")
            .map(|e| {
                (
                    e["data"]["from"].as_u64().unwrap(),
                    e["data"]["to"].as_u64().unwrap(),
                )
            })
            .collect();
        (decisions.len() == 2).then_some(decisions)
    })
    .await;
    assert_eq!(down, vec![(2, u64::from(up)), (u64::from(up), 2)]);
}
