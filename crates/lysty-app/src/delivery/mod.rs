//! Delivery: the facility registry and placements, batches and their PDFs, outcomes,
//! held letters and the letter bank, replies. Dispatchers work here; coordinators keep
//! the registry; admins do everything.

use lysty_domain::delivery::{Channel, HoldReason, Outcome, parse_channels, split_for_channel};
use lysty_domain::{LetterId, LetterState, PrisonerStatus, Role};
mod field;
mod labels;
pub use field::DeliveryField;
pub use labels::print_labels;

use lysty_store::{
    Batch, BatchId, BatchRequest, BuildOutcome, DeliveryLetter, Facility, FacilityRules, NewAudit,
    NewFacility, NewOutcome, NewPlacement, NewReply, OutcomeProblem, Placement, PlacementOutcome,
    Prisoner, ReplyOutcome, SentOutcome, StoreError,
};

use crate::import::{RowError, parse_date as parse_day, read_rows};
use crate::{Actor, App};

/// Settings for delivery: the `[delivery]` section of the configuration file, as it is.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// At most this many letters per prisoner in any seven days, so that the censor is
    /// not flooded and every letter still gets its turn.
    pub per_prisoner_per_week: u32,
    /// At most this many letters in one batch.
    pub batch_limit: u32,
    /// The message length of an electronic service whose facility names none.
    pub electronic_default_chars: u32,
    /// Where prisoners send replies (the campaign's postal address in Russian, one line per
    /// line), printed on the reply kit; unset (or blank), the kit asks them to reply by the
    /// letter's code.
    pub return_address: Option<String>,
}

impl DeliveryConfig {
    /// The return address, when one is written.
    pub fn return_address(&self) -> Option<String> {
        self.return_address.clone().filter(|a| !a.trim().is_empty())
    }
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            per_prisoner_per_week: 3,
            batch_limit: 200,
            electronic_default_chars: 2_000,
            return_address: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field is missing or malformed.
    #[error("invalid {}", .0.name())]
    Invalid(DeliveryField),
    #[error("the facility has no postal address")]
    NoAddress,
    #[error("the prisoner has no placement")]
    NoPlacement,
    #[error("the facility does not take letters by this channel")]
    ChannelNotUsed,
    #[error("no letter is waiting for this facility and channel")]
    NothingToBatch,
    #[error("the batch was sent already")]
    AlreadySent,
    #[error("the letter is {}", .0.as_str())]
    WrongState(LetterState),
    #[error("letter {reference} is too long for the electronic service ({limit} characters)")]
    TooLongForChannel { reference: String, limit: usize },
    #[error("{} row(s) are invalid; nothing was recorded", .0.len())]
    Rows(Vec<RowError>),
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A facility as typed into a form or an API call.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct FacilityInput {
    /// The stable key; made from the English name when empty.
    #[serde(default)]
    pub slug: String,
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub region: String,
    /// The full postal address in Russian, one line per row.
    #[serde(default)]
    pub address_ru: String,
    /// Comma-separated: post, electronic, handover.
    #[serde(default)]
    pub channels: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub max_letter_chars: String,
    #[serde(default)]
    pub needs_birth_year: bool,
    #[serde(default)]
    pub needs_number: bool,
    #[serde(default)]
    pub electronic_max_chars: String,
    #[serde(default)]
    pub electronic_parts: bool,
    /// Print a translated letter's original beside the Russian text (off unless the
    /// facility's censor is known to pass it).
    #[serde(default)]
    pub prints_original: bool,
    #[serde(default)]
    pub notes: String,
}

/// What a batch is asked for.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct BatchInput {
    /// The facility's slug.
    pub facility: String,
    /// post, electronic or handover.
    pub channel: String,
    /// Only this prisoner's letters (a slug), when given.
    #[serde(default)]
    pub prisoner: Option<String>,
}

/// A batch with everything the pages show.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub batch: Batch,
    pub facility: Facility,
    pub letters: Vec<DeliveryLetter>,
}

/// One letter ready to paste into an electronic service.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ElectronicLetter {
    pub reference: String,
    pub recipient: String,
    pub parts: Vec<String>,
}

/// One row of an outcomes file, checked.
#[derive(Debug, Clone)]
pub struct OutcomeRow {
    pub reference: String,
    pub outcome: Outcome,
    pub note: String,
}

pub const OUTCOME_COLUMNS: &[&str] = &["reference", "outcome", "note"];
pub const FACILITY_COLUMNS: &[&str] = &[
    "slug",
    "name_ru",
    "name_en",
    "region",
    "address_ru",
    "channels",
    "language",
    "max_letter_chars",
    "needs_birth_year",
    "needs_number",
    "electronic_max_chars",
    "electronic_parts",
    "prints_original",
    "notes",
];

fn optional_number(raw: &str, field: DeliveryField) -> Result<Option<i64>, DeliveryError> {
    match raw.trim() {
        "" => Ok(None),
        n => match n.parse::<i64>() {
            Ok(v) if (100..=1_000_000).contains(&v) => Ok(Some(v)),
            _ => Err(DeliveryError::Invalid(field)),
        },
    }
}

fn text(
    raw: &str,
    max: usize,
    field: DeliveryField,
    required: bool,
) -> Result<String, DeliveryError> {
    let value = raw.trim().replace("\r\n", "\n");
    if value.chars().count() > max || (required && value.is_empty()) {
        return Err(DeliveryError::Invalid(field));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DeliveryError::Invalid(field));
    }
    Ok(value)
}

fn slugify(raw: &str) -> String {
    let mut slug = String::new();
    // "СИЗО-1 Симферополь" becomes "sizo-1-simferopol'": a Russian-only name makes a slug.
    for c in deunicode::deunicode(raw.trim()).to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(80).collect()
}

/// Checks a facility as typed, for the forms, the API and the import.
pub fn parse_facility(
    input: &FacilityInput,
) -> Result<(NewFacility, FacilityRules), DeliveryError> {
    let name_ru = text(&input.name_ru, 200, DeliveryField::NameRu, true)?;
    let name_en = text(&input.name_en, 200, DeliveryField::NameEn, false)?;
    let slug = match input.slug.trim() {
        "" => slugify(if name_en.is_empty() {
            &name_ru
        } else {
            &name_en
        }),
        s => s.to_owned(),
    };
    if slug.is_empty()
        || slug.len() > 80
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(DeliveryError::Invalid(DeliveryField::Slug));
    }
    let channels = if input.channels.trim().is_empty() {
        vec![Channel::Post]
    } else {
        parse_channels(&input.channels)
            .map_err(|_| DeliveryError::Invalid(DeliveryField::Channels))?
    };
    if channels.is_empty() {
        return Err(DeliveryError::Invalid(DeliveryField::Channels));
    }
    let language = match input.language.trim() {
        "" => "ru".to_owned(),
        l if l.len() <= 8 && l.chars().all(|c| c.is_ascii_lowercase()) => l.to_owned(),
        _ => return Err(DeliveryError::Invalid(DeliveryField::Language)),
    };
    let address = text(&input.address_ru, 500, DeliveryField::AddressRu, false)?;
    let region = text(&input.region, 200, DeliveryField::Region, false)?;
    Ok((
        NewFacility {
            slug,
            name_en: if name_en.is_empty() {
                name_ru.clone()
            } else {
                name_en
            },
            name_ru,
            region: Some(region).filter(|r| !r.is_empty()),
            address_ru: Some(address).filter(|a| !a.is_empty()),
            max_letter_chars: optional_number(
                &input.max_letter_chars,
                DeliveryField::MaxLetterChars,
            )?,
        },
        FacilityRules {
            channels,
            language,
            needs_birth_year: input.needs_birth_year,
            needs_number: input.needs_number,
            electronic_max_chars: optional_number(
                &input.electronic_max_chars,
                DeliveryField::ElectronicMaxChars,
            )?,
            electronic_parts: input.electronic_parts,
            prints_original: input.prints_original,
            notes: text(&input.notes, 2000, DeliveryField::Notes, false)?,
        },
    ))
}

fn parse_flag(raw: &str, default: bool) -> Result<bool, ()> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(()),
    }
}

/// Reads a facilities CSV (columns in [`FACILITY_COLUMNS`]; `name_ru` required): every
/// bad row is reported by line.
pub fn parse_facilities(
    input: impl std::io::Read,
) -> Result<Vec<(NewFacility, FacilityRules)>, Vec<RowError>> {
    read_rows(input, FACILITY_COLUMNS, &["name_ru"], |_, get| {
        let mut problems = Vec::new();
        let mut flag = |name: &str, default: bool| {
            parse_flag(&get(name), default).unwrap_or_else(|()| {
                problems.push(format!("{name} `{}` is not true or false", get(name)));
                default
            })
        };
        let input = FacilityInput {
            slug: get("slug"),
            name_ru: get("name_ru"),
            name_en: get("name_en"),
            region: get("region"),
            address_ru: get("address_ru").replace("\\n", "\n"),
            channels: get("channels"),
            language: get("language"),
            max_letter_chars: get("max_letter_chars"),
            needs_birth_year: flag("needs_birth_year", true),
            needs_number: flag("needs_number", false),
            electronic_max_chars: get("electronic_max_chars"),
            electronic_parts: flag("electronic_parts", true),
            prints_original: flag("prints_original", false),
            notes: get("notes"),
        };
        match parse_facility(&input) {
            Ok(parsed) if problems.is_empty() => Ok(parsed),
            Ok(_) => Err(problems),
            Err(DeliveryError::Invalid(field)) => {
                let field = field.name();
                problems.push(format!("`{field}` is missing or invalid: `{}`", get(field)));
                Err(problems)
            }
            Err(other) => {
                problems.push(other.to_string());
                Err(problems)
            }
        }
    })
}

/// Reads an outcomes CSV: `reference` (the code printed on the letter, or its id),
/// `outcome` (delivered, withheld, returned, undeliverable), `note`.
pub fn parse_outcomes(input: impl std::io::Read) -> Result<Vec<(u64, OutcomeRow)>, Vec<RowError>> {
    read_rows(
        input,
        OUTCOME_COLUMNS,
        &["reference", "outcome"],
        |line, get| {
            let mut problems = Vec::new();
            let outcome = get("outcome").parse::<Outcome>().map_err(|_| {
                problems.push(format!(
                    "outcome `{}` is not one of delivered, withheld, returned, undeliverable",
                    get("outcome")
                ))
            });
            if get("reference").is_empty() {
                problems.push("`reference` is empty".into());
            }
            if get("note").chars().count() > 2000 {
                problems.push("`note` is longer than 2000 characters".into());
            }
            match outcome {
                Ok(outcome) if problems.is_empty() => Ok((
                    line,
                    OutcomeRow {
                        reference: get("reference"),
                        outcome,
                        note: get("note"),
                    },
                )),
                _ => Err(problems),
            }
        },
    )
}

/// The envelope block for a prisoner at a facility, in Russian.
pub fn envelope(letter: &DeliveryLetter, facility: &Facility) -> lysty_pdf::Envelope {
    let mut recipient = vec![
        letter
            .prisoner_names
            .ru_full
            .clone()
            .unwrap_or_else(|| letter.prisoner_names.uk.clone()),
    ];
    if facility.rules.needs_birth_year
        && let Some(year) = letter.prisoner_birth_year
    {
        recipient.push(format!("{year} г.р."));
    }
    if facility.rules.needs_number
        && let Some(number) = &letter.prisoner_number
    {
        recipient.push(number.clone());
    }
    let mut address = vec![facility.name_ru.clone()];
    address.extend(
        facility
            .address_ru
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
    );
    lysty_pdf::Envelope { recipient, address }
}

/// Groups letters per prisoner into the packets of a PDF.
pub fn packets(
    letters: &[DeliveryLetter],
    facility: &Facility,
    channel: Channel,
) -> Vec<lysty_pdf::PrisonerPacket> {
    let mut packets: Vec<(lysty_store::PrisonerId, lysty_pdf::PrisonerPacket)> = Vec::new();
    for letter in letters {
        // The original travels only where the facility's censor is known to pass it, by a
        // channel that carries more than Russian, and only if no passage was struck from it.
        let prints_original = facility.rules.prints_original
            && channel.carries_original()
            && letter.is_translated()
            && !letter.redacted;
        let page = lysty_pdf::LetterPage {
            reference: letter.reference(),
            text: letter.delivery_text().to_owned(),
            original: prints_original.then(|| letter.body.clone()),
            // Writers cannot ask for their return address yet, so none is printed.
            return_address: None,
            signature: letter.signature(),
        };
        match packets.iter_mut().find(|(p, _)| *p == letter.prisoner) {
            Some((_, packet)) => packet.letters.push(page),
            None => packets.push((
                letter.prisoner,
                lysty_pdf::PrisonerPacket {
                    envelope: envelope(letter, facility),
                    letters: vec![page],
                },
            )),
        }
    }
    packets.into_iter().map(|(_, p)| p).collect()
}

async fn render(document: lysty_pdf::Document) -> Result<Vec<u8>, DeliveryError> {
    // Typesetting is CPU work; it runs beside the request threads, not on them.
    tokio::task::spawn_blocking(move || lysty_pdf::render(&document))
        .await
        .map_err(|e| DeliveryError::Pdf(e.to_string()))?
        .map_err(|e| DeliveryError::Pdf(e.to_string()))
}

impl App {
    /// Whether this member of staff works the delivery desk (dispatchers and admins).
    pub fn may_dispatch(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Dispatcher, Role::Admin])
    }

    /// Whether this member of staff keeps the facility registry.
    pub fn may_keep_registry(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Coordinator, Role::Dispatcher, Role::Admin])
    }

    /// The audit line of a delivery action by `actor`, which the store writes in the
    /// action's transaction (with `{count}` the letters it moved).
    fn action_line(
        &self,
        actor: &Actor,
        action: &str,
        object: Option<(&str, String)>,
        detail: impl Into<String>,
    ) -> NewAudit {
        self.audit_line(Some(&actor.staff), action, object, detail)
    }

    fn dispatcher(actor: &Actor) -> Result<(), DeliveryError> {
        if Self::may_dispatch(actor) {
            Ok(())
        } else {
            Err(DeliveryError::Forbidden)
        }
    }

    fn registrar(actor: &Actor) -> Result<(), DeliveryError> {
        if Self::may_keep_registry(actor) {
            Ok(())
        } else {
            Err(DeliveryError::Forbidden)
        }
    }

    /// Acts for a member of staff from the command line, where holding the database
    /// already gives every power: the account must exist and be enabled, and the audit
    /// log names it.
    pub async fn operator(&self, email: &str) -> Result<Actor, DeliveryError> {
        let staff = self
            .store()
            .staff_by_email(&email.trim().to_lowercase())
            .await?
            .filter(|s| !s.disabled)
            .ok_or(DeliveryError::NotFound)?;
        Ok(Actor {
            staff,
            session: None,
            csrf_token: None,
            stage: lysty_store::SessionStage::Full,
        })
    }
}

mod bank;
mod batches;
mod outcomes;
mod registry;
mod replies;

/// Why a reference typed in an outcomes file names no single letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceProblem {
    Unknown,
    /// The short printed reference (8 characters) fits this many sent letters: the file must
    /// give the full id rather than have one chosen for it.
    Ambiguous(usize),
}

/// The sent letter a reference names: a full id, or the short printed reference when it fits
/// exactly one of `sent`.
pub fn resolve_reference(sent: &[LetterId], typed: &str) -> Result<LetterId, ReferenceProblem> {
    if let Ok(id) = uuid::Uuid::parse_str(typed.trim()) {
        return Ok(LetterId(id));
    }
    let mut matching = sent
        .iter()
        .filter(|id| lysty_domain::delivery::matches_reference(**id, typed));
    match (matching.next(), matching.count()) {
        (None, _) => Err(ReferenceProblem::Unknown),
        (Some(id), 0) => Ok(*id),
        (Some(_), more) => Err(ReferenceProblem::Ambiguous(more + 1)),
    }
}

/// A scan must be an image or a PDF, by its content.
fn checked_scan(bytes: Vec<u8>) -> Result<(String, Vec<u8>), DeliveryError> {
    const LIMIT: usize = 10 * 1024 * 1024;
    if bytes.len() > LIMIT {
        return Err(DeliveryError::Invalid(DeliveryField::Scan));
    }
    match infer::get(&bytes).map(|t| t.mime_type()) {
        Some(t @ ("image/jpeg" | "image/png" | "image/webp" | "application/pdf")) => {
            Ok((t.to_owned(), bytes))
        }
        _ => Err(DeliveryError::Invalid(DeliveryField::Scan)),
    }
}

/// Hold reasons, for pages that explain them.
pub fn hold_reasons() -> [HoldReason; 4] {
    HoldReason::ALL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_that_fits_two_sent_letters_is_refused_not_guessed() {
        let id = |hex: &str| LetterId(uuid::Uuid::parse_str(hex).unwrap());
        let first = id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        let twin = id("0190ffff-0000-7000-8000-00002e3f4a5b");
        let other = id("0190a1b2-c3d4-7e5f-8a9b-0c1d99999999");
        assert_eq!(
            lysty_domain::delivery::reference(first),
            lysty_domain::delivery::reference(twin),
            "the two share their printed reference"
        );
        let reference = lysty_domain::delivery::reference(first);
        assert_eq!(resolve_reference(&[first, other], &reference), Ok(first));
        assert_eq!(
            resolve_reference(&[first, twin, other], &reference),
            Err(ReferenceProblem::Ambiguous(2))
        );
        assert_eq!(
            resolve_reference(&[first, twin], &first.0.to_string()),
            Ok(first),
            "a full id always names one letter"
        );
        assert_eq!(
            resolve_reference(&[other], &reference),
            Err(ReferenceProblem::Unknown)
        );
    }

    #[test]
    fn a_facility_with_only_a_russian_name_gets_a_latin_slug() {
        let input = FacilityInput {
            name_ru: "СИЗО-2 Симферополь".into(),
            ..FacilityInput::default()
        };
        let (facility, _) = parse_facility(&input).unwrap();
        assert_eq!(facility.slug, "sizo-2-simferopol");
        assert_eq!(facility.name_en, "СИЗО-2 Симферополь");
    }

    #[test]
    fn a_facility_needs_a_russian_name_and_known_channels() {
        let ok = FacilityInput {
            name_ru: "ФКУ ИК-1".into(),
            name_en: "Colony No. 1".into(),
            channels: "post, electronic".into(),
            address_ru: "431120, Республика Мордовия\r\nп. Явас".into(),
            ..FacilityInput::default()
        };
        let (facility, rules) = parse_facility(&ok).unwrap();
        assert_eq!(facility.slug, "colony-no-1");
        assert_eq!(
            facility.address_ru.as_deref(),
            Some("431120, Республика Мордовия\nп. Явас")
        );
        assert_eq!(rules.channels, vec![Channel::Post, Channel::Electronic]);
        let bad = FacilityInput {
            channels: "pigeon".into(),
            ..ok.clone()
        };
        assert!(matches!(
            parse_facility(&bad),
            Err(DeliveryError::Invalid(DeliveryField::Channels))
        ));
        let nameless = FacilityInput {
            name_ru: " ".into(),
            ..ok
        };
        assert!(matches!(
            parse_facility(&nameless),
            Err(DeliveryError::Invalid(DeliveryField::NameRu))
        ));
    }

    #[test]
    fn every_bad_facility_row_is_reported_by_line() {
        let csv = "slug,name_ru,channels,needs_number\n\
                   ik-1,ИК-1,post,no\n\
                   ik-2,,post,no\n\
                   ik-3,ИК-3,fax,maybe\n";
        let errors = parse_facilities(csv.as_bytes()).err().unwrap();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 4]);
        assert!(errors[1].message.contains("maybe"));
    }

    #[test]
    fn outcome_rows_are_checked_with_their_lines() {
        let csv = "reference,outcome,note\nL-AAAA-BBBB,delivered,ok\n,lost,\n";
        let errors = parse_outcomes(csv.as_bytes()).err().unwrap();
        assert!(errors.iter().all(|e| e.line == 3));
        assert_eq!(errors.len(), 2);
        let good = parse_outcomes("reference,outcome\nL-AAAA-BBBB,withheld\n".as_bytes()).unwrap();
        assert_eq!(good[0].1.outcome, Outcome::Withheld);
    }
}
