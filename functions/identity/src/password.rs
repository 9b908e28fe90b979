//! Passwords: the policy, and argon2id hashing with OWASP's parameters (19 MiB, 2 passes,
//! 1 lane: the `argon2` crate's defaults). Only the PHC string is ever stored.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;
const MIN_DISTINCT: usize = 5;

/// Why a password is refused, said to the user as is.
/// The policy's lengths in the API document; the rest (distinct characters, not the email
/// address) no schema can say.
pub fn schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(MIN_CHARS))
        .max_length(Some(MAX_CHARS))
        .description(Some(
            "12 to 128 characters, at least 5 different ones, not the email address.",
        ))
        .build()
}

pub fn policy_violation(password: &str, email: &str) -> Option<String> {
    let length = password.chars().count();
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if length < MIN_CHARS {
        Some(format!("must be at least {MIN_CHARS} characters"))
    } else if length > MAX_CHARS {
        Some(format!("must be at most {MAX_CHARS} characters"))
    } else if distinct.len() < MIN_DISTINCT {
        Some(format!(
            "must use at least {MIN_DISTINCT} different characters"
        ))
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        Some("must not be the email address".to_owned())
    } else {
        None
    }
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// True when `password` matches the stored PHC string; false for a malformed one too.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a password nobody has: verifying against it costs what a real check
/// costs, so an unknown email takes as long as a wrong password.
pub fn decoy() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5pFU0NUNBnVHmo+Q0WgkZzKlNKXaeKzs4Dcv04GQ2Xk"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("anything", "not a hash"));
        assert!(
            PasswordHash::new(decoy()).is_ok(),
            "the decoy costs a real verification"
        );
        assert!(!verify("anything", decoy()));
    }

    #[test]
    fn the_policy_names_what_is_wrong() {
        assert!(
            policy_violation("short", "a@b.c")
                .unwrap()
                .contains("at least 12")
        );
        assert!(
            policy_violation(&"ab".repeat(70), "a@b.c")
                .unwrap()
                .contains("at most 128")
        );
        assert!(
            policy_violation("aaaaaaaaaaaabbbb", "a@b.c")
                .unwrap()
                .contains("different")
        );
        assert!(
            policy_violation("writer@example.org", "Writer@Example.org")
                .unwrap()
                .contains("email")
        );
        assert_eq!(
            policy_violation("a long and fine passphrase", "a@b.c"),
            None
        );
    }
}
