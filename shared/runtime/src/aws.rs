//! AWS SDK configuration, loaded once per process. `AWS_ENDPOINT_URL` points every client at
//! the local emulator; nothing else differs between AWS and the local stack.

use aws_config::BehaviorVersion;
pub use aws_config::SdkConfig;

pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

pub fn dynamodb(config: &SdkConfig) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(config)
}
