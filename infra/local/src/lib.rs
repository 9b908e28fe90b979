//! The local runner: FountainAI on a laptop with no AWS account. It reads template.yaml,
//! provisions its tables, queues, bus and rules in the AWS emulator (moto), serves the HTTP
//! API the way API Gateway does (authorizer first, API Gateway v2 payloads), and plays
//! Lambda's event source mappings for the queues and the table's stream.

pub mod emails;
pub mod functions;
pub mod gateway;
pub mod mappings;
pub mod pollers;
pub mod provision;
pub mod schedules;
mod stack;
pub mod template;

pub use stack::{
    LOCAL_JWT_SECRET, LOCAL_MAIL_FROM, LocalStack, StackOptions, default_template,
    emulator_sdk_config,
};

/// A development token for `user_id`, signed with the local secret.
pub fn dev_token(user_id: &str, roles: &[String], minutes: i64) -> anyhow::Result<String> {
    let keys = fountain_auth::TokenKeys::new(LOCAL_JWT_SECRET.as_bytes())?;
    Ok(keys.issue(user_id, roles, chrono::Duration::minutes(minutes))?)
}
