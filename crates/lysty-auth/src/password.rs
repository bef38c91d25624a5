//! Staff passwords: what a staff member may choose, and how it is stored and checked.
//!
//! The rules follow ASVS 5.0 §6.2: at least 12 characters (more than ASVS's 8, since these
//! accounts guard writers' safety), at most 128, no composition rules, and no guessable
//! password: zxcvbn must rate it 3 ("safely unguessable") or better, with the person's own
//! email and name among the words it tries. The password is kept exactly as typed, except
//! for Unicode NFC: the same Ukrainian «й» typed on two devices can arrive precomposed or as
//! «и» plus a combining breve, and both must be the same password.
//!
//! Storage is Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane) and a random salt,
//! as a PHC string that carries its own parameters, so they can be raised later
//! ([`PasswordHash::needs_rehash`]) without breaking existing hashes.

use std::fmt;
use std::sync::LazyLock;

use argon2::password_hash::phc;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;

use crate::AuthError;

/// Fewest characters (Unicode scalar values, after NFC) a password may have.
pub const MIN_CHARS: usize = 12;
/// Most characters a password may have: long enough for any passphrase, short enough to
/// bound the work one login attempt costs.
pub const MAX_CHARS: usize = 128;
/// Input longer than this cannot be 128 characters even after NFC composition (at most
/// three characters fold into one), so it is refused before any work is spent on it.
const MAX_RAW_BYTES: usize = 4096;
/// zxcvbn's "safely unguessable: moderate protection from offline slow-hash scenario".
const MIN_SCORE: u8 = 3;
/// Words anyone guessing a Lysty staff password would try first.
const SERVICE_WORDS: &[&str] = &["lysty", "листи", "letters", "prisoners", "political"];

/// OWASP's Argon2id memory cost, in KiB (19 MiB).
pub const OWASP_M_COST_KIB: u32 = 19 * 1024;
/// OWASP's Argon2id number of passes.
pub const OWASP_T_COST: u32 = 2;
/// OWASP's Argon2id degree of parallelism.
pub const OWASP_P_COST: u32 = 1;

// `argon2`'s defaults are OWASP's; this stops the build if a new release changes them.
const _: () = assert!(
    Params::DEFAULT.m_cost() == OWASP_M_COST_KIB
        && Params::DEFAULT.t_cost() == OWASP_T_COST
        && Params::DEFAULT.p_cost() == OWASP_P_COST
);

/// A password that meets the rules, in NFC. Only [`hash`] and [`Hasher::hash`] read it.
pub struct Password(SecretString);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {min} characters")]
    TooShort { min: usize },
    #[error("the password must have at most {max} characters")]
    TooLong { max: usize },
    #[error("the password is too easy to guess")]
    TooCommon,
}

impl PasswordError {
    /// A stable identifier for messages and API errors.
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort { .. } => "too-short",
            PasswordError::TooLong { .. } => "too-long",
            PasswordError::TooCommon => "too-common",
        }
    }
}

impl Password {
    /// Checks a new password. `context` holds what an attacker would know about the person
    /// (their email, their name): the password may not be built from it.
    pub fn parse(raw: &str, context: &[&str]) -> Result<Password, PasswordError> {
        if raw.len() > MAX_RAW_BYTES {
            return Err(PasswordError::TooLong { max: MAX_CHARS });
        }
        let normalised = normalise(raw);
        let chars = normalised.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort { min: MIN_CHARS });
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong { max: MAX_CHARS });
        }
        let words = context_words(context);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let score = u8::from(zxcvbn::zxcvbn(&normalised, &words).score());
        if score < MIN_SCORE {
            return Err(PasswordError::TooCommon);
        }
        Ok(Password(SecretString::from(normalised)))
    }

    fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// One form per password, whatever the keyboard sent (see the module docs).
fn normalise(raw: &str) -> String {
    raw.nfc().collect()
}

/// Every context string whole, plus its pieces (`anna.kowalska@example.org` also gives
/// `anna`, `kowalska`, `example`), since zxcvbn matches whole dictionary words only.
fn context_words(context: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = SERVICE_WORDS.iter().map(|w| (*w).to_owned()).collect();
    for item in context {
        let item = item.trim().to_lowercase();
        if item.is_empty() {
            continue;
        }
        for piece in item.split(|c: char| !c.is_alphanumeric()) {
            if piece.chars().count() >= 3 && piece != item {
                words.push(piece.to_owned());
            }
        }
        words.push(item);
    }
    words
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), as stored. Not a secret,
/// but it allows offline guessing, so `Debug` hides it too.
#[derive(Clone)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a hash read from storage. A malformed one is not an error here: it simply
    /// never verifies.
    pub fn from_stored(stored: &str) -> Self {
        PasswordHash(stored.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when this hash was made with anything but today's algorithm and parameters:
    /// the caller then rehashes the password it has just verified.
    pub fn needs_rehash(&self) -> bool {
        let Ok(parsed) = phc::PasswordHash::new(&self.0) else {
            return true;
        };
        let Ok(params) = Params::try_from(&parsed) else {
            return true;
        };
        parsed.algorithm != Algorithm::Argon2id.ident()
            || parsed.version != Some(Version::V0x13.into())
            || params.m_cost() != OWASP_M_COST_KIB
            || params.t_cost() != OWASP_T_COST
            || params.p_cost() != OWASP_P_COST
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

/// Argon2id at a given cost. [`Hasher::owasp`] is the one to use; [`Hasher::with_cost`]
/// exists for tests and for raising the cost later.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
}

impl Hasher {
    /// OWASP's parameters: m = 19456 KiB, t = 2, p = 1.
    pub fn owasp() -> Self {
        Hasher {
            params: Params::DEFAULT,
        }
    }

    /// Memory in KiB, passes, lanes; refused if Argon2 does not accept them.
    pub fn with_cost(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Result<Self, AuthError> {
        let params =
            Params::new(m_cost_kib, t_cost, p_cost, None).map_err(|_| AuthError::InvalidParams)?;
        Ok(Hasher { params })
    }

    /// Hashes with a fresh 16-byte salt from the operating system.
    pub fn hash(&self, password: &Password) -> Result<PasswordHash, AuthError> {
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone());
        let phc: phc::PasswordHash = argon2
            .hash_password(password.expose().as_bytes())
            .map_err(|_| AuthError::Hashing)?;
        Ok(PasswordHash(phc.to_string()))
    }
}

/// Hashes a new password with OWASP's parameters.
pub fn hash(password: &Password) -> Result<PasswordHash, AuthError> {
    Hasher::owasp().hash(password)
}

/// Checks a password typed at login against its stored hash, with the parameters the hash
/// carries. Does not apply the rules of [`Password::parse`]: a password accepted under older
/// rules still works. Input too long ever to have been accepted, and a malformed stored
/// hash, cost the same work as a real check and then fail.
pub fn verify(raw: &str, hash: &PasswordHash) -> bool {
    if raw.len() > MAX_RAW_BYTES {
        burn(b"");
        return false;
    }
    let candidate = normalise(raw);
    match check(candidate.as_bytes(), hash.as_str()) {
        Some(matches) => matches,
        None => {
            burn(candidate.as_bytes());
            false
        }
    }
}

/// For a login with an unknown email: the same Argon2 work as [`verify`] on a real account,
/// so that response time does not tell which emails have accounts.
pub fn verify_unknown_user(raw: &str) {
    if raw.len() > MAX_RAW_BYTES {
        burn(b"");
    } else {
        burn(normalise(raw).as_bytes());
    }
}

/// `None` when the stored hash cannot be read at all.
fn check(candidate: &[u8], stored: &str) -> Option<bool> {
    let parsed = phc::PasswordHash::new(stored).ok()?;
    Some(
        Argon2::default()
            .verify_password(candidate, &parsed)
            .is_ok(),
    )
}

/// A hash with OWASP's parameters that no password matches: random salt and random output,
/// so making it costs nothing (no Argon2 run, no first-login delay), while checking against
/// it costs exactly what checking a real hash does.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt: [u8; 16] = rand::random();
    let output: [u8; 32] = rand::random();
    format!(
        "$argon2id$v=19$m={OWASP_M_COST_KIB},t={OWASP_T_COST},p={OWASP_P_COST}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(output),
    )
});

fn burn(candidate: &[u8]) {
    std::hint::black_box(check(candidate, &DUMMY_HASH));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cheap parameters for the tests that are not about the parameters themselves: Argon2
    /// at 19 MiB is slow in an unoptimised build.
    fn cheap() -> Hasher {
        Hasher::with_cost(64, 1, 1).unwrap()
    }

    const GOOD: &str = "tram-violet-ledger-9-oak";

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(
            Password::parse("Zx9!qLm2#Rt", &[]).unwrap_err(),
            PasswordError::TooShort { min: 12 }
        );
        // Twelve Cyrillic letters are 24 bytes but twelve characters.
        assert!(Password::parse("щуйгхкжбфєюц", &[]).is_ok());
        assert_eq!(
            Password::parse(&"k".repeat(129), &[]).unwrap_err(),
            PasswordError::TooLong { max: 128 }
        );
        assert_eq!(
            Password::parse(&"ж".repeat(3000), &[]).unwrap_err(),
            PasswordError::TooLong { max: 128 }
        );
    }

    #[test]
    fn one_hundred_and_twenty_eight_characters_are_allowed() {
        let long: String = "7mQ!vR2#kZ9@wX4$".repeat(8);
        assert_eq!(long.chars().count(), 128);
        assert!(Password::parse(&long, &[]).is_ok());
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "aaaaaaaaaaaa",
            "iloveyou2024",
        ] {
            assert_eq!(
                Password::parse(weak, &[]).unwrap_err(),
                PasswordError::TooCommon,
                "{weak}"
            );
        }
        assert!(Password::parse(GOOD, &[]).is_ok());
    }

    #[test]
    fn the_persons_own_email_and_name_count_against_the_password() {
        let own = ["yaryna.bohdanenko@example.org", "Yaryna Bohdanenko"];
        let other = ["someone@example.org", "Olena Shevchuk"];
        for password in ["bohdanenko1990!", "yarynabohdanenko"] {
            assert!(Password::parse(password, &other).is_ok(), "{password}");
            assert_eq!(
                Password::parse(password, &own).unwrap_err(),
                PasswordError::TooCommon,
                "{password}"
            );
        }
    }

    #[test]
    fn the_service_name_counts_against_the_password() {
        // zxcvbn alone rates this 4; with the service's own words it is 2.
        assert_eq!(
            Password::parse("lysty-lysty-lysty", &[]).unwrap_err(),
            PasswordError::TooCommon
        );
    }

    #[test]
    fn context_is_split_into_words() {
        let words = context_words(&["Anna.Kowalska@example.org", " ", "Jo Li"]);
        for w in [
            "anna.kowalska@example.org",
            "anna",
            "kowalska",
            "example",
            "jo li",
            "lysty",
        ] {
            assert!(words.iter().any(|x| x == w), "{w}");
        }
        assert!(!words.iter().any(|x| x == "jo" || x.is_empty()));
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(PasswordError::TooShort { min: 12 }.code(), "too-short");
        assert_eq!(PasswordError::TooLong { max: 128 }.code(), "too-long");
        assert_eq!(PasswordError::TooCommon.code(), "too-common");
    }

    #[test]
    fn debug_and_errors_do_not_reveal_the_password() {
        let password = Password::parse(GOOD, &[]).unwrap();
        assert_eq!(format!("{password:?}"), "Password(…)");
        let hash = cheap().hash(&password).unwrap();
        assert_eq!(format!("{hash:?}"), "PasswordHash(…)");
        let err = Password::parse("password1234", &[]).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("password1234"));
    }

    #[test]
    fn the_default_hash_is_argon2id_with_owasp_parameters_and_round_trips() {
        let password = Password::parse(GOOD, &[]).unwrap();
        let hash = hash(&password).unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_str()
        );
        assert!(!hash.needs_rehash());
        assert!(verify(GOOD, &hash));
        assert!(!verify("tram-violet-ledger-9-oaK", &hash));
    }

    #[test]
    fn salts_differ_between_hashes_of_the_same_password() {
        let password = Password::parse(GOOD, &[]).unwrap();
        let a = cheap().hash(&password).unwrap();
        let b = cheap().hash(&password).unwrap();
        assert_ne!(a.as_str(), b.as_str());
        assert!(verify(GOOD, &a) && verify(GOOD, &b));
    }

    #[test]
    fn a_cheaper_hash_verifies_but_asks_to_be_rehashed() {
        let hash = cheap().hash(&Password::parse(GOOD, &[]).unwrap()).unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(verify(GOOD, &hash));
        assert!(hash.needs_rehash());
        assert!(PasswordHash::from_stored("$2b$12$notargon").needs_rehash());
    }

    #[test]
    fn precomposed_and_decomposed_forms_are_the_same_password() {
        let precomposed = "Мий-лист-до-Криму-7";
        let decomposed = precomposed.replace('\u{439}', "\u{438}\u{306}");
        assert_ne!(precomposed, decomposed);
        let hash = cheap()
            .hash(&Password::parse(&decomposed, &[]).unwrap())
            .unwrap();
        assert!(verify(precomposed, &hash));
        assert!(verify(&decomposed, &hash));
    }

    #[test]
    fn malformed_hashes_and_absurd_input_never_verify() {
        let hash = cheap().hash(&Password::parse(GOOD, &[]).unwrap()).unwrap();
        assert!(!verify(&"x".repeat(MAX_RAW_BYTES + 1), &hash));
        assert!(!verify(GOOD, &PasswordHash::from_stored("")));
        assert!(!verify(
            GOOD,
            &PasswordHash::from_stored("$argon2id$v=19$garbage")
        ));
    }

    #[test]
    fn unknown_users_cost_a_check_against_an_owasp_hash() {
        let dummy = PasswordHash::from_stored(&DUMMY_HASH);
        assert!(!dummy.needs_rehash());
        assert_eq!(check(GOOD.as_bytes(), &DUMMY_HASH), Some(false));
        verify_unknown_user(GOOD);
        verify_unknown_user(&"x".repeat(MAX_RAW_BYTES + 1));
    }

    #[test]
    fn bad_costs_are_refused() {
        assert!(matches!(
            Hasher::with_cost(1, 1, 1),
            Err(AuthError::InvalidParams)
        ));
        assert!(matches!(
            Hasher::with_cost(64, 0, 1),
            Err(AuthError::InvalidParams)
        ));
    }

    proptest! {
        // zxcvbn is slow in an unoptimised build: fewer cases keep the suite quick.
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn parsing_never_panics_and_keeps_the_length_rule(
            raw in "\\PC{0,140}",
            name in "\\PC{0,20}",
        ) {
            if let Ok(password) = Password::parse(&raw, &[&name]) {
                let chars = password.expose().chars().count();
                prop_assert!((MIN_CHARS..=MAX_CHARS).contains(&chars));
            }
        }

        #[test]
        fn parsing_any_string_never_panics(raw in any::<String>()) {
            let _ = Password::parse(&raw, &[&raw]);
        }
    }
}
