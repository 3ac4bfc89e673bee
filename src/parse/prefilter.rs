//! The literal prefilter for large inputs: the byte strings that start
//! every section and every record some format scanner produces, matched
//! ASCII-case-insensitively over raw bytes before any line is split or
//! parsed. The streaming path (`crate::pipeline`) parses only the lines
//! around a hit, so a region without one of these literals yields nothing.
//!
//! The set is not written here: it is derived from what each scanner
//! declares (`LITERALS` in each format module, listed with the scanner in
//! [`super::SCANNERS`]), so a new format is streamed as soon as its scanner
//! declares its literals, and a scanner that declares none fails a test.
//! Literals that contain a shorter declared literal are dropped (the
//! shorter one finds them).
//!
//! Why the size of the set matters: aho-corasick searches with its SIMD
//! prefilter (Teddy) only up to 64 patterns — the slim variant up to 32,
//! the fat one (AVX2 only) from 33 to 64 — and without Teddy the streaming
//! scan is several times slower. Measured on a 256 MiB `gen_corpus` log
//! (December 2026): 64 literals (fat Teddy) took about a third longer than
//! 32 (slim Teddy). The hand-written list this replaces was full at 32,
//! which is why a format could go without a literal and be skipped
//! silently above the streaming threshold. Now a scanner without a literal
//! fails a test, and so does a set above [`SLIM_LITERALS`]: declare
//! literals that an existing one covers, or a shorter one that covers
//! several (`kernel` for `Kernel Version`, `KERNEL-VERSION` and
//! `kernelVersion`), or raise the bound after measuring (`bench/run.sh`);
//! above [`MAX_LITERALS`] there is no SIMD search at all.
//!
//! This module knows literals only: not how a section is laid out (that is
//! each format parser), not how bytes are read (that is `input/`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::LazyLock;

/// Most literals the fast SIMD prefilter (slim Teddy) takes; see the
/// module doc.
pub const SLIM_LITERALS: usize = 32;

/// Most literals any SIMD prefilter (fat Teddy, AVX2) takes.
pub const MAX_LITERALS: usize = 64;

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

/// Teddy's buckets (slim Teddy has 8).
const TEDDY_BUCKETS: usize = 8;

/// `sorted` reordered so that Teddy puts literals with similar starts in
/// the same bucket: it gives each literal with a new start the bucket
/// `7 - id % 8` (aho-corasick 1.1 `packed/teddy/generic.rs`), so the
/// sorted list is cut into 8 runs and dealt out column by column. A bucket
/// whose literals start alike accepts fewer bytes at each position, so
/// ordinary log text raises fewer false candidates to verify. Measured
/// with `valgrind --tool=cachegrind` over 16 MB of the benchmark corpus
/// (about 20 M instructions of which are reading and folding): 47.2 M
/// instructions in this order against 54.6 M for the same 32 literals in
/// scanner order and 47.8 M for the former hand-written list; random
/// orders ranged from 44.7 M to 80.0 M. Only match positions are used, so
/// the order changes no result.
fn bucket_order(sorted: &[&'static str]) -> Vec<&'static str> {
    // Runs of q+1 literals first, then runs of q, so that the last, short
    // column still lands each literal in its run's bucket.
    let (q, r) = (sorted.len() / TEDDY_BUCKETS, sorted.len() % TEDDY_BUCKETS);
    let mut runs = Vec::with_capacity(TEDDY_BUCKETS);
    let mut rest = sorted;
    for g in 0..TEDDY_BUCKETS.min(sorted.len()) {
        let (run, tail) = rest.split_at((q + usize::from(g < r)).min(rest.len()));
        runs.push(run);
        rest = tail;
    }
    (0..=q)
        .flat_map(|k| runs.iter().filter_map(move |run| run.get(k).copied()))
        .collect()
}

static LITERALS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    derive(
        super::SCANNERS
            .iter()
            .flat_map(|s| s.literals.iter().copied()),
    )
});

/// Every prefilter literal (lower case, sorted), derived from the
/// scanners' declarations.
pub fn literals() -> impl Iterator<Item = &'static str> {
    LITERALS.iter().copied()
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
        .build(bucket_order(&LITERALS))
        .expect("static patterns")
});

static FOLDED: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .build(bucket_order(&LITERALS))
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
    fn literals_are_lower_case_unique_and_few_enough_for_teddy() {
        let all: Vec<&str> = literals().collect();
        for l in &all {
            assert_eq!(*l, l.to_ascii_lowercase(), "{l}");
            assert_eq!(all.iter().filter(|o| *o == l).count(), 1, "{l}");
        }
        assert!(
            all.len() <= MAX_LITERALS,
            "{} prefilter literals: above {MAX_LITERALS} aho-corasick has no SIMD prefilter and streaming slows down several times; declare shorter literals that cover several (see the module doc): {all:?}",
            all.len()
        );
        assert!(
            all.len() <= SLIM_LITERALS,
            "{} prefilter literals: above {SLIM_LITERALS} the search leaves slim Teddy and streaming measured a third slower; reuse or shorten literals, or raise SLIM_LITERALS after measuring (module doc): {all:?}",
            all.len()
        );
    }

    /// Adding a format cannot silently drop it from streamed inputs: every
    /// scanner declares at least one literal, each declared literal is
    /// lower case and non-empty, and the prefilter finds it in any case.
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
                for form in [l.to_string(), l.to_ascii_uppercase()] {
                    assert!(
                        find(form.as_bytes()).is_some(),
                        "scanner {} declares {form:?}, which the prefilter does not find",
                        scanner.name
                    );
                    assert!(
                        folded_matcher().find(l.as_bytes()).is_some(),
                        "scanner {} declares {l:?}, which the folded matcher does not find",
                        scanner.name
                    );
                }
            }
        }
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

    #[test]
    fn bucket_order_deals_sorted_runs_column_by_column() {
        let names: Vec<&'static str> = (0..40)
            .map(|i| &*Box::leak(format!("lit{i:02}").into_boxed_str()))
            .collect();
        for n in [0, 1, 5, 8, 17, 31, 32, 40] {
            let sorted = &names[..n];
            let order = bucket_order(sorted);
            let mut back = order.clone();
            back.sort_unstable();
            assert_eq!(back, sorted, "n={n}: a permutation");
            // Literals that share a bucket (same position mod 8) are one
            // contiguous run of the sorted list.
            for g in 0..TEDDY_BUCKETS {
                let members: Vec<&str> = order
                    .iter()
                    .skip(g)
                    .step_by(TEDDY_BUCKETS)
                    .copied()
                    .collect();
                if let Some(first) = members.first() {
                    let at = sorted.iter().position(|s| s == first).unwrap();
                    assert_eq!(
                        &sorted[at..at + members.len()],
                        members.as_slice(),
                        "n={n}, bucket {g}"
                    );
                }
            }
        }
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
