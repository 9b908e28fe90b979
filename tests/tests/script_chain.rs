//! The script-created chain (modular workflows): `POST /scripts` with an initial cast and
//! `generate: true`; the characters context creates the cast and the generation context
//! queues a first job, each from its own queue, under the request's correlation id, once
//! however often ScriptCreated is delivered. ScriptCreated is at version 2; a stored
//! version-1 event is read, replayed and consumed as version 2.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use fountain_e2e::{ADMIN, Harness};
use fountain_events::EventEnvelope;
use fountain_store::{Table, keys};
use reqwest::Method;
use serde_json::{Value, json};

fn table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

async fn send(h: &Harness, queue: &str, envelope: &Value) {
    let body = json!({
        "version": "0", "id": "1b0d6c1e-0000-4000-8000-000000000001",
        "detail-type": envelope["type"], "source": envelope["source"],
        "time": envelope["time"], "resources": [], "detail": envelope,
    });
    aws_sdk_sqs::Client::new(&h.stack.sdk)
        .send_message()
        .queue_url(&h.stack.queue(queue).unwrap().url)
        .message_body(body.to_string())
        .send()
        .await
        .unwrap();
}

async fn claimed(h: &Harness, consumer: &str, event_id: &str) -> Option<String> {
    let item = table(h)
        .get(&keys::idempotency(consumer, event_id), keys::IDEMPOTENCY_SK)
        .await
        .unwrap()?;
    item.get("status").and_then(|s| s.as_s().ok()).cloned()
}

#[tokio::test]
async fn a_new_script_gets_its_cast_and_first_generation_once_under_its_correlation_id() {
    let h = Harness::start("script-chain").await;
    let created = Harness::send(
        h.request(Method::POST, "/scripts", Some("alice"))
            .header("x-correlation-id", "chain-1")
            .json(&json!({
                "title": "Lighthouse",
                "cast": ["Mara", "Tom", "  mara "],
                "generate": true
            })),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let script_id = created.body["scriptId"].as_str().unwrap().to_owned();

    let events = h
        .wait_for_events(
            "correlationId=chain-1",
            &[
                "ScriptCreated",
                "CharacterCreated",
                "StoryGenerationRequested",
                "StoryGenerationCompleted",
            ],
        )
        .await;
    let script_created = events
        .iter()
        .find(|e| e["type"] == "ScriptCreated")
        .unwrap();
    assert_eq!(script_created["version"], 2);
    assert_eq!(script_created["data"]["cast"], json!(["Mara", "Tom"]));
    assert_eq!(script_created["data"]["generate"], true);
    let names: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "CharacterCreated")
        .map(|e| e["data"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"Mara") && names.contains(&"Tom"));
    for event in &events {
        if event["type"] != "ScriptCreated" {
            assert!(event["causationId"].is_string(), "{event}");
        }
    }

    // Delivered again to both reactions: nothing more happens.
    send(&h, "InitialCastQueue", script_created).await;
    send(&h, "FirstGenerationQueue", script_created).await;
    let event_id = script_created["id"].as_str().unwrap();
    for queue in ["InitialCastQueue", "FirstGenerationQueue"] {
        let url = h.stack.queue(queue).unwrap().url.clone();
        Harness::eventually(30, &format!("{queue} to drain"), || async {
            (h.queue_depth(&url).await == (0, 0)).then_some(())
        })
        .await;
    }
    assert_eq!(
        claimed(&h, "create_initial_cast", event_id)
            .await
            .as_deref(),
        Some("COMPLETED")
    );
    let characters = h
        .get(&format!("/scripts/{script_id}/characters"), "alice")
        .await;
    assert_eq!(characters.body["items"].as_array().unwrap().len(), 2);
    let jobs = h
        .get(&format!("/scripts/{script_id}/generations"), "alice")
        .await;
    let jobs = jobs.body["items"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");

    // A script without a cast or `generate` starts nothing.
    let (plain, _) = h.create_script("alice", "Plain").await;
    let plain_events = h
        .wait_for_events(&format!("aggregateId={plain}"), &["ScriptCreated"])
        .await;
    assert_eq!(plain_events[0]["data"]["cast"], json!([]));
    let plain_jobs = h
        .get(&format!("/scripts/{plain}/generations"), "alice")
        .await;
    assert!(plain_jobs.body["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_bad_cast_is_refused_with_nothing_written() {
    let h = Harness::start("script-chain-bad").await;
    let too_many: Vec<String> = (0..51).map(|i| format!("Name {i}")).collect();
    for (body, field) in [
        (json!({"title": "T", "cast": ["  "]}), "cast[0]"),
        (json!({"title": "T", "cast": ["x".repeat(101)]}), "cast[0]"),
        (json!({"title": "T", "cast": too_many}), "cast"),
    ] {
        let reply = h.post("/scripts", "alice", body).await;
        assert_eq!(reply.status, 422, "{:?}", reply.body);
        assert_eq!(reply.body["errors"][0]["field"], field);
    }
    let scripts = h.get("/scripts", "alice").await;
    assert!(scripts.body["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_stored_version_1_script_created_is_read_replayed_and_consumed_as_version_2() {
    let h = Harness::start("script-chain-v1").await;
    let (script_id, _) = h.create_script("alice", "Old").await;
    // As a version-1 producer wrote it: no cast, no generate.
    let v1 = json!({
        "id": fountain_events::ids::new_id(),
        "type": "ScriptCreated",
        "version": 1,
        "source": "fountain.scripts",
        "time": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "aggregateType": "Script",
        "aggregateId": script_id,
        "actor": "alice",
        "correlationId": "v1-event",
        "causationId": null,
        "data": {"scriptId": script_id, "ownerId": "alice", "revision": 1, "title": "Old",
                 "author": null, "description": null, "comment": null},
    });
    send(&h, "EventStoreQueue", &v1).await;
    let stored = h
        .wait_for_events("correlationId=v1-event", &["ScriptCreated"])
        .await;
    assert_eq!(stored[0]["version"], 1, "kept as written");
    let envelope: EventEnvelope = serde_json::from_value(stored[0].clone()).unwrap();
    let read = envelope
        .data_as::<fountain_events::catalog::ScriptCreated>()
        .unwrap();
    assert_eq!((read.cast.len(), read.generate), (0, false));

    let replayed = h
        .post(
            "/admin/replays",
            ADMIN,
            json!({
                "from": (Utc::now() - Duration::minutes(5)).to_rfc3339(),
                "to": (Utc::now() + Duration::seconds(1)).to_rfc3339(),
                "types": ["ScriptCreated"],
                "targetQueue": h.stack.queue("InitialCastQueue").unwrap().name,
            }),
        )
        .await;
    assert_eq!(replayed.status, 200, "{:?}", replayed.body);
    assert_eq!(
        replayed.body["published"], 2,
        "the new event and the old one"
    );
    let id = v1["id"].as_str().unwrap().to_owned();
    Harness::eventually(30, "the version-1 event consumed", || async {
        (claimed(&h, "create_initial_cast", &id).await.as_deref() == Some("COMPLETED"))
            .then_some(())
    })
    .await;
    let dead = h
        .stack
        .queue("InitialCastDeadLetterQueue")
        .unwrap()
        .url
        .clone();
    assert_eq!(h.queue_depth(&dead).await, (0, 0), "not poison");
}
