//! Turning arbitrary user strings into strings typst can always lay out on the page.

use unicode_segmentation::UnicodeSegmentation;

const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Runs (text between spaces) longer than this many graphemes get break opportunities. Body text
/// at 11pt fits about 43 of the widest glyphs on an A4 line, so no real word is touched.
pub(crate) const BODY_RUN: usize = 40;

/// The envelope block is 120 mm wide and set at up to 17pt: about 20 of the widest glyphs.
pub(crate) const ENVELOPE_RUN: usize = 20;

/// Removes what cannot be printed and makes every run of text breakable.
///
/// typst never breaks inside a word unless hyphenation finds a point, so a 5,000-character
/// "word" would run off the page; we give overlong runs zero-width break opportunities at
/// grapheme boundaries (so combining marks and emoji sequences stay whole). Control characters
/// other than newline and tab have no glyph and would print as boxes, so they are dropped; the
/// other line endings become newlines.
pub(crate) fn printable(text: &str, max_run: usize) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    plain.push('\n');
                }
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => plain.push('\n'),
            '\n' | '\t' => plain.push(c),
            c if c.is_control() => {}
            c => plain.push(c),
        }
    }
    break_long_runs(&plain, max_run)
}

/// Splits cleaned text into paragraphs at blank lines; single newlines stay inside a paragraph
/// as line breaks (addresses and poems keep their shape).
pub(crate) fn paragraphs(text: &str, max_run: usize) -> Vec<String> {
    let text = printable(text, max_run);
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs
}

fn is_break(grapheme: &str) -> bool {
    grapheme
        .chars()
        .all(|c| c.is_whitespace() || c == ZERO_WIDTH_SPACE)
}

fn break_long_runs(text: &str, max_run: usize) -> String {
    // Short pieces, so that a broken run fills lines evenly instead of leaving a long stub.
    let piece = (max_run / 2).max(1);
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<&str> = Vec::new();
    for grapheme in text.graphemes(true) {
        if is_break(grapheme) {
            push_run(&mut out, &run, max_run, piece);
            run.clear();
            out.push_str(grapheme);
        } else {
            run.push(grapheme);
        }
    }
    push_run(&mut out, &run, max_run, piece);
    out
}

fn push_run(out: &mut String, run: &[&str], max_run: usize, piece: usize) {
    if run.len() <= max_run {
        run.iter().for_each(|grapheme| out.push_str(grapheme));
        return;
    }
    for (i, chunk) in run.chunks(piece).enumerate() {
        if i > 0 {
            out.push(ZERO_WIDTH_SPACE);
        }
        chunk.iter().for_each(|grapheme| out.push_str(grapheme));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_but_newlines_and_tabs_kept() {
        assert_eq!(printable("a\0b\u{7}c\u{9b}d\te\nf", BODY_RUN), "abcd\te\nf");
    }

    #[test]
    fn every_line_ending_becomes_a_newline() {
        assert_eq!(printable("a\r\nb\rc\u{2028}d", BODY_RUN), "a\nb\nc\nd");
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        let text = "Здравствуйте, человеконенавистничество не пройдёт.";
        assert_eq!(printable(text, BODY_RUN), text);
    }

    #[test]
    fn a_long_run_gets_break_opportunities_between_graphemes() {
        let word = "e\u{301}".repeat(50);
        let broken = printable(&word, BODY_RUN);
        assert!(broken.contains(ZERO_WIDTH_SPACE));
        assert_eq!(broken.replace(ZERO_WIDTH_SPACE, ""), word);
        for piece in broken.split(ZERO_WIDTH_SPACE) {
            assert!(
                !piece.starts_with('\u{301}'),
                "a combining mark lost its base"
            );
            assert!(piece.graphemes(true).count() <= BODY_RUN);
        }
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_single_newlines_stay() {
        assert_eq!(
            paragraphs("one\ntwo  \n \n\n three\n\n", BODY_RUN),
            vec!["one\ntwo".to_owned(), " three".to_owned()]
        );
    }
}
