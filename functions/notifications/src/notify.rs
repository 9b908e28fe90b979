//! The `notify_users` consumer: a generation that completed or failed, or a daily limit
//! reached, becomes one notification in the user's inbox, written with its
//! NotificationCreated in one transaction. A redelivered event is skipped by its claim
//! (decision 6) and, should the claim be lost after the commit, by the event's marker in the
//! user's partition, so it never makes a second notification or a second event.

use chrono::{DateTime, Duration, Utc};
use fountain_events::catalog::NotificationCreated;
use fountain_events::ids::new_id;
use fountain_events::{EventContext, EventEnvelope};
use fountain_runtime::consumer::{ConsumerDeps, Delivered};
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use tracing::info;

use crate::model::Notification;
use crate::store::{self, Created};
use crate::wording::{self, Draft, Notifying};

/// The consumer's name in its idempotency claims.
pub const CONSUMER: &str = "notify_users";

/// The consumer's table and its event claims.
pub type NotifyDeps = ConsumerDeps;

/// `NotifyDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<NotifyDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, CONSUMER, Duration::minutes(2))
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Decode(#[from] fountain_events::DecodeError),
    #[error("the notification event could not be built: {0}")]
    Envelope(#[from] serde_json::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The notification `draft` becomes, reporting `source`, made now.
pub fn notification(draft: Draft, source: &EventEnvelope, now: DateTime<Utc>) -> Notification {
    Notification {
        notification_id: new_id(),
        user_id: draft.user_id,
        kind: draft.kind,
        title: draft.title,
        body: draft.body,
        link: draft.link,
        job_id: draft.job_id,
        source_event_id: source.id.clone(),
        read: false,
        created_at: now,
        read_at: None,
    }
}

/// NotificationCreated for `notification`, caused by `source` (same actor and correlation).
pub fn created_event(
    notification: &Notification,
    source: &EventEnvelope,
) -> Result<EventEnvelope, serde_json::Error> {
    let event = NotificationCreated {
        notification_id: notification.notification_id.clone(),
        user_id: notification.user_id.clone(),
        kind: notification.kind.as_str().to_owned(),
        title: notification.title.clone(),
        source_event_id: source.id.clone(),
        job_id: notification.job_id.clone(),
    };
    EventEnvelope::new(&event, &EventContext::caused_by(source))
}

pub async fn notify_users(
    deps: &NotifyDeps,
    delivered: Delivered<Notifying>,
) -> Result<(), NotifyError> {
    let draft = wording::draft_of(&delivered.event);
    let notification = notification(draft, &delivered.envelope, Utc::now());
    let event = created_event(&notification, &delivered.envelope)?;
    match store::create(&deps.table, &notification, &event).await? {
        Created::New => info!(
            user_id = notification.user_id,
            notification_id = notification.notification_id,
            kind = notification.kind.as_str(),
            "notification created"
        ),
        Created::AlreadyMade => info!(
            user_id = notification.user_id,
            "the event made its notification already"
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fountain_events::catalog::{DomainEvent, StoryGenerationFailed};
    use fountain_events::ids::is_id;

    use crate::model::NotificationKind;

    fn source() -> EventEnvelope {
        let failed = StoryGenerationFailed {
            job_id: "01JCX6JOB0000000000000001A".into(),
            owner_id: "bob".into(),
            script_id: "01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into(),
            reason: "boom".into(),
            attempts: 5,
        };
        EventEnvelope::new(
            &failed,
            &EventContext {
                actor: Some("bob".into()),
                correlation_id: "corr-1".into(),
                causation_id: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn a_notification_is_new_unread_and_names_its_source_event() {
        let source = source();
        let draft = wording::draft(&source).unwrap().unwrap();
        let now = Utc::now();
        let made = notification(draft.clone(), &source, now);
        assert!(is_id(&made.notification_id));
        assert_eq!(made.user_id, "bob");
        assert_eq!(made.kind, NotificationKind::GenerationFailed);
        assert_eq!((made.title, made.body), (draft.title, draft.body));
        assert_eq!(made.source_event_id, source.id);
        assert!(!made.read);
        assert_eq!(made.read_at, None);
        assert_eq!(made.created_at, now);
    }

    #[test]
    fn notification_created_is_caused_by_the_source_event() {
        let source = source();
        let made = notification(
            wording::draft(&source).unwrap().unwrap(),
            &source,
            Utc::now(),
        );
        let event = created_event(&made, &source).unwrap();
        assert_eq!(event.event_type, NotificationCreated::TYPE);
        assert_eq!(event.source, "fountain.notifications");
        assert_eq!(event.aggregate_type, "Notification");
        assert_eq!(event.aggregate_id, made.notification_id);
        assert_eq!(event.causation_id.as_deref(), Some(source.id.as_str()));
        assert_eq!(event.correlation_id, "corr-1");
        assert_eq!(event.actor.as_deref(), Some("bob"));
        let data: NotificationCreated = event.data_as().unwrap();
        assert_eq!(data.user_id, "bob");
        assert_eq!(data.kind, "generationFailed");
        assert_eq!(data.source_event_id, source.id);
        assert_eq!(data.job_id.as_deref(), Some("01JCX6JOB0000000000000001A"));
    }
}
