//! Recovery codes: one-time codes a person writes down at enrolment, for when their
//! authenticator is lost.
//!
//! Each code is 24 characters from a 31-character alphabet with no look-alikes (no 0/o,
//! 1/l/i), shown as six groups of four (`k7qm-3xtd-9fwp-a2hc-r8nz-6jvy`): 118 bits. That is
//! more than a short code needs against online guessing, but ASVS 6.5.2 (level 2) lets a
//! lookup secret be stored under a plain SHA-256 only from 112 bits up; shorter codes would
//! need a salted password hash each, and a login would have to try every one of them.
//! Only the hashes are stored; the caller marks a code used when its hash matches.

use std::fmt;

use rand::Rng;

use crate::sha256_hex;

const ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";
const GROUPS: usize = 6;
const GROUP_LEN: usize = 4;
/// How many codes a person gets at enrolment.
pub const DEFAULT_COUNT: usize = 10;

/// A recovery code in its displayed form. Shown once, then only its [`hash`] is kept.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// The form shown to people: groups of four joined by dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Codes are secrets: they never appear in logs through `Debug`.
impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

/// `count` fresh codes from the operating system's cryptographic generator (use
/// [`DEFAULT_COUNT`]); with 118 bits each they do not repeat.
pub fn generate(count: usize) -> Vec<RecoveryCode> {
    let mut rng = rand::rng();
    (0..count)
        .map(|_| {
            let mut code = String::with_capacity(GROUPS * (GROUP_LEN + 1));
            for group in 0..GROUPS {
                if group > 0 {
                    code.push('-');
                }
                for _ in 0..GROUP_LEN {
                    code.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
                }
            }
            RecoveryCode(code)
        })
        .collect()
}

/// The canonical form: lower case, without dashes or white space, so `K7QM 3XTD…` and
/// `k7qm-3xtd-…` are the same code.
pub fn normalise(raw: &str) -> String {
    raw.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The stored form: SHA-256 (hex) of the normalised code. Hash what the person typed and
/// look it up; nothing else needs checking, since a mistyped code simply has no match.
pub fn hash(code: &str) -> String {
    sha256_hex(normalise(code).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_read_in_groups_of_unambiguous_characters() {
        let codes = generate(DEFAULT_COUNT);
        assert_eq!(codes.len(), 10);
        for code in &codes {
            let text = code.as_str();
            assert_eq!(text.len(), 29, "{text}");
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(groups.len(), 6);
            assert!(groups.iter().all(|g| g.len() == 4));
            assert!(
                text.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)),
                "{text}"
            );
            assert!(!text.contains(['0', 'o', '1', 'l', 'i']));
        }
    }

    #[test]
    fn each_code_has_at_least_112_bits() {
        let bits = (GROUPS * GROUP_LEN) as f64 * (ALPHABET.len() as f64).log2();
        assert!(bits >= 112.0, "{bits}");
    }

    #[test]
    fn codes_do_not_repeat() {
        let codes: std::collections::HashSet<_> = generate(10_000)
            .into_iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        assert_eq!(codes.len(), 10_000);
    }

    #[test]
    fn the_alphabet_has_no_repeats() {
        let set: std::collections::HashSet<_> = ALPHABET.iter().collect();
        assert_eq!(set.len(), ALPHABET.len());
    }

    #[test]
    fn typing_variations_hash_alike() {
        let h = hash("k7qm-3xtd-9fwp-a2hc-r8nz-6jvy");
        assert_eq!(hash("K7QM 3XTD 9FWP A2HC R8NZ 6JVY"), h);
        assert_eq!(hash(" k7qm3xtd9fwpa2hcr8nz6jvy\n"), h);
        assert_ne!(hash("k7qm-3xtd-9fwp-a2hc-r8nz-6jvz"), h);
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(normalise("Ab-C d\tE"), "abcde");
    }

    #[test]
    fn the_hash_is_sha256_of_the_normalised_code() {
        assert_eq!(hash("A-B C"), crate::sha256_hex(b"abc"));
    }

    #[test]
    fn debug_does_not_reveal_the_code() {
        let code = &generate(1)[0];
        assert_eq!(format!("{code:?}"), "RecoveryCode(…)");
    }

    proptest! {
        #[test]
        fn generated_codes_survive_retyping(_seed in 0u8..=255) {
            let code = generate(1).remove(0);
            let retyped = code.as_str().to_uppercase().replace('-', " ");
            prop_assert_eq!(hash(&retyped), hash(code.as_str()));
        }

        #[test]
        fn normalising_never_panics_and_is_idempotent(raw in "\\PC{0,60}") {
            let once = normalise(&raw);
            prop_assert_eq!(normalise(&once), once.clone());
            prop_assert!(!once.contains('-'));
        }
    }
}
