//! What the delivery handlers share: ids and scans read from a request, a PDF as a
//! download.

use super::*;
use lysty_app::delivery::DeliveryField;

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
            .map_err(|_| {
                ApiError::failure(lang, DeliveryError::Invalid(DeliveryField::ScanBase64))
            }),
    }
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
