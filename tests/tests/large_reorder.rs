//! Reorders that move more keys than one transaction holds: committed whole at once (the
//! plan stored with the new order revision and the event), then applied in chunks. Readers
//! see the committed order at every moment, writers stay out while the plan is applied, and
//! a plan whose applier died is finished by the next writer.
#![allow(clippy::unwrap_used)]

use aws_sdk_dynamodb::types::AttributeValue;
use fountain_e2e::{Harness, seed};
use fountain_store::Table;
use fountain_structure::Siblings;
use fountain_structure::pending::{PENDING, PendingReorder, PlannedKey, write_chunk};
use reqwest::Method;
use serde_json::json;

struct Scene {
    script: String,
    section: String,
    table: Table,
}

async fn seeded_scene(h: &Harness, name: &str, count: usize) -> (Scene, Vec<String>) {
    let (script, _) = h.create_script("alice", name).await;
    let section = h
        .post(
            &format!("/scripts/{script}/sections"),
            "alice",
            json!({ "level": "scene", "title": "INT. HALL OF MIRRORS - NIGHT" }),
        )
        .await;
    assert_eq!(section.status, 201, "{:?}", section.body);
    let scene = Scene {
        section: section.body["sectionId"].as_str().unwrap().to_owned(),
        script,
        table: Table::new(
            aws_sdk_dynamodb::Client::new(&h.stack.sdk),
            h.stack.table_name("AppTable").unwrap(),
        ),
    };
    let ids = seed::elements(&scene.table, &scene.script, &scene.section, count).await;
    (scene, ids)
}

impl Scene {
    fn elements(&self) -> String {
        format!(
            "/scripts/{}/sections/{}/elements",
            self.script, self.section
        )
    }

    fn siblings(&self) -> Siblings {
        Siblings::elements(&self.script, &self.section)
    }

    /// Every element id in order, page by page (checking the numbering stays dense), and
    /// the order ETag of the last page.
    async fn listed(&self, h: &Harness) -> (Vec<String>, String) {
        let mut ids = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = h
                .get(&format!("{}?limit=40{cursor}", self.elements()), "alice")
                .await;
            assert_eq!(page.status, 200, "{:?}", page.body);
            for item in page.body["items"].as_array().unwrap() {
                ids.push(item["elementId"].as_str().unwrap().to_owned());
                assert_eq!(item["sequence"], ids.len(), "dense numbering");
            }
            match page.body["nextCursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => return (ids, page.header("etag").unwrap().to_owned()),
            }
        }
    }

    /// The ids in the order their stored keys give, and the order item.
    async fn stored(&self) -> (Vec<String>, aws_sdk_dynamodb::types::AttributeValue) {
        let siblings = self.siblings();
        let ids = siblings
            .keyed(&self.table)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let order = self
            .table
            .get(&siblings.pk(), siblings.order_item_sk())
            .await
            .unwrap()
            .unwrap();
        (ids, AttributeValue::M(order))
    }

    async fn reorder(&self, h: &Harness, etag: &str, order: &[String]) -> fountain_e2e::Reply {
        Harness::send(
            h.request(
                Method::POST,
                &format!("{}/reorder", self.elements()),
                Some("alice"),
            )
            .header("if-match", etag)
            .json(&json!({ "order": order, "comment": "mirror the scene" })),
        )
        .await
    }
}

fn pending_of(order: &AttributeValue) -> Option<&AttributeValue> {
    order.as_m().unwrap().get(PENDING)
}

#[tokio::test]
async fn a_reorder_too_large_for_one_transaction_commits_whole() {
    let h = Harness::start("large-reorder").await;
    let (s, ids) = seeded_scene(&h, "Mirrors", 150).await;
    let (listed, etag) = s.listed(&h).await;
    assert_eq!(listed, ids);

    let mut reversed = ids.clone();
    reversed.reverse();
    let reply = s.reorder(&h, &etag, &reversed).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["written"], 149, "n minus the longest kept run");
    assert_eq!(
        reply.body["orderRevision"], 2,
        "one revision, however many chunks"
    );
    assert_eq!(reply.header("etag"), Some("\"2\""));

    let (listed, etag) = s.listed(&h).await;
    assert_eq!(listed, reversed);
    assert_eq!(etag, "\"2\"");
    let (stored, order) = s.stored().await;
    assert_eq!(stored, reversed, "every key written");
    assert_eq!(pending_of(&order), None, "the plan is gone once applied");

    let events: Vec<_> = h
        .wait_for_events(&format!("aggregateId={}", s.section), &["ItemsReordered"])
        .await
        .into_iter()
        .filter(|e| e["type"] == "ItemsReordered")
        .collect();
    assert_eq!(events.len(), 1, "one event for the whole reorder");
    assert_eq!(events[0]["data"]["comment"], "mirror the scene");
    assert_eq!(events[0]["data"]["moved"].as_array().unwrap().len(), 149);
    assert_eq!(events[0]["data"]["orderRevision"], 2);

    // Based on the old revision: refused, nothing written.
    let stale = s.reorder(&h, "\"1\"", &ids).await;
    assert_eq!(stale.status, 412, "{:?}", stale.body);
    assert_eq!(s.stored().await.0, reversed);
}

#[tokio::test]
async fn a_reorder_beyond_the_limit_is_refused_whole() {
    let h = Harness::start("huge-reorder").await;
    let (s, ids) = seeded_scene(&h, "Too many mirrors", 2_002).await;
    let mut reversed = ids.clone();
    reversed.reverse();
    let reply = s.reorder(&h, "\"1\"", &reversed).await;
    assert_eq!(reply.status, 400, "{:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("moves 2001 elements; at most 2000"),
        "{:?}",
        reply.body
    );
    let (stored, order) = s.stored().await;
    assert_eq!(stored, ids, "nothing written");
    assert_eq!(
        order.as_m().unwrap()["revision"],
        AttributeValue::N("1".into())
    );
}

/// The applier dies after the commit point and one chunk: readers already see the whole
/// new order (lists, single elements, snapshots); writers wait while the lease runs, and
/// the first writer after it finishes the plan before its own change.
#[tokio::test]
async fn a_reorder_whose_applier_died_is_seen_whole_and_finished_by_the_next_writer() {
    let h = Harness::start("dead-reorder").await;
    let (s, ids) = seeded_scene(&h, "Half-turned mirrors", 150).await;
    let siblings = s.siblings();
    let mut reversed = ids.clone();
    reversed.reverse();
    let current = siblings.keyed(&s.table).await.unwrap();
    let plan = fountain_sequence::plan_reorder(&current, &reversed).unwrap();
    let pending = PendingReorder {
        reorder_id: "01JDEADAPPLIER".into(),
        until_ms: chrono::Utc::now().timestamp_millis() + 600_000,
        keys: plan
            .merged()
            .into_iter()
            .map(|write| PlannedKey {
                id: write.id,
                key: write.key.as_str().to_owned(),
            })
            .collect(),
    };
    assert_eq!(pending.keys.len(), 149);
    set_order_item(&s, "SET revision = :two, #pending = :plan", &pending).await;
    write_chunk(
        &s.table,
        &siblings,
        &pending.reorder_id,
        &pending.keys[..98],
        false,
    )
    .await
    .unwrap();
    let (stored, _) = s.stored().await;
    assert_ne!(stored, reversed, "half applied underneath");
    assert_ne!(stored, ids);

    // Readers see the committed order.
    let (listed, etag) = s.listed(&h).await;
    assert_eq!(listed, reversed);
    assert_eq!(etag, "\"2\"");
    let unapplied = &pending.keys[140].id;
    let one = h
        .get(
            &format!("/scripts/{}/elements/{unapplied}", s.script),
            "alice",
        )
        .await;
    assert_eq!(one.status, 200, "{:?}", one.body);
    let expected = reversed.iter().position(|id| id == unapplied).unwrap() + 1;
    assert_eq!(one.body["sequence"], expected);
    let version = h
        .post(
            &format!("/scripts/{}/versions", s.script),
            "alice",
            json!({ "comment": "mid-reorder" }),
        )
        .await;
    assert_eq!(version.status, 201, "{:?}", version.body);
    let version_path = format!(
        "/scripts/{}/versions/{}?limit=100",
        s.script,
        version.body["versionId"].as_str().unwrap()
    );
    let mut in_snapshot: Vec<String> = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = h.get(&format!("{version_path}{cursor}"), "alice").await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        for element in page.body["elements"].as_array().unwrap() {
            in_snapshot.push(element["elementId"].as_str().unwrap().to_owned());
        }
        match page.body["nextCursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(
        in_snapshot, reversed,
        "a snapshot holds the committed order"
    );

    // While the lease runs, writers of the order wait; nothing is written.
    let append = json!({ "kind": "action", "text": "A crack runs through the glass." });
    let refused = h.post(&s.elements(), "alice", append.clone()).await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("being applied"),
        "{:?}",
        refused.body
    );
    assert_eq!(s.listed(&h).await.0, reversed);

    // After it, the next writer finishes the plan, then makes its own change.
    let expired = PendingReorder {
        until_ms: 0,
        ..pending.clone()
    };
    set_order_item(&s, "SET #pending = :plan", &expired).await;
    let appended = h.post(&s.elements(), "alice", append).await;
    assert_eq!(appended.status, 201, "{:?}", appended.body);
    assert_eq!(appended.body["sequence"], 151);
    let new_id = appended.body["elementId"].as_str().unwrap().to_owned();
    let (stored, order) = s.stored().await;
    let mut expected: Vec<String> = reversed.clone();
    expected.push(new_id);
    assert_eq!(
        stored, expected,
        "the plan applied in full, then the append"
    );
    assert_eq!(pending_of(&order), None);
    let (listed, etag) = s.listed(&h).await;
    assert_eq!(listed, expected);
    assert_eq!(etag, "\"3\"");
}

async fn set_order_item(s: &Scene, update: &str, pending: &PendingReorder) {
    let siblings = s.siblings();
    let mut request = s
        .table
        .client
        .update_item()
        .table_name(&s.table.name)
        .key("pk", AttributeValue::S(siblings.pk()))
        .key("sk", AttributeValue::S(siblings.order_item_sk().to_owned()))
        .update_expression(update)
        .expression_attribute_names("#pending", PENDING)
        .expression_attribute_values(":plan", pending.to_attribute().unwrap());
    if update.contains(":two") {
        request = request.expression_attribute_values(":two", AttributeValue::N("2".into()));
    }
    request.send().await.unwrap();
}
