//! What `wincompat check` answers, as typed values: one host ([`HostCheck`],
//! `--host V --image I`) or every Windows node found in the inputs
//! ([`NodesCheck`], `--image I PATH…`). `analyze::check` computes them;
//! `report::check` renders them (text, JSON, Markdown).
//!
//! The JSON document is the value serialised as it is; field order is the
//! key order of the output. This module must not know how the answer was
//! computed (that is `analyze` and `knowledge`) nor how it is worded (that
//! is `report`).

use super::finding::{Severity, SourceRef, Verdict};
use super::Isolation;
use serde::Serialize;

/// Version of the `check` JSON documents (both shapes); bump on a breaking
/// change of their keys.
pub const CHECK_SCHEMA_VERSION: u32 = 1;

/// The answer of one `check` run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CheckReport {
    Host(Box<HostCheck>),
    Nodes(NodesCheck),
}

impl CheckReport {
    /// The combination (or at least one node) is blocked: exit 1.
    pub fn blocked(&self) -> bool {
        match self {
            CheckReport::Host(h) => h.verdict == Verdict::Blocked,
            CheckReport::Nodes(n) => n.nodes.iter().any(|r| r.verdict == Verdict::Blocked),
        }
    }

    /// The worst verdict as a finding severity, for `--fail-on`: blocked
    /// is an error, unknown a warning, supported-preview info; `None` when
    /// every verdict is supported.
    pub fn worst_severity(&self) -> Option<Severity> {
        let severity = verdict_severity;
        match self {
            CheckReport::Host(h) => severity(h.verdict),
            // Severity orders Error < Warning < Info: the worst is the least.
            CheckReport::Nodes(n) => n.nodes.iter().filter_map(|r| severity(r.verdict)).min(),
        }
    }
}

/// The severity of a `check` verdict (for `--fail-on`, SARIF levels and
/// annotations): blocked is an error, unknown a warning, a preview-only
/// support info; supported is none.
pub fn verdict_severity(v: Verdict) -> Option<Severity> {
    match v {
        Verdict::Blocked => Some(Severity::Error),
        Verdict::Unknown => Some(Severity::Warning),
        Verdict::SupportedPreview => Some(Severity::Info),
        Verdict::Supported => None,
    }
}

/// The host as `check` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostOut {
    pub version: String,
    pub build: u32,
    pub revision: Option<u32>,
    pub release: Option<String>,
}

/// The image as `check` reports it; version fields are null when the tag
/// does not say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageOut {
    pub reference: Option<String>,
    pub version: Option<String>,
    pub build: Option<u32>,
    pub revision: Option<u32>,
    pub release: Option<String>,
    /// `tag` (read from the reference's tag) or `flag` (given as a version
    /// or release name).
    pub from: String,
}

/// The image to rebuild on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationOut {
    pub reference: Option<String>,
    pub reason: String,
    pub out_of_support: bool,
}

/// What the same combination gives under Hyper-V isolation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HypervOut {
    pub verdict: Verdict,
    pub rule: &'static str,
    pub reason: Option<String>,
}

/// `check --host V --image I`: one verdict with the deciding rule, its
/// reasons and sources, and — when blocked — the rebuild to make and
/// whether Hyper-V helps.
///
/// JSON: `{"schema_version", "verdict", "host": {"version","build",
/// "revision","release"}, "image": {"reference","version","build",
/// "revision","release","from"}, "isolation", "rule", "reasons": [..],
/// "sources": [..], "disagreements": [..], "runtime_matcher_may_refuse",
/// "recommendation": {..}|null, "hyperv_alternative": {..}|null}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostCheck {
    pub schema_version: u32,
    pub verdict: Verdict,
    pub host: HostOut,
    pub image: ImageOut,
    pub isolation: Isolation,
    pub rule: &'static str,
    pub reasons: Vec<String>,
    pub sources: Vec<&'static str>,
    pub disagreements: Vec<String>,
    pub runtime_matcher_may_refuse: bool,
    pub recommendation: Option<RecommendationOut>,
    pub hyperv_alternative: Option<HypervOut>,
    /// The date of the knowledge the verdict rests on (text footer only).
    #[serde(skip)]
    pub knowledge_date: &'static str,
}

/// `check --image I PATH…`: the image against every Windows node with a
/// known version found in the inputs (pre-flight).
///
/// JSON: `{"schema_version", "image", "image_version",
/// "image_version_from", "isolation", "nodes": [{"isolation", "node",
/// "reason", "release", "rule", "verdict", "version"}]}` (keys after
/// `schema_version` in alphabetical order, as they always were).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodesCheck {
    pub schema_version: u32,
    /// The `--image` argument as given.
    pub image: String,
    /// `10.0.17763`.
    pub image_version: String,
    /// `given version` or `tag ltsc2019`.
    pub image_version_from: String,
    /// The image's release name, when the build has one (text header only).
    #[serde(skip)]
    pub image_release: Option<String>,
    pub isolation: Isolation,
    pub nodes: Vec<NodeVerdict>,
}

/// One node's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeVerdict {
    pub isolation: Isolation,
    /// The node's name, or `(unnamed host)`.
    pub node: String,
    /// The first reason of the verdict.
    pub reason: String,
    pub release: Option<String>,
    pub rule: &'static str,
    pub verdict: Verdict,
    /// `10.0.17763.5458`.
    pub version: String,
    /// Where the node was described (for SARIF and annotations; not in
    /// the JSON document).
    #[serde(skip)]
    pub source: Option<SourceRef>,
}
