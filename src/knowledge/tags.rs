//! Base OS of an image from its tag (facts.md §3.2–§3.3), and the tag to
//! rebuild on for a host build.
//!
//! Three sourced tables drive it: [`TAG_TOKENS`] (tag token → build),
//! [`TAG_SUPPORT`] (end of support per base-image tag) and [`HOST_TARGETS`]
//! (host build and kind → which image build runs there, and how).
//!
//! This module reads image *references* only: it must not know input
//! formats (`parse/`) or how findings are printed. A tag is a claim, not
//! proof: the authoritative value is the image's `os.version`/`OsVersion`
//! (facts.md §3.2 caveat), which callers prefer when they have it.

use crate::knowledge::kb;
use crate::knowledge::rules::source;
use crate::knowledge::KNOWLEDGE_DATE;
use crate::model::image_ref::BaseFamily;
use crate::model::{HostKind, ImageRef, Isolation, WindowsVersion};

/// How sure the tag makes us of the image's OS build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagCertainty {
    /// The tag spells the version (`10.0.17763.437`, `1809-KB4493509`).
    ExactVersion,
    /// The tag names a release (`ltsc2019`, `1709`).
    ReleaseTag,
    /// Nothing in the tag says (multi-platform `4.8`, `latest`, custom).
    None,
}

/// What a tag says about the image's base OS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageBase {
    pub version: Option<WindowsVersion>,
    /// The tag token that decided it (`ltsc2019`, `1809-KB4493509`).
    pub token: Option<String>,
    pub certainty: TagCertainty,
    /// Why, when the tag needs explaining (legacy `latest`, `2009`, a KB the
    /// table does not know, a multi-platform tag).
    pub note: Option<String>,
}

/// One tag token and the build it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagToken {
    /// Lower case, as matched against a lower-cased tag token.
    pub token: &'static str,
    pub build: u32,
    pub source: &'static str,
}

const LIFECYCLE: &str = source::BASE_IMAGE_LIFECYCLE;
const LIFECYCLE_OLD: &str = source::BASE_IMAGE_LIFECYCLE_SAC;
const SAC2016: &str = "aspnet/aspnet-docker#324 (Nano Server RS1 renamed ltsc2016 → sac2016)";

/// Tag token → build, facts.md §3.2. Sorted by build, then token.
#[rustfmt::skip]
pub static TAG_TOKENS: &[TagToken] = &[
    TagToken { token: "1607",     build: 14393, source: LIFECYCLE },
    TagToken { token: "ltsc2016", build: 14393, source: LIFECYCLE },
    TagToken { token: "sac2016",  build: 14393, source: SAC2016 },
    TagToken { token: "1709",     build: 16299, source: LIFECYCLE_OLD },
    TagToken { token: "1803",     build: 17134, source: LIFECYCLE_OLD },
    TagToken { token: "1809",     build: 17763, source: LIFECYCLE_OLD },
    TagToken { token: "ltsc2019", build: 17763, source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md; docker-library/openjdk#384" },
    TagToken { token: "1903",     build: 18362, source: LIFECYCLE_OLD },
    TagToken { token: "1909",     build: 18363, source: LIFECYCLE_OLD },
    TagToken { token: "2004",     build: 19041, source: LIFECYCLE_OLD },
    TagToken { token: "20h2",     build: 19042, source: LIFECYCLE_OLD },
    TagToken { token: "ltsc2022", build: 20348, source: LIFECYCLE },
    TagToken { token: "ltsc2025", build: 26100, source: LIFECYCLE },
];

/// When a base-image tag leaves support (`YYYY-MM-DD`, last supported day
/// or end date as the source prints it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagSupport {
    pub token: &'static str,
    pub end: &'static str,
    pub source: &'static str,
}

/// End of support per image tag, facts.md §2.1 (EOS column). Sorted by
/// token build, then token (same order as [`TAG_TOKENS`]).
#[rustfmt::skip]
pub static TAG_SUPPORT: &[TagSupport] = &[
    TagSupport { token: "1607",     end: "2018-10-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (Nano Server 1607 (SAC) end)" },
    TagSupport { token: "ltsc2016", end: "2027-01-11", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (WS2016 extended 01/11/2027); https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info says 2027-01-12" },
    TagSupport { token: "sac2016",  end: "2018-10-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (Nano Server 1607 (SAC) end)" },
    TagSupport { token: "1709",     end: "2019-04-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 1709)" },
    TagSupport { token: "1803",     end: "2019-11-12", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 1803)" },
    TagSupport { token: "1809",     end: "2024-01-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (Nano Server 1809 / Server Core 1809 images supported to 01/09/2024)" },
    TagSupport { token: "ltsc2019", end: "2029-01-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (WS2019 extended 01/09/2029)" },
    TagSupport { token: "1903",     end: "2020-12-08", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 1903)" },
    TagSupport { token: "1909",     end: "2021-05-11", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 1909)" },
    TagSupport { token: "2004",     end: "2021-12-14", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 2004)" },
    TagSupport { token: "20h2",     end: "2022-08-09", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md @ 64e3c0be^ (WS 20H2)" },
    TagSupport { token: "ltsc2022", end: "2031-10-14", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (WS2022 extended)" },
    TagSupport { token: "ltsc2025", end: "2034-10-10", source: "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/base-image-lifecycle.md (WS2025 extended 10/10/2034); https://learn.microsoft.com/en-us/windows/release-health/windows-server-release-info says 2034-11-14" },
];

/// Which image build runs on a host build of a kind, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostTarget {
    pub host_build: u32,
    pub kind: HostKind,
    /// What to call the host in a sentence.
    pub host_name: &'static str,
    /// The image build to use there.
    pub image_build: u32,
    /// The isolation that image needs on that host.
    pub isolation: Isolation,
    /// Extra explanation for the reason text (may be empty).
    pub note: &'static str,
    pub source: &'static str,
}

const MATRIX: &str = source::VERSION_COMPAT;
const MATRIX_2021: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/version-compatibility.md @ ea333378 (Semi-Annual Channel host tabs)";
const WIN10_OLD: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/version-compatibility.md @ 4412583b (Windows 10 \"Supports Only hyperv isolation\"); MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/manage-containers/hyperv-container.md (process isolation on Windows 10 needs 17763+)";
const WIN10: &str = "MicrosoftDocs/Virtualization-Documentation virtualization/windowscontainers/deploy-containers/version-compatibility.md (Windows 10 tab: WS2019 Hyper-V ✅ process ❌, WS2022 ❌)";
const WIN10_NOTE: &str = "Windows 10 hosts have no process-isolated match in the current compatibility matrix; run an image of the same or an older build with Hyper-V isolation (--isolation=hyperv).";
const ENABLEMENT_NOTE: &str = "Windows 10 hosts have no process-isolated match in the current compatibility matrix; run an image of the same or an older build with Hyper-V isolation (--isolation=hyperv). Field reports (not in the docs) show 2004 (19041) images running process-isolated on 19042–19045 hosts, but 2004 images are out of support.";

/// Host build and kind → image build, sorted by host build then kind
/// (Server before Client). A build absent here is not guessed.
#[rustfmt::skip]
pub static HOST_TARGETS: &[HostTarget] = &[
    HostTarget { host_build: 14393, kind: HostKind::Server, host_name: "Windows Server 2016", image_build: 14393, isolation: Isolation::Process, note: "On Windows Server 2016 the image revision must also match the host's revision.", source: MATRIX },
    HostTarget { host_build: 14393, kind: HostKind::Client, host_name: "Windows 10 1607", image_build: 14393, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10_OLD },
    HostTarget { host_build: 15063, kind: HostKind::Client, host_name: "Windows 10 1703", image_build: 14393, isolation: Isolation::Hyperv, note: "Build 15063 is client-only: there is no server image of that build; Windows 10 hosts of that era support only Hyper-V isolation, with an image of the same or an older build.", source: WIN10_OLD },
    HostTarget { host_build: 16299, kind: HostKind::Server, host_name: "Windows Server, version 1709", image_build: 16299, isolation: Isolation::Process, note: "", source: MATRIX_2021 },
    HostTarget { host_build: 16299, kind: HostKind::Client, host_name: "Windows 10 1709", image_build: 14393, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10_OLD },
    HostTarget { host_build: 17134, kind: HostKind::Server, host_name: "Windows Server, version 1803", image_build: 17134, isolation: Isolation::Process, note: "", source: MATRIX_2021 },
    HostTarget { host_build: 17134, kind: HostKind::Client, host_name: "Windows 10 1803", image_build: 14393, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10_OLD },
    HostTarget { host_build: 17763, kind: HostKind::Server, host_name: "Windows Server 2019", image_build: 17763, isolation: Isolation::Process, note: "", source: MATRIX },
    HostTarget { host_build: 17763, kind: HostKind::Client, host_name: "Windows 10 1809", image_build: 17763, isolation: Isolation::Hyperv, note: "Windows 10 1809 and Windows Server 2019 diverged in revision after GA, so the matrix allows Hyper-V isolation only.", source: WIN10 },
    HostTarget { host_build: 18362, kind: HostKind::Server, host_name: "Windows Server, version 1903", image_build: 18362, isolation: Isolation::Process, note: "", source: MATRIX_2021 },
    HostTarget { host_build: 18362, kind: HostKind::Client, host_name: "Windows 10 1903", image_build: 17763, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10 },
    HostTarget { host_build: 18363, kind: HostKind::Server, host_name: "Windows Server, version 1909", image_build: 18363, isolation: Isolation::Process, note: "", source: MATRIX_2021 },
    HostTarget { host_build: 18363, kind: HostKind::Client, host_name: "Windows 10 1909", image_build: 17763, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10 },
    HostTarget { host_build: 19041, kind: HostKind::Server, host_name: "Windows Server, version 2004", image_build: 19041, isolation: Isolation::Process, note: "", source: MATRIX_2021 },
    HostTarget { host_build: 19041, kind: HostKind::Client, host_name: "Windows 10 2004", image_build: 17763, isolation: Isolation::Hyperv, note: WIN10_NOTE, source: WIN10 },
    HostTarget { host_build: 19042, kind: HostKind::Server, host_name: "Windows Server, version 20H2", image_build: 19042, isolation: Isolation::Process, note: "20H2 was the last Semi-Annual Channel release.", source: MATRIX_2021 },
    HostTarget { host_build: 19042, kind: HostKind::Client, host_name: "Windows 10 20H2", image_build: 17763, isolation: Isolation::Hyperv, note: ENABLEMENT_NOTE, source: "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility; MicrosoftDocs/Virtualization-Documentation#1537" },
    HostTarget { host_build: 19043, kind: HostKind::Client, host_name: "Windows 10 21H1", image_build: 17763, isolation: Isolation::Hyperv, note: ENABLEMENT_NOTE, source: "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility; MicrosoftDocs/Virtualization-Documentation#1537" },
    HostTarget { host_build: 19044, kind: HostKind::Client, host_name: "Windows 10 21H2", image_build: 17763, isolation: Isolation::Hyperv, note: ENABLEMENT_NOTE, source: "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility; microsoft/Windows-Containers#406" },
    HostTarget { host_build: 19045, kind: HostKind::Client, host_name: "Windows 10 22H2", image_build: 17763, isolation: Isolation::Hyperv, note: ENABLEMENT_NOTE, source: "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility; microsoft/Windows-Containers#406" },
    HostTarget { host_build: 20348, kind: HostKind::Server, host_name: "Windows Server 2022", image_build: 20348, isolation: Isolation::Process, note: "", source: MATRIX },
    HostTarget { host_build: 22000, kind: HostKind::Client, host_name: "Windows 11 21H2", image_build: 20348, isolation: Isolation::Process, note: "Build 22000 is client-only: Windows 11 runs ltsc2022 (20348) images with process isolation.", source: MATRIX },
    HostTarget { host_build: 22621, kind: HostKind::Client, host_name: "Windows 11 22H2", image_build: 20348, isolation: Isolation::Process, note: "Build 22621 is client-only: Windows 11 runs ltsc2022 (20348) images with process isolation.", source: MATRIX },
    HostTarget { host_build: 22631, kind: HostKind::Client, host_name: "Windows 11 23H2", image_build: 20348, isolation: Isolation::Process, note: "Build 22631 is client-only: Windows 11 runs ltsc2022 (20348) images with process isolation.", source: MATRIX },
    HostTarget { host_build: 25398, kind: HostKind::Server, host_name: "Windows Server, version 23H2", image_build: 20348, isolation: Isolation::Process, note: "A Windows Server, version 23H2 host only supports the Windows Server 2022 (ltsc2022) image.", source: source::PORTABILITY },
    HostTarget { host_build: 26100, kind: HostKind::Server, host_name: "Windows Server 2025", image_build: 26100, isolation: Isolation::Process, note: "ltsc2022 images also run process-isolated on Windows Server 2025.", source: MATRIX },
    HostTarget { host_build: 26100, kind: HostKind::Client, host_name: "Windows 11 24H2", image_build: 26100, isolation: Isolation::Process, note: "Windows 11 24H2 runs ltsc2025 images (matrix footnote) and ltsc2022 images with process isolation.", source: MATRIX },
    HostTarget { host_build: 26200, kind: HostKind::Client, host_name: "Windows 11 25H2", image_build: 20348, isolation: Isolation::Process, note: "Build 26200 is client-only. ltsc2025 images were reported failing on 25H2 with 0xc0370112 in both isolation modes (microsoft/hcsshim#2566), while ltsc2022 works; Docker/containerd builds without containerd/platforms v1.0.0-rc.5 refuse ltsc2022 on 26200 with \"no matching manifest\" (moby/moby#53397), so use a current engine.", source: "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility; microsoft/hcsshim#2566; moby/moby#53397" },
];

/// The token for `build` in the style the image uses: `1809` for Nano
/// Server (no `ltsc2019` tag is known there) or when the image already
/// said `1809`, `sac2016` for Nano Server on 14393, otherwise the LTSC or
/// SAC name (MCR spells `20H2` in upper case).
fn target_token(build: u32, nano: bool, numeric_style: bool) -> Option<&'static str> {
    Some(match build {
        14393 if nano => "sac2016",
        14393 => "ltsc2016",
        16299 => "1709",
        17134 => "1803",
        17763 if nano || numeric_style => "1809",
        17763 => "ltsc2019",
        18362 => "1903",
        18363 => "1909",
        19041 => "2004",
        19042 => "20H2",
        20348 => "ltsc2022",
        26100 => "ltsc2025",
        _ => return None,
    })
}

/// The support end of a base-image tag token (any case).
pub fn support_end(token: &str) -> Option<&'static TagSupport> {
    TAG_SUPPORT
        .iter()
        .find(|s| s.token.eq_ignore_ascii_case(token))
}

/// Is a tag token's release out of support at the knowledge date?
fn out_of_support(token: &str) -> bool {
    support_end(token).is_some_and(|s| s.end < KNOWLEDGE_DATE)
}

/// The build a release tag token means (`ltsc2019`, `20H2`; any case).
pub fn build_for_token(token: &str) -> Option<u32> {
    TAG_TOKENS
        .iter()
        .find(|t| t.token.eq_ignore_ascii_case(token))
        .map(|t| t.build)
}

/// What one tag token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// `10.0.17763.437`
    Full(WindowsVersion),
    /// `KB4493509`
    Kb(u32),
    /// `ltsc2019`, `1809`
    Release(&'a TagToken),
    /// `2009`: the ReleaseId of 20H2 and later, not a published tag.
    ReleaseId2009,
    Other,
}

fn classify(token: &str) -> Token<'static> {
    if token.starts_with("10.0.") {
        if let Ok(v) = crate::model::version::parse_any(token) {
            return Token::Full(v);
        }
    }
    if let Some(n) = kb::parse_kb(token) {
        return Token::Kb(n);
    }
    if let Some(t) = TAG_TOKENS
        .iter()
        .find(|t| t.token.eq_ignore_ascii_case(token))
    {
        return Token::Release(t);
    }
    if token == "2009" {
        return Token::ReleaseId2009;
    }
    Token::Other
}

/// A tag split on `-` and `_`, keeping each token's separator.
fn split_tag(tag: &str) -> Vec<(Option<char>, &str)> {
    let mut out = Vec::new();
    let mut sep = None;
    let mut start = 0;
    for (i, c) in tag.char_indices() {
        if c == '-' || c == '_' {
            out.push((sep, tag.get(start..i).unwrap_or("")));
            sep = Some(c);
            start = i + c.len_utf8();
        }
    }
    out.push((sep, tag.get(start..).unwrap_or("")));
    out
}

/// The temporary 2021 tag for Windows 10 21H1 hosts (facts.md §1.4).
const WIN10_PREVIEW: &str = "win10-21h1-preview";

/// Derive the base OS from a reference's tag.
///
/// - `mcr.microsoft.com/windows/servercore:ltsc2019` → 17763, ReleaseTag
/// - `…/nanoserver:1809-KB4493509` → 10.0.17763.437, ExactVersion
/// - `…/nanoserver:10.0.19041.1415-amd64` → 10.0.19041.1415, ExactVersion
/// - `…/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019` → 17763
/// - `microsoft/windowsservercore` (`latest`) → 14393, ReleaseTag + note
/// - `…/nanoserver:2009`, `…/aspnet:4.8`, `contoso/app:1.0` → None (+ note)
pub fn base_from_reference(image: &ImageRef) -> ImageBase {
    let none = |note: String| ImageBase {
        version: None,
        token: None,
        certainty: TagCertainty::None,
        note: Some(note),
    };
    if image.is_legacy_docker_hub_base() && image.tag_or_latest() == Some("latest") {
        return ImageBase {
            version: Some(WindowsVersion::new(14393, None)),
            token: Some("latest".to_owned()),
            certainty: TagCertainty::ReleaseTag,
            note: Some(format!(
                "{}:latest tracked Windows Server 2016 (14393) until 2019-04-16, when `latest` stopped being published for Windows base images (version-compatibility.md, diff 376fa8b8)",
                image.name()
            )),
        };
    }
    let Some(tag) = image.tag.as_deref() else {
        if image.digest.is_some() {
            return none("the reference pins a digest and has no tag: read the image's OsVersion with `docker image inspect`".to_owned());
        }
        return none(latest_note(image));
    };
    if tag.to_ascii_lowercase().contains(WIN10_PREVIEW) {
        return ImageBase {
            version: Some(WindowsVersion::new(20348, None)),
            token: Some(WIN10_PREVIEW.to_owned()),
            certainty: TagCertainty::ReleaseTag,
            note: Some("win10-21h1-preview was a temporary Windows Server 2022 (20348) image for Windows 10 21H1 hosts with Hyper-V isolation only; removed at Windows 11 GA (version-compatibility.md @ ea333378)".to_owned()),
        };
    }
    let mut full: Option<(WindowsVersion, &str)> = None;
    let mut kb_token: Option<(u32, &str)> = None;
    let mut release: Option<(&TagToken, &str)> = None;
    let mut saw_2009 = false;
    for (_, token) in split_tag(tag) {
        match classify(token) {
            Token::Full(v) if full.is_none() => full = Some((v, token)),
            Token::Kb(n) if kb_token.is_none() => kb_token = Some((n, token)),
            Token::Release(t) if release.is_none() => release = Some((t, token)),
            Token::ReleaseId2009 => saw_2009 = true,
            _ => {}
        }
    }
    if let Some((v, token)) = full {
        return ImageBase {
            version: Some(v),
            token: Some(token.to_owned()),
            certainty: TagCertainty::ExactVersion,
            note: None,
        };
    }
    match (release, kb_token) {
        (Some((t, token)), Some((n, kb_tok))) => {
            let joined = format!("{token}-{kb_tok}");
            match kb::version_for_kb_on(n, t.build) {
                Some(v) => ImageBase {
                    version: Some(v),
                    token: Some(joined),
                    certainty: TagCertainty::ExactVersion,
                    note: None,
                },
                None => ImageBase {
                    version: Some(WindowsVersion::new(t.build, None)),
                    token: Some(joined),
                    certainty: TagCertainty::ReleaseTag,
                    note: Some(format!(
                        "KB{n} is not in wincompat's KB table (or is not an update for build {}): the revision is unknown",
                        t.build
                    )),
                },
            }
        }
        (Some((t, token)), None) => ImageBase {
            version: Some(WindowsVersion::new(t.build, None)),
            token: Some(token.to_owned()),
            certainty: TagCertainty::ReleaseTag,
            note: None,
        },
        (None, Some((n, kb_tok))) => match kb::version_for_kb(n) {
            Some(v) => ImageBase {
                version: Some(v),
                token: Some(kb_tok.to_owned()),
                certainty: TagCertainty::ExactVersion,
                note: None,
            },
            None => none(format!("KB{n} is not in wincompat's KB table")),
        },
        (None, None) if saw_2009 => ImageBase {
            version: None,
            token: Some("2009".to_owned()),
            certainty: TagCertainty::None,
            note: Some("`2009` is not a published base-image tag: it is the ReleaseId that Windows 10 20H2 and later (and Windows 11) report; use the release tag (20H2, ltsc2022…) matching the host (abbgrade/psdocker#15)".to_owned()),
        },
        (None, None) => none(no_token_note(image, tag)),
    }
}

/// Note for a base image referenced without a tag (or with `latest`).
fn latest_note(image: &ImageRef) -> String {
    if image.is_microsoft_base() {
        "`latest` is no longer published for Windows base images (since 2019-04-16); declare a specific tag such as ltsc2022".to_owned()
    } else {
        "no tag (`latest`): the tag names no Windows release; read the image's OsVersion with `docker image inspect`".to_owned()
    }
}

/// Note for a tag without a Windows token.
fn no_token_note(image: &ImageRef, tag: &str) -> String {
    if tag == "latest" {
        return latest_note(image);
    }
    if image.registry.eq_ignore_ascii_case("mcr.microsoft.com") && looks_like_version(tag) {
        return format!(
            "`{tag}` is a multi-platform tag (manifest list): the daemon picks the entry by the host's os.version, so the tag alone does not say which Windows build runs"
        );
    }
    "the tag names no Windows release (custom tag); read the image's OsVersion with `docker image inspect`".to_owned()
}

/// `4.8`, `4.8.1`, `8.0`: a product version used as a multi-platform tag.
fn looks_like_version(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 16
        && tag
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The recommended rebuild for a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    /// The reference to build `FROM`, keeping the image's family; `None`
    /// when no server image exists for that build.
    pub reference: Option<String>,
    /// Why this tag, or why there is none.
    pub reason: String,
    /// The release is out of support (as of the knowledge date).
    pub out_of_support: bool,
    /// The isolation the recommended image needs on that host (Hyper-V on
    /// Windows 10 hosts); `None` when there is no recommendation.
    pub isolation: Option<Isolation>,
}

/// The host row for a build and kind. Unknown kind: the only row, or the
/// server row for builds shared by a server and a client release.
fn host_target(build: u32, kind: Option<HostKind>) -> Option<(&'static HostTarget, bool)> {
    let rows: Vec<&HostTarget> = HOST_TARGETS
        .iter()
        .filter(|r| r.host_build == build)
        .collect();
    match kind {
        Some(k) => rows.into_iter().find(|r| r.kind == k).map(|r| (r, false)),
        None => {
            let assumed = rows.len() > 1;
            rows.iter()
                .find(|r| r.kind == HostKind::Server)
                .or(rows.first())
                .map(|r| (*r, assumed))
        }
    }
}

/// Replace the Windows tokens of `tag` with `target`: the first release,
/// full-version or `2009` token becomes `target`, KB tokens are dropped,
/// other tokens (`4.8`, `windowsservercore`, `amd64`, dates) are kept.
/// `None` when the tag has no Windows token.
fn retag(tag: &str, target: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    if let Some(pos) = lower.find(WIN10_PREVIEW) {
        let end = pos + WIN10_PREVIEW.len();
        return Some(format!(
            "{}{target}{}",
            tag.get(..pos).unwrap_or(""),
            tag.get(end..).unwrap_or("")
        ));
    }
    let mut out = String::with_capacity(tag.len() + 8);
    let mut replaced = false;
    for (sep, token) in split_tag(tag) {
        let piece = match classify(token) {
            Token::Kb(_) => continue,
            Token::Full(_) | Token::Release(_) | Token::ReleaseId2009 if !replaced => {
                replaced = true;
                target
            }
            Token::Full(_) | Token::Release(_) | Token::ReleaseId2009 => continue,
            Token::Other => token,
        };
        if !out.is_empty() {
            if let Some(c) = sep {
                out.push(c);
            }
        }
        out.push_str(piece);
    }
    replaced.then_some(out)
}

/// Recommend the tag to rebuild `image` on for a host of `host` build,
/// keeping the image's family:
///
/// - `mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019`
///   on 20348 → `…:4.8-windowsservercore-ltsc2022`
/// - `mcr.microsoft.com/windows/servercore:ltsc2019` on 26100 → `…:ltsc2025`
/// - `mcr.microsoft.com/windows/nanoserver:1809` on 20348 → `…:ltsc2022`
/// - `mcr.microsoft.com/windows:1809` on 20348 → `mcr.microsoft.com/windows/server:ltsc2022`
/// - `contoso/app:1.0` on 17763 → `mcr.microsoft.com/windows/servercore:ltsc2019`
pub fn recommend_rebuild(
    image: &ImageRef,
    host: WindowsVersion,
    host_kind: Option<HostKind>,
) -> Rebuild {
    let Some((row, assumed_server)) = host_target(host.build, host_kind) else {
        return no_target(host, host_kind);
    };
    let base = base_from_reference(image);
    let numeric_style = base.token.as_deref().is_some_and(|t| t.starts_with("1809"));
    let nano = image.family_name() == Some("nanoserver");
    let Some(token) = target_token(row.image_build, nano, numeric_style) else {
        return no_target(host, host_kind);
    };
    let mut notes: Vec<String> = Vec::new();
    // WS2016 needs the revision to match: pin it when the host's is known
    // and the image is a base image or was pinned by version/KB already.
    let pinned_2016 = (row.image_build == 14393 && row.isolation == Isolation::Process)
        .then_some(host.revision)
        .flatten()
        .filter(|_| image.is_microsoft_base() || base.certainty == TagCertainty::ExactVersion)
        .map(|rev| format!("10.0.14393.{rev}"));
    let tag_token = pinned_2016.as_deref().unwrap_or(token);

    let reference = if let Some(family) = image.base_family() {
        base_reference(image, family, row, tag_token, &mut notes)
    } else if let Some(new_tag) = image.tag.as_deref().and_then(|t| retag(t, tag_token)) {
        notes.push(format!(
            "Check that the tag exists for this family: https://{}/v2/{}/tags/list.",
            image.registry, image.repository
        ));
        image.with_tag(&new_tag).to_string()
    } else if let Some(new_tag) = dotnet_tag(image, token) {
        notes.push(format!(
            "`{}` is a multi-platform tag; pin the Windows variant instead.",
            image.tag.as_deref().unwrap_or("latest")
        ));
        image.with_tag(&new_tag).to_string()
    } else {
        let base_ref = format!("mcr.microsoft.com/windows/servercore:{tag_token}");
        notes.push(format!(
            "The tag of {image} does not say its base image: rebuild your image on {base_ref} (change the FROM line of its Dockerfile; keep nanoserver or another family if that is what it uses, with the same tag)."
        ));
        base_ref
    };
    // A derived family that does not publish that tag: the newest one it
    // does publish that runs on the host instead (issue 9: never recommend
    // a tag Microsoft does not publish).
    let reference = match published_alternative(&reference, host, host_kind) {
        Some((instead, note)) => {
            notes.retain(|n| !n.starts_with("Check that the tag exists"));
            notes.push(note);
            instead
        }
        None => reference,
    };
    if ImageRef::parse(&reference)
        .ok()
        .and_then(|r| is_published(&r))
        .unwrap_or(false)
    {
        // Known to be published: nothing to check.
        notes.retain(|n| !n.starts_with("Check that the tag exists"));
    }
    if image.digest.is_some() {
        notes.push("The digest pin was dropped: it would select the old image.".to_owned());
    }
    if base.certainty == TagCertainty::ExactVersion && row.image_build != 14393 {
        notes.push("Outside Windows Server 2016 the revision does not need to match the host (1809 and later), so a release tag is enough.".to_owned());
    }

    let out = out_of_support(token);
    let mut reason = format!(
        "A {} host (build {}{}) runs {} images (build {}) with {} isolation.",
        row.host_name,
        host.build,
        if assumed_server {
            "; assumed to be a server, as the input did not say"
        } else {
            ""
        },
        token,
        row.image_build,
        match row.isolation {
            Isolation::Process => "process",
            Isolation::Hyperv => "Hyper-V",
        }
    );
    if row.isolation == Isolation::Hyperv && !row.note.contains("--isolation=hyperv") {
        reason.push_str(" Run it with --isolation=hyperv.");
    }
    if !row.note.is_empty() {
        reason.push(' ');
        reason.push_str(row.note);
    }
    if pinned_2016.is_some() {
        reason.push_str(" The tag pins the host's revision.");
    } else if row.image_build == 14393
        && host.revision.is_none()
        && row.isolation == Isolation::Process
    {
        reason.push_str(" The host's revision is unknown: use the 10.0.14393.<revision> tag matching the host's revision.");
    }
    for note in notes {
        reason.push(' ');
        reason.push_str(&note);
    }
    if out {
        // One sentence says it, with the date when the table has one (the
        // caller never adds its own "out of support": issue 13).
        match support_end(token) {
            Some(s) => reason.push_str(&format!(
                " The {token} image left support on {}; consider moving the workload to a supported host (Windows Server 2022 or 2025). Support dates: {}.",
                s.end, s.source
            )),
            None => reason.push_str(" That release is out of support."),
        }
    }
    Rebuild {
        reference: Some(reference),
        reason,
        out_of_support: out,
        isolation: Some(row.isolation),
    }
}

/// The recommendation for a Microsoft base image: the same family's MCR
/// repository, or the nearest family that has an image for that build.
fn base_reference(
    image: &ImageRef,
    family: BaseFamily,
    row: &HostTarget,
    tag_token: &str,
    notes: &mut Vec<String>,
) -> String {
    let build = row.image_build;
    if image.is_insider() {
        notes.push(
            "Insider images are for Insider hosts only; this is the released image.".to_owned(),
        );
    }
    if image.is_legacy_docker_hub_base() {
        notes.push(format!(
            "{} moved to mcr.microsoft.com/{} in 2019.",
            image.name(),
            family.mcr_repository()
        ));
    }
    // Keep an architecture suffix the image used (`ltsc2019-amd64`).
    let suffix = image
        .tag
        .as_deref()
        .filter(|t| t.to_ascii_lowercase().ends_with("-amd64"))
        .map_or("", |_| "-amd64");
    let mcr = |f: BaseFamily, tag: &str| {
        format!("mcr.microsoft.com/{}:{tag}{suffix}", f.mcr_repository())
    };
    match family {
        BaseFamily::Windows if build == 20348 || build == 26100 => {
            let name = if build == 20348 {
                "Windows Server 2022"
            } else {
                "Windows Server 2025"
            };
            notes.push(format!(
                "The Windows image isn't available for {name} (container-base-images.md): use mcr.microsoft.com/windows/server, its Desktop Experience based successor, or windows/servercore if it is enough."
            ));
            mcr(BaseFamily::Server, tag_token)
        }
        BaseFamily::Windows if build == 14393 => {
            notes.push(
                "The Windows image starts with 1809; for build 14393 use windows/servercore."
                    .to_owned(),
            );
            mcr(BaseFamily::ServerCore, tag_token)
        }
        BaseFamily::Server if build != 20348 && build != 26100 => {
            if build == 17763 {
                notes.push("windows/server exists only for ltsc2022 and ltsc2025; the full Windows image mcr.microsoft.com/windows is its 1809-era counterpart (or windows/servercore if it is enough).".to_owned());
                mcr(BaseFamily::Windows, tag_token)
            } else {
                notes.push("windows/server exists only for ltsc2022 and ltsc2025; use windows/servercore for this build.".to_owned());
                mcr(BaseFamily::ServerCore, tag_token)
            }
        }
        BaseFamily::NanoServer if build == 14393 => {
            notes.push("Nano Server for build 14393 (sac2016) left support on 2018-10-09; consider windows/servercore:ltsc2016.".to_owned());
            mcr(family, tag_token)
        }
        _ => mcr(family, tag_token),
    }
}

/// `.NET` multi-platform tags (`4.8`, `8.0`) → the Windows variant for a
/// build (`4.8-windowsservercore-ltsc2022`, `8.0-nanoserver-ltsc2022`).
/// `.NET` multi-platform tags exclude Windows (dotnet/dotnet-docker
/// supported-tags.md); .NET Framework's list only some Windows versions.
fn dotnet_tag(image: &ImageRef, token: &str) -> Option<String> {
    if !image.registry.eq_ignore_ascii_case("mcr.microsoft.com") {
        return None;
    }
    let tag = image.tag.as_deref().filter(|t| looks_like_version(t))?;
    if image.repository.starts_with("dotnet/framework/") {
        Some(format!("{tag}-windowsservercore-{token}"))
    } else if image.repository.starts_with("dotnet/") {
        Some(format!("{tag}-nanoserver-{token}"))
    } else {
        None
    }
}

/// Which Windows tags Microsoft publishes for one product version of a
/// derived image family: `<product>[-<date>]-<variant>-<os token>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedTags {
    /// Repository prefix on mcr.microsoft.com (`dotnet/framework/`).
    pub repository_prefix: &'static str,
    /// Product version, the tag's first token (`4.8`, `8.0`).
    pub product: &'static str,
    /// `windowsservercore` or `nanoserver`.
    pub variant: &'static str,
    /// The OS tokens published, oldest first.
    pub os_tokens: &'static [&'static str],
    pub source: &'static str,
}

const DOTNET_FX: &str =
    "microsoft/dotnet-framework-docker README.aspnet.md, documentation/supported-tags.md";
const DOTNET: &str = "dotnet/dotnet-docker README.aspnet.md, manifest.json osVersion values";

/// Published Windows tags of the derived families whose tags carry the OS
/// release. `dotnet/` rows cover runtime-deps, runtime, aspnet and sdk;
/// `dotnet/framework/` rows cover runtime, aspnet, sdk, wcf. A family or
/// product version not listed here is not judged (the tag list is named).
#[rustfmt::skip]
pub static PUBLISHED_TAGS: &[PublishedTags] = &[
    PublishedTags { repository_prefix: "dotnet/framework/", product: "4.8",   variant: "windowsservercore", os_tokens: &["ltsc2016", "ltsc2019", "ltsc2022"], source: DOTNET_FX },
    PublishedTags { repository_prefix: "dotnet/framework/", product: "4.8.1", variant: "windowsservercore", os_tokens: &["ltsc2022", "ltsc2025"], source: DOTNET_FX },
    PublishedTags { repository_prefix: "dotnet/", product: "8.0",  variant: "nanoserver",        os_tokens: &["1809", "ltsc2022", "ltsc2025"], source: DOTNET },
    PublishedTags { repository_prefix: "dotnet/", product: "8.0",  variant: "windowsservercore", os_tokens: &["ltsc2019", "ltsc2022", "ltsc2025"], source: DOTNET },
    PublishedTags { repository_prefix: "dotnet/", product: "9.0",  variant: "nanoserver",        os_tokens: &["1809", "ltsc2022", "ltsc2025"], source: DOTNET },
    PublishedTags { repository_prefix: "dotnet/", product: "9.0",  variant: "windowsservercore", os_tokens: &["ltsc2019", "ltsc2022", "ltsc2025"], source: DOTNET },
    PublishedTags { repository_prefix: "dotnet/", product: "10.0", variant: "nanoserver",        os_tokens: &["ltsc2022", "ltsc2025"], source: DOTNET },
    PublishedTags { repository_prefix: "dotnet/", product: "10.0", variant: "windowsservercore", os_tokens: &["ltsc2022", "ltsc2025"], source: DOTNET },
];

/// The published-tags row of a reference, with its tag's OS token.
fn published_row(image: &ImageRef) -> Option<(&'static PublishedTags, String)> {
    if !image.registry.eq_ignore_ascii_case("mcr.microsoft.com") {
        return None;
    }
    let tag = image.tag.as_deref()?;
    let parts: Vec<&str> = tag.split('-').collect();
    let (product, os) = (parts.first()?, parts.last()?);
    let variant = parts.iter().find(|p| {
        p.eq_ignore_ascii_case("windowsservercore") || p.eq_ignore_ascii_case("nanoserver")
    })?;
    // The longest repository prefix decides (`dotnet/framework/` over `dotnet/`).
    let row = PUBLISHED_TAGS
        .iter()
        .filter(|r| {
            image.repository.starts_with(r.repository_prefix)
                && (r.repository_prefix != "dotnet/"
                    || !image.repository.starts_with("dotnet/framework/"))
                && r.product == *product
                && r.variant.eq_ignore_ascii_case(variant)
        })
        .max_by_key(|r| r.repository_prefix.len())?;
    Some((row, (*os).to_owned()))
}

/// Whether Microsoft publishes this tag, when its family is in
/// [`PUBLISHED_TAGS`]: `None` when the family or version is not listed.
pub fn is_published(image: &ImageRef) -> Option<bool> {
    let (row, os) = published_row(image)?;
    Some(row.os_tokens.iter().any(|t| t.eq_ignore_ascii_case(&os)))
}

/// For a recommended reference whose tag the family does not publish: the
/// newest published tag of the same product version that runs on the host,
/// and a note saying which and why (naming the product version that does
/// publish the host's release, if one does).
fn published_alternative(
    reference: &str,
    host: WindowsVersion,
    host_kind: Option<HostKind>,
) -> Option<(String, String)> {
    let image = ImageRef::parse(reference).ok()?;
    let (row, os) = published_row(&image)?;
    if row.os_tokens.iter().any(|t| t.eq_ignore_ascii_case(&os)) {
        return None;
    }
    let tag = image.tag.as_deref()?;
    let runs_here = |token: &str| {
        build_for_token(token).is_some_and(|b| {
            crate::knowledge::compat::can_run(
                host,
                host_kind,
                WindowsVersion::new(b, None),
                Isolation::Process,
            )
        })
    };
    let other_product = PUBLISHED_TAGS
        .iter()
        .find(|r| {
            r.repository_prefix == row.repository_prefix
                && r.variant == row.variant
                && r.product != row.product
                && r.os_tokens.iter().any(|t| t.eq_ignore_ascii_case(&os))
        })
        .map(|r| {
            let t = format!("{}-{}-{os}", r.product, r.variant);
            image.with_tag(&t).to_string()
        });
    let newest = row.os_tokens.iter().rev().find(|t| runs_here(t))?;
    let retagged = tag.get(..tag.len() - os.len())?.to_owned() + newest;
    let instead = image.with_tag(&retagged).to_string();
    let mut note = format!(
        "{} publishes no {os} tag for {} ({}); {instead} is the newest published tag that runs on this host.",
        image.name(),
        row.product,
        row.source
    );
    if let Some(other) = other_product {
        note.push_str(&format!(
            " {other} exists for {os} if the application can move to it."
        ));
    }
    Some((instead, note))
}

/// No image build is known for this host.
fn no_target(host: WindowsVersion, host_kind: Option<HostKind>) -> Rebuild {
    let newest = HOST_TARGETS.iter().map(|r| r.host_build).max().unwrap_or(0);
    let reason = if host.build > newest {
        format!(
            "Build {} is newer than every build wincompat knows (knowledge date {KNOWLEDGE_DATE}); check the compatibility matrix (learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility) for which base image it runs.",
            host.build
        )
    } else if host_kind == Some(HostKind::Server)
        && HOST_TARGETS.iter().any(|r| r.host_build == host.build)
    {
        format!(
            "Build {} is not a Windows Server build; no server image exists for it.",
            host.build
        )
    } else {
        format!(
            "Build {} is not a released Windows build wincompat knows (an Insider build?); Insider hosts run the matching image from mcr.microsoft.com/windows/servercore/insider.",
            host.build
        )
    };
    Rebuild {
        reference: None,
        reason,
        out_of_support: false,
        isolation: None,
    }
}

/// The LTSC base-image tags with their builds, oldest first, from the
/// release table: `ltsc2016 for 14393, ltsc2019 for 17763, …`.
pub fn ltsc_tag_list() -> String {
    crate::knowledge::releases::RELEASES
        .iter()
        .filter_map(|r| {
            r.image_tag
                .filter(|t| t.starts_with("ltsc"))
                .map(|t| format!("{t} for {}", r.build))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_recommends_a_tag_the_family_does_not_publish() {
        let aspnet = ImageRef::parse(
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
        )
        .expect("reference");
        let on_2025 = recommend_rebuild(
            &aspnet,
            WindowsVersion::new(26100, None),
            Some(HostKind::Server),
        );
        assert_eq!(
            on_2025.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
        assert!(on_2025.reason.contains("publishes no ltsc2025 tag for 4.8"));
        assert!(on_2025
            .reason
            .contains("aspnet:4.8.1-windowsservercore-ltsc2025 exists"));
        let on_2022 = recommend_rebuild(
            &aspnet,
            WindowsVersion::new(20348, None),
            Some(HostKind::Server),
        );
        assert_eq!(
            on_2022.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
        assert!(!on_2022.reason.contains("Check that the tag exists"));
        let published = |r: &str| is_published(&ImageRef::parse(r).expect("reference"));
        assert_eq!(
            published("mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-1809"),
            Some(false)
        );
        assert_eq!(
            published("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809"),
            Some(true)
        );
        assert_eq!(published("contoso/app:1.0-ltsc2019"), None);
    }

    fn base(reference: &str) -> ImageBase {
        base_from_reference(&ImageRef::parse(reference).unwrap())
    }

    fn rebuild(reference: &str, host: &str, kind: Option<HostKind>) -> Rebuild {
        let host = crate::model::version::parse_any(host).unwrap();
        recommend_rebuild(&ImageRef::parse(reference).unwrap(), host, kind)
    }

    fn release(build: u32) -> Option<WindowsVersion> {
        Some(WindowsVersion::new(build, None))
    }

    #[test]
    fn ltsc_tags() {
        for (tag, build) in [
            ("ltsc2016", 14393),
            ("ltsc2019", 17763),
            ("ltsc2022", 20348),
            ("ltsc2025", 26100),
        ] {
            let got = base(&format!("mcr.microsoft.com/windows/servercore:{tag}"));
            assert_eq!(got.version, release(build), "{tag}");
            assert_eq!(got.certainty, TagCertainty::ReleaseTag);
            assert_eq!(got.token.as_deref(), Some(tag));
        }
    }

    #[test]
    fn sac_tags_any_case() {
        for (tag, build) in [
            ("1607", 14393),
            ("sac2016", 14393),
            ("1709", 16299),
            ("1803", 17134),
            ("1809", 17763),
            ("1903", 18362),
            ("1909", 18363),
            ("2004", 19041),
            ("20H2", 19042),
            ("20h2", 19042),
        ] {
            let got = base(&format!("mcr.microsoft.com/windows/nanoserver:{tag}"));
            assert_eq!(got.version, release(build), "{tag}");
            assert_eq!(got.certainty, TagCertainty::ReleaseTag, "{tag}");
        }
    }

    #[test]
    fn full_version_tags() {
        let got = base("mcr.microsoft.com/windows/nanoserver:10.0.17763.437");
        assert_eq!(got.version, Some(WindowsVersion::new(17763, Some(437))));
        assert_eq!(got.certainty, TagCertainty::ExactVersion);
        let got = base("mcr.microsoft.com/windows/nanoserver:10.0.19041.1415-amd64");
        assert_eq!(got.version, Some(WindowsVersion::new(19041, Some(1415))));
        assert_eq!(got.token.as_deref(), Some("10.0.19041.1415"));
        let got = base("mcr.microsoft.com/windows:10.0.19042.1889-amd64");
        assert_eq!(got.version, Some(WindowsVersion::new(19042, Some(1889))));
        let got = base("mcr.microsoft.com/businesscentral:10.0.19041.985");
        assert_eq!(got.version, Some(WindowsVersion::new(19041, Some(985))));
        let got = base("mcr.microsoft.com/windows/server/insider:10.0.20344.1");
        assert_eq!(got.version, Some(WindowsVersion::new(20344, Some(1))));
    }

    #[test]
    fn older_ecosystem_style_full_version() {
        let got = base("contoso/aspnet:4.6.2-windowsservercore-10.0.14393.1066");
        assert_eq!(got.version, Some(WindowsVersion::new(14393, Some(1066))));
        assert_eq!(got.certainty, TagCertainty::ExactVersion);
        let got = base("microsoft/iis:windowsservercore-10.0.14393.1715");
        assert_eq!(got.version, Some(WindowsVersion::new(14393, Some(1715))));
    }

    #[test]
    fn kb_tags_with_dash_and_underscore() {
        let got = base("mcr.microsoft.com/windows/nanoserver:1809-KB4493509");
        assert_eq!(got.version, Some(WindowsVersion::new(17763, Some(437))));
        assert_eq!(got.certainty, TagCertainty::ExactVersion);
        assert_eq!(got.token.as_deref(), Some("1809-KB4493509"));
        let got = base("microsoft/windowsservercore:ltsc2016_KB4053579");
        assert_eq!(got.version, Some(WindowsVersion::new(14393, Some(1944))));
        // A KB the table does not know: release build, revision unknown.
        let got = base("microsoft/nanoserver:1709_KB4043961");
        assert_eq!(got.version, release(16299));
        assert_eq!(got.certainty, TagCertainty::ReleaseTag);
        assert!(got.note.unwrap().contains("KB4043961"));
        // A KB of another build than the release token: not trusted.
        let got = base("mcr.microsoft.com/windows/servercore:ltsc2022-KB4493509");
        assert_eq!(got.version, release(20348));
        assert_eq!(got.certainty, TagCertainty::ReleaseTag);
    }

    #[test]
    fn family_suffixes_and_arch() {
        for (reference, build) in [
            ("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019", 17763),
            ("mcr.microsoft.com/dotnet/framework/aspnet:4.8-20260714-windowsservercore-ltsc2019", 17763),
            ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809", 17763),
            ("mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022", 20348),
            ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019", 17763),
            ("python:3-windowsservercore-ltsc2016", 14393),
            ("mcr.microsoft.com/windows/servercore:ltsc2025-amd64", 26100),
            ("mcr.microsoft.com/windows/servercore:1809-amd64", 17763),
            ("contosoacr.azurecr.io/shop/web:nl-ltsc2019", 17763),
            ("mcr.microsoft.com/dotnet-buildtools/prereqs:windowsservercore-2004-helix-amd64-20200904200251-272704c", 19041),
        ] {
            let got = base(reference);
            assert_eq!(got.version, release(build), "{reference}");
            assert_eq!(got.certainty, TagCertainty::ReleaseTag, "{reference}");
        }
    }

    #[test]
    fn multi_platform_and_custom_tags_say_nothing() {
        for reference in [
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/framework/sdk:latest",
            "contoso/app:1.0",
            "contoso/app",
            "mcr.microsoft.com/windows/servercore",
        ] {
            let got = base(reference);
            assert_eq!(got.version, None, "{reference}");
            assert_eq!(got.certainty, TagCertainty::None, "{reference}");
            assert!(got.note.is_some(), "{reference}");
        }
        assert!(base("mcr.microsoft.com/dotnet/framework/aspnet:4.8")
            .note
            .unwrap()
            .contains("multi-platform"));
        assert!(base("mcr.microsoft.com/windows/servercore:latest")
            .note
            .unwrap()
            .contains("2019-04-16"));
    }

    #[test]
    fn legacy_docker_hub_latest_is_ws2016() {
        for reference in ["microsoft/windowsservercore:latest", "microsoft/nanoserver"] {
            let got = base(reference);
            assert_eq!(got.version, release(14393), "{reference}");
            assert_eq!(got.certainty, TagCertainty::ReleaseTag);
            assert!(got.note.unwrap().contains("2019-04-16"));
        }
        // Legacy repositories with a real tag read the tag.
        assert_eq!(
            base("microsoft/windowsservercore:1709").version,
            release(16299)
        );
    }

    #[test]
    fn win10_21h1_preview_and_2009() {
        let got = base("mcr.microsoft.com/windows/servercore:win10-21h1-preview");
        assert_eq!(got.version, release(20348));
        assert_eq!(got.certainty, TagCertainty::ReleaseTag);
        assert!(got.note.unwrap().contains("Hyper-V"));
        let got = base("mcr.microsoft.com/windows/nanoserver:2009");
        assert_eq!(got.version, None);
        assert_eq!(got.certainty, TagCertainty::None);
        assert_eq!(got.token.as_deref(), Some("2009"));
        assert!(got.note.unwrap().contains("ReleaseId"));
    }

    #[test]
    fn rebuild_dotnet_framework_on_ws2022() {
        let got = rebuild(
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
            "10.0.20348.3453",
            Some(HostKind::Server),
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
        assert!(!got.out_of_support);
        assert_eq!(got.isolation, Some(Isolation::Process));
        // Known to be published (PUBLISHED_TAGS): no "check the tag list".
        assert!(!got.reason.contains("tags/list"), "{}", got.reason);
    }

    #[test]
    fn rebuild_servercore_on_ws2025() {
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "10.0.26100.3476",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2025")
        );
        assert!(got.reason.contains("Windows Server 2025"), "{}", got.reason);
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2019-amd64",
            "10.0.26100",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2025-amd64")
        );
    }

    #[test]
    fn rebuild_nanoserver() {
        let got = rebuild(
            "mcr.microsoft.com/windows/nanoserver:1809",
            "10.0.20348",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:ltsc2022")
        );
        // Nano Server on a 17763 host keeps the `1809` tag, which is out of
        // support since 2024-01-09.
        let got = rebuild(
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "10.0.17763.805",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:1809")
        );
        assert!(got.out_of_support);
        assert!(got.reason.contains("2024-01-09"), "{}", got.reason);
        let got = rebuild(
            "mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022",
            "10.0.17763",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-1809")
        );
    }

    #[test]
    fn rebuild_kb_and_full_version_tags() {
        let got = rebuild(
            "mcr.microsoft.com/windows/nanoserver:1809-KB4493509",
            "10.0.20348.707",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:ltsc2022")
        );
        assert!(
            got.reason.contains("revision does not need to match"),
            "{}",
            got.reason
        );
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:10.0.17763.437",
            "10.0.26100.3775",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2025")
        );
    }

    #[test]
    fn rebuild_on_ws2016_pins_the_host_revision() {
        let got = rebuild(
            "microsoft/nanoserver:10.0.14393.1770",
            "10.0.14393.1944",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:10.0.14393.1944")
        );
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "10.0.14393.1944",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:10.0.14393.1944")
        );
        assert!(
            got.reason.contains("pins the host's revision"),
            "{}",
            got.reason
        );
        let got = rebuild(
            "contoso/aspnet:4.6.2-windowsservercore-10.0.14393.1066",
            "10.0.14393.1944",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("contoso/aspnet:4.6.2-windowsservercore-10.0.14393.1944")
        );
        // Revision unknown: the release tag, and the reason says to match it.
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "10.0.14393",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2016")
        );
        assert!(
            got.reason.contains("10.0.14393.<revision>"),
            "{}",
            got.reason
        );
    }

    #[test]
    fn rebuild_windows_image_on_ws2022_and_ws2025() {
        let got = rebuild("mcr.microsoft.com/windows:1809", "10.0.20348", None);
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/server:ltsc2022")
        );
        assert!(got
            .reason
            .contains("The Windows image isn't available for Windows Server 2022"));
        let got = rebuild("mcr.microsoft.com/windows:ltsc2019", "10.0.26100", None);
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/server:ltsc2025")
        );
        assert!(got.reason.contains("Windows Server 2025"));
    }

    #[test]
    fn rebuild_windows_server_image_on_older_hosts() {
        let got = rebuild(
            "mcr.microsoft.com/windows/server:ltsc2022",
            "10.0.17763",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows:ltsc2019")
        );
        assert!(got.reason.contains("only for ltsc2022 and ltsc2025"));
        let got = rebuild(
            "mcr.microsoft.com/windows/server:ltsc2025",
            "10.0.14393.100",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:10.0.14393.100")
        );
    }

    #[test]
    fn rebuild_on_windows_11_hosts() {
        for host in ["10.0.22000", "10.0.22621.963", "10.0.22631"] {
            let got = rebuild("mcr.microsoft.com/windows/servercore:ltsc2019", host, None);
            assert_eq!(
                got.reference.as_deref(),
                Some("mcr.microsoft.com/windows/servercore:ltsc2022"),
                "{host}"
            );
            assert_eq!(got.isolation, Some(Isolation::Process));
            assert!(got.reason.contains("client-only"), "{}", got.reason);
        }
        let got = rebuild(
            "mcr.microsoft.com/windows/server:ltsc2025",
            "10.0.26200.7171",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/server:ltsc2022")
        );
        assert!(got.reason.contains("0xc0370112"));
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            "10.0.26100",
            Some(HostKind::Client),
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2025")
        );
        assert!(got.reason.contains("Windows 11 24H2"));
    }

    #[test]
    fn rebuild_on_windows_10_hosts_is_hyperv_with_an_older_image() {
        for host in ["10.0.19043", "10.0.19044", "10.0.19045.5000"] {
            let got = rebuild("mcr.microsoft.com/windows/servercore:ltsc2022", host, None);
            assert_eq!(
                got.reference.as_deref(),
                Some("mcr.microsoft.com/windows/servercore:ltsc2019"),
                "{host}"
            );
            assert_eq!(got.isolation, Some(Isolation::Hyperv));
            assert!(got.reason.contains("--isolation=hyperv"));
            assert!(got.reason.contains("no process-isolated match"));
        }
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "10.0.15063",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2016")
        );
        assert_eq!(got.isolation, Some(Isolation::Hyperv));
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "10.0.17763",
            Some(HostKind::Client),
        );
        assert_eq!(got.isolation, Some(Isolation::Hyperv));
    }

    #[test]
    fn rebuild_on_sac_hosts_is_out_of_support() {
        for (host, tag) in [
            ("10.0.16299", "1709"),
            ("10.0.17134", "1803"),
            ("10.0.18362", "1903"),
            ("10.0.18363", "1909"),
            ("10.0.19041", "2004"),
            ("10.0.19042", "20H2"),
        ] {
            let got = rebuild(
                "mcr.microsoft.com/windows/servercore:ltsc2019",
                host,
                Some(HostKind::Server),
            );
            assert_eq!(
                got.reference,
                Some(format!("mcr.microsoft.com/windows/servercore:{tag}")),
                "{host}"
            );
            assert!(got.out_of_support, "{host}");
        }
        // A `2009` tag on a 20H2 server becomes the real tag.
        let got = rebuild(
            "mcr.microsoft.com/windows/nanoserver:2009",
            "10.0.19042",
            Some(HostKind::Server),
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/nanoserver:20H2")
        );
    }

    #[test]
    fn rebuild_ws_23h2_uses_ltsc2022() {
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2025",
            "10.0.25398",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2022")
        );
    }

    #[test]
    fn rebuild_custom_image_names_the_base_os_line() {
        let got = rebuild("contoso/billing:2.3", "10.0.17763.1577", None);
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert!(
            got.reason.contains("rebuild your image on"),
            "{}",
            got.reason
        );
        // A custom image whose tag carries a release keeps its own name.
        let got = rebuild(
            "contosoacr.azurecr.io/shop/web:nl-ltsc2019",
            "10.0.20348",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("contosoacr.azurecr.io/shop/web:nl-ltsc2022")
        );
    }

    #[test]
    fn rebuild_dotnet_multi_platform_tags_pin_the_windows_variant() {
        let got = rebuild(
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            "10.0.20348",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
        let got = rebuild("mcr.microsoft.com/dotnet/aspnet:8.0", "10.0.26100", None);
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2025")
        );
    }

    #[test]
    fn rebuild_legacy_and_insider_and_digest() {
        let got = rebuild(
            "microsoft/windowsservercore:1709_KB4043961",
            "10.0.17763",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert!(got
            .reason
            .contains("moved to mcr.microsoft.com/windows/servercore"));
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore/insider:10.0.20344.1",
            "10.0.20348",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2022")
        );
        let digest = "a".repeat(64);
        let got = rebuild(
            &format!("mcr.microsoft.com/windows/servercore:ltsc2019@sha256:{digest}"),
            "10.0.20348",
            None,
        );
        assert_eq!(
            got.reference.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2022")
        );
        assert!(got.reason.contains("digest"));
    }

    #[test]
    fn no_recommendation_for_unknown_or_newer_builds() {
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2025",
            "10.0.30000",
            None,
        );
        assert_eq!(got.reference, None);
        assert!(got.reason.contains("newer than every build"));
        let got = rebuild(
            "mcr.microsoft.com/windows/nanoserver:1709",
            "10.0.16278",
            None,
        );
        assert_eq!(got.reference, None);
        assert!(got.reason.contains("Insider"));
        let got = rebuild(
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "10.0.22621",
            Some(HostKind::Server),
        );
        assert_eq!(got.reference, None);
    }

    #[test]
    fn retag_keeps_other_tokens() {
        assert_eq!(
            retag("4.8-20260714-windowsservercore-ltsc2019", "ltsc2022").as_deref(),
            Some("4.8-20260714-windowsservercore-ltsc2022")
        );
        assert_eq!(
            retag("1809_KB4493509", "ltsc2022").as_deref(),
            Some("ltsc2022")
        );
        assert_eq!(
            retag("KB4493509-1809", "ltsc2022").as_deref(),
            Some("ltsc2022")
        );
        assert_eq!(
            retag("10.0.19041.1415-amd64", "ltsc2022").as_deref(),
            Some("ltsc2022-amd64")
        );
        assert_eq!(
            retag("win10-21h1-preview", "ltsc2022").as_deref(),
            Some("ltsc2022")
        );
        assert_eq!(retag("1.0", "ltsc2022"), None);
        assert_eq!(retag("", "ltsc2022"), None);
    }

    #[test]
    fn tag_tokens_sorted_unique_sourced_and_agree_with_releases() {
        for pair in TAG_TOKENS.windows(2) {
            assert!(
                (pair[0].build, pair[0].token) < (pair[1].build, pair[1].token),
                "{:?} then {:?}",
                pair[0],
                pair[1]
            );
        }
        for t in TAG_TOKENS {
            assert!(!t.source.is_empty());
            assert_eq!(t.token, t.token.to_ascii_lowercase());
            // knowledge::releases must read the token the same way.
            assert_eq!(
                crate::knowledge::releases::build_for_tag(t.token),
                Some(t.build),
                "{}",
                t.token
            );
            // Every token has a support row.
            assert!(support_end(t.token).is_some(), "{}", t.token);
        }
    }

    #[test]
    fn support_table_sorted_like_tokens_and_sourced() {
        let order = |token: &str| {
            TAG_TOKENS
                .iter()
                .position(|t| t.token == token)
                .unwrap_or(usize::MAX)
        };
        for pair in TAG_SUPPORT.windows(2) {
            assert!(order(pair[0].token) < order(pair[1].token), "{pair:?}");
        }
        for s in TAG_SUPPORT {
            assert!(!s.source.is_empty());
            assert_eq!(s.end.len(), 10, "{s:?}");
            assert!(s.end.as_bytes().get(4) == Some(&b'-'), "{s:?}");
        }
        assert!(out_of_support("1709"));
        assert!(out_of_support("20H2"));
        assert!(!out_of_support("ltsc2019"));
        assert!(!out_of_support("ltsc2016"));
    }

    #[test]
    fn host_targets_sorted_unique_sourced_with_a_tag() {
        let kind_order = |k: HostKind| u8::from(k == HostKind::Client);
        for pair in HOST_TARGETS.windows(2) {
            let a = (pair[0].host_build, kind_order(pair[0].kind));
            let b = (pair[1].host_build, kind_order(pair[1].kind));
            assert!(a < b, "{:?} then {:?}", pair[0], pair[1]);
        }
        for row in HOST_TARGETS {
            assert!(!row.source.is_empty());
            // Never recommend an image newer than the host.
            assert!(row.image_build <= row.host_build, "{row:?}");
            assert!(
                target_token(row.image_build, false, false).is_some(),
                "{row:?}"
            );
            assert!(
                target_token(row.image_build, true, false).is_some(),
                "{row:?}"
            );
        }
    }

    #[test]
    fn never_panics_on_odd_tags() {
        for tag in [
            "-",
            "_",
            "--",
            "a-_-b",
            "10.0.",
            "10.0.99999999999999999999",
            "KB",
            "ltsc2019-",
        ] {
            let r = ImageRef {
                registry: "docker.io".to_owned(),
                repository: "contoso/app".to_owned(),
                tag: Some(tag.to_owned()),
                digest: None,
            };
            let _ = base_from_reference(&r);
            let _ = recommend_rebuild(&r, WindowsVersion::new(20348, None), None);
        }
    }
}

// ---------------------------------------------------------------------------
// Linux-only images
// ---------------------------------------------------------------------------
//
// Convention (not a table of builds): Docker Official Images name their Linux
// variants after the distribution or its release codename — `-alpine`,
// `-alpine3.20`, `-slim`, `-bookworm`, `-bullseye`, `-slim-bookworm` (Debian
// suites), `-jammy`, `-noble`, `-focal` (Ubuntu codenames) — and their
// Windows variants after the Windows base (`-windowsservercore-ltsc2022`,
// `-nanoserver-1809`); see docker-library/docs `<image>/variant-*.md` and
// facts.md §3.3 (Docker Official Images' Windows variants). .NET publishes
// `-alpine`, `-bookworm-slim`, `-jammy`, `-noble`, `-jammy-chiseled`,
// `-azurelinux3.0`, `-cbl-mariner2.0` the same way (dotnet/dotnet-docker
// README tags). A tag with one of these tokens and no Windows token names an
// image with no Windows entry, so "no matching manifest for windows/…" on it
// means a Linux image on a Windows engine, not a Windows version mismatch.

/// Tag tokens (split on `-`/`_`, lower case) that name a Linux variant.
/// A token also matches with a version run after it (`alpine3.20`,
/// `azurelinux3.0`, `ubi9`). Please keep this list sorted.
#[rustfmt::skip]
pub static LINUX_VARIANT_TOKENS: &[&str] = &[
    "almalinux", "alpine", "amazonlinux", "azurelinux", "bionic", "bookworm",
    "bullseye", "buster", "centos", "chiseled", "debian", "distroless",
    "fedora", "focal", "jammy", "jessie", "mariner", "noble", "oraclelinux",
    "rockylinux", "slim", "stretch", "trixie", "ubi", "ubuntu", "xenial",
];

/// Where the Linux-only lists come from, as a report cites it.
pub const LINUX_ONLY_SOURCE: &str =
    "docker-library/official-images library/<name> (Linux architectures only)";

/// Docker Hub official repositories that publish Linux images only (no
/// Windows entry in any tag's manifest list). Please keep this list sorted.
#[rustfmt::skip]
pub static LINUX_ONLY_REPOSITORIES: &[&str] = &[
    "almalinux", "alpine", "amazonlinux", "archlinux", "busybox", "centos",
    "debian", "fedora", "oraclelinux", "rockylinux", "ubuntu",
];

/// Whether a tag token is `token` or `token` followed by a version
/// (`alpine3.20`, `ubi9`).
fn is_variant_token(word: &str, token: &str) -> bool {
    word.strip_prefix(token)
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Whether a tag token names a Windows base (`windowsservercore`,
/// `nanoserver`, `ltsc2022`, `1809`, `10.0.17763.437`, `windows`).
fn is_windows_token(word: &str) -> bool {
    word.starts_with("windowsservercore")
        || word.starts_with("nanoserver")
        || word.starts_with("windows")
        || word.starts_with("servercore")
        || build_for_token(word).is_some()
        || word.starts_with("10.0.")
}

/// Whether `tag` names a Linux variant: a token of [`LINUX_VARIANT_TOKENS`]
/// and no Windows token. `3.12-alpine` → true, `8.0-bookworm-slim` → true,
/// `22.04` → false (nothing says), `3-windowsservercore-ltsc2022` → false.
pub fn is_linux_variant_tag(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| is_windows_token(w)) {
        return false;
    }
    words.iter().any(|w| {
        LINUX_VARIANT_TOKENS
            .iter()
            .any(|token| is_variant_token(w, token))
    })
}

/// Whether `image` is Linux-only: a Docker Hub official repository of
/// [`LINUX_ONLY_REPOSITORIES`] (`ubuntu`, `library/debian`, a mirror's
/// `…/library/alpine`) whose tag names no Windows base, or any repository
/// with a Linux variant tag (`python:3.12-slim`).
pub fn is_linux_only_image(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("");
    if is_linux_variant_tag(tag) {
        return true;
    }
    let repo = image.repository.to_ascii_lowercase();
    // A bare name is an official image only on Docker Hub: `ubuntu` in a
    // private registry is somebody's own image.
    let docker_hub = image
        .registry
        .eq_ignore_ascii_case(crate::model::image_ref::DOCKER_HUB);
    let official = (docker_hub && !repo.contains('/'))
        || repo.starts_with("library/")
        || repo.contains("/library/");
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    let windows_tag = tag
        .to_ascii_lowercase()
        .split(['-', '_'])
        .any(is_windows_token);
    official && LINUX_ONLY_REPOSITORIES.contains(&last) && !windows_tag
}

#[cfg(test)]
mod linux_variant_tests {
    use super::*;

    #[test]
    fn linux_variant_tags() {
        for tag in [
            "alpine",
            "3.12-alpine",
            "3.12-alpine3.20",
            "8.0-bookworm-slim",
            "slim",
            "bullseye",
            "8.0-jammy",
            "9.0-noble-chiseled",
            "8.0-azurelinux3.0",
            "6.0-cbl-mariner2.0",
            "22.04-ubuntu",
            "debian_12",
        ] {
            assert!(is_linux_variant_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "latest",
            "22.04",
            "8.0",
            "ltsc2022",
            "3-windowsservercore-ltsc2022",
            "8.0-nanoserver-1809",
            "alpine-windowsservercore",
            "slimline",
            "10.0.17763.437",
        ] {
            assert!(!is_linux_variant_tag(tag), "{tag}");
        }
    }

    #[test]
    fn linux_only_images() {
        let linux = [
            "ubuntu",
            "ubuntu:22.04",
            "library/debian:12",
            "mcr.microsoft.com/mirror/docker/library/alpine:3.20",
            "python:3.12-slim",
            "contoso/app:1.0-alpine",
        ];
        for text in linux {
            let r = ImageRef::parse(text).expect(text);
            assert!(is_linux_only_image(&r), "{text}");
        }
        let windows = [
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "python:3.12",
            "contoso/ubuntu:1.0",
            "golang:nanoserver-1809",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
        ];
        for text in windows {
            let r = ImageRef::parse(text).expect(text);
            assert!(!is_linux_only_image(&r), "{text}");
        }
    }

    #[test]
    fn lists_are_sorted_and_unique() {
        for list in [LINUX_VARIANT_TOKENS, LINUX_ONLY_REPOSITORIES] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{pair:?}");
            }
        }
    }
}
