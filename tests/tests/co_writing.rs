//! Co-writers adding to one section at the same moment do not collide: inserts into gaps
//! are not based on the whole order, their keys are salted, and a lost race is retried by
//! the server, so no client sees a 409 and no two elements share a place.
#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use fountain_e2e::Harness;
use fountain_e2e::bench::{Usage, ms, percentile};
use fountain_store::Table;
use fountain_structure::Siblings;
use futures::future::join_all;
use serde_json::{Value, json};

const WRITERS: usize = 8;
const INSERTS: usize = 50;

struct Scene {
    script: String,
    section: String,
}

impl Scene {
    fn elements(&self) -> String {
        format!(
            "/scripts/{}/sections/{}/elements",
            self.script, self.section
        )
    }

    /// Every element's text, in order, checking the numbering is dense across pages.
    async fn texts(&self, h: &Harness) -> Vec<String> {
        let mut texts = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(cursor) => format!("{}?limit=100&cursor={cursor}", self.elements()),
                None => format!("{}?limit=100", self.elements()),
            };
            let page = h.get(&path, "alice").await;
            assert_eq!(page.status, 200, "{:?}", page.body);
            for item in page.body["items"].as_array().unwrap() {
                texts.push(item["text"].as_str().unwrap().to_owned());
                assert_eq!(item["sequence"], texts.len(), "dense numbering");
            }
            match page.body["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return texts,
            }
        }
    }
}

/// One writer's inserts, one after another: appends, or inserts before `shared`.
async fn write(
    h: &Harness,
    scene: &Scene,
    writer: usize,
    shared: Option<&str>,
) -> Vec<(u16, Duration)> {
    let mut answers = Vec::with_capacity(INSERTS);
    for line in 0..INSERTS {
        let mut body = json!({ "kind": "action", "text": format!("writer {writer} line {line}") });
        if let Some(shared) = shared {
            body["before"] = Value::from(shared);
        }
        let started = Instant::now();
        let reply = h.post(&scene.elements(), "alice", body).await;
        answers.push((reply.status, started.elapsed()));
        assert_eq!(
            reply.status, 201,
            "writer {writer} line {line}: {:?}",
            reply.body
        );
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_co_writers_appending_and_inserting_at_one_spot_never_see_a_conflict() {
    let h = Harness::start("co_writing").await;
    let (script, _) = h.create_script("alice", "The Writers' Room").await;
    let section = h
        .post(
            &format!("/scripts/{script}/sections"),
            "alice",
            json!({ "level": "scene", "title": "INT. WRITERS' ROOM - NIGHT" }),
        )
        .await;
    assert_eq!(section.status, 201, "{:?}", section.body);
    let scene = Scene {
        section: section.body["sectionId"].as_str().unwrap().to_owned(),
        script: script.clone(),
    };
    let shared = h
        .post(
            &scene.elements(),
            "alice",
            json!({ "kind": "action", "text": "SHARED" }),
        )
        .await;
    assert_eq!(shared.status, 201, "{:?}", shared.body);
    let shared_id = shared.body["elementId"].as_str().unwrap().to_owned();
    let table_name = h.stack.table_name("AppTable").unwrap();
    let before = Usage::now(&h, table_name).await;

    // Half the writers append, half insert right before the shared line: every insert of
    // theirs goes into the same gap as the others'.
    let started = Instant::now();
    let answers = join_all((0..WRITERS).map(|writer| {
        let (h, scene, shared_id) = (&h, &scene, &shared_id);
        async move {
            let anchor = (writer % 2 == 1).then_some(shared_id.as_str());
            write(h, scene, writer, anchor).await
        }
    }))
    .await;
    let elapsed = started.elapsed();
    let usage = Usage::now(&h, table_name).await.since(&before);

    let mut latencies: Vec<Duration> = answers.iter().flatten().map(|(_, d)| *d).collect();
    assert_eq!(
        latencies.len(),
        WRITERS * INSERTS,
        "every insert answered 201 first time"
    );
    latencies.sort();
    let transactions = usage.calls.get("TransactWriteItems").copied().unwrap_or(0);
    println!(
        "{WRITERS} writers x {INSERTS} inserts: {} in {:.1} s; p50 {}, p99 {}; {transactions} transactions \
         (the inserts' and their consumers'), {} cancelled and retried by the server; client retries 0",
        WRITERS * INSERTS,
        elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        usage.cancelled,
    );

    // Every line once, the numbering dense, each writer's lines in its own order, the
    // inserters' all before the shared line and the appenders' all after it.
    let texts = scene.texts(&h).await;
    assert_eq!(texts.len(), WRITERS * INSERTS + 1);
    let position: HashMap<&str, usize> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    assert_eq!(position.len(), texts.len(), "no line twice");
    let shared_at = position["SHARED"];
    for writer in 0..WRITERS {
        let places: Vec<usize> = (0..INSERTS)
            .map(|line| position[format!("writer {writer} line {line}").as_str()])
            .collect();
        assert!(
            places.windows(2).all(|w| w[0] < w[1]),
            "writer {writer}'s lines out of order"
        );
        if writer % 2 == 1 {
            assert!(
                places.iter().all(|p| *p < shared_at),
                "writer {writer} inserts before SHARED"
            );
        } else {
            assert!(
                places.iter().all(|p| *p > shared_at),
                "writer {writer} appends after SHARED"
            );
        }
    }

    // No two elements share an order key: the listing's order is the only one there is.
    let table = Table::new(aws_sdk_dynamodb::Client::new(&h.stack.sdk), table_name);
    let keyed = Siblings::elements(&script, &scene.section)
        .keyed(&table)
        .await
        .unwrap();
    let keys: HashSet<String> = keyed
        .iter()
        .map(|(_, key)| key.as_str().to_owned())
        .collect();
    assert_eq!(keys.len(), WRITERS * INSERTS + 1, "0 duplicate positions");
}

/// A real conflict still is one: a reorder based on an order that inserts have moved on
/// from is refused, and an insert before an element that is gone is refused.
#[tokio::test]
async fn stale_reorders_and_vanished_anchors_are_still_refused() {
    let h = Harness::start("co_writing_conflicts").await;
    let (script, _) = h.create_script("alice", "Still Careful").await;
    let section = h
        .post(
            &format!("/scripts/{script}/sections"),
            "alice",
            json!({ "level": "scene", "title": "EXT. ROOF - DAY" }),
        )
        .await;
    let scene = Scene {
        section: section.body["sectionId"].as_str().unwrap().to_owned(),
        script: script.clone(),
    };
    let mut ids = Vec::new();
    for text in ["one", "two"] {
        let reply = h
            .post(
                &scene.elements(),
                "alice",
                json!({ "kind": "action", "text": text }),
            )
            .await;
        ids.push(reply.body["elementId"].as_str().unwrap().to_owned());
    }
    let list = h.get(&scene.elements(), "alice").await;
    let stale = list.header("etag").unwrap().to_owned();
    let inserted = h
        .post(
            &scene.elements(),
            "alice",
            json!({ "kind": "action", "text": "between", "after": ids[0] }),
        )
        .await;
    assert_eq!(inserted.status, 201, "{:?}", inserted.body);
    assert_eq!(inserted.body["sequence"], 2);
    let reorder = Harness::send(
        h.request(
            reqwest::Method::POST,
            &format!("{}/reorder", scene.elements()),
            Some("alice"),
        )
        .header("if-match", &stale)
        .json(&json!({ "order": [ids[1], ids[0], inserted.body["elementId"]] })),
    )
    .await;
    assert_eq!(
        reorder.status, 412,
        "a reorder based on the order before the insert: {:?}",
        reorder.body
    );

    let gone = h
        .delete(&format!("/scripts/{script}/elements/{}", ids[1]), "alice")
        .await;
    assert_eq!(gone.status, 204, "{:?}", gone.body);
    let orphan = h
        .post(
            &scene.elements(),
            "alice",
            json!({ "kind": "action", "text": "late", "before": ids[1] }),
        )
        .await;
    assert!(
        matches!(orphan.status, 404 | 409 | 422),
        "{:?}",
        orphan.body
    );
    assert_eq!(scene.texts(&h).await, ["one", "between"]);
}
