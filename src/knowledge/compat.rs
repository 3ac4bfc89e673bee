//! The compatibility engine: host × image × isolation → verdict, with the
//! rule that decided it and its source.
//! STUB: owned by the knowledge helper; signatures are the contract.

use crate::model::finding::Verdict;
use crate::model::{HostKind, Isolation, WindowsVersion};

/// The question: can this image run on this host with this isolation?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompatQuery {
    pub host: WindowsVersion,
    pub host_kind: Option<HostKind>,
    pub image: WindowsVersion,
    pub isolation: Isolation,
}

/// The answer, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatResult {
    pub verdict: Verdict,
    /// Stable rule id, e.g. `exact-build-before-20348`.
    pub rule: &'static str,
    /// Plain-language reasons, first the deciding one.
    pub reasons: Vec<String>,
    /// Sources (repository + path, or URL) for the rule.
    pub sources: Vec<&'static str>,
    /// Where sources disagree about this cell (facts.md §8), each naming both.
    pub disagreements: Vec<String>,
}

/// Evaluate one combination.
pub fn evaluate(query: &CompatQuery) -> CompatResult {
    let _ = query;
    CompatResult {
        verdict: Verdict::Unknown,
        rule: "stub",
        reasons: Vec::new(),
        sources: Vec::new(),
        disagreements: Vec::new(),
    }
}
