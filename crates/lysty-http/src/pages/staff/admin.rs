//! API tokens, the safety lexicon and the audit log.

use super::*;

// --- tokens ---

#[derive(Template)]
#[template(path = "staff/tokens.html")]
pub(super) struct TokensPage {
    d: Desk,
    tokens: Vec<ApiToken>,
    created: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
}

impl TokensPage {
    fn expired(&self, token: &ApiToken) -> bool {
        token.expires_at <= self.now
    }
}

pub(super) async fn tokens_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    created: Option<String>,
) -> Response {
    match state.app.list_tokens(actor).await {
        Ok(tokens) => render(
            StatusCode::OK,
            &TokensPage {
                d,
                tokens,
                created,
                now: state.app.now(),
            },
        ),
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
pub(super) struct LexiconPage {
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
    match state.app.lexicon_terms(&actor).await {
        Ok(terms) => render(
            StatusCode::OK,
            &LexiconPage {
                d,
                terms,
                error: None,
            },
        ),
        Err(e) => review_error(d, e),
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
        Err(ReviewError::Invalid(_)) => match state.app.lexicon_terms(&actor).await {
            Ok(terms) => {
                let error = Some(d.t("staff-error-invalid"));
                render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &LexiconPage { d, terms, error },
                )
            }
            Err(e) => review_error(d, e),
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
pub(super) struct AuditPage {
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
    let action = query.action.unwrap_or_default();
    let object = query.object.unwrap_or_default();
    let filter = AuditFilter {
        action: Some(action.trim().to_owned()).filter(|a| !a.is_empty()),
        object_id: Some(object.trim().to_owned()).filter(|o| !o.is_empty()),
        before: query.before,
        limit: 100,
        ..AuditFilter::default()
    };
    match state.app.audit_log(&actor, &filter).await {
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
        Err(e) => staff_error(d, e),
    }
}
