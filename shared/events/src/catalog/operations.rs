use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigUpdated {
    /// The setting, e.g. `MAX_REQUESTS_PER_MINUTE`.
    pub key: String,
    pub value: u64,
    pub previous_value: u64,
    pub comment: Option<String>,
}
domain_event!(ConfigUpdated, source: "fountain.operations", aggregate: "Config", id: key,
    "An administrator changed a runtime setting; functions use it within 5 seconds.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDown {
    /// `table`, `eventBus`, `queues`, `outputs` or `generator`.
    pub dependency: String,
    /// When the failures began: the first failed check of the run that made it down.
    #[schema(value_type = String, format = DateTime)]
    pub since: chrono::DateTime<chrono::Utc>,
    /// The last check's error, in words.
    pub last_error: String,
    /// `health_check` (the scheduled probe) or `generation_breaker` (the worker's breaker).
    pub detected_by: String,
}
domain_event!(ServiceDown, source: "fountain.operations", aggregate: "Dependency", id: dependency,
    "A dependency failed its checks the configured number of times in a row; dependents degrade (the generation worker fails over or holds jobs).");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRecovered {
    pub dependency: String,
    /// When it was found down.
    #[schema(value_type = String, format = DateTime)]
    pub down_since: chrono::DateTime<chrono::Utc>,
    /// When it is up again.
    #[schema(value_type = String, format = DateTime)]
    pub since: chrono::DateTime<chrono::Utc>,
    pub detected_by: String,
}
domain_event!(ServiceRecovered, source: "fountain.operations", aggregate: "Dependency", id: dependency,
    "A down dependency passed its checks the configured number of times in a row; held work resumes.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reconciled {
    /// What drifted: `generationJob`, `outbox`, `invitation`, `sessionEntryCount` or
    /// `usageCount`.
    pub kind: String,
    /// The id of what was repaired (job, event, invitation, session; `<userId>/<day>` for a
    /// usage counter).
    pub id: String,
    /// What the repair did: `requeued`, `failed`, `republished`, `reopened`, `recounted`.
    pub action: String,
    /// The drift found, in words.
    pub detail: String,
}
domain_event!(Reconciled, source: "fountain.operations", aggregate: "Reconciliation", id: id,
    "The scheduled reconciler found drift and repaired it, once.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScaleRequested {
    /// What is scaled: `generationWorker` (the generation worker's maximum concurrency).
    pub resource: String,
    pub from: u32,
    pub to: u32,
    /// Why, in words (the backlog and the rule that applied).
    pub reason: String,
    /// Jobs waiting or in flight when it was decided.
    pub backlog: u64,
    /// The decision's number; the scaler applies only the latest.
    pub revision: u64,
}
domain_event!(ScaleRequested, source: "fountain.operations", aggregate: "Scaling", id: resource,
    "The generation backlog crossed its threshold (or was gone): the worker's maximum concurrency is to change.");
