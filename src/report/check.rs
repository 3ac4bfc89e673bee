//! Renders what `wincompat check` answers ([`CheckReport`]) in the three
//! report formats: text (the one-host answer as labelled lines; the
//! per-node answer as a comfy-table at the decided width), JSON (the value
//! as it is, with its `schema_version`) and Markdown.
//!
//! Pure: the answer in, text out. It must not evaluate anything (that is
//! `analyze::check`) nor probe the terminal: colour and width come in
//! `TextStyle`. Node names and image references came from inputs or flags
//! and are neutralised (`escape`) before they are printed.

use super::escape::inline;
use super::markdown::{cell, code, prose};
use super::table::{fit_columns, header, new_table, Fit};
use super::terminal::Charset;
use super::{ReportFormat, TextStyle};
use crate::model::check::{CheckReport, HostCheck, NodesCheck};
use crate::model::finding::Verdict;
use comfy_table::{Cell, Color};
use std::io::{self, Write};

/// Narrowest width the node table is laid out for.
const MIN_WIDTH: u16 = 40;

/// Render `check` in `format`.
pub fn render(check: &CheckReport, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
    render_with_rules(check, format, &[], out)
}

/// Render `check` in `format`; SARIF describes each compatibility rule
/// with its doc in `rules`.
pub fn render_with_rules(
    check: &CheckReport,
    format: ReportFormat,
    rules: &[super::sarif::RuleDoc],
    out: &mut dyn Write,
) -> io::Result<()> {
    match (format, check) {
        (ReportFormat::Sarif, _) => {
            super::sarif::render_check(check, env!("CARGO_PKG_VERSION"), rules, out)
        }
        (ReportFormat::Github, _) => super::github::render_check(check, out),
        (ReportFormat::Json, _) => {
            serde_json::to_writer_pretty(&mut *out, check)?;
            writeln!(out)
        }
        // Plain terminals (issue 13): the same text, cleaned to ASCII.
        (ReportFormat::Text(style), _) if style.charset == Charset::Ascii => {
            let mut buf = Vec::new();
            let unicode = TextStyle {
                charset: Charset::Unicode,
                ..style
            };
            render(check, ReportFormat::Text(unicode), &mut buf)?;
            let text = String::from_utf8_lossy(&buf);
            out.write_all(Charset::Ascii.clean(&text).as_bytes())
        }
        (ReportFormat::Text(style), CheckReport::Host(h)) => host_text(h, style, out),
        (ReportFormat::Text(style), CheckReport::Nodes(n)) => nodes_text(n, style, out),
        (ReportFormat::Markdown, CheckReport::Host(h)) => host_markdown(h, out),
        (ReportFormat::Markdown, CheckReport::Nodes(n)) => nodes_markdown(n, out),
    }
}

fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Supported | Verdict::SupportedPreview => Color::Green,
        Verdict::Blocked => Color::Red,
        Verdict::Unknown => Color::Yellow,
    }
}

/// The verdict word, in its colour when colour is on.
fn verdict_word(v: Verdict, color: bool) -> String {
    if !color {
        return v.as_str().to_owned();
    }
    let sgr = match verdict_color(v) {
        Color::Green => "1;32",
        Color::Red => "1;31",
        _ => "1;33",
    };
    format!("\u{1b}[{sgr}m{}\u{1b}[0m", v.as_str())
}

/// `verdict:   blocked (rule matrix-ws2022)`, then host, image, isolation,
/// reasons, disagreements, the rebuild, the Hyper-V alternative, sources.
fn host_text(a: &HostCheck, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "verdict:   {} (rule {})",
        verdict_word(a.verdict, style.color),
        a.rule
    )?;
    let host_release = a.host.release.as_deref().unwrap_or("release unknown");
    writeln!(out, "host:      {} ({host_release})", a.host.version)?;
    let image_version = match (&a.image.version, &a.image.release) {
        (Some(v), Some(r)) => format!("{v} ({r}), from {}", a.image.from),
        (Some(v), None) => format!("{v}, from {}", a.image.from),
        (None, _) => "version unknown from the tag".to_owned(),
    };
    match &a.image.reference {
        Some(r) => writeln!(out, "image:     {}\n           {image_version}", inline(r))?,
        None => writeln!(out, "image:     {image_version}")?,
    }
    writeln!(out, "isolation: {}", a.isolation.as_str())?;
    writeln!(out, "\nwhy:")?;
    for r in &a.reasons {
        writeln!(out, "  - {}", inline(r))?;
    }
    if !a.disagreements.is_empty() {
        writeln!(out, "\nsources disagree:")?;
        for d in &a.disagreements {
            writeln!(out, "  - {d}")?;
        }
    }
    if let Some(rec) = &a.recommendation {
        match &rec.reference {
            Some(r) => writeln!(out, "\nrebuild on: {}", inline(r))?,
            None => writeln!(out, "\nrebuild on: (no base image for this host)")?,
        }
        if !rec.reason.is_empty() {
            writeln!(out, "  {}", inline(&rec.reason))?;
        }
        if rec.out_of_support {
            writeln!(out, "  note: that release is out of support")?;
        }
    }
    if let Some(alt) = &a.hyperv_alternative {
        writeln!(out, "\n{} (rule {})", hyperv_line(alt.verdict), alt.rule)?;
        if let Some(r) = &alt.reason {
            writeln!(out, "  {r}")?;
        }
    }
    writeln!(out, "\nsources:")?;
    for s in &a.sources {
        writeln!(out, "  - {s}")?;
    }
    writeln!(out, "\nknowledge as of {}", a.knowledge_date)
}

fn hyperv_line(v: Verdict) -> &'static str {
    if v == Verdict::Blocked {
        "Hyper-V isolation would not help"
    } else {
        "Hyper-V isolation would run it (--isolation=hyperv)"
    }
}

/// `Windows Server 2019 (10.0.17763)`, or `build 10.0.26200` without a
/// release name.
fn image_described(n: &NodesCheck) -> String {
    match &n.image_release {
        Some(name) => format!("{name} ({})", n.image_version),
        None => format!("build {}", n.image_version),
    }
}

/// The nodes the image runs on (supported or supported in preview).
fn runs_on(n: &NodesCheck) -> Vec<&str> {
    n.nodes
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Supported | Verdict::SupportedPreview))
        .map(|r| r.node.as_str())
        .collect()
}

/// A header line, the node table at `style.width`, and where it runs.
fn nodes_text(n: &NodesCheck, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} is {} (from the {}); {} isolation:",
        inline(&n.image),
        image_described(n),
        n.image_version_from,
        n.isolation.as_str()
    )?;
    // Cells are fitted at token boundaries (node names wrap whole, the
    // reason wraps at words) before the table is drawn: comfy-table's own
    // wrapping would cut a node name mid-word.
    let columns = ["node", "version", "release", "verdict", "why"];
    let mut rows: Vec<Vec<String>> = n
        .nodes
        .iter()
        .map(|r| {
            vec![
                inline(&r.node).into_owned(),
                r.version.clone(),
                r.release.clone().unwrap_or_default(),
                r.verdict.as_str().to_owned(),
                r.reason.clone(),
            ]
        })
        .collect();
    let style = TextStyle {
        width: style.width.max(MIN_WIDTH),
        ..style
    };
    fit_columns(
        &columns,
        &mut rows,
        &[
            Fit::Tokens,
            Fit::Whole,
            Fit::Tokens,
            Fit::Whole,
            Fit::Tokens,
        ],
        style,
    );
    let mut table = new_table(style);
    table.set_header(header(style, &columns));
    for (row, r) in rows.into_iter().zip(&n.nodes) {
        let mut cells: Vec<Cell> = row.into_iter().map(Cell::new).collect();
        if style.color {
            cells[3] = Cell::new(r.verdict.as_str()).fg(verdict_color(r.verdict));
        }
        table.add_row(cells);
    }
    writeln!(out, "{table}")?;
    let runs = runs_on(n);
    if runs.is_empty() {
        writeln!(out, "It runs on none of these nodes.")
    } else {
        let names: Vec<_> = runs.iter().map(|s| inline(s)).collect();
        writeln!(out, "It runs on: {}.", names.join(", "))
    }
}

fn host_markdown(a: &HostCheck, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# wincompat check")?;
    writeln!(out)?;
    writeln!(
        out,
        "**verdict: {}** (rule {})",
        a.verdict.as_str(),
        code(a.rule)
    )?;
    writeln!(out)?;
    writeln!(out, "| | |")?;
    writeln!(out, "|---|---|")?;
    let host_release = a.host.release.as_deref().unwrap_or("release unknown");
    writeln!(
        out,
        "| host | {} ({}) |",
        code(&a.host.version),
        cell(&prose(host_release))
    )?;
    let image_version = match (&a.image.version, &a.image.release) {
        (Some(v), Some(r)) => format!("{} ({}), from {}", code(v), prose(r), a.image.from),
        (Some(v), None) => format!("{}, from {}", code(v), a.image.from),
        (None, _) => "version unknown from the tag".to_owned(),
    };
    match &a.image.reference {
        Some(r) => writeln!(
            out,
            "| image | {}: {} |",
            cell(&code(r)),
            cell(&image_version)
        )?,
        None => writeln!(out, "| image | {} |", cell(&image_version))?,
    }
    writeln!(out, "| isolation | {} |", a.isolation.as_str())?;
    writeln!(out)?;
    writeln!(out, "## Why")?;
    writeln!(out)?;
    for r in &a.reasons {
        writeln!(out, "- {}", prose(r))?;
    }
    if !a.disagreements.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Sources disagree")?;
        writeln!(out)?;
        for d in &a.disagreements {
            writeln!(out, "- {}", prose(d))?;
        }
    }
    if let Some(rec) = &a.recommendation {
        writeln!(out)?;
        writeln!(out, "## Rebuild on")?;
        writeln!(out)?;
        match &rec.reference {
            Some(r) => writeln!(out, "{}", code(r))?,
            None => writeln!(out, "No base image for this host.")?,
        }
        if !rec.reason.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", prose(&rec.reason))?;
        }
        if rec.out_of_support {
            writeln!(out)?;
            writeln!(out, "Note: that release is out of support.")?;
        }
    }
    if let Some(alt) = &a.hyperv_alternative {
        writeln!(out)?;
        writeln!(out, "## Hyper-V isolation")?;
        writeln!(out)?;
        writeln!(
            out,
            "{} (rule {})",
            prose(hyperv_line(alt.verdict)),
            code(alt.rule)
        )?;
        if let Some(r) = &alt.reason {
            writeln!(out)?;
            writeln!(out, "{}", prose(r))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Sources")?;
    writeln!(out)?;
    for s in &a.sources {
        writeln!(out, "- {}", prose(s))?;
    }
    writeln!(out)?;
    writeln!(out, "_knowledge as of {}_", a.knowledge_date)
}

fn nodes_markdown(n: &NodesCheck, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# wincompat check")?;
    writeln!(out)?;
    writeln!(
        out,
        "{} is {} (from the {}); {} isolation.",
        code(&n.image),
        prose(&image_described(n)),
        prose(&n.image_version_from),
        n.isolation.as_str()
    )?;
    writeln!(out)?;
    writeln!(out, "| node | version | release | verdict | why |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in &n.nodes {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&code(&r.node)),
            code(&r.version),
            cell(&prose(r.release.as_deref().unwrap_or(""))),
            r.verdict.as_str(),
            cell(&prose(&r.reason))
        )?;
    }
    writeln!(out)?;
    let runs = runs_on(n);
    if runs.is_empty() {
        writeln!(out, "It runs on none of these nodes.")
    } else {
        let names: Vec<String> = runs.iter().map(|s| code(s)).collect();
        writeln!(out, "It runs on: {}.", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check::{NodeVerdict, CHECK_SCHEMA_VERSION};
    use crate::model::Isolation;

    fn nodes() -> CheckReport {
        let row = |node: &str, verdict| {
            NodeVerdict {
            isolation: Isolation::Process,
            node: node.to_owned(),
            reason: "supported with process isolation: image 17763 (Windows Server 2019) on host 17763 (Windows Server 2019)".to_owned(),
            release: Some("Windows Server 2019".to_owned()),
            rule: "matrix-ws2019",
            verdict,
            version: "10.0.17763.5458".to_owned(),
            source: None,
        }
        };
        CheckReport::Nodes(NodesCheck {
            schema_version: CHECK_SCHEMA_VERSION,
            image: "ltsc2019".to_owned(),
            image_version: "10.0.17763".to_owned(),
            image_version_from: "given version".to_owned(),
            image_release: Some("Windows Server 2019".to_owned()),
            isolation: Isolation::Process,
            nodes: vec![
                row("win-01", Verdict::Supported),
                row("win|02\u{1b}[2J", Verdict::Blocked),
            ],
        })
    }

    fn rendered(format: ReportFormat) -> String {
        let mut out = Vec::new();
        render(&nodes(), format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn node_table_takes_the_decided_width_and_colour() {
        for width in [60u16, 80, 100, 140] {
            let text = rendered(ReportFormat::Text(TextStyle {
                color: false,
                ..TextStyle::plain(width)
            }));
            let top = text.lines().find(|l| l.starts_with('┌')).unwrap();
            // At most the width when the names fit in it; at 60 columns the
            // node, version and verdict columns alone take more, and a node
            // name is never cut mid-word to make room (issue 13).
            if width >= 100 {
                assert!(top.chars().count() <= usize::from(width), "{text}");
            }
            assert!(
                text.lines().any(|l| l.contains("│ win-01 ")),
                "node name whole: {text}"
            );
            assert!(
                !text
                    .lines()
                    .any(|l| l.contains("│ win-0 ") || l.contains("│ win- ")),
                "{text}"
            );
            // The reason wraps at words.
            assert!(text.contains("isolation"), "{text}");
            assert!(!text.contains('\u{1b}'), "no colour asked: {text:?}");
        }
        let text = rendered(ReportFormat::Text(TextStyle {
            color: true,
            ..TextStyle::plain(100)
        }));
        assert!(text.contains("\u{1b}[38;5;9m"), "blocked in red: {text:?}");
        assert!(text.ends_with("It runs on: win-01.\n"), "{text}");
    }

    #[test]
    fn json_carries_the_schema_version_and_markdown_escapes_cells() {
        let json: serde_json::Value = serde_json::from_str(&rendered(ReportFormat::Json)).unwrap();
        assert_eq!(json["schema_version"], CHECK_SCHEMA_VERSION);
        assert_eq!(json["nodes"][1]["verdict"], "blocked");
        let md = rendered(ReportFormat::Markdown);
        assert!(md.starts_with("# wincompat check\n"), "{md}");
        assert!(md.contains("| `win\\|02"), "{md}");
        assert!(!md.contains('\u{1b}'), "{md}");
    }
}
