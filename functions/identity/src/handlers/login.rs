use chrono::Utc;
use fountain_events::catalog::UserLoggedIn;
use fountain_events::ids::new_id;
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json_body, serve};
use tracing::info;

use super::new_session;
use crate::IdentityDeps;
use crate::attempts::{self, Attempt};
use crate::model::email_key;
use crate::model::{Login, TokenPair};
use crate::public_limits::{self, client_ip};
use crate::{password, store};

fn wrong_credentials() -> ApiError {
    ApiError::Unauthorized("the email address or the password is wrong".into())
}

/// Logs in with email and password: an access token and a refresh token.
#[utoipa::path(post, path = "/auth/login", tag = "identity", operation_id = "login",
    request_body = Login,
    responses((status = 200, body = TokenPair), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many attempts from this client for this email (or from this client at all); see Retry-After")))]
pub async fn login(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: Login = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        // Reserved before the password is verified: one attempt at a time per email and
        // client, and a growing wait after repeated failures (decision 46).
        let email = email_key(&input.email);
        public_limits::admit(deps, &req, Some(&email)).await?;
        let attempt = Attempt::new(&email, &client_ip(&req));
        let threshold = super::reserve_attempt(
            deps,
            &attempt,
            "too many sign-in attempts from here; wait before trying again",
        )
        .await?;
        let user = store::find_by_email(&deps.table, &input.email).await?;
        let stored = match &user {
            Some(user) => store::password_of(&deps.table, user).await?,
            None => None,
        };
        // An unknown email costs a verification too, so the answer does not tell which exist.
        let verified = match &stored {
            Some(stored) => password::verify(&input.password, &stored.password.hash),
            None => {
                password::verify(&input.password, password::decoy());
                false
            }
        };
        let (Some(user), Some(stored), true) = (user, stored, verified) else {
            attempts::failed(&deps.table, &attempt, threshold, Utc::now()).await?;
            info!("failed login");
            return Err(wrong_credentials());
        };
        attempts::succeeded(&deps.table, &attempt).await?;
        let family_id = new_id();
        let (family, refresh, pair) = new_session(deps, &user, &family_id).await?;
        let mut event_ctx = ctx.clone();
        event_ctx.principal.user_id = user.user_id.clone();
        let envelope = event_ctx.envelope(&UserLoggedIn {
            user_id: user.user_id.clone(),
            session_id: family_id,
        })?;
        store::start_session(&deps.table, &user, &stored, &family, &refresh, &envelope).await?;
        super::token_response(&pair)
    })
    .await
}
