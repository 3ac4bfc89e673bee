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
use super::table::{fit_columns, header, new_table, Fit};
use super::terminal::Charset;
use super::words::{self, Mood};
use super::TextStyle;
use crate::model::excerpt::around;
use crate::model::finding::{Finding, Fix, NodeSummary, Report, Severity};
use comfy_table::{Cell, Color, Table};
use std::io::{self, Write};

/// How many evidence places are listed per finding before "+N more".
const MAX_EVIDENCE: usize = 5;
/// Narrowest width we lay out for, whatever the terminal says.
const MIN_WIDTH: u16 = 40;

/// Render the text report.
///
/// Starts with e.g. `✗ 2 failures: the container image's Windows build is
/// older than the host's (1 workload on 2 nodes)` or `✓ No container start
/// failure found in 3 inputs`. Concise unless `style.explain`: per finding
/// the root cause in one sentence, the first fix that applies with its
/// commands and one line per other fix (issue 13). With an ASCII charset
/// every character outside ASCII is replaced (`terminal::Charset::clean`).
pub fn render(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let style = TextStyle {
        width: style.width.max(MIN_WIDTH),
        ..style
    };
    match style.charset {
        Charset::Unicode => render_unicode(report, style, out),
        Charset::Ascii => {
            let mut buf = Vec::new();
            render_unicode(report, style, &mut buf)?;
            out.write_all(
                Charset::Ascii
                    .clean(&String::from_utf8_lossy(&buf))
                    .as_bytes(),
            )
        }
    }
}

fn render_unicode(report: &Report, style: TextStyle, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint(style.color);
    let width = usize::from(style.width);

    let (mood, line) = words::headline(report);
    let line = inline(&line);
    let (mark, sgr) = match mood {
        Mood::Failure => ("✗", RED_BOLD),
        Mood::Warning => ("!", YELLOW_BOLD),
        Mood::Clean => ("✓", GREEN_BOLD),
    };
    for l in wrap(&format!("{mark} {line}"), width, "", "  ") {
        writeln!(out, "{}", p.paint(&l, sgr))?;
    }

    if !report.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", findings_table(report, style))?;
    }
    for (i, finding) in report.findings.iter().enumerate() {
        writeln!(out)?;
        if style.explain {
            finding_block(out, p, width, i + 1, finding)?;
        } else {
            concise_block(out, p, width, i + 1, finding)?;
        }
    }
    if style.explain && !report.nodes.is_empty() {
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
    if !style.explain {
        let hint = match (report.findings.is_empty(), report.nodes.is_empty()) {
            (false, _) => Some("--explain adds each finding's rule and source, the evidence, the fixes that do not apply and why, and the nodes."),
            (true, false) => Some("--explain adds the nodes."),
            (true, true) => None,
        };
        if let Some(hint) = hint {
            write_wrapped(out, hint, width, "", "  ")?;
        }
    }
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
/// host OS, image OS, isolation, count. Names too long for their column are
/// shortened at a token boundary with a marker (`fit_columns`).
fn findings_table(report: &Report, style: TextStyle) -> Table {
    let with_kind = style.width >= WIDE;
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
    let fit: Vec<Fit> = columns
        .iter()
        .map(|c| match *c {
            "Workload" | "Node" => Fit::Head,
            _ => Fit::Whole,
        })
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for f in &report.findings {
        let mut row = vec![inline(&f.code).into_owned()];
        if with_kind {
            row.push(f.kind.as_str().to_owned());
        }
        row.extend([
            opt(f.workload.as_deref()),
            opt(f.node.as_deref()),
            opt(f
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
                .as_deref()),
            opt(f.image_os.as_ref().map(|o| short_version(&o.version))),
            inline(f.isolation.as_str()).into_owned(),
            f.occurrences.to_string(),
        ]);
        rows.push(row);
    }
    fit_columns(&columns, &mut rows, &fit, style);
    let mut table = new_table(style);
    table.set_header(header(style, &columns));
    for (row, f) in rows.into_iter().zip(&report.findings) {
        let mut cells: Vec<Cell> = row.into_iter().map(Cell::new).collect();
        if style.color {
            let code = cells.remove(0).fg(severity_color(f.severity));
            cells.insert(0, code);
        }
        table.add_row(cells);
    }
    table
}

/// From this width on, the findings table also names each finding's kind.
const WIDE: u16 = 140;

/// Name, version, release, runtime and where each node's facts were read.
fn nodes_table(nodes: &[NodeSummary], style: TextStyle) -> Table {
    let columns = ["Name", "Version", "Release", "Runtime", "Source"];
    let fit = [
        Fit::Tokens,
        Fit::Whole,
        Fit::Tokens,
        Fit::Tokens,
        Fit::Tokens,
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
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
        rows.push(vec![
            inline(&node.name).into_owned(),
            opt(node.os_version.as_deref()),
            opt(release),
            opt(node.runtime.as_deref()),
            source,
        ]);
    }
    fit_columns(&columns, &mut rows, &fit, style);
    let mut table = new_table(style);
    table.set_header(header(style, &columns));
    for row in rows {
        table.add_row(row);
    }
    table
}

/// The concise block of one finding: title, the root cause in one
/// sentence, what was inferred, the first fix that applies with its
/// commands, one line per other fix.
fn concise_block(
    out: &mut dyn Write,
    p: Paint,
    width: usize,
    number: usize,
    f: &Finding,
) -> io::Result<()> {
    title_lines(out, p, width, number, f)?;
    let cause = neutralize(&f.root_cause);
    let mut summary = words::first_sentence(&cause).trim().to_owned();
    // Right or silent: where the image's build came from (a tag, the
    // registry, an inference) is part of the answer.
    match words::sentences(&cause)
        .into_iter()
        .find(|s| s.starts_with(words::IMAGE_SOURCE))
    {
        Some(source) => {
            summary.push(' ');
            summary.push_str(source);
        }
        None if f.confidence == crate::model::finding::Confidence::Inferred => {
            summary.push_str(" (Partly inferred: --explain shows what.)");
        }
        None => {}
    }
    write_wrapped(out, &summary, width, "    ", "    ")?;
    let applies: Vec<&Fix> = f.fixes.iter().filter(|x| x.applies).collect();
    match applies.split_first() {
        Some((first, rest)) => {
            let head = format!("Fix: {}", words::fix_label(first.kind));
            writeln!(out, "    {}", p.paint(&head, BOLD))?;
            // A fix onto a release out of support says so here too.
            let why = neutralize(&first.why);
            if let Some(ended) = words::sentences(&why)
                .into_iter()
                .find(|s| s.contains(words::SUPPORT_ENDED))
            {
                write_wrapped(out, ended, width, "      ", "      ")?;
            }
            if first.commands.is_empty() {
                write_wrapped(
                    out,
                    words::first_sentence(&neutralize(&first.why)),
                    width,
                    "      ",
                    "      ",
                )?;
            }
            commands(out, first, "      ")?;
            for fix in rest {
                let line = format!(
                    "Or: {}: {}",
                    words::fix_label(fix.kind),
                    neutralize(words::first_sentence(&fix.why))
                );
                let line = if line.chars().count() + 4 <= width {
                    line
                } else {
                    format!("Or: {} (--explain shows how)", words::fix_label(fix.kind))
                };
                writeln!(out, "    {line}")?;
            }
        }
        None => {
            if let Some((step, _)) = f.next_steps.split_first() {
                writeln!(out, "    {}", p.paint("Next:", BOLD))?;
                for line in neutralize(step).lines() {
                    writeln!(out, "      {line}")?;
                }
            }
        }
    }
    Ok(())
}

/// A fix's commands, whole (never wrapped, so they paste).
fn commands(out: &mut dyn Write, fix: &Fix, indent: &str) -> io::Result<()> {
    for command in &fix.commands {
        for line in neutralize(command).lines() {
            writeln!(out, "{indent}{line}")?;
        }
    }
    Ok(())
}

/// `[1] WC101 title (error)`, wrapped, the severity on the last line.
fn title_lines(
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
    Ok(())
}

/// The `--explain` block of one finding: everything the `Finding` holds.
fn finding_block(
    out: &mut dyn Write,
    p: Paint,
    width: usize,
    number: usize,
    f: &Finding,
) -> io::Result<()> {
    title_lines(out, p, width, number, f)?;

    let cause = format!("Root cause: {}", neutralize(&f.root_cause));
    write_wrapped(out, &cause, width, "    ", "    ")?;
    if let Some(rule) = &f.rule {
        let text = format!(
            "Rule {}: {} Source: {}",
            inline(&rule.id),
            inline(&rule.statement),
            inline(&rule.source)
        );
        write_wrapped(out, &text, width, "    ", "      ")?;
    }
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
        facts.push("confidence inferred".to_owned());
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
    seen.push_str(&inline(&words::seen_times(f)));
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
            commands(out, fix, "          ")?;
        }
    }
    if !other.is_empty() {
        writeln!(out, "    Does not apply here:")?;
        for (labels, why) in words::grouped_by_reason(&other) {
            let head = format!("✗ {labels}: {}", neutralize(why));
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
