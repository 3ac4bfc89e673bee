//! The remedies for a diagnosed failure, as commands for the versions
//! found: rebuild on the matching base image, Hyper-V isolation (only when
//! the host is newer), move to nodes of the matching build, update.

use super::correlate::{Occurrence, Orchestrator};
use super::diagnose::{describe, hyperv_helps, orchestrator_allows_hyperv, Diagnosis};
use super::index::Index;
use crate::knowledge::{compat, tags};
use crate::model::finding::{FindingKind, Fix, FixKind, Verdict};
use crate::model::{ImageRef, Isolation, WindowsVersion};

/// All fixes for one finding (the three seed fixes always, plus specific ones).
pub(crate) fn fixes(index: &Index<'_>, occ: &Occurrence<'_>, diag: &Diagnosis) -> Vec<Fix> {
    let host = occ.host.as_ref().map(|h| h.version);
    let image = occ.image_os.as_ref().map(|i| i.sourced.version);
    let mut out = Vec::new();
    match diag.kind {
        FindingKind::WrongPlatform => {
            out.push(Fix {
                kind: FixKind::Other,
                applies: true,
                why: "The image's operating system differs from the daemon's: run Linux images on Linux (switch Docker Desktop to Linux containers, or schedule on a Linux node), or use a Windows build of the image.".to_owned(),
                commands: vec![
                    "& \"$Env:ProgramFiles\\Docker\\Docker\\DockerCli.exe\" -SwitchDaemon".to_owned(),
                    "docker manifest inspect <image>   # lists the platforms the image offers".to_owned(),
                ],
            });
            for kind in [FixKind::Rebuild, FixKind::Hyperv, FixKind::Move] {
                out.push(Fix {
                    kind,
                    applies: false,
                    why: "Not a Windows build mismatch: no Windows base image, isolation mode or Windows node changes the image's operating system.".to_owned(),
                    commands: Vec::new(),
                });
            }
            return out;
        }
        FindingKind::OtherHcsError => {
            for kind in [FixKind::Rebuild, FixKind::Hyperv, FixKind::Move] {
                out.push(Fix {
                    kind,
                    applies: false,
                    why: "This error is not the OS-version mismatch; the version fixes do not address it (see `wincompat explain` for the code).".to_owned(),
                    commands: diag
                        .error_code
                        .iter()
                        .map(|c| format!("wincompat explain {c}"))
                        .take(usize::from(kind == FixKind::Rebuild))
                        .collect(),
                });
            }
            return out;
        }
        FindingKind::VersionsMatch => {
            out.push(Fix {
                kind: FixKind::Rebuild,
                applies: false,
                why: "The builds are stated equal: rebuilding on the same base image changes nothing. Check which image actually ran (`docker image inspect`) and the host's patch level.".to_owned(),
                commands: occ
                    .image
                    .iter()
                    .map(|i| format!("docker image inspect {i} --format '{{{{.OsVersion}}}}'"))
                    .collect(),
            });
            out.push(hyperv_fix(occ, host, image));
            out.push(move_fix(index, occ, image));
            return out;
        }
        _ => {}
    }
    out.push(rebuild_fix(index, occ, diag, host, image));
    out.push(hyperv_fix(occ, host, image));
    out.push(move_fix(index, occ, image));
    if let Some(update) = update_fix(occ, diag, host, image) {
        out.push(update);
    }
    out
}

fn rebuild_fix(
    index: &Index<'_>,
    occ: &Occurrence<'_>,
    diag: &Diagnosis,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Fix {
    if diag.kind == FindingKind::SandboxImageMismatch {
        let build = host
            .map(|h| format!(" (build {})", h.build))
            .unwrap_or_default();
        return Fix {
            kind: FixKind::Rebuild,
            applies: true,
            why: format!(
                "Use a pause (sandbox) image that has an entry for the node's Windows build{build}: the multi-arch registry.k8s.io/pause image includes Windows builds; set it as containerd's sandbox_image (or kubelet's --pod-infra-container-image with dockershim)."
            ),
            commands: vec![
                "# C:\\Program Files\\containerd\\config.toml, [plugins.\"io.containerd.grpc.v1.cri\"]".to_owned(),
                "sandbox_image = \"registry.k8s.io/pause:3.6\"".to_owned(),
                "Restart-Service containerd".to_owned(),
            ],
        };
    }
    let image_ref = occ
        .image
        .as_deref()
        .and_then(|i| ImageRef::parse(i.trim_start_matches("docker-pullable://")).ok());
    let Some(h) = host else {
        return Fix {
            kind: FixKind::Rebuild,
            applies: true,
            why: "Rebuild the image FROM the Windows base image whose tag matches the host's build (ltsc2019 for 17763, ltsc2022 for 20348, ltsc2025 for 26100); first find the host's build.".to_owned(),
            commands: vec![
                "docker info --format '{{.KernelVersion}}'   # on the host".to_owned(),
                "FROM mcr.microsoft.com/windows/servercore:<tag for that build>".to_owned(),
            ],
        };
    };
    let base_ref = image_ref.clone().unwrap_or_else(|| ImageRef {
        registry: "mcr.microsoft.com".to_owned(),
        repository: "windows/servercore".to_owned(),
        tag: None,
        digest: None,
    });
    let (rec, runs_on) = best_rebuild(index, occ, &base_ref, h);
    let commands = match &rec.reference {
        Some(reference) => rebuild_commands(occ, image_ref.as_ref(), reference, h),
        None => Vec::new(),
    };
    let mut why = format!(
        "Use a base image that runs on {}. {}",
        describe(h),
        rec.reason
    );
    if rec.out_of_support {
        why.push_str(" That release is out of support.");
    }
    if runs_on.len() > 1 {
        why.push_str(&format!(
            " This tag runs on every Windows node seen with it: {}.",
            runs_on.join(", ")
        ));
    }
    if image.is_some_and(|i| i.build == h.build) && diag.kind == FindingKind::RevisionMismatch {
        why = format!(
            "Rebuild on the base image with the host's revision ({h}): on Windows Server 2016 host and image revisions must match. {}",
            rec.reason
        );
    }
    Fix {
        kind: FixKind::Rebuild,
        applies: rec.reference.is_some(),
        why,
        commands,
    }
}

/// The rebuild target for the failing host — or, in a cluster of several
/// builds, the one that runs on the most of its Windows nodes (e.g. an
/// ltsc2022 image runs on both WS2022 and WS2025 nodes), with those nodes.
fn best_rebuild(
    index: &Index<'_>,
    occ: &Occurrence<'_>,
    base: &ImageRef,
    host: WindowsVersion,
) -> (tags::Rebuild, Vec<String>) {
    let own = tags::recommend_rebuild(base, host, occ.host_kind);
    let nodes: Vec<(&str, WindowsVersion, Option<crate::model::HostKind>)> =
        if occ.orchestrator == Orchestrator::Docker {
            Vec::new()
        } else {
            index
                .windows_nodes_for(occ.input)
                .into_iter()
                .filter_map(|n| Some((n.name.as_str(), n.version.as_ref()?.version, n.kind)))
                .collect()
        };
    let runs_on = |rec: &tags::Rebuild| -> Vec<String> {
        let Some(version) = rec
            .reference
            .as_deref()
            .and_then(|r| ImageRef::parse(r).ok())
            .and_then(|r| tags::base_from_reference(&r).version)
        else {
            return Vec::new();
        };
        nodes
            .iter()
            .filter(|(_, v, kind)| {
                matches!(
                    compat::evaluate(&compat::CompatQuery {
                        host: *v,
                        host_kind: *kind,
                        image: version,
                        isolation: Isolation::Process,
                    })
                    .verdict,
                    Verdict::Supported | Verdict::SupportedPreview
                )
            })
            .map(|(name, _, _)| (*name).to_owned())
            .collect()
    };
    let mut best_nodes = runs_on(&own);
    let mut best = own;
    for (_, v, kind) in &nodes {
        let candidate = tags::recommend_rebuild(base, *v, *kind);
        let covered = runs_on(&candidate);
        // Only a candidate that also runs on the failing host is a fix for it.
        let fixes_host = occ
            .node
            .as_deref()
            .is_none_or(|n| covered.iter().any(|c| c.eq_ignore_ascii_case(n)));
        if fixes_host && covered.len() > best_nodes.len() {
            best = candidate;
            best_nodes = covered;
        }
    }
    (best, best_nodes)
}

/// How to switch to `reference`: a Microsoft-published image is replaced by
/// its matching tag where it is deployed; a custom image is rebuilt on the
/// matching Windows base image, pushed under a new tag, and redeployed.
fn rebuild_commands(
    occ: &Occurrence<'_>,
    image: Option<&ImageRef>,
    reference: &str,
    host: WindowsVersion,
) -> Vec<String> {
    let Some((current, image)) = occ.image.as_deref().zip(image) else {
        return vec![format!("FROM {reference}")];
    };
    let published = image.registry == "mcr.microsoft.com" || image.is_microsoft_base();
    let mut commands = Vec::new();
    let deployed = if published {
        reference.to_owned()
    } else {
        // The new name: the recommended tag when the tag carried the OS
        // release (`1.4-ltsc2019` → `1.4-ltsc2022`), else the same tag; never
        // the old digest, which would select the old image.
        let unpinned = ImageRef {
            digest: None,
            ..image.clone()
        }
        .to_string();
        let servercore = ImageRef {
            registry: "mcr.microsoft.com".to_owned(),
            repository: "windows/servercore".to_owned(),
            tag: Some("ltsc2019".to_owned()),
            digest: None,
        };
        let base = tags::recommend_rebuild(&servercore, host, occ.host_kind)
            .reference
            .unwrap_or_else(|| reference.to_owned());
        let same_repository = ImageRef::parse(reference)
            .is_ok_and(|r| r.registry == image.registry && r.repository == image.repository);
        let new_name = if same_repository && reference != unpinned {
            reference.to_owned()
        } else {
            // The tag says nothing of the OS: suggest one that does.
            let release = base.rsplit(':').next().unwrap_or("new");
            ImageRef {
                tag: Some(format!(
                    "{}-{release}",
                    image.tag.as_deref().unwrap_or("latest")
                )),
                digest: None,
                ..image.clone()
            }
            .to_string()
        };
        commands.push(format!(
            "# in the Dockerfile of {unpinned}: FROM {base} (or the same release's tag of the family it uses, e.g. nanoserver)"
        ));
        commands.push(format!("docker build -t {new_name} ."));
        commands.push(format!("docker push {new_name}"));
        new_name
    };
    match occ.orchestrator {
        Orchestrator::Kubernetes => {
            let (ns, pod) = split_workload(occ.workload.as_deref());
            let deploy = pod
                .map(owner_name)
                .unwrap_or_else(|| "<deployment>".to_owned());
            let container = occ
                .container_name
                .clone()
                .unwrap_or_else(|| "<container>".to_owned());
            let ns_arg = ns.map(|n| format!(" -n {n}")).unwrap_or_default();
            commands.push(format!(
                "kubectl set image deployment/{deploy} {container}={deployed}{ns_arg}"
            ));
        }
        Orchestrator::Swarm => {
            let service = occ
                .workload
                .as_deref()
                .map(service_of_task)
                .unwrap_or_else(|| "<service>".to_owned());
            commands.push(format!(
                "docker service update --image {deployed} {service}"
            ));
        }
        Orchestrator::Docker => commands.push(format!("docker run {deployed}")),
    }
    if published {
        commands.push(format!(
            "# where {current} is a base image: FROM {reference}"
        ));
    }
    commands
}

fn hyperv_fix(
    occ: &Occurrence<'_>,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Fix {
    let image_arg = occ.image.clone().unwrap_or_else(|| "<image>".to_owned());
    match hyperv_helps(host, image) {
        Some(false) => {
            let (h, i) = (host.unwrap_or(WindowsVersion::new(0, None)), image.unwrap_or(WindowsVersion::new(0, None)));
            let why = if h.build == i.build {
                "Host and image have the same build; Hyper-V isolation would run it (it brings the image's own kernel), but it is not needed for a build mismatch here.".to_owned()
            } else {
                format!(
                    "Hyper-V isolation runs only images whose build is at most the host's; this image ({i}) is newer than the host ({h}), so it cannot help."
                )
            };
            Fix {
                kind: FixKind::Hyperv,
                applies: false,
                why,
                commands: Vec::new(),
            }
        }
        Some(true) if !orchestrator_allows_hyperv(occ.orchestrator) => Fix {
            kind: FixKind::Hyperv,
            applies: false,
            why: "The host is newer than the image, so Hyper-V isolation would run it under Docker, but Kubernetes does not support Hyper-V isolated Windows containers. (containerd ≥ 1.7 ships a `runhcs-wcow-hypervisor` runtime handler that a RuntimeClass could select; Kubernetes documents no support for it.)".to_owned(),
            commands: Vec::new(),
        },
        Some(true) => {
            let (commands, why) = match occ.orchestrator {
                Orchestrator::Swarm => (
                    vec![
                        "# on every Windows node: C:\\ProgramData\\docker\\config\\daemon.json".to_owned(),
                        "{ \"exec-opts\": [\"isolation=hyperv\"] }".to_owned(),
                        "Stop-Service docker; Start-Service docker".to_owned(),
                        "docker inspect --format '{{json .HostConfig.Isolation}}' <container>   # expect \"hyperv\"".to_owned(),
                    ],
                    "The host is newer than the image, so Hyper-V isolation runs it (the container gets the image's own kernel). Swarm services take the daemon's default isolation: set it in daemon.json on each node.",
                ),
                _ => (
                    vec![format!("docker run --isolation=hyperv {image_arg}")],
                    "The host is newer than the image, so Hyper-V isolation runs it: the container gets a utility VM with the image's own kernel (needs the Hyper-V role on the host).",
                ),
            };
            Fix {
                kind: FixKind::Hyperv,
                applies: true,
                why: why.to_owned(),
                commands,
            }
        }
        None => Fix {
            kind: FixKind::Hyperv,
            applies: false,
            why: if orchestrator_allows_hyperv(occ.orchestrator) {
                format!("Only if the host's build is newer than the image's (Hyper-V isolation never runs a newer image): then `docker run --isolation=hyperv {image_arg}`. The input does not say both builds.")
            } else {
                "Kubernetes does not support Hyper-V isolated Windows containers.".to_owned()
            },
            commands: Vec::new(),
        },
    }
}

fn move_fix(index: &Index<'_>, occ: &Occurrence<'_>, image: Option<WindowsVersion>) -> Fix {
    let Some(i) = image else {
        return Fix {
            kind: FixKind::Move,
            applies: true,
            why: "Run the workload on nodes whose Windows build matches the image's; first find the image's build, then pin the workload to those nodes.".to_owned(),
            commands: match occ.orchestrator {
                Orchestrator::Kubernetes => vec![
                    "kubectl get nodes -L node.kubernetes.io/windows-build".to_owned(),
                ],
                Orchestrator::Swarm => vec![
                    "docker node update --label-add OsVersion=\"$((Get-ComputerInfo).OsVersion)\" $ENV:COMPUTERNAME".to_owned(),
                ],
                Orchestrator::Docker => Vec::new(),
            },
        };
    };
    let isolation = occ.isolation.unwrap_or(Isolation::Process);
    let failing = occ.node.as_deref().unwrap_or("");
    let matching: Vec<(&str, WindowsVersion)> = index
        .windows_nodes_for(occ.input)
        .into_iter()
        .filter(|n| !n.name.is_empty() && !n.name.eq_ignore_ascii_case(failing))
        .filter_map(|n| {
            let v = n.version.as_ref()?.version;
            let verdict = compat::evaluate(&compat::CompatQuery {
                host: v,
                host_kind: n.kind,
                image: i,
                isolation,
            })
            .verdict;
            matches!(verdict, Verdict::Supported | Verdict::SupportedPreview)
                .then_some((n.name.as_str(), v))
        })
        .collect();
    if matching.is_empty() {
        return Fix {
            kind: FixKind::Move,
            applies: false,
            why: format!(
                "No node in the input runs a build that can run this {} image; add nodes of that build or rebuild the image.",
                describe(i)
            ),
            commands: Vec::new(),
        };
    }
    let names: Vec<String> = matching.iter().map(|(n, v)| format!("{n} ({v})")).collect();
    // Windows Server 2016 needs the revision too (the seed's osbuild label).
    let needs_revision = i.build == 14393;
    let target = matching[0].1;
    let commands = match occ.orchestrator {
        Orchestrator::Kubernetes => {
            let (ns, pod) = split_workload(occ.workload.as_deref());
            let deploy = pod
                .map(owner_name)
                .unwrap_or_else(|| "<deployment>".to_owned());
            let ns_arg = ns.map(|n| format!(" -n {n}")).unwrap_or_default();
            if needs_revision {
                let value = format!("{}.{}", target.build, target.revision.unwrap_or(0));
                let mut cmds: Vec<String> = matching
                    .iter()
                    .map(|(n, _)| {
                        format!("kubectl label node {n} beta.kubernetes.io/osbuild={value}")
                    })
                    .collect();
                cmds.push(format!(
                    "kubectl patch deployment {deploy}{ns_arg} --type merge -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"nodeSelector\":{{\"beta.kubernetes.io/osbuild\":\"{value}\"}}}}}}}}}}'"
                ));
                cmds
            } else {
                let build = format!("{}.{}.{}", target.major, target.minor, target.build);
                vec![
                    format!(
                        "kubectl patch deployment {deploy}{ns_arg} --type merge -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"nodeSelector\":{{\"kubernetes.io/os\":\"windows\",\"node.kubernetes.io/windows-build\":\"{build}\"}}}}}}}}}}'"
                    ),
                    format!(
                        "# or a RuntimeClass that pods select with runtimeClassName: windows-{}\nkubectl apply -f - <<'EOF'\napiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: windows-{}\nhandler: runhcs-wcow-process\nscheduling:\n  nodeSelector:\n    kubernetes.io/os: 'windows'\n    node.kubernetes.io/windows-build: '{build}'\nEOF",
                        target.build, target.build
                    ),
                ]
            }
        }
        Orchestrator::Swarm => {
            let value = if needs_revision {
                target.to_string()
            } else {
                format!("{}.{}.{}", target.major, target.minor, target.build)
            };
            let service = occ
                .workload
                .as_deref()
                .map(service_of_task)
                .unwrap_or_else(|| "<service>".to_owned());
            let mut cmds: Vec<String> = matching
                .iter()
                .map(|(n, _)| format!("docker node update --label-add OsVersion={value} {n}"))
                .collect();
            cmds.push(format!(
                "docker service update --constraint-add \"node.labels.OsVersion == {value}\" {service}"
            ));
            cmds
        }
        Orchestrator::Docker => Vec::new(),
    };
    Fix {
        kind: FixKind::Move,
        applies: true,
        why: format!(
            "These nodes run a build that runs this {} image: {}. Pin the workload to them.",
            describe(i),
            names.join(", ")
        ),
        commands,
    }
}

fn update_fix(
    occ: &Occurrence<'_>,
    diag: &Diagnosis,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Option<Fix> {
    match diag.kind {
        FindingKind::RevisionMismatch => {
            let (h, i) = (host?, image?);
            Some(Fix {
                kind: FixKind::Update,
                applies: true,
                why: format!(
                    "Bring host and image to the same cumulative update: either update the host to {i} or pull the image tag for the host's {h}."
                ),
                commands: vec![format!(
                    "docker pull mcr.microsoft.com/windows/servercore:{h}"
                )],
            })
        }
        FindingKind::RuntimeMatcherRefusal => Some(Fix {
            kind: FixKind::Update,
            applies: true,
            why: "Upgrade the container engine to one whose Windows platform matcher carries the fix (containerd/platforms v1.0.0-rc.5, vendored in containerd and moby in Aug 2026; first released versions unconfirmed), or use a single-platform tag (e.g. `ltsc2022-amd64`) that bypasses manifest-list matching.".to_owned(),
            commands: vec!["docker version --format '{{.Server.Version}}'".to_owned()],
        }),
        FindingKind::ImageNewerThanHost | FindingKind::ManifestNoMatch => {
            let i = image?;
            Some(Fix {
                kind: FixKind::Update,
                applies: true,
                why: format!(
                    "Or upgrade the host to a Windows release that runs {} images.",
                    describe(i)
                ),
                commands: Vec::new(),
            })
            .filter(|_| occ.host.is_some())
        }
        _ => None,
    }
}

/// (`namespace`, `pod`) from `namespace/pod`.
fn split_workload(w: Option<&str>) -> (Option<&str>, Option<&str>) {
    match w {
        Some(w) => match w.split_once('/') {
            Some((ns, pod)) => (Some(ns), Some(pod)),
            None => (None, Some(w)),
        },
        None => (None, None),
    }
}

/// The Deployment name of a ReplicaSet pod (`web-789699744-rqv6p` → `web`).
pub(crate) fn owner_name(pod: &str) -> String {
    let parts: Vec<&str> = pod.rsplitn(3, '-').collect();
    match parts.as_slice() {
        [suffix, hash, name]
            if suffix.len() == 5
                && hash.len() >= 5
                && hash.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (*name).to_owned()
        }
        _ => pod.to_owned(),
    }
}

/// The service of a Swarm task name (`web.1` → `web`).
pub(crate) fn service_of_task(task: &str) -> String {
    match task.rsplit_once('.') {
        Some((svc, n)) if n.chars().all(|c| c.is_ascii_digit()) => svc.to_owned(),
        _ => task.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_name_from_replicaset_pod() {
        assert_eq!(
            owner_name("fabrikamfiber.web-789699744-rqv6p"),
            "fabrikamfiber.web"
        );
        assert_eq!(
            owner_name("legacy-billing-66d9f8b7c4-8fwzt"),
            "legacy-billing"
        );
        assert_eq!(owner_name("standalone"), "standalone");
    }

    #[test]
    fn service_name_from_task() {
        assert_eq!(service_of_task("angry_liskov.1"), "angry_liskov");
        assert_eq!(service_of_task("web"), "web");
    }
}
