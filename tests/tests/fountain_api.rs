//! Fountain over the API: import, export and import again give the same script; cue names
//! become characters once; bad bodies leave no script; strangers get 404.
#![allow(clippy::unwrap_used)]

use fountain_e2e::{Harness, Reply};
use fountain_store::keys;
use reqwest::Method;

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
    if let Err(why) = try_round_trip(h, text).await {
        panic!("{name}: {why}");
    }
}

/// The round trip, its first failure as text (a refused request or exports that differ),
/// else the first export.
async fn try_round_trip(h: &Harness, text: &str) -> Result<String, String> {
    let first = imported(&h.import("alice", text).await)?;
    let exported = exported_text(&export(h, "alice", &first).await)?;
    let second = imported(&h.import("alice", &exported).await)?;
    let again = exported_text(&export(h, "alice", &second).await)?;
    let a = fountain_text::parse(&exported).map_err(|e| e.to_string())?;
    let b = fountain_text::parse(&again).map_err(|e| e.to_string())?;
    if a.without_spans() != b.without_spans() {
        return Err(format!("the exports differ:\n{exported}\n---\n{again}"));
    }
    Ok(exported)
}

fn imported(reply: &Reply) -> Result<String, String> {
    match (reply.status, reply.body["scriptId"].as_str()) {
        (201, Some(id)) => Ok(id.to_owned()),
        _ => Err(format!("import: {} {}", reply.status, reply.body)),
    }
}

fn exported_text(reply: &Reply) -> Result<String, String> {
    match (reply.status, &reply.body) {
        (200, serde_json::Value::String(text)) => Ok(text.clone()),
        (200, other) => Ok(other.to_string()),
        _ => Err(format!("export: {} {}", reply.status, reply.body)),
    }
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

/// Jouvence cases the API cannot take through the round trip by design, each with why
/// (also in shared/fountain-text/CONFORMANCE.md). A listed case that starts passing fails
/// the test too, so the list stays exact.
const JOUVENCE_NOT_THROUGH_THE_API: &[(&str, &str)] = &[];

/// Every Jouvence case (their inputs, derived from the YAML files by fountain-text's
/// conformance test) goes through the same round trip as the files above, all at once on
/// one harness.
#[tokio::test]
async fn jouvence_cases_round_trip() {
    let h = std::sync::Arc::new(Harness::start("fountain-jouvence").await);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fountain-text/tests/fixtures/jouvence-inputs.json"
    );
    let cases: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(cases.len(), 46, "the jouvence fixtures hold 46 cases");
    let mut runs = tokio::task::JoinSet::new();
    for (name, input) in cases {
        let h = h.clone();
        runs.spawn(async move {
            let input = input.as_str().unwrap();
            let outcome = try_round_trip(&h, input).await.and_then(|exported| {
                // And the first import loses no element of the case.
                let ours = fountain_text::parse(input).unwrap().without_spans();
                let back = fountain_text::parse(&exported).unwrap().without_spans();
                if ours.elements == back.elements {
                    Ok(())
                } else {
                    Err(format!("elements lost or changed:\n{exported}"))
                }
            });
            (name, outcome)
        });
    }
    let mut failed = Vec::new();
    let mut unexpected = Vec::new();
    let mut passed = 0;
    while let Some(run) = runs.join_next().await {
        let (name, outcome) = run.unwrap();
        let listed = JOUVENCE_NOT_THROUGH_THE_API
            .iter()
            .any(|(listed, _)| *listed == name);
        match (outcome, listed) {
            (Err(why), false) => unexpected.push(format!("{name}: {why}")),
            (Err(_), true) => failed.push(name),
            (Ok(()), _) => passed += 1,
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} jouvence cases fail the API round trip without a reason listed:\n{}",
        unexpected.len(),
        unexpected.join("\n\n")
    );
    let now_passing: Vec<_> = JOUVENCE_NOT_THROUGH_THE_API
        .iter()
        .filter(|(name, _)| !failed.iter().any(|f| f == name))
        .collect();
    assert!(
        now_passing.is_empty(),
        "listed jouvence cases now pass; remove them here and from CONFORMANCE.md: {now_passing:?}"
    );
    eprintln!(
        "jouvence through the API: {passed} of 46 round trip, {} listed",
        failed.len()
    );
}

#[tokio::test]
async fn cues_become_characters_once_and_the_export_is_an_attachment() {
    let h = Harness::start("fountain-characters").await;
    let text = "Title: The Kitchen\nAuthor: A. Writer\n\nINT. KITCHEN - NIGHT\n\nANNA\nHello.\n\n@Anna\nAgain.\n\nBOB (V.O.)\nHi.\n";
    let reply = h.import("alice", text).await;
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
                aws_sdk_dynamodb::types::AttributeValue::S(keys::SCRIPT.into()),
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

/// A fault halfway through an import: every content item is written, then the final
/// transaction (script, owner's membership, ScriptCreated) is refused, and the import
/// removes what it wrote. The refusal is real: the owner's membership item
/// (`SCRIPT#<id>` / `MEMBER#<user>`) is written only by that transaction, and a user id this
/// long makes its sort key larger than the 1,024 bytes DynamoDB (and the emulator) allow.
/// The table's stream shows the content written and removed again.
#[tokio::test]
async fn a_commit_refused_after_the_content_is_written_leaves_nothing() {
    let h = Harness::start("fountain-fault").await;
    let owner = format!("writer-{}", "x".repeat(1_100));
    let items_before = script_items(&h).await;
    let mut text = String::from("Title: Half Way\n\n");
    for scene in 0..12 {
        text.push_str(&format!(
            "INT. ROOM {scene} - DAY\n\nRain on the glass.\n\nANNA\nHello {scene}.\n\nBOB (V.O.)\nHi.\n\n"
        ));
    }

    let reply = h.import(&owner, &text).await;
    assert_eq!(reply.status, 500, "{:?}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.body["status"], 500);
    assert!(reply.body["correlationId"].is_string(), "{:?}", reply.body);

    // What the import wrote, in order: content items of one new script partition, then
    // their removal; never the script item, the membership or an outbox item.
    let records = stream_records(&h).await;
    let written: Vec<&(String, String, String)> = records
        .iter()
        .filter(|(event, pk, _)| event == "INSERT" && pk.starts_with(keys::SCRIPT))
        .collect();
    let partitions: std::collections::BTreeSet<&str> =
        written.iter().map(|(_, pk, _)| pk.as_str()).collect();
    assert_eq!(partitions.len(), 1, "{partitions:?}");
    let partition = partitions.into_iter().next().unwrap().to_owned();
    // 12 sections, 36 elements, 2 characters and their names, 13 order revisions and the
    // element count: 3 batches.
    assert_eq!(written.len(), 12 + 36 + 2 + 2 + 13 + 1, "{written:?}");
    let sort_keys: Vec<&str> = written.iter().map(|(_, _, sk)| sk.as_str()).collect();
    assert_eq!(
        sort_keys
            .iter()
            .filter(|sk| sk.starts_with(keys::CHARACTER_NAME))
            .count(),
        2
    );
    assert!(
        !sort_keys
            .iter()
            .any(|sk| *sk == keys::SCRIPT_SK || sk.starts_with(keys::MEMBER)),
        "{sort_keys:?}"
    );
    for (_, pk, sk) in &written {
        let removed = records
            .iter()
            .position(|(event, p, s)| event == "REMOVE" && p == pk && s == sk);
        let inserted = records
            .iter()
            .position(|(event, p, s)| event == "INSERT" && p == pk && s == sk);
        assert!(
            removed > inserted,
            "{pk} {sk} is not removed after it was written"
        );
    }
    assert!(
        !records
            .iter()
            .any(|(_, pk, _)| pk.starts_with(keys::OUTBOX)),
        "an event was written: {records:?}"
    );

    // Nothing is left: no item in the partition (character names included), no script
    // item anywhere, no ScriptCreated in the event store, no script listed.
    let client = aws_sdk_dynamodb::Client::new(&h.stack.sdk);
    let left = client
        .query()
        .table_name(h.stack.table_name("AppTable").unwrap())
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S(partition.clone()),
        )
        .select(aws_sdk_dynamodb::types::Select::Count)
        .send()
        .await
        .unwrap();
    assert_eq!(left.count(), 0);
    assert_eq!(script_items(&h).await, items_before);
    let script = keys::script_id(&partition).unwrap();
    let events = h
        .get(
            &format!("/events?aggregateId={script}"),
            fountain_e2e::ADMIN,
        )
        .await;
    assert_eq!(events.status, 200, "{:?}", events.body);
    assert_eq!(events.body["items"], serde_json::json!([]));
    assert_eq!(
        h.get("/scripts", &owner).await.body["items"],
        serde_json::json!([])
    );
    assert_eq!(
        h.get(&format!("/scripts/{script}"), &owner).await.status,
        404
    );
}

/// Every record of the app table's stream, (event name, pk, sk) in order, read from the
/// start of its one shard as the emulator serves it (it does not check request signatures,
/// and this crate has no DynamoDB Streams client). The table is the test's own.
async fn stream_records(h: &Harness) -> Vec<(String, String, String)> {
    let table = aws_sdk_dynamodb::Client::new(&h.stack.sdk)
        .describe_table()
        .table_name(h.stack.table_name("AppTable").unwrap())
        .send()
        .await
        .unwrap();
    let arn = table
        .table()
        .unwrap()
        .latest_stream_arn()
        .unwrap()
        .to_owned();
    let stream = streams_call(h, "DescribeStream", serde_json::json!({ "StreamArn": arn })).await;
    let shards = stream["StreamDescription"]["Shards"].as_array().unwrap();
    assert_eq!(shards.len(), 1, "{stream}");
    let start = streams_call(
        h,
        "GetShardIterator",
        serde_json::json!({
            "StreamArn": arn,
            "ShardId": shards[0]["ShardId"],
            "ShardIteratorType": "TRIM_HORIZON",
        }),
    )
    .await;
    let mut iterator = start["ShardIterator"].as_str().unwrap().to_owned();
    let mut records = Vec::new();
    loop {
        let page = streams_call(
            h,
            "GetRecords",
            serde_json::json!({ "ShardIterator": iterator }),
        )
        .await;
        let batch = page["Records"].as_array().unwrap();
        if batch.is_empty() {
            return records;
        }
        for record in batch {
            let keys = &record["dynamodb"]["Keys"];
            records.push((
                record["eventName"].as_str().unwrap().to_owned(),
                keys["pk"]["S"].as_str().unwrap().to_owned(),
                keys["sk"]["S"].as_str().unwrap().to_owned(),
            ));
        }
        iterator = page["NextShardIterator"].as_str().unwrap().to_owned();
    }
}

async fn streams_call(h: &Harness, action: &str, body: serde_json::Value) -> serde_json::Value {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap();
    let reply = h
        .http
        .post(endpoint)
        .header("x-amz-target", format!("DynamoDBStreams_20120810.{action}"))
        .header("content-type", "application/x-amz-json-1.0")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{action}: {}", reply.status());
    reply.json().await.unwrap()
}
