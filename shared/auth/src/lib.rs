//! Bearer tokens: EdDSA (Ed25519) JWTs with issuer, audience, expiry, the caller's roles and
//! the id of the key that signed them. Only EdDSA with a known key id is accepted, so
//! `alg: none`, HMAC and algorithm-confusion tokens fail verification. Keys and their
//! rotation: [`keys`].

use serde::{Deserialize, Serialize};

pub mod keys;

pub use keys::{SigningKey, SigningKeySet, TokenSigner, TokenVerifier};

/// The keys of the authorizer's context, which the HTTP handlers read the caller from.
pub mod context {
    pub const USER_ID_KEY: &str = "userId";
    pub const ROLES_KEY: &str = "roles";
    /// Set instead of the user id when the token was refused, with the reason.
    pub const DENIED_KEY: &str = "denied";
    /// Set when the authorizer could not decide (its store was unreachable): answer 503.
    pub const UNAVAILABLE_KEY: &str = "unavailable";
    /// Set when the caller used up their requests of this minute: seconds until the next.
    pub const RETRY_AFTER_KEY: &str = "retryAfter";
}

pub const ISSUER: &str = "fountainai";
pub const AUDIENCE: &str = "fountainai-api";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// Issue time in milliseconds: revocation compares it with the moment of logout.
    #[serde(default, rename = "iatMs")]
    pub iat_ms: i64,
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is invalid")]
    Invalid,
    #[error("no signing key is active yet: run rotate_signing_keys once")]
    NoKey,
    #[error("a key of the set cannot be read")]
    BadKey,
    #[error("the local development key is refused in AWS: rotate the deployment's keys")]
    LocalKeyInAws,
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::{Duration, Utc};

    fn set() -> SigningKeySet {
        SigningKeySet::local_development()
    }

    fn verifier(set: &SigningKeySet) -> TokenVerifier {
        TokenVerifier::new(&set.public().unwrap()).unwrap()
    }

    fn issue(set: &SigningKeySet, user: &str, minutes: i64) -> String {
        set.signer(Utc::now())
            .unwrap()
            .issue(user, &["admin".into()], Duration::minutes(minutes))
            .unwrap()
    }

    #[test]
    fn an_issued_token_verifies_to_its_claims() {
        let token = issue(&set(), "alice", 5);
        let claims = verifier(&set()).verify(&token).unwrap();
        assert_eq!(claims.sub, "alice");
        assert_eq!(claims.roles, vec!["admin".to_owned()]);
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.kid.as_deref(), Some(keys::LOCAL_KEY_ID));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_fail() {
        let expired = issue(&set(), "alice", -5);
        assert_eq!(verifier(&set()).verify(&expired), Err(TokenError::Expired));

        let token = issue(&set(), "alice", 5);
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"mallory","iss":"fountainai","aud":"fountainai-api","iat":0,"exp":9999999999}"#);
        assert_eq!(
            verifier(&set()).verify(&parts.join(".")),
            Err(TokenError::Invalid)
        );

        // Signed by a key the verifier does not know.
        let mut other = SigningKeySet::default();
        other.rotate(Utc::now(), keys::ACTIVATION_DELAY).unwrap();
        let foreign = issue(&other, "alice", 5);
        assert_eq!(verifier(&set()).verify(&foreign), Err(TokenError::Invalid));
    }

    #[test]
    fn unsigned_and_hmac_tokens_are_refused() {
        let header =
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"local-development"}"#);
        let body = URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","iss":"fountainai","aud":"fountainai-api","iat":0,"exp":9999999999}"#);
        assert_eq!(
            verifier(&set()).verify(&format!("{header}.{body}.")),
            Err(TokenError::Invalid)
        );
        // HS256 keyed with the public key's bytes: the classic algorithm confusion.
        let public = set().public().unwrap();
        let jsonwebtoken::jwk::AlgorithmParameters::OctetKeyPair(params) =
            &public.keys[0].algorithm
        else {
            panic!("an Ed25519 key");
        };
        let mut hs = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        hs.kid = Some(keys::LOCAL_KEY_ID.into());
        let claims = Claims {
            sub: "mallory".into(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: 0,
            exp: 9_999_999_999,
            iat_ms: 0,
            roles: vec!["admin".into()],
        };
        let forged = jsonwebtoken::encode(
            &hs,
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(params.x.as_bytes()),
        )
        .unwrap();
        assert_eq!(verifier(&set()).verify(&forged), Err(TokenError::Invalid));
    }

    #[test]
    fn a_rotation_publishes_the_new_key_before_it_signs_and_keeps_the_old_one_verifiable() {
        let start = Utc::now();
        let mut keys = SigningKeySet::default();
        assert_eq!(keys.signer(start).unwrap_err(), TokenError::NoKey);
        let first = keys
            .rotate(start, keys::ACTIVATION_DELAY)
            .unwrap()
            .kid
            .clone();
        assert_eq!(
            keys.signer(start).unwrap().kid(),
            first,
            "the first key signs at once"
        );

        let later = start + Duration::days(30);
        let second = keys
            .rotate(later, keys::ACTIVATION_DELAY)
            .unwrap()
            .kid
            .clone();
        assert_ne!(first, second);
        // Published at once, signing only after the delay.
        assert_eq!(verifier(&keys).kids().len(), 2);
        assert_eq!(keys.signer(later).unwrap().kid(), first);
        let switched = later + keys::ACTIVATION_DELAY;
        assert_eq!(keys.signer(switched).unwrap().kid(), second);
        let old_token = keys
            .signer(later)
            .unwrap()
            .issue("alice", &[], Duration::minutes(15))
            .unwrap();
        assert_eq!(verifier(&keys).verify(&old_token).unwrap().sub, "alice");

        // The next rotation, long after, drops the first key.
        let much_later = switched + keys::RETENTION + Duration::minutes(1);
        let third = keys
            .rotate(much_later, keys::ACTIVATION_DELAY)
            .unwrap()
            .kid
            .clone();
        let kids: Vec<String> = keys.keys.iter().map(|k| k.kid.clone()).collect();
        assert_eq!(kids, [second, third]);
    }

    #[test]
    fn the_local_development_key_is_refused_in_aws() {
        assert_eq!(set().check(false), Ok(()));
        assert_eq!(set().check(true), Err(TokenError::LocalKeyInAws));
        let mut deployed = SigningKeySet::default();
        deployed.rotate(Utc::now(), keys::ACTIVATION_DELAY).unwrap();
        assert_eq!(deployed.check(true), Ok(()));
    }
}
