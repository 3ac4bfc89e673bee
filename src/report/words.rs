//! Plain-word phrasing shared by the text and Markdown renderers: the
//! one-line headline, what each finding kind means, how a version and its
//! source are stated. Pure presentation of fields already in the `Report`;
//! it never decides anything the analysis did not (no knowledge lookups).
//! Returned strings are NOT yet escaped for any format.

use crate::model::finding::{Finding, FindingKind, FixKind, OsInfo, Report, Severity};
use std::collections::BTreeSet;

/// How a report says that a finding rests on an inference.
pub const INFERRED: &str =
    "inferred (not all of it was printed for this container: see the sources)";

/// What a finding kind means, in words a user reads after "✗ N failures: ".
///
/// `ImageOlderThanHost` → `"the container image's Windows build is older than the host's"`.
pub fn kind_phrase(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::ImageOlderThanHost => {
            "the container image's Windows build is older than the host's"
        }
        FindingKind::ImageNewerThanHost => {
            "the container image's Windows build is newer than the host's"
        }
        FindingKind::RevisionMismatch => {
            "the image's Windows update revision does not match the host's"
        }
        FindingKind::SandboxImageMismatch => {
            "the pod sandbox (pause) image's Windows build does not match the host's"
        }
        FindingKind::ManifestNoMatch => "the image has no variant for the host's Windows build",
        FindingKind::WrongPlatform => "the image is built for another operating system",
        FindingKind::RuntimeMatcherRefusal => {
            "the container runtime refused the image's Windows build for this host"
        }
        FindingKind::VersionsMatch => "a container failed although image and host builds match",
        FindingKind::MismatchVersionsUnknown => {
            "the container image's Windows build does not match the host's, builds unknown"
        }
        FindingKind::OtherHcsError => {
            "a Windows container failed to start for a reason other than the OS version"
        }
        FindingKind::MixedBuildNoSelector => {
            "Windows workloads can be scheduled on nodes of different builds"
        }
        FindingKind::TruncatedEvidence => "part of the error text was cut off in the input",
    }
}

/// Short label of a fix kind, as shown before its reason.
///
/// `FixKind::Hyperv` → `"Hyper-V isolation"`.
pub fn fix_label(kind: FixKind) -> &'static str {
    match kind {
        FixKind::Rebuild => "Rebuild on a matching base image",
        FixKind::Hyperv => "Hyper-V isolation",
        FixKind::Move => "Move to a matching host",
        FixKind::Update => "Update the host or runtime",
        FixKind::Other => "Other",
    }
}

/// Which of the three report moods the headline has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Failure,
    Warning,
    Clean,
}

/// The one-line verdict, without the leading symbol, and its mood.
///
/// Examples:
/// `"2 failures: the container image's Windows build is older than the host's (1 workload on 2 nodes)"`,
/// `"1 warning: Windows workloads can be scheduled on nodes of different builds"`,
/// `"No container start failure found in 3 inputs"`.
pub fn headline(report: &Report) -> (Mood, String) {
    let errors: Vec<&Finding> = by_severity(report, Severity::Error);
    let warnings: Vec<&Finding> = by_severity(report, Severity::Warning);
    let notes = by_severity(report, Severity::Info).len();
    let (mood, group, noun) = if !errors.is_empty() {
        (Mood::Failure, errors, "failure")
    } else if !warnings.is_empty() {
        (Mood::Warning, warnings, "warning")
    } else {
        let n = report.inputs.len();
        let mut line = format!(
            "No container start failure found in {n} {}",
            plural(n, "input", "inputs")
        );
        if notes > 0 {
            line.push_str(&format!(
                " ({notes} {} below)",
                plural(notes, "note", "notes")
            ));
        }
        return (Mood::Clean, line);
    };
    let n = group.len();
    let kinds: BTreeSet<FindingKind> = group.iter().map(|f| f.kind).collect();
    let cause = match kinds.iter().next() {
        Some(kind) if kinds.len() == 1 => kind_phrase(*kind).to_owned(),
        _ => format!("{} different causes, see below", kinds.len()),
    };
    let workloads: BTreeSet<&str> = group.iter().filter_map(|f| f.workload.as_deref()).collect();
    let nodes: BTreeSet<&str> = group.iter().filter_map(|f| f.node.as_deref()).collect();
    let scope = match (workloads.len(), nodes.len()) {
        (0, 0) => String::new(),
        (w, 0) => format!(" ({w} {})", plural(w, "workload", "workloads")),
        (0, h) => format!(" (on {h} {})", plural(h, "node", "nodes")),
        (w, h) => format!(
            " ({w} {} on {h} {})",
            plural(w, "workload", "workloads"),
            plural(h, "node", "nodes")
        ),
    };
    let line = format!(
        "{n} {}: {cause}{scope}",
        plural(n, noun, &format!("{noun}s"))
    );
    (mood, line)
}

fn by_severity(report: &Report, severity: Severity) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .collect()
}

/// `singular` when `n == 1`, else `many`.
pub fn plural<'a>(n: usize, singular: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        singular
    } else {
        many
    }
}

/// A version with its release name: `10.0.17763.1577 (Windows Server 2019)`.
pub fn os_version(os: &OsInfo) -> String {
    match &os.release {
        Some(release) => format!("{} ({release})", os.version),
        None => os.version.clone(),
    }
}

/// Where a version came from: `kubectl describe node, nodes.txt:12`, or
/// just `tag` when it was not read from a place in an input.
pub fn os_source(os: &OsInfo) -> String {
    match &os.evidence {
        Some(ev) => format!("{}, {}:{}", os.from, ev.input, ev.line),
        None => os.from.clone(),
    }
}

/// `1 time` / `31 times`.
pub fn times(n: u64) -> String {
    if n == 1 {
        "1 time".to_owned()
    } else {
        format!("{n} times")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{Confidence, IsolationMode, Summary, ToolInfo, Verdict};

    fn finding(kind: FindingKind, workload: &str, node: &str) -> Finding {
        Finding {
            code: kind.code().to_owned(),
            kind,
            severity: kind.severity(),
            title: String::new(),
            error_code: None,
            occurrences: 1,
            first_seen: None,
            last_seen: None,
            workload: Some(workload.to_owned()),
            node: Some(node.to_owned()),
            container_id: None,
            image: None,
            isolation: IsolationMode::Process,
            host: None,
            image_os: None,
            verdict: Verdict::Blocked,
            confidence: Confidence::Stated,
            root_cause: String::new(),
            rule: None,
            fixes: Vec::new(),
            next_steps: Vec::new(),
            evidence: Vec::new(),
            hcs: None,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            schema_version: 1,
            tool: ToolInfo {
                name: "wincompat".to_owned(),
                version: "0.1.0".to_owned(),
                knowledge_date: "2025-06-01".to_owned(),
            },
            inputs: Vec::new(),
            nodes: Vec::new(),
            findings,
            summary: Summary {
                findings: 0,
                occurrences: 0,
            },
            redactions: Vec::new(),
        }
    }

    #[test]
    fn headline_counts_failures_workloads_and_nodes() {
        let r = report(vec![
            finding(FindingKind::ImageOlderThanHost, "app-1", "n1"),
            finding(FindingKind::ImageOlderThanHost, "app-1", "n2"),
        ]);
        assert_eq!(
            headline(&r),
            (
                Mood::Failure,
                "2 failures: the container image's Windows build is older than the host's \
                 (1 workload on 2 nodes)"
                    .to_owned()
            )
        );
    }

    #[test]
    fn headline_mixed_kinds_and_clean() {
        let r = report(vec![
            finding(FindingKind::ImageOlderThanHost, "a", "n1"),
            finding(FindingKind::OtherHcsError, "b", "n1"),
        ]);
        assert_eq!(
            headline(&r).1,
            "2 failures: 2 different causes, see below (2 workloads on 1 node)"
        );
        let r = report(vec![finding(FindingKind::TruncatedEvidence, "a", "n")]);
        assert_eq!(
            headline(&r),
            (
                Mood::Clean,
                "No container start failure found in 0 inputs (1 note below)".to_owned()
            )
        );
    }
}
