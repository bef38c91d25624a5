//! The annual report in the staff pages: the year's figures on the page, and the same
//! report to download as PDF, Markdown, HTML or JSON (see [`crate::report`]).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use lysty_app::Actor;
use lysty_app::report::may_read_reports;
use serde::Deserialize;

use super::staff::{Desk, page_error, staff_error};
use super::{Chrome, attachment, render};
use crate::AppState;
use crate::auth::StaffUser;
use crate::report::{self, ReportFormat, SectionView};

const FIRST_YEAR: i32 = 2000;

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    year: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/report.html")]
struct ReportPage {
    d: Desk,
    /// The year as typed, kept when it is wrong.
    year: String,
    max_year: i32,
    error: Option<String>,
    /// The report's title and sections, when the year is right.
    title: Option<String>,
    sections: Vec<SectionView>,
    formats: Vec<(&'static str, String)>,
}

/// The year asked for (this year when none), or the message saying what is wrong.
fn year(d: &Desk, raw: Option<&str>, this_year: i32) -> Result<i32, String> {
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Ok(this_year);
    }
    match raw.parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=this_year).contains(&y) => Ok(y),
        _ => Err(d.c.lang.targs(
            "report-bad-year",
            &[(
                "max",
                fluent_bundle::FluentValue::from(this_year.to_string()),
            )],
        )),
    }
}

/// The page's frame for someone who may read reports, and this year; or the refusal.
fn reader(state: &AppState, c: Chrome, actor: &Actor) -> Result<(Desk, i32), Box<Response>> {
    let d = Desk::of(c, actor);
    match may_read_reports(actor) {
        Ok(()) => Ok((d, state.app.now().year())),
        Err(e) => Err(Box::new(staff_error(d, e))),
    }
}

pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<ReportQuery>,
) -> Response {
    let (d, this_year) = match reader(&state, c, &actor) {
        Ok(found) => found,
        Err(refused) => return *refused,
    };
    let typed = query.year.clone().unwrap_or_else(|| this_year.to_string());
    let formats = ReportFormat::ALL
        .iter()
        .filter(|f| **f != ReportFormat::Html)
        .map(|f| {
            (
                f.extension(),
                d.t(format!("report-format-{}", f.extension())),
            )
        })
        .collect();
    let (status, error, doc) = match year(&d, query.year.as_deref(), this_year) {
        Ok(y) => match state.app.staff_annual_report(&actor, y).await {
            Ok(figures) => (
                StatusCode::OK,
                None,
                Some(report::document(&figures, &d.c.lang)),
            ),
            Err(e) => return staff_error(d, e),
        },
        Err(message) => (StatusCode::UNPROCESSABLE_ENTITY, Some(message), None),
    };
    render(
        status,
        &ReportPage {
            d,
            year: typed,
            max_year: this_year,
            error,
            title: doc.as_ref().map(|doc| doc.title.clone()),
            sections: doc.as_ref().map(report::view).unwrap_or_default(),
            formats,
        },
    )
}

pub async fn download(
    State(state): State<AppState>,
    c: Chrome,
    StaffUser(actor): StaffUser,
    Query(query): Query<ReportQuery>,
) -> Response {
    let (d, this_year) = match reader(&state, c, &actor) {
        Ok(found) => found,
        Err(refused) => return *refused,
    };
    let year = match year(&d, query.year.as_deref(), this_year) {
        Ok(y) => y,
        Err(message) => return page_error(d, StatusCode::UNPROCESSABLE_ENTITY, message),
    };
    let Some(format) = query.format.as_deref().and_then(ReportFormat::parse) else {
        let message = d.t("staff-error-invalid");
        return page_error(d, StatusCode::UNPROCESSABLE_ENTITY, message);
    };
    let figures = match state.app.staff_annual_report(&actor, year).await {
        Ok(f) => f,
        Err(e) => return staff_error(d, e),
    };
    match report::render(&figures, &d.c.lang, format) {
        Ok(bytes) => attachment(
            bytes,
            format.content_type(),
            &format!("lysty-report-{year}.{}", format.extension()),
        ),
        Err(e) => page_error(d, StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
