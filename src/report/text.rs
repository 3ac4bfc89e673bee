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
use super::terminal::Charset;
use super::words::{self, Mood};
use super::TextStyle;
use crate::model::excerpt::around;
use crate::model::finding::{Finding, Fix, NodeSummary, Report, Severity};
use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
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

/// How a table column may be narrowed when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Never: short values (codes, builds, counts).
    Whole,
    /// Keep the start of a name, cut at a token boundary: `billing-api-…`.
    Head,
    /// Wrap after a space or token boundary onto more lines, losing
    /// nothing: `containerd://` / `1.7.14+azure`, `Windows Server,` / `version 1709`.
    Tokens,
}

/// Narrow the `Head`/`Tokens` columns of `rows` so the table fits
/// `style.width`, narrowest column first, each up to an equal share of the
/// room left.
/// Names are shortened only at a token boundary (`-`, `.`, `/`, `_`, `:`,
/// `@`), with a marker; a name with no such boundary inside the room keeps
/// its whole length (the table then grows wider rather than cutting it).
/// The table itself does no wrapping of its own, which would cut mid-word.
fn fit_columns(columns: &[&str], rows: &mut [Vec<String>], fit: &[Fit], style: TextStyle) {
    let n = columns.len();
    let width_of = |rows: &[Vec<String>], c: usize| -> usize {
        rows.iter()
            .flat_map(|r| r[c].lines().map(|l| l.chars().count()))
            .chain(std::iter::once(columns[c].chars().count()))
            .max()
            .unwrap_or(1)
    };
    let want: Vec<usize> = (0..n).map(|c| width_of(rows, c)).collect();
    // Borders and one space of padding on each side: `│ a ┆ b │`.
    let overhead = 3 * n + 1;
    let room = usize::from(style.width).saturating_sub(overhead);
    if want.iter().sum::<usize>() <= room {
        return;
    }
    let original: Vec<Vec<String>> = rows.to_vec();
    let ell = style.charset.ellipsis();
    let min = |c: usize| columns[c].chars().count().max(8);
    let refit = |rows: &mut [Vec<String>], c: usize, target: usize| {
        for (row, orig) in rows.iter_mut().zip(&original) {
            row[c] = match fit[c] {
                Fit::Head => abbreviate_head(&orig[c], target, ell),
                Fit::Tokens => wrap_tokens(&orig[c], target).join("\n"),
                Fit::Whole => orig[c].clone(),
            };
        }
    };
    let fixed: usize = (0..n)
        .filter(|&c| fit[c] == Fit::Whole)
        .map(|c| want[c])
        .sum();
    let mut flexible: Vec<usize> = (0..n).filter(|&c| fit[c] != Fit::Whole).collect();
    // Narrowest first: a column that cannot shrink (no boundary) keeps its
    // width, and the wider ones share what is left.
    flexible.sort_by_key(|&c| want[c]);
    let mut budget = room.saturating_sub(fixed);
    let mut left = flexible.len();
    for &c in &flexible {
        // An equal share of what is left: short columns keep their whole
        // text, the long ones are shortened.
        let target = (budget / left.max(1)).max(min(c));
        left -= 1;
        if want[c] > target {
            refit(rows, c, target);
        }
        budget = budget.saturating_sub(width_of(rows, c));
    }
    // A long token that could not be shortened made its column wider than
    // its share: take the difference from the widest column that can give.
    for _ in 0..n {
        let widths: Vec<usize> = (0..n).map(|c| width_of(rows, c)).collect();
        let total: usize = widths.iter().sum();
        if total <= room {
            break;
        }
        let over = total - room;
        let mut by_width = flexible.clone();
        by_width.sort_by_key(|&c| std::cmp::Reverse(widths[c]));
        let gave = by_width.into_iter().any(|c| {
            let target = widths[c].saturating_sub(over).max(min(c));
            if target >= widths[c] {
                return false;
            }
            let before = rows.iter().map(|r| r[c].clone()).collect::<Vec<_>>();
            refit(rows, c, target);
            if width_of(rows, c) < widths[c] {
                true
            } else {
                for (row, cell) in rows.iter_mut().zip(before) {
                    row[c] = cell;
                }
                false
            }
        });
        if !gave {
            break;
        }
    }
}

/// `text` in lines of at most `max` chars, each ending after a token
/// boundary (a space is dropped at the break); a token longer than `max`
/// stays whole on its own line.
fn wrap_tokens(text: &str, max: usize) -> Vec<String> {
    // Tokens with the boundary that ends them.
    let mut tokens: Vec<&str> = Vec::new();
    let mut start = 0;
    let breaks_after = |c: char| is_boundary(c) && !matches!(c, '.' | ':' | '+');
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // Not at `.`, `:` or `+`: a version (`1.7.14+azure`) or
        // `file:line` stays whole; a run (`://`) is not split.
        let next_breaks = chars.peek().is_some_and(|&(_, n)| breaks_after(n));
        if breaks_after(c) && !next_breaks {
            tokens.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for token in tokens {
        let fits = line.trim_end().chars().count() + token.trim_end().chars().count() <= max;
        if !line.is_empty() && !fits {
            lines.push(line.trim_end().to_owned());
            line.clear();
        }
        line.push_str(token);
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

fn is_boundary(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '_' | ':' | '@' | ' ' | '+')
}

/// `orders-web-5d9c7b8f6-x2kqp` in 16 columns → `orders-web-…`: the
/// longest start ending at a token boundary that fits with the marker;
/// the whole text when there is none.
fn abbreviate_head(text: &str, max: usize, ell: &str) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let room = max.saturating_sub(ell.chars().count());
    let mut best = None;
    for (count, (i, c)) in text.char_indices().enumerate() {
        if count >= room {
            break;
        }
        if is_boundary(c) && count > 0 {
            best = Some(i + c.len_utf8());
        }
    }
    match best {
        Some(end) => format!("{}{ell}", &text[..end]),
        None => text.to_owned(),
    }
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

/// A table with our fixed look: the charset's borders, no wrapping of its
/// own, and styling decided by `style.color` rather than by probing the
/// terminal.
fn new_table(style: TextStyle) -> Table {
    let mut table = Table::new();
    table
        .load_preset(match style.charset {
            Charset::Unicode => UTF8_FULL_CONDENSED,
            Charset::Ascii => ASCII_FULL_CONDENSED,
        })
        // `fit_columns` has already made the cells fit at token boundaries;
        // comfy-table's own dynamic wrapping would cut names mid-word.
        .set_content_arrangement(ContentArrangement::Disabled)
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
    fn names_are_shortened_only_at_a_token_boundary() {
        assert_eq!(
            abbreviate_head("shop/billing-api-7d9c8b-x2kqp", 18, "…"),
            "shop/billing-api-…"
        );
        assert_eq!(abbreviate_head("short", 18, "…"), "short");
        // No boundary inside the room: the whole name, never a cut word.
        assert_eq!(
            abbreviate_head("aksw22np000001aksw22np000001", 12, "…"),
            "aksw22np000001aksw22np000001"
        );
    }

    #[test]
    fn token_wrapping_breaks_after_boundaries_and_loses_nothing() {
        assert_eq!(
            wrap_tokens("containerd://1.7.14+azure", 16),
            ["containerd://", "1.7.14+azure"]
        );
        assert_eq!(
            wrap_tokens("samples/k8s/nodes.txt:6 +1 more", 12),
            ["samples/k8s/", "nodes.txt:6", "+1 more"]
        );
        assert_eq!(wrap_tokens("aksw22np000001", 8), ["aksw22np000001"]);
        assert_eq!(
            wrap_tokens("containerd://1.6.21", 12),
            ["containerd://", "1.6.21"]
        );
    }

    #[test]
    fn a_narrow_table_keeps_whole_tokens_and_marks_the_cut() {
        let mut rows = vec![vec![
            "WC101".to_owned(),
            "billing/billing-api-7d9c8b7f6-x2kqp".to_owned(),
            "winpool-a-000001".to_owned(),
        ]];
        let style = TextStyle::plain(40);
        fit_columns(
            &["Code", "Workload", "Node"],
            &mut rows,
            &[Fit::Whole, Fit::Head, Fit::Head],
            style,
        );
        assert_eq!(rows[0][0], "WC101");
        let kept = rows[0][1].strip_suffix('…').expect("marked");
        assert!(kept.ends_with(is_boundary), "{kept:?}");
        assert!("billing/billing-api-7d9c8b7f6-x2kqp".starts_with(kept));
        let table = {
            let mut t = new_table(style);
            t.set_header(vec!["Code", "Workload", "Node"]);
            t.add_row(rows[0].clone());
            t.to_string()
        };
        assert!(table.lines().all(|l| l.chars().count() <= 40), "{table}");
    }

    #[test]
    fn paint_is_plain_without_colour() {
        assert_eq!(Paint(false).paint("t", RED), "t");
        assert_eq!(Paint(true).paint("t", RED), "\u{1b}[31mt\u{1b}[0m");
    }
}
