//! Static files, embedded in the binary and served under content-hashed names with
//! long cache lifetimes: a new release changes the name, so no stale CSS is ever served.
//! (A few files; a crate such as rust-embed would add a build step for nothing.)

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    /// `app.3f2a9c1e.css`
    hashed: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

fn asset(name: &str, content_type: &'static str, bytes: &'static [u8]) -> Asset {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    Asset {
        hashed: format!("{stem}.{hash}.{ext}"),
        content_type,
        bytes,
    }
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset(
            "app.css",
            "text/css; charset=utf-8",
            include_bytes!("../static/app.css"),
        ),
        asset(
            "kiosk.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/kiosk.js"),
        ),
        asset(
            "check.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/check.js"),
        ),
        asset(
            "proof.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/proof.js"),
        ),
        asset(
            "thanks.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/thanks.js"),
        ),
        asset(
            "favicon.svg",
            "image/svg+xml",
            include_bytes!("../static/favicon.svg"),
        ),
    ]
});

/// The public path of an asset by its plain name, e.g. `/static/app.3f2a9c1e.css`.
pub fn url(name: &str) -> String {
    let (stem, _) = name.rsplit_once('.').unwrap_or((name, ""));
    ASSETS
        .iter()
        .find(|a| a.hashed.starts_with(&format!("{stem}.")))
        .map(|a| format!("/static/{}", a.hashed))
        .unwrap_or_default()
}

/// The kiosk's service worker, at a fixed address under `/kiosk/` so that its scope
/// covers the kiosk pages (a worker cannot control pages above its own path).
pub async fn kiosk_service_worker() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        include_bytes!("../static/kiosk-sw.js").as_slice(),
    )
        .into_response()
}

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.hashed == file) {
        Some(asset) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            asset.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_content_hash() {
        let css = url("app.css");
        assert!(css.starts_with("/static/app."), "{css}");
        assert!(css.ends_with(".css"));
        assert_eq!(css.len(), "/static/app.0123456789.css".len());
    }
}
