use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRegistered {
    pub user_id: String,
    pub email: String,
}
domain_event!(UserRegistered, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user registered an account.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserLoggedIn {
    pub user_id: String,
    /// The refresh token family this login started.
    pub session_id: String,
}
domain_event!(UserLoggedIn, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user logged in with email and password.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserLoggedOut {
    pub user_id: String,
    /// Every token of the user issued before this instant (epoch milliseconds) is revoked.
    pub revoked_before: i64,
}
domain_event!(UserLoggedOut, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user logged out: all their tokens stop working at once and their sessions end.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationRepeated {
    /// The account that holds the email address someone tried to register again.
    pub user_id: String,
}
domain_event!(RegistrationRepeated, source: "fountain.identity", aggregate: "User", id: user_id,
    "Someone tried to register an email address that has an account: its owner is told by email (the answer to the request was the same as for a new address).");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailVerificationRequested {
    pub user_id: String,
}
domain_event!(EmailVerificationRequested, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user asked for a new verification email.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailVerified {
    pub user_id: String,
}
domain_event!(EmailVerified, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user proved they read the account's email address (a verification token came back).");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetRequested {
    pub user_id: String,
}
domain_event!(PasswordResetRequested, source: "fountain.identity", aggregate: "User", id: user_id,
    "Someone asked to reset the account's password: a single-use token goes to its email address.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordReset {
    pub user_id: String,
    /// Every token of the user issued before this instant (epoch milliseconds) is revoked.
    pub revoked_before: i64,
}
domain_event!(PasswordReset, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user set a new password with a reset token: every token and refresh family of theirs is revoked.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RolesChanged {
    pub user_id: String,
    pub roles: Vec<String>,
    pub previous_roles: Vec<String>,
    /// `first-admin` when the deployment's FirstAdminEmail verified its address, else `admin`
    /// (an administrator's `PUT /admin/users/{userId}/roles`; the actor says who).
    pub granted_by: String,
    /// The user's tokens issued before this instant (epoch ms) are revoked, so the next ones
    /// carry the new roles; absent for the first administrator's grant (older tokens only
    /// lack the role).
    pub revoked_before: Option<i64>,
    pub comment: Option<String>,
}
domain_event!(RolesChanged, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user's roles changed (the audit of every grant and revocation of admin); their older tokens stop working.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDeleted {
    pub user_id: String,
    /// Every token of the user issued before this instant (epoch milliseconds) is revoked.
    pub revoked_before: i64,
}
domain_event!(UserDeleted, source: "fountain.identity", aggregate: "User", id: user_id,
    "A user deleted their account: its sign-in is gone at once; consumers delete the scripts it alone owned, its memberships, sessions, jobs, notifications and outputs, and remove its email address from stored events.");
