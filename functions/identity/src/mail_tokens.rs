//! Single-use tokens sent by email: one verifies the account's address (24 hours), one resets
//! its password (30 minutes). The mailer mints a token when it writes the message, so no
//! token travels in an event or a log; the table keeps only its SHA-256 hash
//! (`MAILTOKEN#<purpose>#<hash>`), and the transaction that acts on a token deletes it.

use chrono::{DateTime, Duration, Utc};
use fountain_store::{
    Condition, Expression, Item, Label, StoreError, Table, from_item, keys, to_item,
};
use serde::{Deserialize, Serialize};

use crate::tokens;

/// What a token sent by email may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify",
            Purpose::ResetPassword => "reset",
        }
    }

    /// How long a token of this purpose can be used.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(24),
            Purpose::ResetPassword => Duration::minutes(30),
        }
    }

    fn pk(self, token_hash: &str) -> String {
        keys::mail_token(self.as_str(), token_hash)
    }
}

/// A token as stored, under its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailToken {
    pub pk: String,
    pub sk: String,
    pub user_id: String,
    /// When it was minted (epoch milliseconds): a reset token minted before the password
    /// last changed is refused.
    pub issued_at: i64,
    /// Epoch seconds, compared in code; also the table's TTL attribute, which removes it.
    pub expires_at: i64,
    /// `TOKENS#<userId>` and the token's key: the sparse index deleting the account reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
}

/// The token was spent already (or never existed).
pub const TOKEN_SPENT: Label = Label::new("token spent");

/// Mints a token of `purpose` for `user_id` and stores its hash: the token, to put in the
/// message.
pub async fn issue(
    table: &Table,
    purpose: Purpose,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let (token, hash) = tokens::new_token();
    let pk = purpose.pk(&hash);
    let record = MailToken {
        gsi1pk: Some(keys::tokens_of(user_id)),
        gsi1sk: Some(pk.clone()),
        pk,
        sk: keys::MAIL_TOKEN_SK.to_owned(),
        user_id: user_id.to_owned(),
        issued_at: now.timestamp_millis(),
        expires_at: (now + purpose.lifetime()).timestamp(),
    };
    table
        .client
        .put_item()
        .table_name(&table.name)
        .set_item(Some(to_item(&record)?))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(token)
}

/// The live token `token` of `purpose`: `None` when unknown, spent or expired.
pub async fn find(
    table: &Table,
    purpose: Purpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<MailToken>, StoreError> {
    let Some(item) = table
        .get(&purpose.pk(&tokens::hash(token)), keys::MAIL_TOKEN_SK)
        .await?
    else {
        return Ok(None);
    };
    let record: MailToken = from_item(item)?;
    Ok((record.expires_at > now.timestamp()).then_some(record))
}

impl MailToken {
    /// The transaction step that spends this token: its delete, refused with
    /// [`TOKEN_SPENT`] when another request spent it first.
    pub fn spend(&self) -> (Item, Condition) {
        (
            Table::key(&self.pk, &self.sk),
            Expression::new("attribute_exists(pk)").labelled(TOKEN_SPENT),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_each_purpose_live_as_long_as_the_mail_says() {
        assert_eq!(Purpose::VerifyEmail.lifetime(), Duration::hours(24));
        assert_eq!(Purpose::ResetPassword.lifetime(), Duration::minutes(30));
        assert_ne!(
            Purpose::VerifyEmail.pk("ab"),
            Purpose::ResetPassword.pk("ab"),
            "a verification token cannot reset a password"
        );
    }
}
