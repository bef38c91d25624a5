//! Every message exists in every language, and every message a template or the code asks
//! for exists.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

fn message_ids(file: &Path) -> BTreeSet<String> {
    let source = std::fs::read_to_string(file).unwrap();
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

fn locales() -> Vec<(String, BTreeSet<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut all: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| {
            let dir = e.unwrap().path();
            let lang = dir.file_name().unwrap().to_string_lossy().into_owned();
            let mut ids = BTreeSet::new();
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "ftl") {
                    ids.extend(message_ids(&file));
                }
            }
            (lang, ids)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn every_language_has_every_message() {
    let all = locales();
    assert!(all.len() >= 2, "Ukrainian and English at least");
    let union: BTreeSet<String> = all.iter().flat_map(|(_, ids)| ids.clone()).collect();
    for (lang, ids) in &all {
        let missing: Vec<_> = union.difference(ids).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
    }
}

/// Literal message ids used in templates (`t("…")`, `tn("…"`, `ts("…"`) and in code.
fn used_ids() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ids = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["templates", "templates/staff", "src", "src/pages"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests ask for missing messages on purpose.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for marker in [".t(\"", ".tn(\"", ".ts(\""] {
            for piece in text.split(marker).skip(1) {
                if let Some(id) = piece.split('"').next()
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    ids
}

#[test]
fn every_message_the_pages_ask_for_exists() {
    let all = locales();
    let (_, uk) = all.iter().find(|(l, _)| l == "uk").unwrap();
    let used = used_ids();
    assert!(used.len() > 50, "the scan found the templates");
    let missing: Vec<_> = used.difference(uk).collect();
    assert!(missing.is_empty(), "missing messages: {missing:?}");
}

#[test]
fn every_field_error_and_state_has_a_message() {
    let all = locales();
    let (_, uk) = all.iter().find(|(l, _)| l == "uk").unwrap();
    for state in lysty_domain::LetterState::ALL {
        assert!(
            uk.contains(&format!("state-{}", state.as_str())),
            "{state:?}"
        );
    }
    for status in lysty_domain::PrisonerStatus::ALL {
        assert!(
            uk.contains(&format!("status-{}", status.as_str())),
            "{status:?}"
        );
    }
    for source in lysty_domain::Source::ALL {
        assert!(
            uk.contains(&format!("source-{}", source.as_str())),
            "{source:?}"
        );
    }
    for field in [
        "prisoner",
        "body",
        "language",
        "writer-name",
        "writer-city",
        "writer-country",
        "writer-email",
        "event",
        "idempotency-key",
    ] {
        for problem in ["empty", "too-long", "invalid", "control"] {
            let id = format!("error-{field}-{problem}");
            assert!(uk.contains(&id), "{id}");
        }
    }
}
