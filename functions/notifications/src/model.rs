use chrono::{DateTime, Duration, Utc};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys, n};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a notification stays in the inbox (TTL on `expiresAt`).
pub const RETENTION_DAYS: i64 = 90;

/// What a notification reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum NotificationKind {
    /// A generation job succeeded (StoryGenerationCompleted).
    GenerationCompleted,
    /// A generation job failed for good (StoryGenerationFailed).
    GenerationFailed,
    /// The user reached their plan's daily generation limit (UsageLimitReached).
    UsageLimitReached,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::GenerationCompleted => "generationCompleted",
            NotificationKind::GenerationFailed => "generationFailed",
            NotificationKind::UsageLimitReached => "usageLimitReached",
        }
    }
}

// Stored as `USER#<userId>` / `NOTE#<notificationId>` (the user's partition); while unread
// also in the local index as `lsi1sk = NOTE#unread#<notificationId>`.
/// One notification in a user's inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// ULID: notifications sort by the time they reached the inbox.
    pub notification_id: String,
    /// The user whose inbox holds it; nobody else sees it.
    pub user_id: String,
    pub kind: NotificationKind,
    /// A short headline.
    pub title: String,
    /// What happened, in words: the job, the failure's reason, when the quota resets.
    pub body: String,
    /// The API path of what it is about (`/generations/{jobId}`), if anything.
    pub link: Option<String>,
    /// The generation job it is about, if any.
    pub job_id: Option<String>,
    /// The id of the event it reports.
    pub source_event_id: String,
    pub read: bool,
    pub created_at: DateTime<Utc>,
    /// When it was first marked read; it does not move when marked again.
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    /// The user's partition (the identity context's `USER#<id>`).
    pub fn pk(user_id: &str) -> String {
        keys::user(user_id)
    }

    pub fn sk(notification_id: &str) -> String {
        keys::note(notification_id)
    }

    pub const SK_PREFIX: &'static str = keys::NOTE;

    /// What the `lsi1sk` of every unread notification starts with.
    pub const UNREAD_PREFIX: &'static str = keys::NOTE_UNREAD;

    /// The sort key of the item that records that the event `source_event_id` has made its
    /// notification (`NOTESRC#` does not start with `NOTE#`, so listings skip it).
    pub fn source_sk(source_event_id: &str) -> String {
        keys::note_source(source_event_id)
    }

    /// Its entry in the local index while unread: newest first by id.
    pub fn unread_lsi1sk(&self) -> String {
        keys::note_unread(&self.notification_id)
    }

    /// The TTL of the notification and of its source marker, in epoch seconds.
    pub fn expires_at(&self) -> i64 {
        (self.created_at + Duration::days(RETENTION_DAYS)).timestamp()
    }

    /// This notification marked read at `now`.
    pub fn marked_read(&self, now: DateTime<Utc>) -> Notification {
        Notification {
            read: true,
            read_at: Some(now),
            ..self.clone()
        }
    }
}

impl ItemCodec for Notification {
    fn to_item(&self) -> Result<Item, StoreError> {
        let pk = Notification::pk(&self.user_id);
        let sk = Notification::sk(&self.notification_id);
        let unread = self.unread_lsi1sk();
        let mut keys = vec![
            ("pk", pk.as_str()),
            ("sk", sk.as_str()),
            ("entity", "notification"),
        ];
        if !self.read {
            keys.push(("lsi1sk", unread.as_str()));
        }
        let mut item = keyed_item(self, &keys)?;
        item.insert("expiresAt".into(), n(self.expires_at()));
        Ok(item)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// One page of a user's notifications, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use fountain_store::string_attribute;

    fn notification(read: bool) -> Notification {
        Notification {
            notification_id: "01JCX6NOTE000000000000001A".into(),
            user_id: "alice".into(),
            kind: NotificationKind::GenerationFailed,
            title: "Your story could not be generated".into(),
            body: "It failed.".into(),
            link: Some("/generations/01JCX6JOB0000000000000001A".into()),
            job_id: Some("01JCX6JOB0000000000000001A".into()),
            source_event_id: "01JCX6EVT0000000000000001A".into(),
            read,
            created_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            read_at: read.then(|| "2026-11-25T11:00:00Z".parse().unwrap()),
        }
    }

    #[test]
    fn an_unread_notification_is_in_its_users_partition_and_the_unread_index() {
        let item = notification(false).to_item().unwrap();
        let id = "01JCX6NOTE000000000000001A";
        assert_eq!(
            string_attribute(&item, "pk"),
            Some(keys::user("alice").as_str())
        );
        assert_eq!(string_attribute(&item, "sk"), Some(keys::note(id).as_str()));
        assert_eq!(
            string_attribute(&item, "lsi1sk"),
            Some(keys::note_unread(id).as_str())
        );
        assert_eq!(string_attribute(&item, "entity"), Some("notification"));
        assert_eq!(string_attribute(&item, "kind"), Some("generationFailed"));
        assert_eq!(item["read"].as_bool().unwrap(), &false);
        // 90 days after 2026-11-25T10:00:00Z.
        assert_eq!(
            item["expiresAt"].as_n().unwrap(),
            &(1_795_600_800 + 90 * 86_400).to_string()
        );
        assert!(item["readAt"].is_null());
    }

    #[test]
    fn a_read_notification_leaves_the_unread_index_and_reads_back_the_same() {
        let read = notification(true);
        let item = read.to_item().unwrap();
        assert!(!item.contains_key("lsi1sk"));
        assert_eq!(
            string_attribute(&item, "readAt"),
            Some("2026-11-25T11:00:00Z")
        );
        assert_eq!(Notification::from_item(item).unwrap(), read);
        let unread = notification(false);
        assert_eq!(
            Notification::from_item(unread.to_item().unwrap()).unwrap(),
            unread
        );
    }

    #[test]
    fn the_source_marker_is_outside_the_listing_range() {
        assert!(!Notification::source_sk("01X").starts_with(Notification::SK_PREFIX));
        assert!(Notification::sk("01X").starts_with(Notification::SK_PREFIX));
    }

    #[test]
    fn marking_read_sets_read_and_the_time_and_nothing_else() {
        let now: DateTime<Utc> = "2026-11-26T08:00:00Z".parse().unwrap();
        let before = notification(false);
        let after = before.marked_read(now);
        assert!(after.read);
        assert_eq!(after.read_at, Some(now));
        assert_eq!(
            Notification {
                read: false,
                read_at: None,
                ..after
            },
            before
        );
    }

    #[test]
    fn kinds_are_camel_case_in_json() {
        for kind in [
            NotificationKind::GenerationCompleted,
            NotificationKind::GenerationFailed,
            NotificationKind::UsageLimitReached,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
    }
}
