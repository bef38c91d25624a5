//! What the delivery handlers share: ids and scans read from a request, a PDF as a
//! download.

use super::*;

/// A scan sent as base64; its type is checked by content in the app.
pub(super) fn decode_scan(
    encoded: Option<&str>,
    lang: &Lang,
) -> Result<Option<(String, Vec<u8>)>, ApiError> {
    match encoded.map(str::trim) {
        None | Some("") => Ok(None),
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map(|bytes| Some((String::new(), bytes)))
            .map_err(|_| ApiError::failure(lang, DeliveryError::Invalid("scan_base64"))),
    }
}

pub(super) fn batch_id(raw: &str, lang: &Lang) -> Result<BatchId, ApiError> {
    Uuid::parse_str(raw)
        .map(BatchId)
        .map_err(|_| ApiError::not_found(lang))
}

pub(super) fn letter_id(raw: &str, lang: &Lang) -> Result<LetterId, ApiError> {
    Uuid::parse_str(raw)
        .map(LetterId)
        .map_err(|_| ApiError::not_found(lang))
}

/// A PDF served as a download that no cache keeps.
pub fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
