//! EMF metrics as the functions emit them (captured instead of printed): the consumers per
//! event type (processed, failed, duration, age), the authorizer's verdicts, and the HTTP
//! functions; and docs/operations.md's metric table is the catalog.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{ADMIN, Harness};
use fountain_runtime::metrics;
use reqwest::Method;
use serde_json::{Value, json};

fn emitted<'a>(documents: &'a [Value], function: &str, metric: &str) -> Vec<&'a Value> {
    documents
        .iter()
        .filter(|d| d["Function"] == function && d.get(metric).is_some())
        .collect()
}

#[tokio::test]
async fn consumers_and_the_authorizer_emit_their_metrics() {
    let h = Harness::start("metrics").await;
    metrics::capture();
    let (script_id, _) = h.create_script("alice", "Measured").await;
    h.wait_for_events(&format!("aggregateId={script_id}"), &["ScriptCreated"])
        .await;
    // A poison message for the event store's consumer: counted as failed, type unreadable.
    let queue = h.stack.queue("EventStoreQueue").unwrap().url.clone();
    aws_sdk_sqs::Client::new(&h.stack.sdk)
        .send_message()
        .queue_url(&queue)
        .message_body("not an event")
        .send()
        .await
        .unwrap();
    let unauthenticated = Harness::send(
        h.request(Method::GET, "/scripts", None)
            .header("authorization", "Bearer not-a-token"),
    )
    .await;
    assert_eq!(unauthenticated.status, 401);
    let limit = h
        .request(Method::PUT, "/config/MAX_REQUESTS_PER_MINUTE", Some(ADMIN))
        .json(&json!({"value": 1}));
    assert_eq!(Harness::send(limit).await.status, 200);
    let limited = Harness::eventually(30, "a rate-limited request", || async {
        let reply = h.get("/scripts", "bob").await;
        (reply.status == 429).then_some(reply)
    })
    .await;
    assert_eq!(limited.status, 429);

    let documents = Harness::eventually(30, "the poison message's metric", || async {
        let documents = metrics::captured();
        let failed = documents
            .iter()
            .any(|d| d["Function"] == "store_event" && d["EventType"] == "unreadable");
        failed.then_some(documents)
    })
    .await;
    let mut all = documents;
    all.extend(metrics::captured());

    let stored = emitted(&all, "store_event", "EventsProcessed");
    let created = stored
        .iter()
        .find(|d| d["EventType"] == "ScriptCreated")
        .unwrap_or_else(|| panic!("no EventsProcessed for ScriptCreated: {stored:?}"));
    assert!(created["EventDuration"].as_f64().unwrap() >= 0.0);
    assert!(created["EventAge"].as_f64().unwrap() >= 0.0);
    assert_eq!(
        created["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
        json!([["Function", "EventType"]])
    );
    let poison = emitted(&all, "store_event", "EventsFailed");
    assert!(
        poison.iter().any(|d| d["EventType"] == "unreadable"),
        "{poison:?}"
    );

    assert!(!emitted(&all, "authorizer", "Allowed").is_empty());
    assert!(!emitted(&all, "authorizer", "Denied").is_empty());
    assert!(!emitted(&all, "authorizer", "RateLimited").is_empty());
    assert!(!emitted(&all, "create_script", "Requests").is_empty());
}

#[test]
fn the_metric_table_in_the_docs_is_the_catalog() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operations.md"),
    )
    .unwrap();
    let table: Vec<Vec<String>> = text
        .lines()
        .skip_while(|line| !line.starts_with("| metric | unit | dimensions |"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect();
    let expected: Vec<Vec<String>> = metrics::CATALOG
        .iter()
        .map(|m| {
            vec![
                format!("`{}`", m.name),
                m.unit.as_str().to_owned(),
                m.dimensions
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                m.emitted_by.to_owned(),
            ]
        })
        .collect();
    assert_eq!(table, expected, "docs/operations.md's metric table");
}
