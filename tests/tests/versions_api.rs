//! Versions: a snapshot of the whole script, read back page by page, compared element by
//! element, and restored as one new revision; the restore lock keeps writers out while it
//! runs (or after it died, until another restore finishes the job).
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use fountain_e2e::{Harness, Reply, seed};
use fountain_store::{AttributeValue, Table, keys, n, s};
use reqwest::Method;
use serde_json::{Value, json};

struct Draft {
    script: String,
    kitchen: String,
    garden: String,
    mara: String,
}

fn id(reply: &Reply, field: &str) -> String {
    assert!(reply.status < 300, "{} {:?}", reply.status, reply.body);
    reply.body[field].as_str().unwrap().to_owned()
}

async fn draft(h: &Harness, user: &str) -> Draft {
    let (script, _) = h.create_script(user, "Draft").await;
    let sections = format!("/scripts/{script}/sections");
    let heading = |title: &str| json!({ "level": "scene", "title": title });
    let kitchen = id(
        &h.post(&sections, user, heading("INT. KITCHEN")).await,
        "sectionId",
    );
    let garden = id(
        &h.post(&sections, user, heading("EXT. GARDEN")).await,
        "sectionId",
    );
    let mara = id(
        &h.post(
            &format!("/scripts/{script}/characters"),
            user,
            json!({ "name": "MARA" }),
        )
        .await,
        "characterId",
    );
    Draft {
        script,
        kitchen,
        garden,
        mara,
    }
}

impl Draft {
    fn elements(&self, section: &str) -> String {
        format!("/scripts/{}/sections/{section}/elements", self.script)
    }

    fn versions(&self) -> String {
        format!("/scripts/{}/versions", self.script)
    }

    async fn add(&self, h: &Harness, section: &str, body: Value) -> String {
        id(
            &h.post(&self.elements(section), "alice", body).await,
            "elementId",
        )
    }

    /// The texts of a section in order, and its order ETag.
    async fn texts(&self, h: &Harness, section: &str) -> (Vec<String>, String) {
        let list = h.get(&self.elements(section), "alice").await;
        assert_eq!(list.status, 200, "{:?}", list.body);
        let texts = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_owned())
            .collect();
        (texts, list.header("etag").unwrap().to_owned())
    }

    async fn snapshot(&self, h: &Harness, comment: &str) -> Value {
        let reply = h
            .post(&self.versions(), "alice", json!({ "comment": comment }))
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        let version = reply.body["versionId"].as_str().unwrap();
        assert_eq!(
            reply.header("location").unwrap(),
            format!("{}/{version}", self.versions())
        );
        reply.body
    }
}

fn action(text: &str) -> Value {
    json!({ "kind": "action", "text": text })
}

fn ids(values: &Value, field: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_version_is_read_back_compared_and_restored() {
    let h = Harness::start("versions").await;
    let d = draft(&h, "alice").await;
    let opening = d.add(&h, &d.kitchen, action("Rain on the window.")).await;
    let line = d
        .add(
            &h,
            &d.kitchen,
            json!({ "kind": "dialogue", "characterId": d.mara, "text": "We stay." }),
        )
        .await;
    let cut = d.add(&h, &d.kitchen, action("She turns away.")).await;
    let garden = d.add(&h, &d.garden, action("Roses.")).await;

    let first = d.snapshot(&h, "first draft").await;
    assert_eq!(
        first["counts"],
        json!({ "characters": 1, "sections": 2, "elements": 4, "paraphrases": 0 })
    );
    assert_eq!(first["comment"], "first draft");
    assert_eq!(first["chunks"], 1);
    let v1 = first["versionId"].as_str().unwrap().to_owned();

    // The script moves on: an edit, a deletion, an addition, a move across sections, a
    // renamed character and a new title.
    let element = |id: &str| format!("/scripts/{}/elements/{id}", d.script);
    let etag = h
        .get(&element(&opening), "alice")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    let edited = h
        .patch(
            &element(&opening),
            "alice",
            &etag,
            json!({ "text": "Hail on the window." }),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    assert_eq!(h.delete(&element(&cut), "alice").await.status, 204);
    let added = d.add(&h, &d.garden, action("Thorns.")).await;
    let moved = h
        .post(
            &format!("{}/move", element(&line)),
            "alice",
            json!({ "sectionId": d.garden, "position": 1 }),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let mara = format!("/scripts/{}/characters/{}", d.script, d.mara);
    let mara_etag = h
        .get(&mara, "alice")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    assert_eq!(
        h.patch(&mara, "alice", &mara_etag, json!({ "name": "MAREN" }))
            .await
            .status,
        200
    );
    let script = format!("/scripts/{}", d.script);
    let script_etag = h
        .get(&script, "alice")
        .await
        .header("etag")
        .unwrap()
        .to_owned();
    assert_eq!(
        h.patch(
            &script,
            "alice",
            &script_etag,
            json!({ "title": "Second draft" })
        )
        .await
        .status,
        200
    );
    let second = d.snapshot(&h, "second draft").await;
    let v2 = second["versionId"].as_str().unwrap().to_owned();

    let list = h.get(&d.versions(), "alice").await;
    assert_eq!(list.status, 200);
    assert_eq!(
        ids(&list.body["items"], "versionId"),
        [v2.clone(), v1.clone()],
        "newest first"
    );

    // The first version, read a page at a time, is the script as it was.
    let page = h
        .get(&format!("{}/{v1}?limit=3", d.versions()), "alice")
        .await;
    assert_eq!(page.status, 200, "{:?}", page.body);
    assert_eq!(page.body["title"], "Draft");
    assert_eq!(page.body["characters"][0]["name"], "MARA");
    assert_eq!(
        ids(&page.body["sections"], "sectionId"),
        [d.kitchen.clone(), d.garden.clone()]
    );
    assert_eq!(
        ids(&page.body["elements"], "elementId"),
        [opening.clone(), line.clone(), cut.clone()]
    );
    assert_eq!(page.body["elements"][2]["sequence"], 3);
    let cursor = page.body["nextCursor"].as_str().unwrap();
    let rest = h
        .get(
            &format!("{}/{v1}?limit=3&cursor={cursor}", d.versions()),
            "alice",
        )
        .await;
    assert_eq!(
        ids(&rest.body["elements"], "elementId"),
        std::slice::from_ref(&garden)
    );
    assert_eq!(
        rest.body["elements"][0]["sequence"], 1,
        "numbered within its section"
    );
    assert_eq!(rest.body["nextCursor"], Value::Null);

    // The difference, element by element.
    let diff = h
        .get(&format!("{}/{v2}/diff?against={v1}", d.versions()), "alice")
        .await;
    assert_eq!(diff.status, 200, "{:?}", diff.body);
    let elements = &diff.body["elements"];
    assert_eq!(
        ids(&elements["added"], "elementId"),
        std::slice::from_ref(&added)
    );
    assert_eq!(
        ids(&elements["removed"], "elementId"),
        std::slice::from_ref(&cut)
    );
    assert_eq!(
        ids(&elements["changed"], "elementId"),
        std::slice::from_ref(&opening)
    );
    assert_eq!(
        elements["changed"][0]["before"]["text"],
        "Rain on the window."
    );
    assert_eq!(
        elements["changed"][0]["after"]["text"],
        "Hail on the window."
    );
    assert_eq!(
        ids(&elements["moved"], "elementId"),
        std::slice::from_ref(&line)
    );
    assert_eq!(
        elements["moved"][0]["to"],
        json!({ "sectionId": d.garden, "sequence": 1 })
    );
    assert_eq!(diff.body["sections"]["changed"], json!([]));

    // Restoring the first version is one new revision of the script.
    let (_, kitchen_etag) = d.texts(&h, &d.kitchen).await;
    let restored = h
        .post(
            &format!("{}/{v1}/restore", d.versions()),
            "alice",
            json!({ "comment": "back to the first draft" }),
        )
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    assert_eq!(
        restored.body["deleted"], 2,
        "the added element and the reservation of the new name"
    );
    let revision = restored.body["revision"].as_u64().unwrap();
    assert_eq!(restored.header("etag").unwrap(), format!("\"{revision}\""));
    assert_eq!(
        d.texts(&h, &d.kitchen).await.0,
        ["Rain on the window.", "We stay.", "She turns away."]
    );
    assert_eq!(d.texts(&h, &d.garden).await.0, ["Roses."]);
    let back = h.get(&script, "alice").await;
    assert_eq!(back.body["title"], "Draft");
    assert_eq!(back.body["revision"], revision);
    assert_eq!(back.body["comment"], "back to the first draft");
    assert_eq!(h.get(&mara, "alice").await.body["name"], "MARA");
    assert_eq!(h.get(&element(&added), "alice").await.status, 404);

    // ETags read before the restore are stale after it.
    let stale = Harness::send(
        h.request(
            Method::POST,
            &format!("{}/reorder", d.elements(&d.kitchen)),
            Some("alice"),
        )
        .header("if-match", &kitchen_etag)
        .json(&json!({ "order": [cut, line, opening] })),
    )
    .await;
    assert_eq!(stale.status, 412, "{:?}", stale.body);

    // Restoring the same version again writes nothing, and the script takes writes again.
    let again = h
        .post(
            &format!("{}/{v1}/restore", d.versions()),
            "alice",
            json!({}),
        )
        .await;
    assert_eq!(
        (again.body["written"].clone(), again.body["deleted"].clone()),
        (json!(0), json!(0))
    );
    d.add(&h, &d.garden, action("Evening.")).await;

    let events = h
        .wait_for_events(
            &format!("aggregateId={}", d.script),
            &["ScriptVersionCreated", "ScriptRestored"],
        )
        .await;
    let of_type = |t: &str| -> Vec<&Value> { events.iter().filter(|e| e["type"] == t).collect() };
    let created = of_type("ScriptVersionCreated");
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["data"]["comment"], "first draft");
    assert_eq!(created[0]["data"]["elements"], 4);
    let restores = of_type("ScriptRestored");
    assert_eq!(restores[0]["data"]["versionId"], v1.as_str());
    assert_eq!(restores[0]["data"]["comment"], "back to the first draft");
}

#[tokio::test]
async fn versions_refuse_what_they_must_and_a_restore_keeps_writers_out() {
    let h = Harness::start("versions-refusals").await;
    let owner = h.account("owner@example.com").await;
    let viewer = h.verified_account("viewer@example.com").await;
    let d = draft(&h, &owner.user_id).await;
    h.join(&owner, &viewer, &d.script, "viewer").await;
    let version = h.post(&d.versions(), &owner.user_id, json!({})).await;
    assert_eq!(version.status, 201, "{:?}", version.body);
    let v1 = version.body["versionId"].as_str().unwrap().to_owned();
    let restore = format!("{}/{v1}/restore", d.versions());

    // Viewers read versions but neither take nor restore them; strangers see nothing.
    assert_eq!(h.get(&d.versions(), &viewer.user_id).await.status, 200);
    assert_eq!(
        h.get(&format!("{}/{v1}", d.versions()), &viewer.user_id)
            .await
            .status,
        200
    );
    for (path, user, status) in [
        (d.versions(), viewer.user_id.as_str(), 403),
        (restore.clone(), viewer.user_id.as_str(), 403),
        (d.versions(), "mallory", 404),
        (restore.clone(), "mallory", 404),
        (
            format!("{}/01NOSUCHVERSION0000000000000/restore", d.versions()),
            owner.user_id.as_str(),
            404,
        ),
    ] {
        let reply = h.post(&path, user, json!({})).await;
        assert_eq!(reply.status, status, "{path} as {user}: {:?}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
    for (path, status) in [
        (format!("{}/{v1}/diff", d.versions()), 400),
        (
            format!(
                "{}/{v1}/diff?against=01NOSUCHVERSION0000000000000",
                d.versions()
            ),
            404,
        ),
        (
            format!("{}/01NOSUCHVERSION0000000000000", d.versions()),
            404,
        ),
        (format!("{}/{v1}?cursor=nonsense", d.versions()), 400),
    ] {
        assert_eq!(h.get(&path, &owner.user_id).await.status, status, "{path}");
    }
    let long = h
        .post(
            &d.versions(),
            &owner.user_id,
            json!({ "comment": "x".repeat(1001) }),
        )
        .await;
    assert_eq!(long.status, 422, "{:?}", long.body);
    let listed = h.get(&d.versions(), &owner.user_id).await;
    assert_eq!(
        listed.body["items"].as_array().unwrap().len(),
        1,
        "nothing else was taken"
    );

    // A restore that died holding the lock: writers wait, even after its lease ran out,
    // until another restore finishes the job.
    let table = app_table(&h);
    let hold = |until_ms: i64| {
        let table = table.clone();
        let script = d.script.clone();
        let version = v1.clone();
        async move {
            table
                .client
                .update_item()
                .table_name(&table.name)
                .key("pk", s(keys::script(&script)))
                .key("sk", s(keys::SCRIPT_SK))
                .update_expression("SET restoreLock = :lock")
                .expression_attribute_values(
                    ":lock",
                    AttributeValue::M(HashMap::from([
                        ("lockId".into(), s("someone-else")),
                        ("versionId".into(), s(version)),
                        ("untilMs".into(), n(until_ms)),
                    ])),
                )
                .send()
                .await
                .unwrap();
        }
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let far = now_ms + 600_000;
    hold(far).await;
    let blocked = h
        .post(&d.elements(&d.kitchen), &owner.user_id, action("Too soon."))
        .await;
    assert_eq!(blocked.status, 409, "{:?}", blocked.body);
    assert!(
        blocked.body["detail"]
            .as_str()
            .unwrap()
            .contains("being restored")
    );
    assert_eq!(
        h.post(&d.versions(), &owner.user_id, json!({}))
            .await
            .status,
        409
    );
    assert_eq!(
        h.post(&restore, &owner.user_id, json!({})).await.status,
        409,
        "held"
    );
    assert_eq!(
        h.get(&d.elements(&d.kitchen), &viewer.user_id).await.status,
        200,
        "reads go on"
    );

    hold(1).await;
    let interrupted = h
        .post(
            &d.elements(&d.kitchen),
            &owner.user_id,
            action("Still too soon."),
        )
        .await;
    assert_eq!(interrupted.status, 409);
    assert!(
        interrupted.body["detail"]
            .as_str()
            .unwrap()
            .contains("interrupted")
    );
    let finished = h.post(&restore, &owner.user_id, json!({})).await;
    assert_eq!(finished.status, 200, "{:?}", finished.body);
    assert_eq!(
        h.post(&d.elements(&d.kitchen), &owner.user_id, action("Now."))
            .await
            .status,
        201
    );
    assert_eq!(d.texts_as(&h, &owner.user_id).await, ["Now."]);
}

impl Draft {
    async fn texts_as(&self, h: &Harness, user: &str) -> Vec<String> {
        let list = h.get(&self.elements(&self.kitchen), user).await;
        ids(&list.body["items"], "text")
    }
}

fn app_table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

fn counts(diff: &Value) -> [usize; 4] {
    ["added", "removed", "changed", "moved"].map(|k| diff["elements"][k].as_array().unwrap().len())
}

#[tokio::test]
async fn a_script_of_ten_thousand_elements_round_trips() {
    let h = Harness::start("versions-10k").await;
    let d = draft(&h, "alice").await;
    let seeded = seed::elements(&app_table(&h), &d.script, &d.kitchen, 10_000).await;
    let first = d.snapshot(&h, "ten thousand lines").await;
    assert_eq!(first["counts"]["elements"], 10_000);
    assert!(first["storedBytes"].as_u64() < first["snapshotBytes"].as_u64());
    let v1 = first["versionId"].as_str().unwrap().to_owned();

    // One of each change, through the API.
    let element = |id: &str| format!("/scripts/{}/elements/{id}", d.script);
    assert_eq!(h.delete(&element(&seeded[0]), "alice").await.status, 204);
    let edited = h
        .patch(
            &element(&seeded[5_000]),
            "alice",
            "\"1\"",
            json!({ "text": "rewritten" }),
        )
        .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    let moved = h
        .post(
            &format!("{}/move", element(&seeded[9_999])),
            "alice",
            json!({ "position": 1 }),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    d.add(&h, &d.kitchen, action("The end.")).await;
    let v2 = d.snapshot(&h, "edited").await["versionId"]
        .as_str()
        .unwrap()
        .to_owned();

    let diff = h
        .get(&format!("{}/{v2}/diff?against={v1}", d.versions()), "alice")
        .await;
    assert_eq!(diff.status, 200, "{:?}", diff.body);
    assert_eq!(counts(&diff.body), [1, 1, 1, 1]);
    assert_eq!(
        diff.body["elements"]["moved"][0]["elementId"],
        seeded[9_999].as_str()
    );

    let restored = h
        .post(
            &format!("{}/{v1}/restore", d.versions()),
            "alice",
            json!({}),
        )
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    assert_eq!(restored.body["deleted"], 1);
    // The deleted, edited and moved elements, and the section's order.
    assert_eq!(restored.body["written"], 4);

    // A snapshot of the restored script is the first version again.
    let v3 = d.snapshot(&h, "after the restore").await["versionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let same = h
        .get(&format!("{}/{v3}/diff?against={v1}", d.versions()), "alice")
        .await;
    assert_eq!(counts(&same.body), [0, 0, 0, 0]);
}

/// The items of a section's elements and its element order still in the table.
async fn element_items(table: &Table, script: &str, section: &str) -> usize {
    let items = table
        .client
        .query()
        .table_name(&table.name)
        .key_condition_expression("pk = :pk")
        .filter_expression("(begins_with(sk, :element) AND sectionId = :section) OR sk = :order")
        .expression_attribute_values(":element", s(keys::ELEMENT))
        .expression_attribute_values(":pk", s(keys::script(script)))
        .expression_attribute_values(":section", s(section))
        .expression_attribute_values(":order", s(keys::order_elements(section)))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    items.len()
}

#[tokio::test]
async fn a_removed_sections_elements_are_purged_and_a_restore_brings_them_back() {
    let h = Harness::start("versions-purge").await;
    let d = draft(&h, "alice").await;
    let table = app_table(&h);
    for text in ["One.", "Two.", "Three."] {
        d.add(&h, &d.kitchen, action(text)).await;
    }
    d.add(&h, &d.garden, action("Stays.")).await;
    let v1 = d.snapshot(&h, "three lines").await["versionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(element_items(&table, &d.script, &d.kitchen).await, 4);

    // Removing the section deletes its elements and order afterwards, nothing else.
    let section = format!("/scripts/{}/sections/{}", d.script, d.kitchen);
    assert_eq!(h.delete(&section, "alice").await.status, 204);
    Harness::eventually(20, "the purge of the removed section", || async {
        (element_items(&table, &d.script, &d.kitchen).await == 0).then_some(())
    })
    .await;
    assert_eq!(element_items(&table, &d.script, &d.garden).await, 2);

    // The purge stops where a section is (back): it deletes nothing of it.
    let restored = h
        .post(
            &format!("{}/{v1}/restore", d.versions()),
            "alice",
            json!({}),
        )
        .await;
    assert_eq!(restored.status, 200, "{:?}", restored.body);
    assert_eq!(d.texts(&h, &d.kitchen).await.0, ["One.", "Two.", "Three."]);
    let (deleted, finished) = fountain_structure::purge::purge(&table, &d.script, &d.kitchen)
        .await
        .unwrap();
    assert_eq!((deleted, finished), (0, false));
    assert_eq!(element_items(&table, &d.script, &d.kitchen).await, 4);
}
