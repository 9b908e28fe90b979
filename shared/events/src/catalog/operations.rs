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
