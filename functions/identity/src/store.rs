//! Reads and writes of accounts, refresh tokens and revocations.

use fountain_events::EventEnvelope;
use fountain_store::{
    AttributeValue, Condition, Expression, Item, ItemCodec, Label, StoreError, Table, Transaction,
    from_item, keys, n, s, to_item,
};

use crate::mail_tokens::MailToken;
use crate::model::{FamilyRecord, Password, RefreshRecord, User};

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("the email address is registered already")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Another account holds the email.
const EMAIL_TAKEN: Label = Label::new("email taken");
/// The user was deleted meanwhile.
pub const USER_GONE: Label = Label::new("user gone");

pub async fn register(
    table: &Table,
    user: &User,
    password: &Password,
    event: &EventEnvelope,
) -> Result<(), RegisterError> {
    let mut email = Table::key(User::email_pk(&user.email), keys::EMAIL_SK);
    email.insert("userId".into(), s(&user.user_id));
    Transaction::new()
        .put(email, Some(Expression::absent().labelled(EMAIL_TAKEN)))
        .create(user.to_item()?)
        .create(to_item(password)?)
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| {
            if e.refused(EMAIL_TAKEN) {
                RegisterError::EmailTaken
            } else {
                e.into()
            }
        })
}

pub async fn find_by_email(table: &Table, email: &str) -> Result<Option<User>, StoreError> {
    match email_holder(table, email).await? {
        Some(user_id) => find(table, &user_id).await,
        None => Ok(None),
    }
}

/// The id of the account that holds `email`, from the email's link alone (one read).
pub async fn email_holder(table: &Table, email: &str) -> Result<Option<String>, StoreError> {
    Ok(table
        .get(&User::email_pk(email), keys::EMAIL_SK)
        .await?
        .and_then(|link| link.get("userId").and_then(|v| v.as_s().ok()).cloned()))
}

pub async fn find(table: &Table, user_id: &str) -> Result<Option<User>, StoreError> {
    table.get_as::<User>(&User::pk(user_id), User::SK).await
}

/// The user's password: from the credentials partition, or the hash an account made before
/// decision 51 still keeps in its profile (`legacy` then, moved by the next login or reset).
pub async fn password_of(table: &Table, user: &User) -> Result<Option<StoredPassword>, StoreError> {
    let stored = table
        .get_as::<Password>(&keys::credential(&user.user_id), keys::PASSWORD_SK)
        .await?;
    Ok(match (stored, &user.legacy_password_hash) {
        (Some(password), _) => Some(StoredPassword {
            password,
            legacy: false,
        }),
        (None, Some(hash)) => Some(StoredPassword {
            password: Password::new(&user.user_id, hash.clone(), None),
            legacy: true,
        }),
        (None, None) => None,
    })
}

/// A password as read, and whether it still has to move out of the profile.
#[derive(Debug, Clone)]
pub struct StoredPassword {
    pub password: Password,
    pub legacy: bool,
}

impl StoredPassword {
    /// The writes that move a legacy hash into the credentials partition, added to
    /// `transaction` (nothing for a password moved already).
    fn moved(&self, user_id: &str, transaction: Transaction) -> Result<Transaction, StoreError> {
        if !self.legacy {
            return Ok(transaction);
        }
        Ok(transaction
            .put(
                to_item(&self.password)?,
                Some(Expression::absent().labelled(PASSWORD_MOVED)),
            )
            .update(
                Table::key(User::pk(user_id), User::SK),
                Expression::new("REMOVE passwordHash, passwordChangedAt"),
                None,
            ))
    }
}

/// Another request moved the legacy hash first.
const PASSWORD_MOVED: Label = Label::new("password moved already");

/// A successful login: starts a token family with its first refresh token (and moves a
/// legacy password hash into the credentials partition).
pub async fn start_session(
    table: &Table,
    user: &User,
    password: &StoredPassword,
    family: &FamilyRecord,
    refresh: &RefreshRecord,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let transaction = if password.legacy {
        password.moved(&user.user_id, Transaction::new())?
    } else {
        Transaction::new().check(
            Table::key(User::pk(&user.user_id), User::SK),
            Expression::new("attribute_exists(pk)").labelled(USER_GONE),
        )
    };
    transaction
        .create(to_item(family)?)
        .create(to_item(refresh)?)
        .event(event)?
        .commit(table)
        .await
}

pub async fn load_refresh(table: &Table, hash: &str) -> Result<Option<RefreshRecord>, StoreError> {
    table
        .get_as(&RefreshRecord::pk(hash), RefreshRecord::SK)
        .await
}

pub async fn load_family(
    table: &Table,
    user_id: &str,
    family_id: &str,
) -> Result<Option<FamilyRecord>, StoreError> {
    table
        .get_as(&keys::credential(user_id), &FamilyRecord::sk(family_id))
        .await
}

/// The refresh token was exchanged (or revoked) already.
pub const TOKEN_USED: Label = Label::new("refresh token used");

/// The user logged out (or a theft was detected) after the family began.
pub const FAMILY_REVOKED: Label = Label::new("family revoked by a later logout");

/// Exchanges `old` for `new`: refused with [`TOKEN_USED`] when `old` was used already, and
/// with [`FAMILY_REVOKED`] when a logout committed after the family began, even one that
/// raced this exchange (the bound is checked in the same transaction).
pub async fn rotate(
    table: &Table,
    old: &RefreshRecord,
    new: &RefreshRecord,
) -> Result<(), StoreError> {
    let used = Expression::new("SET #status = :rotated")
        .name("#status", "status")
        .value(":rotated", s("rotated"));
    let active = Expression::new("#status = :active")
        .value(":active", s("active"))
        .labelled(TOKEN_USED);
    let not_revoked = Expression::new("attribute_not_exists(pk) OR revokedBefore <= :started")
        .value(":started", n(old.family_started))
        .labelled(FAMILY_REVOKED);
    Transaction::new()
        .update(Table::key(&old.pk, &old.sk), used, Some(active))
        .check(
            Table::key(keys::credential(&old.user_id), keys::REVOCATION_SK),
            not_revoked,
        )
        .create(to_item(new)?)
        .commit(table)
        .await
}

pub async fn revoke_family(
    table: &Table,
    user_id: &str,
    family_id: &str,
) -> Result<(), StoreError> {
    table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(
            keys::credential(user_id),
            FamilyRecord::sk(family_id),
        )))
        .update_expression("SET #status = :revoked")
        .condition_expression("attribute_exists(pk)")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":revoked", AttributeValue::S("revoked".into()))
        .send()
        .await
        .map_err(StoreError::from_sdk)?;
    Ok(())
}

/// The user's token families, to end them all.
pub async fn families(table: &Table, user_id: &str) -> Result<Vec<FamilyRecord>, StoreError> {
    table
        .query_all(table.query_prefix(&keys::credential(user_id), keys::FAMILY))
        .await?
        .into_iter()
        .map(from_item)
        .collect()
}

/// A later revocation bound is stored already.
const REVOKED_LATER: Label = Label::new("revoked later already");

/// The put that revokes every token of the user issued before `before` (epoch ms): never
/// moving the bound backwards (two logouts racing), else refused with [`REVOKED_LATER`].
fn revocation_bound(user_id: &str, before: i64) -> (Item, Condition) {
    let mut item = Table::key(keys::credential(user_id), keys::REVOCATION_SK);
    item.insert("revokedBefore".into(), n(before));
    let later = Expression::new("attribute_not_exists(pk) OR revokedBefore < :before")
        .value(":before", n(before))
        .labelled(REVOKED_LATER);
    (item, later)
}

/// Revokes every token of the user issued before `before` (epoch ms), with its event.
pub async fn revoke_all(
    table: &Table,
    user_id: &str,
    before: i64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (item, later) = revocation_bound(user_id, before);
    Transaction::new()
        .put(item, Some(later))
        .event(event)?
        .commit(table)
        .await
}

/// The account holds another email than the one read (it cannot change; a guard).
const EMAIL_MOVED: Label = Label::new("email link changed");

/// Deletes the account (decision 50): the profile, the password and the email's link go, so nobody signs
/// in as it again and the address can register anew, and every token of the user issued
/// before `revoked_before` is revoked. The bound stays only until `bound_expires_at` (epoch
/// seconds; the table's TTL), when the last of those access tokens would have expired;
/// UserDeleted's consumers remove the rest.
pub async fn delete_account(
    table: &Table,
    user: &User,
    revoked_before: i64,
    bound_expires_at: i64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let (mut bound, later) = revocation_bound(&user.user_id, revoked_before);
    bound.insert("expiresAt".into(), n(bound_expires_at));
    let link_is_mine = Expression::new("userId = :me")
        .value(":me", s(&user.user_id))
        .labelled(EMAIL_MOVED);
    Transaction::new()
        .delete(
            Table::key(User::pk(&user.user_id), User::SK),
            Some(Expression::new("attribute_exists(pk)").labelled(USER_GONE)),
        )
        .delete(
            Table::key(User::email_pk(&user.email), keys::EMAIL_SK),
            Some(link_is_mine),
        )
        .delete(
            Table::key(keys::credential(&user.user_id), keys::PASSWORD_SK),
            None,
        )
        .put(bound, Some(later))
        .event(event)?
        .commit(table)
        .await
}

/// When the user's tokens were last revoked (epoch ms), if ever.
pub async fn revoked_before(table: &Table, user_id: &str) -> Result<Option<i64>, StoreError> {
    Ok(table
        .get(&keys::credential(user_id), keys::REVOCATION_SK)
        .await?
        .and_then(|item| {
            item.get("revokedBefore")
                .and_then(|v| v.as_n().ok())
                .and_then(|v| v.parse().ok())
        }))
}

/// The account was sent an email less than a minute ago.
pub const MAILED_RECENTLY: Label = Label::new("mailed less than a minute ago");

/// How often an account can be sent an email that a request asked for.
pub const MAIL_INTERVAL_MS: i64 = 60_000;

/// Publishes `event`, which makes the mailer write to the account, unless it was written to
/// less than a minute ago: `Ok(false)` then, and nothing is written.
pub async fn mail_once_a_minute(
    table: &Table,
    user_id: &str,
    now_ms: i64,
    event: &EventEnvelope,
) -> Result<bool, StoreError> {
    let stamp = Expression::new("SET mailedAt = :now").value(":now", n(now_ms));
    let due = Expression::new(
        "attribute_exists(pk) AND (attribute_not_exists(mailedAt) OR mailedAt < :due)",
    )
    .value(":due", n(now_ms - MAIL_INTERVAL_MS))
    .labelled(MAILED_RECENTLY);
    let sent = Transaction::new()
        .update(Table::key(User::pk(user_id), User::SK), stamp, Some(due))
        .event(event)?
        .commit(table)
        .await;
    match sent {
        Ok(()) => Ok(true),
        Err(e) if e.refused(MAILED_RECENTLY) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The deployment's first administrator was granted already.
pub const FIRST_ADMIN_TAKEN: Label = Label::new("first administrator granted already");

/// Marks the account's email verified and spends the token, with EmailVerified. With
/// `first_admin` (the account is the deployment's FirstAdminEmail: its roles and their
/// RolesChanged), it also becomes an administrator, once per deployment
/// ([`FIRST_ADMIN_TAKEN`] otherwise).
pub async fn verify_email(
    table: &Table,
    token: &MailToken,
    event: &EventEnvelope,
    first_admin: Option<(&[String], &EventEnvelope)>,
) -> Result<(), StoreError> {
    let (spent, unspent) = token.spend();
    let mut transaction = Transaction::new().delete(spent, Some(unspent));
    let mut verified =
        Expression::new("SET emailVerified = :yes").value(":yes", AttributeValue::Bool(true));
    if let Some((roles, granted)) = first_admin {
        let mut marker = Table::key(keys::FIRST_ADMIN_PK, keys::FIRST_ADMIN_SK);
        marker.insert("userId".into(), s(&token.user_id));
        transaction = transaction
            .put(
                marker,
                Some(Expression::absent().labelled(FIRST_ADMIN_TAKEN)),
            )
            .event(granted)?;
        verified = Expression::new("SET emailVerified = :yes, #roles = :roles")
            .value(":yes", AttributeValue::Bool(true))
            .name("#roles", "roles")
            .value(":roles", role_list(roles));
    }
    transaction
        .update(
            Table::key(User::pk(&token.user_id), User::SK),
            verified,
            Some(Expression::new("attribute_exists(pk)").labelled(USER_GONE)),
        )
        .event(event)?
        .commit(table)
        .await
}

fn role_list(roles: &[String]) -> AttributeValue {
    AttributeValue::L(roles.iter().map(|r| s(r.as_str())).collect())
}

/// The user's roles changed meanwhile.
pub const ROLES_CHANGED: Label = Label::new("roles changed meanwhile");

/// Sets the user's roles (if they are still `previous`) and revokes their tokens issued
/// before `revoked_before`, with RolesChanged.
pub async fn set_roles(
    table: &Table,
    user_id: &str,
    previous: &[String],
    roles: &[String],
    revoked_before: i64,
    event: &EventEnvelope,
) -> Result<(), StoreError> {
    let set = Expression::new("SET #roles = :roles")
        .name("#roles", "roles")
        .value(":roles", role_list(roles));
    let unchanged = if previous.is_empty() {
        Expression::new(
            "attribute_exists(pk) AND (attribute_not_exists(#roles) OR size(#roles) = :none)",
        )
        .value(":none", n(0))
    } else {
        Expression::new("attribute_exists(pk) AND #roles = :previous")
            .value(":previous", role_list(previous))
    }
    .name("#roles", "roles")
    .labelled(ROLES_CHANGED);
    let (bound, later) = revocation_bound(user_id, revoked_before);
    Transaction::new()
        .update(
            Table::key(User::pk(user_id), User::SK),
            set,
            Some(unchanged),
        )
        .put(bound, Some(later))
        .event(event)?
        .commit(table)
        .await
}

/// The password changed after the reset token was minted.
pub const TOKEN_SUPERSEDED: Label = Label::new("password changed since the token was minted");

/// Sets a new password with a reset token: spends the token, stores the hash and revokes
/// every token of the user issued before `revoked_before` (which also ends every refresh
/// family: a refresh checks the bound), with the events, in one transaction.
pub async fn reset_password(
    table: &Table,
    token: &MailToken,
    password_hash: &str,
    revoked_before: i64,
    events: &[EventEnvelope],
) -> Result<(), StoreError> {
    let (spent, unspent) = token.spend();
    let password = Password::new(
        &token.user_id,
        password_hash.to_owned(),
        Some(revoked_before),
    );
    let not_superseded = Expression::new("attribute_not_exists(changedAt) OR changedAt < :issued")
        .value(":issued", n(token.issued_at))
        .labelled(TOKEN_SUPERSEDED);
    // The account must still exist; a hash it kept from before decision 51 goes.
    let legacy_gone = Expression::new("REMOVE passwordHash, passwordChangedAt");
    let (bound, later) = revocation_bound(&token.user_id, revoked_before);
    let mut transaction = Transaction::new()
        .delete(spent, Some(unspent))
        .put(to_item(&password)?, Some(not_superseded))
        .update(
            Table::key(User::pk(&token.user_id), User::SK),
            legacy_gone,
            Some(Expression::new("attribute_exists(pk)").labelled(USER_GONE)),
        )
        .put(bound, Some(later));
    for event in events {
        transaction = transaction.event(event)?;
    }
    transaction.commit(table).await
}
