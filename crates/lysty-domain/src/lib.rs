//! Lysty's domain: the types and rules of a letter-writing campaign, with no I/O.
//!
//! Every type that crosses the boundary from the outside world is parsed here once
//! ("parse, don't validate"): once a [`LetterBody`] or a [`TrackingCode`] exists, it is
//! valid, and nothing downstream checks it again.

pub mod counter;
pub mod delivery;
pub mod letter;
pub mod prisoner;
pub mod safety;
pub mod staff;
pub mod text;
pub mod tracking;

pub use counter::CounterKey;
pub use delivery::{Channel, HoldReason, Outcome};
pub use letter::{
    Email, IdempotencyKey, LetterBody, LetterId, LetterLanguage, LetterState, Place, Source,
    WriterName,
};
pub use prisoner::{Gender, PrisonerSlug, PrisonerStatus};
pub use staff::{RejectReason, Role, Roles};
pub use tracking::TrackingCode;

/// Why a value from outside was refused. `code()` names a message in the Fluent files,
/// so the person who typed it reads the reason in their own language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the value is empty")]
    Empty,
    #[error("the value is {actual} characters long; at most {max} are allowed")]
    TooLong { max: usize, actual: usize },
    #[error("the value has an invalid format")]
    Invalid,
    #[error("the value contains control characters")]
    ControlCharacters,
}

impl ParseError {
    /// The id of the message that explains this error, suffixed to a field's prefix.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::TooLong { .. } => "too-long",
            ParseError::Invalid => "invalid",
            ParseError::ControlCharacters => "control",
        }
    }
}
