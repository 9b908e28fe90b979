//! One run of the reconciler's schedule.

use fountain_events::EventContext;
use fountain_events::catalog::Reconciled;
use fountain_events::ids::new_id;
use fountain_runtime::function::ScheduledEvent;
use fountain_store::StoreError;
use tracing::info;

use crate::ReconcileDeps;
use crate::outbox::{self, PublishError};
use crate::sweep;

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// Every kind of repair, one after another; the repairs made are logged, each also as its
/// Reconciled event.
pub async fn reconcile(deps: &ReconcileDeps, _event: ScheduledEvent) -> Result<(), ReconcileError> {
    let context = EventContext {
        actor: None,
        correlation_id: format!("reconcile-{}", new_id()),
        causation_id: None,
    };
    let bounds = deps.bounds;
    let millis = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let mut repairs: Vec<Reconciled> = fountain_generation::reconcile::repair_stale_jobs(
        &deps.table,
        millis(bounds.job_grace),
        bounds.max_job_attempts,
        bounds.limit,
        &context,
    )
    .await?;
    repairs.extend(outbox::republish(deps, &context).await?);
    repairs.extend(
        fountain_collaboration::reconcile::repair_unfinished_accepts(
            &deps.table,
            chrono::Duration::milliseconds(millis(bounds.accept_after)),
            bounds.limit,
            &context,
        )
        .await?,
    );
    repairs.extend(sweep::sweep(deps, &context).await?);
    for repair in &repairs {
        info!(
            kind = repair.kind,
            id = repair.id,
            action = repair.action,
            detail = repair.detail,
            "reconciled"
        );
    }
    info!(
        repairs = repairs.len(),
        correlation_id = context.correlation_id,
        "reconciliation run done"
    );
    Ok(())
}
