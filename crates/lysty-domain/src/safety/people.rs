//! The campaign's prisoners by name, so that a letter to one of them that names another is
//! flagged: a censor reads it as a message passed between prisoners.

use super::Span;
use super::lexicon::{Category, Hits, LexLang, Lexicon, LexiconEntry};
use super::normalise::{SpreadRun, Token, Word};

/// A letter's text, cut up once for every look-up.
pub(crate) struct Text<'a> {
    pub tokens: &'a [Token],
    pub words: &'a [Word],
    pub runs: &'a [SpreadRun],
}

/// One prisoner's names, as [`PrisonerNames::with_surnames`] takes them.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    /// What identifies the person (the slug): the letter's recipient is given by it.
    pub key: &'a str,
    /// The name a moderator is shown.
    pub shown: &'a str,
    /// Every form of the full name.
    pub names: Vec<&'a str>,
    /// The surname in each script it is written in.
    pub surnames: Vec<&'a str>,
}

/// Every prisoner's names, prepared once for all letters.
#[derive(Debug, Clone, Default)]
pub struct PrisonerNames {
    lexicon: Lexicon,
    /// For each lexicon entry: whose name it is (the key given to [`PrisonerNames::new`]).
    owners: Vec<usize>,
    people: Vec<(String, String)>,
}

/// The surname in a name as the registry writes it: the first word of a Russian full form
/// ("Ибраимов Сервер Ризаевич", recognised by its patronymic), otherwise the last word
/// ("Сервер Ібраїмов", "Server Ibraimov").
pub fn surname_of(name: &str) -> Option<&str> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let patronymic = |w: &str| {
        let w = w.to_lowercase();
        ["вич", "вна", "ична", "ичи", "огли", "кызы", "вн", "ич"]
            .iter()
            .any(|end| w.ends_with(end))
    };
    let surname = match words.as_slice() {
        [] | [_] => return None,
        [first, _, third] if patronymic(third) => first,
        [.., last] => last,
    };
    let surname = surname.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-');
    (surname.chars().count() >= 3).then_some(surname)
}

impl PrisonerNames {
    /// `people`: for each prisoner a key (the slug), the name to show a moderator, and
    /// every form of the full name the registry holds. A full name and its surname match in
    /// any inflection; a given name alone does not (it is shared by too many people). The
    /// surname is taken by [`surname_of`]; use [`PrisonerNames::with_surnames`] when the
    /// registry says which word it is.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str, Vec<&'a str>)>) -> Self {
        Self::with_surnames(people.into_iter().map(|(key, shown, names)| {
            let surnames = names.iter().filter_map(|n| surname_of(n)).collect();
            Person {
                key,
                shown,
                names,
                surnames,
            }
        }))
    }

    /// As [`PrisonerNames::new`], with the surnames given.
    pub fn with_surnames<'a>(people: impl IntoIterator<Item = Person<'a>>) -> Self {
        let mut entries: Vec<LexiconEntry> = Vec::new();
        let mut owners = Vec::new();
        let mut keys = Vec::new();
        for (index, person) in people.into_iter().enumerate() {
            keys.push((person.key.to_owned(), person.shown.to_owned()));
            let terms = person
                .names
                .iter()
                .chain(&person.surnames)
                .map(|t| t.trim());
            for term in terms.filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 3) {
                entries.push(LexiconEntry::new(
                    term,
                    LexLang::guess(term),
                    Category::CaseDetails,
                ));
                owners.push(index);
            }
        }
        PrisonerNames {
            lexicon: Lexicon::new(entries),
            owners,
            people: keys,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The names of prisoners other than `recipient` (a key) in the words, outside the
    /// `harmless` spans: where, and whom (their shown names, each once).
    pub(crate) fn find(
        &self,
        text: &Text<'_>,
        recipient: &str,
        harmless: &[Span],
    ) -> (Vec<Span>, Vec<String>) {
        let mine: Vec<usize> = self
            .people
            .iter()
            .enumerate()
            .filter(|(_, (key, _))| key == recipient)
            .map(|(i, _)| i)
            .collect();
        let owner = |id: usize| self.owners.get(id).copied();
        let mut hits = Hits::default();
        let keep = |id: usize| owner(id).is_some_and(|o| !mine.contains(&o));
        self.lexicon.scan_where(text.words, &mut hits, keep);
        self.lexicon
            .scan_spread_where(text.tokens, text.runs, &mut hits, keep);
        hits.drop_inside(harmless);
        let (spans, terms) = hits.take(Category::CaseDetails);
        // Terms back to the people they name.
        let mut named: Vec<String> = Vec::new();
        for term in terms {
            let whose = self
                .lexicon
                .entries()
                .iter()
                .enumerate()
                .filter(|(_, e)| e.term == term)
                .filter_map(|(id, _)| owner(id))
                .find(|o| !mine.contains(o));
            if let Some((_, shown)) = whose.and_then(|o| self.people.get(o))
                && !named.contains(shown)
            {
                named.push(shown.clone());
            }
        }
        (spans, named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surname_is_first_in_a_russian_full_form_and_last_otherwise() {
        assert_eq!(surname_of("Ибраимов Сервер Ризаевич"), Some("Ибраимов"));
        assert_eq!(surname_of("Сервер Ібраїмов"), Some("Ібраїмов"));
        assert_eq!(surname_of("Server Ibraimov"), Some("Ibraimov"));
        assert_eq!(surname_of("Кравец Наталья Андреевна"), Some("Кравец"));
        assert_eq!(surname_of("Сервер"), None);
    }
}
