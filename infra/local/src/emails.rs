//! The emails the stack sent, read back from the emulator's SES (`/_fountain/ses/messages`):
//! the inbox of the tests, and of a developer (`GET /_local/emails?to=<address>`).

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

/// One email SES accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEmail {
    pub id: String,
    pub from: String,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    messages: Vec<SentEmail>,
}

/// Every email sent to `address` (compared without regard to case), oldest first.
pub async fn sent_to(address: &str) -> Result<Vec<SentEmail>> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .map_err(|_| anyhow!("AWS_ENDPOINT_URL is not set: no emulator to read emails from"))?;
    let sent: Sent = reqwest::get(format!(
        "{}/_fountain/ses/messages",
        endpoint.trim_end_matches('/')
    ))
    .await
    .and_then(reqwest::Response::error_for_status)
    .context("read the emulator's sent emails")?
    .json()
    .await
    .context("the emulator's sent emails")?;
    let address = address.trim().to_lowercase();
    Ok(sent
        .messages
        .into_iter()
        .filter(|m| m.to.iter().any(|to| to.to_lowercase() == address))
        .collect())
}
