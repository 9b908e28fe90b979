use chrono::{Duration, Utc};
use fountain_events::catalog::UserLoggedIn;
use fountain_events::ids::new_id;
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json_body, serve};
use fountain_runtime::settings::SettingKey;
use tracing::info;

use super::new_session;
use crate::IdentityDeps;
use crate::model::{Login, TokenPair};
use crate::{password, store};

/// How long an account stays locked after MAX_LOGIN_FAILURES consecutive failures.
pub const LOCK_MINUTES: i64 = 15;

fn wrong_credentials() -> ApiError {
    ApiError::Unauthorized("the email address or the password is wrong".into())
}

/// Logs in with email and password: an access token and a refresh token.
#[utoipa::path(post, path = "/auth/login", tag = "identity", operation_id = "login",
    request_body = Login,
    responses((status = 200, body = TokenPair), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Locked after repeated failures; see Retry-After")))]
pub async fn login(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: Login = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        let Some(user) = store::find_by_email(&deps.table, &input.email).await? else {
            // As slow as a wrong password, so the answer does not tell which emails exist.
            password::verify(&input.password, password::decoy());
            return Err(wrong_credentials());
        };
        let now = Utc::now();
        if let Some(until) = user
            .locked_until
            .filter(|until| *until > now.timestamp_millis())
        {
            let seconds = ((until - now.timestamp_millis()) / 1000).max(1);
            return Err(ApiError::TooManyRequests {
                retry_after: seconds as u64,
                detail: "the account is locked after repeated failed logins".into(),
            });
        }
        if !password::verify(&input.password, &user.password_hash) {
            let until = (now + Duration::minutes(LOCK_MINUTES)).timestamp_millis();
            let lock_at = deps.settings.get(SettingKey::MaxLoginFailures).await?;
            store::record_failed_login(&deps.table, &user, lock_at as u32, until).await?;
            info!(user_id = user.user_id, "failed login");
            return Err(wrong_credentials());
        }
        let family_id = new_id();
        let (family, refresh, pair) = new_session(deps, &user, &family_id)?;
        let mut event_ctx = ctx.clone();
        event_ctx.principal.user_id = user.user_id.clone();
        let envelope = event_ctx.envelope(&UserLoggedIn {
            user_id: user.user_id.clone(),
            session_id: family_id,
        })?;
        store::start_session(&deps.table, &user, &family, &refresh, &envelope).await?;
        super::token_response(&pair)
    })
    .await
}
