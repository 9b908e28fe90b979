//! Caps that follow cost (issue 16, part 6): scripts per owner (created or imported) and
//! versions per script are runtime settings; one more is a 422 `limit-reached` problem that
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
    let import = Harness::send(
        h.request(Method::POST, "/scripts/import", Some("alice"))
            .header("content-type", "text/plain; charset=utf-8")
            .body("Title: Imported\n\nINT. ROOM - DAY\n\nA line.\n"),
    )
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
