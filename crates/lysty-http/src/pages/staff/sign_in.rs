//! Signing in and out: the password, the second factor and its enrolment, the dashboard and the account page.

use super::*;
use crate::forms::FormBody;
use crate::limits::ClientKey;

// --- sign-in ---

#[derive(Template)]
#[template(path = "staff/login.html")]
pub(super) struct LoginPage {
    d: Desk,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

pub(super) fn with_cookie(mut response: Response, value: axum::http::HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, value);
    response
}

/// `/staff`: the dashboard when signed in, otherwise the sign-in form.
pub async fn home(
    State(state): State<AppState>,
    c: Chrome,
    MaybeStaff(me): MaybeStaff,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    if me.is_none() && query.as_deref() == Some("password-changed") {
        let notice = Some(c.t("staff-password-changed"));
        return login_form_with(
            &state,
            c,
            &headers,
            String::new(),
            None,
            notice,
            StatusCode::OK,
        );
    }
    match me {
        Some(actor) if actor.is_complete() => dashboard(&state, c, actor).await,
        Some(actor) if actor.staff.totp_secret_enc.is_none() => {
            Redirect::to("/staff/enrol").into_response()
        }
        Some(_) => Redirect::to("/staff/second-factor").into_response(),
        None => login_form(&state, c, &headers, String::new(), None, StatusCode::OK),
    }
}

pub(super) fn login_form(
    state: &AppState,
    c: Chrome,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    login_form_with(state, c, headers, email, error, None, status)
}

/// The sign-in page, with a notice above the form (after a password change).
fn login_form_with(
    state: &AppState,
    c: Chrome,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let secure = state.config.secure_cookies;
    let existing = cookie(headers, pre_cookie_name(secure)).filter(|t| t.len() >= 22);
    let token = existing
        .clone()
        .unwrap_or_else(lysty_auth::token::new_csrf_token);
    let page = render(
        status,
        &LoginPage {
            d: Desk::new(c, None, token.clone()),
            email,
            error,
            notice,
        },
    );
    if existing.is_some() {
        page
    } else {
        with_cookie(
            page,
            set_cookie(pre_cookie_name(secure), &token, 3600, secure),
        )
    }
}

pub async fn login(
    State(state): State<AppState>,
    c: Chrome,
    client: ClientKey,
    headers: HeaderMap,
    FormBody(form): FormBody,
) -> Response {
    let email = form.get("email").to_owned();
    // Behind a trusted proxy, the client it forwarded; IPv6 by its /64.
    let ip = client.ip();
    if state.throttle.is_blocked(ip) {
        let error = Some(c.t("staff-too-many-attempts"));
        return login_form(
            &state,
            c,
            &headers,
            email,
            error,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    match state.app.sign_in(&email, form.get("password")).await {
        Ok(signed_in) => {
            state.throttle.succeeded(ip);
            let secure = state.config.secure_cookies;
            let secret = lysty_app::App::reveal(&signed_in.cookie_secret);
            let next = if signed_in.must_enrol {
                "/staff/enrol"
            } else if signed_in.stage == lysty_store::SessionStage::Password {
                "/staff/second-factor"
            } else {
                "/staff"
            };
            let response = Redirect::to(next).into_response();
            let response = with_cookie(
                response,
                set_cookie(session_cookie_name(secure), secret, 12 * 3600, secure),
            );
            with_cookie(response, set_cookie(pre_cookie_name(secure), "", 0, secure))
        }
        Err(StaffError::BadCredentials) => {
            let delay = state.throttle.failed(ip);
            tokio::time::sleep(delay).await;
            let error = Some(c.t("staff-bad-credentials"));
            login_form(&state, c, &headers, email, error, StatusCode::UNAUTHORIZED)
        }
        Err(other) => staff_error(Desk::new(c, None, String::new()), other),
    }
}

#[derive(Template)]
#[template(path = "staff/second_factor.html")]
pub(super) struct SecondFactorPage {
    d: Desk,
    error: Option<String>,
}

pub async fn second_factor_form(c: Chrome, MaybeStaff(me): MaybeStaff) -> Response {
    match me {
        Some(actor) if actor.is_complete() => Redirect::to("/staff").into_response(),
        Some(actor) => render(
            StatusCode::OK,
            &SecondFactorPage {
                d: Desk::of(c, &actor),
                error: None,
            },
        ),
        None => Redirect::to("/staff").into_response(),
    }
}

pub async fn second_factor(
    State(state): State<AppState>,
    c: Chrome,
    client: ClientKey,
    MaybeStaff(me): MaybeStaff,
    headers: HeaderMap,
    FormBody(form): FormBody,
) -> Response {
    let Some(actor) = me else {
        return Redirect::to("/staff").into_response();
    };
    if actor.is_complete() {
        return Redirect::to("/staff").into_response();
    }
    if state.throttle.is_blocked(client.ip()) {
        let error = Some(c.t("staff-too-many-attempts"));
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &SecondFactorPage {
                d: Desk::of(c, &actor),
                error,
            },
        );
    }
    match state.app.second_factor(&actor, form.get("code")).await {
        Ok(()) => Redirect::to("/staff").into_response(),
        Err(StaffError::BadCode) => {
            let delay = state.throttle.failed(client.ip());
            tokio::time::sleep(delay).await;
            let error = Some(c.t("staff-bad-code"));
            render(
                StatusCode::UNAUTHORIZED,
                &SecondFactorPage {
                    d: Desk::of(c, &actor),
                    error,
                },
            )
        }
        Err(StaffError::SessionEnded) => {
            let delay = state.throttle.failed(client.ip());
            tokio::time::sleep(delay).await;
            let secure = state.config.secure_cookies;
            let error = Some(c.t("staff-session-ended"));
            let page = login_form(
                &state,
                c,
                &headers,
                actor.staff.email.clone(),
                error,
                StatusCode::UNAUTHORIZED,
            );
            with_cookie(page, set_cookie(session_cookie_name(secure), "", 0, secure))
        }
        Err(other) => staff_error(Desk::of(c, &actor), other),
    }
}

#[derive(Template)]
#[template(path = "staff/enrol.html")]
pub(super) struct EnrolPage {
    d: Desk,
    secret: String,
    qr_svg: String,
    /// The account has a second factor already: the current password is asked for.
    replaces: bool,
    error: Option<String>,
    password_error: Option<String>,
}

pub async fn enrol_form(
    State(state): State<AppState>,
    c: Chrome,
    MaybeStaff(me): MaybeStaff,
) -> Response {
    let Some(actor) = me else {
        return Redirect::to("/staff").into_response();
    };
    let enrolment = match state.app.start_enrolment(&actor) {
        Ok(enrolment) => enrolment,
        // A password-only session of an account that has a second factor: give it first.
        Err(StaffError::Forbidden) if !actor.is_complete() => {
            return Redirect::to("/staff/second-factor").into_response();
        }
        Err(other) => return staff_error(Desk::of(c, &actor), other),
    };
    render(
        StatusCode::OK,
        &EnrolPage {
            replaces: lysty_app::App::enrolment_replaces(&actor),
            d: Desk::of(c, &actor),
            secret: enrolment.secret_base32,
            qr_svg: enrolment.qr_svg,
            error: None,
            password_error: None,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/recovery.html")]
pub(super) struct RecoveryPage {
    d: Desk,
    codes: Vec<String>,
}

impl RecoveryPage {
    /// The codes as a text file the browser saves, without a request to the server (a
    /// `data:` link: the codes never pass through a URL the server sees or logs).
    fn download_href(&self) -> String {
        let text = format!("{}\n", self.codes.join("\n"));
        format!(
            "data:text/plain;charset=utf-8,{}",
            percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
        )
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    c: Chrome,
    MaybeStaff(me): MaybeStaff,
    FormBody(form): FormBody,
) -> Response {
    let Some(actor) = me else {
        return Redirect::to("/staff").into_response();
    };
    if !lysty_app::App::may_enrol(&actor) && !actor.is_complete() {
        return Redirect::to("/staff/second-factor").into_response();
    }
    let secret = form.get("secret").to_owned();
    let replaces = lysty_app::App::enrolment_replaces(&actor);
    let again = |actor: &lysty_app::Actor, c: Chrome, error, password_error| {
        let qr = lysty_auth::totp::TotpSecret::from_base32(&secret)
            .map(|s| {
                lysty_auth::totp::qr_svg(&lysty_auth::totp::provisioning_uri(
                    &s,
                    &actor.staff.email,
                    "Lysty",
                ))
            })
            .unwrap_or_default();
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EnrolPage {
                d: Desk::of(c, actor),
                secret: secret.clone(),
                qr_svg: qr,
                replaces,
                error,
                password_error,
            },
        )
    };
    match state
        .app
        .confirm_enrolment(
            &actor,
            &secret,
            form.get("code"),
            form.get("current_password"),
        )
        .await
    {
        Ok(codes) => {
            let mut actor = actor;
            actor.stage = lysty_store::SessionStage::Full;
            render(
                StatusCode::OK,
                &RecoveryPage {
                    d: Desk::of(c, &actor),
                    codes,
                },
            )
        }
        Err(StaffError::BadCode) => {
            let error = Some(c.t("staff-bad-code"));
            again(&actor, c, error, None)
        }
        Err(StaffError::ProofNeeded) => {
            let error = Some(c.t("staff-proof-needed"));
            again(&actor, c, None, error)
        }
        Err(other) => staff_error(Desk::of(c, &actor), other),
    }
}

pub async fn logout(State(state): State<AppState>, MaybeStaff(me): MaybeStaff) -> Response {
    if let Some(actor) = me
        && let Err(error) = state.app.sign_out(&actor).await
    {
        tracing::error!(%error, "sign-out failed");
    }
    let secure = state.config.secure_cookies;
    with_cookie(
        Redirect::to("/staff?signed-out").into_response(),
        set_cookie(session_cookie_name(secure), "", 0, secure),
    )
}

pub async fn logout_everywhere(
    State(state): State<AppState>,
    StaffUser(actor): StaffUser,
) -> Response {
    if let Err(error) = state.app.sign_out_everywhere(&actor).await {
        tracing::error!(%error, "sign-out everywhere failed");
    }
    let secure = state.config.secure_cookies;
    with_cookie(
        Redirect::to("/staff?signed-out").into_response(),
        set_cookie(session_cookie_name(secure), "", 0, secure),
    )
}

// --- dashboard ---

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
pub(super) struct DashboardPage {
    d: Desk,
    waiting_review: usize,
    waiting_translation: usize,
}

pub(super) async fn dashboard(state: &AppState, c: Chrome, actor: Actor) -> Response {
    let count = |queue| {
        let app = state.app.clone();
        let actor = actor.clone();
        async move {
            app.review_queue(
                &actor,
                queue,
                ReviewFilter {
                    limit: 200,
                    ..ReviewFilter::default()
                },
            )
            .await
            .map(|l| l.len())
            .unwrap_or(0)
        }
    };
    let waiting_review = count(Queue::Review).await;
    let waiting_translation = count(Queue::Translation).await;
    render(
        StatusCode::OK,
        &DashboardPage {
            d: Desk::of(c, &actor),
            waiting_review,
            waiting_translation,
        },
    )
}

// --- account ---

#[derive(Template)]
#[template(path = "staff/account.html")]
pub(super) struct AccountPage {
    d: Desk,
    enrolled: bool,
    /// Why the password was not changed.
    password_error: Option<String>,
}

pub async fn account(c: Chrome, StaffUser(actor): StaffUser) -> Response {
    account_page(c, &actor, None, StatusCode::OK)
}

fn account_page(
    c: Chrome,
    actor: &Actor,
    password_error: Option<String>,
    status: StatusCode,
) -> Response {
    let enrolled = actor.staff.totp_secret_enc.is_some();
    render(
        status,
        &AccountPage {
            d: Desk::of(c, actor),
            enrolled,
            password_error,
        },
    )
}

/// `POST /staff/account/password`: one's own password, proving the current one. Every
/// session ends; the person signs in again with the new password.
pub async fn change_password(
    State(state): State<AppState>,
    c: Chrome,
    client: ClientKey,
    StaffUser(actor): StaffUser,
    FormBody(form): FormBody,
) -> Response {
    match state
        .app
        .change_password(
            &actor,
            form.get("current_password"),
            form.get("new_password"),
        )
        .await
    {
        Ok(()) => {
            let secure = state.config.secure_cookies;
            with_cookie(
                Redirect::to("/staff?password-changed").into_response(),
                set_cookie(session_cookie_name(secure), "", 0, secure),
            )
        }
        Err(StaffError::ProofNeeded) => {
            // A wrong current password is a failed sign-in for this address too.
            let delay = state.throttle.failed(client.ip());
            tokio::time::sleep(delay).await;
            let error = Some(c.t("staff-wrong-current-password"));
            // 422, as for the second factor's proof: the session itself is valid.
            account_page(c, &actor, error, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StaffError::Password(code)) => {
            let error = Some(c.t(password_message(code)));
            account_page(c, &actor, error, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => staff_error(Desk::of(c, &actor), other),
    }
}
