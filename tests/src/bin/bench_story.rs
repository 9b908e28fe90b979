//! Benchmark of story assembly on a 10,000-element script, through the local stack: the
//! DynamoDB calls and wall-clock time of `GET /scripts/{id}/story` cold (assembled from one
//! paginated Query, then cached), cached, and again after a change invalidated it. Run it
//! with `./infra/bench.sh`.
//!
//! Times are of a debug build against moto; calls and item writes are exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fountain_e2e::bench::{Bench, median, ms};
use fountain_e2e::{Harness, seed};
use fountain_store::Table;
use serde_json::json;

const ELEMENTS: usize = 10_000;
const SECTIONS: usize = 10;
const READS: usize = 5;

#[tokio::main]
async fn main() {
    let h = Harness::start("bench-story").await;
    let table = h.stack.table_name("AppTable").unwrap().to_owned();
    let app = Table::new(aws_sdk_dynamodb::Client::new(&h.stack.sdk), &table);
    let b = Bench { h, table };
    let h = &b.h;
    let (script, _) = h.create_script("bench", "Ten thousand lines, told").await;
    let mut first_element = None;
    for scene in 0..SECTIONS {
        let section = h
            .post(
                &format!("/scripts/{script}/sections"),
                "bench",
                json!({ "level": "scene", "title": format!("INT. ROOM {scene} - DAY") }),
            )
            .await;
        let section = section.body["sectionId"].as_str().unwrap().to_owned();
        let ids = seed::elements(&app, &script, &section, ELEMENTS / SECTIONS).await;
        first_element.get_or_insert(ids[0].clone());
    }
    let story = format!("/scripts/{script}/story");
    println!("# Story assembly ({ELEMENTS} elements in {SECTIONS} scenes)\n");

    let (cold, took, usage) = b.measure(h.get(&story, "bench")).await;
    assert_eq!(cold.status, 200, "{:?}", cold.body);
    assert_eq!(cold.header("x-story-cache"), Some("miss"));
    assert_eq!(cold.body["elementCount"], ELEMENTS);
    let bytes = serde_json::to_vec(&cold.body).unwrap().len();
    println!(
        "- cold (assembled and cached): {}; {}; {bytes} bytes of JSON",
        ms(took),
        usage.describe()
    );

    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..READS {
        let (reply, took, usage) = b.measure(h.get(&story, "bench")).await;
        assert_eq!(reply.header("x-story-cache"), Some("hit"));
        times.push(took);
        last = Some(usage);
    }
    println!(
        "- cached: median {} over {READS} reads; {}",
        ms(median(times)),
        last.unwrap().describe()
    );

    let (range, took, usage) = b
        .measure(h.get(&format!("{story}?from=4990&to=5010"), "bench"))
        .await;
    assert_eq!(range.status, 200);
    println!(
        "- cached, elements 4990..5010 only: {}; {}",
        ms(took),
        usage.describe()
    );

    // One element changes: its event invalidates the story, the next read assembles again.
    let element = first_element.unwrap();
    let path = format!("/scripts/{script}/elements/{element}");
    let etag = h
        .get(&path, "bench")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let edited = h
        .patch(&path, "bench", &etag, json!({ "text": "Changed, once." }))
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    Harness::eventually(60, "the edit in the story", || async {
        let reply = h.get(&format!("{story}?to=1"), "bench").await;
        (reply.body["sections"][0]["elements"][0]["text"] == "Changed, once.").then_some(())
    })
    .await;
    let (again, took, usage) = b.measure(h.get(&story, "bench")).await;
    println!(
        "- after an edit (its event invalidated the story; {}): {}; {}",
        again.header("x-story-cache").unwrap_or("?"),
        ms(took),
        usage.describe()
    );
}
