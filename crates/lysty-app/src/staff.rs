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

/// What the enrolment page shows.
pub struct Enrolment {
    pub secret_base32: String,
    pub qr_svg: String,
}

impl App {
    pub(crate) async fn audit(
        &self,
        actor: Option<&Staff>,
        action: &str,
        object: Option<(&str, String)>,
        detail: impl Into<String>,
    ) -> Result<(), StoreError> {
        self.store()
            .append_audit(&NewAudit {
                at: self.now(),
                actor: actor.map(|s| s.id),
                actor_org: actor.map(|s| s.organisation),
                action: action.to_owned(),
                object_type: object.as_ref().map(|(t, _)| (*t).to_owned()),
                object_id: object.map(|(_, id)| id),
                detail: detail.into(),
            })
            .await
    }

    /// Checks a password and opens a session. Unknown accounts do the same work as known
    /// ones, so that timing does not tell them apart.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, StaffError> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let config = &self.inner.auth;
        let Some(staff) = self.store().staff_by_email(&email).await? else {
            password::verify_unknown_user(password);
            return Err(StaffError::BadCredentials);
        };
        let locked = staff.locked_until.is_some_and(|until| until > now);
        let valid = password::verify(password, &PasswordHash::from_stored(&staff.password_hash));
        if !valid || locked || staff.disabled {
            if !valid && !staff.disabled {
                let failures = self
                    .store()
                    .record_login_failure(staff.id, config.lock_after, after(now, config.lock_for))
                    .await?;
                self.audit(Some(&staff), "sign_in_failed", None, "").await?;
                if failures == config.lock_after {
                    self.audit(
                        Some(&staff),
                        "lockout",
                        Some(("staff", staff.id.to_string())),
                        "",
                    )
                    .await?;
                }
            } else if locked {
                self.audit(Some(&staff), "sign_in_refused_locked", None, "")
                    .await?;
            }
            return Err(StaffError::BadCredentials);
        }
        let enrolled = staff.totp_secret_enc.is_some();
        let must_enrol = !enrolled && staff.roles.requires_second_factor();
        let stage = if enrolled || must_enrol {
            SessionStage::Password
        } else {
            SessionStage::Full
        };
        // Failures are forgotten only once the whole sign-in succeeds: someone who knows
        // the password and guesses codes must not get a fresh count by signing in again.
        if stage == SessionStage::Full || !enrolled {
            self.store().reset_login_failures(staff.id).await?;
        }
        let (secret, id_hash) = token::new_session_id();
        self.store()
            .create_session(&NewSession {
                id_hash,
                staff: staff.id,
                stage,
                csrf_token: token::new_csrf_token(),
                now,
                expires_at: after(now, config.absolute_timeout),
            })
            .await?;
        self.audit(Some(&staff), "sign_in", None, "").await?;
        Ok(SignedIn {
            cookie_secret: secret,
            stage,
            must_enrol,
        })
    }

    /// The account behind a session cookie, if the session is alive; ends it if not.
    pub async fn session_actor(&self, cookie_secret: &str) -> Result<Option<Actor>, StoreError> {
        let now = self.now();
        let id_hash = token::hash_token(cookie_secret);
        let Some(session) = self.store().session(&id_hash).await? else {
            return Ok(None);
        };
        let idle_end = after(session.last_seen_at, self.inner.auth.idle_timeout);
        if session.expires_at <= now || idle_end <= now || session.staff.disabled {
            self.store().delete_session(&id_hash).await?;
            return Ok(None);
        }
        // Writing on every request would serialise reads behind the writer; a minute of
        // slack on the idle timeout is harmless.
        if now - session.last_seen_at > chrono::Duration::seconds(60) {
            self.store().touch_session(&id_hash, now).await?;
        }
        Ok(Some(Actor {
            staff: session.staff,
            session: Some(id_hash),
            csrf_token: Some(session.csrf_token),
            stage: session.stage,
        }))
    }

    /// The account behind an API bearer token.
    pub async fn token_actor(&self, bearer: &str) -> Result<Option<Actor>, StoreError> {
        let staff = self
            .store()
            .staff_by_token(&token::hash_token(bearer), self.now())
            .await?;
        Ok(staff.map(|staff| Actor {
            staff,
            session: None,
            csrf_token: None,
            stage: SessionStage::Full,
        }))
    }

    /// The second step of sign-in: a TOTP code, or a recovery code.
    ///
    /// A locked account's session is refused and ended, whatever the code; so is a session
    /// after `code_attempts` wrong codes. Every wrong code also counts toward the lockout.
    pub async fn second_factor(&self, actor: &Actor, code: &str) -> Result<(), StaffError> {
        let session = actor.session.as_deref().ok_or(StaffError::Forbidden)?;
        let staff = &actor.staff;
        let Some(sealed) = &staff.totp_secret_enc else {
            return Err(StaffError::Forbidden);
        };
        let config = &self.inner.auth;
        if staff.locked_until.is_some_and(|until| until > self.now()) {
            self.store().delete_session(session).await?;
            self.audit(Some(staff), "second_factor_refused_locked", None, "")
                .await?;
            return Err(StaffError::SessionEnded);
        }
        let secret =
            self.inner.cipher.decrypt(sealed).map_err(|_| {
                StaffError::Invalid("the stored second factor cannot be read".into())
            })?;
        let secret = totp::TotpSecret::from_base32(&secret)
            .map_err(|_| StaffError::Invalid("the stored second factor is malformed".into()))?;
        let unix = u64::try_from(self.now().timestamp()).unwrap_or(0);
        let last = staff.totp_last_step.and_then(|s| u64::try_from(s).ok());
        let accepted = match totp::verify(&secret, code, unix, last) {
            Some(step) => {
                self.store()
                    .accept_totp_step(staff.id, i64::try_from(step).unwrap_or(i64::MAX))
                    .await?
            }
            None => false,
        };
        let accepted = accepted
            || self
                .store()
                .use_recovery_code(staff.id, &recovery::hash(code), self.now())
                .await?;
        if !accepted {
            self.audit(Some(staff), "second_factor_failed", None, "")
                .await?;
            let failures = self
                .store()
                .record_login_failure(
                    staff.id,
                    config.lock_after,
                    after(self.now(), config.lock_for),
                )
                .await?;
            if failures == config.lock_after {
                self.audit(
                    Some(staff),
                    "lockout",
                    Some(("staff", staff.id.to_string())),
                    "",
                )
                .await?;
            }
            let in_session = self.store().record_code_failure(session).await?;
            if in_session >= config.code_attempts || failures >= config.lock_after {
                self.store().delete_session(session).await?;
                return Err(StaffError::SessionEnded);
            }
            return Err(StaffError::BadCode);
        }
        self.store().reset_login_failures(staff.id).await?;
        self.store().promote_session(session).await?;
        self.audit(Some(staff), "second_factor", None, "").await?;
        Ok(())
    }

    /// Whether this actor may set up a second factor now: an account without one may (that
    /// is how a required factor is first set up, from a password-only session); an account
    /// with one may replace it only from a complete session, and only by giving its current
    /// password again ([`App::confirm_enrolment`]). Otherwise the password alone would
    /// replace the second factor.
    pub fn may_enrol(actor: &Actor) -> bool {
        actor.session.is_some() && (actor.staff.totp_secret_enc.is_none() || actor.is_complete())
    }

    /// Whether enrolling replaces a second factor (and so needs the current password).
    pub fn enrolment_replaces(actor: &Actor) -> bool {
        actor.staff.totp_secret_enc.is_some()
    }

    /// A new TOTP secret to show (QR code and text); nothing is stored until confirmed.
    pub fn start_enrolment(&self, actor: &Actor) -> Result<Enrolment, StaffError> {
        if !Self::may_enrol(actor) {
            return Err(StaffError::Forbidden);
        }
        let secret = totp::TotpSecret::generate();
        let uri = totp::provisioning_uri(&secret, &actor.staff.email, "Lysty");
        Ok(Enrolment {
            qr_svg: totp::qr_svg(&uri),
            secret_base32: secret.base32(),
        })
    }

    /// Confirms enrolment with a code from the new secret; returns the recovery codes,
    /// shown once. Replacing an existing second factor needs a complete session and the
    /// current password; it is audited as a replacement and the owner is told by email.
    pub async fn confirm_enrolment(
        &self,
        actor: &Actor,
        secret_base32: &str,
        code: &str,
        current_password: &str,
    ) -> Result<Vec<String>, StaffError> {
        if !Self::may_enrol(actor) {
            return Err(StaffError::Forbidden);
        }
        let replaces = Self::enrolment_replaces(actor);
        if replaces {
            let stored = PasswordHash::from_stored(&actor.staff.password_hash);
            if !password::verify(current_password, &stored) {
                let config = &self.inner.auth;
                self.store()
                    .record_login_failure(
                        actor.id(),
                        config.lock_after,
                        after(self.now(), config.lock_for),
                    )
                    .await?;
                self.audit(
                    Some(&actor.staff),
                    "second_factor_replace_refused",
                    None,
                    "",
                )
                .await?;
                return Err(StaffError::ProofNeeded);
            }
        }
        let secret = totp::TotpSecret::from_base32(secret_base32)
            .map_err(|_| StaffError::Invalid("secret".into()))?;
        let unix = u64::try_from(self.now().timestamp()).unwrap_or(0);
        let Some(step) = totp::verify(&secret, code, unix, None) else {
            return Err(StaffError::BadCode);
        };
        let codes = recovery::generate(10);
        let hashes: Vec<String> = codes.iter().map(|c| recovery::hash(c.as_str())).collect();
        let sealed = self
            .inner
            .cipher
            .encrypt(&secret.base32())
            .map_err(|e| StaffError::Invalid(e.to_string()))?;
        let id = actor.staff.id;
        let action = if replaces {
            "second_factor_replaced"
        } else {
            "second_factor_enrolled"
        };
        self.store()
            .enrol_totp(&TotpEnrolment {
                staff: id,
                secret_enc: sealed,
                recovery_hashes: hashes,
                audit: NewAudit {
                    at: self.now(),
                    actor: Some(id),
                    actor_org: Some(actor.org()),
                    action: action.to_owned(),
                    object_type: Some("staff".to_owned()),
                    object_id: Some(id.to_string()),
                    detail: String::new(),
                },
                notice: replaces.then(|| NOTICE_SECOND_FACTOR_REPLACED.to_owned()),
            })
            .await?;
        self.store()
            .accept_totp_step(id, i64::try_from(step).unwrap_or(i64::MAX))
            .await?;
        self.store().reset_login_failures(id).await?;
        if let Some(session) = &actor.session {
            self.store().promote_session(session).await?;
        }
        if replaces {
            self.wake_mail();
        }
        Ok(codes.iter().map(|c| c.as_str().to_owned()).collect())
    }

    pub async fn sign_out(&self, actor: &Actor) -> Result<(), StoreError> {
        if let Some(session) = &actor.session {
            self.store().delete_session(session).await?;
        }
        self.audit(Some(&actor.staff), "sign_out", None, "").await
    }

    pub async fn sign_out_everywhere(&self, actor: &Actor) -> Result<u64, StoreError> {
        let ended = self.store().delete_sessions_of(actor.id()).await?;
        self.audit(
            Some(&actor.staff),
            "sign_out_everywhere",
            None,
            format!("{ended} sessions"),
        )
        .await?;
        Ok(ended)
    }

    // --- tokens ---

    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<SecretString, StaffError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StaffError::Invalid("name".into()));
        }
        let (plain, hash) = token::new_api_token();
        let id = self
            .store()
            .create_token(actor.id(), name, &hash, self.now())
            .await?;
        self.audit(
            Some(&actor.staff),
            "token_created",
            Some(("token", id.to_string())),
            "",
        )
        .await?;
        Ok(plain)
    }

    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, StoreError> {
        self.store().list_tokens(actor.id()).await
    }

    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<(), StaffError> {
        if !self
            .store()
            .revoke_token(actor.id(), id, self.now())
            .await?
        {
            return Err(StaffError::NotFound);
        }
        self.audit(
            Some(&actor.staff),
            "token_revoked",
            Some(("token", id.to_string())),
            "",
        )
        .await?;
        Ok(())
    }

    /// For `lysty token create --user EMAIL`: a token for an account, by the operator.
    pub async fn create_token_for(
        &self,
        email: &str,
        name: &str,
    ) -> Result<SecretString, StaffError> {
        let staff = self
            .store()
            .staff_by_email(&email.trim().to_lowercase())
            .await?
            .ok_or(StaffError::NotFound)?;
        let (plain, hash) = token::new_api_token();
        let id = self
            .store()
            .create_token(staff.id, name, &hash, self.now())
            .await?;
        self.audit(
            None,
            "token_created",
            Some(("token", id.to_string())),
            format!("for {}", staff.id),
        )
        .await?;
        Ok(plain)
    }

    // --- organisations and staff ---

    pub async fn create_organisation(
        &self,
        actor: Option<&Actor>,
        org: &NewOrganisation,
    ) -> Result<OrganisationId, StaffError> {
        if actor.is_some_and(|a| !a.is_admin()) {
            return Err(StaffError::Forbidden);
        }
        let slug_ok = !org.slug.is_empty()
            && org.slug.len() <= 64
            && org
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok || org.name_uk.trim().is_empty() || org.name_en.trim().is_empty() {
            return Err(StaffError::Invalid("organisation".into()));
        }
        let id = self.store().upsert_organisation(org).await?;
        self.audit(
            actor.map(|a| &a.staff),
            "organisation_saved",
            Some(("organisation", id.to_string())),
            org.slug.clone(),
        )
        .await?;
        Ok(id)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        self.store().list_organisations().await
    }

    /// Whether `actor` may manage staff of `org` and grant `roles`.
    fn may_manage(actor: &Actor, org: OrganisationId, roles: Option<Roles>) -> bool {
        if actor.is_admin() {
            return true;
        }
        actor.roles().has(Role::Coordinator)
            && actor.org() == org
            && roles.is_none_or(|r| !r.has(Role::Admin))
    }

    /// Creates an account. `actor` is `None` for the operator's CLI. Without a password,
    /// one is generated and returned (to be shown once).
    pub async fn create_staff(
        &self,
        actor: Option<&Actor>,
        org: OrganisationId,
        email: &str,
        name: &str,
        roles: Roles,
        password: Option<&str>,
    ) -> Result<(StaffId, Option<SecretString>), StaffError> {
        if let Some(actor) = actor
            && !Self::may_manage(actor, org, Some(roles))
        {
            return Err(StaffError::Forbidden);
        }
        let email = email.trim().to_lowercase();
        let email_ok = lysty_domain::Email::parse(&email).ok().flatten().is_some();
        let name = name.trim();
        if !email_ok || name.is_empty() || name.chars().count() > 100 || roles.is_empty() {
            return Err(StaffError::Invalid("account".into()));
        }
        let (password, generated) = match password {
            Some(raw) => (
                Password::parse(raw, &[&email, name])
                    .map_err(|e| StaffError::Password(e.code()))?,
                None,
            ),
            None => {
                let raw = recovery::generate(1)
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join("-");
                let parsed =
                    Password::parse(&raw, &[]).map_err(|e| StaffError::Password(e.code()))?;
                (parsed, Some(SecretString::from(raw)))
            }
        };
        let hash = password::hash(&password).map_err(|e| StaffError::Invalid(e.to_string()))?;
        let created = self
            .store()
            .create_staff(&NewStaff {
                organisation: org,
                email,
                name: name.to_owned(),
                roles,
                password_hash: hash.as_str().to_owned(),
            })
            .await;
        let id = match created {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(StaffError::EmailTaken),
            Err(other) => return Err(other.into()),
        };
        self.audit(
            actor.map(|a| &a.staff),
            "staff_created",
            Some(("staff", id.to_string())),
            format!("roles {roles}"),
        )
        .await?;
        Ok((id, generated))
    }

    pub async fn list_staff(&self, actor: &Actor) -> Result<Vec<Staff>, StaffError> {
        if actor.is_admin() {
            Ok(self.store().list_staff(None).await?)
        } else if actor.roles().has(Role::Coordinator) {
            Ok(self.store().list_staff(Some(actor.org())).await?)
        } else {
            Err(StaffError::Forbidden)
        }
    }

    async fn managed(
        &self,
        actor: &Actor,
        id: StaffId,
        roles: Option<Roles>,
    ) -> Result<Staff, StaffError> {
        let staff = self
            .store()
            .staff_by_id(id)
            .await?
            .ok_or(StaffError::NotFound)?;
        if !Self::may_manage(actor, staff.organisation, roles) {
            // Another organisation's account does not exist, as far as this actor knows.
            return Err(StaffError::NotFound);
        }
        Ok(staff)
    }

    pub async fn set_roles(
        &self,
        actor: &Actor,
        id: StaffId,
        roles: Roles,
    ) -> Result<(), StaffError> {
        let staff = self.managed(actor, id, Some(roles)).await?;
        if staff.roles.has(Role::Admin) && !actor.is_admin() {
            return Err(StaffError::Forbidden);
        }
        if roles.is_empty() {
            return Err(StaffError::Invalid("roles".into()));
        }
        if staff.id == actor.id() && staff.roles.has(Role::Admin) && !roles.has(Role::Admin) {
            // Another admin can; an installation is never left without one by a slip.
            return Err(StaffError::Invalid("own-admin".into()));
        }
        self.store().set_staff_roles(id, roles).await?;
        self.audit(
            Some(&actor.staff),
            "role_change",
            Some(("staff", id.to_string())),
            format!("{} -> {roles}", staff.roles),
        )
        .await?;
        Ok(())
    }

    pub async fn set_disabled(
        &self,
        actor: &Actor,
        id: StaffId,
        disabled: bool,
    ) -> Result<(), StaffError> {
        let staff = self.managed(actor, id, None).await?;
        if staff.id == actor.id() || (staff.roles.has(Role::Admin) && !actor.is_admin()) {
            return Err(StaffError::Forbidden);
        }
        self.store()
            .set_staff_disabled(id, disabled, self.now())
            .await?;
        let action = if disabled {
            "staff_disabled"
        } else {
            "staff_enabled"
        };
        self.audit(
            Some(&actor.staff),
            action,
            Some(("staff", id.to_string())),
            "",
        )
        .await?;
        Ok(())
    }

    /// The plaintext of a secret, for showing once.
    pub fn reveal(secret: &SecretString) -> &str {
        secret.expose_secret()
    }
}
