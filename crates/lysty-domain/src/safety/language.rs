//! Is the letter in Russian? The censor passes nothing else, and Ukrainian is the language
//! most letters in this campaign start in, so telling the two apart matters most.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use super::normalise::{Token, is_cyrillic, is_latin};

/// The languages letters actually arrive in: Russian, Ukrainian, English, a few European
/// ones, and Turkish, the nearest whatlang has to Crimean Tatar in Latin letters. Limiting
/// the detector to them keeps it from guessing Bulgarian for short Russian texts.
static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    Detector::with_allowlist(vec![
        Lang::Rus,
        Lang::Ukr,
        Lang::Eng,
        Lang::Pol,
        Lang::Deu,
        Lang::Fra,
        Lang::Tur,
    ])
});

/// Below this many letters a Cyrillic text is too short to call.
const SHORT: usize = 20;
/// Detection reads at most this many characters: enough to tell, and bounded in time.
const SAMPLE_CHARS: usize = 1_000;

/// The ISO 639-1 code of a language we may detect.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Eng => "en",
        Lang::Pol => "pl",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Tur => "tr",
        _ => "und",
    }
}

/// What the letter is written in, when it is not Russian: a language code ("und" when no
/// allowed language fits) and how sure we are of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotRussian {
    pub detected: &'static str,
    pub confidence: f64,
}

/// Letters of the letter counted once, from its tokens, for both checks below.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LetterStats {
    pub letters: usize,
    pub cyrillic: usize,
    /// і, ї, є, ґ: found only in Ukrainian.
    pub ukrainian: usize,
    /// ы, э, ъ, ё: found only in Russian.
    pub russian: usize,
    pub upper: usize,
    pub lower: usize,
}

impl LetterStats {
    pub fn of(tokens: &[Token]) -> Self {
        let mut stats = LetterStats::default();
        for &c in tokens.iter().flat_map(|t| &t.chars) {
            if is_cyrillic(c) {
                stats.cyrillic += 1;
                if matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ') {
                    stats.ukrainian += 1;
                } else if matches!(c, 'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ъ' | 'Ё') {
                    stats.russian += 1;
                }
            } else if !(c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())) {
                continue;
            }
            stats.letters += 1;
            stats.upper += usize::from(c.is_uppercase());
            stats.lower += usize::from(c.is_lowercase());
        }
        stats
    }
}

pub(crate) fn not_russian(text: &str, stats: &LetterStats) -> Option<NotRussian> {
    let &LetterStats {
        letters,
        cyrillic: cyr,
        ukrainian: uk,
        russian: ru,
        ..
    } = stats;
    if letters == 0 {
        return None;
    }
    let sample = match text.char_indices().nth(SAMPLE_CHARS) {
        Some((at, _)) => text.get(..at).unwrap_or(text),
        None => text,
    };
    // The detector is the dearest step of a check: asked only where its answer is used.
    let detect = || DETECTOR.detect(sample);
    if cyr * 2 < letters {
        let info = detect();
        // Clearly not Cyrillic, however short: the censor cannot read it as Russian.
        let non_cyrillic = (letters - cyr) as f64 / letters as f64;
        return Some(
            match info.filter(|i| !matches!(i.lang(), Lang::Rus | Lang::Ukr)) {
                Some(i) => NotRussian {
                    detected: code(i.lang()),
                    confidence: i.confidence(),
                },
                None => NotRussian {
                    detected: "und",
                    confidence: non_cyrillic,
                },
            },
        );
    }
    // і, ї, є, ґ exist only in Ukrainian; ы, э, ъ, ё only in Russian. A Russian letter may
    // quote a Ukrainian name, so a few Ukrainian letters alone do not outweigh Russian ones.
    let ukrainian_letters = uk > 0 && (ru == 0 || (uk >= 3 && uk >= 3 * ru));
    let russian_letters = ru > 0 && !ukrainian_letters;
    if russian_letters {
        return None;
    }
    let info = detect();
    let detected_uk = info.as_ref().filter(|i| i.lang() == Lang::Ukr);
    let (detected, confidence) = if ukrainian_letters {
        let confidence = detected_uk.map_or(0.75, |i| i.confidence().max(0.9));
        ("uk", confidence)
    } else {
        match detected_uk.filter(|i| i.is_reliable()) {
            Some(i) => ("uk", i.confidence()),
            None => return None,
        }
    };
    // A few words prove little: flag, but say so.
    let confidence = if letters < SHORT {
        confidence.min(0.5)
    } else {
        confidence
    };
    Some(NotRussian {
        detected,
        confidence,
    })
}

/// Latin-script words and abbreviations in capitals in a Russian letter: the censor reads
/// them as code or as politics ("ЗСУ", "NATO"), and they are easy to rewrite.
pub(crate) fn foreign_words(tokens: &[Token], stats: &LetterStats) -> Vec<(usize, usize)> {
    // A letter typed in capitals is not full of abbreviations.
    let shouting = stats.upper > 2 * stats.lower;
    tokens
        .iter()
        .filter(|t| {
            let (mut letters, mut lat, mut cyr, mut upper, mut roman) = (0usize, 0, 0, 0, 0);
            for &c in &t.chars {
                if c.is_ascii_digit() {
                    continue;
                }
                letters += 1;
                lat += usize::from(is_latin(c));
                cyr += usize::from(is_cyrillic(c));
                upper += usize::from(c.is_uppercase());
                roman += usize::from(matches!(c, 'I' | 'V' | 'X'));
            }
            // Roman numerals are how Russian writes centuries and chapters ("XXI век").
            let latin_word = letters >= 2 && lat > cyr && roman < letters;
            let abbreviation =
                !shouting && (2..=6).contains(&letters) && cyr == letters && upper == letters;
            latin_word || abbreviation
        })
        .map(|t| (t.start, t.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::normalise::tokenise;

    fn not_russian(text: &str) -> Option<NotRussian> {
        super::not_russian(text, &LetterStats::of(&tokenise(text)))
    }

    fn foreign_words(text: &str) -> Vec<(usize, usize)> {
        let tokens = tokenise(text);
        super::foreign_words(&tokens, &LetterStats::of(&tokens))
    }

    const RUSSIAN: &str = "Здравствуйте! Пишу вам из Львова. У нас уже весна, цветут \
        абрикосы, и дети целыми днями играют во дворе. Надеюсь, у вас всё хорошо и вы \
        получаете письма. Мы о вас помним и ждём.";
    const UKRAINIAN: &str = "Доброго дня! Пишу вам зі Львова. У нас уже весна, цвітуть \
        абрикоси, і діти цілими днями граються на подвір'ї. Сподіваюся, у вас усе гаразд і \
        ви отримуєте листи. Ми про вас пам'ятаємо і чекаємо.";

    #[test]
    fn russian_is_not_flagged() {
        assert_eq!(not_russian(RUSSIAN), None);
        assert_eq!(not_russian("Привет!"), None);
        assert_eq!(not_russian("12345 !!!"), None);
    }

    #[test]
    fn ukrainian_is_flagged_confidently() {
        let found = not_russian(UKRAINIAN);
        assert_eq!(found.as_ref().map(|f| f.detected), Some("uk"));
        assert!(found.is_some_and(|f| f.confidence >= 0.75));
    }

    #[test]
    fn ukrainian_without_its_own_letters_is_left_to_the_detector() {
        // No і, ї, є, ґ: too close to Russian to call.
        assert_eq!(not_russian("Добрий день"), None);
    }

    #[test]
    fn a_short_ukrainian_text_is_flagged_without_confidence() {
        let found = not_russian("Привіт, як ти?");
        assert_eq!(found.as_ref().map(|f| f.detected), Some("uk"));
        assert!(found.is_some_and(|f| f.confidence <= 0.5));
    }

    #[test]
    fn a_russian_letter_may_name_a_ukrainian_city() {
        let text = format!("{RUSSIAN} Привет из Києва.");
        assert_eq!(not_russian(&text), None);
    }

    #[test]
    fn latin_texts_are_flagged_however_short() {
        let found = not_russian(
            "Hello! I am writing to you from London. Spring is here and we think of you every day.",
        );
        assert_eq!(found.map(|f| f.detected), Some("en"));
        let found = not_russian("Hi!");
        assert!(found.is_some());
        let found = not_russian(
            "Merhaba! Size Ankara'dan yazıyorum. Bahar geldi, her gün sizi düşünüyoruz ve bekliyoruz.",
        );
        assert_eq!(found.map(|f| f.detected), Some("tr"));
        let found =
            not_russian("Dzień dobry! Piszę do Ciebie z Krakowa. Myślimy o Tobie każdego dnia.");
        assert_eq!(found.map(|f| f.detected), Some("pl"));
    }

    #[test]
    fn other_scripts_are_undetermined() {
        let found = not_russian("مرحبا، كيف حالك؟ نحن نفكر فيك كل يوم");
        assert_eq!(found.map(|f| f.detected), Some("und"));
    }

    #[test]
    fn foreign_words_are_latin_words_and_cyrillic_abbreviations() {
        let text = "Всё OK, ЗСУ и NATO, СБУ. А XXI век, 2024 год, Я и x.";
        let found: Vec<&str> = foreign_words(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(found, ["OK", "ЗСУ", "NATO", "СБУ"]);
    }

    #[test]
    fn a_letter_in_capitals_has_no_abbreviations() {
        let text = "ПРИВЕТ КАК ДЕЛА";
        assert!(foreign_words(text).is_empty());
    }
}
