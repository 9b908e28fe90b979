use chrono::Utc;
use fountain_events::catalog::UserLoggedOut;
use fountain_http::{Access, ApiError, Body, Ctx, Problem, Request, Response, json_body, serve};
use tracing::warn;

use super::next_token;
use crate::IdentityDeps;
use crate::model::{Refresh, RefreshRecord, TokenPair};
use crate::{store, tokens};

/// A used refresh token came back: the tokens were stolen or the client is broken. The
/// family is revoked, and so is every access token of the user issued until now (one may
/// have been minted from the family already): the user signs in again everywhere.
async fn theft(deps: &IdentityDeps, ctx: &Ctx, record: &RefreshRecord) -> Result<(), ApiError> {
    store::revoke_family(&deps.table, &record.user_id, &record.family_id).await?;
    let revoked_before = Utc::now().timestamp_millis() + 1;
    let mut event_ctx = ctx.clone();
    event_ctx.principal.user_id = record.user_id.clone();
    let envelope = event_ctx.envelope(&UserLoggedOut {
        user_id: record.user_id.clone(),
        revoked_before,
    })?;
    match store::revoke_all(&deps.table, &record.user_id, revoked_before, &envelope).await {
        Ok(()) => Ok(()),
        // A later bound is stored already: the tokens are revoked.
        Err(fountain_store::StoreError::Refused { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn refused() -> ApiError {
    ApiError::Unauthorized("the refresh token is invalid, expired or revoked".into())
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
/// one again revokes its whole family and every access token of the user (the tokens were
/// stolen, or the client is broken). The answer is never cached (`Cache-Control: no-store`).
#[utoipa::path(post, path = "/auth/refresh", tag = "identity", operation_id = "refresh_token",
    request_body = Refresh,
    responses((status = 200, body = TokenPair), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address this minute; see Retry-After")))]
pub async fn refresh_token(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: Refresh = json_body(&req, deps.max_body_bytes)?;
        crate::public_limits::admit(deps, &req, None).await?;
        let Some(record) =
            store::load_refresh(&deps.table, &tokens::hash(&input.refresh_token)).await?
        else {
            return Err(refused());
        };
        if record.status != "active" {
            warn!(
                user_id = record.user_id,
                family_id = record.family_id,
                "a used refresh token came back: family revoked"
            );
            theft(deps, &ctx, &record).await?;
            return Err(refused());
        }
        let family = store::load_family(&deps.table, &record.user_id, &record.family_id).await?;
        let revoked_before = store::revoked_before(&deps.table, &record.user_id)
            .await?
            .unwrap_or(i64::MIN);
        let usable = family
            .as_ref()
            .is_some_and(|f| f.status == "active" && f.started >= revoked_before)
            && record.expires_at > Utc::now().timestamp();
        let (Some(family), true) = (family, usable) else {
            return Err(refused());
        };
        let roles = store::find(&deps.table, &record.user_id)
            .await?
            .map(|u| u.roles)
            .unwrap_or_default();
        let (next, pair) = next_token(deps, &record.user_id, &roles, &family).await?;
        match store::rotate(&deps.table, &record, &next).await {
            Ok(()) => super::token_response(&pair),
            // Another request exchanged the same token first: that is reuse too.
            Err(error) if error.refused(store::TOKEN_USED) => {
                theft(deps, &ctx, &record).await?;
                Err(refused())
            }
            // A logout committed between the reads above and this exchange.
            Err(error) if error.refused(store::FAMILY_REVOKED) => Err(refused()),
            Err(other) => Err(other.into()),
        }
    })
    .await
}
