//! The text layer: everything Lysty says in words, apart from the web server so that the
//! command line and the app use it without the web crate.
//!
//! - [`i18n`] — the Fluent messages (`locales/`), [`i18n::Lang`] with plurals, numbers and
//!   dates, and [`i18n::MailTexts`], the emails to writers and staff.
//! - [`report`] — the annual report laid out in the reader's language and written as
//!   Markdown, HTML, PDF or JSON.

pub mod i18n;
pub mod report;
