use chrono::{DateTime, Utc};
use fountain_http::text_schema::non_blank;
use fountain_http::{ApiError, Checks, FieldError, MAX_EMAIL_CHARS};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys, to_item};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::password;

/// Emails compare without regard to case or surrounding blanks.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A user's account, as stored (`USER#<id>` / `PROFILE`). Its password is not here but in
/// the credentials partition ([`Password`]), which only identity functions may read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub user_id: String,
    pub email: String,
    /// The hash of an account made before decision 51, until its next login or reset moves it
    /// to the credentials partition.
    #[serde(
        default,
        rename = "passwordHash",
        skip_serializing_if = "Option::is_none"
    )]
    pub legacy_password_hash: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// A verification token sent to `email` came back (decision 47).
    #[serde(default)]
    pub email_verified: bool,
    /// When the account was last sent an email it asked for, or that someone asked for on
    /// its behalf (epoch ms): at most one a minute (invitations aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailed_at: Option<i64>,
}

impl User {
    pub fn pk(user_id: &str) -> String {
        keys::user(user_id)
    }

    pub const SK: &'static str = keys::PROFILE_SK;

    pub fn email_pk(email: &str) -> String {
        keys::email(&email_key(email))
    }
}

impl ItemCodec for User {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &User::pk(&self.user_id)),
                ("sk", User::SK),
                ("entity", "user"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// A user's password (`CREDENTIAL#<id>` / `PASSWORD`). The hash never leaves the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Password {
    pub pk: String,
    pub sk: String,
    pub hash: String,
    /// When the password was last set by a reset (epoch ms): older reset tokens are void.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<i64>,
}

impl Password {
    pub fn new(user_id: &str, hash: String, changed_at: Option<i64>) -> Self {
        Self {
            pk: keys::credential(user_id),
            sk: keys::PASSWORD_SK.to_owned(),
            hash,
            changed_at,
        }
    }
}

/// A refresh token, stored under the SHA-256 of its value (`REFRESH#<hash>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRecord {
    pub pk: String,
    pub sk: String,
    pub user_id: String,
    /// The login this token descends from; reuse of a rotated token revokes the family.
    pub family_id: String,
    /// `active`, or `rotated` once exchanged.
    pub status: String,
    /// When the family began (epoch milliseconds): a logout after it revokes the family.
    pub family_started: i64,
    pub expires_at: i64,
    /// `TOKENS#<userId>` and the token's key: the sparse index deleting the account reads
    /// (tokens minted before it have none and expire by themselves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
}

impl RefreshRecord {
    pub fn pk(token_hash: &str) -> String {
        keys::refresh(token_hash)
    }

    pub const SK: &'static str = keys::REFRESH_SK;
}

/// A refresh token family (`CREDENTIAL#<id>` / `FAMILY#<familyId>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FamilyRecord {
    pub pk: String,
    pub sk: String,
    pub family_id: String,
    /// `active` or `revoked`.
    pub status: String,
    pub started: i64,
    pub expires_at: i64,
}

impl FamilyRecord {
    pub fn sk(family_id: &str) -> String {
        keys::family(family_id)
    }
}

/// `POST /auth/register`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Register {
    #[schema(schema_with = plausible_email)]
    pub email: String,
    /// 12 to 128 characters, at least 5 different ones, not the email address.
    #[schema(schema_with = password::schema)]
    pub password: String,
}

impl Register {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        let email = self.email.trim();
        let plausible = email.chars().count() <= MAX_EMAIL_CHARS
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            });
        if !plausible {
            errors.push(FieldError::new("email", "must be an email address"));
        }
        if let Some(problem) = password::policy_violation(&self.password, &self.email) {
            errors.push(FieldError::new("password", problem));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// What [`Register::validate`] takes for an email address: something before the first `@`,
/// a dot after it but not right after it, no white space (surrounding white space is
/// trimmed before the check, and the document leaves it out).
pub const PLAUSIBLE_EMAIL_PATTERN: &str = r"^[^@\s]+@[^.\s]\S*\.\S*$";

fn plausible_email() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .max_length(Some(MAX_EMAIL_CHARS))
        .pattern(Some(PLAUSIBLE_EMAIL_PATTERN))
        .build()
}

/// `POST /auth/login`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Login {
    #[schema(schema_with = non_blank::<MAX_EMAIL_CHARS>)]
    pub email: String,
    #[schema(schema_with = non_blank::<{ password::MAX_CHARS }>)]
    pub password: String,
}

impl Login {
    pub fn validate(&self) -> Result<(), ApiError> {
        Checks::new()
            .required("email", &self.email, MAX_EMAIL_CHARS)
            .required("password", &self.password, password::MAX_CHARS)
            .finish()
    }
}

/// `DELETE /me`: the password again, so a token alone (a borrowed laptop) cannot delete
/// the account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteAccount {
    #[schema(schema_with = non_blank::<{ password::MAX_CHARS }>)]
    pub password: String,
}

/// The answer to `DELETE /me`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountDeleted {
    pub user_id: String,
    #[schema(
        example = "the account is deleted; its scripts, memberships, sessions, jobs, notifications and files are being removed"
    )]
    pub detail: &'static str,
}

impl AccountDeleted {
    pub const DETAIL: &'static str = "the account is deleted; its scripts, memberships, sessions, jobs, notifications and files are being removed";
}

/// `POST /auth/refresh`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Refresh {
    pub refresh_token: String,
}

/// What a login or a refresh returns.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds the access token is valid.
    pub expires_in: i64,
    /// Single use: exchange it at `POST /auth/refresh` for a new pair.
    pub refresh_token: String,
    pub refresh_expires_in: i64,
}

/// The answer to a registration: the same whether or not the address had an account
/// already (what follows is said by email).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationAccepted {
    /// Always `check your email`.
    pub status: &'static str,
    pub detail: &'static str,
}

impl RegistrationAccepted {
    pub const ANSWER: RegistrationAccepted = RegistrationAccepted {
        status: "check your email",
        detail: "if the address can be registered, a message to verify it is on its way; \
                 sign in once you have your password",
    };
}

/// `POST /auth/verify-email`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyEmail {
    /// The token of the verification email.
    #[schema(schema_with = non_blank::<{ MAX_TOKEN_CHARS }>)]
    pub token: String,
}

/// `POST /auth/forgot-password`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ForgotPassword {
    #[schema(schema_with = non_blank::<MAX_EMAIL_CHARS>)]
    pub email: String,
}

/// `POST /auth/reset-password`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResetPassword {
    /// The token of the password reset email.
    #[schema(schema_with = non_blank::<{ MAX_TOKEN_CHARS }>)]
    pub token: String,
    /// 12 to 128 characters, at least 5 different ones, not the email address.
    #[schema(schema_with = password::schema)]
    pub password: String,
}

/// The roles an account can hold.
pub const KNOWN_ROLES: &[&str] = &["admin"];

/// `PUT /admin/users/{userId}/roles`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetRoles {
    /// The whole set of roles the user holds afterwards (`admin`, or none).
    #[schema(schema_with = role_list)]
    pub roles: Vec<String>,
    pub comment: Option<String>,
}

fn role_list() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .enum_values(Some(KNOWN_ROLES.iter().copied())),
        )
        .max_items(Some(KNOWN_ROLES.len()))
        .unique_items(true)
        .build()
}

impl SetRoles {
    /// The roles, each known and once, sorted.
    pub fn validate(&self) -> Result<Vec<String>, ApiError> {
        Checks::new().comment(self.comment.as_deref()).finish()?;
        let mut roles = self.roles.clone();
        if let Some(unknown) = roles.iter().find(|r| !KNOWN_ROLES.contains(&r.as_str())) {
            return Err(ApiError::field(
                "roles",
                format!(
                    "'{unknown}' is not a role; the roles are {}",
                    KNOWN_ROLES.join(", ")
                ),
            ));
        }
        roles.sort();
        roles.dedup();
        Ok(roles)
    }
}

/// A user's roles, as `PUT /admin/users/{userId}/roles` answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRoles {
    pub user_id: String,
    pub roles: Vec<String>,
}

/// Tokens are 43 characters; a longer one is not ours.
pub const MAX_TOKEN_CHARS: usize = 128;

/// The answer to an accepted request whose outcome goes by email.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MailAccepted {
    pub detail: &'static str,
}

/// `GET /me`: the caller. `email` is absent for principals without an account (local
/// development tokens).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub created_at: Option<DateTime<Utc>>,
    /// Whether the account's email address is verified (false without an account).
    pub email_verified: bool,
}

impl ItemCodec for Password {
    fn to_item(&self) -> Result<Item, StoreError> {
        to_item(self)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

impl ItemCodec for RefreshRecord {
    fn to_item(&self) -> Result<Item, StoreError> {
        to_item(self)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

impl ItemCodec for FamilyRecord {
    fn to_item(&self) -> Result<Item, StoreError> {
        to_item(self)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_names_each_broken_field() {
        let bad = Register {
            email: "not-an-email".into(),
            password: "short".into(),
        };
        match bad.validate() {
            Err(ApiError::Validation(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["email", "password"]);
            }
            other => panic!("{other:?}"),
        }
        let good = Register {
            email: " Writer@Example.org ".into(),
            password: "a long and fine passphrase".into(),
        };
        assert!(good.validate().is_ok());
        assert_eq!(
            User::email_pk(&good.email),
            keys::email("writer@example.org")
        );
    }
}
