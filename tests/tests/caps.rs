//! Caps that follow cost (issue 16, part 6): scripts per owner (created or imported),
//! versions per script and the size of what a generation sends to the text generator are
//! runtime settings; one more script or version is a 422 `limit-reached` problem that
//! writes nothing, and concurrent requests cannot pass a cap together.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{ADMIN, Harness, Reply};
use reqwest::Method;
use serde_json::json;

async fn set(h: &Harness, key: &str, value: u64) {
    let put = Harness::send(
        h.request(Method::PUT, &format!("/config/{key}"), Some(ADMIN))
            .json(&json!({ "value": value })),
    )
    .await;
    assert_eq!(put.status, 200, "{:?}", put.body);
}

fn assert_limit(reply: &Reply, setting: &str) {
    assert_eq!(reply.status, 422, "{:?}", reply.body);
    assert_eq!(reply.body["type"], "urn:fountainai:problem:limit-reached");
    assert!(
        reply.body["detail"].as_str().unwrap().contains(setting),
        "{:?}",
        reply.body
    );
}

async fn create(h: &Harness, user: &str, title: &str) -> Reply {
    h.post("/scripts", user, json!({ "title": title })).await
}

async fn count_scripts(h: &Harness, user: &str) -> usize {
    h.get("/scripts?limit=100", user).await.body["items"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn scripts_per_owner_are_capped_for_creates_and_imports_alike() {
    let h = Harness::start("cap-scripts").await;
    set(&h, "MAX_SCRIPTS_PER_USER", 3).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;

    let first = create(&h, "alice", "One").await;
    assert_eq!(first.status, 201);
    assert_eq!(create(&h, "alice", "Two").await.status, 201);
    // One slot left, five at once: exactly one gets it.
    let racing = futures::future::join_all((0..5).map(|i| {
        let h = &h;
        async move { create(h, "alice", &format!("Race {i}")).await.status }
    }))
    .await;
    assert_eq!(
        racing.iter().filter(|s| **s == 201).count(),
        1,
        "{racing:?}"
    );
    assert_eq!(
        racing.iter().filter(|s| **s == 422).count(),
        4,
        "{racing:?}"
    );
    assert_eq!(count_scripts(&h, "alice").await, 3);

    let over = create(&h, "alice", "Four").await;
    assert_limit(&over, "MAX_SCRIPTS_PER_USER");
    let import = h
        .import("alice", "Title: Imported\n\nINT. ROOM - DAY\n\nA line.\n")
        .await;
    assert_limit(&import, "MAX_SCRIPTS_PER_USER");
    assert_eq!(count_scripts(&h, "alice").await, 3, "nothing was written");
    // Another user has a cap of their own.
    assert_eq!(create(&h, "bob", "Bob's").await.status, 201);

    // Deleting one frees its slot.
    let id = first.body["scriptId"].as_str().unwrap();
    assert_eq!(
        h.delete(&format!("/scripts/{id}"), "alice").await.status,
        204
    );
    assert_eq!(create(&h, "alice", "Four").await.status, 201);
}

#[tokio::test]
async fn versions_per_script_are_capped() {
    let h = Harness::start("cap-versions").await;
    set(&h, "MAX_VERSIONS_PER_SCRIPT", 2).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;
    let (script, _) = h.create_script("alice", "Versioned").await;
    let versions = format!("/scripts/{script}/versions");
    for _ in 0..2 {
        assert_eq!(h.post(&versions, "alice", json!({})).await.status, 201);
    }
    let over = h
        .post(&versions, "alice", json!({ "comment": "one more" }))
        .await;
    assert_limit(&over, "MAX_VERSIONS_PER_SCRIPT");
    let listed = h.get(&versions, "alice").await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
}

/// A screenplay of `scenes` scenes, each a heading and a line of action (about 60 characters
/// a scene as the generator is sent them).
fn screenplay(scenes: usize) -> String {
    (0..scenes)
        .map(|i| format!("INT. ROOM {i} - DAY\n\nSomeone waits by the window, counting.\n\n"))
        .collect()
}

async fn generate(h: &Harness, user: &str, text: &str) -> serde_json::Value {
    let accepted = request_generation(h, user, text).await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
    let job_id = accepted.body["jobId"].as_str().unwrap().to_owned();
    Harness::eventually(60, "the job to finish", || async {
        let job = h.get(&format!("/generations/{job_id}"), user).await.body;
        let status = job["status"].as_str().unwrap_or_default().to_owned();
        (!matches!(status.as_str(), "queued" | "running")).then_some(job)
    })
    .await
}

/// Imports `text` as a script of `user` and asks for its generation: the answer.
async fn request_generation(h: &Harness, user: &str, text: &str) -> Reply {
    let imported = h.import(user, text).await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script_id = imported.body["scriptId"].as_str().unwrap();
    h.post(
        &format!("/scripts/{script_id}/generations"),
        user,
        json!({}),
    )
    .await
}

#[tokio::test]
async fn a_generation_sends_no_more_than_its_size_cap_to_the_generator() {
    let h = Harness::start("cap-generation").await;
    set(&h, "MAX_GENERATION_INPUT_CHARS", 1_000).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;

    // About 3,000 characters: failed before any call, saying why, with nothing written.
    let large = generate(&h, "alice", &screenplay(50)).await;
    assert_eq!(large["status"], "failed", "{large}");
    let reason = large["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("too large") && reason.contains("MAX_GENERATION_INPUT_CHARS"),
        "{large}"
    );
    assert_eq!(
        large["outputs"].as_array().map_or(0, Vec::len),
        0,
        "{large}"
    );

    // Under the cap a job runs as before.
    let small = generate(&h, "alice", &screenplay(5)).await;
    assert_eq!(small["status"], "succeeded", "{small}");
}

#[tokio::test]
async fn elements_per_script_are_capped_and_freed_by_deletes_and_section_removals() {
    let h = Harness::start("cap-elements").await;
    set(&h, "MAX_ELEMENTS_PER_SCRIPT", 4).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;

    // An import of more is refused before anything is written.
    assert_limit(
        &h.import("alice", &screenplay(5)).await,
        "MAX_ELEMENTS_PER_SCRIPT",
    );
    assert_eq!(count_scripts(&h, "alice").await, 0, "nothing was written");

    // Three imported elements (one a scene), then one more by hand: the cap.
    let imported = h.import("alice", &screenplay(3)).await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    let script = imported.body["scriptId"].as_str().unwrap().to_owned();
    let sections = h.get(&format!("/scripts/{script}/sections"), "alice").await;
    let section_ids: Vec<String> = sections.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sectionId"].as_str().unwrap().to_owned())
        .collect();
    let elements = format!("/scripts/{script}/sections/{}/elements", section_ids[0]);
    let action = |text: &str| json!({ "kind": "action", "text": text });
    let fourth = h.post(&elements, "alice", action("Four")).await;
    assert_eq!(fourth.status, 201, "{:?}", fourth.body);
    let over = h.post(&elements, "alice", action("Five")).await;
    assert_limit(&over, "MAX_ELEMENTS_PER_SCRIPT");
    let listed = h.get(&elements, "alice").await;
    assert_eq!(
        listed.body["items"].as_array().unwrap().len(),
        2,
        "not written"
    );

    // Deleting an element frees its place.
    let id = fourth.body["elementId"].as_str().unwrap();
    assert_eq!(
        h.delete(&format!("/scripts/{script}/elements/{id}"), "alice")
            .await
            .status,
        204
    );
    assert_eq!(
        h.post(&elements, "alice", action("Four again"))
            .await
            .status,
        201
    );
    assert_limit(
        &h.post(&elements, "alice", action("Five")).await,
        "MAX_ELEMENTS_PER_SCRIPT",
    );

    // Removing a section frees its elements once its purge ran.
    assert_eq!(
        h.delete(
            &format!("/scripts/{script}/sections/{}", section_ids[2]),
            "alice"
        )
        .await
        .status,
        204
    );
    Harness::eventually(
        30,
        "the removed section's element to be uncounted",
        || async {
            let reply = h.post(&elements, "alice", action("Five at last")).await;
            (reply.status == 201).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_daily_generation_quota_weighs_each_job_by_its_scripts_elements() {
    let h = Harness::start("cap-weighted").await;
    set(&h, "GENERATION_ELEMENTS_PER_DAY_FREE", 5).await;
    tokio::time::sleep(fountain_runtime::settings::MAX_STALENESS).await;

    // Three elements of five: accepted; three more do not fit, and the answer says why.
    assert_eq!(
        request_generation(&h, "alice", &screenplay(3)).await.status,
        202
    );
    let over = request_generation(&h, "alice", &screenplay(3)).await;
    assert_eq!(over.status, 429, "{:?}", over.body);
    assert!(over.header("retry-after").is_some());
    let detail = over.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("5 elements") && detail.contains("2 are left"),
        "{detail}"
    );
    // Two fit exactly; then not even one does, though the job count is far from its limit.
    assert_eq!(
        request_generation(&h, "alice", &screenplay(2)).await.status,
        202
    );
    assert_eq!(
        request_generation(&h, "alice", &screenplay(1)).await.status,
        429
    );
    // Another user's day is their own.
    assert_eq!(
        request_generation(&h, "bob", &screenplay(3)).await.status,
        202
    );
}
