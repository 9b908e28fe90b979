use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use chrono::Utc;
use fountain_http::{ApiError, Principal};
use fountain_scripts::access::{Permission, authorize};
use tracing::warn;

use super::{announce, announce_to, respond, subscription, viewers};
use crate::deps::LiveDeps;
use crate::messages::{Message, Presence};
use crate::store::{self, CONNECTION_GONE};

/// `subscribe`: the connection hears every change of the script from now on, if its user may
/// read the script (the HTTP routes' own check: a stranger gets a 404 error message and no
/// data). It is told who else is viewing, and they that it joined.
pub async fn live_subscribe(
    deps: &LiveDeps,
    request: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let Some((connection, script_id)) = subscription(deps, &request).await else {
        return respond(200, "");
    };
    let own = connection.connection_id.as_str();
    let principal = Principal {
        user_id: connection.user_id.clone(),
        roles: Vec::new(),
    };
    let reply = match authorize(&deps.table, &script_id, &principal, Permission::Read).await {
        Ok(_) => match store::listen(&deps.table, &connection, &script_id, Utc::now()).await {
            Ok(()) => match store::listeners(&deps.table, &script_id, Utc::now()).await {
                Ok(listeners) => {
                    let user_id = &connection.user_id;
                    announce_to(deps, &listeners, &script_id, user_id, own, Presence::Joined).await;
                    Message::Subscribed {
                        viewers: viewers(&listeners, &connection.user_id),
                        script_id: script_id.clone(),
                    }
                }
                Err(error) => unavailable(&error, &script_id),
            },
            Err(error) if error.refused(CONNECTION_GONE) => return respond(200, ""),
            Err(error) => unavailable(&error, &script_id),
        },
        Err(refused) => problem(&refused, &script_id),
    };
    let _ = deps.pusher.send(own, &reply).await;
    respond(200, "")
}

/// `unsubscribe`: the connection stops hearing the script; the others are told it left.
pub async fn live_unsubscribe(
    deps: &LiveDeps,
    request: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let Some((connection, script_id)) = subscription(deps, &request).await else {
        return respond(200, "");
    };
    let own = connection.connection_id.as_str();
    let reply = match store::stop_listening(&deps.table, own, &script_id).await {
        Ok(()) => {
            if connection.scripts.contains(&script_id) {
                announce(deps, &script_id, &connection.user_id, own, Presence::Left).await;
            }
            Message::Unsubscribed {
                script_id,
                reason: "you asked".into(),
            }
        }
        Err(error) => unavailable(&error, &script_id),
    };
    let _ = deps.pusher.send(own, &reply).await;
    respond(200, "")
}

fn unavailable(error: &fountain_store::StoreError, script_id: &str) -> Message {
    warn!(%error, "subscription not changed");
    Message::error(
        503,
        "Service Unavailable",
        "retry in a moment",
        Some(script_id),
    )
}

/// A refused subscription as the HTTP API would answer it.
fn problem(refused: &ApiError, script_id: &str) -> Message {
    let problem = refused.problem();
    Message::error(
        problem.status,
        problem.title,
        problem.detail,
        Some(script_id),
    )
}
