//! The invitation's token, minted by the mailer when it writes the invitation email (decision
//! 47): the token travels in no event, no response and no path, only to the invitee's inbox.

use chrono::{DateTime, Utc};
use fountain_identity::tokens;
use fountain_store::{StoreError, Table};

use crate::model::Invitation;
use crate::store;

/// The pending, unexpired invitation `invitation_id` of `script_id`, if there is one.
pub async fn pending(
    table: &Table,
    script_id: &str,
    invitation_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, StoreError> {
    Ok(store::load_invitation(table, script_id, invitation_id)
        .await?
        .filter(|i| i.status == "pending" && i.expires_at > now.timestamp_millis()))
}

/// A new token for `invitation`, replacing any sent before; `None` when the invitation
/// stopped being pending (or got another token) meanwhile.
pub async fn issue(table: &Table, invitation: &Invitation) -> Result<Option<String>, StoreError> {
    let (token, hash) = tokens::new_token();
    match store::replace_token(table, invitation, &hash).await {
        Ok(()) => Ok(Some(token)),
        Err(e) if e.refused(store::TOKEN_REPLACED) => Ok(None),
        Err(e) => Err(e),
    }
}
