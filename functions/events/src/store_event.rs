//! The event store consumer: every event on the bus (rule -> queue -> this function) is kept,
//! once, whatever the number of deliveries. An event that carries an email address is linked
//! from the address, so deleting the account can erase it (decision 50).

use fountain_events::EventEnvelope;
use fountain_runtime::consumer::Delivered;
use fountain_store::{ItemCodec, StoreError};

use crate::StoreDeps;
use crate::record::{StoredEvent, email_link};

pub async fn store_event(
    deps: &StoreDeps,
    delivered: Delivered<EventEnvelope>,
) -> Result<(), StoreError> {
    let event = StoredEvent(delivered.event);
    if let Some(address) = StoredEvent::address_hash(&event.0) {
        // The link first: an event stored without it would keep the address after the
        // account's deletion; a link to an event never stored leads nowhere.
        deps.table
            .client
            .put_item()
            .table_name(&deps.table.name)
            .set_item(Some(email_link(&address, &event.0.id)))
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
    }
    let item = event.to_item()?;
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
