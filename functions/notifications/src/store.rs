//! Reads and writes of notifications. A notification is an item of its user's partition, so
//! only that user's requests find it. Creating one also puts a marker of the event it
//! reports, under a condition, in the same transaction as the notification and its
//! NotificationCreated: an event makes at most one notification, however often it arrives.

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use chrono::{DateTime, Utc};
use fountain_events::EventEnvelope;
use fountain_events::ids::is_id;
use fountain_http::{ApiError, Request, query_param};
use fountain_store::{
    AttributeValue, Cursor, CursorError, Expression, Item, ItemCodec, LSI1, LSI1_SK, Label, PK,
    Page, PageError, SK, StoreError, Table, Transaction, n, query_page, s,
};

use crate::model::Notification;

/// What `GET /notifications` lists, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Every notification of the user, from the base table (`begins_with(sk, keys::NOTE)`).
    All,
    /// The unread ones, from the local index `lsi1` (`NOTE#unread#<id>`, removed when read),
    /// so a page is never thinned by a filter.
    Unread,
}

impl Listing {
    /// From `unread`: absent or `false` lists all, `true` the unread ones.
    pub fn from_query(unread: Option<&str>) -> Result<Self, ApiError> {
        match unread {
            None | Some("false") => Ok(Listing::All),
            Some("true") => Ok(Listing::Unread),
            Some(other) => Err(ApiError::BadRequest(format!(
                "unread must be true or false, not {other}"
            ))),
        }
    }

    pub fn from_request(req: &Request) -> Result<Self, ApiError> {
        Self::from_query(query_param(req, "unread").as_deref())
    }

    /// The sort attribute the listing runs on, its prefix and the attributes of its keys.
    fn range(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Listing::All => (SK, Notification::SK_PREFIX, &[PK, SK]),
            Listing::Unread => (LSI1_SK, Notification::UNREAD_PREFIX, &[PK, SK, LSI1_SK]),
        }
    }
}

/// What creating a notification came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The notification and its event were written.
    New,
    /// The event had already made its notification: nothing was written.
    AlreadyMade,
}

/// The item that records that `notification`'s source event has made it.
fn source_marker(notification: &Notification) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(Notification::pk(&notification.user_id))),
        (
            "sk".to_owned(),
            s(Notification::source_sk(&notification.source_event_id)),
        ),
        ("entity".to_owned(), s("notification-source")),
        (
            "notificationId".to_owned(),
            s(&notification.notification_id),
        ),
        ("expiresAt".to_owned(), n(notification.expires_at())),
    ])
}

/// The source event made its notification already (its marker exists).
const ALREADY_MADE: Label = Label::new("notification already made");

/// Puts `notification` and its `event`, unless its source event already made one.
pub async fn create(
    table: &Table,
    notification: &Notification,
    event: &EventEnvelope,
) -> Result<Created, StoreError> {
    let result = Transaction::new()
        .put(
            source_marker(notification),
            Some(Expression::absent().labelled(ALREADY_MADE)),
        )
        .create(notification.to_item()?)
        .event(event)?
        .commit(table)
        .await;
    match result {
        Ok(()) => Ok(Created::New),
        Err(error) if error.refused(ALREADY_MADE) => Ok(Created::AlreadyMade),
        Err(error) => Err(error),
    }
}

/// The notification of `user_id` with this id; anyone else's, or an id that is no ULID, is
/// not found.
pub async fn load(
    table: &Table,
    user_id: &str,
    notification_id: &str,
) -> Result<Option<Notification>, StoreError> {
    if !is_id(notification_id) {
        return Ok(None);
    }
    table
        .get_as::<Notification>(
            &Notification::pk(user_id),
            &Notification::sk(notification_id),
        )
        .await
}

/// Marks `notification` read at `now`, only if it is still unread: `true` when this call
/// marked it, `false` when it was read already (or is gone).
pub async fn mark_read(
    table: &Table,
    notification: &Notification,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let read_at = notification
        .marked_read(now)
        .to_item()?
        .remove("readAt")
        .ok_or_else(|| StoreError::Corrupt("a read notification has no readAt".into()))?;
    let result = table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(
            Notification::pk(&notification.user_id),
            Notification::sk(&notification.notification_id),
        )))
        .update_expression("SET #read = :true, readAt = :readAt REMOVE lsi1sk")
        .condition_expression("attribute_exists(pk) AND #read = :false")
        .expression_attribute_names("#read", "read")
        .expression_attribute_values(":true", AttributeValue::Bool(true))
        .expression_attribute_values(":false", AttributeValue::Bool(false))
        .expression_attribute_values(":readAt", read_at)
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match result {
        Ok(_) => Ok(true),
        Err(StoreError::ConditionFailed) => Ok(false),
        Err(other) => Err(other),
    }
}

/// One page of the user's notifications, newest first (strongly consistent).
pub async fn list(
    table: &Table,
    user_id: &str,
    listing: Listing,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Notification>, PageError> {
    let partition = Notification::pk(user_id);
    if let Some(cursor) = cursor {
        continues(cursor, &partition, listing)?;
    }
    query_page(
        query(table, &partition, listing).scan_index_forward(false),
        (PK, &partition),
        limit,
        cursor,
    )
    .await
}

fn query(table: &Table, partition: &str, listing: Listing) -> QueryFluentBuilder {
    match listing {
        Listing::All => table.query_prefix(partition, Notification::SK_PREFIX),
        Listing::Unread => table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND begins_with(lsi1sk, :prefix)")
            .expression_attribute_values(":pk", s(partition))
            .expression_attribute_values(":prefix", s(Notification::UNREAD_PREFIX))
            .consistent_read(true),
    }
}

/// A cursor continues only the listing that returned it: the same user's, the same range.
fn continues(cursor: &str, partition: &str, listing: Listing) -> Result<(), CursorError> {
    let (attribute, prefix, key_attributes) = listing.range();
    Cursor::continues_listing(cursor, partition, attribute, prefix, key_attributes)
}

#[cfg(test)]
mod tests {
    use fountain_store::keys;

    use super::*;

    fn cursor(key: &[(&str, &str)]) -> String {
        let key: HashMap<_, _> = key.iter().map(|(k, v)| ((*k).to_owned(), s(*v))).collect();
        Cursor::encode(&key).unwrap()
    }

    const ID: &str = "01JCX6NOTE000000000000001A";

    #[test]
    fn unread_is_true_false_or_absent() {
        assert_eq!(Listing::from_query(None).unwrap(), Listing::All);
        assert_eq!(Listing::from_query(Some("false")).unwrap(), Listing::All);
        assert_eq!(Listing::from_query(Some("true")).unwrap(), Listing::Unread);
        for bad in ["TRUE", "1", "yes", ""] {
            assert_eq!(
                Listing::from_query(Some(bad)).unwrap_err().status(),
                400,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_cursor_continues_only_its_own_users_listing() {
        let alice = &keys::user("alice");
        let all = cursor(&[("pk", alice), ("sk", &keys::note(ID))]);
        let unread = cursor(&[
            ("pk", alice),
            ("sk", &keys::note(ID)),
            ("lsi1sk", &keys::note_unread(ID)),
        ]);
        assert_eq!(continues(&all, alice, Listing::All), Ok(()));
        assert_eq!(continues(&unread, alice, Listing::Unread), Ok(()));
        // Another user's, the other listing's, another range's of the same partition.
        assert_eq!(
            continues(&all, &keys::user("bob"), Listing::All),
            Err(CursorError)
        );
        assert_eq!(continues(&all, alice, Listing::Unread), Err(CursorError));
        assert_eq!(continues(&unread, alice, Listing::All), Err(CursorError));
        let sessions = cursor(&[("pk", alice), ("sk", &keys::session("01X"))]);
        assert_eq!(continues(&sessions, alice, Listing::All), Err(CursorError));
        assert_eq!(continues("garbage", alice, Listing::All), Err(CursorError));
    }
}
