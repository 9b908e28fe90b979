//! The routes of the WebSocket API, one function each: `$connect`, `$disconnect`,
//! `subscribe`, `unsubscribe` and `$default` (a `ping`, or an action it does not know).

mod connect;
mod default;
mod disconnect;
mod subscribe;

pub use connect::*;
pub use default::*;
pub use disconnect::*;
pub use subscribe::*;

use aws_lambda_events::encodings::Body;
use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use chrono::Utc;
use tracing::warn;

use crate::deps::LiveDeps;
use crate::fanout;
use crate::messages::{Action, Message, Presence, Viewer};
use crate::store::{self, Connection};

/// API Gateway's answer to the route: for `$connect` it decides the handshake; for a
/// message it is dropped (replies go through the management API).
fn respond(status: u16, body: &str) -> ApiGatewayProxyResponse {
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = i64::from(status);
    response.body = (!body.is_empty()).then(|| Body::Text(body.to_owned()));
    response
}

fn connection_id(request: &ApiGatewayWebsocketProxyRequest) -> Option<&str> {
    request.request_context.connection_id.as_deref()
}

/// The message's action, or why it is not one.
fn action(request: &ApiGatewayWebsocketProxyRequest) -> Result<Action, String> {
    let body = request.body.as_deref().unwrap_or_default();
    serde_json::from_str(body).map_err(|e| {
        format!(
            "a message is a JSON object with an action (subscribe, unsubscribe, ping) and its fields: {e}"
        )
    })
}

/// The open connection a message came on, its action, or (having told the client why) no
/// answer to give.
async fn opened(
    deps: &LiveDeps,
    request: &ApiGatewayWebsocketProxyRequest,
) -> Option<(Connection, Action)> {
    let connection_id = connection_id(request)?;
    let connection = match store::connection(&deps.table, connection_id, Utc::now()).await {
        Ok(Some(connection)) => connection,
        Ok(None) => {
            // Its items expired or were removed by a logout: the connection is closed.
            deps.pusher.close(connection_id).await;
            return None;
        }
        Err(error) => {
            warn!(%error, "connection unreadable");
            let _ = deps
                .pusher
                .send(
                    connection_id,
                    &Message::error(503, "Service Unavailable", "retry in a moment", None),
                )
                .await;
            return None;
        }
    };
    match action(request) {
        Ok(action) => Some((connection, action)),
        Err(detail) => {
            let refusal = Message::error(400, "Bad Request", detail, None);
            let _ = deps.pusher.send(connection_id, &refusal).await;
            None
        }
    }
}

/// The open connection and the script a `subscribe` or `unsubscribe` names, or (having told
/// the client what is missing) none.
async fn subscription(
    deps: &LiveDeps,
    request: &ApiGatewayWebsocketProxyRequest,
) -> Option<(Connection, String)> {
    let (connection, action) = opened(deps, request).await?;
    match action.script_id {
        Some(script_id) => Some((connection, script_id)),
        None => {
            let detail = format!("{} needs a scriptId", action.action);
            let refusal = Message::error(400, "Bad Request", detail, None);
            let _ = deps.pusher.send(&connection.connection_id, &refusal).await;
            None
        }
    }
}

/// Tells the other viewers of `script_id` that `user_id` joined or left.
async fn announce(deps: &LiveDeps, script_id: &str, user_id: &str, own: &str, state: Presence) {
    match store::listeners(&deps.table, script_id, Utc::now()).await {
        Ok(listeners) => announce_to(deps, &listeners, script_id, user_id, own, state).await,
        Err(error) => warn!(%error, "presence not announced"),
    }
}

/// [`announce`] to `listeners`, already read.
async fn announce_to(
    deps: &LiveDeps,
    listeners: &[store::Listener],
    script_id: &str,
    user_id: &str,
    own: &str,
    state: Presence,
) {
    fanout::push(deps, script_id, listeners, |listener| {
        (listener.connection_id != own).then(|| Message::Presence {
            script_id: script_id.to_owned(),
            user_id: user_id.to_owned(),
            state,
        })
    })
    .await;
}

/// The users viewing `script_id` besides `user_id`, each once.
fn viewers(listeners: &[store::Listener], user_id: &str) -> Vec<Viewer> {
    let mut viewers: Vec<Viewer> = listeners
        .iter()
        .filter(|l| l.user_id != user_id)
        .map(|l| Viewer {
            user_id: l.user_id.clone(),
        })
        .collect();
    viewers.sort();
    viewers.dedup();
    viewers
}
