//! Folding equal failure records as an input is parsed, so that what the
//! pipeline keeps per input is bounded by the number of *different*
//! failures, not by the number of failure lines (issue 15: a million
//! failure lines used to keep a million records, 2 KB each).
//!
//! A failure record is folded into an earlier kept one of the same input
//! when the analysis could not tell them apart except by their container
//! id, time, line and text:
//! - the same failure: every field of the record equal once container ids
//!   (and other hex ids of 8+ digits with a letter and a digit, such as
//!   HCS volume GUIDs and the 12-digit `HostName` Docker gives a
//!   container) are masked and the timestamp is left out; the image, the
//!   platform and the HCS layer list are compared unmasked (they name the
//!   image, which decides the diagnosis);
//! - in the same context: the same section kind around both, no other
//!   record (workload, event, invocation, host, image, cut output) starting
//!   or ending between them, and the same answer to "is the command line
//!   before it within 60 lines" (what `analyze::correlate` looks at by
//!   position);
//! - a failure whose text stops before its cause (`cut`) is never folded:
//!   the truncation notes count them one by one.
//!
//! The trade-off: a folded record is placed (workload, node) by the
//! container id of the record kept; a later id is kept only as a hash (at
//! most `MAX_FOLDED_CONTAINER_KEYS`) for the de-duplication across inputs,
//! so a folded failure whose container id alone names another workload
//! described elsewhere is counted with the first one. Equal failures of one
//! context are one container's restarts in every input seen so far.
//!
//! Knows records (`model`); nothing of input formats or reports.

use crate::model::parsed::{container_key, MAX_FOLDED_CONTAINER_KEYS};
use crate::model::{FailureCause, ParsedInput, RecordData, Section, SectionKind};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// How far back (lines) `analyze::correlate` looks for the command line
/// that started a failing container.
const INVOCATION_REACH: usize = 60;

/// More sections than this around one chunk and the chunk is not folded
/// (finding the section around each failure would cost more than it saves).
const MAX_SECTIONS_LOOKED_AT: usize = 512;

/// The folding state of one input, kept across the windows of a stream.
#[derive(Debug, Default)]
pub(crate) struct Folder {
    /// Fold key → index (in `records`) of the kept record still open to
    /// folds: the context has not changed since it.
    open: HashMap<u64, usize>,
    /// Line of the last command-line record (`docker run …`) seen.
    last_invocation: Option<usize>,
}

/// What happens at a line, in the order handled at equal lines: a record
/// starting closes every open record before it; failures; a record ending
/// closes every open record at or before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Starts { invocation: bool },
    Failure(usize),
    Ends,
}

impl Folder {
    /// Fold the records parsed last (`parsed.records[from..]`, in line
    /// order as `parse` returns them) into the open ones, removing those
    /// folded.
    pub(crate) fn fold_new(&mut self, parsed: &mut ParsedInput, from: usize) {
        let Some(new) = parsed.records.get(from..) else {
            return;
        };
        let Some(first_line) = new.iter().map(|r| r.line).min() else {
            return;
        };
        let sections = sections_from(&parsed.sections, first_line);
        if sections.len() > MAX_SECTIONS_LOOKED_AT {
            // Context changes between chunks are not tracked here: nothing
            // folds across it either.
            self.open.clear();
            return;
        }
        let mut steps: Vec<(usize, Step)> = Vec::with_capacity(new.len());
        for (i, r) in new.iter().enumerate() {
            match &r.data {
                RecordData::Failure(f) if f.cause != FailureCause::Cut => {
                    steps.push((r.line, Step::Failure(from + i)));
                }
                RecordData::Failure(_) => {}
                data => {
                    let invocation = matches!(data, RecordData::Invocation(_));
                    steps.push((r.line, Step::Starts { invocation }));
                    steps.push((r.end_line, Step::Ends));
                }
            }
        }
        // Stable: failures of one line stay in record order.
        steps.sort_by_key(|&(line, step)| (line, step));
        let mut folded_into: HashMap<usize, usize> = HashMap::new();
        for (line, step) in steps {
            match step {
                Step::Starts { invocation } => {
                    self.open.clear();
                    if invocation {
                        self.last_invocation = Some(line);
                    }
                }
                Step::Ends => self.open.clear(),
                Step::Failure(i) => {
                    let Some(record) = parsed.records.get(i) else {
                        continue;
                    };
                    let key = fold_key(record, section_kind_at(&sections, record.line));
                    let into = self.open.get(&key).copied().filter(|&kept| {
                        parsed
                            .records
                            .get(kept)
                            .is_some_and(|k| self.same_invocation_reach(k.line, line))
                    });
                    match into {
                        Some(kept) => {
                            folded_into.insert(i, kept);
                        }
                        None => {
                            self.open.insert(key, i);
                        }
                    }
                }
            }
        }
        if folded_into.is_empty() {
            return;
        }
        // Remove the folded records, recording each in its kept record's
        // fold, and renumber what stays (indexes from `from` on shift).
        let tail = parsed.records.split_off(from);
        let mut renumber: HashMap<usize, usize> = HashMap::new();
        for (offset, record) in tail.into_iter().enumerate() {
            let i = from + offset;
            match folded_into.get(&i) {
                Some(&kept) => {
                    let kept = renumber.get(&kept).copied().unwrap_or(kept);
                    let RecordData::Failure(f) = record.data else {
                        continue;
                    };
                    let fold = parsed.folds.entry(kept).or_default();
                    fold.more = fold.more.saturating_add(1);
                    fold.last_line = record.line;
                    if let Some(key) = f
                        .container
                        .as_deref()
                        .and_then(|id| container_key(id, &f.text))
                    {
                        if fold.container_keys.len() < MAX_FOLDED_CONTAINER_KEYS {
                            fold.container_keys.push(key);
                        }
                    }
                    fold.last_text = f.text;
                    fold.last_timestamp = f.timestamp;
                }
                None => {
                    renumber.insert(i, parsed.records.len());
                    parsed.records.push(record);
                }
            }
        }
        for kept in self.open.values_mut() {
            if let Some(&now) = renumber.get(kept) {
                *kept = now;
            }
        }
        // Folds opened in this chunk were keyed by the new index above.
    }

    /// Whether records at `kept` and `line` both are, or both are not,
    /// within reach of the last command line (`correlate` looks 60 lines
    /// back).
    fn same_invocation_reach(&self, kept: usize, line: usize) -> bool {
        match self.last_invocation {
            Some(inv) if inv <= kept => {
                (kept - inv <= INVOCATION_REACH) == (line - inv <= INVOCATION_REACH)
            }
            _ => true,
        }
    }
}

/// The sections that may hold a line from `first_line` on (`parse` sorts
/// them by line; a stream's windows add them in line order). Text sections
/// never count as context (`analyze::index::section_at`).
fn sections_from(sections: &[Section], first_line: usize) -> Vec<&Section> {
    sections
        .iter()
        .filter(|s| s.kind != SectionKind::Text && s.end_line >= first_line)
        .collect()
}

/// The kind of the smallest section holding `line` (as `section_at`).
fn section_kind_at(sections: &[&Section], line: usize) -> Option<SectionKind> {
    sections
        .iter()
        .filter(|s| s.line <= line && line <= s.end_line)
        .min_by_key(|s| s.end_line - s.line)
        .map(|s| s.kind)
}

/// What two records must share to fold (see the module doc).
fn fold_key(record: &crate::model::Record, around: Option<SectionKind>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    record.section.hash(&mut h);
    around.hash(&mut h);
    if let RecordData::Failure(f) = &record.data {
        let mut f = f.clone();
        f.image.hash(&mut h);
        f.platform.hash(&mut h);
        f.image = None;
        f.platform = None;
        if let Some(hcs) = f.hcs.as_mut() {
            format!("{:?}", hcs.layers).hash(&mut h);
            hcs.layers.clear();
        }
        f.timestamp = None;
        let text = std::mem::take(&mut f.text);
        mask_ids(&text).hash(&mut h);
        mask_ids(&format!("{f:?}")).hash(&mut h);
    }
    h.finish()
}

/// `text` with every run of 8+ hex digits and dashes that holds both a
/// letter and a digit, and every run of 32+, replaced by `#` (container
/// ids, GUIDs, a 64-digit id that happens to hold no letter), so that two
/// restarts of one container image compare equal. Decimal numbers (builds,
/// codes printed in decimal) and words stay.
pub(crate) fn mask_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_hexdigit() || **b == b'-')
            .count();
        let chunk = text.get(i..i + run).unwrap_or_default();
        let letter = chunk.bytes().any(|b| b.is_ascii_alphabetic());
        let digit = chunk.bytes().any(|b| b.is_ascii_digit());
        if (run >= 8 && letter && digit) || run >= 32 {
            out.push('#');
            i += run;
        } else if run > 0 {
            out.push_str(chunk);
            i += run;
        } else {
            // One character (not ASCII hex): copy it whole.
            let c = text.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Failure, FailureKind, Invocation, Record};

    fn failure(line: usize, id: &str) -> Record {
        Record {
            line,
            end_line: line,
            section: SectionKind::DaemonLog,
            data: RecordData::Failure(Failure {
                kind: Some(FailureKind::Hcs),
                cause: FailureCause::Mismatch,
                hcs_code: Some(0xc037_0101),
                container: Some(id.to_owned()),
                timestamp: Some(format!("t{line}")),
                text: format!("container {id} encountered an error during CreateContainer"),
                ..Failure::default()
            }),
        }
    }

    fn invocation(line: usize) -> Record {
        Record {
            line,
            end_line: line,
            section: SectionKind::DockerCli,
            data: RecordData::Invocation(Invocation {
                command: "docker run".to_owned(),
                image: None,
                isolation: None,
                name: None,
                text: "docker run x".to_owned(),
            }),
        }
    }

    const A: &str = "5c3e9a1f7b20d4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4";
    const B: &str = "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

    #[test]
    fn restarts_of_one_failure_fold_into_the_first_with_a_count_and_the_last() {
        let mut p = ParsedInput {
            records: vec![failure(1, A), failure(2, B), failure(3, A)],
            ..ParsedInput::default()
        };
        Folder::default().fold_new(&mut p, 0);
        assert_eq!(p.records.len(), 1);
        let fold = &p.folds[&0];
        assert_eq!(fold.more, 2);
        assert_eq!(fold.last_line, 3);
        assert_eq!(fold.last_timestamp.as_deref(), Some("t3"));
        assert_eq!(fold.container_keys.len(), 2);
    }

    #[test]
    fn a_record_in_between_keeps_failures_apart() {
        let mut p = ParsedInput {
            records: vec![failure(1, A), invocation(2), failure(3, A)],
            ..ParsedInput::default()
        };
        Folder::default().fold_new(&mut p, 0);
        assert_eq!(p.records.len(), 3);
        assert!(p.folds.is_empty());
    }

    #[test]
    fn folds_carry_across_windows_and_renumber() {
        let mut p = ParsedInput {
            records: vec![failure(1, A)],
            ..ParsedInput::default()
        };
        let mut folder = Folder::default();
        folder.fold_new(&mut p, 0);
        p.records
            .extend([invocation(100), failure(101, A), failure(102, B)]);
        folder.fold_new(&mut p, 1);
        assert_eq!(p.records.len(), 3);
        assert_eq!(p.folds[&2].more, 1);
        p.records.push(failure(200, B));
        folder.fold_new(&mut p, 3);
        // 99 lines after the command line, the first at 1: not the same
        // reach, so not folded.
        assert_eq!(p.records.len(), 4);
    }

    #[test]
    fn ids_are_masked_but_builds_and_words_are_not() {
        assert_eq!(
            mask_ids(
                "container 5c3e9a1f7b20 on 10.0.17763 deadbeef {0c7e5a3b-1d2f-4e6a} \
                 0000000000000000000000000000000000000000000000000000997554934276"
            ),
            "container # on 10.0.17763 deadbeef {#} #"
        );
    }
}
