//! Who may do what with a script and everything under it. Every member has one role:
//! viewers read, editors also change content, the owner also deletes the script and manages
//! members and invitations. Anyone else gets 404, never a hint that the script exists; a
//! member whose role is too small gets 403.

use chrono::{DateTime, Utc};
use fountain_http::{ApiError, Principal};
use fountain_store::{
    Condition, Expression, Item, ItemCodec, Label, StoreError, Table, Transaction, from_item,
    keyed_item, keys, s,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{RestoreLock, Script};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    /// The roles at least as strong as this one.
    fn and_above(self) -> Vec<Role> {
        [Role::Viewer, Role::Editor, Role::Owner]
            .into_iter()
            .filter(|r| *r >= self)
            .collect()
    }
}

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the script and what it owns (viewer and above).
    Read,
    /// Change the script's content (editor and above).
    Write,
    /// Delete the script, manage members and invitations (owner).
    Own,
}

impl Permission {
    pub fn minimum(self) -> Role {
        match self {
            Permission::Read => Role::Viewer,
            Permission::Write => Role::Editor,
            Permission::Own => Role::Owner,
        }
    }
}

/// A user's role in a script (`SCRIPT#<id>` / `MEMBER#<user>`), listed per user via GSI1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub script_id: String,
    pub user_id: String,
    pub role: Role,
    pub added_at: DateTime<Utc>,
}

impl Membership {
    pub fn sk(user_id: &str) -> String {
        keys::member(user_id)
    }

    pub fn user_partition(user_id: &str) -> String {
        keys::member(user_id)
    }

    pub fn key(script_id: &str, user_id: &str) -> Item {
        Table::key(Script::pk(script_id), Self::sk(user_id))
    }
}

impl ItemCodec for Membership {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &Script::pk(&self.script_id)),
                ("sk", &Membership::sk(&self.user_id)),
                ("gsi1pk", &Membership::user_partition(&self.user_id)),
                ("gsi1sk", &Script::pk(&self.script_id)),
                ("entity", "membership"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

pub async fn membership(
    table: &Table,
    script_id: &str,
    user_id: &str,
) -> Result<Option<Membership>, StoreError> {
    table
        .get_as::<Membership>(&Script::pk(script_id), &Membership::sk(user_id))
        .await
}

/// The script and the caller's role in it, when the caller may do what `need` says.
#[derive(Debug, Clone)]
pub struct Authorized {
    pub script: Script,
    pub role: Role,
}

pub async fn authorize(
    table: &Table,
    script_id: &str,
    principal: &Principal,
    need: Permission,
) -> Result<Authorized, ApiError> {
    // Only a ULID names a script; anything else is never looked up.
    if !fountain_events::ids::is_id(script_id) {
        return Err(ApiError::NotFound("script"));
    }
    let script_pk = Script::pk(script_id);
    let (script, member) = tokio::join!(
        table.get_as::<Script>(&script_pk, Script::SK),
        membership(table, script_id, &principal.user_id)
    );
    match (script?, member?) {
        (Some(script), Some(member)) if member.role >= need.minimum() => {
            if need == Permission::Write
                && let Some(lock) = &script.restore_lock
            {
                return Err(restoring(lock));
            }
            Ok(Authorized {
                script,
                role: member.role,
            })
        }
        (Some(_), Some(member)) => Err(ApiError::Forbidden(format!(
            "a {} of this script may not do this; it needs the {} role",
            member.role.as_str(),
            need.minimum().as_str()
        ))),
        _ => Err(ApiError::NotFound("script")),
    }
}

/// The condition on the script item of every content change.
pub const UNLOCKED_SCRIPT: &str = "attribute_exists(pk) AND attribute_not_exists(restoreLock)";

/// Why a change must wait: a restore holds the script, or died holding it (then only
/// another restore, which finishes the job, frees it).
fn restoring(lock: &RestoreLock) -> ApiError {
    if lock.until_ms < Utc::now().timestamp_millis() {
        ApiError::Conflict(format!(
            "the restore of version {} was interrupted; restore a version to finish it",
            lock.version_id
        ))
    } else {
        ApiError::Conflict(format!(
            "version {} is being restored; retry in a moment",
            lock.version_id
        ))
    }
}

/// A transaction's check that the script exists and no restore holds it failed.
pub const SCRIPT_UNAVAILABLE: Label = Label::new("script deleted or being restored");
/// A transaction's check that the caller's role still allows the change failed.
pub const ACCESS_LOST: Label = Label::new("access lost");

/// True when a transaction was refused by a [`still_allowed`] check.
pub fn access_refused(error: &StoreError) -> bool {
    error.refused(SCRIPT_UNAVAILABLE) || error.refused(ACCESS_LOST)
}

/// Transaction conditions: the script still exists and no restore holds it
/// ([`SCRIPT_UNAVAILABLE`]), and the caller still has a role that allows `need`
/// ([`ACCESS_LOST`]), so a change cannot commit after the script was deleted, while it is
/// restored, or after the caller was removed.
pub fn still_allowed(script_id: &str, user_id: &str, need: Permission) -> [(Item, Condition); 2] {
    let mut role = Expression::new("attribute_exists(pk) AND #role IN (").name("#role", "role");
    let roles = need.minimum().and_above();
    for (i, r) in roles.iter().enumerate() {
        let placeholder = format!(":role{i}");
        role.text.push_str(if i == 0 { "" } else { ", " });
        role.text.push_str(&placeholder);
        role = role.value(&placeholder, s(r.as_str()));
    }
    role.text.push(')');
    [
        (
            Table::key(Script::pk(script_id), Script::SK),
            Expression::new(UNLOCKED_SCRIPT).labelled(SCRIPT_UNAVAILABLE),
        ),
        (
            Membership::key(script_id, user_id),
            role.labelled(ACCESS_LOST),
        ),
    ]
}

/// A transaction that starts with the two [`still_allowed`] checks.
pub fn allowed_transaction(script_id: &str, user_id: &str, need: Permission) -> Transaction {
    still_allowed(script_id, user_id, need)
        .into_iter()
        .fold(Transaction::new(), |tx, (key, condition)| {
            tx.check(key, condition)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_conditions_name_the_allowed_ones() {
        assert!(Role::Owner > Role::Editor && Role::Editor > Role::Viewer);
        let [(_, script), (_, write)] = still_allowed("s", "u", Permission::Write);
        assert_eq!(script.label(), SCRIPT_UNAVAILABLE);
        assert_eq!(write.label(), ACCESS_LOST);
        let write = write.expression();
        assert_eq!(
            write.text,
            "attribute_exists(pk) AND #role IN (:role0, :role1)"
        );
        assert_eq!(write.values[":role0"], s("editor"));
        assert_eq!(write.values[":role1"], s("owner"));
    }
}
