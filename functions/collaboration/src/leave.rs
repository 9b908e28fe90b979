//! The UserDeleted consumer `leave_scripts` (decision 50): the scripts a deleted account
//! owned are deleted (ScriptDeleted: the purge chain removes everything under them, for
//! every member), and its memberships of other people's scripts are removed (MemberRemoved),
//! with the invitations it accepted there (they hold its address).
//! Idempotent: a redelivery finds only what is left.

use chrono::Duration;
use fountain_events::catalog::{MemberRemoved, ScriptDeleted, UserDeleted};
use fountain_events::{DomainEvent, EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_scripts::access::{Membership, Role};
use fountain_store::{StoreError, Table, from_item};
use tracing::info;

use crate::store;

/// The consumer's table and its event claims.
pub type LeaveDeps = ConsumerDeps;

/// `LeaveDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<LeaveDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "leave_scripts", Duration::minutes(5))
}

const LEFT_BY_DELETION: &str = "the member deleted their account";

pub async fn leave_scripts(
    deps: &LeaveDeps,
    delivered: Delivered<UserDeleted>,
) -> Result<(), StoreError> {
    let user_id = &delivered.event.user_id;
    let context = EventContext::caused_by(&delivered.envelope);
    let (mut deleted, mut left) = (0, 0);
    for membership in memberships(&deps.table, user_id).await? {
        let script_id = membership.script_id.clone();
        if membership.role == Role::Owner {
            let Some(script) = fountain_scripts::load_script(&deps.table, &script_id).await? else {
                continue;
            };
            let event = envelope(
                &context,
                &ScriptDeleted {
                    script_id,
                    revision: script.revision,
                    comment: Some("its owner deleted their account".into()),
                },
            )?;
            fountain_scripts::delete_orphaned_script(&deps.table, &script, &event).await?;
            deleted += 1;
        } else {
            let event = envelope(
                &context,
                &MemberRemoved {
                    script_id: script_id.clone(),
                    user_id: user_id.clone(),
                    role: membership.role.as_str().into(),
                    comment: Some(LEFT_BY_DELETION.into()),
                },
            )?;
            // The invitations first: once the membership is gone, a redelivery would not
            // come back to this script.
            store::delete_accepted_invitations(&deps.table, &script_id, user_id).await?;
            match store::remove_member(&deps.table, &script_id, user_id, &event).await {
                Err(e) if e.refused(store::NOT_REMOVABLE) => {}
                other => other?,
            }
            left += 1;
        }
    }
    info!(user_id, deleted, left, "deleted account left its scripts");
    Ok(())
}

/// Every membership of the user (the sparse `gsi1`: `MEMBER#<userId>`).
async fn memberships(table: &Table, user_id: &str) -> Result<Vec<Membership>, StoreError> {
    let query = table.gsi1_query(&Membership::user_partition(user_id));
    table
        .query_all(query)
        .await?
        .into_iter()
        .map(from_item)
        .collect()
}

fn envelope<E: DomainEvent>(
    context: &EventContext,
    event: &E,
) -> Result<EventEnvelope, StoreError> {
    EventEnvelope::new(event, context).map_err(|e| StoreError::Invalid(e.to_string()))
}
