//! Dead letters for operators: the stack's dead-letter queues with their counts, a peek that
//! leaves the messages where they are, the deletion of one, and a redrive that sends one back
//! to its source queue, where its consumer handles it once.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{ADMIN, Harness};
use fountain_events::catalog::UsageLimitReached;
use fountain_events::{EventContext, EventEnvelope};
use reqwest::Method;
use serde_json::{Value, json};

/// An EventBridge event as a rule delivers it to a queue.
fn bus_message(envelope: &EventEnvelope) -> String {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": envelope.event_type,
        "source": envelope.source,
        "account": "000000000000",
        "time": envelope.time_rfc3339(),
        "region": "us-east-1",
        "resources": [],
        "detail": envelope,
    })
    .to_string()
}

async fn send(h: &Harness, queue_logical_id: &str, body: &str) -> String {
    let queue = h.stack.queue(queue_logical_id).unwrap();
    aws_sdk_sqs::Client::new(&h.stack.sdk)
        .send_message()
        .queue_url(&queue.url)
        .message_body(body)
        .send()
        .await
        .unwrap()
        .message_id
        .unwrap()
}

fn row<'a>(list: &'a Value, queue: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue"] == queue)
        .unwrap_or_else(|| panic!("{queue} not listed: {list}"))
}

#[tokio::test]
async fn operators_list_peek_delete_and_redrive_dead_letters() {
    let h = Harness::start("dead-letters").await;
    let dlq = h
        .stack
        .queue("NotifyUsersDeadLetterQueue")
        .unwrap()
        .name
        .clone();
    let source = h.stack.queue("NotifyUsersQueue").unwrap().name.clone();
    let limit = UsageLimitReached {
        user_id: "carol".into(),
        day: "2026-12-07".into(),
        plan: "free".into(),
        limit: 20,
        resets_at: "2026-12-08T00:00:00Z".into(),
    };
    let context = EventContext {
        actor: Some("carol".into()),
        correlation_id: "dead-letter-1".into(),
        causation_id: None,
    };
    let envelope = EventEnvelope::new(&limit, &context).unwrap();
    let event_message = send(&h, "NotifyUsersDeadLetterQueue", &bus_message(&envelope)).await;
    let garbage = send(&h, "NotifyUsersDeadLetterQueue", "not an event").await;

    let list = h.get("/admin/dead-letters", ADMIN).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let notify = row(&list.body, &dlq);
    assert_eq!(notify["sourceQueue"], source.as_str());
    assert_eq!(notify["messages"], 2);
    assert!(notify["oldestSentAt"].is_string());
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        h.stack
            .template
            .queues
            .iter()
            .filter(|q| q.redrive.is_some())
            .count(),
        "every dead-letter queue of the stack, no other"
    );
    assert_eq!(h.get("/admin/dead-letters", "someone").await.status, 403);

    let messages = format!("/admin/dead-letters/{dlq}/messages");
    for _ in 0..2 {
        let peek = h.get(&messages, ADMIN).await;
        assert_eq!(peek.status, 200, "{:?}", peek.body);
        let items = peek.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "a peek consumes nothing: {items:?}");
        let event = items
            .iter()
            .find(|m| m["messageId"] == event_message.as_str())
            .unwrap();
        assert_eq!(event["eventType"], "UsageLimitReached");
        assert_eq!(event["eventId"], envelope.id.as_str());
        assert_eq!(event["correlationId"], "dead-letter-1");
        let other = items
            .iter()
            .find(|m| m["messageId"] == garbage.as_str())
            .unwrap();
        assert_eq!(other["body"], "not an event");
        assert_eq!(other["eventType"], Value::Null);
    }

    let deleted = h.delete(&format!("{messages}/{garbage}"), ADMIN).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    assert_eq!(
        h.delete(&format!("{messages}/{garbage}"), ADMIN)
            .await
            .status,
        404
    );
    assert_eq!(
        h.get("/admin/dead-letters/no-such-queue/messages", ADMIN)
            .await
            .status,
        404
    );

    let redrive = format!("/admin/dead-letters/{dlq}/redrive");
    let missing = h
        .post(&redrive, ADMIN, json!({"messageId": "no-such-message"}))
        .await;
    assert_eq!(missing.status, 404, "{:?}", missing.body);
    let one = h
        .post(&redrive, ADMIN, json!({"messageId": event_message}))
        .await;
    assert_eq!(one.status, 200, "{:?}", one.body);
    assert_eq!(one.body["moved"], 1);
    assert_eq!(one.body["remaining"], 0);

    // Back in its queue, the consumer handles it: carol's notification, once.
    let inbox = Harness::eventually(30, "the redriven event's notification", || async {
        let reply = h.get("/notifications", "carol").await;
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        (!items.is_empty()).then_some(items)
    })
    .await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "usageLimitReached");
    let all = Harness::send(h.request(Method::POST, &redrive, Some(ADMIN))).await;
    assert_eq!((all.status, all.body["moved"].as_u64()), (200, Some(0)));
}
