use chrono::Utc;
use fountain_events::catalog::{PasswordReset, PasswordResetRequested, UserLoggedOut};
use fountain_http::{
    Access, ApiError, Body, Problem, Request, Response, json, json_body, no_content, serve,
};

use crate::IdentityDeps;
use crate::mail_tokens::{self, Purpose, TOKEN_SPENT};
use crate::model::{ForgotPassword, MailAccepted, ResetPassword, email_key};
use crate::{password, public_limits, store};

/// Asks for a password reset email. The answer is the same whether or not the address has an
/// account; an account gets at most one email a minute.
#[utoipa::path(post, path = "/auth/forgot-password", tag = "identity", operation_id = "forgot_password",
    request_body = ForgotPassword,
    responses((status = 202, body = MailAccepted), (status = 400, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address or for this email this minute; see Retry-After")))]
pub async fn forgot_password(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: ForgotPassword = json_body(&req, deps.max_body_bytes)?;
        fountain_http::Checks::new()
            .required("email", &input.email, fountain_http::MAX_EMAIL_CHARS)
            .finish()?;
        public_limits::admit(deps, &req, Some(&email_key(&input.email))).await?;
        if let Some(user) = store::find_by_email(&deps.table, &input.email).await? {
            let envelope = ctx.envelope(&PasswordResetRequested {
                user_id: user.user_id.clone(),
            })?;
            let now = Utc::now().timestamp_millis();
            store::mail_once_a_minute(&deps.table, &user.user_id, now, &envelope).await?;
        }
        json(
            202,
            &MailAccepted {
                detail: "if the address has an account, a message to reset its password is on its way",
            },
            None,
        )
    })
    .await
}

fn unusable() -> ApiError {
    ApiError::BadRequest(
        "the reset token is unknown, used or expired; ask for a new one at POST /auth/forgot-password".into(),
    )
}

/// Sets a new password with the token of a reset email (once, within 30 minutes). Every
/// token and refresh family of the user is revoked: they sign in again everywhere.
#[utoipa::path(post, path = "/auth/reset-password", tag = "identity", operation_id = "reset_password",
    request_body = ResetPassword,
    responses((status = 204), (status = 400, body = Problem, description = "The token is unknown, used or expired"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address this minute; see Retry-After")))]
pub async fn reset_password(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: ResetPassword = json_body(&req, deps.max_body_bytes)?;
        public_limits::admit(deps, &req, None).await?;
        let token = mail_tokens::find(
            &deps.table,
            Purpose::ResetPassword,
            &input.token,
            Utc::now(),
        )
        .await?
        .ok_or_else(unusable)?;
        let user = store::find(&deps.table, &token.user_id)
            .await?
            .ok_or_else(unusable)?;
        if let Some(problem) = password::policy_violation(&input.password, &user.email) {
            return Err(ApiError::field("password", problem));
        }
        let hash =
            password::hash(&input.password).map_err(|e| ApiError::Internal(e.to_string()))?;
        let revoked_before = Utc::now().timestamp_millis() + 1;
        let mut event_ctx = ctx.clone();
        event_ctx.principal.user_id = user.user_id.clone();
        let events = [
            event_ctx.envelope(&PasswordReset {
                user_id: user.user_id.clone(),
                revoked_before,
            })?,
            // Consumers of logouts end the user's sessions and live connections.
            event_ctx.envelope(&UserLoggedOut {
                user_id: user.user_id.clone(),
                revoked_before,
            })?,
        ];
        match store::reset_password(&deps.table, &token, &hash, revoked_before, &events).await {
            Err(e)
                if e.refused(TOKEN_SPENT)
                    || e.refused(store::TOKEN_SUPERSEDED)
                    || e.refused(store::USER_GONE) =>
            {
                Err(unusable())
            }
            Err(e) => Err(e.into()),
            Ok(()) => no_content(),
        }
    })
    .await
}
