//! Accounts and what hangs off them: the user partition (`USER#<userId>`: the profile), the
//! credentials partition (`CREDENTIAL#<userId>`: the password hash, token families, the
//! revocation bound), the email and refresh token lookups, and the rate counters. Sessions,
//! notifications and generation jobs live in the user partition too (their own modules).
//! Identity's secrets are in partitions of their own ([`CREDENTIAL_PREFIXES`]), which only
//! identity functions may touch (decision 51).

/// The partition of a user.
pub const USER: &str = "USER#";
/// The account's sort key in its partition.
pub const PROFILE_SK: &str = "PROFILE";
/// The partition of a user's credentials (`CREDENTIAL#<userId>`): the password hash, token
/// families and the revocation bound.
pub const CREDENTIAL: &str = "CREDENTIAL#";
/// The password hash's sort key in the credentials partition.
pub const PASSWORD_SK: &str = "PASSWORD";
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

pub fn credential(user_id: &str) -> String {
    format!("{CREDENTIAL}{user_id}")
}

/// The partition key prefixes (and whole keys) of identity's secrets: the template denies
/// every other function any access to items and index entries under them (decision 51).
pub const CREDENTIAL_PREFIXES: &[&str] = &[
    CREDENTIAL,
    REFRESH,
    MAIL_TOKEN,
    TOKENS_OF,
    LOGIN,
    EMAIL,
    RATE,
    FIRST_ADMIN_PK,
];

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

/// The sparse `gsi1` partition of the tokens a user holds outside their own partition
/// (refresh tokens, tokens sent by email; `TOKENS#<userId>`), so deleting the account finds
/// every one without a scan.
pub const TOKENS_OF: &str = "TOKENS#";

pub fn tokens_of(user_id: &str) -> String {
    format!("{TOKENS_OF}{user_id}")
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
        assert_eq!(tokens_of("alice"), "TOKENS#alice");
        assert_eq!(credential("alice"), "CREDENTIAL#alice");
        assert_eq!(PASSWORD_SK, "PASSWORD");
    }
}
