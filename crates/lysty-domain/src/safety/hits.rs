//! The matches of a scan, gathered per category: harmless phrases and cues drop the matches
//! they cover, then each category's spans and terms become a flag.

use super::Span;
use super::category::Category;
use super::lexicon::LexiconEntry;

/// One match: where, which term (as shown), and whether the term is weak.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    span: Span,
    term: String,
    weak: bool,
}

/// Matches gathered per category, and the harmless cues.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Hits {
    found: [Vec<Found>; Category::ALL.len()],
    cues: Vec<Span>,
}

impl Hits {
    pub(crate) fn add(&mut self, entry: &LexiconEntry, span: Span) {
        if entry.is_cue() {
            self.cues.push(span);
            return;
        }
        if let Some(found) = self.found.get_mut(entry.category.index()) {
            found.push(Found {
                span,
                term: entry.shown().to_owned(),
                weak: entry.is_weak(),
            });
        }
    }

    pub(crate) fn add_term(&mut self, category: Category, term: &str, span: Span) {
        if let Some(found) = self.found.get_mut(category.index()) {
            found.push(Found {
                span,
                term: term.to_owned(),
                weak: false,
            });
        }
    }

    /// Drops every match that overlaps one of `harmless` ("the front" in "the front
    /// garden").
    pub(crate) fn drop_inside(&mut self, harmless: &[Span]) {
        if harmless.is_empty() {
            return;
        }
        for found in &mut self.found {
            found.retain(|f| {
                !harmless
                    .iter()
                    .any(|h| h.start < f.span.end && f.span.start < h.end)
            });
        }
    }

    /// Drops the weak matches in a sentence that has a harmless cue or is next to one
    /// (the cue of "the match" is often a sentence before "what a victory!"); `sentence`
    /// tells which sentence a byte offset is in.
    pub(crate) fn drop_weak_near_cues(&mut self, sentence: impl Fn(usize) -> usize) {
        if self.cues.is_empty() {
            return;
        }
        let cued: Vec<usize> = self.cues.iter().map(|c| sentence(c.start)).collect();
        for found in &mut self.found {
            found.retain(|f| {
                let at = sentence(f.span.start);
                !f.weak || !cued.iter().any(|&c| c.abs_diff(at) <= 1)
            });
        }
    }

    /// The spans and the terms (each once, in order of appearance) found for one category.
    pub(crate) fn take(&mut self, category: Category) -> (Vec<Span>, Vec<String>) {
        let mut found = self
            .found
            .get_mut(category.index())
            .map(std::mem::take)
            .unwrap_or_default();
        found.sort_by_key(|f| f.span);
        // One term per place: "победа" and "победу" both match "победу".
        let mut terms: Vec<String> = Vec::new();
        let mut last: Option<Span> = None;
        for f in &found {
            if last != Some(f.span) && !terms.contains(&f.term) {
                terms.push(f.term.clone());
            }
            last = Some(f.span);
        }
        (found.into_iter().map(|f| f.span).collect(), terms)
    }
}
