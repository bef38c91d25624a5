//! The staff side: sign-in with a second factor, the review and translation queues,
//! one letter at a time, people and organisations, tokens, the lexicon and the audit log.
//! Permission checks live in `lysty-app`; these handlers show what it allows.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lysty_app::review::Queue;
use lysty_app::{Actor, ReviewError, StaffError};
use lysty_domain::safety::{self, Flag, FlagDetail, FlagText, Span};
use lysty_domain::{LetterState, RejectReason, Role, Roles, Source};
use lysty_store::{
    ApiToken, AuditEntry, AuditFilter, LetterId, LexiconTerm, NewOrganisation, Organisation,
    ReviewFilter, ReviewLetter, Staff, StaffId, TokenId,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{
    MaybeStaff, StaffUser, cookie, pre_cookie_name, session_cookie_name, set_cookie,
};
use crate::forms::Form;

/// What every staff page shows: who is signed in and the CSRF token for its forms.
pub struct Desk {
    pub c: Chrome,
    pub me: Option<Actor>,
    pub csrf: String,
}

/// A staff page's request: the desk it renders in and the signed-in member of staff (someone
/// signed out is sent to sign in, before anything else is read).
pub struct StaffDesk {
    pub d: Desk,
    pub actor: Actor,
}

impl axum::extract::FromRequestParts<AppState> for StaffDesk {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let StaffUser(actor) = StaffUser::from_request_parts(parts, state).await?;
        let c = Chrome::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        Ok(StaffDesk {
            d: Desk::of(c, &actor),
            actor,
        })
    }
}

impl Desk {
    fn new(c: Chrome, me: Option<Actor>, csrf: String) -> Self {
        Desk { c, me, csrf }
    }

    pub(crate) fn of(c: Chrome, actor: &Actor) -> Self {
        let csrf = actor.csrf_token.clone().unwrap_or_default();
        Desk::new(c, Some(actor.clone()), csrf)
    }

    pub fn t(&self, id: impl AsRef<str>) -> String {
        self.c.t(id)
    }

    pub fn can(&self, role: &str) -> bool {
        let Some(me) = &self.me else { return false };
        if !me.is_complete() {
            return false;
        }
        match role.parse::<Role>() {
            Ok(role) => me.is(&[role]),
            Err(_) => false,
        }
    }

    pub fn email(&self) -> &str {
        self.me.as_ref().map_or("", |m| m.staff.email.as_str())
    }

    pub fn has_role(&self, roles: &Roles, role: &str) -> bool {
        role.parse::<Role>().is_ok_and(|r| roles.has(r))
    }

    pub fn roles(&self) -> Vec<(&'static str, String)> {
        Role::ALL
            .iter()
            .map(|r| (r.as_str(), self.c.t(format!("role-{}", r.as_str()))))
            .collect()
    }

    /// A moment in the campaign's time zone.
    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.c.when(at)
    }
}

pub(crate) fn page_error(desk: Desk, status: StatusCode, message: String) -> Response {
    render(status, &MessagePage { d: desk, message })
}

#[derive(Template)]
#[template(path = "staff/message.html")]
struct MessagePage {
    d: Desk,
    message: String,
}

pub(crate) use lysty_app::failure::password_message;

/// A refusal or a fault shown as the page, in the reader's language: the same status the API
/// gives. A fault on our side is logged here, with its cause; the person sees a plain message.
pub(crate) fn refuse(desk: Desk, error: impl lysty_app::Failure) -> Response {
    let status = crate::error::status_of(error.kind());
    if status.is_server_error() {
        tracing::error!(%status, cause = %error, "a staff action failed");
    }
    let message = crate::error::render_message(&desk.c.lang, desk.c.zone, &error.message());
    page_error(desk, status, message)
}

pub(crate) fn staff_error(desk: Desk, error: StaffError) -> Response {
    refuse(desk, error)
}

fn review_error(desk: Desk, error: ReviewError) -> Response {
    refuse(desk, error)
}

mod admin;
mod case_terms;
mod events;
mod people;
mod prisoners;
mod review;
mod sign_in;

pub use admin::*;
pub use case_terms::*;
pub use events::*;
pub use people::*;
pub use prisoners::*;
pub use review::*;
pub use sign_in::*;
