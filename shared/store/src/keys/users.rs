//! Accounts and what hangs off them: the user partition (`USER#<userId>`: the profile, token
//! families, the revocation bound), the email and refresh token lookups, and the rate
//! counters. Sessions, notifications and generation jobs live in the user partition too
//! (their own modules).

/// The partition of a user.
pub const USER: &str = "USER#";
/// The account's sort key in its partition.
pub const PROFILE_SK: &str = "PROFILE";
/// The sort key of the item that says when the user's tokens were last revoked.
pub const REVOCATION_SK: &str = "REVOCATION";
/// The user's counters that caps are checked against (`ownedScripts`).
pub const COUNTS_SK: &str = "COUNTS";
/// A refresh token family (`FAMILY#<familyId>`).
pub const FAMILY: &str = "FAMILY#";
/// The partition of an email's link to its account (`EMAIL#<email>`).
pub const EMAIL: &str = "EMAIL#";
/// The sort key of an email link.
pub const EMAIL_SK: &str = "EMAIL";
/// The partition of a refresh token (`REFRESH#<hash>`).
pub const REFRESH: &str = "REFRESH#";
/// The sort key of a refresh token.
pub const REFRESH_SK: &str = "REFRESH";
/// The item that records the deployment's first administrator (`ADMIN` / `FIRST`): written
/// once, so the FirstAdminEmail parameter grants admin once.
pub const FIRST_ADMIN_PK: &str = "ADMIN";
pub const FIRST_ADMIN_SK: &str = "FIRST";
/// The partition of a single-use token sent by email (`MAILTOKEN#<purpose>#<hash>`).
pub const MAIL_TOKEN: &str = "MAILTOKEN#";
/// The sort key of a token sent by email.
pub const MAIL_TOKEN_SK: &str = "MAILTOKEN";
/// The partition of a user's rate counters (`RATE#<userId>`), one item per minute.
pub const RATE: &str = "RATE#";
/// Sign-in attempts of one email from one client (`LOGIN#pair#<hash>`) or of one client
/// (`LOGIN#client#<hash>`); the sort key is [`LOGIN_SK`].
pub const LOGIN: &str = "LOGIN#";
pub const LOGIN_SK: &str = "ATTEMPTS";

/// `scope`: `pair` or `client`; `hash`: the SHA-256 of what the scope counts by.
pub fn login_attempts(scope: &str, hash: &str) -> String {
    format!("{LOGIN}{scope}#{hash}")
}

pub fn user(user_id: &str) -> String {
    format!("{USER}{user_id}")
}

/// The user id of a user's partition key (`None` for any other partition).
pub fn user_of(pk: &str) -> Option<&str> {
    pk.strip_prefix(USER)
}

pub fn family(family_id: &str) -> String {
    format!("{FAMILY}{family_id}")
}

/// `folded_email`: the address as emails compare (the identity context folds it).
pub fn email(folded_email: &str) -> String {
    format!("{EMAIL}{folded_email}")
}

pub fn refresh(token_hash: &str) -> String {
    format!("{REFRESH}{token_hash}")
}

/// `purpose`: what the token may do (`verify`, `reset`); `token_hash`: its SHA-256.
pub fn mail_token(purpose: &str, token_hash: &str) -> String {
    format!("{MAIL_TOKEN}{purpose}#{token_hash}")
}

pub fn rate(user_id: &str) -> String {
    format!("{RATE}{user_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_identity_key_has_its_format() {
        assert_eq!(user("alice"), "USER#alice");
        assert_eq!(login_attempts("pair", "ab"), "LOGIN#pair#ab");
        assert_eq!(LOGIN_SK, "ATTEMPTS");
        assert_eq!(PROFILE_SK, "PROFILE");
        assert_eq!(REVOCATION_SK, "REVOCATION");
        assert_eq!(family("01F"), "FAMILY#01F");
        assert_eq!(email("writer@example.org"), "EMAIL#writer@example.org");
        assert_eq!(EMAIL_SK, "EMAIL");
        assert_eq!(refresh("ab12"), "REFRESH#ab12");
        assert_eq!(REFRESH_SK, "REFRESH");
        assert_eq!(rate("alice"), "RATE#alice");
        assert_eq!(mail_token("reset", "ab12"), "MAILTOKEN#reset#ab12");
        assert_eq!(MAIL_TOKEN_SK, "MAILTOKEN");
    }
}
