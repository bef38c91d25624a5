//! Credentials for staff accounts: passwords, the TOTP second factor, recovery codes and
//! opaque bearer tokens.
//!
//! Pure functions, no database and no HTTP: the callers store what comes out (hashes only,
//! never a plaintext secret) and pass the clock in, so every rule here is testable. Written
//! for OWASP ASVS 5.0 level 2, because a leaked staff account could expose letter writers
//! who may be in danger:
//!
//! - [`password`]: 12–128 characters, guessable ones refused (zxcvbn, with the user's own
//!   email and name as context), Argon2id with OWASP's parameters, and the same work for an
//!   unknown account as for a wrong password.
//! - [`totp`]: RFC 6238 codes (SHA-1, 6 digits, 30 s) accepted once only, ±1 step.
//! - [`recovery`]: one-time recovery codes with ≥ 112 bits each, so a plain SHA-256 is
//!   enough to store them (ASVS 6.5.2).
//! - [`token`]: API tokens, session ids and CSRF tokens, stored as SHA-256 hashes.
//!
//! Secrets never appear through `Debug` or in an error message.

pub mod password;
pub mod recovery;
pub mod token;
pub mod totp;

use sha2::{Digest, Sha256};

/// What can go wrong outside the caller's input. Messages name the failure, never a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Argon2 refused its input or the system's random generator failed.
    #[error("password hashing failed")]
    Hashing,
    /// An Argon2 cost that Argon2 does not accept (a configuration mistake).
    #[error("invalid password hashing parameters")]
    InvalidParams,
    /// A TOTP secret that is not base32 for exactly 20 bytes.
    #[error("malformed TOTP secret")]
    MalformedTotpSecret,
}

/// SHA-256 as lower-case hex: the stored form of high-entropy secrets (tokens, session ids,
/// recovery codes), which need no salt or stretching because they cannot be guessed.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_matches_the_standard_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn errors_say_what_failed_in_words() {
        assert_eq!(AuthError::Hashing.to_string(), "password hashing failed");
    }
}
