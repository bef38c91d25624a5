//! One kind for every refusal the app gives, so that the API and the pages answer alike.
//!
//! Each use case's error says what kind of failure it is (which decides the HTTP status),
//! a stable code for API clients, and the message a person reads, as an id in the Fluent
//! files with its arguments. The web layer renders it in the reader's language, in one place.

use chrono::{DateTime, Utc};
use lysty_domain::LetterState;
use lysty_store::StoreError;

use crate::delivery::{DeliveryError, DeliveryField};
use crate::events::{EventError, PaperError};
use crate::prisoners::PrisonerError;
use crate::review::ReviewError;
use crate::staff::StaffError;

/// What went wrong, as far as the person asking is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Their role does not allow it.
    Forbidden,
    /// The record is not there (or not theirs to see).
    NotFound,
    /// The record is in a state that does not allow it now (sent already, claimed by another).
    Conflict,
    /// What they typed or sent cannot be used.
    Invalid,
    /// What they sent is larger than allowed.
    TooLarge,
    /// What they sent is of a type not taken (a file that is no image or PDF).
    Unsupported,
    /// The credentials were refused.
    Unauthorized,
    /// The database cannot store anything now (a full disk): try again later.
    Unavailable,
    /// Our fault; the cause is logged, never shown.
    Internal,
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// A letter's state, shown by its name in the reader's language.
    State(LetterState),
    /// A moment, shown as a time of day.
    Time(DateTime<Utc>),
}

/// A message in the Fluent files, with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: &'static str) -> Self {
        Message {
            id,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, arg: Arg) -> Self {
        self.args.push((name, arg));
        self
    }
}

/// A refusal or a fault of a use case.
pub trait Failure: std::error::Error {
    fn kind(&self) -> ErrorKind;
    /// A stable, machine-readable code such as `already_sent`.
    fn code(&self) -> &'static str;
    fn message(&self) -> Message;
    /// For a file refused by its rows: each refused row's line and reason.
    fn rows(&self) -> Vec<(u64, String)> {
        Vec::new()
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A store error's kind: unavailable (full disk, read-only) or ours.
fn store_kind(e: &StoreError) -> ErrorKind {
    if matches!(e, StoreError::Unavailable(_)) {
        ErrorKind::Unavailable
    } else {
        ErrorKind::Internal
    }
}

fn store_code(e: &StoreError) -> &'static str {
    match store_kind(e) {
        ErrorKind::Unavailable => "storage_unavailable",
        _ => "internal",
    }
}

fn store_message(e: &StoreError) -> Message {
    match store_kind(e) {
        ErrorKind::Unavailable => Message::new("error-storage-unavailable"),
        _ => Message::new("error-internal"),
    }
}

/// A store fault met outside any use case's error: unavailable or ours.
impl Failure for StoreError {
    fn kind(&self) -> ErrorKind {
        store_kind(self)
    }

    fn code(&self) -> &'static str {
        store_code(self)
    }

    fn message(&self) -> Message {
        store_message(self)
    }
}

const FORBIDDEN: &str = "staff-error-forbidden";
const NOT_FOUND: &str = "error-not-found";
const INVALID: &str = "staff-error-invalid";

impl Failure for ReviewError {
    fn kind(&self) -> ErrorKind {
        match self {
            ReviewError::Forbidden => ErrorKind::Forbidden,
            ReviewError::NotFound => ErrorKind::NotFound,
            ReviewError::Claimed { .. } | ReviewError::NotClaimed | ReviewError::WrongState(_) => {
                ErrorKind::Conflict
            }
            ReviewError::NeedsRussian | ReviewError::Invalid(_) => ErrorKind::Invalid,
            ReviewError::Store(e) => store_kind(e),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ReviewError::Forbidden => "forbidden",
            ReviewError::NotFound => "not_found",
            ReviewError::Claimed { .. } => "claimed",
            ReviewError::NotClaimed => "not_claimed",
            ReviewError::WrongState(_) => "wrong_state",
            ReviewError::NeedsRussian => "needs_russian",
            ReviewError::Invalid(_) => "invalid",
            ReviewError::Store(e) => store_code(e),
        }
    }

    fn message(&self) -> Message {
        match self {
            ReviewError::Forbidden => Message::new(FORBIDDEN),
            ReviewError::NotFound => Message::new(NOT_FOUND),
            ReviewError::Claimed { until } => {
                Message::new("staff-claimed-by-other").with("until", Arg::Time(*until))
            }
            ReviewError::NotClaimed => Message::new("staff-not-claimed"),
            ReviewError::WrongState(state) => {
                Message::new("staff-wrong-state").with("state", Arg::State(*state))
            }
            ReviewError::NeedsRussian => Message::new("staff-needs-russian"),
            ReviewError::Invalid(_) => Message::new(INVALID),
            ReviewError::Store(e) => store_message(e),
        }
    }
}

impl Failure for DeliveryError {
    fn kind(&self) -> ErrorKind {
        match self {
            DeliveryError::Forbidden => ErrorKind::Forbidden,
            // The app says "facility" when no facility has the slug given: a record not there.
            DeliveryError::NotFound | DeliveryError::Invalid(DeliveryField::Facility) => {
                ErrorKind::NotFound
            }
            DeliveryError::AlreadySent | DeliveryError::WrongState(_) => ErrorKind::Conflict,
            DeliveryError::Invalid(_)
            | DeliveryError::NoAddress
            | DeliveryError::NoPlacement
            | DeliveryError::ChannelNotUsed
            | DeliveryError::NothingToBatch
            | DeliveryError::TooLongForChannel { .. }
            | DeliveryError::Rows(_) => ErrorKind::Invalid,
            // Typesetting failing is our fault, not the dispatcher's.
            DeliveryError::Pdf(_) => ErrorKind::Internal,
            DeliveryError::Store(e) => store_kind(e),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            DeliveryError::Forbidden => "forbidden",
            DeliveryError::NotFound => "not_found",
            DeliveryError::Invalid(DeliveryField::Facility) => "unknown_facility",
            DeliveryError::Invalid(_) => "invalid",
            DeliveryError::NoAddress => "no_address",
            DeliveryError::NoPlacement => "no_placement",
            DeliveryError::ChannelNotUsed => "channel_not_used",
            DeliveryError::NothingToBatch => "nothing_to_batch",
            DeliveryError::AlreadySent => "already_sent",
            DeliveryError::WrongState(_) => "wrong_state",
            DeliveryError::TooLongForChannel { .. } => "too_long_for_channel",
            DeliveryError::Rows(_) => "invalid_rows",
            DeliveryError::Pdf(_) => "internal",
            DeliveryError::Store(e) => store_code(e),
        }
    }

    fn message(&self) -> Message {
        match self {
            DeliveryError::Forbidden => Message::new(FORBIDDEN),
            DeliveryError::NotFound => Message::new(NOT_FOUND),
            DeliveryError::Invalid(field) => Message::new(field.message_id()),
            DeliveryError::NoAddress => Message::new("delivery-error-no-address"),
            DeliveryError::NoPlacement => Message::new("delivery-error-no-placement"),
            DeliveryError::ChannelNotUsed => Message::new("delivery-error-channel"),
            DeliveryError::NothingToBatch => Message::new("delivery-error-nothing"),
            DeliveryError::AlreadySent => Message::new("delivery-error-sent-already"),
            DeliveryError::WrongState(state) => {
                Message::new("delivery-error-wrong-state").with("state", Arg::State(*state))
            }
            DeliveryError::TooLongForChannel { reference, limit } => {
                Message::new("delivery-error-too-long")
                    .with("reference", Arg::Text(reference.clone()))
                    .with("limit", Arg::Number(count(*limit)))
            }
            DeliveryError::Rows(rows) => {
                Message::new("delivery-error-rows").with("count", Arg::Number(count(rows.len())))
            }
            DeliveryError::Pdf(_) => Message::new("error-internal"),
            DeliveryError::Store(e) => store_message(e),
        }
    }

    fn rows(&self) -> Vec<(u64, String)> {
        match self {
            DeliveryError::Rows(rows) => rows.iter().map(|r| (r.line, r.message.clone())).collect(),
            _ => Vec::new(),
        }
    }
}

impl Failure for EventError {
    fn kind(&self) -> ErrorKind {
        match self {
            EventError::Forbidden => ErrorKind::Forbidden,
            EventError::NotFound | EventError::UnknownPrisoner => ErrorKind::NotFound,
            EventError::Invalid(_) => ErrorKind::Invalid,
            EventError::Store(e) => store_kind(e),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            EventError::Forbidden => "forbidden",
            EventError::NotFound => "not_found",
            EventError::UnknownPrisoner => "unknown_prisoner",
            EventError::Invalid(_) => "invalid",
            EventError::Store(e) => store_code(e),
        }
    }

    fn message(&self) -> Message {
        match self {
            EventError::Forbidden => Message::new(FORBIDDEN),
            EventError::NotFound => Message::new(NOT_FOUND),
            EventError::UnknownPrisoner => Message::new("error-unknown-prisoner"),
            EventError::Invalid(_) => Message::new(INVALID),
            EventError::Store(e) => store_message(e),
        }
    }
}

impl Failure for PaperError {
    fn kind(&self) -> ErrorKind {
        match self {
            PaperError::Forbidden => ErrorKind::Forbidden,
            PaperError::NotFound => ErrorKind::NotFound,
            PaperError::TooLarge => ErrorKind::TooLarge,
            PaperError::UnsupportedType => ErrorKind::Unsupported,
            // The prisoner is chosen in the form: a field to correct.
            PaperError::UnknownPrisoner
            | PaperError::Empty
            | PaperError::TooManyPages
            | PaperError::Corrupt
            | PaperError::ActivePdf
            | PaperError::InvalidTranscription => ErrorKind::Invalid,
            PaperError::Store(cause) if StoreError::is_unavailable_text(cause) => {
                ErrorKind::Unavailable
            }
            PaperError::Store(_) => ErrorKind::Internal,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            PaperError::Forbidden => "forbidden",
            PaperError::NotFound => "not_found",
            PaperError::UnknownPrisoner => "unknown_prisoner",
            PaperError::Empty => "empty",
            PaperError::TooManyPages => "too_many_pages",
            PaperError::TooLarge => "too_large",
            PaperError::UnsupportedType => "unsupported_type",
            PaperError::Corrupt => "corrupt",
            PaperError::ActivePdf => "active_pdf",
            PaperError::InvalidTranscription => "invalid_transcription",
            PaperError::Store(cause) if StoreError::is_unavailable_text(cause) => {
                "storage_unavailable"
            }
            PaperError::Store(_) => "internal",
        }
    }

    fn message(&self) -> Message {
        Message::new(match self {
            PaperError::Forbidden => FORBIDDEN,
            PaperError::NotFound => NOT_FOUND,
            PaperError::UnknownPrisoner => "error-unknown-prisoner",
            PaperError::Empty => "paper-error-empty",
            PaperError::TooManyPages => "paper-error-too-many",
            PaperError::TooLarge => "paper-error-too-large",
            PaperError::UnsupportedType => "paper-error-type",
            PaperError::Corrupt => "paper-error-corrupt",
            PaperError::ActivePdf => "paper-error-active-pdf",
            PaperError::InvalidTranscription => INVALID,
            PaperError::Store(cause) if StoreError::is_unavailable_text(cause) => {
                "error-storage-unavailable"
            }
            PaperError::Store(_) => "error-internal",
        })
    }
}

impl Failure for StaffError {
    fn kind(&self) -> ErrorKind {
        match self {
            StaffError::Forbidden => ErrorKind::Forbidden,
            StaffError::NotFound => ErrorKind::NotFound,
            StaffError::Invalid(_) | StaffError::Password(_) | StaffError::ProofNeeded => {
                ErrorKind::Invalid
            }
            StaffError::EmailTaken => ErrorKind::Conflict,
            StaffError::BadCredentials | StaffError::BadCode | StaffError::SessionEnded => {
                ErrorKind::Unauthorized
            }
            StaffError::Store(e) => store_kind(e),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            StaffError::Forbidden => "forbidden",
            StaffError::NotFound => "not_found",
            StaffError::Invalid(_) => "invalid",
            StaffError::Password(_) => "password_refused",
            StaffError::ProofNeeded => "proof_needed",
            StaffError::EmailTaken => "email_taken",
            StaffError::BadCredentials | StaffError::BadCode => "bad_credentials",
            StaffError::SessionEnded => "session_ended",
            StaffError::Store(e) => store_code(e),
        }
    }

    fn message(&self) -> Message {
        Message::new(match self {
            StaffError::Forbidden => FORBIDDEN,
            StaffError::NotFound => NOT_FOUND,
            StaffError::Invalid(_) => INVALID,
            StaffError::Password(code) => password_message(code),
            StaffError::ProofNeeded => "staff-proof-needed",
            StaffError::EmailTaken => "staff-email-taken",
            StaffError::BadCredentials | StaffError::BadCode => "staff-bad-credentials",
            StaffError::SessionEnded => "staff-session-ended",
            StaffError::Store(e) => return store_message(e),
        })
    }
}

/// The message id for a refused new password (`StaffError::Password`'s code).
pub fn password_message(code: &str) -> &'static str {
    match code {
        "too-short" => "staff-password-too-short",
        "too-long" => "staff-password-too-long",
        _ => "staff-password-too-common",
    }
}

impl Failure for PrisonerError {
    fn kind(&self) -> ErrorKind {
        match self {
            PrisonerError::Forbidden => ErrorKind::Forbidden,
            PrisonerError::NotFound => ErrorKind::NotFound,
            PrisonerError::SlugTaken | PrisonerError::Invalid(_) => ErrorKind::Invalid,
            PrisonerError::Store(e) => store_kind(e),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            PrisonerError::Forbidden => "forbidden",
            PrisonerError::NotFound => "not_found",
            PrisonerError::SlugTaken => "slug_taken",
            PrisonerError::Invalid(_) => "invalid",
            PrisonerError::Store(e) => store_code(e),
        }
    }

    fn message(&self) -> Message {
        match self {
            PrisonerError::Forbidden => Message::new(FORBIDDEN),
            PrisonerError::NotFound => Message::new(NOT_FOUND),
            // The form pages show these beside their fields; elsewhere a plain refusal.
            PrisonerError::SlugTaken | PrisonerError::Invalid(_) => Message::new(INVALID),
            PrisonerError::Store(e) => store_message(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_is_a_conflict_whichever_desk_meets_it() {
        assert_eq!(DeliveryError::AlreadySent.kind(), ErrorKind::Conflict);
        assert_eq!(
            DeliveryError::WrongState(LetterState::Sent).kind(),
            ErrorKind::Conflict
        );
        assert_eq!(
            ReviewError::WrongState(LetterState::Sent).kind(),
            ErrorKind::Conflict
        );
        assert_eq!(StaffError::EmailTaken.kind(), ErrorKind::Conflict);
    }

    #[test]
    fn a_full_disk_is_unavailable_and_any_other_store_fault_is_ours() {
        let full = StoreError::Unavailable("database or disk is full".into());
        assert_eq!(ReviewError::Store(full).kind(), ErrorKind::Unavailable);
        let full = StoreError::Unavailable("read-only".into());
        assert_eq!(DeliveryError::Store(full).code(), "storage_unavailable");
        let other = StoreError::message("a stored slug is malformed");
        assert_eq!(EventError::Store(other).kind(), ErrorKind::Internal);
        assert_eq!(
            DeliveryError::Pdf("typst".into()).message(),
            Message::new("error-internal")
        );
    }
}
