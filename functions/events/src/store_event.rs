//! The event store consumer: every event on the bus (rule -> queue -> this function) is kept,
//! once, whatever the number of deliveries.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use fountain_events::EventEnvelope;
use fountain_runtime::consumer::process_each;
use fountain_store::{ItemCodec, StoreError};

use crate::StoreDeps;
use crate::record::StoredEvent;

pub async fn store_event(deps: &StoreDeps, event: SqsEvent) -> SqsBatchResponse {
    process_each(event, |envelope| keep(deps, envelope)).await
}

async fn keep(deps: &StoreDeps, envelope: EventEnvelope) -> Result<(), StoreError> {
    let item = StoredEvent(envelope).to_item()?;
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
