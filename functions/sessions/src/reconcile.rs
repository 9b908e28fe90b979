//! The sessions context's repair, run by the scheduled reconciler: a session whose
//! `entryCount` (kept by the writes of its context entries, which the 500-entry limit
//! rests on) disagrees with the entries it holds is recounted.

use fountain_events::catalog::Reconciled;
use fountain_events::{EventContext, EventEnvelope};
use fountain_store::{Expression, Item, Label, StoreError, Table, Transaction, keys, n};

use crate::model::Session;

const COUNT_MOVED: Label = Label::new("the entry count changed meanwhile");

/// What the sweep reads of a session: its counter and where it is.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionCount {
    pub session_id: String,
    pub owner_id: String,
    pub entry_count: u32,
}

/// The attributes of a session the sweep reads (its Scan projects no others).
pub const SWEPT_ATTRIBUTES: &[&str] = &["entity", "sessionId", "ownerId", "entryCount"];

/// The session counter of a swept item, if it is a session.
pub fn session_of(item: &Item) -> Option<SessionCount> {
    let entity = item.get("entity").and_then(|v| v.as_s().ok())?;
    (entity == "session")
        .then(|| fountain_store::from_item(item.clone()).ok())
        .flatten()
}

/// Recounts `session`'s context entries; a repair when the stored count was wrong.
pub async fn recount_entries(
    table: &Table,
    session: &SessionCount,
    context: &EventContext,
) -> Result<Option<Reconciled>, StoreError> {
    let entries = table
        .query_all(table.query_prefix(&Session::context_pk(&session.session_id), keys::CONTEXT))
        .await?
        .len() as u32;
    if entries == session.entry_count {
        return Ok(None);
    }
    let repair = Reconciled {
        kind: "sessionEntryCount".to_owned(),
        id: session.session_id.clone(),
        action: "recounted".to_owned(),
        detail: format!(
            "the session said {} entries, it holds {entries}",
            session.entry_count
        ),
    };
    let unchanged = Expression::new("entryCount = :stored")
        .value(":stored", n(session.entry_count))
        .labelled(COUNT_MOVED);
    let event =
        EventEnvelope::new(&repair, context).map_err(|e| StoreError::Invalid(e.to_string()))?;
    match Transaction::new()
        .update(
            Table::key(
                Session::pk(&session.owner_id),
                Session::sk(&session.session_id),
            ),
            Expression::new("SET entryCount = :counted").value(":counted", n(entries)),
            Some(unchanged),
        )
        .event(&event)?
        .commit(table)
        .await
    {
        Ok(()) => Ok(Some(repair)),
        // An entry was added or removed meanwhile: the next sweep looks again.
        Err(e) if e.refused(COUNT_MOVED) => Ok(None),
        Err(e) => Err(e),
    }
}
