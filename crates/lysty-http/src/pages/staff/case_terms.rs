//! A prisoner's case terms: the words that identify the case, which the safety flags look
//! for in that prisoner's letters.

use super::*;
use crate::forms::FormBody;

#[derive(Template)]
#[template(path = "staff/case_terms.html")]
pub(super) struct CaseTermsPage {
    d: Desk,
    prisoner: lysty_store::Prisoner,
    /// The terms as shown in the box: one per line (what was typed, when refused).
    text: String,
    saved: bool,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn case_terms(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Response {
    match state.app.prisoner_with_case(&actor, &slug).await {
        Ok(prisoner) => {
            let text = prisoner.case_terms.join("\n");
            render(
                StatusCode::OK,
                &CaseTermsPage {
                    d,
                    prisoner,
                    text,
                    saved: query.saved.is_some(),
                    error: None,
                },
            )
        }
        Err(e) => review_error(d, e),
    }
}

pub async fn save_case_terms(
    State(state): State<AppState>,
    StaffDesk { d, actor }: StaffDesk,
    Path(slug): Path<String>,
    FormBody(form): FormBody,
) -> Response {
    let text = form.get("terms").to_owned();
    match state.app.set_case_terms(&actor, &slug, &text).await {
        Ok(_) => Redirect::to(&format!("/staff/prisoners/{slug}/case?saved")).into_response(),
        Err(ReviewError::Invalid(_)) => match state.app.prisoner_with_case(&actor, &slug).await {
            Ok(prisoner) => {
                let error = Some(d.t("staff-case-terms-invalid"));
                render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &CaseTermsPage {
                        d,
                        prisoner,
                        text,
                        saved: false,
                        error,
                    },
                )
            }
            Err(e) => review_error(d, e),
        },
        Err(e) => review_error(d, e),
    }
}
