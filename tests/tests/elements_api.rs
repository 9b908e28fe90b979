//! Elements in order within their sections: every kind, dense sequence numbers through
//! inserts, moves (within and across sections) and reorders, bad input refused with nothing
//! written, and their events.
#![allow(clippy::unwrap_used)]

use fountain_e2e::Harness;
use reqwest::Method;
use serde_json::{Value, json};

struct Scene {
    script: String,
    section: String,
    character: String,
}

async fn scene(h: &Harness, name: &str) -> Scene {
    let (script, _) = h.create_script("alice", name).await;
    let section = h
        .post(
            &format!("/scripts/{script}/sections"),
            "alice",
            json!({ "level": "scene", "title": "INT. KITCHEN - NIGHT" }),
        )
        .await;
    let character = h
        .post(
            &format!("/scripts/{script}/characters"),
            "alice",
            json!({ "name": "MARA" }),
        )
        .await;
    assert_eq!(character.status, 201, "{:?}", character.body);
    Scene {
        section: section.body["sectionId"].as_str().unwrap().to_owned(),
        character: character.body["characterId"].as_str().unwrap().to_owned(),
        script,
    }
}

impl Scene {
    fn elements(&self) -> String {
        format!(
            "/scripts/{}/sections/{}/elements",
            self.script, self.section
        )
    }

    fn element(&self, id: &str) -> String {
        format!("/scripts/{}/elements/{id}", self.script)
    }

    async fn add(&self, h: &Harness, body: Value) -> String {
        let reply = h.post(&self.elements(), "alice", body).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        reply.body["elementId"].as_str().unwrap().to_owned()
    }

    /// The texts in order (checking the numbering is dense) and the order ETag.
    async fn texts(&self, h: &Harness) -> (Vec<String>, String) {
        let list = h.get(&self.elements(), "alice").await;
        assert_eq!(list.status, 200, "{:?}", list.body);
        let items = list.body["items"].as_array().unwrap();
        for (i, item) in items.iter().enumerate() {
            assert_eq!(item["sequence"], i + 1, "dense numbering");
        }
        let texts = items
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_owned())
            .collect();
        (texts, list.header("etag").unwrap().to_owned())
    }
}

fn action(text: &str) -> Value {
    json!({ "kind": "action", "text": text })
}

#[tokio::test]
async fn elements_keep_a_dense_order_through_inserts_moves_and_reorders() {
    let h = Harness::start("elements").await;
    let s = scene(&h, "Ordered lines").await;
    let b = s.add(&h, action("B")).await;
    let d = s.add(&h, action("D")).await;
    let a = h
        .post(
            &s.elements(),
            "alice",
            json!({ "kind": "action", "text": "A", "position": 1 }),
        )
        .await;
    assert_eq!(a.body["sequence"], 1);
    let c = h
        .post(
            &s.elements(),
            "alice",
            json!({ "kind": "action", "text": "C", "after": b }),
        )
        .await;
    assert_eq!(c.body["sequence"], 3);
    let c = c.body["elementId"].as_str().unwrap().to_owned();
    let line = h
        .post(
            &s.elements(),
            "alice",
            json!({ "kind": "dialogue", "text": "E", "characterId": s.character,
                    "parenthetical": "(quietly)", "extension": "V.O.", "dual": true }),
        )
        .await;
    assert_eq!(line.status, 201, "{:?}", line.body);
    assert_eq!(line.body["characterId"], s.character.as_str());
    assert_eq!(line.body["sequence"], 5);
    let (order, _) = s.texts(&h).await;
    assert_eq!(order, ["A", "B", "C", "D", "E"]);

    // One move: before another, to a position, to the end; the answer says where it is.
    let moved = h
        .post(
            &format!("{}/move", s.element(&d)),
            "alice",
            json!({ "before": b }),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!(moved.body["sequence"], 2);
    assert_eq!(s.texts(&h).await.0, ["A", "D", "B", "C", "E"]);
    let moved = h
        .post(
            &format!("{}/move", s.element(&b)),
            "alice",
            json!({ "position": 5 }),
        )
        .await;
    assert_eq!(moved.body["sequence"], 5);
    let moved = h
        .post(&format!("{}/move", s.element(&c)), "alice", json!({}))
        .await;
    assert_eq!(moved.body["sequence"], 5);
    let (order, etag) = s.texts(&h).await;
    assert_eq!(order, ["A", "D", "E", "B", "C"]);
    let get = h.get(&s.element(&d), "alice").await;
    assert_eq!((get.status, get.body["sequence"].clone()), (200, json!(2)));

    // A batch reorder writes only what must move and names the new revision.
    let list = h.get(&s.elements(), "alice").await;
    let mut ids: Vec<String> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["elementId"].as_str().unwrap().to_owned())
        .collect();
    ids.swap(0, 4);
    let reordered = Harness::send(
        h.request(
            Method::POST,
            &format!("{}/reorder", s.elements()),
            Some("alice"),
        )
        .header("if-match", &etag)
        .json(&json!({ "order": ids, "comment": "tighter" })),
    )
    .await;
    assert_eq!(reordered.status, 200, "{:?}", reordered.body);
    assert_eq!(reordered.body["written"], 2);
    let (order, new_etag) = s.texts(&h).await;
    assert_eq!(order, ["C", "D", "E", "B", "A"]);
    assert_ne!(etag, new_etag);
    assert_eq!(reordered.header("etag"), Some(new_etag.as_str()));
    assert_eq!(
        format!("\"{}\"", reordered.body["orderRevision"]),
        new_etag,
        "a reorder reports the order revision it wrote"
    );

    // Across sections: it leaves one and joins the other where asked.
    let other = h
        .post(
            &format!("/scripts/{}/sections", s.script),
            "alice",
            json!({ "level": "scene", "title": "EXT. ROAD - DAY" }),
        )
        .await;
    let other_id = other.body["sectionId"].as_str().unwrap();
    let across = h
        .post(
            &format!("{}/move", s.element(&d)),
            "alice",
            json!({ "sectionId": other_id }),
        )
        .await;
    assert_eq!(across.status, 200, "{:?}", across.body);
    assert_eq!(
        (
            across.body["sectionId"].as_str(),
            across.body["sequence"].clone()
        ),
        (Some(other_id), json!(1))
    );
    assert_eq!(s.texts(&h).await.0, ["C", "E", "B", "A"]);

    // Update needs If-Match; delete closes the gap.
    let updated = h
        .patch(&s.element(&c), "alice", "\"1\"", json!({ "text": "C!" }))
        .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.body["revision"], 2);
    assert_eq!(
        h.patch(&s.element(&c), "alice", "\"1\"", json!({ "text": "stale" }))
            .await
            .status,
        412
    );
    assert_eq!(h.delete(&s.element(&c), "alice").await.status, 204);
    assert_eq!(s.texts(&h).await.0, ["E", "B", "A"]);
    assert_eq!(h.get(&s.element(&c), "alice").await.status, 404);

    let events = h
        .wait_for_events(
            &format!("aggregateId={c}"),
            &["ElementAdded", "ElementUpdated", "ElementRemoved"],
        )
        .await;
    assert_eq!(events.len(), 3);
    let reorders = h
        .wait_for_events(
            &format!("aggregateId={}", s.section),
            &[
                "ItemsReordered",
                "ItemsReordered",
                "ItemsReordered",
                "ItemsReordered",
            ],
        )
        .await;
    let tighter = reorders
        .iter()
        .find(|e| e["data"]["comment"] == "tighter")
        .unwrap();
    assert_eq!(
        tighter["data"]["orderRevision"], reordered.body["orderRevision"],
        "the event names the revision the reply does"
    );
}

#[tokio::test]
async fn bad_elements_and_bad_moves_are_refused_and_write_nothing() {
    let h = Harness::start("bad-elements").await;
    let s = scene(&h, "Refusals").await;
    let first = s.add(&h, action("first")).await;
    let second = s.add(&h, action("second")).await;
    let (before, etag) = s.texts(&h).await;

    let refused = [
        (json!({ "kind": "dialogue", "text": "Hi" }), 422),
        (
            json!({ "kind": "dialogue", "text": "Hi", "characterId": "01NOSUCHCHARACTER000000000" }),
            400,
        ),
        (json!({ "kind": "page_break", "text": "no" }), 422),
        (
            json!({ "kind": "action", "text": "x", "characterId": s.character }),
            422,
        ),
        (json!({ "kind": "action", "text": "   " }), 422),
        (json!({ "kind": "sonnet", "text": "x" }), 422),
        (
            json!({ "kind": "action", "text": "x", "before": "01NOSUCHELEMENT00000000000" }),
            404,
        ),
        (json!({ "kind": "action", "text": "x", "position": 9 }), 422),
        (
            json!({ "kind": "action", "text": "x", "position": 1, "after": first }),
            422,
        ),
    ];
    for (body, status) in refused {
        let reply = h.post(&s.elements(), "alice", body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {:?}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
    let move_path = format!("{}/move", s.element(&first));
    let move_to = |body: Value| h.post(&move_path, "alice", body);
    assert_eq!(move_to(json!({ "after": first })).await.status, 400);
    assert_eq!(
        move_to(json!({ "after": "01NOSUCHELEMENT00000000000" }))
            .await
            .status,
        404
    );
    assert_eq!(
        move_to(json!({ "sectionId": "01NOSUCHSECTION00000000000" }))
            .await
            .status,
        404
    );
    let reorder = |etag: &str, body: Value| {
        Harness::send(
            h.request(
                Method::POST,
                &format!("{}/reorder", s.elements()),
                Some("alice"),
            )
            .header("if-match", etag)
            .json(&body),
        )
    };
    assert_eq!(
        reorder(&etag, json!({ "order": [first, first] }))
            .await
            .status,
        400
    );
    assert_eq!(
        reorder(
            &etag,
            json!({ "order": [first, "01NOSUCHELEMENT00000000000"] })
        )
        .await
        .status,
        404
    );
    assert_eq!(
        reorder("\"99\"", json!({ "order": [second, first] }))
            .await
            .status,
        412
    );
    assert_eq!(s.texts(&h).await, (before, etag), "nothing was written");

    // A viewer reads but does not write; a stranger sees nothing.
    let owner = h.account("owner@example.com").await;
    let viewer = h.verified_account("viewer@example.com").await;
    let (script, _) = h.create_script(&owner.user_id, "Shared").await;
    h.join(&owner, &viewer, &script, "viewer").await;
    let section = h
        .post(
            &format!("/scripts/{script}/sections"),
            &owner.user_id,
            json!({ "level": "scene", "title": "S" }),
        )
        .await;
    let elements = format!(
        "/scripts/{script}/sections/{}/elements",
        section.body["sectionId"].as_str().unwrap()
    );
    assert_eq!(
        h.post(&elements, &viewer.user_id, action("no"))
            .await
            .status,
        403
    );
    assert_eq!(h.get(&elements, &viewer.user_id).await.status, 200);
    assert_eq!(h.get(&elements, "stranger").await.status, 404);

    // A removed section takes its elements with it.
    let section_path = format!("/scripts/{}/sections/{}", s.script, s.section);
    assert_eq!(h.delete(&section_path, "alice").await.status, 204);
    assert_eq!(h.get(&s.element(&first), "alice").await.status, 404);
    assert_eq!(h.get(&s.elements(), "alice").await.status, 404);
}

#[tokio::test]
async fn two_conflicting_reorders_one_wins_and_the_other_changes_nothing() {
    let h = Harness::start("element-race").await;
    let s = scene(&h, "Race").await;
    for text in ["1", "2", "3", "4"] {
        s.add(&h, action(text)).await;
    }
    let list = h.get(&s.elements(), "alice").await;
    let etag = list.header("etag").unwrap().to_owned();
    let ids: Vec<String> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["elementId"].as_str().unwrap().to_owned())
        .collect();
    let reversed: Vec<&String> = ids.iter().rev().collect();
    let rotated: Vec<&String> = ids.iter().skip(1).chain(ids.iter().take(1)).collect();
    let send = |order: Vec<&String>| {
        Harness::send(
            h.request(
                Method::POST,
                &format!("{}/reorder", s.elements()),
                Some("alice"),
            )
            .header("if-match", &etag)
            .json(&json!({ "order": order })),
        )
    };
    let (one, two) = tokio::join!(send(reversed), send(rotated));
    let mut statuses = [one.status, two.status];
    statuses.sort();
    assert!(
        statuses == [200, 409] || statuses == [200, 412],
        "one wins, one is refused: {statuses:?}"
    );
    let winner = if one.status == 200 { one } else { two };
    let (texts, _) = s.texts(&h).await;
    let expected: Vec<String> = winner.body["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            ids.iter()
                .position(|x| x == id.as_str().unwrap())
                .map(|i| (i + 1).to_string())
                .unwrap()
        })
        .collect();
    assert_eq!(texts, expected, "exactly the winner's order, nothing mixed");
}

/// 200 elements whose keys leave no room at all (48-byte keys one unit apart, the most a key
/// may have): an insert in the middle needs a rebalance wider than one transaction, which
/// commits in chunks, each keeping the order, before the insert itself.
#[tokio::test]
async fn an_insert_into_a_crowded_section_rebalances_in_chunks() {
    let h = Harness::start("elements-rebalance").await;
    let s = scene(&h, "Crowded").await;
    let table = fountain_store::Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    let prefix = "80".repeat(fountain_sequence::MAX_KEY_BYTES - 1);
    let keys = (1..=200)
        .map(|i| fountain_sequence::OrderKey::parse(&format!("{prefix}{i:02x}")).unwrap())
        .collect();
    let ids = fountain_e2e::seed::elements_with_keys(&table, &s.script, &s.section, keys).await;
    let before = all_texts(&h, &s).await;

    let reply = h
        .post(
            &s.elements(),
            "alice",
            json!({ "kind": "action", "text": "wedged", "after": ids[99] }),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    assert_eq!(reply.body["sequence"], 101);

    let after = all_texts(&h, &s).await;
    let (_, etag) = s.texts(&h).await;
    let mut expected = before.clone();
    expected.insert(100, "wedged".to_owned());
    assert_eq!(after, expected, "every seeded element kept its place");
    let revision: u64 = etag.trim_matches('"').parse().unwrap();
    assert!(
        revision >= 4,
        "a rebalance of more than 95 keys commits in at least two chunks before the insert: {etag}"
    );
}

/// Every element's text in order, page by page, checking the numbering stays dense.
async fn all_texts(h: &Harness, s: &Scene) -> Vec<String> {
    let mut texts = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = h
            .get(&format!("{}?limit=100{cursor}", s.elements()), "alice")
            .await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        for item in page.body["items"].as_array().unwrap() {
            texts.push(item["text"].as_str().unwrap().to_owned());
            assert_eq!(item["sequence"], texts.len());
        }
        match page.body["nextCursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return texts,
        }
    }
}
