//! `Doc`: one decoded input split into lines, and `Output`: what the format
//! parsers add to. Every parser scans the whole `Doc` for its own signatures
//! and pushes records with 1-based line numbers.

use crate::model::{Record, RecordData, Section, SectionKind};
use regex::Regex;
use std::sync::LazyLock;

/// One input as text lines (line terminators removed; `lines[0]` is line 1).
#[derive(Debug, Clone)]
pub struct Doc {
    pub name: String,
    /// Lines as they are in the input, without `\r`/`\n`.
    pub raw: Vec<String>,
    /// The same lines with presentation noise removed so parsers can match
    /// them: Markdown quote markers (`> `), code fences' backticks are kept
    /// as lines but emptied, trailing whitespace trimmed.
    pub lines: Vec<String>,
}

impl Doc {
    /// Split decoded text into lines (`\n`, `\r\n` and lone `\r` all end a line).
    pub fn new(name: impl Into<String>, text: &str) -> Doc {
        let mut raw = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    raw.push(text[start..i].to_owned());
                    start = i + 1;
                }
                b'\r' => {
                    raw.push(text[start..i].to_owned());
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < text.len() {
            raw.push(text[start..].to_owned());
        }
        let lines = raw.iter().map(|l| clean_line(l)).collect();
        Doc {
            name: name.into(),
            raw,
            lines,
        }
    }

    /// Runs of lines where `is_line` holds, as 1-based `(first, last)`
    /// pairs. Up to `max_gap` other lines between two matching lines keep
    /// the run going (wrapped log lines, multi-line messages); a run ends at
    /// its last matching line. Linear in the number of lines.
    pub fn runs(&self, is_line: impl Fn(&str) -> bool, max_gap: usize) -> Vec<(usize, usize)> {
        self.runs_at(
            |idx| self.lines.get(idx).is_some_and(|l| is_line(l)),
            max_gap,
        )
    }

    /// [`Self::runs`], the lines chosen by their 0-based index (a scanner
    /// that parsed every line once already knows which ones it read).
    pub fn runs_at(&self, is_line: impl Fn(usize) -> bool, max_gap: usize) -> Vec<(usize, usize)> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for idx in 0..self.lines.len() {
            if !is_line(idx) {
                continue;
            }
            let n = idx + 1;
            match runs.last_mut() {
                Some(last) if n - last.1 <= max_gap + 1 => last.1 = n,
                _ => runs.push((n, n)),
            }
        }
        runs
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The cleaned text of 1-based line `n` ("" when out of range).
    pub fn line(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or("", String::as_str)
    }

    /// JSON documents that start at the beginning of a line (`{` or `[`),
    /// parsed with serde_json. Used by the JSON-reading formats (docker
    /// inspect, kubectl -o json) so that each need not re-scan.
    pub fn json_blocks(&self) -> Vec<JsonBlock> {
        let mut blocks = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.lines[i].trim_start();
            if t.starts_with('{') || t.starts_with('[') {
                if let Some((value, consumed)) = parse_json_from(&self.lines[i..]) {
                    blocks.push(JsonBlock {
                        line: i + 1,
                        end_line: i + consumed,
                        value,
                    });
                    i += consumed;
                    continue;
                }
            }
            i += 1;
        }
        blocks
    }
}

/// A JSON value found in a `Doc`, with its 1-based line span.
#[derive(Debug, Clone)]
pub struct JsonBlock {
    pub line: usize,
    pub end_line: usize,
    pub value: serde_json::Value,
}

/// Try to parse one JSON value from the start of `lines`; returns the value
/// and how many lines it used. Gives up after 200,000 lines.
fn parse_json_from(lines: &[String]) -> Option<(serde_json::Value, usize)> {
    let mut text = String::new();
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (idx, line) in lines.iter().enumerate().take(200_000) {
        text.push_str(line);
        text.push('\n');
        for c in line.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
            } else {
                match c {
                    '"' => in_str = true,
                    '{' | '[' => depth += 1,
                    '}' | ']' => depth -= 1,
                    _ => {}
                }
            }
        }
        if depth <= 0 && !in_str {
            let mut de = serde_json::Deserializer::from_str(&text);
            let value: serde_json::Value = serde::Deserialize::deserialize(&mut de).ok()?;
            return Some((value, idx + 1));
        }
    }
    None
}

/// Remove presentation noise that copy/paste adds: ANSI escape sequences
/// (GitLab's `\x1b[0K`, coloured CI output), the timestamp GitHub Actions
/// and Azure Pipelines put before every raw log line
/// (`2024-03-01T10:22:33.1234567Z `), a Markdown quote marker (`> `,
/// possibly repeated), trailing whitespace. `Doc::raw` keeps the line as it
/// was, so `ci_log` still sees the timestamps.
fn clean_line(line: &str) -> String {
    let stripped;
    let mut s = if line.contains('\u{1b}') {
        stripped = strip_ansi(line);
        stripped.as_str()
    } else {
        line
    };
    s = s.trim_end();
    if let Some(rest) = strip_ci_timestamp(s) {
        s = rest;
    }
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix('>') {
            // Only strip a quote marker when it is one (`> text` or a lone `>`),
            // not a PowerShell `>` redirect at the start of a line.
            if rest.is_empty() || rest.starts_with(' ') {
                s = rest.strip_prefix(' ').unwrap_or(rest);
                continue;
            }
        }
        break;
    }
    // A CI log quoted in a Markdown ticket: `> 2024-03-01T10:22:33.1234567Z …`
    // has its timestamp inside the quote marker.
    if let Some(rest) = strip_ci_timestamp(s) {
        s = rest;
    }
    s.to_owned()
}

/// The rest of a line after a CI runner timestamp: `2024-03-01T10:22:33.1234567Z `
/// (GitHub Actions and Azure Pipelines raw logs: seven fractional digits, `Z`,
/// one space). `None` when the line has no such prefix.
pub fn strip_ci_timestamp(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    // YYYY-MM-DDTHH:MM:SS = 19 bytes, then `.` + 7 digits + `Z` + space = 29.
    let shape = b"dddd-dd-ddTdd:dd:dd.dddddddZ ";
    if b.len() < shape.len() {
        return None;
    }
    let ok = shape.iter().zip(b).all(|(&want, &got)| match want {
        b'd' => got.is_ascii_digit(),
        _ => got == want,
    });
    if ok {
        line.get(shape.len()..)
    } else {
        None
    }
}

/// Remove ANSI CSI sequences (`ESC [ params letter`) and lone `ESC`s.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

/// What the parsers found in one `Doc`.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub records: Vec<Record>,
    pub sections: Vec<Section>,
    pub warnings: Vec<String>,
}

impl Output {
    /// Add a record spanning 1-based lines `line..=end_line`.
    pub fn record(&mut self, section: SectionKind, line: usize, end_line: usize, data: RecordData) {
        self.records.push(Record {
            line,
            end_line: end_line.max(line),
            section,
            data,
        });
    }

    /// Note a detected section.
    pub fn section(&mut self, kind: SectionKind, line: usize, end_line: usize) {
        self.sections.push(Section {
            kind,
            line,
            end_line: end_line.max(line),
        });
    }

    pub fn warn(&mut self, message: impl Into<String>) {
        self.warnings.push(message.into());
    }
}

/// Test helpers shared by the parsers' specification tests.
static RE_LOG_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\[[0-9TZ:.,+/ -]{5,40}\]\s*|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?\s+|[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?\s+)",
    )
    .expect("static regex")
});

/// A line without the timestamp a CI system or logger put before it:
/// `[10:22:33] `, `[2024-03-01T10:22:33.123Z] ` (Jenkins, TeamCity),
/// `2024-03-01 10:22:33,123 `, `10:22:33.123 ` (GitHub's and Azure's
/// seven-digit prefix is already gone from `Doc::lines`).
///
/// quirk_ci_timestamp: pipelines that run BcContainerHelper (AL-Go,
/// Azure DevOps, Jenkins) print their own timestamp before every line.
pub(crate) fn strip_log_prefix(line: &str) -> &str {
    let t = line.trim_start();
    // Every prefix starts with `[` or a digit: skip the regex otherwise.
    if !t.starts_with(|c: char| c == '[' || c.is_ascii_digit()) {
        return t;
    }
    match RE_LOG_PREFIX.find(line) {
        Some(m) => line.get(m.end()..).unwrap_or(line),
        None => line.trim_start(),
    }
}

#[cfg(test)]
impl Output {
    /// What `scan` finds in `text`.
    pub(crate) fn scanning(scan: fn(&Doc, &mut Output), text: &str) -> Output {
        let doc = Doc::new("t", text);
        let mut out = Output::default();
        scan(&doc, &mut out);
        out
    }

    /// What `scan` finds in the shared corpus file `name` (a path below
    /// `../shared/corpus`), or `None` when the corpus is not beside the
    /// project (the tests that use it then skip).
    pub(crate) fn scanning_corpus(scan: fn(&Doc, &mut Output), name: &str) -> Option<Output> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus")
            .join(name);
        let text = std::fs::read_to_string(path).ok()?;
        let mut out = Output::default();
        scan(&Doc::new(name, &text), &mut out);
        Some(out)
    }

    /// Host records with their facts.
    pub(crate) fn hosts(&self) -> Vec<(&Record, &crate::model::HostFacts)> {
        self.typed(|d| match d {
            RecordData::Host(x) => Some(x),
            _ => None,
        })
    }

    /// Workload records with their facts.
    pub(crate) fn workloads(&self) -> Vec<(&Record, &crate::model::Workload)> {
        self.typed(|d| match d {
            RecordData::Workload(x) => Some(x),
            _ => None,
        })
    }

    /// Event records with their facts.
    pub(crate) fn events(&self) -> Vec<(&Record, &crate::model::Event)> {
        self.typed(|d| match d {
            RecordData::Event(x) => Some(x),
            _ => None,
        })
    }

    /// The records whose data `pick` accepts, with the data.
    pub(crate) fn typed<'o, T>(
        &'o self,
        pick: impl Fn(&'o RecordData) -> Option<&'o T>,
    ) -> Vec<(&'o Record, &'o T)> {
        self.records
            .iter()
            .filter_map(|r| pick(&r.data).map(|t| (r, t)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_line_ending() {
        let doc = Doc::new("t", "a\r\nb\rc\nd");
        assert_eq!(doc.raw, ["a", "b", "c", "d"]);
    }

    #[test]
    fn strips_markdown_quotes_but_not_redirects() {
        let doc = Doc::new("t", "> > quoted\n>redirect\n>\n");
        assert_eq!(doc.lines, ["quoted", ">redirect", ""]);
    }

    #[test]
    fn strips_ci_timestamps_and_ansi_but_keeps_raw() {
        let doc = Doc::new(
            "t",
            "2024-03-01T10:22:33.1234567Z ##[group]Run docker info\n\u{1b}[0Ksection_start:1709288553:build\r\u{1b}[0K\n\u{1b}[31;1mERROR: Job failed\u{1b}[0;m\n",
        );
        assert_eq!(doc.lines[0], "##[group]Run docker info");
        assert_eq!(
            doc.raw[0],
            "2024-03-01T10:22:33.1234567Z ##[group]Run docker info"
        );
        // The `\r` inside a GitLab line ends a line, as a terminal would show it.
        assert_eq!(doc.lines[1], "section_start:1709288553:build");
        assert_eq!(doc.lines[3], "ERROR: Job failed");
        // Six fractional digits is not the CI runner prefix.
        assert_eq!(strip_ci_timestamp("2024-03-01T10:22:33.123456Z x"), None);
    }

    #[test]
    fn runs_bridge_small_gaps_only() {
        let doc = Doc::new("t", "a1\nx\na2\nx\nx\nx\na3\n");
        assert_eq!(doc.runs(|l| l.starts_with('a'), 1), [(1, 3), (7, 7)]);
        assert_eq!(doc.runs(|l| l.starts_with('a'), 3), [(1, 7)]);
    }

    #[test]
    fn finds_json_blocks_after_text() {
        let doc = Doc::new(
            "t",
            "$ docker info\n[\n  {\"Os\": \"windows\"}\n]\ntrailing\n{broken\n",
        );
        let blocks = doc.json_blocks();
        assert_eq!(blocks.len(), 1);
        assert_eq!((blocks[0].line, blocks[0].end_line), (2, 4));
    }
}
