//! Analysis: correlate the records of every input, diagnose each failure
//! with the knowledge base, group identical failures, and build the
//! `Report`. Knows records and knowledge; knows nothing of input formats or
//! report formats.

pub mod check;
mod correlate;
mod diagnose;
mod fixes;
mod index;
mod names;
mod occurrence;
mod registry_view;
#[cfg(test)]
mod testkit;
mod wording;

pub use registry_view::windows_nodes;

use crate::knowledge::{releases, KNOWLEDGE_DATE};
use crate::model::finding::{
    Confidence, Evidence, Finding, FindingKind, InputSummary, IsolationMode, NodeSummary, OsInfo,
    Report, SectionRef, Severity, SourceRef, Summary, ToolInfo, Verdict, SCHEMA_VERSION,
};
use crate::model::{self, ParsedInput};
use crate::model::{FailureKind, RecordData, SectionKind, WindowsVersion, WorkloadKind};
use diagnose::Decision;
use index::Index;
use occurrence::Occurrence;
use occurrence::Sourced;
use std::collections::BTreeMap;

/// Facts given on the command line (`--node`, `--host`, `--image-version`).
#[derive(Debug, Clone, Default)]
pub struct GivenFacts {
    pub nodes: Vec<(String, WindowsVersion)>,
    pub host: Option<WindowsVersion>,
    pub images: Vec<(String, WindowsVersion)>,
    /// What registries said about the inputs' images (`--resolve-images`;
    /// empty otherwise). Resolved before the analysis: see `registry/`.
    pub registry_images: Vec<crate::model::resolved::ResolvedImage>,
}

/// The image references worth asking a registry about: those of failures
/// whose image build is unknown or only read from the tag or inferred.
pub fn images_to_resolve(inputs: &[ParsedInput], given: &GivenFacts) -> Vec<String> {
    let index = Index::build(inputs);
    let mut out: Vec<String> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for record in &input.records {
            let RecordData::Failure(failure) = &record.data else {
                continue;
            };
            // A sandbox failure is the pause image's, not the workload's.
            if failure.sandbox {
                continue;
            }
            let occ = correlate::correlate(&index, given, i, record, failure);
            let Some(image) = occ.image.clone() else {
                continue;
            };
            let weak = occ.image_os.as_ref().is_none_or(|os| os.from.is_weak());
            // A pull failure is decided by the list's entries even when the
            // message states a build.
            let manifest_failure = matches!(
                failure.kind,
                Some(FailureKind::NoMatchingManifest | FailureKind::NoMatchForPlatform)
            );
            if (weak || manifest_failure) && !out.contains(&image) {
                out.push(image);
            }
        }
    }
    out
}

/// Feeds formatted text into a hasher.
struct HashWriter<H>(H);

impl<H: std::hash::Hasher> std::fmt::Write for HashWriter<H> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// For each input, the earlier input whose records are all the same (same
/// lines, same facts): a support bundle that holds a file both as itself
/// and inside an archive. Inputs without failures are never copies.
fn same_text_as_earlier(inputs: &[ParsedInput]) -> Vec<Option<usize>> {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::Hasher;
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let has_failure = input
                .records
                .iter()
                .any(|r| matches!(r.data, RecordData::Failure(_)));
            if !has_failure {
                return None;
            }
            // Every record, field by field, hashed as it is formatted (no
            // serialised copy of a large input's records).
            let mut h = HashWriter(DefaultHasher::new());
            for r in &input.records {
                // Writing into a hasher cannot fail.
                let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{r:?}\n"));
            }
            for (i, fold) in &input.folds {
                let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{i} {fold:?}\n"));
            }
            let key = h.0.finish();
            match seen.get(&key) {
                Some(first) => Some(*first),
                None => {
                    seen.insert(key, i);
                    None
                }
            }
        })
        .collect()
}

/// Analyse parsed inputs into a report.
pub fn analyze(inputs: &[ParsedInput], given: &GivenFacts) -> Report {
    let index = Index::build(inputs);
    let copies = same_text_as_earlier(inputs);
    let mut groups: BTreeMap<GroupKey, Group<'_>> = BTreeMap::new();
    // A failure of one container (by its id) and text, once per input that
    // first showed it: a bundle's summary and its own log repeat it. Keyed
    // by `container_key` (a hash), so that folded records can carry theirs.
    let mut seen_containers: std::collections::HashMap<u64, usize> =
        std::collections::HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if copies.get(i).copied().flatten().is_some() {
            // The same text reached twice (a .txt and the same file inside a
            // .zip): its failures are counted once, with the first copy.
            continue;
        }
        for (r, record) in input.records.iter().enumerate() {
            let RecordData::Failure(failure) = &record.data else {
                continue;
            };
            let fold = input.folds.get(&r);
            // How many failures this record stands for, less those of
            // containers an earlier input showed.
            let own_key = failure
                .container
                .as_deref()
                .and_then(|id| model::parsed::container_key(id, &failure.text));
            let folded_keys = fold.map_or(&[][..], |f| f.container_keys.as_slice());
            let mut count = 1 + fold.map_or(0, |f| f.more);
            for key in own_key.iter().chain(folded_keys) {
                if *seen_containers.entry(*key).or_insert(i) != i {
                    count -= 1;
                }
            }
            if count == 0 {
                continue;
            }
            let occ = correlate::correlate(&index, given, i, record, failure);
            if cause_was_cut(failure) && !diagnose::cut_but_decided(&occ) {
                // Reported by `truncation_infos`: a cut wrapper such as
                // `"starting container failed: co…"` says nothing of the cause.
                continue;
            }
            let diag = diagnose::diagnose(&occ);
            // Registry hook (issue 12): kinds only the registry's answer decides.
            let diag = registry_view::refine(&occ, diag);
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
                error_code: diag.error_code,
            };
            let group = groups.entry(key).or_insert_with(|| Group {
                first: occ.clone(),
                diag: diag.clone(),
                tally: Tally::default(),
                evidence: KeptEvidence::default(),
                seen: Seen::default(),
            });
            group.evidence.push(
                i,
                index.evidence(occ.input, occ.record.line, &occ.failure.text),
            );
            group
                .seen
                .add(occ.first_seen.as_deref(), occ.last_seen.as_deref());
            if let Some(fold) = fold.filter(|f| f.more > 0) {
                group
                    .evidence
                    .push(i, index.evidence(i, fold.last_line, &fold.last_text));
                let last = fold.last_timestamp.as_deref().or(occ.last_seen.as_deref());
                group.seen.add(last, last);
            }
            group.tally.add(&occ, count);
        }
    }

    let mut findings: Vec<Finding> = groups
        .into_values()
        .map(|g| finding_of(&index, g))
        .collect();
    findings.extend(mixed_build_warnings(&index, &findings));
    findings.extend(truncation_infos(&index, given));
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
            .zip(&copies)
            .map(|(p, copy)| InputSummary {
                name: p.name.clone(),
                sections: p
                    .sections
                    .iter()
                    .map(|s| SectionRef {
                        kind: s.kind,
                        line: s.line,
                    })
                    .collect(),
                warnings: p
                    .warnings
                    .iter()
                    .cloned()
                    .chain(copy.and_then(|c| inputs.get(c)).map(|first| {
                        format!(
                            "same failures as {}: counted once, with that input",
                            first.name
                        )
                    }))
                    .collect(),
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
    error_code: Option<u32>,
}

/// One finding in the making: the first occurrence (which the diagnosis,
/// wording and fixes read), the counts, and a bounded choice of evidence
/// and times, whatever the number of occurrences (issue 15).
struct Group<'a> {
    first: Occurrence<'a>,
    diag: Decision,
    tally: Tally,
    evidence: KeptEvidence,
    seen: Seen,
}

/// How many pieces of evidence a finding keeps from each end: the first
/// three and the last three (the middle of a million restarts says nothing
/// the ends do not).
pub(crate) const EVIDENCE_KEPT_EACH_END: usize = 3;

/// The first and the last [`EVIDENCE_KEPT_EACH_END`] pieces of evidence,
/// a piece equal to the one before it left out, each with the index of its
/// input.
#[derive(Default)]
struct KeptEvidence {
    head: Vec<(usize, Evidence)>,
    tail: std::collections::VecDeque<(usize, Evidence)>,
}

impl KeptEvidence {
    fn push(&mut self, input: usize, e: Evidence) {
        let previous = self.tail.back().or(self.head.last());
        if previous.is_some_and(|(_, p)| *p == e) {
            return;
        }
        if self.head.len() < EVIDENCE_KEPT_EACH_END {
            self.head.push((input, e));
            return;
        }
        self.tail.push_back((input, e));
        if self.tail.len() > EVIDENCE_KEPT_EACH_END {
            self.tail.pop_front();
        }
    }

    /// In input order, then line order: the last line of a folded record
    /// was pushed with the record, before records of later lines.
    fn into_vec(self) -> Vec<Evidence> {
        let mut out: Vec<(usize, Evidence)> = self.head;
        out.extend(self.tail);
        out.sort_by_key(|(input, e)| (*input, e.line));
        out.into_iter().map(|(_, e)| e).collect()
    }
}

/// First and last seen: the first occurrence's first time and the last
/// one's last time, in input order; failing those, the earliest and latest
/// of the other.
#[derive(Default)]
struct Seen {
    first: Option<String>,
    last: Option<String>,
    min_last: Option<String>,
    max_first: Option<String>,
}

impl Seen {
    fn add(&mut self, first: Option<&str>, last: Option<&str>) {
        if let Some(f) = first {
            if self.first.is_none() {
                self.first = Some(f.to_owned());
            }
            if self.max_first.as_deref().is_none_or(|m| f > m) {
                self.max_first = Some(f.to_owned());
            }
        }
        if let Some(l) = last {
            if self.last.as_deref() != Some(l) {
                self.last = Some(l.to_owned());
            }
            if self.min_last.as_deref().is_none_or(|m| l < m) {
                self.min_last = Some(l.to_owned());
            }
        }
    }

    fn first_seen(&self) -> Option<String> {
        self.first.clone().or_else(|| self.min_last.clone())
    }

    fn last_seen(&self) -> Option<String> {
        self.last.clone().or_else(|| self.max_first.clone())
    }
}

/// Count occurrences: event counts add up (each distinct event once, even
/// when both `describe pod` and `get events` show it, with ages in one and
/// timestamps in the other); a pod's Last State
/// message is the latest of those events, so it adds nothing when events
/// were seen; every other record (log line, task row) counts once, a
/// folded record as many times as it stands for.
#[derive(Default)]
struct Tally {
    // An event is the same event whether `describe pod` (ages: `6d13h`) or
    // `get events -o json` (timestamps) printed it: its message and count
    // identify it within one finding; per-attempt events differ in their
    // container ids.
    seen_events: std::collections::HashSet<(String, u64)>,
    events_total: u64,
    others: u64,
    pod_status: u64,
}

impl Tally {
    /// `occ`, standing for `times` failures (a folded record).
    fn add(&mut self, occ: &Occurrence<'_>, times: u64) {
        if occ.from_event {
            let key = (
                occ.failure.text.chars().take(160).collect::<String>(),
                occ.count,
            );
            if self.seen_events.insert(key) {
                self.events_total = self.events_total.saturating_add(occ.count);
            }
        } else if occ.workload_kind == Some(WorkloadKind::Pod) {
            self.pod_status = self.pod_status.saturating_add(times);
        } else {
            self.others = self.others.saturating_add(times);
        }
    }

    fn total(&self) -> u64 {
        let pods = if self.events_total > 0 {
            0
        } else {
            self.pod_status
        };
        self.events_total
            .saturating_add(self.others)
            .saturating_add(pods)
            .max(1)
    }
}

/// A version as the report states it; `image` picks the image wording of
/// its source (`from` is the source kind for images, the description for
/// hosts: the JSON contract).
fn os_info(sourced: &Sourced, image: bool) -> OsInfo {
    let release = releases::release_name(sourced.version.build);
    OsInfo {
        version: sourced.version.to_string(),
        build: sourced.version.build,
        revision: sourced.version.revision,
        release: if sourced.from.is_lower_bound() {
            release.map(|r| format!("{r} or newer"))
        } else {
            release
        },
        from: if image {
            sourced.from.image_kind().to_owned()
        } else {
            wording::source_text(&sourced.from, false)
        },
        evidence: sourced.evidence.clone(),
        digest: None,
        lower_bound: sourced.from.is_lower_bound(),
    }
}

fn finding_of(index: &Index<'_>, group: Group<'_>) -> Finding {
    let occ = &group.first;
    let diag = &group.diag;
    let host = occ.host.as_ref().map(|h| os_info(h, false));
    let mut image_os = occ.image_os.as_ref().map(|i| os_info(i, true));
    if let Some(os) = image_os.as_mut() {
        os.digest = registry_view::digest_for(occ);
    }
    let root_cause = wording::root_cause(occ, diag);
    let fixes = fixes::fixes(index, occ, diag);
    let next_steps = fixes::next_steps(index, occ, diag.kind);
    Finding {
        code: diag.kind.code().to_owned(),
        kind: diag.kind,
        severity: diag.kind.severity(),
        title: wording::title(occ, diag),
        error_code: diag.error_code.map(wording::code_text),
        occurrences: group.tally.total(),
        first_seen: group.seen.first_seen(),
        last_seen: group.seen.last_seen(),
        workload: occ.workload.clone(),
        node: occ.node.clone(),
        container_id: occ.container_id.clone(),
        image: occ.image.clone(),
        isolation: occ.isolation_mode().into(),
        host,
        image_os,
        verdict: diag.verdict,
        confidence: diag.confidence,
        root_cause,
        rule: wording::rule_ref(diag),
        fixes,
        next_steps,
        evidence: group.evidence.into_vec(),
        hcs: occ.failure.hcs.clone(),
    }
}

/// `mixed-build-no-selector`: Windows nodes of different builds and a
/// failing or described pod that does not pin a build.
fn mixed_build_warnings(index: &Index<'_>, findings: &[Finding]) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    for w in &index.workloads {
        // Only outputs that print the pod's nodeSelector can say it has none
        // (`kubectl get pods -o wide` has no such column).
        let shows_selectors = matches!(
            w.record.section,
            SectionKind::KubectlDescribePod | SectionKind::KubeJson | SectionKind::KubeYaml
        );
        if w.data.kind != WorkloadKind::Pod || !shows_selectors {
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
            isolation: IsolationMode::Unknown,
            host: None,
            image_os: None,
            verdict: Verdict::Unknown,
            confidence: Confidence::Stated,
            rule: None,
            root_cause: format!(
                "The cluster has Windows nodes of builds {list}, and this pod does not select a build (no node.kubernetes.io/windows-build nodeSelector or RuntimeClass), so the scheduler may place it on a node whose build cannot run its image."
            ),
            fixes: Vec::new(),
            next_steps: vec![format!(
                "kubectl get pod {} {}-o jsonpath='{{.spec.nodeSelector}}'",
                w.data.name,
                w.data.namespace.as_deref().map(|n| format!("-n {n} ")).unwrap_or_default()
            )],
            evidence: vec![index.evidence(w.input, w.record.line, &selector_evidence(w))],
            hcs: None,
        });
    }
    out
}

/// What the pod's output says of its selectors, in that output's words.
fn selector_evidence(w: &index::At<'_, crate::model::Workload>) -> String {
    let selectors = selector_text(&w.data.node_selector);
    match w.record.section {
        SectionKind::KubectlDescribePod => format!("{} Node-Selectors: {selectors}", w.data.name),
        _ => format!("{} spec.nodeSelector: {selectors}", w.data.name),
    }
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
    failure.cause == crate::model::FailureCause::Cut
}

/// `truncated-evidence`: one info finding per input with `…`-cut output or
/// failure messages cut before their cause.
fn truncation_infos(index: &Index<'_>, given: &GivenFacts) -> Vec<Finding> {
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
            let decided =
                || diagnose::cut_but_decided(&correlate::correlate(index, given, i, r, f));
            if !cause_was_cut(f) || covered || decided() {
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
            isolation: IsolationMode::Unknown,
            host: None,
            image_os: None,
            verdict: Verdict::Unknown,
            confidence: Confidence::Stated,
            rule: None,
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
