//! Decide the root cause of one placed failure: the finding kind, the
//! verdict of the compatibility rules, the rule that decided and the facts
//! the decision rests on. Returns a typed `Decision`; `wording` turns it
//! into sentences. No prose here.

use super::occurrence::Occurrence;
use crate::knowledge::compat::{self, CompatQuery, CompatResult, RuleId};
use crate::knowledge::hcs_codes;
use crate::model::finding::{FindingKind, Verdict};
use crate::model::{FailureKind, Isolation, WindowsVersion};

/// Which version the input does not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Both,
    Host,
    Image,
}

/// The facts a decision rests on, one variant per line of reasoning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Grounds {
    /// A Linux image on a Windows daemon, or the reverse.
    WrongPlatform,
    /// Windows 10 before 1809 was asked for process isolation.
    ClientNeedsHyperV,
    /// Docker's pull-time check refused an image newer than the host.
    PullRefusedNewer {
        host: Option<WindowsVersion>,
        image: Option<WindowsVersion>,
    },
    /// No manifest entry, although the documents allow the pair.
    ManifestMatcherRefusal {
        host: WindowsVersion,
        image: WindowsVersion,
    },
    /// No manifest entry: the image's entries are newer than the host.
    ManifestNewer {
        host: WindowsVersion,
        image: WindowsVersion,
    },
    /// No manifest entry; why is not in the input.
    ManifestUnknown { host: Option<WindowsVersion> },
    /// Another Windows/HCS error than the mismatch.
    OtherCode { code: u32 },
    /// The pod sandbox (pause image) failed with the mismatch.
    Sandbox { host: Option<WindowsVersion> },
    /// The mismatch, without one of the two versions.
    VersionsUnknown { missing: Missing },
    /// Same build, different revisions, where revisions must match.
    RevisionMismatch {
        host: WindowsVersion,
        image: WindowsVersion,
    },
    /// The mismatch although the builds are stated equal.
    VersionsMatch {
        host: WindowsVersion,
        image: WindowsVersion,
    },
    /// The image is newer than the host.
    ImageNewer {
        host: WindowsVersion,
        image: WindowsVersion,
    },
    /// The engine refused a pair the documents allow.
    MatcherRefusal {
        host: WindowsVersion,
        image: WindowsVersion,
        isolation: Isolation,
    },
    /// The image is older than the host under process isolation.
    ImageOlder {
        host: WindowsVersion,
        image: WindowsVersion,
        /// `None`: the input does not say; process isolation was assumed.
        isolation: Option<Isolation>,
    },
}

/// What one occurrence means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decision {
    pub kind: FindingKind,
    pub verdict: Verdict,
    /// The code the failure carries (or its message identifies).
    pub error_code: Option<u32>,
    /// The compatibility rule that decided, when one was evaluated.
    pub rule: Option<RuleId>,
    pub grounds: Grounds,
    /// The knowledge base's answer for the pair, when one was asked.
    pub compat: Option<CompatResult>,
}

impl Decision {
    fn new(kind: FindingKind, verdict: Verdict, error_code: Option<u32>, grounds: Grounds) -> Self {
        Decision {
            kind,
            verdict,
            error_code,
            rule: None,
            grounds,
            compat: None,
        }
    }

    fn ruled(mut self, rule: RuleId) -> Self {
        self.rule = Some(rule);
        self
    }

    fn with(mut self, result: CompatResult) -> Self {
        self.rule = Some(result.rule);
        self.compat = Some(result);
        self
    }
}

/// Decide one occurrence.
pub(crate) fn diagnose(occ: &Occurrence<'_>) -> Decision {
    let failure = occ.failure;
    let code = failure.hcs_code.or_else(|| {
        failure
            .message
            .as_deref()
            .and_then(hcs_codes::by_message)
            .map(|c| c.code)
    });
    let host = occ.host_version();
    let image = occ.image_version();
    let decide = |kind, verdict, grounds| Decision::new(kind, verdict, code, grounds);

    match failure.kind {
        Some(FailureKind::WrongPlatform) => {
            return decide(
                FindingKind::WrongPlatform,
                Verdict::Blocked,
                Grounds::WrongPlatform,
            )
        }
        Some(FailureKind::ClientNeedsHyperV) => {
            return decide(
                FindingKind::OtherHcsError,
                Verdict::Blocked,
                Grounds::ClientNeedsHyperV,
            )
            .ruled(RuleId::ClientPre1809HypervOnly)
        }
        Some(FailureKind::ImageIncompatible) => {
            return decide(
                FindingKind::ImageNewerThanHost,
                Verdict::Blocked,
                Grounds::PullRefusedNewer { host, image },
            )
            .ruled(RuleId::HypervNewerImage)
        }
        Some(FailureKind::NoMatchingManifest | FailureKind::NoMatchForPlatform) => {
            return manifest_decision(occ, host, image, code);
        }
        Some(FailureKind::Hcs) | None => {}
    }

    if let Some(code) = code.filter(|c| *c != hcs_codes::IMAGE_MISMATCH) {
        return decide(
            FindingKind::OtherHcsError,
            Verdict::Unknown,
            Grounds::OtherCode { code },
        );
    }

    if failure.sandbox {
        return decide(
            FindingKind::SandboxImageMismatch,
            Verdict::Blocked,
            Grounds::Sandbox { host },
        );
    }

    let (h, i) = match (host, image) {
        (Some(h), Some(i)) => (h, i),
        (None, None) => return versions_unknown(code, Missing::Both),
        (None, Some(_)) => return versions_unknown(code, Missing::Host),
        (Some(_), None) => return versions_unknown(code, Missing::Image),
    };

    let isolation = occ.isolation_mode().unwrap_or(Isolation::Process);
    let result = compat::evaluate(&CompatQuery {
        host: h,
        host_kind: occ.host_kind,
        image: i,
        isolation,
    });
    if i.build == h.build {
        let revisions_differ = matches!((h.revision, i.revision), (Some(a), Some(b)) if a != b);
        if result.verdict == Verdict::Blocked && revisions_differ {
            return decide(
                FindingKind::RevisionMismatch,
                Verdict::Blocked,
                Grounds::RevisionMismatch { host: h, image: i },
            )
            .with(result);
        }
        return decide(
            FindingKind::VersionsMatch,
            result.verdict,
            Grounds::VersionsMatch { host: h, image: i },
        )
        .with(result);
    }
    if i.build > h.build {
        return decide(
            FindingKind::ImageNewerThanHost,
            Verdict::Blocked,
            Grounds::ImageNewer { host: h, image: i },
        )
        .with(result);
    }
    if compat::runs(result.verdict) {
        return decide(
            FindingKind::RuntimeMatcherRefusal,
            result.verdict,
            Grounds::MatcherRefusal {
                host: h,
                image: i,
                isolation,
            },
        )
        .with(result);
    }
    decide(
        FindingKind::ImageOlderThanHost,
        Verdict::Blocked,
        Grounds::ImageOlder {
            host: h,
            image: i,
            isolation: occ.isolation_mode(),
        },
    )
    .with(result)
}

fn versions_unknown(code: Option<u32>, missing: Missing) -> Decision {
    Decision::new(
        FindingKind::MismatchVersionsUnknown,
        Verdict::Unknown,
        code,
        Grounds::VersionsUnknown { missing },
    )
}

fn manifest_decision(
    occ: &Occurrence<'_>,
    host: Option<WindowsVersion>,
    image: Option<WindowsVersion>,
    code: Option<u32>,
) -> Decision {
    if let (Some(h), Some(i)) = (host, image) {
        let result = compat::evaluate(&CompatQuery {
            host: h,
            host_kind: occ.host_kind,
            image: i,
            isolation: Isolation::Process,
        });
        if i.build <= h.build && compat::runs(result.verdict) {
            return Decision::new(
                FindingKind::RuntimeMatcherRefusal,
                result.verdict,
                code,
                Grounds::ManifestMatcherRefusal { host: h, image: i },
            )
            .with(result);
        }
        if i.build > h.build {
            return Decision::new(
                FindingKind::ManifestNoMatch,
                Verdict::Blocked,
                code,
                Grounds::ManifestNewer { host: h, image: i },
            )
            .with(result);
        }
    }
    Decision::new(
        FindingKind::ManifestNoMatch,
        Verdict::Blocked,
        code,
        Grounds::ManifestUnknown { host },
    )
}
