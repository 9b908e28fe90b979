//! Sessions and their context: start (bound to a script or not), read, list mine newest first
//! by state across pages, end (once; again returns it unchanged); context entries for the whole
//! session or one character of its script, values kept exactly, keys unique per scope, If-Match,
//! the entry limit, owner-only access, ended sessions refusing changes, bad input, races with
//! the transaction's checks, and the three events with their comments.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use fountain_e2e::{ADMIN, Harness, Reply};
use fountain_events::catalog::ContextUpdated;
use fountain_events::ids::new_id;
use fountain_events::{EventContext, EventEnvelope};
use fountain_sessions::store::{self, WriteError};
use fountain_sessions::{ContextEntry, MAX_ENTRIES, MAX_VALUE_CHARS, Session};
use fountain_store::{AttributeValue, Table, keys};
use reqwest::Method;
use serde_json::{Value, json};

/// Commas, quotes of both kinds, newlines of both kinds, tabs, backslashes, emoji (one a
/// joined sequence), combining marks, right-to-left text and leading and trailing spaces.
const AWKWARD: &str = "  She said, \"no, not now\",\nthen 'maybe'\r\n\ttabbed, a\\b, 🙂👩‍👩‍👧, \
                       e\u{301}, שלום, 日本語;key=value  ";

fn assert_problem(reply: &Reply, status: u16, what: &str) {
    assert_eq!(reply.status, status, "{what}: {:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "{what}"
    );
    assert_eq!(reply.body["status"], status, "{what}");
    assert!(
        reply.body["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:fountainai:problem:"),
        "{what}"
    );
    assert!(!reply.body["detail"].as_str().unwrap().is_empty(), "{what}");
}

fn id(reply: &Reply, field: &str) -> String {
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body[field].as_str().unwrap().to_owned()
}

fn context(session: &str) -> String {
    format!("/sessions/{session}/context")
}

fn entry_path(session: &str, entry: &str) -> String {
    format!("/sessions/{session}/context/{entry}")
}

async fn start(h: &Harness, user: &str, body: Value) -> String {
    id(&h.post("/sessions", user, body).await, "sessionId")
}

async fn add(h: &Harness, user: &str, session: &str, body: Value) -> String {
    id(&h.post(&context(session), user, body).await, "entryId")
}

/// A script of `user` with two characters.
async fn script_with_cast(h: &Harness, user: &str, title: &str) -> (String, String, String) {
    let (script, _) = h.create_script(user, title).await;
    let character = |name: &'static str| {
        let script = script.clone();
        async move {
            id(
                &h.post(
                    &format!("/scripts/{script}/characters"),
                    user,
                    json!({ "name": name }),
                )
                .await,
                "characterId",
            )
        }
    };
    let mara = character("MARA").await;
    let ben = character("BEN").await;
    (script, mara, ben)
}

/// Every item of a listing, read `limit` at a time through its cursors.
async fn all(h: &Harness, user: &str, listing: &str, limit: usize) -> Vec<Value> {
    let separator = if listing.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("{listing}{separator}limit={limit}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = h.get(&path, user).await;
        assert_eq!(page.status, 200, "{path}: {:?}", page.body);
        let got = page.body["items"].as_array().unwrap();
        assert!(got.len() <= limit);
        items.extend(got.iter().cloned());
        match page.body["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

async fn ids(h: &Harness, user: &str, listing: &str, limit: usize, field: &str) -> Vec<String> {
    all(h, user, listing, limit)
        .await
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

fn table(h: &Harness) -> Table {
    Table::new(
        aws_sdk_dynamodb::Client::new(&h.stack.sdk),
        h.stack.table_name("AppTable").unwrap(),
    )
}

async fn stored_session(h: &Harness, owner: &str, session: &str) -> Session {
    store::load_session(&table(h), owner, session)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn sessions_are_started_read_listed_newest_first_by_state_and_ended_once() {
    let h = Harness::start("sessions").await;
    let (script, _, _) = script_with_cast(&h, "alice", "Sessions").await;

    let started = Harness::send(
        h.request(Method::POST, "/sessions", Some("alice"))
            .header("x-correlation-id", "session-start")
            .json(&json!({ "scriptId": script, "title": "  Act two, again  ", "comment": "tighten the middle" })),
    )
    .await;
    assert_eq!(started.status, 201, "{:?}", started.body);
    let bound = started.body["sessionId"].as_str().unwrap().to_owned();
    assert_eq!(
        started.header("location"),
        Some(format!("/sessions/{bound}").as_str())
    );
    assert_eq!(started.header("etag"), Some("\"1\""));
    assert_eq!(started.body["ownerId"], "alice");
    assert_eq!(started.body["scriptId"], script.as_str());
    assert_eq!(started.body["title"], "Act two, again", "trimmed");
    assert_eq!(started.body["state"], "active");
    assert_eq!(started.body["revision"], 1);
    assert_eq!(started.body["entryCount"], 0);
    assert_eq!(started.body["endedAt"], Value::Null);
    assert_eq!(started.body["comment"], "tighten the middle");

    let got = h.get(&format!("/sessions/{bound}"), "alice").await;
    assert_eq!(got.status, 200, "{:?}", got.body);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.body, started.body);

    // Without a script or a body's optional fields; and a few more to page through.
    let free = start(&h, "alice", json!({})).await;
    let free_body = h.get(&format!("/sessions/{free}"), "alice").await.body;
    assert_eq!(free_body["scriptId"], Value::Null);
    assert_eq!(free_body["title"], Value::Null);
    let third = start(&h, "alice", json!({ "title": "third" })).await;
    let fourth = start(&h, "alice", json!({ "title": "fourth" })).await;
    let newest_first = [fourth.as_str(), &third, &free, &bound];
    for limit in [1, 3, 25] {
        assert_eq!(
            ids(&h, "alice", "/sessions", limit, "sessionId").await,
            newest_first,
            "limit {limit}"
        );
    }

    // End: 200 with the ended session, its context frozen; a second end returns it unchanged.
    let ended = Harness::send(
        h.request(
            Method::POST,
            &format!("/sessions/{bound}/end"),
            Some("alice"),
        )
        .header("x-correlation-id", "session-end")
        .json(&json!({ "comment": "done for today" })),
    )
    .await;
    assert_eq!(ended.status, 200, "{:?}", ended.body);
    assert_eq!(ended.header("etag"), Some("\"2\""));
    assert_eq!(ended.body["state"], "ended");
    assert_eq!(ended.body["revision"], 2);
    assert_eq!(ended.body["comment"], "done for today");
    assert!(ended.body["endedAt"].is_string());
    assert_eq!(ended.body["createdAt"], started.body["createdAt"]);
    let again = h
        .post(
            &format!("/sessions/{bound}/end"),
            "alice",
            json!({ "comment": "twice" }),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    assert_eq!(again.body, ended.body, "unchanged");
    assert_eq!(
        h.get(&format!("/sessions/{bound}"), "alice").await.body,
        ended.body
    );
    // An end with no body at all.
    let bare = Harness::send(h.request(
        Method::POST,
        &format!("/sessions/{third}/end"),
        Some("alice"),
    ))
    .await;
    assert_eq!(bare.status, 200, "{:?}", bare.body);
    assert_eq!(bare.body["comment"], Value::Null);

    for limit in [1, 25] {
        assert_eq!(
            ids(&h, "alice", "/sessions?state=active", limit, "sessionId").await,
            [fourth.as_str(), &free],
            "limit {limit}"
        );
        assert_eq!(
            ids(&h, "alice", "/sessions?state=ended", limit, "sessionId").await,
            [third.as_str(), &bound],
            "limit {limit}"
        );
    }
    assert_eq!(
        ids(&h, "alice", "/sessions", 2, "sessionId").await,
        newest_first
    );
    let stored = stored_session(&h, "alice", &bound).await;
    assert_eq!(serde_json::to_value(&stored).unwrap(), ended.body);

    let events = h
        .wait_for_events(
            &format!("aggregateId={bound}"),
            &["SessionStarted", "SessionEnded"],
        )
        .await;
    assert_eq!(events.len(), 2, "one end, one event: {events:#?}");
    let data = |t: &str| events.iter().find(|e| e["type"] == t).unwrap().clone();
    let start_event = data("SessionStarted");
    assert_eq!(start_event["source"], "fountain.sessions");
    assert_eq!(start_event["aggregateType"], "Session");
    assert_eq!(start_event["actor"], "alice");
    assert_eq!(start_event["correlationId"], "session-start");
    assert_eq!(start_event["data"]["scriptId"], script.as_str());
    assert_eq!(start_event["data"]["ownerId"], "alice");
    assert_eq!(start_event["data"]["title"], "Act two, again");
    assert_eq!(start_event["data"]["comment"], "tighten the middle");
    let end_event = data("SessionEnded");
    assert_eq!(end_event["correlationId"], "session-end");
    assert_eq!(end_event["data"]["revision"], 2);
    assert_eq!(end_event["data"]["comment"], "done for today");
}

#[tokio::test]
async fn context_values_round_trip_exactly_and_keys_are_unique_per_scope() {
    let h = Harness::start("session-context").await;
    let (script, mara, ben) = script_with_cast(&h, "alice", "Context").await;
    let session = start(&h, "alice", json!({ "scriptId": script })).await;

    let created = Harness::send(
        h.request(Method::POST, &context(&session), Some("alice"))
            .header("x-correlation-id", "context-add")
            .json(&json!({ "key": " Mood ", "value": AWKWARD, "comment": "how the day feels" })),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let mood = created.body["entryId"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        Some(entry_path(&session, &mood).as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body["sessionId"], session.as_str());
    assert_eq!(created.body["characterId"], Value::Null);
    assert_eq!(created.body["key"], "Mood", "keys are trimmed");
    assert_eq!(created.body["value"], AWKWARD, "values are not");
    assert_eq!(created.body["revision"], 1);
    assert_eq!(created.body["comment"], "how the day feels");

    // Exactly as sent: read back, listed, and as stored.
    let got = h.get(&entry_path(&session, &mood), "alice").await;
    assert_eq!(got.status, 200, "{:?}", got.body);
    assert_eq!(got.header("etag"), Some("\"1\""));
    assert_eq!(got.body, created.body);
    let stored = table(&h)
        .get(&keys::session(&session), &keys::context(&mood))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored["value"], AttributeValue::S(AWKWARD.to_owned()));
    // JSON escapes in the request decode to the same characters.
    let escaped = Harness::send(
        h.request(Method::POST, &context(&session), Some("alice"))
            .header("content-type", "application/json")
            .body(r#"{"key":"escaped","value":"a,\"b\"\n\ud83d\ude42\u00e9\t,"}"#),
    )
    .await;
    assert_eq!(escaped.status, 201, "{:?}", escaped.body);
    assert_eq!(escaped.body["value"], "a,\"b\"\n🙂é\t,");
    // The longest value, of four-byte characters, fits.
    let longest = "🙂".repeat(MAX_VALUE_CHARS);
    let long = add(
        &h,
        "alice",
        &session,
        json!({ "key": "longest", "value": longest }),
    )
    .await;
    assert_eq!(
        h.get(&entry_path(&session, &long), "alice").await.body["value"],
        longest.as_str()
    );

    // A key is unique in its scope ignoring case and spaces; other scopes have their own.
    let duplicate = h
        .post(
            &context(&session),
            "alice",
            json!({ "key": "MOOD  ", "value": "x" }),
        )
        .await;
    assert_problem(&duplicate, 409, "duplicate key");
    assert!(duplicate.body["detail"].as_str().unwrap().contains("MOOD"));
    let maras = add(
        &h,
        "alice",
        &session,
        json!({ "key": "mood", "value": "guarded, tired", "characterId": mara, "comment": "hers" }),
    )
    .await;
    let bens = add(
        &h,
        "alice",
        &session,
        json!({ "key": "Mood", "value": "cheerful", "characterId": ben }),
    )
    .await;
    assert_problem(
        &h.post(
            &context(&session),
            "alice",
            json!({ "key": "MOOD", "value": "x", "characterId": mara }),
        )
        .await,
        409,
        "duplicate key of a character",
    );
    let maras_goal = add(
        &h,
        "alice",
        &session,
        json!({ "key": "goal", "value": "leave, quietly", "characterId": mara }),
    )
    .await;

    // Listings: every entry in creation order on every page size, or one character's.
    let every = [
        mood.as_str(),
        escaped.body["entryId"].as_str().unwrap(),
        &long,
        &maras,
        &bens,
        &maras_goal,
    ];
    for limit in [1, 4, 25] {
        assert_eq!(
            ids(&h, "alice", &context(&session), limit, "entryId").await,
            every,
            "limit {limit}"
        );
        assert_eq!(
            ids(
                &h,
                "alice",
                &format!("{}?characterId={mara}", context(&session)),
                limit,
                "entryId"
            )
            .await,
            [maras.as_str(), &maras_goal],
            "limit {limit}"
        );
    }
    let listed = all(&h, "alice", &context(&session), 25).await;
    assert_eq!(listed[0]["value"], AWKWARD);
    assert_eq!(
        ids(
            &h,
            "alice",
            &format!("{}?characterId={ben}", context(&session)),
            25,
            "entryId"
        )
        .await,
        [bens.as_str()]
    );
    for nobody in [new_id(), "not-an-id".to_owned()] {
        assert!(
            all(
                &h,
                "alice",
                &format!("{}?characterId={nobody}", context(&session)),
                25
            )
            .await
            .is_empty()
        );
    }
    assert_eq!(stored_session(&h, "alice", &session).await.entry_count, 6);
    assert_eq!(
        h.get(&format!("/sessions/{session}"), "alice").await.body["entryCount"],
        6
    );

    // PATCH: If-Match required and current; the value is replaced exactly, the key may change.
    let path = entry_path(&session, &mood);
    let unconditional = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .json(&json!({ "value": "x" })),
    )
    .await;
    assert_problem(&unconditional, 428, "PATCH without If-Match");
    let updated = Harness::send(
        h.request(Method::PATCH, &path, Some("alice"))
            .header("if-match", "\"1\"")
            .header("x-correlation-id", "context-update")
            .json(&json!({ "key": "Tone", "value": "dry,\nwry, \"light\" ✨", "comment": "better word" })),
    )
    .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.header("etag"), Some("\"2\""));
    assert_eq!(updated.body["key"], "Tone");
    assert_eq!(updated.body["value"], "dry,\nwry, \"light\" ✨");
    assert_eq!(updated.body["revision"], 2);
    assert_eq!(updated.body["comment"], "better word");
    assert_eq!(h.get(&path, "alice").await.body, updated.body);
    assert_problem(
        &h.patch(&path, "alice", "\"1\"", json!({ "value": "stale" }))
            .await,
        412,
        "stale PATCH",
    );
    // The old key is free again, the new one taken; a change of case only keeps its key.
    let reused = add(
        &h,
        "alice",
        &session,
        json!({ "key": "mood", "value": "new" }),
    )
    .await;
    assert_problem(
        &h.patch(&path, "alice", "\"2\"", json!({ "key": "MOOD" }))
            .await,
        409,
        "renamed onto a taken key",
    );
    let recased = h
        .patch(&path, "alice", "\"2\"", json!({ "key": "TONE" }))
        .await;
    assert_eq!(recased.status, 200, "{:?}", recased.body);
    assert_eq!(recased.body["key"], "TONE");
    assert_eq!(recased.body["value"], "dry,\nwry, \"light\" ✨", "kept");
    assert_problem(
        &h.post(
            &context(&session),
            "alice",
            json!({ "key": "tone", "value": "x" }),
        )
        .await,
        409,
        "the recased key is still reserved",
    );
    let rescope = h
        .patch(&path, "alice", "\"3\"", json!({ "characterId": mara }))
        .await;
    assert_problem(&rescope, 422, "PATCH of the scope");
    assert_eq!(rescope.body["errors"][0]["field"], "characterId");

    // DELETE: a stale If-Match is refused; none or a current one removes it and frees its key.
    let stale_delete = Harness::send(
        h.request(Method::DELETE, &path, Some("alice"))
            .header("if-match", "\"1\""),
    )
    .await;
    assert_problem(&stale_delete, 412, "stale DELETE");
    let removed = Harness::send(
        h.request(Method::DELETE, &path, Some("alice"))
            .header("if-match", "\"3\"")
            .header("x-correlation-id", "context-remove")
            .json(&json!({ "comment": "not needed" })),
    )
    .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    assert_problem(&h.get(&path, "alice").await, 404, "removed entry");
    assert_problem(&h.delete(&path, "alice").await, 404, "removed twice");
    add(
        &h,
        "alice",
        &session,
        json!({ "key": "tone", "value": "free again" }),
    )
    .await;
    assert_eq!(
        h.delete(&entry_path(&session, &reused), "alice")
            .await
            .status,
        204
    );
    assert_eq!(stored_session(&h, "alice", &session).await.entry_count, 6);

    let events = h
        .wait_for_events("correlationId=context-remove", &["ContextUpdated"])
        .await;
    assert_eq!(events.len(), 1);
    let removed_event = &events[0]["data"];
    assert_eq!(removed_event["operation"], "removed");
    assert_eq!(removed_event["entryId"], mood.as_str());
    assert_eq!(removed_event["key"], "TONE");
    assert_eq!(removed_event["value"], Value::Null);
    assert_eq!(removed_event["revision"], 3);
    assert_eq!(removed_event["comment"], "not needed");
    let added = h
        .wait_for_events("correlationId=context-add", &["ContextUpdated"])
        .await;
    assert_eq!(added[0]["aggregateId"], session.as_str());
    assert_eq!(added[0]["aggregateType"], "Session");
    let added = &added[0]["data"];
    assert_eq!(added["operation"], "added");
    assert_eq!(added["key"], "Mood");
    assert_eq!(
        added["value"], AWKWARD,
        "the event carries the value exactly"
    );
    assert_eq!(added["scriptId"], script.as_str());
    assert_eq!(added["characterId"], Value::Null);
    assert_eq!(added["previousKey"], Value::Null);
    assert_eq!(added["comment"], "how the day feels");
    let changed = h
        .wait_for_events("correlationId=context-update", &["ContextUpdated"])
        .await;
    let changed = &changed[0]["data"];
    assert_eq!(changed["operation"], "updated");
    assert_eq!(changed["key"], "Tone");
    assert_eq!(changed["previousKey"], "Mood");
    assert_eq!(changed["value"], "dry,\nwry, \"light\" ✨");
    assert_eq!(changed["revision"], 2);
    assert_eq!(changed["comment"], "better word");
    // Every change of the session is under its id: 1 start, 8 adds, 2 updates, 2 removes
    // (the refused requests sent none).
    let history = Harness::eventually(30, "the session's 13 events", || async {
        let reply = h
            .get(&format!("/events?aggregateId={session}&limit=100"), ADMIN)
            .await;
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        (items.len() >= 13).then_some(items)
    })
    .await;
    assert_eq!(history.len(), 13);
    let operations: Vec<&str> = history
        .iter()
        .filter_map(|e| e["data"]["operation"].as_str())
        .collect();
    assert_eq!(operations.iter().filter(|o| **o == "added").count(), 8);
    assert_eq!(operations.iter().filter(|o| **o == "updated").count(), 2);
    assert_eq!(operations.iter().filter(|o| **o == "removed").count(), 2);
    let scoped = history
        .iter()
        .find(|e| e["data"]["entryId"] == maras.as_str())
        .unwrap();
    assert_eq!(scoped["data"]["characterId"], mara.as_str());
    assert_eq!(scoped["data"]["comment"], "hers");
}

#[tokio::test]
async fn a_character_scope_names_a_character_of_the_sessions_script_visible_to_its_owner() {
    let h = Harness::start("session-characters").await;
    let owner = h.account("owner@sessions.org").await;
    let viewer = h.verified_account("viewer@sessions.org").await;
    let (script, mara, ben) = script_with_cast(&h, &owner.user_id, "Cast").await;
    let (elsewhere, stranger_character, _) =
        script_with_cast(&h, &owner.user_id, "Elsewhere").await;
    h.join(&owner, &viewer, &script, "viewer").await;

    // A viewer may bind a session to the script; nobody may bind one to a script they
    // cannot see.
    let bound = h
        .call(
            &viewer,
            Method::POST,
            "/sessions",
            Some(json!({ "scriptId": script })),
        )
        .await;
    let session = id(&bound, "sessionId");
    for (script_id, what) in [
        (elsewhere.as_str(), "a script of someone else"),
        ("01JCX3ZK0M5V6Q7R8S9T0W1X2Y", "no such script"),
        ("not-an-id", "malformed script id"),
        (&"x".repeat(2000), "an overlong script id"),
    ] {
        let refused = h
            .call(
                &viewer,
                Method::POST,
                "/sessions",
                Some(json!({ "scriptId": script_id })),
            )
            .await;
        assert_problem(&refused, 404, what);
    }
    let free = id(
        &h.call(&viewer, Method::POST, "/sessions", Some(json!({})))
            .await,
        "sessionId",
    );

    let scoped =
        |character_id: &str| json!({ "key": "mood", "value": "x", "characterId": character_id });
    let refusals = [
        (
            session.clone(),
            scoped(&stranger_character),
            "a character of another script",
        ),
        (session.clone(), scoped(&new_id()), "an unknown character"),
        (
            session.clone(),
            scoped("not-an-id"),
            "a malformed character id",
        ),
        (session.clone(), scoped(&script), "the script's own id"),
        (free.clone(), scoped(&mara), "a session bound to no script"),
    ];
    for (target, body, what) in refusals {
        let reply = h
            .call(&viewer, Method::POST, &context(&target), Some(body))
            .await;
        assert_problem(&reply, 400, what);
    }
    let ok = h
        .call(
            &viewer,
            Method::POST,
            &context(&session),
            Some(scoped(&mara)),
        )
        .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);

    // A character deleted since takes no new entries; its entries stay.
    let ben_path = format!("/scripts/{script}/characters/{ben}");
    assert_eq!(
        h.call(&owner, Method::DELETE, &ben_path, None).await.status,
        204
    );
    assert_problem(
        &h.call(
            &viewer,
            Method::POST,
            &context(&session),
            Some(scoped(&ben)),
        )
        .await,
        400,
        "a deleted character",
    );

    // Removed from the script, the viewer keeps the session and its session-wide context,
    // but can scope nothing to the script's characters any more.
    let removed = h
        .call(
            &owner,
            Method::DELETE,
            &format!("/scripts/{script}/members/{}", viewer.user_id),
            None,
        )
        .await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    let after = json!({ "key": "goal", "value": "x", "characterId": mara });
    let refused = h
        .call(&viewer, Method::POST, &context(&session), Some(after))
        .await;
    assert_problem(&refused, 400, "a character of a script no longer visible");
    let whole = h
        .call(
            &viewer,
            Method::POST,
            &context(&session),
            Some(json!({ "key": "goal", "value": "x" })),
        )
        .await;
    assert_eq!(whole.status, 201, "{:?}", whole.body);

    // Nothing refused was written.
    let listed = h.call(&viewer, Method::GET, &context(&session), None).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let free_listed = h.call(&viewer, Method::GET, &context(&free), None).await;
    assert_eq!(free_listed.body["items"], json!([]));
    assert_eq!(
        stored_session(&h, &viewer.user_id, &session)
            .await
            .entry_count,
        2
    );
}

#[tokio::test]
async fn only_the_owner_sees_or_changes_a_session_and_its_context() {
    let h = Harness::start("session-owner").await;
    let session = start(&h, "alice", json!({ "title": "mine" })).await;
    let entry = add(&h, "alice", &session, json!({ "key": "k", "value": "v" })).await;
    let bobs = start(&h, "bob", json!({ "title": "his" })).await;

    let s = format!("/sessions/{session}");
    let e = entry_path(&session, &entry);
    let attempts = [
        (Method::GET, s.clone(), None),
        (Method::POST, format!("{s}/end"), None),
        (Method::GET, context(&session), None),
        (
            Method::POST,
            context(&session),
            Some(json!({ "key": "bob", "value": "was here" })),
        ),
        (Method::GET, e.clone(), None),
        (Method::PATCH, e.clone(), Some(json!({ "value": "bob's" }))),
        (Method::DELETE, e.clone(), None),
    ];
    for (method, path, body) in attempts {
        let mut request = h
            .request(method.clone(), &path, Some("bob"))
            .header("if-match", "*");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply = Harness::send(request).await;
        assert_problem(&reply, 404, &format!("bob {method} {path}"));
        assert!(
            reply.body["detail"].as_str().unwrap().contains("session"),
            "{:?}",
            reply.body
        );
    }
    // Bob's own session does not open alice's entries either.
    assert_problem(
        &h.get(&entry_path(&bobs, &entry), "bob").await,
        404,
        "alice's entry under bob's session",
    );
    assert_eq!(
        ids(&h, "bob", "/sessions", 25, "sessionId").await,
        [bobs.as_str()]
    );
    assert_eq!(
        ids(&h, "alice", "/sessions", 25, "sessionId").await,
        [session.as_str()]
    );
    // Nothing of alice's changed.
    let mine = h.get(&s, "alice").await;
    assert_eq!(mine.body["state"], "active");
    assert_eq!(mine.body["entryCount"], 1);
    let kept = h.get(&e, "alice").await;
    assert_eq!(
        (kept.body["value"].as_str(), kept.body["revision"].as_u64()),
        (Some("v"), Some(1))
    );
}

#[tokio::test]
async fn an_ended_session_keeps_its_context_readable_and_refuses_every_change() {
    let h = Harness::start("session-ended").await;
    let (script, mara, _) = script_with_cast(&h, "alice", "Ended").await;
    let session = start(&h, "alice", json!({ "scriptId": script })).await;
    let entry = add(
        &h,
        "alice",
        &session,
        json!({ "key": "k", "value": "v, w" }),
    )
    .await;
    assert_eq!(
        h.post(&format!("/sessions/{session}/end"), "alice", json!({}))
            .await
            .status,
        200
    );
    let path = entry_path(&session, &entry);
    for (reply, what) in [
        (
            h.post(
                &context(&session),
                "alice",
                json!({ "key": "new", "value": "x" }),
            )
            .await,
            "add",
        ),
        (
            h.post(
                &context(&session),
                "alice",
                json!({ "key": "new", "value": "x", "characterId": mara }),
            )
            .await,
            "add for a character",
        ),
        (
            h.patch(&path, "alice", "\"1\"", json!({ "value": "x" }))
                .await,
            "update",
        ),
        (h.delete(&path, "alice").await, "delete"),
    ] {
        assert_problem(&reply, 409, what);
        assert!(
            reply.body["detail"].as_str().unwrap().contains("ended"),
            "{what}: {:?}",
            reply.body
        );
    }
    let kept = h.get(&path, "alice").await;
    assert_eq!(kept.status, 200);
    assert_eq!(kept.body["value"], "v, w");
    assert_eq!(all(&h, "alice", &context(&session), 25).await.len(), 1);
    assert_eq!(stored_session(&h, "alice", &session).await.entry_count, 1);
}

#[tokio::test]
async fn a_session_holds_a_bounded_number_of_entries() {
    let h = Harness::start("session-limit").await;
    let session = start(&h, "alice", json!({})).await;
    let first = add(
        &h,
        "alice",
        &session,
        json!({ "key": "first", "value": "v" }),
    )
    .await;
    // Fill the count up to one below the limit without writing hundreds of entries.
    table(&h)
        .client
        .update_item()
        .table_name(h.stack.table_name("AppTable").unwrap())
        .key("pk", AttributeValue::S(keys::user("alice")))
        .key("sk", AttributeValue::S(keys::session(&session)))
        .update_expression("SET entryCount = :n")
        .expression_attribute_values(":n", AttributeValue::N((MAX_ENTRIES - 1).to_string()))
        .send()
        .await
        .unwrap();
    add(
        &h,
        "alice",
        &session,
        json!({ "key": "last", "value": "v" }),
    )
    .await;
    let full = h
        .post(
            &context(&session),
            "alice",
            json!({ "key": "one too many", "value": "v" }),
        )
        .await;
    assert_problem(&full, 409, "a full session");
    assert!(full.body["detail"].as_str().unwrap().contains("500"));
    assert_eq!(
        h.delete(&entry_path(&session, &first), "alice")
            .await
            .status,
        204
    );
    add(
        &h,
        "alice",
        &session,
        json!({ "key": "one too many", "value": "v" }),
    )
    .await;
    assert_eq!(
        stored_session(&h, "alice", &session).await.entry_count,
        MAX_ENTRIES
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_problem_json_and_writes_nothing() {
    let h = Harness::start("session-bad-input").await;
    let session = start(&h, "alice", json!({})).await;
    let entry = add(&h, "alice", &session, json!({ "key": "k", "value": "v" })).await;
    let ctx = context(&session);

    let start_refusals = [
        (json!({ "title": " " }), "title", "blank title"),
        (
            json!({ "title": "t".repeat(201) }),
            "title",
            "title too long",
        ),
        (
            json!({ "comment": "c".repeat(1001) }),
            "comment",
            "comment too long",
        ),
        (json!({ "scriptId": 7 }), "scriptId", "mistyped script id"),
        (json!({ "mood": "sad" }), "mood", "unknown field"),
    ];
    for (body, field, what) in start_refusals {
        let reply = h.post("/sessions", "alice", body).await;
        assert_problem(&reply, 422, what);
        assert_eq!(reply.body["errors"][0]["field"], field, "{what}");
    }
    let entry_refusals = [
        (json!({ "value": "v" }), "key", "no key"),
        (json!({ "key": "k2" }), "value", "no value"),
        (json!({ "key": "  ", "value": "v" }), "key", "blank key"),
        (
            json!({ "key": "a\nb", "value": "v" }),
            "key",
            "a key with a newline",
        ),
        (
            json!({ "key": "k".repeat(201), "value": "v" }),
            "key",
            "key too long",
        ),
        (json!({ "key": "k2", "value": "" }), "value", "empty value"),
        (
            json!({ "key": "k2", "value": "v".repeat(MAX_VALUE_CHARS + 1) }),
            "value",
            "value too long",
        ),
        (
            json!({ "key": "k2", "value": 5 }),
            "value",
            "a number as value",
        ),
        (
            json!({ "key": "k2", "value": ["a", "b"] }),
            "value",
            "a list as value",
        ),
        (
            json!({ "key": "k2", "value": "v", "comment": "c".repeat(1001) }),
            "comment",
            "comment too long",
        ),
        (
            json!({ "key": "k2", "value": "v", "scope": "x" }),
            "scope",
            "unknown field",
        ),
    ];
    for (body, field, what) in entry_refusals {
        let reply = h.post(&ctx, "alice", body).await;
        assert_problem(&reply, 422, what);
        assert_eq!(reply.body["errors"][0]["field"], field, "{what}");
    }
    let path = entry_path(&session, &entry);
    for (body, field, what) in [
        (json!({ "key": "" }), "key", "PATCH blank key"),
        (json!({ "value": "" }), "value", "PATCH empty value"),
        (
            json!({ "value": "v".repeat(MAX_VALUE_CHARS + 1) }),
            "value",
            "PATCH value too long",
        ),
        (
            json!({ "characterId": new_id() }),
            "characterId",
            "PATCH of the scope",
        ),
    ] {
        let reply = h.patch(&path, "alice", "\"1\"", body).await;
        assert_problem(&reply, 422, what);
        assert_eq!(reply.body["errors"][0]["field"], field, "{what}");
    }
    assert_problem(
        &h.patch(&path, "alice", "not-an-etag", json!({ "value": "x" }))
            .await,
        412,
        "a foreign ETag",
    );

    let raw = |method: Method, path: &str, content_type: &'static str, body: String| {
        h.request(method, path, Some("alice"))
            .header("content-type", content_type)
            .body(body)
    };
    for (method, target) in [
        (Method::POST, "/sessions".to_owned()),
        (Method::POST, ctx.clone()),
        (Method::POST, format!("/sessions/{session}/end")),
    ] {
        let what = format!("{method} {target}");
        assert_problem(
            &Harness::send(raw(
                method.clone(),
                &target,
                "application/json",
                "{\"comment\": ".into(),
            ))
            .await,
            400,
            &what,
        );
        assert_problem(
            &Harness::send(raw(
                method.clone(),
                &target,
                "text/plain",
                "{\"key\":\"k\"}".into(),
            ))
            .await,
            415,
            &what,
        );
        let huge = format!("{{\"key\":\"k\",\"value\":\"{}\"}}", "v".repeat(70 * 1024));
        assert_problem(
            &Harness::send(raw(method.clone(), &target, "application/json", huge)).await,
            413,
            &what,
        );
    }

    // Listings: a bad state, limit or cursor is 400; a cursor continues only its own listing.
    for _ in 0..2 {
        start(&h, "alice", json!({})).await;
        add(
            &h,
            "alice",
            &session,
            json!({ "key": new_id(), "value": "v", }),
        )
        .await;
    }
    let cursor_of = |path: String| {
        let h = &h;
        async move {
            let page = h.get(&path, "alice").await;
            assert_eq!(page.status, 200, "{path}: {:?}", page.body);
            page.body["nextCursor"].as_str().unwrap().to_owned()
        }
    };
    let all_sessions = cursor_of("/sessions?limit=1".into()).await;
    let active_sessions = cursor_of("/sessions?state=active&limit=1".into()).await;
    let all_context = cursor_of(format!("{ctx}?limit=1")).await;
    let other_session = start(&h, "alice", json!({})).await;
    let bad_listings = [
        "/sessions?state=open".to_owned(),
        "/sessions?state=".to_owned(),
        "/sessions?limit=0".to_owned(),
        "/sessions?limit=1001".to_owned(),
        "/sessions?cursor=garbage".to_owned(),
        format!("/sessions?state=ended&cursor={active_sessions}"),
        format!("/sessions?state=active&cursor={all_sessions}"),
        format!("/sessions?cursor={active_sessions}"),
        format!("/sessions?cursor={all_context}"),
        format!("{ctx}?limit=0"),
        format!("{ctx}?cursor=garbage"),
        format!("{ctx}?cursor={all_sessions}"),
        format!("{}?cursor={all_context}", context(&other_session)),
        format!("{ctx}?characterId={}&cursor={all_context}", new_id()),
    ];
    for path in bad_listings {
        assert_problem(&h.get(&path, "alice").await, 400, &path);
    }
    // Another user's cursor of the same listing continues nothing of theirs.
    assert_problem(
        &h.get(&format!("/sessions?cursor={all_sessions}"), "bob")
            .await,
        400,
        "alice's cursor used by bob",
    );

    // Ids that are not ids find nothing.
    for path in [
        "/sessions/not-an-id".to_owned(),
        format!("/sessions/{}", "x".repeat(2000)),
        format!("/sessions/{session}/context/not-an-id"),
        format!("/sessions/{session}/context/{}", "x".repeat(2000)),
        format!("/sessions/{}/context", new_id()),
    ] {
        assert_problem(&h.get(&path, "alice").await, 404, &path);
    }

    // Nothing refused was written.
    assert_eq!(all(&h, "alice", &ctx, 25).await.len(), 3);
    assert_eq!(
        ids(&h, "alice", "/sessions", 25, "sessionId").await.len(),
        4
    );
    let kept = h.get(&path, "alice").await;
    assert_eq!(
        (kept.body["value"].as_str(), kept.body["revision"].as_u64()),
        (Some("v"), Some(1))
    );
}

#[tokio::test]
async fn a_change_of_the_session_or_character_between_the_read_and_the_write_refuses_it_whole() {
    let h = Harness::start("session-race").await;
    let (script, mara, _) = script_with_cast(&h, "alice", "Race").await;
    let session_id = start(&h, "alice", json!({ "scriptId": script })).await;
    let table = table(&h);
    let read = stored_session(&h, "alice", &session_id).await;
    let write = |session: Session, character_id: Option<String>, key: &str| {
        let table = table.clone();
        let key = key.to_owned();
        async move {
            let now = Utc::now();
            let entry = ContextEntry {
                entry_id: new_id(),
                session_id: session.session_id.clone(),
                character_id,
                key,
                value: "written after the read".into(),
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: None,
            };
            let event = ContextUpdated {
                session_id: entry.session_id.clone(),
                entry_id: entry.entry_id.clone(),
                script_id: session.script_id.clone(),
                character_id: entry.character_id.clone(),
                operation: "added".into(),
                key: entry.key.clone(),
                previous_key: None,
                value: Some(entry.value.clone()),
                revision: 1,
                comment: None,
            };
            let envelope = EventEnvelope::new(&event, &EventContext::default()).unwrap();
            store::add_entry(&table, &session, &entry, &envelope).await
        }
    };

    // The character goes after the session was read: refused as unknown.
    let character = format!("/scripts/{script}/characters/{mara}");
    assert_eq!(h.delete(&character, "alice").await.status, 204);
    let refused = write(read.clone(), Some(mara.clone()), "mood").await;
    assert!(
        matches!(&refused, Err(WriteError::UnknownCharacter(c)) if *c == mara),
        "{refused:?}"
    );
    // The same key twice through the store: the second is refused by its reservation.
    write(read.clone(), None, "Mood").await.unwrap();
    let taken = write(read.clone(), None, "mood ").await;
    assert!(matches!(&taken, Err(WriteError::KeyTaken(_))), "{taken:?}");

    // The session ends after it was read as active: refused, nothing written.
    let ended = h
        .post(&format!("/sessions/{session_id}/end"), "alice", json!({}))
        .await;
    assert_eq!(ended.status, 200, "{:?}", ended.body);
    let late = write(read.clone(), None, "late").await;
    assert!(matches!(&late, Err(WriteError::SessionChanged)), "{late:?}");

    let listed = all(&h, "alice", &context(&session_id), 25).await;
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert_eq!(listed[0]["key"], "Mood");
    assert_eq!(
        stored_session(&h, "alice", &session_id).await.entry_count,
        1
    );
}

#[tokio::test]
async fn concurrent_ends_end_once_and_a_key_added_concurrently_is_taken_once() {
    let h = Harness::start("session-concurrent").await;
    let session = start(&h, "alice", json!({})).await;

    let listing = context(&session);
    let racer = |key: &'static str, i: u8| {
        h.post(
            &listing,
            "alice",
            json!({ "key": key, "value": format!("racer {i}") }),
        )
    };
    let replies = tokio::join!(
        racer("mood", 0),
        racer("MOOD", 1),
        racer(" mood", 2),
        racer("Mood", 3)
    );
    let statuses = [
        replies.0.status,
        replies.1.status,
        replies.2.status,
        replies.3.status,
    ];
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(all(&h, "alice", &context(&session), 25).await.len(), 1);
    assert_eq!(stored_session(&h, "alice", &session).await.entry_count, 1);

    let end = format!("/sessions/{session}/end");
    let (first, second) = tokio::join!(
        h.post(&end, "alice", json!({ "comment": "first" })),
        h.post(&end, "alice", json!({ "comment": "second" })),
    );
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(
        first.body, second.body,
        "both answer with the one end that happened"
    );
    assert_eq!(first.body["revision"], 2);
    let history = h
        .wait_for_events(&format!("aggregateId={session}"), &["SessionEnded"])
        .await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let history_later = h
        .get(&format!("/events?aggregateId={session}&limit=100"), ADMIN)
        .await;
    let ended: Vec<&Value> = history_later.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "SessionEnded")
        .collect();
    assert_eq!(ended.len(), 1, "{history:#?}");
    assert_eq!(ended[0]["data"]["comment"], first.body["comment"]);
}
