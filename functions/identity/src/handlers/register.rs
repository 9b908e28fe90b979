use chrono::Utc;
use fountain_events::catalog::UserRegistered;
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, created, json_body, serve,
};

use crate::IdentityDeps;
use crate::model::email_key;
use crate::model::{Register, User, UserView};
use crate::public_limits;
use crate::{password, store};

/// Registers an account. Emails are unique regardless of case.
#[utoipa::path(post, path = "/auth/register", tag = "identity", operation_id = "register",
    request_body = Register,
    responses((status = 201, body = UserView), (status = 400, body = Problem), (status = 409, body = Problem, description = "Email registered already"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address or for this email this minute; see Retry-After")))]
pub async fn register(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: Register = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        public_limits::admit(deps, &req, Some(&email_key(&input.email))).await?;
        let user = User {
            user_id: new_id(),
            email: input.email.trim().to_owned(),
            password_hash: password::hash(&input.password)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            roles: Vec::new(),
            created_at: Utc::now(),
        };
        let mut event_ctx = ctx.clone();
        event_ctx.principal.user_id = user.user_id.clone();
        let envelope = event_ctx.envelope(&UserRegistered {
            user_id: user.user_id.clone(),
            email: user.email.clone(),
        })?;
        store::register(&deps.table, &user, &envelope)
            .await
            .map_err(|e| match e {
                store::RegisterError::EmailTaken => {
                    ApiError::Conflict("this email address is registered already".into())
                }
                store::RegisterError::Store(e) => e.into(),
            })?;
        let view = UserView {
            user_id: user.user_id.clone(),
            email: user.email,
            created_at: user.created_at,
        };
        created("/me", &view, fountain_http::etag(1))
    })
    .await
}
