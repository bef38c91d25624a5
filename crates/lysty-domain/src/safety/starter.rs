//! The lexicon a new installation starts with. Operators extend it; case details are
//! entered per prisoner and never live here.
//!
//! Terms are written in their dictionary form (inflected forms match on their own);
//! abbreviations in capitals match only as written; profanity entries are roots, found at
//! the start of a word or after a prefix ("за-", "mother-"), so roots are chosen that do not
//! begin ordinary words ("хер" would catch "Херсон", "педик" — "педикюр").

use super::lexicon::{Category, LexLang, LexiconEntry};

use Category::{Political as P, Profanity as X, War as W};
use LexLang::{En, Ru, Uk};

const STARTER: &[(&str, LexLang, Category)] = &[
    // War.
    ("война", Ru, W),
    ("війна", Uk, W),
    ("war", En, W),
    ("СВО", Ru, W),
    ("спецоперация", Ru, W),
    ("специальная военная операция", Ru, W),
    ("спецоперація", Uk, W),
    ("военный", Ru, W),
    ("військовий", Uk, W),
    ("military", En, W),
    ("армия", Ru, W),
    ("армія", Uk, W),
    ("army", En, W),
    ("ЗСУ", Uk, W),
    ("ВСУ", Ru, W),
    ("ВСРФ", Ru, W),
    ("фронт", Ru, W),
    ("front line", En, W),
    ("обстрел", Ru, W),
    ("обстріл", Uk, W),
    ("shelling", En, W),
    ("ракета", Ru, W),
    ("missile", En, W),
    ("rocket", En, W),
    ("дрон", Ru, W),
    ("drone", En, W),
    ("беспилотник", Ru, W),
    ("безпілотник", Uk, W),
    ("БПЛА", Ru, W),
    ("мобилизация", Ru, W),
    ("мобілізація", Uk, W),
    ("mobilization", En, W),
    ("mobilisation", En, W),
    ("солдат", Ru, W),
    ("soldier", En, W),
    ("окоп", Ru, W),
    ("взрыв", Ru, W),
    ("вибух", Uk, W),
    ("explosion", En, W),
    ("бомба", Ru, W),
    ("bomb", En, W),
    ("артиллерия", Ru, W),
    ("артилерія", Uk, W),
    ("artillery", En, W),
    ("оружие", Ru, W),
    ("зброя", Uk, W),
    ("weapon", En, W),
    ("наступление", Ru, W),
    ("контрнаступление", Ru, W),
    ("контрнаступ", Uk, W),
    ("counteroffensive", En, W),
    ("вторжение", Ru, W),
    ("вторгнення", Uk, W),
    ("invasion", En, W),
    ("HIMARS", En, W),
    ("Байрактар", Ru, W),
    ("Азовсталь", Ru, W),
    ("ПВО", Ru, W),
    ("ППО", Uk, W),
    // Politics.
    ("Путин", Ru, P),
    ("Путін", Uk, P),
    ("Putin", En, P),
    ("путлер", Ru, P),
    ("Зеленский", Ru, P),
    ("Зеленський", Uk, P),
    ("Zelensky", En, P),
    ("Zelenskyy", En, P),
    ("Навальный", Ru, P),
    ("Навальний", Uk, P),
    ("Navalny", En, P),
    ("Украина", Ru, P),
    ("Україна", Uk, P),
    ("Ukraine", En, P),
    ("Слава Україні", Uk, P),
    ("Героям слава", Uk, P),
    ("Glory to Ukraine", En, P),
    ("оккупация", Ru, P),
    ("окупація", Uk, P),
    ("occupation", En, P),
    ("оккупант", Ru, P),
    ("окупант", Uk, P),
    ("аннексия", Ru, P),
    ("анексія", Uk, P),
    ("annexation", En, P),
    ("агрессор", Ru, P),
    ("агресор", Uk, P),
    ("санкции", Ru, P),
    ("санкції", Uk, P),
    ("sanctions", En, P),
    ("протест", Ru, P),
    ("protest", En, P),
    ("митинг", Ru, P),
    ("мітинг", Uk, P),
    ("оппозиция", Ru, P),
    ("опозиція", Uk, P),
    ("opposition", En, P),
    ("Кремль", Ru, P),
    ("Kremlin", En, P),
    ("режим", Ru, P),
    ("regime", En, P),
    ("диктатор", Ru, P),
    ("dictator", En, P),
    ("пропаганда", Ru, P),
    ("propaganda", En, P),
    ("президент", Ru, P),
    ("president", En, P),
    ("референдум", Ru, P),
    ("Крымский мост", Ru, P),
    ("Кримський міст", Uk, P),
    ("Crimean bridge", En, P),
    ("ФСБ", Ru, P),
    ("СБУ", Uk, P),
    ("НАТО", Ru, P),
    ("NATO", En, P),
    ("Меджлис", Ru, P),
    ("Mejlis", En, P),
    ("Хизб ут-Тахрир", Ru, P),
    ("Крымская солидарность", Ru, P),
    ("Кримська солідарність", Uk, P),
    ("политзаключенный", Ru, P),
    ("політв'язень", Uk, P),
    ("політв'язні", Uk, P),
    ("political prisoner", En, P),
    ("экстремизм", Ru, P),
    ("терроризм", Ru, P),
    ("рашист", Ru, P),
    ("кацап", Ru, P),
    ("москаль", Ru, P),
    ("Бандера", Ru, P),
    // Profanity: roots.
    ("хуй", Ru, X),
    ("хуе", Ru, X),
    ("хуя", Ru, X),
    ("хуи", Ru, X),
    ("хую", Ru, X),
    ("пизд", Ru, X),
    ("пезд", Ru, X),
    ("еба", Ru, X),
    ("ебе", Ru, X),
    ("ебл", Ru, X),
    ("ебн", Ru, X),
    ("ебо", Ru, X),
    ("ебу", Ru, X),
    ("ебы", Ru, X),
    ("йоб", Uk, X),
    ("бля", Ru, X),
    ("сука", Ru, X),
    ("суки", Ru, X),
    ("суку", Ru, X),
    ("сучк", Ru, X),
    ("мудак", Ru, X),
    ("мудил", Ru, X),
    ("пидор", Ru, X),
    ("пидар", Ru, X),
    ("гандон", Ru, X),
    ("гондон", Ru, X),
    ("залуп", Ru, X),
    ("шлюх", Ru, X),
    ("говн", Ru, X),
    ("гівн", Uk, X),
    ("дерьм", Ru, X),
    ("жоп", Ru, X),
    ("срак", Uk, X),
    ("херн", Ru, X),
    ("долбоеб", Ru, X),
    ("ублюд", Ru, X),
    ("мраз", Ru, X),
    ("курв", Uk, X),
    ("fuck", En, X),
    ("shit", En, X),
    ("bitch", En, X),
    ("cunt", En, X),
    ("asshole", En, X),
    ("dickhead", En, X),
    ("bastard", En, X),
    ("whore", En, X),
    ("slut", En, X),
    ("wanker", En, X),
    ("bollocks", En, X),
];

/// A seeded starter list in Russian, Ukrainian and English: war, politics and profanity.
pub fn starter_lexicon() -> Vec<LexiconEntry> {
    STARTER
        .iter()
        .map(|&(term, language, category)| LexiconEntry::new(term, language, category))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::lexicon::Lexicon;

    #[test]
    fn the_starter_list_is_sized_and_unique() {
        let entries = starter_lexicon();
        assert!((60..=200).contains(&entries.len()), "{}", entries.len());
        let mut terms: Vec<&str> = entries.iter().map(|e| e.term.as_str()).collect();
        terms.sort_unstable();
        let before = terms.len();
        terms.dedup();
        assert_eq!(before, terms.len());
        for category in [P, W, X] {
            for language in [Ru, Uk, En] {
                assert!(
                    entries
                        .iter()
                        .any(|e| e.category == category && e.language == language),
                    "{category:?} {language:?}"
                );
            }
        }
        assert_eq!(Lexicon::new(entries).entries().len(), before);
    }

    #[test]
    fn every_language_is_marked_by_its_letters() {
        for (term, language, _) in STARTER {
            let guessed = LexLang::guess(term);
            // Ukrainian terms without і, ї, є, ґ read as Russian, and that is fine.
            if *language != Uk || guessed != Ru {
                assert_eq!(guessed, *language, "{term}");
            }
        }
    }
}
