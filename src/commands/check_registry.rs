//! `wincompat check --image REF --resolve-images [--host V | PATH…]`: every
//! Windows build the image's registry offers for REF, and per host whether
//! one of them runs there — which entry containerd and Docker would pull,
//! and the compatibility verdict for it (issue 12).
//!
//! Receives the registry's answer and the hosts as data (resolved by
//! `app`); reads no environment and makes no request itself.
//!
//! JSON shape (`-o json`): `{"schema_version", "image", "digest", "kind",
//! "windows_builds": [{"version","build","release"}], "other_platforms":
//! [..], "isolation", "hosts": [{"name","version","release",
//! "containerd_pulls","docker_pulls","runs","runs_with","verdict","rule",
//! "reason"}]}`.

use super::{DocFormat, Outcome};
use crate::knowledge::compat::{self, CompatQuery};
use crate::knowledge::platform_match::{self, Engine, PlatformEntry};
use crate::knowledge::releases;
use crate::model::finding::Verdict;
use crate::model::resolved::{ManifestKind, ResolvedImage};
use crate::model::{HostKind, Isolation, WindowsVersion};
use comfy_table::{presets::UTF8_FULL, ContentArrangement, Table};
use serde::Serialize;
use std::io::Write;

/// One host to check.
#[derive(Debug, Clone)]
pub struct HostSpec {
    pub name: String,
    pub version: WindowsVersion,
    pub kind: Option<HostKind>,
}

#[derive(Debug, Serialize)]
struct BuildOut {
    version: String,
    build: u32,
    release: Option<String>,
}

#[derive(Debug, Serialize)]
struct HostOut {
    name: String,
    version: String,
    release: Option<String>,
    /// The entry's `os.version` containerd (Kubernetes) pulls, if any.
    containerd_pulls: Option<String>,
    /// The entry's `os.version` Docker's default (graphdriver) store pulls.
    docker_pulls: Option<String>,
    /// Whether some Windows entry of the image runs on this host.
    runs: bool,
    /// The newest entry that runs, when one does.
    runs_with: Option<String>,
    verdict: Verdict,
    rule: &'static str,
    reason: String,
}

fn host_row(
    host: &HostSpec,
    entries: &[PlatformEntry],
    builds: &[WindowsVersion],
    isolation: Isolation,
) -> HostOut {
    let pulls = |engine| {
        platform_match::select(engine, host.version, entries)
            .and_then(|i| entries.get(i))
            .map(|e| {
                e.os_version
                    .map_or_else(|| "(no os.version)".to_owned(), |v| v.to_string())
            })
    };
    // Newest first: the first entry that runs is the one to use.
    let results: Vec<(WindowsVersion, compat::CompatResult)> = builds
        .iter()
        .map(|b| {
            (
                *b,
                compat::evaluate(&CompatQuery {
                    host: host.version,
                    host_kind: host.kind,
                    image: *b,
                    isolation,
                }),
            )
        })
        .collect();
    let runs = results
        .iter()
        .find(|(_, r)| matches!(r.verdict, Verdict::Supported | Verdict::SupportedPreview));
    let (verdict, rule, reason) = match (runs, results.first()) {
        (Some((_, r)), _) | (None, Some((_, r))) => (
            r.verdict,
            r.rule.as_str(),
            r.reasons.first().cloned().unwrap_or_default(),
        ),
        (None, None) => (
            Verdict::Blocked,
            "no-windows-entry",
            "the image offers no Windows entry with an os.version".to_owned(),
        ),
    };
    HostOut {
        name: host.name.clone(),
        version: host.version.to_string(),
        release: releases::release_name(host.version.build),
        containerd_pulls: pulls(Engine::Containerd),
        docker_pulls: pulls(Engine::MobyGraphdriver),
        runs: runs.is_some(),
        runs_with: runs.map(|(b, _)| b.to_string()),
        verdict,
        rule,
        reason,
    }
}

/// Write the answer; `Problem` when some host runs none of the entries.
pub fn run(
    image: &ResolvedImage,
    hosts: &[HostSpec],
    isolation: Isolation,
    format: DocFormat,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let entries = platform_match::entries_of(image);
    let builds = platform_match::windows_builds(&entries);
    let others: Vec<String> = image
        .entries
        .iter()
        .filter(|e| !e.os.eq_ignore_ascii_case("windows"))
        .map(|e| match &e.variant {
            Some(v) => format!("{}/{}/{v}", e.os, e.architecture),
            None => format!("{}/{}", e.os, e.architecture),
        })
        .collect();
    let rows: Vec<HostOut> = hosts
        .iter()
        .map(|h| host_row(h, &entries, &builds, isolation))
        .collect();
    let kind = match image.kind {
        ManifestKind::Index => "manifest list",
        ManifestKind::Image => "single image",
    };
    if format == DocFormat::Json {
        let doc = serde_json::json!({
            "schema_version": crate::model::check::CHECK_SCHEMA_VERSION,
            "image": image.reference,
            "digest": image.digest,
            "kind": image.kind,
            "windows_builds": builds.iter().map(|b| BuildOut {
                version: b.to_string(),
                build: b.build,
                release: releases::release_name(b.build),
            }).collect::<Vec<_>>(),
            "other_platforms": others,
            "isolation": isolation.as_str(),
            "hosts": rows,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    } else if format == DocFormat::Markdown {
        let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
        writeln!(
            out,
            "## `{}`\n\n{kind}, `{}`\n",
            cell(&image.reference),
            cell(&image.digest)
        )?;
        let offered: Vec<String> = builds.iter().map(|b| format!("`{b}`")).collect();
        writeln!(
            out,
            "Windows builds offered: {}\n",
            if offered.is_empty() {
                "none".to_owned()
            } else {
                offered.join(", ")
            }
        )?;
        if !others.is_empty() {
            writeln!(out, "Other platforms: {}\n", others.join(", "))?;
        }
        writeln!(
            out,
            "| Host | Version | containerd pulls | Docker pulls | Runs ({}) | Why |",
            isolation.as_str()
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for r in &rows {
            let pulls = |p: &Option<String>| {
                p.as_deref()
                    .map_or("nothing".to_owned(), |v| format!("`{v}`"))
            };
            writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} |",
                cell(&r.name),
                r.version,
                pulls(&r.containerd_pulls),
                pulls(&r.docker_pulls),
                if r.runs { "yes" } else { "no" },
                cell(&r.reason)
            )?;
        }
    } else {
        writeln!(out, "{} ({kind}, {})", image.reference, image.digest)?;
        if builds.is_empty() {
            writeln!(out, "Windows builds offered: none")?;
        } else {
            writeln!(out, "Windows builds offered:")?;
            for b in &builds {
                let name = releases::release_name(b.build).unwrap_or_default();
                writeln!(out, "  {b}  {name}")?;
            }
        }
        if !others.is_empty() {
            writeln!(out, "Other platforms: {}", others.join(", "))?;
        }
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(100)
            .set_header([
                "host",
                "version",
                "containerd pulls",
                "docker pulls",
                &format!("runs ({})", isolation.as_str()),
                "why",
            ]);
        for r in &rows {
            let none = || "nothing".to_owned();
            table.add_row([
                r.name.clone(),
                r.version.clone(),
                r.containerd_pulls.clone().unwrap_or_else(none),
                r.docker_pulls.clone().unwrap_or_else(none),
                if r.runs { "yes" } else { "no" }.to_owned(),
                r.reason.clone(),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    Ok(if rows.iter().all(|r| r.runs) {
        Outcome::Ok
    } else {
        Outcome::Problem
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolved::RegistryEntry;

    fn entry(os: &str, v: Option<&str>) -> RegistryEntry {
        RegistryEntry {
            os: os.to_owned(),
            architecture: "amd64".to_owned(),
            variant: None,
            os_version: v.map(str::to_owned),
            digest: None,
        }
    }

    fn list() -> ResolvedImage {
        ResolvedImage {
            reference: "r.example/app:1".to_owned(),
            canonical: "r.example/app:1".to_owned(),
            digest: "sha256:00".to_owned(),
            kind: ManifestKind::Index,
            entries: vec![
                entry("windows", Some("10.0.17763.5122")),
                entry("windows", Some("10.0.20348.2227")),
                entry("linux", None),
            ],
        }
    }

    fn host(name: &str, build: u32) -> HostSpec {
        HostSpec {
            name: name.to_owned(),
            version: WindowsVersion::new(build, Some(1)),
            kind: None,
        }
    }

    #[test]
    fn every_host_gets_the_entry_it_pulls_and_a_verdict() {
        let mut out = Vec::new();
        let hosts = [host("a", 17763), host("b", 20348), host("c", 14393)];
        let outcome = run(
            &list(),
            &hosts,
            Isolation::Process,
            DocFormat::Json,
            &mut out,
        )
        .unwrap();
        assert_eq!(outcome, Outcome::Problem);
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["windows_builds"][0]["build"], 20348);
        assert_eq!(doc["other_platforms"][0], "linux/amd64");
        assert_eq!(doc["hosts"][0]["containerd_pulls"], "10.0.17763.5122");
        assert_eq!(doc["hosts"][0]["runs"], true);
        assert_eq!(doc["hosts"][1]["runs_with"], "10.0.20348.2227");
        assert_eq!(doc["hosts"][2]["runs"], false);
        assert_eq!(doc["hosts"][2]["containerd_pulls"], serde_json::Value::Null);
    }

    #[test]
    fn text_lists_the_builds_and_a_row_per_host() {
        let mut out = Vec::new();
        run(
            &list(),
            &[host("a", 20348)],
            Isolation::Process,
            DocFormat::Text,
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("10.0.20348.2227"), "{text}");
        assert!(text.contains(" yes "), "{text}");
    }
}
