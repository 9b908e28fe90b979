//! The write only elements have: a move to another section. The writes sections and
//! elements share are in [`crate::store`].

use fountain_events::EventEnvelope;
use fountain_sequence::Plan;
use fountain_store::{ItemCodec, StoreError, Table};

use crate::child::Child;
use crate::commit::commit_plan;
use crate::element::Element;
use crate::order::{Basis, bump};

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
) -> Result<(), StoreError> {
    let item = moved.to_item()?;
    let (update, condition) = bump(seen_source);
    commit_plan(
        table,
        user_id,
        &moved.siblings(),
        Basis::Revision(seen),
        plan,
        Some(&moved.element_id),
        |tx| {
            let tx = tx.update(element.siblings().order_item_key(), update, Some(condition));
            moved
                .with_checks(tx)
                .put(item, Some(element.unchanged()))
                .event(event)
        },
    )
    .await
}
