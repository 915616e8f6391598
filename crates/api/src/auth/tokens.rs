//! Access tokens (HS256 JWTs pinned to one algorithm, short-lived, with
//! checked issuer and audience), opaque random tokens, and hashing them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lejek_domain::{Role, UserId};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const ISSUER: &str = "lejek";
const AUDIENCE: &str = "lejek-api";

/// `count` random bytes, URL-safe base64.
pub fn random_token(count: usize) -> String {
    let mut bytes = vec![0_u8; count];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a refresh token or API key: they are long random
/// values, so a fast hash suffices and makes lookups by hash possible.
pub fn sha256_hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: Role,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// Issues and checks access tokens.
#[derive(Clone)]
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime_seconds: i64,
}

impl std::fmt::Debug for AccessTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessTokens")
            .field("lifetime_seconds", &self.lifetime_seconds)
            .finish()
    }
}

impl AccessTokens {
    pub fn new(secret: &SecretString, lifetime_minutes: i64) -> Self {
        let key = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        AccessTokens {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            lifetime_seconds: lifetime_minutes * 60,
        }
    }

    pub fn lifetime_seconds(&self) -> i64 {
        self.lifetime_seconds
    }

    pub fn issue(
        &self,
        user: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user.0.to_string(),
            role,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp() + self.lifetime_seconds,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The user a valid token names; `None` for anything else (bad
    /// signature, other algorithm, expired, wrong issuer or audience).
    pub fn verify(&self, token: &str) -> Option<UserId> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        data.claims.sub.parse().ok().map(UserId)
    }
}

/// Signs and checks opaque values (list cursors) with a key derived from
/// the server secret, so clients cannot forge them.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer")
    }
}

type HmacSha256 = hmac::Hmac<Sha256>;

impl Signer {
    pub fn new(secret: &SecretString, purpose: &str) -> Self {
        use hmac::Mac;
        let mut mac =
            HmacSha256::new_from_slice(secret.expose_secret().as_bytes()).expect("HMAC takes any key");
        mac.update(purpose.as_bytes());
        Signer {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    /// `payload` and its signature, URL-safe.
    pub fn sign(&self, payload: &[u8]) -> String {
        use hmac::Mac;
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(payload);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    /// The payload of a value this signer made, or `None`.
    pub fn open(&self, signed: &str) -> Option<Vec<u8>> {
        use hmac::Mac;
        let (payload, signature) = signed.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(&payload);
        mac.verify_slice(&signature).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> SecretString {
        SecretString::from("a-test-secret-that-is-long-enough-for-hs256".to_owned())
    }

    #[test]
    fn an_issued_token_verifies_and_names_its_user() {
        let tokens = AccessTokens::new(&secret(), 15);
        let token = tokens.issue(UserId(7), Role::Agent, Utc::now()).unwrap();
        assert_eq!(tokens.verify(&token), Some(UserId(7)));
    }

    #[test]
    fn an_expired_token_or_one_from_another_key_is_refused() {
        let tokens = AccessTokens::new(&secret(), 15);
        let old = tokens
            .issue(UserId(7), Role::Agent, Utc::now() - chrono::Duration::minutes(30))
            .unwrap();
        assert_eq!(tokens.verify(&old), None);
        let other = AccessTokens::new(
            &SecretString::from("another-secret-that-is-long-enough-xx".to_owned()),
            15,
        );
        assert_eq!(
            tokens.verify(&other.issue(UserId(7), Role::Agent, Utc::now()).unwrap()),
            None
        );
    }

    #[test]
    fn a_token_with_alg_none_is_refused() {
        let tokens = AccessTokens::new(&secret(), 15);
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let exp = Utc::now().timestamp() + 600;
        let claims = URL_SAFE_NO_PAD.encode(
            format!(r#"{{"sub":"1","role":"admin","iss":"lejek","aud":"lejek-api","iat":0,"exp":{exp}}}"#)
                .as_bytes(),
        );
        assert_eq!(tokens.verify(&format!("{header}.{claims}.")), None);
    }

    #[test]
    fn a_signed_value_opens_and_a_tampered_one_does_not() {
        let signer = Signer::new(&secret(), "cursor");
        let signed = signer.sign(b"[1,2]");
        assert_eq!(signer.open(&signed).unwrap(), b"[1,2]");
        let tampered = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(b"[1,3]"),
            signed.split_once('.').unwrap().1
        );
        assert_eq!(signer.open(&tampered), None);
        assert_eq!(signer.open("garbage"), None);
    }
}
