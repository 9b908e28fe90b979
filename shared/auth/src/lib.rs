//! Bearer tokens: HS256 JWTs with issuer, audience, expiry and the caller's roles. Only HS256
//! is accepted, so `alg: none` and algorithm-confusion tokens fail verification.

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

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
/// Secrets shorter than this are refused at start-up.
pub const MIN_SECRET_BYTES: usize = 32;

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
    #[error("the signing secret must be at least {MIN_SECRET_BYTES} bytes")]
    WeakSecret,
}

/// Issues and verifies tokens with one secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(TokenError::WeakSecret);
        }
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    pub fn issue(
        &self,
        user_id: &str,
        roles: &[String],
        lifetime: Duration,
    ) -> Result<String, TokenError> {
        let now = Utc::now();
        let claims = Claims {
            sub: user_id.to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: (now + lifetime).timestamp(),
            iat_ms: now.timestamp_millis(),
            roles: roles.to_vec(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Invalid)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|error| match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
            .and_then(|claims| {
                if claims.sub.is_empty() {
                    Err(TokenError::Invalid)
                } else {
                    Ok(claims)
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> TokenKeys {
        TokenKeys::new(SECRET).unwrap()
    }

    #[test]
    fn an_issued_token_verifies_to_its_claims() {
        let token = keys()
            .issue("alice", &["admin".into()], Duration::minutes(5))
            .unwrap();
        let claims = keys().verify(&token).unwrap();
        assert_eq!(claims.sub, "alice");
        assert_eq!(claims.roles, vec!["admin".to_owned()]);
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_fail() {
        let expired = keys().issue("alice", &[], Duration::minutes(-5)).unwrap();
        assert_eq!(keys().verify(&expired), Err(TokenError::Expired));

        let token = keys().issue("alice", &[], Duration::minutes(5)).unwrap();
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"mallory","iss":"fountainai","aud":"fountainai-api","iat":0,"exp":9999999999}"#);
        assert_eq!(keys().verify(&parts.join(".")), Err(TokenError::Invalid));

        let other = TokenKeys::new(b"another-secret-another-secret-xx").unwrap();
        assert_eq!(
            keys().verify(&other.issue("alice", &[], Duration::minutes(5)).unwrap()),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","iss":"fountainai","aud":"fountainai-api","iat":0,"exp":9999999999}"#);
        assert_eq!(
            keys().verify(&format!("{header}.{body}.")),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(matches!(
            TokenKeys::new(b"short"),
            Err(TokenError::WeakSecret)
        ));
    }
}
