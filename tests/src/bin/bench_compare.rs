//! One client for two services, so they can be compared side by side: this product's local
//! stack and the original FountainAI character service it replaces (FastAPI + SQLite, which
//! is not part of this repository: start it yourself and pass its URL).
//!
//! It creates `--creates` characters one after another (one client), then fills up to
//! `--list` characters and reads them all back, five times, page by page where the service
//! pages. Printed: requests per second, p50/p99, and for each `--pid NAME=PID` the CPU time
//! per request and the RSS, read from /proc.
//!
//! cargo run --release -p fountain-e2e --bin bench_compare -- --target fountain \
//!     --url http://127.0.0.1:3000 --pid runner=123 --pid emulator=456
//! cargo run --release -p fountain-e2e --bin bench_compare -- --target original \
//!     --url http://127.0.0.1:8000 --pid service=789
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Target {
    /// This product: register, log in, one script, its characters.
    Fountain,
    /// The original character service: POST /characters, GET /characters.
    Original,
}

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum)]
    target: Target,
    #[arg(long)]
    url: String,
    /// Processes to account, as NAME=PID (repeatable).
    #[arg(long)]
    pid: Vec<String>,
    #[arg(long, default_value_t = 500)]
    creates: usize,
    #[arg(long, default_value_t = 2000)]
    list: usize,
}

struct Client {
    http: reqwest::Client,
    url: String,
    target: Target,
    token: String,
    script: String,
}

impl Client {
    async fn start(args: &Args) -> Self {
        let mut client = Client {
            http: reqwest::Client::new(),
            url: args.url.trim_end_matches('/').to_owned(),
            target: args.target,
            token: String::new(),
            script: String::new(),
        };
        if let Target::Fountain = args.target {
            // The per-user limit (600 a minute by default) would refuse a benchmark's pace.
            let admin =
                fountain_local::dev_token("compare-admin", &["admin".to_owned()], 60).unwrap();
            let raised = client
                .http
                .put(format!("{}/config/MAX_REQUESTS_PER_MINUTE", client.url))
                .bearer_auth(admin)
                .json(&json!({ "value": 100_000 }))
                .send()
                .await
                .unwrap();
            assert!(
                raised.status().is_success(),
                "raising the rate limit: {raised:?}"
            );
            let email = format!("compare-{}@example.org", std::process::id());
            let account = json!({ "email": email, "password": "a long and fine passphrase" });
            client.post("/auth/register", &account).await;
            let tokens = client.post("/auth/login", &account).await;
            client.token = tokens["accessToken"].as_str().unwrap().to_owned();
            let script = client
                .post("/scripts", &json!({ "title": "Compare" }))
                .await;
            client.script = script["scriptId"].as_str().unwrap().to_owned();
        }
        client
    }

    async fn post(&self, path: &str, body: &Value) -> Value {
        let mut request = self.http.post(format!("{}{path}", self.url)).json(body);
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "POST {path}: {status} {body}");
        body
    }

    async fn get(&self, path: &str) -> Value {
        let mut request = self.http.get(format!("{}{path}", self.url));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status.is_success(), "GET {path}: {status} {body}");
        body
    }

    async fn create_character(&self, n: usize) {
        let name = format!("Character {n:05}");
        match self.target {
            Target::Fountain => {
                let path = format!("/scripts/{}/characters", self.script);
                self.post(
                    &path,
                    &json!({ "name": name, "description": "a face in the crowd" }),
                )
                .await
            }
            Target::Original => {
                let body = json!({ "name": name, "description": "a face in the crowd", "comment": "compare" });
                self.post("/characters", &body).await
            }
        };
    }

    /// Every character, as a client reads them: (how many, requests made).
    async fn list_all(&self) -> (usize, usize) {
        match self.target {
            Target::Original => (self.get("/characters").await.as_array().unwrap().len(), 1),
            Target::Fountain => {
                let base = format!("/scripts/{}/characters?limit=1000", self.script);
                let (mut count, mut requests, mut cursor) = (0, 0, None::<String>);
                loop {
                    let path = match &cursor {
                        Some(c) => format!("{base}&cursor={c}"),
                        None => base.clone(),
                    };
                    let page = self.get(&path).await;
                    requests += 1;
                    count += page["items"].as_array().unwrap().len();
                    match page["nextCursor"].as_str() {
                        Some(next) => cursor = Some(next.to_owned()),
                        None => return (count, requests),
                    }
                }
            }
        }
    }
}

/// CPU time (user + system) and RSS of a process, from /proc.
fn process(pid: &str) -> (Duration, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    // After the command: state is field 3, utime 14 and stime 15 (1-based) of the whole line.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (Duration::from_millis(ticks * 10), rss_kb / 1024)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let pids: Vec<(String, String)> = args
        .pid
        .iter()
        .map(|p| {
            let (name, pid) = p.split_once('=').expect("--pid NAME=PID");
            (name.to_owned(), pid.to_owned())
        })
        .collect();
    let client = Client::start(&args).await;
    let cpu =
        |pids: &[(String, String)]| pids.iter().map(|(_, p)| process(p).0).collect::<Vec<_>>();

    let before = cpu(&pids);
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(args.creates);
    for n in 0..args.creates {
        let sent = Instant::now();
        client.create_character(n).await;
        latencies.push(sent.elapsed());
    }
    let took = started.elapsed();
    let after = cpu(&pids);
    latencies.sort();
    println!(
        "## {:?}: create a character, 1 client, {} requests\n",
        args.target, args.creates
    );
    println!(
        "- {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms",
        args.creates as f64 / took.as_secs_f64(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99))
    );
    for ((name, pid), (b, a)) in pids.iter().zip(before.iter().zip(&after)) {
        println!(
            "- {name}: {:.2} ms CPU per request, RSS {} MB",
            ms(*a - *b) / args.creates as f64,
            process(pid).1
        );
    }

    for n in args.creates..args.list {
        client.create_character(n).await;
    }
    let before = cpu(&pids);
    let mut times = Vec::new();
    let mut shape = (0, 0);
    for _ in 0..5 {
        let sent = Instant::now();
        shape = client.list_all().await;
        times.push(sent.elapsed());
    }
    let after = cpu(&pids);
    times.sort();
    println!(
        "\n## {:?}: list {} characters, all pages (median of 5)\n",
        args.target, shape.0
    );
    println!("- {:.1} ms in {} requests", ms(times[2]), shape.1);
    for ((name, pid), (b, a)) in pids.iter().zip(before.iter().zip(&after)) {
        println!(
            "- {name}: {:.1} ms CPU per listing, RSS {} MB",
            ms(*a - *b) / 5.0,
            process(pid).1
        );
    }
}
