//! Paraphrases of characters, sections and elements: CRUD, listing by script and by target
//! in creation order across pages, unknown or vanished targets refused with nothing written,
//! bad input, roles, and their events.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use fountain_e2e::Harness;
use fountain_events::catalog::ParaphraseAdded;
use fountain_events::{EventContext, EventEnvelope};
use fountain_paraphrases::store::{self, WriteError};
use fountain_paraphrases::{Paraphrase, Target, TargetType};
use fountain_store::Table;
use reqwest::Method;
use serde_json::{Value, json};

/// A script with one of each kind of target.
struct Scene {
    script: String,
    character: String,
    section: String,
    element: String,
}

async fn scene(h: &Harness, user: &str, title: &str) -> Scene {
    let (script, _) = h.create_script(user, title).await;
    let id_of = |reply: fountain_e2e::Reply, field: &str| {
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        reply.body[field].as_str().unwrap().to_owned()
    };
    let character = id_of(
        h.post(
            &format!("/scripts/{script}/characters"),
            user,
            json!({ "name": "MARA" }),
        )
        .await,
        "characterId",
    );
    let section = id_of(
        h.post(
            &format!("/scripts/{script}/sections"),
            user,
            json!({ "level": "scene", "title": "INT. KITCHEN - NIGHT" }),
        )
        .await,
        "sectionId",
    );
    let element = id_of(
        h.post(
            &format!("/scripts/{script}/sections/{section}/elements"),
            user,
            json!({ "kind": "dialogue", "text": "I'm fine.", "characterId": character }),
        )
        .await,
        "elementId",
    );
    Scene {
        script,
        character,
        section,
        element,
    }
}

impl Scene {
    fn paraphrases(&self) -> String {
        format!("/scripts/{}/paraphrases", self.script)
    }

    fn paraphrase(&self, id: &str) -> String {
        format!("{}/{id}", self.paraphrases())
    }

    fn of(&self, target_type: &str, target_id: &str) -> String {
        format!(
            "{}?targetType={target_type}&targetId={target_id}",
            self.paraphrases()
        )
    }

    async fn add(&self, h: &Harness, target_type: &str, target_id: &str, text: &str) -> String {
        let reply = h
            .post(
                &self.paraphrases(),
                "alice",
                json!({ "target": { "type": target_type, "id": target_id }, "text": text }),
            )
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        reply.body["paraphraseId"].as_str().unwrap().to_owned()
    }
}

/// Every id of a listing, read `limit` at a time through its cursors.
async fn ids(h: &Harness, listing: &str, limit: usize) -> Vec<String> {
    let separator = if listing.contains('?') { '&' } else { '?' };
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("{listing}{separator}limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = h.get(&path, "alice").await;
        assert_eq!(page.status, 200, "{path}: {:?}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        ids.extend(
            items
                .iter()
                .map(|p| p["paraphraseId"].as_str().unwrap().to_owned()),
        );
        match page.body["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

fn assert_problem(reply: &fountain_e2e::Reply, status: u16, what: &str) {
    assert_eq!(reply.status, status, "{what}: {:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
}

#[tokio::test]
async fn paraphrases_of_each_target_are_added_listed_changed_and_removed() {
    let h = Harness::start("paraphrases").await;
    let s = scene(&h, "alice", "Paraphrased").await;

    let created = Harness::send(
        h.request(Method::POST, &s.paraphrases(), Some("alice"))
            .header("x-correlation-id", "paraphrase-element")
            .json(&json!({
                "target": { "type": "element", "id": s.element },
                "text": "  She is not fine.  ",
                "commentary": "The line says the opposite of what she means.",
                "comment": "first reading"
            })),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let on_element = created.body["paraphraseId"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(s.paraphrase(&on_element).as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body["scriptId"], s.script.as_str());
    assert_eq!(created.body["targetType"], "element");
    assert_eq!(created.body["targetId"], s.element.as_str());
    assert_eq!(created.body["text"], "She is not fine.", "trimmed");
    assert_eq!(
        created.body["commentary"],
        "The line says the opposite of what she means."
    );
    assert_eq!(created.body["revision"], 1);
    assert_eq!(created.body["comment"], "first reading");

    let on_character = s
        .add(&h, "character", &s.character, "A cook who lies well.")
        .await;
    let on_section = s.add(&h, "section", &s.section, "Where it turns.").await;
    let on_element_again = s
        .add(&h, "element", &s.element, "She wants him to ask.")
        .await;

    // The script's paraphrases, and each target's, in creation order, on every page size.
    let all = [
        on_element.as_str(),
        &on_character,
        &on_section,
        &on_element_again,
    ];
    for limit in [1, 3, 25] {
        assert_eq!(ids(&h, &s.paraphrases(), limit).await, all, "limit {limit}");
        assert_eq!(
            ids(&h, &s.of("element", &s.element), limit).await,
            [on_element.as_str(), &on_element_again],
            "limit {limit}"
        );
    }
    assert_eq!(
        ids(&h, &s.of("character", &s.character), 25).await,
        [on_character.as_str()]
    );
    assert_eq!(
        ids(&h, &s.of("section", &s.section), 25).await,
        [on_section.as_str()]
    );
    // A type names the target: the element's id as a section's has nothing.
    assert!(ids(&h, &s.of("section", &s.element), 25).await.is_empty());

    let path = s.paraphrase(&on_element);
    let got = h.get(&path, "alice").await;
    assert_eq!(got.status, 200, "{:?}", got.body);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.body, created.body);

    // PATCH: If-Match required and current; text changes, a null commentary clears.
    let unconditional = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .json(&json!({ "text": "no If-Match" })),
    )
    .await;
    assert_problem(&unconditional, 428, "PATCH without If-Match");
    let updated = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .header("if-match", "\"1\"")
            .header("x-correlation-id", "paraphrase-update")
            .json(&json!({ "text": "She is leaving.", "commentary": null, "comment": "plainer" })),
    )
    .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.header("etag"), Some("\"2\""));
    assert_eq!(updated.body["revision"], 2);
    assert_eq!(updated.body["text"], "She is leaving.");
    assert_eq!(updated.body["commentary"], Value::Null);
    assert_eq!(updated.body["targetId"], s.element.as_str());
    assert_eq!(updated.body["comment"], "plainer");
    let stale = h
        .patch(&path, "alice", "\"1\"", json!({ "text": "stale" }))
        .await;
    assert_problem(&stale, 412, "stale PATCH");
    let retarget = h
        .patch(
            &path,
            "alice",
            "\"2\"",
            json!({ "target": { "type": "section", "id": s.section } }),
        )
        .await;
    assert_problem(&retarget, 422, "PATCH of the target");
    assert_eq!(retarget.body["errors"][0]["field"], "target");
    assert_eq!(h.get(&path, "alice").await.body, updated.body);

    // DELETE: a stale If-Match is refused, none or a current one removes it.
    let stale_delete = Harness::send(
        h.request(Method::DELETE, &path, Some("alice"))
            .header("if-match", "\"1\""),
    )
    .await;
    assert_problem(&stale_delete, 412, "stale DELETE");
    let removed = Harness::send(
        h.request(Method::DELETE, &path, Some("alice"))
            .header("if-match", "\"2\"")
            .header("x-correlation-id", "paraphrase-remove")
            .json(&json!({ "comment": "said in the scene" })),
    )
    .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    assert_problem(&h.get(&path, "alice").await, 404, "removed paraphrase");
    assert_eq!(
        h.delete(&s.paraphrase(&on_section), "alice").await.status,
        204
    );
    assert_eq!(
        ids(&h, &s.paraphrases(), 25).await,
        [on_character.as_str(), &on_element_again]
    );
    assert_eq!(
        ids(&h, &s.of("element", &s.element), 1).await,
        [on_element_again.as_str()]
    );

    let events = h
        .wait_for_events(
            &format!("aggregateId={on_element}"),
            &["ParaphraseAdded", "ParaphraseUpdated", "ParaphraseRemoved"],
        )
        .await;
    assert_eq!(events.len(), 3);
    let data = |t: &str| {
        events
            .iter()
            .find(|e| e["type"] == t)
            .map(|e| e["data"].clone())
            .unwrap()
    };
    let added = data("ParaphraseAdded");
    assert_eq!(added["targetType"], "element");
    assert_eq!(added["targetId"], s.element.as_str());
    assert_eq!(added["scriptId"], s.script.as_str());
    assert_eq!(added["text"], "She is not fine.");
    assert_eq!(added["revision"], 1);
    assert_eq!(added["comment"], "first reading");
    let changed = data("ParaphraseUpdated");
    assert_eq!(changed["text"], "She is leaving.");
    assert_eq!(changed["commentary"], Value::Null);
    assert_eq!(changed["revision"], 2);
    assert_eq!(changed["comment"], "plainer");
    let gone = data("ParaphraseRemoved");
    assert_eq!(gone["targetId"], s.element.as_str());
    assert_eq!(gone["comment"], "said in the scene");
    let by_request = h
        .wait_for_events("correlationId=paraphrase-remove", &["ParaphraseRemoved"])
        .await;
    assert_eq!(by_request.len(), 1);
}

#[tokio::test]
async fn unknown_targets_and_bad_input_are_refused_and_write_nothing() {
    let h = Harness::start("bad-paraphrases").await;
    let s = scene(&h, "alice", "Refusals").await;
    let kept = s.add(&h, "character", &s.character, "kept").await;
    let (other, _) = h.create_script("alice", "Elsewhere").await;
    let other_section = h
        .post(
            &format!("/scripts/{other}/sections"),
            "alice",
            json!({ "level": "act", "title": "ACT I" }),
        )
        .await;
    let foreign = other_section.body["sectionId"].as_str().unwrap();
    let nowhere = fountain_events::ids::new_id();

    let body = |target_type: &str, id: &str| json!({ "target": { "type": target_type, "id": id }, "text": "x" });
    let refused = [
        (body("character", &nowhere), 400, "unknown character"),
        (body("section", &nowhere), 400, "unknown section"),
        (body("element", &nowhere), 400, "unknown element"),
        (body("section", foreign), 400, "another script's section"),
        (
            body("character", &s.element),
            400,
            "an element named as a character",
        ),
        (body("element", "not-an-id"), 400, "malformed id"),
        (body("scene", &s.section), 422, "unknown target type"),
        (json!({ "text": "x" }), 422, "no target"),
        (
            json!({ "target": { "type": "element" }, "text": "x" }),
            422,
            "target without id",
        ),
        (
            json!({ "target": { "type": "element", "id": s.element }, "text": "  " }),
            422,
            "blank text",
        ),
        (
            json!({ "target": { "type": "element", "id": s.element }, "text": "t".repeat(10_001) }),
            422,
            "text too long",
        ),
        (
            json!({ "target": { "type": "element", "id": s.element }, "text": "x",
                    "commentary": "c".repeat(4001) }),
            422,
            "commentary too long",
        ),
        (
            json!({ "target": { "type": "element", "id": s.element }, "text": "x",
                    "comment": "c".repeat(1001) }),
            422,
            "comment too long",
        ),
        (
            json!({ "target": { "type": "element", "id": s.element }, "text": "x", "mood": "sad" }),
            422,
            "unknown field",
        ),
    ];
    for (body, status, what) in refused {
        let reply = h.post(&s.paraphrases(), "alice", body).await;
        assert_problem(&reply, status, what);
    }
    let unknown = h
        .post(&s.paraphrases(), "alice", body("element", &nowhere))
        .await;
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .contains("unknown target: this script has no element"),
        "{:?}",
        unknown.body
    );
    let long_text = h
        .patch(
            &s.paraphrase(&kept),
            "alice",
            "\"1\"",
            json!({ "text": "t".repeat(10_001) }),
        )
        .await;
    assert_problem(&long_text, 422, "PATCH text too long");
    assert_problem(
        &h.patch(
            &s.paraphrase(&kept),
            "alice",
            "\"1\"",
            json!({ "text": " " }),
        )
        .await,
        422,
        "PATCH blank text",
    );

    let listings = [
        (
            format!("{}?targetType=element", s.paraphrases()),
            "type alone",
        ),
        (
            format!("{}?targetId={}", s.paraphrases(), s.element),
            "id alone",
        ),
        (s.of("scene", &s.section), "unknown type"),
        (format!("{}?limit=0", s.paraphrases()), "limit 0"),
        (
            format!("{}?cursor=garbage", s.paraphrases()),
            "garbage cursor",
        ),
    ];
    for (path, what) in listings {
        assert_problem(&h.get(&path, "alice").await, 400, what);
    }
    // A cursor continues only the listing that returned it.
    s.add(&h, "character", &s.character, "second").await;
    let first_page = h
        .get(
            &format!("{}&limit=1", s.of("character", &s.character)),
            "alice",
        )
        .await;
    let cursor = first_page.body["nextCursor"].as_str().unwrap();
    for path in [
        format!("{}?cursor={cursor}", s.paraphrases()),
        format!("{}&cursor={cursor}", s.of("element", &s.element)),
    ] {
        assert_problem(&h.get(&path, "alice").await, 400, &path);
    }

    // Nothing above was written, and the listings of unknown targets are empty.
    assert_eq!(ids(&h, &s.paraphrases(), 25).await.len(), 2);
    assert!(ids(&h, &s.of("element", &s.element), 25).await.is_empty());
    assert!(ids(&h, &s.of("section", &nowhere), 25).await.is_empty());
    assert!(ids(&h, &s.of("element", "not-an-id"), 25).await.is_empty());
}

#[tokio::test]
async fn deleted_targets_take_no_new_paraphrases_and_keep_their_old_ones() {
    let h = Harness::start("paraphrase-targets").await;
    let s = scene(&h, "alice", "Vanishing").await;
    let of_character = s.add(&h, "character", &s.character, "before").await;
    let of_element = s.add(&h, "element", &s.element, "before").await;

    let character = format!("/scripts/{}/characters/{}", s.script, s.character);
    assert_eq!(h.delete(&character, "alice").await.status, 204);
    let late = h
        .post(
            &s.paraphrases(),
            "alice",
            json!({ "target": { "type": "character", "id": s.character }, "text": "after" }),
        )
        .await;
    assert_problem(&late, 400, "paraphrase of a deleted character");
    assert_eq!(
        ids(&h, &s.of("character", &s.character), 25).await,
        [of_character.as_str()],
        "kept and listed by its target"
    );

    // Removing a section hides its elements: they take no paraphrase either.
    let section = format!("/scripts/{}/sections/{}", s.script, s.section);
    assert_eq!(h.delete(&section, "alice").await.status, 204);
    for (target_type, id) in [("section", &s.section), ("element", &s.element)] {
        let reply = h
            .post(
                &s.paraphrases(),
                "alice",
                json!({ "target": { "type": target_type, "id": id }, "text": "after" }),
            )
            .await;
        assert_problem(&reply, 400, target_type);
    }
    assert_eq!(
        ids(&h, &s.of("element", &s.element), 25).await,
        [of_element.as_str()]
    );
    // A paraphrase of a deleted target is still the writer's to change.
    let changed = h
        .patch(
            &s.paraphrase(&of_element),
            "alice",
            "\"1\"",
            json!({ "commentary": "the scene was cut" }),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(ids(&h, &s.paraphrases(), 25).await.len(), 2);
}

#[tokio::test]
async fn a_target_deleted_between_the_read_and_the_write_refuses_the_write_whole() {
    let h = Harness::start("paraphrase-race").await;
    let s = scene(&h, "alice", "Race").await;
    let table = Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    );
    // A second element in a section of its own, whose section goes while it stays.
    let doomed_section = h
        .post(
            &format!("/scripts/{}/sections", s.script),
            "alice",
            json!({ "level": "scene", "title": "EXT. ROAD - DAY" }),
        )
        .await;
    let doomed_section = doomed_section.body["sectionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let orphan = h
        .post(
            &format!("/scripts/{}/sections/{doomed_section}/elements", s.script),
            "alice",
            json!({ "kind": "action", "text": "The road." }),
        )
        .await;
    let orphan = orphan.body["elementId"].as_str().unwrap().to_owned();

    let found = |target: Target| {
        let table = table.clone();
        let script = s.script.clone();
        async move {
            store::find_target(&table, &script, &target)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let write = |found: fountain_paraphrases::FoundTarget| {
        let table = table.clone();
        async move {
            let now = Utc::now();
            let paraphrase = Paraphrase {
                paraphrase_id: fountain_events::ids::new_id(),
                script_id: found.script_id.clone(),
                target_type: found.target.target_type,
                target_id: found.target.id.clone(),
                text: "written after the target was read".into(),
                commentary: None,
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: None,
            };
            let event = ParaphraseAdded {
                paraphrase_id: paraphrase.paraphrase_id.clone(),
                script_id: paraphrase.script_id.clone(),
                target_type: paraphrase.target_type.as_str().into(),
                target_id: paraphrase.target_id.clone(),
                text: paraphrase.text.clone(),
                commentary: None,
                revision: 1,
                comment: None,
            };
            let envelope = EventEnvelope::new(&event, &EventContext::default()).unwrap();
            store::insert(&table, "alice", &paraphrase, &found, &envelope).await
        }
    };

    // Read while there, deleted, then written: refused as an unknown target.
    let character = found(Target::new(TargetType::Character, &s.character)).await;
    let element = found(Target::new(TargetType::Element, &s.element)).await;
    let section = found(Target::new(TargetType::Section, &s.section)).await;
    let in_doomed_section = found(Target::new(TargetType::Element, &orphan)).await;
    assert_eq!(
        in_doomed_section.section_id.as_deref(),
        Some(doomed_section.as_str())
    );
    for gone in [
        format!("/scripts/{}/characters/{}", s.script, s.character),
        format!("/scripts/{}/elements/{}", s.script, s.element),
        format!("/scripts/{}/sections/{doomed_section}", s.script),
    ] {
        let reply = h.delete(&gone, "alice").await;
        assert_eq!(reply.status, 204, "{gone}: {:?}", reply.body);
    }
    for (what, target) in [
        ("character", character),
        ("element", element),
        ("element of a removed section", in_doomed_section),
    ] {
        let refused = write(target.clone()).await;
        assert!(
            matches!(&refused, Err(WriteError::UnknownTarget(t)) if *t == target.target),
            "{what}: {refused:?}"
        );
    }
    assert!(
        ids(&h, &s.paraphrases(), 25).await.is_empty(),
        "nothing written"
    );

    // The section is still there: the same path writes.
    write(section).await.unwrap();
    assert_eq!(ids(&h, &s.of("section", &s.section), 25).await.len(), 1);
}

#[tokio::test]
async fn viewers_read_editors_write_and_strangers_see_nothing() {
    let h = Harness::start("paraphrase-roles").await;
    let owner = h.account("owner@paraphrases.org").await;
    let viewer = h.verified_account("viewer@paraphrases.org").await;
    let editor = h.verified_account("editor@paraphrases.org").await;
    let s = scene(&h, &owner.user_id, "Shared").await;
    h.join(&owner, &viewer, &s.script, "viewer").await;
    h.join(&owner, &editor, &s.script, "editor").await;
    let new = json!({ "target": { "type": "section", "id": s.section }, "text": "the turn" });

    let by_editor = h
        .call(&editor, Method::POST, &s.paraphrases(), Some(new.clone()))
        .await;
    assert_eq!(by_editor.status, 201, "{:?}", by_editor.body);
    let path = s.paraphrase(by_editor.body["paraphraseId"].as_str().unwrap());

    assert_eq!(
        h.call(&viewer, Method::GET, &s.paraphrases(), None)
            .await
            .status,
        200
    );
    assert_eq!(
        h.call(&viewer, Method::GET, &s.of("section", &s.section), None)
            .await
            .status,
        200
    );
    assert_eq!(h.call(&viewer, Method::GET, &path, None).await.status, 200);
    assert_problem(
        &h.call(&viewer, Method::POST, &s.paraphrases(), Some(new.clone()))
            .await,
        403,
        "viewer creates",
    );
    let viewer_patch = Harness::send(
        h.http
            .patch(h.url(&path))
            .bearer_auth(&viewer.token)
            .header("if-match", "\"1\"")
            .json(&json!({ "text": "mine" })),
    )
    .await;
    assert_problem(&viewer_patch, 403, "viewer updates");
    assert_problem(
        &h.call(&viewer, Method::DELETE, &path, None).await,
        403,
        "viewer deletes",
    );

    for (method, target) in [
        (Method::GET, s.paraphrases()),
        (Method::GET, path.clone()),
        (Method::DELETE, path.clone()),
    ] {
        let reply = Harness::send(h.request(method.clone(), &target, Some("stranger"))).await;
        assert_problem(&reply, 404, &format!("stranger {method} {target}"));
    }
    assert_problem(
        &h.post(&s.paraphrases(), "stranger", new.clone()).await,
        404,
        "stranger creates",
    );

    let edited = Harness::send(
        h.http
            .patch(h.url(&path))
            .bearer_auth(&editor.token)
            .header("if-match", "\"1\"")
            .json(&json!({ "commentary": "why it turns" })),
    )
    .await;
    assert_eq!(edited.status, 200, "{:?}", edited.body);
    assert_eq!(
        h.call(&owner, Method::DELETE, &path, None).await.status,
        204
    );
    let left = h.call(&owner, Method::GET, &s.paraphrases(), None).await;
    assert_eq!(left.body["items"], json!([]));
}
