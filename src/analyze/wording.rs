//! The words of the analysis: turns typed decisions, sources and fix
//! choices into the sentences a `Finding` carries (title, root cause,
//! where a version came from). Every renderer shows these sentences; the
//! rule statements themselves come from `knowledge::rules`.
//!
//! Decides nothing: every branch here reads a value another step chose.

use super::diagnose::{Decision, Grounds, Missing};
use super::occurrence::{IsolationSource, Occurrence, VersionSource};
use crate::knowledge::compat::{self, RuleId};
use crate::knowledge::{hcs_codes, kb, releases, tags};
use crate::model::finding::{FindingKind, RuleRef, Verdict};
use crate::model::{Isolation, WindowsVersion};

/// `Windows Server 2016 (10.0.14393.1715)` or `build 10.0.N`.
pub(crate) fn describe(v: WindowsVersion) -> String {
    match releases::release_name(v.build) {
        Some(name) => format!("{name} ({v})"),
        None => format!("build {v}"),
    }
}

/// `0xc0370101` for HCS codes, `0x32` for small Win32 look-alikes.
pub(crate) fn code_text(code: u32) -> String {
    if code > 0xFFFF {
        format!("0x{code:08x}")
    } else {
        format!("0x{code:x}")
    }
}

/// How a report says where a version was learned.
pub(crate) fn source_text(from: &VersionSource, image: bool) -> String {
    match from {
        VersionSource::Message if image => "the error message".to_owned(),
        VersionSource::Message => "message".to_owned(),
        VersionSource::Flag(name) => format!("flag {name}"),
        VersionSource::Section(kind) => kind.display_name().to_owned(),
        VersionSource::Inspect { of } => format!("inspect of {of}"),
        VersionSource::Manifest { of } => format!("manifest of {of}"),
        VersionSource::ContainerOsVersion => "Container OS Version".to_owned(),
        VersionSource::Tag { token } => format!("the tag {token}"),
        VersionSource::RunningImage {
            workload,
            image,
            image_build,
            lower_bound: false,
        } => format!(
            "inferred: {workload} runs {image} (build {image_build}) with process isolation there"
        ),
        VersionSource::RunningImage {
            workload,
            image,
            image_build,
            lower_bound: true,
        } => format!(
            "inferred: at least build {image_build}, since {workload} runs {image} with process isolation there"
        ),
        VersionSource::SameImageRuns { node, node_version } => format!(
            "inferred: the same image runs with process isolation on {node} ({node_version})"
        ),
        VersionSource::Registry {
            canonical,
            digest,
            entry,
        } => format!("registry: {canonical}@{digest}, {entry}"),
        VersionSource::OnlyOtherBuild { node, version } => format!(
            "inferred: the only other Windows build in the cluster is {version} on {node}; the image most likely targets it"
        ),
    }
}

/// Why the isolation mode is what the finding says.
pub(crate) fn isolation_source_text(iso: Isolation, from: IsolationSource) -> String {
    match from {
        IsolationSource::HvPartition(hv) => format!("HvPartition: {hv} in the HCS extra info"),
        IsolationSource::CommandLine => format!("--isolation={} on the command line", iso.as_str()),
        IsolationSource::HostConfig => "the container's HostConfig.Isolation".to_owned(),
        IsolationSource::DaemonDefault => "the daemon's Default Isolation".to_owned(),
        IsolationSource::Kubernetes => {
            "Kubernetes runs Windows containers with process isolation".to_owned()
        }
        IsolationSource::SwarmDefault => "Swarm tasks take the daemon's default isolation, process on Windows Server (assumed: the input does not show the daemon's setting)".to_owned(),
        IsolationSource::ServerDefault => {
            "Docker on Windows Server defaults to process isolation".to_owned()
        }
    }
}

/// The rule that decided, stated once: its id, the rule in one sentence
/// and its public source. Findings carry it beside the root cause, which
/// no longer restates it (issue 13: the root cause named the rule and then
/// repeated both builds in the rule's own words).
pub(crate) fn rule_ref(d: &Decision) -> Option<RuleRef> {
    let compat = d.compat.as_ref()?;
    let rule = compat.rule;
    let statement = match rule {
        RuleId::MatrixWs2025
        | RuleId::MatrixWs2022
        | RuleId::MatrixWs2019
        | RuleId::MatrixWs2016
        | RuleId::MatrixWindows11
        | RuleId::MatrixWindows10 => match compat.verdict {
            Verdict::Blocked => {
                "Microsoft's compatibility matrix for the host's release does not list this image release for this isolation mode."
            }
            Verdict::SupportedPreview => {
                "Microsoft's compatibility matrix for the host's release lists this image release for this isolation mode as a preview."
            }
            _ => "Microsoft's compatibility matrix for the host's release lists this image release for this isolation mode.",
        },
        _ => rule.statement(),
    };
    Some(RuleRef {
        id: rule.as_str().to_owned(),
        statement: statement.to_owned(),
        source: rule.source().to_owned(),
    })
}

/// The root cause in plain words, with where the image's version and the
/// isolation mode came from.
pub(crate) fn root_cause(occ: &Occurrence<'_>, d: &Decision) -> String {
    let mut text = grounds_sentence(occ, d);
    if occ.failure.cause == crate::model::FailureCause::Cut {
        text = format!(
            "The error text is cut before its message; the versions and isolation printed before it say the engine blocks this combination. {text}"
        );
    }
    // Where the versions came from, one sentence each. The concise text
    // report shows the one that starts "The image's build is inferred"
    // beside the first sentence (report::words::IMAGE_SOURCE).
    if d.kind != FindingKind::WrongPlatform {
        if let Some(image) = &occ.image_os {
            let source = source_text(&image.from, true);
            match source.strip_prefix("inferred: ") {
                Some(why) => text.push_str(&format!(" The image's build is inferred: {why}.")),
                None => text.push_str(&format!(" The image's build is read from {source}.")),
            }
        }
    }
    if let Some((iso, from)) = occ.isolation {
        text.push_str(&format!(
            " Isolation {}: {}.",
            iso.as_str(),
            isolation_source_text(iso, from)
        ));
    }
    text
}

fn grounds_sentence(occ: &Occurrence<'_>, d: &Decision) -> String {
    let on_node = occ
        .node
        .as_deref()
        .map(|n| format!(" on node {n}"))
        .unwrap_or_default();
    match &d.grounds {
        Grounds::WrongPlatform => format!(
            "The image is built for a different operating system than the daemon{on_node} runs (a Linux image on a Windows daemon, or the reverse). This is not a Windows build mismatch: no Windows base image or isolation mode changes it."
        ),
        Grounds::LinuxOnlyImage { host } => format!(
            "{} is a Linux-only image ({}): it has no Windows entry for the Windows daemon{on_node}{} to pull. The build in the message is the host's, not the image's; no Windows update, base image or isolation mode changes this. Run it on a Linux host or switch Docker Desktop to Linux containers, or use a Windows image.",
            occ.image.as_deref().unwrap_or("the image"),
            tags::LINUX_ONLY_SOURCE,
            host.map(|h| format!(" ({})", describe(h))).unwrap_or_default()
        ),
        Grounds::RegistryNoWindows { digest, platforms } => format!(
            "The registry's manifest for {} ({digest}) offers only {platforms}: no Windows image at all, so the Windows daemon{on_node} finds no matching manifest. This is not a Windows build mismatch: no Windows base image or isolation mode changes it; use a Windows image or run it on a Linux node.",
            occ.image.as_deref().unwrap_or("the image")
        ),
        Grounds::RegistryNoEntryForHost {
            digest,
            offered,
            host,
            engine,
            source,
        } => format!(
            "The registry's manifest list for {} ({digest}) offers Windows builds {}; none of them is one the host{on_node}, {}, accepts under {engine}'s platform matching (source: {source}). Pulling fails before any container starts: build the image for the host's Windows version too, or run it on nodes of a build the list offers.",
            occ.image.as_deref().unwrap_or("the image"),
            offered.iter().map(|v| describe(*v)).collect::<Vec<_>>().join(", "),
            host.map(describe).unwrap_or_else(|| "the host's build".to_owned())
        ),
        Grounds::ClientNeedsHyperV => format!(
            "The host{on_node} is Windows 10 before version 1809 and process isolation was requested. Run with --isolation=hyperv or update the host to 1809 or later."
        ),
        Grounds::PullRefusedNewer {
            host: Some(h),
            image: Some(i),
        } => format!(
            "The image is built on {} but the host{on_node} runs {}. Docker refuses at pull time to fetch an image whose Windows build is newer than the host's: newer container images cannot run on older hosts, with either isolation.",
            describe(*i),
            describe(*h)
        ),
        Grounds::PullRefusedNewer { .. } => format!(
            "Docker refused the image at pull time because its Windows build is newer than the host's{on_node} (the message's numbers were cut, so the exact builds are not known)."
        ),
        Grounds::ManifestMatcherRefusal { host, image } => format!(
            "Microsoft documents {} images as supported on {} hosts, yet the engine's platform matcher found no manifest entry for the host{on_node}. {} {}",
            describe(*image),
            describe(*host),
            compat::MATCHER_REFUSAL,
            d.compat
                .as_ref()
                .map(|c| c.disagreements.join(" "))
                .unwrap_or_default()
        ),
        Grounds::ManifestNewer { host, image } => format!(
            "{} has no manifest entry the host{on_node} ({}) can run: its Windows entries are built on {}, newer than the host. Newer container images cannot run on older hosts.",
            occ.image.as_deref().unwrap_or("the image"),
            describe(*host),
            describe(*image)
        ),
        Grounds::ManifestUnknown { host } => format!(
            "{} has no manifest entry for {}{on_node}: the manifest list offers no Windows image the host's build can run. Either the image is built only for other (usually newer) Windows builds, the manifest list lost its os.version entries, or it is a Linux-only image (then this is a wrong-platform problem).",
            occ.image.as_deref().unwrap_or("the image"),
            host.map(describe)
                .unwrap_or_else(|| "the host's build".to_owned())
        ),
        Grounds::OtherCode { code } => other_code_sentence(*code, occ),
        Grounds::OtherMessage => format!(
            "The container{on_node} failed with {}. This is not the OS-version mismatch error (0xc0370101): the message says something else, so a different base image or isolation mode is not the fix.",
            occ.failure
                .message
                .as_deref()
                .map(|m| format!("\"{m}\""))
                .unwrap_or_else(|| "another error".to_owned())
        ),
        Grounds::Sandbox { host: Some(h) } => format!(
            "The pod sandbox (the pause/infra container) could not start{on_node}, which runs {}: the sandbox image's Windows build does not match the node's. The workload image is not the one at fault; every pod on this node fails the same way until the sandbox image matches.",
            describe(*h)
        ),
        Grounds::Sandbox { host: None } => format!(
            "The pod sandbox (the pause/infra container) could not start{on_node}: the sandbox image's Windows build does not match the node's. The workload image is not the one at fault."
        ),
        Grounds::VersionsUnknown { missing } => {
            let missing = match missing {
                Missing::Both => "the host's or the image's Windows version",
                Missing::Host => "the host's Windows version",
                Missing::Image => "the image's Windows version",
            };
            format!(
                "The container{on_node} failed to start because its Windows build does not match the host's (HCS 0xc0370101), but the input does not give {missing}. Under process isolation the image's build must match the host's (exactly, for hosts older than Windows Server 2022)."
            )
        }
        Grounds::RevisionMismatch { host, image } => {
            let kb_of = |v: WindowsVersion| {
                kb::kb_for_version(v)
                    .map(|k| format!(" (KB{k})"))
                    .unwrap_or_default()
            };
            format!(
                "Host{on_node} and image have the same build but different revisions: host {host}{}, image {image}{}.",
                kb_of(*host),
                kb_of(*image)
            )
        }
        Grounds::VersionsMatch { host, image } => format!(
            "The mismatch error appeared although the host{on_node} ({}) and the image ({}) are stated to have the same build. Rebuilding will not help; look for what differs: an Insider host build, a patch baseline (such as Feb 2020's 2B), or a different image than the one stated actually running.",
            describe(*host),
            describe(*image)
        ),
        // The rule (often hyperv-newer-image itself) is the finding's
        // `rule`; this says only what follows for Hyper-V when another rule
        // decided.
        Grounds::ImageNewer { host, image } => {
            let hyperv = if d.rule == Some(RuleId::HypervNewerImage) {
                String::new()
            } else {
                format!(" {}", RuleId::HypervNewerImage.statement())
            };
            format!(
                "The image is built on {} but the host{on_node} runs {}.{hyperv}",
                describe(*image),
                describe(*host)
            )
        }
        Grounds::MatcherRefusal {
            host,
            image,
            isolation,
        } => format!(
            "Microsoft documents {} images as supported on {} hosts with {} isolation, yet the engine{on_node} refused to start it. Older runtimes (hcsshim's compatibility check, containerd/platforms before v1.0.0-rc.5) apply a stricter rule than the documentation.",
            describe(*image),
            describe(*host),
            isolation.as_str()
        ),
        Grounds::ImageOlder {
            host,
            image,
            isolation,
        } => {
            let iso_text = match isolation {
                Some(Isolation::Process) => "process isolation",
                Some(Isolation::Hyperv) => "Hyper-V isolation",
                None => "process isolation (assumed: the input does not say)",
            };
            format!(
                "The image is built on {} but the host{on_node} runs {}, and the container runs with {iso_text}, which shares the host's kernel.",
                describe(*image),
                describe(*host)
            )
        }
    }
}

fn other_code_sentence(code: u32, occ: &Occurrence<'_>) -> String {
    let mut text = match hcs_codes::lookup(code) {
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
            occ.failure
                .message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ),
    };
    if let Some(hint) = hcs_codes::revision_hint(code) {
        text.push(' ');
        text.push_str(hint);
    }
    text
}

/// The one-line title of a finding.
pub(crate) fn title(occ: &Occurrence<'_>, d: &Decision) -> String {
    let who = occ
        .workload
        .as_deref()
        .or(occ.image.as_deref())
        .unwrap_or("a container");
    let on = occ
        .node
        .as_deref()
        .map(|n| format!(" on {n}"))
        .unwrap_or_default();
    let host = occ.host_version().map(|h| h.build);
    let image = occ.image_version().map(|i| i.build);
    match d.kind {
        FindingKind::ImageOlderThanHost => format!(
            "{who}: image build {} is older than host build {}{on}",
            image.unwrap_or(0),
            host.unwrap_or(0)
        ),
        FindingKind::ImageNewerThanHost => match (image, host) {
            (Some(i), Some(h)) => {
                format!("{who}: image build {i} is newer than host build {h}{on}")
            }
            _ => format!("{who}: image is newer than the host{on}"),
        },
        FindingKind::RevisionMismatch => format!("{who}: host and image revisions differ{on}"),
        FindingKind::SandboxImageMismatch => {
            format!("{who}: pod sandbox (pause) image does not match the node{on}")
        }
        FindingKind::ManifestNoMatch => {
            format!("{who}: no manifest entry for the host's build{on}")
        }
        FindingKind::WrongPlatform => format!("{who}: image is for another operating system{on}"),
        FindingKind::RuntimeMatcherRefusal => {
            format!("{who}: the engine refused a documented-compatible image{on}")
        }
        FindingKind::VersionsMatch => {
            format!("{who}: mismatch reported although builds are stated equal{on}")
        }
        FindingKind::MismatchVersionsUnknown => {
            format!("{who}: OS version mismatch{on}; a version is not in the input")
        }
        FindingKind::OtherHcsError => format!(
            "{who}: {} is not a version mismatch{on}",
            d.error_code
                .map(code_text)
                .as_deref()
                .unwrap_or("another error")
        ),
        FindingKind::MixedBuildNoSelector | FindingKind::TruncatedEvidence => who.to_owned(),
    }
}
