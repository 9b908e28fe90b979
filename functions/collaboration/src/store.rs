//! Reads and writes of invitations and memberships.

use chrono::Utc;
use fountain_events::EventEnvelope;
use fountain_scripts::Script;
use fountain_scripts::access::{Membership, Role};
use fountain_store::{
    Condition, Expression, ItemCodec, Label, PK, Page, PageError, StoreError, Table, Transaction,
    from_item, keys, n, query_page, s,
};

use crate::model::Invitation;

/// The script was deleted meanwhile.
pub const SCRIPT_GONE: Label = Label::new("script gone");
/// The user is a member of the script already.
pub const ALREADY_MEMBER: Label = Label::new("already a member");
/// The invitation is no longer pending.
pub const NOT_PENDING: Label = Label::new("invitation not pending");
/// The member is gone, or is the owner (who cannot be removed).
pub const NOT_REMOVABLE: Label = Label::new("member gone or the owner");

fn script_exists(script_id: &str) -> (fountain_store::Item, Condition) {
    (
        Table::key(Script::pk(script_id), Script::SK),
        Expression::new("attribute_exists(pk)").labelled(SCRIPT_GONE),
    )
}

pub async fn insert_invitation(
    table: &Table,
    invitation: &Invitation,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (key, exists) = script_exists(&invitation.script_id);
    Transaction::new()
        .check(key, exists)
        .create(invitation.to_item()?)
        .event(event)?
        .commit(table)
        .await
}

/// The invitation's token was replaced meanwhile, or it is no longer pending.
pub const TOKEN_REPLACED: Label = Label::new("invitation token replaced or not pending");

/// Stores `token_hash` as the pending invitation's token: its lookup, and the hash on the
/// invitation, replacing (and deleting the lookup of) the token sent before.
pub async fn replace_token(
    table: &Table,
    invitation: &Invitation,
    token_hash: &str,
) -> Result<(), StoreError> {
    let mut lookup = Table::key(Invitation::token_pk(token_hash), keys::INVITE_TOKEN_SK);
    lookup.insert("scriptId".into(), s(&invitation.script_id));
    lookup.insert("invitationId".into(), s(&invitation.invitation_id));
    let set = Expression::new("SET tokenHash = :hash").value(":hash", s(token_hash));
    let unchanged = match &invitation.token_hash {
        Some(earlier) => Expression::new("#status = :pending AND tokenHash = :earlier")
            .value(":earlier", s(earlier)),
        None => Expression::new("#status = :pending AND attribute_not_exists(tokenHash)"),
    }
    .name("#status", "status")
    .value(":pending", s("pending"))
    .labelled(TOKEN_REPLACED);
    let mut transaction =
        Transaction::new()
            .create(lookup)
            .update(invitation_key(invitation), set, Some(unchanged));
    if let Some(earlier) = &invitation.token_hash {
        transaction = transaction.delete(
            Table::key(Invitation::token_pk(earlier), keys::INVITE_TOKEN_SK),
            None,
        );
    }
    transaction.commit(table).await
}

pub async fn load_invitation(
    table: &Table,
    script_id: &str,
    invitation_id: &str,
) -> Result<Option<Invitation>, StoreError> {
    table
        .get_as::<Invitation>(&Script::pk(script_id), &Invitation::sk(invitation_id))
        .await
}

pub async fn find_by_token(
    table: &Table,
    token_hash: &str,
) -> Result<Option<Invitation>, StoreError> {
    let Some(lookup) = table
        .get(&Invitation::token_pk(token_hash), keys::INVITE_TOKEN_SK)
        .await?
    else {
        return Ok(None);
    };
    let field = |name: &str| {
        lookup
            .get(name)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default()
    };
    let invitation = load_invitation(table, &field("scriptId"), &field("invitationId")).await?;
    // A token sent again replaced this one (its lookup is deleted with the replacement; the
    // check covers a read that raced it).
    Ok(invitation.filter(|i| i.token_hash.as_deref().is_none_or(|h| h == token_hash)))
}

pub async fn list_invitations(
    table: &Table,
    script_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Invitation>, PageError> {
    let partition = Script::pk(script_id);
    let query = table.query_prefix(&partition, Invitation::SK_PREFIX);
    query_page(query, (PK, &partition), limit, cursor).await
}

pub(crate) fn invitation_key(invitation: &Invitation) -> fountain_store::Item {
    Table::key(
        Script::pk(&invitation.script_id),
        Invitation::sk(&invitation.invitation_id),
    )
}

/// Revokes a pending invitation (else refused: [`NOT_PENDING`]).
pub async fn revoke(
    table: &Table,
    invitation: &Invitation,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let update = Expression::new("SET #status = :revoked")
        .name("#status", "status")
        .value(":revoked", s("revoked"));
    let pending = Expression::new("#status = :pending")
        .value(":pending", s("pending"))
        .labelled(NOT_PENDING);
    Transaction::new()
        .update(invitation_key(invitation), update, Some(pending))
        .event(event)?
        .commit(table)
        .await
}

/// Saga step 1: consumes the pending, unexpired invitation for `user_id` (else `ConditionFailed`).
pub async fn consume(
    table: &Table,
    invitation: &Invitation,
    user_id: &str,
) -> Result<(), StoreError> {
    table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(invitation_key(invitation)))
        // Until step 2 clears it, the invitation is in the index the reconciler reads.
        .update_expression(
            "SET #status = :accepted, acceptedBy = :user, gsi1pk = :accepting, gsi1sk = :since",
        )
        .condition_expression("#status = :pending AND expiresAtMs > :now")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":accepting", s(keys::ACCEPTING_INVITATIONS))
        .expression_attribute_values(
            ":since",
            s(keys::pending_event(
                &Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                &invitation.invitation_id,
            )),
        )
        .expression_attribute_values(":accepted", s("accepted"))
        .expression_attribute_values(":pending", s("pending"))
        .expression_attribute_values(":user", s(user_id))
        .expression_attribute_values(":now", n(Utc::now().timestamp_millis()))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}

/// Saga step 2: the membership, with its event, and the invitation out of the index of
/// unfinished accepts; the script must still exist ([`SCRIPT_GONE`]) and the user must not
/// be a member already ([`ALREADY_MEMBER`]).
pub async fn join(
    table: &Table,
    invitation: &Invitation,
    membership: &Membership,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (key, exists) = script_exists(&membership.script_id);
    let finished = Expression::new("REMOVE gsi1pk, gsi1sk");
    let consumed_by_user = Expression::new("acceptedBy = :user")
        .value(":user", s(&membership.user_id))
        .labelled(NOT_PENDING);
    Transaction::new()
        .check(key, exists)
        .put(
            membership.to_item()?,
            Some(Expression::absent().labelled(ALREADY_MEMBER)),
        )
        .update(invitation_key(invitation), finished, Some(consumed_by_user))
        .event(event)?
        .commit(table)
        .await
}

/// The compensation of step 1: the invitation is pending again, as if never consumed.
pub async fn unconsume(
    table: &Table,
    invitation: &Invitation,
    user_id: &str,
) -> Result<(), StoreError> {
    table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(invitation_key(invitation)))
        .update_expression("SET #status = :pending REMOVE acceptedBy, gsi1pk, gsi1sk")
        .condition_expression("#status = :accepted AND acceptedBy = :user")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":accepted", s("accepted"))
        .expression_attribute_values(":pending", s("pending"))
        .expression_attribute_values(":user", s(user_id))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}

pub async fn members(table: &Table, script_id: &str) -> Result<Vec<Membership>, StoreError> {
    table
        .query_all(table.query_prefix(&Script::pk(script_id), keys::MEMBER))
        .await?
        .into_iter()
        .map(from_item)
        .collect()
}

/// Removes a member who is not the owner (else refused: [`NOT_REMOVABLE`]).
pub async fn remove_member(
    table: &Table,
    script_id: &str,
    user_id: &str,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let not_owner = Expression::new("attribute_exists(pk) AND #role <> :owner")
        .name("#role", "role")
        .value(":owner", s(Role::Owner.as_str()))
        .labelled(NOT_REMOVABLE);
    Transaction::new()
        .delete(Membership::key(script_id, user_id), Some(not_owner))
        .event(event)?
        .commit(table)
        .await
}

/// Deletes the invitations to `script_id` that `user_id` accepted (their account was
/// deleted; decision 50): they hold its address and id, and their work was done. Returns
/// how many.
pub async fn delete_accepted_invitations(
    table: &Table,
    script_id: &str,
    user_id: &str,
) -> Result<usize, StoreError> {
    let accepted: Vec<fountain_store::Item> = table
        .query_all(table.query_prefix(&Script::pk(script_id), Invitation::SK_PREFIX))
        .await?
        .into_iter()
        .map(from_item::<Invitation>)
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .filter(|i| i.accepted_by.as_deref() == Some(user_id))
        .map(invitation_key)
        .collect();
    table.delete_keys(&accepted, DELETE_RETRY).await?;
    Ok(accepted.len())
}

const DELETE_RETRY: fountain_store::Retry = fountain_store::Retry {
    attempts: 5,
    first_pause: std::time::Duration::from_millis(50),
};
