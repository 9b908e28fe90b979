//! Secret tokens (refresh tokens, and the tokens sent by email: verification, password reset,
//! invitations): 32 random bytes, given out once and stored only as a SHA-256 hash, so a
//! leaked table does not leak usable tokens.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A new token and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hashed = hash(&token);
    (token, hashed)
}

pub fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_only_their_hash_matches() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash_a);
        assert_eq!(hash_a.len(), 64);
        assert!(!hash_a.contains(&a));
    }
}
