//! Writes of elements. Each commits with the access checks, the section's order revision
//! when the order changes, the checks that its section and a dialogue's character exist,
//! and its event.

use fountain_characters::Character;
use fountain_events::EventEnvelope;
use fountain_scripts::access::{Permission, access_refused, allowed_transaction};
use fountain_sequence::Plan;
use fountain_store::{
    Condition, Expression, ItemCodec, Label, StoreError, Table, Transaction, n, s,
};

use crate::commit::commit_plan;
use crate::element::Element;
use crate::model::Section;
use crate::order::{Siblings, bump};

/// The element's section is gone.
const SECTION_GONE: Label = Label::new("section gone");
/// The character a dialogue element names is gone.
const CHARACTER_GONE: Label = Label::new("character gone");
/// The element is not at the revision and place it was read at.
pub const ELEMENT_CHANGED: Label = Label::new("element changed meanwhile");

/// What a refused element write means.
pub fn refusal(error: &StoreError) -> Refusal {
    if access_refused(error) {
        Refusal::Access
    } else if error.refused(SECTION_GONE) {
        Refusal::NoSection
    } else if error.refused(CHARACTER_GONE) {
        Refusal::NoCharacter
    } else {
        Refusal::Conflict
    }
}

/// The checks that the element's section, and a dialogue's character, exist.
fn with_checks(mut tx: Transaction, element: &Element) -> Transaction {
    let script = Siblings::sections(&element.script_id);
    tx = tx.check(
        Table::key(script.pk(), Section::sk(&element.section_id)),
        Expression::new("attribute_exists(pk)").labelled(SECTION_GONE),
    );
    if let Some(character_id) = &element.content.character_id {
        tx = tx.check(
            Table::key(script.pk(), Character::sk(character_id)),
            Expression::new("attribute_exists(pk)").labelled(CHARACTER_GONE),
        );
    }
    tx
}

pub enum Refusal {
    Access,
    NoSection,
    NoCharacter,
    Conflict,
}

/// The element as it was read: the same revision and still in the same place.
fn unchanged(element: &Element) -> Condition {
    Expression::new("attribute_exists(pk) AND revision = :based_on AND lsi1sk = :place")
        .value(":based_on", n(element.revision))
        .value(":place", s(element.siblings().order_sk(&element.order_key)))
        .labelled(ELEMENT_CHANGED)
}

/// Adds `element`, whose key `plan` gives.
pub async fn add(
    table: &Table,
    user_id: &str,
    element: &Element,
    seen: u64,
    plan: &Plan,
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
        |tx| with_checks(tx, element).create(item).event(event),
    )
    .await
}

/// Replaces the element's content if it is still `before`.
pub async fn replace(
    table: &Table,
    user_id: &str,
    before: &Element,
    after: &Element,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let tx = allowed_transaction(&after.script_id, user_id, Permission::Write);
    with_checks(tx, after)
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
            with_checks(tx, moved)
                .put(item, Some(unchanged(element)))
                .event(event)
        },
    )
    .await
}
