//! The caller, as the authorizer established it. The authorizer verifies the token and puts
//! the user id and roles in its context; when the token is bad it says why instead, and the
//! handler answers 401 with that reason (see docs/decisions.md, "Auth").

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde_json::Value;

use crate::error::ApiError;

use fountain_auth::context::{
    DENIED_KEY, RETRY_AFTER_KEY, ROLES_KEY, UNAVAILABLE_KEY, USER_ID_KEY,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub roles: Vec<String>,
}

impl Principal {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// The principal of an authorized request, or why there is none.
    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        let context = match req.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(context)) => context
                .authorizer
                .as_ref()
                .map(|authorizer| &authorizer.fields),
            _ => None,
        };
        let Some(context) = context else {
            return Err(ApiError::Unauthorized("a bearer token is required".into()));
        };
        if let Some(reason) = context.get(UNAVAILABLE_KEY).and_then(Value::as_str) {
            return Err(ApiError::Unavailable(reason.to_owned()));
        }
        if let Some(seconds) = context.get(RETRY_AFTER_KEY).and_then(Value::as_str) {
            return Err(ApiError::TooManyRequests {
                retry_after: seconds.parse().unwrap_or(60),
                detail: "the requests of this minute are used up".into(),
            });
        }
        if let Some(reason) = context.get(DENIED_KEY).and_then(Value::as_str) {
            return Err(ApiError::Unauthorized(reason.to_owned()));
        }
        let user_id = context
            .get(USER_ID_KEY)
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("a bearer token is required".into()))?;
        let roles = context
            .get(ROLES_KEY)
            .and_then(Value::as_str)
            .map(|roles| {
                roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            user_id: user_id.to_owned(),
            roles,
        })
    }
}
