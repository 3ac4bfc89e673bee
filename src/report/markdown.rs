//! STUB: Markdown report for support tickets.
use crate::model::finding::Report;
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# wincompat report\n\n{} finding(s)",
        report.findings.len()
    )
}
