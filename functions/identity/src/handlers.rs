//! One handler per API operation, each the whole of one Lambda function.

mod delete_account;
mod jwks;
mod login;
mod logout;
mod me;
mod refresh;
mod register;
mod reset_password;
mod roles;
mod verify_email;

pub use delete_account::*;
pub use jwks::*;
pub use login::*;
pub use logout::*;
pub use me::*;
pub use refresh::*;
pub use register::*;
pub use reset_password::*;
pub use roles::*;
pub use verify_email::*;

use chrono::Utc;
use fountain_http::ApiError;

use crate::IdentityDeps;
use crate::model::{FamilyRecord, RefreshRecord, TokenPair, User};
use crate::tokens::new_token;

/// The refresh-token family and first token of a new login, and the pair to hand out.
pub(crate) async fn new_session(
    deps: &IdentityDeps,
    user: &User,
    family_id: &str,
) -> Result<(FamilyRecord, RefreshRecord, TokenPair), ApiError> {
    let now = Utc::now();
    let expires_at = (now + deps.refresh_lifetime).timestamp();
    let family = FamilyRecord {
        pk: fountain_store::keys::credential(&user.user_id),
        sk: FamilyRecord::sk(family_id),
        family_id: family_id.to_owned(),
        status: "active".into(),
        started: now.timestamp_millis(),
        expires_at,
    };
    let (refresh, pair) = next_token(deps, &user.user_id, &user.roles, &family).await?;
    Ok((family, refresh, pair))
}

/// A new refresh token in `family` and a new access token, signed with the key that signs
/// now (decision 49).
pub(crate) async fn next_token(
    deps: &IdentityDeps,
    user_id: &str,
    roles: &[String],
    family: &FamilyRecord,
) -> Result<(RefreshRecord, TokenPair), ApiError> {
    let (token, hash) = new_token();
    let pk = RefreshRecord::pk(&hash);
    let record = RefreshRecord {
        gsi1pk: Some(fountain_store::keys::tokens_of(user_id)),
        gsi1sk: Some(pk.clone()),
        pk,
        sk: RefreshRecord::SK.into(),
        user_id: user_id.to_owned(),
        family_id: family.family_id.clone(),
        status: "active".into(),
        family_started: family.started,
        expires_at: family.expires_at,
    };
    let keys = deps
        .signing
        .as_ref()
        .ok_or_else(|| ApiError::Internal("this function has no signing keys".into()))?
        .get()
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "signing keys unavailable");
            ApiError::Unavailable("sign-in is temporarily unavailable".into())
        })?;
    let access_token = keys
        .signer(Utc::now())
        .and_then(|signer| signer.issue(user_id, roles, deps.access_lifetime))
        .map_err(|e| {
            tracing::error!(error = %e, "no token could be signed");
            ApiError::Unavailable("sign-in is temporarily unavailable".into())
        })?;
    let pair = TokenPair {
        access_token,
        token_type: "Bearer",
        expires_in: deps.access_lifetime.num_seconds(),
        refresh_token: token,
        refresh_expires_in: family.expires_at - Utc::now().timestamp(),
    };
    Ok((record, pair))
}

/// 200 with a token pair, never to be cached or stored by a proxy or the client
/// (RFC 6749 section 5.1).
pub(crate) fn token_response(
    pair: &TokenPair,
) -> Result<lambda_http::Response<lambda_http::Body>, ApiError> {
    let mut response = fountain_http::json(200, pair, None)?;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        http::header::PRAGMA,
        http::HeaderValue::from_static("no-cache"),
    );
    Ok(response)
}

/// Reserves a password attempt before the password is verified (decision 46): one at a time
/// per email and client, with a growing wait after repeated failures. The failure threshold
/// it was reserved under, or a 429 saying `detail`.
pub(crate) async fn reserve_attempt(
    deps: &IdentityDeps,
    attempt: &crate::attempts::Attempt,
    detail: &str,
) -> Result<u32, ApiError> {
    let threshold = u32::try_from(
        deps.settings
            .get(fountain_runtime::settings::SettingKey::MaxLoginFailures)
            .await?,
    )
    .unwrap_or(u32::MAX);
    match crate::attempts::reserve(&deps.table, attempt, threshold, Utc::now()).await? {
        Ok(()) => Ok(threshold),
        Err(seconds) => Err(ApiError::TooManyRequests {
            retry_after: seconds,
            detail: detail.into(),
        }),
    }
}
