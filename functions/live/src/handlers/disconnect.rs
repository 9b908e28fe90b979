use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use chrono::Utc;
use tracing::{info, warn};

use super::{announce, connection_id, respond};
use crate::deps::LiveDeps;
use crate::messages::Presence;
use crate::store;

/// `$disconnect`: the connection's items go, and the other viewers of its scripts are told
/// it left. API Gateway may call it late or not at all (a client that vanished): then the
/// next push to it (410) or the items' TTL removes them.
pub async fn live_disconnect(
    deps: &LiveDeps,
    request: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let Some(connection_id) = connection_id(&request) else {
        return respond(400, "no connection id");
    };
    // Expired or not, what is left of it goes.
    let connection =
        match store::connection(&deps.table, connection_id, chrono::DateTime::<Utc>::MIN_UTC).await
        {
            Ok(connection) => connection,
            Err(error) => {
                warn!(%error, "connection unreadable; its items stay until their TTL");
                return respond(200, "");
            }
        };
    let Some(connection) = connection else {
        return respond(200, "");
    };
    if let Err(error) = store::forget(&deps.table, connection_id, &connection.scripts).await {
        warn!(%error, "connection items stay until their TTL");
    }
    for script_id in &connection.scripts {
        announce(
            deps,
            script_id,
            &connection.user_id,
            connection_id,
            Presence::Left,
        )
        .await;
    }
    info!(connection_id, "disconnected");
    respond(200, "")
}
