//! API tokens, the safety lexicon and the audit log.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;

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

pub async fn tokens(State(state): State<AppState>, StaffDesk { d, actor }: StaffDesk) -> Response {
    tokens_page(&state, d, &actor, None).await
}

pub async fn create_token(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
) -> Response {
    match state.app.revoke_token(&actor, TokenId(id)).await {
        Ok(()) => Redirect::to("/staff/tokens").into_response(),
        Err(e) => staff_error(d, e),
    }
}

// --- lexicon ---

/// How many terms the lexicon page lists at once; a search narrows the rest down.
const LEXICON_ROWS: usize = 300;

#[derive(Debug, Default, Deserialize)]
pub struct LexiconQuery {
    q: Option<String>,
    category: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/lexicon.html")]
pub(super) struct LexiconPage {
    d: Desk,
    /// The terms that match the search, at most [`LEXICON_ROWS`].
    terms: Vec<LexiconTerm>,
    /// How many are shown, how many match and how many there are in all.
    count_line: String,
    q: String,
    category: String,
    categories: Vec<&'static str>,
    error: Option<String>,
}

async fn lexicon_page(
    state: &AppState,
    d: Desk,
    actor: &Actor,
    q: &str,
    category: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    match state.app.lexicon_terms(actor).await {
        Ok(all) => {
            let needle = q.trim().to_lowercase();
            let found: Vec<LexiconTerm> = all
                .iter()
                .filter(|t| category.is_empty() || t.category == category)
                .filter(|t| needle.is_empty() || t.term.to_lowercase().contains(&needle))
                .cloned()
                .collect();
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX).into();
            let count_line = d.c.lang.targs(
                "staff-lexicon-count",
                &[
                    ("shown", count(found.len().min(LEXICON_ROWS))),
                    ("matching", count(found.len())),
                    ("total", count(all.len())),
                ],
            );
            render(
                status,
                &LexiconPage {
                    d,
                    terms: found.into_iter().take(LEXICON_ROWS).collect(),
                    count_line,
                    q: q.trim().to_owned(),
                    category: category.to_owned(),
                    categories: lysty_domain::safety::Category::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect(),
                    error,
                },
            )
        }
        Err(e) => review_error(d, e),
    }
}

/// The page's address for a search, to come back to after a change.
fn lexicon_url(q: &str, category: &str) -> String {
    let mut url = String::from("/staff/lexicon");
    let mut sep = '?';
    for (key, value) in [("q", q.trim()), ("category", category)] {
        if !value.is_empty() {
            url.push(sep);
            url.push_str(key);
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(
                value,
                percent_encoding::NON_ALPHANUMERIC,
            ));
            sep = '&';
        }
    }
    url
}

pub async fn lexicon(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Query(query): Query<LexiconQuery>,
) -> Response {
    let q = query.q.unwrap_or_default();
    let category = query.category.unwrap_or_default();
    lexicon_page(&state, d, &actor, &q, &category, None, StatusCode::OK).await
}

pub async fn add_term(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
    let term = form.get("term");
    match state
        .app
        .add_lexicon_term(&actor, term, form.get("language"), form.get("category"))
        .await
    {
        // The page comes back showing the new term.
        Ok(()) => Redirect::to(&lexicon_url(term, "")).into_response(),
        Err(ReviewError::Invalid(_)) => {
            let error = Some(d.t("staff-error-invalid"));
            lexicon_page(
                &state,
                d,
                &actor,
                "",
                "",
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => review_error(d, e),
    }
}

pub async fn remove_term(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<Uuid>,
    FormBody(form): FormBody,
) -> Response {
    match state.app.remove_lexicon_term(&actor, id).await {
        Ok(()) => Redirect::to(&lexicon_url(form.get("q"), form.get("category"))).into_response(),
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
    /// Names for the objects, by (type, id).
    names: std::collections::HashMap<(String, String), String>,
}

impl AuditPage {
    /// An action in the reader's language; its code where there are no words for it yet.
    fn action_label(&self, action: &str) -> String {
        let id = format!("audit-action-{action}");
        let words = self.d.t(&id);
        if words == id {
            action.to_owned()
        } else {
            words
        }
    }

    /// What an object is, in the reader's language.
    fn object_kind(&self, kind: &str) -> String {
        let id = format!("audit-object-{kind}");
        let words = self.d.t(&id);
        if words == id { kind.to_owned() } else { words }
    }

    /// An object's name, where it has one better than its id.
    fn object_name(&self, entry: &AuditEntry) -> Option<&str> {
        let key = (entry.object_type.clone()?, entry.object_id.clone()?);
        self.names.get(&key).map(String::as_str)
    }
}

pub async fn audit(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Query(query): Query<AuditQuery>,
) -> Response {
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
            let names = match state.app.audit_object_names(&actor, &entries).await {
                Ok(names) => names,
                Err(e) => return staff_error(d, e),
            };
            let next = (entries.len() == 100)
                .then(|| entries.last().map(|e| e.id))
                .flatten();
            render(
                StatusCode::OK,
                &AuditPage {
                    d,
                    names,
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
