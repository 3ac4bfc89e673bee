//! Tables for the terminal: comfy-table with our look (the charset's
//! borders, no wrapping of its own) and cells fitted to the width at token
//! boundaries, so a pod or node name is never cut mid-word (issue 13). Used
//! by the findings and node tables of the report and by `check`'s table.

use super::terminal::Charset;
use super::TextStyle;
use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{Attribute, Cell, ContentArrangement, Table};

/// A table with our fixed look: the charset's borders, no wrapping of its
/// own, and styling decided by `style.color` rather than by probing the
/// terminal.
pub(crate) fn new_table(style: TextStyle) -> Table {
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

pub(crate) fn header(style: TextStyle, names: &[&str]) -> Vec<Cell> {
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

/// How a table column may be narrowed when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
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
pub(crate) fn fit_columns(
    columns: &[&str],
    rows: &mut [Vec<String>],
    fit: &[Fit],
    style: TextStyle,
) {
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
pub(crate) fn wrap_tokens(text: &str, max: usize) -> Vec<String> {
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
        // The space that ends `line` stays inside it when the token joins.
        let fits = line.chars().count() + token.trim_end().chars().count() <= max;
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

pub(crate) fn is_boundary(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '_' | ':' | '@' | ' ' | '+')
}

/// `orders-web-5d9c7b8f6-x2kqp` in 16 columns → `orders-web-…`: the
/// longest start ending at a token boundary that fits with the marker;
/// the whole text when there is none.
pub(crate) fn abbreviate_head(text: &str, max: usize, ell: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
