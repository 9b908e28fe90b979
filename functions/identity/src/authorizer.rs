//! The HTTP API Lambda authorizer, the one place bearer tokens are verified.
//!
//! API Gateway (HTTP API) can answer a denied request only with a bare 403, while the API
//! promises a 401 problem+json saying why. So the authorizer returns a verdict in its context
//! (the principal, or the reason for refusal) and the shared HTTP wrapper refuses every
//! request whose verdict is not a principal before any handler code runs. See
//! docs/decisions.md, "Auth".
//!
//! It also counts the caller's requests against MAX_REQUESTS_PER_MINUTE (a runtime setting).
//!
//! It verifies with the public key set only (decision 49), re-read every 5 minutes.
//!
//! Logout revokes at once: the authorizer reads the user's revocation bound from DynamoDB
//! on every request (a strongly consistent read, no cache), and API Gateway's authorizer
//! cache is off (`ReauthorizeEvery: 0`).

use aws_lambda_events::event::apigw::{
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use fountain_auth::context::{
    DENIED_KEY, RETRY_AFTER_KEY, ROLES_KEY, UNAVAILABLE_KEY, USER_ID_KEY,
};
use fountain_auth::{Claims, TokenError, TokenVerifier};
use fountain_runtime::metrics::{self, Metrics};
use fountain_runtime::settings::{SettingKey, Settings};
use fountain_runtime::{ConfigError, Env};
use fountain_store::Table;
use serde_json::{Value, json};
use tracing::{info, warn};

use crate::key_store::{SecretCache, verification_keys};
use crate::{rate_limit, store};
use fountain_store::StoreError;

#[derive(Debug, Clone)]
pub struct AuthorizerDeps {
    /// The public key set (`VERIFICATION_KEYS_SECRET`): the authorizer holds no private key.
    pub keys: SecretCache<TokenVerifier>,
    pub table: Table,
    pub settings: Settings,
}

impl AuthorizerDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let table = Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        Ok(Self {
            keys: SecretCache::new(
                aws_sdk_secretsmanager::Client::new(sdk),
                env.required("VERIFICATION_KEYS_SECRET")?,
                env,
                verification_keys,
            )?,
            settings: Settings::new(table.clone()),
            table,
        })
    }
}

fn bearer_token(request: &ApiGatewayV2CustomAuthorizerV2Request) -> Option<&str> {
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

async fn verdict(deps: &AuthorizerDeps, claims: Claims) -> Result<Value, StoreError> {
    // The revocation read and the rate counter are independent: one round trip, not two.
    // A revoked token's request is counted too, which only costs a logged-out caller.
    let (revoked_before, admitted) =
        tokio::join!(store::revoked_before(&deps.table, &claims.sub), async {
            let limit = deps.settings.get(SettingKey::MaxRequestsPerMinute).await?;
            rate_limit::admit(&deps.table, &claims.sub, limit).await
        });
    if revoked_before?.is_some_and(|before| claims.iat_ms < before) {
        return Ok(json!({ DENIED_KEY: "the token was revoked by a logout" }));
    }
    if let Some(retry_after) = admitted? {
        return Ok(json!({ RETRY_AFTER_KEY: retry_after.to_string() }));
    }
    Ok(json!({ USER_ID_KEY: claims.sub, ROLES_KEY: claims.roles.join(",") }))
}

/// Verifies the bearer token and returns the verdict for the handlers.
pub async fn authorizer(
    deps: &AuthorizerDeps,
    request: ApiGatewayV2CustomAuthorizerV2Request,
) -> ApiGatewayV2CustomAuthorizerSimpleResponse {
    let verifier = match deps.keys.get().await {
        Ok(verifier) => verifier,
        Err(e) => {
            warn!(error = %e, "verification keys unreadable");
            return respond(json!({ UNAVAILABLE_KEY: "authorization is temporarily unavailable" }));
        }
    };
    let verdict = match bearer_token(&request).map(|token| verifier.verify(token)) {
        Some(Ok(claims)) => verdict(deps, claims).await.unwrap_or_else(|e| {
            warn!(error = %e, "revocation or rate state unreadable");
            json!({ UNAVAILABLE_KEY: "authorization is temporarily unavailable" })
        }),
        Some(Err(TokenError::Expired)) => json!({ DENIED_KEY: "the token has expired" }),
        Some(Err(_)) => json!({ DENIED_KEY: "the token is invalid" }),
        None => json!({ DENIED_KEY: "a bearer token is required" }),
    };
    info!(
        route = request.route_key.as_deref().unwrap_or_default(),
        denied = verdict.get(USER_ID_KEY).is_none(),
        "authorizer verdict"
    );
    let mut metrics = Metrics::new(fountain_runtime::function::current_name());
    let counted = if verdict.get(USER_ID_KEY).is_some() {
        metrics::AUTHORIZER_ALLOWED
    } else if verdict.get(RETRY_AFTER_KEY).is_some() {
        metrics::AUTHORIZER_RATE_LIMITED
    } else {
        metrics::AUTHORIZER_DENIED
    };
    metrics.record(counted, 1.0);
    metrics.flush();
    respond(verdict)
}

fn respond(verdict: Value) -> ApiGatewayV2CustomAuthorizerSimpleResponse {
    let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::default();
    response.is_authorized = true;
    response.context = verdict;
    response
}
