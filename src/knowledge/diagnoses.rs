//! Explanations for the diagnosis kinds (`wincompat explain WC101`): a
//! short title and a plain-words explanation with what to do, for every
//! `FindingKind`. Analysis uses the titles; `explain` prints both.
//!
//! This module knows the vocabulary of findings only, not how a finding is
//! detected (`analyze/`) or printed (`report/`).

use crate::model::finding::FindingKind;

/// A short title, e.g. WC101 → "Image older than host (process isolation)".
pub fn title(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::ImageOlderThanHost => "Image older than host (process isolation)",
        FindingKind::ImageNewerThanHost => "Image newer than host",
        FindingKind::RevisionMismatch => "Host and image revisions differ",
        FindingKind::SandboxImageMismatch => "Pod sandbox (pause) image does not match the host",
        FindingKind::ManifestNoMatch => "No manifest entry for this host's Windows build",
        FindingKind::WrongPlatform => "Image for the wrong operating system",
        FindingKind::RuntimeMatcherRefusal => {
            "Runtime platform matcher refuses a documented-compatible image"
        }
        FindingKind::VersionsMatch => "Mismatch error although the builds are stated equal",
        FindingKind::MismatchVersionsUnknown => "OS mismatch; a version is unknown",
        FindingKind::OtherHcsError => "Another HCS error (not a version mismatch)",
        FindingKind::MixedBuildNoSelector => {
            "Windows nodes of different builds, workload without a build selector"
        }
        FindingKind::TruncatedEvidence => "Error text truncated by the tool that printed it",
    }
}

/// The public sources behind a finding kind (the help of a SARIF rule):
/// Microsoft Learn pages and the moby/hcsshim/containerd files or issues
/// that state the behaviour. Empty when the kind rests on no documented
/// rule (a cut message, an image of another OS).
pub fn sources(kind: FindingKind) -> Vec<&'static str> {
    use super::platform_match::Engine;
    use super::rules::source;
    match kind {
        FindingKind::ImageOlderThanHost | FindingKind::MismatchVersionsUnknown => {
            vec![source::VERSION_COMPAT, source::HCSSHIM_COMPAT]
        }
        FindingKind::ImageNewerThanHost => vec![source::VERSION_COMPAT, source::HYPERV_CONTAINER],
        FindingKind::RevisionMismatch => vec![source::VERSION_COMPAT, source::UPDATE_CONTAINERS],
        FindingKind::SandboxImageMismatch => vec![source::VERSION_COMPAT, source::CONTAINERD_6508],
        FindingKind::ManifestNoMatch => vec![
            Engine::Containerd.source(),
            Engine::MobyGraphdriver.source(),
        ],
        FindingKind::RuntimeMatcherRefusal => vec![source::PLATFORMS_RC5, source::MOBY_53397],
        FindingKind::VersionsMatch => vec![source::VERSION_COMPAT, source::HCSSHIM_2566],
        FindingKind::OtherHcsError => super::hcs_codes::parse_code("0xc0370101")
            .map(|c| vec![c.source])
            .unwrap_or_default(),
        FindingKind::MixedBuildNoSelector => vec![source::VERSION_COMPAT],
        FindingKind::WrongPlatform | FindingKind::TruncatedEvidence => Vec::new(),
    }
}

/// The long explanation of a finding kind, in plain words with what to do.
/// `explain(FindingKind::ImageOlderThanHost)` starts "The container image
/// was built on an older Windows build than the host…".
pub fn explain(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::ImageOlderThanHost => {
            "\
The container image was built on an older Windows build than the host, and the \
container runs with process isolation, which shares the host's kernel. Hosts \
before Windows Server 2022 run only images of exactly their own build; newer \
hosts run images from the LTSC floor (Windows Server 2022, 20348) up to their \
own build, so e.g. an ltsc2019 image is refused on Windows Server 2022 or 2025. \
The pull succeeds; the container fails at create/start with HCS 0xc0370101 \
(\"The container operating system does not match the host operating system\").
What to do: rebuild the image FROM the base image tag of the host's release \
(servercore:ltsc2022 on Windows Server 2022, ltsc2025 on 2025), or run it \
with Hyper-V isolation (docker run --isolation=hyperv; containerd runtime \
handler runhcs-wcow-hypervisor), or schedule it on nodes of the image's build \
(node.kubernetes.io/windows-build selector, Swarm node labels)."
        }
        FindingKind::ImageNewerThanHost => {
            "\
The container image is newer than the host's Windows build. No isolation mode \
can run it: Hyper-V isolation runs only images whose build is the host's or \
older. Docker usually refuses already at pull (\"a Windows version \
10.0.20348-based image is incompatible with a 10.0.17763 host\", or \"no \
matching manifest\" for a multi-platform tag); when the image is already \
present, the start fails with HCS 0xc0370101.
What to do: use the image tag matching the host (e.g. ltsc2019 on Windows \
Server 2019), or run the workload on a host at least as new as the image \
(upgrade the host / node pool)."
        }
        FindingKind::RevisionMismatch => {
            "\
Host and image have the same build but different revisions (update levels). \
On Windows Server 2016 (14393) process-isolated containers run only when the \
revisions are equal (e.g. host 14393.1914 with KB4051033 and image 14393.1944 \
with KB4053579 do not). From 1809 on revisions need not match, except across \
patch baselines: the February 2020 \"2B\" update changed the user/kernel \
interface, so hosts and images on different sides of it do not work; similar \
patch-level failures were reported in 2025 (0xc0370106 on Windows Server 2025 \
hosts missing KB5058411).
What to do: update the host and the image to the same (latest) cumulative \
update, rebuild the image on the current base tag, or use Hyper-V isolation."
        }
        FindingKind::SandboxImageMismatch => {
            "\
The pod's sandbox (infra/pause) container failed to start, not the workload \
image: \"FailedCreatePodSandBox\" with an OS mismatch. The pause image \
configured for the kubelet/containerd was built for another Windows build \
than this node.
What to do: use a multi-arch pause image that includes this node's Windows \
build (registry.k8s.io/pause or mcr.microsoft.com/oss/kubernetes/pause, a \
current version), set it as sandbox_image in containerd's config (or \
--pod-infra-container-image), restart the runtime and recreate the pod."
        }
        FindingKind::ManifestNoMatch => {
            "\
The pull found no entry for this host's Windows build in the image's \
manifest list (\"no matching manifest for windows(10.0.17763)/amd64\", \"no \
match for platform in manifest\"). The tag is multi-platform, and none of its \
Windows entries is one this host can run: typically an image built only for \
newer Windows (ltsc2022 on a Windows Server 2019 host), a tag that lists no \
Windows entries at all (.NET multi-platform tags), or a manifest list whose \
entries lost their os.version.
What to do: pick the tag for the host's release (…-ltsc2019, …-1809), \
publish the image for this Windows build (docker buildx imagetools / manifest \
with os.version set), or run on a host of a build the image provides."
        }
        FindingKind::WrongPlatform => {
            "\
The image is for another operating system than the daemon: a Linux image on \
a Windows daemon (\"image operating system \\\"linux\\\" cannot be used on this \
platform\") or a Windows image on a Linux daemon or Docker Desktop in Linux \
containers mode. This is not a Windows version mismatch.
What to do: use a Windows variant of the image (a windowsservercore or \
nanoserver tag), switch Docker Desktop to Windows containers, or schedule the \
workload on nodes of the right OS (kubernetes.io/os selector)."
        }
        FindingKind::RuntimeMatcherRefusal => {
            "\
The documentation says this image runs on this host, but the container \
engine's own platform matcher refuses it when picking the image from a \
multi-platform tag. Known cases: containerd before its Windows compatibility \
fix required the exact host build (ltsc2022 on Windows 11, containerd#6508); \
hcsshim's CheckHostAndContainerCompat and containerd/platforms up to \
v1.0.0-rc.4, as used by Docker 29 before the fix, refuse ltsc2022 images on \
hosts newer than 26100 such as Windows 11 25H2 (26200) (moby/moby#53397).
What to do: update Docker/containerd to a release with containerd/platforms \
v1.0.0-rc.5 or later, or pull a single-platform tag (e.g. ltsc2022-amd64) or \
the image digest for the Windows entry you need."
        }
        FindingKind::VersionsMatch => {
            "\
The failure says the container OS does not match the host, yet the builds \
given are equal: a contradiction. Usual causes: the host or image is an \
Insider build, host and image sit on different sides of a patch baseline \
(February 2020 \"2B\"; on Windows Server 2016 any revision difference), the \
image that actually ran is not the one named (a stale local tag, a different \
digest, the pod's pause image), or a version was read from the wrong place \
(BuildLabEx of enablement builds shows the base build).
What to do: compare `docker inspect --format '{{.OsVersion}}' <image>` of the \
image that ran with the host's `cmd /c ver`, check the pause image, and \
update host and image to the same cumulative update."
        }
        FindingKind::MismatchVersionsUnknown => {
            "\
The failure is certainly an OS version mismatch (HCS 0xc0370101), but the \
host's or the image's Windows version is not in the input, so the direction \
and the fix cannot be decided.
What to do: on the host run `cmd /c ver` (or `docker info`, or `kubectl get \
nodes -o wide` for KERNEL-VERSION); for the image run `docker image inspect \
--format '{{.OsVersion}}' <image>` or `docker manifest inspect -v <image>`; \
then run wincompat again with those outputs, or `wincompat check --host \
<version> --image <image>`."
        }
        FindingKind::OtherHcsError => {
            "\
The container failed with an HCS error or a Win32 error in the same place, \
but not the OS mismatch one: e.g. 0xc0370106 (exited unexpectedly), \
0xc0370112 (unrecognized layer format), 0x57 \"The parameter is incorrect.\", \
\"The endpoint was not found.\" (networking), \"No hypervisor is present\". \
This is never a version mismatch by itself.
What to do: run `wincompat explain <code>` for that code, and look at the \
full error and the daemon/containerd log."
        }
        FindingKind::MixedBuildNoSelector => {
            "\
Warning: the cluster has Windows nodes of different builds (e.g. Windows \
Server 2019 and 2022), and the workload has no \
node.kubernetes.io/windows-build node selector (or RuntimeClass with one). \
The scheduler can place it on a node whose build the image cannot run under \
process isolation, so it fails on some nodes and works on others.
What to do: add nodeSelector node.kubernetes.io/windows-build: '10.0.<build>' \
matching the image (or a RuntimeClass per Windows version), or publish the \
image for every node build."
        }
        FindingKind::TruncatedEvidence => {
            "\
Info: the error text was cut by the tool that printed it (e.g. `docker \
service ps` shows \"starting container failed: co…\"), so the cause cannot be \
read from it.
What to do: run the command again with the full output, e.g. `docker service \
ps --no-trunc <service>` or `kubectl describe pod <pod>`, and give that to \
wincompat."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_title_and_an_explanation_with_what_to_do() {
        for kind in FindingKind::ALL {
            assert!(!title(kind).is_empty(), "{kind:?}");
            let text = explain(kind);
            assert!(text.len() > 200, "{kind:?}");
            assert!(text.contains("What to do:"), "{kind:?}");
        }
    }

    #[test]
    fn explanations_say_the_essentials() {
        assert!(explain(FindingKind::ImageOlderThanHost).contains("--isolation=hyperv"));
        assert!(
            explain(FindingKind::ImageNewerThanHost).contains("Hyper-V isolation runs only images")
        );
        assert!(explain(FindingKind::RevisionMismatch).contains("KB4053579"));
        assert!(explain(FindingKind::SandboxImageMismatch).contains("pause"));
        assert!(explain(FindingKind::RuntimeMatcherRefusal).contains("moby/moby#53397"));
        assert!(explain(FindingKind::OtherHcsError).contains("never a version mismatch"));
        assert!(
            explain(FindingKind::MixedBuildNoSelector).contains("node.kubernetes.io/windows-build")
        );
        assert!(explain(FindingKind::TruncatedEvidence).contains("--no-trunc"));
        assert!(title(FindingKind::ImageOlderThanHost).contains("older"));
    }
}
