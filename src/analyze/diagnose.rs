//! Decide the root cause of one placed failure: the finding kind, the
//! verdict of the compatibility rules, and a plain-words explanation.

use super::correlate::{Occurrence, Orchestrator};
use crate::knowledge::{compat, hcs_codes, kb, releases};
use crate::model::finding::{FindingKind, Verdict};
use crate::model::{FailureKind, Isolation, WindowsVersion};

/// What one occurrence means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Diagnosis {
    pub kind: FindingKind,
    pub verdict: Verdict,
    pub error_code: Option<String>,
    pub root_cause: String,
    /// The compatibility rule that decided, when one was evaluated.
    pub rule: Option<&'static str>,
}

/// `Windows Server 2016 (10.0.14393.1715)` or just the version.
pub(crate) fn describe(v: WindowsVersion) -> String {
    match releases::release_name(v.build) {
        Some(name) => format!("{name} ({v})"),
        None => format!("build {v}"),
    }
}

/// `0xc0370101` for HCS codes, `0x32` for small Win32 look-alikes.
fn code_text(code: u32) -> String {
    if code > 0xFFFF {
        format!("0x{code:08x}")
    } else {
        format!("0x{code:x}")
    }
}

/// Diagnose one occurrence.
pub(crate) fn diagnose(occ: &Occurrence<'_>) -> Diagnosis {
    let failure = occ.failure;
    let code = failure.hcs_code.or_else(|| {
        failure
            .message
            .as_deref()
            .and_then(hcs_codes::by_message)
            .map(|c| c.code)
    });
    let error_code = code.map(code_text);
    let host = occ.host.as_ref().map(|h| h.version);
    let image = occ.image_os.as_ref().map(|i| i.sourced.version);
    let isolation = occ.isolation.unwrap_or(Isolation::Process);
    let on_node = occ
        .node
        .as_deref()
        .map(|n| format!(" on node {n}"))
        .unwrap_or_default();
    let evaluate = |h: WindowsVersion, i: WindowsVersion| {
        compat::evaluate(&compat::CompatQuery {
            host: h,
            host_kind: occ.host_kind,
            image: i,
            isolation,
        })
    };

    let make = |kind: FindingKind,
                verdict: Verdict,
                root_cause: String,
                rule: Option<&'static str>| Diagnosis {
        kind,
        verdict,
        error_code: error_code.clone(),
        root_cause,
        rule,
    };

    match failure.kind {
        Some(FailureKind::WrongPlatform) => {
            return make(
                FindingKind::WrongPlatform,
                Verdict::Blocked,
                format!(
                    "The image is built for a different operating system than the daemon{on_node} runs (a Linux image on a Windows daemon, or the reverse). This is not a Windows build mismatch: no Windows base image or isolation mode changes it."
                ),
                None,
            )
        }
        Some(FailureKind::ClientNeedsHyperV) => {
            return make(
                FindingKind::OtherHcsError,
                Verdict::Blocked,
                "Windows 10 hosts before version 1809 can only run Hyper-V isolated containers; process isolation was requested. Run with --isolation=hyperv or update the host to 1809 or later.".to_owned(),
                Some("client-pre-1809-hyperv-only"),
            )
        }
        Some(FailureKind::ImageIncompatible) => {
            let text = match (image, host) {
                (Some(i), Some(h)) => format!(
                    "The image is built on {} but the host{on_node} runs {}. Docker refuses at pull time to fetch an image whose Windows build is newer than the host's: newer container images cannot run on older hosts, with either isolation.",
                    describe(i),
                    describe(h)
                ),
                _ => format!(
                    "Docker refused the image at pull time because its Windows build is newer than the host's{on_node} (the message's numbers were cut, so the exact builds are not known)."
                ),
            };
            return make(FindingKind::ImageNewerThanHost, Verdict::Blocked, text, Some("hyperv-newer-image"));
        }
        Some(FailureKind::NoMatchingManifest | FailureKind::NoMatchForPlatform) => {
            return manifest_diagnosis(occ, host, image, &make, &on_node);
        }
        Some(FailureKind::Hcs) | None => {}
    }

    if let Some(code) = code {
        if code != hcs_codes::IMAGE_MISMATCH {
            let known = hcs_codes::lookup(code);
            let mut text = match known {
                Some(c) => format!(
                    "The container failed with {} ({}): {} This is not the OS-version mismatch error (0xc0370101). {}",
                    code_text(code),
                    c.ntstatus_name.or(c.hresult_name).unwrap_or("a Windows error"),
                    c.message,
                    c.meaning
                ),
                None => format!(
                    "The container failed with {}{}. This is not the OS-version mismatch error (0xc0370101).",
                    code_text(code),
                    failure
                        .message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
            };
            if code == 0xC037_0106 {
                text.push_str(" Patch-level mismatches between host and image have been reported to fail this way (WS2025 hosts lacking KB5058411 running newer ltsc2025/ltsc2019 images; microsoft/Windows-Containers#591): compare the host's and the image's revisions.");
            }
            return make(FindingKind::OtherHcsError, Verdict::Unknown, text, None);
        }
    }

    if failure.sandbox {
        let text = match host {
            Some(h) => format!(
                "The pod sandbox (the pause/infra container) could not start{on_node}, which runs {}: the sandbox image's Windows build does not match the node's. The workload image is not the one at fault; every pod on this node fails the same way until the sandbox image matches.",
                describe(h)
            ),
            None => format!(
                "The pod sandbox (the pause/infra container) could not start{on_node}: the sandbox image's Windows build does not match the node's. The workload image is not the one at fault."
            ),
        };
        return make(
            FindingKind::SandboxImageMismatch,
            Verdict::Blocked,
            text,
            None,
        );
    }

    let (Some(h), Some(i)) = (host, image) else {
        let missing = match (host, image) {
            (None, None) => "the host's or the image's Windows version",
            (None, Some(_)) => "the host's Windows version",
            _ => "the image's Windows version",
        };
        return make(
            FindingKind::MismatchVersionsUnknown,
            Verdict::Unknown,
            format!(
                "The container{on_node} failed to start because its Windows build does not match the host's (HCS 0xc0370101), but the input does not give {missing}. Under process isolation the image's build must match the host's (exactly, for hosts older than Windows Server 2022)."
            ),
            None,
        );
    };

    let result = evaluate(h, i);
    let reason = rule_sentence(&result);
    if i.build == h.build {
        let revisions_differ = matches!((h.revision, i.revision), (Some(a), Some(b)) if a != b);
        if result.verdict == Verdict::Blocked && revisions_differ {
            let kb_of = |v: WindowsVersion| {
                kb::kb_for_version(v)
                    .map(|k| format!(" (KB{k})"))
                    .unwrap_or_default()
            };
            return make(
                FindingKind::RevisionMismatch,
                Verdict::Blocked,
                format!(
                    "Host{on_node} and image have the same build but different revisions: host {h}{}, image {i}{}. {reason}",
                    kb_of(h),
                    kb_of(i)
                ),
                Some(result.rule),
            );
        }
        return make(
            FindingKind::VersionsMatch,
            result.verdict,
            format!(
                "The mismatch error appeared although the host{on_node} ({}) and the image ({}) are stated to have the same build. Rebuilding will not help; look for what differs: an Insider host build, a patch baseline (such as Feb 2020's 2B), or a different image than the one stated actually running.",
                describe(h),
                describe(i)
            ),
            Some(result.rule),
        );
    }
    if i.build > h.build {
        return make(
            FindingKind::ImageNewerThanHost,
            Verdict::Blocked,
            format!(
                "The image is built on {} but the host{on_node} runs {}. An image newer than its host cannot run with either isolation: Hyper-V isolation runs images whose build is at most the host's. {reason}",
                describe(i),
                describe(h)
            ),
            Some(result.rule),
        );
    }
    if matches!(
        result.verdict,
        Verdict::Supported | Verdict::SupportedPreview
    ) {
        return make(
            FindingKind::RuntimeMatcherRefusal,
            result.verdict,
            format!(
                "Microsoft documents {} images as supported on {} hosts with {} isolation, yet the engine{on_node} refused to start it. {reason} Older runtimes (hcsshim's compatibility check, containerd/platforms before v1.0.0-rc.5) apply a stricter rule than the documentation.",
                describe(i),
                describe(h),
                isolation.as_str()
            ),
            Some(result.rule),
        );
    }
    let iso_text = match occ.isolation {
        Some(Isolation::Process) => "process isolation",
        Some(Isolation::Hyperv) => "Hyper-V isolation",
        None => "process isolation (assumed: the input does not say)",
    };
    make(
        FindingKind::ImageOlderThanHost,
        Verdict::Blocked,
        format!(
            "The image is built on {} but the host{on_node} runs {}, and the container runs with {iso_text}, which shares the host's kernel. {reason}",
            describe(i),
            describe(h)
        ),
        Some(result.rule),
    )
}

fn manifest_diagnosis(
    occ: &Occurrence<'_>,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
    make: &dyn Fn(FindingKind, Verdict, String, Option<&'static str>) -> Diagnosis,
    on_node: &str,
) -> Diagnosis {
    let image_name = occ.image.as_deref().unwrap_or("the image");
    if let (Some(h), Some(i)) = (host, image) {
        let result = compat::evaluate(&compat::CompatQuery {
            host: h,
            host_kind: occ.host_kind,
            image: i,
            isolation: Isolation::Process,
        });
        if i.build <= h.build
            && matches!(
                result.verdict,
                Verdict::Supported | Verdict::SupportedPreview
            )
        {
            return make(
                FindingKind::RuntimeMatcherRefusal,
                result.verdict,
                format!(
                    "Microsoft documents {} images as supported on {} hosts, yet the engine's platform matcher found no manifest entry for the host{on_node}. The matcher in hcsshim and containerd/platforms before v1.0.0-rc.5 picks an LTSC floor above 20348 for hosts past 26100, refusing ltsc2022 images there (moby/moby#53397). {}",
                    describe(i),
                    describe(h),
                    result.disagreements.join(" ")
                ),
                Some(result.rule),
            );
        }
        if i.build > h.build {
            return make(
                FindingKind::ManifestNoMatch,
                Verdict::Blocked,
                format!(
                    "{image_name} has no manifest entry the host{on_node} ({}) can run: its Windows entries are built on {}, newer than the host. Newer container images cannot run on older hosts.",
                    describe(h),
                    describe(i)
                ),
                Some(result.rule),
            );
        }
    }
    let host_text = host
        .map(describe)
        .unwrap_or_else(|| "the host's build".to_owned());
    make(
        FindingKind::ManifestNoMatch,
        Verdict::Blocked,
        format!(
            "{image_name} has no manifest entry for {host_text}{on_node}: the manifest list offers no Windows image the host's build can run. Either the image is built only for other (usually newer) Windows builds, the manifest list lost its os.version entries, or it is a Linux-only image (then this is a wrong-platform problem).",
        ),
        None,
    )
}

/// The deciding reason of a compatibility result as a sentence naming its rule.
fn rule_sentence(result: &compat::CompatResult) -> String {
    let Some(first) = result.reasons.first() else {
        return String::new();
    };
    let mut chars = first.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let end = if capitalised.ends_with('.') { "" } else { "." };
    format!("Rule `{}`: {capitalised}{end}", result.rule)
}

/// Whether Hyper-V isolation would help (host newer than image).
pub(crate) fn hyperv_helps(
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Option<bool> {
    match (host, image) {
        (Some(h), Some(i)) => Some(h.build > i.build),
        _ => None,
    }
}

/// Whether the orchestrator supports Hyper-V isolation at all.
pub(crate) fn orchestrator_allows_hyperv(o: Orchestrator) -> bool {
    o != Orchestrator::Kubernetes
}
