use chrono::Utc;
use fountain_events::catalog::UserDeleted;
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json, json_body, serve};

use crate::IdentityDeps;
use crate::attempts::{self, Attempt};
use crate::model::{AccountDeleted, DeleteAccount, email_key};
use crate::public_limits::client_ip;
use crate::{password, store};

fn gone() -> ApiError {
    ApiError::NotFound("account")
}

/// Deletes the caller's account, with its password (decision 50). Signing in stops at once
/// and every token of the caller is revoked; the scripts the caller owns are deleted (for
/// every member), their memberships of others' scripts, sessions, generation jobs, files
/// and notifications are removed, and their email address is removed from stored events,
/// by the consumers of UserDeleted, within seconds.
#[utoipa::path(delete, path = "/me", tag = "identity", operation_id = "delete_account",
    request_body = DeleteAccount,
    responses((status = 202, body = AccountDeleted), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem, description = "The password is wrong"), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many wrong passwords from this client; see Retry-After")),
    security(("bearer" = [])))]
pub async fn delete_account(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Authenticated, req, |ctx, req| async move {
        let input: DeleteAccount = json_body(&req, deps.max_body_bytes)?;
        fountain_http::Checks::new()
            .required("password", &input.password, password::MAX_CHARS)
            .finish()?;
        let user = store::find(&deps.table, &ctx.principal.user_id)
            .await?
            .ok_or_else(gone)?;
        // Guessing the password with a stolen token is slowed like guessing it at login.
        let attempt = Attempt::new(&email_key(&user.email), &client_ip(&req));
        let threshold = super::reserve_attempt(
            deps,
            &attempt,
            "too many wrong passwords from here; wait before trying again",
        )
        .await?;
        let stored = store::password_of(&deps.table, &user).await?;
        let verified = stored
            .as_ref()
            .is_some_and(|stored| password::verify(&input.password, &stored.password.hash));
        if !verified {
            attempts::failed(&deps.table, &attempt, threshold, Utc::now()).await?;
            return Err(ApiError::Forbidden("the password is wrong".into()));
        }
        attempts::succeeded(&deps.table, &attempt).await?;
        let now = Utc::now();
        let revoked_before = now.timestamp_millis() + 1;
        let bound_expires_at = (now + deps.access_lifetime).timestamp() + 60;
        let envelope = ctx.envelope(&UserDeleted {
            user_id: user.user_id.clone(),
            revoked_before,
        })?;
        match store::delete_account(
            &deps.table,
            &user,
            revoked_before,
            bound_expires_at,
            &envelope,
        )
        .await
        {
            Err(e) if e.refused(store::USER_GONE) => Err(gone()),
            other => other.map_err(ApiError::from),
        }?;
        json(
            202,
            &AccountDeleted {
                user_id: user.user_id,
                detail: AccountDeleted::DETAIL,
            },
            None,
        )
    })
    .await
}
