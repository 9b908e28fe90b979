//! Replays from the event store: a day's events of one type delivered into a consumer's
//! queue that never saw them have their effect once, a second replay changes nothing, and a
//! replay through the bus adds nothing to the event store. Bad requests are refused.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use fountain_e2e::{ADMIN, Harness};
use fountain_local::StackOptions;
use fountain_local::functions::Invoker;
use fountain_local::pollers::{receive, settle, sqs_event};
use serde_json::{Value, json};

const CONSUMER: &str = "NotifyUsersFunction";

/// Hands every message waiting in the consumer's queue to the consumer, as Lambda would;
/// returns how many there were.
async fn drain(h: &Harness) -> usize {
    let sqs = aws_sdk_sqs::Client::new(&h.stack.sdk);
    let queue = h.stack.queue("NotifyUsersQueue").unwrap().clone();
    let Invoker::Sqs(consumer) = h.stack.invoker(CONSUMER).unwrap().clone() else {
        panic!("{CONSUMER} is a queue consumer");
    };
    let mut handled = 0;
    loop {
        let messages = receive(&sqs, &queue, 10).await.unwrap();
        if messages.is_empty() {
            return handled;
        }
        let response = consumer(sqs_event(&messages, &queue, "us-east-1").unwrap()).await;
        assert!(response.batch_item_failures.is_empty());
        settle(&sqs, &queue, &messages, response).await;
        handled += messages.len();
    }
}

async fn notifications(h: &Harness, user: &str) -> Vec<Value> {
    h.get("/notifications", user).await.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn replay(h: &Harness, body: Value) -> fountain_e2e::Reply {
    h.post("/admin/replays", ADMIN, body).await
}

#[tokio::test]
async fn a_replay_into_a_fresh_consumer_has_its_effect_once_and_a_second_replay_none() {
    let mut options = StackOptions::for_test("replay");
    // The test plays Lambda for the notifications consumer.
    options.unpolled.push(CONSUMER.to_owned());
    let h = Harness::start_with(options).await;
    let from = Utc::now() - Duration::minutes(1);
    let quota = h
        .request(
            reqwest::Method::PUT,
            "/config/GENERATIONS_PER_DAY_FREE",
            Some(ADMIN),
        )
        .json(&json!({"value": 0}));
    assert_eq!(Harness::send(quota).await.status, 200);
    let (script_id, _) = h.create_script("dora", "Over the limit").await;
    let refused = h
        .post(
            &format!("/scripts/{script_id}/generations"),
            "dora",
            json!({}),
        )
        .await;
    assert_eq!(refused.status, 429, "{:?}", refused.body);
    let stored = h
        .wait_for_events("aggregateId=dora", &["UsageLimitReached"])
        .await;
    let limit_event = stored
        .iter()
        .find(|e| e["type"] == "UsageLimitReached")
        .unwrap();

    // The consumer never saw it: its queue is emptied, as if it did not exist yet.
    let queue = h.stack.queue("NotifyUsersQueue").unwrap().clone();
    aws_sdk_sqs::Client::new(&h.stack.sdk)
        .purge_queue()
        .queue_url(&queue.url)
        .send()
        .await
        .unwrap();
    assert!(notifications(&h, "dora").await.is_empty());

    let to = Utc::now() + Duration::seconds(1);
    let request = json!({
        "from": from.to_rfc3339(),
        "to": to.to_rfc3339(),
        "types": ["UsageLimitReached"],
        "targetQueue": queue.name,
    });
    let first = replay(&h, request.clone()).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.body["published"], 1);
    assert_eq!(first.body["target"], queue.name.as_str());
    assert_eq!(drain(&h).await, 1);
    let inbox = notifications(&h, "dora").await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["kind"], "usageLimitReached");

    // Again: delivered, and deduplicated by event id.
    let second = replay(&h, request).await;
    assert_eq!(second.body["published"], 1);
    assert_ne!(second.body["replayId"], first.body["replayId"]);
    assert_eq!(drain(&h).await, 1);
    assert_eq!(notifications(&h, "dora").await.len(), 1);

    // Through the bus, every rule sees the replay; the event store keeps one copy.
    let bus = replay(
        &h,
        json!({"from": from.to_rfc3339(), "to": Utc::now().to_rfc3339(), "types": ["ScriptCreated", "UsageLimitReached"]}),
    )
    .await;
    assert_eq!(bus.status, 200, "{:?}", bus.body);
    assert_eq!(bus.body["published"], 2);
    assert_eq!(bus.body["target"], "bus");
    // The event store consumer has handled the replay once its queue is empty.
    let store_queue = h.stack.queue("EventStoreQueue").unwrap().url.clone();
    Harness::eventually(30, "the event store's queue to drain", || async {
        (h.queue_depth(&store_queue).await == (0, 0)).then_some(())
    })
    .await;
    let again = h.get("/events?aggregateId=dora&limit=100", ADMIN).await;
    let limits: Vec<_> = again.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "UsageLimitReached")
        .collect();
    assert_eq!(limits.len(), 1);
    assert_eq!(limits[0]["id"], limit_event["id"]);
}

#[tokio::test]
async fn bad_replays_are_refused() {
    let h = Harness::start("replay-bad").await;
    let now = Utc::now();
    let window = |from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>| json!({"from": from.to_rfc3339(), "to": to.to_rfc3339(), "types": ["ScriptCreated"]});
    for (body, field) in [
        (window(now, now - Duration::hours(1)), "to"),
        (window(now - Duration::days(8), now), "from"),
        (
            json!({"from": now.to_rfc3339(), "to": (now + Duration::hours(1)).to_rfc3339(), "types": []}),
            "types",
        ),
        (
            json!({"from": now.to_rfc3339(), "to": (now + Duration::hours(1)).to_rfc3339(), "types": ["NoSuchEvent"]}),
            "types",
        ),
        (
            json!({"from": now.to_rfc3339(), "to": (now + Duration::hours(1)).to_rfc3339(), "types": ["ScriptCreated"], "targetQueue": "elsewhere-Queue"}),
            "targetQueue",
        ),
    ] {
        let reply = replay(&h, body.clone()).await;
        assert_eq!(reply.status, 422, "{body}: {:?}", reply.body);
        assert_eq!(reply.body["errors"][0]["field"], field, "{body}");
    }
    let stranger = h
        .post(
            "/admin/replays",
            "someone",
            window(now - Duration::hours(1), now),
        )
        .await;
    assert_eq!(stranger.status, 403);
}
