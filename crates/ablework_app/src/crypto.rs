//! Keys and what is done with them: identifier encryption, keyed look-up
//! hashes, password hashes and random tokens.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;

const NONCE_LEN: usize = 12;

/// Encrypts and hashes personal identifiers with the configured key.
#[derive(Clone)]
pub struct Vault {
    cipher: Aes256Gcm,
    lookup_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    /// A vault on a 64-byte secret.
    pub fn new(secret: &[u8; 64]) -> Vault {
        let (encryption, lookup) = secret.split_at(32);
        let mut lookup_key = [0; 32];
        lookup_key.copy_from_slice(lookup);
        Vault {
            cipher: Aes256Gcm::new(encryption.into()),
            lookup_key,
        }
    }

    /// Encrypts text: a fresh random nonce, then the ciphertext and tag.
    pub fn encrypt(&self, plain: &str) -> Result<Vec<u8>, AppError> {
        self.seal(plain.as_bytes())
    }

    /// Decrypts what [`Vault::encrypt`] produced. A wrong key or edited bytes
    /// are an internal error (the data or the configuration is wrong).
    pub fn decrypt(&self, sealed: &[u8]) -> Result<String, AppError> {
        String::from_utf8(self.open(sealed)?)
            .map_err(|_| AppError::Internal("decrypted text is not UTF-8".to_owned()))
    }

    /// Encrypts bytes (a whole uploaded file, say): a fresh random nonce,
    /// then the ciphertext and tag.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, AppError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plain)
            .map_err(|_| AppError::Internal("encryption failed".to_owned()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`Vault::seal`] produced.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
        if sealed.len() < NONCE_LEN {
            return Err(AppError::Internal("ciphertext too short".to_owned()));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), body)
            .map_err(|_| {
                AppError::Internal("decryption failed: wrong key or edited data".to_owned())
            })
    }

    /// The keyed hash used to find a record by an identifier without
    /// storing the identifier in clear.
    pub fn lookup_hash(&self, normalized: &str) -> String {
        // HMAC accepts keys of any length; 32 bytes cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(normalized.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a PHC string. A malformed stored hash fails.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine as _;
    let mut buffer = vec![0; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// SHA-256 of a high-entropy token, hex: how session cookies and API
/// tokens are stored (they need no salt or slow hash: they are random).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison of two strings (CSRF tokens).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::new(&[7; 64])
    }

    #[test]
    fn identifiers_round_trip_and_are_not_stored_in_clear() {
        let sealed = vault().encrypt("120101199003071235").unwrap_or_default();
        assert!(!sealed.windows(4).any(|w| w == b"1201"));
        assert_eq!(
            vault().decrypt(&sealed).ok().as_deref(),
            Some("120101199003071235")
        );
        let again = vault().encrypt("120101199003071235").unwrap_or_default();
        assert_ne!(sealed, again, "a fresh nonce each time");
    }

    #[test]
    fn another_key_cannot_decrypt() {
        let sealed = vault().encrypt("x").unwrap_or_default();
        assert!(Vault::new(&[8; 64]).decrypt(&sealed).is_err());
    }

    #[test]
    fn lookup_hashes_are_keyed_and_stable() {
        assert_eq!(vault().lookup_hash("a"), vault().lookup_hash("a"));
        assert_ne!(
            vault().lookup_hash("a"),
            Vault::new(&[8; 64]).lookup_hash("a")
        );
    }

    #[test]
    fn passwords_verify() {
        let hash = hash_password("correct horse").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
