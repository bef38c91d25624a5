//! A deliberately small stemmer. No crate stems Russian and Ukrainian together after our
//! letter folding, and a full Snowball stemmer would over-reach on names, so two words are
//! taken to be forms of one another when both reduce to a common stem by dropping an
//! inflection ending: "война", "войны", "войной" all reach "войн"; "Бекиров" and
//! "Бекировым" reach "бекиров". A minimum stem length keeps short words from colliding.

use super::normalise::Script;

/// The shortest Cyrillic stem: "войн", "дрон". Shorter ones make "своя" look like "СВО".
pub(crate) const MIN_CYRILLIC_STEM: usize = 4;
/// The shortest English stem: "war" from "wars".
pub(crate) const MIN_LATIN_STEM: usize = 3;

/// Russian and Ukrainian noun, adjective and participle endings, after folding (і→и,
/// ї→и, є→е), sorted for binary search.
const CYRILLIC_ENDINGS: &[&str] = &[
    "а", "ам", "ами", "ах", "ая", "е", "ев", "еви", "его", "ее", "ей", "ем", "ему", "ею", "и",
    "ив", "ие", "ией", "ием", "ии", "ий", "им", "ими", "их", "ию", "ия", "иям", "иями", "иях", "й",
    "о", "ов", "ови", "ого", "ое", "ои", "ой", "ом", "ому", "ою", "у", "ую", "ы", "ые", "ый", "ым",
    "ыми", "ых", "ь", "ье", "ьем", "ьи", "ью", "ья", "ьям", "ьях", "ю", "юю", "я", "ям", "ями",
    "ях", "яя",
];

/// English plural and verb endings. A bare "e" is handled apart, since "ware" is not "war".
const LATIN_ENDINGS: &[&str] = &["ed", "er", "ers", "es", "ing", "s"];

/// Verb prefixes that profane roots hide behind ("за-", "вы-", "mother-").
const CYRILLIC_PREFIXES: &[&str] = &[
    "вз", "взъ", "ви", "вид", "вы", "до", "за", "из", "изъ", "ис", "на", "над", "недо", "о", "об",
    "обо", "объ", "от", "ото", "отъ", "пере", "пид", "по", "под", "подъ", "при", "про", "раз",
    "разъ", "рас", "роз", "рос", "съ", "у",
];
const LATIN_PREFIXES: &[&str] = &["bull", "cluster", "dumb", "horse", "mother"];

/// Whether `item` is in the sorted `list`. Endings are at most four letters: a word's tail
/// longer than the longest entry is not looked up, and the search compares the first byte
/// before the rest (a check runs this for every stem of every word).
fn sorted_contains(list: &[&str], item: &str) -> bool {
    if item.len() > 8 {
        return false;
    }
    list.binary_search_by(|probe| {
        probe
            .as_bytes()
            .first()
            .cmp(&item.as_bytes().first())
            .then_with(|| probe.cmp(&item))
    })
    .is_ok()
}

/// Whether a piece of a word is an inflection ending in its script.
pub(crate) fn is_ending(piece: &str, script: Script) -> bool {
    match script {
        Script::Cyrillic => sorted_contains(CYRILLIC_ENDINGS, piece),
        Script::Latin => sorted_contains(LATIN_ENDINGS, piece) || piece == "e",
        Script::Other => false,
    }
}

/// Calls `f` with the word and with every stem it reduces to.
pub(crate) fn for_each_stem(word: &str, script: Script, mut f: impl FnMut(&str)) {
    f(word);
    let (endings, min_stem): (&[&str], usize) = match script {
        Script::Cyrillic => (CYRILLIC_ENDINGS, MIN_CYRILLIC_STEM),
        Script::Latin => (LATIN_ENDINGS, MIN_LATIN_STEM),
        Script::Other => return,
    };
    let n = word.chars().count();
    // Byte offsets where the last 1, 2, 3, 4 characters begin.
    for (k, (at, _)) in word.char_indices().rev().take(4).enumerate() {
        let kept = n - (k + 1);
        if kept < min_stem {
            break;
        }
        let (stem, ending) = word.split_at(at);
        if sorted_contains(endings, ending)
            || (script == Script::Latin && ending == "e" && kept > min_stem)
        {
            f(stem);
        }
    }
    if script == Script::Latin
        && n > 4
        && let Some(stem) = word.strip_suffix("ies")
    {
        f(&format!("{stem}y"));
    }
}

/// The stems of a word, collected; for preparing the lexicon.
pub(crate) fn stems(word: &str, script: Script) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_stem(word, script, |s| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    });
    out
}

/// Calls `f` with the word and with what is left of it after each known prefix, so a
/// profane root can be found at the start of either.
pub(crate) fn for_each_root_base(word: &str, script: Script, mut f: impl FnMut(&str)) {
    f(word);
    let prefixes: &[&str] = match script {
        Script::Cyrillic => CYRILLIC_PREFIXES,
        Script::Latin => LATIN_PREFIXES,
        Script::Other => return,
    };
    let first = word.as_bytes().first();
    for prefix in prefixes {
        // Most prefixes differ from the word at the first byte: no comparison of the rest.
        if prefix.as_bytes().first() != first {
            continue;
        }
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.chars().nth(2).is_some()
        {
            f(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_a_stem(a: &str, b: &str, script: Script) -> bool {
        let a = stems(a, script);
        let b = stems(b, script);
        a.iter().any(|s| b.contains(s))
    }

    #[test]
    fn the_lists_are_sorted_for_binary_search() {
        for list in [CYRILLIC_ENDINGS, LATIN_ENDINGS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list);
        }
    }

    #[test]
    fn russian_and_ukrainian_declensions_share_a_stem() {
        for form in ["войны", "войну", "войной", "войне", "войнами", "войн"]
        {
            assert!(share_a_stem("война", form, Script::Cyrillic), "{form}");
        }
        for form in ["вийни", "вийною", "вийни"] {
            assert!(share_a_stem("вийна", form, Script::Cyrillic), "{form}");
        }
        for form in ["армии", "армию", "армией", "армиями", "армий"] {
            assert!(share_a_stem("армия", form, Script::Cyrillic), "{form}");
        }
        for form in ["бекирова", "бекирову", "бекировым", "бекирове"]
        {
            assert!(share_a_stem("бекиров", form, Script::Cyrillic), "{form}");
        }
        for form in ["зеленского", "зеленскому", "зеленским"] {
            assert!(share_a_stem("зеленский", form, Script::Cyrillic), "{form}");
        }
    }

    #[test]
    fn short_and_unrelated_words_do_not_collide() {
        assert!(!share_a_stem("сво", "своя", Script::Cyrillic));
        assert!(!share_a_stem("сво", "свою", Script::Cyrillic));
        assert!(!share_a_stem("война", "вой", Script::Cyrillic));
        assert!(!share_a_stem("война", "воин", Script::Cyrillic));
        assert!(!share_a_stem("ракета", "ракетка", Script::Cyrillic));
        assert!(!share_a_stem("зеленский", "зеленый", Script::Cyrillic));
    }

    #[test]
    fn english_plurals_and_verb_forms_share_a_stem() {
        for (term, form) in [
            ("war", "wars"),
            ("drone", "drones"),
            ("drone", "droning"),
            ("protest", "protested"),
            ("protest", "protesting"),
            ("army", "armies"),
            ("missile", "missiles"),
        ] {
            assert!(share_a_stem(term, form, Script::Latin), "{term} {form}");
        }
        assert!(!share_a_stem("war", "ware", Script::Latin));
        assert!(!share_a_stem("war", "was", Script::Latin));
        assert!(!share_a_stem("war", "warm", Script::Latin));
    }

    #[test]
    fn prefixes_are_peeled_off_for_roots() {
        let mut bases = Vec::new();
        for_each_root_base("заебал", Script::Cyrillic, |b| {
            bases.push(b.to_owned())
        });
        assert!(bases.contains(&"ебал".to_owned()));
        let mut bases = Vec::new();
        for_each_root_base("motherfucker", Script::Latin, |b| bases.push(b.to_owned()));
        assert!(bases.contains(&"fucker".to_owned()));
    }
}
