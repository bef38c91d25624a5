//! Every user-facing string comes from the Fluent files in `locales/`, one folder per
//! language. Ukrainian is the default; adding a language is adding a folder. The web layer
//! chooses the reader's language (`lysty_http::i18n::negotiate`); everything here only speaks it.

use std::borrow::{Borrow, Cow};
use std::collections::{BTreeSet, HashMap};
use std::sync::{LazyLock, Mutex};

use chrono::{DateTime, Datelike, Utc};
use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "uk",
        // Unicode isolation marks would show up as stray characters in form values.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const DEFAULT: &str = "uk";

/// The languages the site speaks, the default first.
/// Messages asked for that could not be completed — missing, or asked for without an
/// argument they need — so that the test suites can fail on a page that showed an id
/// where a sentence belonged.
static UNCOMPLETED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// What `UNCOMPLETED` holds: `lang: id` pairs, for tests.
pub fn uncompleted_messages() -> Vec<String> {
    UNCOMPLETED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .cloned()
        .collect()
}

pub static SUPPORTED: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut codes: Vec<String> = LOCALES.locales().map(|l| l.to_string()).collect();
    codes.sort_by_key(|c| (c != DEFAULT, c.clone()));
    codes
});

/// The reader's language (for a request, chosen by the web layer's negotiation).
#[derive(Debug, Clone)]
pub struct Lang {
    id: LanguageIdentifier,
    code: String,
}

impl Lang {
    pub fn from_code(code: &str) -> Self {
        let code = if SUPPORTED.iter().any(|c| c == code) {
            code
        } else {
            DEFAULT
        };
        Lang {
            id: code.parse().unwrap_or_default(),
            code: code.to_owned(),
        }
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, or its id (and a warning in the log) if a file lacks it.
    pub fn t(&self, id: impl AsRef<str>) -> String {
        self.lookup(id.as_ref(), None)
    }

    /// A message with a number argument: plurals are chosen by the language's rules.
    pub fn tn(&self, id: &str, name: &'static str, value: impl Borrow<i64>) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), FluentValue::from(*value.borrow()))]);
        self.lookup(id, Some(&args))
    }

    /// A message with a text argument.
    pub fn ts(&self, id: &str, name: &'static str, value: &str) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_owned()))]);
        self.lookup(id, Some(&args))
    }

    /// A message with arguments given as pairs.
    pub fn targs(&self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<_, _> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        self.lookup(id, Some(&args))
    }

    fn lookup(
        &self,
        id: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue<'_>>>,
    ) -> String {
        match LOCALES.try_lookup_complete(&self.id, id, args) {
            Some(text) => text,
            None => {
                tracing::warn!(message = id, lang = %self.code, "missing message");
                UNCOMPLETED
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(format!("{}: {id}", self.code));
                id.to_owned()
            }
        }
    }

    /// A whole number grouped the way the language writes it: `1 800` or `1,800`.
    pub fn num(&self, value: impl Borrow<i64>) -> String {
        let value = *value.borrow();
        // English groups from four digits ("1,800"); Ukrainian from five ("1800", "12 345").
        let (separator, min_len) = if self.code == "en" {
            (',', 4)
        } else {
            ('\u{a0}', 5)
        };
        let digits = value.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if value < 0 {
            out.push('-');
        }
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() >= min_len {
                out.push(separator);
            }
            out.push(ch);
        }
        out
    }

    /// A date as people write it in this language: "20 листопада 2024".
    pub fn date(&self, at: &DateTime<Utc>) -> String {
        let month = self.t(format!("month-{}", at.month()));
        self.targs(
            "date-format",
            &[
                ("day", FluentValue::from(at.day())),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(at.year().to_string())),
            ],
        )
    }

    /// A day of the year without the year: "10 грудня".
    pub fn day(&self, day: &chrono::NaiveDate) -> String {
        let month = self.t(format!("month-{}", day.month()));
        self.targs(
            "day-format",
            &[
                ("day", FluentValue::from(day.day())),
                ("month", FluentValue::from(month)),
            ],
        )
    }

    /// "2024-11" as "Листопад 2024".
    pub fn month_key(&self, key: &str) -> String {
        match key.split_once('-') {
            Some((year, month)) => match month.parse::<u32>() {
                Ok(m) => format!("{} {year}", self.t(format!("month-name-{m}"))),
                Err(_) => key.to_owned(),
            },
            None => key.to_owned(),
        }
    }

    /// The languages to offer in the switcher: (code, own name, is current).
    pub fn choices(&self) -> Vec<(String, String, bool)> {
        SUPPORTED
            .iter()
            .map(|code| {
                let name = Lang::from_code(code).t("language-name");
                (code.clone(), name, *code == self.code)
            })
            .collect()
    }
}

/// In a handler's arguments, the language the negotiation chose (Ukrainian when none ran).
#[cfg(feature = "axum")]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Lang>()
            .cloned()
            .unwrap_or_else(|| Lang::from_code(DEFAULT)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_plurals_have_one_few_and_many() {
        let uk = Lang::from_code("uk");
        assert_eq!(uk.tn("prisoners-letters", "count", 1), "1 лист");
        assert_eq!(uk.tn("prisoners-letters", "count", 3), "3 листи");
        assert_eq!(uk.tn("prisoners-letters", "count", 5), "5 листів");
        assert_eq!(uk.tn("prisoners-letters", "count", 11), "11 листів");
        assert_eq!(uk.tn("prisoners-letters", "count", 21), "21 лист");
        assert_eq!(uk.tn("prisoners-letters", "count", 22), "22 листи");
        assert_eq!(uk.tn("prisoners-letters", "count", 0), "0 листів");
    }

    #[test]
    fn english_plurals_have_one_and_other() {
        let en = Lang::from_code("en");
        assert_eq!(en.tn("prisoners-letters", "count", 1), "1 letter");
        assert_eq!(en.tn("prisoners-letters", "count", 2), "2 letters");
        assert_eq!(en.tn("prisoners-letters", "count", 0), "0 letters");
    }

    #[test]
    fn crimean_tatar_does_not_inflect_after_numbers() {
        let crh = Lang::from_code("crh");
        assert_eq!(crh.code(), "crh");
        for n in [0, 1, 2, 5, 21] {
            assert_eq!(
                crh.tn("prisoners-letters", "count", n),
                format!("{n} mektüp")
            );
        }
        let at = DateTime::parse_from_rfc3339("2024-11-20T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(crh.date(&at), "20 noyabr 2024");
        assert!(
            crh.choices()
                .iter()
                .any(|(code, name, _)| code == "crh" && name == "Qırımtatarca")
        );
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(Lang::from_code("en").num(1_800), "1,800");
        assert_eq!(Lang::from_code("uk").num(1_800), "1800");
        assert_eq!(Lang::from_code("en").num(5_600_000), "5,600,000");
        assert_eq!(Lang::from_code("uk").num(12_345), "12\u{a0}345");
        assert_eq!(Lang::from_code("uk").num(-42), "-42");
    }

    #[test]
    fn dates_use_the_language_month_names() {
        let at = DateTime::parse_from_rfc3339("2024-11-20T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Lang::from_code("uk").date(&at), "20 листопада 2024");
        assert_eq!(Lang::from_code("en").date(&at), "20 November 2024");
    }

    #[test]
    fn an_unknown_language_falls_back_to_ukrainian() {
        assert_eq!(Lang::from_code("de").code(), "uk");
        assert_eq!(SUPPORTED.first().map(String::as_str), Some("uk"));
    }

    #[test]
    fn a_missing_message_shows_its_id_instead_of_failing() {
        assert_eq!(
            Lang::from_code("en").t("no-such-message"),
            "no-such-message"
        );
    }
}

/// The emails to writers, from the message files, in the writer's language.
pub struct MailTexts;

impl lysty_app::MailText for MailTexts {
    fn reply_email(
        &self,
        language: &str,
        prisoner_name: &str,
        letter_url: &str,
    ) -> (String, String) {
        let lang = Lang::from_code(language);
        let args = [
            ("name", FluentValue::from(prisoner_name.to_owned())),
            ("url", FluentValue::from(letter_url.to_owned())),
        ];
        (
            lang.targs("email-reply-subject", &args),
            lang.targs("email-reply-body", &args),
        )
    }

    fn staff_notice(&self, kind: &str, sign_in_url: &str) -> (String, String) {
        let (subject, body) = match kind {
            lysty_app::staff::NOTICE_SECOND_FACTOR_REPLACED => (
                "email-second-factor-replaced-subject",
                "email-second-factor-replaced-body",
            ),
            lysty_app::staff::NOTICE_PASSWORD_RESET => {
                ("email-password-reset-subject", "email-password-reset-body")
            }
            _ => ("email-account-notice-subject", "email-account-notice-body"),
        };
        let args = [("url", FluentValue::from(sign_in_url.to_owned()))];
        let langs: Vec<Lang> = SUPPORTED.iter().map(|c| Lang::from_code(c)).collect();
        let subject = langs
            .iter()
            .map(|l| l.t(subject))
            .collect::<Vec<_>>()
            .join(" / ");
        let body = langs
            .iter()
            .map(|l| l.targs(body, &args))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        (subject, body)
    }
}

#[cfg(test)]
mod print_tests {
    use super::*;

    #[test]
    fn a_reply_email_is_in_the_writers_language() {
        use lysty_app::MailText;
        let (subject, body) = MailTexts.reply_email("en", "Nariman", "https://x/letters/A");
        assert_eq!(subject, "Nariman has replied to letters");
        assert!(body.contains("https://x/letters/A"));
        let (subject, _) = MailTexts.reply_email("uk", "Наріман", "u");
        assert!(subject.starts_with("Наріман"));
        let (subject, _) = MailTexts.reply_email("crh", "Nariman", "u");
        assert!(subject.contains("cevap"));
    }

    #[test]
    fn a_replaced_second_factor_is_told_in_every_language() {
        use lysty_app::MailText;
        let (subject, body) = MailTexts.staff_notice(
            lysty_app::staff::NOTICE_SECOND_FACTOR_REPLACED,
            "https://x/staff",
        );
        assert!(subject.contains("Second factor replaced"), "{subject}");
        assert!(subject.contains("Другий фактор замінено"), "{subject}");
        assert_eq!(body.matches("https://x/staff").count(), SUPPORTED.len());
    }
}
