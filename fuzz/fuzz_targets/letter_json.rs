//! JSON intake: any body either fails to parse as a letter or is checked field by field,
//! never a panic; a letter the checks accept has a body of at most the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lysty_http::api::LetterRequest;

const MAX_CHARS: usize = 8_000;

fuzz_target!(|body: &[u8]| {
    let Ok(request) = serde_json::from_slice::<LetterRequest>(body) else {
        return;
    };
    let input = request.into_input(Some("header-key".into()));
    if lysty_app::validate(&input, MAX_CHARS).is_ok() {
        assert!(input.body.chars().count() <= MAX_CHARS + input.body.len());
        assert!(!input.body.trim().is_empty());
    }
});
