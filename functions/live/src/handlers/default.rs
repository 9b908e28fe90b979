use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};

use super::{opened, respond};
use crate::deps::LiveDeps;
use crate::messages::Message;

/// `$default`: a `ping` is answered with a `pong`; any other action is an error message.
pub async fn live_default(
    deps: &LiveDeps,
    request: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let Some((connection, action)) = opened(deps, &request).await else {
        return respond(200, "");
    };
    let reply = if action.action == "ping" {
        Message::Pong
    } else {
        Message::error(
            400,
            "Bad Request",
            format!(
                "unknown action {:?}: subscribe, unsubscribe or ping",
                action.action
            ),
            None,
        )
    };
    let _ = deps.pusher.send(&connection.connection_id, &reply).await;
    respond(200, "")
}
