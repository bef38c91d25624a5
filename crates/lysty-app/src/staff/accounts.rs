//! API tokens, organisations and staff accounts, with who may manage whom.

use super::*;

impl App {
    // --- tokens ---

    /// When a token made now expires.
    fn token_expiry(&self) -> chrono::DateTime<chrono::Utc> {
        self.now() + chrono::Duration::from_std(self.inner.auth.token_lifetime).unwrap_or_default()
    }

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
        let audit = self.audit_line(
            Some(&actor.staff),
            "token_created",
            Some(("token", String::new())),
            "",
        );
        self.store()
            .create_token(actor.id(), name, &hash, self.token_expiry(), &audit)
            .await?;
        Ok(plain)
    }

    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, StoreError> {
        self.store().list_tokens(actor.id()).await
    }

    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<(), StaffError> {
        let audit = self.audit_line(
            Some(&actor.staff),
            "token_revoked",
            Some(("token", id.to_string())),
            "",
        );
        if !self.store().revoke_token(actor.id(), id, &audit).await? {
            return Err(StaffError::NotFound);
        }
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
        let audit = self.audit_line(
            None,
            "token_created",
            Some(("token", String::new())),
            format!("for {}", staff.id),
        );
        self.store()
            .create_token(staff.id, name, &hash, self.token_expiry(), &audit)
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
        let audit = self.audit_line(
            actor.map(|a| &a.staff),
            "organisation_saved",
            Some(("organisation", String::new())),
            org.slug.clone(),
        );
        let id = self.store().upsert_organisation(org, Some(&audit)).await?;
        self.forget_organisers();
        Ok(id)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        self.store().list_organisations().await
    }

    /// The organisations this member of staff may add people to: every one for an admin,
    /// their own for everyone else.
    pub async fn organisations_for(&self, actor: &Actor) -> Result<Vec<Organisation>, StaffError> {
        let all = self.store().list_organisations().await?;
        Ok(if actor.is_admin() {
            all
        } else {
            all.into_iter().filter(|o| o.id == actor.org()).collect()
        })
    }

    /// Every organisation, for the admins who manage them.
    pub async fn manage_organisations(
        &self,
        actor: &Actor,
    ) -> Result<Vec<Organisation>, StaffError> {
        if !actor.is_admin() {
            return Err(StaffError::Forbidden);
        }
        Ok(self.store().list_organisations().await?)
    }

    /// The events a coordinator works on: their organisation's, or every one for an admin.
    pub async fn events_for(&self, actor: &Actor) -> Result<Vec<lysty_store::Event>, StaffError> {
        if !actor.is(&[lysty_domain::Role::Coordinator]) {
            return Err(StaffError::Forbidden);
        }
        Ok(self
            .all_events()
            .await?
            .into_iter()
            .filter(|e| actor.is_admin() || e.organisation == Some(actor.org()))
            .collect())
    }

    /// Whether `actor` may manage staff of `org` and grant `roles`.
    pub(super) fn may_manage(actor: &Actor, org: OrganisationId, roles: Option<Roles>) -> bool {
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
        // The first problem by name, so that the page can say what to fix.
        if !email_ok {
            return Err(StaffError::Invalid("email".into()));
        }
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StaffError::Invalid("name".into()));
        }
        if roles.is_empty() {
            return Err(StaffError::Invalid("roles".into()));
        }
        let (password, generated) = match password {
            Some(raw) => (
                Password::parse(raw, &[&email, name])
                    .map_err(|e| StaffError::Password(e.code()))?,
                None,
            ),
            None => {
                let (parsed, raw) = generated_password()?;
                (parsed, Some(raw))
            }
        };
        let hash = self
            .password_work(move || password::hash(&password))
            .await?
            .map_err(|e| StaffError::Invalid(e.to_string()))?;
        let audit = self.audit_line(
            actor.map(|a| &a.staff),
            "staff_created",
            Some(("staff", String::new())),
            format!("roles {roles}"),
        );
        let created = self
            .store()
            .create_staff(
                &NewStaff {
                    organisation: org,
                    email,
                    name: name.to_owned(),
                    roles,
                    password_hash: hash.as_str().to_owned(),
                },
                Some(&audit),
            )
            .await;
        let id = match created {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(StaffError::EmailTaken),
            Err(other) => return Err(other.into()),
        };
        Ok((id, generated))
    }

    /// An admin sets a new, generated password on someone else's account, returned with
    /// the account's email to be shown once and passed on through a safe channel. In the same transaction every
    /// session of the account ends, its API tokens are revoked, its lockout is lifted, the
    /// reset is audited and its owner is emailed. The second factor stays: the admin who
    /// knows the new password still cannot sign in as them.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: StaffId,
    ) -> Result<(String, SecretString), StaffError> {
        if !actor.is_admin() {
            return Err(StaffError::Forbidden);
        }
        if id == actor.id() {
            // One's own password is changed with the current one, on the account page.
            return Err(StaffError::Invalid("own-password".into()));
        }
        let staff = self.managed(actor, id, None).await?;
        let (password, raw) = generated_password()?;
        let hash = self
            .password_work(move || password::hash(&password))
            .await?
            .map_err(|e| StaffError::Invalid(e.to_string()))?;
        self.store()
            .reset_password(&lysty_store::PasswordReset {
                staff: staff.id,
                password_hash: hash.as_str().to_owned(),
                audit: NewAudit {
                    at: self.now(),
                    actor: Some(actor.id()),
                    actor_org: Some(actor.org()),
                    action: "password_reset".into(),
                    object_type: Some("staff".into()),
                    object_id: Some(staff.id.to_string()),
                    detail: String::new(),
                },
                notice: super::NOTICE_PASSWORD_RESET.into(),
            })
            .await?;
        Ok((staff.email, raw))
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

    pub(super) async fn managed(
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
        let audit = self.audit_line(
            Some(&actor.staff),
            "role_change",
            Some(("staff", id.to_string())),
            format!("{} -> {roles}", staff.roles),
        );
        self.store().set_staff_roles(id, roles, &audit).await?;
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
        let action = if disabled {
            "staff_disabled"
        } else {
            "staff_enabled"
        };
        let audit = self.audit_line(
            Some(&actor.staff),
            action,
            Some(("staff", id.to_string())),
            "",
        );
        self.store()
            .set_staff_disabled(id, disabled, &audit)
            .await?;
        Ok(())
    }
}

/// A password made of recovery-code groups: long, random, and easy to read out.
fn generated_password() -> Result<(Password, SecretString), StaffError> {
    let raw = recovery::generate(1)
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect::<Vec<_>>()
        .join("-");
    let parsed = Password::parse(&raw, &[]).map_err(|e| StaffError::Password(e.code()))?;
    Ok((parsed, SecretString::from(raw)))
}
