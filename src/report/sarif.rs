//! SARIF 2.1.0 (`-o sarif`) for code scanning: GitHub (upload-sarif),
//! Azure DevOps, IDE viewers. Built with the `serde-sarif` types (generated
//! from the OASIS schema), never as hand-written JSON.
//!
//! - one `rule` per finding code (`WC101` …) or, for `check`, per
//!   compatibility rule (`matrix-ws2022` …), with its title, its help text
//!   and its public sources; `helpUri` only when a source names a URL;
//! - one `result` per finding (per blocked/unknown node for `check`),
//!   `level` error/warning/note by severity, located at the input file
//!   (`artifactLocation.uri`: the input's name as a relative URI reference)
//!   and line (`region.startLine`) of its first evidence; further evidence
//!   as `relatedLocations`.
//!
//! Pure: the rule texts come in as [`RuleDoc`]s from the caller (a report
//! does not consult `knowledge`); unknown codes get a rule from the finding
//! itself.

use crate::model::check::{verdict_severity, CheckReport};
use crate::model::finding::{Evidence, Report, Severity};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Tool, ToolComponent,
};
use std::io::{self, Write};

/// The schema URI written into `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What a rule says, as the caller's knowledge states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    /// `WC101`, or a compatibility rule id (`matrix-ws2022`).
    pub id: String,
    /// `image-older-than-host` (a finding kind), or the rule id again.
    pub name: String,
    /// One line: "Image older than host (process isolation)".
    pub title: String,
    /// Plain-words explanation with what to do.
    pub help: String,
    /// Public sources (Microsoft Learn pages, GitHub files or issues).
    pub sources: Vec<String>,
    pub severity: Severity,
}

/// The first URL a source names: an explicit `https://…`, or a GitHub
/// `owner/repo#123` reference. `None` rather than a guessed address.
pub fn source_url(source: &str) -> Option<String> {
    if let Some(p) = source.find("https://") {
        let url: String = source[p..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ';' | '"' | ','))
            .collect();
        return Some(url);
    }
    for word in source.split([' ', ';', '(', ')', ',']) {
        let Some((repo, number)) = word.split_once('#') else {
            continue;
        };
        let Some((owner, name)) = repo.split_once('/') else {
            continue;
        };
        let ident = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if ident(owner)
            && ident(name)
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
        {
            return Some(format!("https://github.com/{owner}/{name}/issues/{number}"));
        }
    }
    None
}

/// An input's name as a relative URI reference: `/` separators, and every
/// byte outside the unreserved set, `/` and `!` percent-encoded
/// (`<stdin>` → `%3Cstdin%3E`, `a b.txt` → `a%20b.txt`).
pub fn input_uri(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b'!') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn location(input: &str, line: usize) -> Location {
    let artifact = ArtifactLocation::builder().uri(input_uri(input)).build();
    let physical = if line >= 1 {
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(
                Region::builder()
                    .start_line(i64::try_from(line).unwrap_or(i64::MAX))
                    .build(),
            )
            .build()
    } else {
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .build()
    };
    Location::builder().physical_location(physical).build()
}

fn evidence_location(e: &Evidence) -> Location {
    location(&e.input, e.line)
}

fn descriptor(doc: &RuleDoc) -> ReportingDescriptor {
    let mut help = doc.help.clone();
    let mut markdown = doc.help.clone();
    if !doc.sources.is_empty() {
        help.push_str("\nSources: ");
        help.push_str(&doc.sources.join("; "));
        markdown.push_str("\n\nSources:\n");
        for s in &doc.sources {
            match source_url(s) {
                Some(url) => {
                    let name = s.replace(&format!(" ({url})"), "");
                    markdown.push_str(&format!("- [{name}]({url})\n"));
                }
                None => markdown.push_str(&format!("- {s}\n")),
            }
        }
    }
    let config = ReportingConfiguration::builder()
        .level(serde_json::Value::from(level_word(doc.severity)))
        .build();
    let base = ReportingDescriptor::builder()
        .id(doc.id.clone())
        .name(doc.name.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(doc.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(doc.help.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(config)
        .properties(PropertyBag::builder().tags(vec![doc.name.clone()]).build());
    match doc.sources.iter().find_map(|s| source_url(s)) {
        Some(url) => base.help_uri(url).build(),
        None => base.build(),
    }
}

/// The rules the results use, in first-use order: the caller's doc when it
/// has one, else the fallback made from the result itself.
fn rules_for(used: &[(String, RuleDoc)], docs: &[RuleDoc]) -> Vec<ReportingDescriptor> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (id, fallback) in used {
        if seen.contains(&id.as_str()) {
            continue;
        }
        seen.push(id);
        let doc = docs.iter().find(|d| d.id == *id).unwrap_or(fallback);
        out.push(descriptor(doc));
    }
    out
}

fn write_log(
    version: &str,
    rules: Vec<ReportingDescriptor>,
    results: Vec<SarifResult>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let driver = ToolComponent::builder()
        .name("wincompat")
        .version(version.to_owned())
        .semantic_version(version.to_owned())
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The analysis report as a SARIF log.
pub fn render(report: &Report, docs: &[RuleDoc], out: &mut dyn Write) -> io::Result<()> {
    let mut used = Vec::new();
    let mut results = Vec::new();
    for f in &report.findings {
        let fallback = RuleDoc {
            id: f.code.clone(),
            name: f.kind.as_str().to_owned(),
            title: f.title.clone(),
            help: f.title.clone(),
            sources: Vec::new(),
            severity: f.severity,
        };
        used.push((f.code.clone(), fallback));
        let mut message = format!("{}: {}", f.title, f.root_cause);
        if let Some(fix) = f.fixes.iter().find(|x| x.applies) {
            message.push_str(&format!(" Fix: {}", fix.why));
            if let Some(cmd) = fix.commands.first() {
                message.push_str(&format!(" ({cmd})"));
            }
        }
        let mut locations: Vec<Location> = f.evidence.iter().map(evidence_location).collect();
        // A finding with no evidence line still names the first input read,
        // so that code scanning can place it.
        if locations.is_empty() {
            if let Some(input) = report.inputs.first() {
                locations.push(location(&input.name, 0));
            }
        }
        let related: Vec<Location> = locations
            .iter()
            .skip(1)
            .zip(1_i64..)
            .map(|(l, id)| Location {
                id: Some(id),
                ..l.clone()
            })
            .collect();
        locations.truncate(1);
        let mut props = PropertyBag::builder()
            .tags(vec![f.kind.as_str().to_owned()])
            .build();
        props.additional_properties.insert(
            "occurrences".to_owned(),
            serde_json::Value::from(f.occurrences),
        );
        props.additional_properties.insert(
            "verdict".to_owned(),
            serde_json::Value::from(f.verdict.as_str()),
        );
        let mut fingerprints = std::collections::BTreeMap::new();
        fingerprints.insert(
            "wincompat/v1".to_owned(),
            format!(
                "{}|{}|{}|{}",
                f.code,
                f.node.as_deref().unwrap_or(""),
                f.workload.as_deref().unwrap_or(""),
                f.image.as_deref().unwrap_or("")
            ),
        );
        let base = SarifResult::builder()
            .rule_id(f.code.clone())
            .level(level(f.severity))
            .message(Message::builder().text(message).build())
            .locations(locations)
            .partial_fingerprints(fingerprints)
            .properties(props);
        let result = if related.is_empty() {
            base.build()
        } else {
            base.related_locations(related).build()
        };
        results.push(result);
    }
    let rules = rules_for(&used, docs);
    fix_rule_indexes(&mut results, &rules);
    write_log(&report.tool.version, rules, results, out)
}

/// Point every result's `ruleIndex` at its rule in `rules`.
fn fix_rule_indexes(results: &mut [SarifResult], rules: &[ReportingDescriptor]) {
    for r in results {
        r.rule_index = r
            .rule_id
            .as_ref()
            .and_then(|id| rules.iter().position(|d| d.id == *id))
            .and_then(|i| i64::try_from(i).ok());
    }
}

/// One `check` problem, whatever the shape of the answer.
pub(crate) struct CheckProblem {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    pub at: Option<(String, usize)>,
}

/// The problems of a `check` answer: the host's verdict, or each node's.
pub(crate) fn check_problems(check: &CheckReport) -> Vec<CheckProblem> {
    match check {
        CheckReport::Host(h) => verdict_severity(h.verdict)
            .map(|severity| {
                let image = h.image.reference.as_deref().or(h.image.version.as_deref());
                CheckProblem {
                    rule: h.rule.to_owned(),
                    severity,
                    title: format!("wincompat check: {}", h.verdict.as_str()),
                    message: format!(
                        "{} on host {} ({} isolation): {}",
                        image.unwrap_or("the image"),
                        h.host.version,
                        h.isolation.as_str(),
                        h.reasons.join(" ")
                    ),
                    at: None,
                }
            })
            .into_iter()
            .collect(),
        CheckReport::Nodes(n) => n
            .nodes
            .iter()
            .filter_map(|node| {
                let severity = verdict_severity(node.verdict)?;
                Some(CheckProblem {
                    rule: node.rule.to_owned(),
                    severity,
                    title: format!("wincompat check: {}", node.verdict.as_str()),
                    message: format!(
                        "{} ({}) on node {} ({}, {} isolation): {}",
                        n.image,
                        n.image_version,
                        node.node,
                        node.version,
                        node.isolation.as_str(),
                        node.reason
                    ),
                    at: node.source.as_ref().map(|s| (s.input.clone(), s.line)),
                })
            })
            .collect(),
    }
}

/// A `check` answer as a SARIF log: one result per blocked, unknown or
/// preview-only verdict, at the node's description when it came from one.
pub fn render_check(
    check: &CheckReport,
    version: &str,
    docs: &[RuleDoc],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut used = Vec::new();
    let mut results = Vec::new();
    for p in check_problems(check) {
        used.push((
            p.rule.clone(),
            RuleDoc {
                id: p.rule.clone(),
                name: p.rule.clone(),
                title: p.rule.clone(),
                help: p.rule.clone(),
                sources: Vec::new(),
                severity: p.severity,
            },
        ));
        let base = SarifResult::builder()
            .rule_id(p.rule)
            .level(level(p.severity))
            .message(Message::builder().text(p.message).build());
        results.push(match p.at {
            Some((input, line)) => base.locations(vec![location(&input, line)]).build(),
            None => base.build(),
        });
    }
    let rules = rules_for(&used, docs);
    fix_rule_indexes(&mut results, &rules);
    write_log(version, rules, results, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_urls_are_read_never_guessed() {
        assert_eq!(
            source_url("Docs page.md (https://learn.microsoft.com/x/y)").as_deref(),
            Some("https://learn.microsoft.com/x/y")
        );
        assert_eq!(
            source_url("moby/moby#53397").as_deref(),
            Some("https://github.com/moby/moby/issues/53397")
        );
        assert_eq!(
            source_url("containerd/containerd#6508; microsoft/Windows-Containers#170").as_deref(),
            Some("https://github.com/containerd/containerd/issues/6508")
        );
        assert_eq!(
            source_url("microsoft/hcsshim osversion/platform_compat_windows.go"),
            None
        );
    }

    #[test]
    fn input_names_become_uri_references() {
        assert_eq!(input_uri("logs/kubelet.log"), "logs/kubelet.log");
        assert_eq!(input_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(input_uri("a b\\c.zip!x.txt"), "a%20b/c.zip!x.txt");
        assert_eq!(input_uri("C:/x"), "C%3A/x");
    }
}
