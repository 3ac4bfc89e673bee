//! The Windows release table (facts.md §2.1): one row per build, with the
//! names Microsoft gave it, the BuildLabEx branch, channel, dates, the
//! container image tag token and where each fact comes from. Also the
//! reader for release *names* (`ltsc2019`, `Windows 11 24H2`) on top of the
//! numeric version parsers of `crate::model::version`.
//!
//! This module must not know input formats (`parse/`), compatibility rules
//! (`compat`) or how anything is printed. Rows marked `confirmed: false`
//! come from third-party or unverified sources (facts.md §9) and must never
//! be the basis of a hard verdict.

use crate::model::version::VersionError;
use crate::model::{HostKind, WindowsVersion};

/// Servicing channel of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Channel {
    Ltsc,
    Sac,
    AnnualChannel,
    ClientGa,
}

/// A date claim (`YYYY-MM-DD`) and whose claim it is. Where sources
/// disagree a row keeps one entry per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub date: &'static str,
    /// What the date is for and who says so (`WS2016 extended, base-image-lifecycle.md`).
    pub what: &'static str,
}

/// One Windows build and what Microsoft called it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub build: u32,
    pub server_name: Option<&'static str>,
    pub client_name: Option<&'static str>,
    /// The image tag token for this build (`ltsc2019`, `1709`), if images exist.
    pub image_tag: Option<&'static str>,
    pub channel: Channel,
    pub source: &'static str,
    /// Other tag tokens that mean this build (`1809` for `ltsc2019`).
    pub other_tags: &'static [&'static str],
    /// Branch part of `BuildLabEx` (`rs5_release`), when a source shows it.
    pub branch: Option<&'static str>,
    /// General availability, one entry per source when they disagree.
    pub ga: &'static [Dated],
    /// End of support/servicing, one entry per source and edition.
    pub end_of_support: &'static [Dated],
    /// `false` for rows from third-party or unverified sources (facts.md §9).
    pub confirmed: bool,
}

/// Result of looking a build up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildLookup {
    Known(&'static Release),
    /// Newer than every build in the table: never guessed.
    NewerThanKnown {
        newest: u32,
    },
    Unknown,
}

const HCSSHIM_BUILDS: &str = "microsoft/hcsshim osversion/windowsbuilds.go";
const LIFECYCLE: &str =
    "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md";
const CVE_62221: &str = "CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json";
const DFG: &str = "altrhombus/DataForGeeks content/ms/mswin/releases.json, lifecycle-client.json";

macro_rules! d {
    ($date:literal, $what:literal) => {
        Dated {
            date: $date,
            what: $what,
        }
    };
}

/// Every build of facts.md §2.1. Please keep this list sorted by build.
/// Client end dates marked "UTC" come from DataForGeeks and read one day
/// later than Microsoft's Pacific-time dates.
#[rustfmt::skip]
pub static RELEASES: &[Release] = &[
    Release {
        build: 14393,
        server_name: Some("Windows Server 2016"),
        client_name: Some("Windows 10 1607"),
        image_tag: Some("ltsc2016"),
        other_tags: &["sac2016", "1607"],
        channel: Channel::Ltsc,
        branch: Some("rs1_release"),
        ga: &[
            d!("2016-10-15", "WS2016, base-image-lifecycle.md"),
            d!("2016-08-02", "WS2016, Windows Server release information"),
            d!("2016-08-02", "Windows 10 1607"),
        ],
        end_of_support: &[
            d!("2022-01-11", "WS2016 mainstream, base-image-lifecycle.md"),
            d!("2027-01-11", "WS2016 extended, base-image-lifecycle.md"),
            d!("2027-01-12", "WS2016 extended, Windows Server release information"),
            d!("2018-10-09", "Nano Server 1607 (SAC)"),
            d!("2026-10-13", "Windows 10 LTSB 2016 extended"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (RS1); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md; https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info",
    },
    Release {
        build: 15063,
        server_name: None,
        client_name: Some("Windows 10 1703"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::Sac,
        // Branch string unconfirmed (facts.md §9).
        branch: None,
        ga: &[d!("2017-04-11", "Windows 10 1703")],
        end_of_support: &[d!("2019-10-09", "Windows 10 1703 Ent/Edu (UTC)")],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (RS2, client-only); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        build: 16299,
        server_name: Some("Windows Server, version 1709"),
        client_name: Some("Windows 10 1709"),
        image_tag: Some("1709"),
        other_tags: &[],
        channel: Channel::Sac,
        branch: Some("rs3_release"),
        ga: &[d!("2017-10-17", "WS 1709 and Windows 10 1709")],
        end_of_support: &[
            d!("2019-04-09", "WS 1709, base-image-lifecycle.md"),
            d!("2020-10-14", "Windows 10 1709 Ent/Edu (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (RS3); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 17134,
        server_name: Some("Windows Server, version 1803"),
        client_name: Some("Windows 10 1803"),
        image_tag: Some("1803"),
        other_tags: &[],
        channel: Channel::Sac,
        branch: Some("rs4_release"),
        ga: &[d!("2018-04-30", "WS 1803 and Windows 10 1803")],
        end_of_support: &[
            d!("2019-11-12", "WS 1803, base-image-lifecycle.md"),
            d!("2021-05-12", "Windows 10 1803 Ent/Edu (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (RS4); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 17763,
        server_name: Some("Windows Server 2019"),
        client_name: Some("Windows 10 1809"),
        image_tag: Some("ltsc2019"),
        other_tags: &["1809"],
        // Also Windows Server, version 1809 (SAC); LTSC is the lasting one.
        channel: Channel::Ltsc,
        branch: Some("rs5_release"),
        ga: &[d!("2018-11-13", "WS2019 (17763.1 = 2018-10 A, 2018-10-02)")],
        end_of_support: &[
            d!("2024-01-09", "WS2019 mainstream; Nano Server/Server Core 1809 images"),
            d!("2029-01-09", "WS2019 extended; Windows 10 Enterprise LTSC 2019"),
            d!("2020-05-12", "WS 1809 SAC (2019 release-info page)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (RS5); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md; CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (1809=10.0.17763)",
    },
    Release {
        build: 18362,
        server_name: Some("Windows Server, version 1903"),
        client_name: Some("Windows 10 1903"),
        image_tag: Some("1903"),
        other_tags: &[],
        channel: Channel::Sac,
        branch: Some("19h1_release"),
        ga: &[d!("2019-05-21", "WS 1903")],
        end_of_support: &[d!("2020-12-08", "WS 1903, base-image-lifecycle.md")],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V19H1); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 18363,
        server_name: Some("Windows Server, version 1909"),
        client_name: Some("Windows 10 1909"),
        image_tag: Some("1909"),
        other_tags: &[],
        channel: Channel::Sac,
        // 19h1 base via enablement package; BuildLabEx string unconfirmed.
        branch: None,
        ga: &[d!("2019-11-12", "WS 1909")],
        end_of_support: &[
            d!("2021-05-11", "WS 1909, base-image-lifecycle.md"),
            d!("2022-05-11", "Windows 10 1909 Ent/Edu (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V19H2); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 19041,
        server_name: Some("Windows Server, version 2004"),
        client_name: Some("Windows 10 2004"),
        image_tag: Some("2004"),
        other_tags: &[],
        channel: Channel::Sac,
        branch: Some("vb_release"),
        ga: &[d!("2020-05-27", "WS 2004")],
        end_of_support: &[d!("2021-12-14", "WS 2004, base-image-lifecycle.md")],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V20H1); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 19042,
        server_name: Some("Windows Server, version 20H2"),
        client_name: Some("Windows 10 20H2"),
        image_tag: Some("20H2"),
        other_tags: &[],
        channel: Channel::Sac,
        // BuildLabEx stays 19041.1…vb_release (enablement package).
        branch: Some("vb_release"),
        ga: &[d!("2020-10-20", "WS 20H2 (last SAC)")],
        end_of_support: &[
            d!("2022-08-09", "WS 20H2, base-image-lifecycle.md"),
            d!("2023-05-10", "Windows 10 20H2 Ent/Edu (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V20H2); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^",
    },
    Release {
        build: 19043,
        server_name: None,
        client_name: Some("Windows 10 21H1"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: Some("vb_release"),
        ga: &[d!("2021-05-18", "Windows 10 21H1")],
        end_of_support: &[d!("2022-12-14", "Windows 10 21H1 (UTC)")],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V21H1); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json; microsoft/Windows-Containers#163 (no 21H1 image)",
    },
    Release {
        build: 19044,
        server_name: None,
        client_name: Some("Windows 10 21H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: Some("vb_release"),
        ga: &[d!("2021-11-16", "Windows 10 21H2; Enterprise LTSC 2021")],
        end_of_support: &[
            d!("2024-06-12", "Windows 10 21H2 Ent/Edu (UTC)"),
            d!("2027-01-12", "Windows 10 Enterprise LTSC 2021 mainstream"),
            d!("2032-01-13", "Windows 10 IoT Enterprise LTSC 2021 extended"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V21H2Win10); CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (21H2=10.0.19044); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        build: 19045,
        server_name: None,
        client_name: Some("Windows 10 22H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: Some("vb_release"),
        ga: &[d!("2022-10-18", "Windows 10 22H2 (last Windows 10)")],
        end_of_support: &[d!("2025-10-15", "Windows 10 22H2 (UTC; Microsoft: 2025-10-14)")],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V22H2Win10); CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (22H2=10.0.19045); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        build: 20348,
        server_name: Some("Windows Server 2022"),
        client_name: None,
        image_tag: Some("ltsc2022"),
        other_tags: &[],
        channel: Channel::Ltsc,
        branch: Some("fe_release"),
        ga: &[d!("2021-08-18", "WS2022")],
        end_of_support: &[
            d!("2026-10-13", "WS2022 mainstream"),
            d!("2031-10-14", "WS2022 extended"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (LTSC2022); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md; CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (Server 2022=10.0.20348)",
    },
    Release {
        // Third-party script comment only (facts.md §9).
        build: 20349,
        server_name: Some("Azure Stack HCI 22H2"),
        client_name: None,
        image_tag: None,
        other_tags: &[],
        channel: Channel::AnnualChannel,
        branch: None,
        ga: &[],
        end_of_support: &[],
        confirmed: false,
        source: "third-party script comment (repository not identified); unconfirmed",
    },
    Release {
        build: 22000,
        server_name: None,
        client_name: Some("Windows 11 21H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: Some("co_release"),
        ga: &[d!("2021-10-04", "Windows 11 21H2")],
        end_of_support: &[
            d!("2024-10-09", "Windows 11 21H2 Ent/Edu (UTC)"),
            d!("2023-10-11", "Windows 11 21H2 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V21H2Win11); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        build: 22621,
        server_name: None,
        client_name: Some("Windows 11 22H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: Some("ni_release"),
        ga: &[d!("2022-09-20", "Windows 11 22H2")],
        end_of_support: &[
            d!("2025-10-15", "Windows 11 22H2 Ent/Edu (UTC)"),
            d!("2024-10-09", "Windows 11 22H2 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V22H2Win11); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        build: 22631,
        server_name: None,
        client_name: Some("Windows 11 23H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        // Enablement package on 22621.
        branch: Some("ni_release"),
        ga: &[d!("2023-10-31", "Windows 11 23H2")],
        end_of_support: &[
            d!("2026-11-11", "Windows 11 23H2 Ent/Edu (UTC)"),
            d!("2025-11-12", "Windows 11 23H2 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (Windows 11 23H2=10.0.22631); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        // Dates unconfirmed (facts.md §9); the build itself is confirmed.
        build: 25398,
        server_name: Some("Windows Server, version 23H2"),
        client_name: None,
        image_tag: None,
        other_tags: &[],
        channel: Channel::AnnualChannel,
        branch: Some("zn_release"),
        ga: &[],
        end_of_support: &[],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (V23H2); CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (Windows Server 2022, 23H2 Edition=10.0.25398); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/portability.md",
    },
    Release {
        build: 26100,
        server_name: Some("Windows Server 2025"),
        client_name: Some("Windows 11 24H2"),
        image_tag: Some("ltsc2025"),
        other_tags: &[],
        channel: Channel::Ltsc,
        branch: Some("ge_release"),
        ga: &[
            d!("2024-11-01", "WS2025 (first build 26100.1742, 2024-10 A)"),
            d!("2024-10-01", "Windows 11 24H2"),
        ],
        end_of_support: &[
            // Sources disagree (facts.md §8.8): keep both.
            d!("2029-10-09", "WS2025 mainstream, base-image-lifecycle.md"),
            d!("2034-10-10", "WS2025 extended, base-image-lifecycle.md"),
            d!("2029-11-13", "WS2025 mainstream, Windows Server release information (2026-05)"),
            d!("2034-11-14", "WS2025 extended, Windows Server release information (2026-05)"),
            d!("2027-10-13", "Windows 11 24H2 Ent/Edu (UTC)"),
            d!("2026-10-14", "Windows 11 24H2 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "microsoft/hcsshim osversion/windowsbuilds.go (LTSC2025); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md; CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (Server 2025 and Windows 11 24H2=10.0.26100)",
    },
    Release {
        build: 26200,
        server_name: None,
        client_name: Some("Windows 11 25H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        // Enablement on 26100; BuildLabEx may read 26100.1…ge_release (§8.12).
        branch: Some("ge_release"),
        ga: &[d!("2025-09-30", "Windows 11 25H2")],
        end_of_support: &[
            d!("2028-10-11", "Windows 11 25H2 Ent/Edu (UTC)"),
            d!("2027-10-13", "Windows 11 25H2 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "CVEProject/cvelistV5 cves/2025/62xxx/CVE-2025-62221.json (Windows 11 25H2=10.0.26200); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
    Release {
        // Claimed only by a third-party dataset (facts.md §9).
        build: 26300,
        server_name: None,
        client_name: Some("Windows 11 26H2"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: None,
        ga: &[],
        end_of_support: &[],
        confirmed: false,
        source: "third-party dataset (Hugging Face Ying91/Windows11_26H2); unconfirmed",
    },
    Release {
        // MSRC CPE lists it for arm64 only; arm64-only status unconfirmed.
        build: 28000,
        server_name: None,
        client_name: Some("Windows 11 26H1"),
        image_tag: None,
        other_tags: &[],
        channel: Channel::ClientGa,
        branch: None,
        ga: &[d!("2026-02-10", "Windows 11 26H1")],
        end_of_support: &[
            d!("2029-03-14", "Windows 11 26H1 Ent/Edu (UTC)"),
            d!("2028-03-15", "Windows 11 26H1 Home/Pro (UTC)"),
        ],
        confirmed: true,
        source: "CVEProject/cvelistV5 cves/2026/32xxx/CVE-2026-32215.json (windows_11_26H1 arm64 10.0.28000); altrhombus/DataForGeeks content/ms/mswin/lifecycle-client.json",
    },
];

/// Sources the table as a whole was checked against.
pub const TABLE_SOURCES: &[&str] = &[HCSSHIM_BUILDS, LIFECYCLE, CVE_62221, DFG];

/// Release names (lower case, words separated by one space, `version` and
/// commas removed) → build. Bare half-year tokens that mean two releases
/// (`22H2`: Windows 10 19045 or Windows 11 22621) are deliberately absent.
#[rustfmt::skip]
const NAMES: &[(&str, u32)] = &[
    ("ltsc2016", 14393), ("sac2016", 14393), ("1607", 14393),
    ("windows server 2016", 14393), ("server 2016", 14393), ("ws2016", 14393),
    ("windows 10 1607", 14393),
    ("1703", 15063), ("windows 10 1703", 15063),
    ("1709", 16299), ("windows server 1709", 16299), ("windows 10 1709", 16299),
    ("1803", 17134), ("windows server 1803", 17134), ("windows 10 1803", 17134),
    ("ltsc2019", 17763), ("1809", 17763), ("windows server 2019", 17763),
    ("server 2019", 17763), ("ws2019", 17763), ("windows server 1809", 17763),
    ("windows 10 1809", 17763),
    ("1903", 18362), ("windows server 1903", 18362), ("windows 10 1903", 18362),
    ("1909", 18363), ("windows server 1909", 18363), ("windows 10 1909", 18363),
    ("2004", 19041), ("windows server 2004", 19041), ("windows 10 2004", 19041),
    ("20h2", 19042), ("windows server 20h2", 19042), ("windows 10 20h2", 19042),
    ("21h1", 19043), ("windows 10 21h1", 19043),
    ("windows 10 21h2", 19044), ("windows 10 22h2", 19045),
    // Bare `21H2` is what `docker info` prints for WS2022
    // ("Microsoft Windows Server Version 21H2"); Windows 10/11 21H2 need
    // their product name.
    ("ltsc2022", 20348), ("21h2", 20348), ("windows server 2022", 20348),
    ("server 2022", 20348), ("ws2022", 20348), ("windows server 21h2", 20348),
    ("windows 11 21h2", 22000), ("windows 11 22h2", 22621), ("windows 11 23h2", 22631),
    ("23h2", 25398), ("windows server 23h2", 25398),
    ("ltsc2025", 26100), ("24h2", 26100), ("windows server 2025", 26100),
    ("server 2025", 26100), ("ws2025", 26100), ("windows 11 24h2", 26100),
    ("windows server 24h2", 26100),
    ("25h2", 26200), ("windows 11 25h2", 26200),
    ("26h2", 26300), ("windows 11 26h2", 26300),
    ("26h1", 28000), ("windows 11 26h1", 28000),
];

/// The newest build in the table.
pub fn newest_known() -> u32 {
    RELEASES.iter().map(|r| r.build).max().unwrap_or(0)
}

/// Look a build up in the table: `17763` → Known(Windows Server 2019);
/// `30000` → NewerThanKnown{newest: 28000}; `20344` → Unknown.
pub fn lookup(build: u32) -> BuildLookup {
    match RELEASES.iter().find(|r| r.build == build) {
        Some(r) => BuildLookup::Known(r),
        None => {
            let newest = newest_known();
            if build > newest {
                BuildLookup::NewerThanKnown { newest }
            } else {
                BuildLookup::Unknown
            }
        }
    }
}

/// A short human name for a build (`Windows Server 2016`, `Windows 11 24H2`);
/// builds shared by a server and a client release give the server name.
pub fn release_name(build: u32) -> Option<String> {
    match lookup(build) {
        BuildLookup::Known(r) => r.server_name.or(r.client_name).map(str::to_owned),
        _ => None,
    }
}

/// Both names of a build joined (`Windows Server 2019 / Windows 10 1809`).
pub fn full_name(build: u32) -> Option<String> {
    match lookup(build) {
        BuildLookup::Known(r) => match (r.server_name, r.client_name) {
            (Some(s), Some(c)) => Some(format!("{s} / {c}")),
            (Some(n), None) | (None, Some(n)) => Some(n.to_owned()),
            (None, None) => None,
        },
        _ => None,
    }
}

/// The build an image tag token means (`ltsc2019` → 17763, `20H2` → 19042),
/// case-insensitive; `None` for anything else.
pub fn build_for_tag(token: &str) -> Option<u32> {
    RELEASES
        .iter()
        .find(|r| {
            r.image_tag.is_some_and(|t| t.eq_ignore_ascii_case(token))
                || r.other_tags.iter().any(|t| t.eq_ignore_ascii_case(token))
        })
        .map(|r| r.build)
}

/// Whether a build by itself says server or client: client-only builds
/// (19045, 22621, 26200…) → Client; server-only (20348, 25398) → Server;
/// builds shared by both (17763, 26100…) or unknown → None.
pub fn host_kind_hint(build: u32) -> Option<HostKind> {
    match lookup(build) {
        BuildLookup::Known(r) => match (r.server_name, r.client_name) {
            (Some(_), None) => Some(HostKind::Server),
            (None, Some(_)) => Some(HostKind::Client),
            _ => None,
        },
        _ => None,
    }
}

/// Normalise a release name: lower case, commas and the word `version`
/// dropped, `microsoft ` prefix dropped, whitespace collapsed.
/// `"Windows Server, version 1709"` → `"windows server 1709"`.
fn normalise_name(text: &str) -> String {
    let lower = text.to_ascii_lowercase().replace(',', " ");
    let words: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| *w != "version")
        .collect();
    let joined = words.join(" ");
    joined
        .strip_prefix("microsoft ")
        .map_or_else(|| joined.clone(), str::to_owned)
}

/// The build a release name means, if `text` is one (`ltsc2019`, `1809`,
/// `Windows Server 2022`, `Windows 10 1809`, `Windows 11 24H2`,
/// `Windows Server, version 1709`).
pub fn build_for_name(text: &str) -> Option<u32> {
    let name = normalise_name(text);
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Read a version in any numeric form (`10.0.17763.1577`,
/// `10.0 14393 (14393.1914.amd64fre.rs1_release_inmarket.171101-1800)`, via
/// `crate::model::version::parse_any`) or a release name (`ltsc2019`,
/// `1809`, `Windows Server 2022`, `Windows 11 24H2`; case-insensitive). A
/// release name gives the build without a revision.
pub fn parse_version_or_release(text: &str) -> Result<WindowsVersion, VersionError> {
    if let Some(build) = build_for_name(text) {
        return Ok(WindowsVersion::new(build, None));
    }
    crate::model::version::parse_any(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_are_sorted_and_unique() {
        // Please keep RELEASES sorted: lookup's "newer than known" relies
        // on the maximum, and reviewers read the table top to bottom.
        for pair in RELEASES.windows(2) {
            assert!(
                pair[0].build < pair[1].build,
                "{} then {}",
                pair[0].build,
                pair[1].build
            );
        }
    }

    #[test]
    fn every_row_is_sourced_and_named() {
        for r in RELEASES {
            assert!(!r.source.is_empty(), "{} has no source", r.build);
            assert!(
                r.server_name.is_some() || r.client_name.is_some(),
                "{}",
                r.build
            );
            for d in r.ga.iter().chain(r.end_of_support) {
                assert_eq!(d.date.len(), 10, "{}: {}", r.build, d.date);
                assert_eq!(d.date.as_bytes()[4], b'-');
                assert_eq!(d.date.as_bytes()[7], b'-');
            }
        }
    }

    #[test]
    fn unconfirmed_rows_say_so_in_their_source() {
        for r in RELEASES.iter().filter(|r| !r.confirmed) {
            assert!(r.source.contains("unconfirmed"), "{}", r.build);
        }
        assert!(!lookup_known(26300).confirmed);
        assert!(!lookup_known(20349).confirmed);
    }

    fn lookup_known(build: u32) -> &'static Release {
        match lookup(build) {
            BuildLookup::Known(r) => r,
            other => panic!("{build}: {other:?}"),
        }
    }

    #[test]
    fn every_tag_token_maps_to_a_known_build() {
        for r in RELEASES {
            for tag in r.image_tag.iter().chain(r.other_tags) {
                assert_eq!(build_for_tag(tag), Some(r.build), "{tag}");
            }
        }
        assert_eq!(build_for_tag("LTSC2022"), Some(20348));
        assert_eq!(build_for_tag("20h2"), Some(19042));
        assert_eq!(build_for_tag("2009"), None);
    }

    #[test]
    fn every_name_maps_to_a_known_build() {
        for (name, build) in NAMES {
            assert!(matches!(lookup(*build), BuildLookup::Known(_)), "{name}");
            assert_eq!(normalise_name(name), *name, "names are stored normalised");
        }
    }

    #[test]
    fn ws2025_keeps_both_support_dates() {
        let r = lookup_known(26100);
        let dates: Vec<&str> = r.end_of_support.iter().map(|d| d.date).collect();
        assert!(dates.contains(&"2029-10-09") && dates.contains(&"2029-11-13"));
    }

    #[test]
    fn lookup_never_guesses_newer_builds() {
        assert_eq!(lookup(30000), BuildLookup::NewerThanKnown { newest: 28000 });
        assert_eq!(lookup(20344), BuildLookup::Unknown);
        assert_eq!(lookup(26300), BuildLookup::Known(lookup_known(26300)));
        assert_eq!(release_name(17763).as_deref(), Some("Windows Server 2019"));
        assert_eq!(release_name(26200).as_deref(), Some("Windows 11 25H2"));
        assert_eq!(release_name(99999), None);
    }

    #[test]
    fn release_names_are_read_case_insensitively() {
        let cases = [
            ("ltsc2016", 14393),
            ("LTSC2019", 17763),
            ("ltsc2022", 20348),
            ("ltsc2025", 26100),
            ("1607", 14393),
            ("1709", 16299),
            ("1803", 17134),
            ("1809", 17763),
            ("1903", 18362),
            ("1909", 18363),
            ("2004", 19041),
            ("20H2", 19042),
            ("21H2", 20348),
            ("23H2", 25398),
            ("24H2", 26100),
            ("25h2", 26200),
            ("Windows Server 2016", 14393),
            ("windows server 2019", 17763),
            ("Windows Server 2022", 20348),
            ("Windows Server 2025", 26100),
            ("Windows Server, version 1709", 16299),
            ("Windows 10 1809", 17763),
            ("Windows 10 version 22H2", 19045),
            ("Windows 11 24H2", 26100),
            ("Windows 11, version 21H2", 22000),
            ("  Microsoft Windows Server 2022 ", 20348),
        ];
        for (text, build) in cases {
            assert_eq!(
                parse_version_or_release(text),
                Ok(WindowsVersion::new(build, None)),
                "{text}"
            );
        }
    }

    #[test]
    fn numeric_forms_go_to_the_version_parser() {
        assert_eq!(
            parse_version_or_release("10.0.17763.1577"),
            Ok(WindowsVersion::new(17763, Some(1577)))
        );
        assert!(parse_version_or_release("banana").is_err());
        assert!(
            parse_version_or_release("22H2").is_err(),
            "ambiguous: Windows 10 or 11"
        );
        assert!(parse_version_or_release("").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,80}") {
            let _ = parse_version_or_release(&text);
        }
    }

    #[test]
    fn host_kind_hints() {
        assert_eq!(host_kind_hint(19045), Some(HostKind::Client));
        assert_eq!(host_kind_hint(26200), Some(HostKind::Client));
        assert_eq!(host_kind_hint(20348), Some(HostKind::Server));
        assert_eq!(host_kind_hint(25398), Some(HostKind::Server));
        assert_eq!(host_kind_hint(17763), None);
        assert_eq!(host_kind_hint(26100), None);
        assert_eq!(host_kind_hint(12345), None);
    }
}
