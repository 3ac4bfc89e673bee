//! `wincompat check`: will this image run on this host (`--host V --image
//! I`), or on which of these nodes (`--image I PATH…`)? The command is
//! `request → [pipeline reads the node inputs] → analyze::check → report`:
//! the verdicts are computed by `analyze::check` and rendered by
//! `report::check` like every other report (text at the decided width and
//! colour, JSON with `schema_version`, Markdown).
//!
//! Receives a resolved request (no clap types, no environment) and writes
//! to the writer it is given; per-input read errors go to stderr, as for
//! the main report.

use crate::analyze::check::{self, HostRequest};
use crate::input::Source;
use crate::model::finding::Severity;
use crate::model::{HostKind, Isolation};
use crate::pipeline::{self, PipelineOptions};
use crate::report::{self, ReportFormat};
use std::io::Write;

/// A resolved `check` request.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// `--host`; required unless `sources` is non-empty (then ignored).
    pub host: Option<String>,
    pub image: String,
    pub isolation: Isolation,
    pub host_kind: Option<HostKind>,
    /// Node descriptions to check the image against (the PATHs).
    pub sources: Vec<Source>,
    pub format: ReportFormat,
    /// The compatibility rules' docs, for SARIF.
    pub rules: Vec<report::sarif::RuleDoc>,
}

/// Evaluate and render. An unreadable host or image, no readable input or
/// no Windows node is an error (exit 2). Returns the worst verdict as a
/// severity (blocked: error, unknown: warning, supported-preview: info;
/// `None` when every verdict is supported) for `--fail-on` to judge.
pub fn run(req: &CheckRequest, out: &mut dyn Write) -> anyhow::Result<Option<Severity>> {
    let answer = if req.sources.is_empty() {
        let Some(host) = req.host.clone() else {
            anyhow::bail!("--host is required unless node descriptions are given as PATHs");
        };
        check::check_host(&HostRequest {
            host,
            image: req.image.clone(),
            isolation: req.isolation,
            host_kind: req.host_kind,
        })?
    } else {
        // Read the image argument before the inputs: a bad one is a usage
        // error whatever the inputs hold.
        check::image_version_for_nodes(&req.image)?;
        let set = pipeline::read_and_parse(&req.sources, &PipelineOptions::default(), &|_| {});
        for err in &set.errors {
            eprintln!("wincompat: {}: {}", err.name, err.message);
        }
        if set.parsed.is_empty() {
            anyhow::bail!("nothing could be read");
        }
        check::check_nodes(&req.image, req.isolation, &set.parsed)?
    };
    report::check::render_with_rules(&answer, req.format, &req.rules, out)?;
    Ok(answer.worst_severity())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TextStyle;

    fn req(host: &str, image: &str, format: ReportFormat) -> CheckRequest {
        CheckRequest {
            host: Some(host.to_owned()),
            image: image.to_owned(),
            isolation: Isolation::Process,
            host_kind: None,
            sources: Vec::new(),
            format,
            rules: Vec::new(),
        }
    }

    #[test]
    fn run_maps_verdicts_to_outcomes_and_prints_json() {
        let mut out = Vec::new();
        let r = req(
            "10.0.20348.2227",
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            ReportFormat::Json,
        );
        assert_eq!(run(&r, &mut out).expect("runs"), Some(Severity::Error));
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["verdict"], "blocked");
        assert_eq!(v["host"]["build"], 20348);
        assert_eq!(v["image"]["build"], 17763);
        assert_eq!(v["isolation"], "process");
        let mut out = Vec::new();
        let style = TextStyle {
            color: false,
            ..TextStyle::plain(100)
        };
        let r = req("10.0.20348.2227", "ltsc2022", ReportFormat::Text(style));
        assert_eq!(run(&r, &mut out).expect("runs"), None);
        let text = String::from_utf8(out).expect("utf8");
        assert!(
            text.starts_with("verdict:   supported (rule matrix-ws2022)"),
            "{text}"
        );
    }

    #[test]
    fn host_is_required_without_paths() {
        let mut r = req("x", "ltsc2022", ReportFormat::Json);
        r.host = None;
        let err = run(&r, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("--host is required"), "{err}");
    }
}
