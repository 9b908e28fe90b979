//! The event backbone under failure: duplicate deliveries, a consumer that fails then
//! succeeds, a poison message, the bus unreachable while writing, a refused change.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use fountain_e2e::{ADMIN, Harness};
use fountain_events::catalog::ScriptDeleted;
use fountain_events::{EventContext, EventEnvelope};
use fountain_local::StackOptions;
use fountain_local::functions::Invoker;
use fountain_local::pollers::poll_queue;
use fountain_local::provision::Queue;
use fountain_runtime::Idempotency;
use fountain_runtime::consumer::{Delivered, process_batch};
use fountain_store::{Table, keys};
use reqwest::Method;
use serde_json::json;

fn envelope() -> EventEnvelope {
    let event = ScriptDeleted {
        script_id: "01TESTSCRIPT".into(),
        revision: 1,
        comment: None,
    };
    EventEnvelope::new(
        &event,
        &EventContext {
            actor: Some("alice".into()),
            correlation_id: "c".into(),
            causation_id: None,
        },
    )
    .unwrap()
}

fn bus_message(envelope: &EventEnvelope) -> String {
    json!({
        "version": "0", "id": "eb-1", "detail-type": envelope.event_type, "source": envelope.source,
        "time": envelope.time_rfc3339(), "region": "us-east-1", "resources": [], "detail": envelope,
    })
    .to_string()
}

fn sqs_event(bodies: &[(&str, String)]) -> SqsEvent {
    let records: Vec<_> = bodies
        .iter()
        .map(|(id, body)| json!({ "messageId": id, "receiptHandle": id, "body": body, "attributes": {}, "messageAttributes": {} }))
        .collect();
    serde_json::from_value(json!({ "Records": records })).unwrap()
}

fn idempotency(h: &Harness, consumer: &str, lease_ms: i64) -> Idempotency {
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    Idempotency::new(table, consumer, chrono::Duration::milliseconds(lease_ms))
}

#[tokio::test]
async fn the_same_event_delivered_twice_has_one_effect() {
    let h = Harness::start("dupes").await;
    let idempotency = idempotency(&h, "counter", 60_000);
    let effects = AtomicUsize::new(0);
    let body = bus_message(&envelope());
    let handler = |_event: Delivered<EventEnvelope>| async {
        effects.fetch_add(1, Ordering::SeqCst);
        Ok::<_, String>(())
    };
    // Twice in one batch, then the whole batch redelivered.
    let batch = sqs_event(&[("m1", body.clone()), ("m2", body.clone())]);
    let first = process_batch(batch.clone(), &idempotency, handler).await;
    let second = process_batch(batch, &idempotency, handler).await;
    assert!(first.batch_item_failures.is_empty());
    assert!(second.batch_item_failures.is_empty());
    assert_eq!(effects.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_claim_left_by_a_crashed_consumer_is_taken_over_after_its_lease() {
    let h = Harness::start("lease").await;
    // A live lease (a minute: no margin a slow machine can eat) keeps others out.
    let live = idempotency(&h, "crashy", 60_000);
    let id = envelope().id;
    assert_eq!(
        live.claim(&id).await.unwrap(),
        fountain_runtime::Claim::Acquired
    );
    assert_eq!(
        live.claim(&id).await.unwrap(),
        fountain_runtime::Claim::Busy
    );
    // The first invocation died without completing or releasing; once its lease is over,
    // the next delivery takes the event over.
    let idempotency = idempotency(&h, "crashy-short", 1);
    let id = envelope().id;
    assert_eq!(
        idempotency.claim(&id).await.unwrap(),
        fountain_runtime::Claim::Acquired
    );
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        idempotency.claim(&id).await.unwrap(),
        fountain_runtime::Claim::Acquired
    );
    idempotency.complete(&id).await.unwrap();
    assert_eq!(
        idempotency.claim(&id).await.unwrap(),
        fountain_runtime::Claim::AlreadyDone
    );
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

#[tokio::test]
async fn a_consumer_that_fails_once_is_retried_and_the_event_is_not_lost() {
    let h = Harness::start("retry").await;
    let sqs = aws_sdk_sqs::Client::new(&h.stack.sdk);
    // A queue of this test's own, drained by the runner's SQS poller.
    let name = format!("{}-retry", h.stack.queue("EventStoreQueue").unwrap().name);
    let url = sqs
        .create_queue()
        .queue_name(&name)
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let queue = Queue {
        name,
        url: url.clone(),
        arn: "arn:aws:sqs:us-east-1:123456789012:retry".into(),
    };

    let attempts = Arc::new(AtomicUsize::new(0));
    let effects = Arc::new(AtomicUsize::new(0));
    let idempotency = Arc::new(idempotency(&h, "flaky", 60_000));
    let handler = {
        let (attempts, effects, idempotency) =
            (attempts.clone(), effects.clone(), idempotency.clone());
        move |event: SqsEvent| -> BoxFuture<SqsBatchResponse> {
            let (attempts, effects, idempotency) =
                (attempts.clone(), effects.clone(), idempotency.clone());
            Box::pin(async move {
                process_batch(event, &idempotency, |_e: Delivered<EventEnvelope>| async {
                    if attempts.fetch_add(1, Ordering::SeqCst) == 0 {
                        return Err("the downstream store is briefly unavailable");
                    }
                    effects.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
            })
        }
    };
    // One poller, as a mapping at concurrency 1.
    let (_concurrency, follows) = tokio::sync::watch::channel(1);
    let poller = tokio::spawn(poll_queue(
        h.stack.sdk.clone(),
        queue,
        Invoker::Sqs(Arc::new(handler)),
        10,
        0,
        follows,
    ));
    sqs.send_message()
        .queue_url(&url)
        .message_body(bus_message(&envelope()))
        .send()
        .await
        .unwrap();

    Harness::eventually(20, "the retry to succeed", || async {
        (effects.load(Ordering::SeqCst) == 1).then_some(())
    })
    .await;
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    // The poller deletes the message once the handler has returned, so after `effects` moved.
    Harness::eventually(10, "the message deleted after success", || async {
        (h.queue_depth(&url).await == (0, 0)).then_some(())
    })
    .await;
    poller.abort();
}

#[tokio::test]
async fn a_poison_message_ends_in_the_dead_letter_queue() {
    let h = Harness::start("poison").await;
    let sqs = aws_sdk_sqs::Client::new(&h.stack.sdk);
    let queue = h.stack.queue("EventStoreQueue").unwrap().url.clone();
    let dlq = h
        .stack
        .queue("EventStoreDeadLetterQueue")
        .unwrap()
        .url
        .clone();
    sqs.send_message()
        .queue_url(&queue)
        .message_body("{ this is not an event")
        .send()
        .await
        .unwrap();
    let body = Harness::eventually(40, "the poison message in the DLQ", || async {
        let output = sqs
            .receive_message()
            .queue_url(&dlq)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        output
            .messages
            .and_then(|m| m.into_iter().next())
            .and_then(|m| m.body)
    })
    .await;
    assert_eq!(body, "{ this is not an event");
}

#[tokio::test]
async fn a_write_succeeds_while_the_bus_is_unreachable_and_its_event_is_published_once_the_bus_is_back()
 {
    let mut options = StackOptions::for_test("outage");
    let outage_bus = format!("{}-OutageBus", options.prefix);
    options.env_overrides = BTreeMap::from([("EVENT_BUS_NAME".to_owned(), outage_bus.clone())]);
    let h = Harness::start_with(options).await;

    let created = Harness::send(
        h.request(Method::POST, "/scripts", Some("alice"))
            .header("x-correlation-id", "during-outage")
            .json(&json!({ "title": "Written in the dark" })),
    )
    .await;
    assert_eq!(created.status, 201);
    let id = created.body["scriptId"].as_str().unwrap();
    assert_eq!(h.get(&format!("/scripts/{id}"), "alice").await.status, 200);

    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let none_yet = h.get("/events?correlationId=during-outage", ADMIN).await;
    assert!(
        none_yet.body["items"].as_array().unwrap().is_empty(),
        "nothing can be published while the bus is gone"
    );

    // The bus comes back, routed to the event store like the template's bus. The relay waits
    // meanwhile: a retry between creating the bus and routing it would be lost, as in AWS.
    let paused = h.stack.pause_streams().await;
    let events = aws_sdk_eventbridge::Client::new(&h.stack.sdk);
    events
        .create_event_bus()
        .name(&outage_bus)
        .send()
        .await
        .unwrap();
    events
        .put_rule()
        .name("outage-store")
        .event_bus_name(&outage_bus)
        .event_pattern(json!({ "source": [{ "prefix": "fountain." }] }).to_string())
        .send()
        .await
        .unwrap();
    let target = aws_sdk_eventbridge::types::Target::builder()
        .id("store")
        .arn(&h.stack.queue("EventStoreQueue").unwrap().arn)
        .build()
        .unwrap();
    events
        .put_targets()
        .rule("outage-store")
        .event_bus_name(&outage_bus)
        .targets(target)
        .send()
        .await
        .unwrap();
    drop(paused);

    let delivered = h
        .wait_for_events("correlationId=during-outage", &["ScriptCreated"])
        .await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["aggregateId"], id);
}

#[tokio::test]
async fn a_refused_change_publishes_no_event() {
    let h = Harness::start("refused").await;
    let (script, _) = h.create_script("alice", "Cast").await;
    let base = format!("/scripts/{script}/characters");
    let post = |name: &str, correlation: &str| {
        h.request(Method::POST, &base, Some("alice"))
            .header("x-correlation-id", correlation)
            .json(&json!({ "name": name }))
    };
    assert_eq!(Harness::send(post("Ada", "first-ada")).await.status, 201);
    assert_eq!(Harness::send(post("ADA", "second-ada")).await.status, 409);
    assert_eq!(Harness::send(post("Bo", "then-bo")).await.status, 201);
    // Events of one stream arrive in order: once Bo's is stored, a second Ada's would be too.
    h.wait_for_events("correlationId=then-bo", &["CharacterCreated"])
        .await;
    let refused = h.get("/events?correlationId=second-ada", ADMIN).await;
    assert!(
        refused.body["items"].as_array().unwrap().is_empty(),
        "{:?}",
        refused.body
    );
}

fn outbox_stream_event(envelopes: &[EventEnvelope]) -> aws_lambda_events::event::dynamodb::Event {
    let records: Vec<_> = envelopes
        .iter()
        .enumerate()
        .map(|(i, envelope)| {
            let pk = keys::outbox(&envelope.id);
            json!({
                "eventID": format!("e{i}"), "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
                "awsRegion": "us-east-1",
                "dynamodb": {
                    "ApproximateCreationDateTime": 1_795_600_800, "SequenceNumber": format!("{}", 1000 + i), "SizeBytes": 100,
                    "StreamViewType": "NEW_IMAGE", "Keys": { "pk": { "S": pk }, "sk": { "S": keys::OUTBOX_SK } },
                    "NewImage": {
                        "pk": { "S": pk }, "sk": { "S": keys::OUTBOX_SK }, "kind": { "S": "outbox" },
                        "eventType": { "S": envelope.event_type }, "envelope": { "S": envelope.to_json().unwrap() },
                        "expiresAt": { "N": "1795773600" },
                    },
                },
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records })).unwrap()
}

#[tokio::test]
async fn the_relay_publishes_a_batch_in_order_and_says_where_to_resume_when_the_bus_fails() {
    let h = Harness::start("relay").await;
    let correlation = "relay-batch";
    let envelopes: Vec<EventEnvelope> = (0..25)
        .map(|revision| {
            let event = ScriptDeleted {
                script_id: format!("relay-{revision:02}"),
                revision,
                comment: None,
            };
            let context = EventContext {
                actor: Some("alice".into()),
                correlation_id: correlation.into(),
                causation_id: None,
            };
            EventEnvelope::new(&event, &context).unwrap()
        })
        .collect();
    let client = aws_sdk_eventbridge::Client::new(&h.stack.sdk);
    let table = fountain_store::Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );

    let down = fountain_event_store::RelayDeps {
        events: client.clone(),
        bus_name: "no-such-bus".into(),
        table: table.clone(),
    };
    let failed = fountain_event_store::relay::relay(&down, outbox_stream_event(&envelopes)).await;
    let resume: Vec<_> = failed
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone().unwrap())
        .collect();
    assert_eq!(
        resume,
        ["1000"],
        "resume from the first record: nothing was published"
    );

    let up = fountain_event_store::RelayDeps {
        events: client,
        bus_name: h.stack.bus_name("EventBus").unwrap().into(),
        table,
    };
    let published = fountain_event_store::relay::relay(&up, outbox_stream_event(&envelopes)).await;
    assert!(published.batch_item_failures.is_empty());

    let stored = Harness::eventually(30, "all 25 events in the event store", || async {
        let reply = h
            .get(
                &format!("/events?correlationId={correlation}&limit=100"),
                ADMIN,
            )
            .await;
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        (items.len() >= 25).then_some(items)
    })
    .await;
    let ids: Vec<_> = stored
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    let sent: Vec<_> = envelopes.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, sent, "each event once, in the order it was written");
}

#[tokio::test]
async fn the_event_store_keeps_a_twice_delivered_event_once_and_writes_no_claims() {
    let h = Harness::start("store-twice").await;
    let Some(Invoker::Sqs(store_event)) = h.stack.invoker("StoreEventFunction") else {
        panic!("no store_event consumer in the template");
    };
    let event = envelope();
    let delivery = sqs_event(&[("m-1", bus_message(&event))]);
    let events_table = h.stack.table_name("EventStoreTable").unwrap().to_owned();
    let writes = || async {
        fountain_e2e::bench::Usage::now(&h, &events_table)
            .await
            .writes
    };
    let before = writes().await;
    for _ in 0..2 {
        let response = store_event(delivery.clone()).await;
        assert!(response.batch_item_failures.is_empty());
    }
    // Two conditional puts of the same event: the second is refused and changes nothing.
    assert_eq!(writes().await - before, 2);
    let stored = h
        .get(
            &format!("/events?aggregateId={}", event.aggregate_id),
            ADMIN,
        )
        .await;
    let items = stored.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], event.id.as_str());
    let claims = aws_sdk_dynamodb::Client::new(&h.stack.sdk)
        .scan()
        .table_name(&events_table)
        .filter_expression("begins_with(pk, :claim)")
        .expression_attribute_values(
            ":claim",
            aws_sdk_dynamodb::types::AttributeValue::S(keys::IDEMPOTENCY.into()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(claims.count, 0, "the event store takes no claims");
}
