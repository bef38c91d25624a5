//! Signing in: the password, the second factor (with lockout) and its enrolment, sessions, signing out.

use super::*;

impl App {
    /// Checks a password and opens a session. Unknown accounts do the same work as known
    /// ones, so that timing does not tell them apart.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, StaffError> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let config = &self.inner.auth;
        let Some(staff) = self.store().staff_by_email(&email).await? else {
            let password = password.to_owned();
            self.password_work(move || password::verify_unknown_user(&password))
                .await?;
            return Err(StaffError::BadCredentials);
        };
        let locked = staff.locked_until.is_some_and(|until| until > now);
        let stored = PasswordHash::from_stored(&staff.password_hash);
        let typed = password.to_owned();
        let valid = self
            .password_work(move || password::verify(&typed, &stored))
            .await?;
        if !valid || locked || staff.disabled {
            if !valid && !staff.disabled {
                self.record_failure(&staff, "sign_in_failed").await?;
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
                audit: Some(self.audit_line(Some(&staff), "sign_in", None, "")),
            })
            .await?;
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
            self.store().delete_session(&id_hash, None).await?;
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
            let refused = self.audit_line(Some(staff), "second_factor_refused_locked", None, "");
            self.store().delete_session(session, Some(&refused)).await?;
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
            let failures = self.record_failure(staff, "second_factor_failed").await?;
            let in_session = self.store().record_code_failure(session).await?;
            if in_session >= config.code_attempts || failures >= config.lock_after {
                self.store().delete_session(session, None).await?;
                return Err(StaffError::SessionEnded);
            }
            return Err(StaffError::BadCode);
        }
        self.store().reset_login_failures(staff.id).await?;
        let passed = self.audit_line(Some(staff), "second_factor", None, "");
        self.store().promote_session(session, Some(&passed)).await?;
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
            self.prove_password(actor, current_password, "second_factor_replace_refused")
                .await?;
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
            self.store().promote_session(session, None).await?;
        }
        if replaces {
            self.wake_mail();
        }
        Ok(codes.iter().map(|c| c.as_str().to_owned()).collect())
    }

    pub async fn sign_out(&self, actor: &Actor) -> Result<(), StoreError> {
        let line = self.audit_line(Some(&actor.staff), "sign_out", None, "");
        match &actor.session {
            Some(session) => self.store().delete_session(session, Some(&line)).await,
            // A token's holder has no session to end: the line alone.
            None => self.store().append_audit(&line).await,
        }
    }

    /// Changes one's own password, proving the current one (a wrong one counts towards the
    /// lockout). Every session of the account ends with it, this one too: the person signs
    /// in again with the new password.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
    ) -> Result<(), StaffError> {
        if !actor.is_complete() {
            return Err(StaffError::Forbidden);
        }
        self.prove_password(actor, current, "password_change_refused")
            .await?;
        let context = [actor.staff.email.as_str(), actor.staff.name.as_str()];
        let parsed = Password::parse(new, &context).map_err(|e| StaffError::Password(e.code()))?;
        let hash = self
            .password_work(move || password::hash(&parsed))
            .await?
            .map_err(|e| StaffError::Invalid(e.to_string()))?;
        self.store()
            .change_password(
                actor.id(),
                hash.as_str(),
                &NewAudit {
                    at: self.now(),
                    actor: Some(actor.id()),
                    actor_org: Some(actor.org()),
                    action: "password_changed".into(),
                    object_type: Some("staff".into()),
                    object_id: Some(actor.id().to_string()),
                    detail: String::new(),
                },
            )
            .await?;
        Ok(())
    }

    /// Ends every session of the account and revokes its API tokens: what someone does
    /// who fears their account is in other hands.
    /// The account's current password, given again before a change to the account itself.
    /// A wrong one counts towards the lockout like a failed sign-in and is audited as
    /// `refused_action`.
    async fn prove_password(
        &self,
        actor: &Actor,
        typed: &str,
        refused_action: &str,
    ) -> Result<(), StaffError> {
        let stored = PasswordHash::from_stored(&actor.staff.password_hash);
        let typed = typed.to_owned();
        if self
            .password_work(move || password::verify(&typed, &stored))
            .await?
        {
            return Ok(());
        }
        self.record_failure(&actor.staff, refused_action).await?;
        Err(StaffError::ProofNeeded)
    }

    /// A wrong password or code counted against the account, with its audit line (`action`)
    /// and, when it locks the account, the `lockout` line — in one transaction.
    async fn record_failure(&self, staff: &Staff, action: &str) -> Result<i64, StoreError> {
        let config = &self.inner.auth;
        let failed = self.audit_line(Some(staff), action, None, "");
        let lockout = self.audit_line(
            Some(staff),
            "lockout",
            Some(("staff", staff.id.to_string())),
            "",
        );
        self.store()
            .record_login_failure(
                staff.id,
                config.lock_after,
                after(self.now(), config.lock_for),
                &failed,
                &lockout,
            )
            .await
    }

    pub async fn sign_out_everywhere(&self, actor: &Actor) -> Result<u64, StoreError> {
        let line = self.audit_line(
            Some(&actor.staff),
            "sign_out_everywhere",
            None,
            "{count} sessions",
        );
        self.store().sign_out_everywhere(actor.id(), &line).await
    }
}
