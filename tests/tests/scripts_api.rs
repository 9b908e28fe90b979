//! Scripts through the local API Gateway: the happy path, optimistic concurrency, listing,
//! tenancy, and the events each change publishes.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_script_is_created_read_updated_listed_and_deleted() {
    let h = Harness::start("scripts").await;
    let created = Harness::send(
        h.request(Method::POST, "/scripts", Some("alice"))
            .header("x-correlation-id", "create-1")
            .json(
                &json!({ "title": "The Kitchen", "author": "A. Writer", "comment": "first draft" }),
            ),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.header("x-correlation-id"), Some("create-1"));
    let id = created.body["scriptId"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(format!("/scripts/{id}").as_str())
    );
    assert_eq!(created.body["ownerId"], "alice");
    assert_eq!(created.body["comment"], "first draft");

    let read = h.get(&format!("/scripts/{id}"), "alice").await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body, created.body);
    assert!(
        read.header("x-correlation-id")
            .is_some_and(|c| !c.is_empty())
    );

    let updated = Harness::send(
        h.request(Method::PATCH, &format!("/scripts/{id}"), Some("alice"))
            .header("if-match", "\"1\"")
            .header("x-correlation-id", "update-1")
            .json(&json!({ "title": "The Kitchen, Night", "author": null, "comment": "retitled" })),
    )
    .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.header("etag"), Some("\"2\""));
    assert_eq!(updated.body["title"], "The Kitchen, Night");
    assert_eq!(updated.body["author"], serde_json::Value::Null);
    assert_eq!(updated.body["revision"], 2);

    let stale = h
        .patch(
            &format!("/scripts/{id}"),
            "alice",
            "\"1\"",
            json!({ "title": "Lost update" }),
        )
        .await;
    assert_eq!(stale.status, 412);
    assert_eq!(
        stale.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        h.get(&format!("/scripts/{id}"), "alice").await.body["title"],
        "The Kitchen, Night"
    );

    let events = h
        .wait_for_events(
            &format!("aggregateId={id}"),
            &["ScriptCreated", "ScriptUpdated"],
        )
        .await;
    let types: Vec<_> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ScriptCreated", "ScriptUpdated"]);
    assert_eq!(events[0]["correlationId"], "create-1");
    assert_eq!(events[0]["data"]["comment"], "first draft");
    assert_eq!(events[1]["correlationId"], "update-1");
    assert_eq!(events[1]["data"]["changed"], json!(["title", "author"]));
    assert_eq!(events[1]["data"]["comment"], "retitled");
    assert_eq!(events[1]["actor"], "alice");

    let deleted = h.delete(&format!("/scripts/{id}"), "alice").await;
    assert_eq!(deleted.status, 204);
    assert_eq!(h.get(&format!("/scripts/{id}"), "alice").await.status, 404);
    h.wait_for_events(&format!("aggregateId={id}"), &["ScriptDeleted"])
        .await;
}

#[tokio::test]
async fn listing_pages_through_only_the_callers_scripts() {
    let h = Harness::start("listing").await;
    let mut mine = Vec::new();
    for title in ["One", "Two", "Three"] {
        mine.push(h.create_script("alice", title).await.0);
    }
    h.create_script("bob", "Bob's").await;

    let first = h.get("/scripts?limit=2", "alice").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
    let second = h
        .get(&format!("/scripts?limit=2&cursor={cursor}"), "alice")
        .await;
    let mut seen: Vec<String> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second.body["items"].as_array().unwrap())
        .map(|s| s["scriptId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, mine, "oldest first, nothing of bob's");
    if let Some(next) = second.body["nextCursor"].as_str() {
        let third = h
            .get(&format!("/scripts?limit=2&cursor={next}"), "alice")
            .await;
        assert!(third.body["items"].as_array().unwrap().is_empty());
        assert!(third.body["nextCursor"].is_null());
    }
    seen.clear();

    // A cursor only continues the listing it came from.
    let bobs = h.get(&format!("/scripts?cursor={cursor}"), "bob").await;
    assert_eq!(bobs.status, 400);
    assert_eq!(h.get("/scripts?limit=0", "alice").await.status, 400);
    assert_eq!(h.get("/scripts?limit=1001", "alice").await.status, 400);
    assert_eq!(h.get("/scripts?cursor=garbage", "alice").await.status, 400);
}

#[tokio::test]
async fn another_users_script_is_not_found_for_every_operation() {
    let h = Harness::start("tenancy").await;
    let (id, etag) = h.create_script("alice", "Private").await;
    let path = format!("/scripts/{id}");
    assert_eq!(h.get(&path, "mallory").await.status, 404);
    assert_eq!(
        h.patch(&path, "mallory", &etag, json!({ "title": "Mine now" }))
            .await
            .status,
        404
    );
    assert_eq!(h.delete(&path, "mallory").await.status, 404);
    assert_eq!(
        h.get(&format!("{path}/characters"), "mallory").await.status,
        404
    );
    assert_eq!(
        h.post(
            &format!("{path}/characters"),
            "mallory",
            json!({ "name": "X" })
        )
        .await
        .status,
        404
    );
    // Still untouched.
    let read = h.get(&path, "alice").await;
    assert_eq!(read.body["title"], "Private");
    assert_eq!(read.body["revision"], 1);
    // The event store is for administrators only.
    let events = h.get(&format!("/events?aggregateId={id}"), "mallory").await;
    assert_eq!(events.status, 403);
    assert!(events.body.get("items").is_none());
}

#[tokio::test]
async fn changes_need_the_current_etag() {
    let h = Harness::start("etags").await;
    let (id, _) = h.create_script("alice", "Draft").await;
    let path = format!("/scripts/{id}");
    let missing = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .json(&json!({ "title": "x" })),
    )
    .await;
    assert_eq!(missing.status, 428);
    assert_eq!(
        h.patch(&path, "alice", "\"7\"", json!({ "title": "x" }))
            .await
            .status,
        412
    );
    assert_eq!(
        h.patch(&path, "alice", "not-an-etag", json!({ "title": "x" }))
            .await
            .status,
        412
    );
    assert_eq!(
        h.patch(&path, "alice", "*", json!({ "title": "Any" }))
            .await
            .status,
        200
    );
    let stale_delete = Harness::send(
        h.request(Method::DELETE, &path, Some("alice"))
            .header("if-match", "\"1\""),
    )
    .await;
    assert_eq!(stale_delete.status, 412);
    assert_eq!(h.get(&path, "alice").await.status, 200);
}
