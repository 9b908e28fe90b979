//! Identity: the HTTP API Lambda authorizer. It is the one place bearer tokens are verified.
//!
//! API Gateway (HTTP API) can answer a denied request only with a bare 403, while the API
//! promises a 401 problem+json saying why. So the authorizer returns a verdict in its context
//! (the principal, or the reason for refusal) and the shared HTTP wrapper refuses every
//! request whose verdict is not a principal before any handler code runs. See
//! docs/decisions.md, "Auth".

use aws_lambda_events::event::apigw::{
    ApiGatewayV2CustomAuthorizerSimpleResponse, ApiGatewayV2CustomAuthorizerV2Request,
};
use fountain_auth::{TokenError, TokenKeys};
use fountain_runtime::{ConfigError, Env};
use serde_json::json;
use tracing::info;

use fountain_auth::context::{DENIED_KEY, ROLES_KEY, USER_ID_KEY};

#[derive(Debug, Clone)]
pub struct AuthorizerDeps {
    pub keys: TokenKeys,
}

impl AuthorizerDeps {
    pub fn load(env: &Env) -> Result<Self, ConfigError> {
        let secret = env.required("JWT_SECRET")?;
        let keys = TokenKeys::new(secret.as_bytes()).map_err(|e| ConfigError::Invalid {
            name: "JWT_SECRET".into(),
            reason: e.to_string(),
        })?;
        Ok(Self { keys })
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

/// Verifies the bearer token and returns the verdict for the handlers.
pub async fn authorize(
    deps: &AuthorizerDeps,
    request: ApiGatewayV2CustomAuthorizerV2Request,
) -> ApiGatewayV2CustomAuthorizerSimpleResponse {
    let verdict = match bearer_token(&request).map(|token| deps.keys.verify(token)) {
        Some(Ok(claims)) => json!({ USER_ID_KEY: claims.sub, ROLES_KEY: claims.roles.join(",") }),
        Some(Err(TokenError::Expired)) => json!({ DENIED_KEY: "the token has expired" }),
        Some(Err(_)) => json!({ DENIED_KEY: "the token is invalid" }),
        None => json!({ DENIED_KEY: "a bearer token is required" }),
    };
    info!(
        route = request.route_key.as_deref().unwrap_or_default(),
        denied = verdict.get(DENIED_KEY).is_some(),
        "authorizer verdict"
    );
    let mut response = ApiGatewayV2CustomAuthorizerSimpleResponse::default();
    response.is_authorized = true;
    response.context = verdict;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn deps() -> AuthorizerDeps {
        AuthorizerDeps::load(&Env::default().with("JWT_SECRET", SECRET)).unwrap()
    }

    fn request(authorization: Option<&str>) -> ApiGatewayV2CustomAuthorizerV2Request {
        let mut request = ApiGatewayV2CustomAuthorizerV2Request::default();
        if let Some(value) = authorization {
            request
                .headers
                .insert("authorization", value.parse().unwrap());
        }
        request
    }

    #[tokio::test]
    async fn a_valid_token_yields_the_principal() {
        let token = deps()
            .keys
            .issue("alice", &["admin".into()], chrono::Duration::minutes(5))
            .unwrap();
        let response = authorize(&deps(), request(Some(&format!("Bearer {token}")))).await;
        assert_eq!(
            response.context,
            json!({ "userId": "alice", "roles": "admin" })
        );
    }

    #[tokio::test]
    async fn bad_expired_and_missing_tokens_yield_a_reason_and_no_principal() {
        let expired = deps()
            .keys
            .issue("alice", &[], chrono::Duration::minutes(-5))
            .unwrap();
        let cases = [
            (Some(format!("Bearer {expired}")), "the token has expired"),
            (
                Some("Bearer abc.def.ghi".to_owned()),
                "the token is invalid",
            ),
            (
                Some("Basic YWxpY2U6c2VjcmV0".to_owned()),
                "a bearer token is required",
            ),
            (None, "a bearer token is required"),
        ];
        for (header, reason) in cases {
            let response = authorize(&deps(), request(header.as_deref())).await;
            assert_eq!(response.context, json!({ "denied": reason }));
        }
    }

    #[test]
    fn a_weak_secret_fails_at_start() {
        assert!(AuthorizerDeps::load(&Env::default().with("JWT_SECRET", "short")).is_err());
        assert!(AuthorizerDeps::load(&Env::default()).is_err());
    }
}
