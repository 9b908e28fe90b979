//! Cold starts of every function, as Lambda runs a `provided.al2023` bootstrap: this binary
//! serves the Lambda Runtime API (2018-06-01) on 127.0.0.1, execs each function's release
//! bootstrap with the environment Lambda gives it (its template.yaml variables resolved
//! against resources provisioned in the emulator), and times
//!
//! - init: from exec to the bootstrap's first `GET /runtime/invocation/next` (configuration,
//!   SDK clients, the runtime client), and
//! - the first invocation: from answering that `next` with the function's sample event from
//!   events/ to its response (or error) arriving,
//!
//! then kills the process. Every function is started `--starts` times (5); the table has
//! the medians. Run it with `./infra/bench-cold-start.sh`, which builds the bootstraps and
//! starts the emulator. A benchmark: it prints, it asserts nothing.
//!
//! `bench_cold_start [--bin-dir target/release] [--starts 5] [--target-ms 20] [binary...]`

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fountain_local::template::{FunctionEvent, FunctionSpec, Template};
use fountain_local::{default_template, emulator_sdk_config};
use serde_json::Value;
use tokio::sync::mpsc;

/// Lambda's region and the memory every function is given when the template sets none.
const REGION: &str = "us-east-1";
const DEFAULT_MEMORY_MB: &str = "256";

/// What the fake Runtime API saw, stamped when it saw it.
#[derive(Debug)]
enum Signal {
    /// The bootstrap asked for its first event and was given it.
    Next {
        request_id: String,
        received: Instant,
        answered: Instant,
    },
    Response {
        request_id: String,
        at: Instant,
        body: Bytes,
    },
    Error {
        request_id: String,
        at: Instant,
        body: Bytes,
    },
    InitError {
        at: Instant,
        body: Bytes,
    },
}

/// The one event the current bootstrap gets.
#[derive(Debug, Default)]
struct Pending {
    request_id: String,
    function_arn: String,
    deadline_ms: u64,
    event: Option<Bytes>,
}

#[derive(Clone)]
struct Api {
    pending: Arc<Mutex<Pending>>,
    signals: mpsc::UnboundedSender<Signal>,
}

impl Api {
    fn send(&self, signal: Signal) {
        // The receiver lives as long as the benchmark.
        let _ = self.signals.send(signal);
    }
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, r#"{"status":"OK"}"#).into_response()
}

async fn next(State(api): State<Api>) -> Response {
    let received = Instant::now();
    let taken = match api.pending.lock() {
        Ok(mut pending) => pending.event.take().map(|event| {
            (
                event,
                pending.request_id.clone(),
                pending.function_arn.clone(),
                pending.deadline_ms,
            )
        }),
        Err(_) => None,
    };
    let Some((event, request_id, arn, deadline_ms)) = taken else {
        // The second `next`: Lambda would freeze the environment here; the benchmark kills
        // the process instead. Answer never.
        return std::future::pending::<Response>().await;
    };
    let mut headers = HeaderMap::new();
    let values = [
        ("lambda-runtime-aws-request-id", request_id.clone()),
        ("lambda-runtime-deadline-ms", deadline_ms.to_string()),
        ("lambda-runtime-invoked-function-arn", arn),
        (
            "lambda-runtime-trace-id",
            format!("Root=1-00000000-{request_id:0>24.24};Parent=0000000000000001;Sampled=0"),
        ),
        ("content-type", "application/json".to_owned()),
    ];
    for (name, value) in values {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    let response = (StatusCode::OK, headers, event).into_response();
    api.send(Signal::Next {
        request_id,
        received,
        answered: Instant::now(),
    });
    response
}

async fn response(State(api): State<Api>, UrlPath(id): UrlPath<String>, body: Bytes) -> Response {
    let at = Instant::now();
    api.send(Signal::Response {
        request_id: id,
        at,
        body,
    });
    accepted()
}

async fn error(State(api): State<Api>, UrlPath(id): UrlPath<String>, body: Bytes) -> Response {
    let at = Instant::now();
    api.send(Signal::Error {
        request_id: id,
        at,
        body,
    });
    accepted()
}

async fn init_error(State(api): State<Api>, body: Bytes) -> Response {
    let at = Instant::now();
    api.send(Signal::InitError { at, body });
    accepted()
}

fn runtime_api(api: Api) -> Router {
    Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(api)
}

/// How one start ended.
#[derive(Debug, Clone)]
enum Outcome {
    /// The first invocation completed: its response summarised (HTTP status, the authorizer's
    /// decision, batch item failures).
    Completed(String),
    /// The handler reported an error (its errorType).
    InvocationError(String),
    InitError(String),
    Exited(String),
    TimedOut(&'static str),
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Outcome::Completed(summary) => summary.clone(),
            Outcome::InvocationError(kind) => format!("error: {kind}"),
            Outcome::InitError(kind) => format!("init error: {kind}"),
            Outcome::Exited(status) => format!("exited: {status}"),
            Outcome::TimedOut(phase) => format!("timed out in {phase}"),
        }
    }
}

#[derive(Debug)]
struct Start {
    init: Option<Duration>,
    invocation: Option<Duration>,
    outcome: Outcome,
}

fn error_type(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body)
        .ok()
        .map(|v| {
            let kind = v["errorType"].as_str().unwrap_or("?").to_owned();
            let message = v["errorMessage"].as_str().unwrap_or("");
            format!("{kind} ({})", message.chars().take(80).collect::<String>())
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(80).collect())
}

/// A function's response in a few words.
fn summarise(body: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return format!("{} bytes", body.len());
    };
    if let Some(status) = value.get("statusCode").and_then(Value::as_u64) {
        return format!("HTTP {status}");
    }
    if let Some(authorized) = value.get("isAuthorized").and_then(Value::as_bool) {
        return if authorized {
            "authorized".to_owned()
        } else {
            "not authorized".to_owned()
        };
    }
    if let Some(failures) = value.get("batchItemFailures").and_then(Value::as_array) {
        return if failures.is_empty() {
            "batch ok".to_owned()
        } else {
            format!("{} item failure(s)", failures.len())
        };
    }
    "ok".to_owned()
}

struct Benchmark {
    api: Api,
    signals: mpsc::UnboundedReceiver<Signal>,
    address: String,
    logs: PathBuf,
    counter: u64,
}

/// What one function is started with.
struct Subject<'a> {
    spec: &'a FunctionSpec,
    bootstrap: PathBuf,
    event: Bytes,
    env: BTreeMap<String, String>,
}

impl Benchmark {
    /// The environment Lambda gives every bootstrap, before the function's own variables.
    fn lambda_env(&self, spec: &FunctionSpec, endpoint: &str) -> BTreeMap<String, String> {
        let name = &spec.binary;
        [
            ("AWS_LAMBDA_RUNTIME_API", self.address.clone()),
            ("AWS_LAMBDA_FUNCTION_NAME", format!("fountain-{name}")),
            (
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                DEFAULT_MEMORY_MB.to_owned(),
            ),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
            (
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/fountain-{name}"),
            ),
            (
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "2026/11/25/[$LATEST]00000000000000000000000000000000".to_owned(),
            ),
            ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_owned()),
            ("AWS_LAMBDA_LOG_FORMAT", "JSON".to_owned()),
            ("AWS_LAMBDA_LOG_LEVEL", "INFO".to_owned()),
            ("AWS_REGION", REGION.to_owned()),
            ("AWS_DEFAULT_REGION", REGION.to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
            ("AWS_SESSION_TOKEN", "test".to_owned()),
            ("AWS_ENDPOINT_URL", endpoint.to_owned()),
            ("_HANDLER", "bootstrap".to_owned()),
            ("LAMBDA_TASK_ROOT", "/var/task".to_owned()),
            ("LAMBDA_RUNTIME_DIR", "/var/runtime".to_owned()),
            ("LANG", "en_US.UTF-8".to_owned()),
            ("TZ", ":UTC".to_owned()),
            ("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    fn log_file(&self, binary: &str) -> Result<File> {
        let path = self.logs.join(format!("{binary}.log"));
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("open {}", path.display()))
    }

    /// Waits for the next signal of this start (`request_id`), or the process's end, or
    /// `deadline`.
    async fn wait(
        &mut self,
        child: &mut Child,
        request_id: &str,
        deadline: Instant,
    ) -> Result<Option<Signal>> {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            let tick = (deadline - now).min(Duration::from_millis(20));
            match tokio::time::timeout(tick, self.signals.recv()).await {
                Ok(Some(signal)) => {
                    let mine = match &signal {
                        Signal::Next { request_id: id, .. }
                        | Signal::Response { request_id: id, .. }
                        | Signal::Error { request_id: id, .. } => id == request_id,
                        Signal::InitError { .. } => true,
                    };
                    if mine {
                        return Ok(Some(signal));
                    }
                }
                Ok(None) => bail!("the Runtime API stopped"),
                Err(_) => {
                    if let Some(status) = child.try_wait()? {
                        // A last signal may have raced the exit.
                        if let Ok(signal) = self.signals.try_recv() {
                            return Ok(Some(signal));
                        }
                        return Err(anyhow!(ExitedEarly(status.to_string())));
                    }
                }
            }
        }
    }

    async fn start_once(&mut self, subject: &Subject<'_>) -> Result<Start> {
        self.counter += 1;
        let request_id = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            std::process::id(),
            self.counter
        );
        let timeout = Duration::from_secs(subject.spec.timeout);
        let deadline_ms = chrono::Utc::now().timestamp_millis() as u64 + timeout.as_millis() as u64;
        if let Ok(mut pending) = self.api.pending.lock() {
            *pending = Pending {
                request_id: request_id.clone(),
                function_arn: format!(
                    "arn:aws:lambda:{REGION}:123456789012:function:fountain-{}",
                    subject.spec.binary
                ),
                deadline_ms,
                event: Some(subject.event.clone()),
            };
        }
        while self.signals.try_recv().is_ok() {}
        let log = self.log_file(&subject.spec.binary)?;
        let err = log.try_clone()?;

        let started = Instant::now();
        let mut child = Command::new(&subject.bootstrap)
            .env_clear()
            .envs(&subject.env)
            .current_dir(subject.bootstrap.parent().unwrap_or(Path::new(".")))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .with_context(|| format!("exec {}", subject.bootstrap.display()))?;
        let result = self.drive(&mut child, &request_id, started, timeout).await;
        let _ = child.kill();
        let _ = child.wait();
        match result {
            Ok(start) => Ok(start),
            Err(e) => match e.downcast::<ExitedEarly>() {
                Ok(ExitedEarly(status)) => Ok(Start {
                    init: None,
                    invocation: None,
                    outcome: Outcome::Exited(status),
                }),
                Err(e) => Err(e),
            },
        }
    }

    async fn drive(
        &mut self,
        child: &mut Child,
        request_id: &str,
        started: Instant,
        timeout: Duration,
    ) -> Result<Start> {
        // Lambda gives init 10 s.
        let init_deadline = started + Duration::from_secs(10);
        let (init, answered) = match self.wait(child, request_id, init_deadline).await? {
            Some(Signal::Next {
                received, answered, ..
            }) => (received - started, answered),
            Some(Signal::InitError { at, body }) => {
                return Ok(Start {
                    init: Some(at - started),
                    invocation: None,
                    outcome: Outcome::InitError(error_type(&body)),
                });
            }
            Some(other) => bail!("unexpected {other:?} before the first next"),
            None => {
                return Ok(Start {
                    init: None,
                    invocation: None,
                    outcome: Outcome::TimedOut("init"),
                });
            }
        };
        let deadline = answered + timeout;
        let (invocation, outcome) = match self.wait(child, request_id, deadline).await? {
            Some(Signal::Response { at, body, .. }) => {
                (Some(at - answered), Outcome::Completed(summarise(&body)))
            }
            Some(Signal::Error { at, body, .. }) => (
                Some(at - answered),
                Outcome::InvocationError(error_type(&body)),
            ),
            Some(other) => bail!("unexpected {other:?} during the first invocation"),
            None => (None, Outcome::TimedOut("the first invocation")),
        };
        Ok(Start {
            init: Some(init),
            invocation,
            outcome,
        })
    }
}

#[derive(Debug)]
struct ExitedEarly(String);

impl std::fmt::Display for ExitedEarly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the bootstrap exited: {}", self.0)
    }
}

impl std::error::Error for ExitedEarly {}

fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    values.get(values.len() / 2).copied()
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
        .unwrap_or_else(|| "-".to_owned())
}

fn kind(spec: &FunctionSpec, template: &Template) -> &'static str {
    if template.authorizer.as_deref() == Some(spec.logical_id.as_str()) {
        return "authorizer";
    }
    match spec.events.first() {
        Some(FunctionEvent::Http { .. }) => "HTTP",
        Some(FunctionEvent::Sqs { .. }) => "SQS",
        Some(FunctionEvent::Stream { .. }) => "stream",
        Some(FunctionEvent::Schedule { .. }) => "schedule",
        None => "-",
    }
}

/// Whether the function's main loads the AWS SDK configuration (its `src/bin/<binary>.rs`).
fn builds_sdk_clients(root: &Path, binary: &str) -> Option<bool> {
    let functions = std::fs::read_dir(root.join("functions")).ok()?;
    for crate_dir in functions.flatten() {
        let main = crate_dir
            .path()
            .join("src/bin")
            .join(format!("{binary}.rs"));
        if let Ok(text) = std::fs::read_to_string(&main) {
            return Some(text.contains("sdk_config"));
        }
    }
    None
}

struct Args {
    bin_dir: PathBuf,
    starts: usize,
    target_ms: f64,
    only: Vec<String>,
}

fn args(root: &Path) -> Result<Args> {
    let mut parsed = Args {
        bin_dir: root.join("target/release"),
        starts: 5,
        target_ms: 20.0,
        only: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow!("{arg} needs a value"));
        match arg.as_str() {
            "--bin-dir" => parsed.bin_dir = PathBuf::from(value()?),
            "--starts" => parsed.starts = value()?.parse().context("--starts")?,
            "--target-ms" => parsed.target_ms = value()?.parse().context("--target-ms")?,
            flag if flag.starts_with('-') => bail!(
                "usage: bench_cold_start [--bin-dir DIR] [--starts N] [--target-ms MS] [binary...]"
            ),
            _ => parsed.only.push(arg),
        }
    }
    parsed.bin_dir = std::path::absolute(&parsed.bin_dir)?;
    if parsed.starts == 0 {
        bail!("--starts must be at least 1");
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> Result<()> {
    let template_path = default_template();
    let root = std::fs::canonicalize(
        template_path
            .parent()
            .ok_or_else(|| anyhow!("template.yaml has no directory"))?,
    )?;
    let args = args(&root)?;

    // The template's resources, in the emulator, as the local runner provisions them.
    let sdk = emulator_sdk_config().await?;
    let endpoint = std::env::var("AWS_ENDPOINT_URL")?;
    let text = std::fs::read_to_string(&template_path)
        .with_context(|| format!("read {}", template_path.display()))?;
    let template = Template::parse(&text)?;
    let suffix = fountain_events::ids::new_id().to_lowercase();
    let prefix = format!("cold{}", suffix.get(20..).unwrap_or("x"));
    let parameters = fountain_local::local_parameters("http://127.0.0.1");
    let resources = fountain_local::provision::provision(&sdk, &template, &prefix, &parameters)
        .await
        .context("provision template.yaml in the emulator")?;
    fountain_local::install_signing_keys(
        &sdk,
        &resources,
        &fountain_auth::SigningKeySet::local_development(),
    )
    .await?;

    let (tx, rx) = mpsc::unbounded_channel();
    let api = Api {
        pending: Arc::new(Mutex::new(Pending::default())),
        signals: tx,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?.to_string();
    let router = runtime_api(api.clone());
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            eprintln!("the Runtime API stopped: {e}");
        }
    });
    let logs = root.join(".local/cold-start");
    std::fs::create_dir_all(&logs)?;
    for entry in std::fs::read_dir(&logs)?.flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    let mut bench = Benchmark {
        api,
        signals: rx,
        address,
        logs,
        counter: 0,
    };

    println!("# Cold starts ({} starts per function)\n", args.starts);
    println!(
        "Release bootstraps from {}, served by a local Lambda Runtime API; AWS calls go to \
         the emulator. init: exec to the first `next`; first invocation: the sample event \
         from events/ answered to its response. Medians (min..max).\n",
        args.bin_dir.display()
    );
    println!(
        "| function | kind | SDK at init | init ms | init min..max | first invocation ms | result |"
    );
    println!("|---|---|---|---:|---:|---:|---|");
    let mut over = Vec::new();
    let mut failed = Vec::new();
    let mut inits_all = Vec::new();
    let mut specs: Vec<&FunctionSpec> = template.functions.iter().collect();
    specs.sort_by(|a, b| a.binary.cmp(&b.binary));
    for spec in specs {
        if !args.only.is_empty() && !args.only.contains(&spec.binary) {
            continue;
        }
        let bootstrap = args.bin_dir.join(&spec.binary);
        if !bootstrap.is_file() {
            failed.push(format!(
                "{}: no bootstrap at {}",
                spec.binary,
                bootstrap.display()
            ));
            continue;
        }
        let event_path = root.join("events").join(format!("{}.json", spec.binary));
        let event = match std::fs::read(&event_path) {
            Ok(bytes) => Bytes::from(bytes),
            Err(_) => {
                failed.push(format!(
                    "{}: no sample event {}",
                    spec.binary,
                    event_path.display()
                ));
                continue;
            }
        };
        let mut env = bench.lambda_env(spec, &endpoint);
        for (name, value) in template.global_env.iter().chain(spec.env.iter()) {
            let resolved = resources
                .resolve(value)
                .ok_or_else(|| anyhow!("{}: cannot resolve {name}", spec.logical_id))?;
            env.insert(name.clone(), resolved);
        }
        let subject = Subject {
            spec,
            bootstrap,
            event,
            env,
        };
        let mut inits = Vec::new();
        let mut invocations = Vec::new();
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..args.starts {
            let start = bench.start_once(&subject).await?;
            inits.extend(start.init);
            invocations.extend(start.invocation);
            *outcomes.entry(start.outcome.describe()).or_default() += 1;
        }
        let sdk = builds_sdk_clients(&root, &spec.binary);
        let init = median(inits.clone());
        let result = outcomes
            .iter()
            .map(|(outcome, n)| {
                if *n == args.starts {
                    outcome.clone()
                } else {
                    format!("{outcome} x{n}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let range = match (inits.iter().min(), inits.iter().max()) {
            (Some(min), Some(max)) => format!("{}..{}", ms(Some(*min)), ms(Some(*max))),
            _ => "-".to_owned(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            spec.binary,
            kind(spec, &template),
            match sdk {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            },
            ms(init),
            range,
            ms(median(invocations)),
            result
        );
        if let Some(init) = init {
            inits_all.push(init);
            if init.as_secs_f64() * 1000.0 >= args.target_ms {
                over.push(format!("{} ({} ms)", spec.binary, ms(Some(init))));
            }
        }
    }
    println!();
    println!(
        "Median of the functions' median inits: {} ms.",
        ms(median(inits_all))
    );
    if over.is_empty() {
        println!("Every init is under the {} ms target.", args.target_ms);
    } else {
        println!(
            "Over the {} ms init target: {}.",
            args.target_ms,
            over.join(", ")
        );
    }
    for problem in &failed {
        println!("Not measured: {problem}");
    }
    println!("\nThe bootstraps' logs: {}", bench.logs.display());
    Ok(())
}
