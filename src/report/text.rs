//! STUB: terminal report (comfy-table).
use super::TextStyle;
use crate::model::finding::Report;
use std::io::{self, Write};

pub fn render(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let _ = style;
    writeln!(out, "{} finding(s)", report.findings.len())
}
