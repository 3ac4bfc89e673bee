//! The bodies of the fuzz targets, one public function per target, each
//! taking arbitrary bytes and requiring only that wincompat neither panics
//! nor breaks an invariant its callers rely on (a byte range that slices,
//! JSON that parses, a record whose lines are ordered).
//!
//! They live here, not in `fuzz_targets/`, so that the main crate's
//! `tests/fuzz_regressions.rs` can include this file with `#[path]` and
//! replay every saved crasher and seed through exactly the same code on the
//! stable toolchain, without depending on libFuzzer.
//!
//! This file must only use wincompat's public API and the standard library
//! (plus `serde_json`, which both crates have), so it compiles in both places.

use wincompat::model::finding::Report;
use wincompat::parse::doc::{Doc, Output};
use wincompat::report::{ReportFormat, TextStyle};

/// A fuzz target's body: arbitrary bytes in, a panic on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz_targets/*.rs` file and its
/// `tests/fuzz-corpus/<name>/` folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("parse_text", parse_text),
    ("scanner", scanner),
    ("hcs_json", hcs_json),
    ("version", version),
    ("image_ref", image_ref),
    ("analysis", analysis),
];

/// Section detection and every parser over one text: records must come
/// back with `1 <= line <= end_line`.
pub fn parse_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = wincompat::pipeline::parse_text("fuzz.txt", &text);
    for record in &parsed.records {
        assert!(record.line >= 1, "record at line 0: {record:?}");
        assert!(
            record.line <= record.end_line,
            "record ends before it starts: {record:?}"
        );
    }
    for section in &parsed.sections {
        assert!(
            section.line >= 1 && section.line <= section.end_line,
            "{section:?}"
        );
    }
}

/// One format scanner alone, picked by the first byte; the rest is the text.
pub fn scanner(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    // The format scanners of `parse::parse_text`, in its order.
    let scanners = wincompat::parse::SCANNERS;
    let Some(scanner) = scanners.get(usize::from(pick) % scanners.len()) else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let doc = Doc::new("fuzz.txt", &text);
    let mut out = Output::default();
    (scanner.scan)(&doc, &mut out);
}

/// The HCS extra-info extractor and unescaper, on the text as given and
/// after joining its lines as console-wrapped.
pub fn hcs_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = wincompat::parse::hcs_json::parse_extra_info(&text);
    let lines: Vec<&str> = text.lines().take(4096).collect();
    let joined = wincompat::parse::hcs_json::join_wrapped(&lines);
    let _ = wincompat::parse::hcs_json::parse_extra_info(&joined);
}

/// The version parsers: whole-text forms, the search inside a longer text
/// (its range must slice the text), and release names.
pub fn version(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = wincompat::model::version::parse_any(&text);
    if let Some((found, range)) = wincompat::model::version::find_version(&text) {
        assert!(
            text.get(range.clone()).is_some(),
            "find_version range {range:?} does not slice the text"
        );
        let _ = found.to_string();
    }
    let _ = wincompat::knowledge::releases::parse_version_or_release(&text);
}

/// Image references and what their tags say about the Windows build; a
/// parsed reference must survive its own `Display` form.
pub fn image_ref(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(image) = wincompat::model::ImageRef::parse(&text) else {
        return;
    };
    let _ = wincompat::knowledge::tags::base_from_reference(&image);
    let _ = image.name();
    let _ = image.family_name();
    let _ = image.tag_or_latest();
    let _ = image.with_tag("ltsc2022");
    let shown = image.to_string();
    assert!(
        wincompat::model::ImageRef::parse(&shown).is_ok(),
        "{text:?} parsed but its display form {shown:?} does not"
    );
}

/// The whole analysis on arbitrary bytes: decode, parse, analyse, render
/// every format, redact and render again. JSON must always parse.
pub fn analysis(data: &[u8]) {
    let Ok(decoded) = wincompat::input::decode::decode("fuzz.txt", data.to_vec()) else {
        return;
    };
    let parsed = wincompat::pipeline::parse_text("fuzz.txt", &decoded.text);
    let mut report = wincompat::analyze::analyze(&[parsed], &Default::default());
    render_all(&report);
    wincompat::report::redact::redact(&mut report);
    render_all(&report);
}

fn render_all(report: &Report) {
    let formats = [
        ReportFormat::Text(TextStyle::plain(100)),
        ReportFormat::Text(TextStyle {
            color: true,
            explain: true,
            ..TextStyle::plain(40)
        }),
        ReportFormat::Text(TextStyle {
            explain: true,
            charset: wincompat::report::terminal::Charset::Ascii,
            ..TextStyle::plain(100)
        }),
        ReportFormat::Markdown,
        ReportFormat::Json,
    ];
    for format in formats {
        let mut out = Vec::new();
        wincompat::report::render(report, format, &mut out).expect("rendering to a Vec");
        let out = String::from_utf8(out).expect("reports are UTF-8");
        if format == ReportFormat::Json {
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "invalid JSON report:\n{out}"
            );
        }
    }
}
