//! The generation worker's failure paths, with the test in the place of Lambda's event
//! source: it receives the worker's messages from the real queue and settles them as Lambda
//! does, so redeliveries, receive counts and the dead-letter queue are the emulator's own.
//! The generator is the test's, so it can crash, fail or wait where the test needs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lambda_events::event::sqs::SqsBatchResponse;
use aws_sdk_sqs::types::Message;
use fountain_e2e::Harness;
use fountain_generation::outputs::Outputs;
use fountain_generation::redelivery::Redelivery;
use fountain_generation::worker::{WorkerDeps, generate_stories};
use fountain_local::StackOptions;
use fountain_local::pollers::{receive, settle, sqs_event};
use fountain_local::provision::Queue;
use fountain_prose::{GenerateError, Generator, Manuscript, Offline, Part};
use fountain_runtime::consumer::Batch;
use fountain_store::Table;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// What the test's generator does on its calls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Write,
    /// Never returns: the worker is killed there.
    Hang,
    Fail {
        retryable: bool,
    },
    /// Waits until the test releases it.
    Wait,
}

#[derive(Clone)]
struct TestGenerator {
    act: Act,
    calls: Arc<AtomicUsize>,
    entered: Arc<Notify>,
    release: Arc<Notify>,
}

impl TestGenerator {
    fn new(act: Act) -> Self {
        Self {
            act,
            calls: Arc::default(),
            entered: Arc::default(),
            release: Arc::default(),
        }
    }
}

impl Generator for TestGenerator {
    fn name(&self) -> &'static str {
        "test"
    }

    async fn write_part(&self, story: &Manuscript, part: &Part) -> Result<String, GenerateError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match self.act {
            Act::Write => {}
            Act::Hang => std::future::pending::<()>().await,
            Act::Fail { retryable: true } => {
                return Err(GenerateError::retryable("the provider is overloaded"));
            }
            Act::Fail { retryable: false } => {
                return Err(GenerateError::permanent("the provider refused the story"));
            }
            Act::Wait => {
                self.entered.notify_one();
                self.release.notified().await;
            }
        }
        Ok(Offline.render_part(story, part))
    }
}

const SCREENPLAY: &str = "Title: Night Shift

INT. DINER - NIGHT

Neon hums over an empty counter.

JUNE
Coffee's on me tonight.

RAY
Then it's a special night.

EXT. PARKING LOT - LATER

Rain. Headlights sweep the wet asphalt.

JUNE
Drive safe.
";

struct Rig {
    h: Harness,
    table: Table,
    outputs: Outputs,
}

impl Rig {
    async fn start(name: &str) -> Self {
        let mut options = StackOptions::for_test(name);
        options.unpolled = vec!["GenerateStoriesFunction".into()];
        let h = Harness::start_with(options).await;
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(&h.stack.sdk),
            h.stack.table_name("AppTable").unwrap(),
        );
        let outputs = Outputs::new(
            &h.stack.sdk,
            h.stack.bucket_name("GenerationBucket").unwrap().to_owned(),
        );
        Self { h, table, outputs }
    }

    fn worker(&self, generator: TestGenerator, lease: Duration) -> WorkerDeps<TestGenerator> {
        WorkerDeps {
            table: self.table.clone(),
            outputs: self.outputs.clone(),
            generator,
            backup: None,
            breaker: None,
            max_receive_count: 3,
            lease,
            attempt_budget: Duration::from_secs(60),
            // Small parts, so a story has several and the worker checks in between.
            part_budget: 40,
            // The test settles messages itself, as the local runner does.
            redelivery: None,
            settings: fountain_runtime::settings::Settings::new(self.table.clone()),
        }
    }

    /// A new job of a freshly imported script, requested through the API.
    async fn job(&self, user: &str) -> String {
        let imported = Harness::send(
            self.h
                .request(Method::POST, "/scripts/import", Some(user))
                .header("content-type", "text/plain")
                .body(SCREENPLAY),
        )
        .await;
        assert_eq!(imported.status, 201, "{:?}", imported.body);
        let script_id = imported.body["scriptId"].as_str().unwrap();
        let job = self
            .h
            .post(
                &format!("/scripts/{script_id}/generations"),
                user,
                json!({}),
            )
            .await;
        assert_eq!(job.status, 202, "{:?}", job.body);
        job.body["jobId"].as_str().unwrap().to_owned()
    }

    /// Waits for the next message on the worker's queue, as Lambda receives it.
    async fn next_message(&self) -> (aws_sdk_sqs::Client, Queue, Vec<Message>) {
        let sqs = aws_sdk_sqs::Client::new(&self.h.stack.sdk);
        let queue = self.h.stack.queue("GenerationQueue").unwrap().clone();
        let messages = Harness::eventually(30, "the job's message", || async {
            let messages = receive(&sqs, &queue, 1).await.unwrap();
            (!messages.is_empty()).then_some(messages)
        })
        .await;
        (sqs, queue, messages)
    }

    /// Waits for the job's message on the worker's queue and delivers it to `worker` as
    /// Lambda would; returns the worker's answer (settled like Lambda settles it) and the
    /// delivery's receive count and the message's body.
    async fn deliver(&self, worker: &WorkerDeps<TestGenerator>) -> (SqsBatchResponse, u32, String) {
        let (sqs, queue, messages) = self.next_message().await;
        let count = messages[0]
            .attributes()
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
            })
            .and_then(|c| c.parse().ok())
            .unwrap();
        let body = messages[0].body().unwrap_or_default().to_owned();
        let event = sqs_event(&messages, &queue, "us-east-1").unwrap();
        let response = generate_stories(worker, Batch::new(event)).await;
        settle(&sqs, &queue, &messages, response.clone()).await;
        (response, count, body)
    }

    /// Delivers the job's message to a worker that is killed after `seconds`, as a crash
    /// or a timeout would: the message is neither deleted nor released.
    async fn deliver_and_kill(&self, worker: &WorkerDeps<TestGenerator>, seconds: u64) {
        let (sqs, queue, messages) = self.next_message().await;
        let event = sqs_event(&messages, &queue, "us-east-1").unwrap();
        let run = tokio::time::timeout(
            Duration::from_secs(seconds),
            generate_stories(worker, Batch::new(event)),
        );
        assert!(run.await.is_err(), "the worker was to be killed mid-job");
        // In AWS the message reappears after the visibility timeout; here at once.
        sqs.change_message_visibility()
            .queue_url(&queue.url)
            .receipt_handle(messages[0].receipt_handle().unwrap())
            .visibility_timeout(0)
            .send()
            .await
            .unwrap();
    }

    /// The job's message is gone from the worker's queue and waits in its dead-letter queue
    /// (the emulator moves it there at the first receive past `maxReceiveCount`).
    async fn assert_dead_lettered(&self, job_id: &str) {
        let sqs = aws_sdk_sqs::Client::new(&self.h.stack.sdk);
        let queue = self.h.stack.queue("GenerationQueue").unwrap().clone();
        let dlq = self
            .h
            .stack
            .queue("GenerationDeadLetterQueue")
            .unwrap()
            .clone();
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert!(receive(&sqs, &queue, 1).await.unwrap().is_empty());
        let dead = Harness::eventually(10, "the dead letter", || async {
            let messages = receive(&sqs, &dlq, 1).await.unwrap();
            (!messages.is_empty()).then_some(messages)
        })
        .await;
        assert!(dead[0].body().unwrap().contains(job_id));
    }

    async fn stored_objects(&self, job_id: &str) -> usize {
        let s3 = &self.outputs.client;
        let listed = s3
            .list_objects_v2()
            .bucket(&self.outputs.bucket)
            .prefix("generations/")
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .filter(|o| o.key().unwrap_or_default().contains(job_id))
            .count()
    }

    async fn job_state(&self, user: &str, job_id: &str) -> Value {
        let reply = self.h.get(&format!("/generations/{job_id}"), user).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body
    }

    async fn events_of(&self, job_id: &str, last: &str) -> Vec<Value> {
        self.h
            .wait_for_events(&format!("aggregateId={job_id}"), &[last])
            .await
    }
}

fn count(events: &[Value], event_type: &str) -> usize {
    events.iter().filter(|e| e["type"] == event_type).count()
}

#[tokio::test]
async fn a_worker_killed_mid_job_is_retried_and_the_job_completes_once_with_one_result() {
    let rig = Rig::start("gen-crash").await;
    let job_id = rig.job("alice").await;

    // The first attempt takes the job and dies inside the prose; its lease is one second.
    let crashing = rig.worker(TestGenerator::new(Act::Hang), Duration::from_secs(1));
    rig.deliver_and_kill(&crashing, 2).await;
    let held = rig.job_state("alice", &job_id).await;
    assert_eq!(held["status"], "running");
    assert_eq!(held["attempts"], 1);
    assert_eq!(held["step"], "story");
    assert_eq!(rig.stored_objects(&job_id).await, 0);

    // The redelivery finds the lease run out and finishes the job.
    let healthy = rig.worker(TestGenerator::new(Act::Write), Duration::from_secs(60));
    let (response, delivery, body) = rig.deliver(&healthy).await;
    assert_eq!(delivery, 2);
    assert!(response.batch_item_failures.is_empty());
    let done = rig.job_state("alice", &job_id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["attempts"], 2);
    assert_eq!(rig.stored_objects(&job_id).await, 6);

    // A duplicate delivery of the same request does nothing more.
    let sqs = aws_sdk_sqs::Client::new(&rig.h.stack.sdk);
    sqs.send_message()
        .queue_url(&rig.h.stack.queue("GenerationQueue").unwrap().url)
        .message_body(body)
        .send()
        .await
        .unwrap();
    let (response, _, _) = rig.deliver(&healthy).await;
    assert!(response.batch_item_failures.is_empty());
    tokio::time::sleep(Duration::from_secs(2)).await;

    let events = rig.events_of(&job_id, "StoryGenerationCompleted").await;
    assert_eq!(
        count(&events, "StoryGenerationStarted"),
        2,
        "one per attempt"
    );
    assert_eq!(count(&events, "StoryGenerationCompleted"), 1, "one result");
    let completed = events
        .iter()
        .find(|e| e["type"] == "StoryGenerationCompleted")
        .unwrap();
    assert_eq!(completed["data"]["attempt"], 2);
    assert_eq!(rig.stored_objects(&job_id).await, 6);
    assert_eq!(
        rig.job_state("alice", &job_id).await["finishedAt"],
        done["finishedAt"]
    );
}

#[tokio::test]
async fn a_poison_job_is_failed_with_its_reason_and_its_message_ends_in_the_dead_letter_queue() {
    let rig = Rig::start("gen-poison").await;
    let job_id = rig.job("alice").await;
    let failing = TestGenerator::new(Act::Fail { retryable: true });
    let worker = rig.worker(failing.clone(), Duration::from_secs(60));

    for delivery in 1..=3 {
        let (response, count, _) = rig.deliver(&worker).await;
        assert_eq!(count, delivery);
        assert_eq!(
            response.batch_item_failures.len(),
            1,
            "delivery {delivery} fails"
        );
        let state = rig.job_state("alice", &job_id).await;
        if delivery < 3 {
            assert_eq!(state["status"], "running");
            assert_eq!(state["lastError"], "the provider is overloaded");
        } else {
            assert_eq!(state["status"], "failed");
            assert_eq!(state["reason"], "the provider is overloaded");
            assert_eq!(state["attempts"], 3);
        }
    }
    assert_eq!(failing.calls.load(Ordering::SeqCst), 3);

    // The emulator moves the message on to the dead-letter queue at its next receive.
    rig.assert_dead_lettered(&job_id).await;

    let events = rig.events_of(&job_id, "StoryGenerationFailed").await;
    assert_eq!(count(&events, "StoryGenerationFailed"), 1);
    assert_eq!(count(&events, "StoryGenerationCompleted"), 0);
    assert_eq!(rig.stored_objects(&job_id).await, 0);
    // The failure reaches the owner's inbox (use case 7).
    let inbox = Harness::eventually(30, "the failure notification", || async {
        let reply = rig.h.get("/notifications", "alice").await;
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        (!items.is_empty()).then_some(items)
    })
    .await;
    assert_eq!(inbox[0]["kind"], "generationFailed");
}

#[tokio::test]
async fn a_permanent_failure_fails_the_job_at_once_without_retries() {
    let rig = Rig::start("gen-refused").await;
    let job_id = rig.job("alice").await;
    let refusing = TestGenerator::new(Act::Fail { retryable: false });
    let (response, _, _) = rig
        .deliver(&rig.worker(refusing.clone(), Duration::from_secs(60)))
        .await;
    assert!(response.batch_item_failures.is_empty(), "nothing to retry");
    let state = rig.job_state("alice", &job_id).await;
    assert_eq!(state["status"], "failed");
    assert_eq!(state["reason"], "the provider refused the story");
    assert_eq!(state["attempts"], 1);
    assert_eq!(refusing.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_job_cancelled_while_running_stops_at_its_next_step_with_nothing_stored() {
    let rig = Rig::start("gen-cancel-run").await;
    let job_id = rig.job("alice").await;
    let waiting = TestGenerator::new(Act::Wait);
    let worker = rig.worker(waiting.clone(), Duration::from_secs(60));
    let run = async {
        let (response, _, _) = rig.deliver(&worker).await;
        response
    };
    let cancel = async {
        waiting.entered.notified().await;
        let running = rig.job_state("alice", &job_id).await;
        assert_eq!(running["status"], "running");
        let cancelled = rig
            .h
            .delete(&format!("/generations/{job_id}"), "alice")
            .await;
        assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
        assert_eq!(cancelled.body["status"], "cancelled");
        waiting.release.notify_one();
    };
    let (response, ()) = tokio::join!(run, cancel);
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(
        waiting.calls.load(Ordering::SeqCst),
        1,
        "no part after the cancel"
    );
    let state = rig.job_state("alice", &job_id).await;
    assert_eq!(state["status"], "cancelled");
    assert_eq!(rig.stored_objects(&job_id).await, 0);
    let events = rig.events_of(&job_id, "StoryGenerationCancelled").await;
    let cancelled = events
        .iter()
        .find(|e| e["type"] == "StoryGenerationCancelled")
        .unwrap();
    assert_eq!(cancelled["data"]["previousStatus"], "running");
    assert_eq!(cancelled["data"]["reason"], "requested");
    assert_eq!(count(&events, "StoryGenerationCompleted"), 0);
}

#[tokio::test]
async fn a_logout_cancels_the_users_queued_jobs_and_the_worker_then_skips_them() {
    let rig = Rig::start("gen-logout").await;
    let alice = rig.h.account("alice-gen@example.com").await;
    let bob = rig.h.account("bob-gen@example.com").await;
    let mut jobs = Vec::new();
    for _ in 0..2 {
        jobs.push(rig.job(&alice.user_id).await);
    }
    let bobs = rig.job(&bob.user_id).await;

    let logout = rig.h.call(&alice, Method::POST, "/auth/logout", None).await;
    assert_eq!(logout.status, 204, "{:?}", logout.body);
    for job_id in &jobs {
        let events = rig.events_of(job_id, "StoryGenerationCancelled").await;
        let cancelled = events
            .iter()
            .find(|e| e["type"] == "StoryGenerationCancelled")
            .unwrap();
        assert_eq!(cancelled["data"]["reason"], "logout");
        assert_eq!(cancelled["data"]["previousStatus"], "queued");
        assert_eq!(
            rig.job_state(&alice.user_id, job_id).await["reason"],
            "cancelled because you logged out"
        );
    }
    assert_eq!(rig.job_state(&bob.user_id, &bobs).await["status"], "queued");

    // The worker acknowledges the cancelled jobs' messages without running them.
    let generator = TestGenerator::new(Act::Write);
    let worker = rig.worker(generator.clone(), Duration::from_secs(60));
    for _ in 0..3 {
        let (response, _, _) = rig.deliver(&worker).await;
        assert!(response.batch_item_failures.is_empty());
    }
    for job_id in &jobs {
        assert_eq!(
            rig.job_state(&alice.user_id, job_id).await["status"],
            "cancelled"
        );
        assert_eq!(rig.stored_objects(job_id).await, 0);
    }
    assert_eq!(
        rig.job_state(&bob.user_id, &bobs).await["status"],
        "succeeded"
    );
}

#[tokio::test]
async fn a_job_that_outlives_every_attempt_is_failed_on_the_last_one_and_dead_lettered() {
    let rig = Rig::start("gen-slow").await;
    let job_id = rig.job("alice").await;
    let mut worker = rig.worker(TestGenerator::new(Act::Hang), Duration::from_secs(60));
    // Each attempt stops itself after a second, as it would before Lambda's timeout.
    worker.attempt_budget = Duration::from_secs(1);
    for delivery in 1..=3 {
        let (response, count, _) = rig.deliver(&worker).await;
        assert_eq!(count, delivery);
        assert_eq!(response.batch_item_failures.len(), 1);
        let state = rig.job_state("alice", &job_id).await;
        assert_eq!(state["attempts"], delivery);
        if delivery < 3 {
            // Given back at once: the next delivery need not wait for the lease.
            assert_eq!(state["status"], "running");
            assert_eq!(state["lastError"], "an attempt ran out of time (1 s)");
        } else {
            assert_eq!(state["status"], "failed");
            assert_eq!(state["reason"], "an attempt ran out of time (1 s)");
        }
    }
    rig.assert_dead_lettered(&job_id).await;
    let events = rig.events_of(&job_id, "StoryGenerationFailed").await;
    assert_eq!(count(&events, "StoryGenerationStarted"), 3);
    assert_eq!(count(&events, "StoryGenerationFailed"), 1);
}

#[tokio::test]
async fn a_failed_delivery_comes_back_after_the_backoff_not_the_visibility_timeout() {
    let rig = Rig::start("gen-backoff").await;
    let job_id = rig.job("alice").await;
    let mut worker = rig.worker(
        TestGenerator::new(Act::Fail { retryable: true }),
        Duration::from_secs(60),
    );
    worker.redelivery = Some(Redelivery::new(&rig.h.stack.sdk, Duration::from_secs(1)));
    // Delivered and failed, but not settled: only the worker's backoff can bring it back
    // before the queue's visibility timeout of 5,400 s.
    let (sqs, queue, messages) = rig.next_message().await;
    let event = sqs_event(&messages, &queue, "us-east-1").unwrap();
    let response = generate_stories(&worker, Batch::new(event)).await;
    assert_eq!(response.batch_item_failures.len(), 1);
    let again = Harness::eventually(15, "the message back after its backoff", || async {
        let messages = receive(&sqs, &queue, 1).await.unwrap();
        (!messages.is_empty()).then_some(messages)
    })
    .await;
    assert!(again[0].body().unwrap().contains(&job_id));
    assert_eq!(
        again[0]
            .attributes()
            .and_then(
                |a| a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
            )
            .map(String::as_str),
        Some("2")
    );
}
