use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
use fountain_events::EventEnvelope;

use crate::codec::Item;
use crate::error::StoreError;
use crate::label::{Condition, Label};
use crate::outbox::OutboxRecord;
use crate::table::Table;

/// DynamoDB's limit on the writes of one transaction.
pub const MAX_WRITES: usize = 100;

/// Writes and their events, committed together or not at all (TransactWriteItems).
///
/// Each write may carry a [`Condition`]: an expression labelled with what it protects. When
/// conditions fail, the commit returns [`StoreError::Refused`] with the labels of the failed
/// ones, so callers match on meaning; adding a check never changes what another one reports.
#[derive(Debug, Default)]
pub struct Transaction {
    writes: Vec<Write>,
}

#[derive(Debug)]
enum Write {
    Put {
        item: Item,
        condition: Option<Condition>,
    },
    Update {
        key: Item,
        update: Expression,
        condition: Option<Condition>,
    },
    Delete {
        key: Item,
        condition: Option<Condition>,
    },
    Check {
        key: Item,
        condition: Condition,
    },
}

impl Write {
    fn label(&self) -> Option<Label> {
        match self {
            Write::Put { condition, .. }
            | Write::Update { condition, .. }
            | Write::Delete { condition, .. } => condition.as_ref().map(|c| c.label),
            Write::Check { condition, .. } => Some(condition.label),
        }
    }
}

/// An expression with its placeholders.
#[derive(Debug, Clone, Default)]
pub struct Expression {
    pub text: String,
    pub names: HashMap<String, String>,
    pub values: HashMap<String, AttributeValue>,
}

impl Expression {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    pub fn name(mut self, placeholder: &str, name: &str) -> Self {
        self.names.insert(placeholder.to_owned(), name.to_owned());
        self
    }

    pub fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    /// The item does not exist yet.
    pub fn absent() -> Self {
        Self::new("attribute_not_exists(pk)")
    }

    /// The item exists at `revision` (the version a change is based on).
    pub fn revision_is(revision: u64) -> Self {
        Self::new("attribute_exists(pk) AND revision = :based_on")
            .value(":based_on", AttributeValue::N(revision.to_string()))
    }

    /// This expression as a transaction's condition, reported as `label` when it fails.
    pub fn labelled(self, label: Label) -> Condition {
        Condition {
            label,
            expression: self,
        }
    }
}

impl Transaction {
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts `item`, only if `condition` holds (e.g. `attribute_not_exists(pk)`).
    pub fn put(mut self, item: Item, condition: Option<Condition>) -> Self {
        self.writes.push(Write::Put { item, condition });
        self
    }

    /// Puts `item`, new under a fresh id: refused as [`Label::ID_TAKEN`] if it exists.
    pub fn create(self, item: Item) -> Self {
        self.put(item, Some(Expression::absent().labelled(Label::ID_TAKEN)))
    }

    /// Updates the item at `key`; the condition's placeholders join the update's.
    pub fn update(mut self, key: Item, update: Expression, condition: Option<Condition>) -> Self {
        self.writes.push(Write::Update {
            key,
            update,
            condition,
        });
        self
    }

    pub fn delete(mut self, key: Item, condition: Option<Condition>) -> Self {
        self.writes.push(Write::Delete { key, condition });
        self
    }

    /// Requires `condition` to hold on the item at `key` without writing it.
    pub fn check(mut self, key: Item, condition: Condition) -> Self {
        self.writes.push(Write::Check { key, condition });
        self
    }

    /// Adds the event to the outbox, in the same transaction as the writes it describes.
    pub fn event(mut self, envelope: &EventEnvelope) -> Result<Self, StoreError> {
        let item = OutboxRecord::new(envelope)?.to_item()?;
        self.writes.push(Write::Put {
            item,
            condition: Some(Expression::absent().labelled(Label::EVENT_RECORDED)),
        });
        Ok(self)
    }

    pub fn len(&self) -> usize {
        self.writes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub async fn commit(self, table: &Table) -> Result<(), StoreError> {
        if self.writes.len() > MAX_WRITES {
            return Err(StoreError::Invalid(format!(
                "a transaction holds at most {MAX_WRITES} writes, not {}",
                self.writes.len()
            )));
        }
        let labels: Vec<Option<Label>> = self.writes.iter().map(Write::label).collect();
        let items = self
            .writes
            .into_iter()
            .map(|write| write.into_sdk(&table.name))
            .collect::<Result<Vec<_>, _>>()?;
        table
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(|error| StoreError::from_transaction(error, &labels))?;
        Ok(())
    }
}

type Parts = (
    Option<String>,
    Option<HashMap<String, String>>,
    Option<HashMap<String, AttributeValue>>,
);

impl Expression {
    /// The text, names and values as the SDK builders take them: `None` where empty.
    fn into_parts(self) -> Parts {
        (
            (!self.text.is_empty()).then_some(self.text),
            (!self.names.is_empty()).then_some(self.names),
            (!self.values.is_empty()).then_some(self.values),
        )
    }
}

impl Condition {
    fn parts(condition: Option<Condition>) -> Parts {
        condition
            .map(|c| c.expression)
            .unwrap_or_default()
            .into_parts()
    }
}

impl Write {
    fn into_sdk(self, table: &str) -> Result<TransactWriteItem, StoreError> {
        let invalid = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Invalid(e.to_string());
        let item = match self {
            Write::Put { item, condition } => {
                let (condition, names, values) = Condition::parts(condition);
                let put = Put::builder()
                    .table_name(table)
                    .set_item(Some(item))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().put(put).build()
            }
            Write::Update {
                key,
                mut update,
                condition,
            } => {
                let condition = condition.map(|c| {
                    update.names.extend(c.expression.names);
                    update.values.extend(c.expression.values);
                    c.expression.text
                });
                let (update, names, values) = update.into_parts();
                let update = Update::builder()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_update_expression(update)
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().update(update).build()
            }
            Write::Delete { key, condition } => {
                let (condition, names, values) = Condition::parts(condition);
                let delete = Delete::builder()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().delete(delete).build()
            }
            Write::Check { key, condition } => {
                let (condition, names, values) = condition.expression.into_parts();
                let check = ConditionCheck::builder()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(invalid)?;
                TransactWriteItem::builder().condition_check(check).build()
            }
        };
        Ok(item)
    }
}
