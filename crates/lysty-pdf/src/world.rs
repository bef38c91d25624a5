//! The smallest typst `World` that can compile our templates: one fixed template, one JSON data
//! file, the fonts bundled in `typst-assets`, and nothing else. No file system, no system
//! fonts, no package downloads: a template that tried `@preview/...` would fail to compile.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, PackageError, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::PdfError;

/// Parsing the fonts and building the standard library take a noticeable share of a small
/// render, and neither depends on the document, so both happen once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The path the templates read their data from.
const DATA_PATH: &str = "/data.json";

/// One of the templates compiled into the crate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template {
    pub(crate) path: &'static str,
    pub(crate) text: &'static str,
}

pub(crate) const BATCH: Template = Template {
    path: "/batch.typ",
    text: include_str!("../templates/batch.typ"),
};

pub(crate) const REPORT: Template = Template {
    path: "/report.typ",
    text: include_str!("../templates/report.typ"),
};

struct DataWorld {
    main: Source,
    main_bytes: Bytes,
    data_id: FileId,
    data: Bytes,
}

impl World for DataWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_here(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(self.main_bytes.clone())
        } else {
            Err(not_here(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    // `datetime.today()` would make output depend on the day it was printed; the templates
    // never call it, and returning nothing turns any future use into a compile error.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_here(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(spec) => FileError::Package(PackageError::NotFound(spec.clone())),
        VirtualRoot::Project => FileError::NotFound(id.vpath().get_with_slash().into()),
    }
}

fn project_file(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|err| PdfError::Typeset {
        message: format!("invalid virtual path {path}: {err}"),
    })?;
    // Interning returns the same id for the same path, so repeated renders do not leak ids.
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Lays out `template` with `data` (JSON) as `/data.json`.
pub(crate) fn layout(template: Template, data: Vec<u8>) -> Result<PagedDocument, PdfError> {
    let world = DataWorld {
        main: Source::new(project_file(template.path)?, template.text.to_owned()),
        main_bytes: Bytes::from_string(template.text),
        data_id: project_file(DATA_PATH)?,
        data: Bytes::new(data),
    };
    let Warned {
        output,
        warnings: _,
    } = typst::compile::<PagedDocument>(&world);
    // typst memoises across compilations in a global cache. A server renders different batches
    // each time, so old entries would only grow memory; keep just the last few renders' worth.
    typst::comemo::evict(3);
    output.map_err(|errors| PdfError::Typeset {
        message: join_messages(&errors),
    })
}

pub(crate) fn export(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    typst_pdf::pdf(document, &typst_pdf::PdfOptions::default()).map_err(|errors| PdfError::Export {
        message: join_messages(&errors),
    })
}

fn join_messages(errors: &[SourceDiagnostic]) -> String {
    let messages: Vec<&str> = errors.iter().map(|error| error.message.as_str()).collect();
    messages.join("; ")
}
