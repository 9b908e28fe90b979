//! Fountain over the API: import, export and import again give the same script; cue names
//! become characters once; bad bodies leave no script; strangers get 404.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, Reply};
use reqwest::Method;

async fn import(h: &Harness, user: &str, text: &str) -> Reply {
    Harness::send(
        h.request(Method::POST, "/scripts/import", Some(user))
            .header("content-type", "text/plain; charset=utf-8")
            .body(text.to_owned()),
    )
    .await
}

async fn export(h: &Harness, user: &str, script: &str) -> Reply {
    h.get(&format!("/scripts/{script}/fountain"), user).await
}

fn text_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    match &reply.body {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn script_id(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["scriptId"].as_str().unwrap().to_owned()
}

/// Import, export, import the export, export again: both exports read the same.
async fn round_trip(h: &Harness, name: &str, text: &str) {
    let first = script_id(&import(h, "alice", text).await);
    let exported = text_of(&export(h, "alice", &first).await);
    let second = script_id(&import(h, "alice", &exported).await);
    let again = text_of(&export(h, "alice", &second).await);
    let a = fountain_text::parse(&exported).unwrap().without_spans();
    let b = fountain_text::parse(&again).unwrap().without_spans();
    assert_eq!(a, b, "{name}");
}

#[tokio::test]
async fn conformance_files_and_a_feature_round_trip() {
    let h = Harness::start("fountain-round-trip").await;
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fountain-text/tests/fixtures"
    );
    let mut count = 0;
    for corpus in ["nyousefi", "screenplain"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{corpus}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "fountain"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            round_trip(&h, &path.display().to_string(), &text).await;
            count += 1;
        }
    }
    assert!(count >= 30, "{count} files");
    let feature = fountain_text::write(&fountain_text::generate::screenplay(7, 3000));
    round_trip(&h, "generated feature", &feature).await;
}

#[tokio::test]
async fn cues_become_characters_once_and_the_export_is_an_attachment() {
    let h = Harness::start("fountain-characters").await;
    let text = "Title: The Kitchen\nAuthor: A. Writer\n\nINT. KITCHEN - NIGHT\n\nANNA\nHello.\n\n@Anna\nAgain.\n\nBOB (V.O.)\nHi.\n";
    let reply = import(&h, "alice", text).await;
    let script = script_id(&reply);
    assert_eq!(reply.body["title"], "The Kitchen");
    assert_eq!(reply.body["characters"], 2);
    let characters = h
        .get(&format!("/scripts/{script}/characters"), "alice")
        .await;
    let names: Vec<_> = characters.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["ANNA", "BOB"]);
    let story = h.get(&format!("/scripts/{script}/story"), "alice").await;
    let elements = story.body["sections"][0]["elements"].as_array().unwrap();
    assert_eq!(elements[0]["characterName"], "ANNA");
    assert_eq!(elements[1]["characterName"], "ANNA");
    assert_eq!(elements[2]["extension"], "V.O.");

    let exported = export(&h, "alice", &script).await;
    assert_eq!(
        exported.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        exported.header("content-disposition"),
        Some("attachment; filename=\"the-kitchen.fountain\"")
    );
    assert!(text_of(&exported).starts_with("Title: The Kitchen\nAuthor: A. Writer\n"));
    assert_eq!(export(&h, "mallory", &script).await.status, 404);
}

#[tokio::test]
async fn bad_bodies_leave_no_script() {
    let h = Harness::start("fountain-bad").await;
    let before = h.get("/scripts", "alice").await.body["items"].clone();
    let items_before = script_items(&h).await;
    let send = |content_type: &'static str, body: Vec<u8>| {
        Harness::send(
            h.request(Method::POST, "/scripts/import", Some("alice"))
                .header("content-type", content_type)
                .body(body),
        )
    };
    assert_eq!(send("application/json", b"{}".to_vec()).await.status, 415);
    let large = vec![b'a'; 2 * 1024 * 1024 + 1];
    assert_eq!(send("text/plain", large).await.status, 413);
    let latin1 = send("text/plain", b"INT. CAF\xc9 - DAY\n".to_vec()).await;
    assert_eq!(latin1.status, 400);
    assert!(latin1.body["detail"].as_str().unwrap().contains("UTF-8"));
    let unclosed = send("text/x-fountain", b"Hello.\n\n/* never\nclosed\n".to_vec()).await;
    assert_eq!(unclosed.status, 422, "{:?}", unclosed.body);
    assert_eq!(unclosed.body["line"], 3);
    assert!(unclosed.body["detail"].as_str().unwrap().contains("line 3"));
    let too_many = "Hello.\n\n".repeat(20_001);
    let refused = send("text/plain", too_many.into_bytes()).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert_eq!(h.get("/scripts", "alice").await.body["items"], before);
    assert_eq!(script_items(&h).await, items_before);
}

/// How many items of script partitions the table holds.
async fn script_items(h: &Harness) -> i32 {
    let table = h.stack.table_name("AppTable").unwrap().to_owned();
    let client = aws_sdk_dynamodb::Client::new(&h.stack.sdk);
    let mut count = 0;
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(&table)
            .filter_expression("begins_with(pk, :script)")
            .expression_attribute_values(
                ":script",
                aws_sdk_dynamodb::types::AttributeValue::S("SCRIPT#".into()),
            )
            .select(aws_sdk_dynamodb::types::Select::Count)
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        count += page.count();
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return count;
        }
    }
}
