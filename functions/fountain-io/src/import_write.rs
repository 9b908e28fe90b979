//! Writing an import: every content item first, in parallel BatchWriteItem calls (nothing
//! is visible while there is no script item), then the script, its owner's membership and
//! ScriptCreated in one transaction, the commit point. A failure on the way deletes what
//! was written (best effort; the partition has no script item, so nothing of it is shown).

use std::time::Duration;

use fountain_characters::NameItem;
use fountain_events::EventEnvelope;
use fountain_scripts::caps::Cap;
use fountain_scripts::{Script, insert_script};
use fountain_store::{
    Item, ItemCodec, MAX_BATCH_WRITES, Retry, StoreError, Table, delete_request, n, put_request, s,
};
use fountain_structure::Siblings;
use futures::{StreamExt, TryStreamExt, stream};

use crate::plan::Plan;

/// BatchWriteItem calls in flight at once: enough to write a feature (about 130 calls of
/// 25 items) in a few round trips, few enough not to throttle a new partition.
pub const WRITE_CONCURRENCY: usize = 16;

const RETRY: Retry = Retry {
    attempts: 8,
    first_pause: Duration::from_millis(20),
};

/// Every item of the plan's content: sections, elements, characters and their name
/// reservations, the order revisions (1) of the script's sections and of each section's
/// elements, and the script's element count.
pub fn content_items(plan: &Plan, script_id: &str) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::with_capacity(
        plan.sections.len() * 2 + plan.elements.len() + plan.characters.len() * 2 + 1,
    );
    items.push(order_item(&Siblings::sections(script_id)));
    for section in &plan.sections {
        items.push(section.to_item()?);
        if plan
            .elements
            .iter()
            .any(|e| e.section_id == section.section_id)
        {
            items.push(order_item(&Siblings::elements(
                script_id,
                &section.section_id,
            )));
        }
    }
    for element in &plan.elements {
        items.push(element.to_item()?);
    }
    for character in &plan.characters {
        items.push(character.to_item()?);
        items.push(NameItem::new(character).to_item()?);
    }
    items.push(Cap::Elements.initial(script_id, plan.elements.len() as u64));
    Ok(items)
}

fn order_item(siblings: &Siblings) -> Item {
    Item::from([
        ("pk".to_owned(), s(siblings.pk())),
        ("sk".to_owned(), s(siblings.order_item_sk())),
        ("revision".to_owned(), n(1)),
    ])
}

/// Writes the content, then commits the script; on failure removes the content again.
pub async fn import(
    table: &Table,
    items: Vec<Item>,
    script: &Script,
    max_owned: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let keys: Vec<Item> = items.iter().filter_map(key_of).collect();
    let written = write_all(table, items.into_iter().map(put_request)).await;
    let outcome = match written {
        Ok(()) => insert_script(table, script, max_owned, event).await,
        Err(error) => Err(error),
    };
    if let Err(error) = &outcome {
        tracing::warn!(%error, script_id = %script.script_id, items = keys.len(), "import failed; removing what it wrote");
        if let Err(cleanup) = write_all(table, keys.into_iter().map(delete_request)).await {
            tracing::error!(error = %cleanup, script_id = %script.script_id, "items of a failed import are left (invisible: no script item)");
        }
    }
    outcome
}

fn key_of(item: &Item) -> Option<Item> {
    Some(Item::from([
        ("pk".to_owned(), item.get("pk")?.clone()),
        ("sk".to_owned(), item.get("sk")?.clone()),
    ]))
}

async fn write_all(
    table: &Table,
    requests: impl Iterator<Item = Result<aws_sdk_dynamodb::types::WriteRequest, StoreError>>,
) -> Result<(), StoreError> {
    let requests: Vec<_> = requests.collect::<Result<_, _>>()?;
    let batches: Vec<Vec<_>> = requests
        .chunks(MAX_BATCH_WRITES)
        .map(<[_]>::to_vec)
        .collect();
    stream::iter(batches)
        .map(|batch| table.write_batch(batch, RETRY))
        .buffer_unordered(WRITE_CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await
        .map(|_| ())
}
