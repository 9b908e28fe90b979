//! Pushing to connections through the API Gateway Management API (`PostToConnection`,
//! `DeleteConnection`). Locally the runner serves the same API, so these calls are the ones
//! made in AWS.

use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::error::SdkError;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use fountain_runtime::{ConfigError, Env};
use tracing::warn;

use crate::messages::Message;

/// The connection is gone (API Gateway's 410): its items are to be removed.
#[derive(Debug, PartialEq, Eq)]
pub struct Gone;

#[derive(Debug, Clone)]
pub struct Pusher {
    client: Client,
}

impl Pusher {
    /// The management API of the WebSocket API at `LIVE_ENDPOINT`
    /// (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`).
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        let endpoint = env.required("LIVE_ENDPOINT")?;
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(sdk)
            .endpoint_url(endpoint)
            .build();
        Ok(Self {
            client: Client::from_conf(config),
        })
    }

    /// Sends `message` to `connection_id`. Any failure but [`Gone`] is logged and dropped:
    /// a live update is a hint, the API the truth.
    pub async fn send(&self, connection_id: &str, message: &Message) -> Result<(), Gone> {
        let data = match serde_json::to_vec(message) {
            Ok(data) => data,
            Err(error) => {
                warn!(%error, "a live message could not be encoded");
                return Ok(());
            }
        };
        let sent = self
            .client
            .post_to_connection()
            .connection_id(connection_id)
            .data(Blob::new(data))
            .send()
            .await;
        match sent {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(error)) if error.err().is_gone_exception() => Err(Gone),
            Err(error) => {
                warn!(connection_id, error = %aws_sdk_apigatewaymanagement::error::DisplayErrorContext(&error), "push failed");
                Ok(())
            }
        }
    }

    /// Closes `connection_id` (its `$disconnect` follows); one already gone is fine.
    pub async fn close(&self, connection_id: &str) {
        let closed = self
            .client
            .delete_connection()
            .connection_id(connection_id)
            .send()
            .await;
        match closed {
            Ok(_) => {}
            Err(SdkError::ServiceError(error)) if error.err().is_gone_exception() => {}
            Err(error) => {
                warn!(connection_id, error = %aws_sdk_apigatewaymanagement::error::DisplayErrorContext(&error), "close failed");
            }
        }
    }
}
