//! The read-and-parse pipeline, the floor above `input` and `parse` that
//! wires them together: `input::plan` lists the files, each is opened
//! (`input::open`) on a rayon worker, small inputs are parsed whole
//! ([`parse::parse_text`]) and large ones streamed: `input::stream::scan`
//! cuts windows around the [`prefilter`] literals and each window is parsed
//! with [`parse::parse_window`]. Failure messages the parser could not put
//! a code to are then identified by their wording in the knowledge table
//! ([`identify_codes`]), and equal failures of one context are folded into
//! the first as they are parsed (`fold`), so that what an input keeps does
//! not grow with its number of failures. Results come back in plan order,
//! so the output is the same whatever the number of threads.
//!
//! Neither `input` nor `parse` knows the other; this module is the only
//! place that knows both. It decides nothing about root causes (that is
//! `analyze`), prints nothing and reads no environment: progress reporting
//! is the caller's callback.

use crate::input::stream::{self, StreamOptions};
use crate::input::{self, InputError, OpenOptions, Opened, Planned, Source};
use crate::knowledge::hcs_codes;
use crate::model::{ParsedInput, Record, RecordData};
use crate::parse::{self, parse_window, prefilter};
use rayon::prelude::*;
use std::sync::mpsc;

mod fold;

/// How inputs are read: when to stream, and how to cut windows.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    pub open: OpenOptions,
    pub stream: StreamOptions,
}

/// Everything read and parsed from the sources, in source order.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    pub parsed: Vec<ParsedInput>,
    pub errors: Vec<InputError>,
    pub skipped: Vec<InputError>,
    /// Inputs that were streamed rather than held whole.
    pub streamed: usize,
}

enum Item {
    Parsed(ParsedInput, bool),
    Error(InputError),
    Skip(InputError),
}

/// Read and parse every source; `progress` gets raw byte counts as they
/// are read (from any thread).
pub fn read_and_parse(
    sources: &[Source],
    opts: &PipelineOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Collected {
    let plan = input::plan(sources);
    read_plan(&plan, opts, progress)
}

/// [`read_and_parse`] over an already computed plan (the caller may have
/// summed file sizes from it for a progress bar).
pub fn read_plan(
    plan: &[Planned],
    opts: &PipelineOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Collected {
    // A folder keeps every core busy with one input each; one input on its
    // own is searched on a second thread while it is read.
    let stream_opts = StreamOptions {
        search_thread: opts.stream.search_thread && plan.len() <= 1,
        ..opts.stream.clone()
    };
    let read_one = |entry: &Planned| {
        let mut items = Vec::new();
        input::open(entry, opts.open, progress, &mut |opened| {
            items.push(match opened {
                Opened::Text(decoded) => {
                    let mut p = parse_text(&decoded.name, &decoded.text);
                    let named = unnamed(&decoded.name, decoded.warnings);
                    p.warnings.splice(0..0, named);
                    Item::Parsed(p, false)
                }
                Opened::Stream {
                    name,
                    reader,
                    warnings,
                } => match parse_stream(&name, reader, &stream_opts) {
                    Ok(mut p) => {
                        p.warnings.splice(0..0, unnamed(&name, warnings));
                        Item::Parsed(p, true)
                    }
                    Err(e) => Item::Error(InputError {
                        name,
                        message: e.to_string(),
                    }),
                },
                Opened::Mapped { name, text } => Item::Parsed(
                    parse_slice(&name, text.bytes(), &stream_opts, &mut |n| {
                        text.done_before(n);
                    }),
                    true,
                ),
                Opened::Error(e) => Item::Error(e),
                Opened::Skip(e) => Item::Skip(e),
            });
        });
        items
    };
    // One entry (the common paste): no thread pool to start.
    let items: Vec<Vec<Item>> = if plan.len() <= 1 {
        plan.iter().map(read_one).collect()
    } else {
        plan.par_iter().map(read_one).collect()
    };
    let mut out = Collected::default();
    for item in items.into_iter().flatten() {
        match item {
            Item::Parsed(p, streamed) => {
                out.streamed += usize::from(streamed);
                out.parsed.push(p);
            }
            Item::Error(e) => out.errors.push(e),
            Item::Skip(e) => out.skipped.push(e),
        }
    }
    out
}

/// A report's warnings sit under their input's name, so a decoding note
/// that starts with it (`big.log: line 2 longer than…`, the form `input`
/// writes for callers that list notes of several inputs) loses it here:
/// otherwise the report says "big.log: big.log: line 2…" (issue 15).
fn unnamed(name: &str, warnings: Vec<String>) -> Vec<String> {
    let prefix = format!("{name}: ");
    warnings
        .into_iter()
        .map(|w| match w.strip_prefix(&prefix) {
            Some(rest) => rest.to_owned(),
            None => w,
        })
        .collect()
}

/// Stream one input (UTF-8 bytes) and parse the windows around literal
/// hits. Lines longer than `max_line_bytes` are reported in a warning
/// (under the input's name in the report) that lists the lines.
pub fn parse_stream(
    name: &str,
    reader: &mut dyn std::io::Read,
    opts: &StreamOptions,
) -> std::io::Result<ParsedInput> {
    parse_scan(name, opts, |finder, on_window| {
        stream::scan(reader, finder, opts, on_window)
    })
}

/// [`parse_stream`] over UTF-8 bytes in memory (a mapped file), scanned
/// in place (`stream::scan_slice`); `consumed(n)`: no byte before `n` is
/// read again.
pub fn parse_slice(
    name: &str,
    bytes: &[u8],
    opts: &StreamOptions,
    consumed: &mut dyn FnMut(usize),
) -> ParsedInput {
    let scanned = parse_scan(name, opts, |finder, on_window| {
        Ok::<_, std::convert::Infallible>(stream::scan_slice(
            bytes, finder, opts, consumed, on_window,
        ))
    });
    match scanned {
        Ok(parsed) => parsed,
        Err(never) => match never {},
    }
}

/// Parse the windows a scan cuts around literal hits (the body of
/// [`parse_stream`] and [`parse_slice`]): `scan` is given the finder and
/// where windows go, and returns its summary.
fn parse_scan<E>(
    name: &str,
    opts: &StreamOptions,
    scan: impl FnOnce(
        stream::Finder<'_>,
        &mut dyn FnMut(stream::Window),
    ) -> Result<stream::StreamSummary, E>,
) -> Result<ParsedInput, E> {
    let finder = stream::Finder {
        hits: &prefilter::hits,
        max_len: prefilter::max_literal_len(),
    };
    let mut windows = WindowParser::new(name);
    let summary = if opts.search_thread {
        // One input on its own: windows are parsed on a thread of their
        // own while the scan goes on (issue 14: parsing them after each
        // search held the scan up by a third on a log with failures).
        // They arrive in order, at most `PARSE_QUEUE` waiting.
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<stream::Window>(PARSE_QUEUE);
            let parser = scope.spawn(move || {
                for w in rx {
                    windows.parse(&w);
                }
                windows
            });
            // The parser ends only when the channel is dropped, so a send
            // fails only if it panicked: joining it raises that panic here.
            let summary = scan(finder, &mut |w| {
                let _ = tx.send(w);
            });
            drop(tx);
            let parsed = parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (summary, parsed)
        })
    } else {
        let summary = scan(finder, &mut |w| windows.parse(&w));
        (summary, windows)
    };
    let (summary, windows) = summary;
    let summary = summary?;
    let WindowParser {
        mut parsed,
        invalid,
        ..
    } = windows;
    if invalid {
        parsed
            .warnings
            .push("invalid UTF-8 replaced with U+FFFD (in the lines parsed)".to_owned());
    }
    if summary.long_line_count > 0 {
        const NAMED: usize = 5;
        let listed: Vec<String> = summary
            .long_lines
            .iter()
            .take(NAMED)
            .map(usize::to_string)
            .collect();
        let more = summary.long_line_count.saturating_sub(NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        parsed.warnings.push(format!(
            "line {}{more} longer than {} KiB; only the first {} KiB of each was kept, or its start and the text around a failure or version literal found past that",
            listed.join(", "),
            opts.max_line_bytes >> 10,
            opts.max_line_bytes >> 10,
        ));
    }
    Ok(parsed)
}

/// A window's first section of the same kind as the last section before
/// the window, separated from it only by lines the prefilter skipped (no
/// literal of any format in them), continues it: a log with a failure
/// every thousand lines is one `daemon-log` section, as when it is parsed
/// whole, not one per window (issue 15: sections grew with the number of
/// failures).
fn join_sections_across_unread_lines(
    sections: &mut Vec<crate::model::Section>,
    from: usize,
    window_first_line: usize,
) {
    let (Some(prev), Some(first)) = (
        from.checked_sub(1).and_then(|i| sections.get(i)),
        sections.get(from),
    ) else {
        return;
    };
    if prev.kind == first.kind && prev.end_line < window_first_line {
        let end = first.end_line.max(prev.end_line);
        sections.remove(from);
        if let Some(prev) = from.checked_sub(1).and_then(|i| sections.get_mut(i)) {
            prev.end_line = end;
        }
    }
}

/// Windows waiting for the parsing thread. Few: a window can be 4 MiB
/// (`StreamOptions::max_window_bytes`) when failures repeat densely, and
/// the scan should then wait for the parser rather than queue them.
const PARSE_QUEUE: usize = 2;

/// What is parsed of one input's windows so far.
struct WindowParser {
    parsed: ParsedInput,
    folder: fold::Folder,
    /// A window held invalid UTF-8.
    invalid: bool,
}

impl WindowParser {
    fn new(name: &str) -> Self {
        WindowParser {
            parsed: ParsedInput {
                name: name.to_owned(),
                ..ParsedInput::default()
            },
            folder: fold::Folder::default(),
            invalid: false,
        }
    }

    /// Parse the next window (in input order) into the input's records,
    /// joining its first section to the one before and folding repeats.
    fn parse(&mut self, w: &stream::Window) {
        let text = String::from_utf8_lossy(&w.text);
        self.invalid |= matches!(text, std::borrow::Cow::Owned(_));
        let parsed = &mut self.parsed;
        let before = parsed.records.len();
        let sections_before = parsed.sections.len();
        parse_window(parsed, w.first_line, &text);
        join_sections_across_unread_lines(&mut parsed.sections, sections_before, w.first_line);
        identify_codes(parsed.records.get_mut(before..).unwrap_or_default());
        self.folder.fold_new(parsed, before);
    }
}

/// Parse one decoded input whole ([`parse::parse_text`]), identify the
/// codes of failure messages by their wording ([`identify_codes`]) and fold
/// equal failures (`fold`): what the pipeline does with an input it holds
/// in memory.
pub fn parse_text(name: &str, text: &str) -> ParsedInput {
    let mut parsed = parse::parse_text(name, text);
    identify_codes(&mut parsed.records);
    fold::Folder::default().fold_new(&mut parsed, 0);
    parsed
}

/// For each failure the parser could not put a code to
/// (`Failure::unidentified_text`), ask the knowledge table which code its
/// wording is (`The system cannot find the path specified.` → 0x3) and
/// clear the text.
pub fn identify_codes(records: &mut [Record]) {
    for record in records {
        if let RecordData::Failure(f) = &mut record.data {
            if let Some(text) = f.unidentified_text.take() {
                f.hcs_code = f
                    .hcs_code
                    .or_else(|| hcs_codes::by_message(&text).map(|c| c.code));
            }
            if let Some(cut) = f.unconfirmed_cut.take() {
                if hcs_codes::could_start_other_message(&cut) {
                    f.cause = crate::model::FailureCause::Cut;
                }
            }
        }
    }
}
