//! Who runs the campaign and what happens to what writers give: the "about" page and the
//! privacy page, written from the installation's own settings so that they stay true.

use super::*;

#[derive(askama::Template)]
#[template(path = "about.html")]
pub(super) struct AboutPage {
    c: Chrome,
    campaign: String,
    contact: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "privacy.html")]
pub(super) struct PrivacyPage {
    c: Chrome,
    contact: Option<String>,
    /// How many approved letters a place needs before the public figures name it.
    place_min_letters: i64,
    /// Days after a letter is settled before its writer's data is erased, if ever.
    retention_days: Option<i64>,
    /// Whether the letters' texts are erased with it.
    retention_keeps_text: bool,
}

fn campaign_name(state: &AppState, c: &Chrome) -> String {
    let campaign = state.app.campaign();
    if c.lang.code() == "en" && !campaign.name_en.is_empty() {
        campaign.name_en.clone()
    } else {
        campaign.name_uk.clone()
    }
}

pub async fn about(State(state): State<AppState>, c: Chrome) -> Response {
    let campaign = campaign_name(&state, &c);
    render(
        StatusCode::OK,
        &AboutPage {
            c,
            campaign,
            contact: state.app.config().contact.clone(),
        },
    )
}

pub async fn privacy(State(state): State<AppState>, c: Chrome) -> Response {
    let config = state.app.config();
    render(
        StatusCode::OK,
        &PrivacyPage {
            c,
            contact: config.contact.clone(),
            place_min_letters: config.public_place_min_letters,
            retention_days: config.retention.after.map(|after| after.num_days()),
            retention_keeps_text: config.retention.keep_text,
        },
    )
}
