//! DynamoDB helpers shared by every context: the table handle, one codec per item type
//! (serde_dynamo), transactions that carry their domain events (the transactional outbox),
//! opaque pagination cursors, the mapping of SDK failures to [`StoreError`], and the key
//! schema of every item ([`keys`]).

mod batch;
mod batch_get;
mod codec;
mod cursor;
mod error;
pub mod keys;
mod label;
pub mod outbox;
mod packed;
mod table;
mod transaction;

pub use aws_sdk_dynamodb::types::AttributeValue;
pub use batch::{MAX_BATCH_WRITES, Retry, delete_request, put_request};
pub use batch_get::{MAX_BATCH_GETS, READ_RETRY};
pub use codec::{
    Item, ItemCodec, from_item, keyed_item, number_attribute, string_attribute, to_item,
};
pub use cursor::{Cursor, CursorError, Page, PageError, query_page};
pub use error::StoreError;
pub use label::{Condition, Label};
pub use outbox::{OUTBOX_KIND, OutboxRecord};
pub use packed::{CHUNK_BYTES, Packed, pack, unpack};
pub use table::{Table, n, s};
pub use transaction::{Expression, MAX_WRITES, Transaction};

/// The partition key attribute of every table.
pub const PK: &str = "pk";
/// The sort key attribute of every table.
pub const SK: &str = "sk";
/// The first global secondary index: `gsi1pk` / `gsi1sk`.
pub const GSI1: &str = "gsi1";
pub const GSI1_PK: &str = "gsi1pk";
pub const GSI1_SK: &str = "gsi1sk";
/// The local secondary index that orders children: `pk` / `lsi1sk`, strongly consistent.
pub const LSI1: &str = "lsi1";
pub const LSI1_SK: &str = "lsi1sk";
/// The second global secondary index: `gsi2pk` / `gsi2sk`.
pub const GSI2: &str = "gsi2";
pub const GSI2_PK: &str = "gsi2pk";
pub const GSI2_SK: &str = "gsi2sk";
