//! The review and translation queues, and one letter at a time: approve, reject, redact, translate.

use super::*;
use crate::extract::PagePath;
use crate::forms::FormBody;

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
pub(super) struct QueuePage {
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
        letter
            .flags
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

pub(super) async fn queue(
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

/// A flag as shown to a moderator: its explanation, and which text it was found in.
pub struct FlagView {
    pub kind: String,
    pub explanation: String,
    /// "In the Russian text", "in the original", "in the transcription"; empty when the
    /// letter has one text only.
    pub found_in: String,
}

#[derive(Template)]
#[template(path = "staff/letter.html")]
pub(super) struct LetterPage {
    d: Desk,
    letter: ReviewLetter,
    flags: Vec<FlagView>,
    /// The letter's text in runs, flagged runs marked.
    original: Vec<(String, bool)>,
    /// The Russian text in runs, when there is one.
    russian: Option<Vec<(String, bool)>>,
    /// The original's sentences to strike, then the Russian text's (those not already in
    /// the original).
    sentences: Vec<String>,
    russian_sentences: Vec<String>,
    reasons: Vec<(&'static str, String)>,
    claimed_by_me: bool,
    notice: Option<String>,
    /// Earlier texts (before redactions and translations): shown to admins only.
    versions: Vec<lysty_store::LetterVersion>,
    /// Pages of a paper letter, numbered from 1.
    pages: Vec<i64>,
    /// Whether the reader may keep the prisoner's case terms (a link to them is shown).
    may_keep_case: bool,
}

pub(super) fn explain(d: &Desk, flag: &Flag) -> String {
    let id = format!("flag-{}", flag.kind.as_str().replace('_', "-"));
    let lang = &d.c.lang;
    match &flag.detail {
        FlagDetail::Language { detected, .. } => {
            let name = lang.t(format!("flag-language-{detected}"));
            lang.ts(&id, "language", &name)
        }
        // The kinds the writer was warned about, by their names.
        FlagDetail::Terms(kinds) if flag.kind == safety::FlagKind::WriterWarned => {
            let names: Vec<String> = kinds
                .iter()
                .filter_map(|k| k.parse::<safety::FlagKind>().ok())
                .map(|k| lang.t(k.name_id()))
                .collect();
            lang.ts(&id, "terms", &names.join(", "))
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
pub(super) fn sentences(text: &str) -> Vec<String> {
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

pub(super) async fn letter_page(
    state: &AppState,
    d: Desk,
    letter: ReviewLetter,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let Some(me) = d.me.as_ref() else {
        return review_error(d, ReviewError::Forbidden);
    };
    let (versions, pages) = match state.app.letter_record(me, &letter).await {
        Ok(record) => (record.versions, (1..=record.pages).collect()),
        Err(e) => return review_error(d, e),
    };
    let flags = letter.flags.clone();
    // Each flag's spans point into the text it was found in.
    let spans_in = |text: FlagText| -> Vec<Span> {
        flags
            .iter()
            .filter(|f| f.text == text)
            .flat_map(|f| f.spans.clone())
            .collect()
    };
    let original = safety::highlight(&letter.body, &merge(spans_in(FlagText::Original)));
    let russian = letter
        .body_delivery
        .as_deref()
        .map(|ru| safety::highlight(ru, &merge(spans_in(FlagText::Delivery))));
    let paper = letter.source == Source::Paper;
    let views = flags
        .iter()
        .map(|f| FlagView {
            kind: f.kind.as_str().to_owned(),
            explanation: explain(&d, f),
            found_in: match (f.text, letter.body_delivery.is_some(), paper) {
                (_, _, _) if f.spans.is_empty() && f.kind != safety::FlagKind::NotRussian => {
                    String::new()
                }
                (FlagText::Delivery, _, _) => d.t("staff-found-in-russian"),
                (FlagText::Signature, _, _) => d.t("staff-found-in-signature"),
                (FlagText::Original, true, false) => d.t("staff-found-in-original"),
                (FlagText::Original, _, true) => d.t("staff-found-in-transcription"),
                (FlagText::Original, false, false) => String::new(),
            },
        })
        .collect();
    let claimed_by_me =
        d.me.as_ref()
            .is_some_and(|m| letter.claimed_by == Some(m.id()));
    let may_keep_case =
        d.me.as_ref()
            .is_some_and(lysty_app::App::may_keep_case_terms);
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
    let sentences = sentences(&letter.body);
    let russian_sentences: Vec<String> = letter
        .body_delivery
        .as_deref()
        .map(self::sentences)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !sentences.contains(s))
        .collect();
    render(
        status,
        &LetterPage {
            d,
            letter,
            flags: views,
            original,
            russian,
            sentences,
            russian_sentences,
            reasons,
            claimed_by_me,
            notice,
            versions,
            pages,
            may_keep_case,
        },
    )
}

/// Sorted, non-overlapping spans, for highlighting several flags at once.
pub(super) fn merge(mut spans: Vec<Span>) -> Vec<Span> {
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

pub async fn letter(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    PagePath(id): PagePath<LetterId>,
) -> Response {
    let d = Desk::of(c, &actor);
    match state.app.open_letter(&actor, id).await {
        Ok(letter) => letter_page(&state, d, letter, None, StatusCode::OK).await,
        Err(ReviewError::Claimed { until }) => match state.app.letter_for_staff(&actor, id).await {
            Ok(letter) => {
                let notice = Some(d.c.lang.ts(
                    "staff-claimed-by-other",
                    "until",
                    &d.c.clock(&until),
                ));
                letter_page(&state, d, letter, notice, StatusCode::OK).await
            }
            Err(e) => review_error(d, e),
        },
        Err(e) => review_error(d, e),
    }
}

pub(super) async fn after_step(
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
) -> Response {
    let result = state.app.approve(&actor, id).await;
    let back = match &result {
        Ok(LetterState::NeedsTranslation) => "/staff/review?done=translation",
        _ => "/staff/review?done=approved",
    };
    after_step(&state, d, &actor, id, result.map(|_| ()), back).await
}

pub async fn reject(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    FormBody(form): FormBody,
) -> Response {
    let result = match form.get("reason").parse::<RejectReason>() {
        Ok(reason) => state.app.reject(&actor, id, reason, form.get("note")).await,
        Err(_) => Err(ReviewError::Invalid("reason".into())),
    };
    after_step(&state, d, &actor, id, result, "/staff/review?done=rejected").await
}

pub async fn redact(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    FormBody(form): FormBody,
) -> Response {
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
    StaffDesk { d, actor }: StaffDesk,
    PagePath(id): PagePath<LetterId>,
    FormBody(form): FormBody,
) -> Response {
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
