//! Health: the scheduled checker (fired by the test, as the runner's clock would), the
//! transitions it publishes (ServiceDown, ServiceRecovered), `GET /health` and `GET
//! /admin/health`, and a table that cannot be reached.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use fountain_e2e::{ADMIN, Harness};
use fountain_local::StackOptions;
use reqwest::Method;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHECKER: &str = "CheckHealthFunction";

/// A stack whose text generator is `server` (an OpenAI-compatible fake).
async fn stack_with_generator(name: &str, server: &MockServer) -> Harness {
    let mut options = StackOptions::for_test(name);
    for (key, value) in [
        ("GENERATOR", "openai".to_owned()),
        ("GENERATOR_URL", server.uri()),
        ("GENERATOR_MODEL", "fake-model".to_owned()),
        ("GENERATOR_API_KEY", "fake-key".to_owned()),
    ] {
        options.env_overrides.insert(key.to_owned(), value);
    }
    Harness::start_with(options).await
}

/// The fake answers its models listing with `status` from now on.
async fn generator_answers(server: &MockServer, status: u16) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/models"))
        .respond_with(ResponseTemplate::new(status).set_body_json(serde_json::json!({"data": []})))
        .mount(server)
        .await;
}

fn dependency<'a>(health: &'a Value, name: &str) -> &'a Value {
    health["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not reported: {health}"))
}

async fn public_health(h: &Harness) -> fountain_e2e::Reply {
    Harness::send(h.request(Method::GET, "/health", None)).await
}

async fn events_of(h: &Harness, aggregate: &str, event_type: &str) -> Vec<Value> {
    let reply = h
        .get(&format!("/events?aggregateId={aggregate}&limit=100"), ADMIN)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == event_type)
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_generator_outage_is_detected_published_once_and_recovered() {
    let server = MockServer::start().await;
    generator_answers(&server, 200).await;
    let h = stack_with_generator("health-generator", &server).await;

    let before = public_health(&h).await;
    assert_eq!(before.status, 200, "{:?}", before.body);
    assert_eq!(dependency(&before.body, "generator")["status"], "unknown");
    assert_eq!(before.header("cache-control"), Some("no-store"));

    h.stack.fire(CHECKER).await.unwrap();
    let up = public_health(&h).await;
    assert_eq!((up.status, up.body["status"].as_str()), (200, Some("ok")));
    for name in ["table", "eventBus", "queues", "outputs", "generator"] {
        assert_eq!(dependency(&up.body, name)["status"], "up", "{name}");
    }

    // Off: one failed check is not enough (HEALTH_FAILURES_TO_DOWN is 2).
    generator_answers(&server, 503).await;
    let outage = Instant::now();
    h.stack.fire(CHECKER).await.unwrap();
    let once = public_health(&h).await;
    assert_eq!(once.status, 200, "{:?}", once.body);
    assert_eq!(dependency(&once.body, "generator")["failures"], 1);
    h.stack.fire(CHECKER).await.unwrap();
    let down = public_health(&h).await;
    assert_eq!(down.status, 503, "{:?}", down.body);
    assert_eq!(down.body["status"], "degraded");
    let generator = dependency(&down.body, "generator");
    assert_eq!(generator["status"], "down");
    assert!(
        generator["lastError"].as_str().unwrap().contains("503"),
        "{generator}"
    );
    assert_eq!(dependency(&down.body, "table")["status"], "up");
    let published = h
        .wait_for_events("aggregateId=generator", &["ServiceDown"])
        .await;
    println!(
        "generator outage -> ServiceDown in the event store: {} ms (two checks fired back to back; \
         on the 1-minute schedule add up to 2 minutes)",
        outage.elapsed().as_millis()
    );
    let service_down = published
        .iter()
        .find(|e| e["type"] == "ServiceDown")
        .unwrap();
    assert_eq!(service_down["data"]["detectedBy"], "health_check");
    assert!(
        service_down["correlationId"]
            .as_str()
            .unwrap()
            .starts_with("health-")
    );

    // Still down: no second event.
    h.stack.fire(CHECKER).await.unwrap();
    // Back on: up after two good checks, one ServiceRecovered.
    generator_answers(&server, 200).await;
    h.stack.fire(CHECKER).await.unwrap();
    assert_eq!(
        public_health(&h).await.status,
        503,
        "one success is not enough"
    );
    h.stack.fire(CHECKER).await.unwrap();
    let recovered = public_health(&h).await;
    assert_eq!(recovered.status, 200, "{:?}", recovered.body);
    assert_eq!(
        dependency(&recovered.body, "generator")["lastError"],
        Value::Null
    );
    h.wait_for_events(
        "aggregateId=generator",
        &["ServiceDown", "ServiceRecovered"],
    )
    .await;
    h.stack.fire(CHECKER).await.unwrap();
    assert_eq!(events_of(&h, "generator", "ServiceDown").await.len(), 1);
    assert_eq!(
        events_of(&h, "generator", "ServiceRecovered").await.len(),
        1
    );

    // The history, newest first, for admins only.
    let history = h.get("/admin/health", ADMIN).await;
    assert_eq!(history.status, 200, "{:?}", history.body);
    let items = history.body["items"].as_array().unwrap();
    let statuses: Vec<_> = items
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["up", "down"]);
    assert!(items.iter().all(|t| t["dependency"] == "generator"));
    assert_eq!(
        items[1]["eventId"],
        events_of(&h, "generator", "ServiceDown").await[0]["id"]
    );
    let page = h.get("/admin/health?limit=1", ADMIN).await;
    let next = page.body["nextCursor"].as_str().unwrap();
    let rest = h
        .get(&format!("/admin/health?limit=1&cursor={next}"), ADMIN)
        .await;
    assert_eq!(rest.body["items"][0]["status"], "down");
    assert_eq!(h.get("/admin/health", "someone").await.status, 403);
}

#[tokio::test]
async fn the_runner_runs_a_schedule_on_request() {
    let h = Harness::start("health-schedule").await;
    let ran = h
        .http
        .post(h.url(&format!("/_local/schedules/{CHECKER}")))
        .send()
        .await
        .unwrap();
    assert_eq!(ran.status(), 200);
    let health = public_health(&h).await;
    assert_eq!(dependency(&health.body, "generator")["status"], "up");
    let unknown = h
        .http
        .post(h.url("/_local/schedules/HealthFunction"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404, "not a scheduled function");
}

#[tokio::test]
async fn an_unreachable_table_is_reported_down_at_once() {
    let mut options = StackOptions::for_test("health-table");
    options
        .env_overrides
        .insert("TABLE_NAME".to_owned(), "no-such-table".to_owned());
    let h = Harness::start_with(options).await;
    let health = public_health(&h).await;
    assert_eq!(health.status, 503, "{:?}", health.body);
    let table = dependency(&health.body, "table");
    assert_eq!(table["status"], "down");
    assert!(table["lastError"].as_str().unwrap().len() > 3, "{table}");
    assert_eq!(dependency(&health.body, "generator")["status"], "unknown");

    // The checker fails its run and tells the bus directly (the outbox is in the table).
    let failed = h.stack.fire(CHECKER).await.unwrap_err();
    assert!(failed.to_string().contains("table"), "{failed}");
    let store = h.stack.table_name("EventStoreTable").unwrap().to_owned();
    let dynamo = aws_sdk_dynamodb::Client::new(&h.stack.sdk);
    Harness::eventually(30, "ServiceDown for the table in the event store", || {
        let dynamo = dynamo.clone();
        let store = store.clone();
        async move {
            let items = dynamo.scan().table_name(store).send().await.ok()?.items?;
            let attribute = |item: &std::collections::HashMap<
                String,
                aws_sdk_dynamodb::types::AttributeValue,
            >,
                             name: &str| {
                item.get(name).and_then(|v| v.as_s().ok()).cloned()
            };
            items
                .iter()
                .any(|item| {
                    attribute(item, "eventType").as_deref() == Some("ServiceDown")
                        && attribute(item, "gsi1pk")
                            == Some(fountain_store::keys::aggregate("table"))
                })
                .then_some(())
        }
    })
    .await;
}

/// The key of the generator is read from its secret (decision 49): an "unset" secret makes
/// the generator count as failing, the key put in it is what the generator receives.
#[tokio::test]
async fn the_generators_key_comes_from_its_secret() {
    let server = MockServer::start().await;
    let key = "sk-from-secrets-manager-1234";
    Mock::given(method("GET"))
        .and(path("/models"))
        .and(wiremock::matchers::header(
            "authorization",
            format!("Bearer {key}"),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .mount(&server)
        .await;
    let mut options = StackOptions::for_test("generator-key");
    for (name, value) in [
        ("GENERATOR", "openai".to_owned()),
        ("GENERATOR_URL", server.uri()),
        ("GENERATOR_MODEL", "fake-model".to_owned()),
    ] {
        options.env_overrides.insert(name.to_owned(), value);
    }
    let h = Harness::start_with(options).await;

    // Not set yet: the check fails, without calling the generator with a wrong key.
    h.stack.fire(CHECKER).await.unwrap();
    let unset = public_health(&h).await;
    let generator = dependency(&unset.body, "generator");
    assert_eq!(generator["failures"], 1, "{unset:?}");
    assert!(
        generator["lastError"].as_str().unwrap().contains("not set"),
        "{generator}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // An operator puts the key: the next call reads it (a failed read is not kept; a read
    // key is, for the instance's life).
    let secret = h.stack.resources.secrets["GeneratorApiKeySecret"].clone();
    aws_sdk_secretsmanager::Client::new(&h.stack.sdk)
        .put_secret_value()
        .secret_id(&secret)
        .secret_string(key)
        .send()
        .await
        .unwrap();
    h.stack.fire(CHECKER).await.unwrap();
    let up = public_health(&h).await;
    assert_eq!(
        dependency(&up.body, "generator")["status"],
        "up",
        "{:?}",
        up.body
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
