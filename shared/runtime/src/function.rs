//! A function of the product as a value. Each context crate lists its functions once, in a
//! `FUNCTIONS` slice built with the macros below; everything else is derived from that list:
//! the Lambda main in `src/bin` (one generated line), the local runner's invokers, the OpenAPI
//! document and the contract tests against template.yaml.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_config::SdkConfig;
use aws_lambda_events::event::apigw::{
    ApiGatewayProxyResponse, ApiGatewayV2CustomAuthorizerSimpleResponse,
    ApiGatewayV2CustomAuthorizerV2Request, ApiGatewayWebsocketProxyRequest,
};
use aws_lambda_events::event::dynamodb::Event as StreamEvent;
pub use aws_lambda_events::event::eventbridge::EventBridgeEvent as ScheduledEvent;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use lambda_http::{Body, Request, Response};
use serde::{Serialize, de::DeserializeOwned};

pub use fountain_events::Events;

use crate::{ConfigError, Env};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// The Lambda main's future runs on the main thread's `block_on`, so it need not be `Send`.
pub type MainFuture = Pin<Box<dyn Future<Output = Result<(), lambda_runtime::Error>>>>;
pub type Handler<P, R> = Arc<dyn Fn(P) -> BoxFuture<R> + Send + Sync>;

/// A function's handler bound to its dependencies, ready to be invoked with its kind of event.
#[derive(Clone)]
pub enum Invoker {
    Http(Handler<Request, Response<Body>>),
    Authorizer(
        Handler<ApiGatewayV2CustomAuthorizerV2Request, ApiGatewayV2CustomAuthorizerSimpleResponse>,
    ),
    Sqs(Handler<SqsEvent, SqsBatchResponse>),
    Stream(Handler<StreamEvent, DynamoDbEventResponse>),
    /// A run of a schedule; an error fails the invocation (EventBridge Scheduler retries it).
    Scheduled(Handler<ScheduledEvent, Result<(), String>>),
    /// A route of the WebSocket API: its connect, disconnect or a message's action.
    WebSocket(Handler<ApiGatewayWebsocketProxyRequest, ApiGatewayProxyResponse>),
}

/// What invokes a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A route of the HTTP API; its method and path are those of its OpenAPI operation.
    Http,
    /// The HTTP API's Lambda authorizer.
    Authorizer,
    /// An SQS queue fed by an EventBridge rule with the event types `events`.
    Consumer { events: Events },
    /// The table's DynamoDB stream.
    Stream,
    /// A schedule of template.yaml (`rate(...)` or `cron(...)`): EventBridge Scheduler in
    /// AWS, the local runner's clock locally.
    Scheduled,
    /// The route `route` of the WebSocket API (`$connect`, `$disconnect`, `$default` or a
    /// message's `action`): API Gateway in AWS, the local runner's `/ws` locally.
    WebSocket { route: &'static str },
}

/// One function: its name (the binary and the template's `Binary`), what invokes it, how it
/// runs as a Lambda process, how the local runner binds it, and its OpenAPI operation.
#[derive(Clone, Copy)]
pub struct Function {
    pub name: &'static str,
    pub kind: Kind,
    pub lambda_main: fn() -> MainFuture,
    pub invoker: fn(&Env, &SdkConfig) -> Result<Invoker, ConfigError>,
    pub openapi: Option<fn() -> utoipa::openapi::OpenApi>,
    /// What it may do to the tables, declared with [`Function::needs`]; template.yaml grants
    /// exactly this (decision 51).
    pub needs: &'static [Need],
}

/// One kind of table access a function needs (decision 51). The registry declares them per
/// function, template.yaml grants each through one managed policy, and
/// `tests/tests/least_privilege.rs` fails when the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// GetItem, BatchGetItem, Query and ConditionCheckItem on AppTable and its indexes
    /// (`AppTableReads`).
    ReadsTable,
    /// PutItem, UpdateItem, DeleteItem and BatchWriteItem on AppTable (`AppTableWrites`).
    WritesTable,
    /// The partitions of identity's secrets in AppTable (`fountain_store::keys::
    /// CREDENTIAL_PREFIXES`): without this need a function is denied them
    /// (`NoIdentitySecrets`).
    Credentials,
    /// A Scan of AppTable that returns only the reconciler's sweep's attributes
    /// (`AppTableSweep`).
    SweepsTable,
    /// GetItem, BatchGetItem and Query on EventStoreTable and its indexes (`EventStoreReads`).
    ReadsEvents,
    /// PutItem, UpdateItem, DeleteItem and BatchWriteItem on EventStoreTable
    /// (`EventStoreWrites`).
    WritesEvents,
}

impl Function {
    /// This function with its table access declared.
    pub const fn needs(self, needs: &'static [Need]) -> Self {
        Self { needs, ..self }
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Function")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The entry named `name`, chosen at compile time so a binary links only its own handler.
pub const fn find(functions: &[Function], name: &str) -> Function {
    let mut i = 0;
    while i < functions.len() {
        if same(functions[i].name, name) {
            return functions[i];
        }
        i += 1;
    }
    panic!("this binary's name is not in its crate's FUNCTIONS");
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Runs a function's Lambda main on a multi-threaded runtime, as `#[tokio::main]` would.
/// It takes the main alone, not the whole [`Function`], so that the binary does not link
/// the entry's invoker and OpenAPI operation.
pub fn start(lambda_main: fn() -> MainFuture) -> Result<(), lambda_runtime::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(lambda_main())
}

pub use crate::invocation::current_name;

/// Binds a handler to dependencies that live as long as the process, as in Lambda.
pub fn bind<D, P, R, F, Fut>(name: &'static str, deps: D, handler: F) -> Handler<P, R>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, P) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let deps: &'static D = Box::leak(Box::new(deps));
    Arc::new(move |payload| Box::pin(crate::invocation::scope(name, handler(deps, payload))))
}

/// The Lambda main of an HTTP function: dependencies from the environment, then the runtime
/// loop of `lambda_http`.
pub async fn run_http<D, F, Fut>(
    name: &'static str,
    load: fn(&Env, &SdkConfig) -> Result<D, ConfigError>,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    crate::telemetry::init();
    let deps = load(&Env::process(), &crate::aws::sdk_config().await)?;
    let handler = bind(name, deps, handler);
    lambda_http::run(lambda_http::service_fn(move |req| {
        let response = handler(req);
        async move { Ok::<_, lambda_runtime::Error>(response.await) }
    }))
    .await
}

/// The Lambda main of an HTTP function whose dependencies need no AWS client (`health`),
/// so that it neither loads the SDK's configuration nor links it.
pub async fn run_http_without_aws<D, F, Fut>(
    name: &'static str,
    load: fn(&Env) -> Result<D, ConfigError>,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    crate::telemetry::init();
    let handler = bind(name, load(&Env::process())?, handler);
    lambda_http::run(lambda_http::service_fn(move |req| {
        let response = handler(req);
        async move { Ok::<_, lambda_runtime::Error>(response.await) }
    }))
    .await
}

/// The Lambda main of any other function (consumer, stream reader, authorizer).
pub async fn run_event<D, P, R, F, Fut>(
    name: &'static str,
    load: fn(&Env, &SdkConfig) -> Result<D, ConfigError>,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    D: Send + Sync + 'static,
    P: DeserializeOwned + Send + 'static,
    R: Serialize + Send + 'static,
    F: Fn(&'static D, P) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    crate::telemetry::init();
    let deps = load(&Env::process(), &crate::aws::sdk_config().await)?;
    let handler = bind(name, deps, handler);
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<P>| {
            let response = handler(event.payload);
            async move { Ok::<_, lambda_runtime::Error>(response.await) }
        },
    ))
    .await
}

/// A scheduled handler's outcome in the words an invocation failure carries.
pub async fn scheduled<E: std::fmt::Display>(
    run: impl Future<Output = Result<(), E>>,
) -> Result<(), String> {
    run.await.map_err(|e| e.to_string())
}

/// The Lambda main of a scheduled function: a failed run fails the invocation, so Lambda's
/// `Errors` metric counts it and the scheduler's retry policy applies.
pub async fn run_scheduled<D, F, Fut>(
    name: &'static str,
    load: fn(&Env, &SdkConfig) -> Result<D, ConfigError>,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    D: Send + Sync + 'static,
    F: Fn(&'static D, ScheduledEvent) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    crate::telemetry::init();
    let deps = load(&Env::process(), &crate::aws::sdk_config().await)?;
    let handler = bind(name, deps, handler);
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<ScheduledEvent>| {
            let run = handler(event.payload);
            async move { run.await.map_err(lambda_runtime::Error::from) }
        },
    ))
    .await
}

/// The whole `main` of a function's binary: the entry of `$functions` named like the binary.
#[macro_export]
macro_rules! lambda_main {
    ($functions:path) => {
        fn main() -> ::std::result::Result<(), $crate::lambda_runtime::Error> {
            const FUNCTION: $crate::function::Function =
                $crate::function::find($functions, env!("CARGO_BIN_NAME"));
            $crate::function::start(FUNCTION.lambda_main)
        }
    };
}

/// An HTTP function: `http_function!(handler, deps_loader)`, both in scope; the handler
/// carries its `#[utoipa::path]` operation, which gives the route. With `without_aws
/// loader`, the loader takes only the environment (`fn(&Env)`) and the function's binary
/// never loads the AWS SDK's configuration.
#[macro_export]
macro_rules! http_function {
    ($handler:ident, without_aws $($load:ident)::+) => {
        $crate::function::Function {
            name: stringify!($handler),
            kind: $crate::function::Kind::Http,
            lambda_main: {
                fn lambda_main() -> $crate::function::MainFuture {
                    ::std::boxed::Box::pin($crate::function::run_http_without_aws(
                        stringify!($handler),
                        $($load)::+,
                        $handler,
                    ))
                }
                lambda_main
            },
            invoker: {
                fn invoker(
                    env: &$crate::Env,
                    _sdk: &$crate::aws::SdkConfig,
                ) -> ::std::result::Result<$crate::function::Invoker, $crate::ConfigError> {
                    Ok($crate::function::Invoker::Http($crate::function::bind(
                        stringify!($handler),
                        $($load)::+(env)?,
                        $handler,
                    )))
                }
                invoker
            },
            openapi: $crate::http_function!(@openapi $handler),
            needs: &[],
        }
    };
    (@openapi $handler:ident) => {{
        fn openapi() -> $crate::utoipa::openapi::OpenApi {
            #[derive(utoipa::OpenApi)]
            #[openapi(paths($handler))]
            struct Operation;
            <Operation as utoipa::OpenApi>::openapi()
        }
        Some(openapi)
    }};
    ($handler:ident, $($load:ident)::+) => {
        $crate::function::Function {
            name: stringify!($handler),
            kind: $crate::function::Kind::Http,
            lambda_main: {
                fn lambda_main() -> $crate::function::MainFuture {
                    ::std::boxed::Box::pin($crate::function::run_http(
                        stringify!($handler),
                        $($load)::+,
                        $handler,
                    ))
                }
                lambda_main
            },
            invoker: {
                fn invoker(
                    env: &$crate::Env,
                    sdk: &$crate::aws::SdkConfig,
                ) -> ::std::result::Result<$crate::function::Invoker, $crate::ConfigError> {
                    Ok($crate::function::Invoker::Http($crate::function::bind(
                        stringify!($handler),
                        $($load)::+(env, sdk)?,
                        $handler,
                    )))
                }
                invoker
            },
            openapi: $crate::http_function!(@openapi $handler),
            needs: &[],
        }
    };
}

/// A function invoked by an event rather than a route: `event_function!(Kind, Invoker
/// variant, handler, [call,] deps_loader)`, where `call` adapts the handler to the Lambda
/// event; see [`consumer_function!`] and the others.
#[doc(hidden)]
#[macro_export]
macro_rules! event_function {
    ($kind:expr, $variant:ident, $handler:ident, $($load:ident)::+) => {
        $crate::event_function!($kind, $variant, $handler, $handler, $($load)::+)
    };
    ($kind:expr, $variant:ident, $name:ident, $call:expr, $($load:ident)::+) => {
        $crate::function::Function {
            name: stringify!($name),
            kind: $kind,
            lambda_main: {
                fn lambda_main() -> $crate::function::MainFuture {
                    ::std::boxed::Box::pin($crate::function::run_event(
                        stringify!($name),
                        $($load)::+,
                        $call,
                    ))
                }
                lambda_main
            },
            invoker: {
                fn invoker(
                    env: &$crate::Env,
                    sdk: &$crate::aws::SdkConfig,
                ) -> ::std::result::Result<$crate::function::Invoker, $crate::ConfigError> {
                    Ok($crate::function::Invoker::$variant($crate::function::bind(
                        stringify!($name),
                        $($load)::+(env, sdk)?,
                        $call,
                    )))
                }
                invoker
            },
            openapi: None,
            needs: &[],
        }
    };
}

/// A consumer of an SQS queue fed by an EventBridge rule: `consumer_function!(handler,
/// deps_loader)` for a handler of one event (`async fn(&Deps, Delivered<E>) -> Result<(),
/// _>`, claimed first when its deps hold claims), `consumer_function!(batch handler,
/// deps_loader)` for one that takes the whole `Batch<E>`. The event types it declares are
/// those of `E`, from the handler's own signature.
#[macro_export]
macro_rules! consumer_function {
    (batch $handler:ident, $($load:ident)::+) => {
        $crate::event_function!(
            $crate::function::Kind::Consumer {
                events: $crate::consumer::batch_events_of(&$handler, $($load)::+),
            },
            Sqs,
            $handler,
            |deps, event| $handler(deps, $crate::consumer::Batch::new(event)),
            $($load)::+
        )
    };
    ($handler:ident, $($load:ident)::+) => {
        $crate::event_function!(
            $crate::function::Kind::Consumer {
                events: $crate::consumer::events_of(&$handler, $($load)::+),
            },
            Sqs,
            $handler,
            |deps, event| $crate::consumer::consume(deps, event, $handler),
            $($load)::+
        )
    };
}

/// The reader of the table's stream: `stream_function!(handler, deps_loader)`.
#[macro_export]
macro_rules! stream_function {
    ($handler:ident, $($load:ident)::+) => {
        $crate::event_function!($crate::function::Kind::Stream, Stream, $handler, $($load)::+)
    };
}

/// The HTTP API's authorizer: `authorizer_function!(handler, deps_loader)`.
#[macro_export]
macro_rules! authorizer_function {
    ($handler:ident, $($load:ident)::+) => {
        $crate::event_function!(
            $crate::function::Kind::Authorizer,
            Authorizer,
            $handler,
            $($load)::+
        )
    };
}

/// A function run by a schedule of template.yaml: `scheduled_function!(handler,
/// deps_loader)` for `async fn(&Deps, ScheduledEvent) -> Result<(), impl Display>`.
#[macro_export]
macro_rules! scheduled_function {
    ($handler:ident, $($load:ident)::+) => {
        $crate::function::Function {
            name: stringify!($handler),
            kind: $crate::function::Kind::Scheduled,
            lambda_main: {
                fn lambda_main() -> $crate::function::MainFuture {
                    ::std::boxed::Box::pin($crate::function::run_scheduled(
                        stringify!($handler),
                        $($load)::+,
                        |deps, event| $crate::function::scheduled($handler(deps, event)),
                    ))
                }
                lambda_main
            },
            invoker: {
                fn invoker(
                    env: &$crate::Env,
                    sdk: &$crate::aws::SdkConfig,
                ) -> ::std::result::Result<$crate::function::Invoker, $crate::ConfigError> {
                    Ok($crate::function::Invoker::Scheduled($crate::function::bind(
                        stringify!($handler),
                        $($load)::+(env, sdk)?,
                        |deps, event| $crate::function::scheduled($handler(deps, event)),
                    )))
                }
                invoker
            },
            openapi: None,
            needs: &[],
        }
    };
}

/// A route of the WebSocket API: `websocket_function!("route", handler, deps_loader)`.
#[macro_export]
macro_rules! websocket_function {
    ($route:literal, $handler:ident, $($load:ident)::+) => {
        $crate::event_function!(
            $crate::function::Kind::WebSocket { route: $route },
            WebSocket,
            $handler,
            $($load)::+
        )
    };
}
