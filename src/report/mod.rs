//! Report renderers: one per format, all pure (`&Report` in, text out).
//! They never re-analyse.
//! STUB: owned by the report helper.

pub mod json;
pub mod markdown;
pub mod redact;
pub mod text;

use crate::model::finding::Report;
use std::io::{self, Write};

/// How to render text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    pub color: bool,
    pub width: u16,
}

/// The report format, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text(TextStyle),
    Json,
    Markdown,
}

/// Render `report` in `format`.
pub fn render(report: &Report, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ReportFormat::Text(style) => text::render(report, style, out),
        ReportFormat::Json => json::render(report, out),
        ReportFormat::Markdown => markdown::render(report, out),
    }
}
