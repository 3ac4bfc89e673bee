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
    ("nothing_lost", nothing_lost),
    ("nothing_lost_wrapped", nothing_lost_wrapped),
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

/// Complete failure lines, each one failure whose own words state the
/// mismatch (`cause: mismatch`), as the tools print them.
const PLANTED: &[&str] = &[
    "docker: Error response from daemon: container 5c3e9a1f7b20 encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)",
    "Error response from daemon: a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host.",
    "Error response from daemon: no matching manifest for windows/amd64 10.0.17763 in the manifest list entries",
    "failed to create shim task: hcs::CreateComputeSystem 9b8e7d6c5a41: The container operating system does not match the host operating system.: unknown",
    "container 5c3e9a1f7b20d4c6 encountered an error during hcs::System::Start: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)",
];

/// Reads choices from the fuzz input, one byte at a time (0 once spent).
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    /// A noise line: log-like words from a small alphabet (no quotes or
    /// backslashes, which would change how the planted line is read).
    fn noise(&mut self) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789 .,:=_/-";
        let len = self.below(80);
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }
}

/// How many failures the pipeline finds in `text`: records kept and those
/// folded into them, by cause.
fn failures_found(text: &str) -> (u64, u64) {
    let parsed = wincompat::pipeline::parse_text("fuzz.txt", text);
    let (mut mismatch, mut all) = (0u64, 0u64);
    for (i, record) in parsed.records.iter().enumerate() {
        let wincompat::model::RecordData::Failure(f) = &record.data else {
            continue;
        };
        let n = 1 + parsed.folds.get(&i).map_or(0, |fold| fold.more);
        all += n;
        if f.cause == wincompat::model::FailureCause::Mismatch {
            mismatch += n;
        }
    }
    (mismatch, all)
}

/// "Nothing lost" (issue 15): one failure line, chosen and dressed by the
/// fuzz input (quoted in a logrus `msg="…"` or a klog `err="…"`, escaped
/// once or twice, inside a JSON log line, prefixed by a timestamp) among
/// noise lines, must be found exactly once, stating the mismatch; and the
/// analysis must count it once. Noise that is a failure by itself is
/// skipped (the fuzzer writes wordings too).
pub fn nothing_lost(data: &[u8]) {
    plant(data, false);
}

/// [`nothing_lost`] with the planted line also console-wrapped: one line
/// break, with or without indentation, at a place the fuzz input picks
/// (between two words, or inside one).
pub fn nothing_lost_wrapped(data: &[u8]) {
    plant(data, true);
}

fn plant(data: &[u8], wrap: bool) {
    let mut c = Choices(data);
    let failure = PLANTED[c.below(PLANTED.len())];
    let before: Vec<String> = (0..c.below(4)).map(|_| c.noise()).collect();
    let after: Vec<String> = (0..c.below(4)).map(|_| c.noise()).collect();
    let noise = [before.clone(), after.clone()].concat().join("\n");
    if failures_found(&noise).1 > 0 {
        return;
    }
    let mut line = match c.below(6) {
        // As printed by docker on a terminal.
        0 => failure.to_owned(),
        // dockerd's logrus line: quotes escaped once.
        1 => format!(
            "time=\"2024-03-01T10:22:33.123456789Z\" level=error msg=\"{}\"",
            failure.replace('"', "\\\"")
        ),
        // kubelet's klog line.
        2 => format!(
            "E0301 10:22:33.123456    4388 remote_runtime.go:343] \"StartContainer from runtime service failed\" err=\"rpc error: code = Unknown desc = {}\"",
            failure.replace('"', "\\\"")
        ),
        // A JSON log line (`docker logs` of a daemon in a container).
        3 => format!(
            "{{\"log\":\"{}\\n\",\"stream\":\"stderr\",\"time\":\"2024-03-01T10:22:33Z\"}}",
            failure.replace('"', "\\\"")
        ),
        // A CI runner's timestamp.
        4 => format!("2024-03-01T10:22:33.1234567Z {failure}"),
        // Quoted twice: a klog line quoting a logrus message.
        _ => format!(
            "E0301 10:22:33.123456    4388 kuberuntime_manager.go:1256] \"Error syncing pod\" err=\"msg=\\\"{}\\\"\"",
            failure.replace('"', "\\\\\\\"")
        ),
    };
    if wrap {
        let at = c.byte();
        let spaces: Vec<usize> = line.match_indices(' ').map(|(i, _)| i).collect();
        let indent = ["", "  ", "\t"][c.below(3)];
        let cut = if at % 2 == 0 && !spaces.is_empty() {
            // Between two words: the space becomes the line end.
            let i = spaces[usize::from(at / 2) % spaces.len()];
            Some((i, i + 1))
        } else {
            let chars: Vec<usize> = line.char_indices().map(|(i, _)| i).skip(1).collect();
            chars
                .get(usize::from(at) % chars.len().max(1))
                .map(|&i| (i, i))
        };
        if let Some((end, start)) = cut {
            let (head, tail) = (
                line.get(..end).unwrap_or(""),
                line.get(start..).unwrap_or(""),
            );
            line = format!("{head}\n{indent}{tail}");
        }
    }
    let text = [before, vec![line], after].concat().join("\n") + "\n";
    let (mismatch, all) = failures_found(&text);
    assert!(
        mismatch == 1 && all == 1,
        "planted one failure, found {all} ({mismatch} stating the mismatch) in:\n{text}"
    );
    let report = wincompat::analyze::analyze(
        &[wincompat::pipeline::parse_text("fuzz.txt", &text)],
        &Default::default(),
    );
    assert_eq!(
        report.summary.occurrences, 1,
        "planted one failure, the report counts {} in:\n{text}",
        report.summary.occurrences
    );
}
