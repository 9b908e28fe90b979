use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CollaboratorInvited {
    pub script_id: String,
    pub invitation_id: String,
    pub email: String,
    /// `editor` or `viewer`.
    pub role: String,
    pub expires_at: i64,
    pub comment: Option<String>,
}
domain_event!(CollaboratorInvited, source: "fountain.collaboration", aggregate: "Script", id: script_id,
    "The owner invited someone to a script by email.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationAccepted {
    pub script_id: String,
    pub invitation_id: String,
    pub user_id: String,
    pub role: String,
}
domain_event!(InvitationAccepted, source: "fountain.collaboration", aggregate: "Script", id: script_id,
    "An invitee accepted and became a member of the script.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationRevoked {
    pub script_id: String,
    pub invitation_id: String,
    pub comment: Option<String>,
}
domain_event!(InvitationRevoked, source: "fountain.collaboration", aggregate: "Script", id: script_id,
    "The owner revoked a pending invitation.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberRemoved {
    pub script_id: String,
    pub user_id: String,
    pub role: String,
    pub comment: Option<String>,
}
domain_event!(MemberRemoved, source: "fountain.collaboration", aggregate: "Script", id: script_id,
    "The owner removed a member from the script.");
