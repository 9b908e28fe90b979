//! A parent's ordered children, as stored: each child item carries `orderKey` and the
//! order index entry `lsi1sk = <prefix><orderKey>`; the parent's order revision lives in
//! its own item and moves on with every change of order, conditioned on the value read.

use aws_sdk_dynamodb::types::Select;
use fountain_http::ApiError;
use fountain_scripts::Script;
use fountain_sequence::{OrderKey, Placement};
use fountain_store::keys::{self, ContentKind};
use fountain_store::{
    AttributeValue, Condition, Cursor, Expression, Item, ItemCodec, LSI1, LSI1_SK, Label, PK, SK,
    StoreError, Table, n, number_attribute, s, string_attribute,
};

use crate::reorder_plan::{PENDING, PendingReorder};

/// The children of one parent: the sections of a script, or the elements of a section.
#[derive(Debug, Clone)]
pub struct Siblings {
    pub script_id: String,
    /// Sort key of the item holding the order revision.
    order_sk: String,
    /// What every child's `lsi1sk` starts with.
    prefix: String,
    /// What every child's `sk` starts with (followed by its id).
    child_prefix: &'static str,
}

/// Where a placed child goes, once its neighbours' keys are known.
pub enum Gap {
    /// Between these keys (either end open), next to the anchor named (its id and key), if
    /// the placement named one.
    Between(
        Option<OrderKey>,
        Option<OrderKey>,
        Option<(String, OrderKey)>,
    ),
    /// The child is there already.
    Unchanged,
}

impl Siblings {
    pub fn sections(script_id: &str) -> Self {
        Self {
            script_id: script_id.to_owned(),
            order_sk: keys::ORDER_SECTIONS_SK.to_owned(),
            prefix: keys::SECTION.to_owned(),
            child_prefix: keys::SECTION,
        }
    }

    pub fn elements(script_id: &str, section_id: &str) -> Self {
        Self {
            script_id: script_id.to_owned(),
            order_sk: keys::order_elements(section_id),
            prefix: keys::element_order_prefix(section_id),
            child_prefix: keys::ELEMENT,
        }
    }

    pub fn pk(&self) -> String {
        Script::pk(&self.script_id)
    }

    pub fn child_sk(&self, id: &str) -> String {
        format!("{}{id}", self.child_prefix)
    }

    /// The order index entry of a child with `key`.
    pub fn order_sk(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Sort key of the item holding the order revision.
    pub fn order_item_sk(&self) -> &str {
        &self.order_sk
    }

    pub fn order_item_key(&self) -> Item {
        Table::key(self.pk(), &self.order_sk)
    }

    /// The siblings whose order item this is.
    pub fn of_order_item(item: &Item) -> Option<Self> {
        let script_id = keys::script_id(string_attribute(item, PK)?)?;
        match ContentKind::of(string_attribute(item, SK)?)? {
            ContentKind::SectionOrder => Some(Self::sections(script_id)),
            ContentKind::ElementOrder(section_id) => Some(Self::elements(script_id, section_id)),
            _ => None,
        }
    }

    /// The order revision, and the reorder being applied if any.
    pub async fn state(&self, table: &Table) -> Result<OrderState, StoreError> {
        let Some(item) = table.get(&self.pk(), &self.order_sk).await? else {
            return Ok(OrderState::default());
        };
        Ok(OrderState {
            revision: number_attribute(&item, "revision").unwrap_or(0),
            pending: PendingReorder::of_order_item(&item)?,
        })
    }

    /// Ids and keys of every child, in order (strongly consistent, all pages, keys only).
    pub async fn keyed(&self, table: &Table) -> Result<Vec<(String, OrderKey)>, StoreError> {
        let query = self
            .index_query(table)
            .key_condition_expression("pk = :pk AND begins_with(#order, :prefix)")
            .expression_attribute_values(":prefix", s(&self.prefix))
            .projection_expression("sk, orderKey");
        let items = table.query_all(query).await?;
        items.iter().map(|item| self.id_and_key(item)).collect()
    }

    fn index_query(
        &self,
        table: &Table,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .expression_attribute_names("#order", LSI1_SK)
            .expression_attribute_values(":pk", s(self.pk()))
            .consistent_read(true)
    }

    fn id_and_key(&self, item: &Item) -> Result<(String, OrderKey), StoreError> {
        let id = string_attribute(item, "sk")
            .and_then(|sk| sk.strip_prefix(self.child_prefix))
            .ok_or_else(|| StoreError::Corrupt("an ordered child without its id".into()))?;
        let key = string_attribute(item, "orderKey")
            .and_then(OrderKey::parse)
            .ok_or_else(|| StoreError::Corrupt(format!("{id} has a malformed order key")))?;
        Ok((id.to_owned(), key))
    }

    /// One page of children in order, each with its sequence number, and the cursor of the
    /// next page (which carries the offset, so numbers continue across pages).
    pub(crate) async fn page<T: ItemCodec>(
        &self,
        table: &Table,
        limit: i32,
        cursor: Option<&str>,
    ) -> Result<(Vec<(usize, T)>, Option<String>), ApiError> {
        let partition = self.pk();
        let (start, offset) = match cursor {
            Some(cursor) => {
                let (key, offset) = Cursor::decode_at(cursor, PK, &partition)?;
                (Some(key), offset)
            }
            None => (None, 0),
        };
        // One page: the listing's, whose cursor carries the offset that numbers the page.
        let output = self
            .index_query(table)
            .key_condition_expression("pk = :pk AND begins_with(#order, :prefix)")
            .expression_attribute_values(":prefix", s(&self.prefix))
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        let children = output
            .items
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, item)| T::from_item(item).map(|child| (offset + i + 1, child)))
            .collect::<Result<Vec<_>, _>>()?;
        let next = output
            .last_evaluated_key
            .as_ref()
            .and_then(|key| Cursor::encode_at(key, offset + children.len()));
        Ok((children, next))
    }

    /// The key of child `id`, when it is a child of this parent.
    pub async fn key_of(&self, table: &Table, id: &str) -> Result<Option<OrderKey>, StoreError> {
        Ok(table
            .get(&self.pk(), &self.child_sk(id))
            .await?
            .filter(|item| {
                string_attribute(item, LSI1_SK).is_some_and(|order| order.starts_with(&self.prefix))
            })
            .and_then(|item| self.id_and_key(&item).ok())
            .map(|(_, key)| key))
    }

    /// Up to two children next to `key` (after it, or before it going down), skipping
    /// `key` itself.
    async fn next_to(
        &self,
        table: &Table,
        key: Option<&OrderKey>,
        upwards: bool,
    ) -> Result<Vec<(String, OrderKey)>, StoreError> {
        // Keys are lowercase hex: "g" sorts after all of them, and key + "0" is the first
        // string above key that another key can be.
        let (low, high) = match (key, upwards) {
            (Some(key), true) => (
                self.order_sk(&format!("{}0", key.as_str())),
                self.order_sk("g"),
            ),
            (Some(key), false) => (self.prefix.clone(), self.order_sk(key.as_str())),
            (None, _) => (self.prefix.clone(), self.order_sk("g")),
        };
        // One page of at most three: the neighbours of a gap, never the whole order.
        let output = self
            .index_query(table)
            .key_condition_expression("pk = :pk AND #order BETWEEN :low AND :high")
            .expression_attribute_values(":low", s(low))
            .expression_attribute_values(":high", s(high))
            .projection_expression("sk, orderKey")
            .scan_index_forward(upwards)
            .limit(3)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        output
            .items
            .unwrap_or_default()
            .iter()
            .map(|item| self.id_and_key(item))
            .filter(|child| !matches!((child, key), (Ok((_, k)), Some(key)) if k == key))
            .collect()
    }

    /// The neighbours' keys for putting `placed` at `to`, read with at most three calls
    /// whatever the number of children; `None` for a placement by position, which needs
    /// the whole order.
    pub async fn gap(
        &self,
        table: &Table,
        placed: &str,
        to: &Placement,
    ) -> Result<Option<Result<Gap, AnchorError>>, StoreError> {
        let (anchor, upwards) = match to {
            Placement::Position(_) => return Ok(None),
            Placement::First => (None, true),
            Placement::Last => (None, false),
            Placement::After(id) => (Some(id), true),
            Placement::Before(id) => (Some(id), false),
        };
        let anchor_key = match anchor {
            Some(id) if id == placed => return Ok(Some(Err(AnchorError::Itself(id.clone())))),
            Some(id) => match self.key_of(table, id).await? {
                Some(key) => Some(key),
                None => return Ok(Some(Err(AnchorError::Unknown(id.clone())))),
            },
            None => None,
        };
        let near = self.next_to(table, anchor_key.as_ref(), upwards).await?;
        // The placed child right next to its anchor (or at the wanted end) stays put.
        if near.first().is_some_and(|(id, _)| id == placed) {
            return Ok(Some(Ok(Gap::Unchanged)));
        }
        let neighbour = near
            .into_iter()
            .find(|(id, _)| id != placed)
            .map(|(_, key)| key);
        let (low, high) = if upwards {
            (anchor_key.clone(), neighbour)
        } else {
            (neighbour, anchor_key.clone())
        };
        let anchor = anchor.cloned().zip(anchor_key);
        Ok(Some(Ok(Gap::Between(low, high, anchor))))
    }

    /// The sequence number of the child with `key`: one more than the children before it.
    pub(crate) async fn sequence_by_key(
        &self,
        table: &Table,
        key: &str,
    ) -> Result<usize, StoreError> {
        // BETWEEN includes the child itself.
        Ok(self.count_through(table, &self.order_sk(key)).await?.max(1))
    }

    /// How many children have a key below `key`, which no child has yet.
    pub async fn count_below(&self, table: &Table, key: &OrderKey) -> Result<usize, StoreError> {
        self.count_through(table, &self.order_sk(key.as_str()))
            .await
    }

    async fn count_through(&self, table: &Table, last: &str) -> Result<usize, StoreError> {
        let mut count = 0usize;
        let mut start = None;
        loop {
            let output = self
                .index_query(table)
                .key_condition_expression("pk = :pk AND #order BETWEEN :first AND :last")
                .expression_attribute_values(":first", s(&self.prefix))
                .expression_attribute_values(":last", s(last))
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            count += output.count.max(0) as usize;
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(count),
            }
        }
    }

    /// The update that sets a child's key.
    pub fn rekey(&self, key: &OrderKey) -> Expression {
        Expression::new("SET orderKey = :key, lsi1sk = :order")
            .value(":key", s(key.as_str()))
            .value(":order", s(self.order_sk(key.as_str())))
    }
}

/// A placement relative to a sibling that cannot be followed.
#[derive(Debug)]
pub enum AnchorError {
    Unknown(String),
    Itself(String),
}

/// An order's revision and the reorder being applied to it, if any.
#[derive(Debug, Default)]
pub struct OrderState {
    pub revision: u64,
    pub pending: Option<PendingReorder>,
}

/// Another change of the order got there first, or a large reorder is still being applied.
pub const ORDER_CHANGED: Label = Label::new("order changed meanwhile");
/// The sibling an insert was placed before or after moved or went meanwhile.
pub const ANCHOR_MOVED: Label = Label::new("anchor moved meanwhile");
/// A sibling whose key a change of order rewrites was removed meanwhile.
pub const SIBLING_GONE: Label = Label::new("sibling gone");

/// The update that moves the order revision from `seen` to `seen + 1`, refused when another
/// change got there first or a reorder is still being applied.
pub fn bump(seen: u64) -> (Expression, Condition) {
    bump_and_set(seen, None)
}

/// What a change of order is based on.
#[derive(Debug, Clone)]
pub enum Basis {
    /// The whole order at this revision: any change of it meanwhile refuses the change.
    Revision(u64),
    /// One gap, between neighbours read just now, for a new child whose key is salted
    /// ([`fountain_sequence::OrderKey::between_unique`]): refused only when the anchor it
    /// names (id and key) has moved or gone, or a large reorder has begun. Inserts elsewhere,
    /// or into the same gap, meanwhile are no conflict: co-writers do not collide.
    Gap(Option<(String, OrderKey)>),
}

impl Basis {
    /// The order revision's update and condition.
    pub fn bump(&self) -> (Expression, Condition) {
        match self {
            Self::Revision(seen) => bump(*seen),
            Self::Gap(_) => (
                Expression::new("ADD revision :one").value(":one", n(1)),
                Expression::new(format!("attribute_not_exists({PENDING})")).labelled(ORDER_CHANGED),
            ),
        }
    }

    /// The basis of the next transaction of the same change (a rebalance in chunks).
    pub fn next(&self) -> Self {
        match self {
            Self::Revision(seen) => Self::Revision(seen + 1),
            Self::Gap(anchor) => Self::Gap(anchor.clone()),
        }
    }

    /// A lost race worth planning again: the order, the anchor or a rekeyed sibling changed
    /// meanwhile, or DynamoDB cancelled a transaction that ran into another.
    pub fn lost_race(error: &StoreError) -> bool {
        matches!(error, StoreError::TransactionConflict)
            || [ORDER_CHANGED, ANCHOR_MOVED, SIBLING_GONE]
                .iter()
                .any(|label| error.refused(*label))
    }
}

/// [`bump`], also setting one attribute of the order item.
pub fn bump_and_set(seen: u64, also: Option<(&str, AttributeValue)>) -> (Expression, Condition) {
    let update = match also {
        Some((attribute, value)) => {
            Expression::new(format!("SET revision = :next, {attribute} = :also"))
                .value(":also", value)
        }
        None => Expression::new("SET revision = :next"),
    }
    .value(":next", n(seen + 1));
    if seen == 0 {
        (
            update,
            Expression::new("attribute_not_exists(revision)").labelled(ORDER_CHANGED),
        )
    } else {
        (
            update,
            Expression::new("revision = :seen AND attribute_not_exists(pendingReorder)")
                .value(":seen", n(seen))
                .labelled(ORDER_CHANGED),
        )
    }
}
