//! A prisoner's profile with the letter form, the form's submission, and the writer's tracking page.

use super::*;
use crate::limits::{ClientKey, with_retry_after};
use lysty_domain::LetterState;

/// The name of the form's hidden trap field.
pub(super) const HONEYPOT: &str = "homepage";

/// The letter form's state: what was typed, and what is wrong with it.
pub struct LetterForm {
    pub values: LetterInput,
    pub errors: Vec<(String, String)>,
    pub max_chars: usize,
    /// What the writer's check found, when they asked for one.
    pub check: Option<CheckView>,
}

/// The answer to "check my letter": the letter with the passages marked, and advice.
pub struct CheckView {
    pub clear: bool,
    pub marked: Vec<(String, bool)>,
    pub advice: Vec<String>,
}

impl LetterForm {
    fn fresh(max_chars: usize) -> Self {
        LetterForm {
            values: LetterInput {
                idempotency_key: Uuid::now_v7().to_string(),
                ..LetterInput::default()
            },
            errors: Vec::new(),
            max_chars,
            check: None,
        }
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn language_options(&self) -> Vec<(&'static str, String, bool)> {
        LetterLanguage::ALL
            .iter()
            .map(|l| {
                let code = l.as_str();
                let selected = self.values.language == code
                    || (self.values.language.is_empty() && *l == LetterLanguage::Und);
                (code, format!("form-language-{code}"), selected)
            })
            .collect()
    }
}

#[derive(askama::Template)]
#[template(path = "prisoner.html")]
pub(super) struct ProfilePage {
    c: Chrome,
    prisoner: Prisoner,
    form: LetterForm,
    /// An error about the whole letter (not one field), e.g. the person was released.
    banner: Option<String>,
    /// Replies the prisoner agreed to publish.
    replies: Vec<lysty_store::Reply>,
    /// The script that checks the letter while it is typed (the form works without it).
    check_script: String,
    /// The proof-of-work challenge, when the campaign asks for one (`limits.proof_of_work`),
    /// and the script that answers it.
    proof: Option<String>,
    proof_script: String,
}

/// Published replies are a courtesy on the profile: if they cannot be read, the page
/// (and its letter form) still works.
pub(super) async fn published_replies(
    state: &AppState,
    prisoner: &Prisoner,
) -> Vec<lysty_store::Reply> {
    state
        .app
        .replies(prisoner.id, true)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "replies could not be read");
            Vec::new()
        })
}

pub(super) async fn load_prisoner(
    state: &AppState,
    c: &Chrome,
    slug: &str,
) -> Result<Prisoner, PageError> {
    match state.app.published_prisoner(slug).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(PageError::not_found(c.clone())),
        Err(e) => Err(PageError::internal(c.clone(), e)),
    }
}

pub async fn profile(
    State(state): State<AppState>,
    c: Chrome,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let prisoner = load_prisoner(&state, &c, &slug).await?;
    let form = LetterForm::fresh(state.app.config().max_letter_chars);
    let replies = published_replies(&state, &prisoner).await;
    Ok(render(
        StatusCode::OK,
        &ProfilePage {
            c,
            prisoner,
            form,
            banner: None,
            replies,
            check_script: crate::assets::url("check.js"),
            proof: state.proof.challenge(state.app.now()),
            proof_script: crate::assets::url("proof.js"),
        },
    ))
}

pub async fn submit_letter(
    State(state): State<AppState>,
    c: Chrome,
    client: ClientKey,
    Path(slug): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, PageError> {
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = rejection.status();
            let id = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "error-too-large"
            } else {
                "error-malformed"
            };
            let status = if status.is_client_error() {
                status
            } else {
                StatusCode::BAD_REQUEST
            };
            return Err(PageError::new(status, c, id));
        }
    };
    let form = Form::parse(&body);
    let input = LetterInput {
        prisoner: slug.clone(),
        body: form.get("body").to_owned(),
        language: form.get("language").to_owned(),
        writer_name: form.get("writer_name").to_owned(),
        writer_city: form.get("writer_city").to_owned(),
        writer_country: form.get("writer_country").to_owned(),
        writer_email: form.get("writer_email").to_owned(),
        email_consent: form.checked("email_consent"),
        event: String::new(),
        kiosk_token: String::new(),
        idempotency_key: form.get("idempotency_key").to_owned(),
        warned: form.get("warned").to_owned(),
        written_at: String::new(),
    };
    let max_chars = state.app.config().max_letter_chars;
    let mut again = LetterForm {
        values: input.clone(),
        errors: Vec::new(),
        max_chars,
        check: None,
    };
    if !form.invalid_utf8.is_empty() {
        again.errors = form
            .invalid_utf8
            .iter()
            .map(|f| (f.clone(), c.t("error-body-encoding")))
            .collect();
        return refuse(&state, c, &slug, again, None, StatusCode::BAD_REQUEST).await;
    }
    // "Check my letter": the form comes back with the passages marked; nothing is stored.
    if !form.get("check").is_empty() {
        return check(&state, c, client, &slug, again).await;
    }
    // A field people never see (hidden from the eye and from screen readers) that only a
    // program filling every field fills; and, for a campaign under attack, a proof of work
    // the page's script computes — missing, wrong, expired or reused, the form comes back
    // with a fresh challenge.
    let automated = if !form.get(HONEYPOT).trim().is_empty() {
        Some("error-honeypot")
    } else {
        match state.proof.check(form.get("proof"), state.app.now()) {
            Ok(()) => None,
            // No proof at all: the browser ran no script (which holds the letter back until
            // its proof is ready).
            Err(crate::proof::ProofError::Missing) => Some("error-proof-of-work-no-script"),
            Err(_) => Some("error-proof-of-work"),
        }
    };
    if let Some(reason) = automated {
        let banner = c.t(reason);
        return refuse(
            &state,
            c,
            &slug,
            again,
            Some(banner),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if let Err(wait) = state.limits.letter(client) {
        let banner = c
            .lang
            .tn("error-too-many-letters", "minutes", wait.minutes());
        let page = refuse(
            &state,
            c,
            &slug,
            again,
            Some(banner),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        return Ok(with_retry_after(page, wait));
    }
    if state
        .limits
        .duplicate(client, &input.body, &input.idempotency_key)
    {
        let banner = c.t("error-duplicate-letter");
        return refuse(&state, c, &slug, again, Some(banner), StatusCode::CONFLICT).await;
    }
    match state.app.submit_letter(&input, Source::Online).await {
        // The thanks page confirms the emails only to a writer who asked for them.
        Ok(receipt) => Ok(Redirect::to(&format!(
            "/letters/{}?new=1{}",
            receipt.tracking_code.display(),
            if input.email_consent && !input.writer_email.trim().is_empty() {
                "&updates=1"
            } else {
                ""
            }
        ))
        .into_response()),
        Err(SubmitError::Invalid(fields)) => {
            again.errors = fields
                .iter()
                .map(|f| (f.field.name().to_owned(), field_message(f, &c.lang)))
                .collect();
            refuse(
                &state,
                c,
                &slug,
                again,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SubmitError::PrisonerNotAccepting) => {
            let banner = c.t("error-prisoner-not-accepting");
            refuse(&state, c, &slug, again, Some(banner), StatusCode::CONFLICT).await
        }
        Err(SubmitError::UnknownPrisoner) => Err(PageError {
            kept_text: Some(input.body),
            ..PageError::new(StatusCode::NOT_FOUND, c, "error-unknown-prisoner")
        }),
        Err(SubmitError::IdempotencyKeyReused) => {
            // A stale form: give it a fresh key and let the writer send again.
            again.values.idempotency_key = Uuid::now_v7().to_string();
            let banner = c.t("error-idempotency-key-reused");
            refuse(&state, c, &slug, again, Some(banner), StatusCode::CONFLICT).await
        }
        Err(SubmitError::UnknownEvent) => {
            let banner = c.t("error-unknown-event");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SubmitError::Unavailable) => {
            let banner = c.t("error-unavailable");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
        Err(SubmitError::Internal(cause)) => {
            tracing::error!(%cause, "a letter could not be taken");
            let banner = c.t("error-internal");
            refuse(
                &state,
                c,
                &slug,
                again,
                Some(banner),
                StatusCode::INTERNAL_SERVER_ERROR,
            )
            .await
        }
    }
}

/// The writer's check: the form again, with what was typed, the passages a censor would
/// stop marked, and advice in the writer's language. The kinds found travel with the form
/// (`warned`), so that if the letter is sent as it is the moderator knows.
async fn check(
    state: &AppState,
    c: Chrome,
    client: ClientKey,
    slug: &str,
    mut form: LetterForm,
) -> Result<Response, PageError> {
    if let Err(wait) = state.limits.lookup(client) {
        let banner = c.t("error-too-many-lookups");
        let page = refuse(
            state,
            c,
            slug,
            form,
            Some(banner),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        return Ok(with_retry_after(page, wait));
    }
    let found = match state.app.check_letter(slug, &form.values.body).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(PageError {
                kept_text: Some(form.values.body),
                ..PageError::not_found(c)
            });
        }
        Err(e) => {
            let mut error = PageError::internal(c, e);
            error.kept_text = Some(form.values.body);
            return Err(error);
        }
    };
    let text = &form.values.body;
    let spans: Vec<lysty_domain::safety::Span> =
        found.flags.iter().flat_map(|f| f.spans.clone()).collect();
    form.values.warned = found
        .kinds()
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",");
    form.check = Some(CheckView {
        clear: found.is_clear(),
        marked: lysty_domain::safety::highlight(text, &spans),
        advice: found
            .flags
            .iter()
            .map(|f| crate::api_safety::advice(&c.lang, f))
            .collect(),
    });
    refuse(state, c, slug, form, None, StatusCode::OK).await
}

/// Shows the form again with everything the writer typed and what to fix.
pub(super) async fn refuse(
    state: &AppState,
    c: Chrome,
    slug: &str,
    form: LetterForm,
    banner: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let prisoner = match load_prisoner(state, &c, slug).await {
        Ok(p) => p,
        Err(mut error) => {
            error.kept_text = Some(form.values.body);
            return Err(error);
        }
    };
    let replies = published_replies(state, &prisoner).await;
    Ok(no_store(render(
        status,
        &ProfilePage {
            c,
            prisoner,
            form,
            banner,
            replies,
            check_script: crate::assets::url("check.js"),
            proof: state.proof.challenge(state.app.now()),
            proof_script: crate::assets::url("proof.js"),
        },
    )))
}

#[derive(Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
    new: Option<String>,
    /// The writer left an address and asked for news of the letter.
    updates: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "track.html")]
pub(super) struct TrackPage {
    c: Chrome,
    code: String,
    error: Option<String>,
}

/// `/letters?code=…`: the form to look a letter up, and the redirect to its page.
pub async fn track_form(c: Chrome, Query(query): Query<TrackQuery>) -> Response {
    let raw = query.code.unwrap_or_default();
    if raw.trim().is_empty() {
        return render(
            StatusCode::OK,
            &TrackPage {
                c,
                code: String::new(),
                error: None,
            },
        );
    }
    match TrackingCode::parse(&raw) {
        Ok(code) => Redirect::to(&format!("/letters/{}", code.display())).into_response(),
        Err(_) => {
            let error = Some(c.t("error-letter-not-found"));
            no_store(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &TrackPage {
                    c,
                    code: raw,
                    error,
                },
            ))
        }
    }
}

#[derive(askama::Template)]
#[template(path = "letter.html")]
pub(super) struct LetterPage {
    c: Chrome,
    letter: TrackedLetter,
    code: String,
    link: String,
    new: bool,
    /// When a reply from the prisoner answered this letter.
    reply_at: Option<chrono::DateTime<chrono::Utc>>,
    /// After a new letter: someone else who has received few letters lately.
    suggest: Option<PrisonerSummary>,
    /// After a new letter: the campaign's usual days from writing to sending, rounded up.
    usual_days: Option<i64>,
    /// After a new letter: the writer asked for emails about it.
    updates: bool,
    /// The person's public page, to invite others to write.
    prisoner_url: String,
    script: String,
}

impl LetterPage {
    /// What the letter's state means for its writer: why it waits when it is held or the
    /// person's facility is not known yet, otherwise what its state means.
    fn explanation(&self) -> String {
        let l = &self.letter;
        let id = match (l.held, l.state) {
            (Some(held), _) => format!("state-explain-held-{}", held.as_str()),
            (None, LetterState::Approved) if l.awaiting_facility => {
                "state-explain-approved-no-facility".to_owned()
            }
            (None, state) => format!("state-explain-{}", state.as_str()),
        };
        self.c.t(id)
    }

    /// Why a rejected letter was not passed on, in kind words.
    fn rejection(&self) -> Option<String> {
        let reason = self.letter.reject_reason?;
        (self.letter.state == LetterState::Rejected).then(|| {
            self.c
                .t(format!("state-explain-rejected-{}", reason.as_str()))
        })
    }
}

pub async fn letter(
    State(state): State<AppState>,
    c: Chrome,
    client: ClientKey,
    Path(raw): Path<String>,
    Query(query): Query<TrackQuery>,
) -> Response {
    if let Err(wait) = state.limits.lookup(client) {
        let error = Some(c.t("error-too-many-lookups"));
        let page = render(
            StatusCode::TOO_MANY_REQUESTS,
            &TrackPage {
                c,
                code: raw.clone(),
                error,
            },
        );
        return with_retry_after(no_store(page), wait);
    }
    let not_found = |c: Chrome| {
        let error = Some(c.t("error-letter-not-found"));
        no_store(render(
            StatusCode::NOT_FOUND,
            &TrackPage {
                c,
                code: raw.clone(),
                error,
            },
        ))
    };
    let Ok(code) = TrackingCode::parse(&raw) else {
        return not_found(c);
    };
    match state.app.tracked_letter(&code).await {
        Ok(Some(lysty_app::public::Tracked { letter, reply_at })) => {
            let link = format!("{}/letters/{}", state.config.public_url, code.display());
            let suggest = if query.new.is_some() {
                // A suggestion is a courtesy: without it the page still thanks the writer.
                state.app.public_figures().await.ok().and_then(|figures| {
                    figures
                        .waiting
                        .iter()
                        .map(|w| &w.prisoner)
                        .find(|p| p.slug != letter.prisoner_slug)
                        .cloned()
                })
            } else {
                None
            };
            let usual_days = if query.new.is_some() {
                // A courtesy too: without the figure the page says "with the next batch".
                state
                    .app
                    .usual_days_to_send()
                    .await
                    .ok()
                    .flatten()
                    .map(|days| days.ceil().max(1.0) as i64)
            } else {
                None
            };
            let prisoner_url = format!(
                "{}/prisoners/{}",
                state.config.public_url, letter.prisoner_slug
            );
            no_store(render(
                StatusCode::OK,
                &LetterPage {
                    c,
                    letter,
                    code: code.display(),
                    link,
                    new: query.new.is_some(),
                    reply_at,
                    suggest,
                    usual_days,
                    updates: query.updates.is_some(),
                    prisoner_url,
                    script: crate::assets::url("thanks.js"),
                },
            ))
        }
        Ok(None) => not_found(c),
        Err(e) => PageError::internal(c, e).into_response(),
    }
}
