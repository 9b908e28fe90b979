//! The collaboration context's repair, run by the scheduled reconciler: an invitation
//! consumed by an accept whose membership was never written and whose compensation failed
//! too (decision 16's admitted gap). Step 1 puts the invitation in an index that step 2 and
//! the compensation clear, so what stays there long is an unfinished accept.

use chrono::{Duration, SecondsFormat, Utc};
use fountain_events::catalog::Reconciled;
use fountain_events::{EventContext, EventEnvelope};
use fountain_scripts::access::membership;
use fountain_store::{Expression, Label, StoreError, Table, Transaction, keys, s};

use crate::model::Invitation;
use crate::store::{self, invitation_key};

const MOVED: Label = Label::new("the invitation changed meanwhile");

/// Repairs up to `limit` accepts left unfinished for longer than `older_than`: the
/// invitation goes back to pending when no membership was written, and leaves the index
/// when one was.
pub async fn repair_unfinished_accepts(
    table: &Table,
    older_than: Duration,
    limit: i32,
    context: &EventContext,
) -> Result<Vec<Reconciled>, StoreError> {
    let cutoff = (Utc::now() - older_than).to_rfc3339_opts(SecondsFormat::Millis, true);
    let items = table
        .client
        .query()
        .table_name(&table.name)
        .index_name(fountain_store::GSI1)
        .key_condition_expression("gsi1pk = :accepting AND gsi1sk < :cutoff")
        .expression_attribute_values(":accepting", s(keys::ACCEPTING_INVITATIONS))
        .expression_attribute_values(":cutoff", s(keys::pending_event(&cutoff, "")))
        .limit(limit)
        .send()
        .await
        .map_err(StoreError::from_sdk)?
        .items
        .unwrap_or_default();
    let mut repairs = Vec::new();
    for item in items {
        let listed: Invitation = fountain_store::from_item(item)?;
        let Some(invitation) =
            store::load_invitation(table, &listed.script_id, &listed.invitation_id).await?
        else {
            continue;
        };
        let Some(user_id) = invitation.accepted_by.clone() else {
            continue;
        };
        let joined = membership(table, &invitation.script_id, &user_id)
            .await?
            .is_some();
        let (update, action, detail) = if joined {
            (
                Expression::new("REMOVE gsi1pk, gsi1sk"),
                "confirmed",
                format!("accepted by {user_id}, who is a member: the accept had finished"),
            )
        } else {
            (
                Expression::new("SET #status = :pending REMOVE acceptedBy, gsi1pk, gsi1sk")
                    .name("#status", "status")
                    .value(":pending", s("pending")),
                "reopened",
                format!(
                    "consumed by {user_id} with no membership written and no compensation: pending again"
                ),
            )
        };
        let repair = Reconciled {
            kind: "invitation".to_owned(),
            id: invitation.invitation_id.clone(),
            action: action.to_owned(),
            detail,
        };
        let unchanged = Expression::new("#status = :accepted AND acceptedBy = :user")
            .name("#status", "status")
            .value(":accepted", s("accepted"))
            .value(":user", s(&user_id))
            .labelled(MOVED);
        let event =
            EventEnvelope::new(&repair, context).map_err(|e| StoreError::Invalid(e.to_string()))?;
        match Transaction::new()
            .update(invitation_key(&invitation), update, Some(unchanged))
            .event(&event)?
            .commit(table)
            .await
        {
            Ok(()) => repairs.push(repair),
            Err(e) if e.refused(MOVED) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(repairs)
}
