//! People and organisations: staff accounts, their roles, disabling them.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;

// --- people and organisations ---

#[derive(Template)]
#[template(path = "staff/people.html")]
pub(super) struct PeoplePage {
    d: Desk,
    people: Vec<Staff>,
    organisations: Vec<Organisation>,
    generated: Option<String>,
    error: Option<String>,
    typed: TypedPerson,
}

/// What was typed into the form to add a person, shown again when it is refused (all but
/// the password, which is never sent back).
#[derive(Debug, Default)]
pub(super) struct TypedPerson {
    email: String,
    name: String,
    organisation: String,
    roles: Vec<String>,
}

impl TypedPerson {
    fn from_form(form: &Form) -> Self {
        TypedPerson {
            email: form.get("email").to_owned(),
            name: form.get("name").to_owned(),
            organisation: form.get("organisation").to_owned(),
            roles: form.all("role"),
        }
    }

    fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

impl PeoplePage {
    fn org_name(&self, id: &lysty_store::OrganisationId) -> String {
        self.organisations
            .iter()
            .find(|o| o.id == *id)
            .map(|o| {
                if self.d.c.lang.code() == "en" {
                    o.name_en.clone()
                } else {
                    o.name_uk.clone()
                }
            })
            .unwrap_or_default()
    }
}

pub(super) async fn people_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    generated: Option<String>,
    error: Option<String>,
    typed: TypedPerson,
    status: StatusCode,
) -> Response {
    let people = match state.app.list_staff(actor).await {
        Ok(p) => p,
        Err(e) => return staff_error(d, e),
    };
    let organisations = match state.app.organisations_for(actor).await {
        Ok(organisations) => organisations,
        Err(e) => return staff_error(d, e),
    };
    render(
        status,
        &PeoplePage {
            d,
            people,
            organisations,
            generated,
            error,
            typed,
        },
    )
}

pub async fn people(State(state): State<AppState>, StaffDesk { d, actor }: StaffDesk) -> Response {
    people_page(
        &state,
        d,
        &actor,
        None,
        None,
        TypedPerson::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) fn roles_from(form: &Form) -> Roles {
    let picked: Vec<Role> = form
        .all("role")
        .iter()
        .filter_map(|r| r.parse::<Role>().ok())
        .collect();
    Roles::of(&picked)
}

pub async fn create_person(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
    let org = match Uuid::parse_str(form.get("organisation")) {
        Ok(id) => lysty_store::OrganisationId(id),
        Err(_) => actor.org(),
    };
    let password = Some(form.get("password")).filter(|p| !p.is_empty());
    match state
        .app
        .create_staff(
            Some(&actor),
            org,
            form.get("email"),
            form.get("name"),
            roles_from(&form),
            password,
        )
        .await
    {
        Ok((_, generated)) => {
            let shown = generated.map(|g| lysty_app::App::reveal(&g).to_owned());
            people_page(
                &state,
                d,
                &actor,
                shown,
                None,
                TypedPerson::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(StaffError::Forbidden) => staff_error(d, StaffError::Forbidden),
        Err(e) => {
            let message = match &e {
                StaffError::EmailTaken => d.t("staff-email-taken"),
                StaffError::Password(code) => d.t(password_message(code)),
                StaffError::Invalid(field) if field == "roles" => d.t("staff-error-no-role"),
                StaffError::Invalid(field) if field == "email" => d.t("staff-error-email"),
                StaffError::Invalid(field) if field == "name" => d.t("staff-error-name"),
                _ => d.t("staff-error-invalid"),
            };
            people_page(
                &state,
                d,
                &actor,
                None,
                Some(message),
                TypedPerson::from_form(&form),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn set_roles(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
    FormBody(form): FormBody,
) -> Response {
    match state
        .app
        .set_roles(&actor, StaffId(id), roles_from(&form))
        .await
    {
        Ok(()) => Redirect::to("/staff/people").into_response(),
        Err(StaffError::Invalid(code)) => {
            let message = d.t(if code == "own-admin" {
                "staff-own-admin-role"
            } else {
                "staff-roles-hint"
            });
            page_error(d, StatusCode::UNPROCESSABLE_ENTITY, message)
        }
        Err(e) => staff_error(d, e),
    }
}

#[derive(Template)]
#[template(path = "staff/password_reset.html")]
struct PasswordResetPage {
    d: Desk,
    email: String,
    password: String,
}

/// An admin resets someone's password: the new one is shown once, on a page not cached.
pub async fn reset_password(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
    FormBody(form): FormBody,
) -> Response {
    if !actor.is_admin() {
        return staff_error(d, StaffError::Forbidden);
    }
    if form.get("confirm") != "yes" {
        let message = d.t("staff-reset-password-confirm");
        return page_error(d, StatusCode::UNPROCESSABLE_ENTITY, message);
    }
    match state.app.reset_password(&actor, StaffId(id)).await {
        Ok((email, password)) => {
            let page = PasswordResetPage {
                d,
                email,
                password: lysty_app::App::reveal(&password).to_owned(),
            };
            let mut response = render(StatusCode::OK, &page);
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(StaffError::Invalid(code)) if code == "own-password" => {
            let message = d.t("staff-reset-password-own");
            page_error(d, StatusCode::UNPROCESSABLE_ENTITY, message)
        }
        Err(e) => staff_error(d, e),
    }
}

pub(super) async fn set_disabled(
    state: AppState,
    c: Chrome,
    actor: Actor,
    id: StaffId,
    disabled: bool,
) -> Response {
    let d = Desk::of(c, &actor);
    match state.app.set_disabled(&actor, id, disabled).await {
        Ok(()) => Redirect::to("/staff/people").into_response(),
        Err(e) => staff_error(d, e),
    }
}

pub async fn disable_person(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    PagePath(id): PagePath<StaffId>,
) -> Response {
    set_disabled(state, c, actor, id, true).await
}

pub async fn enable_person(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    PagePath(id): PagePath<StaffId>,
) -> Response {
    set_disabled(state, c, actor, id, false).await
}

#[derive(Template)]
#[template(path = "staff/organisations.html")]
pub(super) struct OrganisationsPage {
    d: Desk,
    organisations: Vec<Organisation>,
    error: Option<String>,
}

pub async fn organisations(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
) -> Response {
    match state.app.manage_organisations(&actor).await {
        Ok(organisations) => render(
            StatusCode::OK,
            &OrganisationsPage {
                d,
                organisations,
                error: None,
            },
        ),
        Err(e) => staff_error(d, e),
    }
}

pub async fn create_organisation(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
    let org = NewOrganisation {
        slug: form.get("slug").trim().to_owned(),
        name_uk: form.get("name_uk").trim().to_owned(),
        name_en: form.get("name_en").trim().to_owned(),
    };
    match state.app.create_organisation(Some(&actor), &org).await {
        Ok(_) => Redirect::to("/staff/organisations").into_response(),
        Err(StaffError::Invalid(_)) => match state.app.manage_organisations(&actor).await {
            Ok(organisations) => {
                let error = Some(d.t("staff-error-invalid"));
                render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &OrganisationsPage {
                        d,
                        organisations,
                        error,
                    },
                )
            }
            Err(e) => staff_error(d, e),
        },
        Err(e) => staff_error(d, e),
    }
}
