//! Typed ids from the path. A segment that is not an id names no record, so it answers 404
//! — in JSON for the API, as a page for the site — never axum's plain-text 400.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use axum::response::{IntoResponse, Response};
use lysty_app::StaffError;

use crate::AppState;
use crate::auth::StaffUser;
use crate::error::{ApiError, PageError};
use crate::i18n::Lang;
use crate::pages::Chrome;
use crate::pages::staff::{Desk, refuse};

/// An API path's parameters read into `T` (`ApiPath<LetterId>`, `ApiPath<(EventId, i64)>`).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => {
                let lang = Lang::from_request_parts(parts, state)
                    .await
                    .unwrap_or_else(|never| match never {});
                Err(ApiError::not_found(&lang))
            }
        }
    }
}

/// A page's path parameters read into `T`; placed after the staff extractor, so that someone
/// signed out is sent to sign in before any id is looked at. A malformed id answers the
/// not-found page in the frame the reader is in: the staff desk for staff, the public site
/// otherwise.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PagePath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PagePath(value)),
            Err(_) => {
                let chrome = Chrome::from_request_parts(parts, state)
                    .await
                    .unwrap_or_else(|never| match never {});
                Err(match StaffUser::from_request_parts(parts, state).await {
                    Ok(StaffUser(actor)) => refuse(Desk::of(chrome, &actor), StaffError::NotFound),
                    Err(_) => PageError::not_found(chrome).into_response(),
                })
            }
        }
    }
}
