//! Characters: names unique per script regardless of case, If-Match, events, and what
//! deleting the script does to them.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
use fountain_store::{Table, keys, s};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn characters_are_added_renamed_and_removed_with_unique_names() {
    let h = Harness::start("characters").await;
    let (script, _) = h.create_script("alice", "Two Hander").await;
    let base = format!("/scripts/{script}/characters");

    let anna = h
        .post(
            &base,
            "alice",
            json!({ "name": "ANNA", "description": "the cook" }),
        )
        .await;
    assert_eq!(anna.status, 201, "{:?}", anna.body);
    let anna_id = anna.body["characterId"].as_str().unwrap().to_owned();
    assert_eq!(
        h.post(&base, "alice", json!({ "name": "Ben" }))
            .await
            .status,
        201
    );

    let clash = h.post(&base, "alice", json!({ "name": "anna " })).await;
    assert_eq!(clash.status, 409);
    assert_eq!(
        clash.header("content-type"),
        Some("application/problem+json")
    );

    let list = h.get(&base, "alice").await;
    let names: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ANNA", "Ben"]);

    let path = format!("{base}/{anna_id}");
    let rename_to_ben = h
        .patch(&path, "alice", "\"1\"", json!({ "name": "BEN" }))
        .await;
    assert_eq!(rename_to_ben.status, 409);

    let renamed = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .header("if-match", "\"1\"")
            .header("x-correlation-id", "rename-anna")
            .json(&json!({ "name": "Anna Maria", "comment": "full name" })),
    )
    .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.header("etag"), Some("\"2\""));
    assert_eq!(
        h.patch(&path, "alice", "\"1\"", json!({ "description": "stale" }))
            .await
            .status,
        412
    );

    // The old name is free again, the new one is taken.
    assert_eq!(
        h.post(&base, "alice", json!({ "name": "Anna" }))
            .await
            .status,
        201
    );
    assert_eq!(
        h.post(&base, "alice", json!({ "name": "ANNA MARIA" }))
            .await
            .status,
        409
    );

    let events = h
        .wait_for_events("correlationId=rename-anna", &["CharacterUpdated"])
        .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["name"], "Anna Maria");
    assert_eq!(events[0]["data"]["previousName"], "ANNA");
    assert_eq!(events[0]["data"]["comment"], "full name");

    assert_eq!(h.delete(&path, "alice").await.status, 204);
    assert_eq!(h.get(&path, "alice").await.status, 404);
    assert_eq!(
        h.post(&base, "alice", json!({ "name": "anna maria" }))
            .await
            .status,
        201,
        "a deleted character frees its name"
    );
}

#[tokio::test]
async fn deleting_a_script_hides_its_characters_at_once_and_purges_them_after() {
    let h = Harness::start("purge").await;
    let (script, _) = h.create_script("alice", "Doomed").await;
    let base = format!("/scripts/{script}/characters");
    let first = h.post(&base, "alice", json!({ "name": "First" })).await;
    h.post(&base, "alice", json!({ "name": "Second" })).await;
    let first_path = format!("{base}/{}", first.body["characterId"].as_str().unwrap());

    assert_eq!(
        h.delete(&format!("/scripts/{script}"), "alice")
            .await
            .status,
        204
    );
    assert_eq!(h.get(&base, "alice").await.status, 404);
    assert_eq!(h.get(&first_path, "alice").await.status, 404);
    assert_eq!(
        h.post(&base, "alice", json!({ "name": "Late" }))
            .await
            .status,
        404
    );

    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    Harness::eventually(30, "the script's items to be purged", || async {
        let output = table
            .client
            .query()
            .table_name(&table.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(keys::script(&script)))
            .send()
            .await
            .unwrap();
        (output.count == 0).then_some(())
    })
    .await;
}
