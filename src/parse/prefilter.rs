//! The literal prefilter for large inputs: which lines of a streamed input
//! are worth parsing. The streaming path (`crate::pipeline`) parses only
//! the lines around a hit, so a region without one yields nothing.
//!
//! Two sets, two jobs:
//!
//! - The **literals** say what counts: the strings that start every
//!   section and record some format scanner produces, matched
//!   ASCII-case-insensitively. They are not written here but derived from
//!   what each scanner declares (`LITERALS` in each format module, listed
//!   with the scanner in [`super::SCANNERS`]), so a new format is streamed
//!   as soon as its scanner declares its literals; a scanner that declares
//!   none fails a test.
//! - The **anchors** ([`ANCHORS`]) are what is searched: at most 32 short,
//!   case-fixed strings, searched over the raw bytes (no lower-cased copy)
//!   with aho-corasick's SIMD searcher (slim Teddy). Each declared literal,
//!   in lower case and with its first letter capitalised (and in upper
//!   case where tools print it so), contains one; most anchors leave out a
//!   literal's first letter so that one anchor covers both (`ernel` for
//!   `kernel` and `Kernel`). An anchor found in a line is then *confirmed*:
//!   the generic ones (`uild`, `rom `) only when a declared literal
//!   overlaps them, ASCII-case-insensitively; the failure ones always, so
//!   that a wording cut in two by a console wrap is still a hit by its
//!   other half (every single break in every failure wording leaves an
//!   anchor intact: a test cuts each sample at every position).
//!
//! Why this shape (issue 14): folding every byte to lower case and
//! searching 32 lower-case literals measured 3.3–3.7 × `rg -c -F` on the
//! failure wordings; raw-byte search for 32 anchors costs about what
//! ripgrep's own search does, and a candidate costs one small
//! case-insensitive match only where an anchor is.
//!
//! This module knows literals only: not how a section is laid out (that is
//! each format parser), not how bytes are read (that is `input/`).

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::LazyLock;

/// Most anchors aho-corasick's fastest SIMD searcher (slim Teddy) takes;
/// above it the search leaves slim Teddy and slows down.
pub const MAX_ANCHORS: usize = 32;

/// How an anchor hit is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Always a hit: a failure wording's own words, rare in ordinary logs,
    /// and the half that survives when a wrap cuts the other.
    Always,
    /// A hit only where a declared literal overlaps the anchor (any case):
    /// short or common words (`uild` is in every CI log).
    Literal,
}

use Confirm::{Always, Literal};

/// The searched anchors, case-fixed, with how each hit is confirmed.
/// Keep at most [`MAX_ANCHORS`]; the tests say which literal or wording
/// lacks an anchor when one is removed.
///
/// The order is the search's speed, not its result: no two anchors can
/// match at the same offset, so which comes first never decides a hit,
/// but it decides Teddy's buckets (anchor `i` shares bucket `7 - i % 8`
/// unless its first bytes' low nibbles equal an earlier anchor's), and
/// buckets whose anchors share letters raise fewer false candidates. This
/// order searched 14 % faster than the one grouped by purpose on the
/// benchmark's logs with and without failures and 20 % faster on the
/// samples and corpus pastes (`aho_corasick::packed`, 128 MiB each, best
/// of 5; issue 14).
#[rustfmt::skip]
pub const ANCHORS: &[(&str, Confirm)] = &[
    ("ersion", Literal),               // OS Version, OSVersion, osversion, Windows version, [Version 10.
    ("ernel", Literal),                // Kernel Version, kernelVersion
    ("efault isolation", Always),
    ("uild", Literal),                 // BuildLabEx, CurrentBuild, OS Build, windows-build
    ("rovider", Literal),              // ProviderName
    ("urrent", Literal),               // current state, CurrentBuild
    ("URRENT", Literal),               // CURRENT STATE (docker service ps)
    ("rom ", Literal),                 // FROM in a Dockerfile, lower or capitalised
    ("ROM ", Literal),                 // FROM
    ("ERNEL", Literal),                // KERNEL-VERSION (kubectl get nodes -o wide)
    ("ailed ", Literal),               // failed to create shim task, HNS failed with error
    ("o match", Literal),              // no match for platform, no matching manifest
    ("perating", Always),              // operating system (docker info; the 0xc0370101 texts)
    ("used on this platform", Always),
    ("manifest", Always),              // the other half of `no matching manifest for`
    ("unning on machine", Always),
    ("ttempting to register", Always),
    ("untime initialized", Always),
    ("ncountered an error", Always),
    ("ailure in a", Always),           // failure in a Windows system call
    ("omputeSystem", Always),          // hcs::CreateComputeSystem
    ("omputesystem", Always),
    ("cs::", Always),                  // hcs::, HCS::
    ("CS::", Always),
    ("shim::", Always),                // hcsshim::
    ("0xc037", Always),
    ("0xC037", Always),
    ("x8037", Always),
    ("based image", Always),           // -based image is incompatible with
    ("ocker ", Literal),               // docker run …, Docker daemon
    ("tarting container", Always),     // Starting container failed:, starting containerd
    ("an only run", Always),           // can only run Hyper-V containers
];

/// The declared literals, deduplicated and sorted, without those that
/// contain another declared literal.
fn derive(declared: impl IntoIterator<Item = &'static str>) -> Vec<&'static str> {
    let mut unique: Vec<&'static str> = declared.into_iter().collect();
    unique.sort_unstable();
    unique.dedup();
    let all = unique.clone();
    unique.retain(|l| !all.iter().any(|o| o != l && l.contains(o)));
    unique
}

static LITERALS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    derive(
        super::SCANNERS
            .iter()
            .flat_map(|s| s.literals.iter().copied()),
    )
});

/// Every declared literal (lower case, sorted), derived from the scanners'
/// declarations.
pub fn literals() -> impl Iterator<Item = &'static str> {
    LITERALS.iter().copied()
}

/// The longest literal or anchor, in bytes: a search over a stream split
/// into chunks keeps this many bytes from the previous chunk so that a
/// literal cut by the split is still found.
pub fn max_literal_len() -> usize {
    literals()
        .chain(ANCHORS.iter().map(|(a, _)| *a))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// The anchor search: Teddy on its own where the CPU has it (SSSE3 or
/// AVX2). Through `AhoCorasick` each Teddy candidate went through the
/// automaton as well: callgrind counted 0.7 instructions per byte there
/// on top of Teddy's 1.7.
enum AnchorSearch {
    Teddy(packed::Searcher),
    Automaton(AhoCorasick),
}

static ANCHOR_SEARCH: LazyLock<AnchorSearch> = LazyLock::new(|| {
    let anchors = ANCHORS.iter().map(|(a, _)| *a);
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(anchors.clone())
        .build()
        .map_or_else(
            || {
                AnchorSearch::Automaton(
                    AhoCorasickBuilder::new()
                        .match_kind(MatchKind::LeftmostFirst)
                        .build(anchors)
                        .expect("static patterns"),
                )
            },
            AnchorSearch::Teddy,
        )
});

/// Every anchor in `hay`, as (start, length, index in [`ANCHORS`]).
fn anchors_in(hay: &[u8]) -> Box<dyn Iterator<Item = (usize, usize, usize)> + '_> {
    match &*ANCHOR_SEARCH {
        AnchorSearch::Teddy(t) => Box::new(
            t.find_iter(hay)
                .map(|m| (m.start(), m.len(), m.pattern().as_usize())),
        ),
        AnchorSearch::Automaton(ac) => Box::new(
            ac.find_iter(hay)
                .map(|m| (m.start(), m.len(), m.pattern().as_usize())),
        ),
    }
}

/// For each anchor, the declared literals it is part of and where in
/// them (ASCII case ignored): a hit is confirmed by comparing those few
/// bytes around it, not by a search (an automaton over the bytes around
/// each candidate measured a seventh of a scan's instructions).
static CONFIRMS: LazyLock<Vec<Vec<(&'static str, usize)>>> = LazyLock::new(|| {
    ANCHORS
        .iter()
        .map(|(a, _)| {
            let mut within = Vec::new();
            for lit in LITERALS.iter() {
                for j in 0..=lit.len().saturating_sub(a.len()) {
                    if lit
                        .as_bytes()
                        .get(j..j + a.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(a.as_bytes()))
                    {
                        within.push((*lit, j));
                    }
                }
            }
            within
        })
        .collect()
});

/// Whether a declared literal holds anchor `id` found at `at` in `hay`.
fn literal_overlaps(hay: &[u8], at: usize, id: usize) -> bool {
    CONFIRMS.get(id).is_some_and(|within| {
        within.iter().any(|(lit, j)| {
            at >= *j
                && hay
                    .get(at - j..at - j + lit.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(lit.as_bytes()))
        })
    })
}

/// Append to `out` the offset of every confirmed anchor in `hay`, in
/// order (a line may hold several).
pub fn hits(hay: &[u8], out: &mut Vec<usize>) {
    for (at, _, id) in anchors_in(hay) {
        let confirm = ANCHORS.get(id).map(|(_, c)| *c);
        if confirm == Some(Always) || literal_overlaps(hay, at, id) {
            out.push(at);
        }
    }
}

/// The offset of the first confirmed anchor in `hay`, if any.
///
/// Matches e.g. `… returned error: hcs::CreateComputeSystem 4f2a: …` (at
/// `cs::`) and `Kernel Version:  10.0 20348 (20348.1.amd64fre…)`.
pub fn find(hay: &[u8]) -> Option<usize> {
    anchors_in(hay).find_map(|(at, _, id)| {
        let confirm = ANCHORS.get(id).map(|(_, c)| *c);
        (confirm == Some(Always) || literal_overlaps(hay, at, id)).then_some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_failure_and_version_lines_whatever_the_case() {
        assert_eq!(
            find(b"msg=\"x: HCS::CreateComputeSystem 4f2a: The container\""),
            Some(9)
        );
        assert!(find(b" Kernel Version:  10.0 20348").is_some());
        assert!(find(b"Microsoft Windows [Version 10.0.17763.5458]").is_some());
        assert_eq!(
            find(b"level=info msg=\"Calling GET /v1.44/containers/json\""),
            None
        );
        // Generic anchors need a literal around them.
        assert_eq!(find(b"msg=\"build 4 done\" version=1.2"), None);
        assert_eq!(find(b"copied from cache"), Some(8));
    }

    #[test]
    fn anchors_are_few_enough_for_slim_teddy_and_unique() {
        assert!(
            ANCHORS.len() <= MAX_ANCHORS,
            "{} anchors: above {MAX_ANCHORS} the search leaves slim Teddy (module doc)",
            ANCHORS.len()
        );
        for (a, _) in ANCHORS {
            assert_eq!(ANCHORS.iter().filter(|(o, _)| o == a).count(), 1, "{a}");
        }
    }

    /// Two anchors match at one offset only if one starts the other; then
    /// their order would decide which is reported. None does, so their
    /// order (chosen for speed, see [`ANCHORS`]) changes no hit.
    #[test]
    fn no_anchor_starts_another() {
        for (a, _) in ANCHORS {
            for (b, _) in ANCHORS {
                assert!(a == b || !b.starts_with(a), "{b:?} starts with {a:?}");
            }
        }
    }

    /// Literals some tool prints in upper case: the prefilter must find
    /// these forms too.
    const PRINTED_UPPER: &[&str] = &["kernel", "current state", "from "];

    /// Adding a format cannot silently drop it from streamed inputs: every
    /// scanner declares at least one literal, each declared literal is
    /// lower case and non-empty, and the prefilter finds it as printed
    /// (lower case, capitalised, upper case where tools print it so).
    #[test]
    fn every_scanner_declares_literals_the_prefilter_finds() {
        for scanner in crate::parse::SCANNERS {
            assert!(
                !scanner.literals.is_empty(),
                "scanner {} declares no literal: above the streaming threshold its sections would never be parsed",
                scanner.name
            );
            for l in scanner.literals {
                assert!(!l.trim().is_empty(), "{}: empty literal", scanner.name);
                assert_eq!(*l, l.to_ascii_lowercase(), "{}: {l:?}", scanner.name);
                let mut forms = vec![l.to_string(), capitalised(l)];
                if PRINTED_UPPER.contains(l) {
                    forms.push(l.to_ascii_uppercase());
                }
                for form in forms {
                    assert!(
                        find(form.as_bytes()).is_some(),
                        "scanner {} declares {form:?}, which no anchor finds: add an anchor (ANCHORS)",
                        scanner.name
                    );
                }
            }
        }
    }

    fn capitalised(s: &str) -> String {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    }

    /// Forms the tools print that are neither lower case nor capitalised.
    #[test]
    fn printed_forms_are_found() {
        for form in [
            "OSVersion",
            "osVersion",
            "OS Version:",
            "OS Build 17763",
            "Operating System:",
            "KERNEL-VERSION",
            "kernelVersion",
            "BuildLabEx",
            "CurrentBuildNumber",
            "ProviderName",
            "CURRENT STATE",
            "Docker daemon",
            "Windows Version",
            "HNS failed with error",
            "hcsshim::CreateComputeSystem",
            "(0xC0370101)",
            "0x80370101",
        ] {
            assert!(find(form.as_bytes()).is_some(), "{form}");
        }
    }

    /// The failure recogniser's triggers (`parse::failure`): each must be a
    /// prefilter hit, or the streaming path would miss what the in-memory
    /// path finds.
    #[test]
    fn every_failure_trigger_is_a_hit() {
        for t in crate::parse::failure::TRIGGERS {
            assert!(find(t.as_bytes()).is_some(), "{t}");
            assert!(find(capitalised(t).as_bytes()).is_some(), "{t}");
        }
    }

    /// Whole failure messages in the wordings of a container start failure
    /// (the HNS look-alike and a bare code alone are not among them: a
    /// wrap inside `hns` or inside the code loses those): a
    /// console or log shipper may break a line anywhere in them once (issue
    /// 15), and the streamed window must still open.
    const WORDINGS: &[&str] = &[
        "docker: Error response from daemon: container 4f2a encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101)",
        "Error response from daemon: container 4f2a encountered an error during Start: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)",
        "failed to create shim task: hcs::CreateComputeSystem 9b8e: The container operating system does not match the host operating system.: unknown",
        "hcsshim::CreateComputeSystem 9b8e: The virtual machine or container exited unexpectedly. (0xc0370106)",
        "Error: failed to start container \"9b8e\": hcs::System::Start: The virtual machine or container exited unexpectedly. (0xc0370106)",
        "docker: Error response from daemon: a Windows version 10.0.26100-based image is incompatible with a 10.0.14393 host.",
        "no matching manifest for windows/amd64 10.0.17763 in the manifest list entries",
        "no match for platform in manifest: not found",
        "image operating system \"windows\" cannot be used on this platform",
        "The container operating system does not match the host operating system.",
    ];

    #[test]
    fn any_single_break_in_a_failure_wording_leaves_a_hit() {
        for w in WORDINGS {
            assert!(find(w.as_bytes()).is_some(), "{w}");
            for (at, c) in w.char_indices().skip(1) {
                let (a, b) = w.split_at(at);
                let mut cuts = vec![format!("{a}\n{b}")];
                if c == ' ' {
                    // A word wrap: the space dropped, or kept at the start
                    // of the next line.
                    cuts.push(format!("{a}\n{}", &b[1..]));
                    cuts.push(format!("{a}\n {}", &b[1..]));
                }
                for cut in cuts {
                    assert!(find(cut.as_bytes()).is_some(), "no hit in {cut:?}");
                }
            }
        }
    }

    #[test]
    fn hits_lists_every_confirmed_anchor_in_order() {
        let mut out = Vec::new();
        hits(
            b"a build\nFROM mcr.microsoft.com/windows:ltsc2019\nhcs::CreateComputeSystem",
            &mut out,
        );
        assert_eq!(out, [9, 49, 60]);
    }

    #[test]
    fn derive_drops_duplicates_and_covered_literals() {
        assert_eq!(
            derive([
                "no matching manifest",
                "hcs::",
                "no match",
                "hcs::",
                "os version"
            ]),
            ["hcs::", "no match", "os version"]
        );
    }
}
