//! The scheduled reconciler (fired by the test): each kind of drift the design admits is
//! made by hand in the table, repaired once with its Reconciled event, and a second run
//! touches nothing.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{Duration, SecondsFormat, Utc};
use fountain_e2e::{ADMIN, Harness};
use fountain_local::StackOptions;
use fountain_store::{ItemCodec, Table, keys};
use serde_json::{Value, json};

const RECONCILER: &str = "ReconcileFunction";

fn table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

async fn set(h: &Harness, pk: &str, sk: &str, update: &str, values: &[(&str, AttributeValue)]) {
    let t = table(h);
    let mut request = t
        .client
        .update_item()
        .table_name(&t.name)
        .set_key(Some(Table::key(pk, sk)))
        .update_expression(update);
    for (name, value) in values {
        request = request.expression_attribute_values(*name, value.clone());
    }
    if update.contains("#s") {
        request = request.expression_attribute_names("#s", "status");
    }
    request.send().await.unwrap();
}

/// The Reconciled events of the outbox so far, by the id they repaired.
async fn reconciled_in_outbox(h: &Harness) -> HashMap<String, Vec<Value>> {
    let t = table(h);
    let scanned = t.client.scan().table_name(&t.name).send().await.unwrap();
    let mut found: HashMap<String, Vec<Value>> = HashMap::new();
    for item in scanned.items.unwrap_or_default() {
        let is_reconciled = item
            .get("eventType")
            .and_then(|v| v.as_s().ok())
            .map(String::as_str)
            == Some("Reconciled");
        if !is_reconciled {
            continue;
        }
        let envelope: Value = serde_json::from_str(item["envelope"].as_s().unwrap()).unwrap();
        found
            .entry(envelope["data"]["id"].as_str().unwrap().to_owned())
            .or_default()
            .push(envelope["data"].clone());
    }
    found
}

#[tokio::test]
async fn stale_jobs_unfinished_accepts_and_drifted_counters_are_repaired_once() {
    let mut options = StackOptions::for_test("reconcile");
    // No worker: the jobs stay where the test puts them.
    options.unpolled.push("GenerateStoriesFunction".to_owned());
    for (key, value) in [
        ("RECONCILE_JOB_GRACE_SECONDS", "0"),
        ("RECONCILE_ACCEPT_AFTER_SECONDS", "0"),
        ("RECONCILE_OUTBOX_AFTER_SECONDS", "600"),
    ] {
        options
            .env_overrides
            .insert(key.to_owned(), value.to_owned());
    }
    let h = Harness::start_with(options).await;
    let t = table(&h);
    let (script_id, _) = h.create_script("alice", "Drift").await;

    // Two jobs left running by a worker that died: one with attempts to spare, one on its last.
    let mut jobs = Vec::new();
    for attempts in [1, 3] {
        let reply = h
            .post(
                &format!("/scripts/{script_id}/generations"),
                "alice",
                json!({}),
            )
            .await;
        assert_eq!(reply.status, 202, "{:?}", reply.body);
        let job_id = reply.body["jobId"].as_str().unwrap().to_owned();
        let job = fountain_generation::store::load(&t, "alice", &job_id)
            .await
            .unwrap()
            .unwrap();
        let long_ago = Utc::now() - Duration::hours(3);
        let stale = fountain_generation::Job {
            status: fountain_generation::JobStatus::Running,
            attempts,
            lease_until: Some((long_ago + Duration::minutes(15)).timestamp_millis()),
            updated_at: long_ago,
            started_at: Some(long_ago),
            ..job
        };
        t.client
            .put_item()
            .table_name(&t.name)
            .set_item(Some(stale.to_item().unwrap()))
            .send()
            .await
            .unwrap();
        jobs.push(job_id);
    }

    // An accept whose membership was never written and whose compensation failed.
    let invited = h
        .post(
            &format!("/scripts/{script_id}/invitations"),
            "alice",
            json!({"email": "bob@example.com", "role": "editor"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{:?}", invited.body);
    let invitation_id = invited.body["invitationId"].as_str().unwrap().to_owned();
    let consumed_at =
        (Utc::now() - Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Millis, true);
    set(
        &h,
        &keys::script(&script_id),
        &keys::invite(&invitation_id),
        "SET #s = :accepted, acceptedBy = :bob, gsi1pk = :index, gsi1sk = :since",
        &[
            (":accepted", AttributeValue::S("accepted".into())),
            (":bob", AttributeValue::S("bob".into())),
            (
                ":index",
                AttributeValue::S(keys::ACCEPTING_INVITATIONS.into()),
            ),
            (
                ":since",
                AttributeValue::S(keys::pending_event(&consumed_at, &invitation_id)),
            ),
        ],
    )
    .await;

    // A session whose entry count drifted, and a usage counter that did.
    let session = h
        .post("/sessions", "alice", json!({"scriptId": script_id}))
        .await;
    assert_eq!(session.status, 201, "{:?}", session.body);
    let session_id = session.body["sessionId"].as_str().unwrap().to_owned();
    for key in ["mood", "weather"] {
        let entry = h
            .post(
                &format!("/sessions/{session_id}/context"),
                "alice",
                json!({"key": key, "value": "grey"}),
            )
            .await;
        assert_eq!(entry.status, 201, "{:?}", entry.body);
    }
    set(
        &h,
        &keys::user("alice"),
        &keys::session(&session_id),
        "SET entryCount = :wrong",
        &[(":wrong", AttributeValue::N("7".into()))],
    )
    .await;
    let day = Utc::now().format("%Y-%m-%d").to_string();
    set(
        &h,
        &keys::user("alice"),
        &keys::usage(&day),
        "SET jobs = :wrong",
        &[(":wrong", AttributeValue::N("5".into()))],
    )
    .await;

    h.stack.fire(RECONCILER).await.unwrap();

    let requeued = h.get(&format!("/generations/{}", jobs[0]), "alice").await;
    assert_eq!(requeued.body["status"], "queued", "{:?}", requeued.body);
    let failed = h.get(&format!("/generations/{}", jobs[1]), "alice").await;
    assert_eq!(failed.body["status"], "failed", "{:?}", failed.body);
    assert_eq!(
        failed.body["reason"],
        fountain_generation::reconcile::ABANDONED_REASON
    );
    let invitations = h
        .get(&format!("/scripts/{script_id}/invitations"), "alice")
        .await;
    assert_eq!(invitations.body["items"][0]["status"], "pending");
    let session = h.get(&format!("/sessions/{session_id}"), "alice").await;
    assert_eq!(session.body["entryCount"], 2);
    let usage = t
        .get(&keys::user("alice"), &keys::usage(&day))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(usage["jobs"].as_n().unwrap(), "2");

    let repairs = reconciled_in_outbox(&h).await;
    let usage_id = format!("alice/{day}");
    for (id, action) in [
        (jobs[0].as_str(), "requeued"),
        (jobs[1].as_str(), "failed"),
        (invitation_id.as_str(), "reopened"),
        (session_id.as_str(), "recounted"),
        (usage_id.as_str(), "recounted"),
    ] {
        let found = repairs
            .get(id)
            .unwrap_or_else(|| panic!("no Reconciled for {id}: {repairs:?}"));
        assert_eq!(found.len(), 1, "{id}");
        assert_eq!(found[0]["action"], action, "{id}");
    }
    // The requeued job's request is on the bus again, with the repair's correlation.
    let events = h
        .wait_for_events(&format!("aggregateId={}", jobs[0]), &["Reconciled"])
        .await;
    let requests = events
        .iter()
        .filter(|e| e["type"] == "StoryGenerationRequested")
        .count();
    assert_eq!(requests, 2, "the original request and the repair's");

    // A second run finds nothing left.
    h.stack.fire(RECONCILER).await.unwrap();
    assert_eq!(reconciled_in_outbox(&h).await, repairs);
}

#[tokio::test]
async fn outbox_events_the_relay_never_published_are_published_once() {
    let mut options = StackOptions::for_test("reconcile-outbox");
    // The relay is down for good: every outbox item stays pending.
    options.unpolled.push("RelayFunction".to_owned());
    options
        .env_overrides
        .insert("RECONCILE_OUTBOX_AFTER_SECONDS".to_owned(), "0".to_owned());
    let h = Harness::start_with(options).await;
    let (script_id, _) = h.create_script("alice", "Unrelayed").await;
    h.stack.fire(RECONCILER).await.unwrap();
    let events = h
        .wait_for_events(&format!("aggregateId={script_id}"), &["ScriptCreated"])
        .await;
    assert_eq!(events.len(), 1);
    let event_id = events[0]["id"].as_str().unwrap().to_owned();
    let repair = h
        .wait_for_events(&format!("aggregateId={event_id}"), &["Reconciled"])
        .await;
    assert_eq!(repair[0]["data"]["action"], "republished");
    assert_eq!(repair[0]["data"]["kind"], "outbox");
    let pending = fountain_store::outbox::pending_before(&table(&h), "9999", 100)
        .await
        .unwrap();
    assert!(pending.is_empty(), "marked published: {pending:?}");

    // Nothing is published twice by a second run.
    h.stack.fire(RECONCILER).await.unwrap();
    let (again, _) = h.create_script("alice", "Marker").await;
    h.stack.fire(RECONCILER).await.unwrap();
    h.wait_for_events(&format!("aggregateId={again}"), &["ScriptCreated"])
        .await;
    let reply = h
        .get(&format!("/events?aggregateId={script_id}&limit=100"), ADMIN)
        .await;
    assert_eq!(reply.body["items"].as_array().unwrap().len(), 1);
    let reply = h
        .get(&format!("/events?aggregateId={event_id}&limit=100"), ADMIN)
        .await;
    assert_eq!(
        reply.body["items"].as_array().unwrap().len(),
        1,
        "one repair"
    );
}
