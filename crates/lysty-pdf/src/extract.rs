//! Reading the laid-out text back, so tests can check what lands on paper without a PDF parser.

use typst::layout::{Abs, Frame, FrameItem, Point};
use typst_layout::PagedDocument;

/// One shaped run of text and where it sits on its page.
#[derive(Debug, Clone)]
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "position and glyph checks are only made by the tests"
    )
)]
pub(crate) struct Run {
    pub(crate) x: Abs,
    pub(crate) y: Abs,
    pub(crate) width: Abs,
    pub(crate) text: String,
    /// Some glyph is missing from the font that was picked (typst draws an empty box).
    pub(crate) missing_glyph: bool,
}

/// The runs of each page, in the order typst placed them.
pub(crate) fn runs(document: &PagedDocument) -> Vec<Vec<Run>> {
    document
        .pages()
        .iter()
        .map(|page| {
            let mut runs = Vec::new();
            collect(&page.frame, Point::zero(), &mut runs);
            runs
        })
        .collect()
}

fn collect(frame: &Frame, origin: Point, runs: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            // Our templates neither scale nor rotate, so a group's translation is all that moves it.
            FrameItem::Group(group) => {
                let shift = Point::new(group.transform.tx, group.transform.ty);
                collect(&group.frame, at + shift, runs);
            }
            FrameItem::Text(text) => runs.push(Run {
                x: at.x,
                y: at.y,
                width: text.width(),
                text: text.text.to_string(),
                missing_glyph: text.glyphs.iter().any(|glyph| glyph.id == 0),
            }),
            _ => {}
        }
    }
}

pub(crate) fn plain_text(document: &PagedDocument) -> String {
    let pages: Vec<String> = runs(document)
        .into_iter()
        .map(|runs| {
            let mut text = String::new();
            let mut line: Option<Abs> = None;
            for run in runs {
                // Runs on one baseline belong to one line (a font change splits a line into runs).
                if line.is_some_and(|y| (y - run.y).abs() > Abs::pt(0.5)) {
                    text.push('\n');
                }
                line = Some(run.y);
                text.push_str(&run.text);
            }
            text
        })
        .collect();
    pages.join("\u{c}")
}
