//! Connections and listeners as items: a connection in its own partition (indexed by its
//! user, so a logout finds it), one listener item per script it listens to, in that
//! script's listeners partition. Both expire with the connection (TTL `expiresAt`, and
//! compared in code, since TTL deletes late).

use std::time::Duration as StdDuration;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};
use fountain_store::{
    Expression, GSI1_PK, GSI1_SK, Item, Retry, StoreError, Table, Transaction, keys, n,
    number_attribute, s, string_attribute,
};

/// API Gateway closes a WebSocket connection after two hours; its items outlive it by a
/// little, for the `$disconnect` that may come late.
pub const CONNECTION_LIFETIME: Duration = Duration::minutes(125);

const RETRY: Retry = Retry {
    attempts: 5,
    first_pause: StdDuration::from_millis(50),
};

pub use crate::push::Gone;

/// An open connection: whose it is and the scripts it listens to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub connection_id: String,
    pub user_id: String,
    pub scripts: Vec<String>,
}

/// A connection listening to a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub connection_id: String,
    pub user_id: String,
}

fn expires_at(now: DateTime<Utc>) -> i64 {
    (now + CONNECTION_LIFETIME).timestamp()
}

fn live(item: &Item, now: DateTime<Utc>) -> bool {
    number_attribute::<i64>(item, "expiresAt").is_none_or(|at| at > now.timestamp())
}

/// Records a connection of `user_id` just opened.
pub async fn open(
    table: &Table,
    connection_id: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    table
        .client
        .put_item()
        .table_name(&table.name)
        .set_item(Some(Item::from([
            ("pk".to_owned(), s(keys::connection(connection_id))),
            ("sk".to_owned(), s(keys::CONNECTION_SK)),
            (GSI1_PK.to_owned(), s(keys::connections_of(user_id))),
            (GSI1_SK.to_owned(), s(connection_id)),
            ("connectionId".to_owned(), s(connection_id)),
            ("userId".to_owned(), s(user_id)),
            ("connectedAt".to_owned(), s(now.to_rfc3339())),
            ("expiresAt".to_owned(), n(expires_at(now))),
        ])))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}

fn connection_of(item: &Item) -> Option<Connection> {
    Some(Connection {
        connection_id: string_attribute(item, "connectionId")?.to_owned(),
        user_id: string_attribute(item, "userId")?.to_owned(),
        scripts: item
            .get("scripts")
            .and_then(|v| v.as_ss().ok())
            .cloned()
            .unwrap_or_default(),
    })
}

/// The open connection `connection_id`, if it is one.
pub async fn connection(
    table: &Table,
    connection_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Connection>, StoreError> {
    Ok(table
        .get(&keys::connection(connection_id), keys::CONNECTION_SK)
        .await?
        .filter(|item| live(item, now))
        .as_ref()
        .and_then(connection_of))
}

/// The connections of `user_id` (ids only).
pub async fn connections_of(table: &Table, user_id: &str) -> Result<Vec<String>, StoreError> {
    let items = table
        .query_all(table.gsi1_query(&keys::connections_of(user_id)))
        .await?;
    Ok(items
        .iter()
        .filter_map(|item| string_attribute(item, "connectionId").map(str::to_owned))
        .collect())
}

/// `connection` listens to `script_id` from now on: its listener item and the script in
/// the connection's own list, in one transaction (refused when the connection is gone).
pub async fn listen(
    table: &Table,
    connection: &Connection,
    script_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let listener = Item::from([
        ("pk".to_owned(), s(keys::listeners(script_id))),
        (
            "sk".to_owned(),
            s(keys::listener(&connection.connection_id)),
        ),
        ("connectionId".to_owned(), s(&connection.connection_id)),
        ("userId".to_owned(), s(&connection.user_id)),
        ("expiresAt".to_owned(), n(expires_at(now))),
    ]);
    Transaction::new()
        .put(listener, None)
        .update(
            Table::key(
                keys::connection(&connection.connection_id),
                keys::CONNECTION_SK,
            ),
            Expression::new("ADD scripts :script")
                .value(":script", AttributeValue::Ss(vec![script_id.to_owned()])),
            Some(Expression::new("attribute_exists(pk)").labelled(CONNECTION_GONE)),
        )
        .commit(table)
        .await
}

/// The connection closed before it could listen.
pub const CONNECTION_GONE: fountain_store::Label = fountain_store::Label::new("connection gone");

/// `connection_id` no longer listens to `script_id`.
pub async fn stop_listening(
    table: &Table,
    connection_id: &str,
    script_id: &str,
) -> Result<(), StoreError> {
    table
        .delete_keys(
            &[Table::key(
                keys::listeners(script_id),
                keys::listener(connection_id),
            )],
            RETRY,
        )
        .await?;
    let removed = table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(
            keys::connection(connection_id),
            keys::CONNECTION_SK,
        )))
        .update_expression("DELETE scripts :script")
        .condition_expression("attribute_exists(pk)")
        .expression_attribute_values(":script", AttributeValue::Ss(vec![script_id.to_owned()]))
        .send()
        .await;
    match removed.map_err(StoreError::from_sdk) {
        Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
        Err(other) => Err(other),
    }
}

/// The connections listening to `script_id` now.
pub async fn listeners(
    table: &Table,
    script_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Listener>, StoreError> {
    let items = table
        .query_all(table.query_prefix(&keys::listeners(script_id), keys::LISTENER))
        .await?;
    Ok(items
        .iter()
        .filter(|item| live(item, now))
        .filter_map(|item| {
            Some(Listener {
                connection_id: string_attribute(item, "connectionId")?.to_owned(),
                user_id: string_attribute(item, "userId")?.to_owned(),
            })
        })
        .collect())
}

/// Forgets `connection_id`: its listener items (of `scripts`) and the connection itself.
pub async fn forget(
    table: &Table,
    connection_id: &str,
    scripts: &[String],
) -> Result<(), StoreError> {
    let mut keys_to_delete: Vec<Item> = scripts
        .iter()
        .map(|script_id| Table::key(keys::listeners(script_id), keys::listener(connection_id)))
        .collect();
    keys_to_delete.push(Table::key(
        keys::connection(connection_id),
        keys::CONNECTION_SK,
    ));
    table.delete_keys(&keys_to_delete, RETRY).await
}

/// Forgets every listener of `script_id` (the script is gone).
pub async fn forget_listeners(table: &Table, script_id: &str) -> Result<usize, StoreError> {
    table
        .delete_partition(&keys::listeners(script_id), &[], RETRY)
        .await
}
