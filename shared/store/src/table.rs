use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::codec::{Item, ItemCodec};
use crate::error::StoreError;
use crate::{PK, SK};

/// A DynamoDB table and the client that reaches it; cheap to clone.
#[derive(Debug, Clone)]
pub struct Table {
    pub client: Client,
    pub name: String,
}

/// A string attribute value.
pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// A number attribute value.
pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

impl Table {
    pub fn new(client: Client, name: impl Into<String>) -> Self {
        Self {
            client,
            name: name.into(),
        }
    }

    /// The primary key of an item.
    pub fn key(pk: impl Into<String>, sk: impl Into<String>) -> HashMap<String, AttributeValue> {
        HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
    }

    /// A strongly consistent query for the items of partition `pk` whose sort key starts
    /// with `sk_prefix`; callers add paging or send it as it is.
    pub fn query_prefix(&self, pk: &str, sk_prefix: &str) -> QueryFluentBuilder {
        self.client
            .query()
            .table_name(&self.name)
            .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(sk_prefix))
            .consistent_read(true)
    }

    /// A query of the items of one `gsi1` partition (an index read: eventually consistent);
    /// callers add paging, a projection or a sort key condition.
    pub fn gsi1_query(&self, gsi1pk: &str) -> QueryFluentBuilder {
        self.client
            .query()
            .table_name(&self.name)
            .index_name(crate::GSI1)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", crate::GSI1_PK)
            .expression_attribute_values(":pk", s(gsi1pk))
    }

    /// Every item `query` finds, all pages read one after another (`query` holds its table,
    /// index, key condition and options, but no start key).
    pub async fn query_all(&self, query: QueryFluentBuilder) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let output = query
                .clone()
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            items.extend(output.items.unwrap_or_default());
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(items),
            }
        }
    }

    /// Reads one item of type `T` with a strongly consistent read.
    pub async fn get_as<T: ItemCodec>(&self, pk: &str, sk: &str) -> Result<Option<T>, StoreError> {
        self.get(pk, sk).await?.map(T::from_item).transpose()
    }

    /// Reads one item with a strongly consistent read.
    pub async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.name)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(output.item)
    }
}
