//! Cutting a long excerpt so that the words that matter stay in it: the
//! error code and the failure's wording, wherever they sit in the line
//! (issue 9: "evidence excerpts keep the words that matter").
//!
//! Two cuts, at two times (issue 15, "redaction before cutting"):
//! - [`window`] when the analysis stores a line as evidence: a bounded
//!   window (a few KiB) around the same anchor, whose edges never fall
//!   inside a token, so that `--redact`, which rewrites the report
//!   afterwards, always sees whole identifiers (a container ID cut to 50 of
//!   its 64 digits no longer looks like one);
//! - [`around`] when a renderer shows it: the width a terminal, a Markdown
//!   cell or an annotation leaves, on text that is already redacted.
//!
//! Pure text: knows no format and no identifier beyond "a run of
//! identifier characters".

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

/// A display length for excerpts where a format has no width of its own
/// (the length evidence had before issue 15).
pub const SHOWN: usize = 240;

/// Most bytes of a line the analysis keeps as evidence: enough that every
/// display cut ([`around`] with at most a few hundred chars) of the window
/// equals the same cut of the whole line, small enough to bound a
/// finding's memory.
pub const STORED: usize = 2048;

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

/// What to keep of a `len`-char text cut to `max` chars (`max >= 8`,
/// `len > max`): one window `[start, end)` with the first anchor, or —
/// with no anchor — a head and a tail.
enum Cut {
    Window { start: usize, end: usize },
    HeadTail { head: usize, tail: usize },
}

fn plan(text: &str, len: usize, max: usize) -> Cut {
    let Some((at, sentence)) = anchor_at(text) else {
        let keep = max - 1;
        let tail = keep * 2 / 5;
        return Cut::HeadTail {
            head: keep - tail,
            tail,
        };
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
    Cut::Window { start, end }
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
    match plan(text, len, max) {
        Cut::HeadTail { head, tail } => {
            let start: String = text.chars().take(head).collect();
            let end: String = text.chars().skip(len - tail).collect();
            Cow::Owned(format!("{start}…{end}"))
        }
        Cut::Window { start, end } => {
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
    }
}

/// A char that can be part of an identifier a redaction looks for (names,
/// hex IDs, GUIDs, addresses, image references, paths): a cut must not fall
/// between two of them.
fn in_token(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | '\\' | '@' | '%' | '~')
}

/// `text` kept for storage in at most `max_bytes` bytes: unchanged when it
/// fits; else the same window as [`around`] would choose (anchor first), with
/// `…` where text was cut and each cut moved off any token it would split,
/// so that a token is either kept whole or dropped whole. A token longer
/// than the whole window is cut anyway (nothing of the window would be left
/// otherwise); the redaction treats a hex run at a `…` as an ID.
pub fn window(text: &str, max_bytes: usize) -> Cow<'_, str> {
    if text.len() <= max_bytes {
        return Cow::Borrowed(text);
    }
    // Plan in chars with a budget the bytes respect (`…` is 3 bytes;
    // multi-byte text just gets a narrower window). Offsets are looked up
    // as needed rather than indexed: a line may be a MiB long.
    let len = text.chars().count();
    let byte_at = |i: usize| text.char_indices().nth(i).map_or(text.len(), |c| c.0);
    let mut max = max_bytes.saturating_sub(6).max(8);
    loop {
        let pieces: Vec<(usize, usize)> = if len <= max {
            vec![(0, len)]
        } else {
            match plan(text, len, max) {
                Cut::Window { start, end } => vec![(start, end)],
                Cut::HeadTail { head, tail } => vec![(0, head), (len - tail, len)],
            }
        };
        let mut out = String::with_capacity(max_bytes);
        for &(start, end) in &pieces {
            let (from, to) = off_tokens(text, byte_at(start), byte_at(end));
            if from > 0 && !out.ends_with('…') {
                out.push('…');
            }
            out.push_str(text.get(from..to).unwrap_or(""));
            if to < text.len() {
                out.push('…');
            }
        }
        if out.len() <= max_bytes || max <= 8 {
            return Cow::Owned(out);
        }
        // Multi-byte text: shrink the char budget until the bytes fit.
        max = (max * max_bytes / out.len()).min(max - 1).max(8);
    }
}

/// The byte range `[start, end)` of `text` moved inwards so that neither
/// edge splits a token; unchanged when the token is the whole range.
fn off_tokens(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (Some(head), Some(inside), Some(tail)) =
        (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return (start, end);
    };
    let mut s = start;
    if head.chars().next_back().is_some_and(in_token) {
        s += inside.find(|c: char| !in_token(c)).unwrap_or(inside.len());
    }
    let mut e = end;
    if tail.chars().next().is_some_and(in_token) {
        let kept = text.get(s..end).unwrap_or("");
        e = s + kept
            .char_indices()
            .rev()
            .find(|&(_, c)| !in_token(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    if s >= e {
        (start, end)
    } else {
        (s, e)
    }
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

    #[test]
    fn a_stored_window_never_splits_a_token() {
        let id = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
        // The anchor's window starts and ends inside an ID wherever the ID
        // sits: every ID is kept whole or dropped whole.
        for pad in 0..80 {
            let text = format!(
                "{} {id} {} container {id}: The container operating system does not match the host operating system. {} {id} {}",
                "w".repeat(pad),
                "x ".repeat(40),
                "y ".repeat(60),
                "z".repeat(pad)
            );
            let kept = window(&text, 200);
            assert!(kept.len() <= 200, "{} bytes", kept.len());
            assert!(kept.contains("does not match"), "{kept}");
            for run in kept.split(|c: char| !c.is_ascii_hexdigit()) {
                assert!(run.len() < 8 || run == id, "{run} cut in {kept}");
            }
        }
    }

    #[test]
    fn a_stored_window_without_anchor_keeps_head_and_tail_whole() {
        let text = format!(
            "{} tail-token-{}",
            "head-token ".repeat(300),
            "9".repeat(30)
        );
        let kept = window(&text, 300);
        assert!(kept.len() <= 300);
        assert!(kept.starts_with("head-token head-token"), "{kept}");
        assert!(
            kept.ends_with(&format!("tail-token-{}", "9".repeat(30))),
            "{kept}"
        );
        assert!(kept.contains(" …"), "{kept}");
    }

    #[test]
    fn a_stored_window_fits_its_bytes_in_any_script() {
        let text = "é".repeat(5000);
        let kept = window(&text, 2048);
        assert!(kept.len() <= 2048, "{}", kept.len());
        assert!(kept.len() > 1000);
        assert_eq!(window("short", 2048), "short");
        let huge = format!(
            "{} (0xc0370101) {}",
            "ab ".repeat(400_000),
            "cd ".repeat(400_000)
        );
        let kept = window(&huge, STORED);
        assert!(kept.len() <= STORED && kept.contains("0xc0370101"));
    }

    #[test]
    fn display_cuts_of_the_window_show_what_those_of_the_line_show() {
        let text = format!(
            "{}hcs::CreateComputeSystem abc: The container operating system does not match the host operating system. (0xc0370101){}",
            "lead words ".repeat(400),
            " trailing words".repeat(400)
        );
        let kept = window(&text, STORED);
        for max in [120, SHOWN, 300] {
            let (from_window, from_line) = (around(&kept, max), around(&text, max));
            assert!(from_window.chars().count() <= max);
            for words in ["does not match", "0xc0370101", "trailing words"] {
                assert!(
                    from_window.contains(words),
                    "{words} at {max}: {from_window}"
                );
                assert!(from_line.contains(words));
            }
        }
    }
}
