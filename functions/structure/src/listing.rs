//! What readers see of an order: its children by the keys they hold or, while a large
//! reorder is being applied, by the keys its plan gives them (the order it committed).

use std::collections::HashMap;

use fountain_http::ApiError;
use fountain_sequence::OrderKey;
use fountain_store::{
    Cursor, Item, ItemCodec, LSI1_SK, MAX_BATCH_GETS, PK, READ_RETRY, SK, StoreError, Table, s,
    string_attribute,
};

use crate::order::Siblings;
use crate::reorder_plan::PendingReorder;

/// One page of children in order, each with its sequence number.
pub struct Listing<T> {
    /// The order revision: the listing's ETag, which a reorder names in If-Match.
    pub revision: u64,
    pub children: Vec<(usize, T)>,
    pub next_cursor: Option<String>,
}

impl Siblings {
    /// One page of children from `cursor`, in the order last committed.
    pub async fn listing<T: ItemCodec>(
        &self,
        table: &Table,
        limit: i32,
        cursor: Option<&str>,
    ) -> Result<Listing<T>, ApiError> {
        let state = self.state(table).await?;
        let (children, next_cursor) = match &state.pending {
            None => self.page(table, limit, cursor).await?,
            Some(pending) => self.page_through(table, pending, limit, cursor).await?,
        };
        Ok(Listing {
            revision: state.revision,
            children,
            next_cursor,
        })
    }

    /// The sequence number of child `id`, whose stored key is `key`.
    pub async fn sequence_of(
        &self,
        table: &Table,
        id: &str,
        key: &str,
    ) -> Result<usize, StoreError> {
        match self.state(table).await?.pending {
            None => self.sequence_by_key(table, key).await,
            Some(pending) => Ok(pending
                .applied_to(self.keyed(table).await?)
                .iter()
                .position(|(child, _)| child == id)
                .map_or(1, |index| index + 1)),
        }
    }

    /// [`Siblings::page`] with `pending` applied: the whole order's keys are read, the
    /// page's items fetched by key. Cursors are index keys either way, so paging goes on
    /// across the end of the plan.
    async fn page_through<T: ItemCodec>(
        &self,
        table: &Table,
        pending: &PendingReorder,
        limit: i32,
        cursor: Option<&str>,
    ) -> Result<(Vec<(usize, T)>, Option<String>), ApiError> {
        let partition = self.pk();
        let order = pending.applied_to(self.keyed(table).await?);
        let start = match cursor {
            Some(cursor) => {
                let (key, _) = Cursor::decode_at(cursor, PK, &partition)?;
                let after = string_attribute(&key, LSI1_SK)
                    .unwrap_or_default()
                    .to_owned();
                order.partition_point(|(_, key)| self.order_sk(key.as_str()) <= after)
            }
            None => 0,
        };
        let take = usize::try_from(limit).unwrap_or(1).clamp(1, MAX_BATCH_GETS);
        let page: Vec<&(String, OrderKey)> = order.iter().skip(start).take(take).collect();
        let keys = page
            .iter()
            .map(|(id, _)| Table::key(partition.clone(), self.child_sk(id)))
            .collect();
        let mut found: HashMap<String, Item> = table
            .get_batch(keys, READ_RETRY)
            .await?
            .into_iter()
            .filter_map(|item| Some((string_attribute(&item, SK)?.to_owned(), item)))
            .collect();
        let mut children = Vec::with_capacity(page.len());
        for (index, (id, key)) in page.iter().enumerate() {
            let mut item = found
                .remove(&self.child_sk(id))
                .ok_or_else(|| StoreError::Corrupt(format!("{id} vanished while listed")))?;
            item.insert("orderKey".into(), s(key.as_str()));
            item.insert(LSI1_SK.into(), s(self.order_sk(key.as_str())));
            children.push((start + index + 1, T::from_item(item)?));
        }
        let end = start + page.len();
        let next_cursor = match page.last() {
            Some((id, key)) if end < order.len() => {
                let last = HashMap::from([
                    (PK.to_owned(), s(&partition)),
                    (SK.to_owned(), s(self.child_sk(id))),
                    (LSI1_SK.to_owned(), s(self.order_sk(key.as_str()))),
                ]);
                Cursor::encode_at(&last, end)
            }
            _ => None,
        };
        Ok((children, next_cursor))
    }
}
