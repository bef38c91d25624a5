//! Opaque bearer secrets: API tokens, session ids and CSRF tokens.
//!
//! Each is 256 random bits from the operating system's cryptographic generator, in URL-safe
//! base64 without padding (43 characters). API tokens and session ids are stored only as
//! their SHA-256: with that much entropy no salt or stretching is needed (ASVS 6.5.2 sets
//! the line at 112 bits), and a lookup by hash stays a single indexed query. A leaked
//! database therefore yields no usable credential.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretString;
use subtle::ConstantTimeEq;

use crate::sha256_hex;

/// Marks Lysty API tokens, so secret scanners and people recognise one in a paste or a log.
pub const API_TOKEN_PREFIX: &str = "lysty_";
const RANDOM_BYTES: usize = 32;

fn random_text() -> String {
    let bytes: [u8; RANDOM_BYTES] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token: the plaintext to show once (`lysty_` and 43 characters) and the hash to
/// store.
pub fn new_api_token() -> (SecretString, String) {
    let plaintext = format!("{API_TOKEN_PREFIX}{}", random_text());
    let hash = hash_token(&plaintext);
    (SecretString::from(plaintext), hash)
}

/// The stored form of an API token or session id, and the key to look one up by: SHA-256
/// (hex) of exactly what the client sent.
pub fn hash_token(plaintext: &str) -> String {
    sha256_hex(plaintext.as_bytes())
}

/// A new session id: the value for the cookie and the hash to store.
pub fn new_session_id() -> (SecretString, String) {
    let plaintext = random_text();
    let hash = hash_token(&plaintext);
    (SecretString::from(plaintext), hash)
}

/// A new CSRF token (synchroniser token), URL- and form-safe. Tied to a session and not a
/// credential on its own, so it is returned plainly for embedding in pages.
pub fn new_csrf_token() -> String {
    random_text()
}

/// Compares two secrets in time that depends only on their lengths, so an attacker cannot
/// learn a token byte by byte from response times.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use secrecy::ExposeSecret;

    fn is_url_safe(text: &str) -> bool {
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    #[test]
    fn api_tokens_carry_the_prefix_and_256_bits() {
        let (plain, hash) = new_api_token();
        let plain = plain.expose_secret();
        let body = plain.strip_prefix("lysty_").unwrap();
        assert_eq!(body.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert!(is_url_safe(body));
        assert_eq!(hash, hash_token(plain));
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, *plain);
    }

    #[test]
    fn session_ids_and_csrf_tokens_are_url_safe_256_bits() {
        let (id, hash) = new_session_id();
        let id = id.expose_secret();
        assert_eq!(URL_SAFE_NO_PAD.decode(id).unwrap().len(), 32);
        assert!(is_url_safe(id));
        assert_eq!(hash, hash_token(id));
        let csrf = new_csrf_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&csrf).unwrap().len(), 32);
        assert!(is_url_safe(&csrf));
    }

    #[test]
    fn secrets_do_not_repeat() {
        let tokens: std::collections::HashSet<String> = (0..5_000)
            .map(|_| new_api_token().1)
            .chain((0..5_000).map(|_| new_session_id().1))
            .chain((0..5_000).map(|_| new_csrf_token()))
            .collect();
        assert_eq!(tokens.len(), 15_000);
    }

    #[test]
    fn debug_does_not_reveal_the_plaintext() {
        let (plain, _) = new_api_token();
        assert!(!format!("{plain:?}").contains(plain.expose_secret()));
    }

    #[test]
    fn hash_token_is_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"same", b"same"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"same", b"sane"));
        assert!(!constant_time_eq(b"same", b"same!"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    proptest! {
        #[test]
        fn constant_time_eq_agrees_with_eq(a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
            prop_assert_eq!(constant_time_eq(&a, &b), a == b);
            prop_assert!(constant_time_eq(&a, &a.clone()));
        }
    }
}
