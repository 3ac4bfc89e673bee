//! For each failure occurrence: which workload, node, image, isolation and
//! versions it concerns, each with where that was learned.
//!
//! The rules are deliberately explicit: a fact is taken from the record
//! that contains the failure first, then from records that name the same
//! pod/task/container elsewhere, then from the one host an input describes,
//! then from command-line flags. The HCS `HostName` is the container's
//! hostname (the pod name under Kubernetes), never the node.

use super::index::{image_key, At, Index, Node};
use super::names::service_of_task;
use super::occurrence::{IsolationSource, Occurrence, Orchestrator, Sourced, VersionSource};
use super::GivenFacts;
use crate::knowledge::compat;
use crate::knowledge::releases;
use crate::knowledge::tags::{self, TagCertainty};
use crate::model::{
    Failure, HostKind, ImageOrigin, ImageRef, Isolation, Record, SectionKind, Workload,
    WorkloadKind,
};
use regex::Regex;
use std::sync::OnceLock;

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
    if workload.is_none() && containing_event.is_some() {
        // kubectl ≥ 1.20 prints one `Failed` event per attempt in a describe
        // pod's Events table without naming the pod: the table belongs to
        // the pod the section describes.
        workload = described_pod(index, input, line, named_container.as_deref());
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

    let orchestrator = orchestrator_of(
        workload.map(|w| w.data.kind),
        section,
        containing_event.is_some() || failure.sandbox,
    );

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
    let host = host_version(
        index,
        given,
        (input, line),
        failure,
        node,
        node_name.as_deref(),
    );
    let host_kind = node.and_then(|n| n.kind).or_else(|| {
        host.as_ref()
            .and_then(|h| releases::host_kind_hint(h.version.build))
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
    let place = Place {
        index,
        input,
        line,
        failure,
        workload,
        node,
    };
    let image_os = image_version(&place, given, image.as_deref());
    // --- Registry hook (issue 12, --resolve-images) ---
    // When the version above is unknown, or only read from the tag or
    // inferred, the registry's entry for this host replaces it.
    let (image_os, registry) = super::registry_view::prefer_registry(
        given,
        image.as_deref(),
        host.as_ref(),
        orchestrator,
        failure,
        image_os,
    );
    // A node whose build no output printed, but which runs an
    // ltsc2022-or-newer image: an image older than that cannot run there.
    let host = host.or_else(|| {
        let floor = node.and_then(|n| n.floor.clone())?;
        let image = image_os.as_ref()?.version;
        compat::process_excluded_on_hosts_from(floor.version.build, image.build).then_some(floor)
    });

    // 7. Isolation.
    let runtime_class = workload.and_then(|w| w.data.runtime_class.as_deref());
    let isolation = if failure.pull {
        // A pull has no isolation; only a stated one counts.
        stated_isolation(failure, invocation, workload)
    } else {
        stated_isolation(failure, invocation, workload)
            .or_else(|| default_isolation(node, orchestrator, host_kind, runtime_class))
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
        host,
        host_kind,
        image_os,
        count,
        from_event,
        first_seen,
        last_seen,
        registry,
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

fn flag(version: crate::model::WindowsVersion, name: &'static str) -> Sourced {
    Sourced {
        version,
        from: VersionSource::Flag(name),
        evidence: None,
    }
}

/// `pod` or `namespace/pod`; a Swarm task by its service (`web.2` → `web`),
/// so that its replicas' failures on one node make one finding.
fn workload_name(w: &Workload) -> String {
    match (&w.kind, &w.namespace) {
        (WorkloadKind::Pod, Some(ns)) if !ns.is_empty() => format!("{ns}/{}", w.name),
        (WorkloadKind::Task, _) => service_of_task(&w.name),
        _ => w.name.clone(),
    }
}

/// The pod container a `kubectl describe pod` Events table belongs to: the
/// nearest pod described above it in the same input (each pod's Events
/// follow its own header); the named container, else one that is not
/// running, else the first.
fn described_pod<'a>(
    index: &Index<'a>,
    input: usize,
    line: usize,
    container: Option<&str>,
) -> Option<At<'a, Workload>> {
    index
        .section_at(input, line)
        .filter(|s| s.kind == SectionKind::KubectlDescribePod)?;
    let nearest = before(&index.workloads, input, line).find(|w| {
        w.data.kind == WorkloadKind::Pod && w.record.section == SectionKind::KubectlDescribePod
    })?;
    let pods: Vec<At<'a, Workload>> = before(&index.workloads, input, line)
        .take_while(|w| w.data.name == nearest.data.name)
        .filter(|w| w.data.kind == WorkloadKind::Pod)
        .copied()
        .collect();
    pods.iter()
        .find(|w| container.is_some() && w.data.container_name.as_deref() == container)
        .or_else(|| pods.iter().find(|w| !w.data.running))
        .or_else(|| pods.first())
        .copied()
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

/// Which orchestrator ran a failure: the workload it belongs to, else the
/// section it was printed in (`SectionKind::orchestrator`), else whether a
/// Kubernetes event or pod sandbox surrounds it.
fn orchestrator_of(
    workload: Option<WorkloadKind>,
    section: Option<SectionKind>,
    kubernetes_context: bool,
) -> Orchestrator {
    match (workload, section) {
        (Some(WorkloadKind::Pod), _) => Orchestrator::Kubernetes,
        (Some(WorkloadKind::Task | WorkloadKind::Service), _) => Orchestrator::Swarm,
        (_, Some(kind)) if kind.orchestrator() == Some(Orchestrator::Kubernetes) => {
            Orchestrator::Kubernetes
        }
        (_, Some(kind)) if kind.orchestrator() == Some(Orchestrator::Swarm) => Orchestrator::Swarm,
        _ if kubernetes_context => Orchestrator::Kubernetes,
        _ => Orchestrator::Docker,
    }
}

/// The host's version: stated by the message, else the node's description,
/// else `--node NAME=V`, else `--host V`.
fn host_version(
    index: &Index<'_>,
    given: &GivenFacts,
    (input, line): (usize, usize),
    failure: &Failure,
    node: Option<&Node>,
    node_name: Option<&str>,
) -> Option<Sourced> {
    if let Some(v) = failure.host_version {
        return Some(Sourced {
            version: v,
            from: VersionSource::Message,
            evidence: Some(index.evidence(input, line, &failure.text)),
        });
    }
    if let Some(v) = node.and_then(|n| n.version.clone()) {
        return Some(v);
    }
    let named = node_name.and_then(|n| {
        given
            .nodes
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(n))
    });
    match named {
        Some((_, v)) => Some(flag(*v, "--node")),
        None => given.host.map(|v| flag(v, "--host")),
    }
}

/// Isolation the input states for this container: the HCS document's
/// `HvPartition`, `--isolation` on the command line, the container's
/// `HostConfig.Isolation`.
fn stated_isolation(
    failure: &Failure,
    invocation: Option<At<'_, crate::model::Invocation>>,
    workload: Option<At<'_, Workload>>,
) -> Option<(Isolation, IsolationSource)> {
    if let Some(hv) = failure.hcs.as_ref().and_then(|h| h.hv_partition) {
        let iso = if hv {
            Isolation::Hyperv
        } else {
            Isolation::Process
        };
        return Some((iso, IsolationSource::HvPartition(hv)));
    }
    if let Some(iso) = invocation.and_then(|i| i.data.isolation) {
        return Some((iso, IsolationSource::CommandLine));
    }
    workload
        .and_then(|w| w.data.isolation)
        .map(|iso| (iso, IsolationSource::HostConfig))
}

/// Isolation by default when the input states none: the daemon's default,
/// Kubernetes (process, unless a Hyper-V RuntimeClass), Swarm and Windows
/// Server Docker (process).
fn default_isolation(
    node: Option<&Node>,
    orchestrator: Orchestrator,
    host_kind: Option<HostKind>,
    runtime_class: Option<&str>,
) -> Option<(Isolation, IsolationSource)> {
    if let Some(iso) = node.and_then(|n| n.default_isolation) {
        return Some((iso, IsolationSource::DaemonDefault));
    }
    let hyperv_class =
        runtime_class.is_some_and(|rc| rc.contains("hypervisor") || rc.contains("hyperv"));
    match orchestrator {
        Orchestrator::Kubernetes if !hyperv_class => {
            Some((Isolation::Process, IsolationSource::Kubernetes))
        }
        Orchestrator::Swarm => Some((Isolation::Process, IsolationSource::SwarmDefault)),
        _ if host_kind == Some(HostKind::Server) => {
            Some((Isolation::Process, IsolationSource::ServerDefault))
        }
        _ => None,
    }
}

/// Where a failure sits: what the image-version sources look around.
struct Place<'i, 'a> {
    index: &'i Index<'a>,
    input: usize,
    line: usize,
    failure: &'i Failure,
    workload: Option<At<'a, Workload>>,
    /// The node the failure happened on, when known.
    node: Option<&'i Node>,
}

/// The image's OS version, from the best source available: the message,
/// `--image-version`, an inspect or manifest of the same reference, an
/// unnamed `Container OS Version`, the tag, then inference from the nodes.
fn image_version(
    place: &Place<'_, '_>,
    given: &GivenFacts,
    image: Option<&str>,
) -> Option<Sourced> {
    if let Some(v) = place.failure.image_version {
        return Some(Sourced {
            version: v,
            from: VersionSource::Message,
            evidence: Some(
                place
                    .index
                    .evidence(place.input, place.line, &place.failure.text),
            ),
        });
    }
    let key = image.map(image_key);
    if let Some(key) = &key {
        if let Some((_, v)) = given.images.iter().find(|(img, _)| image_key(img) == *key) {
            return Some(flag(*v, "--image-version"));
        }
        if let Some(found) = inspected_version(place.index, key) {
            return Some(found);
        }
    }
    unnamed_container_os_version(place)
        .or_else(|| image.and_then(tag_version))
        .or_else(|| same_image_runs_elsewhere(place, key.as_deref()))
        .or_else(|| only_other_build(place))
}

/// `docker image inspect` / a manifest of the same reference.
fn inspected_version(index: &Index<'_>, key: &str) -> Option<Sourced> {
    for facts in &index.images {
        let names = facts.data.reference.iter().chain(&facts.data.aliases);
        if !names.clone().any(|n| image_key(n) == key) {
            continue;
        }
        let Some(v) = facts.data.os_version else {
            continue;
        };
        let of = names
            .clone()
            .next()
            .map_or_else(|| "the image".to_owned(), Clone::clone);
        let from = match facts.data.origin {
            ImageOrigin::Inspect => VersionSource::Inspect { of },
            ImageOrigin::Manifest => VersionSource::Manifest { of },
            ImageOrigin::From => continue,
        };
        return Some(Sourced {
            version: v,
            from,
            evidence: Some(index.evidence(facts.input, facts.record.line, &v.to_string())),
        });
    }
    None
}

/// An unnamed "Container OS Version" in the same input (BcContainerHelper).
fn unnamed_container_os_version(place: &Place<'_, '_>) -> Option<Sourced> {
    let facts = place.index.images.iter().find(|f| {
        f.input == place.input
            && f.data.reference.is_none()
            && f.data.origin == ImageOrigin::Inspect
            && f.data.os_version.is_some()
    })?;
    let v = facts.data.os_version?;
    Some(Sourced {
        version: v,
        from: VersionSource::ContainerOsVersion,
        evidence: Some(
            place
                .index
                .evidence(facts.input, facts.record.line, &v.to_string()),
        ),
    })
}

/// The release the image's tag names.
fn tag_version(image: &str) -> Option<Sourced> {
    let r = ImageRef::parse(image.trim_start_matches("docker-pullable://")).ok()?;
    let base = tags::base_from_reference(&r);
    if base.certainty == TagCertainty::None {
        return None;
    }
    let v = base.version?;
    Some(Sourced {
        version: v,
        from: VersionSource::Tag {
            token: base
                .token
                .as_deref()
                .or(r.tag.as_deref())
                .unwrap_or("")
                .to_owned(),
        },
        evidence: None,
    })
}

/// Inference: the same image (by reference or digest) runs process-isolated
/// on another node of the same scope whose build pins the image's build.
fn same_image_runs_elsewhere(place: &Place<'_, '_>, key: Option<&str>) -> Option<Sourced> {
    let index = place.index;
    let digest = place
        .workload
        .and_then(|w| w.data.image_id.as_deref())
        .and_then(digest_of);
    if key.is_none() && digest.is_none() {
        return None;
    }
    for other in &index.workloads {
        if index.scopes.get(other.input) != index.scopes.get(place.input) {
            continue;
        }
        if !other.data.running || other.data.isolation == Some(Isolation::Hyperv) {
            continue;
        }
        let same = key
            .is_some_and(|k| other.data.image.as_deref().map(image_key).as_deref() == Some(k))
            || digest
                .is_some_and(|d| other.data.image_id.as_deref().and_then(digest_of) == Some(d));
        if !same {
            continue;
        }
        let Some(node) = other.data.node.as_deref().and_then(|n| index.node(n)) else {
            continue;
        };
        if place
            .node
            .is_some_and(|f| f.name.eq_ignore_ascii_case(&node.name))
        {
            continue;
        }
        let Some(v) = &node.version else { continue };
        if compat::needs_exact_build(v.version.build) {
            return Some(Sourced {
                version: v.version.without_revision(),
                from: VersionSource::SameImageRuns {
                    node: node.name.clone(),
                    node_version: v.version,
                },
                evidence: Some(index.evidence(
                    other.input,
                    other.record.line,
                    &format!(
                        "{} {}",
                        other.data.name,
                        other.data.state.as_deref().unwrap_or("Running")
                    ),
                )),
            });
        }
    }
    None
}

/// Weaker inference: the failing node's cluster has exactly one other
/// Windows build, one that pins its images' build; an image built for this
/// cluster most likely targets it (the Microsoft page's Kubernetes example).
fn only_other_build(place: &Place<'_, '_>) -> Option<Sourced> {
    let failing = place.node.and_then(|n| n.version.as_ref())?;
    let mut others: Vec<&Node> = place
        .index
        .windows_nodes_for(place.input)
        .into_iter()
        .filter(|n| {
            n.version
                .as_ref()
                .is_some_and(|v| v.version.build != failing.version.build)
        })
        .collect();
    others.dedup_by_key(|n| n.version.as_ref().map(|v| v.version.build));
    let [other] = others.as_slice() else {
        return None;
    };
    let v = other.version.as_ref()?;
    compat::needs_exact_build(v.version.build).then(|| Sourced {
        version: v.version.without_revision(),
        from: VersionSource::OnlyOtherBuild {
            node: other.name.clone(),
            version: v.version,
        },
        evidence: v.evidence.clone(),
    })
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

#[cfg(test)]
mod tests {
    use super::super::occurrence::{IsolationSource, Orchestrator, VersionSource};
    use super::super::testkit::*;
    use super::super::GivenFacts;
    use super::Index;
    use crate::model::{HcsInfo, Isolation, SectionKind};

    const K8S: SectionKind = SectionKind::KubectlDescribePod;
    const IMG2019: &str = "mcr.microsoft.com/windows/servercore:ltsc2019";

    #[test]
    fn host_version_stated_by_the_message_comes_first() {
        let mut f = mismatch();
        f.host_version = Some(v(17134, None));
        let inputs = [input(
            "a.txt",
            vec![
                node(1, "n1", v(17763, Some(1))),
                failing(5, SectionKind::Text, f),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        let host = occ.host.expect("host");
        assert_eq!(
            (host.version.build, host.from),
            (17134, VersionSource::Message)
        );
    }

    #[test]
    fn host_version_from_the_failing_pods_node() {
        let inputs = [input(
            "a.txt",
            vec![
                node(1, "win22", v(20348, Some(3453))),
                pod(10, "web-1", "win22", IMG2019, false),
                failing(12, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        assert_eq!(occ.orchestrator, Orchestrator::Kubernetes);
        assert_eq!(occ.node.as_deref(), Some("win22"));
        let host = occ.host.expect("host");
        assert_eq!(host.version, v(20348, Some(3453)));
        assert_eq!(
            host.from,
            VersionSource::Section(SectionKind::KubectlDescribeNode)
        );
    }

    #[test]
    fn host_version_from_node_and_host_flags() {
        let inputs = [input(
            "a.txt",
            vec![
                pod(10, "web-1", "win22", IMG2019, false),
                failing(12, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let given = GivenFacts {
            nodes: vec![("WIN22".to_owned(), v(20348, None))],
            ..GivenFacts::default()
        };
        let host = place(&index, &given).host.expect("host");
        assert_eq!(host.from, VersionSource::Flag("--node"));
        let given = GivenFacts {
            host: Some(v(26100, None)),
            ..GivenFacts::default()
        };
        let host = place(&index, &given).host.expect("host");
        assert_eq!(
            (host.version.build, host.from),
            (26100, VersionSource::Flag("--host"))
        );
    }

    #[test]
    fn image_version_sources_in_order() {
        // The tag when nothing better is there.
        let inputs = [input(
            "a.txt",
            vec![
                pod(10, "web-1", "n", IMG2019, false),
                failing(12, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let image = place(&index, &GivenFacts::default())
            .image_os
            .expect("image");
        assert_eq!(image.version.build, 17763);
        assert!(matches!(image.from, VersionSource::Tag { ref token } if token == "ltsc2019"));
        // --image-version beats the tag.
        let given = GivenFacts {
            images: vec![(IMG2019.to_owned(), v(17763, Some(437)))],
            ..GivenFacts::default()
        };
        let image = place(&index, &given).image_os.expect("image");
        assert_eq!(image.from, VersionSource::Flag("--image-version"));
        // An inspect of the same reference beats the tag too.
        let inputs = [input(
            "a.txt",
            vec![
                inspected(1, IMG2019, v(17763, Some(5206))),
                pod(10, "web-1", "n", IMG2019, false),
                failing(12, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let image = place(&index, &GivenFacts::default())
            .image_os
            .expect("image");
        assert_eq!(image.version, v(17763, Some(5206)));
        assert!(matches!(image.from, VersionSource::Inspect { .. }));
        // The message beats everything.
        let mut f = mismatch();
        f.image_version = Some(v(26100, None));
        let inputs = [input(
            "a.txt",
            vec![pod(10, "web-1", "n", IMG2019, false), failing(12, K8S, f)],
        )];
        let index = Index::build(&inputs);
        let image = place(&index, &GivenFacts::default())
            .image_os
            .expect("image");
        assert_eq!(
            (image.version.build, image.from),
            (26100, VersionSource::Message)
        );
    }

    #[test]
    fn image_version_inferred_from_the_same_image_running_on_a_pinned_node() {
        let custom = "contoso/orders:2.4.1";
        let inputs = [input(
            "a.txt",
            vec![
                node(1, "old", v(17763, Some(1))),
                node(2, "new", v(20348, Some(1))),
                pod(10, "orders-a", "old", custom, true),
                pod(20, "orders-b", "new", custom, false),
                failing(22, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        assert_eq!(occ.node.as_deref(), Some("new"));
        let image = occ.image_os.expect("image");
        assert_eq!(image.version, v(17763, None));
        assert!(
            matches!(image.from, VersionSource::SameImageRuns { ref node, .. } if node == "old")
        );
    }

    #[test]
    fn a_running_ltsc2022_image_is_only_a_lower_bound_on_its_node() {
        let inputs = [input(
            "a.txt",
            vec![
                pod(
                    10,
                    "api",
                    "n1",
                    "mcr.microsoft.com/windows/servercore:ltsc2022",
                    true,
                ),
                pod(20, "old", "n1", IMG2019, false),
                failing(22, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        let host = occ.host.expect("a floor, since the image is older than it");
        assert_eq!(host.version.build, 20348);
        assert!(host.from.is_lower_bound());
    }

    #[test]
    fn isolation_sources() {
        // HvPartition in the HCS document.
        let mut f = mismatch();
        f.hcs = Some(HcsInfo {
            hv_partition: Some(false),
            ..HcsInfo::default()
        });
        let inputs = [input("a.txt", vec![failing(1, SectionKind::Text, f)])];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        assert_eq!(
            occ.isolation,
            Some((Isolation::Process, IsolationSource::HvPartition(false)))
        );
        // --isolation on the command line just before.
        let inputs = [input(
            "a.txt",
            vec![
                docker_run(1, IMG2019, Some(Isolation::Hyperv)),
                failing(2, SectionKind::Text, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        assert_eq!(occ.orchestrator, Orchestrator::Docker);
        assert_eq!(
            occ.isolation,
            Some((Isolation::Hyperv, IsolationSource::CommandLine))
        );
        // Kubernetes: process by default.
        let inputs = [input(
            "a.txt",
            vec![
                pod(10, "web-1", "n", IMG2019, false),
                failing(12, K8S, mismatch()),
            ],
        )];
        let index = Index::build(&inputs);
        let occ = place(&index, &GivenFacts::default());
        assert_eq!(
            occ.isolation,
            Some((Isolation::Process, IsolationSource::Kubernetes))
        );
        // A pull has no isolation unless one is stated.
        let mut f = mismatch();
        f.pull = true;
        let inputs = [input("a.txt", vec![failing(1, SectionKind::Text, f)])];
        let index = Index::build(&inputs);
        assert_eq!(place(&index, &GivenFacts::default()).isolation, None);
    }
}
