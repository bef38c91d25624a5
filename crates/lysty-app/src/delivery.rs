//! Delivery: the facility registry and placements, batches and their PDFs, outcomes,
//! held letters and the letter bank, replies. Dispatchers work here; coordinators keep
//! the registry; admins do everything.

use chrono::{DateTime, NaiveDate, Utc};
use lysty_domain::delivery::{Channel, HoldReason, Outcome, parse_channels, split_for_channel};
use lysty_domain::{LetterId, LetterState, PrisonerStatus, Role};
use lysty_store::{
    Batch, BatchId, BatchRequest, BuildOutcome, DeliveryLetter, Doer, Facility, FacilityRules,
    NewFacility, NewOutcome, NewPlacement, NewReply, OutcomeProblem, Placement, PlacementOutcome,
    Prisoner, ReplyOutcome, SentOutcome, StoreError,
};

use crate::import::{RowError, read_rows};
use crate::{Actor, App};

/// Settings for delivery.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// At most this many letters per prisoner in any seven days, so that the censor is
    /// not flooded and every letter still gets its turn.
    pub per_prisoner_per_week: i64,
    /// At most this many letters in one batch.
    pub batch_limit: i64,
    /// The message length of an electronic service whose facility names none.
    pub electronic_default_chars: usize,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            per_prisoner_per_week: 3,
            batch_limit: 200,
            electronic_default_chars: 2_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field is missing or malformed; the name says which.
    #[error("invalid {0}")]
    Invalid(&'static str),
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
    "notes",
];

fn optional_number(raw: &str, field: &'static str) -> Result<Option<i64>, DeliveryError> {
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
    field: &'static str,
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
    for c in raw.trim().to_lowercase().chars() {
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
    let name_ru = text(&input.name_ru, 200, "name_ru", true)?;
    let name_en = text(&input.name_en, 200, "name_en", false)?;
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
        return Err(DeliveryError::Invalid("slug"));
    }
    let channels = if input.channels.trim().is_empty() {
        vec![Channel::Post]
    } else {
        parse_channels(&input.channels).map_err(|_| DeliveryError::Invalid("channels"))?
    };
    if channels.is_empty() {
        return Err(DeliveryError::Invalid("channels"));
    }
    let language = match input.language.trim() {
        "" => "ru".to_owned(),
        l if l.len() <= 8 && l.chars().all(|c| c.is_ascii_lowercase()) => l.to_owned(),
        _ => return Err(DeliveryError::Invalid("language")),
    };
    let address = text(&input.address_ru, 500, "address_ru", false)?;
    let region = text(&input.region, 200, "region", false)?;
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
            max_letter_chars: optional_number(&input.max_letter_chars, "max_letter_chars")?,
        },
        FacilityRules {
            channels,
            language,
            needs_birth_year: input.needs_birth_year,
            needs_number: input.needs_number,
            electronic_max_chars: optional_number(
                &input.electronic_max_chars,
                "electronic_max_chars",
            )?,
            electronic_parts: input.electronic_parts,
            notes: text(&input.notes, 2000, "notes", false)?,
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
            notes: get("notes"),
        };
        match parse_facility(&input) {
            Ok(parsed) if problems.is_empty() => Ok(parsed),
            Ok(_) => Err(problems),
            Err(DeliveryError::Invalid(field)) => {
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
        let page = lysty_pdf::LetterPage {
            reference: letter.reference(),
            text: letter.delivery_text().to_owned(),
            original: if channel.carries_original() && letter.is_translated() && !letter.redacted {
                Some(letter.body.clone())
            } else {
                None
            },
            // Writers cannot ask for their return address yet, so none is printed.
            return_address: None,
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
    fn may_dispatch(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Dispatcher, Role::Admin])
    }

    fn may_keep_registry(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Coordinator, Role::Dispatcher, Role::Admin])
    }

    fn doer(&self, actor: &Actor) -> Doer {
        Doer {
            actor: actor.id(),
            org: actor.org(),
            at: self.now(),
        }
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

    // --- the registry ---

    pub async fn facilities(&self, actor: &Actor) -> Result<Vec<Facility>, DeliveryError> {
        Self::registrar(actor)?;
        Ok(self.store().list_facilities().await?)
    }

    pub async fn facility(&self, actor: &Actor, slug: &str) -> Result<Facility, DeliveryError> {
        Self::registrar(actor)?;
        self.store()
            .facility_by_slug(slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    pub async fn save_facility(
        &self,
        actor: &Actor,
        input: &FacilityInput,
    ) -> Result<Facility, DeliveryError> {
        Self::registrar(actor)?;
        let (facility, rules) = parse_facility(input)?;
        self.store().save_facility(&facility, &rules).await?;
        self.audit(
            Some(&actor.staff),
            "facility_saved",
            Some(("facility", facility.slug.clone())),
            "",
        )
        .await?;
        self.store()
            .facility_by_slug(&facility.slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// Imports facilities from CSV, all rows or none (for `lysty import facilities`).
    pub async fn import_facilities(
        &self,
        input: impl std::io::Read,
    ) -> Result<usize, DeliveryError> {
        let rows = parse_facilities(input).map_err(DeliveryError::Rows)?;
        // Checked in full above, so the rows below cannot fail on their content; one
        // facility per write keeps each row's upsert simple.
        for (facility, rules) in &rows {
            self.store().save_facility(facility, rules).await?;
        }
        Ok(rows.len())
    }

    async fn prisoner(&self, slug: &str) -> Result<Prisoner, DeliveryError> {
        self.store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// The prisoner and their transfer history.
    pub async fn placements(
        &self,
        actor: &Actor,
        prisoner: &str,
    ) -> Result<(Prisoner, Vec<Placement>), DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let placements = self.store().placements(prisoner.id).await?;
        Ok((prisoner, placements))
    }

    /// Records that a prisoner is (or was, from a date) at a facility.
    pub async fn record_placement(
        &self,
        actor: &Actor,
        prisoner: &str,
        facility: &str,
        since: &str,
        note: &str,
    ) -> Result<PlacementOutcome, DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let facility = self
            .store()
            .facility_by_slug(facility.trim())
            .await?
            .ok_or(DeliveryError::Invalid("facility"))?;
        let since = match since.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid("since"))?,
        };
        let note = text(note, 500, "note", false)?;
        let outcome = self
            .store()
            .record_placement(&NewPlacement {
                prisoner: prisoner.id,
                facility: facility.id,
                since,
                note,
                actor: Some(actor.id()),
                actor_org: Some(actor.org()),
                at: self.now(),
            })
            .await?;
        self.audit(
            Some(&actor.staff),
            "placement_recorded",
            Some(("prisoner", prisoner.slug.to_string())),
            format!("facility={} held={}", facility.slug, outcome.held),
        )
        .await?;
        Ok(outcome)
    }

    /// Changes a prisoner's status; release, exchange or death hold their letters.
    pub async fn set_prisoner_status(
        &self,
        actor: &Actor,
        prisoner: &str,
        status: &str,
    ) -> Result<u64, DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let status: PrisonerStatus = status
            .parse()
            .map_err(|_| DeliveryError::Invalid("status"))?;
        let held = self
            .store()
            .set_prisoner_status(prisoner.id, status, &self.doer(actor))
            .await?;
        self.audit(
            Some(&actor.staff),
            "prisoner_status",
            Some(("prisoner", prisoner.slug.to_string())),
            format!("status={} held={held}", status.as_str()),
        )
        .await?;
        Ok(held)
    }

    // --- batches ---

    async fn batch_request(
        &self,
        input: &BatchInput,
    ) -> Result<(Facility, BatchRequest), DeliveryError> {
        let facility = self
            .store()
            .facility_by_slug(input.facility.trim())
            .await?
            .ok_or(DeliveryError::Invalid("facility"))?;
        let channel: Channel = input
            .channel
            .parse()
            .map_err(|_| DeliveryError::Invalid("channel"))?;
        if !facility.rules.channels.contains(&channel) {
            return Err(DeliveryError::ChannelNotUsed);
        }
        if channel == Channel::Post && facility.address_ru.is_none() {
            return Err(DeliveryError::NoAddress);
        }
        let prisoner = match input.prisoner.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(slug) => {
                let prisoner = self.prisoner(slug).await?;
                match &prisoner.facility {
                    None => return Err(DeliveryError::NoPlacement),
                    Some(f) if f.id != facility.id => {
                        return Err(DeliveryError::Invalid("prisoner"));
                    }
                    Some(_) => Some(prisoner.id),
                }
            }
        };
        let config = &self.config().delivery;
        Ok((
            facility.clone(),
            BatchRequest {
                campaign: self.campaign().id,
                facility: facility.id,
                channel,
                prisoner,
                per_prisoner_per_week: config.per_prisoner_per_week,
                limit: config.batch_limit,
                now: self.now(),
            },
        ))
    }

    /// What a batch would take now, without taking it.
    pub async fn preview_batch(
        &self,
        actor: &Actor,
        input: &BatchInput,
    ) -> Result<(Facility, Vec<DeliveryLetter>), DeliveryError> {
        Self::dispatcher(actor)?;
        let (facility, request) = self.batch_request(input).await?;
        let letters = self.store().batch_candidates(&request).await?;
        Ok((facility, letters))
    }

    pub async fn build_batch(
        &self,
        actor: &Actor,
        input: &BatchInput,
    ) -> Result<BatchId, DeliveryError> {
        Self::dispatcher(actor)?;
        let (facility, request) = self.batch_request(input).await?;
        match self
            .store()
            .build_batch(&request, &self.doer(actor))
            .await?
        {
            BuildOutcome::Empty => Err(DeliveryError::NothingToBatch),
            BuildOutcome::Built { id, letters } => {
                self.audit(
                    Some(&actor.staff),
                    "batch_built",
                    Some(("batch", id.to_string())),
                    format!(
                        "facility={} channel={} letters={letters}",
                        facility.slug, request.channel
                    ),
                )
                .await?;
                Ok(id)
            }
        }
    }

    /// Approved letters waiting for a prisoner who has no facility yet.
    pub async fn unplaced_letters(&self, actor: &Actor) -> Result<i64, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().unplaced_letters(self.campaign().id).await?)
    }

    pub async fn batches(&self, actor: &Actor) -> Result<Vec<Batch>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().list_batches(self.campaign().id, 100).await?)
    }

    pub async fn batch(&self, actor: &Actor, id: BatchId) -> Result<BatchView, DeliveryError> {
        Self::dispatcher(actor)?;
        let batch = self
            .store()
            .batch(id)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let facility = self
            .store()
            .facility_by_id(batch.facility)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let letters = self.store().batch_letters(id).await?;
        Ok(BatchView {
            batch,
            facility,
            letters,
        })
    }

    /// What a batch's PDF prints: a cover sheet with the envelope block per prisoner, then
    /// each letter (tests read its text with `lysty_pdf::render_text`).
    pub async fn batch_document(
        &self,
        actor: &Actor,
        id: BatchId,
        labels: lysty_pdf::Labels,
        reply_kit: bool,
    ) -> Result<lysty_pdf::Document, DeliveryError> {
        let view = self.batch(actor, id).await?;
        if view.batch.channel == Channel::Post && view.facility.address_ru.is_none() {
            return Err(DeliveryError::NoAddress);
        }
        Ok(lysty_pdf::Document {
            title: format!(
                "{} · {} · {}",
                view.facility.name_ru,
                view.batch.created_at.format("%Y-%m-%d"),
                view.batch.channel
            ),
            labels,
            packets: packets(&view.letters, &view.facility, view.batch.channel),
            reply_kit,
        })
    }

    /// The print-ready PDF of a batch: a cover sheet with the envelope block per prisoner,
    /// then each letter.
    pub async fn batch_pdf(
        &self,
        actor: &Actor,
        id: BatchId,
        labels: lysty_pdf::Labels,
        reply_kit: bool,
    ) -> Result<Vec<u8>, DeliveryError> {
        let document = self.batch_document(actor, id, labels, reply_kit).await?;
        let pdf = render(document).await?;
        self.audit(
            Some(&actor.staff),
            "batch_printed",
            Some(("batch", id.to_string())),
            "",
        )
        .await?;
        Ok(pdf)
    }

    /// Each letter of a batch split into the messages the facility's electronic service
    /// takes.
    pub async fn electronic_export(
        &self,
        actor: &Actor,
        id: BatchId,
    ) -> Result<Vec<ElectronicLetter>, DeliveryError> {
        let view = self.batch(actor, id).await?;
        let limit = view
            .facility
            .rules
            .electronic_max_chars
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(self.config().delivery.electronic_default_chars);
        let mut out = Vec::new();
        for letter in &view.letters {
            let parts = split_for_channel(
                letter.delivery_text(),
                limit,
                view.facility.rules.electronic_parts,
            )
            .map_err(|_| DeliveryError::TooLongForChannel {
                reference: letter.reference(),
                limit,
            })?;
            out.push(ElectronicLetter {
                reference: letter.reference(),
                recipient: envelope(letter, &view.facility).recipient.join(", "),
                parts,
            });
        }
        Ok(out)
    }

    pub async fn mark_batch_sent(
        &self,
        actor: &Actor,
        id: BatchId,
        date: &str,
        reference: &str,
    ) -> Result<u64, DeliveryError> {
        Self::dispatcher(actor)?;
        let sent_at = match date.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid("date"))?,
        };
        if sent_at > self.now() + chrono::Duration::days(1) {
            return Err(DeliveryError::Invalid("date"));
        }
        let reference = text(reference, 200, "reference", false)?;
        match self
            .store()
            .mark_batch_sent(id, sent_at, &reference, &self.doer(actor))
            .await?
        {
            SentOutcome::NotFound => Err(DeliveryError::NotFound),
            SentOutcome::AlreadySent => Err(DeliveryError::AlreadySent),
            SentOutcome::Done(n) => {
                self.audit(
                    Some(&actor.staff),
                    "batch_sent",
                    Some(("batch", id.to_string())),
                    format!("letters={n}"),
                )
                .await?;
                Ok(n)
            }
        }
    }

    // --- outcomes ---

    pub async fn record_outcome(
        &self,
        actor: &Actor,
        letter: LetterId,
        outcome: &str,
        note: &str,
        scan: Option<(String, Vec<u8>)>,
    ) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        let outcome: Outcome = outcome
            .parse()
            .map_err(|_| DeliveryError::Invalid("outcome"))?;
        let note = text(note, 2000, "note", false)?;
        let scan = match scan {
            Some((_, bytes)) if bytes.is_empty() => None,
            Some((_, bytes)) => Some(checked_scan(bytes)?),
            None => None,
        };
        let row = NewOutcome {
            letter,
            outcome,
            note,
            scan,
        };
        match self
            .store()
            .record_outcomes(&[row], &self.doer(actor))
            .await?
        {
            Ok(()) => {}
            Err((_, OutcomeProblem::NotFound)) => return Err(DeliveryError::NotFound),
            Err((_, OutcomeProblem::WrongState(s))) => return Err(DeliveryError::WrongState(s)),
        }
        self.audit(
            Some(&actor.staff),
            "outcome_recorded",
            Some(("letter", letter.to_string())),
            outcome.as_str(),
        )
        .await?;
        Ok(())
    }

    /// Records outcomes from a CSV file: all rows or none; every bad row by its line.
    pub async fn import_outcomes(
        &self,
        actor: &Actor,
        input: impl std::io::Read,
    ) -> Result<usize, DeliveryError> {
        Self::dispatcher(actor)?;
        let rows = parse_outcomes(input).map_err(DeliveryError::Rows)?;
        let sent = self
            .store()
            .letters_in_state(self.campaign().id, LetterState::Sent, 1_000_000)
            .await?;
        let mut errors = Vec::new();
        let mut outcomes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (line, row) in &rows {
            let found = match uuid::Uuid::parse_str(row.reference.trim()) {
                Ok(id) => Some(LetterId(id)),
                Err(_) => sent
                    .iter()
                    .find(|l| lysty_domain::delivery::matches_reference(l.id, &row.reference))
                    .map(|l| l.id),
            };
            match found {
                None => errors.push(RowError {
                    line: *line,
                    message: format!("no sent letter has the reference `{}`", row.reference),
                }),
                Some(id) if !seen.insert(id) => errors.push(RowError {
                    line: *line,
                    message: format!("the letter `{}` appears twice in the file", row.reference),
                }),
                Some(id) => outcomes.push(NewOutcome {
                    letter: id,
                    outcome: row.outcome,
                    note: row.note.clone(),
                    scan: None,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(DeliveryError::Rows(errors));
        }
        match self
            .store()
            .record_outcomes(&outcomes, &self.doer(actor))
            .await?
        {
            Ok(()) => {}
            Err((i, problem)) => {
                let line = rows.get(i).map_or(0, |(l, _)| *l);
                let message = match problem {
                    OutcomeProblem::NotFound => "the letter no longer exists".to_owned(),
                    OutcomeProblem::WrongState(s) => format!("the letter is {} now", s.as_str()),
                };
                return Err(DeliveryError::Rows(vec![RowError { line, message }]));
            }
        }
        self.audit(
            Some(&actor.staff),
            "outcomes_imported",
            None,
            format!("rows={}", outcomes.len()),
        )
        .await?;
        Ok(outcomes.len())
    }

    pub async fn delivery_letter(
        &self,
        actor: &Actor,
        id: LetterId,
    ) -> Result<(DeliveryLetter, Vec<lysty_store::Evidence>), DeliveryError> {
        Self::dispatcher(actor)?;
        let letter = self
            .store()
            .delivery_letter(id)
            .await?
            .ok_or(DeliveryError::NotFound)?;
        let evidence = self.store().evidence(id).await?;
        Ok((letter, evidence))
    }

    pub async fn evidence_scan(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<lysty_store::StoredScan, DeliveryError> {
        Self::dispatcher(actor)?;
        self.store()
            .evidence_scan(id)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// Letters waiting for an outcome.
    pub async fn sent_letters(&self, actor: &Actor) -> Result<Vec<DeliveryLetter>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self
            .store()
            .letters_in_state(self.campaign().id, LetterState::Sent, 500)
            .await?)
    }

    // --- held letters and the bank ---

    pub async fn held_letters(&self, actor: &Actor) -> Result<Vec<DeliveryLetter>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().held_letters(self.campaign().id).await?)
    }

    /// Lets a held letter go to the prisoner's current facility with the next batch.
    pub async fn reroute(&self, actor: &Actor, letter: LetterId) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        if !self.store().release_hold(letter).await? {
            return Err(DeliveryError::NotFound);
        }
        self.audit(
            Some(&actor.staff),
            "letter_rerouted",
            Some(("letter", letter.to_string())),
            "",
        )
        .await?;
        Ok(())
    }

    pub async fn bank(
        &self,
        actor: &Actor,
        letter: LetterId,
        note: &str,
    ) -> Result<(), DeliveryError> {
        Self::dispatcher(actor)?;
        let note = text(note, 2000, "note", false)?;
        match self
            .store()
            .bank_letter(letter, &note, &self.doer(actor))
            .await?
        {
            Ok(()) => {}
            Err(OutcomeProblem::NotFound) => return Err(DeliveryError::NotFound),
            Err(OutcomeProblem::WrongState(s)) => return Err(DeliveryError::WrongState(s)),
        }
        self.audit(
            Some(&actor.staff),
            "letter_banked",
            Some(("letter", letter.to_string())),
            "",
        )
        .await?;
        Ok(())
    }

    pub async fn letter_bank(
        &self,
        actor: &Actor,
    ) -> Result<Vec<lysty_store::BankEntry>, DeliveryError> {
        Self::dispatcher(actor)?;
        Ok(self.store().letter_bank(self.campaign().id).await?)
    }

    /// The letters kept for one prisoner, as a PDF to hand over later.
    pub async fn bank_pdf(
        &self,
        actor: &Actor,
        prisoner: &str,
        labels: lysty_pdf::Labels,
    ) -> Result<Vec<u8>, DeliveryError> {
        Self::dispatcher(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let letters = self.store().banked_letters(prisoner.id).await?;
        if letters.is_empty() {
            return Err(DeliveryError::NotFound);
        }
        // The bank has no facility: the envelope carries the name alone.
        let mut packet_letters = Vec::new();
        for l in &letters {
            packet_letters.push(lysty_pdf::LetterPage {
                reference: l.reference(),
                text: l.delivery_text().to_owned(),
                original: (l.is_translated() && !l.redacted).then(|| l.body.clone()),
                return_address: None,
            });
        }
        let name = prisoner
            .names
            .ru_full
            .clone()
            .unwrap_or_else(|| prisoner.names.uk.clone());
        let document = lysty_pdf::Document {
            title: name.clone(),
            labels,
            packets: vec![lysty_pdf::PrisonerPacket {
                envelope: lysty_pdf::Envelope {
                    recipient: vec![name, prisoner.names.uk.clone()],
                    address: Vec::new(),
                },
                letters: packet_letters,
            }],
            reply_kit: false,
        };
        let pdf = render(document).await?;
        self.audit(
            Some(&actor.staff),
            "bank_printed",
            Some(("prisoner", prisoner.slug.to_string())),
            "",
        )
        .await?;
        Ok(pdf)
    }

    // --- replies ---

    pub async fn record_reply(
        &self,
        actor: &Actor,
        prisoner: &str,
        received: &str,
        transcription: &str,
        consent_publish: bool,
        scan: Option<(String, Vec<u8>)>,
    ) -> Result<ReplyOutcome, DeliveryError> {
        Self::dispatcher(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let received_at = match received.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid("received"))?,
        };
        let transcription = text(transcription, 20_000, "transcription", false)?;
        let scan = match scan {
            Some((_, bytes)) if bytes.is_empty() => None,
            Some((_, bytes)) => Some(checked_scan(bytes)?),
            None => None,
        };
        if transcription.is_empty() && scan.is_none() {
            return Err(DeliveryError::Invalid("transcription"));
        }
        let outcome = self
            .store()
            .record_reply(&NewReply {
                campaign: self.campaign().id,
                prisoner: prisoner.id,
                received_at,
                transcription,
                consent_publish,
                scan,
                actor: actor.id(),
                at: self.now(),
            })
            .await?;
        self.audit(
            Some(&actor.staff),
            "reply_recorded",
            Some(("reply", outcome.id.to_string())),
            format!(
                "prisoner={} linked={} emails={}",
                prisoner.slug, outcome.linked, outcome.emails
            ),
        )
        .await?;
        self.wake_mail();
        Ok(outcome)
    }

    /// Replies from a prisoner; the public sees only those published with consent.
    pub async fn replies(
        &self,
        prisoner: lysty_store::PrisonerId,
        published_only: bool,
    ) -> Result<Vec<lysty_store::Reply>, StoreError> {
        self.store().replies(prisoner, published_only).await
    }

    pub async fn reply_scan(
        &self,
        actor: &Actor,
        id: lysty_store::ReplyId,
    ) -> Result<lysty_store::StoredScan, DeliveryError> {
        Self::dispatcher(actor)?;
        self.store()
            .reply_scan(id)
            .await?
            .ok_or(DeliveryError::NotFound)
    }
}

/// A scan must be an image or a PDF, by its content.
fn checked_scan(bytes: Vec<u8>) -> Result<(String, Vec<u8>), DeliveryError> {
    const LIMIT: usize = 10 * 1024 * 1024;
    if bytes.len() > LIMIT {
        return Err(DeliveryError::Invalid("scan"));
    }
    match infer::get(&bytes).map(|t| t.mime_type()) {
        Some(t @ ("image/jpeg" | "image/png" | "image/webp" | "application/pdf")) => {
            Ok((t.to_owned(), bytes))
        }
        _ => Err(DeliveryError::Invalid("scan")),
    }
}

/// A day as a date field sends it ("2026-11-30"), or a full RFC 3339 time.
pub fn parse_day(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|t| t.and_utc())
        .or_else(|| {
            DateTime::parse_from_rfc3339(raw)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// Hold reasons, for pages that explain them.
pub fn hold_reasons() -> [HoldReason; 4] {
    HoldReason::ALL
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Err(DeliveryError::Invalid("channels"))
        ));
        let nameless = FacilityInput {
            name_ru: " ".into(),
            ..ok
        };
        assert!(matches!(
            parse_facility(&nameless),
            Err(DeliveryError::Invalid("name_ru"))
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

    #[test]
    fn days_parse_from_date_fields() {
        assert_eq!(
            parse_day("2026-11-30").unwrap().format("%F").to_string(),
            "2026-11-30"
        );
        assert!(parse_day("30.11.2026").is_none());
    }
}
