//! CI job logs: GitHub Actions and Azure Pipelines raw logs (every line
//! starts `2024-03-01T10:22:33.1234567Z `; `##[group]`, `##[error]`,
//! `##[section]` markers) and GitLab job logs (`section_start:…`,
//! `Running with gitlab-runner …`). Each run is a `CiLog` section.
//!
//! The GitHub Actions "Set up job" step prints the runner's OS
//! (`Operating System` / `Microsoft Windows Server 2022` / `10.0.20348` /
//! `Datacenter`) and image (`Image: windows-2022`, `Version: 20240304.1.0`):
//! that becomes `HostFacts` (no name: the runner is anonymous; image and
//! image version as labels), so a CI log alone tells the runner's build.
//!
//! `Doc::lines` already has the timestamps and ANSI colours removed, so
//! other parsers read the docker output inside a CI log; this module looks
//! at `Doc::raw` only to tell that a line had the runner timestamp. It must
//! not know which build is which release.

use super::doc::{strip_ci_timestamp, Doc, Output};
use crate::model::version::find_version;
use crate::model::{HostFacts, HostKind, RecordData, SectionKind};

const KIND: SectionKind = SectionKind::CiLog;

/// Logging commands of GitHub Actions and Azure Pipelines:
/// `##[group]Run docker run …`, `##[error]Process completed with exit code 1.`,
/// `##[section]Starting: Build`, `##vso[task.logissue type=error]…`.
fn is_runner_marker(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("##[") || t.starts_with("##vso[")
}

/// GitLab job log lines: `section_start:1709288553:step_script`,
/// `section_end:…`, `Running with gitlab-runner 16.9.0 (…)`,
/// `ERROR: Job failed: exit code 1`, `Job succeeded`.
fn is_gitlab_marker(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("section_start:")
        || t.starts_with("section_end:")
        || t.starts_with("Running with gitlab-runner ")
        || t.starts_with("ERROR: Job failed")
        || t == "Job succeeded"
}

/// Literals (lower case) of the runner facts in a CI log, for the
/// streaming prefilter (`super::prefilter`): GitHub Actions' `Operating
/// System` in "Set up job".
pub const LITERALS: &[&str] = &["operating system"];

/// Scan `doc` for CI log runs.
pub fn scan(doc: &Doc, out: &mut Output) {
    let stamped = |n: usize| {
        doc.raw
            .get(n.wrapping_sub(1))
            .is_some_and(|r| strip_ci_timestamp(r).is_some())
    };
    let is_ci = |n: usize| {
        let line = doc.line(n);
        stamped(n) || is_runner_marker(line) || is_gitlab_marker(line)
    };
    // Runs over line numbers (the predicate needs `raw`, so `Doc::runs`,
    // which sees cleaned text only, does not fit). GitLab and pasted
    // Actions logs interleave long unmarked output between markers.
    const MAX_GAP: usize = 200;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for n in 1..=doc.len() {
        if !is_ci(n) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if n - last.1 <= MAX_GAP + 1 => last.1 = n,
            _ => runs.push((n, n)),
        }
    }
    for (first, last) in runs {
        // One lone `##[error]` in prose is still a CI log line; keep it.
        out.section(KIND, first, last);
        runner_facts(doc, first, last, out);
    }
}

/// The GitHub Actions "Set up job" blocks `Operating System` and
/// `Runner Image` inside `first..=last`, as one `HostFacts`.
fn runner_facts(doc: &Doc, first: usize, last: usize, out: &mut Output) {
    let mut facts = HostFacts::default();
    let mut span: Option<(usize, usize)> = None;
    let note = |n: usize, span: &mut Option<(usize, usize)>| {
        *span = Some(span.map_or((n, n), |(s, e)| (s.min(n), e.max(n))));
    };
    let mut n = first;
    while n <= last {
        let t = doc.line(n).trim();
        let heading = t.strip_prefix("##[group]").unwrap_or(t);
        if heading == "Operating System" {
            // The next lines up to `##[endgroup]` (at most 4): name, version,
            // edition; older runners printed them on one line
            // (`Microsoft Windows Server 2022 10.0.20348 Datacenter`).
            let mut name_parts = Vec::new();
            let mut m = n + 1;
            while m <= last.min(n + 4) {
                let part = doc.line(m).trim();
                if part.starts_with("##[") || part.is_empty() {
                    break;
                }
                match find_version(part) {
                    Some((v, range)) => {
                        facts.version = Some(v);
                        facts.version_text = part.get(range.clone()).map(str::to_owned);
                        let before = part.get(..range.start).unwrap_or_default().trim();
                        let after = part.get(range.end..).unwrap_or_default().trim();
                        name_parts.extend([before, after].into_iter().filter(|s| !s.is_empty()));
                    }
                    None => name_parts.push(part),
                }
                note(m, &mut span);
                m += 1;
            }
            if facts.version.is_some() {
                let name = name_parts.join(" ");
                if name.contains("Windows") {
                    facts.os_type = Some("windows".to_owned());
                }
                facts.kind = if name.contains("Server") {
                    Some(HostKind::Server)
                } else {
                    None
                };
                facts.os_name = (!name.is_empty()).then_some(name);
                note(n, &mut span);
            }
            n = m;
            continue;
        }
        if heading == "Runner Image" || heading == "Virtual Environment" {
            // `Image: windows-2022` / `Version: 20240304.1.0` (older runners:
            // `Environment: windows-2019`).
            let mut m = n + 1;
            while m <= last.min(n + 6) {
                let part = doc.line(m).trim();
                if part.starts_with("##[") || part.is_empty() {
                    break;
                }
                if let Some(image) = part
                    .strip_prefix("Image:")
                    .or_else(|| part.strip_prefix("Environment:"))
                {
                    facts
                        .labels
                        .push(("runner-image".to_owned(), image.trim().to_owned()));
                    note(m, &mut span);
                } else if let Some(version) = part.strip_prefix("Version:") {
                    facts
                        .labels
                        .push(("runner-image-version".to_owned(), version.trim().to_owned()));
                    note(m, &mut span);
                }
                m += 1;
            }
            n = m;
            continue;
        }
        n += 1;
    }
    if let Some((s, e)) = span {
        out.record(KIND, s, e, RecordData::Host(facts));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WindowsVersion;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn github_actions_set_up_job_gives_the_runner_build() {
        let out = run(concat!(
            "2024-03-05T08:01:02.1000000Z Current runner version: '2.314.1'\n",
            "2024-03-05T08:01:02.1100000Z ##[group]Operating System\n",
            "2024-03-05T08:01:02.1200000Z Microsoft Windows Server 2022\n",
            "2024-03-05T08:01:02.1200000Z 10.0.20348\n",
            "2024-03-05T08:01:02.1200000Z Datacenter\n",
            "2024-03-05T08:01:02.1300000Z ##[endgroup]\n",
            "2024-03-05T08:01:02.1400000Z ##[group]Runner Image\n",
            "2024-03-05T08:01:02.1400000Z Image: windows-2022\n",
            "2024-03-05T08:01:02.1400000Z Version: 20240304.1.0\n",
            "2024-03-05T08:01:02.1500000Z ##[endgroup]\n",
            "2024-03-05T08:03:10.0000000Z ##[error]Process completed with exit code 1.\n",
        ));
        assert_eq!(out.sections.len(), 1);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 11));
        let r = &out.records[0];
        let RecordData::Host(h) = &r.data else {
            panic!()
        };
        assert_eq!((r.line, r.end_line), (2, 9));
        assert_eq!(h.name, None);
        assert_eq!(h.version, Some(WindowsVersion::new(20348, None)));
        assert_eq!(
            h.os_name.as_deref(),
            Some("Microsoft Windows Server 2022 Datacenter")
        );
        assert_eq!(h.kind, Some(HostKind::Server));
        assert_eq!(
            h.labels,
            [
                ("runner-image".to_owned(), "windows-2022".to_owned()),
                ("runner-image-version".to_owned(), "20240304.1.0".to_owned())
            ]
        );
    }

    #[test]
    fn one_line_operating_system_form() {
        let out = run("##[group]Operating System\nMicrosoft Windows Server 2022 10.0.20348 Datacenter\n##[endgroup]\n");
        let RecordData::Host(h) = &out.records[0].data else {
            panic!()
        };
        assert_eq!(h.version, Some(WindowsVersion::new(20348, None)));
        assert_eq!(
            h.os_name.as_deref(),
            Some("Microsoft Windows Server 2022 Datacenter")
        );
    }

    #[test]
    fn gitlab_sections_with_ansi() {
        let out = run(concat!(
            "\u{1b}[0KRunning with gitlab-runner 16.9.0 (656c1943)\u{1b}[0;m\n",
            "section_start:1709288553:step_script\r\u{1b}[0K\u{1b}[0K\u{1b}[36;1mExecuting \"step_script\" stage of the job script\u{1b}[0;m\n",
            "$ docker run --rm registry.example.com/app:ltsc2019\n",
            "docker: Error response from daemon: hcs::CreateComputeSystem 5a1b: The container operating system does not match the host operating system.\n",
            "section_end:1709288560:step_script\r\u{1b}[0K\n",
            "\u{1b}[31;1mERROR: Job failed: exit code 1\n",
        ));
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].line, 1);
        assert_eq!(out.sections[0].end_line, 8);
        assert!(out.records.is_empty());
    }

    #[test]
    fn helix_tab_separated_timestamps_are_not_ci_markers() {
        // Six-digit or tab-separated stamps belong to other tools.
        let out = run("2022-04-06T22:48:20.058Z\tERROR  \tdockerhelper(233)\trun\tAPI Error\n");
        assert!(out.sections.is_empty());
    }
}
