//! The dispatcher's pages: the delivery desk (batches, outcomes), held letters, the letter
//! bank, replies, and the facility registry with prisoners' placements (which coordinators
//! keep too). Permission checks live in `lysty-app::delivery`; uploads are checked against
//! the role before a byte is read.

use askama::Template;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::delivery::{BatchInput, BatchView, ElectronicLetter, FacilityInput};
use lysty_app::import::RowError;
use lysty_app::{Actor, App, DeliveryError};
use lysty_domain::{Channel, LetterState, Outcome, PrisonerStatus};
use lysty_store::{
    BankEntry, Batch, BatchId, DeliveryLetter, Evidence, Facility, LetterId, Placement, Prisoner,
    PrisonerSummary, Reply, ReplyId, StoredScan,
};
use serde::Deserialize;
use uuid::Uuid;

use super::staff::{Desk, StaffDesk, page_error};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::StaffUser;
use crate::forms::Form;

/// Largest scan of a reply or of delivery evidence, with room for the other fields.
pub const MAX_SCAN_UPLOAD: usize = 10 * 1024 * 1024 + 256 * 1024;
/// Largest outcomes file.
pub const MAX_OUTCOMES_UPLOAD: usize = 2 * 1024 * 1024;

// --- errors ---

/// The status and the message a delivery error shows (beside its form, or as the page).
fn describe(d: &Desk, error: &DeliveryError) -> (StatusCode, String) {
    use lysty_app::Failure;
    let status = crate::error::status_of(error.kind());
    if status.is_server_error() {
        tracing::error!(%status, cause = %error, "a delivery action failed");
    }
    let message = crate::error::render_message(&d.c.lang, d.c.zone, &error.message());
    (status, message)
}

fn delivery_error(d: Desk, error: DeliveryError) -> Response {
    super::staff::refuse(d, error)
}

/// Errors that end the page (no access, nothing there, our fault), as opposed to those
/// shown beside the form that caused them.
fn is_fatal(error: &DeliveryError) -> bool {
    matches!(
        error,
        DeliveryError::Forbidden
            | DeliveryError::NotFound
            | DeliveryError::Store(_)
            | DeliveryError::Pdf(_)
    )
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn parse_batch_id(raw: &str) -> Option<BatchId> {
    Uuid::parse_str(raw.trim()).ok().map(BatchId)
}

fn channel_label(d: &Desk, channel: &str) -> String {
    d.t(format!("dispatch-channel-{channel}"))
}

fn channel_choices(d: &Desk) -> Vec<(&'static str, String)> {
    Channel::ALL
        .iter()
        .map(|c| (c.as_str(), channel_label(d, c.as_str())))
        .collect()
}

/// The first characters of a text, for tables.
fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if text.chars().count() > 120 {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The language of the text the censor reads: the Russian text when there is one.
fn delivery_lang(letter: &DeliveryLetter) -> &str {
    if letter.body_delivery.is_some() {
        "ru"
    } else {
        &letter.language
    }
}

// --- uploads ---

/// The fields of an upload form, read whole (forms here carry one file at most).
#[derive(Default)]
struct Upload {
    fields: Vec<(String, Option<String>, Bytes)>,
}

impl Upload {
    fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    fn checked(&self, name: &str) -> bool {
        !self.text(name).is_empty()
    }

    /// A file field: its declared type (or name) and bytes, when one was chosen.
    fn file(&self, name: &str) -> Option<(String, Vec<u8>)> {
        self.fields
            .iter()
            .find(|(n, _, b)| n == name && !b.is_empty())
            .map(|(_, kind, b)| (kind.clone().unwrap_or_default(), b.to_vec()))
    }
}

/// Reads a multipart form; a broken or too large one becomes its status and message id.
async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, (StatusCode, &'static str)> {
    let failed = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            (StatusCode::PAYLOAD_TOO_LARGE, "dispatch-upload-too-large")
        } else {
            (StatusCode::BAD_REQUEST, "dispatch-upload-malformed")
        }
    };
    let Ok(mut multipart) = multipart else {
        return Err((StatusCode::BAD_REQUEST, "dispatch-upload-malformed"));
    };
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(failed(e.status())),
        };
        let name = field.name().unwrap_or("").to_owned();
        let kind = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| failed(e.status()))?;
        upload.fields.push((name, kind, bytes));
    }
    Ok(upload)
}

fn upload_error(d: Desk, (status, id): (StatusCode, &'static str)) -> Response {
    let message = d.t(id);
    page_error(d, status, message)
}

/// A file served to staff only, shown in the browser, its type as stored (checked by
/// content when it was uploaded).
fn scan_response(scan: StoredScan) -> Response {
    let kind = HeaderValue::from_str(&scan.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = scan.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, kind);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn pdf_response(pdf: Vec<u8>, filename: &str) -> Response {
    super::attachment(pdf, "application/pdf", filename)
}

mod batch;
mod desk;
mod facilities;
mod held;
mod replies;

pub use batch::*;
pub use desk::*;
pub use facilities::*;
pub use held::*;
pub use replies::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use lysty_domain::HoldReason;

    #[test]
    fn every_invalid_field_has_a_message_in_every_language() {
        let mut ids: Vec<String> = lysty_app::delivery::DeliveryField::ALL
            .iter()
            .map(|f| f.message_id().to_owned())
            .collect();
        assert!(ids.iter().all(|id| id != "staff-error-invalid"));
        ids.extend(
            Channel::ALL
                .iter()
                .map(|c| format!("dispatch-channel-{}", c.as_str())),
        );
        ids.extend(
            Outcome::ALL
                .iter()
                .map(|o| format!("dispatch-outcome-{}", o.as_str())),
        );
        ids.extend(
            HoldReason::ALL
                .iter()
                .map(|r| format!("dispatch-hold-{}", r.as_str())),
        );
        for code in ["uk", "en", "crh"] {
            let lang = Lang::from_code(code);
            for id in &ids {
                assert_ne!(&lang.t(id), id, "{code} lacks {id}");
            }
        }
    }

    #[test]
    fn electronic_text_separates_parts_and_letters() {
        let letters = vec![
            ElectronicLetter {
                reference: "L-AAAA-BBBB".into(),
                recipient: "Бекиров Ремзи".into(),
                parts: vec!["(1/2) Здравствуйте!".into(), "(2/2) Держитесь.".into()],
            },
            ElectronicLetter {
                reference: "L-CCCC-DDDD".into(),
                recipient: "Зиза Богдан".into(),
                parts: vec!["Привет".into()],
            },
        ];
        let text = electronic_text(&letters);
        assert!(text.starts_with(
            "L-AAAA-BBBB\nБекиров Ремзи\n\n(1/2) Здравствуйте!\n\n(2/2) Держитесь.\n\n----"
        ));
        assert_eq!(text.matches(&"-".repeat(40)).count(), 2);
        assert!(text.contains("\n\nL-CCCC-DDDD\nЗиза Богдан\n\nПривет\n"));
    }
}
