//! The notifications inbox: generation outcomes and reached limits, published on the bus as
//! the system publishes them (an outbox item relayed from the table's stream), reach their
//! user's inbox as one notification each with its NotificationCreated; listed newest first,
//! unread only, across pages; marked read once; invisible to anyone else; a duplicate
//! delivery (a relay retry, a lost claim) makes no second notification and no second event;
//! a malformed message fails alone in its batch.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use aws_lambda_events::event::sqs::SqsEvent;
use fountain_e2e::{Harness, Reply};
use fountain_events::catalog::{
    DomainEvent, GenerationOutput, StoryGenerationCompleted, StoryGenerationFailed,
    UsageLimitReached,
};
use fountain_events::ids::new_id;
use fountain_events::{EventContext, EventEnvelope};
use fountain_local::functions::Invoker;
use fountain_store::{AttributeValue, Item, Table, Transaction, keys};
use serde_json::{Value, json};

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

fn envelope<E: DomainEvent>(event: &E, correlation_id: &str) -> EventEnvelope {
    EventEnvelope::new(
        event,
        &EventContext {
            actor: Some("generation-worker".into()),
            correlation_id: correlation_id.into(),
            causation_id: None,
        },
    )
    .unwrap()
}

fn completed(owner: &str, job_id: &str) -> StoryGenerationCompleted {
    let output = |name: &str| GenerationOutput {
        name: name.into(),
        content_type: "text/plain".into(),
        bytes: 100,
        sha256: "ab".repeat(32),
    };
    StoryGenerationCompleted {
        job_id: job_id.into(),
        owner_id: owner.into(),
        script_id: new_id(),
        story_revision: 4,
        outputs: vec![output("story.md"), output("score.mid")],
        attempt: 1,
    }
}

fn failed(owner: &str, job_id: &str, reason: &str) -> StoryGenerationFailed {
    StoryGenerationFailed {
        job_id: job_id.into(),
        owner_id: owner.into(),
        script_id: new_id(),
        reason: reason.into(),
        attempts: 3,
    }
}

fn limit_reached(user: &str, day: &str) -> UsageLimitReached {
    UsageLimitReached {
        user_id: user.into(),
        day: day.into(),
        plan: "free".into(),
        limit: 3,
        resets_at: "2026-11-26T00:00:00Z".into(),
    }
}

/// Publishes `envelope` as a handler does: an outbox item, committed, relayed to the bus.
async fn publish(h: &Harness, envelope: &EventEnvelope) {
    Transaction::new()
        .event(envelope)
        .unwrap()
        .commit(&table(h))
        .await
        .unwrap();
}

/// Puts `envelope` on the bus again, as a relay retry after a lost `PutEvents` answer does.
async fn publish_again(h: &Harness, envelope: &EventEnvelope) {
    let entry = aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
        .event_bus_name(h.stack.bus_name("EventBus").unwrap())
        .source(&envelope.source)
        .detail_type(&envelope.event_type)
        .detail(envelope.to_json().unwrap())
        .build();
    let output = aws_sdk_eventbridge::Client::new(&h.stack.sdk)
        .put_events()
        .entries(entry)
        .send()
        .await
        .unwrap();
    assert_eq!(output.failed_entry_count, 0);
}

async fn inbox(h: &Harness, user: &str, query: &str) -> Reply {
    let reply = h.get(&format!("/notifications{query}"), user).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply
}

fn items(reply: &Reply) -> Vec<Value> {
    reply.body["items"].as_array().unwrap().clone()
}

/// Waits until `user`'s inbox holds `count` notifications, and returns them (newest first).
async fn wait_for_inbox(h: &Harness, user: &str, count: usize) -> Vec<Value> {
    Harness::eventually(30, &format!("{count} notifications for {user}"), || async {
        let items = items(&inbox(h, user, "?limit=100").await);
        assert!(
            items.len() <= count,
            "more notifications than events: {items:?}"
        );
        (items.len() == count).then_some(items)
    })
    .await
}

fn assert_problem(reply: &Reply, status: u16, what: &str) {
    assert_eq!(reply.status, status, "{what}: {:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    assert_eq!(reply.body["status"], status, "{what}");
}

fn mark_read_path(id: &str) -> String {
    format!("/notifications/{id}/read")
}

async fn stored(h: &Harness, pk: &str, sk: &str) -> Option<Item> {
    table(h).get(pk, sk).await.unwrap()
}

/// The NotificationCreated outbox items of the stack's table, whatever their state.
async fn notification_created_outbox_items(h: &Harness) -> Vec<Item> {
    let output = table(h)
        .client
        .scan()
        .table_name(&table(h).name)
        .filter_expression("eventType = :type")
        .expression_attribute_values(":type", AttributeValue::S("NotificationCreated".into()))
        .send()
        .await
        .unwrap();
    assert!(
        output.last_evaluated_key.is_none(),
        "a small table scans in one page"
    );
    output.items.unwrap_or_default()
}

async fn invoke_notify_users(h: &Harness, bodies: &[(&str, String)]) -> Vec<String> {
    let records: Vec<_> = bodies
        .iter()
        .map(|(id, body)| json!({ "messageId": id, "receiptHandle": id, "body": body, "attributes": {}, "messageAttributes": {} }))
        .collect();
    let event: SqsEvent = serde_json::from_value(json!({ "Records": records })).unwrap();
    let Some(Invoker::Sqs(handler)) = h.stack.invoker("NotifyUsersFunction") else {
        panic!("NotifyUsersFunction is no SQS consumer");
    };
    handler(event)
        .await
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect()
}

fn bus_message(envelope: &EventEnvelope) -> String {
    json!({
        "version": "0", "id": new_id(), "detail-type": envelope.event_type, "source": envelope.source,
        "time": envelope.time_rfc3339(), "region": "us-east-1", "resources": [], "detail": envelope,
    })
    .to_string()
}

#[tokio::test]
async fn outcomes_and_a_reached_limit_reach_the_owners_inbox_newest_first_and_are_marked_read_once()
{
    let h = Harness::start("notify-inbox").await;
    let (done_job, failed_job) = (new_id(), new_id());
    let done = envelope(&completed(ALICE, &done_job), "notify-inbox");
    let broke = envelope(
        &failed(ALICE, &failed_job, "the generator timed out"),
        "notify-inbox",
    );
    let limit = envelope(&limit_reached(ALICE, "2026-11-25"), "notify-inbox");
    // One at a time, so the inbox order is the events' order.
    for (count, event) in [&done, &broke, &limit].into_iter().enumerate() {
        publish(&h, event).await;
        wait_for_inbox(&h, ALICE, count + 1).await;
    }

    let all = inbox(&h, ALICE, "").await;
    assert_eq!(all.body["nextCursor"], Value::Null);
    let notes = items(&all);
    let kinds: Vec<&str> = notes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "usageLimitReached",
            "generationFailed",
            "generationCompleted"
        ]
    );
    let (limit_note, failed_note, done_note) = (&notes[0], &notes[1], &notes[2]);
    assert_eq!(done_note["title"], "Your story is ready");
    assert_eq!(
        done_note["body"],
        format!(
            "Generation job {done_job} finished: 2 files (story.md, score.mid) from story revision 4."
        )
    );
    assert_eq!(done_note["link"], format!("/generations/{done_job}"));
    assert_eq!(done_note["jobId"], done_job.as_str());
    assert_eq!(done_note["sourceEventId"], done.id.as_str());
    assert_eq!(failed_note["title"], "Your story could not be generated");
    assert_eq!(
        failed_note["body"],
        format!("Generation job {failed_job} failed after 3 attempts: the generator timed out.")
    );
    assert_eq!(failed_note["link"], format!("/generations/{failed_job}"));
    assert_eq!(limit_note["title"], "Daily generation limit reached");
    assert_eq!(
        limit_note["body"],
        "You have used all 3 generation jobs of your free plan for 2026-11-25. \
         The quota resets at 2026-11-26 00:00 UTC."
    );
    assert_eq!(limit_note["link"], Value::Null);
    assert_eq!(limit_note["jobId"], Value::Null);
    for note in &notes {
        assert_eq!(note["userId"], ALICE);
        assert_eq!(note["read"], false);
        assert_eq!(note["readAt"], Value::Null);
        assert!(note["createdAt"].as_str().unwrap().starts_with("20"));
    }
    let ids: Vec<&str> = notes
        .iter()
        .map(|n| n["notificationId"].as_str().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");

    // Stored in alice's partition, unread in the local index, each source event marked.
    let item = stored(&h, &keys::user("alice"), &keys::note(ids[1]))
        .await
        .unwrap();
    assert_eq!(item["lsi1sk"].as_s().unwrap(), &keys::note_unread(ids[1]));
    assert_eq!(item["kind"].as_s().unwrap(), "generationFailed");
    assert!(item.contains_key("expiresAt"));
    for source in [&done, &broke, &limit] {
        let marker = stored(&h, &keys::user("alice"), &keys::note_source(&source.id))
            .await
            .unwrap();
        assert!(ids.contains(&marker["notificationId"].as_s().unwrap().as_str()));
    }

    // One NotificationCreated per notification, caused by its event, in the same correlation.
    let events = Harness::eventually(30, "three NotificationCreated", || async {
        let events = h
            .wait_for_events("correlationId=notify-inbox", &["NotificationCreated"])
            .await;
        let count = events
            .iter()
            .filter(|e| e["type"] == "NotificationCreated")
            .count();
        assert!(
            count <= 3,
            "one NotificationCreated per notification: {events:?}"
        );
        (count == 3).then_some(events)
    })
    .await;
    for (note, source) in [
        (done_note, &done),
        (failed_note, &broke),
        (limit_note, &limit),
    ] {
        let event = events
            .iter()
            .find(|e| e["type"] == "NotificationCreated" && e["causationId"] == source.id.as_str())
            .unwrap_or_else(|| panic!("no NotificationCreated caused by {}", source.event_type));
        assert_eq!(event["source"], "fountain.notifications");
        assert_eq!(event["aggregateType"], "Notification");
        assert_eq!(event["aggregateId"], note["notificationId"]);
        assert_eq!(event["data"]["userId"], ALICE);
        assert_eq!(event["data"]["kind"], note["kind"]);
        assert_eq!(event["data"]["title"], note["title"]);
        assert_eq!(event["data"]["sourceEventId"], source.id.as_str());
        assert_eq!(event["data"]["jobId"], note["jobId"]);
    }

    // Mark the failure read: 200 with it read; again: 200, the same readAt.
    let first = h.post(&mark_read_path(ids[1]), ALICE, Value::Null).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.body["notificationId"], ids[1]);
    assert_eq!(first.body["read"], true);
    let read_at = first.body["readAt"].as_str().unwrap().to_owned();
    let again = h.post(&mark_read_path(ids[1]), ALICE, Value::Null).await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body["read"], true);
    assert_eq!(again.body["readAt"], read_at.as_str());
    assert_eq!(again.body, first.body);
    let item = stored(&h, &keys::user("alice"), &keys::note(ids[1]))
        .await
        .unwrap();
    assert!(
        !item.contains_key("lsi1sk"),
        "a read one leaves the unread index"
    );
    assert_eq!(item["read"].as_bool().unwrap(), &true);

    // Unread only: the other two, newest first; all: the three, the failure read.
    let unread = inbox(&h, ALICE, "?unread=true").await;
    let unread_ids: Vec<String> = items(&unread)
        .iter()
        .map(|n| n["notificationId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(unread_ids, [ids[0], ids[2]]);
    assert!(items(&unread).iter().all(|n| n["read"] == false));
    let all = items(&inbox(&h, ALICE, "?unread=false").await);
    assert_eq!(all.len(), 3);
    assert_eq!(all[1]["read"], true);
    assert_eq!(all[1]["readAt"], read_at.as_str());

    // Bob sees none of it and cannot mark alice's: 404, and alice's stays unread.
    let bobs = inbox(&h, BOB, "").await;
    assert_eq!(items(&bobs), Vec::<Value>::new());
    assert_eq!(bobs.body["nextCursor"], Value::Null);
    assert!(items(&inbox(&h, BOB, "?unread=true").await).is_empty());
    let refused = h.post(&mark_read_path(ids[2]), BOB, Value::Null).await;
    assert_problem(&refused, 404, "someone else's notification");
    let untouched = stored(&h, &keys::user("alice"), &keys::note(ids[2]))
        .await
        .unwrap();
    assert_eq!(untouched["read"].as_bool().unwrap(), &false);
    assert!(untouched.contains_key("lsi1sk"));
    assert!(
        stored(&h, &keys::user("bob"), &keys::note(ids[2]))
            .await
            .is_none()
    );

    // Unknown and malformed ids are 404; a bad filter is 400; no token is 401.
    assert_problem(
        &h.post(&mark_read_path(&new_id()), ALICE, Value::Null).await,
        404,
        "an unknown id",
    );
    assert_problem(
        &h.post(&mark_read_path("not-an-id"), ALICE, Value::Null)
            .await,
        404,
        "a malformed id",
    );
    assert_problem(
        &h.get("/notifications?unread=maybe", ALICE).await,
        400,
        "unread=maybe",
    );
    assert_problem(
        &h.get("/notifications?limit=0", ALICE).await,
        400,
        "limit=0",
    );
    let anonymous = Harness::send(h.request(reqwest::Method::GET, "/notifications", None)).await;
    assert_eq!(anonymous.status, 401);
}

/// Waits until the notify_users queue holds no message, visible or in flight.
async fn wait_for_drained_queue(h: &Harness) {
    let url = h.stack.queue("NotifyUsersQueue").unwrap().url.clone();
    Harness::eventually(30, "the notify_users queue to drain", || async {
        (h.queue_depth(&url).await == (0, 0)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_delivery_makes_one_notification_and_one_notification_created() {
    let h = Harness::start("notify-dupes").await;
    let job = new_id();
    let done = envelope(&completed(ALICE, &job), "notify-dupes");
    publish(&h, &done).await;
    let first = wait_for_inbox(&h, ALICE, 1).await;

    // The relay publishes it again (a retried PutEvents): the claim makes it a no-op.
    publish_again(&h, &done).await;
    wait_for_drained_queue(&h).await;
    // A delivery after the claim was lost (a crash between the commit and the claim's
    // completion, its lease passed): the source marker makes it a no-op too.
    table(&h)
        .client
        .delete_item()
        .table_name(&table(&h).name)
        .set_key(Some(Table::key(
            keys::idempotency("notify_users", &done.id),
            keys::IDEMPOTENCY_SK,
        )))
        .send()
        .await
        .unwrap();
    let failures = invoke_notify_users(&h, &[("again", bus_message(&done))]).await;
    assert!(failures.is_empty(), "{failures:?}");
    // The same event twice in one batch.
    let failures = invoke_notify_users(
        &h,
        &[
            ("twice-1", bus_message(&done)),
            ("twice-2", bus_message(&done)),
        ],
    )
    .await;
    assert!(failures.is_empty(), "{failures:?}");

    let now = items(&inbox(&h, ALICE, "?limit=100").await);
    assert_eq!(now, first, "still the one notification, unchanged");
    assert_eq!(now[0]["sourceEventId"], done.id.as_str());
    let outbox = notification_created_outbox_items(&h).await;
    assert_eq!(outbox.len(), 1, "one NotificationCreated was ever written");
    // And the event store holds that one only.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let events = h
        .wait_for_events("correlationId=notify-dupes", &["NotificationCreated"])
        .await;
    let created: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "NotificationCreated")
        .collect();
    assert_eq!(created.len(), 1, "{events:?}");
    assert_eq!(created[0]["aggregateId"], first[0]["notificationId"]);
}

#[tokio::test]
async fn a_malformed_message_fails_alone_and_other_events_notify_nobody() {
    let h = Harness::start("notify-batch").await;
    let good = envelope(
        &failed(BOB, &new_id(), "the script is empty"),
        "notify-batch",
    );
    let mut unreadable = envelope(&failed(BOB, &new_id(), "x"), "notify-batch");
    unreadable.data = json!({ "jobId": "only this" });
    let other = EventEnvelope {
        event_type: "StoryGenerationStarted".into(),
        ..envelope(&limit_reached(BOB, "2026-11-25"), "notify-batch")
    };
    let failures = invoke_notify_users(
        &h,
        &[
            ("poison", "{ not an event".to_owned()),
            ("good", bus_message(&good)),
            ("unreadable", bus_message(&unreadable)),
            ("other", bus_message(&other)),
        ],
    )
    .await;
    assert_eq!(failures, ["poison", "unreadable"]);
    let inbox = items(&inbox(&h, BOB, "").await);
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["kind"], "generationFailed");
    assert_eq!(inbox[0]["sourceEventId"], good.id.as_str());
    // The failed one's claim was released, so its retry can act at once.
    assert!(
        stored(
            &h,
            &keys::idempotency("notify_users", &unreadable.id),
            keys::IDEMPOTENCY_SK
        )
        .await
        .is_none()
    );
}

#[tokio::test]
async fn pages_walk_the_inbox_newest_first_and_a_cursor_continues_only_its_own_listing() {
    let h = Harness::start("notify-pages").await;
    let days = [
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
        "2026-11-24",
    ];
    for day in days {
        publish(&h, &envelope(&limit_reached(ALICE, day), "notify-pages")).await;
    }
    let job = new_id();
    publish(&h, &envelope(&completed(BOB, &job), "notify-pages")).await;
    let everything = wait_for_inbox(&h, ALICE, 5).await;
    wait_for_inbox(&h, BOB, 1).await;
    let expected: Vec<&str> = everything
        .iter()
        .map(|n| n["notificationId"].as_str().unwrap())
        .collect();
    assert!(expected.windows(2).all(|w| w[0] > w[1]), "{expected:?}");
    let all_days: HashSet<&str> = everything
        .iter()
        .filter_map(|n| {
            let body = n["body"].as_str().unwrap();
            days.into_iter()
                .find(|day| body.contains(&format!("plan for {day}.")))
        })
        .collect();
    assert_eq!(
        all_days,
        days.into_iter().collect(),
        "one notification per day"
    );

    // Pages of 2: 2, 2, 1, then no cursor; together the whole inbox in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut sizes = Vec::new();
    loop {
        let query = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".to_owned(),
        };
        let page = inbox(&h, ALICE, &query).await;
        let page_items = items(&page);
        sizes.push(page_items.len());
        seen.extend(
            page_items
                .iter()
                .map(|n| n["notificationId"].as_str().unwrap().to_owned()),
        );
        match page.body["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(sizes.len() < 10, "the listing ends");
    }
    assert_eq!(seen, expected);
    assert_eq!(&sizes[..3], [2, 2, 1]);

    // Unread pages likewise, on the index.
    let first = inbox(&h, ALICE, "?unread=true&limit=3").await;
    let cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
    let second = inbox(&h, ALICE, &format!("?unread=true&limit=3&cursor={cursor}")).await;
    let unread: Vec<String> = items(&first)
        .iter()
        .chain(items(&second).iter())
        .map(|n| n["notificationId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(unread, expected);

    // A cursor of the other listing, or of alice's for bob, or garbage, is 400.
    let all_cursor = inbox(&h, ALICE, "?limit=2").await.body["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for (user, query) in [
        (ALICE, format!("?unread=true&cursor={all_cursor}")),
        (ALICE, format!("?cursor={cursor}")),
        (BOB, format!("?cursor={all_cursor}")),
        (ALICE, "?cursor=garbage".to_owned()),
    ] {
        assert_problem(
            &h.get(&format!("/notifications{query}"), user).await,
            400,
            &query,
        );
    }
}
