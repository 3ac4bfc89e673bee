//! The compatibility rules by name: one `RuleId` per rule the engine can
//! decide by, with its stable id (printed in reports and JSON), the public
//! source that states it, and the rule itself in one sentence.
//!
//! Rule sentences live here and nowhere else: the analysis and the reports
//! name a rule by its `RuleId` and ask for its statement. Knows nothing of
//! input formats or report formats.

use serde::{Serialize, Serializer};

/// Sources cited by the rules.
pub mod source {
    pub const VERSION_COMPAT: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/version-compatibility.md (https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility)";
    pub const HCSSHIM_COMPAT: &str =
        "microsoft/hcsshim osversion/platform_compat_windows.go (CheckHostAndContainerCompat)";
    pub const PLATFORMS_RC5: &str = "containerd/platforms platform_windows_compat.go v1.0.0-rc.5 (\"Fix WS2022 compat on hosts past the latest LTSC\"); containerd/containerd#14001";
    pub const MOBY_53397: &str = "moby/moby#53397";
    pub const CONTAINERD_6508: &str =
        "containerd/containerd#6508; microsoft/Windows-Containers#170";
    pub const UPDATE_CONTAINERS: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/update-containers.md (KB4542617)";
    pub const PORTABILITY: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/portability.md";
    pub const HYPERV_CONTAINER: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/manage-containers/hyperv-container.md";
    pub const HCSSHIM_2566: &str = "microsoft/hcsshim#2566";
    pub const WINDOWS_CONTAINERS_591: &str = "microsoft/Windows-Containers#591";
    /// Base image tags and their support dates (current tags).
    pub const BASE_IMAGE_LIFECYCLE: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/base-image-lifecycle)";
    /// The same page before the Semi-Annual Channel rows were removed.
    pub const BASE_IMAGE_LIFECYCLE_SAC: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (Semi-Annual Channel rows)";
    /// Microsoft's Windows Server release information page (KB → build).
    pub const RELEASE_INFO: &str =
        "https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info";
}

/// A compatibility rule. The JSON/text id (`as_str`) never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    /// A version that is not 10.0.x is no Windows container version.
    NotWindows10Family,
    /// Hyper-V isolation never runs an image newer than the host.
    HypervNewerImage,
    /// Windows 10 before 1809 runs Hyper-V isolation only.
    ClientPre1809HypervOnly,
    /// Windows Server 2016: host and image revisions must be equal.
    Ws2016Revision,
    MatrixWs2025,
    MatrixWs2022,
    MatrixWs2019,
    MatrixWs2016,
    MatrixWindows11,
    MatrixWindows10,
    /// Hyper-V isolation runs any image not newer than the host.
    HypervOlderOrEqual,
    /// Process isolation before Windows Server 2022 needs the same build.
    ExactBuildBeforeLtsc2022,
    /// Process isolation from Windows Server 2022 on: LTSC floor to host.
    LtscFloor,
}

impl RuleId {
    pub const ALL: [RuleId; 13] = [
        RuleId::NotWindows10Family,
        RuleId::HypervNewerImage,
        RuleId::ClientPre1809HypervOnly,
        RuleId::Ws2016Revision,
        RuleId::MatrixWs2025,
        RuleId::MatrixWs2022,
        RuleId::MatrixWs2019,
        RuleId::MatrixWs2016,
        RuleId::MatrixWindows11,
        RuleId::MatrixWindows10,
        RuleId::HypervOlderOrEqual,
        RuleId::ExactBuildBeforeLtsc2022,
        RuleId::LtscFloor,
    ];

    /// The stable id, e.g. `exact-build-before-ltsc2022`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::NotWindows10Family => "not-windows-10-family",
            RuleId::HypervNewerImage => "hyperv-newer-image",
            RuleId::ClientPre1809HypervOnly => "client-pre-1809-hyperv-only",
            RuleId::Ws2016Revision => "ws2016-revision",
            RuleId::MatrixWs2025 => "matrix-ws2025",
            RuleId::MatrixWs2022 => "matrix-ws2022",
            RuleId::MatrixWs2019 => "matrix-ws2019",
            RuleId::MatrixWs2016 => "matrix-ws2016",
            RuleId::MatrixWindows11 => "matrix-windows-11",
            RuleId::MatrixWindows10 => "matrix-windows-10",
            RuleId::HypervOlderOrEqual => "hyperv-older-or-equal",
            RuleId::ExactBuildBeforeLtsc2022 => "exact-build-before-ltsc2022",
            RuleId::LtscFloor => "ltsc-floor",
        }
    }

    /// The rule from its id (any case).
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The public source that states the rule.
    pub fn source(self) -> &'static str {
        match self {
            RuleId::NotWindows10Family | RuleId::ExactBuildBeforeLtsc2022 | RuleId::LtscFloor => {
                source::HCSSHIM_COMPAT
            }
            RuleId::ClientPre1809HypervOnly => source::HYPERV_CONTAINER,
            _ => source::VERSION_COMPAT,
        }
    }

    /// The rule in one sentence, as a report states it.
    pub fn statement(self) -> &'static str {
        match self {
            RuleId::NotWindows10Family => {
                "Only Windows 10.0.x versions (Windows Server 2016 and later) run Windows containers."
            }
            RuleId::HypervNewerImage => {
                "An image newer than its host cannot run with either isolation: Hyper-V isolation runs images whose build is at most the host's."
            }
            RuleId::ClientPre1809HypervOnly => {
                "Windows 10 hosts before version 1809 can only run Hyper-V isolated containers."
            }
            RuleId::Ws2016Revision => {
                "On Windows Server 2016, process isolation needs the host and the image at the same revision (cumulative update)."
            }
            RuleId::MatrixWs2025
            | RuleId::MatrixWs2022
            | RuleId::MatrixWs2019
            | RuleId::MatrixWs2016
            | RuleId::MatrixWindows11
            | RuleId::MatrixWindows10 => {
                "Microsoft's compatibility matrix lists, per host release, which image releases run with process and with Hyper-V isolation."
            }
            RuleId::HypervOlderOrEqual => {
                "Hyper-V isolation gives the container its own kernel, so it runs images whose build is the host's or older."
            }
            RuleId::ExactBuildBeforeLtsc2022 => {
                "Hosts before Windows Server 2022 run process-isolated images of exactly their own build."
            }
            RuleId::LtscFloor => {
                "Hosts from Windows Server 2022 on run process-isolated images from the LTSC floor up to their own build."
            }
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RuleId::ALL.len());
        for r in RuleId::ALL {
            assert_eq!(RuleId::from_name(r.as_str()), Some(r));
        }
    }

    #[test]
    fn every_rule_cites_a_public_source_and_states_itself() {
        for r in RuleId::ALL {
            assert!(!r.source().contains("facts.md"), "{r}: {}", r.source());
            assert!(r.statement().ends_with('.'), "{r}");
        }
    }
}
