//! The remedies for a diagnosed failure, as commands for the versions
//! found: rebuild on the matching base image, Hyper-V isolation (only when
//! the host is newer), move to nodes of the matching build, update.
//!
//! This module decides which fixes apply (asking `knowledge`); the
//! commands of each orchestrator live in `kubernetes`, `swarm` and
//! `docker`.

mod docker;
mod kubernetes;
mod swarm;

use super::diagnose::Decision;
use super::index::Index;
use super::occurrence::{Occurrence, Orchestrator};
use super::wording::{code_text, describe};
use crate::knowledge::{compat, kb, tags};
use crate::model::finding::{FindingKind, Fix, FixKind};
use crate::model::{ImageRef, Isolation, WindowsVersion};

/// All fixes for one finding (the three seed fixes always, plus specific ones).
pub(crate) fn fixes(index: &Index<'_>, occ: &Occurrence<'_>, diag: &Decision) -> Vec<Fix> {
    let host = occ.host_version();
    let image = occ.image_version();
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
                        .map(|c| format!("wincompat explain {}", code_text(*c)))
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
    diag: &Decision,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Fix {
    if diag.kind == FindingKind::SandboxImageMismatch {
        let build = host
            .map(|h| format!(" (build {})", h.build))
            .unwrap_or_default();
        let runtime = occ
            .node
            .as_deref()
            .and_then(|n| index.node(n))
            .and_then(|n| n.runtime.as_deref());
        let (commands, setting) = kubernetes::sandbox_image_setting(runtime);
        return Fix {
            kind: FixKind::Rebuild,
            applies: true,
            why: format!(
                "Use a pause (sandbox) image that has an entry for the node's Windows build{build}: the multi-arch registry.k8s.io/pause image includes Windows builds; set it as {setting}."
            ),
            commands,
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
            why: format!(
                "Rebuild the image FROM the Windows base image whose tag matches the host's build ({}); first find the host's build.",
                tags::ltsc_tag_list()
            ),
            commands: vec![
                format!("{}   # on the host", docker::host_build_step()),
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
    // `rec.reason` names the host and the image release it runs (and says
    // when that release is out of support); nothing is added in front that
    // would say the same again (issue 13).
    let mut why = rec.reason.clone();
    if runs_on.len() > 1 {
        why.push_str(&format!(
            " It runs on these Windows nodes of the input: {}.",
            runs_on.join(", ")
        ));
    }
    if image.is_some_and(|i| i.build == h.build) && diag.kind == FindingKind::RevisionMismatch {
        why = format!(
            // `rec.reason` already says that the revisions must match.
            "Rebuild on the base image with the host's revision ({h}). {}",
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
            .filter(|(_, v, kind)| compat::can_run(*v, *kind, version, Isolation::Process))
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
    commands.push(match occ.orchestrator {
        Orchestrator::Kubernetes => kubernetes::set_image(occ, &deployed),
        Orchestrator::Swarm => swarm::set_image(occ, &deployed),
        Orchestrator::Docker => docker::run(&deployed),
    });
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
    let not_applying = |why: String| Fix {
        kind: FixKind::Hyperv,
        applies: false,
        why,
        commands: Vec::new(),
    };
    let (Some(h), Some(i)) = (host, image) else {
        return not_applying(if occ.orchestrator.supports_hyperv() {
            format!("Only if the host's build is newer than the image's (Hyper-V isolation never runs a newer image): then `docker run --isolation=hyperv {image_arg}`. The input does not say both builds.")
        } else {
            "Kubernetes does not support Hyper-V isolated Windows containers.".to_owned()
        });
    };
    if !compat::hyperv_remedies(h, i) {
        return not_applying(
            if h.build == i.build
                && matches!((h.revision, i.revision), (Some(a), Some(b)) if a < b)
                && compat::is_revision_locked(h.build)
            {
                format!(
                "The image's revision ({i}) is newer than the host's ({h}); Hyper-V isolation runs only images that are not newer than the host."
            )
            } else if h.build == i.build {
                "Host and image have the same build; Hyper-V isolation would run it (it brings the image's own kernel), but it is not needed for a build mismatch here.".to_owned()
            } else {
                format!(
                "Hyper-V isolation runs only images whose build is at most the host's; this image ({i}) is newer than the host ({h}), so it cannot help."
            )
            },
        );
    }
    let (commands, why) = match occ.orchestrator {
        Orchestrator::Kubernetes => return not_applying("The host is newer than the image, so Hyper-V isolation would run it under Docker, but Kubernetes does not support Hyper-V isolated Windows containers. (containerd ≥ 1.7 ships a `runhcs-wcow-hypervisor` runtime handler that a RuntimeClass could select; Kubernetes documents no support for it.)".to_owned()),
        Orchestrator::Swarm => swarm::hyperv(occ),
        Orchestrator::Docker => docker::hyperv(&image_arg),
    };
    Fix {
        kind: FixKind::Hyperv,
        applies: true,
        why: why.to_owned(),
        commands,
    }
}

fn move_fix(index: &Index<'_>, occ: &Occurrence<'_>, image: Option<WindowsVersion>) -> Fix {
    let Some(i) = image else {
        return Fix {
            kind: FixKind::Move,
            applies: true,
            why: "Run the workload on nodes whose Windows build matches the image's; first find the image's build, then pin the workload to those nodes.".to_owned(),
            commands: match occ.orchestrator {
                Orchestrator::Kubernetes => kubernetes::list_node_builds(),
                Orchestrator::Swarm => swarm::list_node_builds(),
                Orchestrator::Docker => Vec::new(),
            },
        };
    };
    let isolation = occ.isolation_mode().unwrap_or(Isolation::Process);
    let failing = occ.node.as_deref().unwrap_or("");
    let matching: Vec<(&str, WindowsVersion)> = index
        .windows_nodes_for(occ.input)
        .into_iter()
        .filter(|n| !n.name.is_empty() && !n.name.eq_ignore_ascii_case(failing))
        .filter_map(|n| {
            let v = n.version.as_ref()?.version;
            compat::can_run(v, n.kind, i, isolation).then_some((n.name.as_str(), v))
        })
        .collect();
    if matching.is_empty() {
        // "No node runs it" only when every node's build is known; a node
        // known only as "at least build F" is ruled out when F is above
        // every build that could run the image.
        let unknown: Vec<&str> = index
            .nodes_of_unknown_build_for(occ.input)
            .into_iter()
            .filter(|n| !n.name.eq_ignore_ascii_case(failing))
            .filter(|n| {
                n.floor.as_ref().is_none_or(|f| {
                    !compat::process_excluded_on_hosts_from(f.version.build, i.build)
                })
            })
            .map(|n| n.name.as_str())
            .collect();
        if !unknown.is_empty() {
            return Fix {
                kind: FixKind::Move,
                applies: false,
                why: format!(
                    "No node whose build the input shows runs this {} image; the builds of {} are not in the input.",
                    describe(i),
                    unknown.join(", ")
                ),
                commands: match occ.orchestrator {
                    Orchestrator::Kubernetes => kubernetes::list_node_builds(),
                    Orchestrator::Swarm => unknown
                        .iter()
                        .map(|n| swarm::node_build_step(n))
                        .collect(),
                    Orchestrator::Docker => Vec::new(),
                },
            };
        }
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
    // Revision-locked builds (WS2016) pin the revision too (the seed's osbuild label).
    let with_revision = compat::is_revision_locked(i.build);
    let target = matching[0].1;
    let node_names: Vec<&str> = matching.iter().map(|(n, _)| *n).collect();
    let commands = match occ.orchestrator {
        Orchestrator::Kubernetes => {
            kubernetes::pin_to_build(occ, &node_names, target, with_revision)
        }
        Orchestrator::Swarm => swarm::pin_to_build(occ, &node_names, target, with_revision),
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
    diag: &Decision,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
) -> Option<Fix> {
    match diag.kind {
        FindingKind::RevisionMismatch => {
            let (h, i) = (host?, image?);
            // Forward only: the older side catches up with the newer one.
            let image_behind = h.revision > i.revision;
            let (why, commands) = if image_behind {
                (
                    format!("Bring the image up to the host's cumulative update: pull or rebuild on the base image of the host's revision ({h}); the host is already newer than the image ({i})."),
                    vec![format!("docker pull mcr.microsoft.com/windows/servercore:{h}")],
                )
            } else {
                (
                    format!("Bring the host up to the image's cumulative update ({i}{}): the image is newer than the host ({h}); installing that update on the host makes the revisions equal.", kb::kb_for_version(i).map(|k| format!(", KB{k}")).unwrap_or_default()),
                    Vec::new(),
                )
            };
            Some(Fix {
                kind: FixKind::Update,
                applies: true,
                why,
                commands,
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

/// Exactly which commands would supply a version the input is missing,
/// for the tools where the container ran: kubectl (with the pod's
/// namespace) and the node's runtime under Kubernetes, docker elsewhere.
pub(crate) fn next_steps(
    index: &Index<'_>,
    occ: &Occurrence<'_>,
    kind: FindingKind,
) -> Vec<String> {
    let mut steps = Vec::new();
    let versions_matter = !matches!(
        kind,
        FindingKind::WrongPlatform | FindingKind::OtherHcsError
    );
    if occ.host.is_none() && versions_matter {
        steps.push(match (&occ.node, occ.orchestrator) {
            (Some(node), Orchestrator::Kubernetes) => kubernetes::node_build_step(node),
            (None, Orchestrator::Kubernetes) => kubernetes::find_node_step(occ),
            (Some(node), Orchestrator::Swarm) => swarm::node_build_step(node),
            _ => docker::host_build_step(),
        });
    }
    if occ.image_os.is_none() && versions_matter {
        let image = occ.image.as_deref().unwrap_or("<image>");
        let runtime = occ
            .node
            .as_deref()
            .and_then(|n| index.node(n))
            .and_then(|n| n.runtime.as_deref());
        steps.push(match occ.orchestrator {
            Orchestrator::Kubernetes => {
                kubernetes::image_build_step(image, runtime, occ.node.as_deref())
            }
            _ => docker::image_build_step(image),
        });
    }
    if !steps.is_empty() {
        steps.push("Then run wincompat again with that output, or add --node NAME=VERSION / --image-version IMAGE=VERSION.".to_owned());
    }
    steps
}

#[cfg(test)]
pub(super) mod tests {
    use crate::analyze::occurrence::{Occurrence, Orchestrator};
    use crate::model::{Failure, Record, RecordData, SectionKind};
    use std::sync::OnceLock;

    /// A bare occurrence of an empty failure, for command tests.
    pub(crate) fn occurrence(
        orchestrator: Orchestrator,
        workload: Option<&str>,
    ) -> Occurrence<'static> {
        static RECORD: OnceLock<Record> = OnceLock::new();
        static FAILURE: OnceLock<Failure> = OnceLock::new();
        let record = RECORD.get_or_init(|| Record {
            line: 1,
            end_line: 1,
            section: SectionKind::Text,
            data: RecordData::Failure(Failure::default()),
        });
        let failure = FAILURE.get_or_init(Failure::default);
        Occurrence {
            input: 0,
            record,
            failure,
            orchestrator,
            workload: workload.map(str::to_owned),
            workload_kind: None,
            container_name: None,
            node: None,
            image: None,
            container_id: None,
            isolation: None,
            host: None,
            host_kind: None,
            image_os: None,
            count: 1,
            from_event: false,
            first_seen: None,
            last_seen: None,
            registry: None,
        }
    }

    use super::super::diagnose::diagnose;
    use super::super::index::Index;
    use super::super::testkit::*;
    use super::super::GivenFacts;
    use super::{fixes, FixKind};
    use crate::model::finding::Fix;

    const IMG2019: &str = "mcr.microsoft.com/windows/servercore:ltsc2019";

    fn fix(all: &[Fix], kind: FixKind) -> &Fix {
        all.iter()
            .find(|f| f.kind == kind)
            .expect("fix of that kind")
    }

    /// The fixes for the first failure of a one-input scenario.
    fn fixes_for(records: Vec<Record>, given: &GivenFacts) -> Vec<Fix> {
        let inputs = [input("scenario/a.txt", records)];
        let index = Index::build(&inputs);
        let occ = place(&index, given);
        fixes(&index, &occ, &diagnose(&occ))
    }

    #[test]
    fn kubernetes_moves_to_the_node_that_runs_the_image_and_never_offers_hyperv() {
        let all = fixes_for(
            vec![
                node(1, "old", v(17763, Some(1))),
                node(2, "new", v(20348, Some(1))),
                pod(10, "web-5d8f9c7b6d-abcde", "new", IMG2019, false),
                failing(12, SectionKind::KubectlDescribePod, mismatch()),
            ],
            &GivenFacts::default(),
        );
        let moving = fix(&all, FixKind::Move);
        assert!(moving.applies);
        assert!(moving.why.contains("old (10.0.17763.1)"), "{}", moving.why);
        assert!(moving.commands[0].contains("\"node.kubernetes.io/windows-build\":\"10.0.17763\""));
        let hyperv = fix(&all, FixKind::Hyperv);
        assert!(!hyperv.applies);
        assert!(hyperv.why.contains("Kubernetes does not support"));
        let rebuild = fix(&all, FixKind::Rebuild);
        assert!(rebuild.applies);
        assert!(rebuild
            .commands
            .iter()
            .any(|c| c.starts_with("kubectl set image deployment/web ")));
    }

    #[test]
    fn docker_offers_hyperv_only_when_the_host_is_newer() {
        let newer_host = fixes_for(
            vec![
                docker_run(1, IMG2019, None),
                failing(2, SectionKind::Text, mismatch()),
            ],
            &GivenFacts {
                host: Some(v(20348, None)),
                ..GivenFacts::default()
            },
        );
        let hyperv = fix(&newer_host, FixKind::Hyperv);
        assert!(hyperv.applies);
        assert_eq!(
            hyperv.commands,
            [format!("docker run --isolation=hyperv {IMG2019}")]
        );

        let older_host = fixes_for(
            vec![
                docker_run(1, "mcr.microsoft.com/windows/servercore:ltsc2025", None),
                failing(2, SectionKind::Text, mismatch()),
            ],
            &GivenFacts {
                host: Some(v(20348, None)),
                ..GivenFacts::default()
            },
        );
        assert!(!fix(&older_host, FixKind::Hyperv).applies);
        assert!(fix(&older_host, FixKind::Update).applies);
    }
}
