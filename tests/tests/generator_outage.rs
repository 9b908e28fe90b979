//! A text generator outage, end to end: the worker's circuit breaker and the scheduled
//! checker publish ServiceDown, the generation context holds jobs (or fails over to a backup
//! generator), `POST .../generations` answers 503 with Retry-After while reads and edits
//! keep working, and on ServiceRecovered the held jobs resume and complete. No job fails.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{ADMIN, Harness, Reply};
use fountain_local::StackOptions;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHECKER: &str = "CheckHealthFunction";
const SCREENPLAY: &str = "Title: Lighthouse\n\nINT. LIGHTHOUSE - NIGHT\n\nThe lamp turns.\n\nMARA\nIs anyone out there?\n\nTOM\nOnly the sea.\n";

/// An OpenAI-compatible fake that is up (models listed, completions written) or down (503).
async fn provider(server: &MockServer, up: bool) {
    server.reset().await;
    let status = if up { 200 } else { 503 };
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"data": []})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({
            "choices": [{"message": {"content": "The lamp turned, and the sea said nothing."}}]
        })))
        .mount(server)
        .await;
}

async fn stack(name: &str, primary: &MockServer, backup: Option<&MockServer>) -> Harness {
    let mut options = StackOptions::for_test(name);
    let mut set = |key: &str, value: String| {
        options.env_overrides.insert(key.to_owned(), value);
    };
    set("GENERATOR", "openai".into());
    set("GENERATOR_URL", primary.uri());
    set("GENERATOR_MODEL", "fake-model".into());
    set("GENERATOR_API_KEY", "fake-key".into());
    set("GENERATOR_TIMEOUT_SECS", "5".into());
    set("RETRY_BACKOFF_SECONDS", "1".into());
    if let Some(backup) = backup {
        set("GENERATOR_BACKUP_URL", backup.uri());
        set("GENERATOR_BACKUP_MODEL", "backup-model".into());
        set("GENERATOR_BACKUP_API_KEY", "backup-key".into());
    }
    Harness::start_with(options).await
}

async fn import(h: &Harness, user: &str) -> String {
    let reply = Harness::send(
        h.request(Method::POST, "/scripts/import", Some(user))
            .header("content-type", "text/plain; charset=utf-8")
            .body(SCREENPLAY),
    )
    .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["scriptId"].as_str().unwrap().to_owned()
}

async fn request_job(h: &Harness, user: &str, script_id: &str) -> Reply {
    h.post(
        &format!("/scripts/{script_id}/generations"),
        user,
        json!({}),
    )
    .await
}

async fn job_in(h: &Harness, user: &str, job_id: &str, statuses: &[&str]) -> Value {
    Harness::eventually(60, &format!("job {job_id} to be {statuses:?}"), || async {
        let reply = h.get(&format!("/generations/{job_id}"), user).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        let status = reply.body["status"].as_str().unwrap_or_default();
        assert_ne!(
            status, "failed",
            "no job fails by an outage: {}",
            reply.body
        );
        statuses.contains(&status).then_some(reply.body)
    })
    .await
}

async fn generator_events(h: &Harness, event_type: &str) -> Vec<Value> {
    let reply = h
        .get("/events?aggregateId=generator&limit=100", ADMIN)
        .await;
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == event_type)
        .cloned()
        .collect()
}

#[tokio::test]
async fn jobs_wait_out_a_generator_outage_and_complete_after_it_with_none_failed() {
    let primary = MockServer::start().await;
    provider(&primary, true).await;
    let h = stack("outage-hold", &primary, None).await;
    let breaker = h
        .request(
            Method::PUT,
            "/config/GENERATOR_BREAKER_FAILURES",
            Some(ADMIN),
        )
        .json(&json!({"value": 2}));
    assert_eq!(Harness::send(breaker).await.status, 200);
    let script_id = import(&h, "alice").await;

    // The generator fails between two checks: the jobs meet it first.
    provider(&primary, false).await;
    let first = request_job(&h, "alice", &script_id).await;
    let second = request_job(&h, "alice", &script_id).await;
    assert_eq!((first.status, second.status), (202, 202));
    let jobs = [
        first.body["jobId"].as_str().unwrap().to_owned(),
        second.body["jobId"].as_str().unwrap().to_owned(),
    ];
    for job_id in &jobs {
        let held = job_in(&h, "alice", job_id, &["waiting"]).await;
        assert_eq!(held["reason"], "waiting for the generator");
    }
    let down = h
        .wait_for_events("aggregateId=generator", &["ServiceDown"])
        .await;
    let service_down = down.iter().find(|e| e["type"] == "ServiceDown").unwrap();
    assert_eq!(service_down["data"]["detectedBy"], "generation_breaker");

    // New jobs are refused while it is down; reads and edits go on.
    let refused = Harness::eventually(30, "503 for a new job", || async {
        let reply = request_job(&h, "alice", &script_id).await;
        (reply.status == 503).then_some(reply)
    })
    .await;
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(
        refused.body["type"],
        "urn:fountainai:problem:dependency-down"
    );
    let script = h.get(&format!("/scripts/{script_id}"), "alice").await;
    assert_eq!(script.status, 200);
    let etag = script.header("etag").unwrap().to_owned();
    let edited = h
        .patch(
            &format!("/scripts/{script_id}"),
            "alice",
            &etag,
            json!({"title": "Lighthouse II"}),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);

    // Back on: two good checks, ServiceRecovered, the held jobs resume and complete.
    provider(&primary, true).await;
    h.stack.fire(CHECKER).await.unwrap();
    h.stack.fire(CHECKER).await.unwrap();
    for job_id in &jobs {
        let done = job_in(&h, "alice", job_id, &["succeeded"]).await;
        assert_eq!(done["outputs"].as_array().unwrap().len(), 6);
    }
    assert_eq!(generator_events(&h, "ServiceRecovered").await.len(), 1);
    assert_eq!(request_job(&h, "alice", &script_id).await.status, 202);
    let failed: Vec<Value> = h.get("/generations", "alice").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["status"] == "failed")
        .cloned()
        .collect();
    println!(
        "jobs failed by the simulated generator outage: {}",
        failed.len()
    );
    assert!(failed.is_empty(), "{failed:?}");
}

#[tokio::test]
async fn while_the_generator_is_down_jobs_fail_over_to_the_backup() {
    let primary = MockServer::start().await;
    let backup = MockServer::start().await;
    provider(&primary, false).await;
    provider(&backup, true).await;
    let h = stack("outage-failover", &primary, Some(&backup)).await;
    let script_id = import(&h, "alice").await;
    h.stack.fire(CHECKER).await.unwrap();
    h.stack.fire(CHECKER).await.unwrap();
    h.wait_for_events("aggregateId=generator", &["ServiceDown"])
        .await;

    // Accepted (a backup is configured) and written by the backup once the context knows.
    let table = fountain_store::Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    Harness::eventually(30, "the generation context to know the outage", || async {
        fountain_generation::availability::generator_down(&table)
            .await
            .unwrap()
            .then_some(())
    })
    .await;
    let reply = request_job(&h, "alice", &script_id).await;
    assert_eq!(reply.status, 202, "{:?}", reply.body);
    let job_id = reply.body["jobId"].as_str().unwrap().to_owned();
    job_in(&h, "alice", &job_id, &["succeeded"]).await;
    let chat = |requests: Vec<wiremock::Request>| {
        requests
            .iter()
            .filter(|r| r.url.path() == "/chat/completions")
            .count()
    };
    assert!(chat(backup.received_requests().await.unwrap()) > 0);
    assert_eq!(
        chat(primary.received_requests().await.unwrap()),
        0,
        "the primary is not called while it is down"
    );
}
