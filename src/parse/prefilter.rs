//! The literal prefilter for large inputs: the byte strings that every
//! failure wording and every version-bearing section contains, matched
//! ASCII-case-insensitively over raw bytes before any line is split or
//! parsed. A region without one of these literals cannot yield a failure
//! record nor a host/image version, so the streaming path
//! (`crate::pipeline`) parses only the lines around a hit.
//!
//! This module knows literals only: not how a section is laid out (that is
//! each format parser), not how bytes are read (that is `input/`).
//!
//! Keep [`FAILURE_LITERALS`] a superset of the failure recogniser's
//! triggers (`parse::failure`, `TRIGGERS`): a failure line that the
//! in-memory path finds must be a hit here too, or the two paths disagree
//! (tests/streaming.rs checks a line of every wording).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::LazyLock;

/// What every failure wording contains: each of the failure recogniser's
/// triggers contains one of these (lower case: matching ignores ASCII
/// case). Shorter than the triggers where one literal covers several
/// (`no match` for `no matching manifest for` and `no match for platform
/// in manifest`; `operating system`, a version literal, for the three
/// `… operating system …` wordings), so that the whole set stays within
/// 32 literals, where the SIMD search is fastest (slim Teddy).
pub const FAILURE_LITERALS: &[&str] = &[
    "encountered an error during",
    "failure in a windows system call",
    "createcomputesystem",
    "hcs::",
    "hcsshim::",
    "(0xc037",
    "(0x8037",
    "-based image is incompatible",
    "no match",
    "cannot be used on this platform",
    "can only run hyper-v containers",
    "starting container failed:",
    "failed to create shim task",
    "hns failed with error",
];

/// What the sections that state a host's or an image's Windows version
/// contain, one literal per section shape (a block with several version
/// keys needs only one): `docker info` (`Kernel Version:`, `Operating
/// System:`), `kubectl describe node` (`Kernel Version:`), `kubectl get
/// nodes -o wide` (`KERNEL-VERSION`), node JSON/YAML (`kernelVersion`,
/// `node.kubernetes.io/windows-build`), `docker inspect` (`OsVersion`),
/// `ver` (`[Version 10.`), `reg query`/`Get-ComputerInfo` (`CurrentBuild`,
/// `BuildLabEx`), `systeminfo` (`OS Version:`), BcContainerHelper (`Host
/// OS Version`, `Container OS Version`), daemon start-up lines (`Docker
/// daemon`, `starting containerd`, `default isolation mode`, `Windows
/// version`) and kubelet's (`Running on machine:`, `Attempting to register
/// node`, `Container runtime initialized`).
pub const VERSION_LITERALS: &[&str] = &[
    "kernel version",
    "kernel-version",
    "kernelversion",
    "operating system",
    "osversion",
    "os version",
    "os build",
    "windows-build",
    "windows version",
    "[version 10.",
    "buildlabex",
    "currentbuild",
    "docker daemon",
    "starting containerd",
    "default isolation mode",
    "running on machine:",
    "attempting to register node",
    "container runtime initialized",
];

/// Every prefilter literal, failure literals first.
pub fn literals() -> impl Iterator<Item = &'static str> {
    FAILURE_LITERALS.iter().chain(VERSION_LITERALS).copied()
}

/// The longest literal, in bytes: a search over a stream split into
/// chunks keeps this many bytes minus one from the previous chunk so that a
/// literal cut by the split is still found.
pub fn max_literal_len() -> usize {
    literals().map(str::len).max().unwrap_or(0)
}

static MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(literals().collect::<Vec<_>>())
        .expect("static patterns")
});

static FOLDED: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .build(literals().collect::<Vec<_>>())
        .expect("static patterns")
});

/// The compiled matcher (ASCII case-insensitive, leftmost-first), shared.
pub fn matcher() -> &'static AhoCorasick {
    &MATCHER
}

/// The same literals matched case-sensitively, for bytes the caller has
/// already ASCII-lowercased (`input::stream` does, in the pass that counts
/// lines). Case-sensitive search runs on aho-corasick's SIMD prefilter
/// (Teddy); the case-insensitive automaton has none and measured about
/// five times slower on the benchmark corpus.
pub fn folded_matcher() -> &'static AhoCorasick {
    &FOLDED
}

/// The offset of the first literal in `hay`, if any.
///
/// Matches e.g. `… returned error: hcs::CreateComputeSystem 4f2a: …` (at
/// `hcs::`) and `Kernel Version:  10.0 20348 (20348.1.amd64fre…)`.
pub fn find(hay: &[u8]) -> Option<usize> {
    MATCHER.find(hay).map(|m| m.start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_failure_and_version_lines_whatever_the_case() {
        assert_eq!(
            find(b"msg=\"x: HCS::CreateComputeSystem 4f2a: The container\""),
            Some(8)
        );
        assert_eq!(find(b" Kernel Version:  10.0 20348"), Some(1));
        assert_eq!(
            find(b"Microsoft Windows [Version 10.0.17763.5458]"),
            Some(18)
        );
        assert_eq!(
            find(b"level=info msg=\"Calling GET /v1.44/containers/json\""),
            None
        );
    }

    #[test]
    fn literals_are_lower_case_and_unique() {
        let all: Vec<&str> = literals().collect();
        for l in &all {
            assert_eq!(*l, l.to_ascii_lowercase(), "{l}");
            assert_eq!(all.iter().filter(|o| *o == l).count(), 1, "{l}");
        }
        assert_eq!(max_literal_len(), "failure in a windows system call".len());
        // Slim Teddy handles up to 32 patterns.
        assert!(all.len() <= 32, "{}", all.len());
    }

    /// The failure recogniser's triggers (`parse::failure`): each must be a
    /// prefilter hit, or the streaming path would miss what the in-memory
    /// path finds.
    #[test]
    fn every_failure_trigger_is_a_hit() {
        for t in crate::parse::failure::TRIGGERS {
            assert!(find(t.as_bytes()).is_some(), "{t}");
            assert!(find(t.to_ascii_uppercase().as_bytes()).is_some(), "{t}");
        }
    }
}
