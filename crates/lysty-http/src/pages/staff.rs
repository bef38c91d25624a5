//! The staff side: sign-in with a second factor, the review and translation queues,
//! one letter at a time, people and organisations, tokens, the lexicon and the audit log.
//! Permission checks live in `lysty-app`; these handlers show what it allows.

use std::net::SocketAddr;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::review::Queue;
use lysty_app::{Actor, ReviewError, StaffError};
use lysty_domain::safety::{self, Flag, FlagDetail, Span};
use lysty_domain::{LetterState, RejectReason, Role, Roles, Source};
use lysty_store::{
    ApiToken, AuditEntry, AuditFilter, LetterId, LexiconTerm, NewOrganisation, Organisation,
    ReviewFilter, ReviewLetter, Staff, StaffId, TokenId,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{
    MaybeStaff, StaffUser, cookie, pre_cookie_name, session_cookie_name, set_cookie,
};
use crate::forms::Form;

/// What every staff page shows: who is signed in and the CSRF token for its forms.
pub struct Desk {
    pub c: Chrome,
    pub me: Option<Actor>,
    pub csrf: String,
}

impl Desk {
    fn new(c: Chrome, me: Option<Actor>, csrf: String) -> Self {
        Desk { c, me, csrf }
    }

    pub(crate) fn of(c: Chrome, actor: &Actor) -> Self {
        let csrf = actor.csrf_token.clone().unwrap_or_default();
        Desk::new(c, Some(actor.clone()), csrf)
    }

    pub fn t(&self, id: impl AsRef<str>) -> String {
        self.c.t(id)
    }

    pub fn can(&self, role: &str) -> bool {
        let Some(me) = &self.me else { return false };
        if !me.is_complete() {
            return false;
        }
        match role.parse::<Role>() {
            Ok(role) => me.is(&[role]),
            Err(_) => false,
        }
    }

    pub fn email(&self) -> &str {
        self.me.as_ref().map_or("", |m| m.staff.email.as_str())
    }

    pub fn has_role(&self, roles: &Roles, role: &str) -> bool {
        role.parse::<Role>().is_ok_and(|r| roles.has(r))
    }

    pub fn roles(&self) -> Vec<(&'static str, String)> {
        Role::ALL
            .iter()
            .map(|r| (r.as_str(), self.c.t(format!("role-{}", r.as_str()))))
            .collect()
    }

    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        format!("{} {}", self.c.lang.date(at), at.format("%H:%M UTC"))
    }
}

pub(crate) fn page_error(desk: Desk, status: StatusCode, message: String) -> Response {
    render(status, &MessagePage { d: desk, message })
}

#[derive(Template)]
#[template(path = "staff/message.html")]
struct MessagePage {
    d: Desk,
    message: String,
}

pub(crate) fn staff_error(desk: Desk, error: StaffError) -> Response {
    let (status, id) = match &error {
        StaffError::Forbidden => (StatusCode::FORBIDDEN, "staff-error-forbidden"),
        StaffError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        StaffError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "staff-error-invalid"),
        StaffError::Password(code) => {
            let id = match *code {
                "too-short" => "staff-password-too-short",
                "too-long" => "staff-password-too-long",
                _ => "staff-password-too-common",
            };
            (StatusCode::UNPROCESSABLE_ENTITY, id)
        }
        StaffError::EmailTaken => (StatusCode::CONFLICT, "staff-email-taken"),
        StaffError::BadCredentials | StaffError::BadCode => {
            (StatusCode::UNAUTHORIZED, "staff-bad-credentials")
        }
        StaffError::SessionEnded => (StatusCode::UNAUTHORIZED, "staff-session-ended"),
        StaffError::ProofNeeded => (StatusCode::UNPROCESSABLE_ENTITY, "staff-proof-needed"),
        StaffError::Store(e) => {
            tracing::error!(error = %e, "staff action failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    };
    let message = desk.t(id);
    page_error(desk, status, message)
}

fn review_error(desk: Desk, error: ReviewError) -> Response {
    let message = match &error {
        ReviewError::Claimed { until } => desk.c.lang.ts(
            "staff-claimed-by-other",
            "until",
            &until.format("%H:%M UTC").to_string(),
        ),
        ReviewError::NotClaimed => desk.t("staff-not-claimed"),
        ReviewError::WrongState(s) => {
            desk.c
                .lang
                .ts("staff-wrong-state", "state", &desk.c.state(s))
        }
        ReviewError::NeedsRussian => desk.t("staff-needs-russian"),
        ReviewError::Invalid(_) => desk.t("staff-error-invalid"),
        ReviewError::Forbidden => desk.t("staff-error-forbidden"),
        ReviewError::NotFound => desk.t("error-not-found"),
        ReviewError::Store(e) => {
            tracing::error!(error = %e, "review action failed");
            desk.t("error-internal")
        }
    };
    let status = match error {
        ReviewError::Forbidden => StatusCode::FORBIDDEN,
        ReviewError::NotFound => StatusCode::NOT_FOUND,
        ReviewError::Claimed { .. } | ReviewError::NotClaimed | ReviewError::WrongState(_) => {
            StatusCode::CONFLICT
        }
        ReviewError::Invalid(_) | ReviewError::NeedsRussian => StatusCode::UNPROCESSABLE_ENTITY,
        ReviewError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    page_error(desk, status, message)
}

// --- sign-in ---

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    d: Desk,
    email: String,
    error: Option<String>,
}

fn with_cookie(mut response: Response, value: axum::http::HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, value);
    response
}

/// `/staff`: the dashboard when signed in, otherwise the sign-in form.
pub async fn home(
    State(state): State<AppState>,
    c: Chrome,
    MaybeStaff(me): MaybeStaff,
    headers: HeaderMap,
) -> Response {
    match me {
        Some(actor) if actor.is_complete() => dashboard(&state, c, actor).await,
        Some(actor) if actor.staff.totp_secret_enc.is_none() => {
            Redirect::to("/staff/enrol").into_response()
        }
        Some(_) => Redirect::to("/staff/second-factor").into_response(),
        None => login_form(&state, c, &headers, String::new(), None, StatusCode::OK),
    }
}

fn login_form(
    state: &AppState,
    c: Chrome,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    let email = form.get("email").to_owned();
    let ip = peer.ip();
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
struct SecondFactorPage {
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    MaybeStaff(me): MaybeStaff,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(actor) = me else {
        return Redirect::to("/staff").into_response();
    };
    if actor.is_complete() {
        return Redirect::to("/staff").into_response();
    }
    if state.throttle.is_blocked(peer.ip()) {
        let error = Some(c.t("staff-too-many-attempts"));
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &SecondFactorPage {
                d: Desk::of(c, &actor),
                error,
            },
        );
    }
    let form = Form::parse(&body);
    match state.app.second_factor(&actor, form.get("code")).await {
        Ok(()) => Redirect::to("/staff").into_response(),
        Err(StaffError::BadCode) => {
            let delay = state.throttle.failed(peer.ip());
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
            let delay = state.throttle.failed(peer.ip());
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
struct EnrolPage {
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
struct RecoveryPage {
    d: Desk,
    codes: Vec<String>,
}

pub async fn enrol(
    State(state): State<AppState>,
    c: Chrome,
    MaybeStaff(me): MaybeStaff,
    body: Bytes,
) -> Response {
    let Some(actor) = me else {
        return Redirect::to("/staff").into_response();
    };
    if !lysty_app::App::may_enrol(&actor) && !actor.is_complete() {
        return Redirect::to("/staff/second-factor").into_response();
    }
    let form = Form::parse(&body);
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
struct DashboardPage {
    d: Desk,
    waiting_review: usize,
    waiting_translation: usize,
}

async fn dashboard(state: &AppState, c: Chrome, actor: Actor) -> Response {
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

// --- queues and letters ---

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    prisoner: Option<String>,
    language: Option<String>,
    flag: Option<String>,
    source: Option<String>,
    event: Option<String>,
    after: Option<String>,
    done: Option<String>,
}

impl QueueQuery {
    fn filter(&self) -> ReviewFilter {
        let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        ReviewFilter {
            prisoner: some(&self.prisoner),
            language: some(&self.language),
            flag: some(&self.flag),
            source: some(&self.source).and_then(|s| s.parse::<Source>().ok()),
            event: some(&self.event)
                .and_then(|e| Uuid::parse_str(&e).ok())
                .map(lysty_store::EventId),
            after: some(&self.after)
                .and_then(|a| Uuid::parse_str(&a).ok())
                .map(LetterId),
            limit: 50,
            ..ReviewFilter::default()
        }
    }
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    d: Desk,
    translation: bool,
    letters: Vec<ReviewLetter>,
    query: QueueQuery,
    next: Option<String>,
    flag_kinds: Vec<&'static str>,
    done: Option<String>,
    prisoners: Vec<lysty_store::PrisonerSummary>,
    events: Vec<lysty_store::Event>,
}

impl QueuePage {
    fn prisoner_selected(&self, slug: &str) -> bool {
        self.query.prisoner.as_deref() == Some(slug)
    }

    fn event_selected(&self, id: &lysty_store::EventId) -> bool {
        self.query.event.as_deref() == Some(id.to_string().as_str())
    }

    fn language_selected(&self, code: &str) -> bool {
        self.query.language.as_deref() == Some(code)
    }

    fn languages(&self) -> [&'static str; 7] {
        ["uk", "ru", "en", "pl", "de", "fr", "tr"]
    }

    fn kinds(&self, letter: &ReviewLetter) -> Vec<String> {
        parse_flags(&letter.flags_json)
            .iter()
            .map(|f| {
                self.d
                    .t(format!("flag-short-{}", f.kind.as_str().replace('_', "-")))
            })
            .collect()
    }

    fn flag_selected(&self, kind: &str) -> bool {
        self.query.flag.as_deref() == Some(kind)
    }

    fn source_selected(&self, source: &str) -> bool {
        self.query.source.as_deref() == Some(source)
    }

    fn sources(&self) -> [&'static str; 3] {
        ["online", "kiosk", "paper"]
    }

    fn excerpt(&self, letter: &ReviewLetter) -> String {
        let text: String = letter.body.chars().take(120).collect();
        if letter.body.chars().count() > 120 {
            format!("{text}…")
        } else {
            text
        }
    }
}

fn parse_flags(json: &str) -> Vec<Flag> {
    serde_json::from_str(json).unwrap_or_default()
}

async fn queue(
    state: AppState,
    c: Chrome,
    actor: Actor,
    which: Queue,
    query: QueueQuery,
) -> Response {
    let prisoners = state
        .app
        .all_published_prisoners()
        .await
        .unwrap_or_default();
    let events = state.app.all_events().await.unwrap_or_default();
    match state.app.review_queue(&actor, which, query.filter()).await {
        Ok(letters) => {
            let next = (letters.len() == 50)
                .then(|| letters.last().map(|l| l.id.to_string()))
                .flatten();
            let done = query.done.clone();
            render(
                StatusCode::OK,
                &QueuePage {
                    d: Desk::of(c, &actor),
                    translation: which == Queue::Translation,
                    letters,
                    query,
                    next,
                    flag_kinds: safety::FlagKind::ALL.iter().map(|k| k.as_str()).collect(),
                    done,
                    prisoners,
                    events,
                },
            )
        }
        Err(e) => review_error(Desk::of(c, &actor), e),
    }
}

pub async fn review_queue(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<QueueQuery>,
) -> Response {
    queue(state, c, actor, Queue::Review, query).await
}

pub async fn translation_queue(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<QueueQuery>,
) -> Response {
    queue(state, c, actor, Queue::Translation, query).await
}

/// A flag as shown to a moderator: its explanation and, for the text, its spans.
pub struct FlagView {
    pub kind: String,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "staff/letter.html")]
struct LetterPage {
    d: Desk,
    letter: ReviewLetter,
    flags: Vec<FlagView>,
    /// The letter's text in runs, flagged runs marked.
    original: Vec<(String, bool)>,
    /// The Russian text in runs, when there is one.
    russian: Option<Vec<(String, bool)>>,
    sentences: Vec<String>,
    reasons: Vec<(&'static str, String)>,
    claimed_by_me: bool,
    notice: Option<String>,
    /// Earlier texts (before redactions and translations): shown to admins only.
    versions: Vec<lysty_store::LetterVersion>,
    /// Pages of a paper letter, numbered from 1.
    pages: Vec<i64>,
}

fn explain(d: &Desk, flag: &Flag) -> String {
    let id = format!("flag-{}", flag.kind.as_str().replace('_', "-"));
    let lang = &d.c.lang;
    match &flag.detail {
        FlagDetail::Language { detected, .. } => {
            let name = lang.t(format!("flag-language-{detected}"));
            lang.ts(&id, "language", &name)
        }
        FlagDetail::Terms(terms) | FlagDetail::Words(terms) => {
            lang.ts(&id, "terms", &terms.join(", "))
        }
        FlagDetail::Length { actual, max } => lang.targs(
            &id,
            &[
                ("actual", (*actual as i64).into()),
                ("max", (*max as i64).into()),
            ],
        ),
        FlagDetail::Repeats { count } => lang.tn(&id, "count", i64::from(*count)),
        FlagDetail::None => lang.t(&id),
    }
}

/// The letter cut into sentences for striking: a sentence ends at `.`, `!`, `?` or a line
/// break followed by a space or the end, so "t.me" and "3.5" stay whole.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        current.push(ch);
        let ends = ch == '\n'
            || (matches!(ch, '.' | '!' | '?')
                && chars.peek().is_none_or(|next| next.is_whitespace()));
        if ends {
            let s = current.trim().to_owned();
            if !s.is_empty() {
                out.push(s);
            }
            current.clear();
        }
    }
    let s = current.trim().to_owned();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

async fn letter_page(
    state: &AppState,
    d: Desk,
    letter: ReviewLetter,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let versions = if d.me.as_ref().is_some_and(Actor::is_admin) {
        match state.app.store().letter_versions(letter.id).await {
            Ok(v) => v,
            Err(e) => return review_error(d, e.into()),
        }
    } else {
        Vec::new()
    };
    let pages = match state.app.store().count_pages(letter.id).await {
        Ok(n) => (1..=n).collect(),
        Err(e) => return review_error(d, e.into()),
    };
    let flags = parse_flags(&letter.flags_json);
    // Spans point into the text the flags were computed on: the Russian text once there
    // is one, the original before.
    let spans: Vec<Span> = flags.iter().flat_map(|f| f.spans.clone()).collect();
    let (original, russian) = match &letter.body_delivery {
        Some(ru) => (
            vec![(letter.body.clone(), false)],
            Some(safety::highlight(ru, &merge(spans))),
        ),
        None => (safety::highlight(&letter.body, &merge(spans)), None),
    };
    let views = flags
        .iter()
        .map(|f| FlagView {
            kind: f.kind.as_str().to_owned(),
            explanation: explain(&d, f),
        })
        .collect();
    let claimed_by_me =
        d.me.as_ref()
            .is_some_and(|m| letter.claimed_by == Some(m.id()));
    let reasons = RejectReason::ALL
        .iter()
        .map(|r| {
            (
                r.as_str(),
                d.t(format!("reason-{}", r.as_str().replace('_', "-"))),
            )
        })
        .collect();
    // Both texts offer their sentences: what is printed is the Russian text, so that is
    // where a strike matters most.
    let mut sentences = sentences(&letter.body);
    if let Some(russian) = &letter.body_delivery {
        for sentence in self::sentences(russian) {
            if !sentences.contains(&sentence) {
                sentences.push(sentence);
            }
        }
    }
    render(
        status,
        &LetterPage {
            d,
            letter,
            flags: views,
            original,
            russian,
            sentences,
            reasons,
            claimed_by_me,
            notice,
            versions,
            pages,
        },
    )
}

/// Sorted, non-overlapping spans, for highlighting several flags at once.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::new();
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

fn parse_letter_id(raw: &str) -> Option<LetterId> {
    Uuid::parse_str(raw).ok().map(LetterId)
}

pub async fn letter(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        let message = d.t("error-not-found");
        return page_error(d, StatusCode::NOT_FOUND, message);
    };
    match state.app.open_letter(&actor, id).await {
        Ok(letter) => letter_page(&state, d, letter, None, StatusCode::OK).await,
        Err(ReviewError::Claimed { until }) => match state.app.letter_for_staff(&actor, id).await {
            Ok(letter) => {
                let notice = Some(d.c.lang.ts(
                    "staff-claimed-by-other",
                    "until",
                    &until.format("%H:%M UTC").to_string(),
                ));
                letter_page(&state, d, letter, notice, StatusCode::OK).await
            }
            Err(e) => review_error(d, e),
        },
        Err(e) => review_error(d, e),
    }
}

async fn after_step(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    id: LetterId,
    result: Result<(), ReviewError>,
    back_to: &str,
) -> Response {
    match result {
        Ok(()) => Redirect::to(back_to).into_response(),
        Err(
            error
            @ (ReviewError::Invalid(_) | ReviewError::NotClaimed | ReviewError::WrongState(_)),
        ) => {
            let message = match &error {
                ReviewError::Invalid(_) => d.t("staff-error-invalid"),
                ReviewError::NotClaimed => d.t("staff-not-claimed"),
                ReviewError::WrongState(s) => {
                    d.c.lang.ts("staff-wrong-state", "state", &d.c.state(s))
                }
                _ => String::new(),
            };
            match state.app.letter_for_staff(actor, id).await {
                Ok(letter) => {
                    letter_page(state, d, letter, Some(message), StatusCode::CONFLICT).await
                }
                Err(e) => review_error(d, e),
            }
        }
        Err(e) => review_error(d, e),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    let result = state.app.approve(&actor, id).await;
    let back = match &result {
        Ok(LetterState::NeedsTranslation) => "/staff/review?done=translation",
        _ => "/staff/review?done=approved",
    };
    after_step(&state, d, &actor, id, result.map(|_| ()), back).await
}

pub async fn reject(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    let form = Form::parse(&body);
    let result = match form.get("reason").parse::<RejectReason>() {
        Ok(reason) => state.app.reject(&actor, id, reason, form.get("note")).await,
        Err(_) => Err(ReviewError::Invalid("reason".into())),
    };
    after_step(&state, d, &actor, id, result, "/staff/review?done=rejected").await
}

pub async fn redact(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    let form = Form::parse(&body);
    let passages = form.all("strike");
    let result = state.app.redact(&actor, id, &passages).await;
    after_step(
        &state,
        d,
        &actor,
        id,
        result,
        &format!("/staff/letters/{id}"),
    )
    .await
}

pub async fn translation(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    let form = Form::parse(&body);
    let result = state.app.translate(&actor, id, form.get("russian")).await;
    after_step(
        &state,
        d,
        &actor,
        id,
        result,
        "/staff/translation?done=translated",
    )
    .await
}

// --- people and organisations ---

#[derive(Template)]
#[template(path = "staff/people.html")]
struct PeoplePage {
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
struct TypedPerson {
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

async fn people_page(
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
    let organisations = match state.app.organisations().await {
        Ok(all) if actor.is_admin() => all,
        Ok(all) => all.into_iter().filter(|o| o.id == actor.org()).collect(),
        Err(e) => return staff_error(d, e.into()),
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

pub async fn people(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
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

fn roles_from(form: &Form) -> Roles {
    let picked: Vec<Role> = form
        .all("role")
        .iter()
        .filter_map(|r| r.parse::<Role>().ok())
        .collect();
    Roles::of(&picked)
}

pub async fn create_person(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
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
                StaffError::Password("too-short") => d.t("staff-password-too-short"),
                StaffError::Password("too-long") => d.t("staff-password-too-long"),
                StaffError::Password(_) => d.t("staff-password-too-common"),
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
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    let form = Form::parse(&body);
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

async fn set_disabled(
    state: AppState,
    c: Chrome,
    actor: Actor,
    raw: String,
    disabled: bool,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    match state.app.set_disabled(&actor, StaffId(id), disabled).await {
        Ok(()) => Redirect::to("/staff/people").into_response(),
        Err(e) => staff_error(d, e),
    }
}

pub async fn disable_person(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    set_disabled(state, c, actor, raw, true).await
}

pub async fn enable_person(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    set_disabled(state, c, actor, raw, false).await
}

#[derive(Template)]
#[template(path = "staff/organisations.html")]
struct OrganisationsPage {
    d: Desk,
    organisations: Vec<Organisation>,
    error: Option<String>,
}

pub async fn organisations(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    if !actor.is_admin() {
        return staff_error(d, StaffError::Forbidden);
    }
    match state.app.organisations().await {
        Ok(organisations) => render(
            StatusCode::OK,
            &OrganisationsPage {
                d,
                organisations,
                error: None,
            },
        ),
        Err(e) => staff_error(d, e.into()),
    }
}

pub async fn create_organisation(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    let org = NewOrganisation {
        slug: form.get("slug").trim().to_owned(),
        name_uk: form.get("name_uk").trim().to_owned(),
        name_en: form.get("name_en").trim().to_owned(),
    };
    match state.app.create_organisation(Some(&actor), &org).await {
        Ok(_) => Redirect::to("/staff/organisations").into_response(),
        Err(StaffError::Invalid(_)) => match state.app.organisations().await {
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
            Err(e) => staff_error(d, e.into()),
        },
        Err(e) => staff_error(d, e),
    }
}

// --- tokens ---

#[derive(Template)]
#[template(path = "staff/tokens.html")]
struct TokensPage {
    d: Desk,
    tokens: Vec<ApiToken>,
    created: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    created: Option<String>,
) -> Response {
    match state.app.list_tokens(actor).await {
        Ok(tokens) => render(StatusCode::OK, &TokensPage { d, tokens, created }),
        Err(e) => staff_error(d, e.into()),
    }
}

pub async fn tokens(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    tokens_page(&state, d, &actor, None).await
}

pub async fn create_token(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    match state.app.create_token(&actor, form.get("name")).await {
        Ok(secret) => {
            let shown = lysty_app::App::reveal(&secret).to_owned();
            tokens_page(&state, d, &actor, Some(shown)).await
        }
        Err(e) => staff_error(d, e),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    match state.app.revoke_token(&actor, TokenId(id)).await {
        Ok(()) => Redirect::to("/staff/tokens").into_response(),
        Err(e) => staff_error(d, e),
    }
}

// --- lexicon ---

#[derive(Template)]
#[template(path = "staff/lexicon.html")]
struct LexiconPage {
    d: Desk,
    terms: Vec<LexiconTerm>,
    error: Option<String>,
}

pub async fn lexicon(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    if !actor.is_admin() {
        return staff_error(d, StaffError::Forbidden);
    }
    match state.app.store().list_lexicon().await {
        Ok(terms) => render(
            StatusCode::OK,
            &LexiconPage {
                d,
                terms,
                error: None,
            },
        ),
        Err(e) => staff_error(d, e.into()),
    }
}

pub async fn add_term(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    match state
        .app
        .add_lexicon_term(
            &actor,
            form.get("term"),
            form.get("language"),
            form.get("category"),
        )
        .await
    {
        Ok(()) => Redirect::to("/staff/lexicon").into_response(),
        Err(ReviewError::Invalid(_)) => match state.app.store().list_lexicon().await {
            Ok(terms) => {
                let error = Some(d.t("staff-error-invalid"));
                render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &LexiconPage { d, terms, error },
                )
            }
            Err(e) => staff_error(d, e.into()),
        },
        Err(e) => review_error(d, e),
    }
}

pub async fn remove_term(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Ok(id) = Uuid::parse_str(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    match state.app.remove_lexicon_term(&actor, id).await {
        Ok(()) => Redirect::to("/staff/lexicon").into_response(),
        Err(e) => review_error(d, e),
    }
}

// --- audit ---

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    object: Option<String>,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    d: Desk,
    entries: Vec<AuditEntry>,
    action: String,
    object: String,
    next: Option<i64>,
}

pub async fn audit(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<AuditQuery>,
) -> Response {
    let d = Desk::of(c, &actor);
    if !actor.is_admin() {
        return staff_error(d, StaffError::Forbidden);
    }
    let action = query.action.unwrap_or_default();
    let object = query.object.unwrap_or_default();
    let filter = AuditFilter {
        action: Some(action.trim().to_owned()).filter(|a| !a.is_empty()),
        object_id: Some(object.trim().to_owned()).filter(|o| !o.is_empty()),
        before: query.before,
        limit: 100,
        ..AuditFilter::default()
    };
    match state.app.store().list_audit(&filter).await {
        Ok(entries) => {
            let next = (entries.len() == 100)
                .then(|| entries.last().map(|e| e.id))
                .flatten();
            render(
                StatusCode::OK,
                &AuditPage {
                    d,
                    entries,
                    action,
                    object,
                    next,
                },
            )
        }
        Err(e) => page_error(d, StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

// --- account ---

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    d: Desk,
    enrolled: bool,
}

pub async fn account(c: Chrome, StaffUser(actor): StaffUser) -> Response {
    let enrolled = actor.staff.totp_secret_enc.is_some();
    render(
        StatusCode::OK,
        &AccountPage {
            d: Desk::of(c, &actor),
            enrolled,
        },
    )
}

// --- events ---

#[derive(Template)]
#[template(path = "staff/events.html")]
struct EventsPage {
    d: Desk,
    events: Vec<lysty_store::Event>,
    kinds: Vec<&'static str>,
    error: Option<String>,
}

async fn events_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match state.app.all_events().await {
        Ok(all) => {
            let events = all
                .into_iter()
                .filter(|e| actor.is_admin() || e.organisation == Some(actor.org()))
                .collect();
            render(
                status,
                &EventsPage {
                    d,
                    events,
                    kinds: lysty_app::events::EVENT_KINDS.to_vec(),
                    error,
                },
            )
        }
        Err(e) => staff_error(d, e.into()),
    }
}

pub async fn events(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
) -> Response {
    let d = Desk::of(c, &actor);
    if !actor.is(&[Role::Coordinator]) {
        return staff_error(d, StaffError::Forbidden);
    }
    events_page(&state, d, &actor, None, StatusCode::OK).await
}

fn event_input(form: &Form) -> lysty_app::events::EventInput {
    lysty_app::events::EventInput {
        kind: form.get("kind").to_owned(),
        title_uk: form.get("title_uk").to_owned(),
        title_en: form.get("title_en").to_owned(),
        city: form.get("city").to_owned(),
        country: form.get("country").to_owned(),
        venue: form.get("venue").to_owned(),
        starts_at: form.get("starts_at").to_owned(),
        ends_at: form.get("ends_at").to_owned(),
        series: form.get("series").to_owned(),
    }
}

fn event_error(d: Desk, error: lysty_app::events::EventError) -> Response {
    use lysty_app::events::EventError;
    match error {
        EventError::Forbidden => staff_error(d, StaffError::Forbidden),
        EventError::NotFound => staff_error(d, StaffError::NotFound),
        EventError::Invalid(_) | EventError::UnknownPrisoner => {
            staff_error(d, StaffError::Invalid(String::new()))
        }
        EventError::Store(e) => staff_error(d, e.into()),
    }
}

pub async fn create_event(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let form = Form::parse(&body);
    match state.app.create_event(&actor, &event_input(&form)).await {
        Ok(id) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(lysty_app::events::EventError::Invalid(_)) => {
            let error = Some(d.t("staff-error-invalid"));
            events_page(&state, d, &actor, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => event_error(d, e),
    }
}

#[derive(Template)]
#[template(path = "staff/event.html")]
struct EventPage {
    d: Desk,
    kinds: Vec<&'static str>,
    event: lysty_store::Event,
    kiosk_url: Option<String>,
    kiosk_qr: String,
    prisoners: Vec<lysty_store::PrisonerSummary>,
}

fn parse_event_id(raw: &str) -> Option<lysty_store::EventId> {
    Uuid::parse_str(raw).ok().map(lysty_store::EventId)
}

pub async fn event(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    let event = match state.app.event_for_staff(&actor, id).await {
        Ok(e) => e,
        Err(e) => return event_error(d, e),
    };
    let kiosk_url = event
        .kiosk_token
        .as_ref()
        .filter(|_| event.kiosk_revoked_at.is_none())
        .map(|t| format!("{}/kiosk/{t}", state.config.public_url));
    let kiosk_qr = kiosk_url
        .as_deref()
        .map(lysty_auth::totp::qr_svg)
        .unwrap_or_default();
    let prisoners = match state.app.all_published_prisoners().await {
        Ok(p) => p,
        Err(e) => return staff_error(d, e.into()),
    };
    render(
        StatusCode::OK,
        &EventPage {
            d,
            kinds: lysty_app::events::EVENT_KINDS.to_vec(),
            event,
            kiosk_url,
            kiosk_qr,
            prisoners,
        },
    )
}

pub async fn open_kiosk(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    match state.app.open_kiosk(&actor, id).await {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

pub async fn revoke_kiosk(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    match state.app.revoke_kiosk(&actor, id).await {
        Ok(()) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

pub async fn tally(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    let form = Form::parse(&body);
    match state
        .app
        .record_tally(&actor, id, form.get("prisoner"), form.get("count"))
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/events/{id}")).into_response(),
        Err(e) => event_error(d, e),
    }
}

/// A paper letter entered from the event page: pages as uploads, and a transcription.
pub async fn enter_paper(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use lysty_app::events::PaperError;
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    // Whose event it is, before reading a byte of the upload.
    if let Err(e) = state.app.event_for_staff(&actor, id).await {
        return event_error(d, e);
    }
    let Ok(mut multipart) = multipart else {
        let message = d.t("paper-error-malformed");
        return page_error(d, StatusCode::BAD_REQUEST, message);
    };
    let mut prisoner = String::new();
    let mut transcription = String::new();
    let mut pages = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                let (status, id) = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    (StatusCode::PAYLOAD_TOO_LARGE, "paper-error-too-large")
                } else {
                    (StatusCode::BAD_REQUEST, "paper-error-malformed")
                };
                let message = d.t(id);
                return page_error(d, status, message);
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let (status, id) = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    (StatusCode::PAYLOAD_TOO_LARGE, "paper-error-too-large")
                } else {
                    (StatusCode::BAD_REQUEST, "paper-error-malformed")
                };
                let message = d.t(id);
                return page_error(d, status, message);
            }
        };
        match name.as_str() {
            "prisoner" => prisoner = String::from_utf8_lossy(&bytes).into_owned(),
            "transcription" => transcription = String::from_utf8_lossy(&bytes).into_owned(),
            "pages" if !bytes.is_empty() => pages.push(bytes.to_vec()),
            _ => {}
        }
    }
    match state
        .app
        .enter_paper_letter(&actor, id, &prisoner, &transcription, pages)
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}?entered")).into_response(),
        Err(error) => {
            let (status, key) = match error {
                PaperError::Forbidden => (StatusCode::FORBIDDEN, "staff-error-forbidden"),
                PaperError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
                PaperError::UnknownPrisoner => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "error-unknown-prisoner")
                }
                PaperError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "paper-error-empty"),
                PaperError::TooManyPages => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "paper-error-too-many")
                }
                PaperError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "paper-error-too-large"),
                PaperError::UnsupportedType => {
                    (StatusCode::UNSUPPORTED_MEDIA_TYPE, "paper-error-type")
                }
                PaperError::Corrupt => (StatusCode::UNPROCESSABLE_ENTITY, "paper-error-corrupt"),
                PaperError::InvalidTranscription => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "staff-error-invalid")
                }
                PaperError::Store(e) => {
                    tracing::error!(error = %e, "a paper letter could not be stored");
                    (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
                }
            };
            let message = d.t(key);
            page_error(d, status, message)
        }
    }
}

/// A page of a paper letter: served only to staff, as a download, never rendered inline.
pub async fn letter_page_file(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path((raw, position)): Path<(String, i64)>,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    match state.app.letter_page(&actor, id, position).await {
        Ok(Some(page)) => {
            let ext = match page.content_type.as_str() {
                "image/png" => "png",
                "image/jpeg" => "jpg",
                _ => "pdf",
            };
            let disposition = format!("attachment; filename=\"letter-page-{position}.{ext}\"");
            (
                [
                    (header::CONTENT_TYPE, page.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                page.bytes,
            )
                .into_response()
        }
        Ok(None) => staff_error(d, StaffError::NotFound),
        Err(lysty_app::events::PaperError::Forbidden) => staff_error(d, StaffError::Forbidden),
        Err(_) => staff_error(d, StaffError::NotFound),
    }
}

pub async fn transcription(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_letter_id(&raw) else {
        return review_error(d, ReviewError::NotFound);
    };
    let form = Form::parse(&body);
    let result = state.app.transcribe(&actor, id, form.get("text")).await;
    after_step(
        &state,
        d,
        &actor,
        id,
        result,
        &format!("/staff/letters/{id}"),
    )
    .await
}

pub async fn update_event(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let d = Desk::of(c, &actor);
    let Some(id) = parse_event_id(&raw) else {
        return staff_error(d, StaffError::NotFound);
    };
    let form = Form::parse(&body);
    match state
        .app
        .update_event(&actor, id, &event_input(&form))
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/events/{id}?saved")).into_response(),
        Err(e) => event_error(d, e),
    }
}

#[cfg(test)]
mod tests {
    use super::sentences;

    #[test]
    fn sentences_end_at_punctuation_before_a_space() {
        assert_eq!(
            sentences("Привет! Пиши на t.me/someone. Держись…\nПока"),
            ["Привет!", "Пиши на t.me/someone.", "Держись…", "Пока"]
        );
    }
}
