//! The UserDeleted consumer `erase_user_addresses` (decision 50): the stored events keep no
//! email address of a deleted account. The addresses come from the account's UserRegistered
//! events; every stored event linked from one of them (its registration, invitations sent to
//! it) is rewritten with an empty `email`, its outbox copy is deleted, and the links go last,
//! so a redelivery after a failure finds the addresses again. The bus's archive keeps the
//! original events for `EventArchiveRetentionDays`.

use std::collections::BTreeSet;
use std::time::Duration as StdDuration;

use chrono::Duration;
use fountain_events::DomainEvent;
use fountain_events::catalog::{UserDeleted, UserRegistered};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{Item, ItemCodec, Retry, StoreError, Table, keys, s};
use tracing::info;

use crate::record::StoredEvent;

const RETRY: Retry = Retry {
    attempts: 5,
    first_pause: StdDuration::from_millis(50),
};

/// The event store, and the table of outbox items and of the consumer's claims.
#[derive(Debug, Clone)]
pub struct EraseDeps {
    pub consumer: ConsumerDeps,
    pub events: Table,
}

impl fountain_runtime::consumer::Deduplication for EraseDeps {
    fn claims(&self) -> Option<&fountain_runtime::Idempotency> {
        Some(&self.consumer.idempotency)
    }
}

impl EraseDeps {
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            consumer: ConsumerDeps::load(env, sdk, "erase_user_addresses", Duration::minutes(5))?,
            events: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("EVENT_STORE_TABLE_NAME")?,
            ),
        })
    }
}

pub async fn erase_user_addresses(
    deps: &EraseDeps,
    delivered: Delivered<UserDeleted>,
) -> Result<(), StoreError> {
    let user_id = &delivered.event.user_id;
    let registrations: Vec<StoredEvent> = aggregate_events(&deps.events, user_id)
        .await?
        .into_iter()
        .filter(|event| event.0.event_type == UserRegistered::TYPE)
        .collect();
    let addresses: BTreeSet<String> = registrations
        .iter()
        .filter_map(|event| StoredEvent::address_hash(&event.0))
        .collect();
    let mut erased = 0;
    for address in &addresses {
        let links = links_of(&deps.events, address).await?;
        let ids: Vec<String> = links.iter().filter_map(linked_event).collect();
        // The registration last: it is where a redelivery finds the address again.
        let (registered, others): (Vec<&String>, Vec<&String>) = ids
            .iter()
            .partition(|id| registrations.iter().any(|event| &event.0.id == *id));
        for id in others.into_iter().chain(registered) {
            erased += usize::from(erase(deps, id).await?);
        }
        deps.events.delete_keys(&links, RETRY).await?;
    }
    // Registrations stored before events were linked from their addresses.
    for event in registrations {
        erased += usize::from(erase(deps, &event.0.id).await?);
    }
    info!(user_id, erased, "email addresses erased from stored events");
    Ok(())
}

/// Rewrites the stored event without its address and deletes its outbox copy; `false` when
/// there was nothing to erase.
async fn erase(deps: &EraseDeps, event_id: &str) -> Result<bool, StoreError> {
    let outbox = Table::key(keys::outbox(event_id), keys::OUTBOX_SK);
    deps.consumer.table.delete_keys(&[outbox], RETRY).await?;
    let Some(stored) = deps
        .events
        .get_as::<StoredEvent>(&StoredEvent::pk(event_id), keys::EVENT_SK)
        .await?
    else {
        return Ok(false);
    };
    if StoredEvent::address_hash(&stored.0).is_none() {
        return Ok(false);
    }
    deps.events
        .client
        .put_item()
        .table_name(&deps.events.name)
        .set_item(Some(stored.erased().to_item()?))
        .condition_expression("attribute_exists(pk)")
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(true)
}

/// The stored events of aggregate `aggregate_id` (GSI1).
async fn aggregate_events(
    events: &Table,
    aggregate_id: &str,
) -> Result<Vec<StoredEvent>, StoreError> {
    let query = events.gsi1_query(&StoredEvent::aggregate_partition(aggregate_id));
    events
        .query_all(query)
        .await?
        .into_iter()
        .map(StoredEvent::from_item)
        .collect()
}

/// The links from one address to the events that carry it (keys only).
async fn links_of(events: &Table, address_hash: &str) -> Result<Vec<Item>, StoreError> {
    let query = events
        .client
        .query()
        .table_name(&events.name)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", s(keys::email_ref(address_hash)))
        .projection_expression("pk, sk")
        .consistent_read(true);
    events.query_all(query).await
}

fn linked_event(link: &Item) -> Option<String> {
    link.get("sk").and_then(|v| v.as_s().ok()).cloned()
}
