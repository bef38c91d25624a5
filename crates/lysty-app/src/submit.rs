//! Submitting a letter: parse everything the writer typed, check the prisoner, hand the
//! letter to the intake, and answer only once it is committed.

use lysty_domain::{
    Email, IdempotencyKey, LetterBody, LetterId, LetterLanguage, ParseError, Place, PrisonerSlug,
    Source, TrackingCode, WriterName,
};
use lysty_store::{EventId, NewLetter, Receipt, Refusal, StoreError, SubmitOutcome};
use uuid::Uuid;

use crate::App;
use crate::intake::IntakeError;

/// What a writer sent, exactly as typed: nothing is lost when it is refused.
#[derive(Debug, Clone, Default)]
pub struct LetterInput {
    pub prisoner: String,
    pub body: String,
    pub language: String,
    pub writer_name: String,
    pub writer_city: String,
    pub writer_country: String,
    pub writer_email: String,
    pub email_consent: bool,
    pub event: String,
    /// The kiosk link's token: the only proof that lets a letter be counted at an event.
    pub kiosk_token: String,
    /// When the kiosk says the letter was written (RFC 3339, the tablet's clock): a letter
    /// written before its link was replaced still arrives through the old link.
    pub written_at: String,
    pub idempotency_key: String,
    /// The kinds of warning the writer saw when checking the letter before sending it
    /// (flag kinds, comma-separated); the moderator is told.
    pub warned: String,
}

/// The fields of the letter form, for tying an error to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Prisoner,
    Body,
    Language,
    WriterName,
    WriterCity,
    WriterCountry,
    WriterEmail,
    EmailConsent,
    Event,
    IdempotencyKey,
}

impl Field {
    /// The name of the field in forms and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Prisoner => "prisoner",
            Field::Body => "body",
            Field::Language => "language",
            Field::WriterName => "writer_name",
            Field::WriterCity => "writer_city",
            Field::WriterCountry => "writer_country",
            Field::WriterEmail => "writer_email",
            Field::EmailConsent => "email_consent",
            Field::Event => "event",
            Field::IdempotencyKey => "idempotency_key",
        }
    }
}

/// One refused field: which, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Parse(ParseError),
    /// An email was given without ticking the consent box.
    ConsentMissing,
}

impl FieldError {
    /// The Fluent message id that explains this error, e.g. `error-body-too-long`.
    pub fn message_id(&self) -> String {
        let field = self.field.name().replace('_', "-");
        match &self.problem {
            Problem::Parse(p) => format!("error-{field}-{}", p.code()),
            Problem::ConsentMissing => "error-email-consent-missing".to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Some fields are wrong; the writer corrects them.
    #[error("the letter has {} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("no such prisoner")]
    UnknownPrisoner,
    /// Released, exchanged or deceased: the form takes no letters for them.
    #[error("this person does not receive letters through the form")]
    PrisonerNotAccepting,
    #[error("no such event")]
    UnknownEvent,
    /// The idempotency key was already used for a different letter.
    #[error("the idempotency key belongs to another letter")]
    IdempotencyKeyReused,
    /// The database is busy or down: worth trying again shortly.
    #[error("letters cannot be accepted right now")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for SubmitError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Busy | StoreError::Unavailable(_) => SubmitError::Unavailable,
            other => SubmitError::Internal(other.to_string()),
        }
    }
}

impl From<IntakeError> for SubmitError {
    fn from(error: IntakeError) -> Self {
        match error {
            IntakeError::Busy | IntakeError::Stopped | IntakeError::Unavailable => {
                SubmitError::Unavailable
            }
            IntakeError::Store(m) => SubmitError::Internal(m),
        }
    }
}

/// A letter that passed every check in the handler.
struct Parsed {
    prisoner: PrisonerSlug,
    body: LetterBody,
    language: LetterLanguage,
    writer_name: Option<WriterName>,
    writer_city: Option<Place>,
    writer_country: Option<Place>,
    writer_email: Option<Email>,
    event: Option<EventId>,
    idempotency_key: Option<IdempotencyKey>,
}

/// Keeps the value, or records why the field was refused.
fn checked<T>(
    errors: &mut Vec<FieldError>,
    field: Field,
    result: Result<T, ParseError>,
) -> Option<T> {
    result
        .map_err(|p| {
            errors.push(FieldError {
                field,
                problem: Problem::Parse(p),
            })
        })
        .ok()
}

/// The checks `submit_letter` makes before anything is stored: every field problem at once.
/// (The fuzz targets in `fuzz/` call it with letters made of arbitrary bytes.)
pub fn validate(input: &LetterInput, max_chars: usize) -> Result<(), Vec<FieldError>> {
    parse(input, max_chars).map(|_| ())
}

fn parse(input: &LetterInput, max_chars: usize) -> Result<Parsed, Vec<FieldError>> {
    let mut errors = Vec::new();
    let prisoner = checked(
        &mut errors,
        Field::Prisoner,
        PrisonerSlug::parse(&input.prisoner),
    );
    let body = checked(
        &mut errors,
        Field::Body,
        LetterBody::parse(&input.body, max_chars),
    );
    let language = checked(
        &mut errors,
        Field::Language,
        LetterLanguage::parse(&input.language),
    );
    let writer_name = checked(
        &mut errors,
        Field::WriterName,
        WriterName::parse(&input.writer_name),
    );
    let writer_city = checked(
        &mut errors,
        Field::WriterCity,
        Place::parse(&input.writer_city),
    );
    let writer_country = checked(
        &mut errors,
        Field::WriterCountry,
        Place::parse(&input.writer_country),
    );
    let writer_email = checked(
        &mut errors,
        Field::WriterEmail,
        Email::parse(&input.writer_email),
    );
    let event = checked(
        &mut errors,
        Field::Event,
        match input.event.trim() {
            "" => Ok(None),
            raw => Uuid::parse_str(raw)
                .map(|id| Some(EventId(id)))
                .map_err(|_| ParseError::Invalid),
        },
    );
    let idempotency_key = checked(
        &mut errors,
        Field::IdempotencyKey,
        IdempotencyKey::parse(&input.idempotency_key),
    );
    if matches!(writer_email, Some(Some(_))) && !input.email_consent {
        errors.push(FieldError {
            field: Field::EmailConsent,
            problem: Problem::ConsentMissing,
        });
    }
    match (
        prisoner,
        body,
        language,
        writer_name,
        writer_city,
        writer_country,
        writer_email,
        event,
        idempotency_key,
    ) {
        (
            Some(prisoner),
            Some(body),
            Some(language),
            Some(writer_name),
            Some(writer_city),
            Some(writer_country),
            Some(writer_email),
            Some(event),
            Some(idempotency_key),
        ) if errors.is_empty() => Ok(Parsed {
            prisoner,
            body,
            language,
            writer_name,
            writer_city,
            writer_country,
            writer_email,
            event,
            idempotency_key,
        }),
        _ => Err(errors),
    }
}

impl App {
    /// Takes a letter from a writer. Returns once it is committed; the same idempotency
    /// key again returns the first letter's receipt.
    pub async fn submit_letter(
        &self,
        input: &LetterInput,
        source: Source,
    ) -> Result<Receipt, SubmitError> {
        let parsed = parse(input, self.config().max_letter_chars).map_err(SubmitError::Invalid)?;
        // Checked here for a quick, clear answer; the writer checks again in its transaction.
        let prisoner = self
            .store()
            .prisoner_by_slug(self.campaign().id, parsed.prisoner.as_str())
            .await?
            .filter(|p| p.published)
            .ok_or(SubmitError::UnknownPrisoner)?;
        if !prisoner.status.accepts_letters() {
            return Err(SubmitError::PrisonerNotAccepting);
        }
        let mut parsed = parsed;
        // A letter written at an event carries the event's city and country unless the
        // writer gave their own. Only the event's open kiosk may count a letter there:
        // without its token, anyone could fill an event's figures from the public API.
        if let Some(event_id) = parsed.event {
            let written_at = crate::import::parse_date(&input.written_at);
            let event = match self.kiosk_event_for(&input.kiosk_token, written_at).await? {
                Ok(event) if event.id == event_id => event,
                _ => return Err(SubmitError::UnknownEvent),
            };
            if parsed.writer_city.is_none() {
                parsed.writer_city = Place::parse(&event.city).ok().flatten();
            }
            if parsed.writer_country.is_none() {
                parsed.writer_country = Place::parse(&event.country).ok().flatten();
            }
        }
        let writer_email_encrypted = match &parsed.writer_email {
            Some(email) => Some(
                self.inner
                    .cipher
                    .encrypt(email.as_str())
                    .map_err(|e| SubmitError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        let fingerprint = lysty_domain::safety::fingerprint(parsed.body.as_str());
        let copies = self.store().count_fingerprint(&fingerprint).await?;
        // The letter is checked against the limit of the facility it is going to, and the
        // moderator is told what the writer's own check warned about.
        let flags = self.flags_of_new_letter(
            parsed.body.as_str(),
            (
                parsed.writer_name.as_ref().map(WriterName::as_str),
                parsed.writer_city.as_ref().map(Place::as_str),
            ),
            &prisoner,
            u32::try_from(copies).unwrap_or(u32::MAX),
            &input.warned,
        );
        let letter = NewLetter {
            id: LetterId::new(),
            campaign: self.campaign().id,
            tracking_code: TrackingCode::generate(),
            idempotency_key: parsed.idempotency_key,
            prisoner: parsed.prisoner,
            source,
            event: parsed.event,
            writer_name: parsed.writer_name,
            writer_city: parsed.writer_city,
            writer_country: parsed.writer_country,
            writer_email_encrypted,
            language: parsed.language,
            body: parsed.body,
            received_at: self.now(),
            flags,
            fingerprint,
        };
        match self.inner.intake.submit(letter).await? {
            SubmitOutcome::Created(receipt) | SubmitOutcome::Existing(receipt) => Ok(receipt),
            SubmitOutcome::Refused(Refusal::UnknownPrisoner) => Err(SubmitError::UnknownPrisoner),
            SubmitOutcome::Refused(Refusal::PrisonerNotAccepting) => {
                Err(SubmitError::PrisonerNotAccepting)
            }
            SubmitOutcome::Refused(Refusal::UnknownEvent) => Err(SubmitError::UnknownEvent),
            SubmitOutcome::Refused(Refusal::IdempotencyKeyReused) => {
                Err(SubmitError::IdempotencyKeyReused)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> LetterInput {
        LetterInput {
            prisoner: "remzi-bekirov".into(),
            body: "Тримайся!".into(),
            ..LetterInput::default()
        }
    }

    #[test]
    fn a_plain_letter_parses() {
        let parsed = parse(&input(), 100).unwrap();
        assert_eq!(parsed.language, LetterLanguage::Und);
        assert!(parsed.writer_email.is_none());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = LetterInput {
            prisoner: "Not A Slug".into(),
            body: " ".into(),
            writer_email: "nope".into(),
            event: "not-a-uuid".into(),
            ..LetterInput::default()
        };
        let errors = parse(&bad, 100).err().unwrap();
        let ids: Vec<_> = errors.iter().map(FieldError::message_id).collect();
        assert_eq!(
            ids,
            [
                "error-prisoner-invalid",
                "error-body-empty",
                "error-writer-email-invalid",
                "error-event-invalid"
            ]
        );
    }

    #[test]
    fn an_email_needs_explicit_consent() {
        let without = LetterInput {
            writer_email: "writer@example.org".into(),
            ..input()
        };
        let errors = parse(&without, 100).err().unwrap();
        assert_eq!(errors[0].message_id(), "error-email-consent-missing");
        let with = LetterInput {
            email_consent: true,
            ..without
        };
        assert!(parse(&with, 100).unwrap().writer_email.is_some());
    }

    #[test]
    fn the_configured_limit_applies() {
        let long = LetterInput {
            body: "ж".repeat(101),
            ..input()
        };
        let errors = parse(&long, 100).err().unwrap();
        assert_eq!(
            errors[0].problem,
            Problem::Parse(ParseError::TooLong {
                max: 100,
                actual: 101
            })
        );
    }
}
