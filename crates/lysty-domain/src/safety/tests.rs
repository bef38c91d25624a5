//! Tests of `check`, `fingerprint` and `highlight` as a moderator's page uses them, and of
//! the Fluent messages that explain the flags.

use std::sync::LazyLock;

use proptest::prelude::*;

use super::*;

static STARTER: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(starter_lexicon()));

const KIND_LETTER: &str = "Здравствуйте, Ремзи! Пишу вам из Харькова. У нас наконец \
    потеплело, в парке распустились каштаны, и мы с детьми каждый вечер гуляем у реки. \
    Дочка пошла в первый класс и уже читает по слогам. Надеюсь, вы здоровы и у вас есть \
    книги. Мы вас помним и ждём. Обнимаю!";

fn flags(text: &str) -> Vec<Flag> {
    check(text, &SafetyContext::new(&STARTER))
}

fn flag(text: &str, kind: FlagKind) -> Option<Flag> {
    flags(text).into_iter().find(|f| f.kind == kind)
}

fn pieces(text: &str, flag: &Flag) -> Vec<String> {
    flag.spans
        .iter()
        .map(|s| text[s.start..s.end].to_owned())
        .collect()
}

#[test]
fn a_kind_russian_letter_raises_nothing() {
    assert_eq!(flags(KIND_LETTER), []);
}

#[test]
fn kinds_round_trip_and_name_their_messages() {
    for kind in FlagKind::ALL {
        assert_eq!(kind.as_str().parse::<FlagKind>(), Ok(kind));
        assert_eq!(
            kind.message_id(),
            format!("flag-{}", kind.as_str().replace('_', "-"))
        );
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
    }
    assert_eq!("nope".parse::<FlagKind>(), Err(ParseError::Invalid));
    for category in Category::ALL {
        assert_eq!(
            category.message_id(),
            format!("lexicon-category-{}", category.as_str().replace('_', "-"))
        );
    }
}

#[test]
fn flags_serialise_for_storage() {
    let text = "Война, Путин и ЗСУ. Пиши на ivan@mail.ru";
    for flag in flags(text) {
        let json = serde_json::to_string(&flag).unwrap();
        assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), flag);
    }
    let json = serde_json::to_value(FlagDetail::Length { actual: 10, max: 5 }).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "length", "value": {"actual": 10, "max": 5}})
    );
}

#[test]
fn war_and_politics_are_flagged_with_their_terms_and_places() {
    let text = "Говорят, из-за войны и мобилизации всё дорожает. Путину и Зеленскому не до нас.";
    let war = flag(text, FlagKind::War).unwrap();
    assert_eq!(
        war.detail,
        FlagDetail::Terms(vec!["война".into(), "мобилизация".into()])
    );
    assert_eq!(pieces(text, &war), ["войны", "мобилизации"]);
    let political = flag(text, FlagKind::Political).unwrap();
    assert_eq!(pieces(text, &political), ["Путину", "Зеленскому"]);
}

#[test]
fn everyday_words_are_harmless_near_their_cues_but_the_war_never_is() {
    // "Победа" in a sentence about a match is sport; "война" is flagged whatever is near.
    let sport = "Вчера наши выиграли матч, вот это победа!";
    assert_eq!(flag(sport, FlagKind::War), None);
    let mixed = "У нас весна, но снова война и тревоги, цветут каштаны.";
    assert_eq!(
        pieces(mixed, &flag(mixed, FlagKind::War).unwrap()),
        ["война"]
    );
    // A harmless phrase covers its words: the weeds are at war, not the country.
    assert_eq!(
        flag("Объявила войну сорнякам на огороде.", FlagKind::War),
        None
    );
    // The same weak word with no cue in its sentence is flagged.
    let bare = "Скоро будет победа. Обнимаю.";
    assert!(flag(bare, FlagKind::War).is_some());
}

#[test]
fn ukrainian_terms_match_too() {
    let text = "Слава Україні! Війна скоро скінчиться.";
    let political = flag(text, FlagKind::Political).unwrap();
    assert_eq!(pieces(text, &political), ["Слава Україні"]);
    assert_eq!(pieces(text, &flag(text, FlagKind::War).unwrap()), ["Війна"]);
}

#[test]
fn multi_word_terms_are_one_span() {
    let text = "Ездили по Крымскому мосту летом.";
    let political = flag(text, FlagKind::Political).unwrap();
    assert_eq!(pieces(text, &political), ["Крымскому мосту"]);
    assert_eq!(
        political.detail,
        FlagDetail::Terms(vec!["Крымский мост".into()])
    );
}

#[test]
fn disguises_are_seen_through_and_marked_in_the_original() {
    for (text, piece) in [
        ("У нас говорят про вoйну.", "вoйну"),
        ("У нас говорят про BOЙHY.", "BOЙHY"),
        ("У нас говорят про в о й н у.", "в о й н у"),
        ("У нас говорят про в.о.й.н.у.", "в.о.й.н.у"),
        ("У нас говорят про в-о-й-н-у.", "в-о-й-н-у"),
        ("У нас говорят про в_о_й_н_у.", "в_о_й_н_у"),
        ("У нас говорят про во\u{200D}йну.", "во\u{200D}йну"),
        (
            "У нас говорят про во\u{2060}й\u{200C}ну.",
            "во\u{2060}й\u{200C}ну",
        ),
        ("У нас говорят про ВОЙНУ.", "ВОЙНУ"),
    ] {
        let war = flag(text, FlagKind::War).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(pieces(text, &war), [piece], "{text}");
    }
    let text = "Передай привет Путuну.";
    assert_eq!(
        pieces(text, &flag(text, FlagKind::Political).unwrap()),
        ["Путuну"]
    );
}

#[test]
fn english_terms_match_english_forms() {
    let text = "The wars and the drones, protests against the sanctions.";
    assert_eq!(
        pieces(text, &flag(text, FlagKind::War).unwrap()),
        ["wars", "drones"]
    );
    assert_eq!(
        pieces(text, &flag(text, FlagKind::Political).unwrap()),
        ["protests against", "sanctions"]
    );
}

#[test]
fn profanity_is_its_own_flag() {
    let text = "Эти бюрократы, бля, совсем заебали. What the fuck.";
    let found = flag(text, FlagKind::Profanity).unwrap();
    assert_eq!(pieces(text, &found), ["бля", "заебали", "fuck"]);
    assert_eq!(flag(KIND_LETTER, FlagKind::Profanity), None);
    assert_eq!(
        flag(
            "Два рубля за хлеб, себя береги, учебу не бросай, в Херсоне тепло.",
            FlagKind::Profanity
        ),
        None
    );
}

#[test]
fn case_terms_are_flagged_as_case_details() {
    let case_terms = vec![
        "Бекиров".to_owned(),
        "Хизб ут-Тахрир".to_owned(),
        "205.5".to_owned(),
    ];
    let ctx = SafetyContext {
        case_terms: &case_terms,
        ..SafetyContext::new(&STARTER)
    };
    let text = "Видел Бекирова, он передаёт привет. Статья 205.5 — это ужасно.";
    let found = check(text, &ctx);
    let case = found
        .iter()
        .find(|f| f.kind == FlagKind::CaseDetails)
        .unwrap();
    // The article is found by its shape too, so the whole "Статья 205.5" is marked.
    assert_eq!(pieces(text, case), ["Бекирова", "Статья 205.5"]);
    assert_eq!(
        case.detail,
        FlagDetail::Terms(vec![
            "Бекиров".into(),
            "Статья 205.5".into(),
            "205.5".into()
        ])
    );
    // Without the prisoner's case terms the name is an ordinary word; the article is not.
    let without = flag(text, FlagKind::CaseDetails).unwrap();
    assert_eq!(pieces(text, &without), ["Статья 205.5"]);
}

#[test]
fn contacts_are_flagged_by_kind() {
    let text = "Мой телеграм t.me/ivanko, почта ivan@mail.ru, звони +7 (978) 123-45-67. Встреча 12.05.2024 в 2025 году.";
    assert_eq!(
        pieces(text, &flag(text, FlagKind::Link).unwrap()),
        ["t.me/ivanko"]
    );
    assert_eq!(
        pieces(text, &flag(text, FlagKind::Email).unwrap()),
        ["ivan@mail.ru"]
    );
    assert_eq!(
        pieces(text, &flag(text, FlagKind::Phone).unwrap()),
        ["+7 (978) 123-45-67"]
    );
    assert_eq!(
        flag("Встреча 12.05.2024, а в 2025 году снова.", FlagKind::Phone),
        None
    );
}

#[test]
fn the_words_of_an_address_are_not_foreign_words() {
    let text = "Пиши на ivan@mail.ru или заходи на example.com, там всё OK.";
    let found = flag(text, FlagKind::ForeignWords).unwrap();
    assert_eq!(pieces(text, &found), ["OK"]);
}

#[test]
fn digits_in_a_link_are_not_a_phone() {
    let text = "Смотри https://example.com/photo/12345678";
    assert!(flag(text, FlagKind::Link).is_some());
    assert_eq!(flag(text, FlagKind::Phone), None);
}

#[test]
fn a_ukrainian_letter_is_not_russian() {
    let text = "Доброго дня! Пишу вам зі Львова. У нас уже весна, цвітуть абрикоси, і \
        діти цілими днями граються на подвір'ї. Ми про вас пам'ятаємо.";
    let found = flag(text, FlagKind::NotRussian).unwrap();
    match found.detail {
        FlagDetail::Language {
            detected,
            confidence,
        } => {
            assert_eq!(detected, "uk");
            assert!(confidence > 0.5);
        }
        other => panic!("{other:?}"),
    }
    assert!(found.spans.is_empty());
    assert_eq!(flag(text, FlagKind::ForeignWords), None);
}

#[test]
fn an_english_letter_is_not_russian() {
    let text = "Dear friend, we think of you every day and wait for you at home.";
    let found = flag(text, FlagKind::NotRussian).unwrap();
    assert!(matches!(found.detail, FlagDetail::Language { ref detected, .. } if detected == "en"));
}

#[test]
fn foreign_words_in_a_russian_letter() {
    let text = "У нас всё OK, читаю Harry Potter в оригинале. Про СБУ не слышал. XXI век, 5 лет.";
    let found = flag(text, FlagKind::ForeignWords).unwrap();
    assert_eq!(pieces(text, &found), ["OK", "Harry", "Potter", "СБУ"]);
    assert_eq!(
        found.detail,
        FlagDetail::Words(vec![
            "OK".into(),
            "Harry".into(),
            "Potter".into(),
            "СБУ".into()
        ])
    );
}

#[test]
fn length_and_repeats_come_from_the_context() {
    let ctx = SafetyContext {
        max_chars: Some(10),
        same_text_count: 3,
        ..SafetyContext::new(&STARTER)
    };
    let found = check("Привет, как дела?", &ctx);
    assert_eq!(
        found,
        [
            Flag {
                kind: FlagKind::TooLong,
                spans: vec![],
                detail: FlagDetail::Length {
                    actual: 17,
                    max: 10
                },
                text: FlagText::Original,
            },
            Flag {
                kind: FlagKind::Repeated,
                spans: vec![],
                detail: FlagDetail::Repeats { count: 3 },
                text: FlagText::Original,
            },
        ]
    );
    let ctx = SafetyContext {
        max_chars: Some(17),
        same_text_count: 2,
        ..SafetyContext::new(&STARTER)
    };
    assert_eq!(check("Привет, как дела?", &ctx), []);
}

#[test]
fn flags_come_in_kind_order() {
    let text = "Hello! War, Putin, fuck, www.example.com";
    let kinds: Vec<FlagKind> = flags(text).iter().map(|f| f.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| k.order());
    assert_eq!(kinds, sorted);
    assert_eq!(kinds.first(), Some(&FlagKind::NotRussian));
}

#[test]
fn fingerprints_ignore_trivial_variations() {
    let base = fingerprint("Держитесь! Мы с вами, ждём вас дома.");
    for variant in [
        "держитесь мы с вами ждём вас дома",
        "ДЕРЖИТЕСЬ!!!   Мы с вами,\nждём вас дома...",
        "Держитесь! Мы с вaми, ждём вас дoма.",
        "Держитесь! Мы с ва\u{200B}ми, ждем вас дома.",
    ] {
        assert_eq!(fingerprint(variant), base, "{variant}");
    }
    assert_ne!(fingerprint("Держитесь! Мы с вами."), base);
    assert_eq!(base.len(), 64);
    assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn highlight_splits_the_text_into_marked_runs() {
    let text = "Нет войне, да миру";
    let war = flag(text, FlagKind::War).unwrap();
    assert_eq!(
        highlight(text, &war.spans),
        [
            ("Нет ".to_owned(), false),
            ("войне".to_owned(), true),
            (", да миру".to_owned(), false)
        ]
    );
    assert_eq!(highlight(text, &[]), [(text.to_owned(), false)]);
    assert_eq!(highlight("", &[Span::new(0, 3)]), []);
    // Off a char boundary, reversed, or past the end: ignored.
    assert_eq!(
        highlight("ая", &[Span::new(1, 2), Span::new(2, 1), Span::new(0, 9)]),
        [("ая".to_owned(), false)]
    );
    assert_eq!(
        highlight(
            "abcdef",
            &[Span::new(3, 5), Span::new(0, 2), Span::new(1, 4)]
        ),
        [("abcde".to_owned(), true), ("f".to_owned(), false)]
    );
}

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec![
            'в', 'о', 'й', 'н', 'а', 'o', 'a', 'B', 'H', 'и', 'й', 'і', 'ї', ' ', '.', '-', '_',
            '\u{200B}', '\u{00AD}', '\u{0306}', '\u{0301}', '\'', '’', '+', '7', '0', '(', ')',
            '@', '\n', 'İ', 'ß', 'ﬁ', 'Ⅻ', '¼', 'Ｗ', '𝐰', 'Σ', 'ς',
        ]),
        1 => any::<char>(),
    ]
}

fn well_formed(text: &str, flags: &[Flag]) -> Result<(), TestCaseError> {
    for flag in flags {
        let mut previous_end = 0;
        for span in &flag.spans {
            prop_assert!(span.start < span.end, "{flag:?}");
            prop_assert!(span.end <= text.len(), "{flag:?}");
            prop_assert!(text.is_char_boundary(span.start), "{flag:?}");
            prop_assert!(text.is_char_boundary(span.end), "{flag:?}");
            prop_assert!(span.start >= previous_end, "sorted, apart: {flag:?}");
            previous_end = span.end;
        }
    }
    let kinds: Vec<FlagKind> = flags.iter().map(|f| f.kind).collect();
    let mut unique = kinds.clone();
    unique.dedup();
    prop_assert_eq!(kinds, unique);
    Ok(())
}

proptest! {
    #[test]
    fn check_takes_any_text(text in any::<String>()) {
        let case_terms = vec![text.chars().take(5).collect::<String>()];
        let ctx = SafetyContext { case_terms: &case_terms, max_chars: Some(50), ..SafetyContext::new(&STARTER) };
        let found = check(&text, &ctx);
        well_formed(&text, &found)?;
    }

    #[test]
    fn check_takes_tricky_text(chars in prop::collection::vec(tricky_char(), 0..300)) {
        let text: String = chars.into_iter().collect();
        let found = check(&text, &SafetyContext::new(&STARTER));
        well_formed(&text, &found)?;
        for flag in &found {
            if let FlagDetail::Language { confidence, .. } = flag.detail {
                prop_assert!((0.0..=1.0).contains(&confidence));
            }
        }
    }

    #[test]
    fn highlight_gives_back_the_text(
        text in any::<String>(),
        spans in prop::collection::vec((0usize..400, 0usize..400), 0..8),
    ) {
        let spans: Vec<Span> = spans.into_iter().map(|(a, b)| Span::new(a, b)).collect();
        let pieces = highlight(&text, &spans);
        let joined: String = pieces.iter().map(|(p, _)| p.as_str()).collect();
        prop_assert_eq!(joined, text);
        prop_assert!(pieces.iter().all(|(p, _)| !p.is_empty()));
        prop_assert!(pieces.windows(2).all(|w| w[0].1 != w[1].1));
    }

    #[test]
    fn a_fingerprint_survives_case_spacing_and_invisible_characters(
        words in prop::collection::vec("[а-яa-z0-9]{1,8}", 1..10),
    ) {
        let plain = words.join(" ");
        let varied = words
            .iter()
            .map(|w| {
                let mut w = w.to_uppercase();
                w.insert(0, '\u{200B}');
                w
            })
            .collect::<Vec<_>>()
            .join(" ,  ");
        prop_assert_eq!(fingerprint(&plain), fingerprint(&varied));
    }
}

mod messages {
    //! The Fluent messages for flags live in the web crate; both languages must have the
    //! same messages, and every flag, category and language must have one.

    use std::collections::BTreeSet;

    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
    use fluent_syntax::ast::Entry;

    use super::super::{Category, DETECTED_LANGUAGES, FlagKind};

    const UK: &str = include_str!("../../../lysty-text/locales/uk/flags.ftl");
    const EN: &str = include_str!("../../../lysty-text/locales/en/flags.ftl");

    fn ids(source: &str) -> BTreeSet<String> {
        let resource = fluent_syntax::parser::parse(source).unwrap();
        resource
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    fn expected() -> BTreeSet<String> {
        FlagKind::ALL
            .iter()
            .map(|k| k.message_id().to_owned())
            .chain(Category::ALL.iter().map(|c| c.message_id().to_owned()))
            .chain(
                DETECTED_LANGUAGES
                    .iter()
                    .map(|l| format!("flag-language-{l}")),
            )
            .chain(
                FlagKind::ALL
                    .iter()
                    .filter(|k| k.is_about_content())
                    .map(|k| format!("flag-name-{}", k.as_str().replace('_', "-"))),
            )
            .collect()
    }

    #[test]
    fn both_languages_have_exactly_the_expected_messages() {
        assert_eq!(ids(UK), expected());
        assert_eq!(ids(EN), expected());
    }

    fn render(lang: &str, source: &str, id: &str, args: &FluentArgs) -> String {
        let resource = FluentResource::try_new(source.to_owned()).unwrap();
        let mut bundle = FluentBundle::new(vec![
            lang.parse::<unic_langid::LanguageIdentifier>().unwrap(),
        ]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).unwrap();
        let pattern = bundle.get_message(id).unwrap().value().unwrap();
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
        text.into_owned()
    }

    fn args(count: i64) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        args.set("language", FluentValue::from("українська"));
        args.set("terms", FluentValue::from("війна, Путін"));
        args.set("actual", FluentValue::from(count + 100));
        args.set("max", FluentValue::from(100));
        args.set("count", FluentValue::from(count));
        args
    }

    #[test]
    fn every_message_renders_with_its_variables() {
        for (lang, source) in [("uk", UK), ("en", EN)] {
            for id in expected() {
                for count in [1, 3, 5, 21] {
                    let text = render(lang, source, &id, &args(count));
                    assert!(!text.trim().is_empty(), "{lang} {id}");
                }
            }
        }
    }

    #[test]
    fn repeats_use_plural_forms() {
        let uk: Vec<String> = [1, 3, 5, 21]
            .iter()
            .map(|&n| render("uk", UK, "flag-repeated", &args(n)))
            .collect();
        assert!(uk[0].contains("1 інший лист"), "{}", uk[0]);
        assert!(uk[1].contains("3 інші листи"), "{}", uk[1]);
        assert!(uk[2].contains("5 інших листів"), "{}", uk[2]);
        assert!(uk[3].contains("21 інший лист"), "{}", uk[3]);
        let en = render("en", EN, "flag-repeated", &args(1));
        assert!(en.contains("1 other letter "), "{en}");
        let en = render("en", EN, "flag-repeated", &args(5));
        assert!(en.contains("5 other letters"), "{en}");
    }
}
