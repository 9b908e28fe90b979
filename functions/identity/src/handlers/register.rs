use chrono::Utc;
use fountain_events::catalog::{RegistrationRepeated, UserRegistered};
use fountain_events::ids::new_id;
use fountain_http::{
    Access, ApiError, Body, Ctx, Problem, Request, Response, json, json_body, serve,
};

use crate::IdentityDeps;
use crate::model::email_key;
use crate::model::{Password, Register, RegistrationAccepted, User};
use crate::public_limits;
use crate::{password, store};

/// Registers an account, or tells the owner of a taken address by email: the answer is the
/// same either way (202), so nobody learns which addresses have accounts (decision 47).
/// Emails are unique regardless of case; a new account verifies its address by email.
#[utoipa::path(post, path = "/auth/register", tag = "identity", operation_id = "register",
    request_body = Register,
    responses((status = 202, body = RegistrationAccepted, description = "Registered, or the address had an account already: either way the rest comes by email"),
        (status = 400, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many sign-in requests from this address or for this email this minute; see Retry-After")))]
pub async fn register(deps: &IdentityDeps, req: Request) -> Response<Body> {
    serve(Access::Public, req, |ctx, req| async move {
        let input: Register = json_body(&req, deps.max_body_bytes)?;
        input.validate()?;
        public_limits::admit(deps, &req, Some(&email_key(&input.email))).await?;
        // Both ways cost one read, one hash and one transaction, so the time does not tell
        // them apart either.
        let holder = store::email_holder(&deps.table, &input.email).await?;
        let password_hash =
            password::hash(&input.password).map_err(|e| ApiError::Internal(e.to_string()))?;
        match holder {
            Some(holder) => repeated(deps, &ctx, &holder).await?,
            None => create(deps, &ctx, &input, password_hash).await?,
        }
        json(202, &RegistrationAccepted::ANSWER, None)
    })
    .await
}

async fn create(
    deps: &IdentityDeps,
    ctx: &Ctx,
    input: &Register,
    password_hash: String,
) -> Result<(), ApiError> {
    let now = Utc::now();
    let user = User {
        user_id: new_id(),
        email: input.email.trim().to_owned(),
        legacy_password_hash: None,
        roles: Vec::new(),
        created_at: now,
        email_verified: false,
        mailed_at: Some(now.timestamp_millis()),
    };
    let password = Password::new(&user.user_id, password_hash, None);
    let mut event_ctx = ctx.clone();
    event_ctx.principal.user_id = user.user_id.clone();
    let envelope = event_ctx.envelope(&UserRegistered {
        user_id: user.user_id.clone(),
        email: user.email.clone(),
    })?;
    match store::register(&deps.table, &user, &password, &envelope).await {
        Ok(()) => Ok(()),
        // Registered by a concurrent request meanwhile: its owner hears of this one.
        Err(store::RegisterError::EmailTaken) => {
            match store::email_holder(&deps.table, &input.email).await? {
                Some(holder) => repeated(deps, ctx, &holder).await,
                None => Err(ApiError::Conflict(
                    "the address is being registered by another request; try again".into(),
                )),
            }
        }
        Err(store::RegisterError::Store(e)) => Err(e.into()),
    }
}

/// The address has an account: its owner is told by email, at most once a minute.
async fn repeated(deps: &IdentityDeps, ctx: &Ctx, user_id: &str) -> Result<(), ApiError> {
    // The actor stays the anonymous caller: the owner did not do this.
    let envelope = ctx.envelope(&RegistrationRepeated {
        user_id: user_id.to_owned(),
    })?;
    store::mail_once_a_minute(
        &deps.table,
        user_id,
        Utc::now().timestamp_millis(),
        &envelope,
    )
    .await?;
    Ok(())
}
