//! Plain-word phrasing shared by the text and Markdown renderers: the
//! one-line headline, what each finding kind means, how a version and its
//! source are stated. Pure presentation of fields already in the `Report`;
//! it never decides anything the analysis did not (no knowledge lookups).
//! Returned strings are NOT yet escaped for any format.

use crate::model::finding::{Finding, FindingKind, Fix, FixKind, OsInfo, Report, Severity};
use crate::model::SectionKind;
use std::collections::BTreeSet;

/// How a report says that a finding rests on an inference.
pub const INFERRED: &str =
    "inferred (not all of it was printed for this container: see the sources)";

/// How the analysis begins the sentence saying where an image's build
/// came from ("The image's build is inferred: …" / "… is read from the tag
/// ltsc2019", `analyze::wording::root_cause`); the concise text report
/// shows that sentence beside the first one.
pub const IMAGE_SOURCE: &str = "The image's build is ";

/// How a fix says that the release it moves to is out of support ("The
/// 1709 image left support on 2019-04-09 …", `knowledge::tags`); the
/// concise text report shows that sentence under the fix.
pub const SUPPORT_ENDED: &str = " left support on ";

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

/// The fixes that do not apply, those with the same reason together
/// (`Rebuild on a matching base image, Hyper-V isolation` → one reason),
/// in their first order: a reason is said once, not once per fix.
pub fn grouped_by_reason<'a>(fixes: &[&'a Fix]) -> Vec<(String, &'a str)> {
    let mut groups: Vec<(Vec<&'static str>, &'a str)> = Vec::new();
    for fix in fixes {
        match groups.iter_mut().find(|(_, why)| *why == fix.why.as_str()) {
            Some((labels, _)) => labels.push(fix_label(fix.kind)),
            None => groups.push((vec![fix_label(fix.kind)], fix.why.as_str())),
        }
    }
    groups
        .into_iter()
        .map(|(labels, why)| (labels.join(", "), why))
        .collect()
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
        let kinds = recognised(report);
        if kinds.is_empty() && n > 0 && notes == 0 {
            // Issue 13: "no failure" must not read as a clean bill when
            // nothing in the input was understood at all.
            let names: Vec<&str> = report.inputs.iter().map(|i| i.name.as_str()).collect();
            let shown = if names.len() > 3 {
                format!("{}, +{} more", names[..3].join(", "), names.len() - 3)
            } else {
                names.join(", ")
            };
            return (
                Mood::Warning,
                format!(
                    "Nothing recognised in {n} {} ({shown}): no kubectl, docker or log output \
                     wincompat reads, and no container start failure",
                    plural(n, "input", "inputs")
                ),
            );
        }
        let mut line = format!(
            "No container start failure found in {n} {}",
            plural(n, "input", "inputs")
        );
        if !kinds.is_empty() {
            let unread = report
                .inputs
                .iter()
                .filter(|i| !i.sections.iter().any(|s| s.kind != SectionKind::Text))
                .count();
            line.push_str(&format!(" (read: {}", kinds.join(", ")));
            if unread > 0 {
                line.push_str(&format!("; {unread} not recognised"));
            }
            line.push(')');
        }
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

/// The kinds of output recognised in the inputs (not plain text), by
/// display name, in first-seen order.
fn recognised(report: &Report) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    for section in report.inputs.iter().flat_map(|i| &i.sections) {
        if section.kind != SectionKind::Text {
            let name = section.kind.display_name();
            if !kinds.contains(&name) {
                kinds.push(name);
            }
        }
    }
    kinds
}

/// The first sentence of a paragraph our analysis wrote: up to the first
/// `. ` (or `: ` never) that is followed by a capital letter or `(`, so
/// versions (`10.0.17763`) and abbreviations (`e.g. `) do not end it.
pub fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find(". ") {
        let at = from + pos;
        let next = text[at + 2..].chars().next();
        let before = &text[..at];
        let abbreviation = ["e.g", "i.e", "vs", "etc"]
            .iter()
            .any(|a| before.ends_with(a));
        if !abbreviation && next.is_some_and(|c| c.is_uppercase() || c == '(') {
            return &text[..=at];
        }
        from = at + 2;
        if from >= bytes.len() {
            break;
        }
    }
    text
}

/// The sentences of a paragraph our analysis wrote, split as
/// [`first_sentence`] splits.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.trim().is_empty() {
        let first = first_sentence(rest);
        out.push(first.trim());
        rest = &rest[first.len()..];
    }
    out
}

/// A time as an input printed it, for reading: klog's `E0301
/// 09:14:06.871520` (severity letter, month, day; no year, none invented)
/// becomes `03-01 09:14:06`; kubectl's ages (`18m`, `2m14s`) read as
/// `18m ago`; anything else is shown as it was printed.
pub fn when(stamp: &str) -> String {
    let s = stamp.trim();
    let b = s.as_bytes();
    let klog = b.len() >= 14
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
        && b[6..8].iter().all(u8::is_ascii_digit)
        && b[8] == b':'
        && b[9..11].iter().all(u8::is_ascii_digit)
        && b[11] == b':'
        && b[12..14].iter().all(u8::is_ascii_digit);
    if klog {
        return format!("{}-{} {}", &s[1..3], &s[3..5], &s[6..14]);
    }
    let age = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || "smhd".contains(c))
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.ends_with(|c: char| "smhd".contains(c));
    if age {
        return format!("{s} ago");
    }
    s.to_owned()
}

/// `, first 03-01 09:14:06, last 03-01 09:20:11`, or `, at …` when both
/// read the same (klog stamps a microsecond apart), or nothing: the times
/// of a finding as [`when`] reads them, not yet escaped.
pub fn seen_times(f: &Finding) -> String {
    let first = f.first_seen.as_deref().map(when);
    let last = f.last_seen.as_deref().map(when);
    match (first, last) {
        (Some(a), Some(b)) if a != b => format!(", first {a}, last {b}"),
        (Some(a), _) | (None, Some(a)) => format!(", at {a}"),
        (None, None) => String::new(),
    }
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
    fn fixes_with_one_reason_are_listed_together() {
        let fix = |kind, why: &str| Fix {
            kind,
            applies: false,
            why: why.to_owned(),
            commands: Vec::new(),
        };
        let (a, b, c) = (
            fix(FixKind::Rebuild, "Not a mismatch."),
            fix(FixKind::Hyperv, "Kubernetes does not."),
            fix(FixKind::Move, "Not a mismatch."),
        );
        assert_eq!(
            grouped_by_reason(&[&a, &b, &c]),
            [
                (
                    "Rebuild on a matching base image, Move to a matching host".to_owned(),
                    "Not a mismatch."
                ),
                ("Hyper-V isolation".to_owned(), "Kubernetes does not.")
            ]
        );
    }

    #[test]
    fn klog_prefixes_and_ages_read_as_times() {
        assert_eq!(when("E0301 09:14:06.871520"), "03-01 09:14:06");
        assert_eq!(when("I1231 23:59:59"), "12-31 23:59:59");
        assert_eq!(when("18m"), "18m ago");
        assert_eq!(when("2m14s"), "2m14s ago");
        assert_eq!(when("2024-02-03T04:05:06.789Z"), "2024-02-03T04:05:06.789Z");
        assert_eq!(when("E03"), "E03");
    }

    #[test]
    fn first_sentence_ends_at_a_sentence_not_a_version() {
        assert_eq!(
            first_sentence("The image is 10.0.17763. But the host (e.g. Node) runs. More."),
            "The image is 10.0.17763."
        );
        assert_eq!(
            first_sentence("Use e.g. Hyper-V. Then rebuild."),
            "Use e.g. Hyper-V."
        );
        assert_eq!(first_sentence("No end"), "No end");
        assert_eq!(first_sentence("Ends here. "), "Ends here. ");
    }

    #[test]
    fn nothing_recognised_is_not_a_clean_bill() {
        use crate::model::finding::{InputSummary, SectionRef};
        let mut r = report(Vec::new());
        r.inputs.push(InputSummary {
            name: "notes.txt".to_owned(),
            sections: Vec::new(),
            warnings: Vec::new(),
        });
        let (mood, line) = headline(&r);
        assert_eq!(mood, Mood::Warning);
        assert!(
            line.starts_with("Nothing recognised in 1 input (notes.txt)"),
            "{line}"
        );
        r.inputs[0].sections.push(SectionRef {
            kind: SectionKind::DockerInfo,
            line: 1,
        });
        let (mood, line) = headline(&r);
        assert_eq!(mood, Mood::Clean);
        assert_eq!(
            line,
            "No container start failure found in 1 input (read: docker info)"
        );
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
