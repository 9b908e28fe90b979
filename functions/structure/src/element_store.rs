//! Writes of elements. Each commits with the access checks, the section's order revision
//! when the order changes, the checks that its section and a dialogue's character exist,
//! and its event.

use std::sync::atomic::{AtomicUsize, Ordering};

use fountain_characters::Character;
use fountain_events::EventEnvelope;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_sequence::Plan;
use fountain_store::{Expression, ItemCodec, StoreError, Table, Transaction, n, s};

use crate::commit::commit_plan;
use crate::element::Element;
use crate::model::Section;
use crate::order::{Siblings, bump};

/// Which of a transaction's writes a refusal points at, beyond the access checks.
#[derive(Debug, Default)]
pub struct Checks {
    section: Index,
    character: Index,
}

/// The index of one write in a transaction, noted while the transaction is built (inside
/// a closure the request's future holds, hence atomic). Zero: none, as 0 is an access check.
#[derive(Debug, Default)]
struct Index(AtomicUsize);

impl Index {
    fn set(&self, index: usize) {
        self.0.store(index, Ordering::Relaxed);
    }

    fn failed_in(&self, error: &StoreError) -> bool {
        match self.0.load(Ordering::Relaxed) {
            0 => false,
            index => error.condition_failed_at(index),
        }
    }
}

impl Checks {
    /// What a refused element write means.
    pub fn refusal(&self, error: &StoreError) -> Refusal {
        if error.condition_failed_at(0) || error.condition_failed_at(1) {
            Refusal::Access
        } else if self.section.failed_in(error) {
            Refusal::NoSection
        } else if self.character.failed_in(error) {
            Refusal::NoCharacter
        } else {
            Refusal::Conflict
        }
    }

    fn add(&self, mut tx: Transaction, element: &Element) -> Transaction {
        let script = Siblings::sections(&element.script_id);
        self.section.set(tx.len());
        tx = tx.check(
            Table::key(script.pk(), Section::sk(&element.section_id)),
            Expression::new("attribute_exists(pk)"),
        );
        if let Some(character_id) = &element.content.character_id {
            self.character.set(tx.len());
            tx = tx.check(
                Table::key(script.pk(), Character::sk(character_id)),
                Expression::new("attribute_exists(pk)"),
            );
        }
        tx
    }
}

pub enum Refusal {
    Access,
    NoSection,
    NoCharacter,
    Conflict,
}

/// The element as it was read: the same revision and still in the same place.
fn unchanged(element: &Element) -> Expression {
    Expression::new("attribute_exists(pk) AND revision = :based_on AND lsi1sk = :place")
        .value(":based_on", n(element.revision))
        .value(":place", s(element.siblings().order_sk(&element.order_key)))
}

/// Adds `element`, whose key `plan` gives.
pub async fn add(
    table: &Table,
    user_id: &str,
    element: &Element,
    seen: u64,
    plan: &Plan,
    checks: &Checks,
    event: &EventEnvelope,
) -> Result<u64, StoreError> {
    let item = element.to_item()?;
    commit_plan(
        table,
        user_id,
        &element.siblings(),
        seen,
        plan,
        Some(&element.element_id),
        |tx| {
            checks
                .add(tx, element)
                .put(item, Some(Expression::absent()))
                .event(event)
        },
    )
    .await
}

/// Replaces the element's content if it is still `before`.
pub async fn replace(
    table: &Table,
    user_id: &str,
    before: &Element,
    after: &Element,
    checks: &Checks,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let tx = allowed_transaction(&after.script_id, user_id, Permission::Write);
    checks
        .add(tx, after)
        .put(after.to_item()?, Some(unchanged(before)))
        .event(event)?
        .commit(table)
        .await
}

/// Removes the element and moves its section's order revision on.
pub async fn remove(
    table: &Table,
    user_id: &str,
    element: &Element,
    seen: u64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let siblings = element.siblings();
    let (update, condition) = bump(seen);
    allowed_transaction(&element.script_id, user_id, Permission::Write)
        .delete(
            Table::key(siblings.pk(), siblings.child_sk(&element.element_id)),
            Some(unchanged(element)),
        )
        .update(siblings.order_item_key(), update, Some(condition))
        .event(event)?
        .commit(table)
        .await
}

/// Moves `element` to `moved` in another section: the destination's plan and order
/// revision `seen`, the source's order revision `seen_source`.
#[allow(clippy::too_many_arguments)]
pub async fn move_across(
    table: &Table,
    user_id: &str,
    element: &Element,
    moved: &Element,
    seen_source: u64,
    seen: u64,
    plan: &Plan,
    checks: &Checks,
    event: &EventEnvelope,
) -> Result<u64, StoreError> {
    let item = moved.to_item()?;
    let (update, condition) = bump(seen_source);
    commit_plan(
        table,
        user_id,
        &moved.siblings(),
        seen,
        plan,
        Some(&moved.element_id),
        |tx| {
            let tx = tx.update(element.siblings().order_item_key(), update, Some(condition));
            checks
                .add(tx, moved)
                .put(item, Some(unchanged(element)))
                .event(event)
        },
    )
    .await
}
