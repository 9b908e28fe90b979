//! A whole local stack: the template provisioned in the emulator, every function built with
//! its environment, the HTTP API served, and the queues and the stream polled.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use fountain_auth::SigningKeySet;
use fountain_runtime::Env;
use fountain_runtime::function::Kind;
use std::sync::Arc;

use tokio::sync::{OwnedRwLockWriteGuard, RwLock};
use tokio::task::JoinHandle;
use tracing::info;

use crate::functions::{self, Invoker};
use crate::gateway::{self, Route};
use crate::live::{self, LiveGateway};
use crate::mappings::{Mapping, Mappings};
use crate::pollers;
use crate::provision::{Resources, provision};
use crate::schedules::{self, Schedule};
use crate::template::{FunctionEvent, Template};

/// The functions' address of the WebSocket API's management API: in AWS the API's stage
/// URL, locally the runner's own [`live::MANAGEMENT_PATH`].
pub const LIVE_ENDPOINT: &str = "LIVE_ENDPOINT";

/// The sender of the local stack's emails (the emulator's SES keeps them).
pub const LOCAL_MAIL_FROM: &str = "no-reply@fountain.local";

#[derive(Debug, Clone)]
pub struct StackOptions {
    pub template: PathBuf,
    /// Prefix of every resource name, so stacks can share one emulator.
    pub prefix: String,
    pub bind: SocketAddr,
    /// The signing keys the stack starts with (the local development key; in AWS,
    /// rotate_signing_keys makes them, and functions refuse the local key).
    pub signing_keys: SigningKeySet,
    /// Environment variables set on every function after template.yaml's (tests use it to
    /// point a function at a missing resource).
    pub env_overrides: BTreeMap<String, String>,
    /// Logical ids of functions whose queues and streams the stack does not poll: a test
    /// drives them itself (their HTTP routes, if any, still work).
    pub unpolled: Vec<String>,
    /// Whether the runner's clock fires the template's schedules. Tests leave it off and
    /// fire a schedule when they choose ([`LocalStack::fire`]), so no run races them.
    pub run_schedules: bool,
}

impl StackOptions {
    /// Options for a test: a unique prefix and an ephemeral port.
    pub fn for_test(name: &str) -> Self {
        Self {
            template: default_template(),
            prefix: format!(
                "t{}-{}",
                fountain_events::ids::new_id()
                    .to_lowercase()
                    .get(16..)
                    .unwrap_or("x"),
                name
            ),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            signing_keys: SigningKeySet::local_development(),
            env_overrides: BTreeMap::new(),
            unpolled: Vec::new(),
            run_schedules: false,
        }
    }
}

/// The template parameters without a default, as the local stack sets them. No web app runs
/// locally: the links of emails name `app_url` (the API's address), and their tokens are
/// read from the emails (`GET /_local/emails`).
pub fn local_parameters(app_url: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("MailFromAddress".to_owned(), LOCAL_MAIL_FROM.to_owned()),
        ("AppUrl".to_owned(), app_url.to_owned()),
    ])
}

/// Writes `keys` (private) and their public set into the stack's two key secrets, as
/// rotate_signing_keys would in AWS.
pub async fn install_signing_keys(
    sdk: &SdkConfig,
    resources: &Resources,
    keys: &SigningKeySet,
) -> Result<()> {
    let secret = |logical_id: &str| {
        resources
            .secrets
            .get(logical_id)
            .ok_or_else(|| anyhow!("template.yaml has no secret {logical_id}"))
    };
    fountain_identity::rotation::store_key_sets(
        &aws_sdk_secretsmanager::Client::new(sdk),
        secret("VerificationKeysSecret")?,
        secret("SigningKeysSecret")?,
        keys,
    )
    .await
    .context("install the signing keys")
}

/// template.yaml at the root of the workspace.
pub fn default_template() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml"))
}

/// The SDK configuration for the emulator named by `AWS_ENDPOINT_URL`. Refuses to run without
/// one, so the local stack can never touch a real AWS account.
pub async fn emulator_sdk_config() -> Result<SdkConfig> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").map_err(|_| {
        anyhow!("AWS_ENDPOINT_URL is not set: start the emulator first (see README)")
    })?;
    if !(endpoint.starts_with("http://127.") || endpoint.starts_with("http://localhost")) {
        bail!("AWS_ENDPOINT_URL must point at the local emulator, not {endpoint}");
    }
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "local-emulator");
    Ok(aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(
            std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into()),
        ))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .load()
        .await)
}

pub struct LocalStack {
    pub address: SocketAddr,
    pub template: Template,
    pub resources: Resources,
    pub sdk: SdkConfig,
    invokers: BTreeMap<String, Invoker>,
    tasks: Vec<JoinHandle<()>>,
    stream_gate: Arc<RwLock<()>>,
    mappings: Mappings,
}

impl Drop for LocalStack {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl LocalStack {
    pub async fn start(options: StackOptions) -> Result<Self> {
        let sdk = emulator_sdk_config().await?;
        let text = std::fs::read_to_string(&options.template)
            .with_context(|| format!("read {}", options.template.display()))?;
        let template = Template::parse(&text)?;
        // Bound first: the functions are told where the runner's own APIs are.
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .with_context(|| format!("bind {}", options.bind))?;
        let address = listener.local_addr()?;
        let parameters = local_parameters(&format!("http://{address}"));
        let resources = provision(&sdk, &template, &options.prefix, &parameters).await?;
        install_signing_keys(&sdk, &resources, &options.signing_keys).await?;

        let mut invokers = BTreeMap::new();
        for function in &template.functions {
            let mut vars = std::collections::HashMap::new();
            for (name, value) in template.global_env.iter().chain(function.env.iter()) {
                if name == LIVE_ENDPOINT {
                    continue; // the runner serves the management API itself
                }
                let resolved = resources
                    .resolve(value)
                    .ok_or_else(|| anyhow!("{}: cannot resolve {name}", function.logical_id))?;
                vars.insert(name.clone(), resolved);
            }
            vars.insert("LAMBDA_ENDPOINT".to_owned(), format!("http://{address}"));
            vars.insert(
                LIVE_ENDPOINT.to_owned(),
                format!("http://{address}{}", live::MANAGEMENT_PATH),
            );
            vars.extend(options.env_overrides.clone());
            let invoker = functions::build(&function.binary, &Env::from_map(vars), &sdk)
                .with_context(|| format!("configure {}", function.logical_id))?;
            invokers.insert(function.logical_id.clone(), invoker);
        }

        let mut routes = Vec::new();
        let mut tasks = Vec::new();
        let mut mappings = Vec::new();
        let stream_gate = Arc::new(RwLock::new(()));
        for function in &template.functions {
            let invoker = invokers
                .get(&function.logical_id)
                .cloned()
                .ok_or_else(|| anyhow!("{} was not built", function.logical_id))?;
            let polled = !options.unpolled.contains(&function.logical_id);
            for event in &function.events {
                match event {
                    FunctionEvent::Http {
                        method,
                        path,
                        public,
                    } => routes.push(Route {
                        method: method.clone(),
                        path: path.clone(),
                        function: invoker.clone(),
                        public: *public,
                    }),
                    FunctionEvent::Schedule { expression } => {
                        let schedule = Schedule::parse(expression)
                            .with_context(|| format!("{}'s schedule", function.logical_id))?;
                        if options.run_schedules {
                            tasks.push(tokio::spawn(schedules::run(
                                schedule,
                                invoker.clone(),
                                format!("{}-{}", options.prefix, function.logical_id),
                                region(&sdk),
                            )));
                        }
                    }
                    FunctionEvent::Sqs { .. } | FunctionEvent::Stream { .. } if !polled => {}
                    FunctionEvent::Sqs { queue, batch_size } => {
                        let queue = resources
                            .queues
                            .get(queue)
                            .cloned()
                            .ok_or_else(|| anyhow!("unknown queue {queue}"))?;
                        // Locally a queue starts with one poller; the scaler may raise it.
                        let (concurrency, follows) = tokio::sync::watch::channel(1);
                        for index in 0..pollers::MAX_CONCURRENCY {
                            tasks.push(tokio::spawn(pollers::poll_queue(
                                sdk.clone(),
                                queue.clone(),
                                invoker.clone(),
                                *batch_size,
                                index,
                                follows.clone(),
                            )));
                        }
                        mappings.push(Mapping {
                            uuid: format!("{}-{}", function.logical_id, queue.name),
                            function: function.logical_id.clone(),
                            queue_arn: queue.arn.clone(),
                            batch_size: *batch_size,
                            concurrency,
                        });
                    }
                    FunctionEvent::Stream { table, batch_size } => {
                        let stream = resources
                            .tables
                            .get(table)
                            .and_then(|t| t.1.clone())
                            .ok_or_else(|| anyhow!("table {table} has no stream"))?;
                        tasks.push(tokio::spawn(pollers::poll_stream(
                            sdk.clone(),
                            stream,
                            invoker.clone(),
                            *batch_size,
                            stream_gate.clone(),
                        )));
                    }
                }
            }
        }
        let authorizer = template
            .authorizer
            .as_ref()
            .and_then(|id| invokers.get(id))
            .cloned();
        let mappings = Mappings(Arc::new(mappings));
        let live_routes = template
            .functions
            .iter()
            .filter_map(|f| match fountain_registry::function(&f.binary)?.kind {
                Kind::WebSocket { route } => {
                    Some((route.to_owned(), invokers.get(&f.logical_id)?.clone()))
                }
                _ => None,
            })
            .collect();
        let router = gateway::router(routes, authorizer)?
            .merge(LiveGateway::new(live_routes).router())
            .merge(local_routes(
                &template,
                &invokers,
                &options.prefix,
                &region(&sdk),
            ))
            .merge(mappings.routes(&region(&sdk)));
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        }));
        info!(%address, prefix = options.prefix, functions = invokers.len(), "local stack up");
        Ok(Self {
            address,
            template,
            resources,
            sdk,
            invokers,
            tasks,
            stream_gate,
            mappings,
        })
    }

    /// The current `MaximumConcurrency` of the queue mapping of the function `logical_id`.
    pub fn concurrency(&self, logical_id: &str) -> Option<u32> {
        self.mappings.concurrency(logical_id)
    }

    /// Stops reading the tables' streams until the guard is dropped, once the batch in flight
    /// is handled: tests use it to change the world between two relay runs.
    pub async fn pause_streams(&self) -> OwnedRwLockWriteGuard<()> {
        self.stream_gate.clone().write_owned().await
    }

    /// Runs the scheduled function `logical_id` once, now, as its schedule would.
    pub async fn fire(&self, logical_id: &str) -> Result<()> {
        let function = self
            .invokers
            .get(logical_id)
            .ok_or_else(|| anyhow!("no function {logical_id}"))?;
        schedules::fire(function, logical_id, &region(&self.sdk))
            .await
            .map_err(|e| anyhow!("{logical_id}: {e}"))
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The function with this logical id, to invoke directly.
    pub fn invoker(&self, logical_id: &str) -> Option<&Invoker> {
        self.invokers.get(logical_id)
    }

    /// Physical name, URL and ARN of a queue of the template.
    pub fn queue(&self, logical_id: &str) -> Option<&crate::provision::Queue> {
        self.resources.queues.get(logical_id)
    }

    pub fn table_name(&self, logical_id: &str) -> Option<&str> {
        self.resources.tables.get(logical_id).map(|t| t.0.as_str())
    }

    pub fn bucket_name(&self, logical_id: &str) -> Option<&str> {
        self.resources.buckets.get(logical_id).map(String::as_str)
    }

    pub fn bus_name(&self, logical_id: &str) -> Option<&str> {
        self.resources.buses.get(logical_id).map(|b| b.0.as_str())
    }
}

fn region(sdk: &SdkConfig) -> String {
    sdk.region().map(|r| r.to_string()).unwrap_or_default()
}

/// `GET /_local/emails?to=<address>`: the emails sent to an address, oldest first (no inbox
/// exists locally; the emulator's SES keeps what was sent).
async fn emails_route(
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let to = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "to")
        .map(|(_, value)| value.into_owned());
    let Some(to) = to else {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            "name the address: /_local/emails?to=<address>\n",
        )
            .into_response();
    };
    match crate::emails::sent_to(&to).await {
        Ok(emails) => axum::Json(emails).into_response(),
        Err(e) => (axum::http::StatusCode::BAD_GATEWAY, format!("{e:#}\n")).into_response(),
    }
}

/// Routes only the local runner serves: `POST /_local/schedules/{function}` runs a scheduled
/// function now (an operator's "run it now", and what docs/operations.md's commands use), and
/// `GET /_local/emails` lists what the stack emailed.
fn local_routes(
    template: &Template,
    invokers: &BTreeMap<String, Invoker>,
    prefix: &str,
    region: &str,
) -> axum::Router {
    use axum::extract::Path;
    use axum::http::StatusCode;
    let scheduled: Arc<BTreeMap<String, (Invoker, String)>> = Arc::new(
        template
            .functions
            .iter()
            .filter(|f| {
                f.events
                    .iter()
                    .any(|e| matches!(e, FunctionEvent::Schedule { .. }))
            })
            .filter_map(|f| {
                let invoker = invokers.get(&f.logical_id)?.clone();
                Some((
                    f.logical_id.clone(),
                    (invoker, format!("{prefix}-{}", f.logical_id)),
                ))
            })
            .collect(),
    );
    let region = region.to_owned();
    axum::Router::new()
        .route("/_local/emails", axum::routing::get(emails_route))
        .route(
            "/_local/schedules/{function}",
            axum::routing::post(move |Path(function): Path<String>| {
                let scheduled = scheduled.clone();
                let region = region.clone();
                async move {
                    let Some((invoker, name)) = scheduled.get(&function) else {
                        return (
                            StatusCode::NOT_FOUND,
                            format!("{function} is not a scheduled function of the template\n"),
                        );
                    };
                    match schedules::fire(invoker, name, &region).await {
                        Ok(()) => (StatusCode::OK, format!("{function} ran\n")),
                        Err(e) => (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            format!("{function}: {e}\n"),
                        ),
                    }
                }
            }),
        )
}
