//! The compatibility engine: host × image × isolation → verdict, with the
//! rule that decided it, its sources, and where sources disagree.
//!
//! Order of the rules (the first that applies decides; caveats are added
//! afterwards):
//! 1. `not-windows-10-family`: a version that is not 10.0.x → unknown.
//! 2. `hyperv-newer-image`: Hyper-V isolation never runs an image newer
//!    than the host.
//! 3. `client-pre-1809-hyperv-only`: Windows 10 before 1809 runs process
//!    isolation not at all.
//! 4. `ws2016-revision`: WS2016 host and image revisions must match
//!    exactly under process isolation.
//! 5. `matrix-<tab>`: the current Microsoft matrix when the host is one of
//!    its tabs and the image one of its rows (facts.md §1.1).
//! 6. `hyperv-older-or-equal`: Hyper-V runs any image ≤ the host's build.
//! 7. `exact-build-before-ltsc2022`: process isolation on hosts before
//!    20348 needs the same build (hcsshim).
//! 8. `ltsc-floor`: process isolation on 20348+ hosts runs images from the
//!    LTSC floor up to the host's build (hcsshim / containerd platforms).
//!
//! This module knows builds and rules only: no input formats, no printing.

use crate::knowledge::releases::{self, BuildLookup};
pub use crate::knowledge::rules::RuleId;
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
    /// The rule that decided, e.g. `exact-build-before-ltsc2022`.
    pub rule: RuleId,
    /// Plain-language reasons, first the deciding one.
    pub reasons: Vec<String>,
    /// Sources (repository + path, or URL) for the rule.
    pub sources: Vec<&'static str>,
    /// Where sources disagree about this cell (facts.md §8), each naming both.
    pub disagreements: Vec<String>,
    /// The documents allow it, but a runtime's platform matcher in use
    /// today may refuse it (hcsshim HEAD, containerd/platforms ≤ rc.4, moby
    /// 29 before the fix): facts.md §1.6, §8.3.
    pub runtime_matcher_may_refuse: bool,
    /// The host kind the rules used (given, or inferred from the build).
    pub host_kind: HostKind,
}

/// The rule ids `decide` returns, by their old constant names.
pub mod rule {
    use super::RuleId;
    pub const NOT_WINDOWS_10: RuleId = RuleId::NotWindows10Family;
    pub const HYPERV_NEWER_IMAGE: RuleId = RuleId::HypervNewerImage;
    pub const CLIENT_PRE_1809: RuleId = RuleId::ClientPre1809HypervOnly;
    pub const WS2016_REVISION: RuleId = RuleId::Ws2016Revision;
    pub const MATRIX_WS2025: RuleId = RuleId::MatrixWs2025;
    pub const MATRIX_WS2022: RuleId = RuleId::MatrixWs2022;
    pub const MATRIX_WS2019: RuleId = RuleId::MatrixWs2019;
    pub const MATRIX_WS2016: RuleId = RuleId::MatrixWs2016;
    pub const MATRIX_WINDOWS_11: RuleId = RuleId::MatrixWindows11;
    pub const MATRIX_WINDOWS_10: RuleId = RuleId::MatrixWindows10;
    pub const HYPERV_OLDER_OR_EQUAL: RuleId = RuleId::HypervOlderOrEqual;
    pub const EXACT_BUILD: RuleId = RuleId::ExactBuildBeforeLtsc2022;
    pub const LTSC_FLOOR: RuleId = RuleId::LtscFloor;
}

/// Sources cited by the rules (kept with the rules in `rules.rs`).
pub use super::rules::source;

/// Two builds under the same major/minor.
const LTSC2022: u32 = 20348;
const LTSC2025: u32 = 26100;
/// hcsshim `compatLTSCReleases`.
const COMPAT_LTSC: [u32; 2] = [LTSC2022, LTSC2025];

/// Builds whose process-isolated containers need the host's exact revision
/// too (Windows Server 2016; version-compatibility.md).
const REVISION_LOCKED: &[u32] = &[14393];

/// Process isolation on a host of this build runs only images of exactly
/// its own build (hosts before Windows Server 2022; hcsshim).
pub fn needs_exact_build(host_build: u32) -> bool {
    host_build < LTSC2022
}

/// A process-isolated image running on a node tells the node's build
/// exactly (below the LTSC floor) — otherwise only that the node is at
/// least the image's build.
pub fn running_image_pins_host_build(image_build: u32) -> bool {
    image_build < LTSC2022
}

/// No host of at least `host_min` build runs an image of `image_build`
/// with process isolation: from Windows Server 2022 on, the LTSC floor is
/// above every older image.
pub fn process_excluded_on_hosts_from(host_min: u32, image_build: u32) -> bool {
    host_min >= LTSC2022 && image_build < LTSC2022
}

/// Host and image revisions must be equal on this build (WS2016).
pub fn is_revision_locked(build: u32) -> bool {
    REVISION_LOCKED.contains(&build)
}

/// Hyper-V isolation is a remedy for a failed process-isolated start: the
/// host is newer than the image, so the image runs in its own kernel — on
/// a revision-locked build (WS2016) also when only the host's revision is
/// newer, the documented remedy there (version-compatibility.md: "update
/// the host and the image to the same cumulative update, or use Hyper-V
/// isolation").
pub fn hyperv_remedies(host: WindowsVersion, image: WindowsVersion) -> bool {
    if host.build == image.build && is_revision_locked(host.build) {
        return matches!((host.revision, image.revision), (Some(h), Some(i)) if h > i);
    }
    host.build > image.build
}

/// Whether a compatibility verdict lets the container run.
pub fn runs(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Supported | Verdict::SupportedPreview)
}

/// Whether `image` runs on `host` (of `host_kind`) with `isolation`.
pub fn can_run(
    host: WindowsVersion,
    host_kind: Option<HostKind>,
    image: WindowsVersion,
    isolation: Isolation,
) -> bool {
    runs(
        evaluate(&CompatQuery {
            host,
            host_kind,
            image,
            isolation,
        })
        .verdict,
    )
}

/// Why an engine may refuse a documented-compatible image past the newest
/// LTSC (moby/moby#53397; containerd/platforms v1.0.0-rc.5).
pub const MATCHER_REFUSAL: &str = "The matcher in hcsshim and containerd/platforms before v1.0.0-rc.5 picks an LTSC floor above 20348 for hosts past 26100, refusing ltsc2022 images there (moby/moby#53397).";

/// One cell of the Microsoft matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Yes,
    No,
    /// ✅ with a footnote limiting it to hosts from this build on
    /// (Windows 11 tab, WS2025 row: "Supported from Windows 11 24H2").
    YesFromHostBuild(u32),
}

/// One row of a host tab: image build, Hyper-V cell, process cell, and the
/// row as quoted from the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixRow {
    pub image: u32,
    pub hyperv: Cell,
    pub process: Cell,
    pub quote: &'static str,
}

/// One host tab of the current Microsoft matrix (facts.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixTab {
    /// The page's tab id (`windows-server-2025`).
    pub tab: &'static str,
    /// Heading used in output (`Windows Server 2025`).
    pub host_name: &'static str,
    pub rule: RuleId,
    pub kind: HostKind,
    /// A build that stands for this tab in `wincompat matrix`.
    pub example_host: u32,
    pub rows: &'static [MatrixRow],
}

/// The image rows the page uses (newest first).
pub const MATRIX_IMAGES: [(u32, &str); 4] = [
    (26100, "Windows Server 2025"),
    (20348, "Windows Server 2022"),
    (17763, "Windows Server 2019"),
    (14393, "Windows Server 2016"),
];

use Cell::{No, Yes, YesFromHostBuild};

macro_rules! row {
    ($image:expr, $hv:expr, $pr:expr, $quote:literal) => {
        MatrixRow {
            image: $image,
            hyperv: $hv,
            process: $pr,
            quote: $quote,
        }
    };
}

/// The current matrix, tab by tab, in the page's order. The page has no
/// WS2025 row on the WS2022/2019/2016 and Windows 10 tabs.
#[rustfmt::skip]
pub static MATRIX: &[MatrixTab] = &[
    MatrixTab { tab: "windows-server-2025", host_name: "Windows Server 2025", rule: rule::MATRIX_WS2025, kind: HostKind::Server, example_host: 26100, rows: &[
        row!(26100, Yes, Yes, "|Windows Server 2025|✅|✅|"),
        row!(20348, Yes, Yes, "|Windows Server 2022|✅|✅|"),
        row!(17763, Yes, No, "|Windows Server 2019|✅|❌|"),
        row!(14393, Yes, No, "|Windows Server 2016|✅|❌|"),
    ]},
    MatrixTab { tab: "windows-server-2022", host_name: "Windows Server 2022", rule: rule::MATRIX_WS2022, kind: HostKind::Server, example_host: 20348, rows: &[
        row!(20348, Yes, Yes, "|Windows Server 2022|✅|✅|"),
        row!(17763, Yes, No, "|Windows Server 2019|✅|❌|"),
        row!(14393, Yes, No, "|Windows Server 2016|✅|❌|"),
    ]},
    MatrixTab { tab: "windows-server-2019", host_name: "Windows Server 2019", rule: rule::MATRIX_WS2019, kind: HostKind::Server, example_host: 17763, rows: &[
        row!(20348, No, No, "|Windows Server 2022|❌|❌|"),
        row!(17763, Yes, Yes, "|Windows Server 2019|✅|✅|"),
        row!(14393, Yes, No, "|Windows Server 2016|✅|❌|"),
    ]},
    MatrixTab { tab: "windows-server-2016", host_name: "Windows Server 2016", rule: rule::MATRIX_WS2016, kind: HostKind::Server, example_host: 14393, rows: &[
        row!(20348, No, No, "|Windows Server 2022|❌|❌|"),
        row!(17763, No, No, "|Windows Server 2019|❌|❌|"),
        row!(14393, Yes, Yes, "|Windows Server 2016|✅|✅|"),
    ]},
    MatrixTab { tab: "windows-11", host_name: "Windows 11", rule: rule::MATRIX_WINDOWS_11, kind: HostKind::Client, example_host: 26100, rows: &[
        row!(26100, YesFromHostBuild(26100), YesFromHostBuild(26100), "|Windows Server 2025|✅<sup>1</sup>|✅<sup>1</sup>| — 1. Supported from Windows 11 24H2 (`Build 2600`) onwards."),
        row!(20348, Yes, Yes, "|Windows Server 2022|✅|✅|"),
        row!(17763, Yes, No, "|Windows Server 2019|✅|❌|"),
        row!(14393, Yes, No, "|Windows Server 2016|✅|❌|"),
    ]},
    MatrixTab { tab: "windows-10", host_name: "Windows 10", rule: rule::MATRIX_WINDOWS_10, kind: HostKind::Client, example_host: 19045, rows: &[
        row!(20348, No, No, "|Windows Server 2022|❌|❌|"),
        row!(17763, Yes, No, "|Windows Server 2019|✅|❌|"),
        row!(14393, Yes, No, "|Windows Server 2016|✅|❌|"),
    ]},
];

/// The tab for a host, if the current page has one: server tabs by exact
/// build, client tabs by family (Windows 11 = client build ≥ 22000,
/// Windows 10 = client build below that).
pub fn tab_for_host(build: u32, kind: HostKind) -> Option<&'static MatrixTab> {
    let id = match kind {
        HostKind::Server => match build {
            26100 => "windows-server-2025",
            20348 => "windows-server-2022",
            17763 => "windows-server-2019",
            14393 => "windows-server-2016",
            _ => return None,
        },
        HostKind::Client if build >= 22000 => "windows-11",
        HostKind::Client if build >= 10240 => "windows-10",
        HostKind::Client => return None,
    };
    MATRIX.iter().find(|t| t.tab == id)
}

/// The Feb 2020 "2B" container patch baseline per build: (first host
/// revision after it, first image revision after it). Source:
/// update-containers.md @ d87e2955^ table and note; the 17763 host value
/// (1039, KB4532691) is from the release-information page. For 17134 and
/// 18362/18363 the host revision is taken equal to the container 2B
/// revision (unconfirmed: the host Feb B revision is not in our sources).
const BASELINE_2B: &[(u32, u32, u32)] = &[
    (14393, 3504, 3506),
    (17134, 1305, 1305),
    (17763, 1039, 1040),
    (18362, 658, 658),
    (18363, 658, 658),
];

/// hcsshim `CheckHostAndContainerCompat` @ HEAD: exact build before
/// 20348; otherwise the floor is the latest LTSC strictly below the host.
pub fn hcsshim_allows(host: u32, image: u32) -> bool {
    if host < LTSC2022 {
        return host == image;
    }
    let mut floor = LTSC2022;
    for ltsc in COMPAT_LTSC.iter().rev() {
        if host > *ltsc {
            floor = *ltsc;
            break;
        }
    }
    floor <= image && image <= host
}

/// containerd/platforms v1.0.0-rc.5: the floor is the LTSC before the
/// largest LTSC ≤ host (so a 26200 host, in the WS2025 generation, keeps
/// floor 20348).
pub fn platforms_rc5_allows(host: u32, image: u32) -> bool {
    if host < LTSC2022 {
        return host == image;
    }
    let largest = COMPAT_LTSC.iter().rev().position(|l| *l <= host);
    let floor = match largest {
        // `position` counts from the newest; the one before it is older.
        Some(i) => COMPAT_LTSC
            .iter()
            .rev()
            .nth(i + 1)
            .copied()
            .unwrap_or(LTSC2022),
        None => LTSC2022,
    };
    floor <= image && image <= host
}

/// An image build with its (server) release name: `17763 (Windows Server 2019)`.
fn name_of(build: u32) -> String {
    match releases::release_name(build) {
        Some(n) => format!("{build} ({n})"),
        None => build.to_string(),
    }
}

/// A host build with the release name of its kind: `17763 (Windows 10 1809)`.
fn host_name(build: u32, kind: HostKind) -> String {
    let name = match releases::lookup(build) {
        BuildLookup::Known(r) => match kind {
            HostKind::Client => r.client_name.or(r.server_name),
            HostKind::Server => r.server_name.or(r.client_name),
        },
        _ => None,
    };
    match name {
        Some(n) => format!("{build} ({n})"),
        None => build.to_string(),
    }
}

fn revision_text(v: WindowsVersion) -> String {
    let kb = crate::knowledge::kb::kb_for_version(v);
    match kb {
        Some(kb) => format!("{v} (KB{kb})"),
        None => v.to_string(),
    }
}

struct Builder {
    reasons: Vec<String>,
    /// Context (assumed host kind, unknown builds), after the deciding reasons.
    notes: Vec<String>,
    sources: Vec<&'static str>,
    disagreements: Vec<String>,
}

impl Builder {
    fn source(&mut self, s: &'static str) {
        if !self.sources.contains(&s) {
            self.sources.push(s);
        }
    }
}

/// Evaluate one combination, e.g. host 10.0.26100.1742 (server), image
/// 10.0.20348, process → supported by `matrix-ws2025`.
pub fn evaluate(query: &CompatQuery) -> CompatResult {
    let host = query.host;
    let image = query.image;
    let hb = host.build;
    let ib = image.build;
    let mut b = Builder {
        reasons: Vec::new(),
        notes: Vec::new(),
        sources: Vec::new(),
        disagreements: Vec::new(),
    };

    // Host kind: given, or from the build; shared builds assume server.
    let kind = match query.host_kind.or_else(|| releases::host_kind_hint(hb)) {
        Some(k) => k,
        None => {
            if let BuildLookup::Known(r) = releases::lookup(hb) {
                if let (Some(s), Some(c)) = (r.server_name, r.client_name) {
                    b.notes.push(format!(
                        "build {hb} is both {s} and {c}; assumed a server host (say --host-kind client for {c})"
                    ));
                }
            }
            HostKind::Server
        }
    };
    note_unknown_builds(&mut b, hb, ib);

    let (verdict, rule) = decide(query, kind, &mut b);
    b.reasons.append(&mut b.notes);
    let mut result = CompatResult {
        verdict,
        rule,
        reasons: b.reasons,
        sources: b.sources,
        disagreements: b.disagreements,
        runtime_matcher_may_refuse: false,
        host_kind: kind,
    };
    add_caveats(query, kind, &mut result);
    result
}

fn note_unknown_builds(b: &mut Builder, hb: u32, ib: u32) {
    for (what, build) in [("host", hb), ("image", ib)] {
        match releases::lookup(build) {
            BuildLookup::Known(r) if !r.confirmed => b.notes.push(format!(
                "the {what} build {build} is in the release table only from an unconfirmed source ({})",
                r.source
            )),
            BuildLookup::Known(_) => {}
            BuildLookup::NewerThanKnown { newest } => b.notes.push(format!(
                "the {what} build {build} is newer than every build wincompat knows (newest {newest}); the generic rules were applied"
            )),
            BuildLookup::Unknown => b.notes.push(format!(
                "the {what} build {build} is not in the release table (insider or unlisted build); the generic rules were applied"
            )),
        }
    }
}

fn direction(hb: u32, ib: u32) -> &'static str {
    if ib > hb {
        "the image is newer than the host"
    } else if ib < hb {
        "the image is older than the host"
    } else {
        "the builds are equal"
    }
}

fn decide(q: &CompatQuery, kind: HostKind, b: &mut Builder) -> (Verdict, RuleId) {
    let (host, image) = (q.host, q.image);
    let (hb, ib) = (host.build, image.build);

    // 1. Only 10.0.x is a Windows container version.
    if (host.major, host.minor) != (10, 0) || (image.major, image.minor) != (10, 0) {
        b.reasons.push(format!(
            "{host} / {image}: only Windows 10.0.x (Windows Server 2016 and later) versions run Windows containers; check the version (an unmanifested program reads 6.2)"
        ));
        b.source(source::HCSSHIM_COMPAT);
        return (Verdict::Unknown, rule::NOT_WINDOWS_10);
    }
    let tab = tab_for_host(hb, kind);
    let row = tab.and_then(|t| t.rows.iter().find(|r| r.image == ib));

    match q.isolation {
        Isolation::Hyperv => {
            // 2. Never a newer image under Hyper-V.
            if ib > hb {
                b.reasons.push(format!(
                    "image newer than host: the image is {} and the host {}; Hyper-V isolation runs only images whose build is the host's or older",
                    name_of(ib),
                    host_name(hb, kind)
                ));
                b.source(source::VERSION_COMPAT);
                b.source(source::PORTABILITY);
                if let (Some(t), Some(r)) = (tab, row) {
                    b.reasons.push(format!(
                        "Microsoft matrix, host {}: {}",
                        t.host_name, r.quote
                    ));
                }
                return (Verdict::Blocked, rule::HYPERV_NEWER_IMAGE);
            }
            if let (Some(t), Some(r)) = (tab, row) {
                return matrix_cell(t, r, r.hyperv, q, kind, b);
            }
            b.reasons.push(format!(
                "Hyper-V isolation gives the container its own kernel: an image of {} runs on a {} host because it is not newer",
                name_of(ib),
                host_name(hb, kind)
            ));
            b.source(source::VERSION_COMPAT);
            (Verdict::Supported, rule::HYPERV_OLDER_OR_EQUAL)
        }
        Isolation::Process => {
            // 3. Windows 10 before 1809: Hyper-V only.
            if kind == HostKind::Client && hb < 17763 {
                b.reasons.push(format!(
                    "Windows 10 hosts before 1809 (build 17763) run Windows containers with Hyper-V isolation only; this host is {}",
                    host_name(hb, kind)
                ));
                b.source(source::HYPERV_CONTAINER);
                b.source(source::VERSION_COMPAT);
                return (Verdict::Blocked, rule::CLIENT_PRE_1809);
            }
            // 4. WS2016 revisions.
            if hb == 14393 && ib == 14393 {
                if let (Some(hr), Some(ir)) = (host.revision, image.revision) {
                    if hr != ir {
                        b.reasons.push(format!(
                            "revision mismatch on Windows Server 2016: host {} and image {} differ; WS2016 containers run under process isolation only when host and image revisions are equal",
                            revision_text(host),
                            revision_text(image)
                        ));
                        b.reasons.push(
                            "update the host and the image to the same cumulative update, or use Hyper-V isolation".to_owned(),
                        );
                        b.source(source::VERSION_COMPAT);
                        return (Verdict::Blocked, rule::WS2016_REVISION);
                    }
                } else {
                    b.reasons.push(
                        "on Windows Server 2016 the host and image revisions must also match; one of them is not known here".to_owned(),
                    );
                }
            }
            if let (Some(t), Some(r)) = (tab, row) {
                return matrix_cell(t, r, r.process, q, kind, b);
            }
            if hb < LTSC2022 {
                b.source(source::HCSSHIM_COMPAT);
                b.source(source::VERSION_COMPAT);
                if hb == ib {
                    b.reasons.push(format!(
                        "host and image are both build {}: hosts before Windows Server 2022 run process-isolated images of exactly their own build",
                        host_name(hb, kind)
                    ));
                    return (Verdict::Supported, rule::EXACT_BUILD);
                }
                b.reasons.push(format!(
                    "build mismatch: {}: host {}, image {}; hosts before Windows Server 2022 (20348) run process-isolated images of exactly their own build",
                    direction(hb, ib),
                    host_name(hb, kind),
                    name_of(ib)
                ));
                return (Verdict::Blocked, rule::EXACT_BUILD);
            }
            ltsc_floor(hb, ib, kind, b)
        }
    }
}

fn ltsc_floor(hb: u32, ib: u32, kind: HostKind, b: &mut Builder) -> (Verdict, RuleId) {
    let old = hcsshim_allows(hb, ib);
    let new = platforms_rc5_allows(hb, ib);
    b.source(source::HCSSHIM_COMPAT);
    if hb == 25398 {
        b.source(source::PORTABILITY);
        b.reasons.push(
            "Windows Server, version 23H2 supports only Windows Server 2022 (ltsc2022) images (portability.md)".to_owned(),
        );
    }
    if new {
        if !old {
            b.source(source::PLATFORMS_RC5);
        }
        b.reasons.push(format!(
            "host {} runs process-isolated images from the LTSC floor (Windows Server 2022, 20348) up to its own build; the image is {}",
            host_name(hb, kind),
            name_of(ib)
        ));
        (Verdict::Supported, rule::LTSC_FLOOR)
    } else {
        b.reasons.push(format!(
            "build mismatch: {}: host {}, image {}; process isolation allows only images from the LTSC floor up to the host's build",
            direction(hb, ib),
            host_name(hb, kind),
            name_of(ib)
        ));
        (Verdict::Blocked, rule::LTSC_FLOOR)
    }
}

fn matrix_cell(
    tab: &MatrixTab,
    row: &MatrixRow,
    cell: Cell,
    q: &CompatQuery,
    kind: HostKind,
    b: &mut Builder,
) -> (Verdict, RuleId) {
    let (hb, ib) = (q.host.build, q.image.build);
    b.source(source::VERSION_COMPAT);
    let iso = match q.isolation {
        Isolation::Process => "process",
        Isolation::Hyperv => "Hyper-V",
    };
    let quoted = format!(
        "Microsoft matrix, host {} (tab {}): {}",
        tab.host_name, tab.tab, row.quote
    );
    let verdict = match cell {
        Yes => Verdict::Supported,
        No => Verdict::Blocked,
        YesFromHostBuild(min) if hb >= min => Verdict::Supported,
        YesFromHostBuild(min) => {
            b.reasons.push(format!(
                "the {} host tab allows this image only from build {min} (Windows 11 24H2) on; this host is {}",
                tab.host_name,
                host_name(hb, kind)
            ));
            Verdict::Blocked
        }
    };
    let lead = match verdict {
        Verdict::Supported => format!(
            "supported with {iso} isolation: image {} on host {}",
            name_of(ib),
            host_name(hb, kind)
        ),
        _ => format!(
            "not supported with {iso} isolation: {}: image {} on host {}",
            direction(hb, ib),
            name_of(ib),
            host_name(hb, kind)
        ),
    };
    b.reasons.insert(0, lead);
    b.reasons.push(quoted);
    (verdict, tab.rule)
}

/// Caveats that do not change the deciding rule: disagreements between
/// sources (facts.md §8), the runtime matcher, the Feb 2020 baseline.
fn add_caveats(q: &CompatQuery, kind: HostKind, r: &mut CompatResult) {
    let (hb, ib) = (q.host.build, q.image.build);
    let runs = matches!(r.verdict, Verdict::Supported | Verdict::SupportedPreview);

    // §8.3: a host past the newest LTSC + an image the documents allow,
    // which the old floor logic refuses.
    if runs && hb >= LTSC2022 && ib <= hb && !hcsshim_allows(hb, ib) && platforms_rc5_allows(hb, ib)
    {
        r.runtime_matcher_may_refuse = true;
        r.disagreements.push(format!(
            "the Microsoft matrix allows this image on {host}, but hcsshim CheckHostAndContainerCompat (HEAD) and containerd/platforms up to v1.0.0-rc.4 take {floor} as the floor for a {hb} host and refuse build {ib}; containerd/platforms v1.0.0-rc.5 (vendored in containerd and moby master, 2026-08-20) accepts it. Observed: moby/moby#53397 (Docker 29 on Windows 11 25H2: \"no matching manifest for windows(10.0.26200)/amd64/v3\")",
            host = host_name(hb, kind),
            floor = LTSC2025,
        ));
        r.reasons.push(
            "the runtime may still refuse it when it selects the image from a multi-platform tag: update Docker/containerd to a release with containerd/platforms v1.0.0-rc.5, or pull a single-platform tag (e.g. ltsc2022-amd64)".to_owned(),
        );
        for s in [
            source::HCSSHIM_COMPAT,
            source::PLATFORMS_RC5,
            source::MOBY_53397,
        ] {
            if !r.sources.contains(&s) {
                r.sources.push(s);
            }
        }
    } else if runs && ib != hb && ib >= LTSC2022 && q.isolation == Isolation::Process {
        r.reasons.push(
            "containerd releases before its Windows platform-matcher fix required the exact host build when picking from a multi-platform tag (containerd/containerd#6508): pull a single-platform tag or update containerd if the pull says \"no match for platform\"".to_owned(),
        );
        if !r.sources.contains(&source::CONTAINERD_6508) {
            r.sources.push(source::CONTAINERD_6508);
        }
    }

    // §8.1: WS2022 image on WS2025 host vs the page's own rule text.
    if r.rule == rule::MATRIX_WS2025 && ib == LTSC2022 && q.isolation == Isolation::Process {
        r.disagreements.push(
            "version-compatibility.md: the WS2025 host matrix marks Windows Server 2022 images ✅ for process isolation, while the same page's rule text says builds must match \"with the exception of WS2022 + Windows 11\"; hcsshim CheckHostAndContainerCompat agrees with the matrix (26100 host accepts 20348)".to_owned(),
        );
    }
    // §8.2: Windows 11 + WS2022 process: ✅ vs "preview" note.
    if r.rule == rule::MATRIX_WINDOWS_11 && ib == LTSC2022 && q.isolation == Isolation::Process {
        r.disagreements.push(
            "version-compatibility.md: the Windows 11 matrix marks Windows Server 2022 process isolation ✅ (\"(preview)\" removed in commit d579eae8, 2024-11-29), while the note under the table still says it \"is available in preview\"; wincompat follows the matrix".to_owned(),
        );
    }
    // §8.4: Windows 11 + WS2025 image vs hcsshim#2566.
    if kind == HostKind::Client && hb > LTSC2025 && ib == LTSC2025 {
        r.disagreements.push(format!(
            "version-compatibility.md allows Windows Server 2025 images on Windows 11 from 24H2 on, but microsoft/hcsshim#2566 reports `0xc0370112` (layer with an unrecognized format) for servercore:ltsc2025 on Windows 11 25H2 ({hb}) in both isolation modes"
        ));
        if !r.sources.contains(&source::HCSSHIM_2566) {
            r.sources.push(source::HCSSHIM_2566);
        }
    }
    // §8.6: Windows 10 + WS2019 process.
    if r.rule == rule::MATRIX_WINDOWS_10 && ib == 17763 && q.isolation == Isolation::Process {
        r.disagreements.push(
            "version-compatibility.md: the Windows 10 matrix marks Windows Server 2019 process isolation ❌ now (and before 2022-09-26) but ✔ in the 2022-09-26 version (commit 3efcfe4e); field reports show same-base builds running process-isolated on Windows 10 (MicrosoftDocs/Virtualization-Documentation#1537)".to_owned(),
        );
    }
    // §1.7/§8.6: enablement-package Windows 10 builds share the 19041 base.
    if kind == HostKind::Client
        && (19042..=19045).contains(&hb)
        && ib == 19041
        && q.isolation == Isolation::Process
    {
        r.disagreements.push(format!(
            "the rules require the exact build, but field reports show 2004 (19041) images running process-isolated on Windows 10 {hb} hosts, which are enablement packages on the same base (MicrosoftDocs/Virtualization-Documentation#1537, microsoft/Windows-Containers#406)"
        ));
    }
    // §8.5: revision rule scope, for 1709..1803 builds that are equal.
    if q.isolation == Isolation::Process && hb == ib && (16299..17763).contains(&hb) {
        if let (Some(hr), Some(ir)) = (q.host.revision, q.image.revision) {
            if hr != ir {
                r.disagreements.push(
                    "version-compatibility.md: the 2019 text exempts \"1709 and higher\" from matching revisions, the 2021+ text only \"1809 and later\"; host and image revisions differ here".to_owned(),
                );
            }
        }
    }

    // Feb 2020 "2B" baseline (update-containers.md).
    if q.isolation == Isolation::Process && hb == ib && hb != 14393 {
        if let (Some(hr), Some(ir)) = (q.host.revision, q.image.revision) {
            if let Some((_, host_min, image_min)) =
                BASELINE_2B.iter().find(|(build, _, _)| *build == hb)
            {
                let host_new = hr >= *host_min;
                let image_new = ir >= *image_min;
                if host_new != image_new {
                    r.reasons.push(format!(
                        "caveat: host {} and image {} are on different sides of the February 2020 \"2B\" container baseline (host {host_min}+, image {image_min}+ for build {hb}); \"Any combination of hosts and containers on different sides of the new baseline won't work\": update the older side",
                        q.host, q.image
                    ));
                    r.disagreements.push(
                        "version-compatibility.md says 1809+ hosts and images need not match revisions, but update-containers.md (Feb 2020 2B baseline) says combinations across the baseline won't work".to_owned(),
                    );
                    if !r.sources.contains(&source::UPDATE_CONTAINERS) {
                        r.sources.push(source::UPDATE_CONTAINERS);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checklist of src/knowledge/README.md, as a test: a new LTSC
    /// release in `releases::RELEASES` must also be in every table that
    /// needs it, or this fails naming the table.
    #[test]
    fn every_ltsc_release_is_in_every_table_that_needs_it() {
        use crate::knowledge::releases::{Channel, RELEASES};
        use crate::knowledge::tags;
        for r in RELEASES.iter().filter(|r| r.channel == Channel::Ltsc) {
            let b = r.build;
            assert!(
                tab_for_host(b, HostKind::Server).is_some(),
                "{b}: no MATRIX tab (compat::MATRIX / tab_for_host)"
            );
            assert!(
                MATRIX_IMAGES.iter().any(|(i, _)| *i == b),
                "{b}: not in compat::MATRIX_IMAGES"
            );
            assert!(
                tags::HOST_TARGETS
                    .iter()
                    .any(|t| t.host_build == b && t.kind == HostKind::Server),
                "{b}: no server row in tags::HOST_TARGETS"
            );
            let tag = r.image_tag.unwrap_or_else(|| panic!("{b}: no image_tag"));
            assert!(
                tags::support_end(tag).is_some(),
                "{b}: {tag} not in tags::TAG_SUPPORT"
            );
            assert_eq!(
                tags::build_for_token(tag),
                Some(b),
                "{b}: {tag} not in tags::TAG_TOKENS"
            );
            let servercore =
                crate::model::ImageRef::parse("mcr.microsoft.com/windows/servercore:ltsc2019")
                    .expect("reference");
            let rebuild = tags::recommend_rebuild(
                &servercore,
                WindowsVersion::new(b, Some(1)),
                Some(HostKind::Server),
            );
            assert!(
                rebuild
                    .reference
                    .is_some_and(|x| x.ends_with(tag) || x.contains(&format!(":10.0.{b}"))),
                "{b}: tags::target_token gives no {tag} rebuild"
            );
            if !needs_exact_build(b) {
                assert!(COMPAT_LTSC.contains(&b), "{b}: not in compat::COMPAT_LTSC");
            }
        }
    }

    fn v(text: &str) -> WindowsVersion {
        let parts: Vec<u32> = text.split('.').map(|p| p.parse().unwrap()).collect();
        WindowsVersion::new(parts[0], parts.get(1).copied())
    }

    fn eval(host: &str, kind: Option<HostKind>, image: &str, iso: Isolation) -> CompatResult {
        evaluate(&CompatQuery {
            host: v(host),
            host_kind: kind,
            image: v(image),
            isolation: iso,
        })
    }

    const S: Option<HostKind> = Some(HostKind::Server);
    const C: Option<HostKind> = Some(HostKind::Client);
    const P: Isolation = Isolation::Process;
    const H: Isolation = Isolation::Hyperv;
    const OK: Verdict = Verdict::Supported;
    const NO: Verdict = Verdict::Blocked;

    /// (host build, kind, image build, isolation, verdict, rule, quoted row).
    type CellCase = (
        &'static str,
        Option<HostKind>,
        &'static str,
        Isolation,
        Verdict,
        &'static str,
        &'static str,
    );

    /// Every cell of every host tab in facts.md §1.1, one row per cell.
    #[rustfmt::skip]
    const CELLS: &[CellCase] = &[
        // Host = Windows Server 2025
        ("26100", S, "26100", H, OK, "matrix-ws2025", "|Windows Server 2025|✅|✅|"),
        ("26100", S, "26100", P, OK, "matrix-ws2025", "|Windows Server 2025|✅|✅|"),
        ("26100", S, "20348", H, OK, "matrix-ws2025", "|Windows Server 2022|✅|✅|"),
        ("26100", S, "20348", P, OK, "matrix-ws2025", "|Windows Server 2022|✅|✅|"),
        ("26100", S, "17763", H, OK, "matrix-ws2025", "|Windows Server 2019|✅|❌|"),
        ("26100", S, "17763", P, NO, "matrix-ws2025", "|Windows Server 2019|✅|❌|"),
        ("26100", S, "14393", H, OK, "matrix-ws2025", "|Windows Server 2016|✅|❌|"),
        ("26100", S, "14393", P, NO, "matrix-ws2025", "|Windows Server 2016|✅|❌|"),
        // Host = Windows Server 2022 (no WS2025 row on the page)
        ("20348", S, "20348", H, OK, "matrix-ws2022", "|Windows Server 2022|✅|✅|"),
        ("20348", S, "20348", P, OK, "matrix-ws2022", "|Windows Server 2022|✅|✅|"),
        ("20348", S, "17763", H, OK, "matrix-ws2022", "|Windows Server 2019|✅|❌|"),
        ("20348", S, "17763", P, NO, "matrix-ws2022", "|Windows Server 2019|✅|❌|"),
        ("20348", S, "14393", H, OK, "matrix-ws2022", "|Windows Server 2016|✅|❌|"),
        ("20348", S, "14393", P, NO, "matrix-ws2022", "|Windows Server 2016|✅|❌|"),
        // Host = Windows Server 2019
        ("17763", S, "20348", H, NO, "hyperv-newer-image", "|Windows Server 2022|❌|❌|"),
        ("17763", S, "20348", P, NO, "matrix-ws2019", "|Windows Server 2022|❌|❌|"),
        ("17763", S, "17763", H, OK, "matrix-ws2019", "|Windows Server 2019|✅|✅|"),
        ("17763", S, "17763", P, OK, "matrix-ws2019", "|Windows Server 2019|✅|✅|"),
        ("17763", S, "14393", H, OK, "matrix-ws2019", "|Windows Server 2016|✅|❌|"),
        ("17763", S, "14393", P, NO, "matrix-ws2019", "|Windows Server 2016|✅|❌|"),
        // Host = Windows Server 2016
        ("14393", S, "20348", H, NO, "hyperv-newer-image", "|Windows Server 2022|❌|❌|"),
        ("14393", S, "20348", P, NO, "matrix-ws2016", "|Windows Server 2022|❌|❌|"),
        ("14393", S, "17763", H, NO, "hyperv-newer-image", "|Windows Server 2019|❌|❌|"),
        ("14393", S, "17763", P, NO, "matrix-ws2016", "|Windows Server 2019|❌|❌|"),
        ("14393", S, "14393", H, OK, "matrix-ws2016", "|Windows Server 2016|✅|✅|"),
        ("14393", S, "14393", P, OK, "matrix-ws2016", "|Windows Server 2016|✅|✅|"),
        // Host = Windows 11 (24H2, where the WS2025 footnote is met)
        ("26100", C, "26100", H, OK, "matrix-windows-11", "|Windows Server 2025|✅<sup>1</sup>|✅<sup>1</sup>|"),
        ("26100", C, "26100", P, OK, "matrix-windows-11", "|Windows Server 2025|✅<sup>1</sup>|✅<sup>1</sup>|"),
        ("22621", C, "26100", H, NO, "hyperv-newer-image", "1. Supported from Windows 11 24H2 (`Build 2600`) onwards."),
        ("22621", C, "26100", P, NO, "matrix-windows-11", "1. Supported from Windows 11 24H2 (`Build 2600`) onwards."),
        ("22621", C, "20348", H, OK, "matrix-windows-11", "|Windows Server 2022|✅|✅|"),
        ("22621", C, "20348", P, OK, "matrix-windows-11", "|Windows Server 2022|✅|✅|"),
        ("22621", C, "17763", H, OK, "matrix-windows-11", "|Windows Server 2019|✅|❌|"),
        ("22621", C, "17763", P, NO, "matrix-windows-11", "|Windows Server 2019|✅|❌|"),
        ("22621", C, "14393", H, OK, "matrix-windows-11", "|Windows Server 2016|✅|❌|"),
        ("22621", C, "14393", P, NO, "matrix-windows-11", "|Windows Server 2016|✅|❌|"),
        // Host = Windows 10 (22H2)
        ("19045", C, "20348", H, NO, "hyperv-newer-image", "|Windows Server 2022|❌|❌|"),
        ("19045", C, "20348", P, NO, "matrix-windows-10", "|Windows Server 2022|❌|❌|"),
        ("19045", C, "17763", H, OK, "matrix-windows-10", "|Windows Server 2019|✅|❌|"),
        ("19045", C, "17763", P, NO, "matrix-windows-10", "|Windows Server 2019|✅|❌|"),
        ("19045", C, "14393", H, OK, "matrix-windows-10", "|Windows Server 2016|✅|❌|"),
        ("19045", C, "14393", P, NO, "matrix-windows-10", "|Windows Server 2016|✅|❌|"),
    ];

    #[test]
    fn every_matrix_cell() {
        for (host, kind, image, iso, verdict, rule, quote) in CELLS {
            let r = eval(host, *kind, image, *iso);
            assert_eq!(
                (r.verdict, r.rule.as_str()),
                (*verdict, *rule),
                "host {host} {kind:?} image {image} {iso:?} ({quote}): {r:#?}"
            );
            assert!(!r.sources.is_empty());
        }
    }

    #[test]
    fn matrix_cells_quote_the_page() {
        let r = eval("26100.1742", S, "20348", P);
        assert!(r.sources.contains(&source::VERSION_COMPAT));
        assert!(r
            .reasons
            .iter()
            .any(|x| x.contains("|Windows Server 2022|✅|✅|")));
        assert!(r.reasons.iter().any(|x| x.contains("windows-server-2025")));
        assert_eq!(r.disagreements.len(), 1, "§8.1 rule text vs matrix: {r:#?}");
        assert!(!r.runtime_matcher_may_refuse);
    }

    /// hcsshim osversion/platform_compat_windows_test.go (facts.md §1.6).
    #[test]
    fn hcsshim_test_table() {
        #[rustfmt::skip]
        let cases = [
            (17763, 17763, true), (17763, 20348, false), (20348, 17763, false),
            (20348, 20348, true), (22621, 17763, false), (22621, 20348, true),
            (26100, 20348, true), (20348, 26100, false), (20348, 22621, false),
            (26100, 22621, true),
        ];
        for (host, ctr, ok) in cases {
            assert_eq!(hcsshim_allows(host, ctr), ok, "{host}/{ctr}");
            assert_eq!(platforms_rc5_allows(host, ctr), ok, "{host}/{ctr}");
        }
        // The two differ only past 26100.
        assert!(!hcsshim_allows(26200, 20348));
        assert!(platforms_rc5_allows(26200, 20348));
        assert!(hcsshim_allows(26200, 26100));
    }

    #[test]
    fn generic_rules_for_hosts_without_a_tab() {
        // 23H2 Annual Channel server: ltsc2022 only.
        let r = eval("25398", None, "20348", P);
        assert_eq!((r.verdict, r.rule.as_str()), (OK, "ltsc-floor"));
        assert!(r.sources.contains(&source::PORTABILITY));
        let r = eval("25398", None, "17763", P);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "ltsc-floor"));
        // SAC host: exact build.
        let r = eval("19042", S, "19042", P);
        assert_eq!(
            (r.verdict, r.rule.as_str()),
            (OK, "exact-build-before-ltsc2022")
        );
        let r = eval("19042", S, "19041", P);
        assert_eq!(
            (r.verdict, r.rule.as_str()),
            (NO, "exact-build-before-ltsc2022")
        );
        assert!(r.reasons[0].contains("older"), "{:?}", r.reasons);
        // Hyper-V on a SAC host, older image.
        let r = eval("18363", S, "17763", H);
        assert_eq!((r.verdict, r.rule.as_str()), (OK, "hyperv-older-or-equal"));
        // WS2022 host, WS2025 image: not on the page; generic.
        let r = eval("20348", S, "26100", P);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "ltsc-floor"));
    }

    /// version-compatibility.md "Windows Server 2016 Restrictions" and
    /// Example 1 (KB4041691 → 14393.1770, KB4051033 → .1914, KB4053579 → .1944).
    #[test]
    fn ws2016_revisions_must_match() {
        let r = eval("14393.1914", None, "14393.1944", P);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "ws2016-revision"));
        assert!(r.reasons[0].contains("10.0.14393.1914"), "{:?}", r.reasons);
        assert!(r.reasons[0].contains("10.0.14393.1944"), "{:?}", r.reasons);
        let r = eval("14393.1770", None, "14393.1770", P);
        assert_eq!((r.verdict, r.rule.as_str()), (OK, "matrix-ws2016"));
        let r = eval("14393.1770", None, "14393.1944", P);
        assert_eq!(r.verdict, NO);
        // Hyper-V brings its own kernel: revisions do not matter.
        let r = eval("14393.1770", None, "14393.1944", H);
        assert_eq!(r.verdict, OK);
        // Unknown revision: a warning reason, not a block.
        let r = eval("14393", None, "14393.1944", P);
        assert_eq!(r.verdict, OK);
        assert!(r
            .reasons
            .iter()
            .any(|x| x.contains("revisions must also match")));
    }

    #[test]
    fn ws2016_revision_reason_names_kbs_when_known() {
        let r = eval("14393.1914", None, "14393.1944", P);
        assert!(
            r.reasons[0].contains("10.0.14393.1914 (KB4051033)"),
            "{:?}",
            r.reasons
        );
        assert!(
            r.reasons[0].contains("10.0.14393.1944 (KB4053579)"),
            "{:?}",
            r.reasons
        );
        let r = eval("14393.1770", None, "14393.1944", P);
        assert!(r.reasons[0].contains("KB4041691"), "{:?}", r.reasons);
    }

    #[test]
    fn hyperv_never_runs_a_newer_image() {
        let r = eval("17763.1577", None, "20348", H);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "hyperv-newer-image"));
        assert!(r.reasons[0].starts_with("image newer than host"));
        let r = eval("25398", None, "26100", H);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "hyperv-newer-image"));
    }

    #[test]
    fn windows_10_before_1809_is_hyperv_only() {
        let r = eval("17134", C, "17134", P);
        assert_eq!(
            (r.verdict, r.rule.as_str()),
            (NO, "client-pre-1809-hyperv-only")
        );
        let r = eval("17134", C, "17134", H);
        assert_eq!(r.verdict, OK);
        // Client-only 1703 is inferred as a client.
        let r = eval("15063", None, "15063", P);
        assert_eq!(r.rule, "client-pre-1809-hyperv-only");
    }

    /// facts.md §8.3: Windows 11 25H2 (26200) + ltsc2022.
    #[test]
    fn windows_11_25h2_with_ltsc2022_names_the_matcher_disagreement() {
        let r = eval("26200.7171", None, "20348", P);
        assert_eq!(r.host_kind, HostKind::Client, "26200 is client-only");
        assert_eq!((r.verdict, r.rule.as_str()), (OK, "matrix-windows-11"));
        assert!(r.runtime_matcher_may_refuse);
        assert!(r
            .disagreements
            .iter()
            .any(|d| d.contains("moby/moby#53397") && d.contains("hcsshim") && d.contains("rc.5")));
        assert!(r.sources.contains(&source::MOBY_53397));
        // Hyper-V pulls through the same matcher.
        let r = eval("26200", None, "20348", H);
        assert!(r.runtime_matcher_may_refuse);
        // 24H2 has no such problem.
        let r = eval("26100", C, "20348", P);
        assert!(!r.runtime_matcher_may_refuse);
        // Unknown future host: generic rule, new logic, flagged.
        let r = eval("27000", S, "20348", P);
        assert_eq!((r.verdict, r.rule.as_str()), (OK, "ltsc-floor"));
        assert!(r.runtime_matcher_may_refuse);
        assert!(r
            .reasons
            .iter()
            .any(|x| x.contains("not in the release table")));
    }

    #[test]
    fn windows_11_and_ws2022_is_supported_with_the_preview_note_named() {
        let r = eval("22000", None, "20348", P);
        assert_eq!(r.verdict, OK);
        assert!(r.disagreements.iter().any(|d| d.contains("preview")));
    }

    #[test]
    fn windows_11_25h2_with_ltsc2025_names_hcsshim_2566() {
        let r = eval("26200", None, "26100", P);
        assert_eq!(r.verdict, OK);
        assert!(r.disagreements.iter().any(|d| d.contains("0xc0370112")));
    }

    #[test]
    fn windows_10_with_ws2019_process_names_the_history() {
        let r = eval("17763", C, "17763", P);
        assert_eq!((r.verdict, r.rule.as_str()), (NO, "matrix-windows-10"));
        assert!(r.disagreements.iter().any(|d| d.contains("3efcfe4e")));
    }

    #[test]
    fn enablement_package_field_reports_are_named() {
        let r = eval("19044", None, "19041", P);
        assert_eq!(
            (r.verdict, r.rule.as_str()),
            (NO, "exact-build-before-ltsc2022")
        );
        assert!(r.disagreements.iter().any(|d| d.contains("#1537")));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_always_cites(hb in 0u32..40000, ib in 0u32..40000,
                                         hr in proptest::option::of(0u32..9000),
                                         ir in proptest::option::of(0u32..9000),
                                         client in proptest::bool::ANY, hv in proptest::bool::ANY) {
            let r = evaluate(&CompatQuery {
                host: WindowsVersion::new(hb, hr),
                host_kind: client.then_some(HostKind::Client),
                image: WindowsVersion::new(ib, ir),
                isolation: if hv { H } else { P },
            });
            proptest::prop_assert!(!r.sources.is_empty());
            proptest::prop_assert!(!r.reasons.is_empty());
            if hv && ib > hb {
                proptest::prop_assert_eq!(r.verdict, NO);
            }
        }
    }

    #[test]
    fn shared_builds_assume_server_and_say_so() {
        let r = eval("17763", None, "17763", P);
        assert_eq!(r.host_kind, HostKind::Server);
        assert_eq!(r.verdict, OK);
        assert!(r
            .reasons
            .iter()
            .any(|x| x.contains("assumed a server host")));
    }

    #[test]
    fn feb_2020_baseline_is_a_caveat() {
        let r = eval("17763.1098", None, "17763.973", P);
        assert_eq!(r.verdict, OK);
        assert!(r.reasons.iter().any(|x| x.contains("2B")));
        assert!(r.sources.contains(&source::UPDATE_CONTAINERS));
        // Both after the baseline (host 1039 is the Feb B host build).
        let r = eval("17763.1039", None, "17763.1040", P);
        assert!(!r.reasons.iter().any(|x| x.contains("2B")));
        // Unknown revisions: nothing to say.
        let r = eval("17763", None, "17763.973", P);
        assert!(!r.reasons.iter().any(|x| x.contains("2B")));
    }

    #[test]
    fn non_windows_10_versions_are_unknown() {
        let r = evaluate(&CompatQuery {
            host: WindowsVersion {
                major: 6,
                minor: 2,
                build: 9200,
                revision: None,
            },
            host_kind: None,
            image: WindowsVersion::new(17763, None),
            isolation: P,
        });
        assert_eq!(
            (r.verdict, r.rule.as_str()),
            (Verdict::Unknown, "not-windows-10-family")
        );
    }

    #[test]
    fn every_tab_has_rows_for_page_images_only() {
        for tab in MATRIX {
            assert!(tab.rule.as_str().starts_with("matrix-"));
            assert_eq!(
                tab_for_host(tab.example_host, tab.kind).map(|t| t.tab),
                Some(tab.tab)
            );
            for row in tab.rows {
                assert!(MATRIX_IMAGES.iter().any(|(b, _)| *b == row.image));
            }
        }
    }
}
