//! Report renderers: one per format (text, JSON, Markdown, SARIF 2.1.0,
//! GitHub Actions annotations), all pure (`&Report` in, text out), plus
//! `--redact`, which rewrites a `Report` before any renderer sees it, and
//! `check`, which renders `wincompat check`'s answer in the same formats.
//!
//! Renderers never re-analyse and never consult `knowledge` or `parse`: they
//! print what the `Report` says. Colour and width are decided by the CLI and
//! passed in `TextStyle`; Markdown and JSON never colour. Every string that
//! came from an input is neutralised (`escape`) before it is printed.

pub mod check;
pub mod escape;
pub mod github;
pub mod json;
pub mod markdown;
pub mod redact;
pub mod sarif;
mod table;
pub mod terminal;
pub mod text;
pub mod words;

use crate::model::finding::Report;
use std::io::{self, Write};

/// How to render text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    /// Emit ANSI colours (red errors, yellow warnings, cyan info, bold titles).
    pub color: bool,
    /// Total width of tables and wrapped paragraphs, in columns.
    pub width: u16,
    /// Unicode or plain ASCII (`terminal::TermEnv::decide`).
    pub charset: terminal::Charset,
    /// `--explain`: add each finding's rule and source, evidence, the fixes
    /// that do not apply and why, and the node table to the concise report.
    pub explain: bool,
}

impl TextStyle {
    /// No colour, Unicode, concise, at `width` columns (tests, `check`).
    pub const fn plain(width: u16) -> Self {
        TextStyle {
            color: false,
            width,
            charset: terminal::Charset::Unicode,
            explain: false,
        }
    }
}

/// The report format, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text(TextStyle),
    Json,
    Markdown,
    /// SARIF 2.1.0 (`sarif`).
    Sarif,
    /// GitHub Actions workflow-command annotations (`github`).
    Github,
}

/// Render `report` in `format` (SARIF rules described from the findings
/// alone; see [`render_with_rules`]).
pub fn render(report: &Report, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
    render_with_rules(report, format, &[], out)
}

/// Render `report` in `format`; SARIF describes each rule with its doc in
/// `rules` (help text and sources, handed in by the caller).
pub fn render_with_rules(
    report: &Report,
    format: ReportFormat,
    rules: &[sarif::RuleDoc],
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Text(style) => text::render(report, style, out),
        ReportFormat::Json => json::render(report, out),
        ReportFormat::Markdown => markdown::render(report, out),
        ReportFormat::Sarif => sarif::render(report, rules, out),
        ReportFormat::Github => github::render(report, out),
    }
}
