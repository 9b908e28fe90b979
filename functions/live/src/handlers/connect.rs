use aws_lambda_events::event::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use chrono::Utc;
use fountain_auth::TokenError;
use fountain_identity::AuthorizerDeps;
use fountain_identity::store::revoked_before;
use http::HeaderValue;
use tracing::{info, warn};

use super::{connection_id, respond};
use crate::store;

/// The subprotocol a browser offers beside `bearer.<token>` (browsers cannot set an
/// Authorization header on a WebSocket); the handshake answers with it.
pub const SUBPROTOCOL: &str = "fountain.live";
const BEARER_PROTOCOL: &str = "bearer.";

/// The access token: the `token` query parameter, or a `bearer.<token>` subprotocol.
fn token(request: &ApiGatewayWebsocketProxyRequest) -> Option<String> {
    if let Some(token) = request.query_string_parameters.first("token") {
        return Some(token.to_owned());
    }
    offered_protocols(request)
        .into_iter()
        .find_map(|p| p.strip_prefix(BEARER_PROTOCOL).map(str::to_owned))
}

fn offered_protocols(request: &ApiGatewayWebsocketProxyRequest) -> Vec<&str> {
    request
        .headers
        .get_all(http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect()
}

/// `$connect`: the connection opens only with a valid, unrevoked access token (401
/// otherwise, so the handshake fails), and is recorded with its user.
pub async fn live_connect(
    deps: &AuthorizerDeps,
    request: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let Some(connection_id) = connection_id(&request) else {
        return respond(400, "no connection id");
    };
    let verifier = match deps.keys.get().await {
        Ok(verifier) => verifier,
        Err(error) => {
            warn!(%error, "verification keys unreadable");
            return respond(503, "authorization is temporarily unavailable");
        }
    };
    let claims = match token(&request).map(|token| verifier.verify(&token)) {
        Some(Ok(claims)) => claims,
        Some(Err(TokenError::Expired)) => return respond(401, "the token has expired"),
        Some(Err(_)) => return respond(401, "the token is invalid"),
        None => {
            return respond(
                401,
                "an access token is required (?token= or a bearer.<token> subprotocol)",
            );
        }
    };
    match revoked_before(&deps.table, &claims.sub).await {
        Ok(Some(before)) if claims.iat_ms < before => {
            return respond(401, "the token was revoked by a logout");
        }
        Ok(_) => {}
        Err(error) => {
            warn!(%error, "revocation unreadable");
            return respond(503, "authorization is temporarily unavailable");
        }
    }
    if let Err(error) = store::open(&deps.table, connection_id, &claims.sub, Utc::now()).await {
        warn!(%error, "connection not recorded");
        return respond(503, "retry in a moment");
    }
    info!(connection_id, user_id = claims.sub, "connected");
    let mut response = respond(200, "");
    if offered_protocols(&request).contains(&SUBPROTOCOL) {
        response.headers.insert(
            http::header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static(SUBPROTOCOL),
        );
    }
    response
}
