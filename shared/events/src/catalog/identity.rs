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
