//! The failure-message recogniser: finds every Windows container start or
//! pull failure in a document, whatever surrounds it (tables, events, JSON
//! strings, log lines, Markdown quotes), and pushes one
//! `RecordData::Failure` per occurrence with the lines it spans.
//!
//! How it works: a cheap literal prefilter (aho-corasick over each cleaned
//! line) finds a trigger; the message is then grown backwards over wrapped
//! lines that lead into it (`failed to ` + newline, as klog wraps) and
//! forwards over console-wrapped continuations and the `extra info` blob;
//! the joined, unescaped text is classified by the named recognisers below
//! (one per wording of facts.md §4.1/§4.3).
//!
//! Evidence before claim: each failure's `cause` (`FailureCause`) says what
//! its own code and words state — a version mismatch, something else, or
//! nothing yet because the text is cut — never what versions printed
//! elsewhere suggest. A mismatch sentence that a tool prints as its own
//! notice, or that prose quotes, is no failure at all.
//!
//! It states what the text says; it must not decide a root cause (that is
//! `analyze/`), know how tables or events are laid out (the format parsers
//! own that), or print anything.

use super::doc::{Doc, Output};
use super::gated::Gated;
use super::hcs_json;
use crate::model::hcs::IMAGE_MISMATCH;
use crate::model::version::parse_any;
use crate::model::{Failure, FailureCause, FailureKind, RecordData, SectionKind, WindowsVersion};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::digit1;
use nom::combinator::opt;
use nom::sequence::preceded;
use nom::{IResult, Parser};
use regex::Regex;
use std::sync::LazyLock;

/// Lines a message (with its blob) may span.
const MAX_GROUP_LINES: usize = 400;
/// Bytes of message text (before the blob) considered.
const MAX_PRE: usize = 64 * 1024;
/// Bytes of joined text (message + blob) considered.
const MAX_JOINED: usize = 1 << 20;
/// Lines walked back to find where a wrapped log entry starts.
const MAX_BACK: usize = 5;
/// Length of `Failure::text`, in chars.
const MAX_TEXT: usize = 400;

/// Literal triggers, matched ASCII-case-insensitively on each cleaned line.
pub(crate) const TRIGGERS: &[&str] = &[
    "encountered an error during",
    "failure in a windows system call",
    "createcomputesystem",
    "hcs::",
    "hcsshim::",
    "(0xc037",
    "(0x8037",
    // quirk_bare_code: the code printed without parentheses (`HRESULT
    // 0xC0370101`, `error code: 3224830209`), as tools other than hcsshim
    // print it; counted only on an error line (see `bare_mismatch_code`).
    // Decimal forms are read only inside a message another trigger found.
    "0xc0370101",
    "0x80370101",
    "-based image is incompatible",
    "no matching manifest for",
    "no match for platform in manifest",
    "cannot be used on this platform",
    "operating system is not supported",
    "can only run hyper-v containers",
    "starting container failed:",
    "failed to create shim task",
    "does not match the host operating system",
    "does not match the operating system of the host",
    "hns failed with error",
    // quirk_platform_refusal: hosting platforms' own version refusals.
    "cannot run this operating system/version",
    "os version of image",
    "osversionnotsupported",
];

// The automata below are contiguous NFAs, not DFAs: a DFA takes longer to
// build than a small input takes to scan (measured: a fifth of a
// `kubectl describe pod` run), and the SIMD prefilter does the fast part.
static TRIGGER_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(TRIGGERS)
        .expect("static patterns")
});

/// A Windows/HCS message this module knows by text, with its code.
struct KnownMessage {
    text: &'static str,
    code: u32,
    /// Generic Win32 texts (look-alikes) count only inside an HCS/daemon
    /// error context, so that prose quoting them is not a failure.
    needs_context: bool,
}

/// Our own minimal list (facts.md §4.2, §4.3), so recognition does not
/// depend on the knowledge table. A message that prints no code and is not
/// in this list is kept in `Failure::unidentified_text`; the pipeline asks
/// the knowledge table (`hcs_codes::by_message`) about it afterwards.
#[rustfmt::skip]
const KNOWN: &[KnownMessage] = &[
    // 0xc0370101, wording of 2017–2018 hosts (14393/16299/17134).
    KnownMessage { text: "The operating system of the container does not match the operating system of the host.", code: 0xC037_0101, needs_context: false },
    // 0xc0370101, wording of RS5+ hosts.
    KnownMessage { text: "The container operating system does not match the host operating system.", code: 0xC037_0101, needs_context: false },
    KnownMessage { text: "The virtual machine or container exited unexpectedly.", code: 0xC037_0106, needs_context: true },
    KnownMessage { text: "The compute system exited unexpectedly.", code: 0xC037_0106, needs_context: true },
    KnownMessage { text: "The container image contains a layer with an unrecognized format.", code: 0xC037_0112, needs_context: true },
    KnownMessage { text: "The virtual machine could not be started because a required feature is not installed.", code: 0xC037_0102, needs_context: true },
    KnownMessage { text: "The operation could not be started because a required feature is not installed.", code: 0xC037_0114, needs_context: true },
    KnownMessage { text: "No hypervisor is present on this system.", code: 0xC035_1000, needs_context: true },
    // Look-alikes: Win32 / HNS errors that users mistake for a version mismatch.
    KnownMessage { text: "The request is not supported.", code: 0x32, needs_context: true },
    KnownMessage { text: "The parameter is incorrect.", code: 0x57, needs_context: true },
    KnownMessage { text: "The system cannot find the file specified.", code: 0x2, needs_context: true },
    // HCN_E_ENDPOINT_NOT_FOUND (HCN error table, learn.microsoft.com).
    KnownMessage { text: "The endpoint was not found.", code: 0x803B_0002, needs_context: true },
];

/// Squashed (lowercase, whitespace-free) forms of `KNOWN`, so wrapped text
/// that lost or gained spaces (`does not match the` / `host …`) still matches.
static KNOWN_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let pats: Vec<String> = KNOWN
        .iter()
        .map(|k| squash(k.text.trim_end_matches('.')))
        .collect();
    AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(pats)
        .expect("static patterns")
});

/// Squashed markers that say a message is complete (no need to read on).
const COMPLETE_MARKERS: &[&str] = &[
    "inthemanifestlistentries",
    "nomatchforplatforminmanifest:notfound",
    "cannotbeusedonthisplatform",
    "operatingsystemisnotsupported",
    "canonlyrunhyper-vcontainers",
];

static COMPLETE_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(COMPLETE_MARKERS)
        .expect("static patterns")
});

static RE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\(0x([0-9a-f]{1,8})\)").expect("static regex"));
static RE_SQ_INCOMPATIBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-basedimageisincompatiblewithan?[0-9.]+host").expect("static regex")
});
static RE_INCOMPATIBLE: Gated = Gated::new(&["-based"], || {
    Regex::new(
        r"(?i)version\s+([0-9][0-9.…]*)-based\s+image\s+is\s+incompatible(?:\s+with\s+(?:an?\s+)?([0-9][0-9.…]*))?",
    )
    .expect("static regex")
});
static RE_MANIFEST: Gated = Gated::new(&["no matching manifest for"], || {
    Regex::new(r"(?i)no matching manifest for\s+(\S+(?:\s+[0-9][0-9.…]*)?)(\s+in the manifest list entries)?")
        .expect("static regex")
});
static RE_IMAGE_OS: Gated = Gated::new(&["cannot be used on this platform"], || {
    Regex::new(
        r#"(?i)image operating system\s+\\?"([A-Za-z0-9_]+)\\?"\s+cannot be used on this platform"#,
    )
    .expect("static regex")
});
static RE_LEGACY: Gated = Gated::new(&["encountered an error during"], || {
    Regex::new(r"(?i)container\s+(\S+)\s+encountered an error during\s+([A-Za-z:]+)")
        .expect("static regex")
});
static RE_OP: Gated = Gated::new(&["hcs", "createcomputesystem"], || {
    Regex::new(
        r"(?i)(?-u:\b)((?:hcsshim|hcs)::[A-Za-z]+(?:::[A-Za-z]+)*|CreateComputeSystem)(?-u:\b)",
    )
    .expect("static regex")
});
static RE_IMAGE_PULL: Gated = Gated::new(&["failed to pull"], || {
    Regex::new(
        r#"(?i)(?:failed to pull and unpack image|failed to pull image)\s+\\?"([^"\\\s]+)\\?""#,
    )
    .expect("static regex")
});
static RE_UNABLE_TO_FIND: Gated = Gated::new(&["unable to find image '"], || {
    Regex::new(r"(?i)unable to find image '([^']+)' locally").expect("static regex")
});
static RE_DOCKER_PULL: Gated = Gated::new(&["pull"], || {
    Regex::new(r"(?i)(?-u:\b)docker(?:\.exe)?\s+(?:image\s+)?pull\s+(?:-\S+\s+)*([^\s-]\S*)")
        .expect("static regex")
});
static RE_PULLING_FROM: Gated = Gated::new(&[": pulling from "], || {
    Regex::new(r"^\s*([[A-Za-z0-9_]][[A-Za-z0-9_].-]*): Pulling from (\S+)\s*$")
        .expect("static regex")
});
static RE_STEP_IMAGE: Gated = Gated::new(&["pulling ", "creating container"], || {
    Regex::new(r"(?i)(?:^\s*Pulling (?:docker )?image|^\s*Creating container\s+\S+\s+from image)\s+([^\s'`]+)")
        .expect("static regex")
});
static RE_STEP_FROM: Gated = Gated::new(&["from"], || {
    Regex::new(r"(?i)^\s*(?:Step\s+[0-9]+/[0-9]+\s*:|#[0-9]+\s+\[[^\]]*\])\s*FROM\s+(?:--platform=\S+\s+)?([^\s]+)")
        .expect("static regex")
});
static RE_HTTP_STATUS: Gated = Gated::new(&["dockerrequest returned statuscode="], || {
    Regex::new(r"(?i)DockerRequest returned StatusCode=([0-9]+)").expect("static regex")
});
static RE_HNS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)HNS(?-u:\b)").expect("static regex"));
static RE_KLOG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([IWEF][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)")
        .expect("static regex")
});
static RE_ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*\[?([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)",
    )
    .expect("static regex")
});
static RE_LOGRUS: Gated = Gated::new(&["time=\""], || {
    Regex::new(r#"(?-u:\b)time="([^"]+)""#).expect("static regex")
});
static RE_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\$ |PS [A-Za-z]:\\|[A-Za-z]:\\[^>]*>|#\s)").expect("static regex")
});

/// What every failure wording contains, for the streaming prefilter
/// (`super::prefilter`): each of [`TRIGGERS`] contains one of these (lower
/// case: matching ignores ASCII case). Shorter than the triggers where one
/// literal covers several (`no match` for `no matching manifest for` and
/// `no match for platform in manifest`; `operating system` for the three
/// `… operating system …` wordings; `starting container`, which also
/// covers containerd's `starting containerd` start-up line), which keeps
/// the prefilter's set small (see `super::prefilter` on why that matters).
pub const LITERALS: &[&str] = &[
    "encountered an error during",
    "failure in a windows system call",
    "createcomputesystem",
    "hcs::",
    "hcsshim::",
    "0xc037",
    "0x8037",
    "-based image is incompatible",
    "no match",
    "cannot be used on this platform",
    "can only run hyper-v containers",
    "starting container",
    "failed to create shim task",
    "hns failed with error",
    "operating system",
];

/// Scan every line of `doc` and push one `Failure` record per failure
/// occurrence (section `Text`; `line`/`end_line` span the whole message,
/// wrapped continuations and the extra-info blob included).
pub fn scan(doc: &Doc, out: &mut Output) {
    let n = doc.lines.len();
    let mut i = 0;
    let mut free_from = 0;
    while i < n {
        let Some(line) = doc.lines.get(i) else {
            break;
        };
        if !TRIGGER_AC.is_match(line.as_str()) && !wording_across(line, line_at(doc, i + 1)) {
            i += 1;
            continue;
        }
        let start = walk_back(doc, i, free_from);
        let end = walk_forward(doc, start, i);
        match recognise(doc, start, end) {
            Some(failure) => {
                out.record(
                    SectionKind::Text,
                    start + 1,
                    end + 1,
                    RecordData::Failure(failure),
                );
                i = end + 1;
                free_from = i;
            }
            None => i += 1,
        }
    }
}

/// Chars of each line looked at on either side of a break.
const WRAP_JOINT: usize = 160;

/// Whether a failure wording runs across the break between lines `a` and
/// `b`, so that the break can only be a wrap inside one message: a trigger
/// cut in two (`…a Windows version 10.0.14393-` / `based image is
/// incompatible…`), a known HCS message or its code cut in two, or a
/// wording whose recognised shape needs words from both lines (`…a Windows
/// version` / ` 10.0.26100-based image is incompatible with…`, `…no
/// matching manifest for windows/amd64 10.0.17` / `763 in the manifest
/// list entries`).
///
/// The general rule for wrapping (issue 15): a terminal, a console or a
/// log shipper may break a line anywhere, once or at every width, between
/// words (the space kept at either side or dropped), inside a word, a
/// number or an escaped `msg="…"`. Line widths say nothing about a single
/// break, so the wording decides: the joint is tried with and without a
/// space, and only a match that crosses it and that `a` alone does not
/// already hold (the same match, ending at the same place) counts. It
/// replaces the former `quirk_trigger_split_by_wrap` (long lines only).
fn wording_across(a: &str, b: &str) -> bool {
    if a.trim().is_empty() || b.trim().is_empty() || starts_new_entry(b) || table_like(b) {
        return false;
    }
    let (tail, head) = joint_sides(a, b);
    crosses_joint(tail, head, false)
        || (can_drop_space(tail, head) && crosses_joint(tail, head, true))
}

/// Whether a word wrap dropped a space between `a` and `b`: a wording
/// crosses the joint only when a space is put back (`…10.0.26100-based
/// image` / `is incompatible with…`). Then the lines are joined with one.
fn space_dropped(a: &str, b: &str) -> bool {
    let (tail, head) = joint_sides(a, b);
    can_drop_space(tail, head)
        && !crosses_joint(tail, head, false)
        && crosses_joint(tail, head, true)
}

/// Whether `b` is an indented continuation of `a` inside a word: a wording
/// crosses the joint only when the indentation is dropped and no space put
/// in its place.
fn indent_splits_word(a: &str, b: &str) -> bool {
    if !b.starts_with(char::is_whitespace) {
        return false;
    }
    let (tail, head) = joint_sides(a, b);
    !tail.ends_with(char::is_whitespace)
        && crosses_joint(tail, head, false)
        && !crosses_joint(tail, head, true)
}

fn can_drop_space(tail: &str, head: &str) -> bool {
    !tail.ends_with(char::is_whitespace) && !head.starts_with(char::is_whitespace)
}

/// The last [`WRAP_JOINT`] chars of `a` and the first of `b`, without the
/// indentation a log shipper or a pager puts before a continuation line
/// (it stands for the break, not for the message's text).
fn joint_sides<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    let b = b.trim_start();
    let tail_from = a
        .char_indices()
        .rev()
        .nth(WRAP_JOINT - 1)
        .map_or(0, |(p, _)| p);
    let head_to = b.char_indices().nth(WRAP_JOINT).map_or(b.len(), |(p, _)| p);
    (
        a.get(tail_from..).unwrap_or(""),
        b.get(..head_to).unwrap_or(""),
    )
}

/// Whether a wording matches across the joint of `tail` and `head`
/// (joined with one space when `spaced`).
fn crosses_joint(tail: &str, head: &str, spaced: bool) -> bool {
    let cut = tail.len();
    let joint = if spaced {
        format!("{tail} {head}")
    } else {
        format!("{tail}{head}")
    };
    let crosses = |re: &Regex| {
        re.find_iter(&joint).any(|m| {
            m.start() < cut
                && m.end() > cut
                && !re
                    .find_at(tail, m.start())
                    .is_some_and(|t| t.start() == m.start() && t.end() == m.end())
        })
    };
    if TRIGGER_AC
        .find_iter(joint.as_str())
        .any(|m| m.start() < cut && m.end() > cut)
        || [
            // Each wording regex with a literal it cannot match without:
            // most line pairs hold none, and are spared the regex (and,
            // in a small paste, its compilation).
            (RE_INCOMPATIBLE.regex(), "based"),
            (RE_MANIFEST.regex(), "manifest"),
            (RE_LEGACY.regex(), "encountered"),
            (&*RE_CODE, "(0x"),
        ]
        .into_iter()
        .any(|(re, needs)| find_ci(&joint, needs).is_some() && crosses(re))
    {
        return true;
    }
    if spaced {
        return false;
    }
    // Known messages are matched squashed: spaces do not matter.
    let sq_tail = squash(tail);
    let sq_joint = format!("{sq_tail}{}", squash(head));
    let sq_cut = sq_tail.len();
    KNOWN_AC
        .find_iter(sq_joint.as_str())
        .chain(COMPLETE_AC.find_iter(sq_joint.as_str()))
        .any(|m| m.start() < sq_cut && m.end() > sq_cut)
}

/// Lines looked ahead for the end of an incomplete message.
const MAX_AHEAD: usize = 8;

/// Whether the message grown so far (squashed, `sq`) is incomplete and the
/// lines from `from` on complete it within [`MAX_AHEAD`] lines, none of
/// them blank, indented structure (past the first), a table row or a new
/// log entry: the
/// wraps fell between the start of a message and the end of its wording
/// (`…failure in a Windows system call:` / ` The container operating
/// system does not match the host operating system. (0xc0370101)`),
/// wherever and however often the line was cut.
fn completed_ahead(doc: &Doc, sq: &str, from: usize) -> bool {
    if message_complete(sq) {
        return false;
    }
    let mut grown = sq.to_owned();
    for k in from..(from + MAX_AHEAD).min(doc.lines.len()) {
        let next = line_at(doc, k);
        // The first continuation may be indented (a log shipper's or a
        // pager's continuation indent); deeper lines after it are
        // structure, not the message.
        let structure = k > from && indent(next) > 1;
        if next.trim().is_empty() || starts_new_entry(next) || table_like(next) || structure {
            return false;
        }
        grown.push_str(&squash(next));
        if message_complete(&grown) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------
// Grouping lines into one message
// ---------------------------------------------------------------------------

/// The cleaned line at 0-based `i` ("" out of range).
fn line_at(doc: &Doc, i: usize) -> &str {
    doc.lines.get(i).map_or("", String::as_str)
}

/// The raw line at 0-based `i` ("" out of range).
fn raw_at(doc: &Doc, i: usize) -> &str {
    doc.raw.get(i).map_or("", String::as_str)
}

/// A line that starts a new log entry or command, so it cannot continue
/// the previous one: klog header (`E0530 11:42:13.374889`), ISO timestamp,
/// logrus `time="…"`, a shell prompt.
fn starts_new_entry(line: &str) -> bool {
    klog_start(line).is_some()
        || iso_start(line).is_some()
        || line.trim_start().starts_with("time=\"")
        || is_prompt(line)
        || starts_cli_error(line)
}

/// A CLI's own error line, which starts a message rather than continuing
/// the line before it even when that line is console-wide: `docker: Error
/// response from daemon: …` after docker's 80-column `Status: Downloaded
/// newer image for …` (samples/docker-run).
fn starts_cli_error(line: &str) -> bool {
    ["docker: ", "docker.exe: ", "ctr: "]
        .iter()
        .any(|p| line.starts_with(p))
}

/// The line ends a sentence or a quoted value, so a following line is not
/// its continuation: `…host operating system.`, `…"`, `…: unknown`, `…)`.
fn terminated(line: &str) -> bool {
    let t = line.trim_end();
    let lower_tail = t
        .get(t.len().saturating_sub(12)..)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    matches!(
        t.chars().last(),
        Some('.' | '"' | '\'' | ')' | '}' | ']' | '`' | '!' | '…')
    ) || lower_tail.ends_with(": unknown")
        || lower_tail.ends_with("not found")
}

/// A row or header of a space-aligned table (`docker service ps`,
/// `kubectl get events`): three or more gaps of two or more spaces between
/// cells. Wrapped prose and log text has single spaces, so a table row is
/// never taken as the wrapped start or end of a message.
fn table_like(line: &str) -> bool {
    // quirk_markdown_table: a row of a Markdown table (`| a | b | c |`), as in
    // tickets and READMEs, is a table row too, though its cells are not
    // space-aligned.
    let t = line.trim();
    if t.starts_with('|') && t.matches('|').count() >= 3 {
        return true;
    }
    let mut gaps = 0;
    let mut run = 0;
    for c in line.trim().chars() {
        if c == ' ' {
            run += 1;
        } else {
            if run >= 2 {
                gaps += 1;
                if gaps >= 3 {
                    return true;
                }
            }
            run = 0;
        }
    }
    false
}

/// Number of leading whitespace chars.
fn indent(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

/// Walk back from trigger line `t` over lines that wrap into it.
///
/// quirk_klog_wrapped: kubelet lines pasted from a narrow terminal break
/// after `failed to ` / `CreatePodSandboxError: ` (trailing space kept) and
/// continue at column 0 (MicrosoftDocs/Virtualization-Documentation#765).
fn walk_back(doc: &Doc, t: usize, floor: usize) -> usize {
    let mut s = t;
    while s > floor && t - s < MAX_BACK {
        let cur = line_at(doc, s);
        let prev = line_at(doc, s - 1);
        if prev.trim().is_empty() || starts_new_entry(cur) {
            break;
        }
        if wording_across(prev, cur) {
            s -= 1;
            continue;
        }
        if cur.starts_with(char::is_whitespace) {
            break;
        }
        // A `.` that ends a line is a sentence end, unless the wrap cut a
        // version in two: `…version 10.` / `0.26100-based image…`.
        let number_cut = prev
            .strip_suffix('.')
            .is_some_and(|p| p.ends_with(|c: char| c.is_ascii_digit()))
            && cur.starts_with(|c: char| c.is_ascii_digit());
        // A shell prompt line is the command, never the start of its error
        // output, however wide it is.
        if (terminated(prev) && !number_cut) || table_like(prev) || is_prompt(prev) {
            break;
        }
        let prev_raw_ws = raw_at(doc, s - 1).ends_with(char::is_whitespace);
        // A line as wide as the narrowest console (80 columns) may have been
        // cut mid-token: `…version 10.0.26` / `100-based image is incompatible…`.
        if !(prev_raw_ws || prev.chars().count() >= 80) {
            break;
        }
        s -= 1;
    }
    s
}

/// Incremental state of a message being grown line by line.
#[derive(Default)]
struct GrowState {
    /// Squashed text before the blob.
    pre_sq: String,
    blob_seen: bool,
    blob_depth: i64,
    blob_opened: bool,
}

impl GrowState {
    fn add_line(&mut self, line: &str) {
        if self.blob_seen {
            self.count_braces(line);
            return;
        }
        match find_ci(line, "extra info") {
            Some(p) => {
                self.pre_sq.push_str(&squash(line.get(..p).unwrap_or("")));
                self.blob_seen = true;
                self.count_braces(line.get(p..).unwrap_or(""));
            }
            None => self.pre_sq.push_str(&squash(line)),
        }
    }

    fn count_braces(&mut self, s: &str) {
        for b in s.bytes() {
            match b {
                b'{' => {
                    self.blob_depth += 1;
                    self.blob_opened = true;
                }
                b'}' => self.blob_depth -= 1,
                _ => {}
            }
        }
    }

    /// The blob has started (`extra info:` seen) and is not closed yet.
    fn blob_open(&self) -> bool {
        self.blob_seen && (!self.blob_opened || self.blob_depth > 0)
    }
}

/// A wrapped line that can only be the tail of the previous one: it starts
/// with closing punctuation (`. (0xc0370106)"`, `): unknown`), so even when
/// it holds a code it is not a failure of its own.
///
/// quirk_wrap_before_period: a console wrap that falls just before the
/// message's final `.` leaves `…exited unexpectedly` / `. (0xc0370106)`
/// (found by the `nothing_lost` property test).
fn continues_sentence(next: &str) -> bool {
    next.trim_start()
        .starts_with(['.', ',', ';', ':', ')', ']', '}'])
}

static RE_CODE_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*\(0x[0-9a-f]{1,8}\)").expect("static regex"));

/// A line that starts with an HCS code in parentheses: ` (0xc0370106)"`,
/// `(0xc0370101) extra info: {…`. A message's code follows its text, so
/// such a line is the tail of the line before it, wherever the wrap fell.
fn starts_with_code(line: &str) -> bool {
    RE_CODE_FIRST.is_match(line)
}

/// Whether squashed message text already holds a complete failure message.
fn message_complete(sq: &str) -> bool {
    KNOWN_AC.is_match(sq)
        || COMPLETE_AC.is_match(sq)
        || RE_CODE.is_match(sq)
        || RE_SQ_INCOMPATIBLE.is_match(sq)
}

/// Grow the message from `start` (the trigger is at `t`) over continuation
/// lines; returns the last line index (inclusive).
///
/// quirk_console_wrap: PowerShell/cmd captures cut lines at the window
/// width (~160–190 columns) mid-word or mid-GUID and continue at column 0
/// (navcontainerhelper#518, sig-windows-tools#91).
/// quirk_extra_info_next_line: hcsshim v0.7–v0.8 put `(extra info: …)` on
/// the line after the message (facts.md §4.1 `SystemError`).
/// quirk_yaml_folded: `kubectl get -o yaml` folds a long `message:` scalar
/// onto deeper-indented lines.
fn walk_forward(doc: &Doc, start: usize, t: usize) -> usize {
    let mut st = GrowState::default();
    for k in start..=t {
        st.add_line(line_at(doc, k));
    }
    let first = line_at(doc, start);
    let first_indent = indent(first);
    let quote_open = {
        let after_key = first.split_once(": ").map_or("", |(_, v)| v);
        after_key.starts_with('\'') || after_key.starts_with('"')
    };
    let mut end = t;
    while end + 1 < doc.lines.len() && end - start < MAX_GROUP_LINES && st.pre_sq.len() < MAX_PRE {
        let cur = line_at(doc, end);
        let next = line_at(doc, end + 1);
        if next.trim().is_empty() {
            break;
        }
        let next_trim = next.trim_start();
        let is_extra =
            starts_with_ci(next_trim, "(extra info") || starts_with_ci(next_trim, "extra info");
        if is_extra && !st.blob_seen {
            end += 1;
            st.add_line(next);
            continue;
        }
        if starts_new_entry(next) {
            break;
        }
        // quirk_wrap_at_space: a console cut that falls on a space leaves
        // that one space at column 0 of the continuation (` system does not
        // match…`); deeper indentation is structure, not a wrap (found by the
        // `nothing_lost` property test).
        let one_space = next
            .strip_prefix(' ')
            .is_some_and(|rest| !rest.starts_with(char::is_whitespace));
        let next_col0 = !next.starts_with(char::is_whitespace) || one_space;
        let cur_raw_ws = raw_at(doc, end).ends_with(char::is_whitespace);
        let wrap_like = next_col0 && !table_like(next) && (cur_raw_ws || cur.chars().count() >= 60);
        let yaml_like = quote_open && !st.blob_seen && indent(next) > first_indent;
        let go_on = if st.blob_open() {
            wrap_like
        } else if st.blob_seen {
            false
        } else if terminated(cur) {
            // The wrap fell between the message's final `.` and its
            // `(0xc0370106)` (formerly quirk_code_wrapped_alone, wide lines
            // only).
            // A code alone on its line continues the message whatever
            // its indentation: no tool starts a line of its own with one.
            !table_like(next) && starts_with_code(next)
        } else if message_complete(&st.pre_sq) {
            // The message is whole but the line does not end a sentence:
            // read on only over a wide console wrap, never into a line that
            // holds a failure of its own.
            wrap_like
                && ((cur.chars().count() >= 120 && !TRIGGER_AC.is_match(next))
                    || continues_sentence(next))
        } else {
            wrap_like || yaml_like
        };
        let go_on = go_on
            || (!st.blob_seen
                && (wording_across(cur, next) || completed_ahead(doc, &st.pre_sq, end + 1)));
        if !go_on {
            break;
        }
        end += 1;
        st.add_line(next);
    }
    end
}

// ---------------------------------------------------------------------------
// Recognising the message
// ---------------------------------------------------------------------------

/// Classify the joined lines `start..=end`; `None` when they hold no failure.
fn recognise(doc: &Doc, start: usize, end: usize) -> Option<Failure> {
    // A word wrap that dropped its space gets it back where a wording
    // needs it (`wording_across`); any other cut is joined as it is.
    // An indented continuation that splits a word (`a Windows v` /
    // `<tab>ersion 10.0.26100-based …`) loses its indentation, which
    // `join_wrapped` would otherwise read as a space.
    let raw_lines: Vec<String> = (start..=end)
        .map(|k| {
            let mut line = clean_for_join(doc, k);
            if k > start && indent_splits_word(line_at(doc, k - 1), line_at(doc, k)) {
                line = line.trim_start();
            }
            if k < end && space_dropped(line, line_at(doc, k + 1)) {
                format!("{line} ")
            } else {
                line.to_owned()
            }
        })
        .collect();
    let raw_refs: Vec<&str> = raw_lines.iter().map(String::as_str).collect();
    let joined_full = hcs_json::join_wrapped(&raw_refs);
    let joined = cut_at_boundary(&joined_full, MAX_JOINED);
    let (pre_raw, blob) = match find_ci(joined, "extra info") {
        Some(p) => (joined.get(..p).unwrap_or(""), joined.get(p..)),
        None => (joined, None),
    };
    let pre = unescape_message(cut_at_boundary(pre_raw, MAX_PRE));
    let lower = pre.to_ascii_lowercase();
    let sq = squash(&pre);

    let mut f = Failure::default();
    let context = hcs_context(&lower);
    let code_in_parens = hcs_code_in_parens(&pre).or_else(|| bare_mismatch_code(&pre, context));
    let known = known_hcs_message(&sq, context || code_in_parens.is_some())
        .filter(|k| context || code_in_parens.is_some() || !notice_or_prose(&pre, k));

    if let Some((img, host, cut)) = image_incompatible(&pre) {
        f.kind = Some(FailureKind::ImageIncompatible);
        f.image_version = img;
        f.host_version = host;
        f.truncated |= cut;
        f.pull = true;
        f.operation = Some("pull".to_owned());
    } else if let Some((platform, host, cut)) = no_matching_manifest(&pre) {
        f.kind = Some(FailureKind::NoMatchingManifest);
        f.platform = Some(platform);
        f.host_version = host;
        f.truncated |= cut;
        f.pull = true;
        f.operation = Some("pull".to_owned());
    } else if no_match_for_platform(&lower) {
        f.kind = Some(FailureKind::NoMatchForPlatform);
        f.pull = true;
        f.operation = Some("pull".to_owned());
    } else if let Some(os) = wrong_platform(&pre) {
        f.kind = Some(FailureKind::WrongPlatform);
        f.platform = os;
        f.pull = true;
    } else if client_needs_hyperv(&lower) {
        f.kind = Some(FailureKind::ClientNeedsHyperV);
    } else if code_in_parens.is_some() || known.is_some() {
        f.kind = Some(FailureKind::Hcs);
    } else if context && hcs_error_shape(&lower) {
        // An HCS operation failed with a message we do not know (or the
        // message was cut off, as in `docker stack ps --no-trunc` pastes).
        f.kind = Some(FailureKind::Hcs);
    } else if let Some(refusal) = platform_refusal(&pre) {
        // A hosting platform's own version refusal: no FailureKind of its
        // own (kind None), its cause is set below.
        f.message = Some(refusal.message);
        f.image = refusal.image;
        f.host_version = refusal.host_max;
        f.operation = Some("platform".to_owned());
    } else if !lower.contains("starting container failed:") {
        return None;
    }

    if matches!(f.kind, Some(FailureKind::Hcs)) || f.kind.is_none() {
        f.hcs_code = code_in_parens.or(known.map(|k| k.code));
        if f.hcs_code.is_none() {
            f.unidentified_text = Some(pre.as_str().into());
        }
    }
    let mut text = pre.clone();
    if let Some(k) = known {
        f.message = Some(k.text.to_owned());
        if let Some(r) = find_squashed(&pre, &squash(k.text.trim_end_matches('.'))) {
            text = format!(
                "{}{}{}",
                pre.get(..r.start).unwrap_or(""),
                k.text.trim_end_matches('.'),
                pre.get(r.end..).unwrap_or("")
            );
        }
    } else if matches!(f.kind, Some(FailureKind::Hcs)) {
        f.message = message_after_op(&pre);
    } else if let Some(kind) = f.kind {
        f.message = pull_message(&pre, kind)
            .or_else(|| Some(clip(collapse_ws(strip_wrappers(&pre)).as_str(), 300)));
    }

    if let Some((container, op)) = legacy_container_error(&pre) {
        f.container = Some(container);
        f.operation = Some(op);
    } else if let Some((op, id)) = compute_system_error(&pre) {
        f.operation = Some(op);
        f.container = id;
    }

    f.sandbox = pod_sandbox(&sq);
    f.wrappers = wrappers(&lower);
    f.image = image_in_message(&pre)
        .or_else(|| f.image.take())
        .or_else(|| image_before(doc, start));
    if let Some(blob) = blob {
        f.hcs = hcs_json::parse_extra_info(blob);
        if f.hcs.as_ref().is_some_and(|h| h.partial) {
            f.truncated = true;
        }
        if f.hcs.is_none() {
            f.truncated = true;
        }
    }
    if joined.contains('…') || pre.trim_end().ends_with("...") {
        f.truncated = true;
    }
    if f.message.is_none() && !message_complete(&sq) {
        f.truncated = true;
    }
    let (cause, cut) = if f.operation.as_deref() == Some("platform") {
        (FailureCause::Mismatch, false)
    } else {
        failure_cause(&f, &pre)
    };
    f.cause = cause;
    f.truncated |= cut;
    if cut && cause == FailureCause::Mismatch {
        // The pipeline checks this cut text against the HCS code table's
        // other messages (knowledge), which the parser may not read.
        f.unconfirmed_cut = Some(message_tail(&f, &pre).into());
    }
    f.timestamp = timestamp(line_at(doc, start));
    let from = message_start(&text);
    f.text = clip(&collapse_ws(text.get(from..).unwrap_or(&text)), MAX_TEXT);
    Some(f)
}

/// The line at `k` for joining: cleaned (quote markers, CI timestamps gone)
/// but with the raw line's trailing whitespace, which tells a word-boundary
/// wrap from a mid-token cut.
fn clean_for_join(doc: &Doc, k: usize) -> &str {
    let raw = raw_at(doc, k);
    let clean = line_at(doc, k);
    if raw.ends_with(char::is_whitespace) && !clean.is_empty() {
        // Find the cleaned text inside the raw line and keep one trailing blank.
        if let Some(p) = raw.find(clean) {
            let endp = p + clean.len();
            if let Some(s) = raw.get(p..(endp + 1).min(raw.len())) {
                return s;
            }
        }
    }
    clean
}

/// Undo string escaping of a message embedded in JSON or a quoted log
/// field (`\"`, `\\`, up to three levels), and turn `\n`/tabs into spaces.
fn unescape_message(s: &str) -> String {
    let mut out = s.to_owned();
    for _ in 0..3 {
        if !(out.contains("\\\"") || out.contains("\\\\") || out.contains("\\n")) {
            break;
        }
        out = hcs_json::unescape_once(&out);
    }
    let out: String = out
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    out.trim_end().trim_end_matches('(').trim_end().to_owned()
}

/// HCS/daemon error context that makes a generic Win32 text a failure:
/// `failure in a Windows system call:`, `hcs::`, `hcsshim::`, `HNS`,
/// `encountered an error during`, `CreateComputeSystem`, `failed in Win32`.
fn hcs_context(lower: &str) -> bool {
    [
        "failure in a windows system call",
        "hcs::",
        "hcsshim::",
        "encountered an error during",
        "createcomputesystem",
        "failed in win32",
        "hns failed",
    ]
    .iter()
    .any(|m| lower.contains(m))
        || RE_HNS.is_match(lower.to_ascii_uppercase().as_str())
}

/// An HCS operation reported an error, even if its message is unknown or
/// cut: `hcs::System::Start 4f2e…: <msg>`, `… failed in Win32: <msg>`,
/// `starting container failed: hcsshim::CreateComputeSystem db52…` (cut).
fn hcs_error_shape(lower: &str) -> bool {
    lower.contains("encountered an error during")
        || lower.contains("failure in a windows system call")
        || lower.contains("failed in win32")
        || (op_followed_by_id(lower)
            && (lower.contains("error") || lower.contains("failed") || lower.contains("failure")))
}

/// An operation name used as hcsshim prints it, followed by a space and the
/// container ID or name (`hcs::CreateComputeSystem 4f2e…`), not a word
/// inside a file name (`…-createcomputesystem.txt`).
fn op_followed_by_id(lower: &str) -> bool {
    RE_OP.find_iter(lower).any(|m| {
        let before = lower.get(..m.start()).and_then(|b| b.chars().last());
        let after = lower.get(m.end()..).and_then(|a| a.chars().next());
        !matches!(before, Some('-' | '_' | '/' | '\\' | '.')) && matches!(after, Some(' ') | None)
    })
}

/// A code printed in parentheses: `(0xc0370101)`, `(0x80370106)` (folded
/// to the 0xC037 form), look-alikes `(0x57)`, `(0x32)`.
fn hcs_code_in_parens(text: &str) -> Option<u32> {
    let Some(caps) = RE_CODE.captures(text) else {
        return hcs_code_split(text);
    };
    let v = u32::from_str_radix(caps.get(1)?.as_str(), 16).ok()?;
    Some(if v & 0xFFFF_0000 == 0x8037_0000 {
        0xC037_0000 | (v & 0xFFFF)
    } else {
        v
    })
}

static RE_CODE_SPLIT: Gated = Gated::new(&["(0x"], || {
    Regex::new(r"(?i)\(0x([0-9a-f]{1,7})\s+([0-9a-f]{1,7})\)").expect("static regex")
});

/// quirk_code_split_by_wrap: a console wrap that falls inside the code and
/// keeps a blank at the joint (`(0xc03701` / `08)` joined as `(0xc03701
/// 08)`) is read as the one code it is, never as a shorter one.
fn hcs_code_split(text: &str) -> Option<u32> {
    let caps = RE_CODE_SPLIT.captures(text)?;
    let hex = format!("{}{}", caps.get(1)?.as_str(), caps.get(2)?.as_str());
    if hex.len() > 8 {
        return None;
    }
    hcs_code_in_parens(&format!("(0x{hex})"))
}

static RE_BARE_CODE: Gated = Gated::new(
    &[
        "0x",
        "3224830209",
        "2151088385",
        "-1070137087",
        "-2143878911",
    ],
    || {
        Regex::new(r"(?i)(?-u:\b)(?:0x[c8]0370101|3224830209|2151088385)(?-u:\b)|(?:^|[^0-9])-(?:1070137087|2143878911)(?-u:\b)")
        .expect("static regex")
    },
);

/// quirk_bare_code: 0xc0370101 printed without parentheses, in hex
/// (`0xC0370101`, HRESULT `0x80370101`) or decimal (`3224830209`, signed
/// `-1070137087`; HRESULT `2151088385` / `-2143878911`), as CI tasks and
/// SDK wrappers print it. Only asked on an error line.
fn bare_mismatch_code(text: &str, context: bool) -> Option<u32> {
    RE_BARE_CODE.find_iter(text).find_map(|m| {
        // A code in a Markdown code span is quoted (`wincompat explain
        // 0xc0370101`), not reported.
        let before = text.get(..m.start()).and_then(|b| b.chars().last());
        let after = text.get(m.end()..).and_then(|a| a.chars().next());
        if before == Some('`') || after == Some('`') {
            return None;
        }
        // Without HCS context the error words must be on the code's own
        // stretch of text, not anywhere in a long wrapped group.
        let from = floor_char_boundary(text, m.start().saturating_sub(80));
        let to = ceil_char_boundary(text, (m.end() + 80).min(text.len()));
        let near = text.get(from..to).unwrap_or("").to_ascii_lowercase();
        (context || error_line(&near)).then_some(IMAGE_MISMATCH)
    })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A line that reports an error in its own words (`Error response from
/// daemon`, `error:`, `failed`, `HRESULT`, `exit code`), so a bare code on
/// it is the error's code, not a code quoted in prose.
fn error_line(lower: &str) -> bool {
    [
        "error response from daemon",
        "error:",
        "error ",
        "failed",
        "failure",
        "hresult",
        "exit code",
        "exception",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// quirk_helper_notice: a mismatch wording with no HCS context is a failure
/// only when it is the message itself (alone on its line, after a field
/// label such as `Error:` / `Message:` / `msg=`, or after an error word);
/// a tool's own notice that continues the sentence (BcContainerHelper's
/// `The container operating system does not match the host operating
/// system, forcing hyperv isolation.`, docker/for-win#2777) or prose that
/// quotes it (`the docs say The container operating system …`) is not.
fn notice_or_prose(pre: &str, known: &KnownMessage) -> bool {
    let Some(r) = find_squashed(pre, &squash(known.text.trim_end_matches('.'))) else {
        return false;
    };
    let after = pre.get(r.end..).unwrap_or("").trim_start_matches('.');
    if after.trim_start().starts_with([',', ';']) {
        return true;
    }
    let before = pre
        .get(..r.start)
        .unwrap_or("")
        .trim()
        .trim_end_matches(['"', '\'', '`', '*', '(', '[', '{'])
        .trim();
    if before.is_empty() {
        return false;
    }
    let lower = before.to_ascii_lowercase();
    // A tool's own warning or note (`WARNING: The container operating
    // system does not match …`) is a notice, whatever label it wears.
    let notice_label = ["warning:", "warn:", "info:", "verbose:", "note:", "notice:"]
        .iter()
        .any(|l| lower.ends_with(l));
    if notice_label {
        return true;
    }
    if before.ends_with([':', '=', '-']) {
        return false;
    }
    !(error_line(&lower) || lower.ends_with("error") || lower.contains("fail"))
}

// The line-start regexes run on every line of a text; these cheap tests of
// the first bytes spare compiling them for texts that have no such line.

/// A klog line start (`E0530 11:42:13.374889`), its time in group 1.
fn klog_start(line: &str) -> Option<regex::Captures<'_>> {
    let b = line.trim_start().as_bytes();
    let maybe = matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && b.get(1).is_some_and(u8::is_ascii_digit);
    maybe.then(|| RE_KLOG.captures(line)).flatten()
}

/// An ISO time at a line start (`2022-04-06T22:48:20.058Z`, `[2022-…`).
fn iso_start(line: &str) -> Option<regex::Captures<'_>> {
    let b = line.trim_start().as_bytes();
    let maybe = b.first().is_some_and(|c| c.is_ascii_digit() || *c == b'[');
    maybe.then(|| RE_ISO.captures(line)).flatten()
}

/// A shell prompt at a line start: `$ `, `# `, `PS C:\`, `C:\…>`.
fn is_prompt(line: &str) -> bool {
    let b = line.as_bytes();
    let maybe = matches!(b, [b'$' | b'#', ..] | [b'P', b'S', b' ', ..])
        || (b.first().is_some_and(u8::is_ascii_alphabetic) && b.get(1) == Some(&b':'));
    maybe && RE_PROMPT.is_match(line)
}

/// A hosting platform's refusal of the image's Windows version.
struct PlatformRefusal {
    message: String,
    image: Option<String>,
    /// The newest host build the platform says it runs.
    host_max: Option<WindowsVersion>,
}

static RE_APP_SERVICE: Gated = Gated::new(&["cannot run this operating system"], || {
    Regex::new(r"(?i)cannot run this operating system/version in windows containers\.?(?:\s*maximum supported os version is\s+([0-9.]+[0-9]))?")
        .expect("static regex")
});
static RE_ACI: Gated = Gated::new(
    &["the os version of image", "osversionnotsupported"],
    || {
        Regex::new(r#"(?i)the os version of image\s+['"]?([^\s'"]+?)['"]?\s+is not supported\.?(?:\s*\(code:\s*osversionnotsupported\))?|osversionnotsupported"#)
        .expect("static regex")
    },
);

/// quirk_platform_refusal: Azure App Service (`Cannot run this Operating
/// System/Version in Windows Containers. Maximum supported OS version is
/// 10.0.14393.9999.`, microsoft/aspnet-docker#173) and Azure Container
/// Instances (`The OS version of image X is not supported. (Code:
/// OsVersionNotSupported)`, MicrosoftDocs/azure-docs#8586) refuse an image
/// whose Windows version their hosts cannot run. The `.9999` revision is a
/// wildcard, so only the build is kept.
fn platform_refusal(text: &str) -> Option<PlatformRefusal> {
    if let Some(c) = RE_APP_SERVICE.captures(text) {
        let host_max = c
            .get(1)
            .and_then(|m| parse_any(m.as_str()).ok())
            .map(|v| v.without_revision());
        return Some(PlatformRefusal {
            message: collapse_ws(c.get(0)?.as_str()),
            image: None,
            host_max,
        });
    }
    let c = RE_ACI.captures(text)?;
    Some(PlatformRefusal {
        message: collapse_ws(c.get(0)?.as_str()),
        image: c.get(1).map(|m| m.as_str().to_owned()),
        host_max: None,
    })
}

/// The two English texts of 0xc0370101 (facts.md §4.2), without the final
/// period: a cut message is compared with these.
const MISMATCH_WORDINGS: &[&str] = &[
    "The operating system of the container does not match the operating system of the host",
    "The container operating system does not match the host operating system",
];

/// A cut text shorter than this (squashed) says too little to be a wording
/// (`The container o` could still go on as anything).
const MIN_CUT_PREFIX: usize = 16;

/// Squashed word-suffixes of `text` (`a b c` → `abc`, `bc`, `c`): a cut
/// paste may start mid-sentence, at any word.
fn squashed_fragments(text: &str) -> Vec<String> {
    text.char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace()
                && (i == 0
                    || text
                        .get(..i)
                        .and_then(|b| b.chars().last())
                        .is_some_and(char::is_whitespace))
        })
        .map(|(i, _)| squash(text.get(i..).unwrap_or("")))
        .collect()
}

static MISMATCH_FRAGMENTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    MISMATCH_WORDINGS
        .iter()
        .flat_map(|w| squashed_fragments(w))
        .collect()
});

/// Fragments of every other message the recogniser knows (its
/// look-alikes), to keep a cut text that could still be one of them from
/// counting as a mismatch. The HCS code table's texts are checked by the
/// pipeline (`Failure::unconfirmed_cut`): the parser does not read the
/// knowledge base.
static OTHER_FRAGMENTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mismatch_sq: Vec<String> = MISMATCH_WORDINGS.iter().map(|w| squash(w)).collect();
    KNOWN
        .iter()
        .map(|k| k.text)
        .filter(|t| {
            let sq = squash(t.trim_end_matches('.'));
            !mismatch_sq
                .iter()
                .any(|m| sq.contains(m.as_str()) || m.contains(sq.as_str()))
        })
        .flat_map(squashed_fragments)
        .collect()
});

/// What a cut message text says about a mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CutText {
    /// A prefix of a mismatch wording (or of its tail from any word on),
    /// long enough and of no other known message.
    Mismatch,
    /// Could still be a mismatch wording or something else.
    Ambiguous,
    /// Not the start of a mismatch wording.
    NotMismatch,
}

/// quirk_cut_mismatch_wording: a message cut mid-word (console width,
/// `docker service ps` cell, a paste that stops) counts as the mismatch
/// wording when the cut text is a prefix of it (`The container operati`)
/// or of its tail from a word on (`does not match the host ope`).
fn cut_text(msg: &str) -> CutText {
    let sq = squash(msg);
    if sq.is_empty() {
        return CutText::Ambiguous;
    }
    if !MISMATCH_FRAGMENTS.iter().any(|f| f.starts_with(&sq)) {
        return CutText::NotMismatch;
    }
    if sq.len() < MIN_CUT_PREFIX || OTHER_FRAGMENTS.iter().any(|f| f.starts_with(&sq)) {
        return CutText::Ambiguous;
    }
    CutText::Mismatch
}

/// The message text a failure ends with, when no known message was found:
/// after the operation and its ID (`hcs::System::Start 4f: <msg>`), after
/// `failure in a Windows system call:` or, for a cut Swarm cell, after
/// `starting container failed:`. Cut marks (`…`, `...`) and closing quotes
/// are removed.
fn message_tail(f: &Failure, pre: &str) -> String {
    let tail = f.message.clone().or_else(|| {
        let lower = pre.to_ascii_lowercase();
        let p = [
            "starting container failed:",
            "failure in a windows system call:",
            "error response from daemon:",
        ]
        .iter()
        .filter_map(|m| lower.rfind(m).map(|p| p + m.len()))
        .max()?;
        pre.get(p..).map(str::to_owned)
    });
    tail.unwrap_or_default()
        .trim()
        .trim_end_matches(['"', '\'', '`', '}', ')', ']'])
        .trim_end_matches('…')
        .trim_end_matches("...")
        .trim()
        .to_owned()
}

/// The start of an HCS operation or of the legacy `container <id>
/// encountered…` form, cut: `hc`, `hcsshim::Cre`, `co`, `container 4f2…`.
fn cut_before_message(tail: &str) -> bool {
    let lower = tail.to_ascii_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    [
        "hcsshim::",
        "hcs::",
        "createcomputesystem",
        "container",
        "encountered",
    ]
    .iter()
    .any(|op| op.starts_with(first) || first.starts_with(op))
        || (first.len() >= 8 && first.chars().all(|c| c.is_ascii_hexdigit() || c == '…'))
}

/// Evidence before claim: what the failure's own code and words say caused
/// it, and whether the message turned out to be cut (a cut mismatch
/// wording). Never looks at versions printed elsewhere.
fn failure_cause(f: &Failure, pre: &str) -> (FailureCause, bool) {
    match f.kind {
        Some(FailureKind::ImageIncompatible | FailureKind::NoMatchForPlatform) => {
            return (FailureCause::Mismatch, false)
        }
        // `no matching manifest for windows/amd64 10.0.N` / `windows(10.0.N)/…`;
        // `for unknown` or a Linux platform is not a Windows version statement.
        Some(FailureKind::NoMatchingManifest) => {
            let windows = f
                .platform
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
            let cause = if windows {
                FailureCause::Mismatch
            } else {
                FailureCause::Other
            };
            return (cause, false);
        }
        Some(FailureKind::WrongPlatform | FailureKind::ClientNeedsHyperV) => {
            return (FailureCause::Other, false)
        }
        Some(FailureKind::Hcs) | None => {}
    }
    if let Some(code) = f.hcs_code {
        let cause = if code == IMAGE_MISMATCH {
            FailureCause::Mismatch
        } else {
            FailureCause::Other
        };
        return (cause, false);
    }
    let tail = message_tail(f, pre);
    if tail.is_empty() {
        return (FailureCause::Cut, false);
    }
    // A text that runs on past a wording is another message; only a text
    // that stops inside one is a cut wording.
    match cut_text(&tail) {
        CutText::Mismatch => (FailureCause::Mismatch, true),
        CutText::Ambiguous => (FailureCause::Cut, true),
        CutText::NotMismatch if f.truncated && cut_before_message(&tail) => {
            (FailureCause::Cut, false)
        }
        CutText::NotMismatch => (FailureCause::Other, false),
    }
}

/// A message of `KNOWN` in the squashed text, in any letter case and
/// wrapping: `The container operating system does not match the host
/// operating system.`; look-alikes only when `context` holds.
fn known_hcs_message(sq: &str, context: bool) -> Option<&'static KnownMessage> {
    KNOWN_AC
        .find_iter(sq)
        .filter_map(|m| KNOWN.get(m.pattern().as_usize()))
        .find(|k| context || !k.needs_context)
}

/// Legacy hcsshim `ContainerError` (Docker 17.x–18.0x):
/// `container 328b4c… encountered an error during CreateContainer: failure
/// in a Windows system call: <message> (0xc0370101) extra info: {…}`.
/// Returns (container, operation).
fn legacy_container_error(text: &str) -> Option<(String, String)> {
    let caps = RE_LEGACY.captures(text)?;
    let id = caps.get(1)?.as_str().to_owned();
    let op = caps.get(2)?.as_str().trim_end_matches(':').to_owned();
    Some((id, op))
}

/// hcsshim `SystemError` / containerd shim wording:
/// `CreateComputeSystem af1a…: <message>`, `hcsshim::CreateComputeSystem <id>: …`,
/// `hcs::CreateComputeSystem <id>: …`, `hcs::System::Start <id>: …`,
/// `ctr: failed to create shim task: hcs::CreateComputeSystem test: …: unknown`.
/// Returns (operation, container id or name when printed).
fn compute_system_error(text: &str) -> Option<(String, Option<String>)> {
    let m = RE_OP.find(text)?;
    let op = m.as_str().to_owned();
    let rest = text.get(m.end()..).unwrap_or("");
    let id = id_after_op(rest);
    Some((op, id))
}

/// The token after an operation name when it is an ID or name: followed by
/// `:` (`test:`), or a long hex run cut by the end of the text
/// (`db52129222…cd2`).
fn id_after_op(rest: &str) -> Option<String> {
    let parsed: IResult<&str, &str> = preceded(
        take_while1(|c: char| c == ' '),
        take_while1(|c: char| !c.is_whitespace() && c != ':' && c != '"' && c != '\\'),
    )
    .parse(rest);
    let (after, token) = parsed.ok()?;
    let colon: IResult<&str, Option<&str>> = opt(tag(":")).parse(after);
    let followed_by_colon = matches!(colon, Ok((_, Some(_))));
    let hexish = token.len() >= 12 && token.chars().all(|c| c.is_ascii_hexdigit() || c == '…');
    let at_end = after.trim().is_empty();
    if (followed_by_colon && !token.eq_ignore_ascii_case("failed")) || (hexish && at_end) {
        Some(token.to_owned())
    } else {
        None
    }
}

/// The message that follows an operation and its ID, up to the code or
/// `: unknown`: `hcs::System::Start 4f…: The virtual machine or container
/// exited unexpectedly. (0xc0370106)` → `The virtual machine … unexpectedly.`
fn message_after_op(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let from = ["failure in a windows system call:", "failed in win32:"]
        .iter()
        .find_map(|m| lower.find(m).map(|p| p + m.len()))
        .or_else(|| {
            let m = RE_OP.find(text)?;
            let rest = text.get(m.end()..)?;
            let colon = rest.find(": ")?;
            Some(m.end() + colon + 2)
        })?;
    let rest = text.get(from..)?;
    let mut msg = rest;
    if let Some(p) = RE_CODE.find(msg) {
        msg = msg.get(..p.start()).unwrap_or(msg);
    }
    if let Some(p) = msg.to_ascii_lowercase().rfind(": unknown") {
        msg = msg.get(..p).unwrap_or(msg);
    }
    let msg = msg
        .trim()
        .trim_end_matches(['"', '\'', '}', ')', '`'])
        .trim();
    (!msg.is_empty()).then(|| clip(&collapse_ws(msg), 300))
}

/// moby graphdriver pull refusal (Docker ≥18.04), with or without `a`,
/// `docker: ` or ECS `CannotPullContainerError:` before it and `.` after:
/// `a Windows version 10.0.17763-based image is incompatible with a 10.0.17134 host`.
/// Returns (image version, host version, truncated); a number cut with
/// `…` (`10.0.17…`) gives `None` and truncated.
fn image_incompatible(
    text: &str,
) -> Option<(Option<WindowsVersion>, Option<WindowsVersion>, bool)> {
    let caps = RE_INCOMPATIBLE.captures(text)?;
    let (img, img_cut) = version_token(caps.get(1));
    let host_m = caps.get(2);
    let (host, host_cut) = version_token(host_m);
    let cut = img_cut || host_cut || host_m.is_none();
    Some((img, host, cut))
}

/// A version token from a message: `10.0.17763` → the version; a token cut
/// with `…` (`10.0.17…`) → `None` and cut.
fn version_token(m: Option<regex::Match>) -> (Option<WindowsVersion>, bool) {
    let Some(m) = m else {
        return (None, false);
    };
    let tok = m.as_str().trim_end_matches('.');
    if tok.contains('…') || tok.contains("..") {
        return (None, true);
    }
    (parse_any(tok).ok(), false)
}

/// moby pull with no entry for the host (facts.md §4.1): `no matching
/// manifest for windows/amd64 10.0.17763 in the manifest list entries`
/// (Docker ≤27), `no matching manifest for windows(10.0.26200)/amd64/v3 in
/// the manifest list entries: no match for platform in manifest: not found`
/// (Docker ≥28, containerd store), `… for unknown in …`. The build in the
/// platform is the HOST's. Returns (platform, host version, truncated).
fn no_matching_manifest(text: &str) -> Option<(String, Option<WindowsVersion>, bool)> {
    let caps = RE_MANIFEST.captures(text)?;
    let platform = caps
        .get(1)?
        .as_str()
        .trim_end_matches(['.', ':'])
        .to_owned();
    let mut cut = caps.get(2).is_none() || platform.contains('…');
    let host = match platform_host_build(&platform) {
        Some(Ok(v)) => Some(v),
        Some(Err(())) => {
            cut = true;
            None
        }
        None => None,
    };
    Some((platform, host, cut))
}

/// The host build named by a manifest platform string: `windows(10.0.26200)/amd64/v3`
/// or `windows/amd64 10.0.17763`. `Some(Err)` when the number was cut (`10.0.17…`).
fn platform_host_build(platform: &str) -> Option<Result<WindowsVersion, ()>> {
    fn ten_zero(i: &str) -> IResult<&str, &str> {
        preceded(tag("10.0."), digit1).parse(i)
    }
    let parsed: IResult<&str, &str> = preceded(tag("windows("), ten_zero).parse(platform);
    let build = match parsed {
        Ok((rest, b)) => Some((rest, b)),
        Err(_) => platform
            .rsplit_once(' ')
            .and_then(|(_, v)| ten_zero(v).ok()),
    };
    let (rest, b) = build?;
    if rest.starts_with('…') || rest.starts_with("..") {
        return Some(Err(()));
    }
    Some(parse_any(&format!("10.0.{b}")).map_err(|_| ()))
}

/// containerd/CRI platform refusal on its own (no `no matching manifest`
/// before it): `failed to pull and unpack image "…": no match for platform
/// in manifest: not found`.
fn no_match_for_platform(lower: &str) -> bool {
    lower.contains("no match for platform in manifest")
}

/// Linux image on a Windows daemon (or the reverse), moby
/// `image operating system "linux" cannot be used on this platform`
/// (wrapping `operating system is not supported`). Returns the image OS
/// when printed.
fn wrong_platform(text: &str) -> Option<Option<String>> {
    if let Some(c) = RE_IMAGE_OS.captures(text) {
        return Some(c.get(1).map(|m| m.as_str().to_ascii_lowercase()));
    }
    text.to_ascii_lowercase()
        .contains("operating system is not supported")
        .then_some(None)
}

/// Docker on Windows 10 before 1809 refusing process isolation:
/// `Windows client operating systems earlier than version 1809 can only run
/// Hyper-V containers`.
fn client_needs_hyperv(lower: &str) -> bool {
    lower.contains("can only run hyper-v containers")
}

/// The failure happened creating the pod sandbox: `Failed create pod
/// sandbox`, `Failed to create pod sandbox`, `FailedCreatePodSandBox`,
/// `CreatePodSandbox`, `failed to start sandbox container` (also the
/// `startsandbox` typo-by-wrap of #765). Checked on squashed text.
fn pod_sandbox(sq: &str) -> bool {
    sq.contains("podsandbox") || sq.contains("sandboxcontainer") || sq.contains("createpodsandbox")
}

/// Wrapping layers, outermost first, with the marker that shows each.
#[rustfmt::skip]
const WRAPPERS: &[(&str, &str)] = &[
    ("##[error]", "ci error annotation"),
    ("process error:", "Process error"),
    ("dockerdo :", "DockerDo"),
    ("dockerrequest returned statuscode=", "DockerRequest"),
    ("(http code 500) server error", "HTTP 500"),
    ("500 server error", "HTTP 500"),
    ("cannotpullcontainererror", "ECS CannotPullContainerError"),
    ("error syncing pod", "kubelet pod sync"),
    ("failed create pod sandbox", "kubelet pod sandbox"),
    ("failed to create pod sandbox", "kubelet pod sandbox"),
    ("failedcreatepodsandbox", "kubelet pod sandbox"),
    ("createpodsandbox for pod", "kubelet pod sandbox"),
    ("error: failed to", "kubelet event"),
    ("failed to pull image", "kubelet pull"),
    ("rpc error: code =", "CRI rpc error"),
    ("failed to start sandbox container", "sandbox container"),
    ("failed to pull and unpack image", "containerd pull"),
    ("failed to create containerd task", "containerd task"),
    ("ctr: ", "ctr"),
    ("failed to create shim task", "containerd shim"),
    ("starting container failed:", "docker service task"),
    ("docker: ", "docker CLI"),
    ("docker.exe: ", "docker CLI"),
    ("error response from daemon:", "docker daemon"),
    ("{\"message\":\"", "daemon JSON body"),
];

/// The wrapping layers around the message, outermost (leftmost) first,
/// each named once: `DockerDo : docker.exe: Error response from daemon:
/// CreateComputeSystem …` → `DockerDo`, `docker CLI`, `docker daemon`.
fn wrappers(lower: &str) -> Vec<String> {
    let mut found: Vec<(usize, &str)> = WRAPPERS
        .iter()
        .filter_map(|(m, name)| lower.find(m).map(|p| (p, *name)))
        .collect();
    found.sort_by_key(|(p, _)| *p);
    let mut names: Vec<String> = Vec::new();
    for (p, name) in found {
        let name = if name == "DockerRequest" {
            lower
                .get(p..)
                .and_then(|s| RE_HTTP_STATUS.captures(s))
                .and_then(|c| c.get(1))
                .map_or_else(
                    || name.to_owned(),
                    |m| format!("DockerRequest StatusCode={}", m.as_str()),
                )
        } else {
            name.to_owned()
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Where the failure text proper begins: at the outermost wrapper or the
/// message, whichever comes first, so table cells, klog headers and
/// `Message:` keys before it are left out of `Failure::text`.
fn message_start(text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    let wrapper = WRAPPERS.iter().filter_map(|(m, _)| lower.find(m)).min();
    let trigger = TRIGGER_AC.find(&lower).map(|m| m.start());
    let legacy = RE_LEGACY.find(text).map(|m| m.start());
    [wrapper, trigger, legacy, anchor_pos(text)]
        .into_iter()
        .flatten()
        .min()
        .filter(|&p| text.is_char_boundary(p))
        .unwrap_or(0)
}

static RE_MSG_INCOMPATIBLE: Gated = Gated::new(&["-based"], || {
    Regex::new(r"(?i)(?:a\s+)?windows\s+version\s+\S+?-based\s+image\s+is\s+incompatible(?:\s+with\s+(?:an?\s+)?[0-9][0-9.…]*(?:\s+host)?)?")
        .expect("static regex")
});
static RE_MSG_MANIFEST: Gated = Gated::new(&["no matching manifest for"], || {
    Regex::new(r"(?i)no matching manifest for\s+\S+(?:\s+[0-9][0-9.…]*)?(?:\s+in the manifest list entries)?(?::\s*no match for platform in manifest(?::\s*not found)?)?")
        .expect("static regex")
});
static RE_MSG_PLATFORM: Gated = Gated::new(&["no match for platform in manifest"], || {
    Regex::new(r"(?i)no match for platform in manifest(?:\s+sha256:[0-9a-f]+)?(?::\s*not found)?")
        .expect("static regex")
});
static RE_MSG_WRONG: Gated = Gated::new(
    &[
        "cannot be used on this platform",
        "operating system is not supported",
    ],
    || {
        Regex::new(r#"(?i)image operating system\s+\\?"[A-Za-z0-9_]+\\?"\s+cannot be used on this platform(?::\s*operating system is not supported)?|operating system is not supported"#)
        .expect("static regex")
    },
);
static RE_MSG_CLIENT: Gated = Gated::new(&["can only run hyper-v containers"], || {
    Regex::new(r"(?i)windows client operating systems earlier than version [0-9]+ can only run hyper-v containers")
        .expect("static regex")
});

/// The message proper of a pull/platform failure, without what the paste
/// put around it: `a Windows version 10.0.17763-based image is
/// incompatible with a 10.0.17134 host`.
fn pull_message(text: &str, kind: FailureKind) -> Option<String> {
    let re: &Gated = match kind {
        FailureKind::ImageIncompatible => &RE_MSG_INCOMPATIBLE,
        FailureKind::NoMatchingManifest => &RE_MSG_MANIFEST,
        FailureKind::NoMatchForPlatform => &RE_MSG_PLATFORM,
        FailureKind::WrongPlatform => &RE_MSG_WRONG,
        FailureKind::ClientNeedsHyperV => &RE_MSG_CLIENT,
        FailureKind::Hcs => return None,
    };
    re.find(text).map(|m| clip(&collapse_ws(m.as_str()), 300))
}

/// Text of a message with leading wrapper prefixes removed, for `message`
/// of pull-type failures: `docker: Error response from daemon: no matching
/// manifest …` → `no matching manifest …`.
fn strip_wrappers(text: &str) -> &str {
    anchor_pos(text).and_then(|p| text.get(p..)).unwrap_or(text)
}

/// Byte offset of the first pull/platform message anchor in `text`.
fn anchor_pos(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [
        "a windows version",
        "windows version",
        "no matching manifest",
        "image operating system",
        "no match for platform",
        "operating system is not supported",
        "windows client operating systems",
    ]
    .iter()
    .filter_map(|a| lower.find(a))
    .min()
}

/// An image named by the message itself: `failed to pull and unpack image
/// "mcr.microsoft.com/windows/servercore:ltsc2022"`, `Failed to pull image "…"`.
fn image_in_message(text: &str) -> Option<String> {
    RE_IMAGE_PULL
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned())
}

/// An image named just before the message (up to three lines, stopping at
/// a blank line): `Unable to find image 'mcr.microsoft.com/windows/server:ltsc2022' locally`,
/// `docker pull mcr.microsoft.com/windows/nanoserver:ltsc2022`, or
/// `ltsc2022: Pulling from windows/nanoserver` (→ `windows/nanoserver:ltsc2022`).
fn image_before(doc: &Doc, start: usize) -> Option<String> {
    let mut pulling: Option<String> = None;
    let mut from_step: Option<String> = None;
    for k in (start.saturating_sub(3)..start).rev() {
        let line = line_at(doc, k);
        if line.trim().is_empty() {
            break;
        }
        if let Some(c) = RE_UNABLE_TO_FIND.captures(line).and_then(|c| c.get(1)) {
            return Some(c.as_str().to_owned());
        }
        // A helper's step that names its image: `Creating container bc1 from
        // image X` (BcContainerHelper, corpus N10/N15), `Pulling image X`.
        if let Some(c) = RE_STEP_IMAGE.captures(line).and_then(|c| c.get(1)) {
            return Some(c.as_str().to_owned());
        }
        if let Some(c) = RE_DOCKER_PULL.captures(line).and_then(|c| c.get(1)) {
            // quirk_markdown_code_span: `` `>docker pull IMAGE` `` keeps the
            // closing backtick on the image (MicrosoftDocs/Virtualization-Documentation#1874).
            return Some(c.as_str().trim_end_matches(['`', '*']).to_owned());
        }
        // `Step 1/8 : FROM ubuntu` (classic builder), `#4 [1/3] FROM
        // docker.io/library/ubuntu:22.04` (BuildKit): the image the build
        // pulls when no pull line names it.
        if let Some(c) = RE_STEP_FROM.captures(line).and_then(|c| c.get(1)) {
            from_step.get_or_insert_with(|| c.as_str().to_owned());
        }
        if pulling.is_none() {
            if let Some(c) = RE_PULLING_FROM.captures(line) {
                if let (Some(tag), Some(repo)) = (c.get(1), c.get(2)) {
                    pulling = Some(format!("{}:{}", repo.as_str(), tag.as_str()));
                }
            }
        }
    }
    // `ltsc2022: Pulling from windows/servercore` drops the registry that the
    // build step's FROM spells out: prefer the FROM when it is the same image.
    match (pulling, from_step) {
        (Some(p), Some(f)) if f.ends_with(&format!("/{p}")) => Some(f),
        (p, f) => p.or(f),
    }
}

/// The leading timestamp of a line: klog `E0530 11:42:13.374889`, ISO
/// `2022-04-06T22:48:20.058Z`, logrus `time="2019-03-01T10:00:00Z"`.
fn timestamp(line: &str) -> Option<String> {
    klog_start(line)
        .or_else(|| iso_start(line))
        .or_else(|| RE_LOGRUS.captures(line))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned())
}

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

/// Lowercase (ASCII) with all whitespace removed.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Byte range in `hay` of `needle_sq` (already squashed), ignoring
/// whitespace and ASCII case in `hay`. Linear: squashes once with a map.
fn find_squashed(hay: &str, needle_sq: &str) -> Option<std::ops::Range<usize>> {
    let mut sq = String::with_capacity(hay.len());
    let mut map: Vec<usize> = Vec::with_capacity(hay.len());
    for (i, c) in hay.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let lc = c.to_ascii_lowercase();
        for _ in 0..lc.len_utf8() {
            map.push(i);
        }
        sq.push(lc);
    }
    let p = sq.find(needle_sq)?;
    let last = p + needle_sq.len().checked_sub(1)?;
    let start = *map.get(p)?;
    let last_start = *map.get(last)?;
    let last_len = hay.get(last_start..)?.chars().next()?.len_utf8();
    Some(start..last_start + last_len)
}

/// ASCII case-insensitive find.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    super::gated::find_ci(hay, needle)
}

fn starts_with_ci(hay: &str, prefix: &str) -> bool {
    hay.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// The first `max` bytes of `s`, cut on a char boundary.
fn cut_at_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Runs of whitespace as one space, trimmed.
fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` chars; a cut text ends with `…`.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Record;

    fn failures(text: &str) -> Vec<(Record, Failure)> {
        let doc = Doc::new("t", text);
        let mut out = Output::default();
        scan(&doc, &mut out);
        out.records
            .into_iter()
            .filter_map(|r| match &r.data {
                RecordData::Failure(f) => {
                    let f = f.clone();
                    Some((r, f))
                }
                _ => None,
            })
            .collect()
    }

    fn one(text: &str) -> (Record, Failure) {
        let mut all = failures(text);
        assert_eq!(
            all.len(),
            1,
            "expected one failure in {text:?}, got {all:#?}"
        );
        all.remove(0)
    }

    const ID_A: &str = "3f9a0c7e1b2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6";

    /// See: issue 15, point 1 (a wrap between two words lost the failure).
    #[test]
    fn incompatible_wording_broken_between_words_is_found() {
        let (r, f) = one("docker: Error response from daemon: a Windows version\n 10.0.26100-based image is incompatible with a 10.0.14393 host.\n");
        assert_eq!(f.kind, Some(FailureKind::ImageIncompatible));
        assert_eq!((r.line, r.end_line), (1, 2));
        assert_eq!(f.image_version.map(|v| v.build), Some(26100));
        assert_eq!(f.host_version.map(|v| v.build), Some(14393));
    }

    /// One break at every position of a legacy message, the space at a
    /// word boundary kept, dropped or carried over: always one failure,
    /// with its container id and code (issue 15: one failure is one
    /// record).
    #[test]
    fn one_break_anywhere_gives_one_record_with_its_container() {
        let msg = "Error response from daemon: container 4f2a9c01d2e3 encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)";
        for (at, c) in msg.char_indices().skip(1) {
            let (a, b) = msg.split_at(at);
            let mut texts = vec![format!("{a}\n{b}\n")];
            if c == ' ' {
                texts.push(format!("{a}\n{}\n", &b[1..]));
                texts.push(format!("{a} \n{}\n", &b[1..]));
            }
            for text in texts {
                let (_, f) = one(&text);
                assert_eq!(f.container.as_deref(), Some("4f2a9c01d2e3"), "{text:?}");
                assert_eq!(f.hcs_code, Some(IMAGE_MISMATCH), "{text:?}");
            }
        }
    }

    #[test]
    fn legacy_wording_with_extra_info() {
        let text = format!(
            "docker: Error response from daemon: container {ID_A} encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: {{\"SystemType\":\"Container\",\"Name\":\"{ID_A}\",\"HvPartition\":false}}."
        );
        let (r, f) = one(&text);
        assert_eq!((r.line, r.end_line), (1, 1));
        assert_eq!(f.kind, Some(FailureKind::Hcs));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(f.operation.as_deref(), Some("CreateContainer"));
        assert_eq!(f.container.as_deref(), Some(ID_A));
        assert_eq!(
            f.message.as_deref(),
            Some("The operating system of the container does not match the operating system of the host.")
        );
        assert_eq!(f.wrappers, ["docker CLI", "docker daemon"]);
        assert_eq!(f.hcs.as_ref().and_then(|h| h.hv_partition), Some(false));
        assert!(!f.truncated);
        assert!(!f.text.contains("SystemType"));
    }

    #[test]
    fn legacy_wording_system_start_other_code() {
        let (_, f) = one("docker: Error response from daemon: container 7d1e encountered an error during hcsshim::System::Start: failure in a Windows system call: The virtual machine or container exited unexpectedly. (0xc0370106).");
        assert_eq!(f.hcs_code, Some(0xC037_0106));
        assert_eq!(f.operation.as_deref(), Some("hcsshim::System::Start"));
        assert_eq!(f.container.as_deref(), Some("7d1e"));
    }

    #[test]
    fn compute_system_wording_with_extra_info_on_next_lines() {
        let text = "PS C:\\> docker run --rm contoso/app:1.0\n\
Error response from daemon: CreateComputeSystem 0a1b2c3d4e5f: The container operating system does not match the host operating system.\n\
(extra info: {\"SystemType\":\"Container\",\"Name\":\"0a1b2c3d4e5f\",\"HvPartition\":false})\n\
PS C:\\>";
        let (r, f) = one(text);
        assert_eq!((r.line, r.end_line), (2, 3));
        assert_eq!(f.operation.as_deref(), Some("CreateComputeSystem"));
        assert_eq!(f.container.as_deref(), Some("0a1b2c3d4e5f"));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(
            f.hcs.as_ref().and_then(|h| h.name.as_deref()),
            Some("0a1b2c3d4e5f")
        );
    }

    #[test]
    fn hcs_prefixed_ops_in_any_case() {
        for (line, op) in [
            ("Error response from daemon: hcsshim::CreateComputeSystem web01: THE CONTAINER OPERATING SYSTEM DOES NOT MATCH THE HOST OPERATING SYSTEM.", "hcsshim::CreateComputeSystem"),
            ("docker: Error response from daemon: hcs::CreateComputeSystem web01: the container operating system does not match the host operating system.", "hcs::CreateComputeSystem"),
            ("Error: hcs::System::Start web01: The container operating system does not match the host operating system.", "hcs::System::Start"),
        ] {
            let (_, f) = one(line);
            assert_eq!(f.operation.as_deref(), Some(op), "{line}");
            assert_eq!(f.container.as_deref(), Some("web01"));
            assert_eq!(f.hcs_code, Some(0xC037_0101));
        }
    }

    #[test]
    fn containerd_cri_and_ctr_wording() {
        let (_, f) = one("      Message:      failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem 0f0e0d0c: The container operating system does not match the host operating system.: unknown");
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(f.container.as_deref(), Some("0f0e0d0c"));
        assert_eq!(f.wrappers, ["containerd task", "containerd shim"]);
        let (_, f) = one("ctr: failed to create shim task: hcs::CreateComputeSystem demo: The container operating system does not match the host operating system.: unknown");
        assert_eq!(f.container.as_deref(), Some("demo"));
        assert_eq!(f.wrappers, ["ctr", "containerd shim"]);
        assert!(!f.truncated);
    }

    #[test]
    fn pod_sandbox_forms_set_sandbox() {
        for line in [
            "  Warning  FailedCreatePodSandBox  5s  kubelet  Failed create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox container for pod \"web-1\": Error response from daemon: CreateComputeSystem 9a9b: The container operating system does not match the host operating system.",
            "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem 9a9b: The container operating system does not match the host operating system.: unknown",
        ] {
            let (_, f) = one(line);
            assert!(f.sandbox, "{line}");
            assert!(f.wrappers.contains(&"kubelet pod sandbox".to_owned()));
        }
    }

    #[test]
    fn klog_wrapped_sandbox_with_escaped_blob() {
        let text = "E0101 08:00:00.123456    4242 pod_workers.go:186] Error syncing pod 1111, skipping: failed to \n\
\"CreatePodSandbox\" for \"web-0\" with CreatePodSandboxError: \n\
\"CreatePodSandbox for pod \\\"web-0\\\" failed: rpc error: code = Unknown desc = failed to start sandbox container for pod \\\"web-0\\\": \n\
Error response from daemon: container 5a5b encountered an error during CreateContainer: failure in a Windows system call: \n\
The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: \n\
{\\\"SystemType\\\":\\\"Container\\\",\\\"Name\\\":\\\"5a5b\\\",\\\"Owner\\\":\\\"docker\\\",\\\"IsDum";
        let (r, f) = one(text);
        assert_eq!((r.line, r.end_line), (1, 6));
        assert!(f.sandbox);
        assert_eq!(f.timestamp.as_deref(), Some("E0101 08:00:00.123456"));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(f.container.as_deref(), Some("5a5b"));
        assert!(f.truncated);
        let hcs = f.hcs.expect("salvaged blob");
        assert!(hcs.partial);
        assert_eq!(hcs.name.as_deref(), Some("5a5b"));
        assert_eq!(
            f.wrappers.first().map(String::as_str),
            Some("kubelet pod sync")
        );
    }

    #[test]
    fn image_incompatible_forms() {
        for line in [
            "a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host",
            "docker: a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host.",
            "Windows version 10.0.20348-based image is incompatible with 10.0.17763 host",
            "CannotPullContainerError: a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host",
        ] {
            let (_, f) = one(line);
            assert_eq!(f.kind, Some(FailureKind::ImageIncompatible), "{line}");
            assert_eq!(f.image_version, Some(WindowsVersion::new(20348, None)));
            assert_eq!(f.host_version, Some(WindowsVersion::new(17763, None)));
            assert!(f.pull);
            assert!(!f.truncated);
            assert_eq!(f.hcs_code, None);
        }
        let (_, f) = one("CannotPullContainerError: a Windows version 10.0.20348-based image is incompatible with a 10.0.17…");
        assert!(f.truncated);
        assert_eq!(f.host_version, None);
        assert_eq!(f.image_version, Some(WindowsVersion::new(20348, None)));
        assert_eq!(f.wrappers, ["ECS CannotPullContainerError"]);
    }

    #[test]
    fn no_matching_manifest_forms() {
        let (_, f) =
            one("no matching manifest for windows/amd64 10.0.17763 in the manifest list entries");
        assert_eq!(f.kind, Some(FailureKind::NoMatchingManifest));
        assert_eq!(f.platform.as_deref(), Some("windows/amd64 10.0.17763"));
        assert_eq!(f.host_version, Some(WindowsVersion::new(17763, None)));
        let text = "Unable to find image 'contoso.azurecr.io/tools/agent:2.1' locally\ndocker: Error response from daemon: no matching manifest for windows(10.0.26200)/amd64/v3 in the manifest list entries: no match for platform in manifest: not found";
        let (r, f) = one(text);
        assert_eq!(r.line, 2);
        assert_eq!(f.kind, Some(FailureKind::NoMatchingManifest));
        assert_eq!(f.platform.as_deref(), Some("windows(10.0.26200)/amd64/v3"));
        assert_eq!(f.host_version, Some(WindowsVersion::new(26200, None)));
        assert_eq!(
            f.image.as_deref(),
            Some("contoso.azurecr.io/tools/agent:2.1")
        );
        let (_, f) = one("Error response from daemon: no matching manifest for unknown in the manifest list entries");
        assert_eq!(f.platform.as_deref(), Some("unknown"));
        assert_eq!(f.host_version, None);
    }

    #[test]
    fn no_match_for_platform_alone() {
        let (_, f) = one("  Warning  Failed  3s  kubelet  Failed to pull image \"mcr.microsoft.com/windows/servercore:ltsc2022\": rpc error: code = NotFound desc = failed to pull and unpack image \"mcr.microsoft.com/windows/servercore:ltsc2022\": no match for platform in manifest: not found");
        assert_eq!(f.kind, Some(FailureKind::NoMatchForPlatform));
        assert_eq!(
            f.image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2022")
        );
        assert!(f.pull);
        assert_eq!(
            f.wrappers,
            ["kubelet pull", "CRI rpc error", "containerd pull"]
        );
    }

    #[test]
    fn wrong_platform_forms() {
        let (_, f) = one("Error response from daemon: image operating system \"linux\" cannot be used on this platform: operating system is not supported");
        assert_eq!(f.kind, Some(FailureKind::WrongPlatform));
        assert_eq!(f.platform.as_deref(), Some("linux"));
        let (_, f) = one("failed to register layer: image operating system \"windows\" cannot be used on this platform");
        assert_eq!(f.platform.as_deref(), Some("windows"));
        let (_, f) = one("Error response from daemon: operating system is not supported");
        assert_eq!(f.kind, Some(FailureKind::WrongPlatform));
    }

    #[test]
    fn client_needs_hyperv() {
        let (_, f) = one("docker: Error response from daemon: Windows client operating systems earlier than version 1809 can only run Hyper-V containers.");
        assert_eq!(f.kind, Some(FailureKind::ClientNeedsHyperV));
    }

    #[test]
    fn kubelet_event_with_json_message_body() {
        let line = r#"  1m  1m  3  kubelet, node-7  spec.containers{web}  Warning  Failed  Error: failed to start container "web": Error response from daemon: {"message":"container web encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: {\"SystemType\":\"Container\",\"Name\":\"web\",\"HvPartition\":false}"}"#;
        let (_, f) = one(line);
        assert_eq!(f.container.as_deref(), Some("web"));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(
            f.wrappers,
            ["kubelet event", "docker daemon", "daemon JSON body"]
        );
        assert_eq!(f.hcs.as_ref().and_then(|h| h.hv_partition), Some(false));
        assert!(!f.truncated);
    }

    #[test]
    fn other_wrappers_are_named() {
        let (_, f) = one("##[error]Process error: docker: Error response from daemon: hcsshim::CreateComputeSystem ab: The container operating system does not match the host operating system.");
        assert_eq!(
            f.wrappers,
            [
                "ci error annotation",
                "Process error",
                "docker CLI",
                "docker daemon"
            ]
        );
        let (_, f) = one("DockerRequest returned StatusCode=500 ResponseBody={\"message\":\"hcs::CreateComputeSystem ab: The container operating system does not match the host operating system.\"}");
        assert_eq!(
            f.wrappers,
            ["DockerRequest StatusCode=500", "daemon JSON body"]
        );
        let (_, f) = one("(HTTP code 500) server error - hcs::CreateComputeSystem ab: The container operating system does not match the host operating system.");
        assert_eq!(f.wrappers, ["HTTP 500"]);
        let (_, f) = one("2024-02-03T04:05:06.789Z\tERROR\tAPI Error: 500 Server Error: Internal Server Error (\"CreateComputeSystem ab: The container operating system does not match the host operating system.\")");
        assert_eq!(f.wrappers, ["HTTP 500"]);
        assert_eq!(f.timestamp.as_deref(), Some("2024-02-03T04:05:06.789Z"));
    }

    #[test]
    fn look_alikes_keep_their_own_codes() {
        let cases: [(&str, u32); 6] = [
            ("starting container failed: hcsshim::CreateComputeSystem ab12: The request is not supported.", 0x32),
            ("container ab12 encountered an error during CreateContainer: failure in a Windows system call: The parameter is incorrect. (0x57)", 0x57),
            ("hcs::CreateComputeSystem ab12: The container image contains a layer with an unrecognized format. (0xc0370112)", 0xC037_0112),
            ("hcsshim::PrepareLayer failed in Win32: The system cannot find the file specified. (0x2)", 0x2),
            ("\"Error\": \"hcsshim::CreateComputeSystem ab12: The endpoint was not found.\\n(extra info: {\\\"Name\\\":\\\"ab12\\\"})\"", 0x803B_0002),
            ("Error response from daemon: container ab12 encountered an error during hcs::System::Start: failure in a Windows system call: The compute system exited unexpectedly.", 0xC037_0106),
        ];
        for (line, code) in cases {
            let (_, f) = one(line);
            assert_eq!(f.kind, Some(FailureKind::Hcs), "{line}");
            assert_eq!(f.hcs_code, Some(code), "{line}");
        }
    }

    #[test]
    fn look_alikes_in_prose_are_not_failures() {
        assert!(failures("If the parameter is incorrect. the tool says The request is not supported. Also The system cannot find the file specified.").is_empty());
        assert!(failures("hcsshim::CreateComputeSystem - Begin Operation").is_empty());
    }

    #[test]
    fn full_mismatch_text_alone_is_recognised_but_not_in_prose() {
        // Decision (issue 9, evidence before claim): the full 0xc0370101 text
        // without a code or HCS context counts when it is the message itself
        // (users paste just the sentence, or after `Error:`), not when prose
        // or a tool's notice quotes it.
        for line in [
            "The container operating system does not match the host operating system.",
            "> \"The container operating system does not match the host operating system.\"",
            "Error: The container operating system does not match the host operating system.",
            "Deploy failed: The container operating system does not match the host operating system.",
        ] {
            let (_, f) = one(line);
            assert_eq!(f.hcs_code, Some(0xC037_0101), "{line}");
            assert_eq!(f.cause, FailureCause::Mismatch, "{line}");
        }
        for prose in [
            "We keep getting The container operating system does not match the host operating system. on every node",
            "the operating system of the container does not match",
            "The container operating system does not match the host operating system, forcing hyperv isolation.",
        ] {
            assert!(failures(prose).is_empty(), "{prose}");
        }
    }

    /// See: corpus N11 (docker/for-win#2777): NavContainerHelper prints the
    /// mismatch sentence itself before choosing Hyper-V; the failure is the
    /// later timeout.
    #[test]
    fn helper_notice_is_not_a_failure_the_later_error_is() {
        let text = "Container OS Version: 10.0.14393.2551\n\
Host OS Version: 10.0.17763.0\n\
The container operating system does not match the host operating system, forcing hyperv isolation.\n\
Creating container demo-1 from image contoso/app:1.0\n\
docker.exe: Error response from daemon: container 0a0b0c0d encountered an error during CreateContainer: failure in a Windows system call: This operation returned because the timeout period expired. (0x5b4) extra info: {\"SystemType\":\"Container\"}\n";
        let (r, f) = one(text);
        assert_eq!(r.line, 5);
        assert_eq!(f.hcs_code, Some(0x5b4));
        assert_eq!(f.cause, FailureCause::Other);
    }

    #[test]
    fn cause_of_every_wording() {
        let cases: &[(&str, FailureCause)] = &[
            ("docker: Error response from daemon: container 4f4f encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)", FailureCause::Mismatch),
            ("Error response from daemon: hcs::CreateComputeSystem web: The container operating system does not match the host operating system.", FailureCause::Mismatch),
            ("hcs::System::Start web: failed with (0x80370101)", FailureCause::Mismatch),
            ("a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host", FailureCause::Mismatch),
            ("no matching manifest for windows/amd64 10.0.19045 in the manifest list entries", FailureCause::Mismatch),
            ("failed to pull and unpack image \"contoso/app:2\": no match for platform in manifest: not found", FailureCause::Mismatch),
            ("no matching manifest for unknown in the manifest list entries", FailureCause::Other),
            ("image operating system \"linux\" cannot be used on this platform", FailureCause::Other),
            ("Error response from daemon: hcs::CreateComputeSystem web: The requested operation for attach namespace failed.: unknown", FailureCause::Other),
            ("hcsshim::PrepareLayer failed in Win32: The system cannot find the path specified. (0x3)", FailureCause::Other),
            ("container web encountered an error during hcs::System::Start: failure in a Windows system call: The virtual machine or container exited unexpectedly. (0xc0370106)", FailureCause::Other),
            ("container web encountered an error during Start: failure in a Windows system call: The parameter is incorrect. (0x57)", FailureCause::Other),
            ("docker: Error response from daemon: hcsshim::CreateComputeSystem web: No hypervisor is present on this system.", FailureCause::Other),
            ("docker: Error response from daemon: hcsshim::CreateComputeSystem web: Access is denied.", FailureCause::Other),
            ("docker: Error response from daemon: container web encountered an error during hcsshim::System::Start: context deadline exceeded.", FailureCause::Other),
            ("hcs::CreateComputeSystem web: The request is not supported.", FailureCause::Other),
            ("container web encountered an error during CreateContainer: failure in a Windows system call: This operation returned because the timeout period expired. (0x5b4)", FailureCause::Other),
            ("hcs::CreateComputeSystem web: The virtual machine could not be started because a required feature is not installed.", FailureCause::Other),
            ("x1 \\_ api.1  contoso/api:1  NODE-3  Shutdown  Failed 5 seconds ago  \"starting container failed: hc…\"", FailureCause::Cut),
            ("x2 \\_ api.1  contoso/api:1  NODE-3  Shutdown  Failed 5 seconds ago  \"starting container failed: hcsshim::CreateComputeSystem 0123456789abcdef0123", FailureCause::Cut),
        ];
        for (line, cause) in cases {
            let (_, f) = one(line);
            assert_eq!(f.cause, *cause, "{line}");
        }
    }

    #[test]
    fn hosting_platform_refusals() {
        let (_, f) = one("Cannot run this Operating System/Version in Windows Containers. Maximum supported OS version is 10.0.14393.9999.");
        assert_eq!(f.kind, None);
        assert_eq!(f.cause, FailureCause::Mismatch);
        assert_eq!(f.host_version, Some(WindowsVersion::new(14393, None)));
        let (_, f) = one("\"The OS version of image contoso.azurecr.io/web:1.2\" is not supported. (Code:OsVersionNotSupported)");
        assert_eq!(f.cause, FailureCause::Mismatch);
        assert_eq!(f.image.as_deref(), Some("contoso.azurecr.io/web:1.2"));
        assert!(failures(
            "The troubleshooting page lists OS versions of images that are supported."
        )
        .is_empty());
    }

    #[test]
    fn a_wrapped_code_is_the_code_it_is() {
        // The wrap falls inside the code, with and without a blank at the joint.
        for text in [
            "docker: Error response from daemon: container 4f4f encountered an error during hcs::System::Start: failure in a Windows system call: A connection could not be established with the container or virtual machine. (0xc037010\n8)",
            "docker: Error response from daemon: container 4f4f encountered an error during hcs::System::Start: failure in a Windows system call: A connection could not be established with the container or virtual machine. (0xc03701 \n08)",
        ] {
            let (_, f) = one(text);
            assert_eq!(f.hcs_code, Some(0xC037_0108), "{text}");
            assert_eq!(f.cause, FailureCause::Other);
        }
    }

    #[test]
    fn bare_codes_count_on_error_lines_only() {
        let (_, f) = one("##[error]Container start failed with HRESULT 0xC0370101");
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert_eq!(f.cause, FailureCause::Mismatch);
        let (_, f) = one("hcs::CreateComputeSystem web: error -1070137087");
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert!(failures("See the table: 0xc0370101 means the versions differ").is_empty());
        assert!(failures(
            "`wincompat explain 0xc0370101` parses nothing; the failure recogniser is 60% of a run"
        )
        .is_empty());
    }

    #[test]
    fn cut_mismatch_wording_counts_and_other_cuts_do_not() {
        for text in [
            "docker: Error response from daemon: hcs::CreateComputeSystem 4f4f: The container operati",
            "docker: Error response from daemon: hcs::CreateComputeSystem 4f4f: The operating system of the cont…",
            "x3 \\_ api.1  contoso/api:1  NODE-3  Shutdown  Failed 5 seconds ago  \"starting container failed: hcs::CreateComputeSystem 4f4f: does not match the host ope…\"",
        ] {
            let (_, f) = one(text);
            assert_eq!(f.cause, FailureCause::Mismatch, "{text}");
            assert!(f.truncated, "{text}");
            assert_eq!(f.hcs_code, None, "the code is not printed: {text}");
        }
        // Too short to tell, or the start of another message too.
        for text in [
            "docker: Error response from daemon: hcs::CreateComputeSystem 4f4f: The contai",
            "docker: Error response from daemon: hcs::CreateComputeSystem 4f4f: The operati",
        ] {
            let (_, f) = one(text);
            assert_eq!(f.cause, FailureCause::Cut, "{text}");
        }
        // A cut message that is not a mismatch wording is another message.
        let (_, f) = one("docker: Error response from daemon: hcs::CreateComputeSystem 4f4f: The virtual machine or contai…");
        assert_eq!(f.cause, FailureCause::Other);
    }

    #[test]
    fn warnings_and_notes_quoting_the_wording_are_notices() {
        for line in [
            "WARNING: The container operating system does not match the host operating system.",
            "Note: The container operating system does not match the host operating system.",
        ] {
            assert!(failures(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn a_build_step_names_the_image_when_no_pull_line_does() {
        let (_, f) = one("Step 1/4 : FROM contoso/base:2.0\nno matching manifest for windows/amd64 10.0.19045 in the manifest list entries");
        assert_eq!(f.image.as_deref(), Some("contoso/base:2.0"));
        assert_eq!(f.host_version, Some(WindowsVersion::new(19045, None)));
        assert_eq!(f.image_version, None, "the build is the host's");
        let (_, f) = one("Step 1/3 : FROM mcr.microsoft.com/windows/servercore:ltsc2022\nltsc2022: Pulling from windows/servercore\na Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host");
        assert_eq!(
            f.image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2022")
        );
        let (_, f) = one("#4 [1/3] FROM docker.io/library/debian:12\nno matching manifest for windows(10.0.26100)/amd64 in the manifest list entries");
        assert_eq!(f.image.as_deref(), Some("docker.io/library/debian:12"));
    }

    #[test]
    fn a_helper_step_names_the_image_it_used() {
        let text = "Using image contoso/bc:ltsc2019\n\
Creating container bc1 from image contoso/bc:generic-ltsc2022\n\
0a1b2c3d4e5f\n\
docker.exe: Error response from daemon: hcsshim::CreateComputeSystem 0a1b2c3d4e5f: No hypervisor is present on this system.";
        let (_, f) = one(text);
        assert_eq!(f.image.as_deref(), Some("contoso/bc:generic-ltsc2022"));
        let (_, f) = one("Pulling image contoso/bc:ltsc2025\nError response from daemon: no matching manifest for windows/amd64 10.0.20348 in the manifest list entries");
        assert_eq!(f.image.as_deref(), Some("contoso/bc:ltsc2025"));
    }

    #[test]
    fn markdown_code_span_backticks_are_not_part_of_the_message() {
        let (_, f) = one("`docker: Error response from daemon: hcsshim::CreateComputeSystem 4f4f: Access is denied.`");
        assert_eq!(f.message.as_deref(), Some("Access is denied."));
        let (_, f) = one("`>docker pull contoso/app:ltsc2022`\n\"no matching manifest for windows/amd64 10.0.19044 in the manifest list entries\"");
        assert_eq!(f.image.as_deref(), Some("contoso/app:ltsc2022"));
    }

    #[test]
    fn console_wrapped_single_backslash_paste() {
        let text = "DockerDo : docker.exe: Error response from daemon: CreateComputeSystem 77aa: The container operating system does not match the host operating system. The text here is long enough to wrap the\n\
console line.\n\
(extra info: {\"SystemType\":\"Container\",\"Name\":\"77aa\",\"VolumePath\":\"\\\\?\\Volume{12345678-aaaa-4bbb-8ccc-0123456\n\
789ab}\",\"LayerFolderPath\":\"C:\\ProgramData\\docker\\windowsfilter\\77aa\",\"HvPartition\":false})";
        let (r, f) = one(text);
        assert_eq!((r.line, r.end_line), (1, 4));
        let hcs = f.hcs.expect("blob");
        assert!(!hcs.partial);
        assert_eq!(
            hcs.volume_path.as_deref(),
            Some("\\\\?\\Volume{12345678-aaaa-4bbb-8ccc-0123456789ab}")
        );
        assert_eq!(f.wrappers, ["DockerDo", "docker CLI", "docker daemon"]);
    }

    #[test]
    fn message_split_mid_sentence_by_console_width() {
        let text = "DockerDo : docker.exe: Error response from daemon: CreateComputeSystem 77aa: The container operating system does not match the\n\
host operating system.\n\
(extra info: {\"Name\":\"77aa\"})\nnext";
        let (r, f) = one(text);
        assert_eq!((r.line, r.end_line), (1, 3));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
        assert!(
            f.text.contains("does not match the host operating system"),
            "{}",
            f.text
        );
    }

    #[test]
    fn two_representations_are_two_occurrences() {
        let text = "      Message:      container ab encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)\n\
      Exit Code:    128\n\
  Warning  Failed  Error: failed to start container \"ab\": Error response from daemon: {\"message\":\"container ab encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)\"}\n";
        let all = failures(text);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].0.line, all[1].0.line), (1, 3));
    }

    #[test]
    fn yaml_folded_message() {
        let text = concat!(
            "        message: 'failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem\n",
            "          9f9f: The container\n",
            "          operating system does not match the host operating system.: unknown'\n",
            "        reason: StartError",
        );
        let (r, f) = one(text);
        assert_eq!((r.line, r.end_line), (1, 3));
        assert_eq!(f.container.as_deref(), Some("9f9f"));
        assert_eq!(f.hcs_code, Some(0xC037_0101));
    }

    #[test]
    fn truncated_service_ps_cells() {
        let (_, f) = one("x1 \\_ api.1  contoso/api:1  NODE-3  Shutdown  Failed 5 seconds ago  \"starting container failed: hc…\"");
        assert!(f.truncated);
        assert_eq!(f.kind, None);
        assert_eq!(f.wrappers, ["docker service task"]);
        let (_, f) = one("x2 \\_ api.1  contoso/api:1  NODE-3  Shutdown  Failed 5 seconds ago  \"starting container failed: hcsshim::CreateComputeSystem 0123456789abcdef0123");
        assert!(f.truncated);
        assert_eq!(f.kind, Some(FailureKind::Hcs));
        assert_eq!(f.hcs_code, None);
        assert_eq!(f.container.as_deref(), Some("0123456789abcdef0123"));
    }

    #[test]
    fn table_rows_are_separate_failures() {
        let row = |id: &str| {
            format!("{id}   \\_ batch.1   contoso/batch:1   NODE-1   Shutdown   Failed 9 seconds ago   \"starting container failed: hcs::CreateComputeSystem {id}: The container operating system does not match the host operating system.\"   ")
        };
        let text = format!(
            "{}\n{}\n{}\n",
            row("aaaa1111bbbb"),
            row("cccc2222dddd"),
            row("eeee3333ffff")
        );
        let all = failures(&text);
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].1.container.as_deref(), Some("eeee3333ffff"));
    }

    #[test]
    fn logrus_daemon_line_timestamp_and_op() {
        let line = r#"time="2024-03-01T10:00:00.123456789Z" level=error msg="Handler for POST /v1.41/containers/c0c0/start returned error: hcs::CreateComputeSystem c0c0: The container operating system does not match the host operating system.""#;
        let (_, f) = one(line);
        assert_eq!(
            f.timestamp.as_deref(),
            Some("2024-03-01T10:00:00.123456789Z")
        );
        assert_eq!(f.operation.as_deref(), Some("hcs::CreateComputeSystem"));
        assert_eq!(f.container.as_deref(), Some("c0c0"));
        assert!(
            f.text.starts_with("hcs::CreateComputeSystem c0c0:"),
            "{}",
            f.text
        );
    }

    #[test]
    fn never_panics_and_stays_linear_on_hostile_input() {
        let long = "hcs::CreateComputeSystem x: ".repeat(5000);
        let _ = failures(&long);
        let braces = format!(
            "CreateComputeSystem a: b extra info: {}",
            "{".repeat(100_000)
        );
        let _ = failures(&braces);
        let lines = "starting container failed: hcsshim::CreateComputeSystem é…\n".repeat(2000);
        let _ = failures(&lines);
        for s in [
            "(0x",
            "(0xzz)",
            "no matching manifest for",
            "version 10.0.…-based image is incompatible with a …",
            "é\u{301}extra info: {",
        ] {
            let _ = failures(s);
        }
    }

    /// See: samples/README.md — prose in a Markdown table names the wording
    /// and a file called after it; neither is a failure.
    #[test]
    fn markdown_table_prose_about_wordings_is_not_a_failure() {
        let text = "| `wording/powershell-console-wrapped-createcomputesystem.txt` | console-wrapped paste | failure found |\n\
| `docker-run/x.txt` | `docker run` failing with the `hcs::CreateComputeSystem` wording, then | error |\n\
| `k8s/y.txt` | more rows | here |";
        assert!(failures(text).is_empty());
    }
}
