//! The safety flags as the campaign computes them: the lexicon (seeded from the starter list
//! and edited by admins), every prisoner's names, and the case terms of the person a letter
//! is for; on the original and on the Russian text to be printed, each flag saying which.
//! The same checker answers a writer who checks a letter before sending it, storing nothing.

use std::sync::Arc;

use lysty_domain::Role;
use lysty_domain::safety::{
    self, Category, Flag, FlagKind, FlagText, LexLang, Lexicon, LexiconEntry, Person,
    PrisonerNames, STARTER_VERSION, SafetyContext,
};
use lysty_store::{FlagsUpdate, NewAudit, ReviewLetter, StoreError};

use super::{MIN_LETTERS_FOR_RUSSIAN, REPEAT_THRESHOLD, ReviewError};
use crate::App;
use crate::staff::Actor;

/// Whom a letter is for, as the flags need it: the others' names are flagged, and so are
/// the words of this person's case.
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub slug: String,
    pub case_terms: Vec<String>,
}

impl Recipient {
    pub fn of(prisoner: &lysty_store::Prisoner) -> Self {
        Recipient {
            slug: prisoner.slug.as_str().to_owned(),
            case_terms: prisoner.case_terms.clone(),
        }
    }
}

/// What a writer is told about a letter before sending it: the passages a censor would
/// stop, by kind. Nothing of it is stored.
#[derive(Debug, Clone, Default)]
pub struct WriterCheck {
    /// Flags about what the letter says (not its language or length), in the order of
    /// [`FlagKind::ALL`].
    pub flags: Vec<Flag>,
}

impl WriterCheck {
    pub fn kinds(&self) -> Vec<FlagKind> {
        self.flags.iter().map(|f| f.kind).collect()
    }

    pub fn is_clear(&self) -> bool {
        self.flags.is_empty()
    }
}

/// The most case terms a prisoner keeps, and the longest one.
const MAX_CASE_TERMS: usize = 200;
const MAX_CASE_TERM_CHARS: usize = 100;

impl App {
    /// Loads the lexicon from the store, adding the starter list to a new installation and
    /// the terms of a newer starter list to an older one (once: an audit line records the
    /// version), and prepares every prisoner's names.
    pub async fn reload_lexicon(&self) -> Result<(), StoreError> {
        let seeded = self.store().lexicon_starter_seeded().await?;
        let version = seeded
            .as_deref()
            .and_then(|d| d.split_whitespace().nth(1))
            .and_then(|v| v.trim_end_matches(':').parse::<u32>().ok())
            .unwrap_or(0);
        if version < STARTER_VERSION {
            let entries: Vec<(String, String, String)> = safety::starter_lexicon()
                .into_iter()
                .map(|e| {
                    (
                        e.term,
                        e.language.as_str().to_owned(),
                        e.category.as_str().to_owned(),
                    )
                })
                .collect();
            let audit = NewAudit {
                at: self.now(),
                actor: None,
                actor_org: None,
                action: "lexicon_starter".into(),
                object_type: None,
                object_id: None,
                detail: format!("version {STARTER_VERSION}: {} terms", entries.len()),
            };
            self.store()
                .seed_lexicon(&entries, self.now(), &audit)
                .await?;
        }
        self.load_lexicon().await?;
        if version < STARTER_VERSION {
            // The letters still waiting are read with the new list.
            self.recompute_flags().await?;
        }
        Ok(())
    }

    /// Prepares the lexicon as the store holds it, and every prisoner's names.
    pub(super) async fn load_lexicon(&self) -> Result<(), StoreError> {
        let terms = self.store().list_lexicon().await?;
        let entries = terms
            .iter()
            .filter_map(|t| {
                Some(LexiconEntry {
                    term: t.term.clone(),
                    language: t.language.parse::<LexLang>().ok()?,
                    category: t.category.parse::<Category>().ok()?,
                })
            })
            .collect();
        let lexicon = Arc::new(Lexicon::new(entries));
        if let Ok(mut slot) = self.inner.lexicon.write() {
            *slot = lexicon;
        }
        self.reload_prisoner_names().await
    }

    /// Prepares every prisoner's names again (after the registry changed).
    pub async fn reload_prisoner_names(&self) -> Result<(), StoreError> {
        let rows = self.store().prisoner_names().await?;
        // The registry writes "Given Surname" in Ukrainian, English and Crimean Tatar, and
        // "Surname Given Patronymic" in the Russian full form.
        let last = |n: &str| n.split_whitespace().last().map(str::to_owned);
        let first = |n: &str| n.split_whitespace().next().map(str::to_owned);
        let people: Vec<(String, String, Vec<String>, Vec<String>)> = rows
            .into_iter()
            .map(|r| {
                let mut names = vec![r.names.uk.clone(), r.names.en.clone()];
                names.extend(r.names.crh.clone());
                let mut surnames: Vec<String> = names.iter().filter_map(|n| last(n)).collect();
                surnames.extend(r.names.ru_full.as_deref().and_then(first));
                names.extend(r.names.ru_full.clone());
                (r.slug.as_str().to_owned(), r.names.uk, names, surnames)
            })
            .collect();
        let names =
            PrisonerNames::with_surnames(people.iter().map(|(slug, shown, names, surnames)| {
                Person {
                    key: slug,
                    shown,
                    names: names.iter().map(String::as_str).collect(),
                    surnames: surnames.iter().map(String::as_str).collect(),
                }
            }));
        if let Ok(mut slot) = self.inner.prisoner_names.write() {
            *slot = Arc::new(names);
        }
        Ok(())
    }

    fn lexicon(&self) -> Arc<Lexicon> {
        self.inner
            .lexicon
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    fn prisoner_names(&self) -> Arc<PrisonerNames> {
        self.inner
            .prisoner_names
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// A prisoner's case terms prepared for matching, kept while the terms stay the same.
    fn case_lexicon(&self, recipient: &Recipient) -> Arc<Lexicon> {
        if let Ok(cache) = self.inner.case_lexicons.read()
            && let Some((terms, prepared)) = cache.get(&recipient.slug)
            && *terms == recipient.case_terms
        {
            return prepared.clone();
        }
        let prepared = Arc::new(Lexicon::for_case(&recipient.case_terms));
        if let Ok(mut cache) = self.inner.case_lexicons.write() {
            cache.insert(
                recipient.slug.clone(),
                (recipient.case_terms.clone(), prepared.clone()),
            );
        }
        prepared
    }

    /// The flags of one text, for a letter to `recipient` (when known).
    fn check_text(
        &self,
        text: &str,
        recipient: Option<&Recipient>,
        same_text_count: u32,
        max_chars: Option<usize>,
    ) -> Vec<Flag> {
        let lexicon = self.lexicon();
        let names = self.prisoner_names();
        let case = recipient.map(|r| self.case_lexicon(r));
        let ctx = SafetyContext {
            lexicon: &lexicon,
            case_terms: &[],
            case: case.as_deref(),
            prisoners: recipient.map(|r| (names.as_ref(), r.slug.as_str())),
            max_chars,
            same_text_count,
            repeat_threshold: REPEAT_THRESHOLD,
        };
        safety::check(text, &ctx)
    }

    /// The flags for a text, as stored with the letter.
    pub fn flags_with(
        &self,
        text: &str,
        recipient: Option<&Recipient>,
        same_text_count: u32,
        max_chars: Option<usize>,
    ) -> FlagsUpdate {
        let flags = self.check_text(text, recipient, same_text_count, max_chars);
        update_of(text, flags)
    }

    /// What the signature printed under a letter (the writer's name, then city) says that
    /// a letter must not: a pseudonym can carry a slogan. Only the flags about content.
    fn signature_flags(
        &self,
        name: Option<&str>,
        city: Option<&str>,
        recipient: Option<&Recipient>,
    ) -> Vec<Flag> {
        let signature = [name, city]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if signature.is_empty() {
            return Vec::new();
        }
        self.check_text(&signature, recipient, 0, None)
            .into_iter()
            .filter(|f| f.kind.is_about_content() && f.kind != FlagKind::ForeignWords)
            .map(|f| Flag {
                text: FlagText::Signature,
                ..f
            })
            .collect()
    }

    /// The flags of a letter with a Russian text to print: those of the Russian text, and
    /// those of the original that the Russian text does not raise (a name the translator
    /// kept out, say), each marked with the text it was found in. The language is the
    /// original's.
    fn flags_of_both(
        &self,
        original: &str,
        delivery: &str,
        recipient: Option<&Recipient>,
        same_text_count: u32,
        max_chars: Option<usize>,
        signature: Vec<Flag>,
    ) -> FlagsUpdate {
        let mut flags: Vec<Flag> = self
            .check_text(delivery, recipient, same_text_count, max_chars)
            .into_iter()
            .map(|f| Flag {
                text: FlagText::Delivery,
                ..f
            })
            .collect();
        let from_original = self.check_text(original, recipient, 0, None);
        let detected = language_of(original, &from_original);
        for flag in from_original {
            if flag.kind.is_about_content()
                && flag.kind != FlagKind::ForeignWords
                && !flags.iter().any(|f| f.kind == flag.kind)
            {
                flags.push(flag);
            }
        }
        flags.extend(signature);
        FlagsUpdate {
            json: serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()),
            kinds: flags.iter().map(|f| f.kind.as_str().to_owned()).collect(),
            detected_language: detected,
        }
    }

    /// Whom a letter to `slug` is for, with the case terms staff recorded.
    pub(crate) async fn recipient(&self, slug: &str) -> Result<Option<Recipient>, StoreError> {
        Ok(self
            .store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .as_ref()
            .map(Recipient::of))
    }

    /// The flags a new letter is stored with: its text for `prisoner`, and what the writer
    /// was warned about when checking it (`warned`: flag kinds, comma-separated, as the
    /// letter form sends them back).
    pub(crate) fn flags_of_new_letter(
        &self,
        text: &str,
        signature: (Option<&str>, Option<&str>),
        prisoner: &lysty_store::Prisoner,
        same_text_count: u32,
        warned: &str,
    ) -> FlagsUpdate {
        let recipient = Recipient::of(prisoner);
        let mut flags = self.check_text(
            text,
            Some(&recipient),
            same_text_count,
            prisoner.max_letter_chars(),
        );
        flags.extend(self.signature_flags(signature.0, signature.1, Some(&recipient)));
        flags.extend(warning(warned));
        update_of(text, flags)
    }

    /// The flags of a letter's (new) texts: against its facility's limit, and counting
    /// the other letters with the same original text.
    pub(super) async fn flags_for_letter(
        &self,
        letter: &ReviewLetter,
        original: &str,
        delivery: Option<&str>,
    ) -> Result<FlagsUpdate, StoreError> {
        let copies = self
            .store()
            .count_fingerprint(letter.fingerprint.as_deref().unwrap_or(""))
            .await?;
        let copies = u32::try_from(copies.saturating_sub(1)).unwrap_or(0);
        let prisoner = self
            .store()
            .prisoner_by_slug(self.campaign().id, letter.prisoner_slug.as_str())
            .await?;
        let limit = prisoner
            .as_ref()
            .and_then(lysty_store::Prisoner::max_letter_chars);
        let recipient = prisoner.as_ref().map(Recipient::of);
        let signature = self.signature_flags(
            letter.writer_name.as_deref(),
            letter.writer_city.as_deref(),
            recipient.as_ref(),
        );
        Ok(match delivery {
            Some(delivery) => self.flags_of_both(
                original,
                delivery,
                recipient.as_ref(),
                copies,
                limit,
                signature,
            ),
            None => {
                let mut flags = self.check_text(original, recipient.as_ref(), copies, limit);
                flags.extend(signature);
                update_of(original, flags)
            }
        })
    }

    /// A writer's check of a letter before sending: the passages that would be flagged and
    /// why, for a letter to the published prisoner `prisoner` (`None`: there is none).
    /// Nothing is stored.
    pub async fn check_letter(
        &self,
        prisoner: &str,
        text: &str,
    ) -> Result<Option<WriterCheck>, StoreError> {
        let Some(prisoner) = self.published_prisoner(prisoner).await? else {
            return Ok(None);
        };
        let flags = self
            .check_text(text, Some(&Recipient::of(&prisoner)), 0, None)
            .into_iter()
            .filter(|f| f.kind.is_about_content() && f.kind != FlagKind::ForeignWords)
            .collect();
        Ok(Some(WriterCheck { flags }))
    }

    // --- case terms ---

    /// Whether the actor may read and change prisoners' case terms.
    pub fn may_keep_case_terms(actor: &Actor) -> bool {
        actor.is_complete() && actor.is(&[Role::Coordinator, Role::Moderator, Role::Admin])
    }

    /// A prisoner (published or not) with their case terms, for staff who keep them.
    pub async fn prisoner_with_case(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> Result<lysty_store::Prisoner, ReviewError> {
        if !Self::may_keep_case_terms(actor) {
            return Err(ReviewError::Forbidden);
        }
        self.store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .ok_or(ReviewError::NotFound)
    }

    /// Replaces a prisoner's case terms (one per line), audited, and recomputes the flags
    /// of the letters still waiting.
    pub async fn set_case_terms(
        &self,
        actor: &Actor,
        slug: &str,
        text: &str,
    ) -> Result<Vec<String>, ReviewError> {
        if !Self::may_keep_case_terms(actor) {
            return Err(ReviewError::Forbidden);
        }
        let mut terms: Vec<String> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line.chars().count() > MAX_CASE_TERM_CHARS {
                return Err(ReviewError::Invalid("case_terms".into()));
            }
            if !terms.iter().any(|t| t == line) {
                terms.push(line.to_owned());
            }
        }
        if terms.len() > MAX_CASE_TERMS {
            return Err(ReviewError::Invalid("case_terms".into()));
        }
        let audit = NewAudit {
            at: self.now(),
            actor: Some(actor.staff.id),
            actor_org: Some(actor.staff.organisation),
            action: "case_terms".into(),
            object_type: Some("prisoner".into()),
            object_id: Some(slug.to_owned()),
            detail: format!("{} terms", terms.len()),
        };
        if !self.store().set_case_terms(slug, &terms, &audit).await? {
            return Err(ReviewError::NotFound);
        }
        self.recompute_flags().await?;
        Ok(terms)
    }
}

/// The flag that tells the moderator the writer was warned about `warned` (flag kinds,
/// comma-separated) before sending; none when the writer was not warned.
fn warning(warned: &str) -> Option<Flag> {
    let mut kinds: Vec<String> = Vec::new();
    for kind in warned.split(',').filter_map(|k| k.parse::<FlagKind>().ok()) {
        if kind.is_about_content() && !kinds.iter().any(|k| k == kind.as_str()) {
            kinds.push(kind.as_str().to_owned());
        }
    }
    (!kinds.is_empty()).then(|| Flag {
        kind: FlagKind::WriterWarned,
        spans: Vec::new(),
        detail: safety::FlagDetail::Terms(kinds),
        text: FlagText::Original,
    })
}

/// The stored form of flags, with the language they tell.
fn update_of(text: &str, flags: Vec<Flag>) -> FlagsUpdate {
    let detected_language = language_of(text, &flags);
    FlagsUpdate {
        json: serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()),
        kinds: flags.iter().map(|f| f.kind.as_str().to_owned()).collect(),
        detected_language,
    }
}

/// The language the flags tell, or Russian for a long enough text with no language flag.
fn language_of(text: &str, flags: &[Flag]) -> Option<String> {
    flags
        .iter()
        .find_map(|f| match &f.detail {
            safety::FlagDetail::Language { detected, .. } => Some(detected.clone()),
            _ => None,
        })
        .or_else(|| {
            // Too short a text cannot be told from Ukrainian with confidence: it stays
            // undetermined, so approval sends it to a translator to confirm rather
            // than passing it on as Russian.
            let letters = text.chars().filter(|c| c.is_alphabetic()).count();
            (letters >= MIN_LETTERS_FOR_RUSSIAN
                && flags.iter().all(|f| f.kind != FlagKind::NotRussian))
            .then(|| "ru".to_owned())
        })
}
