//! `wincompat matrix [--host V]`: the compatibility matrix for one host or
//! for every host tab of the Microsoft page, *computed* cell by cell with
//! `knowledge::compat::evaluate` (not copied from the page), so what it
//! prints is what `check` decides.
//!
//! Reads nothing but its arguments and writes plain UTF-8 tables
//! (comfy-table, no terminal probing) or JSON.

use super::{DocFormat, Outcome, DOC_SCHEMA_VERSION};
use crate::knowledge::compat::{self, CompatQuery, CompatResult, MATRIX, MATRIX_IMAGES};
use crate::knowledge::{releases, KNOWLEDGE_DATE};
use crate::model::finding::Verdict;
use crate::model::{HostKind, Isolation, WindowsVersion};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use serde::Serialize;
use std::io::Write;

/// One computed cell (the JSON form is a list of these).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    pub host: String,
    pub host_version: String,
    pub image: &'static str,
    pub image_version: String,
    pub isolation: &'static str,
    pub verdict: &'static str,
    pub rule: &'static str,
    /// Sources disagree about this cell (see `wincompat check`).
    pub disagreement: bool,
    pub runtime_matcher_may_refuse: bool,
}

/// One host with its computed rows.
struct HostTab {
    title: String,
    host: WindowsVersion,
    kind: HostKind,
    results: Vec<(&'static str, u32, CompatResult, CompatResult)>,
}

fn compute(title: String, host: WindowsVersion, kind: HostKind) -> HostTab {
    let results = MATRIX_IMAGES
        .iter()
        .map(|(build, name)| {
            let q = |isolation| CompatQuery {
                host,
                host_kind: Some(kind),
                image: WindowsVersion::new(*build, None),
                isolation,
            };
            (
                *name,
                *build,
                compat::evaluate(&q(Isolation::Hyperv)),
                compat::evaluate(&q(Isolation::Process)),
            )
        })
        .collect();
    HostTab {
        title,
        host,
        kind,
        results,
    }
}

/// The host tabs to print: every tab of the page, or the one host given.
fn tabs(host: Option<&str>) -> anyhow::Result<Vec<HostTab>> {
    let Some(text) = host else {
        return Ok(MATRIX
            .iter()
            .map(|t| {
                let v = WindowsVersion::new(t.example_host, None);
                let name = releases::lookup(t.example_host);
                let shown = match (name, t.kind) {
                    (releases::BuildLookup::Known(r), HostKind::Client) => r.client_name,
                    (releases::BuildLookup::Known(r), HostKind::Server) => r.server_name,
                    _ => None,
                };
                let title = match shown {
                    Some(n) if n != t.host_name => {
                        format!("Host: {} (evaluated as {v}, {n})", t.host_name)
                    }
                    _ => format!("Host: {} ({v})", t.host_name),
                };
                compute(title, v, t.kind)
            })
            .collect());
    };
    let v = releases::parse_version_or_release(text).map_err(|_| {
        anyhow::anyhow!(
            "--host {text:?}: not a Windows version or release name; try 10.0.20348, ltsc2025 or \"Windows 11 24H2\""
        )
    })?;
    let kind = releases::host_kind_hint(v.build).unwrap_or(HostKind::Server);
    let name = match compat::tab_for_host(v.build, kind) {
        Some(t) => format!("{} (tab {})", t.host_name, t.tab),
        None => {
            releases::release_name(v.build).unwrap_or_else(|| "build not in the table".to_owned())
        }
    };
    Ok(vec![compute(format!("Host: {v}, {name}"), v, kind)])
}

fn symbol(r: &CompatResult) -> String {
    let base = match r.verdict {
        Verdict::Supported => "✅",
        Verdict::SupportedPreview => "✅ (preview)",
        Verdict::Blocked => "❌",
        Verdict::Unknown => "?",
    };
    if r.disagreements.is_empty() {
        base.to_owned()
    } else {
        format!("{base} *")
    }
}

fn cells(tab: &HostTab) -> Vec<MatrixCell> {
    let mut out = Vec::new();
    for (name, build, hv, pr) in &tab.results {
        for (iso, r) in [(Isolation::Hyperv, hv), (Isolation::Process, pr)] {
            out.push(MatrixCell {
                host: tab.title.trim_start_matches("Host: ").to_owned(),
                host_version: tab.host.to_string(),
                image: name,
                image_version: WindowsVersion::new(*build, None).to_string(),
                isolation: iso.as_str(),
                verdict: r.verdict.as_str(),
                rule: r.rule.as_str(),
                disagreement: !r.disagreements.is_empty(),
                runtime_matcher_may_refuse: r.runtime_matcher_may_refuse,
            });
        }
    }
    out
}

fn render_tab(tab: &HostTab, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", tab.title)?;
    let mut table = Table::new();
    table
        .force_no_tty()
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(vec![
            "Container base image OS version",
            "Hyper-V isolation",
            "Process isolation",
        ]);
    for (name, _, hv, pr) in &tab.results {
        table.add_row(vec![(*name).to_owned(), symbol(hv), symbol(pr)]);
    }
    writeln!(out, "{table}")?;
    let mut sources: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (name, build, hv, pr) in &tab.results {
        for (iso, r) in [("Hyper-V", hv), ("process", pr)] {
            for s in &r.sources {
                if !sources.contains(s) {
                    sources.push(s);
                }
            }
            if !r.disagreements.is_empty() {
                let kind = match tab.kind {
                    HostKind::Client => " --host-kind client",
                    HostKind::Server => "",
                };
                let iso_flag = if iso == "Hyper-V" {
                    " --isolation hyperv"
                } else {
                    ""
                };
                notes.push(format!(
                    "* {name}, {iso}: sources disagree — wincompat check --host {} --image 10.0.{build}{iso_flag}{kind}",
                    tab.host
                ));
            }
        }
    }
    for n in notes {
        writeln!(out, "{n}")?;
    }
    writeln!(out, "Sources: {}", sources.join("; "))?;
    writeln!(out)?;
    Ok(())
}

/// The Markdown form of one tab: a heading, the table, the notes and the
/// sources.
fn render_tab_markdown(tab: &HostTab, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "## {}
",
        tab.title
    )?;
    writeln!(
        out,
        "| Container base image OS version | Hyper-V isolation | Process isolation |"
    )?;
    writeln!(out, "|---|---|---|")?;
    let mut sources: Vec<&str> = Vec::new();
    for (name, _, hv, pr) in &tab.results {
        writeln!(out, "| {name} | {} | {} |", symbol(hv), symbol(pr))?;
        for s in hv.sources.iter().chain(&pr.sources) {
            if !sources.contains(s) {
                sources.push(s);
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "Sources:\n")?;
    for s in sources {
        writeln!(out, "- {s}")?;
    }
    writeln!(out)?;
    Ok(())
}

/// The JSON document: `{"schema_version": 1, "cells": [MatrixCell…]}`.
#[derive(Serialize)]
struct MatrixDoc {
    schema_version: u32,
    cells: Vec<MatrixCell>,
}

/// Print one host's tab (when `host` is given) or every host tab.
pub fn run(host: Option<&str>, format: DocFormat, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let tabs = tabs(host)?;
    if format == DocFormat::Json {
        let doc = MatrixDoc {
            schema_version: DOC_SCHEMA_VERSION,
            cells: tabs.iter().flat_map(cells).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    if format == DocFormat::Markdown {
        writeln!(out, "# Windows container compatibility matrix\n")?;
        for tab in &tabs {
            render_tab_markdown(tab, out)?;
        }
        writeln!(
            out,
            "Computed by wincompat's rules (knowledge as of {KNOWLEDGE_DATE}); ✅ runs, ❌ does not, * sources disagree."
        )?;
        return Ok(Outcome::Ok);
    }
    for tab in &tabs {
        render_tab(tab, out)?;
    }
    writeln!(
        out,
        "Computed by wincompat's rules (knowledge as of {KNOWLEDGE_DATE}); ✅ runs, ❌ does not, * sources disagree."
    )?;
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(host: Option<&str>) -> String {
        let mut out = Vec::new();
        assert_eq!(
            run(host, DocFormat::Text, &mut out).expect("runs"),
            Outcome::Ok
        );
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn all_tabs_are_printed_with_sources_and_date() {
        let t = text(None);
        for tab in MATRIX {
            assert!(t.contains(&format!("Host: {}", tab.host_name)), "{t}");
        }
        assert!(t.contains("version-compatibility.md"));
        assert!(t.contains(KNOWLEDGE_DATE));
        assert_eq!(t.matches("Sources:").count(), MATRIX.len());
    }

    #[test]
    fn ws2022_host_rows_match_the_page() {
        let mut out = Vec::new();
        run(Some("ltsc2022"), DocFormat::Json, &mut out).expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(doc["schema_version"], 1);
        let cells = doc["cells"].as_array().expect("cells").clone();
        assert_eq!(cells.len(), 8);
        let get = |image: &str, iso: &str| {
            cells
                .iter()
                .find(|c| c["image"] == image && c["isolation"] == iso)
                .map(|c| c["verdict"].as_str().unwrap_or("").to_owned())
        };
        assert_eq!(
            get("Windows Server 2022", "process").as_deref(),
            Some("supported")
        );
        assert_eq!(
            get("Windows Server 2019", "process").as_deref(),
            Some("blocked")
        );
        assert_eq!(
            get("Windows Server 2019", "hyperv").as_deref(),
            Some("supported")
        );
        assert_eq!(
            get("Windows Server 2025", "hyperv").as_deref(),
            Some("blocked")
        );
    }

    #[test]
    fn one_host_table_shows_the_cells() {
        let t = text(Some("10.0.17763"));
        assert!(
            t.contains("Windows Server 2019 (tab windows-server-2019)"),
            "{t}"
        );
        let row = t
            .lines()
            .find(|l| l.contains("Windows Server 2016"))
            .expect("row");
        assert!(row.contains('✅') && row.contains('❌'), "{row}");
    }

    #[test]
    fn bad_host_is_an_error() {
        let mut out = Vec::new();
        assert!(run(Some("banana"), DocFormat::Text, &mut out).is_err());
    }

    #[test]
    fn markdown_is_a_table_per_tab() {
        let mut out = Vec::new();
        run(Some("ltsc2022"), DocFormat::Markdown, &mut out).expect("runs");
        let md = String::from_utf8(out).expect("utf8");
        assert!(
            md.starts_with("# Windows container compatibility matrix"),
            "{md}"
        );
        assert!(md.contains("| Windows Server 2019 | ✅ | ❌ |"), "{md}");
        assert!(md.contains("- MicrosoftDocs/"), "{md}");
    }
}
