//! Identity: accounts (argon2id password hashes), access tokens and rotating refresh tokens,
//! logout that revokes every token at once, and the HTTP API Lambda authorizer, the one
//! place bearer tokens are verified.

pub mod functions;
pub use functions::FUNCTIONS;
pub mod attempts;
pub mod authorizer;
mod deps;
pub mod forget;
pub mod handlers;
pub mod key_store;
pub mod mail_tokens;
mod model;
pub mod password;
mod public_limits;
mod rate_limit;
pub mod rotation;
pub mod sessions;
/// Public for the tests that race a logout against a refresh at the store.
pub mod store;
pub mod tokens;

pub use authorizer::{AuthorizerDeps, authorizer};
pub use deps::IdentityDeps;
pub use model::{
    AccountDeleted, DeleteAccount, ForgotPassword, Login, MailAccepted, Me, Refresh, RefreshRecord,
    Register, RegistrationAccepted, ResetPassword, SetRoles, TokenPair, UserRoles, VerifyEmail,
};

/// The account email of `user_id`, for other contexts (an invitation is for an email).
/// `None` for principals without an account (local development tokens).
pub async fn account_email(
    table: &fountain_store::Table,
    user_id: &str,
) -> Result<Option<String>, fountain_store::StoreError> {
    Ok(store::find(table, user_id).await?.map(|user| user.email))
}

/// The account's email address once verified (decision 47): `None` while unverified, and for
/// principals without an account.
pub async fn verified_email(
    table: &fountain_store::Table,
    user_id: &str,
) -> Result<Option<String>, fountain_store::StoreError> {
    Ok(store::find(table, user_id)
        .await?
        .filter(|user| user.email_verified)
        .map(|user| user.email))
}

pub use model::{MAX_TOKEN_CHARS, email_key};
