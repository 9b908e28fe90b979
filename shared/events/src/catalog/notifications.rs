use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationCreated {
    pub notification_id: String,
    /// The user whose inbox holds it.
    pub user_id: String,
    /// `generationCompleted`, `generationFailed` or `usageLimitReached`.
    pub kind: String,
    pub title: String,
    /// The event the notification reports.
    pub source_event_id: String,
    /// The generation job it is about, if any.
    pub job_id: Option<String>,
}
domain_event!(NotificationCreated, source: "fountain.notifications", aggregate: "Notification", id: notification_id,
    "A notification reached a user's inbox.");
