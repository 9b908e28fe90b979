//! The OpenAI-compatible provider against a local fake server: what it sends, what it
//! returns, and how each failure is classified.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use fountain_prose::Manuscript;
use fountain_prose::{
    ApiKey, GenerateError, Generator, KeySource, OpenAiCompatible, OpenAiConfig, Part, plan_parts,
    write_all,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-test-0123456789abcdef";
const MODEL: &str = "story-model-1";

fn sdk() -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder().build()
}

fn provider(server: &MockServer, timeout: Duration) -> OpenAiCompatible {
    OpenAiCompatible::new(
        &OpenAiConfig {
            base_url: format!("{}/v1", server.uri()),
            api_key: KeySource::Value(ApiKey::new(KEY)),
            model: MODEL.into(),
            timeout,
        },
        &sdk(),
    )
    .unwrap()
}

fn completion(text: &str) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": text },
            "finish_reason": "stop"
        }]
    })
}

/// The messages of a request the fake server received.
fn messages(request: &Request) -> Vec<(String, String)> {
    let body: Value = request.body_json().unwrap();
    body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap().to_owned(),
                m["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn first_part() -> (Manuscript, Part) {
    let story = lighthouse();
    let part = plan_parts(&story, usize::MAX).remove(0);
    (story, part)
}

async fn failure_for(template: ResponseTemplate) -> GenerateError {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    let (story, part) = first_part();
    provider(&server, Duration::from_secs(10))
        .write_part(&story, &part)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_part_is_posted_with_key_model_context_and_text_and_the_reply_is_its_prose() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({ "model": MODEL })))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("The lamp was out.")))
        .expect(1)
        .mount(&server)
        .await;

    let (story, part) = first_part();
    let prose = provider(&server, Duration::from_secs(10))
        .write_part(&story, &part)
        .await
        .unwrap();
    assert_eq!(prose, "The lamp was out.");

    let requests = server.received_requests().await.unwrap();
    let messages = messages(&requests[0]);
    assert_eq!(messages[0].0, "system");
    assert_eq!(messages[1].0, "user");
    let user = &messages[1].1;
    for expected in [
        "The Lighthouse",
        "tone: quiet, salt-worn",
        "Mara: The keeper, seventy and stubborn; mood: restless after the storm",
        "Tom: secret: he came for the ledger",
        "## INT. LIGHTHOUSE - NIGHT",
        "Rain hammers the glass. Mara climbs the stairs.",
        "Mara (quietly): The lamp is out.",
        "Tom [at the same time]: Who's there?",
        "Mara (V.O.): I kept the light forty years.",
        "[sung] Oh the sea is wide / and the night is long",
    ] {
        assert!(user.contains(expected), "{expected:?} not in:\n{user}");
    }
    assert!(!user.contains("gulls"), "the boneyard is not sent");
    assert!(!user.contains(KEY));
}

#[tokio::test]
async fn each_call_sends_only_its_own_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("Some prose.")))
        .mount(&server)
        .await;
    let story = lighthouse();
    let parts = plan_parts(&story, 120);
    assert!(parts.len() > 2, "the test needs several parts");

    let document = write_all(&provider(&server, Duration::from_secs(10)), &story, 120)
        .await
        .unwrap();
    assert!(document.starts_with("# The Lighthouse\n\n*by Ada Quill*"));
    assert_eq!(document.matches("Some prose.").count(), parts.len());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), parts.len());
    let first = &messages(&requests[0])[1].1;
    let last = &messages(requests.last().unwrap())[1].1;
    assert!(first.contains("Rain hammers the glass") && !first.contains("THE END"));
    assert!(last.contains("THE END") && !last.contains("Rain hammers the glass"));
    assert!(last.contains(&format!("This is part {n} of {n}.", n = parts.len())));
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retryable() {
    let limited = failure_for(ResponseTemplate::new(429).insert_header("retry-after", "12")).await;
    assert!(limited.is_retryable(), "{limited}");
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(12)));
    assert!(limited.reason().contains("429"));

    for status in [500, 503] {
        let error = failure_for(ResponseTemplate::new(status)).await;
        assert!(error.is_retryable(), "{status}: {error}");
        assert!(error.reason().contains(&status.to_string()));
    }
}

#[tokio::test]
async fn refusals_and_malformed_replies_are_permanent_and_quote_nothing() {
    let body = r#"{"error":{"message":"Incorrect API key provided: sk-test-0123456789abcdef"}}"#;
    for template in [
        ResponseTemplate::new(400).set_body_string(body),
        ResponseTemplate::new(401).set_body_string(body),
        ResponseTemplate::new(200).set_body_string("<html>gateway says hi</html>"),
        ResponseTemplate::new(200).set_body_json(json!({ "choices": [] })),
    ] {
        let error = failure_for(template).await;
        assert!(!error.is_retryable(), "{error}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(KEY) && !shown.contains("Incorrect") && !shown.contains("html"));
    }
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout_and_may_be_retried() {
    let error = {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(completion("too late"))
                    .set_delay(Duration::from_secs(30)),
            )
            .mount(&server)
            .await;
        let (story, part) = first_part();
        provider(&server, Duration::from_millis(200))
            .write_part(&story, &part)
            .await
            .unwrap_err()
    };
    assert!(error.is_retryable(), "{error}");
    assert!(error.reason().contains("did not answer"), "{error}");
}

#[tokio::test]
async fn an_unreachable_server_is_retryable() {
    // A port nothing listens on any more (wiremock pools its servers, so not one of those).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let provider = OpenAiCompatible::new(
        &OpenAiConfig {
            base_url: format!("http://{address}/v1"),
            api_key: KeySource::Value(ApiKey::new(KEY)),
            model: MODEL.into(),
            timeout: Duration::from_secs(5),
        },
        &sdk(),
    )
    .unwrap();
    let (story, part) = first_part();
    let error = provider.write_part(&story, &part).await.unwrap_err();
    assert!(error.is_retryable(), "{error}");
}

#[test]
fn debug_does_not_show_the_key() {
    let config = OpenAiConfig {
        base_url: "https://api.example.com/v1".into(),
        api_key: KeySource::Value(ApiKey::new(KEY)),
        model: MODEL.into(),
        timeout: Duration::from_secs(1),
    };
    let provider = OpenAiCompatible::new(&config, &sdk()).unwrap();
    for shown in [format!("{config:?}"), format!("{provider:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    assert_eq!(
        provider.endpoint(),
        "https://api.example.com/v1/chat/completions"
    );
}
