//! Staff, their sessions, second factors and tokens, the audit log and the lexicon's terms.

use chrono::{DateTime, Utc};

use super::*;

pub use lysty_domain::{RejectReason, Role, Roles};

id_type!(StaffId);
id_type!(TokenId);

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub organisation: OrganisationId,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    pub roles: Roles,
    /// An argon2id PHC string.
    pub password_hash: String,
}

#[derive(Clone)]
pub struct Staff {
    pub id: StaffId,
    pub organisation: OrganisationId,
    pub email: String,
    pub name: String,
    pub roles: Roles,
    pub password_hash: String,
    /// The TOTP secret, encrypted; `None` until enrolled.
    pub totp_secret_enc: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Credentials stay out of logs.
impl std::fmt::Debug for Staff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staff")
            .field("id", &self.id)
            .field("organisation", &self.organisation)
            .field("roles", &self.roles)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// A session is `Password` after the password, and `Full` once the second factor is
/// given (or when the account has none and needs none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    Password,
    Full,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::Password => "password",
            SessionStage::Full => "full",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "password" => Some(SessionStage::Password),
            "full" => Some(SessionStage::Full),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's secret: the secret itself is never stored.
    pub id_hash: String,
    pub staff: StaffId,
    pub stage: SessionStage,
    pub csrf_token: String,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The sign-in's audit line, written with the session.
    pub audit: Option<NewAudit>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub staff: Staff,
    pub stage: SessionStage,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// After this the token opens nothing.
    pub expires_at: DateTime<Utc>,
}

/// How long a token stored without an expiry (made before tokens expired) lives.
pub const LEGACY_TOKEN_DAYS: i64 = 90;

/// When a token expires: as stored, or `LEGACY_TOKEN_DAYS` after it was made.
pub fn token_expiry(created_at: DateTime<Utc>, stored: Option<DateTime<Utc>>) -> DateTime<Utc> {
    stored.unwrap_or(created_at + chrono::Duration::days(LEGACY_TOKEN_DAYS))
}

/// A second factor to store, with what must be written in the same transaction.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub staff: StaffId,
    pub secret_enc: Vec<u8>,
    pub recovery_hashes: Vec<String>,
    pub audit: NewAudit,
    /// The kind of email to queue for the account's owner (`second_factor_replaced`).
    pub notice: Option<String>,
}

/// A password an admin set in place of someone's own, with what goes with it in the same
/// transaction: the account's sessions end, its API tokens are revoked, its lockout is
/// lifted, the audit line, and the email telling its owner.
#[derive(Debug, Clone)]
pub struct PasswordReset {
    pub staff: StaffId,
    pub password_hash: String,
    pub audit: NewAudit,
    /// The kind of email to queue for the account's owner (`password_reset`).
    pub notice: String,
}

/// An email to a staff member about their own account.
#[derive(Debug, Clone)]
pub struct StaffNotice {
    pub id: Uuid,
    pub staff: StaffId,
    pub email: String,
    pub kind: String,
    pub attempts: i64,
}

/// One line of the audit log. Never letter text, passwords, tokens or writers' data.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at: DateTime<Utc>,
    pub actor: Option<StaffId>,
    pub actor_org: Option<OrganisationId>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

impl NewAudit {
    /// The line as the store writes it once the action has happened: each `{name}` in
    /// `detail` replaced by what the action found (letters moved, emails queued), and, for an
    /// action that creates its object, that object's id where the line left it empty.
    pub fn completed(&self, created: Option<String>, found: &[(&str, String)]) -> NewAudit {
        let mut line = self.clone();
        if line.object_id.is_none() {
            line.object_id = created;
        }
        for (name, value) in found {
            line.detail = line.detail.replace(&format!("{{{name}}}"), value);
        }
        line
    }
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<StaffId>,
    pub actor_email: Option<String>,
    pub actor_org: Option<OrganisationId>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<StaffId>,
    pub action: Option<String>,
    pub object_id: Option<String>,
    /// Keyset pagination: entries older than this id.
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconTerm {
    pub id: Uuid,
    pub term: String,
    pub language: String,
    pub category: String,
}
