//! The report of a bundled sample, analysed and rendered as the CLI does,
//! for the snapshot tests (`report_snapshots`, `text_reports`) and the
//! corpus diagnoses (`corpus_diagnosis`). Included
//! with `#[path]` so test binaries that do not need it do not compile it.

use std::path::Path;
use wincompat::analyze::{analyze, GivenFacts};
use wincompat::input::{read_all, Source};
use wincompat::model::finding::Report;
use wincompat::pipeline::parse_text;
use wincompat::report::{render, ReportFormat};

/// The report for `path` (a sample file or folder), named as a user who
/// runs `wincompat samples/…` from the repository sees it.
pub fn report_for(path: &Path) -> Report {
    let set = read_all(&[Source::Path(path.to_path_buf())]);
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    let parsed: Vec<_> = set
        .inputs
        .iter()
        .map(|i| parse_text(&i.name, &i.text))
        .collect();
    analyze(&parsed, &GivenFacts::default())
}

/// `report` in `format`, as text.
pub fn rendered(report: &Report, format: ReportFormat) -> String {
    let mut out = Vec::new();
    render(report, format, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}
