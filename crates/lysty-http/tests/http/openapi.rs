//! The OpenAPI document is generated from the handlers; any change to it is reviewed here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use utoipa::OpenApi;

#[test]
fn the_openapi_document_is_reviewed() {
    let doc = lysty_http::openapi::document(8_000);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn every_core_route_is_documented() {
    let doc = lysty_http::openapi::ApiDoc::openapi();
    for path in [
        "/api/v1/prisoners",
        "/api/v1/prisoners/{slug}",
        "/api/v1/letters",
        "/api/v1/letters/track/{tracking_code}",
        "/api/v1/stats",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc.paths.paths.contains_key(path), "{path}");
    }
}
