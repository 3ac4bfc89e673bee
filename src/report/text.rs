//! The terminal report (the default format): a one-line verdict, a table of
//! findings, one block per finding (cause, versions and their sources,
//! evidence, fixes as copy-pasteable commands, next steps), the nodes and
//! their builds, per-input warnings and the tool/knowledge footer.
//!
//! Pure: `&Report` in, text out. It must not re-analyse, look anything up in
//! `knowledge`, or probe the terminal: colour and width come in `TextStyle`
//! (decided once by the CLI). Every input-derived string goes through
//! `escape` before it is printed.

use super::escape::{inline, neutralize};
use super::words::{self, Mood};
use super::TextStyle;
use crate::model::excerpt::around;
use crate::model::finding::{Finding, Fix, NodeSummary, Report, Severity};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};
use std::io::{self, Write};

/// How many evidence places are listed per finding before "+N more".
const MAX_EVIDENCE: usize = 5;
/// Narrowest width we lay out for, whatever the terminal says.
const MIN_WIDTH: u16 = 40;

/// Render the text report.
///
/// Starts with e.g. `✗ 2 failures: the container image's Windows build is
/// older than the host's (1 workload on 2 nodes)` or `✓ No container start
/// failure found in 3 inputs`.
pub fn render(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let style = TextStyle {
        width: style.width.max(MIN_WIDTH),
        ..style
    };
    let p = Paint(style.color);
    let width = usize::from(style.width);

    let (mood, line) = words::headline(report);
    let line = inline(&line);
    match mood {
        Mood::Failure => writeln!(out, "{}", p.paint(&format!("✗ {line}"), RED_BOLD))?,
        Mood::Warning => writeln!(out, "{}", p.paint(&format!("! {line}"), YELLOW_BOLD))?,
        Mood::Clean => writeln!(out, "{}", p.paint(&format!("✓ {line}"), GREEN_BOLD))?,
    }

    if !report.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", findings_table(report, style))?;
    }
    for (i, finding) in report.findings.iter().enumerate() {
        writeln!(out)?;
        finding_block(out, p, width, i + 1, finding)?;
    }
    if !report.nodes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.paint("Nodes", BOLD))?;
        writeln!(out, "{}", nodes_table(&report.nodes, style))?;
    }
    let warned: Vec<_> = report
        .inputs
        .iter()
        .filter(|i| !i.warnings.is_empty())
        .collect();
    if !warned.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.paint("Warnings", BOLD))?;
        for input in warned {
            for warning in &input.warnings {
                let text = format!("{}: {}", inline(&input.name), inline(warning));
                write_wrapped(out, &text, width, "  ", "    ")?;
            }
        }
    }
    writeln!(out)?;
    if !report.redactions.is_empty() {
        let text = format!("Redacted: {}", inline(&report.redactions.join(", ")));
        write_wrapped(out, &text, width, "", "  ")?;
    }
    writeln!(
        out,
        "{} {}, knowledge as of {}",
        inline(&report.tool.name),
        inline(&report.tool.version),
        inline(&report.tool.knowledge_date)
    )
}

/// One row per finding: code, kind (on wide terminals only: the code
/// names it, and each finding's block below spells it out), workload, node,
/// host OS, image OS, isolation, count.
fn findings_table(report: &Report, style: TextStyle) -> Table {
    let with_kind = style.width >= WIDE;
    let mut table = new_table(style);
    let mut columns = vec!["Code"];
    if with_kind {
        columns.push("Kind");
    }
    columns.extend([
        "Workload",
        "Node",
        "Host build",
        "Image build",
        "Isolation",
        "Count",
    ]);
    table.set_header(header(style, &columns));
    for f in &report.findings {
        let code = Cell::new(inline(&f.code));
        let code = if style.color {
            code.fg(severity_color(f.severity))
        } else {
            code
        };
        let mut row = vec![code];
        if with_kind {
            row.push(Cell::new(f.kind.as_str()));
        }
        row.extend([
            Cell::new(opt(f.workload.as_deref())),
            Cell::new(opt(f.node.as_deref())),
            Cell::new(opt(f
                .host
                .as_ref()
                .map(|o| {
                    let v = short_version(&o.version);
                    if o.lower_bound {
                        format!(">= {v}")
                    } else {
                        v.to_owned()
                    }
                })
                .as_deref())),
            Cell::new(opt(f.image_os.as_ref().map(|o| short_version(&o.version)))),
            Cell::new(inline(f.isolation.as_str())),
            Cell::new(f.occurrences),
        ]);
        table.add_row(row);
    }
    table
}

/// From this width on, the findings table also names each finding's kind.
const WIDE: u16 = 140;

/// Name, version, release, runtime and where each node's facts were read.
fn nodes_table(nodes: &[NodeSummary], style: TextStyle) -> Table {
    let mut table = new_table(style);
    table.set_header(header(
        style,
        &["Name", "Version", "Release", "Runtime", "Source"],
    ));
    for node in nodes {
        let release = node.release.as_deref().or(node.os_name.as_deref());
        let source = match node.sources.split_first() {
            None => "-".to_owned(),
            Some((first, rest)) => {
                let mut s = format!("{}:{}", inline(&first.input), first.line);
                if !rest.is_empty() {
                    s.push_str(&format!(" +{} more", rest.len()));
                }
                s
            }
        };
        table.add_row(vec![
            Cell::new(inline(&node.name)),
            Cell::new(opt(node.os_version.as_deref())),
            Cell::new(opt(release)),
            Cell::new(opt(node.runtime.as_deref())),
            Cell::new(source),
        ]);
    }
    table
}

/// The detail block of one finding.
fn finding_block(
    out: &mut dyn Write,
    p: Paint,
    width: usize,
    number: usize,
    f: &Finding,
) -> io::Result<()> {
    let sev = match f.severity {
        Severity::Error => p.paint("error", RED),
        Severity::Warning => p.paint("warning", YELLOW),
        Severity::Info => p.paint("info", CYAN),
    };
    let title = format!("[{number}] {} {}", inline(&f.code), inline(&f.title));
    let lines = wrap(&title, width.saturating_sub(10), "", "    ");
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if i == last {
            writeln!(out, "{} ({sev})", p.paint(line, BOLD))?;
        } else {
            writeln!(out, "{}", p.paint(line, BOLD))?;
        }
    }

    let cause = format!("Root cause: {}", neutralize(&f.root_cause));
    write_wrapped(out, &cause, width, "    ", "    ")?;

    if f.host.is_some() || f.image_os.is_some() {
        writeln!(out, "    Versions:")?;
        for (label, os) in [("host:", &f.host), ("image:", &f.image_os)] {
            if let Some(os) = os {
                let text = format!(
                    "{label} {}; source: {}",
                    inline(&words::os_version(os)),
                    inline(&words::os_source(os))
                );
                write_wrapped(out, &text, width, "      ", "        ")?;
            }
        }
    }
    let mut facts = vec![format!(
        "Verdict: {}, isolation {}",
        f.verdict.as_str(),
        inline(f.isolation.as_str())
    )];
    if f.confidence == crate::model::finding::Confidence::Inferred {
        facts.push(crate::report::words::INFERRED.to_owned());
    }
    if let Some(code) = &f.error_code {
        facts.push(format!("error code {}", inline(code)));
    }
    write_wrapped(out, &facts.join(", "), width, "    ", "      ")?;

    let mut place = Vec::new();
    for (label, value) in [
        ("workload", &f.workload),
        ("node", &f.node),
        ("image", &f.image),
        ("container", &f.container_id),
    ] {
        if let Some(v) = value {
            place.push(format!("{label} {}", inline(v)));
        }
    }
    if !place.is_empty() {
        write_wrapped(
            out,
            &format!("Where: {}", place.join(", ")),
            width,
            "    ",
            "      ",
        )?;
    }
    let mut seen = format!("Seen: {}", words::times(f.occurrences));
    match (&f.first_seen, &f.last_seen) {
        (Some(a), Some(b)) if a != b => {
            seen.push_str(&format!(", first {}, last {}", inline(a), inline(b)))
        }
        (Some(a), _) | (None, Some(a)) => seen.push_str(&format!(", at {}", inline(a))),
        (None, None) => {}
    }
    writeln!(out, "    {seen}")?;

    if !f.evidence.is_empty() {
        writeln!(out, "    Evidence:")?;
        for ev in f.evidence.iter().take(MAX_EVIDENCE) {
            let place = format!("{}:{}", inline(&ev.input), ev.line);
            let excerpt = inline(ev.excerpt.trim());
            let room = width.saturating_sub(8 + place.chars().count());
            if room >= 40 {
                writeln!(out, "      {place}  {}", around(&excerpt, room))?;
            } else {
                // Long input paths (folders, bundles): excerpt on its own line.
                writeln!(out, "      {place}")?;
                let room = width.saturating_sub(8).max(20);
                writeln!(out, "        {}", around(&excerpt, room))?;
            }
        }
        if f.evidence.len() > MAX_EVIDENCE {
            writeln!(out, "      +{} more", f.evidence.len() - MAX_EVIDENCE)?;
        }
    }

    let (applies, other): (Vec<&Fix>, Vec<&Fix>) = f.fixes.iter().partition(|x| x.applies);
    if !applies.is_empty() {
        writeln!(out, "    {}", p.paint("Fixes:", BOLD))?;
        for fix in applies {
            let head = format!("✓ {}: {}", words::fix_label(fix.kind), neutralize(&fix.why));
            write_wrapped(out, &head, width, "      ", "        ")?;
            for command in &fix.commands {
                // Commands are printed whole (never wrapped) so they paste.
                for line in neutralize(command).lines() {
                    writeln!(out, "          {line}")?;
                }
            }
        }
    }
    if !other.is_empty() {
        writeln!(out, "    Does not apply here:")?;
        for fix in other {
            let head = format!("✗ {}: {}", words::fix_label(fix.kind), neutralize(&fix.why));
            write_wrapped(out, &head, width, "      ", "        ")?;
        }
    }
    if !f.next_steps.is_empty() {
        writeln!(out, "    Next steps:")?;
        for step in &f.next_steps {
            write_wrapped(
                out,
                &format!("- {}", neutralize(step)),
                width,
                "      ",
                "        ",
            )?;
        }
    }
    Ok(())
}

/// A table with our fixed look: explicit width, dynamic arrangement, and
/// styling decided by `style.color` rather than by probing the terminal.
fn new_table(style: TextStyle) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width)
        .force_no_tty();
    if style.color {
        table.enforce_styling();
    }
    table
}

fn header(style: TextStyle, names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| {
            let cell = Cell::new(n);
            if style.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect()
}

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

/// `10.0.17763.1577` → `17763.1577` for the narrow findings table (every
/// container host is Windows 10.0; the details give the full version).
fn short_version(version: &str) -> &str {
    version.strip_prefix("10.0.").unwrap_or(version)
}

/// A table cell's text for an optional value: neutralised, or `-`.
fn opt(value: Option<&str>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| inline(v).into_owned())
}

/// Greedy word wrap of `text` (paragraphs split at `\n`) to `width` chars,
/// the first line prefixed by `first`, the others by `rest`. Words longer
/// than a line (URLs, IDs) are kept whole rather than broken.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut prefix = first;
    for paragraph in text.lines() {
        let mut line = prefix.to_owned();
        let mut len = 0usize;
        for word in paragraph.split_whitespace() {
            let wlen = word.chars().count();
            let room = width.saturating_sub(prefix.chars().count()).max(20);
            if len > 0 && len + 1 + wlen > room {
                lines.push(std::mem::replace(&mut line, rest.to_owned()));
                prefix = rest;
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            line.push_str(word);
            len += wlen;
        }
        lines.push(line);
        prefix = rest;
    }
    lines
}

/// [`wrap`], written out line by line.
fn write_wrapped(
    out: &mut dyn Write,
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
) -> io::Result<()> {
    for line in wrap(text, width, first, rest) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

const RED: &str = "31";
const RED_BOLD: &str = "1;31";
const YELLOW: &str = "33";
const YELLOW_BOLD: &str = "1;33";
const GREEN_BOLD: &str = "1;32";
const CYAN: &str = "36";
const BOLD: &str = "1";

/// Plain ANSI SGR colouring, active only when the CLI decided on colour.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, text: &str, sgr: &str) -> String {
        if self.0 {
            format!("\u{1b}[{sgr}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, width: usize) -> String {
        let mut out = Vec::new();
        write_wrapped(&mut out, text, width, "> ", "  ").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn wrap_breaks_at_words_and_keeps_long_words() {
        assert_eq!(
            wrapped("aaa bbb ccc ddd eee fff ggg hhh", 22),
            "> aaa bbb ccc ddd eee\n  fff ggg hhh\n"
        );
        let long = "x".repeat(50);
        assert_eq!(wrapped(&long, 22), format!("> {long}\n"));
    }

    #[test]
    fn paint_is_plain_without_colour() {
        assert_eq!(Paint(false).paint("t", RED), "t");
        assert_eq!(Paint(true).paint("t", RED), "\u{1b}[31mt\u{1b}[0m");
    }
}
