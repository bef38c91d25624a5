//! Contact data in a letter: links, email addresses and phone numbers. A censor withholds
//! a letter that carries them, and a prisoner can be punished for "contacts with the outside".

use std::sync::LazyLock;

use regex::Regex;

use super::Span;
use super::normalise::Token;

/// Top-level domains worth recognising without `http://` or `www.`; short ones that are
/// also common abbreviations or words ("it", "in", "to", "at") are left out.
const TLDS: &str = "com|net|org|info|biz|io|me|ru|su|ua|рф|укр|рус|by|kz|uz|ge|de|pl|fr|tr|uk|eu|us|co|tv|cc|ly|gl|link|online|site|store|xyz|top|app|dev|pro|club|live|news|blog";

// No `\b` in these patterns: a Unicode word boundary keeps the regex crate off its fast
// engine on Cyrillic text; the boundaries are checked in code instead.
static LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(?:https?://|www\.)[^\s<>"«»]+|(?:[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}-]*\.)+(?:{TLDS})(?:/[^\s<>"«»]*)?"#
    ))
    .ok()
});

/// Addresses, including the spelled-out "@" and dot: "ivan (at) mail.ru", "ivan собака
/// mail.ru", "anna at gmail dot com", "іван равлик ukr крапка net".
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\p{L}\p{N}._%+\-]+(?:@|\s*[(\[{]\s*(?:at|собака|собачка|равлик)\s*[)\]}]\s*|\s+(?:собака|собачка|собачкой|равлик)\s+|\s+at\s+)[\p{L}\p{N}\-]+(?:(?:\.|\s*[(\[{]\s*(?:dot|точка|крапка)\s*[)\]}]\s*|\s+(?:dot|точка|крапка)\s+)[\p{L}\p{N}\-]+)*(?:\.|\s*[(\[{]\s*(?:dot|точка|крапка)\s*[)\]}]\s*|\s+(?:dot|точка|крапка)\s+)(?:\p{L}{2,})",
    )
    .ok()
});

/// A domain with its dot spelled out: "amnesty dot org", "крым точка реалии".
static SPELLED_LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[\p{L}\p{N}\-]{2,}(?:\s*[(\[{]\s*(?:dot|точка|крапка)\s*[)\]}]\s*|\s+(?:dot|точка|крапка)\s+)(?:com|net|org|info|io|me|ru|ua|рф|укр|ру|ком|орг|нет|юа|eu|uk|de|pl|реалии|реалії|realii)",
    )
    .ok()
});

/// A messenger handle: "@olga_k" standing apart (an "@" inside an email is the email's).
static HANDLE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s(,:;«\x22])(@[A-Za-z0-9_.]{3,32})").ok());

/// A postal address: a street marker with a house number after it ("ул. Садовая, 5",
/// "вул. Хрещатик 22", "просп. Миру 4"), or a post-office box. No `\b`: a Unicode word
/// boundary keeps the regex crate off its fast engine on Cyrillic text; the start of the
/// marker is checked in code.
static POSTAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?i:ул\.|улиц[аеуы]|вул\.|вулиц[яіюе]|просп\.|проспект[аеу]?|пр-т|пер\.|переул(?:ок|ке)|провул(?:ок|ку)|бульвар[аеу]?|бул\.|пл\.|площад[ьі])\s*[\p{L}\p{N}\-.' ]{2,40}?,?\s*(?i:(?:д|дом|буд|будинок)\.?\s*)?\d{1,4}\p{L}?|(?i:p\.?\s?o\.?\s?box|а/я|абонентск\p{L}*\s+ящик\p{L}*)\s*№?\s*\d+)",
    )
    .ok()
});

/// An English address: a house number, a capitalised name and a street word ("12 Baker
/// Street"). ASCII only, with ASCII word boundaries.
static STREET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)\d{1,5}[A-Za-z]?,?[ \t]+(?:[A-Z][a-z]+[ \t]+){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Boulevard|Square|Way|Close|Place)(?-u:\b)",
    )
    .ok()
});

/// Words that open an address, for skipping the search in letters that have none.
const ADDRESS_CUES: &[&str] = &[
    "ул",
    "Ул",
    "УЛ",
    "вул",
    "Вул",
    "ВУЛ",
    "просп",
    "Просп",
    "пр-т",
    "пер.",
    "Пер.",
    "переул",
    "Переул",
    "провул",
    "Провул",
    "бульвар",
    "Бульвар",
    "бул.",
    "пл.",
    "площ",
    "Площ",
    "box",
    "Box",
    "BOX",
    "а/я",
    "абонент",
    "Абонент",
];
const STREET_CUES: &[&str] = &[
    "Street",
    "St",
    "Road",
    "Rd",
    "Avenue",
    "Ave",
    "Lane",
    "Drive",
    "Boulevard",
    "Square",
    "Way",
    "Close",
    "Place",
];

/// Digits spelled in words, in Russian, Ukrainian and English, and how many digits each
/// stands for: a phone number read out ("восемь девятьсот семнадцать…").
const NUMBER_WORDS: &[(&str, usize)] = &[
    ("ноль", 1),
    ("нуль", 1),
    ("один", 1),
    ("одна", 1),
    ("два", 1),
    ("две", 1),
    ("дві", 1),
    ("три", 1),
    ("четыре", 1),
    ("чотири", 1),
    ("пять", 1),
    ("п'ять", 1),
    ("шесть", 1),
    ("шість", 1),
    ("семь", 1),
    ("сім", 1),
    ("восемь", 1),
    ("вісім", 1),
    ("девять", 1),
    ("дев'ять", 1),
    ("десять", 2),
    ("одиннадцать", 2),
    ("одинадцять", 2),
    ("двенадцать", 2),
    ("дванадцять", 2),
    ("тринадцать", 2),
    ("тринадцять", 2),
    ("четырнадцать", 2),
    ("чотирнадцять", 2),
    ("пятнадцать", 2),
    ("п'ятнадцять", 2),
    ("шестнадцать", 2),
    ("шістнадцять", 2),
    ("семнадцать", 2),
    ("сімнадцять", 2),
    ("восемнадцать", 2),
    ("вісімнадцять", 2),
    ("девятнадцать", 2),
    ("дев'ятнадцять", 2),
    ("двадцать", 2),
    ("двадцять", 2),
    ("тридцать", 2),
    ("тридцять", 2),
    ("сорок", 2),
    ("пятьдесят", 2),
    ("п'ятдесят", 2),
    ("шестьдесят", 2),
    ("шістдесят", 2),
    ("семьдесят", 2),
    ("сімдесят", 2),
    ("восемьдесят", 2),
    ("вісімдесят", 2),
    ("девяносто", 2),
    ("дев'яносто", 2),
    ("сто", 3),
    ("двести", 3),
    ("двісті", 3),
    ("триста", 3),
    ("четыреста", 3),
    ("чотириста", 3),
    ("пятьсот", 3),
    ("п'ятсот", 3),
    ("шестьсот", 3),
    ("шістсот", 3),
    ("семьсот", 3),
    ("сімсот", 3),
    ("восемьсот", 3),
    ("вісімсот", 3),
    ("девятьсот", 3),
    ("дев'ятсот", 3),
    ("zero", 1),
    ("oh", 1),
    ("one", 1),
    ("two", 1),
    ("three", 1),
    ("four", 1),
    ("five", 1),
    ("six", 1),
    ("seven", 1),
    ("eight", 1),
    ("nine", 1),
    ("ten", 2),
    ("eleven", 2),
    ("twelve", 2),
    ("thirteen", 2),
    ("fourteen", 2),
    ("fifteen", 2),
    ("sixteen", 2),
    ("seventeen", 2),
    ("eighteen", 2),
    ("nineteen", 2),
    ("twenty", 2),
    ("thirty", 2),
    ("forty", 2),
    ("fifty", 2),
    ("sixty", 2),
    ("seventy", 2),
    ("eighty", 2),
    ("ninety", 2),
    ("hundred", 1),
    ("double", 1),
    ("triple", 2),
    ("плюс", 0),
    ("plus", 0),
];

/// The number words by their lower-case spelling, under each apostrophe the Ukrainian ones
/// are typed with (the list writes them with `'`).
static NUMBERS: LazyLock<rustc_hash::FxHashMap<String, usize>> = LazyLock::new(|| {
    let mut map = rustc_hash::FxHashMap::default();
    for &(word, digits) in NUMBER_WORDS {
        for apostrophe in ["'", "\u{2019}", "\u{02BC}", "`"] {
            map.insert(word.replace(['\'', '\u{02BC}'], apostrophe), digits);
        }
    }
    map
});

/// The longest number word, in bytes: longer tokens are not looked up.
const LONGEST_NUMBER_WORD: usize = 32;

/// How many digits a word stands for, if it is a number word or digits.
fn digits_in(word: &str) -> Option<usize> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(word.len());
    }
    if word.len() > LONGEST_NUMBER_WORD || !word.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    match NUMBERS.get(word) {
        Some(&n) => Some(n),
        None if word.chars().any(char::is_uppercase) => NUMBERS.get(&word.to_lowercase()).copied(),
        None => None,
    }
}

/// Anything that may be a phone number: digits with spaces, dashes, dots and brackets
/// between them; whether it is one is decided in [`is_phone`].
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\+?\(?\d[\d \t\u{A0}().\-\u{2010}-\u{2013}]{5,24}\d").ok());

static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{2}|\d{4})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d+[.,]\d+|\d{1,3}(?:[ \u{A0}.]\d{3})+|\d{1,2}\.\d{2}\s?[-\u{2010}-\u{2013}]\s?\d{1,2}\.\d{2})$",
    )
    .ok()
});

fn find_all(re: &LazyLock<Option<Regex>>, text: &str) -> Vec<Span> {
    re.as_ref()
        .map(|re| {
            re.find_iter(text)
                .map(|m| Span::new(m.start(), m.end()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the match stands apart from the letters and digits around it.
fn whole(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).and_then(|t| t.chars().next_back());
    let after = text.get(span.end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

pub(crate) fn emails(text: &str) -> Vec<Span> {
    // Most letters have no "@", no brackets and no spelled-out one: skip the search.
    let spelled = ["собак", "равлик", " at ", " AT "]
        .iter()
        .any(|w| text.contains(w));
    if !text.contains(['@', '(', '[', '{']) && !spelled {
        return Vec::new();
    }
    find_all(&EMAIL, text)
}

/// Links, leaving out the domains of email addresses already found.
pub(crate) fn links(text: &str, emails: &[Span]) -> Vec<Span> {
    // A link needs a dot with a letter or digit right after it.
    let dotted = text
        .split('.')
        .skip(1)
        .any(|rest| rest.chars().next().is_some_and(char::is_alphanumeric));
    let spelled_dot = [
        "dot",
        "DOT",
        "Dot",
        "точк",
        "ТОЧК",
        "Точк",
        "крапк",
        "КРАПК",
        "Крапк",
    ]
    .iter()
    .any(|w| text.contains(w));
    let spelled = if spelled_dot {
        find_all(&SPELLED_LINK, text)
    } else {
        Vec::new()
    };
    let dotted = dotted || !spelled.is_empty();
    if !dotted {
        return Vec::new();
    }
    find_all(&LINK, text)
        .into_iter()
        .chain(spelled)
        .filter(|&s| whole(text, s))
        .map(|s| trim_end(text, s, &['.', ',', ';', ':', '!', '?', ')', '\'']))
        .filter(|s| !emails.iter().any(|e| e.start < s.end && s.start < e.end))
        .collect()
}

/// Phone numbers in digits, and read out in words: a run of at least seven digits' worth
/// of number words and digit groups, of which at least four are words, with nothing but
/// spaces and punctuation between them on one line.
pub(crate) fn phones(text: &str, tokens: &[Token]) -> Vec<Span> {
    let mut found = Vec::new();
    if text.bytes().filter(u8::is_ascii_digit).count() >= 7 {
        found.extend(
            find_all(&PHONE, text)
                .into_iter()
                .filter(|&s| whole(text, s) && text.get(s.start..s.end).is_some_and(is_phone)),
        );
    }
    let mut run: Option<(usize, usize, usize, usize)> = None; // start, end, digits, words
    let mut close = |run: &mut Option<(usize, usize, usize, usize)>| {
        if let Some((start, end, digits, words)) = run.take()
            && digits >= 7
            && words >= 4
        {
            found.push(Span::new(start, end));
        }
    };
    let mut last_end = 0;
    for token in tokens {
        let word = text.get(token.start..token.end).unwrap_or_default();
        let gap = text.get(last_end..token.start).unwrap_or_default();
        if gap.contains('\n') || gap.chars().any(char::is_alphanumeric) {
            close(&mut run);
        }
        last_end = token.end;
        match digits_in(word) {
            Some(n) => {
                let is_word = !word.starts_with(|c: char| c.is_ascii_digit());
                let entry = run.get_or_insert((token.start, token.end, 0, 0));
                entry.1 = token.end;
                entry.2 += n;
                entry.3 += usize::from(is_word);
            }
            None => close(&mut run),
        }
    }
    close(&mut run);
    found
}

/// Messenger handles and postal addresses.
pub(crate) fn handles_and_addresses(text: &str) -> Vec<Span> {
    let mut found = Vec::new();
    if text.contains('@')
        && let Some(re) = HANDLE.as_ref()
    {
        found.extend(
            re.captures_iter(text)
                .filter_map(|c| c.get(1))
                .map(|m| Span::new(m.start(), m.end())),
        );
    }
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    if ADDRESS_CUES.iter().any(|c| text.contains(c)) {
        // The marker starts a word ("ул." but not "гул.").
        found.extend(find_all(&POSTAL, text).into_iter().filter(|s| {
            let before = text.get(..s.start).and_then(|t| t.chars().next_back());
            !before.is_some_and(char::is_alphanumeric)
        }));
    }
    if STREET_CUES.iter().any(|c| text.contains(c)) {
        found.extend(find_all(&STREET, text));
    }
    found
}

/// Seven to fifteen digits (E.164 allows fifteen), and not a date, a year range, a decimal
/// or a number grouped in thousands — unless it starts with "+".
fn is_phone(candidate: &str) -> bool {
    let digits = candidate.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return false;
    }
    if candidate.starts_with('+') {
        return true;
    }
    let is_date = DATE.as_ref().is_some_and(|re| re.is_match(candidate));
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let years = groups.len() > 1
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y)));
    !is_date && !years
}

fn trim_end(text: &str, span: Span, chars: &[char]) -> Span {
    let piece = text.get(span.start..span.end).unwrap_or_default();
    let kept = piece.trim_end_matches(chars);
    Span::new(span.start, span.start + kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::normalise::tokenise;

    fn pieces<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn the_patterns_compile() {
        assert!(LINK.is_some());
        assert!(EMAIL.is_some());
        assert!(PHONE.is_some());
        assert!(DATE.is_some());
        assert!(SPELLED_LINK.is_some());
        assert!(HANDLE.is_some());
        assert!(POSTAL.is_some());
        assert!(STREET.is_some());
    }

    #[test]
    fn contacts_in_disguise_are_found() {
        let text = "пиши anna at gmail dot com или ivan [at] ukr [dot] net, мой ник @olga_k, \
            сайт amnesty dot org, адрес: ул. Садовая, 5, кв. 3, или 12 Baker Street, или а/я 17";
        let found = emails(text);
        assert_eq!(
            pieces(text, &found),
            ["anna at gmail dot com", "ivan [at] ukr [dot] net"]
        );
        assert_eq!(pieces(text, &links(text, &found)), ["amnesty dot org"]);
        assert_eq!(
            pieces(text, &handles_and_addresses(text)),
            ["@olga_k", "ул. Садовая, 5", "а/я 17", "12 Baker Street"]
        );
        // A street word inside another word, and numbers that are no address.
        let calm = "гулял 5 часов, I read 3 books at home in May 2024";
        assert!(handles_and_addresses(calm).is_empty());
        assert!(emails(calm).is_empty());
    }

    #[test]
    fn a_phone_number_read_out_in_words_is_a_phone() {
        for text in [
            "звони: восемь девятьсот семнадцать сто двадцать три сорок пять шестьдесят семь",
            "мій номер нуль дев'яносто сім, сто двадцать, три, чотири, п'ять",
            "call me on plus four four seven seven double one two three four five",
        ] {
            assert_eq!(phones(text, &tokenise(text)).len(), 1, "{text}");
        }
        for text in [
            "раз, два, три, четыре, пять — вышел зайчик погулять",
            "one or two cups",
        ] {
            assert!(phones(text, &tokenise(text)).is_empty(), "{text}");
        }
    }

    #[test]
    fn links_are_found_with_or_without_a_scheme() {
        let text =
            "Смотри https://example.org/a?b=1. и www.site.ua, и t.me/chan, и example.com и сайт.рф";
        assert_eq!(
            pieces(text, &links(text, &[])),
            [
                "https://example.org/a?b=1",
                "www.site.ua",
                "t.me/chan",
                "example.com",
                "сайт.рф"
            ]
        );
    }

    #[test]
    fn ordinary_abbreviations_are_not_links() {
        let text =
            "т.е. всё хорошо, т.к. тепло, и т.д. 3.14 file.txt e.g. ул.Ленина example.community";
        assert!(links(text, &[]).is_empty());
    }

    #[test]
    fn emails_are_found_even_spelled_out() {
        let text = "пиши: ivan.petrov@mail.ru или ivan (at) gmail.com или ivan собака yandex.ru";
        let found = emails(text);
        assert_eq!(
            pieces(text, &found),
            [
                "ivan.petrov@mail.ru",
                "ivan (at) gmail.com",
                "ivan собака yandex.ru"
            ]
        );
        assert!(
            links(text, &found).is_empty(),
            "the domains are part of the emails"
        );
    }

    #[test]
    fn phones_in_common_formats_are_found() {
        let text = "звони +7 (978) 123-45-67, +380 67 123 4567, 8-978-123-45-67, 89781234567, 123-45-67 или 8 9 7 8 1 2 3 4 5 6 7";
        assert_eq!(
            pieces(text, &phones(text, &tokenise(text))),
            [
                "+7 (978) 123-45-67",
                "+380 67 123 4567",
                "8-978-123-45-67",
                "89781234567",
                "123-45-67",
                "8 9 7 8 1 2 3 4 5 6 7"
            ]
        );
    }

    #[test]
    fn dates_years_and_sums_are_not_phones() {
        for text in [
            "12.05.2024",
            "12/05/2024",
            "2024-05-12",
            "1941-1945",
            "в 2023 2024 годах",
            "1 000 000 рублей",
            "3.14159265",
            "10.30-12.45",
            "ст. 205.5 ч. 2",
            "123456",
        ] {
            assert!(phones(text, &tokenise(text)).is_empty(), "{text}");
        }
    }
}
