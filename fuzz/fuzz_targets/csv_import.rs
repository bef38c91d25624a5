//! Every CSV import reads any bytes — broken UTF-8, a BOM, quotes left open, formulas,
//! ragged rows — and answers rows or errors by line, never a panic. The first byte picks
//! the import.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lysty_app::import::{CsvKind, read_csv};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let kind = CsvKind::ALL[usize::from(which) % CsvKind::ALL.len()];
    let now = chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap_or_default();
    if let Err(rows) = read_csv(kind, bytes, now, 8_000) {
        assert!(!rows.is_empty(), "a refusal names its rows");
    }
});
