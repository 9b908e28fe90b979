//! The event store consumer: every event on the bus (rule -> queue -> this function) is kept,
//! once, whatever the number of deliveries.

use fountain_events::EventEnvelope;
use fountain_runtime::consumer::Delivered;
use fountain_store::{ItemCodec, StoreError};

use crate::StoreDeps;
use crate::record::StoredEvent;

pub async fn store_event(
    deps: &StoreDeps,
    delivered: Delivered<EventEnvelope>,
) -> Result<(), StoreError> {
    let item = StoredEvent(delivered.event).to_item()?;
    let result = deps
        .table
        .client
        .put_item()
        .table_name(&deps.table.name)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match result {
        // Stored by an earlier delivery whose claim was lost: the effect already happened.
        Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
        Err(other) => Err(other),
    }
}
