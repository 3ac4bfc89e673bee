//! Parsers: turn one decoded input into typed records with line numbers.
//!
//! Every format module scans the whole document for its own signatures
//! (never the file name) and the failure recogniser scans everything, so a
//! failure message is found whatever surrounds it. Parsers decide nothing
//! about root causes and know nothing of reports.
//!
//! Large inputs are not parsed whole: the pipeline (`crate::pipeline`)
//! streams them through `input::stream`, which hands over windows of lines
//! around the [`prefilter`] literals, each parsed here with
//! [`parse_window`] and its line numbers shifted to the input's.
//!
//! This module imports only `model`: it neither reads input (that is
//! `input`, driven by `pipeline`) nor asks the knowledge table (a message
//! whose code it cannot tell is left in `Failure::unidentified_text` for
//! the pipeline to identify).

pub mod doc;

pub mod ci_log;
pub mod daemon_log;
pub mod docker_cli;
pub mod docker_info;
pub mod docker_inspect;
pub mod docker_ps;
pub mod dockerfile;
pub mod failure;
pub mod gated;
pub mod hcs_json;
pub mod klog;
pub mod kube_json;
pub mod kubectl_describe;
pub mod kubectl_get;
pub mod powershell;
pub mod prefilter;
pub mod version_query;
pub mod winevent;

use crate::model::ParsedInput;
use doc::{Doc, Output};

/// A format scanner: its module's name, the function that scans a whole
/// document, and the literals (lower case) that can start its sections or
/// records. The streaming prefilter ([`prefilter`]) is derived from the
/// literals, so a new format needs one row here and nothing else there.
#[derive(Debug, Clone, Copy)]
pub struct Scanner {
    pub name: &'static str,
    pub scan: fn(&Doc, &mut Output),
    pub literals: &'static [&'static str],
}

macro_rules! scanner {
    ($module:ident) => {
        Scanner {
            name: stringify!($module),
            scan: $module::scan,
            literals: $module::LITERALS,
        }
    };
}

/// The format scanners, in the order they run. The failure recogniser runs
/// last and over everything.
pub const SCANNERS: &[Scanner] = &[
    scanner!(docker_ps),
    scanner!(docker_info),
    scanner!(docker_inspect),
    scanner!(docker_cli),
    scanner!(dockerfile),
    scanner!(kubectl_describe),
    scanner!(kubectl_get),
    scanner!(kube_json),
    scanner!(daemon_log),
    scanner!(klog),
    scanner!(ci_log),
    scanner!(powershell),
    scanner!(version_query),
    scanner!(winevent),
    scanner!(failure),
];

/// Parse one decoded input.
pub fn parse_text(name: &str, text: &str) -> ParsedInput {
    let doc = Doc::new(name, text);
    let mut out = Output::default();
    for scanner in SCANNERS {
        (scanner.scan)(&doc, &mut out);
    }
    out.sections.sort_by_key(|s| (s.line, s.kind));
    out.records.sort_by_key(|r| r.line);
    ParsedInput {
        name: name.to_owned(),
        sections: out.sections,
        records: out.records,
        warnings: out.warnings,
        ..ParsedInput::default()
    }
}

/// Parse one window of a streamed input (`text` starts at 1-based line
/// `first_line` of the input) and add its sections, records and warnings
/// to `into`, with line numbers as in the whole input.
///
/// A section that continues one of the same kind ending on the line
/// before (or overlapping it) is merged into it. Sections are not bridged
/// over the lines between windows: those were not parsed, and guessing
/// their kind would change which section a line is said to be in.
pub fn parse_window(into: &mut ParsedInput, first_line: usize, text: &str) {
    let shift = first_line.saturating_sub(1);
    let parsed = parse_text(&into.name, text);
    for mut s in parsed.sections {
        s.line += shift;
        s.end_line += shift;
        match into.sections.last_mut() {
            Some(last) if last.kind == s.kind && s.line <= last.end_line + 1 => {
                last.end_line = last.end_line.max(s.end_line);
            }
            _ => into.sections.push(s),
        }
    }
    for mut r in parsed.records {
        r.line += shift;
        r.end_line += shift;
        into.records.push(r);
    }
    for w in parsed.warnings {
        if !into.warnings.contains(&w) {
            into.warnings.push(w);
        }
    }
}
