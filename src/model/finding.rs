//! The analysis result: findings with their evidence and fixes, the nodes
//! seen, and the inputs read. This is what every report format renders and
//! what `--format json` serialises (the JSON contract in README.md).

use super::{HcsInfo, Isolation, SectionKind};
use serde::{Deserialize, Serialize};

/// The JSON contract's version; bump when a key changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// What the compatibility rules say about a host/image/isolation triple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Supported,
    SupportedPreview,
    Blocked,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::SupportedPreview => "supported-preview",
            Verdict::Blocked => "blocked",
            Verdict::Unknown => "unknown",
        }
    }
}

/// The stable diagnosis vocabulary. Never rename a variant's JSON name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    ImageOlderThanHost,
    ImageNewerThanHost,
    RevisionMismatch,
    SandboxImageMismatch,
    ManifestNoMatch,
    WrongPlatform,
    RuntimeMatcherRefusal,
    VersionsMatch,
    MismatchVersionsUnknown,
    OtherHcsError,
    MixedBuildNoSelector,
    TruncatedEvidence,
}

impl FindingKind {
    pub const ALL: [FindingKind; 12] = [
        FindingKind::ImageOlderThanHost,
        FindingKind::ImageNewerThanHost,
        FindingKind::RevisionMismatch,
        FindingKind::SandboxImageMismatch,
        FindingKind::ManifestNoMatch,
        FindingKind::WrongPlatform,
        FindingKind::RuntimeMatcherRefusal,
        FindingKind::VersionsMatch,
        FindingKind::MismatchVersionsUnknown,
        FindingKind::OtherHcsError,
        FindingKind::MixedBuildNoSelector,
        FindingKind::TruncatedEvidence,
    ];

    /// The kebab-case name (`image-older-than-host`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ImageOlderThanHost => "image-older-than-host",
            FindingKind::ImageNewerThanHost => "image-newer-than-host",
            FindingKind::RevisionMismatch => "revision-mismatch",
            FindingKind::SandboxImageMismatch => "sandbox-image-mismatch",
            FindingKind::ManifestNoMatch => "manifest-no-match",
            FindingKind::WrongPlatform => "wrong-platform",
            FindingKind::RuntimeMatcherRefusal => "runtime-matcher-refusal",
            FindingKind::VersionsMatch => "versions-match",
            FindingKind::MismatchVersionsUnknown => "mismatch-versions-unknown",
            FindingKind::OtherHcsError => "other-hcs-error",
            FindingKind::MixedBuildNoSelector => "mixed-build-no-selector",
            FindingKind::TruncatedEvidence => "truncated-evidence",
        }
    }

    /// The stable short code (`WC101`), accepted by `wincompat explain`.
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::ImageOlderThanHost => "WC101",
            FindingKind::ImageNewerThanHost => "WC102",
            FindingKind::RevisionMismatch => "WC103",
            FindingKind::SandboxImageMismatch => "WC104",
            FindingKind::ManifestNoMatch => "WC105",
            FindingKind::WrongPlatform => "WC106",
            FindingKind::RuntimeMatcherRefusal => "WC107",
            FindingKind::VersionsMatch => "WC108",
            FindingKind::MismatchVersionsUnknown => "WC109",
            FindingKind::OtherHcsError => "WC110",
            FindingKind::MixedBuildNoSelector => "WC201",
            FindingKind::TruncatedEvidence => "WC301",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            FindingKind::MixedBuildNoSelector => Severity::Warning,
            FindingKind::TruncatedEvidence => Severity::Info,
            _ => Severity::Error,
        }
    }

    /// Parse either form (`image-older-than-host` or `WC101`).
    pub fn from_name(name: &str) -> Option<FindingKind> {
        let name = name.trim();
        FindingKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name) || k.code().eq_ignore_ascii_case(name))
    }
}

/// A finding's isolation mode: the two modes, or `unknown` when the input
/// neither states nor implies one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IsolationMode {
    Process,
    Hyperv,
    Unknown,
}

impl IsolationMode {
    /// `process`, `hyperv` or `unknown` (the JSON value).
    pub fn as_str(self) -> &'static str {
        match self {
            IsolationMode::Process => "process",
            IsolationMode::Hyperv => "hyperv",
            IsolationMode::Unknown => "unknown",
        }
    }
}

impl From<Option<Isolation>> for IsolationMode {
    fn from(i: Option<Isolation>) -> Self {
        match i {
            Some(Isolation::Process) => IsolationMode::Process,
            Some(Isolation::Hyperv) => IsolationMode::Hyperv,
            None => IsolationMode::Unknown,
        }
    }
}

/// Whether a finding rests only on what the input states, or also on an
/// inference (a version read from a tag's name or from another node, a
/// lower bound, an image known to be Linux-only, a cut message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    #[default]
    Stated,
    Inferred,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Stated => "stated",
            Confidence::Inferred => "inferred",
        }
    }
}

/// A place in an input that supports a claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub input: String,
    pub line: usize,
    pub excerpt: String,
}

/// A version as the report states it, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OsInfo {
    /// `10.0.14393.1715` (revision only when known).
    pub version: String,
    pub build: u32,
    pub revision: Option<u32>,
    /// Release name from the knowledge base (`Windows Server 2016`).
    pub release: Option<String>,
    /// For images: `tag|inspect|manifest|message|inferred|flag|registry`; for
    /// hosts a short description such as `kubectl describe node`, `message`,
    /// `flag`.
    pub from: String,
    /// Where in the input it was read, when it was read from an input.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<Evidence>,
    /// With `from: registry`: the digest of the manifest (list) the
    /// registry returned for the reference (issue 12; additive).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub digest: Option<String>,
    /// The build is only a lower bound ("or newer"): no output printed it,
    /// an image running on the node implies it. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lower_bound: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    Rebuild,
    Hyperv,
    Move,
    Update,
    Other,
}

/// One remedy, whether it applies here, why, and the commands to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub kind: FixKind,
    pub applies: bool,
    pub why: String,
    pub commands: Vec<String>,
}

/// One diagnosed problem, possibly seen many times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub title: String,
    pub error_code: Option<String>,
    pub occurrences: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub workload: Option<String>,
    pub node: Option<String>,
    pub container_id: Option<String>,
    pub image: Option<String>,
    pub isolation: IsolationMode,
    pub host: Option<OsInfo>,
    pub image_os: Option<OsInfo>,
    pub verdict: Verdict,
    /// `stated` or `inferred` (additive in schema 1; absent reads as stated).
    #[serde(default)]
    pub confidence: Confidence,
    pub root_cause: String,
    /// The compatibility rule that decided, when one did (additive in
    /// schema 1, issue 13): stated here once instead of inside `root_cause`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef>,
    pub fixes: Vec<Fix>,
    pub next_steps: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub hcs: Option<HcsInfo>,
}

/// A compatibility rule as a report cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// Stable id, e.g. `exact-build-before-ltsc2022`.
    pub id: String,
    /// The rule in one sentence.
    pub statement: String,
    /// The public source that states it (repository file or URL).
    pub source: String,
}

/// Where a node's facts were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub input: String,
    pub line: usize,
}

/// A host seen in the inputs, with its build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeSummary {
    pub name: String,
    pub os_version: Option<String>,
    pub build: Option<u32>,
    pub revision: Option<u32>,
    pub release: Option<String>,
    pub os_name: Option<String>,
    pub runtime: Option<String>,
    pub default_isolation: Option<Isolation>,
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRef {
    pub kind: SectionKind,
    pub line: usize,
}

/// One input that was read (or could not be).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    pub name: String,
    pub sections: Vec<SectionRef>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    pub knowledge_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub findings: usize,
    pub occurrences: u64,
}

/// A whole analysis, as rendered by every report format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub inputs: Vec<InputSummary>,
    pub nodes: Vec<NodeSummary>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// What `--redact` replaced, by category (empty when not redacting).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redactions: Vec<String>,
}
