//! Outbox events the relay never published (decision 5's gap: the stream keeps a record 24
//! hours, and a relay failing that long loses it). The reconciler publishes them as the
//! relay would and marks them published; their Reconciled events go straight onto the bus
//! with them (an outbox item of its own would wait for the same broken relay).

use chrono::{SecondsFormat, Utc};
use fountain_event_store::relay::{MAX_ENTRIES_PER_CALL, bus_entry, mark_published};
use fountain_events::catalog::Reconciled;
use fountain_events::{EventContext, EventEnvelope};
use fountain_store::{StoreError, outbox};
use tracing::warn;

use crate::ReconcileDeps;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the bus refused events: {0}")]
    Bus(String),
}

/// Publishes up to `limit` outbox events pending for longer than the bound.
pub async fn republish(
    deps: &ReconcileDeps,
    context: &EventContext,
) -> Result<Vec<Reconciled>, PublishError> {
    let cutoff = Utc::now()
        - chrono::Duration::from_std(deps.bounds.outbox_after).unwrap_or(chrono::Duration::zero());
    let before = fountain_store::keys::pending_event(
        &cutoff.to_rfc3339_opts(SecondsFormat::Millis, true),
        "",
    );
    let pending = outbox::pending_before(&deps.table, &before, deps.bounds.limit).await?;
    let mut repairs = Vec::new();
    for chunk in pending.chunks(MAX_ENTRIES_PER_CALL / 2) {
        // Each event with its Reconciled: two entries per event, ten per call.
        let mut entries = Vec::new();
        let mut published = Vec::new();
        for record in chunk {
            let envelope = record.envelope()?;
            let repair = Reconciled {
                kind: "outbox".to_owned(),
                id: envelope.id.clone(),
                action: "republished".to_owned(),
                detail: format!(
                    "{} written at {} was never relayed",
                    envelope.event_type,
                    envelope.time_rfc3339()
                ),
            };
            let reconciled = EventEnvelope::new(&repair, context)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            let reconciled_json = reconciled
                .to_json()
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            entries.push(bus_entry(&deps.bus_name, &envelope, &record.envelope));
            entries.push(bus_entry(&deps.bus_name, &reconciled, &reconciled_json));
            published.push(envelope);
            repairs.push(repair);
        }
        let output = deps
            .bus
            .put_events()
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| PublishError::Bus(format!("{}", aws_sdk_eventbridge::Error::from(e))))?;
        if output.failed_entry_count() > 0 {
            warn!(
                failed = output.failed_entry_count(),
                "some re-published events were refused; the next run tries again"
            );
            return Err(PublishError::Bus("PutEvents refused entries".into()));
        }
        let marked: Vec<&EventEnvelope> = published.iter().collect();
        mark_published(&deps.table, &marked).await;
    }
    Ok(repairs)
}
