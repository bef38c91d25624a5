//! The export page: letters or statistics as a CSV or JSON download, for admins and
//! coordinators; with the writers' personal data only for an admin who ticks the box.
//! Permission checks and the audit log live in `lysty-app::export`; the file is streamed
//! a page of letters at a time.

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lysty_app::export::{
    Export, ExportError, ExportFormat, ExportRequest, ExportWhat, LETTER_COLUMNS, PERSONAL_COLUMNS,
    may_export,
};

use super::staff::{Desk, StaffDesk, page_error};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::StaffUser;
use crate::forms::{Form, FormBody};

#[derive(Template)]
#[template(path = "staff/export.html")]
struct ExportPage {
    d: Desk,
    error: Option<String>,
    /// What the form showed last (kept after an error).
    what: String,
    format: String,
    personal_allowed: bool,
    columns: String,
    personal_columns: String,
}

fn page(d: Desk, actor_admin: bool, error: Option<String>, form: Option<&Form>) -> ExportPage {
    let pick = |name: &str, default: &str| {
        form.map(|f| f.get(name).trim().to_owned())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_owned())
    };
    ExportPage {
        what: pick("what", "letters"),
        format: pick("format", "csv"),
        d,
        error,
        personal_allowed: actor_admin,
        columns: LETTER_COLUMNS.join(", "),
        personal_columns: PERSONAL_COLUMNS.join(", "),
    }
}

fn message(d: &Desk, error: &ExportError) -> (StatusCode, String) {
    match error {
        ExportError::Forbidden => (StatusCode::FORBIDDEN, d.t("staff-error-forbidden")),
        ExportError::Invalid("personal_data") => (
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("export-error-personal-letters-only"),
        ),
        ExportError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, d.t("export-error-choose")),
        ExportError::Undecryptable | ExportError::Encode(_) | ExportError::Store(_) => {
            tracing::error!(%error, "an export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, d.t("error-internal"))
        }
    }
}

/// `GET /staff/export`: the form.
pub async fn form(c: Chrome, StaffUser(actor): StaffUser) -> Response {
    let d = Desk::of(c, &actor);
    if !may_export(&actor, false) {
        let text = d.t("staff-error-forbidden");
        return page_error(d, StatusCode::FORBIDDEN, text);
    }
    render(
        StatusCode::OK,
        &page(d, may_export(&actor, true), None, None),
    )
}

/// `POST /staff/export`: the file, as a download.
pub async fn download(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    FormBody(form): FormBody,
) -> Response {
    // Who may export is settled before anything sent is read.
    if !may_export(&actor, false) {
        let text = d.t("staff-error-forbidden");
        return page_error(d, StatusCode::FORBIDDEN, text);
    }
    let admin = may_export(&actor, true);
    let parsed = form
        .get("what")
        .parse::<ExportWhat>()
        .and_then(|what| Ok((what, form.get("format").parse::<ExportFormat>()?)));
    let export = match parsed {
        Ok((what, format)) => {
            let request = ExportRequest {
                what,
                format,
                personal_data: form.checked("personal_data"),
            };
            state.app.start_export(&actor, request).await
        }
        Err(e) => Err(e),
    };
    let mut export = match export {
        Ok(export) => export,
        Err(ExportError::Forbidden) => {
            let text = d.t("staff-error-forbidden");
            return page_error(d, StatusCode::FORBIDDEN, text);
        }
        Err(e) => {
            let (status, text) = message(&d, &e);
            return render(status, &page(d, admin, Some(text), Some(&form)));
        }
    };
    // The first page is read before answering, so that a failure at once is a page that
    // says so rather than a broken download.
    let first = match export.next_chunk().await {
        Ok(first) => first.unwrap_or_default(),
        Err(e) => {
            let (status, text) = message(&d, &e);
            return render(status, &page(d, admin, Some(text), Some(&form)));
        }
    };
    let name = export.file_name(state.app.now());
    let content_type = export.content_type();
    let rest = futures::stream::unfold(Some(export), |export: Option<Export>| async move {
        let mut export = export?;
        match export.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(export))),
            Ok(None) => None,
            Err(error) => {
                // The transfer fails rather than ending cleanly: a cut-off file must not
                // look complete.
                tracing::error!(%error, "an export failed while streaming");
                Some((Err(error), None))
            }
        }
    });
    let stream = futures::StreamExt::chain(
        futures::stream::once(async move { Ok::<_, ExportError>(first) }),
        rest,
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
