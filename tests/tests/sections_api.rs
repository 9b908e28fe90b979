//! Sections in order: dense sequence numbers, inserts at a position, atomic reorders that
//! write only what must move, and stale or conflicting reorders refused whole.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
use reqwest::Method;
use serde_json::{Value, json};

async fn titles(h: &Harness, script: &str) -> (Vec<String>, String) {
    let list = h.get(&format!("/scripts/{script}/sections"), "alice").await;
    assert_eq!(list.status, 200);
    let items = list.body["items"].as_array().unwrap();
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["sequence"], i + 1, "dense numbering");
    }
    (
        items
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect(),
        list.header("etag").unwrap().to_owned(),
    )
}

async fn reorder(h: &Harness, script: &str, etag: &str, body: Value) -> fountain_e2e::Reply {
    Harness::send(
        h.request(
            Method::POST,
            &format!("/scripts/{script}/sections/reorder"),
            Some("alice"),
        )
        .header("if-match", etag)
        .json(&body),
    )
    .await
}

#[tokio::test]
async fn sections_keep_a_dense_order_through_inserts_moves_and_reorders() {
    let h = Harness::start("sections").await;
    let (script, _) = h.create_script("alice", "Ordered").await;
    let base = format!("/scripts/{script}/sections");
    let mut ids = Vec::new();
    for title in ["B", "D"] {
        let reply = h
            .post(&base, "alice", json!({ "level": "scene", "title": title }))
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        ids.push(reply.body["sectionId"].as_str().unwrap().to_owned());
    }
    let a = h
        .post(
            &base,
            "alice",
            json!({ "level": "act", "title": "A", "position": 1 }),
        )
        .await;
    assert_eq!(a.body["sequence"], 1);
    let c = h
        .post(
            &base,
            "alice",
            json!({ "level": "scene", "title": "C", "after": ids[0] }),
        )
        .await;
    assert_eq!(c.body["sequence"], 3);
    let (order, etag) = titles(&h, &script).await;
    assert_eq!(order, ["A", "B", "C", "D"]);
    let get = h.get(&format!("{base}/{}", ids[1]), "alice").await;
    assert_eq!(get.body["sequence"], 4);

    assert_eq!(
        h.post(
            &base,
            "alice",
            json!({ "level": "scene", "title": "X", "position": 9 })
        )
        .await
        .status,
        422
    );
    assert_eq!(
        h.post(
            &base,
            "alice",
            json!({ "level": "scene", "title": "X", "before": "nope" })
        )
        .await
        .status,
        404
    );

    // Move D first: one section written.
    let moved = reorder(
        &h,
        &script,
        &etag,
        json!({ "moves": [{ "id": ids[1], "position": 1 }] }),
    )
    .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!(moved.body["written"], 1);
    let (order, etag2) = titles(&h, &script).await;
    assert_eq!(order, ["D", "A", "B", "C"]);
    assert_eq!(moved.header("etag"), Some(etag2.as_str()));
    assert_eq!(
        format!("\"{}\"", moved.body["orderRevision"]),
        etag2,
        "a reorder reports the order revision it wrote"
    );

    // A stale order revision, an unknown id, a duplicate: refused, nothing written.
    let all: Vec<String> = h.get(&base, "alice").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sectionId"].as_str().unwrap().to_owned())
        .collect();
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(
        reorder(&h, &script, &etag, json!({ "order": reversed }))
            .await
            .status,
        412
    );
    let mut unknown = all.clone();
    unknown[0] = "01UNKNOWN".into();
    assert_eq!(
        reorder(&h, &script, &etag2, json!({ "order": unknown }))
            .await
            .status,
        404
    );
    let duplicate = vec![
        all[0].clone(),
        all[0].clone(),
        all[1].clone(),
        all[2].clone(),
    ];
    assert_eq!(
        reorder(&h, &script, &etag2, json!({ "order": duplicate }))
            .await
            .status,
        400
    );
    assert_eq!(titles(&h, &script).await.0, ["D", "A", "B", "C"]);

    // The full new order: reversed.
    let done = reorder(&h, &script, &etag2, json!({ "order": reversed })).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert_eq!(done.body["written"], 3, "n minus the longest kept run");
    assert_eq!(titles(&h, &script).await.0, ["C", "B", "A", "D"]);

    // Delete one; the rest close up.
    assert_eq!(
        h.delete(&format!("{base}/{}", ids[0]), "alice")
            .await
            .status,
        204
    );
    assert_eq!(titles(&h, &script).await.0, ["C", "A", "D"]);
    let events = h
        .wait_for_events(&format!("aggregateId={script}"), &["ItemsReordered"])
        .await;
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "ItemsReordered" && e["data"]["parentType"] == "script")
    );
}

#[tokio::test]
async fn of_two_reorders_based_on_the_same_order_one_wins_and_the_other_is_refused() {
    let h = Harness::start("races").await;
    let (script, _) = h.create_script("alice", "Race").await;
    let base = format!("/scripts/{script}/sections");
    for title in ["A", "B", "C"] {
        h.post(&base, "alice", json!({ "level": "scene", "title": title }))
            .await;
    }
    let (_, etag) = titles(&h, &script).await;
    let ids: Vec<String> = h.get(&base, "alice").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sectionId"].as_str().unwrap().to_owned())
        .collect();
    let first = reorder(
        &h,
        &script,
        &etag,
        json!({ "moves": [{ "id": ids[2], "position": 1 }] }),
    );
    let second = reorder(
        &h,
        &script,
        &etag,
        json!({ "moves": [{ "id": ids[0], "position": 3 }] }),
    );
    let (first, second) = tokio::join!(first, second);
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert!(
        statuses == [200, 409] || statuses == [200, 412],
        "{statuses:?}"
    );
    let (order, _) = titles(&h, &script).await;
    assert!(
        order == ["C", "A", "B"] || order == ["B", "C", "A"],
        "one whole reorder, never a mix: {order:?}"
    );
}
