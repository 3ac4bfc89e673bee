//! For each failure occurrence: which workload, node, image, isolation and
//! versions it concerns, each with where that was learned.
//!
//! The rules are deliberately explicit: a fact is taken from the record
//! that contains the failure first, then from records that name the same
//! pod/task/container elsewhere, then from the one host an input describes,
//! then from command-line flags. The HCS `HostName` is the container's
//! hostname (the pod name under Kubernetes), never the node.

use super::index::{image_key, At, Index, Node, Sourced};
use super::GivenFacts;
use crate::knowledge::tags::{self, TagCertainty};
use crate::model::{
    Failure, HostKind, ImageOrigin, ImageRef, Isolation, Record, WindowsVersion, Workload,
    WorkloadKind,
};
use regex::Regex;
use std::sync::OnceLock;

/// Which scheduler ran the failing container; decides the fix commands.
pub(crate) use crate::model::Orchestrator;

/// Where an image's OS version came from (the JSON `from` values).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageOs {
    pub sourced: Sourced,
    /// `tag|inspect|manifest|message|inferred|flag`.
    pub kind: &'static str,
}

/// One failure, placed in its context.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence<'a> {
    pub input: usize,
    pub record: &'a Record,
    pub failure: &'a Failure,
    pub orchestrator: Orchestrator,
    pub workload: Option<String>,
    pub workload_kind: Option<WorkloadKind>,
    /// The container within the pod, when the workload is a pod container.
    pub container_name: Option<String>,
    pub node: Option<String>,
    pub image: Option<String>,
    pub container_id: Option<String>,
    pub isolation: Option<Isolation>,
    pub isolation_why: Option<String>,
    pub host: Option<Sourced>,
    pub host_kind: Option<HostKind>,
    pub image_os: Option<ImageOs>,
    /// How many times this record stands for (an event's count).
    pub count: u64,
    /// The record is an event (its count already includes status snapshots).
    pub from_event: bool,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

fn pod_in_text_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?:for pod |pod=)\\*"?(?:([a-z0-9][a-z0-9-]*)/)?([a-z0-9][a-z0-9.-]*?)(?:_([a-z0-9-]+))?(?:\(|\\|"|\s|$)"#)
            .expect("static regex")
    })
}

fn container_in_text_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"failed to start container \\*"([^"\\]+)"#).expect("static regex")
    })
}

/// Place one failure record in its context.
pub(crate) fn correlate<'a>(
    index: &Index<'a>,
    given: &GivenFacts,
    input: usize,
    record: &'a Record,
    failure: &'a Failure,
) -> Occurrence<'a> {
    let line = record.line;
    let section = index.section_at(input, line).map(|s| s.kind);

    // 1. The record that contains the failure text.
    let containing_workload = containing(&index.workloads, input, line);
    let containing_event = containing(&index.events, input, line);

    // 2. The workload it names, found anywhere.
    let named_container = container_in_text_re()
        .captures(&failure.text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned());
    let mut workload: Option<At<'a, Workload>> = containing_workload;
    if workload.is_none() {
        if let Some(event) = containing_event {
            if let Some(object) = &event.data.object {
                let name = object.rsplit('/').next().unwrap_or(object);
                workload = find_pod(
                    index,
                    name,
                    event.data.namespace.as_deref(),
                    named_container.as_deref(),
                );
            }
        }
    }
    if workload.is_none() {
        if let Some(caps) = pod_in_text_re().captures(&failure.text) {
            if let Some(name) = caps.get(2) {
                let ns = caps.get(1).or(caps.get(3)).map(|m| m.as_str());
                workload = find_pod(index, name.as_str(), ns, None);
            }
        }
    }
    if workload.is_none() {
        let ids = [
            failure.container.as_deref(),
            failure.hcs.as_ref().and_then(|h| h.name.as_deref()),
        ];
        workload = index
            .workloads
            .iter()
            .find(|w| {
                ids.iter().flatten().any(|id| {
                    w.data
                        .container_id
                        .as_deref()
                        .is_some_and(|c| same_container(c, id))
                })
            })
            .copied();
    }
    if workload.is_none() {
        // Under Kubernetes the HCS HostName is the pod name.
        if let Some(host_name) = failure.hcs.as_ref().and_then(|h| h.host_name.as_deref()) {
            workload = index
                .workloads
                .iter()
                .find(|w| w.data.kind == WorkloadKind::Pod && w.data.name == host_name)
                .copied();
        }
    }

    // 3. The command line that started it, just before it in the same input.
    let invocation = before(&index.invocations, input, line)
        .next()
        .filter(|inv| line - inv.record.line <= 60)
        .copied();

    let orchestrator = match (workload.map(|w| w.data.kind), section) {
        (Some(WorkloadKind::Pod), _) => Orchestrator::Kubernetes,
        (Some(WorkloadKind::Task | WorkloadKind::Service), _) => Orchestrator::Swarm,
        (_, Some(kind)) if kind.orchestrator() == Some(Orchestrator::Kubernetes) => {
            Orchestrator::Kubernetes
        }
        (_, Some(kind)) if kind.orchestrator() == Some(Orchestrator::Swarm) => Orchestrator::Swarm,
        _ if containing_event.is_some() || failure.sandbox => Orchestrator::Kubernetes,
        _ => Orchestrator::Docker,
    };

    // 4. The node.
    let node_name = workload
        .and_then(|w| w.data.node.clone())
        .or_else(|| containing_event.and_then(|e| e.data.node.clone()))
        .or_else(|| {
            index
                .single_host_of_input(input)
                .filter(|n| !n.name.is_empty())
                .map(|n| n.name.clone())
        });
    let node: Option<&Node> = node_name
        .as_deref()
        .and_then(|n| index.node(n))
        .or_else(|| {
            if node_name.is_none() {
                index.single_host_of_input(input)
            } else {
                None
            }
        });

    // 5. Host version: the message states it best, then the node, then flags.
    let host = if let Some(v) = failure.host_version {
        Some(Sourced {
            version: v,
            from: "message".to_owned(),
            evidence: Some(index.evidence(input, line, &failure.text)),
        })
    } else if let Some(v) = node.and_then(|n| n.version.clone()) {
        Some(v)
    } else if let Some((_, v)) = node_name.as_deref().and_then(|n| {
        given
            .nodes
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(n))
    }) {
        Some(flag(*v, "--node"))
    } else {
        given.host.map(|v| flag(v, "--host"))
    };
    let host_kind = node.and_then(|n| n.kind).or_else(|| {
        host.as_ref()
            .and_then(|h| crate::knowledge::releases::host_kind_hint(h.version.build))
    });

    // 6. The image.
    // A pull failure names its image best; for a start failure the pod or
    // the command line does (the text around it may name a pull's short form).
    let from_context = workload
        .and_then(|w| w.data.image.clone())
        .or_else(|| invocation.and_then(|i| i.data.image.clone()));
    let image = if failure.pull {
        failure.image.clone().or(from_context)
    } else {
        from_context.or_else(|| failure.image.clone())
    };
    let image_os = image_version(
        index,
        given,
        input,
        line,
        failure,
        image.as_deref(),
        workload,
        node,
    );
    // A node whose build no output printed, but which runs an
    // ltsc2022-or-newer image: an image older than ltsc2022 cannot run there.
    let host = host.or_else(|| {
        let floor = node.and_then(|n| n.floor.clone())?;
        let image = image_os.as_ref()?.sourced.version;
        (image.build < 20348 && floor.version.build >= 20348).then_some(floor)
    });

    // 7. Isolation.
    let (isolation, isolation_why) = if let Some(hv) =
        failure.hcs.as_ref().and_then(|h| h.hv_partition)
    {
        (
            Some(if hv {
                Isolation::Hyperv
            } else {
                Isolation::Process
            }),
            Some(format!("HvPartition: {hv} in the HCS extra info")),
        )
    } else if let Some(iso) = invocation.and_then(|i| i.data.isolation) {
        (
            Some(iso),
            Some(format!("--isolation={} on the command line", iso.as_str())),
        )
    } else if let Some(iso) = workload.and_then(|w| w.data.isolation) {
        (
            Some(iso),
            Some("the container's HostConfig.Isolation".to_owned()),
        )
    } else if failure.pull {
        (None, None)
    } else if let Some(iso) = node.and_then(|n| n.default_isolation) {
        (Some(iso), Some("the daemon's Default Isolation".to_owned()))
    } else if orchestrator == Orchestrator::Kubernetes
        && !workload
            .and_then(|w| w.data.runtime_class.as_deref())
            .is_some_and(|rc| rc.contains("hypervisor") || rc.contains("hyperv"))
    {
        (
            Some(Isolation::Process),
            Some("Kubernetes runs Windows containers with process isolation".to_owned()),
        )
    } else if orchestrator == Orchestrator::Swarm
        || host_kind == Some(crate::model::HostKind::Server)
    {
        (
            Some(Isolation::Process),
            Some(if orchestrator == Orchestrator::Swarm {
                "Swarm tasks take the daemon's default isolation, process on Windows Server (assumed: the input does not show the daemon's setting)".to_owned()
            } else {
                "Docker on Windows Server defaults to process isolation".to_owned()
            }),
        )
    } else {
        (None, None)
    };

    let container_id = failure
        .hcs
        .as_ref()
        .and_then(|h| h.name.clone())
        .or_else(|| failure.container.clone())
        .or_else(|| workload.and_then(|w| w.data.container_id.clone()));

    let (count, from_event, first_seen, last_seen) = match containing_event {
        Some(e) => (
            e.data.count.max(1),
            true,
            e.data.first_seen.clone(),
            e.data.last_seen.clone(),
        ),
        None => (
            1,
            false,
            failure.timestamp.clone(),
            failure.timestamp.clone(),
        ),
    };

    Occurrence {
        input,
        record,
        failure,
        orchestrator,
        workload: workload.map(|w| workload_name(w.data)),
        workload_kind: workload.map(|w| w.data.kind),
        container_name: workload.and_then(|w| w.data.container_name.clone()),
        node: node
            .map(|n| n.name.clone())
            .filter(|n| !n.is_empty())
            .or(node_name),
        image,
        container_id,
        isolation,
        isolation_why,
        host,
        host_kind,
        image_os,
        count,
        from_event,
        first_seen,
        last_seen,
    }
}

/// Records of `list` (sorted by input, then line) in `input` that start at
/// or before `line`, nearest first.
fn before<'l, 'a, T>(
    list: &'l [At<'a, T>],
    input: usize,
    line: usize,
) -> impl Iterator<Item = &'l At<'a, T>> {
    let end = list.partition_point(|a| (a.input, a.record.line) <= (input, line));
    list.get(..end)
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(move |a| a.input == input)
}

/// The smallest record of `list` that contains `line` of `input`. Only the
/// nearest records are looked at, so a failure costs O(log n), not O(n):
/// records of one format do not nest deeper than that.
fn containing<'a, T>(list: &[At<'a, T>], input: usize, line: usize) -> Option<At<'a, T>> {
    before(list, input, line)
        .take(256)
        .filter(|a| a.covers(input, line))
        .min_by_key(|a| a.record.end_line - a.record.line)
        .copied()
}

fn flag(version: WindowsVersion, name: &str) -> Sourced {
    Sourced {
        version,
        from: format!("flag {name}"),
        evidence: None,
    }
}

/// `pod` or `namespace/pod`; a Swarm task by its service (`web.2` → `web`),
/// so that its replicas' failures on one node make one finding.
fn workload_name(w: &Workload) -> String {
    match (&w.kind, &w.namespace) {
        (WorkloadKind::Pod, Some(ns)) if !ns.is_empty() => format!("{ns}/{}", w.name),
        (WorkloadKind::Task, _) => super::fixes::service_of_task(&w.name),
        _ => w.name.clone(),
    }
}

/// A pod container record by pod name (and container name when known).
fn find_pod<'a>(
    index: &Index<'a>,
    name: &str,
    namespace: Option<&str>,
    container: Option<&str>,
) -> Option<At<'a, Workload>> {
    let candidates: Vec<At<'a, Workload>> = index
        .pods_named(name)
        .filter(|w| w.data.kind == WorkloadKind::Pod)
        .filter(|w| match (namespace, &w.data.namespace) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .copied()
        .collect();
    candidates
        .iter()
        .find(|w| container.is_some() && w.data.container_name.as_deref() == container)
        .or_else(|| candidates.iter().find(|w| w.data.image.is_some()))
        .or_else(|| candidates.first())
        .copied()
}

/// The image's OS version, from the best source available.
#[allow(
    clippy::too_many_arguments,
    reason = "each argument is one source of evidence"
)]
fn image_version(
    index: &Index<'_>,
    given: &GivenFacts,
    input: usize,
    line: usize,
    failure: &Failure,
    image: Option<&str>,
    workload: Option<At<'_, Workload>>,
    failing_node: Option<&Node>,
) -> Option<ImageOs> {
    if let Some(v) = failure.image_version {
        return Some(ImageOs {
            sourced: Sourced {
                version: v,
                from: "the error message".to_owned(),
                evidence: Some(index.evidence(input, line, &failure.text)),
            },
            kind: "message",
        });
    }
    let key = image.map(image_key);
    if let Some(key) = &key {
        if let Some((_, v)) = given.images.iter().find(|(img, _)| image_key(img) == *key) {
            return Some(ImageOs {
                sourced: flag(*v, "--image-version"),
                kind: "flag",
            });
        }
        // docker image inspect / Container OS Version for the same reference.
        for facts in &index.images {
            let names = facts.data.reference.iter().chain(&facts.data.aliases);
            let matches = names.clone().any(|n| image_key(n) == *key);
            if !matches {
                continue;
            }
            if let Some(v) = facts.data.os_version {
                let kind = match facts.data.origin {
                    ImageOrigin::Inspect => "inspect",
                    ImageOrigin::Manifest => "manifest",
                    ImageOrigin::From => continue,
                };
                return Some(ImageOs {
                    sourced: Sourced {
                        version: v,
                        from: format!(
                            "{kind} of {}",
                            names.clone().next().map_or("the image", |s| s.as_str())
                        ),
                        evidence: Some(index.evidence(
                            facts.input,
                            facts.record.line,
                            &v.to_string(),
                        )),
                    },
                    kind,
                });
            }
        }
    }
    // An unnamed "Container OS Version" in the same input (BcContainerHelper).
    if let Some(facts) = index.images.iter().find(|f| {
        f.input == input
            && f.data.reference.is_none()
            && f.data.origin == ImageOrigin::Inspect
            && f.data.os_version.is_some()
    }) {
        if let Some(v) = facts.data.os_version {
            return Some(ImageOs {
                sourced: Sourced {
                    version: v,
                    from: "Container OS Version".to_owned(),
                    evidence: Some(index.evidence(facts.input, facts.record.line, &v.to_string())),
                },
                kind: "inspect",
            });
        }
    }
    // The tag.
    if let Some(image) = image {
        if let Ok(r) = ImageRef::parse(image.trim_start_matches("docker-pullable://")) {
            let base = tags::base_from_reference(&r);
            if base.certainty != TagCertainty::None {
                if let Some(v) = base.version {
                    return Some(ImageOs {
                        sourced: Sourced {
                            version: v,
                            from: format!(
                                "the tag {}",
                                base.token.as_deref().or(r.tag.as_deref()).unwrap_or("")
                            ),
                            evidence: None,
                        },
                        kind: "tag",
                    });
                }
            }
        }
    }
    // Inference: the same image runs (process-isolated) on a node whose build
    // is older than ltsc2022, where only an exact build runs — so the image
    // has that build.
    let digest = workload
        .and_then(|w| w.data.image_id.as_deref())
        .and_then(digest_of);
    if key.is_some() || digest.is_some() {
        for other in &index.workloads {
            if index.scopes.get(other.input) != index.scopes.get(input) {
                continue;
            }
            if !other.data.running || other.data.isolation == Some(Isolation::Hyperv) {
                continue;
            }
            let same = key
                .as_ref()
                .is_some_and(|k| other.data.image.as_deref().map(image_key).as_ref() == Some(k))
                || digest
                    .is_some_and(|d| other.data.image_id.as_deref().and_then(digest_of) == Some(d));
            if !same {
                continue;
            }
            let Some(node) = other.data.node.as_deref().and_then(|n| index.node(n)) else {
                continue;
            };
            if failing_node.is_some_and(|f| f.name.eq_ignore_ascii_case(&node.name)) {
                continue;
            }
            if let Some(v) = &node.version {
                if v.version.build < 20348 {
                    return Some(ImageOs {
                        sourced: Sourced {
                            version: v.version.without_revision(),
                            from: format!(
                                "inferred: the same image runs with process isolation on {} ({})",
                                node.name, v.version
                            ),
                            evidence: Some(index.evidence(
                                other.input,
                                other.record.line,
                                &format!(
                                    "{} {}",
                                    other.data.name,
                                    other.data.state.as_deref().unwrap_or("Running")
                                ),
                            )),
                        },
                        kind: "inferred",
                    });
                }
            }
        }
    }
    // Weaker inference: the failing node's cluster has exactly one other
    // Windows build, older than ltsc2022; an image built for this cluster
    // most likely targets it (the Microsoft page's Kubernetes example).
    if let Some(failing) = failing_node.and_then(|n| n.version.as_ref()) {
        let mut others: Vec<&Node> = index
            .windows_nodes_for(input)
            .into_iter()
            .filter(|n| {
                n.version
                    .as_ref()
                    .is_some_and(|v| v.version.build != failing.version.build)
            })
            .collect();
        others.dedup_by_key(|n| n.version.as_ref().map(|v| v.version.build));
        if let [other] = others.as_slice() {
            if let Some(v) = &other.version {
                if v.version.build < 20348 {
                    return Some(ImageOs {
                        sourced: Sourced {
                            version: v.version.without_revision(),
                            from: format!(
                                "inferred: the only other Windows build in the cluster is {} on {}; the image most likely targets it",
                                v.version, other.name
                            ),
                            evidence: v.evidence.clone(),
                        },
                        kind: "inferred",
                    });
                }
            }
        }
    }
    None
}

/// Whether two container IDs name the same container: `docker ps` prints
/// the first 12 hex digits, HCS the full 64; runtimes prefix `docker://`.
fn same_container(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .trim_start_matches("docker://")
            .trim_start_matches("containerd://")
            .to_ascii_lowercase()
    };
    let (a, b) = (strip(a), strip(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 12 && long.starts_with(&short)
}

/// The `sha256:…` part of an image ID or digest reference.
fn digest_of(id: &str) -> Option<&str> {
    id.find("sha256:").and_then(|i| id.get(i..))
}
