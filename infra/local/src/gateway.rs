//! The local API Gateway (HTTP API): matches a request to a template route, runs the
//! authorizer for protected routes, turns the request into the API Gateway v2 payload the
//! function would get in AWS and returns the function's response.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use aws_lambda_events::event::apigw::ApiGatewayV2CustomAuthorizerV2Request;
use axum::Router;
use axum::body::{Body as AxumBody, Bytes, to_bytes};
use axum::extract::{Path, Request as AxumRequest};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::{MethodFilter, on};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use fountain_events::ids::new_id;
use lambda_http::request::LambdaRequest;
use serde_json::{Value, json};

use crate::functions::Invoker;

/// API Gateway's payload limit.
const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// One route and what runs it.
#[derive(Clone)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub function: Invoker,
    pub public: bool,
}

#[derive(Clone)]
struct Gateway {
    authorizer: Option<Invoker>,
}

/// The router serving every route of the template.
pub fn router(routes: Vec<Route>, authorizer: Option<Invoker>) -> Result<Router> {
    let gateway = Arc::new(Gateway { authorizer });
    let mut by_path: HashMap<String, Vec<Route>> = HashMap::new();
    for route in routes {
        by_path.entry(route.path.clone()).or_default().push(route);
    }
    let mut router = Router::new();
    for (path, routes) in by_path {
        let mut method_router = axum::routing::MethodRouter::new();
        for route in routes {
            let filter = MethodFilter::try_from(
                Method::from_bytes(route.method.as_bytes())
                    .map_err(|_| anyhow!("bad method {}", route.method))?,
            )
            .map_err(|_| anyhow!("unsupported method {}", route.method))?;
            let gateway = gateway.clone();
            let route = Arc::new(route);
            method_router = method_router.merge(on(
                filter,
                move |params: Option<Path<HashMap<String, String>>>, request: AxumRequest| {
                    let gateway = gateway.clone();
                    let route = route.clone();
                    async move {
                        gateway
                            .handle(&route, params.map(|p| p.0).unwrap_or_default(), request)
                            .await
                    }
                },
            ));
        }
        // API Gateway answers an unmatched method like an unmatched path.
        let method_router =
            method_router.fallback(|| async { gateway_error(StatusCode::NOT_FOUND, "Not Found") });
        router = router.route(&path, method_router);
    }
    Ok(router.fallback(|| async { gateway_error(StatusCode::NOT_FOUND, "Not Found") }))
}

fn gateway_error(status: StatusCode, message: &str) -> AxumResponse {
    (
        status,
        [("content-type", "application/json")],
        json!({ "message": message }).to_string(),
    )
        .into_response()
}

fn header_json(headers: &HeaderMap) -> Value {
    let mut map = serde_json::Map::new();
    for name in headers.keys() {
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        map.insert(name.as_str().to_owned(), Value::String(values.join(",")));
    }
    Value::Object(map)
}

fn query_json(raw_query: &str) -> Value {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in url_pairs(raw_query) {
        map.entry(key).or_default().push(value);
    }
    Value::Object(
        map.into_iter()
            .map(|(k, v)| (k, Value::String(v.join(","))))
            .collect(),
    )
}

fn url_pairs(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect()
}

impl Gateway {
    async fn handle(
        &self,
        route: &Route,
        path_params: HashMap<String, String>,
        request: AxumRequest,
    ) -> AxumResponse {
        let (parts, body) = request.into_parts();
        let Ok(body) = to_bytes(body, MAX_PAYLOAD_BYTES).await else {
            return gateway_error(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large");
        };
        let raw_query = parts.uri.query().unwrap_or_default().to_owned();
        let route_key = format!("{} {}", route.method, route.path);
        let request_id = new_id();
        let now = Utc::now();
        let mut context = json!({
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "127.0.0.1",
            "domainPrefix": "local",
            "http": {
                "method": parts.method.as_str(),
                "path": parts.uri.path(),
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip(&parts.headers),
                "userAgent": parts.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default(),
            },
            "requestId": request_id,
            "routeKey": route_key,
            "stage": "$default",
            "time": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "timeEpoch": now.timestamp_millis(),
        });

        if !route.public {
            // With an identity source, API Gateway itself refuses requests that lack it.
            if !parts.headers.contains_key("authorization") {
                return gateway_error(StatusCode::UNAUTHORIZED, "Unauthorized");
            }
            let Some(Invoker::Authorizer(authorizer)) = &self.authorizer else {
                return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
            };
            let payload = json!({
                "version": "2.0",
                "type": "REQUEST",
                "routeArn": format!("arn:aws:execute-api:us-east-1:123456789012:local/$default/{}{}", route.method, route.path),
                "identitySource": [parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default()],
                "routeKey": route_key,
                "rawPath": parts.uri.path(),
                "rawQueryString": raw_query,
                "headers": header_json(&parts.headers),
                "queryStringParameters": query_json(&raw_query),
                "pathParameters": path_params,
                "requestContext": context,
            });
            let Ok(event) =
                serde_json::from_value::<ApiGatewayV2CustomAuthorizerV2Request>(payload)
            else {
                return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
            };
            let verdict = authorizer(event).await;
            if !verdict.is_authorized {
                return gateway_error(StatusCode::FORBIDDEN, "Forbidden");
            }
            context["authorizer"] = json!({ "lambda": verdict.context });
        }

        let (body_text, base64) = match std::str::from_utf8(&body) {
            Ok(text) => (text.to_owned(), false),
            Err(_) => (STANDARD.encode(&body), true),
        };
        let payload = json!({
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": parts.uri.path(),
            "rawQueryString": raw_query,
            "headers": header_json(&parts.headers),
            "queryStringParameters": query_json(&raw_query),
            "pathParameters": path_params,
            "requestContext": context,
            "body": if body.is_empty() { Value::Null } else { Value::String(body_text) },
            "isBase64Encoded": base64,
        });
        let request: lambda_http::Request = match serde_json::from_value::<LambdaRequest>(payload) {
            Ok(event) => event.into(),
            Err(_) => {
                return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
            }
        };
        let Invoker::Http(function) = &route.function else {
            return gateway_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error");
        };
        let response = function(request).await;
        let (parts, body) = response.into_parts();
        let bytes = match body {
            lambda_http::Body::Empty => Bytes::new(),
            lambda_http::Body::Text(text) => Bytes::from(text),
            lambda_http::Body::Binary(bytes) => Bytes::from(bytes),
            _ => Bytes::new(),
        };
        let mut out = AxumResponse::new(AxumBody::from(bytes));
        *out.status_mut() = parts.status;
        *out.headers_mut() = parts.headers;
        out
    }
}

/// The address API Gateway would see the connection come from. Every local client is
/// 127.0.0.1, so tests that play clients at different addresses say which with
/// `x-local-source-ip` (the local runner's header alone; API Gateway takes the TCP peer).
fn source_ip(headers: &HeaderMap) -> String {
    headers
        .get("x-local-source-ip")
        .and_then(|v| v.to_str().ok())
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
        .unwrap_or("127.0.0.1")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_split_and_percent_decoded() {
        let pairs = url_pairs("aggregateId=01J%2Fx&limit=5&note=a+b");
        assert_eq!(pairs[0], ("aggregateId".into(), "01J/x".into()));
        assert_eq!(pairs[2], ("note".into(), "a b".into()));
    }
}
