//! `wincompat check --host V --image I`: one verdict for one host, image
//! and isolation, with the deciding rule, reasons, disagreements, sources,
//! and — when blocked — the rebuild to make and whether Hyper-V helps.
//!
//! Reads nothing but its request (no environment, no clap types) and
//! writes to the writer it is given.
//!
//! JSON shape (`--format json`):
//! `{"verdict", "host": {"version","build","revision","release"},
//! "image": {"reference","version","build","revision","release","from"},
//! "isolation", "rule", "reasons": [..], "sources": [..],
//! "disagreements": [..], "runtime_matcher_may_refuse",
//! "recommendation": {..}|null, "hyperv_alternative": {..}|null}`.

use super::Outcome;
use crate::knowledge::compat::{self, CompatQuery};
use crate::knowledge::{releases, tags};
use crate::model::finding::Verdict;
use crate::model::{HostKind, ImageRef, Isolation, WindowsVersion};
use serde::Serialize;
use std::io::Write;

/// A resolved `check` request.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub host: String,
    pub image: String,
    pub isolation: Isolation,
    pub host_kind: Option<HostKind>,
    pub json: bool,
}

/// The host as `check` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostOut {
    pub version: String,
    pub build: u32,
    pub revision: Option<u32>,
    pub release: Option<String>,
}

/// The image as `check` reports it; version fields are null when the tag
/// does not say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageOut {
    pub reference: Option<String>,
    pub version: Option<String>,
    pub build: Option<u32>,
    pub revision: Option<u32>,
    pub release: Option<String>,
    /// `tag` (read from the reference's tag) or `flag` (given as a version
    /// or release name).
    pub from: String,
}

/// The image to rebuild on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationOut {
    pub reference: Option<String>,
    pub reason: String,
    pub out_of_support: bool,
}

/// What the same combination gives under Hyper-V isolation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HypervOut {
    pub verdict: &'static str,
    pub rule: &'static str,
    pub reason: Option<String>,
}

/// The whole answer (the JSON document).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckAnswer {
    pub verdict: &'static str,
    pub host: HostOut,
    pub image: ImageOut,
    pub isolation: &'static str,
    pub rule: &'static str,
    pub reasons: Vec<String>,
    pub sources: Vec<&'static str>,
    pub disagreements: Vec<String>,
    pub runtime_matcher_may_refuse: bool,
    pub recommendation: Option<RecommendationOut>,
    pub hyperv_alternative: Option<HypervOut>,
}

/// Rule id when the image's version cannot be told from its tag.
pub const RULE_IMAGE_VERSION_UNKNOWN: &str = "image-version-unknown";

fn release_for(build: u32, kind: HostKind) -> Option<String> {
    match releases::lookup(build) {
        releases::BuildLookup::Known(r) => match kind {
            HostKind::Client => r.client_name.or(r.server_name),
            HostKind::Server => r.server_name.or(r.client_name),
        }
        .map(str::to_owned),
        _ => None,
    }
}

/// How the `--image` argument was understood.
enum ImageArg {
    Version(WindowsVersion),
    Reference(ImageRef),
}

fn read_image(text: &str) -> anyhow::Result<ImageArg> {
    if let Ok(v) = releases::parse_version_or_release(text) {
        return Ok(ImageArg::Version(v));
    }
    match ImageRef::parse(text) {
        Ok(r) => Ok(ImageArg::Reference(r)),
        Err(e) => anyhow::bail!(
            "--image {text:?}: neither an image reference nor a Windows version ({e}); try mcr.microsoft.com/windows/servercore:ltsc2022 or 10.0.20348"
        ),
    }
}

/// Evaluate a request: `--host 10.0.26100.1742 --image
/// mcr.microsoft.com/windows/servercore:ltsc2022` → verdict `supported`,
/// rule `matrix-ws2025`. An unreadable host or image is an error.
pub fn evaluate(req: &CheckRequest) -> anyhow::Result<CheckAnswer> {
    let host = releases::parse_version_or_release(&req.host).map_err(|_| {
        anyhow::anyhow!(
            "--host {:?}: not a Windows version or release name; try 10.0.17763.1577, ltsc2022, \"Windows Server 2019\" or the `docker info` Kernel Version",
            req.host
        )
    })?;
    let image_arg = read_image(&req.image)?;
    let (reference, image_version, from, tag_note) = match &image_arg {
        ImageArg::Version(v) => (None, Some(*v), "flag", None),
        ImageArg::Reference(r) => {
            let base = tags::base_from_reference(r);
            (Some(r), base.version, "tag", base.note)
        }
    };

    let Some(image) = image_version else {
        return Ok(unknown_image(req, host, reference, tag_note));
    };
    let query = CompatQuery {
        host,
        host_kind: req.host_kind,
        image,
        isolation: req.isolation,
    };
    let result = compat::evaluate(&query);
    let kind = result.host_kind;
    let mut reasons = result.reasons.clone();
    if let Some(note) = tag_note {
        reasons.push(note);
    }
    let blocked = result.verdict == Verdict::Blocked;
    let recommendation = match reference {
        Some(r) if blocked => {
            let rebuild = tags::recommend_rebuild(r, host, Some(kind));
            Some(RecommendationOut {
                reference: rebuild.reference,
                reason: rebuild.reason,
                out_of_support: rebuild.out_of_support,
            })
        }
        _ => None,
    };
    let hyperv_alternative = (blocked && req.isolation == Isolation::Process).then(|| {
        let alt = compat::evaluate(&CompatQuery {
            isolation: Isolation::Hyperv,
            ..query
        });
        HypervOut {
            verdict: alt.verdict.as_str(),
            rule: alt.rule.as_str(),
            reason: alt.reasons.first().cloned(),
        }
    });
    Ok(CheckAnswer {
        verdict: result.verdict.as_str(),
        host: host_out(host, kind),
        image: ImageOut {
            reference: reference.map(ToString::to_string),
            version: Some(image.to_string()),
            build: Some(image.build),
            revision: image.revision,
            release: release_for(image.build, HostKind::Server),
            from: from.to_owned(),
        },
        isolation: req.isolation.as_str(),
        rule: result.rule.as_str(),
        reasons,
        sources: result.sources,
        disagreements: result.disagreements,
        runtime_matcher_may_refuse: result.runtime_matcher_may_refuse,
        recommendation,
        hyperv_alternative,
    })
}

fn host_out(host: WindowsVersion, kind: HostKind) -> HostOut {
    HostOut {
        version: host.to_string(),
        build: host.build,
        revision: host.revision,
        release: release_for(host.build, kind),
    }
}

/// The tag names no Windows release (`:latest`, `4.8`, a custom tag): the
/// verdict is unknown, with what the daemon will do and what to run.
fn unknown_image(
    req: &CheckRequest,
    host: WindowsVersion,
    reference: Option<&ImageRef>,
    tag_note: Option<String>,
) -> CheckAnswer {
    let kind = req
        .host_kind
        .or_else(|| releases::host_kind_hint(host.build))
        .unwrap_or(HostKind::Server);
    let tag = reference
        .and_then(|r| r.tag.clone())
        .unwrap_or_else(|| "latest".to_owned());
    let mut reasons = vec![format!(
        "the tag `{tag}` does not name a Windows release: if it is a multi-platform tag, the daemon picks the entry whose os.version suits the host at pull time, so the verdict depends on the image's manifest"
    )];
    if let Some(note) = tag_note {
        reasons.push(note);
    }
    let name = reference.map(ToString::to_string).unwrap_or_default();
    reasons.push(format!(
        "to decide: `docker manifest inspect -v {name}` (os.version of each entry) or, after pulling, `docker image inspect --format '{{{{.OsVersion}}}}' {name}`; then run wincompat check with --image <that version>"
    ));
    let recommendation = reference.map(|r| {
        let rebuild = tags::recommend_rebuild(r, host, Some(kind));
        RecommendationOut {
            reference: rebuild.reference,
            reason: rebuild.reason,
            out_of_support: rebuild.out_of_support,
        }
    });
    CheckAnswer {
        verdict: Verdict::Unknown.as_str(),
        host: host_out(host, kind),
        image: ImageOut {
            reference: reference.map(ToString::to_string),
            version: None,
            build: None,
            revision: None,
            release: None,
            from: "tag".to_owned(),
        },
        isolation: req.isolation.as_str(),
        rule: RULE_IMAGE_VERSION_UNKNOWN,
        reasons,
        sources: vec![
            "opencontainers/image-spec image-index.md (platform os.version)",
            compat::source::HCSSHIM_COMPAT,
        ],
        disagreements: Vec::new(),
        runtime_matcher_may_refuse: false,
        recommendation,
        hyperv_alternative: None,
    }
}

/// Evaluate and print; an unreadable host or image is an error (exit 2).
/// Blocked → `Outcome::Problem` (exit 1); supported or unknown → Ok.
pub fn run(req: &CheckRequest, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let answer = evaluate(req)?;
    if req.json {
        serde_json::to_writer_pretty(&mut *out, &answer)?;
        writeln!(out)?;
    } else {
        render_text(&answer, out)?;
    }
    Ok(if answer.verdict == Verdict::Blocked.as_str() {
        Outcome::Problem
    } else {
        Outcome::Ok
    })
}

fn render_text(a: &CheckAnswer, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "verdict:   {} (rule {})", a.verdict, a.rule)?;
    let host_release = a.host.release.as_deref().unwrap_or("release unknown");
    writeln!(out, "host:      {} ({host_release})", a.host.version)?;
    let image_version = match (&a.image.version, &a.image.release) {
        (Some(v), Some(r)) => format!("{v} ({r}), from {}", a.image.from),
        (Some(v), None) => format!("{v}, from {}", a.image.from),
        (None, _) => "version unknown from the tag".to_owned(),
    };
    match &a.image.reference {
        Some(r) => writeln!(out, "image:     {r}\n           {image_version}")?,
        None => writeln!(out, "image:     {image_version}")?,
    }
    writeln!(out, "isolation: {}", a.isolation)?;
    writeln!(out, "\nwhy:")?;
    for r in &a.reasons {
        writeln!(out, "  - {r}")?;
    }
    if !a.disagreements.is_empty() {
        writeln!(out, "\nsources disagree:")?;
        for d in &a.disagreements {
            writeln!(out, "  - {d}")?;
        }
    }
    if let Some(rec) = &a.recommendation {
        match &rec.reference {
            Some(r) => writeln!(out, "\nrebuild on: {r}")?,
            None => writeln!(out, "\nrebuild on: (no base image for this host)")?,
        }
        if !rec.reason.is_empty() {
            writeln!(out, "  {}", rec.reason)?;
        }
        if rec.out_of_support {
            writeln!(out, "  note: that release is out of support")?;
        }
    }
    if let Some(alt) = &a.hyperv_alternative {
        let line = if alt.verdict == Verdict::Blocked.as_str() {
            "Hyper-V isolation would not help"
        } else {
            "Hyper-V isolation would run it (--isolation=hyperv)"
        };
        writeln!(out, "\n{line} (rule {})", alt.rule)?;
        if let Some(r) = &alt.reason {
            writeln!(out, "  {r}")?;
        }
    }
    writeln!(out, "\nsources:")?;
    for s in &a.sources {
        writeln!(out, "  - {s}")?;
    }
    writeln!(
        out,
        "\nknowledge as of {}",
        crate::knowledge::KNOWLEDGE_DATE
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(host: &str, image: &str, isolation: Isolation) -> CheckRequest {
        CheckRequest {
            host: host.to_owned(),
            image: image.to_owned(),
            isolation,
            host_kind: None,
            json: false,
        }
    }

    #[test]
    fn ws2016_revision_from_kernel_string_and_exact_tag() {
        let a = evaluate(&req(
            "10.0 14393 (14393.1914.amd64fre.rs1_release_inmarket.171101-1800)",
            "mcr.microsoft.com/windows/servercore:10.0.14393.1944",
            Isolation::Process,
        ))
        .expect("readable");
        assert_eq!((a.verdict, a.rule), ("blocked", "ws2016-revision"));
        assert_eq!(a.host.revision, Some(1914));
        assert_eq!(a.image.revision, Some(1944));
        assert_eq!(a.image.from, "tag");
        assert_eq!(
            a.hyperv_alternative.as_ref().map(|h| h.verdict),
            Some("supported")
        );
    }

    #[test]
    fn ws2025_host_runs_ltsc2022() {
        let a = evaluate(&req(
            "10.0.26100.1742",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            Isolation::Process,
        ))
        .expect("readable");
        assert_eq!((a.verdict, a.rule), ("supported", "matrix-ws2025"));
        assert_eq!(a.host.release.as_deref(), Some("Windows Server 2025"));
        assert_eq!(a.image.build, Some(20348));
        assert!(a.recommendation.is_none());
    }

    #[test]
    fn aspnet_ltsc2019_on_ws2022_recommends_ltsc2022() {
        let a = evaluate(&req(
            "10.0.20348.2227",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
            Isolation::Process,
        ))
        .expect("readable");
        assert_eq!(a.verdict, "blocked");
        assert_eq!(
            a.recommendation.and_then(|r| r.reference).as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
    }

    #[test]
    fn multi_platform_tag_is_unknown_not_an_error() {
        let a = evaluate(&req(
            "ltsc2022",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            Isolation::Process,
        ))
        .expect("readable");
        assert_eq!((a.verdict, a.rule), ("unknown", RULE_IMAGE_VERSION_UNKNOWN));
        assert_eq!(a.image.version, None);
        assert!(a.reasons[0].contains("multi-platform"));
    }

    #[test]
    fn versions_and_release_names_as_image() {
        let a = evaluate(&req("ltsc2019", "ltsc2022", Isolation::Hyperv)).expect("readable");
        assert_eq!((a.verdict, a.rule), ("blocked", "hyperv-newer-image"));
        assert_eq!(a.image.from, "flag");
        assert!(a.hyperv_alternative.is_none());
    }

    #[test]
    fn bad_host_is_an_error() {
        let err = evaluate(&req("banana", "x", Isolation::Process)).unwrap_err();
        assert!(err.to_string().contains("--host \"banana\""));
    }

    #[test]
    fn run_maps_verdicts_to_outcomes_and_prints_json() {
        let mut out = Vec::new();
        let mut r = req(
            "10.0.20348.2227",
            "mcr.microsoft.com/windows/servercore:ltsc2019",
            Isolation::Process,
        );
        r.json = true;
        assert_eq!(run(&r, &mut out).expect("runs"), Outcome::Problem);
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["verdict"], "blocked");
        assert_eq!(v["host"]["build"], 20348);
        assert_eq!(v["image"]["build"], 17763);
        assert_eq!(v["isolation"], "process");
        let mut out = Vec::new();
        r.image = "ltsc2022".to_owned();
        r.json = false;
        assert_eq!(run(&r, &mut out).expect("runs"), Outcome::Ok);
        let text = String::from_utf8(out).expect("utf8");
        assert!(
            text.starts_with("verdict:   supported (rule matrix-ws2022)"),
            "{text}"
        );
    }
}
