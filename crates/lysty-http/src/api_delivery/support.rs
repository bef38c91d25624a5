//! What the delivery handlers share: the answer to a delivery error, ids and scans read
//! from a request, a PDF as a download.

use super::*;

/// The API's answer to a delivery error, with a message in the caller's language.
pub fn delivery_error(error: DeliveryError, lang: &Lang) -> ApiError {
    let unprocessable = |code, id| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, lang, id);
    match error {
        DeliveryError::Forbidden => ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            lang,
            "staff-error-forbidden",
        ),
        DeliveryError::NotFound => ApiError::not_found(lang),
        // The app says "facility" when no facility has the slug given: a record not there.
        DeliveryError::Invalid("facility") => ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_facility",
            lang,
            "error-not-found",
        ),
        DeliveryError::Invalid(field) => ApiError {
            message: format!("{} ({field})", lang.t("staff-error-invalid")),
            ..unprocessable("invalid", "staff-error-invalid")
        },
        DeliveryError::NoAddress => unprocessable("no_address", "delivery-error-no-address"),
        DeliveryError::NoPlacement => unprocessable("no_placement", "delivery-error-no-placement"),
        DeliveryError::ChannelNotUsed => {
            unprocessable("channel_not_used", "delivery-error-channel")
        }
        DeliveryError::NothingToBatch => {
            unprocessable("nothing_to_batch", "delivery-error-nothing")
        }
        DeliveryError::AlreadySent => ApiError::new(
            StatusCode::CONFLICT,
            "already_sent",
            lang,
            "delivery-error-sent-already",
        ),
        DeliveryError::WrongState(state) => ApiError::with_message(
            StatusCode::CONFLICT,
            "wrong_state",
            lang.ts(
                "delivery-error-wrong-state",
                "state",
                &lang.t(format!("state-{}", state.as_str())),
            ),
        ),
        DeliveryError::TooLongForChannel { reference, limit } => ApiError::with_message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_long_for_channel",
            lang.targs(
                "delivery-error-too-long",
                &[
                    ("reference", reference.into()),
                    ("limit", (limit as i64).into()),
                ],
            ),
        ),
        DeliveryError::Rows(rows) => ApiError {
            fields: rows
                .iter()
                .map(|r| crate::error::FieldDetail {
                    field: format!("line {}", r.line),
                    code: "invalid_row".into(),
                    message: r.message.clone(),
                })
                .collect(),
            ..ApiError::with_message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                lang.tn("delivery-error-rows", "count", rows.len() as i64),
            )
        },
        DeliveryError::Pdf(cause) => ApiError::internal(lang, cause),
        DeliveryError::Store(e) => ApiError::internal(lang, e),
    }
}

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
            .map_err(|_| delivery_error(DeliveryError::Invalid("scan_base64"), lang)),
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
