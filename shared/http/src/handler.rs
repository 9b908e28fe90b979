//! The wrapper every HTTP handler runs in: correlation id in and out, the principal, a tracing
//! span with request id and cold start, one problem+json mapping for every failure, metrics.

use std::future::Future;
use std::time::Instant;

use fountain_events::{DomainEvent, EventContext, EventEnvelope, ids::new_id};
use fountain_runtime::metrics::{self, Metrics};
use fountain_runtime::telemetry::take_cold_start;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use tracing::{Instrument, error, info, info_span};

use crate::error::ApiError;
use crate::principal::Principal;
use crate::problem::PROBLEM_CONTENT_TYPE;

pub const CORRELATION_HEADER: &str = "x-correlation-id";
const MAX_CORRELATION_ID: usize = 128;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Health and the API document.
    Public,
    /// Everything else: the caller must present a valid bearer token.
    Authenticated,
    /// Operations endpoints: a valid bearer token with the `admin` role.
    Admin,
}

/// The global role that may use the operations endpoints.
pub const ADMIN_ROLE: &str = "admin";

/// What a handler knows about its request besides the request itself.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub correlation_id: String,
    pub request_id: String,
    /// The caller; for public routes an anonymous principal with an empty user id.
    pub principal: Principal,
}

impl Ctx {
    /// The envelope of an event this request causes.
    pub fn envelope<E: DomainEvent>(&self, event: &E) -> Result<EventEnvelope, ApiError> {
        EventEnvelope::new(event, &self.event_context())
            .map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// The metadata of an event this request causes.
    pub fn event_context(&self) -> EventContext {
        EventContext {
            actor: (!self.principal.user_id.is_empty()).then(|| self.principal.user_id.clone()),
            correlation_id: self.correlation_id.clone(),
            causation_id: None,
        }
    }
}

/// The caller's correlation id when it is sane, a new one otherwise.
fn correlation_id(req: &Request) -> String {
    req.headers()
        .get(CORRELATION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|id| {
            !id.is_empty()
                && id.len() <= MAX_CORRELATION_ID
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        })
        .map(str::to_owned)
        .unwrap_or_else(new_id)
}

/// Lambda's request id when running in Lambda, API Gateway's otherwise (the local runner).
fn request_id(req: &Request) -> String {
    if let Some(context) = req.lambda_context_ref() {
        return context.request_id.clone();
    }
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => {
            context.request_id.clone().unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Runs `handler` for `req` and turns its outcome into the HTTP response.
pub async fn serve<F, Fut>(access: Access, req: Request, handler: F) -> Response<Body>
where
    F: FnOnce(Ctx, Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, ApiError>>,
{
    let started = Instant::now();
    // The registry names the function once; its invoker says which one is running.
    let function = fountain_runtime::function::current_name();
    let correlation_id = correlation_id(&req);
    let request_id = request_id(&req);
    let span = info_span!(
        "request",
        function,
        request_id = %request_id,
        correlation_id = %correlation_id,
        cold_start = take_cold_start(),
        method = %req.method(),
        path = %req.uri().path(),
    );
    async {
        let principal = match access {
            Access::Public => Ok(Principal {
                user_id: String::new(),
                roles: Vec::new(),
            }),
            Access::Authenticated => Principal::from_request(&req),
            Access::Admin => Principal::from_request(&req).and_then(|principal| {
                if principal.has_role(ADMIN_ROLE) {
                    Ok(principal)
                } else {
                    Err(ApiError::Forbidden(
                        "this operation needs the admin role".into(),
                    ))
                }
            }),
        };
        let outcome = match principal {
            Ok(principal) => {
                let ctx = Ctx {
                    correlation_id: correlation_id.clone(),
                    request_id,
                    principal,
                };
                handler(ctx, req).await
            }
            Err(unauthorized) => Err(unauthorized),
        };
        let mut response =
            outcome.unwrap_or_else(|error| problem_response(&error, &correlation_id));
        if let Ok(value) = http::HeaderValue::from_str(&correlation_id) {
            response.headers_mut().insert(CORRELATION_HEADER, value);
        }
        let status = response.status().as_u16();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        info!(status, elapsed_ms, "request handled");
        let mut metrics = Metrics::new(function);
        metrics.record(metrics::REQUESTS, 1.0);
        metrics.record(metrics::LATENCY, elapsed_ms);
        metrics.record(
            if status >= 500 {
                metrics::SERVER_ERRORS
            } else if status >= 400 {
                metrics::CLIENT_ERRORS
            } else {
                metrics::SUCCESSES
            },
            1.0,
        );
        metrics.flush();
        response
    }
    .instrument(span)
    .await
}

fn problem_response(error: &ApiError, correlation_id: &str) -> Response<Body> {
    if error.status() >= 500 {
        error!(error = %error, "request failed");
    } else {
        info!(error = %error, "request refused");
    }
    let mut problem = error.problem();
    problem.correlation_id = Some(correlation_id.to_owned());
    let body = serde_json::to_string(&problem).unwrap_or_else(|_| "{}".to_owned());
    let mut builder = Response::builder()
        .status(problem.status)
        .header(http::header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE);
    match error {
        ApiError::Unauthorized(_) => {
            builder = builder.header(
                http::header::WWW_AUTHENTICATE,
                "Bearer realm=\"fountainai\"",
            );
        }
        ApiError::Unavailable(_) => builder = builder.header(http::header::RETRY_AFTER, "1"),
        ApiError::TooManyRequests { retry_after, .. }
        | ApiError::DependencyDown { retry_after, .. } => {
            builder = builder.header(http::header::RETRY_AFTER, retry_after.to_string());
        }
        _ => {}
    }
    builder.body(Body::Text(body)).unwrap_or_else(|_| {
        let mut response = Response::new(Body::Empty);
        *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}
