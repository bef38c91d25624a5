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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lysty-text/locales");
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

/// Ids built from a kind at run time (`flag-short-{kind}` in the queue's filter, the advice
/// of the writer's check, the kinds' names): one for every kind, in every language.
#[test]
fn every_flag_kind_has_its_messages() {
    use lysty_domain::safety::{Category, FlagKind};
    let all = locales();
    for kind in FlagKind::ALL {
        let name = kind.as_str().replace('_', "-");
        let mut wanted = vec![format!("flag-short-{name}"), kind.message_id().to_owned()];
        if kind.is_about_content() {
            wanted.push(kind.name_id());
            if kind != FlagKind::ForeignWords {
                wanted.push(format!("check-advice-{name}"));
            }
        }
        for (lang, ids) in &all {
            for id in &wanted {
                assert!(ids.contains(id), "{lang} lacks {id}");
            }
        }
    }
    for category in Category::ALL {
        for (lang, ids) in &all {
            assert!(
                ids.contains(category.message_id()),
                "{lang} lacks {category}"
            );
        }
    }
}

/// The templates and the code, without their unit tests (which ask for missing messages
/// on purpose): every file under `templates/` and `src/`.
fn sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("templates"), &mut files);
    walk(&root.join("src"), &mut files);
    assert!(files.len() > 40, "the walk found the sources");
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let text = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_owned();
            (file, text)
        })
        .collect()
}

/// Literal message ids used in templates (`t("…")`, `tn("…"`, `ts("…"`) and in code.
fn used_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (_, text) in sources() {
        for marker in [".t(\"", ".tn(\"", ".ts(\"", ".targs(\""] {
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

/// The Ukrainian messages that take arguments (`{ $name }`).
fn messages_with_arguments() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lysty-text/locales/uk");
    let mut ids = BTreeSet::new();
    for file in std::fs::read_dir(dir).unwrap() {
        let source = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let mut current: Option<&str> = None;
        for line in source.lines() {
            // A message starts at the line's beginning; its other lines are indented.
            if !line.starts_with(' ') {
                current = line
                    .split_once(" =")
                    .filter(|_| !line.starts_with('#'))
                    .map(|(id, _)| id.trim());
            }
            if let Some(id) = current
                && line.contains('$')
            {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// A message that needs arguments must be asked for with them (`tn`, `ts`, `targs`, or
/// the report's `counted`):
/// asked for plainly, it cannot be completed and the id itself would be shown (as once in
/// the delivery API's errors, where a struct's default message looked one up unfilled).
#[test]
fn messages_with_arguments_are_always_given_them() {
    let with_arguments = messages_with_arguments();
    assert!(with_arguments.contains("delivery-error-rows"));
    assert!(with_arguments.contains("form-body-hint"));
    let mut wrong = Vec::new();
    for (file, text) in sources() {
        for id in &with_arguments {
            let quoted = format!("\"{id}\"");
            let mut from = 0;
            while let Some(at) = text[from..].find(&quoted) {
                let at = from + at;
                from = at + quoted.len();
                // The call before the literal, with rustfmt's line breaks taken out.
                let mut before: Vec<char> = text[..at]
                    .chars()
                    .rev()
                    .filter(|c| !c.is_whitespace())
                    .take(20)
                    .collect();
                before.reverse();
                let before: String = before.into_iter().collect();
                // `counted(lang, id, n)` in the report passes the count and the number.
                if ![".tn(", ".ts(", ".targs(", "counted(lang,"]
                    .iter()
                    .any(|call| before.ends_with(call))
                {
                    wrong.push(format!("{}: {id}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "asked for without arguments: {wrong:#?}");
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

/// The text a template shows by itself, outside expressions, tags and attributes.
fn literal_text(template: &str) -> String {
    // Macro bodies compute attribute values (language codes and the like), not text.
    let mut source = template.to_owned();
    while let (Some(start), Some(end)) = (source.find("macro "), source.find("endmacro")) {
        if end < start {
            break;
        }
        let from = source[..start].rfind("{%").unwrap_or(start);
        let to = source[end..]
            .find("%}")
            .map_or(source.len(), |e| end + e + 2);
        source.replace_range(from..to, "");
    }
    let mut out = String::new();
    let mut rest = source.as_str();
    // Drop template syntax first: expressions, blocks and comments.
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = if after.starts_with("{{") {
            after.find("}}").map(|e| e + 2)
        } else if after.starts_with("{%") {
            after.find("%}").map(|e| e + 2)
        } else if after.starts_with("{#") {
            after.find("#}").map(|e| e + 2)
        } else {
            Some(1)
        };
        match end {
            Some(e) => rest = &after[e..],
            None => break,
        }
    }
    out.push_str(rest);
    // Then HTML tags (with their attributes).
    let mut text = String::new();
    let mut in_tag = false;
    for ch in out.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    text
}

#[test]
fn templates_hold_no_user_facing_text_of_their_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    for dir in ["templates", "templates/staff", "templates/staff/dispatch"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for word in literal_text(&source).split_whitespace() {
                // Punctuation between messages is fine; words are not.
                if word.chars().any(char::is_alphabetic) {
                    offenders.push(format!("{}: {word}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "literal text in templates (move it to the Fluent files): {offenders:?}"
    );
}

#[test]
fn the_literal_text_scan_sees_words() {
    assert_eq!(
        literal_text(r#"<p class="x">{{ c.t("a") }} Hello</p>"#).trim(),
        "Hello"
    );
    assert!(
        literal_text(r#"<a href="/x">{{ c.t("b") }}</a> · {% if x %}{% endif %}"#)
            .chars()
            .all(|c| !c.is_alphabetic())
    );
}

#[test]
fn every_state_hold_and_rejection_explains_itself_to_the_writer_in_every_language() {
    use lysty_domain::{HoldReason, LetterState, RejectReason};
    let mut ids: Vec<String> = LetterState::ALL
        .iter()
        .map(|s| format!("state-explain-{}", s.as_str()))
        .collect();
    ids.extend(
        HoldReason::ALL
            .iter()
            .map(|h| format!("state-explain-held-{}", h.as_str())),
    );
    ids.extend(
        RejectReason::ALL
            .iter()
            .map(|r| format!("state-explain-rejected-{}", r.as_str())),
    );
    ids.push("state-explain-approved-no-facility".into());
    for (lang, known) in locales() {
        let missing: Vec<_> = ids.iter().filter(|id| !known.contains(*id)).collect();
        assert!(missing.is_empty(), "{lang}: {missing:?}");
    }
}
