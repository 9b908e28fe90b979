//! A sweep of the table, a slice per run: up to `sweep_pages` pages of a Scan from where the
//! last run stopped (kept in the table), starting over once it reaches the end. Counters
//! found on the way are recounted: a session's entry count, a day's usage counter.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::Select;
use fountain_events::EventContext;
use fountain_events::catalog::Reconciled;
use fountain_store::{AttributeValue, Item, StoreError, Table, keys, number_attribute};

use crate::ReconcileDeps;

/// Items per page of the sweep.
const PAGE_ITEMS: i32 = 100;

/// Every attribute the sweep reads, and all its Scan returns: its IAM policy allows a Scan of
/// no others (decision 51), so the reconciler cannot read a password hash or a token.
pub fn swept_attributes() -> Vec<&'static str> {
    let mut names = vec!["pk", "sk", "jobs"];
    names.extend(fountain_sessions::reconcile::SWEPT_ATTRIBUTES);
    names
}

pub async fn sweep(
    deps: &ReconcileDeps,
    context: &EventContext,
) -> Result<Vec<Reconciled>, StoreError> {
    let table = &deps.table;
    let mut start = saved_position(table).await?;
    // Placeholders for every name: some attribute names are reserved words.
    let names: HashMap<String, String> = swept_attributes()
        .into_iter()
        .enumerate()
        .map(|(i, name)| (format!("#a{i}"), name.to_owned()))
        .collect();
    let projection = names.keys().cloned().collect::<Vec<_>>().join(", ");
    let mut repairs = Vec::new();
    for _ in 0..deps.bounds.sweep_pages {
        let page = table
            .client
            .scan()
            .table_name(&table.name)
            .select(Select::SpecificAttributes)
            .projection_expression(&projection)
            .set_expression_attribute_names(Some(names.clone()))
            .limit(PAGE_ITEMS)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        for item in page.items.unwrap_or_default() {
            if let Some(repair) = check(table, &item, context).await? {
                repairs.push(repair);
            }
        }
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    save_position(table, start).await?;
    Ok(repairs)
}

/// The repair of one swept item, if it is a counter that drifted.
async fn check(
    table: &Table,
    item: &Item,
    context: &EventContext,
) -> Result<Option<Reconciled>, StoreError> {
    if let Some(session) = fountain_sessions::reconcile::session_of(item) {
        return fountain_sessions::reconcile::recount_entries(table, &session, context).await;
    }
    let key = |name: &str| {
        item.get(name)
            .and_then(|v| v.as_s().ok())
            .map(String::as_str)
    };
    if let (Some(pk), Some(sk)) = (key("pk"), key("sk"))
        && let (Some(user_id), Some(day)) = (keys::user_of(pk), sk.strip_prefix(keys::USAGE))
        && let Some(stored) = number_attribute::<u32>(item, "jobs")
    {
        return fountain_generation::reconcile::recount_usage(table, user_id, day, stored, context)
            .await;
    }
    Ok(None)
}

async fn saved_position(
    table: &Table,
) -> Result<Option<HashMap<String, AttributeValue>>, StoreError> {
    let saved = table
        .get(keys::RECONCILE_PK, keys::RECONCILE_CURSOR_SK)
        .await?;
    Ok(saved
        .and_then(|mut item| item.remove("next"))
        .and_then(|next| next.as_m().ok().cloned()))
}

async fn save_position(
    table: &Table,
    next: Option<HashMap<String, AttributeValue>>,
) -> Result<(), StoreError> {
    let mut item = Table::key(keys::RECONCILE_PK, keys::RECONCILE_CURSOR_SK);
    if let Some(next) = next {
        item.insert("next".to_owned(), AttributeValue::M(next));
    }
    table
        .client
        .put_item()
        .table_name(&table.name)
        .set_item(Some(item))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}
