//! Analysis: correlate the records of every input, diagnose each failure
//! with the knowledge base, and build the `Report`.

use crate::model::finding::Report;
use crate::model::WindowsVersion;
use crate::parse::ParsedInput;

pub mod preflight;

/// Facts given on the command line (`--node`, `--host`, `--image-version`).
#[derive(Debug, Clone, Default)]
pub struct GivenFacts {
    pub nodes: Vec<(String, WindowsVersion)>,
    pub host: Option<WindowsVersion>,
    pub images: Vec<(String, WindowsVersion)>,
}

/// Analyse parsed inputs into a report.
pub fn analyze(inputs: &[ParsedInput], given: &GivenFacts) -> Report {
    let _ = (inputs, given);
    todo_report()
}

fn todo_report() -> Report {
    use crate::model::finding::*;
    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo {
            name: "wincompat".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            knowledge_date: crate::knowledge::KNOWLEDGE_DATE.to_owned(),
        },
        inputs: Vec::new(),
        nodes: Vec::new(),
        findings: Vec::new(),
        summary: Summary {
            findings: 0,
            occurrences: 0,
        },
        redactions: Vec::new(),
    }
}
