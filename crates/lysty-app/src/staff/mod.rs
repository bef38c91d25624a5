//! Staff accounts: sign-in with a second factor, sessions, API tokens, and managing
//! organisations and staff. Every action here is written to the audit log, and every
//! permission check lives here, not in the web layer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lysty_auth::password::{self, Password, PasswordHash};
use lysty_auth::{recovery, token, totp};
use lysty_domain::{Role, Roles};
use lysty_store::{
    ApiToken, NewAudit, NewOrganisation, NewSession, NewStaff, Organisation, OrganisationId,
    SessionStage, Staff, StaffId, StoreError, TokenId, TotpEnrolment,
};
use secrecy::{ExposeSecret, SecretString};

use crate::App;
mod accounts;
mod sign_in;

/// How long things last, and when accounts lock.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Failed sign-ins after which the account locks.
    pub lock_after: i64,
    pub lock_for: Duration,
    /// A session not used for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout: Duration,
    /// How long opening a letter keeps it for one moderator.
    pub claim_for: Duration,
    /// Wrong second-factor codes after which a password-only session ends (the account
    /// still locks after `lock_after` failures of either step).
    pub code_attempts: i64,
    /// How long an API token opens the API after it is made.
    pub token_lifetime: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            lock_after: 5,
            lock_for: Duration::from_secs(15 * 60),
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            claim_for: Duration::from_secs(10 * 60),
            code_attempts: 3,
            token_lifetime: Duration::from_secs(90 * 24 * 60 * 60),
        }
    }
}

fn after(at: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    at + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Someone signed in: the account, and how they proved it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff: Staff,
    /// The session's hash, when signed in through the browser (not a token).
    pub session: Option<String>,
    pub csrf_token: Option<String>,
    pub stage: SessionStage,
}

impl Actor {
    pub fn id(&self) -> StaffId {
        self.staff.id
    }

    pub fn org(&self) -> OrganisationId {
        self.staff.organisation
    }

    pub fn roles(&self) -> Roles {
        self.staff.roles
    }

    pub fn is(&self, roles: &[Role]) -> bool {
        self.staff.roles.any(roles)
    }

    pub fn is_admin(&self) -> bool {
        self.staff.roles.has(Role::Admin)
    }

    /// Signed in with everything required: password, and the second factor where it
    /// is enrolled or required.
    pub fn is_complete(&self) -> bool {
        self.stage == SessionStage::Full
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// One answer for unknown email, wrong password and locked account, so that no one
    /// learns which accounts exist.
    #[error("wrong email or password, or the account is locked for a while")]
    BadCredentials,
    #[error("the code is wrong or was used already")]
    BadCode,
    /// The second step was refused for good: the account is locked, or too many wrong
    /// codes were given; the password-only session has ended.
    #[error("too many attempts; the session has ended")]
    SessionEnded,
    /// Replacing an existing second factor needs the account's current password.
    #[error("the current password is needed to replace the second factor")]
    ProofNeeded,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("the password is refused: {0}")]
    Password(&'static str),
    #[error("this email is already used")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new session: the cookie's secret (shown to the browser once) and what it opens.
pub struct SignedIn {
    pub cookie_secret: SecretString,
    pub stage: SessionStage,
    /// The account must enrol a second factor before anything else.
    pub must_enrol: bool,
}

/// The kind of the email that tells an account's owner their second factor was replaced.
pub const NOTICE_SECOND_FACTOR_REPLACED: &str = "second_factor_replaced";

/// The kind of the email that tells an account's owner an admin reset their password.
pub const NOTICE_PASSWORD_RESET: &str = "password_reset";

/// What the enrolment page shows.
pub struct Enrolment {
    pub secret_base32: String,
    pub qr_svg: String,
}

impl App {
    /// Runs Argon2 (tens of milliseconds of CPU and 19 MiB) on the blocking pool, a few at
    /// once (every core but one): a crowd of sign-ins waits its turn instead of stalling
    /// the async workers that serve every other request.
    pub(crate) async fn password_work<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StaffError> {
        let _permit = self
            .inner
            .password_work
            .acquire()
            .await
            .map_err(|_| StaffError::Store(StoreError::Busy))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| StaffError::Store(StoreError::message(e.to_string())))
    }

    /// A page of the audit log, for admins.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &lysty_store::AuditFilter,
    ) -> Result<Vec<lysty_store::AuditEntry>, StaffError> {
        if !actor.is_admin() {
            return Err(StaffError::Forbidden);
        }
        Ok(self.store().list_audit(filter).await?)
    }

    /// What the audit log's objects are called, for reading it: a member of staff by their
    /// name and email, an event by its title, a letter by the reference printed on it. Keyed
    /// by (object type, object id); an object without a better name keeps its id.
    pub async fn audit_object_names(
        &self,
        actor: &Actor,
        entries: &[lysty_store::AuditEntry],
    ) -> Result<std::collections::HashMap<(String, String), String>, StaffError> {
        if !actor.is_admin() {
            return Err(StaffError::Forbidden);
        }
        let mut names = std::collections::HashMap::new();
        let mut events = None;
        for e in entries {
            let (Some(kind), Some(id)) = (&e.object_type, &e.object_id) else {
                continue;
            };
            let key = (kind.clone(), id.clone());
            if names.contains_key(&key) {
                continue;
            }
            let Ok(uuid) = uuid::Uuid::parse_str(id) else {
                continue;
            };
            let name = match kind.as_str() {
                "staff" => self
                    .store()
                    .staff_by_id(lysty_store::StaffId(uuid))
                    .await?
                    .map(|s| format!("{} ({})", s.name, s.email)),
                "event" => {
                    if events.is_none() {
                        events = Some(self.all_events().await?);
                    }
                    events
                        .iter()
                        .flatten()
                        .find(|ev| ev.id.0 == uuid)
                        .map(|ev| ev.title.uk.clone())
                }
                "letter" => Some(lysty_domain::delivery::reference(lysty_store::LetterId(
                    uuid,
                ))),
                _ => None,
            };
            if let Some(name) = name {
                names.insert(key, name);
            }
        }
        Ok(names)
    }

    /// The audit line of an action by `actor` (by the operator when `None`), now. A mutating
    /// store call takes it and writes it in the action's own transaction; an object named
    /// without an id is the one the action creates, which the store names.
    pub(crate) fn audit_line(
        &self,
        actor: Option<&Staff>,
        action: &str,
        object: Option<(&str, String)>,
        detail: impl Into<String>,
    ) -> NewAudit {
        NewAudit {
            at: self.now(),
            actor: actor.map(|s| s.id),
            actor_org: actor.map(|s| s.organisation),
            action: action.to_owned(),
            object_type: object.as_ref().map(|(t, _)| (*t).to_owned()),
            object_id: object.map(|(_, id)| id).filter(|id| !id.is_empty()),
            detail: detail.into(),
        }
    }

    /// An audit line of its own, for what changes nothing else (sign-in attempts, exports).
    pub(crate) async fn audit(
        &self,
        actor: Option<&Staff>,
        action: &str,
        object: Option<(&str, String)>,
        detail: impl Into<String>,
    ) -> Result<(), StoreError> {
        let line = self.audit_line(actor, action, object, detail);
        self.store().append_audit(&line).await
    }

    /// The plaintext of a secret, for showing once.
    pub fn reveal(secret: &SecretString) -> &str {
        secret.expose_secret()
    }
}
