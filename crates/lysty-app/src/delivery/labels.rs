//! The fixed words printed on pages that go into a prison, in the language the facility's
//! censor reads (`locales-print/`; Russian unless a facility's rules name another).

use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    // Kept apart from the site's languages: Russian is not a language the site speaks.
    static PRINT = {
        locales: "./locales-print",
        fallback_language: "ru",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The fixed texts of a print-ready PDF in `language` (a facility's rule; Russian when
/// there is no folder for it).
pub fn print_labels(language: &str) -> lysty_pdf::Labels {
    let id: LanguageIdentifier = language
        .parse()
        .ok()
        .filter(|l: &LanguageIdentifier| PRINT.locales().any(|known| known == l))
        .unwrap_or_else(|| "ru".parse().unwrap_or_default());
    let text = |key: &str| PRINT.try_lookup(&id, key).unwrap_or_else(|| key.to_owned());
    lysty_pdf::Labels {
        letter_heading: text("print-letter"),
        original_heading: text("print-original"),
        return_address: text("print-return-address"),
        reply_kit_heading: text("print-reply-kit-heading"),
        reply_kit_text: text("print-reply-kit-text"),
        page: text("print-page"),
        reply_address: text("print-reply-address"),
        channel_post: text("print-channel-post"),
        channel_electronic: text("print-channel-electronic"),
        channel_handover: text("print-channel-handover"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_labels_are_russian_whatever_language_is_asked() {
        let labels = print_labels("ru");
        assert_eq!(labels.letter_heading, "Письмо");
        assert_eq!(print_labels("xx").page, "стр.");
        assert!(labels.reply_kit_text.contains("\n\n"), "paragraphs kept");
    }
}
