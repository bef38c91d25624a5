//! The second factor: RFC 6238 time-based one-time passwords, as every authenticator app
//! speaks them (HMAC-SHA-1, 6 digits, 30-second steps).
//!
//! `totp-rs` computes the codes (RFC-checked secret length and digit count, constant-time
//! token comparison); the rules around them live here, because the crate leaves them to the
//! caller: a code is accepted for the current step or one step either side (clock drift),
//! and only for a step later than the last one accepted, so a code once used, or any older
//! one, never works again (ASVS 6.5.1). SHA-1 is what the apps support; its collision
//! weakness does not affect HMAC.

use std::fmt;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use secrecy::{ExposeSecret, SecretBox};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::AuthError;

/// Seconds per step.
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// The 160 bits RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

/// A shared TOTP secret: 20 random bytes, shown once to the person (QR code and base32)
/// and stored encrypted by the caller.
pub struct TotpSecret(SecretBox<[u8; SECRET_BYTES]>);

impl TotpSecret {
    /// A fresh secret from the operating system's cryptographic generator.
    pub fn generate() -> Self {
        TotpSecret(SecretBox::init_with_mut(
            |bytes: &mut [u8; SECRET_BYTES]| rand::fill(bytes),
        ))
    }

    /// Reads a secret back from its base32 form (RFC 4648, as [`TotpSecret::base32`] writes
    /// it). Lower case, spaces and `=` padding are accepted, as apps display secrets that way.
    pub fn from_base32(raw: &str) -> Result<Self, AuthError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let secret =
            Secret::try_from_base32(&cleaned).map_err(|_| AuthError::MalformedTotpSecret)?;
        let bytes: [u8; SECRET_BYTES] = secret
            .as_bytes()
            .try_into()
            .map_err(|_| AuthError::MalformedTotpSecret)?;
        Ok(Self::from_bytes(bytes))
    }

    /// Wraps known bytes: for tests against published vectors.
    pub fn from_bytes(bytes: [u8; SECRET_BYTES]) -> Self {
        TotpSecret(SecretBox::new(Box::new(bytes)))
    }

    /// RFC 4648 base32 without padding (32 characters): what the person types into an app
    /// that cannot scan, and what the caller encrypts for storage.
    pub fn base32(&self) -> String {
        Secret::new_stack(*self.0.expose_secret()).to_base32()
    }

    fn totp(&self) -> Option<Totp> {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_skew(0)
            .with_step_duration(STEP_SECONDS)
            .with_secret(Secret::new_stack(*self.0.expose_secret()))
            .build()
            .ok()
    }
}

/// The secret never appears in logs.
impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

/// The `otpauth://totp/` URI authenticator apps read from the QR code ("Key Uri Format").
/// Issuer and account are percent-encoded; a colon in either would split the label, so it
/// becomes a space.
pub fn provisioning_uri(secret: &TotpSecret, account: &str, issuer: &str) -> String {
    let issuer = encode(&issuer.replace(':', " "));
    let account = encode(&account.replace(':', " "));
    format!(
        "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        secret.base32()
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(raw: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// An SVG QR code for `data`, to embed inline in a page: black on white with the standard
/// quiet zone, at least 200 px, no XML declaration and nothing fetched from elsewhere.
/// Medium error correction. Data too long for any QR code (over about 2 KB, never the case
/// for a provisioning URI) gives an empty string, since there is nothing to draw; the
/// caller shows the base32 secret beside it in any case.
pub fn qr_svg(data: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    match image.find("<svg") {
        Some(start) => image.get(start..).unwrap_or_default().to_owned(),
        None => image,
    }
}

/// Checks a code typed by the person (spaces allowed, as in `123 456`) at `now_unix`.
///
/// Returns the time step the code belongs to when it matches the current step or one
/// either side, and that step is later than `last_used_step`. The caller stores the
/// returned step as the new `last_used_step` (atomically, so two racing logins cannot
/// both use it), which makes every code single-use.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now_unix: u64,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = secret.totp()?;
    let current = now_unix / STEP_SECONDS;
    let mut accepted = None;
    // Every candidate step is computed and compared, whichever matches, so timing does not
    // tell which step a code belongs to.
    for step in [
        current.checked_sub(1),
        Some(current),
        current.checked_add(1),
    ]
    .into_iter()
    .flatten()
    {
        let Some(time) = step.checked_mul(STEP_SECONDS) else {
            continue;
        };
        let expected = totp.generate(time).to_string();
        let matches = bool::from(expected.as_bytes().ct_eq(code.as_bytes()));
        let fresh = last_used_step.is_none_or(|last| step > last);
        if matches && fresh && accepted.is_none() {
            accepted = Some(step);
        }
    }
    accepted
}

/// The code an authenticator app shows at `now_unix`: for tools and tests that play the
/// person's phone.
pub fn code_at(secret: &TotpSecret, now_unix: u64) -> Option<String> {
    let step_start = (now_unix / STEP_SECONDS).checked_mul(STEP_SECONDS)?;
    Some(secret.totp()?.generate(step_start).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 6238 appendix B's SHA-1 secret: ASCII "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(*b"12345678901234567890")
    }

    /// RFC 6238 appendix B, SHA-1 column, keeping the last 6 of the 8 digits (the RFC
    /// truncates modulo 10^digits, so 6 digits are the 8-digit value's last six).
    const RFC_VECTORS: &[(u64, &str)] = &[
        (59, "287082"),
        (1_111_111_109, "081804"),
        (1_111_111_111, "050471"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
        (20_000_000_000, "353130"),
    ];

    fn code_at(secret: &TotpSecret, time: u64) -> String {
        secret.totp().unwrap().generate(time).to_string()
    }

    #[test]
    fn rfc_6238_sha1_vectors() {
        let secret = rfc_secret();
        for &(time, code) in RFC_VECTORS {
            assert_eq!(code_at(&secret, time), code, "T = {time}");
            assert_eq!(
                verify(&secret, code, time, None),
                Some(time / 30),
                "T = {time}"
            );
        }
    }

    #[test]
    fn codes_may_be_typed_with_spaces() {
        let secret = rfc_secret();
        assert_eq!(verify(&secret, " 287 082 ", 59, None), Some(1));
        assert_eq!(verify(&secret, "28 70 82", 59, None), Some(1));
    }

    #[test]
    fn a_used_code_is_refused_and_so_is_any_older_one() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let step = verify(&secret, "050471", now, None).unwrap();
        assert_eq!(verify(&secret, "050471", now, Some(step)), None);
        assert_eq!(verify(&secret, "050471", now + 10, Some(step)), None);
        let previous = code_at(&secret, now - 30);
        assert_eq!(verify(&secret, &previous, now, Some(step)), None);
        let next = code_at(&secret, now + 30);
        assert_eq!(verify(&secret, &next, now, Some(step)), Some(step + 1));
    }

    #[test]
    fn one_step_either_side_is_accepted_and_no_more() {
        let secret = rfc_secret();
        let now: u64 = 1_700_000_000;
        let step = now / 30;
        for offset in [-1i64, 0, 1] {
            let time = now.checked_add_signed(offset * 30).unwrap();
            let code = code_at(&secret, time);
            assert_eq!(
                verify(&secret, &code, now, None),
                Some(time / 30),
                "{offset}"
            );
        }
        for offset in [-3i64, -2, 2, 3] {
            let time = now.checked_add_signed(offset * 30).unwrap();
            let code = code_at(&secret, time);
            assert_eq!(verify(&secret, &code, now, None), None, "{offset}");
        }
        assert!(verify(&secret, &code_at(&secret, now), now, Some(step - 1)).is_some());
    }

    #[test]
    fn wrong_and_malformed_codes_are_refused() {
        let secret = rfc_secret();
        assert_eq!(verify(&secret, "287083", 59, None), None);
        assert_eq!(verify(&secret, "", 59, None), None);
        assert_eq!(verify(&secret, "28708", 59, None), None);
        assert_eq!(verify(&secret, "2870822", 59, None), None);
        assert_eq!(verify(&secret, "+87082", 59, None), None);
        assert_eq!(verify(&secret, "２８７０８２", 59, None), None);
        assert_eq!(verify(&secret, "94287082", 59, None), None);
    }

    #[test]
    fn the_edges_of_time_do_not_overflow() {
        let secret = rfc_secret();
        let _ = verify(&secret, "000000", 0, None);
        let _ = verify(&secret, "000000", u64::MAX, None);
        let _ = verify(&secret, "000000", u64::MAX, Some(u64::MAX));
        let code = code_at(&secret, 0);
        assert_eq!(verify(&secret, &code, 0, None), Some(0));
    }

    #[test]
    fn base32_round_trips_and_is_forgiving() {
        let secret = rfc_secret();
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let back = TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap();
        assert_eq!(back.base32(), secret.base32());
        let fresh = TotpSecret::generate();
        assert_eq!(
            TotpSecret::from_base32(&fresh.base32()).unwrap().base32(),
            fresh.base32()
        );
        assert_ne!(fresh.base32(), TotpSecret::generate().base32());
    }

    #[test]
    fn secrets_of_the_wrong_size_or_alphabet_are_refused() {
        for bad in [
            "",
            "GEZDGNBVGY3TQOJQ",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGE",
            "1!@#",
        ] {
            assert_eq!(
                TotpSecret::from_base32(bad).unwrap_err(),
                AuthError::MalformedTotpSecret,
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_does_not_reveal_the_secret() {
        let secret = TotpSecret::generate();
        assert_eq!(format!("{secret:?}"), "TotpSecret(…)");
    }

    #[test]
    fn the_provisioning_uri_follows_the_key_uri_format() {
        let uri = provisioning_uri(&rfc_secret(), "anna@example.org", "Lysty");
        assert_eq!(
            uri,
            "otpauth://totp/Lysty:anna%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Lysty&algorithm=SHA1&digits=6&period=30"
        );
        let odd = provisioning_uri(&rfc_secret(), "a:b c&d", "Листи");
        assert!(odd.starts_with("otpauth://totp/%D0%9B"), "{odd}");
        assert!(odd.contains(":a%20b%20c%26d?"), "{odd}");
    }

    #[test]
    fn the_qr_code_is_a_self_contained_svg() {
        let uri = provisioning_uri(&rfc_secret(), "anna@example.org", "Lysty");
        let svg = qr_svg(&uri);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("fill=\"#000000\"") && svg.contains("fill=\"#ffffff\""));
        assert!(!svg.contains("<?xml") && !svg.contains("href") && !svg.contains("<script"));
        let width: u32 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(width >= 200, "{width}");
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
    }

    proptest! {
        #[test]
        fn verifying_never_panics(
            code in "\\PC{0,12}",
            now in any::<u64>(),
            last in any::<Option<u64>>(),
        ) {
            let _ = verify(&rfc_secret(), &code, now, last);
        }

        #[test]
        fn the_current_code_is_accepted_once(now in 30u64..=u64::MAX / 2) {
            let secret = TotpSecret::generate();
            let code = code_at(&secret, now);
            let step = verify(&secret, &code, now, None);
            let current = now / 30;
            prop_assert!(step.is_some_and(|s| s + 1 >= current && s <= current));
            // Once its step is used the code is refused, unless by a one-in-a-million
            // chance it is also the code of a later step in the window.
            if let Some(later) = verify(&secret, &code, now, step) {
                prop_assert!(later > step.unwrap_or(0));
                prop_assert_eq!(code_at(&secret, later * 30), code);
            }
        }

        #[test]
        fn reading_secrets_never_panics(raw in "\\PC{0,64}") {
            let _ = TotpSecret::from_base32(&raw);
        }
    }
}
