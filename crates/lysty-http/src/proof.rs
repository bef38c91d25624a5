//! The optional proof of work on the public letter form and the letter API, for a campaign
//! under attack by automated letters (`limits.proof_of_work`, off by default).
//!
//! ALTCHA's protocol (PoW v2, its official `altcha` crate), self-hosted — no third party
//! sees a writer: the page carries a challenge signed by the server; the writer's browser
//! (`static/proof.js`, WebCrypto) searches for the counter whose PBKDF2 key begins with the
//! challenge's prefix and sends the key back with the letter. The server checks it with one
//! HMAC (the challenge is made in deterministic mode and carries the key's signature), so
//! checking costs the server nothing while solving costs the sender about a second of work
//! per letter. An expired challenge, or one used before, is refused.
//!
//! The signing secrets are derived from the email key, so every instance sharing it accepts
//! the others' challenges. Used challenges are remembered in memory until they expire; with
//! several instances a solved challenge could be used once on each.

use std::collections::HashMap;
use std::sync::Mutex;

use altcha::{Challenge, CreateChallengeOptions, Payload, VerifySolutionOptions};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::Rng;

/// PBKDF2 rounds per attempt: the browser's WebCrypto does them natively, as fast as a
/// sender's own code would, so the cost is the same for a writer and for a flood.
const ROUNDS: u32 = 1_000;
/// How long a page's challenge stays good: a letter can take a while to write.
const LIFETIME_SECONDS: i64 = 2 * 60 * 60;
/// A proof longer than this is not one of ours (ours are about 700 characters).
const MAX_PROOF_CHARS: usize = 4_096;

/// The proof-of-work settings (part of `[limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofConfig {
    pub enabled: bool,
    /// The highest counter a browser may have to reach; it tries about three quarters of
    /// it on average, each attempt `ROUNDS` PBKDF2 rounds.
    pub difficulty: u32,
}

impl Default for ProofConfig {
    fn default() -> Self {
        ProofConfig {
            enabled: false,
            difficulty: 2_000,
        }
    }
}

/// Why a letter's proof was refused. The writer is told one thing in every case: their
/// browser has to confirm the letter again (a fresh challenge comes with the answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofError {
    Missing,
    Invalid,
    Expired,
    Reused,
}

pub struct ProofOfWork {
    config: ProofConfig,
    signing_secret: String,
    key_secret: String,
    /// Challenges already used (by their nonce), with when they expire.
    used: Mutex<HashMap<String, i64>>,
}

impl ProofOfWork {
    /// `secret` is derived from the installation's email key (`App::derived_secret`).
    pub fn new(config: ProofConfig, secret: [u8; 32]) -> Self {
        let hex = |label: &[u8]| -> String {
            use sha2::{Digest, Sha256};
            Sha256::new()
                .chain_update(secret)
                .chain_update(label)
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        ProofOfWork {
            config,
            signing_secret: hex(b"challenge"),
            key_secret: hex(b"key"),
            used: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.config.enabled
    }

    /// A new challenge, as the JSON the page and the API hand to the browser; `None` when
    /// the proof of work is off.
    pub fn challenge(&self, now: DateTime<Utc>) -> Option<String> {
        if !self.config.enabled {
            return None;
        }
        let top = self.config.difficulty.max(2);
        let counter = rand::rng().random_range(top / 2..=top);
        let challenge = altcha::create_challenge(CreateChallengeOptions {
            algorithm: "PBKDF2/SHA-256".into(),
            cost: ROUNDS,
            counter: Some(counter),
            expires_at: u64::try_from(now.timestamp() + LIFETIME_SECONDS).ok(),
            hmac_signature_secret: Some(self.signing_secret.clone()),
            hmac_key_signature_secret: Some(self.key_secret.clone()),
            ..CreateChallengeOptions::default()
        });
        match challenge.map(|c| serde_json::to_string(&c)) {
            Ok(Ok(json)) => Some(json),
            Ok(Err(error)) => {
                tracing::error!(%error, "a proof-of-work challenge could not be written");
                None
            }
            Err(error) => {
                tracing::error!(%error, "a proof-of-work challenge could not be made");
                None
            }
        }
    }

    /// Checks a letter's proof: base64 of ALTCHA's payload, `{"challenge", "solution"}`.
    /// Always `Ok` when the proof of work is off.
    pub fn check(&self, proof: &str, now: DateTime<Utc>) -> Result<(), ProofError> {
        if !self.config.enabled {
            return Ok(());
        }
        let proof = proof.trim();
        if proof.is_empty() {
            return Err(ProofError::Missing);
        }
        if proof.len() > MAX_PROOF_CHARS {
            return Err(ProofError::Invalid);
        }
        let payload: Payload = base64::engine::general_purpose::STANDARD
            .decode(proof)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(ProofError::Invalid)?;
        let expires = payload
            .challenge
            .parameters
            .expires_at
            .and_then(|at| i64::try_from(at).ok())
            .ok_or(ProofError::Invalid)?;
        let now = now.timestamp();
        if expires < now {
            return Err(ProofError::Expired);
        }
        if !self.verified(&payload.challenge, &payload.solution) {
            return Err(ProofError::Invalid);
        }
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.len() > 10_000 {
            used.retain(|_, until| *until >= now);
        }
        match used.insert(payload.challenge.parameters.nonce.clone(), expires) {
            Some(_) => Err(ProofError::Reused),
            None => Ok(()),
        }
    }

    fn verified(&self, challenge: &Challenge, solution: &altcha::Solution) -> bool {
        // Only challenges made here: deterministic, with the key's signature, our rounds.
        if challenge.parameters.key_signature.is_none() || challenge.parameters.cost != ROUNDS {
            return false;
        }
        let options = VerifySolutionOptions {
            hmac_key_signature_secret: Some(self.key_secret.clone()),
            ..VerifySolutionOptions::new(challenge, solution, self.signing_secret.clone())
        };
        altcha::verify_solution(options).is_ok_and(|result| result.verified)
    }
}

/// A browser's work, done in Rust: for tests and for clients of the API.
pub fn solve(challenge_json: &str) -> Option<String> {
    let challenge: Challenge = serde_json::from_str(challenge_json).ok()?;
    let solution =
        altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge)).ok()??;
    let payload = serde_json::to_vec(&Payload {
        challenge,
        solution,
    })
    .ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pow(difficulty: u32) -> ProofOfWork {
        ProofOfWork::new(
            ProofConfig {
                enabled: true,
                difficulty,
            },
            [7; 32],
        )
    }

    fn now() -> DateTime<Utc> {
        "2030-03-14T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_solved_challenge_is_accepted_once() {
        let pow = pow(40);
        let proof = solve(&pow.challenge(now()).unwrap()).unwrap();
        assert_eq!(pow.check(&proof, now()), Ok(()));
        assert_eq!(pow.check(&proof, now()), Err(ProofError::Reused));
    }

    #[test]
    fn another_installations_challenge_is_refused() {
        let theirs = ProofOfWork::new(
            ProofConfig {
                enabled: true,
                difficulty: 40,
            },
            [8; 32],
        );
        let proof = solve(&theirs.challenge(now()).unwrap()).unwrap();
        assert_eq!(pow(40).check(&proof, now()), Err(ProofError::Invalid));
    }

    #[test]
    fn an_expired_challenge_is_refused() {
        let pow = pow(40);
        let proof = solve(&pow.challenge(now()).unwrap()).unwrap();
        let later = now() + chrono::Duration::seconds(LIFETIME_SECONDS + 1);
        assert_eq!(pow.check(&proof, later), Err(ProofError::Expired));
    }

    #[test]
    fn a_made_up_or_altered_proof_is_refused() {
        let pow = pow(40);
        assert_eq!(pow.check("", now()), Err(ProofError::Missing));
        assert_eq!(pow.check("bm90IGpzb24=", now()), Err(ProofError::Invalid));
        assert_eq!(
            pow.check(&"A".repeat(5_000), now()),
            Err(ProofError::Invalid)
        );
        // The right shape with the wrong key: the counter of another challenge.
        let proof = solve(&pow.challenge(now()).unwrap()).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&proof)
            .unwrap();
        let mut payload: Payload = serde_json::from_slice(&bytes).unwrap();
        payload.solution.derived_key = "00".repeat(32);
        let forged =
            base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap());
        assert_eq!(pow.check(&forged, now()), Err(ProofError::Invalid));
        // An easier challenge written by the sender: its signature no longer matches.
        let mut payload: Payload = serde_json::from_slice(&bytes).unwrap();
        payload.challenge.parameters.cost = 1;
        let forged =
            base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap());
        assert_eq!(pow.check(&forged, now()), Err(ProofError::Invalid));
    }

    #[test]
    fn when_off_nothing_is_asked() {
        let off = ProofOfWork::new(ProofConfig::default(), [7; 32]);
        assert_eq!(off.challenge(now()), None);
        assert_eq!(off.check("", now()), Ok(()));
    }
}
