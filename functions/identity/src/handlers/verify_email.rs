use chrono::Utc;
use fountain_events::catalog::{EmailVerificationRequested, EmailVerified, RolesChanged};
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json, json_body, serve};

use crate::IdentityDeps;
use crate::mail_tokens::{self, Purpose, TOKEN_SPENT};
use crate::model::{MailAccepted, Me, VerifyEmail, email_key};
use crate::{public_limits, store};

fn unusable() -> ApiError {
    ApiError::BadRequest(
        "the verification token is unknown, used or expired; ask for a new email at POST /me/email-verification".into(),
    )
}

/// Verifies the account's email address with the token of the verification email. Needs no
/// sign-in (the link may be opened on another device); the token works once, for 24 hours.
#[utoipa::path(post, path = "/auth/verify-email", tag = "identity", operation_id = "verify_email",
    request_body = VerifyEmail,
    responses((status = 200, body = Me), (status = 400, body = Problem, description = "The token is unknown, used or expired"),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address this minute; see Retry-After")))]
pub async fn verify_email(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: VerifyEmail = json_body(&req, deps.max_body_bytes)?;
        public_limits::admit(deps, &req, None).await?;
        let token = mail_tokens::find(&deps.table, Purpose::VerifyEmail, &input.token, Utc::now())
            .await?
            .ok_or_else(unusable)?;
        let user = store::find(&deps.table, &token.user_id)
            .await?
            .ok_or_else(unusable)?;
        let mut event_ctx = ctx.clone();
        event_ctx.principal.user_id = token.user_id.clone();
        let envelope = event_ctx.envelope(&EmailVerified {
            user_id: token.user_id.clone(),
        })?;
        let first_admin = deps
            .first_admin_email
            .as_deref()
            .is_some_and(|first| email_key(first) == email_key(&user.email));
        let admin = vec!["admin".to_owned()];
        let granted = first_admin
            .then(|| {
                event_ctx.envelope(&RolesChanged {
                    user_id: user.user_id.clone(),
                    roles: admin.clone(),
                    previous_roles: user.roles.clone(),
                    granted_by: "first-admin".into(),
                    revoked_before: None,
                    comment: Some("the deployment's FirstAdminEmail verified its address".into()),
                })
            })
            .transpose()?;
        let grant = granted.as_ref().map(|event| (admin.as_slice(), event));
        let mut roles = user.roles.clone();
        let verified = match store::verify_email(&deps.table, &token, &envelope, grant).await {
            Ok(()) if grant.is_some() => {
                roles = admin.clone();
                Ok(())
            }
            // Granted once per deployment: the address is verified without it.
            Err(e) if e.refused(store::FIRST_ADMIN_TAKEN) => {
                store::verify_email(&deps.table, &token, &envelope, None).await
            }
            other => other,
        };
        match verified {
            Err(e) if e.refused(TOKEN_SPENT) || e.refused(store::USER_GONE) => {
                return Err(unusable());
            }
            other => other?,
        }
        let me = Me {
            user_id: user.user_id,
            email: Some(user.email),
            roles,
            created_at: Some(user.created_at),
            email_verified: true,
        };
        json(200, &me, None)
    })
    .await
}

/// Sends the caller a new verification email (at most one a minute).
#[utoipa::path(post, path = "/me/email-verification", tag = "identity", operation_id = "request_email_verification",
    responses((status = 202, body = MailAccepted), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "The caller has no account (a development token)"),
        (status = 409, body = Problem, description = "The address is verified already"),
        (status = 429, body = Problem, description = "An email went to the account less than a minute ago; see Retry-After")),
    security(("bearer" = [])))]
pub async fn request_email_verification(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, _req| async move {
        let user = store::find(&deps.table, &ctx.principal.user_id)
            .await?
            .ok_or(ApiError::NotFound("account"))?;
        if user.email_verified {
            return Err(ApiError::Conflict(
                "the email address is verified already".into(),
            ));
        }
        let envelope = ctx.envelope(&EmailVerificationRequested {
            user_id: user.user_id.clone(),
        })?;
        let now = Utc::now().timestamp_millis();
        if !store::mail_once_a_minute(&deps.table, &user.user_id, now, &envelope).await? {
            let waited = now - user.mailed_at.unwrap_or(now);
            let left = (store::MAIL_INTERVAL_MS - waited).max(1000) / 1000;
            return Err(ApiError::TooManyRequests {
                retry_after: u64::try_from(left).unwrap_or(60),
                detail: "an email went to this account less than a minute ago".into(),
            });
        }
        json(
            202,
            &MailAccepted {
                detail: "a verification email is on its way",
            },
            None,
        )
    })
    .await
}
