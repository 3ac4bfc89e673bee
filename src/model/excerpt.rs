//! Cutting a long excerpt so that the words that matter stay in it: the
//! error code and the failure's wording, wherever they sit in the line
//! (issue 9: "evidence excerpts keep the words that matter"). Shared by the
//! analysis (the excerpt a finding stores) and the renderers (the width a
//! terminal leaves). Pure text: knows no format.

use std::borrow::Cow;

/// What a reader of a failure line looks for, in order of weight; matched
/// ignoring ASCII case. The first ones start a wording's sentence: the
/// window starts there; the others are kept with some text before them.
pub const ANCHORS: &[&str] = &[
    "the container operating system",
    "the operating system of the container",
    "a windows version",
    "no matching manifest",
    "no match for platform",
    "0xc037",
    "0x8037",
    "does not match",
    "is incompatible with",
    "(0x",
];

/// How many of [`ANCHORS`] start a sentence.
const SENTENCE_STARTS: usize = 5;

/// Where the first anchor starts, in chars, and whether it starts a
/// sentence.
fn anchor_at(text: &str) -> Option<(usize, bool)> {
    let lower = text.to_ascii_lowercase();
    let (i, byte) = ANCHORS
        .iter()
        .enumerate()
        .find_map(|(i, a)| lower.find(a).map(|b| (i, b)))?;
    let at = text.get(..byte).map_or(0, |s| s.chars().count());
    Some((at, i < SENTENCE_STARTS))
}

/// `text` cut to at most `max` chars: unchanged when it fits; else a window
/// that holds the first anchor (with `…` where text was cut), or — with no
/// anchor — head and tail around one `…`.
pub fn around(text: &str, max: usize) -> Cow<'_, str> {
    let len = text.chars().count();
    if len <= max {
        return Cow::Borrowed(text);
    }
    if max < 8 {
        return Cow::Owned(text.chars().take(max).collect());
    }
    let Some((at, sentence)) = anchor_at(text) else {
        let keep = max - 1;
        let tail = keep * 2 / 5;
        let head = keep - tail;
        let start: String = text.chars().take(head).collect();
        let end: String = text.chars().skip(len - tail).collect();
        return Cow::Owned(format!("{start}…{end}"));
    };
    // The head says which operation failed; keep a little of it when the
    // anchor is far in, then the anchor with what follows it.
    let room = max - 2;
    let lead = if sentence { 0 } else { room / 4 };
    let start = if at <= room / 2 {
        0
    } else {
        at.saturating_sub(lead)
    };
    let end = (start + room).min(len);
    let start = end.saturating_sub(room).min(start);
    let mut out = String::with_capacity(max * 4);
    if start > 0 {
        out.push('…');
    }
    out.extend(text.chars().skip(start).take(end - start));
    if end < len {
        out.push('…');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_wording_stays_in_the_window() {
        let text = format!(
            "failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {}: The container operating system does not match the host operating system.: unknown",
            "ab".repeat(32)
        );
        let cut = around(&text, 80);
        assert!(cut.chars().count() <= 80, "{cut}");
        assert!(cut.contains("does not match"), "{cut}");
        assert!(cut.starts_with('…'));
    }

    #[test]
    fn short_text_is_kept_and_no_anchor_cuts_in_the_middle() {
        assert_eq!(around("short", 80), "short");
        let long = "x".repeat(100);
        let cut = around(&long, 21);
        assert_eq!(cut.chars().count(), 21);
        assert!(cut.contains('…'));
    }

    #[test]
    fn the_code_at_the_end_is_kept() {
        let text = format!("{} (0xc0370101)", "word ".repeat(40));
        assert!(around(&text, 60).contains("0xc0370101"));
    }
}
