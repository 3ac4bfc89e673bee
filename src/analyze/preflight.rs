//! `wincompat check --image I PATH…`: before deploying, where will this
//! image run? Reads node descriptions from the inputs and evaluates the
//! compatibility rules node by node.

use super::index::Index;
use crate::commands::Outcome;
use crate::input::Source;
use crate::knowledge::{compat, releases, tags};
use crate::model::finding::Verdict;
use crate::model::{ImageRef, Isolation, WindowsVersion};
use anyhow::Context;
use comfy_table::{presets::UTF8_FULL, ContentArrangement, Table};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Serialize)]
struct NodeVerdict {
    node: String,
    version: String,
    release: Option<String>,
    isolation: &'static str,
    verdict: Verdict,
    rule: &'static str,
    reason: String,
}

/// The image's version: a version/release name, or an image reference whose tag says it.
fn image_version(image: &str) -> anyhow::Result<(WindowsVersion, String)> {
    if let Ok(v) = releases::parse_version_or_release(image) {
        return Ok((v, "given version".to_owned()));
    }
    let r = ImageRef::parse(image).with_context(|| {
        format!("--image {image:?} is neither a version nor an image reference")
    })?;
    let base = tags::base_from_reference(&r);
    match base.version {
        Some(v) if base.certainty != tags::TagCertainty::None => Ok((
            v,
            format!("tag {}", base.token.as_deref().unwrap_or_default()),
        )),
        _ => anyhow::bail!(
            "the tag of {image} does not say which Windows build it is (multi-platform or custom tag); give the version instead, e.g. --image 10.0.17763, or run `docker image inspect {image} --format '{{{{.OsVersion}}}}'`"
        ),
    }
}

/// Evaluate the image against every Windows node found in `sources`.
pub fn run(
    image: &str,
    isolation: Isolation,
    sources: &[Source],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (version, from) = image_version(image)?;
    let set = crate::pipeline::read_and_parse(
        sources,
        &crate::pipeline::PipelineOptions::default(),
        &|_| {},
    );
    for err in &set.errors {
        eprintln!("wincompat: {}: {}", err.name, err.message);
    }
    if set.parsed.is_empty() {
        anyhow::bail!("nothing could be read");
    }
    let parsed = set.parsed;
    let index = Index::build(&parsed);
    let mut rows = Vec::new();
    for node in index.windows_nodes() {
        let Some(v) = node.version.as_ref().map(|s| s.version) else {
            continue;
        };
        let result = compat::evaluate(&compat::CompatQuery {
            host: v,
            host_kind: node.kind,
            image: version,
            isolation,
        });
        rows.push(NodeVerdict {
            node: if node.name.is_empty() {
                "(unnamed host)".to_owned()
            } else {
                node.name.clone()
            },
            version: v.to_string(),
            release: releases::release_name(v.build),
            isolation: isolation.as_str(),
            verdict: result.verdict,
            rule: result.rule,
            reason: result.reasons.first().cloned().unwrap_or_default(),
        });
    }
    if rows.is_empty() {
        anyhow::bail!("no Windows node with a known version found in the inputs (give `kubectl describe node`, `kubectl get nodes -o wide`, `docker info` or `docker node inspect` output)");
    }
    let blocked = rows.iter().any(|r| r.verdict == Verdict::Blocked);
    if json {
        let doc = serde_json::json!({
            "image": image,
            "image_version": version.to_string(),
            "image_version_from": from,
            "isolation": isolation.as_str(),
            "nodes": rows,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{image} is {} (from the {from}); {} isolation:",
            super::diagnose::describe(version),
            isolation.as_str()
        )?;
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(100)
            .set_header(["node", "version", "release", "verdict", "why"]);
        for r in &rows {
            table.add_row([
                r.node.clone(),
                r.version.clone(),
                r.release.clone().unwrap_or_default(),
                r.verdict.as_str().to_owned(),
                r.reason.clone(),
            ]);
        }
        writeln!(out, "{table}")?;
        let runs: Vec<&str> = rows
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Supported | Verdict::SupportedPreview))
            .map(|r| r.node.as_str())
            .collect();
        if runs.is_empty() {
            writeln!(out, "It runs on none of these nodes.")?;
        } else {
            writeln!(out, "It runs on: {}.", runs.join(", "))?;
        }
    }
    Ok(if blocked {
        Outcome::Problem
    } else {
        Outcome::Ok
    })
}
