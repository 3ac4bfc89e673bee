//! The JSON report: the `Report` serialised as it is, pretty-printed, one
//! document followed by a newline. The keys are the contract (README "JSON
//! contract"); this module adds nothing and renames nothing, so a consumer
//! can deserialise the output straight back into `model::finding::Report`.
//!
//! ## Wire format
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "tool": { "name": "wincompat", "version": "…", "knowledge_date": "…" },
//!   "inputs": [ { "name": "…", "sections": [ { "kind": "kubectl-describe-pod", "line": 1 } ], "warnings": [] } ],
//!   "nodes": [ { "name": "…", "os_version": "10.0.17763.1577", "build": 17763, … } ],
//!   "findings": [ { "code": "WC101", "kind": "image-older-than-host", "severity": "error", … } ],
//!   "summary": { "findings": 1, "occurrences": 3 },
//!   "redactions": [ "2 node names" ]
//! }
//! ```
//!
//! Evidence `excerpt`s are the lines as the analysis kept them (whole, or a
//! window of at most `model::excerpt::STORED` bytes that splits no token),
//! not the display cuts of text and Markdown.
//!
//! `redactions` is present only after `--redact`. Keys inside `hcs` keep
//! hcsshim's PascalCase. serde_json escapes every control character in
//! strings, so the output is valid JSON whatever the inputs held; this
//! module must not know about colours, terminals or Markdown.

use crate::model::finding::Report;
use std::io::{self, Write};

/// Write `report` as pretty-printed JSON and a final newline.
///
/// Output starts with `{\n  "schema_version": 1,`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{Summary, ToolInfo, SCHEMA_VERSION};

    #[test]
    fn control_characters_stay_valid_json() {
        let report = Report {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo {
                name: "wincompat".to_owned(),
                version: "0.1.0\u{1b}[31m".to_owned(),
                knowledge_date: "2025-06-01".to_owned(),
            },
            inputs: Vec::new(),
            nodes: Vec::new(),
            findings: Vec::new(),
            summary: Summary {
                findings: 0,
                occurrences: 0,
            },
            redactions: Vec::new(),
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n  \"schema_version\": 1,"));
        assert!(text.contains("0.1.0\\u001b[31m"));
        assert!(!text.contains("redactions"));
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, report);
    }
}
