//! The UserLoggedOut consumer: ends the user's sessions. Logout itself already made every
//! token unusable; this marks each refresh token family revoked, and is where later
//! capabilities end what else a user has running.

use chrono::Duration;
use fountain_events::catalog::UserLoggedOut;
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use tracing::info;

use crate::store;

/// The consumer's table and its event claims.
pub type SessionsDeps = ConsumerDeps;

/// `SessionsDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<SessionsDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "end_sessions", Duration::minutes(2))
}

#[derive(Debug, thiserror::Error)]
pub enum SessionsError {
    #[error(transparent)]
    Decode(#[from] fountain_events::DecodeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn end_sessions(
    deps: &SessionsDeps,
    delivered: Delivered<UserLoggedOut>,
) -> Result<(), SessionsError> {
    let logged_out = delivered.event;
    let mut ended = 0;
    for family in store::families(&deps.table, &logged_out.user_id).await? {
        if family.status == "active" && family.started < logged_out.revoked_before {
            store::revoke_family(&deps.table, &logged_out.user_id, &family.family_id).await?;
            ended += 1;
        }
    }
    info!(user_id = logged_out.user_id, ended, "sessions ended");
    Ok(())
}
