//! `wincompat check` as pure functions: a request (and, for the per-node
//! pre-flight, the parsed inputs) in, a typed [`CheckReport`] out.
//! [`check_host`] answers for one host (`--host V --image I`);
//! [`check_nodes`] for every Windows node with a known version found in the
//! inputs (`--image I PATH…`). Both read the `--image` argument with the
//! same reader ([`read_image`]).
//!
//! Knows records and knowledge; it must not read inputs (that is
//! `pipeline`), print, or word the answer beyond the reasons the knowledge
//! base gives (that is `report::check`).

use super::index::Index;
use crate::knowledge::compat::{self, CompatQuery};
use crate::knowledge::{releases, tags, KNOWLEDGE_DATE};
use crate::model::check::{
    CheckReport, HostCheck, HostOut, HypervOut, ImageOut, NodeVerdict, NodesCheck,
    RecommendationOut, CHECK_SCHEMA_VERSION,
};
use crate::model::finding::{SourceRef, Verdict};
use crate::model::{HostKind, ImageRef, Isolation, ParsedInput, WindowsVersion};

/// Rule id when the image's version cannot be told from its tag.
pub const RULE_IMAGE_VERSION_UNKNOWN: &str = "image-version-unknown";

/// Why a `check` request cannot be answered (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("--host {0:?}: not a Windows version or release name; try 10.0.17763.1577, ltsc2022, \"Windows Server 2019\" or the `docker info` Kernel Version")]
    BadHost(String),
    #[error("--image {text:?}: neither an image reference nor a Windows version ({reason}); try mcr.microsoft.com/windows/servercore:ltsc2022 or 10.0.20348")]
    BadImage { text: String, reason: String },
    #[error("the tag of {0} does not say which Windows build it is (multi-platform or custom tag); give the version instead, e.g. --image 10.0.17763, or run `docker image inspect {0} --format '{{{{.OsVersion}}}}'`")]
    TagSaysNoBuild(String),
    #[error("no Windows node with a known version found in the inputs (give `kubectl describe node`, `kubectl get nodes -o wide`, `docker info` or `docker node inspect` output)")]
    NoNodes,
}

/// A `check --host` request.
#[derive(Debug, Clone)]
pub struct HostRequest {
    pub host: String,
    pub image: String,
    pub isolation: Isolation,
    pub host_kind: Option<HostKind>,
}

/// How the `--image` argument was understood.
#[derive(Debug, Clone)]
pub enum ImageArg {
    Version(WindowsVersion),
    Reference(ImageRef),
}

/// Read `--image`: a version or release name (`10.0.17763`, `ltsc2022`),
/// else an image reference (`mcr.microsoft.com/windows/servercore:ltsc2019`).
pub fn read_image(text: &str) -> Result<ImageArg, CheckError> {
    if let Ok(v) = releases::parse_version_or_release(text) {
        return Ok(ImageArg::Version(v));
    }
    ImageRef::parse(text)
        .map(ImageArg::Reference)
        .map_err(|e| CheckError::BadImage {
            text: text.to_owned(),
            reason: e.to_string(),
        })
}

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

/// Evaluate one host: `--host 10.0.26100.1742 --image
/// mcr.microsoft.com/windows/servercore:ltsc2022` → verdict `supported`,
/// rule `matrix-ws2025`. An unreadable host or image is an error.
pub fn check_host(req: &HostRequest) -> Result<CheckReport, CheckError> {
    let host = releases::parse_version_or_release(&req.host)
        .map_err(|_| CheckError::BadHost(req.host.clone()))?;
    let image_arg = read_image(&req.image)?;
    let (reference, image_version, from, tag_note) = match &image_arg {
        ImageArg::Version(v) => (None, Some(*v), "flag", None),
        ImageArg::Reference(r) => {
            let base = tags::base_from_reference(r);
            (Some(r), base.version, "tag", base.note)
        }
    };

    let Some(image) = image_version else {
        return Ok(CheckReport::Host(Box::new(unknown_image(
            req, host, reference, tag_note,
        ))));
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
            verdict: alt.verdict,
            rule: alt.rule.as_str(),
            reason: alt.reasons.first().cloned(),
        }
    });
    Ok(CheckReport::Host(Box::new(HostCheck {
        schema_version: CHECK_SCHEMA_VERSION,
        verdict: result.verdict,
        host: host_out(host, kind),
        image: ImageOut {
            reference: reference.map(ToString::to_string),
            version: Some(image.to_string()),
            build: Some(image.build),
            revision: image.revision,
            release: release_for(image.build, HostKind::Server),
            from: from.to_owned(),
        },
        isolation: req.isolation,
        rule: result.rule.as_str(),
        reasons,
        sources: result.sources,
        disagreements: result.disagreements,
        runtime_matcher_may_refuse: result.runtime_matcher_may_refuse,
        recommendation,
        hyperv_alternative,
        knowledge_date: KNOWLEDGE_DATE,
    })))
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
    req: &HostRequest,
    host: WindowsVersion,
    reference: Option<&ImageRef>,
    tag_note: Option<String>,
) -> HostCheck {
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
    HostCheck {
        schema_version: CHECK_SCHEMA_VERSION,
        verdict: Verdict::Unknown,
        host: host_out(host, kind),
        image: ImageOut {
            reference: reference.map(ToString::to_string),
            version: None,
            build: None,
            revision: None,
            release: None,
            from: "tag".to_owned(),
        },
        isolation: req.isolation,
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
        knowledge_date: KNOWLEDGE_DATE,
    }
}

/// The image's version for the per-node check: a version/release name, or
/// an image reference whose tag says it (`tag ltsc2019`); an error when the
/// tag does not say.
pub fn image_version_for_nodes(image: &str) -> Result<(WindowsVersion, String), CheckError> {
    match read_image(image)? {
        ImageArg::Version(v) => Ok((v, "given version".to_owned())),
        ImageArg::Reference(r) => {
            let base = tags::base_from_reference(&r);
            match base.version {
                Some(v) if base.certainty != tags::TagCertainty::None => Ok((
                    v,
                    format!("tag {}", base.token.as_deref().unwrap_or_default()),
                )),
                _ => Err(CheckError::TagSaysNoBuild(image.to_owned())),
            }
        }
    }
}

/// Evaluate `image` against every Windows node with a known version found
/// in `inputs`, node by node (pre-flight).
pub fn check_nodes(
    image: &str,
    isolation: Isolation,
    inputs: &[ParsedInput],
) -> Result<CheckReport, CheckError> {
    let (version, from) = image_version_for_nodes(image)?;
    let index = Index::build(inputs);
    let mut nodes = Vec::new();
    for node in index.windows_nodes() {
        let Some(v) = node.version.as_ref().map(|s| s.version) else {
            continue;
        };
        let result = compat::evaluate(&CompatQuery {
            host: v,
            host_kind: node.kind,
            image: version,
            isolation,
        });
        nodes.push(NodeVerdict {
            isolation,
            node: if node.name.is_empty() {
                "(unnamed host)".to_owned()
            } else {
                node.name.clone()
            },
            reason: result.reasons.first().cloned().unwrap_or_default(),
            release: releases::release_name(v.build),
            rule: result.rule.as_str(),
            verdict: result.verdict,
            version: v.to_string(),
            source: match node.version.as_ref().and_then(|s| s.evidence.as_ref()) {
                Some(e) => Some(SourceRef {
                    input: e.input.clone(),
                    line: e.line,
                }),
                None => node.sources.first().and_then(|&(input, line)| {
                    Some(SourceRef {
                        input: inputs.get(input)?.name.clone(),
                        line,
                    })
                }),
            },
        });
    }
    if nodes.is_empty() {
        return Err(CheckError::NoNodes);
    }
    Ok(CheckReport::Nodes(NodesCheck {
        schema_version: CHECK_SCHEMA_VERSION,
        image: image.to_owned(),
        image_version: version.to_string(),
        image_version_from: from,
        image_release: releases::release_name(version.build),
        isolation,
        nodes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(host: &str, image: &str, isolation: Isolation) -> HostRequest {
        HostRequest {
            host: host.to_owned(),
            image: image.to_owned(),
            isolation,
            host_kind: None,
        }
    }

    fn host(r: &HostRequest) -> HostCheck {
        match check_host(r).expect("readable") {
            CheckReport::Host(h) => *h,
            CheckReport::Nodes(_) => panic!("a host request answers for a host"),
        }
    }

    #[test]
    fn ws2016_revision_from_kernel_string_and_exact_tag() {
        let a = host(&req(
            "10.0 14393 (14393.1914.amd64fre.rs1_release_inmarket.171101-1800)",
            "mcr.microsoft.com/windows/servercore:10.0.14393.1944",
            Isolation::Process,
        ));
        assert_eq!((a.verdict, a.rule), (Verdict::Blocked, "ws2016-revision"));
        assert_eq!(a.host.revision, Some(1914));
        assert_eq!(a.image.revision, Some(1944));
        assert_eq!(a.image.from, "tag");
        assert_eq!(
            a.hyperv_alternative.as_ref().map(|h| h.verdict),
            Some(Verdict::Supported)
        );
    }

    #[test]
    fn ws2025_host_runs_ltsc2022() {
        let a = host(&req(
            "10.0.26100.1742",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            Isolation::Process,
        ));
        assert_eq!((a.verdict, a.rule), (Verdict::Supported, "matrix-ws2025"));
        assert_eq!(a.host.release.as_deref(), Some("Windows Server 2025"));
        assert_eq!(a.image.build, Some(20348));
        assert!(a.recommendation.is_none());
    }

    #[test]
    fn aspnet_ltsc2019_on_ws2022_recommends_ltsc2022() {
        let a = host(&req(
            "10.0.20348.2227",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
            Isolation::Process,
        ));
        assert_eq!(a.verdict, Verdict::Blocked);
        assert_eq!(
            a.recommendation.and_then(|r| r.reference).as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022")
        );
    }

    #[test]
    fn multi_platform_tag_is_unknown_not_an_error() {
        let a = host(&req(
            "ltsc2022",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
            Isolation::Process,
        ));
        assert_eq!(
            (a.verdict, a.rule),
            (Verdict::Unknown, RULE_IMAGE_VERSION_UNKNOWN)
        );
        assert_eq!(a.image.version, None);
        assert!(a.reasons[0].contains("multi-platform"));
    }

    #[test]
    fn versions_and_release_names_as_image() {
        let a = host(&req("ltsc2019", "ltsc2022", Isolation::Hyperv));
        assert_eq!(
            (a.verdict, a.rule),
            (Verdict::Blocked, "hyperv-newer-image")
        );
        assert_eq!(a.image.from, "flag");
        assert!(a.hyperv_alternative.is_none());
    }

    #[test]
    fn bad_host_is_an_error() {
        let err = check_host(&req("banana", "x", Isolation::Process)).unwrap_err();
        assert!(err.to_string().contains("--host \"banana\""));
    }

    #[test]
    fn both_checks_read_the_image_argument_alike() {
        let err = check_nodes("NOT A REF!!", Isolation::Process, &[]).unwrap_err();
        let host_err = check_host(&req("ltsc2022", "NOT A REF!!", Isolation::Process)).unwrap_err();
        assert_eq!(err, host_err);
        assert!(matches!(
            check_nodes("foo:latest", Isolation::Process, &[]),
            Err(CheckError::TagSaysNoBuild(_))
        ));
        assert_eq!(
            check_nodes("ltsc2019", Isolation::Process, &[]),
            Err(CheckError::NoNodes)
        );
    }
}
