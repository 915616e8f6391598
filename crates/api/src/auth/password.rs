//! Password hashing with argon2id at OWASP's parameters (19 MiB, two
//! passes, one lane), run off the async workers.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string for `password`.
pub async fn hash(password: String) -> Result<String, ApiError> {
    actix_web::web::block(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Whether `password` matches `hash`. With no hash (unknown user) it still
/// does the same work against a fixed hash, so timing reveals nothing.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, ApiError> {
    actix_web::web::block(move || {
        let stored = hash.as_deref().unwrap_or(DUMMY_HASH);
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let matches = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
        matches && hash.is_some()
    })
    .await
    .map_err(ApiError::internal)
}

/// The hash of a random password nobody knows, with the same parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0vCpCwmrkSDS/bvhTkVuGgA2UTT0p+b7tw55J7fbnJE";

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash("correct horse battery".to_owned()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery".to_owned(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong".to_owned(), Some(hash)).await.unwrap());
    }

    #[actix_web::test]
    async fn an_unknown_user_never_verifies_but_the_dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify("anything".to_owned(), None).await.unwrap());
    }
}
