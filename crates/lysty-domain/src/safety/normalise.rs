//! Turning letter text into words that compare equal however they were disguised:
//! invisible characters, accents, look-alike letters from another script, Ukrainian
//! letter variants, CAPS, and stretched letters ("вoooйна") all fall away here, while every
//! word remembers where it stood in the original text.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The script a word is read in once look-alikes are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Script {
    Cyrillic,
    Latin,
    /// Digits only, or letters of another script.
    Other,
}

/// A run of letters and digits in the original text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Byte offsets into the original text, on char boundaries.
    pub start: usize,
    pub end: usize,
    /// Letters and digits after compatibility decomposition, with accents and invisible
    /// characters dropped; case is kept (it tells look-alikes and abbreviations apart).
    pub chars: Vec<char>,
}

impl Token {
    pub fn letter_count(&self) -> usize {
        self.chars.iter().filter(|c| c.is_alphabetic()).count()
    }
}

/// A token in the form the lexicon compares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub norm: NormWord,
    /// Whether it was written with a capital first letter (a name, or a sentence's start).
    pub capital: bool,
}

/// A word lower-cased, folded and read in one script.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NormWord {
    pub text: String,
    pub script: Script,
    /// For a word made only of letters that have a twin in the other script ("CBO",
    /// "PAKETA", "bоmb"): the reading in the other script.
    pub alt: Option<(String, Script)>,
}

impl NormWord {
    /// Every reading of the word worth looking up.
    pub fn forms(&self) -> impl Iterator<Item = (&str, Script)> {
        std::iter::once((self.text.as_str(), self.script)).chain(
            self.alt
                .as_ref()
                .map(|(alt, script)| (alt.as_str(), *script)),
        )
    }

    /// One reading for every spelling: the Cyrillic one when the word has it.
    pub fn canonical(&self) -> &str {
        match &self.alt {
            Some((alt, Script::Cyrillic)) => alt,
            _ => &self.text,
        }
    }
}

/// Characters people insert into words to break them up without it showing.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Letters and digits, with ASCII and the Russian and Ukrainian alphabets decided by range:
/// the Unicode tables behind `char::is_alphanumeric` are the slowest step on long letters.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => {
            true
        }
        _ if c.is_ascii() => false,
        _ => c.is_alphanumeric(),
    }
}

/// A combining mark; ASCII and Cyrillic letters are none, without a table look-up.
fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && !matches!(c, '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{04FF}')
        && is_combining_mark(c)
}

/// Pushes the lower case of a letter; ASCII and Russian and Ukrainian capitals by range.
fn push_lower(c: char, out: &mut Vec<char>) {
    let shifted = |by: u32| char::from_u32(u32::from(c) + by).unwrap_or(c);
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        'А'..='Я' => out.push(shifted(0x20)),
        '\u{0400}'..='\u{040F}' => out.push(shifted(0x50)),
        _ if c.is_ascii() || matches!(c, 'а'..='\u{045F}') => out.push(c),
        _ => out.extend(c.to_lowercase().filter(|&l| !is_mark(l))),
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{02BC}' | '`' | '\u{2018}' | '\u{02BB}'
    )
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

pub(crate) fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

/// Greek capitals and a few small letters that pass for Latin ones; mapped first so that
/// the Latin/Cyrillic resolution below sees them.
fn greek_twin(c: char) -> Option<char> {
    Some(match c {
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'α' => 'a',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'υ' => 'u',
        'χ' => 'x',
        _ => return None,
    })
}

/// The Cyrillic letter a (lower-case) Latin one passes for, in print, in capitals or in
/// handwriting ("Путuн", "вoйнa", "BOЙHA"). Matching is on lower case, so the twins of
/// capitals are here too (h for Н, b for В, t for Т).
fn cyrillic_twin(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'd' => 'ԁ',
        'e' => 'е',
        'h' => 'н',
        'i' => 'і',
        'j' => 'ј',
        'k' => 'к',
        'm' => 'м',
        'n' => 'п',
        'o' => 'о',
        'p' => 'р',
        'r' => 'г',
        's' => 'ѕ',
        't' => 'т',
        'u' => 'и',
        'x' => 'х',
        'y' => 'у',
        _ => return None,
    })
}

/// The inverse of [`cyrillic_twin`], for Latin words with Cyrillic letters ("Nаvalny").
fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'с' => 'c',
        'ԁ' => 'd',
        'е' => 'e',
        'н' | 'һ' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm',
        'п' => 'n',
        'о' => 'o',
        'р' => 'p',
        'г' => 'r',
        'ѕ' => 's',
        'т' => 't',
        'и' => 'u',
        'х' => 'x',
        'у' => 'y',
        _ => return None,
    })
}

/// Digits used for letters inside Cyrillic words ("в0йна", "3еленский").
fn digit_twin(c: char) -> Option<char> {
    Some(match c {
        '0' => 'о',
        '3' => 'з',
        '4' => 'ч',
        '6' => 'б',
        _ => return None,
    })
}

/// Digits used for letters inside Latin words ("v1ct0ry", "k33p").
fn leet_twin(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        _ => return None,
    })
}

/// Ukrainian, Belarusian and Macedonian letters folded into their Russian neighbours, and
/// ё into е (Russian writes it either way), so one lexicon term catches every spelling.
fn fold(c: char) -> char {
    match c {
        'ё' | 'є' => 'е',
        'і' | 'ї' => 'и',
        'ґ' | 'ѓ' => 'г',
        'ў' => 'у',
        'ќ' => 'к',
        _ => c,
    }
}

/// Whether a hyphen at `at` breaks a word across lines: only spaces, one line break and
/// spaces follow it, and then a letter ("окку-\nпация").
fn hyphen_breaks_line(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or_default();
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'));
    rest.map(|r| r.trim_start_matches([' ', '\t']))
        .and_then(|r| r.chars().next())
        .is_some_and(char::is_alphabetic)
}

/// Splits text into tokens of letters and digits. An apostrophe between letters stays
/// inside the word ("п'ять", "don't") and is dropped; invisible characters and accents
/// are dropped without breaking the word, and so is a hyphen that breaks a word across a
/// line ("окку-\nпация" is one word).
pub(crate) fn tokenise(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    // An apostrophe after letters belongs to the word only if a letter follows it.
    let mut apostrophe = false;
    // Inside a word broken across lines: the line break and spaces are skipped.
    let mut joining = false;
    let mut pieces: Vec<char> = Vec::with_capacity(4);
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        if is_invisible(c) {
            continue;
        }
        if joining && c.is_whitespace() {
            continue;
        }
        joining = false;
        if matches!(c, '-' | '\u{2010}' | '\u{2011}')
            && current
                .as_ref()
                .is_some_and(|t| t.chars.last().is_some_and(|l| l.is_alphabetic()))
            && !apostrophe
            && hyphen_breaks_line(text, end)
        {
            joining = true;
            continue;
        }
        if is_mark(c) {
            // A breve turns и into й when typed as two characters; other marks (stress
            // accents, diaereses) change nothing a censor reads.
            if let Some(token) = current.as_mut().filter(|_| !apostrophe) {
                if c == '\u{0306}'
                    && let Some(last) = token.chars.last_mut()
                {
                    *last = match *last {
                        'и' => 'й',
                        'И' => 'Й',
                        other => other,
                    };
                }
                token.end = end;
            }
            continue;
        }
        pieces.clear();
        if c.is_ascii() || is_cyrillic(c) {
            pieces.push(c);
        } else {
            // Full-width, mathematical, circled letters and ligatures become plain ones.
            decompose_compatible(c, |d| {
                if !is_mark(d) {
                    pieces.push(greek_twin(d).unwrap_or(d));
                }
            });
        }
        for &d in &pieces {
            if is_word_char(d) {
                let token = current.get_or_insert_with(|| Token {
                    start,
                    end,
                    chars: Vec::new(),
                });
                token.chars.push(d);
                token.end = end;
                apostrophe = false;
            } else if is_apostrophe(d) && current.is_some() && !apostrophe {
                apostrophe = true;
            } else {
                tokens.extend(current.take());
                apostrophe = false;
            }
        }
    }
    tokens.extend(current.take());
    tokens
}

/// Lower-cases a word, reads it in one script and folds it. The script is that of the
/// letters without a twin in the other script; a tie (every letter has a twin) reads as
/// Cyrillic when there is any Cyrillic letter, and the other reading is kept as `alt`.
pub(crate) fn normalise_word(chars: &[char]) -> NormWord {
    let mut lower: Vec<char> = Vec::with_capacity(chars.len());
    for &c in chars {
        push_lower(c, &mut lower);
    }
    let (mut cyr, mut lat, mut cyr_only, mut lat_only, mut other, mut digits) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for &c in &lower {
        if c.is_ascii_digit() {
            digits += 1;
        } else if is_cyrillic(c) {
            cyr += 1;
            cyr_only += usize::from(latin_twin(c).is_none());
        } else if is_latin(c) {
            lat += 1;
            lat_only += usize::from(cyrillic_twin(c).is_none());
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    let script = if cyr > 0 && (lat == 0 || cyr_only >= lat_only) {
        Script::Cyrillic
    } else if lat > 0 {
        Script::Latin
    } else {
        Script::Other
    };
    // "в0йна", "v1ct0ry", "k33p": digits among at least as many letters.
    let digits_are_letters = digits > 0 && cyr + lat >= digits && cyr + lat >= 2;
    let text = read(&lower, script, digits_are_letters);
    let all_twins = cyr + lat >= 2 && cyr_only == 0 && lat_only == 0 && other == 0;
    let alt = match script {
        Script::Cyrillic if all_twins => Some((read(&lower, Script::Latin, false), Script::Latin)),
        Script::Latin if all_twins => Some((
            read(&lower, Script::Cyrillic, digits_are_letters),
            Script::Cyrillic,
        )),
        _ => None,
    };
    NormWord { text, script, alt }
}

/// One letter of a spelled-out run, read in the run's script.
pub(crate) fn read_letter(c: char, script: Script) -> String {
    let mut lower = Vec::with_capacity(1);
    push_lower(c, &mut lower);
    read(&lower, script, false)
}

/// Reads lower-case letters in a script, folds them, and squeezes a letter repeated three
/// or more times into one ("вооойна"): no Russian, Ukrainian or English word triples a
/// letter.
fn read(lower: &[char], script: Script, digits_are_letters: bool) -> String {
    let mapped = lower.iter().map(|&c| {
        let c = match script {
            Script::Cyrillic if is_latin(c) => cyrillic_twin(c).unwrap_or(c),
            Script::Cyrillic if digits_are_letters => digit_twin(c).unwrap_or(c),
            Script::Latin if digits_are_letters => leet_twin(c).unwrap_or(c),
            Script::Latin if is_cyrillic(c) => latin_twin(c).unwrap_or(c),
            _ => c,
        };
        fold(c)
    });
    let mut text = String::with_capacity(lower.len() * 2);
    let (mut last, mut run) = (None, 0usize);
    for c in mapped {
        if Some(c) == last {
            run += 1;
        } else {
            (last, run) = (Some(c), 1);
        }
        match run {
            // The third copy takes back the second; later ones are skipped.
            3 if c.is_alphabetic() => {
                text.pop();
            }
            4.. if c.is_alphabetic() => {}
            _ => text.push(c),
        }
    }
    text
}

/// A run of single letters spaced out to hide a word ("в о й н а", "в.о.й.н.а"): token
/// indices `start..end`, at least three letters long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpreadRun {
    pub start: usize,
    pub end: usize,
}

/// Finds runs of one-letter tokens separated by at most two spaces or punctuation marks on
/// one line.
pub(crate) fn spread_runs(text: &str, tokens: &[Token]) -> Vec<SpreadRun> {
    let is_single = |t: &Token| t.chars.len() == 1 && t.chars.iter().all(|c| c.is_alphabetic());
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens.get(i).is_some_and(is_single) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while let (Some(prev), Some(next)) = (tokens.get(j - 1), tokens.get(j)) {
            let gap = text.get(prev.end..next.start).unwrap_or("\n");
            let visible = gap.chars().filter(|&c| !is_invisible(c)).count();
            if !is_single(next) || visible > 2 || gap.contains(['\n', '\r']) {
                break;
            }
            j += 1;
        }
        if j - i >= 3 {
            runs.push(SpreadRun { start: i, end: j });
        }
        i = j;
    }
    runs
}

/// Where sentences start: after ".", "!", "?", "…" followed by a space, and after a line
/// break. An abbreviation ("ст. 205") ends a sentence too, which only makes them shorter.
pub(crate) fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut end_mark = false;
    for (at, c) in text.char_indices() {
        if c == '\n' {
            starts.push(at + 1);
            end_mark = false;
        } else if matches!(c, '.' | '!' | '?' | '…') {
            end_mark = true;
        } else if end_mark && c.is_whitespace() {
            starts.push(at);
            end_mark = false;
        } else {
            end_mark = false;
        }
    }
    starts
}

/// Tokens and their normalised forms.
pub(crate) fn words(tokens: &[Token]) -> Vec<Word> {
    tokens
        .iter()
        .map(|t| Word {
            start: t.start,
            end: t.end,
            norm: normalise_word(&t.chars),
            capital: t.chars.first().is_some_and(|c| c.is_uppercase()),
        })
        .collect()
}

/// The words of a lexicon term or of a whole text, normalised, in order.
pub(crate) fn normalised_words(text: &str) -> Vec<NormWord> {
    tokenise(text)
        .iter()
        .map(|t| normalise_word(&t.chars))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(word: &str) -> String {
        let tokens = tokenise(word);
        assert_eq!(tokens.len(), 1, "{word:?} is one token");
        normalise_word(&tokens[0].chars).text
    }

    #[test]
    fn look_alike_latin_letters_are_read_as_cyrillic_in_a_cyrillic_word() {
        assert_eq!(norm("вoйна"), "война");
        assert_eq!(norm("Путuн"), "путин");
        assert_eq!(norm("BOЙHA"), "война");
        assert_eq!(norm("Путiн"), "путин");
        assert_eq!(norm("в0йна"), "война");
    }

    #[test]
    fn look_alike_cyrillic_letters_are_read_as_latin_in_a_latin_word() {
        assert_eq!(norm("Nаvаlny"), "navalny");
        assert_eq!(norm("wаr"), "war");
        assert_eq!(norm("аn"), norm("АN"));
    }

    #[test]
    fn words_made_of_look_alikes_have_both_readings() {
        let tokens = tokenise("CBO");
        let w = normalise_word(&tokens[0].chars);
        assert_eq!(w.text, "cbo");
        assert_eq!(w.alt, Some(("сво".to_owned(), Script::Cyrillic)));
        assert_eq!(w.canonical(), "сво");
        let tokens = tokenise("bоmb");
        let w = normalise_word(&tokens[0].chars);
        assert_eq!(w.text, "вомв");
        assert_eq!(w.alt, Some(("bomb".to_owned(), Script::Latin)));
        let tokens = tokenise("hello");
        assert_eq!(normalise_word(&tokens[0].chars).alt, None);
    }

    #[test]
    fn ukrainian_letters_and_yo_fold_into_russian_ones() {
        assert_eq!(norm("Їжак"), "ижак");
        assert_eq!(norm("ґанок"), "ганок");
        assert_eq!(norm("Європа"), "европа");
        assert_eq!(norm("ёлка"), "елка");
    }

    #[test]
    fn invisible_characters_accents_and_apostrophes_stay_inside_the_word() {
        assert_eq!(norm("во\u{200B}й\u{00AD}на"), "война");
        assert_eq!(norm("во\u{0301}йна"), "война");
        assert_eq!(norm("вои\u{0306}на"), "война");
        assert_eq!(norm("п'ять"), "пять");
        assert_eq!(norm("п’ять"), "пять");
    }

    #[test]
    fn compatibility_forms_become_plain_letters() {
        assert_eq!(norm("ＷＡＲ"), "war");
        assert_eq!(norm("𝐰𝐚𝐫"), "war");
        assert_eq!(norm("ΒΟΜΒ"), "bomb");
    }

    #[test]
    fn the_fast_paths_agree_with_unicode() {
        for c in ('\u{0}'..='\u{052F}').chain(['ß', 'İ', 'ǅ', '٣', '字']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_mark(c), is_combining_mark(c), "{c:?}");
            let mut lower = Vec::new();
            push_lower(c, &mut lower);
            let expected: Vec<char> = c
                .to_lowercase()
                .filter(|&l| !is_combining_mark(l))
                .collect();
            assert_eq!(lower, expected, "{c:?}");
        }
    }

    #[test]
    fn stretched_letters_are_squeezed_but_doubles_stay() {
        assert_eq!(norm("вооойна"), "война");
        assert_eq!(norm("Анна"), "анна");
        assert_eq!(norm("1000"), "1000");
    }

    #[test]
    fn tokens_point_into_the_original_text() {
        let text = "Привет, мир! п'ять";
        let tokens = tokenise(text);
        let pieces: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(pieces, ["Привет", "мир", "п'ять"]);
    }

    #[test]
    fn a_trailing_apostrophe_ends_the_word() {
        let text = "'войны' и";
        let tokens = tokenise(text);
        assert_eq!(&text[tokens[0].start..tokens[0].end], "войны");
    }

    #[test]
    fn spaced_out_letters_form_a_run() {
        for text in [
            "в о й н а",
            "в.о.й.н.а",
            "в-о-й-н-а",
            "в_о_й_н_а",
            "в. о. й. н. а",
        ] {
            let tokens = tokenise(text);
            assert_eq!(
                spread_runs(text, &tokens),
                [SpreadRun { start: 0, end: 5 }],
                "{text}"
            );
        }
        let text = "и я\nс тобой";
        assert!(spread_runs(text, &tokenise(text)).is_empty());
    }
}
