//! What each API operation costs: the DynamoDB calls, item writes and capacity units of the
//! request itself (authorizer and handler, with the stream paused so nothing else runs) and of
//! what its events cause afterwards (relay, event store, consumers), and the price of a million
//! calls at AWS's published on-demand prices. Run it with `./infra/bench.sh` or alone over an
//! emulator: `cargo run -p fountain-e2e --bin bench_cost`.
//!
//! Units are counted by the emulator as AWS bills them (infra/scripts/fountain_moto/capacity.py);
//! times are of this machine's local stack (debug build, moto), so the Lambda duration in the
//! price is an estimate: the local request time, which moto's per-call latency keeps in the
//! range of DynamoDB's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use fountain_e2e::bench::Usage;
use fountain_e2e::{Harness, Reply};
use reqwest::Method;
use serde_json::{Value, json};

/// us-east-1 on-demand prices, as published in 2025-2026 (USD).
mod price {
    pub const API_GATEWAY_HTTP_PER_MILLION: f64 = 1.00;
    pub const LAMBDA_REQUESTS_PER_MILLION: f64 = 0.20;
    pub const LAMBDA_ARM64_PER_GB_SECOND: f64 = 0.000_013_333_4;
    pub const DYNAMODB_WRITE_UNITS_PER_MILLION: f64 = 0.625;
    pub const DYNAMODB_READ_UNITS_PER_MILLION: f64 = 0.125;
    pub const EVENTBRIDGE_EVENTS_PER_MILLION: f64 = 1.00;
    pub const SQS_REQUESTS_PER_MILLION: f64 = 0.40;
}

/// The template's default function memory (template.yaml, Globals).
const MEMORY_GB: f64 = 0.25;
const USER: &str = "writer";

struct Row {
    operation: &'static str,
    status: u16,
    took: Duration,
    sync: Usage,
    after: Usage,
    events: u64,
    consumers: u64,
}

struct Costs {
    h: Harness,
    tables: [String; 2],
    rows: Vec<Row>,
}

impl Costs {
    async fn usage(&self) -> Usage {
        let app = Usage::now(&self.h, &self.tables[0]).await;
        let events = Usage::now(&self.h, &self.tables[1]).await;
        app.plus(&events)
    }

    /// Waits until nothing has touched the tables for a second: every consumer is done.
    async fn settle(&self) -> Usage {
        let mut last = self.usage().await;
        let mut quiet = 0;
        let deadline = Instant::now() + Duration::from_secs(20);
        while quiet < 4 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let now = self.usage().await;
            if now.total_calls() == last.total_calls() {
                quiet += 1;
            } else {
                quiet = 0;
            }
            last = now;
        }
        last
    }

    /// Sends one request and records what it and its consequences cost.
    async fn measure(
        &mut self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Reply {
        if std::env::var_os("FOUNTAIN_TRACE_DYNAMODB").is_some() {
            // A marker in the emulator's trace: a call on a table that does not exist.
            let _ = aws_sdk_dynamodb::Client::new(&self.h.stack.sdk)
                .describe_table()
                .table_name(format!("MARK-{}", operation.replace([' ', '(', ')'], "")))
                .send()
                .await;
        }
        let before = self.settle().await;
        let events_before = self.event_count().await;
        let paused = self.h.stack.pause_streams().await;
        let mut request = self.h.request(method, path, Some(USER));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(etag) = if_match {
            request = request.header("if-match", etag);
        }
        let started = Instant::now();
        let reply = Harness::send(request).await;
        let took = started.elapsed();
        let sync = self.usage().await.since(&before);
        drop(paused);
        let after = self.settle().await.since(&before).since(&sync);
        let events = self.event_count().await - events_before;
        let consumers = after.calls.get("TransactWriteItems").copied().unwrap_or(0);
        self.rows.push(Row {
            operation,
            status: reply.status,
            took,
            sync,
            after,
            events,
            consumers,
        });
        reply
    }

    /// Events in the event store: what the relay published (each one EventBridge entry).
    async fn event_count(&self) -> u64 {
        let usage = Usage::now(&self.h, &self.tables[1]).await;
        usage.calls.get("PutItem").copied().unwrap_or(0)
            + usage.calls.get("TransactWriteItems").copied().unwrap_or(0)
    }
}

fn calls(usage: &Usage) -> String {
    usage
        .calls
        .iter()
        .map(|(op, n)| format!("{} {n}", short(op)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short(operation: &str) -> &str {
    match operation {
        "TransactWriteItems" => "Tx",
        "BatchWriteItem" => "BatchW",
        "BatchGetItem" => "BatchG",
        other => other.strip_suffix("Item").unwrap_or(other),
    }
}

/// USD per million calls of an operation: API Gateway, two Lambda invocations (authorizer and
/// handler) for the measured time, DynamoDB units, EventBridge entries, and for each event
/// the SQS requests of its deliveries (send, receive, delete per consumer) and their Lambda
/// invocations at a few milliseconds each.
fn price_per_million(row: &Row) -> f64 {
    let lambda_seconds = row.took.as_secs_f64().max(0.001);
    let invocations = 2.0;
    let api = price::API_GATEWAY_HTTP_PER_MILLION;
    let lambda = invocations * price::LAMBDA_REQUESTS_PER_MILLION
        + lambda_seconds * MEMORY_GB * price::LAMBDA_ARM64_PER_GB_SECOND * 1e6;
    let units = row.sync.read_units + row.after.read_units;
    let writes = row.sync.write_units + row.after.write_units;
    let dynamodb = units * price::DYNAMODB_READ_UNITS_PER_MILLION
        + writes * price::DYNAMODB_WRITE_UNITS_PER_MILLION;
    let events = row.events as f64;
    let deliveries = row.consumers.max(row.events) as f64;
    let async_side = events * price::EVENTBRIDGE_EVENTS_PER_MILLION
        + deliveries
            * (3.0 * price::SQS_REQUESTS_PER_MILLION
                + price::LAMBDA_REQUESTS_PER_MILLION
                + 0.005 * MEMORY_GB * price::LAMBDA_ARM64_PER_GB_SECOND * 1e6);
    api + lambda + dynamodb + async_side
}

fn print(rows: &[Row]) {
    println!("# Cost per operation\n");
    println!(
        "Sync: the request (authorizer + handler). After: what its events cause (relay, event \
         store, consumers). RRU/WRU: read and write request units as AWS on-demand bills them \
         (transactions count double). Local time: debug build over moto.\n"
    );
    println!(
        "| operation | status | sync calls | sync RRU | sync WRU | after calls | after RRU | after WRU | events | local ms | USD per 1M |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} ({}) | {} | {} | {} ({}) | {} | {} | {} | {:.1} | {:.2} |",
            row.operation,
            row.status,
            row.sync.total_calls(),
            calls(&row.sync),
            row.sync.read_units,
            row.sync.write_units,
            row.after.total_calls(),
            calls(&row.after),
            row.after.read_units,
            row.after.write_units,
            row.events,
            row.took.as_secs_f64() * 1000.0,
            price_per_million(row),
        );
    }
}

fn id(reply: &Reply, field: &str) -> String {
    reply.body[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {:?}", reply.body))
        .to_owned()
}

fn etag(reply: &Reply) -> String {
    reply.header("etag").unwrap().to_owned()
}

#[tokio::main]
async fn main() {
    let h = Harness::start("cost").await;
    let tables = [
        h.stack.table_name("AppTable").unwrap().to_owned(),
        h.stack.table_name("EventStoreTable").unwrap().to_owned(),
    ];
    let mut c = Costs {
        h,
        tables,
        rows: Vec::new(),
    };
    // A script with a scene, a character and a few lines, made before measuring.
    let (script, _) = c.h.create_script(USER, "Costs").await;
    let base = format!("/scripts/{script}");
    let scene = id(
        &c.h.post(
            &format!("{base}/sections"),
            USER,
            json!({ "level": "scene", "title": "INT. KITCHEN - NIGHT" }),
        )
        .await,
        "sectionId",
    );
    let elements = format!("{base}/sections/{scene}/elements");
    for n in 0..5 {
        c.h.post(
            &elements,
            USER,
            json!({ "kind": "action", "text": format!("Line {n}.") }),
        )
        .await;
    }

    c.measure("health", Method::GET, "/health", None, None)
        .await;
    c.measure("get_me", Method::GET, "/me", None, None).await;
    let created = c
        .measure(
            "create_script",
            Method::POST,
            "/scripts",
            Some(json!({ "title": "Another", "comment": "cost" })),
            None,
        )
        .await;
    let other = format!("/scripts/{}", id(&created, "scriptId"));
    let got = c
        .measure("get_script", Method::GET, &other, None, None)
        .await;
    c.measure("list_scripts", Method::GET, "/scripts", None, None)
        .await;
    c.measure(
        "update_script",
        Method::PATCH,
        &other,
        Some(json!({ "title": "Renamed" })),
        Some(&etag(&got)),
    )
    .await;

    let characters = format!("{base}/characters");
    let character = c
        .measure(
            "create_character",
            Method::POST,
            &characters,
            Some(json!({ "name": "MARA", "description": "the cook" })),
            None,
        )
        .await;
    let mara = format!("{characters}/{}", id(&character, "characterId"));
    let got = c
        .measure("get_character", Method::GET, &mara, None, None)
        .await;
    c.measure("list_characters", Method::GET, &characters, None, None)
        .await;
    let updated = c
        .measure(
            "update_character",
            Method::PATCH,
            &mara,
            Some(json!({ "description": "the cook, tired" })),
            Some(&etag(&got)),
        )
        .await;

    let sections = format!("{base}/sections");
    c.measure(
        "create_section",
        Method::POST,
        &sections,
        Some(json!({ "level": "scene", "title": "EXT. ROAD - DAY" })),
        None,
    )
    .await;
    c.measure("list_sections", Method::GET, &sections, None, None)
        .await;
    let element = c
        .measure(
            "create_element",
            Method::POST,
            &elements,
            Some(json!({ "kind": "action", "text": "She sits.", "position": 2 })),
            None,
        )
        .await;
    let line = format!("{base}/elements/{}", id(&element, "elementId"));
    let got = c
        .measure("get_element", Method::GET, &line, None, None)
        .await;
    let listed = c
        .measure("list_elements", Method::GET, &elements, None, None)
        .await;
    c.measure(
        "update_element",
        Method::PATCH,
        &line,
        Some(json!({ "text": "She sits down." })),
        Some(&etag(&got)),
    )
    .await;
    c.measure(
        "move_element",
        Method::POST,
        &format!("{line}/move"),
        Some(json!({ "position": 5 })),
        None,
    )
    .await;
    let listed_etag = c.h.get(&elements, USER).await;
    let mut order: Vec<String> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["elementId"].as_str().unwrap().to_owned())
        .collect();
    order.swap(0, 1);
    c.measure(
        "reorder_elements",
        Method::POST,
        &format!("{elements}/reorder"),
        Some(json!({ "order": order })),
        Some(&etag(&listed_etag)),
    )
    .await;

    c.measure(
        "create_paraphrase",
        Method::POST,
        &format!("{base}/paraphrases"),
        Some(json!({ "target": { "type": "character", "id": id(&character, "characterId") }, "text": "Mara, who cooks." })),
        None,
    )
    .await;
    c.measure(
        "get_story (miss)",
        Method::GET,
        &format!("{base}/story"),
        None,
        None,
    )
    .await;
    c.measure(
        "get_story (hit)",
        Method::GET,
        &format!("{base}/story"),
        None,
        None,
    )
    .await;
    c.measure(
        "export_fountain",
        Method::GET,
        &format!("{base}/fountain"),
        None,
        None,
    )
    .await;
    c.measure(
        "create_version",
        Method::POST,
        &format!("{base}/versions"),
        Some(json!({ "comment": "draft" })),
        None,
    )
    .await;
    let session = c
        .measure(
            "start_session",
            Method::POST,
            "/sessions",
            Some(json!({ "scriptId": script, "title": "act two" })),
            None,
        )
        .await;
    let session = format!("/sessions/{}", id(&session, "sessionId"));
    c.measure(
        "create_context_entry",
        Method::POST,
        &format!("{session}/context"),
        Some(json!({ "key": "mood", "value": "tired" })),
        None,
    )
    .await;
    c.measure(
        "end_session",
        Method::POST,
        &format!("{session}/end"),
        Some(json!({})),
        None,
    )
    .await;
    c.measure(
        "list_notifications",
        Method::GET,
        "/notifications",
        None,
        None,
    )
    .await;
    c.measure(
        "delete_character",
        Method::DELETE,
        &mara,
        None,
        Some(&etag(&updated)),
    )
    .await;
    c.measure("delete_element", Method::DELETE, &line, None, None)
        .await;

    print(&c.rows);
}
