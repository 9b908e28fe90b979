//! Signing keys (decision 49): Ed25519, each with a key id (`kid`) and the moment it starts
//! signing. The private set lives in one secret that only the token issuers read; its public
//! half, a JWK Set (RFC 7517), lives in another that the authorizer reads and
//! `GET /.well-known/jwks.json` serves.
//!
//! Rotation adds a key that starts signing [`ACTIVATION_DELAY`] later, longer than any reader
//! caches a set, so every verifier knows a key before the first token signed with it; the key
//! it replaces stays verifiable for [`RETENTION`] after that, longer than any token it signed
//! lives. So two keys are valid during a rotation, and no token is refused because of one.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm,
    OctetKeyPairParameters, OctetKeyPairType, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{AUDIENCE, Claims, ISSUER, TokenError};

/// The key id of the local development key, which a function refuses in AWS.
pub const LOCAL_KEY_ID: &str = "local-development";

/// How long after rotation a new key starts signing: longer than [`CACHE_TTL`].
pub const ACTIVATION_DELAY: Duration = Duration::minutes(10);

/// How long a replaced key stays verifiable after its successor starts signing: longer than
/// the longest access token lifetime plus [`CACHE_TTL`].
pub const RETENTION: Duration = Duration::hours(2);

/// How long a reader keeps a key set before reading the secret again.
pub const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(300);

/// One signing key, as the private secret stores it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SigningKey {
    pub kid: String,
    /// The Ed25519 key as PKCS#8 DER, base64.
    pub pkcs8: String,
    /// When it starts signing (epoch seconds).
    pub activates_at: i64,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({}, from {})", self.kid, self.activates_at)
    }
}

impl SigningKey {
    fn from_seed(
        kid: &str,
        seed: &[u8; 32],
        activates_at: DateTime<Utc>,
    ) -> Result<Self, TokenError> {
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let der = key.to_pkcs8_der().map_err(|_| TokenError::BadKey)?;
        Ok(Self {
            kid: kid.to_owned(),
            pkcs8: STANDARD.encode(der.as_bytes()),
            activates_at: activates_at.timestamp(),
        })
    }

    /// A new random key, named by when it was made.
    pub fn generate(now: DateTime<Utc>, activates_at: DateTime<Utc>) -> Result<Self, TokenError> {
        let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
        Self::from_seed(
            &format!("k{}", now.format("%Y%m%dT%H%M%S")),
            &key.to_bytes(),
            activates_at,
        )
    }

    /// The key as PKCS#8 DER.
    pub fn der(&self) -> Result<Vec<u8>, TokenError> {
        STANDARD.decode(&self.pkcs8).map_err(|_| TokenError::BadKey)
    }

    /// The public half, as a JWK with this key's id.
    pub fn public(&self) -> Result<Jwk, TokenError> {
        let der = self.der()?;
        let key =
            <ed25519_dalek::SigningKey as ed25519_dalek::pkcs8::DecodePrivateKey>::from_pkcs8_der(
                &der,
            )
            .map_err(|_| TokenError::BadKey)?;
        Ok(Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(KeyAlgorithm::EdDSA),
                key_id: Some(self.kid.clone()),
                ..Default::default()
            },
            algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                key_type: OctetKeyPairType::OctetKeyPair,
                curve: EllipticCurve::Ed25519,
                x: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
            }),
        })
    }
}

/// The private secret's value: every key that signs, will sign, or signed tokens still alive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeySet {
    pub keys: Vec<SigningKey>,
}

impl SigningKeySet {
    /// The local development set: one key derived from a published phrase, so development
    /// tokens can be made without reading a secret. Never valid in AWS.
    pub fn local_development() -> Self {
        let seed: [u8; 32] =
            Sha256::digest(b"fountainai local development key, never deployed").into();
        let key = SigningKey::from_seed(LOCAL_KEY_ID, &seed, DateTime::UNIX_EPOCH);
        Self {
            keys: key.into_iter().collect(),
        }
    }

    /// Refuses the local development key where it must never be (in AWS).
    pub fn check(&self, in_aws: bool) -> Result<(), TokenError> {
        if in_aws && self.keys.iter().any(|k| k.kid == LOCAL_KEY_ID) {
            return Err(TokenError::LocalKeyInAws);
        }
        Ok(())
    }

    /// The key that signs now: the latest one already active.
    pub fn signer(&self, now: DateTime<Utc>) -> Result<TokenSigner, TokenError> {
        let key = self
            .keys
            .iter()
            .filter(|k| k.activates_at <= now.timestamp())
            .max_by_key(|k| k.activates_at)
            .ok_or(TokenError::NoKey)?;
        Ok(TokenSigner {
            kid: key.kid.clone(),
            key: EncodingKey::from_ed_der(&key.der()?),
        })
    }

    /// The public key set verifiers read.
    pub fn public(&self) -> Result<JwkSet, TokenError> {
        Ok(JwkSet {
            keys: self
                .keys
                .iter()
                .map(SigningKey::public)
                .collect::<Result<_, _>>()?,
        })
    }

    /// One rotation at `now`: a new key that signs after `activation_delay` (at once when
    /// the set is empty: nobody verifies anything yet), and without the keys whose successor
    /// has signed for longer than [`RETENTION`]. The delay must exceed how long readers cache
    /// a set ([`ACTIVATION_DELAY`] does).
    pub fn rotate(
        &mut self,
        now: DateTime<Utc>,
        activation_delay: Duration,
    ) -> Result<&SigningKey, TokenError> {
        let active_since = |key: &SigningKey| key.activates_at;
        let mut successors: Vec<i64> = self.keys.iter().map(active_since).collect();
        successors.sort_unstable();
        let retire_before = (now - RETENTION).timestamp();
        self.keys.retain(|key| {
            // The first key that started signing after this one replaced it.
            let replaced_at = successors.iter().find(|at| **at > key.activates_at);
            replaced_at.is_none_or(|at| *at > retire_before)
        });
        let activates_at = if self.keys.is_empty() {
            now
        } else {
            now + activation_delay
        };
        self.keys.push(SigningKey::generate(now, activates_at)?);
        self.keys.last().ok_or(TokenError::NoKey)
    }
}

/// Issues tokens with one key.
#[derive(Clone)]
pub struct TokenSigner {
    kid: String,
    key: EncodingKey,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenSigner({})", self.kid)
    }
}

impl TokenSigner {
    pub fn kid(&self) -> &str {
        &self.kid
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
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        encode(&header, &claims, &self.key).map_err(|_| TokenError::BadKey)
    }
}

/// Verifies tokens against a public key set: only EdDSA, only a known key id.
#[derive(Clone, Default)]
pub struct TokenVerifier {
    keys: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kids: Vec<&String> = self.keys.keys().collect();
        kids.sort();
        write!(f, "TokenVerifier({kids:?})")
    }
}

impl TokenVerifier {
    pub fn new(set: &JwkSet) -> Result<Self, TokenError> {
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let kid = jwk.common.key_id.clone().ok_or(TokenError::BadKey)?;
            let AlgorithmParameters::OctetKeyPair(params) = &jwk.algorithm else {
                return Err(TokenError::BadKey);
            };
            keys.insert(
                kid,
                DecodingKey::from_ed_components(&params.x).map_err(|_| TokenError::BadKey)?,
            );
        }
        Ok(Self { keys })
    }

    /// The key ids it accepts.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<&str> = self.keys.keys().map(String::as_str).collect();
        kids.sort_unstable();
        kids
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.get(kid))
            .ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        decode::<Claims>(token, key, &validation)
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
