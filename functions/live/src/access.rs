//! The `end_streams` consumer: access changes apply live. A member removed from a script
//! stops hearing it; a user who logged out (or deleted the account) has every connection
//! closed; a deleted script's listeners are told and forgotten.

use chrono::Utc;
use fountain_events::catalog::{MemberRemoved, ScriptDeleted, UserDeleted, UserLoggedOut};
use fountain_runtime::consumer::Delivered;
use fountain_store::StoreError;
use tracing::info;

use crate::deps::LiveDeps;
use crate::fanout;
use crate::messages::{Message, Presence};
use crate::store;

fountain_events::one_of! {
    /// The events that end someone's live stream (their rule in template.yaml delivers these).
    pub enum AccessEnded {
        MemberRemoved,
        UserLoggedOut,
        UserDeleted,
        ScriptDeleted,
    }
}

pub async fn end_streams(
    deps: &LiveDeps,
    delivered: Delivered<AccessEnded>,
) -> Result<(), StoreError> {
    match delivered.event {
        AccessEnded::MemberRemoved(removed) => {
            member_removed(deps, &removed.script_id, &removed.user_id).await
        }
        AccessEnded::UserLoggedOut(out) => signed_out(deps, &out.user_id, "you logged out").await,
        AccessEnded::UserDeleted(gone) => {
            signed_out(deps, &gone.user_id, "the account was deleted").await
        }
        AccessEnded::ScriptDeleted(deleted) => script_deleted(deps, &deleted.script_id).await,
    }
}

async fn member_removed(deps: &LiveDeps, script_id: &str, user_id: &str) -> Result<(), StoreError> {
    let listeners = store::listeners(&deps.table, script_id, Utc::now()).await?;
    let (theirs, others): (Vec<_>, Vec<_>) =
        listeners.into_iter().partition(|l| l.user_id == user_id);
    if theirs.is_empty() {
        return Ok(());
    }
    for listener in &theirs {
        store::stop_listening(&deps.table, &listener.connection_id, script_id).await?;
    }
    fanout::push(deps, script_id, &theirs, |_| {
        Some(Message::Unsubscribed {
            script_id: script_id.to_owned(),
            reason: "your access to the script was removed".into(),
        })
    })
    .await;
    fanout::push(deps, script_id, &others, |_| {
        Some(Message::Presence {
            script_id: script_id.to_owned(),
            user_id: user_id.to_owned(),
            state: Presence::Left,
        })
    })
    .await;
    info!(
        script_id,
        connections = theirs.len(),
        "a removed member's streams ended"
    );
    Ok(())
}

/// Closes every connection of `user_id`, telling each first why; their `$disconnect`
/// announces them gone to the other viewers, and their items go here too in case it never
/// comes.
async fn signed_out(deps: &LiveDeps, user_id: &str, reason: &str) -> Result<(), StoreError> {
    let connections = store::connections_of(&deps.table, user_id).await?;
    for connection_id in &connections {
        let scripts = store::connection(&deps.table, connection_id, Utc::now())
            .await?
            .map(|c| c.scripts)
            .unwrap_or_default();
        for script_id in &scripts {
            let _ = deps
                .pusher
                .send(
                    connection_id,
                    &Message::Unsubscribed {
                        script_id: script_id.clone(),
                        reason: reason.to_owned(),
                    },
                )
                .await;
        }
        deps.pusher.close(connection_id).await;
        store::forget(&deps.table, connection_id, &scripts).await?;
    }
    info!(
        user_id,
        connections = connections.len(),
        "a signed-out user's connections closed"
    );
    Ok(())
}

async fn script_deleted(deps: &LiveDeps, script_id: &str) -> Result<(), StoreError> {
    let listeners = store::listeners(&deps.table, script_id, Utc::now()).await?;
    fanout::push(deps, script_id, &listeners, |_| {
        Some(Message::Unsubscribed {
            script_id: script_id.to_owned(),
            reason: "the script was deleted".into(),
        })
    })
    .await;
    for listener in &listeners {
        store::stop_listening(&deps.table, &listener.connection_id, script_id).await?;
    }
    store::forget_listeners(&deps.table, script_id).await?;
    Ok(())
}
