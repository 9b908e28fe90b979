//! The local WebSocket API: `ws://<address>/ws` runs the template's WebSocket routes as API
//! Gateway would (`$connect` decides the handshake, each text frame goes to the route its
//! `action` names or `$default`, `$disconnect` follows a close), and
//! `/_local/live/@connections/{id}` is the management API the functions push through
//! (`PostToConnection`, `DeleteConnection`, `GetConnection`), so the handlers and their SDK
//! calls are the ones that run in AWS.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::{Message as Frame, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use chrono::Utc;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tracing::warn;

use crate::functions::Invoker;

/// Where the runner serves the management API; the functions' `LIVE_ENDPOINT`.
pub const MANAGEMENT_PATH: &str = "/_local/live";

/// What the management API asks of an open socket.
enum Outbound {
    Text(String),
    Close,
}

/// The WebSocket routes (route key to function) and the open connections.
#[derive(Clone, Default)]
pub struct LiveGateway {
    routes: Arc<HashMap<String, Invoker>>,
    connections: Arc<Mutex<HashMap<String, Connected>>>,
}

#[derive(Clone)]
struct Connected {
    outbound: mpsc::UnboundedSender<Outbound>,
    connected_at: chrono::DateTime<Utc>,
}

impl LiveGateway {
    pub fn new(routes: HashMap<String, Invoker>) -> Self {
        Self {
            routes: Arc::new(routes),
            connections: Arc::default(),
        }
    }

    /// `/ws` and the management API, when the template has WebSocket routes.
    pub fn router(self) -> Router {
        if self.routes.is_empty() {
            return Router::new();
        }
        let upgrade = self.clone();
        let manage = self.clone();
        Router::new()
            .route(
                "/ws",
                get(
                    move |ws: WebSocketUpgrade, headers: HeaderMap, RawQuery(query): RawQuery| {
                        let gateway = upgrade.clone();
                        async move {
                            gateway
                                .connect(ws, headers, query.unwrap_or_default())
                                .await
                        }
                    },
                ),
            )
            .route(
                &format!("{MANAGEMENT_PATH}/@connections/{{connection_id}}"),
                any(
                    move |method: axum::http::Method, Path(id): Path<String>, body: Bytes| {
                        let gateway = manage.clone();
                        async move { gateway.manage(method, &id, body) }
                    },
                ),
            )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Connected>> {
        // A panicked holder left the map as it was: keep serving.
        self.connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn connect(self, ws: WebSocketUpgrade, headers: HeaderMap, query: String) -> Response {
        let connection_id = connection_id();
        let connected_at = Utc::now();
        let event = self.event(
            "$connect",
            "CONNECT",
            &connection_id,
            connected_at,
            &headers,
            &query,
            None,
        );
        let Some(answer) = self.invoke("$connect", event).await else {
            return (StatusCode::INTERNAL_SERVER_ERROR, "no $connect route").into_response();
        };
        if answer.status_code != 200 {
            let status = u16::try_from(answer.status_code)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::FORBIDDEN);
            return (status, body_text(&answer)).into_response();
        }
        let protocol = answer
            .headers
            .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (outbound, inbound) = mpsc::unbounded_channel();
        self.lock().insert(
            connection_id.clone(),
            Connected {
                outbound,
                connected_at,
            },
        );
        let ws = match protocol {
            Some(protocol) => ws.protocols([protocol]),
            None => ws,
        };
        ws.on_upgrade(move |socket| self.serve(socket, connection_id, connected_at, inbound))
    }

    /// Runs one connection: frames in go to their routes, management calls go out, and a
    /// close from either side ends in `$disconnect`.
    async fn serve(
        self,
        socket: WebSocket,
        connection_id: String,
        connected_at: chrono::DateTime<Utc>,
        mut outbound: mpsc::UnboundedReceiver<Outbound>,
    ) {
        let (mut sink, mut stream) = socket.split();
        loop {
            tokio::select! {
                frame = stream.next() => match frame {
                    Some(Ok(Frame::Text(text))) => {
                        let route = self.route_of(text.as_str());
                        let event = self.event(&route, "MESSAGE", &connection_id, connected_at,
                            &HeaderMap::new(), "", Some(text.to_string()));
                        // Each message runs on its own, as Lambda invocations would.
                        let gateway = self.clone();
                        tokio::spawn(async move { gateway.invoke(&route, event).await; });
                    }
                    Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                },
                sent = outbound.recv() => match sent {
                    Some(Outbound::Text(text)) => {
                        if sink.send(Frame::Text(Utf8Bytes::from(text))).await.is_err() {
                            break;
                        }
                    }
                    Some(Outbound::Close) | None => {
                        let _ = sink.send(Frame::Close(None)).await;
                        break;
                    }
                },
            }
        }
        self.lock().remove(&connection_id);
        let event = self.event(
            "$disconnect",
            "DISCONNECT",
            &connection_id,
            connected_at,
            &HeaderMap::new(),
            "",
            None,
        );
        self.invoke("$disconnect", event).await;
    }

    /// API Gateway's route selection, `$request.body.action`: the route named, else
    /// `$default`.
    fn route_of(&self, text: &str) -> String {
        serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|body| {
                body.get("action")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .filter(|action| !action.starts_with('$') && self.routes.contains_key(action))
            .unwrap_or_else(|| "$default".to_owned())
    }

    async fn invoke(
        &self,
        route: &str,
        event: ApiGatewayWebsocketProxyRequest,
    ) -> Option<ApiGatewayProxyResponse> {
        match self.routes.get(route) {
            Some(Invoker::WebSocket(handler)) => Some(handler(event).await),
            _ => {
                warn!(route, "no function for the WebSocket route");
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        route: &str,
        event_type: &str,
        connection_id: &str,
        connected_at: chrono::DateTime<Utc>,
        headers: &HeaderMap,
        query: &str,
        body: Option<String>,
    ) -> ApiGatewayWebsocketProxyRequest {
        let query: serde_json::Map<String, Value> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        let headers: serde_json::Map<String, Value> = headers
            .iter()
            .filter_map(|(name, value)| {
                Some((
                    name.as_str().to_owned(),
                    Value::String(value.to_str().ok()?.to_owned()),
                ))
            })
            .collect();
        let event = json!({
            "headers": headers,
            "queryStringParameters": query,
            "isBase64Encoded": false,
            "body": body,
            "requestContext": {
                "routeKey": route,
                "eventType": event_type,
                "connectionId": connection_id,
                "connectedAt": connected_at.timestamp_millis(),
                "requestTimeEpoch": Utc::now().timestamp_millis(),
                "requestId": fountain_events::ids::new_id(),
                "messageDirection": "IN",
                "apiId": "local",
                "stage": "local",
                "domainName": "127.0.0.1",
                "identity": { "sourceIp": "127.0.0.1" },
            },
        });
        serde_json::from_value(event).unwrap_or_else(|error| {
            // Built here from strings and numbers only; a failure is a bug of this file.
            warn!(%error, route, "a WebSocket event could not be built");
            ApiGatewayWebsocketProxyRequest::default()
        })
    }

    /// The management API: `POST` sends the body as a text frame, `DELETE` closes, `GET`
    /// describes; a connection that is not open is 410 `GoneException`, as in AWS.
    fn manage(&self, method: axum::http::Method, connection_id: &str, body: Bytes) -> Response {
        let Some(connected) = self.lock().get(connection_id).cloned() else {
            return gone(connection_id);
        };
        let sent = match method.as_str() {
            "POST" => connected
                .outbound
                .send(Outbound::Text(String::from_utf8_lossy(&body).into_owned())),
            "DELETE" => connected.outbound.send(Outbound::Close),
            "GET" => {
                return axum::Json(json!({
                    "connectedAt": connected.connected_at.to_rfc3339(),
                    "identity": { "sourceIp": "127.0.0.1" },
                    "lastActiveAt": Utc::now().to_rfc3339(),
                }))
                .into_response();
            }
            _ => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
        };
        match sent {
            Ok(()) if method == axum::http::Method::DELETE => {
                StatusCode::NO_CONTENT.into_response()
            }
            Ok(()) => StatusCode::OK.into_response(),
            Err(_) => gone(connection_id),
        }
    }
}

fn gone(connection_id: &str) -> Response {
    (
        StatusCode::GONE,
        [
            ("x-amzn-errortype", "GoneException"),
            ("content-type", "application/json"),
        ],
        json!({ "message": format!("connection {connection_id} is gone") }).to_string(),
    )
        .into_response()
}

fn body_text(answer: &ApiGatewayProxyResponse) -> String {
    match &answer.body {
        Some(aws_lambda_events::encodings::Body::Text(text)) => text.clone(),
        _ => String::new(),
    }
}

/// A connection id shaped like API Gateway's (base64-ish, ending in `=`).
fn connection_id() -> String {
    let id = fountain_events::ids::new_id();
    format!("{}=", id.get(10..).unwrap_or(&id))
}
