//! Reads and writes of script items. Every write commits with its event (outbox).

use fountain_events::EventEnvelope;
use fountain_store::{
    Condition, Expression, GSI1_PK, ItemCodec, Label, Page, PageError, READ_RETRY, StoreError,
    Table, Transaction, n, query_page,
};

use std::collections::HashMap;

use crate::access::{Membership, Permission, Role, UNLOCKED_SCRIPT, still_allowed};
use crate::caps::Cap;
use crate::model::Script;

pub async fn load(table: &Table, script_id: &str) -> Result<Option<Script>, StoreError> {
    table
        .get_as::<Script>(&Script::pk(script_id), Script::SK)
        .await
}

/// Creates the script with its owner's membership, counting it against the owner's cap
/// `max_owned` (refused with [`crate::caps::CAP_REACHED`]).
pub async fn insert(
    table: &Table,
    script: &Script,
    max_owned: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (counter, one_more, below_cap) = Cap::ScriptsOwned.one_more(&script.owner_id, max_owned);
    let owner = Membership {
        script_id: script.script_id.clone(),
        user_id: script.owner_id.clone(),
        role: Role::Owner,
        added_at: script.created_at,
    };
    Transaction::new()
        .create(script.to_item()?)
        .create(owner.to_item()?)
        .update(counter, one_more, Some(below_cap))
        .event(event)?
        .commit(table)
        .await
}

/// A replace or delete found the script changed, deleted or held by a restore meanwhile.
pub const SCRIPT_CHANGED: Label = Label::new("script changed meanwhile");

/// Replaces the script if it is still at `based_on` ([`SCRIPT_CHANGED`]) and `user_id` may
/// still change it ([`crate::access::ACCESS_LOST`]).
pub async fn replace(
    table: &Table,
    script: &Script,
    based_on: u64,
    user_id: &str,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let [_, (member, role)] = still_allowed(&script.script_id, user_id, Permission::Write);
    Transaction::new()
        .put(script.to_item()?, Some(revision_is(based_on)))
        .check(member, role)
        .event(event)?
        .commit(table)
        .await
}

/// Deletes the script if it is still at its revision ([`SCRIPT_CHANGED`]) and `user_id`
/// still owns it ([`crate::access::ACCESS_LOST`]).
pub async fn remove(
    table: &Table,
    script: &Script,
    user_id: &str,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let [_, (member, role)] = still_allowed(&script.script_id, user_id, Permission::Own);
    let (counter, one_less) = Cap::ScriptsOwned.one_less(&script.owner_id);
    Transaction::new()
        .delete(
            Table::key(Script::pk(&script.script_id), Script::SK),
            Some(revision_is(script.revision)),
        )
        .check(member, role)
        .update(counter, one_less, None)
        .event(event)?
        .commit(table)
        .await
}

/// Deletes the script of an owner whose account was deleted (decision 50), with its
/// ScriptDeleted: no membership check (the owner is gone) and no counter (it went with the
/// account); refused with [`SCRIPT_CHANGED`] when it moved on since it was read.
pub async fn remove_orphaned(
    table: &Table,
    script: &Script,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    Transaction::new()
        .delete(
            Table::key(Script::pk(&script.script_id), Script::SK),
            Some(revision_is(script.revision)),
        )
        .event(event)?
        .commit(table)
        .await
}

/// The script is at `revision` and no restore holds it (a `put` would drop the lock).
fn revision_is(revision: u64) -> Condition {
    Expression::new(format!("{UNLOCKED_SCRIPT} AND revision = :based_on"))
        .value(":based_on", n(revision))
        .labelled(SCRIPT_CHANGED)
}

/// The scripts the user is a member of, in the order they were created.
pub async fn list_for_member(
    table: &Table,
    user_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Script>, PageError> {
    let partition = Membership::user_partition(user_id);
    let query = table.gsi1_query(&partition);
    let memberships: Page<Membership> =
        query_page(query, (GSI1_PK, &partition), limit, cursor).await?;
    let ids: Vec<String> = memberships.items.into_iter().map(|m| m.script_id).collect();
    let mut scripts = load_many(table, &ids).await?;
    // BatchGetItem answers in any order; a script deleted a moment ago is simply absent.
    let rank: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    scripts.sort_by_key(|script| rank.get(script.script_id.as_str()).copied());
    Ok(Page {
        items: scripts,
        next_cursor: memberships.next_cursor,
    })
}

/// The scripts with these ids that exist, in no particular order.
async fn load_many(table: &Table, ids: &[String]) -> Result<Vec<Script>, StoreError> {
    let keys = ids
        .iter()
        .map(|id| Table::key(Script::pk(id), Script::SK))
        .collect();
    table
        .get_batch(keys, READ_RETRY)
        .await?
        .into_iter()
        .map(Script::from_item)
        .collect()
}
