//! Writers' email addresses are encrypted at rest with a key from configuration.
//!
//! XChaCha20-Poly1305 with a random 192-bit nonce per address: authenticated, and safe to
//! use with random nonces for any number of messages. The stored form is
//! `version (1 byte) ‖ nonce (24) ‖ ciphertext+tag`, so that the scheme can change later.

use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

#[derive(Clone)]
pub struct EmailCipher {
    cipher: XChaCha20Poly1305,
    /// The root of secrets derived from the key for other purposes (`derived_secret`).
    derive_root: [u8; 32],
}

impl std::fmt::Debug for EmailCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmailCipher(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CipherError {
    #[error("the email key must be 32 bytes in standard base64 (44 characters)")]
    BadKey,
    #[error("the value cannot be encrypted")]
    Unencryptable,
    #[error("the stored value cannot be decrypted with this key")]
    Undecryptable,
}

impl EmailCipher {
    /// A key given as base64 of 32 bytes.
    pub fn from_base64(key: &SecretString) -> Result<Self, CipherError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(key.expose_secret().trim())
            .map_err(|_| CipherError::BadKey)?;
        if bytes.len() != 32 {
            return Err(CipherError::BadKey);
        }
        Ok(EmailCipher {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&bytes)),
            derive_root: Sha256::new()
                .chain_update(b"lysty/derive/v1\0")
                .chain_update(&bytes)
                .finalize()
                .into(),
        })
    }

    /// A fresh random key, base64-encoded, for a new installation's key file.
    pub fn generate_key() -> SecretString {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        SecretString::from(base64::engine::general_purpose::STANDARD.encode(key))
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<Vec<u8>, CipherError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .map_err(|_| CipherError::Unencryptable)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// A secret for another purpose (signing proof-of-work challenges), derived from the
    /// email key so that every instance sharing the key shares it, and no other secret
    /// needs keeping. A domain-separated SHA-256 of a 256-bit key: knowing one derived
    /// secret tells nothing of the key or of another purpose's secret.
    pub fn derived_secret(&self, purpose: &str) -> [u8; 32] {
        Sha256::new()
            .chain_update(self.derive_root)
            .chain_update(purpose.as_bytes())
            .finalize()
            .into()
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<String, CipherError> {
        let (&version, rest) = stored.split_first().ok_or(CipherError::Undecryptable)?;
        if version != VERSION || rest.len() < NONCE_LEN {
            return Err(CipherError::Undecryptable);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), sealed)
            .map_err(|_| CipherError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| CipherError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> EmailCipher {
        EmailCipher::from_base64(&EmailCipher::generate_key()).unwrap()
    }

    #[test]
    fn an_address_comes_back_only_with_the_same_key() {
        let c = cipher();
        let sealed = c.encrypt("writer@example.org").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"writer"));
        assert_eq!(c.decrypt(&sealed).unwrap(), "writer@example.org");
        assert_eq!(cipher().decrypt(&sealed), Err(CipherError::Undecryptable));
    }

    #[test]
    fn derived_secrets_follow_the_key_and_the_purpose() {
        let key = EmailCipher::generate_key();
        let a = EmailCipher::from_base64(&key).unwrap();
        let b = EmailCipher::from_base64(&key).unwrap();
        assert_eq!(a.derived_secret("pow"), b.derived_secret("pow"));
        assert_ne!(a.derived_secret("pow"), a.derived_secret("other"));
        assert_ne!(a.derived_secret("pow"), cipher().derived_secret("pow"));
    }

    #[test]
    fn the_same_address_encrypts_differently_each_time() {
        let c = cipher();
        assert_ne!(c.encrypt("a@b.org").unwrap(), c.encrypt("a@b.org").unwrap());
    }

    #[test]
    fn tampering_is_detected() {
        let c = cipher();
        let mut sealed = c.encrypt("writer@example.org").unwrap();
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(c.decrypt(&sealed), Err(CipherError::Undecryptable));
        assert_eq!(c.decrypt(&[]), Err(CipherError::Undecryptable));
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert_eq!(
            EmailCipher::from_base64(&SecretString::from("short")).err(),
            Some(CipherError::BadKey)
        );
    }
}
