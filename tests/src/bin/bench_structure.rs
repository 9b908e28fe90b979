//! Benchmarks of the Central Sequence and of versions on a 10,000-element script, through
//! the local stack (HTTP API, real SDK calls, the emulator). Prints DynamoDB calls and item
//! writes counted by the emulator, and wall-clock times. Run it with `./infra/bench.sh`.
//!
//! Times are of a debug build against moto, which serves DynamoDB one request at a time:
//! they compare operations with each other, not with AWS. Calls and writes are exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use fountain_e2e::bench::{Bench, Usage, median, ms};
use fountain_e2e::{Harness, Reply, seed};
use fountain_sequence::{OrderKey, plan_reorder, spread};
use fountain_store::Table;
use serde_json::{Value, json};

const ELEMENTS: usize = 10_000;
const MOVES: usize = 20;

fn field(reply: &Reply, name: &str) -> String {
    reply.body[name].as_str().unwrap().to_owned()
}

/// A new script with one scene: their ids.
async fn script_with_scene(h: &Harness, title: &str, heading: &str) -> (String, String) {
    let (script, _) = h.create_script("bench", title).await;
    let scene = h
        .post(
            &format!("/scripts/{script}/sections"),
            "bench",
            json!({ "level": "scene", "title": heading }),
        )
        .await;
    (script, field(&scene, "sectionId"))
}

#[tokio::main]
async fn main() {
    let h = Harness::start("bench").await;
    let table = h.stack.table_name("AppTable").unwrap().to_owned();
    let app = Table::new(aws_sdk_dynamodb::Client::new(&h.stack.sdk), &table);
    let b = Bench { h, table };
    let h = &b.h;

    let (script, section) = script_with_scene(h, "Ten thousand lines", "INT. HALL").await;
    let versions = format!("/scripts/{script}/versions");
    let empty = field(
        &h.post(&versions, "bench", json!({ "comment": "no elements" }))
            .await,
        "versionId",
    );
    let started = Instant::now();
    let ids = seed::elements(&app, &script, &section, ELEMENTS).await;
    println!("# Structure benchmarks ({ELEMENTS} elements in one section)\n");
    println!(
        "Counts are of the whole request, so they include the authorizer's reads and its rate \
         counter (one UpdateItem, one item write).\n"
    );
    println!("seeded {ELEMENTS} elements in {}\n", ms(started.elapsed()));

    // 1. A batch reorder that reverses 100 of the 10,000.
    println!("## Reverse 100 of {ELEMENTS} (batch reorder)\n");
    let keys: Vec<(String, OrderKey)> = (0..ELEMENTS)
        .map(|i| format!("e{i:05}"))
        .zip(spread(ELEMENTS))
        .collect();
    let mut order: Vec<String> = keys.iter().map(|(id, _)| id.clone()).collect();
    order[4_950..5_050].reverse();
    let started = Instant::now();
    let plan = plan_reorder(&keys, &order).unwrap();
    println!(
        "- planner: {} key writes (n minus the longest kept run), planned in {}",
        plan.len(),
        ms(started.elapsed())
    );
    // The same reversal through the API, as moves on the untouched seeded order: each of the
    // 99 moves puts the next element before the one moved last.
    let moves: Vec<Value> = ids[4_950..5_050]
        .windows(2)
        .map(|pair| json!({ "id": pair[1], "before": pair[0] }))
        .collect();
    let list = h
        .get(
            &format!("/scripts/{script}/sections/{section}/elements?limit=1"),
            "bench",
        )
        .await;
    let etag = list.header("etag").unwrap().to_owned();
    let (reply, took, usage) = b
        .measure(fountain_e2e::Harness::send(
            h.request(
                reqwest::Method::POST,
                &format!("/scripts/{script}/sections/{section}/elements/reorder"),
                Some("bench"),
            )
            .header("if-match", etag)
            .json(&json!({ "moves": moves })),
        ))
        .await;
    println!(
        "- through the API: status {}, {} keys written, in {}; {}{}\n",
        reply.status,
        reply.body["written"],
        ms(took),
        usage.describe(),
        reply.body["detail"].as_str().unwrap_or("")
    );

    // 2. Moving one element, before another picked across the section.
    println!("## Move one element (POST /scripts/{{id}}/elements/{{id}}/move)\n");
    let mut times = Vec::new();
    let mut usages = Vec::new();
    for i in 0..MOVES {
        let moved = &ids[(i * 7_919) % ELEMENTS];
        let anchor = &ids[(i * 104_729 + 17) % ELEMENTS];
        if moved == anchor {
            continue;
        }
        let (reply, took, usage) = b
            .measure(h.post(
                &format!("/scripts/{script}/elements/{moved}/move"),
                "bench",
                json!({ "before": anchor }),
            ))
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        times.push(took);
        usages.push(usage);
    }
    let writes: Vec<u64> = usages.iter().map(|u| u.writes).collect();
    println!(
        "- before/after another: {} moves, median {}, item writes per move min {} max {}",
        times.len(),
        ms(median(times)),
        writes.iter().min().unwrap(),
        writes.iter().max().unwrap()
    );
    println!("- one of them: {}", usages[0].describe());
    let mut times = Vec::new();
    let mut last = Usage::default();
    for i in 0..5 {
        let moved = &ids[(i * 31) % ELEMENTS];
        let (reply, took, usage) = b
            .measure(h.post(
                &format!("/scripts/{script}/elements/{moved}/move"),
                "bench",
                json!({ "position": 5_000 + i }),
            ))
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        times.push(took);
        last = usage;
    }
    println!(
        "- to a position (reads the whole order): median {}; {}",
        ms(median(times)),
        last.describe()
    );
    // The same move in a script of 10 elements, in the same (large) table: what the
    // emulator's copy of the table for every transaction costs.
    let (small_script, small) = script_with_scene(h, "Ten lines", "INT. CLOSET").await;
    let few = seed::elements(&app, &small_script, &small, 10).await;
    let mut times = Vec::new();
    for i in 0..MOVES {
        let (reply, took, _) = b
            .measure(h.post(
                &format!("/scripts/{small_script}/elements/{}/move", few[i % 10]),
                "bench",
                json!({ "before": few[(i + 5) % 10] }),
            ))
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        times.push(took);
    }
    println!(
        "- the same move in a script of 10 elements: median {}\n",
        ms(median(times))
    );

    // 3. Versions.
    println!("## Versions of the {ELEMENTS}-element script\n");
    let (first, took, usage) = b
        .measure(h.post(&versions, "bench", json!({ "comment": "all lines" })))
        .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    println!(
        "- snapshot: {}; {}; {} bytes of JSON stored as {} bytes in {} chunk(s)",
        ms(took),
        usage.describe(),
        first.body["snapshotBytes"],
        first.body["storedBytes"],
        first.body["chunks"]
    );
    let v1 = field(&first, "versionId");
    let edited = h
        .patch(
            &format!("/scripts/{script}/elements/{}", ids[1]),
            "bench",
            "\"1\"",
            json!({ "text": "changed" }),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    let v2 = field(&h.post(&versions, "bench", json!({})).await, "versionId");
    let (diff, took, usage) = b
        .measure(h.get(&format!("{versions}/{v2}/diff?against={v1}"), "bench"))
        .await;
    assert_eq!(diff.status, 200);
    println!(
        "- diff of two versions ({} changed, {} moved): {}; {}",
        diff.body["elements"]["changed"].as_array().unwrap().len(),
        diff.body["elements"]["moved"].as_array().unwrap().len(),
        ms(took),
        usage.describe()
    );
    let (restored, took, usage) = b
        .measure(h.post(&format!("{versions}/{v1}/restore"), "bench", json!({})))
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    println!(
        "- restore after one edit: {}; {}; written {}, deleted {}",
        ms(took),
        usage.describe(),
        restored.body["written"],
        restored.body["deleted"]
    );
    let (restored, took, usage) = b
        .measure(h.post(&format!("{versions}/{empty}/restore"), "bench", json!({})))
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    println!(
        "- restore to the version without elements (deletes all): {}; {}",
        ms(took),
        usage.describe()
    );
    let (restored, took, usage) = b
        .measure(h.post(&format!("{versions}/{v1}/restore"), "bench", json!({})))
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    println!(
        "- restore all {ELEMENTS} back: {}; {}",
        ms(took),
        usage.describe()
    );
}
