//! The local runner: FountainAI on a laptop with no AWS account. It reads template.yaml,
//! provisions its tables, queues, bus and rules in the AWS emulator (moto), serves the HTTP
//! API the way API Gateway does (authorizer first, API Gateway v2 payloads) and its WebSocket API, and plays
//! Lambda's event source mappings for the queues and the table's stream.

pub mod emails;
pub mod functions;
pub mod gateway;
pub mod live;
pub mod mappings;
pub mod pollers;
pub mod provision;
pub mod schedules;
mod stack;
pub mod template;

pub use stack::{
    LOCAL_MAIL_FROM, LocalStack, StackOptions, default_template, emulator_sdk_config,
    install_signing_keys, local_parameters,
};

/// A development token for `user_id`, signed with the local development key (which only the
/// local stack accepts: functions refuse it in AWS).
pub fn dev_token(user_id: &str, roles: &[String], minutes: i64) -> anyhow::Result<String> {
    let signer = fountain_auth::SigningKeySet::local_development().signer(chrono::Utc::now())?;
    Ok(signer.issue(user_id, roles, chrono::Duration::minutes(minutes))?)
}
