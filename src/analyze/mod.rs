//! Analysis: correlate the records of every input, diagnose each failure
//! with the knowledge base, group identical failures, and build the
//! `Report`. Knows records and knowledge; knows nothing of input formats or
//! report formats.

pub mod check;
mod correlate;
mod diagnose;
mod fixes;
mod index;

use crate::knowledge::{releases, KNOWLEDGE_DATE};
use crate::model::finding::{
    Evidence, Finding, FindingKind, InputSummary, NodeSummary, OsInfo, Report, SectionRef,
    Severity, SourceRef, Summary, ToolInfo, Verdict, SCHEMA_VERSION,
};
use crate::model::ParsedInput;
use crate::model::{RecordData, WindowsVersion, WorkloadKind};
use correlate::Occurrence;
use index::{Index, Sourced};
use std::collections::BTreeMap;

/// Facts given on the command line (`--node`, `--host`, `--image-version`).
#[derive(Debug, Clone, Default)]
pub struct GivenFacts {
    pub nodes: Vec<(String, WindowsVersion)>,
    pub host: Option<WindowsVersion>,
    pub images: Vec<(String, WindowsVersion)>,
}

/// Analyse parsed inputs into a report.
pub fn analyze(inputs: &[ParsedInput], given: &GivenFacts) -> Report {
    let index = Index::build(inputs);
    let mut groups: BTreeMap<GroupKey, Group<'_>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        for record in &input.records {
            let RecordData::Failure(failure) = &record.data else {
                continue;
            };
            if cause_was_cut(failure) {
                // Reported by `truncation_infos`: a cut wrapper such as
                // `"starting container failed: co…"` says nothing of the cause.
                continue;
            }
            let occ = correlate::correlate(&index, given, i, record, failure);
            let diag = diagnose::diagnose(&occ);
            // Failures that name no workload, node or image are kept apart
            // per input: nothing says they concern the same container.
            let unplaced = occ.workload.is_none() && occ.node.is_none() && occ.image.is_none();
            let key = GroupKey {
                scope: if unplaced {
                    input.name.clone()
                } else {
                    index.scopes.get(i).cloned().unwrap_or_default()
                },
                kind: diag.kind,
                workload: occ.workload.clone(),
                node: occ.node.clone().map(|n| n.to_ascii_lowercase()),
                image: occ.image.clone(),
                error_code: diag.error_code.clone(),
            };
            groups
                .entry(key)
                .or_insert_with(|| Group {
                    first: occ.clone(),
                    diag: diag.clone(),
                    occurrences: Vec::new(),
                })
                .occurrences
                .push(occ);
        }
    }

    let mut findings: Vec<Finding> = groups
        .into_values()
        .map(|g| finding_of(&index, g))
        .collect();
    findings.extend(mixed_build_warnings(&index, &findings));
    findings.extend(truncation_infos(&index));
    findings.sort_by(|a, b| {
        (a.severity, a.kind, &a.node, &a.workload).cmp(&(b.severity, b.kind, &b.node, &b.workload))
    });

    let nodes = node_summaries(&index, given);
    let summary = Summary {
        findings: findings.len(),
        occurrences: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.occurrences)
            // Saturating: event counts are read from the input
            // (`x18446744073709551615`), so a plain sum can overflow.
            .fold(0u64, u64::saturating_add),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo {
            name: "wincompat".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            knowledge_date: KNOWLEDGE_DATE.to_owned(),
        },
        inputs: inputs
            .iter()
            .map(|p| InputSummary {
                name: p.name.clone(),
                sections: p
                    .sections
                    .iter()
                    .map(|s| SectionRef {
                        kind: s.kind,
                        line: s.line,
                    })
                    .collect(),
                warnings: p.warnings.clone(),
            })
            .collect(),
        nodes,
        findings,
        summary,
        redactions: Vec::new(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    scope: String,
    kind: FindingKind,
    workload: Option<String>,
    node: Option<String>,
    image: Option<String>,
    error_code: Option<String>,
}

struct Group<'a> {
    first: Occurrence<'a>,
    diag: diagnose::Diagnosis,
    occurrences: Vec<Occurrence<'a>>,
}

fn os_info(sourced: &Sourced, from: &str) -> OsInfo {
    let release = releases::release_name(sourced.version.build);
    OsInfo {
        version: sourced.version.to_string(),
        build: sourced.version.build,
        revision: sourced.version.revision,
        release: if sourced.from.starts_with(index::LOWER_BOUND) {
            release.map(|r| format!("{r} or newer"))
        } else {
            release
        },
        from: from.to_owned(),
        evidence: sourced.evidence.clone(),
    }
}

/// Count occurrences: event counts add up (each distinct event once, even
/// when both `describe pod` and `get events` show it); a pod's Last State
/// message is the latest of those events, so it adds nothing when events
/// were seen; every other record (log line, task row) counts once.
fn count_occurrences(occs: &[Occurrence<'_>]) -> u64 {
    let mut seen_events: std::collections::HashSet<(String, u64, Option<String>, Option<String>)> =
        std::collections::HashSet::new();
    let mut events_total = 0u64;
    let mut others = 0u64;
    let mut pod_status = 0u64;
    for occ in occs {
        if occ.from_event {
            let key = (
                occ.failure.text.chars().take(120).collect::<String>(),
                occ.count,
                occ.first_seen.clone(),
                occ.last_seen.clone(),
            );
            if seen_events.insert(key) {
                events_total = events_total.saturating_add(occ.count);
            }
        } else if occ.workload_kind == Some(WorkloadKind::Pod) {
            pod_status += 1;
        } else {
            others += 1;
        }
    }
    let pods = if events_total > 0 { 0 } else { pod_status };
    events_total
        .saturating_add(others)
        .saturating_add(pods)
        .max(1)
}

fn finding_of(index: &Index<'_>, group: Group<'_>) -> Finding {
    let occ = &group.first;
    let diag = &group.diag;
    let mut evidence: Vec<Evidence> = group
        .occurrences
        .iter()
        .map(|o| index.evidence(o.input, o.record.line, &o.failure.text))
        .collect();
    evidence.dedup();
    let mut seen: Vec<String> = group
        .occurrences
        .iter()
        .flat_map(|o| [o.first_seen.clone(), o.last_seen.clone()])
        .flatten()
        .collect();
    seen.sort();
    let host = occ.host.as_ref().map(|h| os_info(h, &h.from));
    let image_os = occ.image_os.as_ref().map(|i| os_info(&i.sourced, i.kind));
    let image_from = occ
        .image_os
        .as_ref()
        .map(|i| format!(" (image version: {})", i.sourced.from))
        .unwrap_or_default();
    let mut root_cause = diag.root_cause.clone();
    if diag.kind != FindingKind::WrongPlatform && !image_from.is_empty() {
        root_cause.push_str(&image_from);
    }
    if let (Some(iso), Some(why)) = (occ.isolation, &occ.isolation_why) {
        root_cause.push_str(&format!(" (isolation {}: {why})", iso.as_str()));
    }
    let fixes = fixes::fixes(index, occ, diag);
    let next_steps = next_steps(occ, diag.kind);
    Finding {
        code: diag.kind.code().to_owned(),
        kind: diag.kind,
        severity: diag.kind.severity(),
        title: title(occ, diag),
        error_code: diag.error_code.clone(),
        occurrences: count_occurrences(&group.occurrences),
        first_seen: group
            .occurrences
            .iter()
            .find_map(|o| o.first_seen.clone())
            .or_else(|| seen.first().cloned()),
        last_seen: group
            .occurrences
            .iter()
            .rev()
            .find_map(|o| o.last_seen.clone())
            .or_else(|| seen.last().cloned()),
        workload: occ.workload.clone(),
        node: occ.node.clone(),
        container_id: occ.container_id.clone(),
        image: occ.image.clone(),
        isolation: occ.isolation.map_or("unknown", |i| i.as_str()).to_owned(),
        host,
        image_os,
        verdict: diag.verdict,
        root_cause,
        fixes,
        next_steps,
        evidence,
        hcs: occ.failure.hcs.clone(),
    }
}

fn title(occ: &Occurrence<'_>, diag: &diagnose::Diagnosis) -> String {
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
    let host = occ.host.as_ref().map(|h| h.version.build);
    let image = occ.image_os.as_ref().map(|i| i.sourced.version.build);
    match diag.kind {
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
            diag.error_code.as_deref().unwrap_or("another error")
        ),
        FindingKind::MixedBuildNoSelector | FindingKind::TruncatedEvidence => who.to_owned(),
    }
}

/// Exactly which commands would supply what is missing.
fn next_steps(occ: &Occurrence<'_>, kind: FindingKind) -> Vec<String> {
    let mut steps = Vec::new();
    if occ.host.is_none()
        && !matches!(
            kind,
            FindingKind::WrongPlatform | FindingKind::OtherHcsError
        )
    {
        match (&occ.node, occ.orchestrator) {
            (Some(node), correlate::Orchestrator::Kubernetes) => {
                steps.push(format!("kubectl get node {node} -o wide"))
            }
            (Some(node), correlate::Orchestrator::Swarm) => steps.push(format!(
                "docker node inspect {node} --format '{{{{.Description.Engine.EngineVersion}}}} {{{{json .Spec.Labels}}}}'   # then on {node}: docker info --format '{{{{.KernelVersion}}}}'"
            )),
            _ => steps.push("docker info --format '{{.KernelVersion}}'".to_owned()),
        }
    }
    if occ.image_os.is_none()
        && !matches!(
            kind,
            FindingKind::WrongPlatform | FindingKind::OtherHcsError
        )
    {
        match &occ.image {
            Some(image) => steps.push(format!(
                "docker image inspect {image} --format '{{{{.OsVersion}}}}'"
            )),
            None => steps.push("docker image inspect <image> --format '{{.OsVersion}}'".to_owned()),
        }
    }
    if !steps.is_empty() {
        steps.push("Then run wincompat again with that output, or add --node NAME=VERSION / --image-version IMAGE=VERSION.".to_owned());
    }
    steps
}

/// `mixed-build-no-selector`: Windows nodes of different builds and a
/// failing or described pod that does not pin a build.
fn mixed_build_warnings(index: &Index<'_>, findings: &[Finding]) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for w in &index.workloads {
        if w.data.kind != WorkloadKind::Pod {
            continue;
        }
        let mut builds: Vec<u32> = index
            .windows_nodes_for(w.input)
            .iter()
            .filter_map(|n| n.version.as_ref().map(|v| v.version.build))
            .collect();
        builds.sort_unstable();
        builds.dedup();
        if builds.len() < 2 {
            continue;
        }
        let pinned = w.data.node_selector.iter().any(|(k, _)| {
            k == "node.kubernetes.io/windows-build" || k == "beta.kubernetes.io/osbuild"
        }) || w.data.runtime_class.is_some();
        let name = match &w.data.namespace {
            Some(ns) => format!("{ns}/{}", w.data.name),
            None => w.data.name.clone(),
        };
        let failing = findings
            .iter()
            .any(|f| f.workload.as_deref() == Some(name.as_str()));
        if pinned || !failing || done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        let list = builds
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Finding {
            code: FindingKind::MixedBuildNoSelector.code().to_owned(),
            kind: FindingKind::MixedBuildNoSelector,
            severity: Severity::Warning,
            title: format!("{name}: no Windows build selector in a cluster of builds {list}"),
            error_code: None,
            occurrences: 1,
            first_seen: None,
            last_seen: None,
            workload: Some(name.clone()),
            node: w.data.node.clone(),
            container_id: None,
            image: w.data.image.clone(),
            isolation: "unknown".to_owned(),
            host: None,
            image_os: None,
            verdict: Verdict::Unknown,
            root_cause: format!(
                "The cluster has Windows nodes of builds {list}, and this pod does not select a build (no node.kubernetes.io/windows-build nodeSelector or RuntimeClass), so the scheduler may place it on a node whose build cannot run its image."
            ),
            fixes: Vec::new(),
            next_steps: vec![format!(
                "kubectl get pod {} {}-o jsonpath='{{.spec.nodeSelector}}'",
                w.data.name,
                w.data.namespace.as_deref().map(|n| format!("-n {n} ")).unwrap_or_default()
            )],
            evidence: vec![index.evidence(w.input, w.record.line, &format!("{} Node-Selectors: {}", w.data.name, selector_text(&w.data.node_selector)))],
            hcs: None,
        });
    }
    out
}

fn selector_text(sel: &[(String, String)]) -> String {
    if sel.is_empty() {
        "<none>".to_owned()
    } else {
        sel.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A failure record whose text stops before any cause (no wording, code or
/// message): the tool that printed it, or the paste, cut it.
fn cause_was_cut(failure: &crate::model::Failure) -> bool {
    matches!(failure.kind, None | Some(crate::model::FailureKind::Hcs))
        && failure.hcs_code.is_none()
        && failure.message.is_none()
}

/// `truncated-evidence`: one info finding per input with `…`-cut output or
/// failure messages cut before their cause.
fn truncation_infos(index: &Index<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, input) in index.inputs.iter().enumerate() {
        let mut cuts: Vec<(&crate::model::Record, crate::model::Truncation)> = input
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Truncated(t) => Some((r, t.clone())),
                _ => None,
            })
            .collect();
        for r in &input.records {
            let RecordData::Failure(f) = &r.data else {
                continue;
            };
            // A cut row inside a table that already reported its cuts.
            let covered = cuts.iter().any(|(c, _)| {
                index
                    .section_at(i, c.line)
                    .is_some_and(|sec| sec.line <= r.line && r.line <= sec.end_line)
                    || (c.line <= r.line && r.line <= c.end_line)
            });
            if !cause_was_cut(f) || covered {
                continue;
            }
            cuts.push((
                r,
                crate::model::Truncation {
                    what: "failure message".to_owned(),
                    suggestion:
                        "the complete error output: the text stops before the Windows error message"
                            .to_owned(),
                    text: f.text.clone(),
                },
            ));
        }
        let Some((_, t)) = cuts.first() else {
            continue;
        };
        let mut suggestions: Vec<String> = cuts.iter().map(|(_, t)| t.suggestion.clone()).collect();
        suggestions.sort();
        suggestions.dedup();
        out.push(Finding {
            code: FindingKind::TruncatedEvidence.code().to_owned(),
            kind: FindingKind::TruncatedEvidence,
            severity: Severity::Info,
            title: format!("{}: {} cut before the cause", input.name, t.what),
            error_code: None,
            occurrences: cuts.len() as u64,
            first_seen: None,
            last_seen: None,
            workload: None,
            node: None,
            container_id: None,
            image: None,
            isolation: "unknown".to_owned(),
            host: None,
            image_os: None,
            verdict: Verdict::Unknown,
            root_cause: format!(
                "{} line(s) of this output were cut by the tool that printed them, so the full error is not visible there. Run the command that prints it whole.",
                cuts.len()
            ),
            fixes: Vec::new(),
            next_steps: suggestions,
            evidence: cuts
                .iter()
                .take(5)
                .map(|(r, t)| index.evidence(i, r.line, &t.text))
                .collect(),
            hcs: None,
        });
    }
    out
}

fn node_summaries(index: &Index<'_>, given: &GivenFacts) -> Vec<NodeSummary> {
    let mut out: Vec<NodeSummary> = index
        .nodes
        .iter()
        .map(|n| {
            let given_v = given
                .nodes
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&n.name))
                .map(|(_, v)| *v);
            let v = n.version.as_ref().map(|s| s.version).or(given_v);
            NodeSummary {
                name: n.name.clone(),
                os_version: v.map(|v| v.to_string()),
                build: v.map(|v| v.build),
                revision: v.and_then(|v| v.revision),
                release: v.and_then(|v| releases::release_name(v.build)),
                os_name: n.os_name.clone(),
                runtime: n.runtime.clone(),
                default_isolation: n.default_isolation,
                sources: n
                    .sources
                    .iter()
                    .map(|(i, line)| SourceRef {
                        input: index.input_name(*i).to_owned(),
                        line: *line,
                    })
                    .collect(),
            }
        })
        .collect();
    for (name, v) in &given.nodes {
        if !out.iter().any(|n| n.name.eq_ignore_ascii_case(name)) {
            out.push(NodeSummary {
                name: name.clone(),
                os_version: Some(v.to_string()),
                build: Some(v.build),
                revision: v.revision,
                release: releases::release_name(v.build),
                os_name: None,
                runtime: None,
                default_isolation: None,
                sources: Vec::new(),
            });
        }
    }
    out
}
