//! Neutralising input-derived text before a renderer prints it.
//!
//! Every string in a `Report` may hold bytes a user pasted: terminal escape
//! sequences, carriage returns, bidi overrides that reorder what a reviewer
//! sees, zero-width characters that hide differences. The renderers pass
//! every such string through [`neutralize`] (or [`inline`]) so that what is
//! printed is what is there, made visible as `\u{1b}`. This module knows
//! nothing about the report's structure or any output format's syntax.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach the output as is.
///
/// C0 controls (except tab and newline, which callers decide about), DEL,
/// C1 controls, the bidi embeddings/overrides/isolates (U+202A–U+202E,
/// U+2066–U+2069), the implicit direction marks (U+200E, U+200F, U+061C),
/// zero-width characters (U+200B–U+200D, U+2060) and the BOM (U+FEFF).
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{061c}'
        | '\u{feff}')
}

/// The visible form of a neutralised character: `\u{1b}`.
fn push_escaped(out: &mut String, c: char) {
    // Writing to a String cannot fail.
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Make control and invisible characters visible, keeping tabs and newlines.
///
/// `"red \x1b[31mtext"` → `"red \u{1b}[31mtext"`; `"a\tb\nc"` is unchanged.
pub fn neutralize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_dangerous(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`neutralize`], for one-line contexts (table cells, evidence
/// excerpts): tabs and line breaks also become single spaces.
///
/// `"Failed\tto start\n  again"` → `"Failed to start   again"`.
pub fn inline(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c == '\t' || c == '\n' || is_dangerous(c))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' | '\n' => out.push(' '),
            c if is_dangerous(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Cut `text` to at most `max` characters, ending with `…` when cut.
/// Counts chars, not bytes, so it never splits a UTF-8 sequence.
///
/// `shorten("0123456789", 5)` → `"0123…"`.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    if max == 0 {
        return Cow::Borrowed("");
    }
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            Cow::Owned(format!("{keep}…"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(neutralize("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(neutralize("cr\rhere"), "cr\\u{d}here");
        assert_eq!(neutralize("c1\u{9b}x"), "c1\\u{9b}x");
    }

    #[test]
    fn bidi_and_zero_width_become_visible() {
        assert_eq!(neutralize("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(neutralize("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(neutralize("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(neutralize("\u{feff}bom"), "\\u{feff}bom");
    }

    #[test]
    fn tabs_and_newlines_are_kept_or_flattened() {
        assert_eq!(neutralize("a\tb\nc"), "a\tb\nc");
        assert_eq!(inline("a\tb\nc\u{7}"), "a b c\\u{7}");
        assert!(matches!(neutralize("plain ✓ text"), Cow::Borrowed(_)));
    }

    #[test]
    fn shorten_counts_chars() {
        assert_eq!(shorten("0123456789", 5), "0123…");
        assert_eq!(shorten("ééééé", 5), "ééééé");
        assert_eq!(shorten("éééééé", 3), "éé…");
        assert_eq!(shorten("abc", 0), "");
    }
}
