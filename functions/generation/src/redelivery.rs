//! When an attempt fails, SQS would deliver the message again only after the queue's
//! visibility timeout: 90 minutes, six times the worker's timeout, as a crash needs. A
//! failure the worker survives brings the message back sooner instead, after a backoff that
//! doubles with each delivery (30 s, 60 s, 120 s ... at most 15 minutes).

use std::time::Duration;

use aws_lambda_events::event::sqs::SqsMessage;

#[derive(Debug, Clone)]
pub struct Redelivery {
    pub sqs: aws_sdk_sqs::Client,
    /// The delay after the first delivery.
    pub first: Duration,
}

/// The longest delay between two deliveries.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);

impl Redelivery {
    pub fn new(sdk: &aws_config::SdkConfig, first: Duration) -> Self {
        Self {
            sqs: aws_sdk_sqs::Client::new(sdk),
            first,
        }
    }

    /// The delay before the delivery after `delivery` (1 for the first).
    pub fn delay(&self, delivery: u32) -> Duration {
        let doublings = delivery.saturating_sub(1).min(16);
        self.first
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(MAX_DELAY)
    }

    /// Makes `message` visible again after the delay for its delivery.
    pub async fn schedule(&self, message: &SqsMessage, delivery: u32) -> Result<(), String> {
        let (account, queue) = message
            .event_source_arn
            .as_deref()
            .and_then(queue_of_arn)
            .ok_or("the message names no queue")?;
        let handle = message
            .receipt_handle
            .as_deref()
            .ok_or("the message has no receipt handle")?;
        let url = self
            .sqs
            .get_queue_url()
            .queue_name(queue)
            .queue_owner_aws_account_id(account)
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?
            .queue_url
            .ok_or("no queue URL")?;
        let seconds = i32::try_from(self.delay(delivery).as_secs()).unwrap_or(i32::MAX);
        self.sqs
            .change_message_visibility()
            .queue_url(url)
            .receipt_handle(handle)
            .visibility_timeout(seconds)
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
        Ok(())
    }
}

/// The account and queue name of `arn:aws:sqs:<region>:<account>:<name>`.
fn queue_of_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.rsplitn(3, ':');
    let name = parts.next().filter(|n| !n.is_empty())?;
    let account = parts.next().filter(|a| !a.is_empty())?;
    arn.starts_with("arn:").then_some((account, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_with_each_delivery_up_to_fifteen_minutes() {
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let redelivery = Redelivery::new(&sdk, Duration::from_secs(30));
        let delays: Vec<u64> = (1..=7).map(|d| redelivery.delay(d).as_secs()).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(redelivery.delay(0).as_secs(), 30);
        assert_eq!(redelivery.delay(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn a_queue_arn_names_its_account_and_queue() {
        assert_eq!(
            queue_of_arn("arn:aws:sqs:eu-west-1:123456789012:stack-GenerationQueue-AB12"),
            Some(("123456789012", "stack-GenerationQueue-AB12"))
        );
        assert_eq!(queue_of_arn("not an arn"), None);
        assert_eq!(queue_of_arn("arn:aws:sqs:eu-west-1:123456789012:"), None);
    }
}
