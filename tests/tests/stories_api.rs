//! Assembled stories: a script read whole in order (sections, their elements, dialogue with
//! its speaker's name), by element range, enriched by a session's context, served from the
//! cache while the script is unchanged and assembled again once an event says it changed,
//! for that script only.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, Reply};
use serde_json::{Value, json};

fn id(reply: &Reply, field: &str) -> String {
    assert!(reply.status == 201, "{:?}", reply.body);
    reply.body[field].as_str().unwrap().to_owned()
}

struct Draft {
    script: String,
    mara: String,
    mara_etag: String,
    kitchen: String,
    garden: String,
}

/// A script with two scenes, a character, and four elements: two in each scene, given out
/// of order so that the story must follow the Central Sequence, not creation.
async fn draft(h: &Harness, title: &str) -> Draft {
    let (script, _) = h.create_script("alice", title).await;
    let section = |title: &str| json!({ "level": "scene", "title": title });
    let kitchen = id(
        &h.post(
            &format!("/scripts/{script}/sections"),
            "alice",
            section("INT. KITCHEN - NIGHT"),
        )
        .await,
        "sectionId",
    );
    let garden = id(
        &h.post(
            &format!("/scripts/{script}/sections"),
            "alice",
            section("EXT. GARDEN - DAWN"),
        )
        .await,
        "sectionId",
    );
    let mara = h
        .post(
            &format!("/scripts/{script}/characters"),
            "alice",
            json!({ "name": "MARA" }),
        )
        .await;
    let mara_etag = mara.header("etag").unwrap().to_owned();
    let mara = id(&mara, "characterId");
    let elements = |section: &str| format!("/scripts/{script}/sections/{section}/elements");
    let line = json!({ "kind": "dialogue", "characterId": mara, "text": "Who left the gate open?", "parenthetical": "(quietly)" });
    id(
        &h.post(&elements(&kitchen), "alice", line).await,
        "elementId",
    );
    let first = json!({ "kind": "action", "text": "Rain on the window.", "position": 1 });
    id(
        &h.post(&elements(&kitchen), "alice", first).await,
        "elementId",
    );
    let cut = json!({ "kind": "transition", "text": "CUT TO:" });
    id(&h.post(&elements(&garden), "alice", cut).await, "elementId");
    let dew = json!({ "kind": "action", "text": "Dew, and footprints.", "position": 1 });
    id(&h.post(&elements(&garden), "alice", dew).await, "elementId");
    Draft {
        script,
        mara,
        mara_etag,
        kitchen,
        garden,
    }
}

fn story_path(script: &str, query: &str) -> String {
    format!("/scripts/{script}/story{query}")
}

fn texts(story: &Value) -> Vec<(u64, String)> {
    story["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["elements"].as_array().unwrap().iter())
        .map(|e| {
            (
                e["sequence"].as_u64().unwrap(),
                e["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_story_is_the_script_in_order_and_is_cached_until_it_changes() {
    let h = Harness::start("stories").await;
    let d = draft(&h, "The Gate").await;
    let other = draft(&h, "Unrelated").await;

    let story = h.get(&story_path(&d.script, ""), "alice").await;
    assert_eq!(story.status, 200, "{:?}", story.body);
    assert_eq!(story.header("x-story-cache"), Some("miss"));
    let body = &story.body;
    assert_eq!(body["title"], "The Gate");
    assert_eq!(body["elementCount"], 4);
    let sections: Vec<&str> = body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sectionId"].as_str().unwrap())
        .collect();
    assert_eq!(sections, [d.kitchen.as_str(), d.garden.as_str()]);
    assert_eq!(
        texts(body),
        [
            (1, "Rain on the window.".to_owned()),
            (2, "Who left the gate open?".to_owned()),
            (3, "Dew, and footprints.".to_owned()),
            (4, "CUT TO:".to_owned()),
        ]
    );
    let line = &body["sections"][0]["elements"][1];
    assert_eq!(line["kind"], "dialogue");
    assert_eq!(line["characterId"], d.mara.as_str());
    assert_eq!(line["characterName"], "MARA");
    assert_eq!(line["parenthetical"], "(quietly)");
    assert_eq!(body["characters"][0]["name"], "MARA");

    // Read again: the cache, with the same build.
    let again = h.get(&story_path(&d.script, ""), "alice").await;
    assert_eq!(again.header("x-story-cache"), Some("hit"));
    assert_eq!(again.body, story.body);
    let unrelated = h.get(&story_path(&other.script, ""), "alice").await;
    assert_eq!(unrelated.header("x-story-cache"), Some("miss"));

    // By range across the whole script: the sections holding those elements only.
    let range = h.get(&story_path(&d.script, "?from=2&to=3"), "alice").await;
    assert_eq!(range.status, 200, "{:?}", range.body);
    assert_eq!(
        texts(&range.body),
        [
            (2, "Who left the gate open?".to_owned()),
            (3, "Dew, and footprints.".to_owned())
        ]
    );
    let tail = h.get(&story_path(&d.script, "?from=4"), "alice").await;
    assert_eq!(texts(&tail.body), [(4, "CUT TO:".to_owned())]);
    assert_eq!(tail.body["sections"].as_array().unwrap().len(), 1);

    // A rename reaches the story within the event latency; the other script's cached
    // story is not rebuilt.
    let renamed = h
        .patch(
            &format!("/scripts/{}/characters/{}", d.script, d.mara),
            "alice",
            &d.mara_etag,
            json!({ "name": "MARAH", "comment": "the spelling she prefers" }),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    let fresh = Harness::eventually(30, "the rename in the story", || async {
        let story = h.get(&story_path(&d.script, ""), "alice").await;
        (story.body["sections"][0]["elements"][1]["characterName"] == "MARAH").then_some(story)
    })
    .await;
    assert_eq!(fresh.header("x-story-cache"), Some("miss"));
    assert!(
        fresh.body["storyRevision"].as_u64().unwrap() > body["storyRevision"].as_u64().unwrap()
    );
    let still = h.get(&story_path(&other.script, ""), "alice").await;
    assert_eq!(still.header("x-story-cache"), Some("hit"));
    assert_eq!(still.body["builtAt"], unrelated.body["builtAt"]);

    // A reorder is seen too.
    let list = h
        .get(
            &format!("/scripts/{}/sections/{}/elements", d.script, d.kitchen),
            "alice",
        )
        .await;
    let ids: Vec<String> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| e["elementId"].as_str().unwrap().to_owned())
        .collect();
    let reordered = Harness::send(
        h.request(
            reqwest::Method::POST,
            &format!(
                "/scripts/{}/sections/{}/elements/reorder",
                d.script, d.kitchen
            ),
            Some("alice"),
        )
        .header("if-match", list.header("etag").unwrap())
        .json(&json!({ "order": ids })),
    )
    .await;
    assert_eq!(reordered.status, 200, "{:?}", reordered.body);
    Harness::eventually(30, "the reorder in the story", || async {
        let story = h.get(&story_path(&d.script, ""), "alice").await;
        (texts(&story.body)[0].1 == "Who left the gate open?").then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_session_enriches_the_story_and_bad_requests_are_refused() {
    let h = Harness::start("stories-context").await;
    let d = draft(&h, "Context").await;
    let other = draft(&h, "Elsewhere").await;
    let session = id(
        &h.post("/sessions", "alice", json!({ "scriptId": d.script }))
            .await,
        "sessionId",
    );
    let context = format!("/sessions/{session}/context");
    let mood = "rainy, tense; \"never\" say it, 🌧\nsecond line";
    id(
        &h.post(&context, "alice", json!({ "key": "mood", "value": mood }))
            .await,
        "entryId",
    );
    id(
        &h.post(
            &context,
            "alice",
            json!({ "key": "secret", "value": "left the gate open, on purpose", "characterId": d.mara }),
        )
        .await,
        "entryId",
    );

    let story = h
        .get(
            &story_path(&d.script, &format!("?sessionId={session}")),
            "alice",
        )
        .await;
    assert_eq!(story.status, 200, "{:?}", story.body);
    assert_eq!(
        story.body["context"],
        json!([{ "key": "mood", "value": mood }])
    );
    assert_eq!(
        story.body["characters"][0]["context"],
        json!([{ "key": "secret", "value": "left the gate open, on purpose" }])
    );
    let plain = h.get(&story_path(&d.script, ""), "alice").await;
    assert_eq!(plain.body.get("context"), None, "no session, no context");
    assert_eq!(plain.body["characters"][0].get("context"), None);

    // Refusals: problem+json, nothing assembled for them.
    for query in ["?from=0", "?from=x", "?to=-1", "?from=3&to=2"] {
        let reply = h.get(&story_path(&d.script, query), "alice").await;
        assert_eq!(reply.status, 400, "{query}: {:?}", reply.body);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
    }
    let elsewhere = h
        .get(
            &story_path(&other.script, &format!("?sessionId={session}")),
            "alice",
        )
        .await;
    assert_eq!(elsewhere.status, 400, "{:?}", elsewhere.body);
    let theirs = h
        .get(
            &story_path(&d.script, &format!("?sessionId={session}")),
            "bob",
        )
        .await;
    assert_eq!(theirs.status, 404, "a stranger sees no script");
    let unknown = h
        .get(
            &story_path(&d.script, "?sessionId=01JCX5NOSESSION0000000000"),
            "alice",
        )
        .await;
    assert_eq!(unknown.status, 404, "{:?}", unknown.body);
    let missing = h
        .get(&story_path("01JCX5NOSCRIPT00000000000", ""), "alice")
        .await;
    assert_eq!(missing.status, 404);
}
