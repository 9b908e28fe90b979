//! Reads and writes of script items. Every write commits with its event (outbox).

use fountain_events::EventEnvelope;
use fountain_store::{
    Expression, GSI1, GSI1_PK, ItemCodec, Page, PageError, StoreError, Table, Transaction, n,
    query_page, s,
};

use crate::model::Script;

pub async fn load(table: &Table, script_id: &str) -> Result<Option<Script>, StoreError> {
    table
        .get(&Script::pk(script_id), Script::SK)
        .await?
        .map(Script::from_item)
        .transpose()
}

pub async fn insert(
    table: &Table,
    script: &Script,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    Transaction::new()
        .put(
            script.to_item()?,
            Some(Expression::new("attribute_not_exists(pk)")),
        )
        .event(event)?
        .commit(table)
        .await
}

/// Replaces the script if it is still at `based_on` (else `ConditionFailed`).
pub async fn replace(
    table: &Table,
    script: &Script,
    based_on: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    Transaction::new()
        .put(script.to_item()?, Some(revision_is(based_on)))
        .event(event)?
        .commit(table)
        .await
}

pub async fn remove(
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

fn revision_is(revision: u64) -> Expression {
    Expression::new("attribute_exists(pk) AND revision = :based_on").value(":based_on", n(revision))
}

/// The owner's scripts, oldest first.
pub async fn list_by_owner(
    table: &Table,
    owner_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Script>, PageError> {
    let partition = Script::owner_partition(owner_id);
    let query = table
        .client
        .query()
        .table_name(&table.name)
        .index_name(GSI1)
        .key_condition_expression("#pk = :pk")
        .expression_attribute_names("#pk", GSI1_PK)
        .expression_attribute_values(":pk", s(&partition));
    query_page(query, (GSI1_PK, &partition), limit, cursor).await
}
