//! The form decoder takes any bytes: it never panics, a field is always text, and a body
//! that is plain `name=value` pairs comes back as it was sent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lysty_http::forms::Form;

fuzz_target!(|body: &[u8]| {
    let form = Form::parse(body);
    for name in ["body", "writer_name", "idempotency_key", "proof"] {
        let _ = form.get(name);
        let _ = form.all(name);
    }
    // Plain pairs (no escapes) read back exactly, the first value of a name winning.
    if let Ok(text) = std::str::from_utf8(body)
        && !text.contains(['%', '+'])
    {
        let mut seen = std::collections::HashSet::new();
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if seen.insert(name) {
                assert_eq!(form.get(name), value, "{name}");
            }
        }
        assert!(form.invalid_utf8.is_empty());
    }
});
