//! Staff accounts and their credentials: passwords and lockout, the second factor and its
//! recovery codes, sessions, API tokens, and the emails that tell staff about their own
//! account. Written once over [`Backend`]: the first area out of the `sql_store!` macro.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lysty_domain::Roles;
use tracing::instrument;
use uuid::Uuid;

use crate::backend::{Backend, Param, Transaction};
use crate::rows::{RowAccess, session_from, staff_from, staff_notice_from, token_from};
use crate::*;

#[async_trait]
pub trait StaffStore: Send + Sync + 'static {
    /// A unique email: a second account with the same email is a `Conflict`. The audit line
    /// (its object left empty: the store names the new account) commits with the account.
    async fn create_staff(
        &self,
        staff: &NewStaff,
        audit: Option<&NewAudit>,
    ) -> StoreResult<StaffId>;
    async fn staff_by_email(&self, email: &str) -> StoreResult<Option<Staff>>;
    async fn staff_by_id(&self, id: StaffId) -> StoreResult<Option<Staff>>;
    /// Staff of one organisation, or of all when `None`.
    async fn list_staff(&self, organisation: Option<OrganisationId>) -> StoreResult<Vec<Staff>>;
    async fn set_staff_roles(&self, id: StaffId, roles: Roles, audit: &NewAudit)
    -> StoreResult<()>;
    /// Disabling ends every session and revokes every token of the account, at once.
    async fn set_staff_disabled(
        &self,
        id: StaffId,
        disabled: bool,
        audit: &NewAudit,
    ) -> StoreResult<()>;
    async fn set_password(&self, id: StaffId, password_hash: &str) -> StoreResult<()>;
    /// Counts a failed sign-in; from `lock_after` failures the account is locked until
    /// `lock_until`. Returns the number of failures so far.
    /// Counts a failed sign-in (or a wrong current password) with its audit line, and locks
    /// the account until `lock_until` with the `lockout` line when the count reaches
    /// `lock_after` — in one transaction; the count so far.
    async fn record_login_failure(
        &self,
        id: StaffId,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        failed: &NewAudit,
        lockout: &NewAudit,
    ) -> StoreResult<i64>;
    async fn reset_login_failures(&self, id: StaffId) -> StoreResult<()>;
    /// Stores a new TOTP secret and replaces the recovery codes (hashes only), with its
    /// audit line and, when it replaces an earlier secret, the email that tells the owner —
    /// all in one transaction.
    async fn enrol_totp(&self, enrolment: &TotpEnrolment) -> StoreResult<()>;
    /// Counts a wrong second-factor code given in a session; returns how many so far.
    async fn record_code_failure(&self, session_id_hash: &str) -> StoreResult<i64>;
    /// Emails to staff about their own account, due by `now`.
    async fn pending_staff_notices(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<StaffNotice>>;
    /// Takes notices due by `now` for sending, as `ReplyStore::claim_mail` takes emails.
    async fn claim_staff_notices(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<StaffNotice>>;
    async fn mark_staff_notice_sent(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    async fn mark_staff_notice_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Ends a notice's retries: its server refused it for good.
    async fn give_up_staff_notice(
        &self,
        id: Uuid,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Accepts a TOTP time step only if it is later than every step accepted before:
    /// atomic, so a code is never accepted twice, even by two instances at once.
    async fn accept_totp_step(&self, id: StaffId, step: i64) -> StoreResult<bool>;
    /// Marks an unused recovery code used; `false` when unknown or used.
    async fn use_recovery_code(
        &self,
        id: StaffId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// A session past its second factor, with the step's audit line when it has one.
    async fn promote_session(&self, id_hash: &str, audit: Option<&NewAudit>) -> StoreResult<()>;
    /// A session ended, with the sign-out's audit line when it has one.
    async fn delete_session(&self, id_hash: &str, audit: Option<&NewAudit>) -> StoreResult<()>;
    /// Ends every session of the account and revokes its API tokens at the audit line's
    /// time, with the line (`{count}`: the sessions ended), in one transaction; the number
    /// of sessions ended.
    async fn sign_out_everywhere(&self, staff: StaffId, audit: &NewAudit) -> StoreResult<u64>;
    /// A new password: stored with its audit line, every session of the account ended, in
    /// one transaction.
    async fn change_password(
        &self,
        staff: StaffId,
        password_hash: &str,
        audit: &NewAudit,
    ) -> StoreResult<()>;

    /// A password set by an admin: see [`PasswordReset`].
    async fn reset_password(&self, reset: &PasswordReset) -> StoreResult<()>;

    /// The audit line's object is left empty: the store names the new token.
    async fn create_token(
        &self,
        staff: StaffId,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: &NewAudit,
    ) -> StoreResult<TokenId>;
    /// The enabled account a live (unrevoked, unexpired) token belongs to; records its use.
    async fn staff_by_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Staff>>;
    async fn list_tokens(&self, staff: StaffId) -> StoreResult<Vec<ApiToken>>;
    /// False (and no audit line) when the account has no such live token.
    async fn revoke_token(
        &self,
        staff: StaffId,
        id: TokenId,
        audit: &NewAudit,
    ) -> StoreResult<bool>;
}

#[async_trait]
impl<B: Backend> StaffStore for B {
    #[instrument(skip_all)]
    async fn create_staff(
        &self,
        staff: &NewStaff,
        audit: Option<&NewAudit>,
    ) -> StoreResult<StaffId> {
        let id = StaffId::new();
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::INSERT_STAFF.into(),
            &[
                &id.0,
                &staff.organisation.0,
                &staff.email,
                &staff.name,
                &staff.roles.to_string(),
                &staff.password_hash,
                &audit.map_or_else(Utc::now, |a| a.at),
            ],
        )
        .await?;
        write_audit(tx.as_mut(), audit, Some(id.to_string()), &[]).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[instrument(skip_all)]
    async fn staff_by_email(&self, email: &str) -> StoreResult<Option<Staff>> {
        let row = self
            .read_optional(sql::staff_where("s.email = $1").into(), &[&email])
            .await?;
        row.map(|r| staff_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn staff_by_id(&self, id: StaffId) -> StoreResult<Option<Staff>> {
        let row = self
            .read_optional(sql::staff_where("s.id = $1").into(), &[&id.0])
            .await?;
        row.map(|r| staff_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn list_staff(&self, organisation: Option<OrganisationId>) -> StoreResult<Vec<Staff>> {
        let rows = match organisation {
            Some(org) => {
                let query = format!(
                    "{} ORDER BY s.email",
                    sql::staff_where("s.organisation_id = $1")
                );
                self.read_all(query.into(), &[&org.0]).await?
            }
            None => {
                let query = format!("{} ORDER BY s.email", sql::staff_where("1 = 1"));
                self.read_all(query.into(), &[]).await?
            }
        };
        rows.iter().map(staff_from).collect()
    }

    #[instrument(skip_all)]
    async fn set_staff_roles(
        &self,
        id: StaffId,
        roles: Roles,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::SET_STAFF_ROLES.into(), &[&id.0, &roles.to_string()])
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn set_staff_disabled(
        &self,
        id: StaffId,
        disabled: bool,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let now = audit.at;
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::SET_STAFF_DISABLED.into(), &[&id.0, &disabled])
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            tx.execute(sql::DELETE_SESSIONS_OF.into(), &[&id.0]).await?;
            tx.execute(sql::REVOKE_TOKENS_OF.into(), &[&id.0, &now])
                .await?;
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn set_password(&self, id: StaffId, password_hash: &str) -> StoreResult<()> {
        write_one(self, sql::SET_PASSWORD, &[&id.0, &password_hash]).await
    }

    #[instrument(skip_all)]
    async fn record_login_failure(
        &self,
        id: StaffId,
        lock_after: i64,
        lock_until: DateTime<Utc>,
        failed: &NewAudit,
        lockout: &NewAudit,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let row = tx
            .fetch_optional(
                sql::RECORD_LOGIN_FAILURE.into(),
                &[&id.0, &lock_after, &lock_until],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let failures = row.int("failed_logins")?;
        insert_audit(tx.as_mut(), failed).await?;
        if failures == lock_after {
            insert_audit(tx.as_mut(), lockout).await?;
        }
        tx.commit().await?;
        Ok(failures)
    }

    #[instrument(skip_all)]
    async fn reset_login_failures(&self, id: StaffId) -> StoreResult<()> {
        write_one(self, sql::RESET_LOGIN_FAILURES, &[&id.0]).await
    }

    #[instrument(skip_all)]
    async fn enrol_totp(&self, enrolment: &TotpEnrolment) -> StoreResult<()> {
        let id = enrolment.staff.0;
        let mut tx = self.begin_write().await?;
        tx.execute(sql::ENROL_TOTP.into(), &[&id, &enrolment.secret_enc])
            .await?;
        tx.execute(sql::DELETE_RECOVERY_CODES.into(), &[&id])
            .await?;
        for hash in &enrolment.recovery_hashes {
            tx.execute(sql::INSERT_RECOVERY_CODE.into(), &[&id, hash])
                .await?;
        }
        insert_audit(tx.as_mut(), &enrolment.audit).await?;
        if let Some(kind) = &enrolment.notice {
            tx.execute(
                sql::INSERT_STAFF_NOTICE.into(),
                &[&Uuid::now_v7(), &id, kind, &enrolment.audit.at],
            )
            .await?;
        }
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn record_code_failure(&self, session_id_hash: &str) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let row = tx
            .fetch_optional(sql::RECORD_CODE_FAILURE.into(), &[&session_id_hash])
            .await?;
        tx.commit().await?;
        row.ok_or(StoreError::NotFound)?.int("failed_codes")
    }

    #[instrument(skip_all)]
    async fn pending_staff_notices(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<StaffNotice>> {
        let rows = self
            .read_all(sql::PENDING_STAFF_NOTICES.into(), &[&now, &limit])
            .await?;
        rows.iter().map(staff_notice_from).collect()
    }

    #[instrument(skip_all)]
    async fn claim_staff_notices(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<StaffNotice>> {
        crate::steps::lease_due(
            self,
            sql::PENDING_STAFF_NOTICES,
            "n",
            "staff_notices",
            now,
            lease_until,
            limit,
            staff_notice_from,
            |notice| notice.id,
        )
        .await
    }

    #[instrument(skip_all)]
    async fn mark_staff_notice_sent(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        write_one(self, sql::MARK_STAFF_NOTICE_SENT, &[&id, &at]).await
    }

    #[instrument(skip_all)]
    async fn mark_staff_notice_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        write_one(
            self,
            sql::MARK_STAFF_NOTICE_FAILED,
            &[&id, &error, &retry_at],
        )
        .await
    }

    #[instrument(skip_all)]
    async fn give_up_staff_notice(
        &self,
        id: Uuid,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        write_one(self, sql::GIVE_UP_STAFF_NOTICE, &[&id, &error, &at]).await
    }

    #[instrument(skip_all)]
    async fn accept_totp_step(&self, id: StaffId, step: i64) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::ACCEPT_TOTP_STEP.into(), &[&id.0, &step])
            .await?;
        tx.commit().await?;
        Ok(changed == 1)
    }

    #[instrument(skip_all)]
    async fn use_recovery_code(
        &self,
        id: StaffId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::USE_RECOVERY_CODE.into(), &[&id.0, &code_hash, &now])
            .await?;
        tx.commit().await?;
        Ok(changed == 1)
    }

    #[instrument(skip_all)]
    async fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::INSERT_SESSION.into(),
            &[
                &session.id_hash,
                &session.staff.0,
                &session.stage.as_str(),
                &session.csrf_token,
                &session.now,
                &session.expires_at,
            ],
        )
        .await?;
        write_audit(tx.as_mut(), session.audit.as_ref(), None, &[]).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let row = self
            .read_optional(sql::session_by_hash().into(), &[&id_hash])
            .await?;
        row.map(|r| session_from(&r)).transpose()
    }

    #[instrument(skip_all)]
    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
        write_one(self, sql::TOUCH_SESSION, &[&id_hash, &now]).await
    }

    #[instrument(skip_all)]
    async fn promote_session(&self, id_hash: &str, audit: Option<&NewAudit>) -> StoreResult<()> {
        write_audited(self, sql::PROMOTE_SESSION, &[&id_hash], audit).await
    }

    #[instrument(skip_all)]
    async fn delete_session(&self, id_hash: &str, audit: Option<&NewAudit>) -> StoreResult<()> {
        write_audited(self, sql::DELETE_SESSION, &[&id_hash], audit).await
    }

    #[instrument(skip_all)]
    async fn sign_out_everywhere(&self, staff: StaffId, audit: &NewAudit) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let ended = tx
            .execute(sql::DELETE_SESSIONS_OF.into(), &[&staff.0])
            .await?;
        tx.execute(sql::REVOKE_TOKENS_OF.into(), &[&staff.0, &audit.at])
            .await?;
        let found = [("count", ended.to_string())];
        write_audit(tx.as_mut(), Some(audit), None, &found).await?;
        tx.commit().await?;
        Ok(ended)
    }

    #[instrument(skip_all)]
    async fn change_password(
        &self,
        staff: StaffId,
        password_hash: &str,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        tx.execute(sql::SET_PASSWORD.into(), &[&staff.0, &password_hash])
            .await?;
        tx.execute(sql::DELETE_SESSIONS_OF.into(), &[&staff.0])
            .await?;
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn reset_password(&self, reset: &PasswordReset) -> StoreResult<()> {
        let id = reset.staff.0;
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::SET_PASSWORD.into(), &[&id, &reset.password_hash])
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.execute(sql::DELETE_SESSIONS_OF.into(), &[&id]).await?;
        tx.execute(sql::REVOKE_TOKENS_OF.into(), &[&id, &reset.audit.at])
            .await?;
        tx.execute(sql::RESET_LOGIN_FAILURES.into(), &[&id]).await?;
        insert_audit(tx.as_mut(), &reset.audit).await?;
        tx.execute(
            sql::INSERT_STAFF_NOTICE.into(),
            &[&Uuid::now_v7(), &id, &reset.notice, &reset.audit.at],
        )
        .await?;
        tx.commit().await
    }

    #[instrument(skip_all)]
    async fn create_token(
        &self,
        staff: StaffId,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: &NewAudit,
    ) -> StoreResult<TokenId> {
        let id = TokenId::new();
        let mut tx = self.begin_write().await?;
        tx.execute(
            sql::INSERT_TOKEN.into(),
            &[&id.0, &staff.0, &name, &token_hash, &audit.at, &expires_at],
        )
        .await?;
        write_audit(tx.as_mut(), Some(audit), Some(id.to_string()), &[]).await?;
        tx.commit().await?;
        Ok(id)
    }

    #[instrument(skip_all)]
    async fn staff_by_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Staff>> {
        let Some(row) = self
            .read_optional(sql::staff_by_token().into(), &[&token_hash])
            .await?
        else {
            return Ok(None);
        };
        let expires = token_expiry(
            row.time("token_created_at")?,
            row.opt_time("token_expires_at")?,
        );
        if expires <= now {
            return Ok(None);
        }
        let staff = staff_from(&row)?;
        let token = row.uuid("token_id")?;
        write_one(self, sql::TOUCH_TOKEN, &[&token, &now]).await?;
        Ok(Some(staff))
    }

    #[instrument(skip_all)]
    async fn list_tokens(&self, staff: StaffId) -> StoreResult<Vec<ApiToken>> {
        let rows = self.read_all(sql::LIST_TOKENS.into(), &[&staff.0]).await?;
        rows.iter().map(token_from).collect()
    }

    #[instrument(skip_all)]
    async fn revoke_token(
        &self,
        staff: StaffId,
        id: TokenId,
        audit: &NewAudit,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = tx
            .execute(sql::REVOKE_TOKEN.into(), &[&staff.0, &id.0, &audit.at])
            .await?;
        if changed != 1 {
            return Ok(false);
        }
        insert_audit(tx.as_mut(), audit).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// One statement and the action's audit line, when it has one, in a transaction of their own.
async fn write_audited<B: Backend + ?Sized>(
    backend: &B,
    sql: &'static str,
    args: &[&dyn Param],
    audit: Option<&NewAudit>,
) -> StoreResult<()> {
    let mut tx = backend.begin_write().await?;
    tx.execute(sql.into(), args).await?;
    write_audit(tx.as_mut(), audit, None, &[]).await?;
    tx.commit().await
}

/// One statement in a transaction of its own.
async fn write_one<B: Backend + ?Sized>(
    backend: &B,
    sql: &'static str,
    args: &[&dyn Param],
) -> StoreResult<()> {
    let mut tx = backend.begin_write().await?;
    tx.execute(sql.into(), args).await?;
    tx.commit().await
}

/// The action's audit line, when it has one, completed with what the action found (see
/// [`NewAudit::completed`]), in the action's own transaction.
pub(crate) async fn write_audit(
    tx: &mut dyn Transaction,
    audit: Option<&NewAudit>,
    created: Option<String>,
    found: &[(&str, String)],
) -> StoreResult<()> {
    match audit {
        Some(audit) => insert_audit(tx, &audit.completed(created, found)).await,
        None => Ok(()),
    }
}

/// The audit line of an action, in the action's own transaction.
pub(crate) async fn insert_audit(tx: &mut dyn Transaction, audit: &NewAudit) -> StoreResult<()> {
    tx.execute(
        sql::INSERT_AUDIT.into(),
        &[
            &audit.at,
            &audit.actor.map(|a| a.0),
            &audit.actor_org.map(|o| o.0),
            &audit.action,
            &audit.object_type,
            &audit.object_id,
            &audit.detail,
        ],
    )
    .await?;
    Ok(())
}
