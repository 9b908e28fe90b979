//! The live event monitor: a client following `GET /admin/events/stream` (Server-Sent
//! Events, reconnecting with Last-Event-ID as EventSource does) sees each change's events
//! arrive, filtered by user, type, aggregate or correlation id; the latency from the change
//! to the event reaching the client is printed.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fountain_e2e::{ADMIN, Harness};
use reqwest::Method;
use serde_json::Value;
use tokio::sync::mpsc;

/// One SSE frame.
#[derive(Debug, Clone)]
struct Frame {
    id: Option<String>,
    event: Option<String>,
    data: Value,
}

fn frames(body: &str) -> Vec<Frame> {
    body.split("\n\n")
        .filter_map(|block| {
            let mut frame = Frame {
                id: None,
                event: None,
                data: Value::Null,
            };
            for line in block.lines() {
                if let Some(id) = line.strip_prefix("id: ") {
                    frame.id = Some(id.to_owned());
                } else if let Some(event) = line.strip_prefix("event: ") {
                    frame.event = Some(event.to_owned());
                } else if let Some(data) = line.strip_prefix("data: ") {
                    frame.data = serde_json::from_str(data).unwrap();
                }
            }
            frame.event.is_some().then_some(frame)
        })
        .collect()
}

/// Follows the stream with `query` until the receiver is dropped, sending each frame with
/// the instant it arrived.
fn follow(h: &Harness, query: String) -> mpsc::UnboundedReceiver<(Instant, Frame)> {
    let (sender, receiver) = mpsc::unbounded_channel();
    let http = h.http.clone();
    let url = h.url(&format!("/admin/events/stream?{query}"));
    let token = Harness::token(ADMIN);
    tokio::spawn(async move {
        let mut last_id: Option<String> = None;
        loop {
            let mut request = http.get(&url).bearer_auth(&token);
            if let Some(id) = &last_id {
                request = request.header("last-event-id", id);
            }
            let Ok(response) = request.send().await else {
                return;
            };
            assert_eq!(response.status(), 200);
            assert_eq!(
                response.headers()["content-type"].to_str().unwrap(),
                "text/event-stream"
            );
            let body = response.text().await.unwrap();
            let arrived = Instant::now();
            for frame in frames(&body) {
                last_id = frame.id.clone().or(last_id);
                if sender.send((arrived, frame)).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

#[tokio::test]
async fn a_watcher_sees_each_change_as_it_happens_and_only_what_it_asked_for() {
    let h = Harness::start("monitor").await;
    let mut watched = follow(
        &h,
        "user=alice&types=ScriptCreated,ScriptUpdated".to_owned(),
    );
    // The first long poll is under way before the changes.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut latencies = Vec::new();
    for i in 0..5 {
        h.create_script("bob", "Not watched").await;
        let created = Instant::now();
        let (script_id, _) = h.create_script("alice", &format!("Watched {i}")).await;
        let (arrived, frame) = tokio::time::timeout(Duration::from_secs(30), watched.recv())
            .await
            .expect("the event arrived")
            .unwrap();
        assert_eq!(frame.event.as_deref(), Some("ScriptCreated"));
        assert_eq!(
            frame.data["aggregateId"],
            script_id.as_str(),
            "only alice's, in order"
        );
        assert_eq!(frame.data["actor"], "alice");
        latencies.push(arrived.duration_since(created));
    }
    latencies.sort();
    println!(
        "monitor: change to event at the watcher, p50 {} ms, max {} ms over {} changes \
         (event store consumer, then a 200 ms poll)",
        latencies[latencies.len() / 2].as_millis(),
        latencies[latencies.len() - 1].as_millis(),
        latencies.len()
    );
}

#[tokio::test]
async fn the_stream_checks_its_filters_and_is_for_admins() {
    let h = Harness::start("monitor-bad").await;
    let unknown = h
        .get("/admin/events/stream?types=NoSuchEvent&wait=0", ADMIN)
        .await;
    assert_eq!(unknown.status, 422, "{:?}", unknown.body);
    assert_eq!(unknown.body["errors"][0]["field"], "types");
    let too_long = h.get("/admin/events/stream?wait=21", ADMIN).await;
    assert_eq!(too_long.status, 422);
    assert_eq!(
        h.get("/admin/events/stream?wait=0", "someone").await.status,
        403
    );
    let quiet = Harness::send(h.request(
        Method::GET,
        "/admin/events/stream?wait=0&correlationId=none",
        Some(ADMIN),
    ))
    .await;
    assert_eq!(quiet.status, 200);
    assert!(quiet.body.as_str().unwrap().contains(": no events yet"));
    let forged = Harness::send(
        h.request(Method::GET, "/admin/events/stream?wait=0", Some(ADMIN))
            .header("last-event-id", "not-an-id"),
    )
    .await;
    assert_eq!(forged.status, 400);
}
