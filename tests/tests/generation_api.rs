//! Story generation through the API with the worker running as in AWS (rule -> queue ->
//! worker): a job runs to its six outputs, which are deterministic and valid by their own
//! tools; Idempotency-Key, the daily quota, cancellation and a logout's cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use fountain_e2e::{ADMIN, Harness, Reply};
use fountain_orchestration::extract;
use fountain_orchestration::score::TICKS_PER_QUARTER;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const SCREENPLAY: &str = "Title: The Lighthouse
Author: Ines Navarro

INT. LIGHTHOUSE - NIGHT

The lamp turns. Rain on the glass.

MARA
(quietly)
Is anyone out there?

TOM
Only the sea, and the sea never answers.

MARA
Then we wait for the morning!

CUT TO:

EXT. CLIFF - DAWN

Gulls. A boat, far out.

~Row, row, row the boat

TOM
There.
";

async fn import(h: &Harness, user: &str) -> String {
    let reply = h.import(user, SCREENPLAY).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["scriptId"].as_str().unwrap().to_owned()
}

async fn request_job(
    h: &Harness,
    user: &str,
    script_id: &str,
    body: Value,
    key: Option<&str>,
) -> Reply {
    let mut builder = h
        .request(
            Method::POST,
            &format!("/scripts/{script_id}/generations"),
            Some(user),
        )
        .json(&body);
    if let Some(key) = key {
        builder = builder.header("idempotency-key", key);
    }
    Harness::send(builder).await
}

async fn finished(h: &Harness, user: &str, job_id: &str) -> Value {
    Harness::eventually(120, "the job to finish", || async {
        let reply = h.get(&format!("/generations/{job_id}"), user).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        let status = reply.body["status"].as_str().unwrap_or_default().to_owned();
        (!matches!(status.as_str(), "queued" | "running")).then_some(reply.body)
    })
    .await
}

async fn download(h: &Harness, link: &Value) -> Vec<u8> {
    let url = link["url"].as_str().unwrap();
    let response = h.http.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{url}");
    response.bytes().await.unwrap().to_vec()
}

fn outputs_by_name(job: &Value) -> Vec<(String, String)> {
    let mut outputs: Vec<(String, String)> = job["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_owned(),
                o["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    outputs.sort();
    outputs
}

/// Runs `timeout <seconds> <args...>` in `dir`, stdin from /dev/null.
fn tool(dir: &Path, seconds: u32, args: &[&str]) -> (bool, String) {
    let output = Command::new("timeout")
        .arg(seconds.to_string())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("{args:?}: {e}; run ./infra/test.sh, which installs lilypond and csound")
        });
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), log)
}

#[tokio::test]
async fn a_job_runs_to_six_deterministic_outputs_that_their_own_tools_accept() {
    let h = Harness::start("gen-run").await;
    let script_id = import(&h, "alice").await;
    let session = h
        .post("/sessions", "alice", json!({ "scriptId": script_id }))
        .await;
    let session_id = session.body["sessionId"].as_str().unwrap().to_owned();
    let context = h
        .post(
            &format!("/sessions/{session_id}/context"),
            "alice",
            json!({ "key": "tone", "value": "storm-dark, \"salt\", and slow" }),
        )
        .await;
    assert_eq!(context.status, 201, "{:?}", context.body);

    let accepted = request_job(
        &h,
        "alice",
        &script_id,
        json!({ "sessionId": session_id, "comment": "for the read-through" }),
        None,
    )
    .await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
    let job_id = accepted.body["jobId"].as_str().unwrap().to_owned();
    assert_eq!(accepted.body["status"], "queued");
    assert_eq!(accepted.body["progress"], 0);
    assert_eq!(
        accepted.header("location"),
        Some(format!("/generations/{job_id}").as_str())
    );

    let job = finished(&h, "alice", &job_id).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["progress"], 100);
    assert_eq!(job["attempts"], 1);
    assert!(job["startedAt"].is_string() && job["finishedAt"].is_string());
    let names: Vec<String> = outputs_by_name(&job).into_iter().map(|o| o.0).collect();
    assert_eq!(
        names,
        [
            "score.csd",
            "score.ly",
            "score.mid",
            "story.fountain",
            "story.md",
            "story.pdf"
        ]
    );

    // Every link serves the bytes the job describes.
    let dir = std::env::temp_dir().join(format!("fountain-gen-{job_id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = std::collections::HashMap::new();
    for link in job["links"]["outputs"].as_array().unwrap() {
        let bytes = download(&h, link).await;
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(link["sha256"].as_str().unwrap(), sha);
        assert_eq!(link["bytes"].as_u64().unwrap(), bytes.len() as u64);
        let name = link["name"].as_str().unwrap().to_owned();
        std::fs::write(dir.join(&name), &bytes).unwrap();
        files.insert(name, bytes);
    }
    let story = String::from_utf8(files["story.md"].clone()).unwrap();
    assert!(story.starts_with("# The Lighthouse"), "{story}");
    for words in [
        "Is anyone out there?",
        "Only the sea",
        "Gulls. A boat, far out.",
    ] {
        assert!(story.contains(words), "{words} not in {story}");
    }
    assert!(
        story.contains("storm-dark"),
        "the session's context is in the prose"
    );
    let fountain = String::from_utf8(files["story.fountain"].clone()).unwrap();
    assert!(fountain.contains("INT. LIGHTHOUSE - NIGHT") && fountain.contains("MARA"));
    // The screenplay PDF, which a strict reader accepts, holds the same script.
    let pdf = dir.join("story.pdf");
    let checked = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(checked.status.success(), "{checked:?}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("INT. LIGHTHOUSE - NIGHT") && text.contains("MARA"),
        "{text}"
    );

    // The three scores hold the same notes, and each is valid by its own reader or tool.
    let tpq = TICKS_PER_QUARTER;
    let midi = extract::midi(&files["score.mid"], tpq).unwrap();
    let lily = extract::lilypond(std::str::from_utf8(&files["score.ly"]).unwrap(), tpq).unwrap();
    let csd = extract::csound(std::str::from_utf8(&files["score.csd"]).unwrap(), tpq).unwrap();
    assert!(!midi.is_empty());
    assert_eq!(
        extract::without_velocity(&midi),
        extract::without_velocity(&lily)
    );
    assert_eq!(midi, csd);
    let (ok, log) = tool(
        &dir,
        300,
        &["lilypond", "--loglevel=WARN", "-o", "score", "score.ly"],
    );
    assert!(
        ok && !log.to_lowercase().contains("error"),
        "lilypond: {log}"
    );
    let (ok, log) = tool(&dir, 300, &["csound", "-W", "-o", "score.wav", "score.csd"]);
    assert!(ok, "csound: {log}");
    assert!(std::fs::metadata(dir.join("score.wav")).unwrap().len() > 44);

    // The events tell the job's story, in order, once each (progress only going up).
    let events = h
        .wait_for_events(
            &format!("aggregateId={job_id}"),
            &[
                "StoryGenerationRequested",
                "StoryGenerationStarted",
                "StoryGenerationCompleted",
            ],
        )
        .await;
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types.first(), Some(&"StoryGenerationRequested"));
    assert_eq!(types.last(), Some(&"StoryGenerationCompleted"));
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "StoryGenerationStarted")
            .count(),
        1
    );
    let percents: Vec<u64> = events
        .iter()
        .filter(|e| e["type"] == "StoryGenerationProgressed")
        .map(|e| e["data"]["percent"].as_u64().unwrap())
        .collect();
    assert!(
        percents.len() >= 4 && percents.windows(2).all(|w| w[0] < w[1]),
        "{percents:?}"
    );
    let usage = h
        .wait_for_events("aggregateId=alice", &["UsageRecorded"])
        .await;
    let usage: Vec<&Value> = usage
        .iter()
        .filter(|e| e["type"] == "UsageRecorded")
        .collect();
    assert_eq!(usage.len(), 1);
    assert_eq!(usage[0]["data"]["jobId"], job_id.as_str());
    assert_eq!(usage[0]["data"]["elements"], 8);

    // The same script revision and options give byte-identical outputs.
    let again = request_job(
        &h,
        "alice",
        &script_id,
        json!({ "sessionId": session_id, "comment": "for the read-through" }),
        None,
    )
    .await;
    assert_eq!(again.status, 202);
    let second = finished(&h, "alice", again.body["jobId"].as_str().unwrap()).await;
    assert_eq!(outputs_by_name(&second), outputs_by_name(&job));

    // The job is the requester's: both lists show it, nobody else sees it.
    let mine = h.get("/generations", "alice").await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        mine.body["items"][0]["jobId"], second["jobId"],
        "newest first"
    );
    let of_script = h
        .get(
            &format!("/scripts/{script_id}/generations?limit=1"),
            "alice",
        )
        .await;
    assert_eq!(of_script.body["items"].as_array().unwrap().len(), 1);
    assert!(of_script.body["nextCursor"].is_string());
    assert_eq!(
        h.get(&format!("/generations/{job_id}"), "mallory")
            .await
            .status,
        404
    );
    assert_eq!(
        h.get("/generations", "mallory").await.body["items"],
        json!([])
    );
    assert_eq!(
        request_job(&h, "mallory", &script_id, json!({}), None)
            .await
            .status,
        404
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn one_idempotency_key_makes_one_job_and_refuses_a_different_request() {
    let h = Harness::start("gen-idem").await;
    let script_id = import(&h, "alice").await;
    let draft = || {
        request_job(
            &h,
            "alice",
            &script_id,
            json!({ "comment": "draft" }),
            Some("key-1"),
        )
    };
    let first = draft().await;
    assert_eq!(first.status, 202, "{:?}", first.body);
    let second = draft().await;
    assert_eq!(second.status, 202, "{:?}", second.body);
    assert_eq!(second.body["jobId"], first.body["jobId"]);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    let different = request_job(
        &h,
        "alice",
        &script_id,
        json!({ "comment": "other" }),
        Some("key-1"),
    )
    .await;
    assert_eq!(different.status, 422, "{:?}", different.body);
    assert_eq!(
        different.header("content-type"),
        Some("application/problem+json")
    );
    // Another user's identical key is theirs alone.
    let (bobs_script, _) = h.create_script("bob", "Bob's").await;
    let bobs = request_job(
        &h,
        "bob",
        &bobs_script,
        json!({ "comment": "draft" }),
        Some("key-1"),
    )
    .await;
    assert_eq!(bobs.status, 202);
    assert_ne!(bobs.body["jobId"], first.body["jobId"]);
    let bad = request_job(&h, "alice", &script_id, json!({}), Some("tab\there")).await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);

    let job_id = first.body["jobId"].as_str().unwrap();
    finished(&h, "alice", job_id).await;
    let events = h
        .wait_for_events(
            &format!("aggregateId={job_id}"),
            &["StoryGenerationCompleted"],
        )
        .await;
    let requested = events
        .iter()
        .filter(|e| e["type"] == "StoryGenerationRequested")
        .count();
    assert_eq!(requested, 1, "one job, one request event");
    assert_eq!(
        h.get("/generations", "alice").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn past_the_daily_quota_a_request_is_429_and_the_limit_event_is_published_once() {
    let h = Harness::start("gen-quota").await;
    let script_id = import(&h, "alice").await;
    let set = Harness::send(
        h.request(Method::PUT, "/config/GENERATIONS_PER_DAY_FREE", Some(ADMIN))
            .json(&json!({ "value": 2 })),
    )
    .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    for _ in 0..2 {
        assert_eq!(
            request_job(&h, "alice", &script_id, json!({}), None)
                .await
                .status,
            202
        );
    }
    for _ in 0..2 {
        let refused = request_job(&h, "alice", &script_id, json!({}), None).await;
        assert_eq!(refused.status, 429, "{:?}", refused.body);
        let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=86_400).contains(&retry_after));
        assert!(
            refused.body["detail"]
                .as_str()
                .unwrap()
                .contains("2 generation jobs a day")
        );
    }
    // Nothing of the refused requests was written.
    assert_eq!(
        h.get("/generations", "alice").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Another user has their own quota.
    let (bobs_script, _) = h.create_script("bob", "Bob's").await;
    assert_eq!(
        request_job(&h, "bob", &bobs_script, json!({}), None)
            .await
            .status,
        202
    );

    let events = h
        .wait_for_events("aggregateId=alice", &["UsageLimitReached"])
        .await;
    let reached: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "UsageLimitReached")
        .collect();
    assert_eq!(reached.len(), 1, "published once per day and user");
    assert_eq!(reached[0]["data"]["limit"], 2);
    assert_eq!(reached[0]["data"]["plan"], "free");
}

#[tokio::test]
async fn a_cancelled_job_stays_cancelled_and_a_finished_one_cannot_be_cancelled() {
    let h = Harness::start("gen-cancel").await;
    let script_id = import(&h, "alice").await;
    let job = request_job(&h, "alice", &script_id, json!({}), None).await;
    let job_id = job.body["jobId"].as_str().unwrap().to_owned();
    let cancelled = h.delete(&format!("/generations/{job_id}"), "alice").await;
    // The worker may have finished it already: then 409, else it is cancelled for good.
    if cancelled.status == 409 {
        assert_eq!(finished(&h, "alice", &job_id).await["status"], "succeeded");
    } else {
        assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
        assert_eq!(cancelled.body["status"], "cancelled");
        assert_eq!(cancelled.body["reason"], "cancelled at your request");
        let again = h.delete(&format!("/generations/{job_id}"), "alice").await;
        assert_eq!(again.status, 200);
        assert_eq!(again.body["finishedAt"], cancelled.body["finishedAt"]);
        h.wait_for_events(
            &format!("aggregateId={job_id}"),
            &["StoryGenerationCancelled"],
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let after = h.get(&format!("/generations/{job_id}"), "alice").await;
        assert_eq!(after.body["status"], "cancelled");
        assert!(after.body["links"]["outputs"].is_null());
    }
    assert_eq!(
        h.delete(&format!("/generations/{job_id}"), "mallory")
            .await
            .status,
        404
    );

    let done = request_job(&h, "alice", &script_id, json!({}), None).await;
    let done_id = done.body["jobId"].as_str().unwrap();
    assert_eq!(finished(&h, "alice", done_id).await["status"], "succeeded");
    let refused = h.delete(&format!("/generations/{done_id}"), "alice").await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
}
