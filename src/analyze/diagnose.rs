//! Decide the root cause of one placed failure: the finding kind, the
//! verdict of the compatibility rules, the rule that decided and the facts
//! the decision rests on. Returns a typed `Decision`; `wording` turns it
//! into sentences. No prose here.

use super::occurrence::Occurrence;
use crate::knowledge::compat::{self, CompatQuery, CompatResult, RuleId};
use crate::knowledge::{hcs_codes, tags};
use crate::model::finding::{Confidence, FindingKind, Verdict};
use crate::model::{FailureCause, FailureKind, Isolation, WindowsVersion};

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
    /// No Windows manifest entry, and the image is known to be Linux-only:
    /// the build in the message is the host's.
    LinuxOnlyImage { host: Option<WindowsVersion> },
    /// The registry's manifest has no Windows entry (`--resolve-images`).
    RegistryNoWindows { digest: String, platforms: String },
    /// The registry's manifest list has Windows entries, none for the host.
    RegistryNoEntryForHost {
        digest: String,
        offered: Vec<WindowsVersion>,
        host: Option<WindowsVersion>,
        engine: &'static str,
        source: &'static str,
    },
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
    /// Another error message, without a code.
    OtherMessage,
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
    /// Stated by the input, or resting on an inference.
    pub confidence: Confidence,
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
            confidence: Confidence::Stated,
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

/// Decide one occurrence, and say whether the decision is stated by the
/// input or rests on an inference.
pub(crate) fn diagnose(occ: &Occurrence<'_>) -> Decision {
    let mut d = decide(occ);
    d.confidence = confidence_of(occ, &d);
    d
}

/// Inferred when a version the kind depends on was not printed for this
/// container (a tag's name, another node, a lower bound), or when the kind
/// comes from knowledge rather than the error (a Linux-only image).
fn confidence_of(occ: &Occurrence<'_>, d: &Decision) -> Confidence {
    let inferred = |s: Option<&super::occurrence::Sourced>| {
        s.is_some_and(|s| s.from.is_weak() || s.from.is_lower_bound())
    };
    let versions_decide = matches!(
        d.grounds,
        Grounds::ImageOlder { .. }
            | Grounds::ImageNewer { .. }
            | Grounds::RevisionMismatch { .. }
            | Grounds::VersionsMatch { .. }
            | Grounds::MatcherRefusal { .. }
            | Grounds::ManifestMatcherRefusal { .. }
            | Grounds::ManifestNewer { .. }
    );
    let from_knowledge = matches!(d.grounds, Grounds::LinuxOnlyImage { .. });
    let cut = occ.failure.cause == FailureCause::Cut;
    if from_knowledge
        || cut
        || (versions_decide && (inferred(occ.host.as_ref()) || inferred(occ.image_os.as_ref())))
    {
        Confidence::Inferred
    } else {
        Confidence::Stated
    }
}

/// A failure cut before its message still is the mismatch when the input
/// states the host's build, the image's build and the isolation, and the
/// engine blocks that combination (issue 9): the decision is then inferred.
pub(crate) fn cut_but_decided(occ: &Occurrence<'_>) -> bool {
    let stated = |s: Option<&super::occurrence::Sourced>| {
        s.is_some_and(|s| !s.from.is_weak() && !s.from.is_lower_bound())
    };
    let isolation_stated = occ.isolation.is_some_and(|(_, from)| from.is_stated());
    if occ.failure.cause != FailureCause::Cut
        || !stated(occ.host.as_ref())
        || !stated(occ.image_os.as_ref())
        || !isolation_stated
    {
        return false;
    }
    let (Some(h), Some(i), Some(iso)) = (
        occ.host_version(),
        occ.image_version(),
        occ.isolation_mode(),
    ) else {
        return false;
    };
    !compat::can_run(h, occ.host_kind, i, iso)
}

fn decide(occ: &Occurrence<'_>) -> Decision {
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
            if occ.image.as_deref().is_some_and(names_linux_only_image) {
                return decide(
                    FindingKind::WrongPlatform,
                    Verdict::Blocked,
                    Grounds::LinuxOnlyImage { host },
                );
            }
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
    // Evidence before claim: a message that is not the mismatch's wording
    // (attach namespace, access denied, context deadline…) is another error.
    if failure.cause == FailureCause::Other {
        return decide(
            FindingKind::OtherHcsError,
            Verdict::Unknown,
            Grounds::OtherMessage,
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

/// Whether an image reference names an image known to publish no Windows
/// entry (a Linux distribution's official image).
fn names_linux_only_image(image: &str) -> bool {
    crate::model::ImageRef::parse(image.trim_start_matches("docker-pullable://"))
        .is_ok_and(|r| tags::is_linux_only_image(&r))
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

#[cfg(test)]
mod tests {
    use super::super::fixes::tests::occurrence;
    use super::super::occurrence::Sourced;
    use super::super::occurrence::{IsolationSource, Occurrence, Orchestrator, VersionSource};
    use super::super::testkit::{mismatch, v};
    use super::*;
    use crate::model::Failure;

    /// An occurrence of `failure` with the given host, image and isolation.
    fn occ(
        failure: Failure,
        host: Option<WindowsVersion>,
        image: Option<WindowsVersion>,
        isolation: Option<Isolation>,
    ) -> Occurrence<'static> {
        let mut o = occurrence(Orchestrator::Docker, None);
        o.failure = Box::leak(Box::new(failure));
        let sourced = |version| Sourced {
            version,
            from: VersionSource::Message,
            evidence: None,
        };
        o.host = host.map(sourced);
        o.image_os = image.map(sourced);
        o.isolation = isolation.map(|i| (i, IsolationSource::CommandLine));
        o
    }

    fn decide(
        failure: Failure,
        host: Option<WindowsVersion>,
        image: Option<WindowsVersion>,
        isolation: Option<Isolation>,
    ) -> (FindingKind, Verdict, Option<&'static str>) {
        let d = diagnose(&occ(failure, host, image, isolation));
        (d.kind, d.verdict, d.rule.map(RuleId::as_str))
    }

    const P: Option<Isolation> = Some(Isolation::Process);

    /// (failure, host, image, isolation) → (kind, verdict, rule).
    type Case = (
        Failure,
        Option<WindowsVersion>,
        Option<WindowsVersion>,
        Option<Isolation>,
        (FindingKind, Verdict, Option<&'static str>),
    );

    #[test]
    fn the_decision_table() {
        use FindingKind::*;
        use Verdict::*;
        let m = mismatch;
        // (failure, host, image, isolation) → (kind, verdict, rule)
        let cases: Vec<Case> = vec![
            (m(), None, None, P, (MismatchVersionsUnknown, Unknown, None)),
            (
                m(),
                Some(v(20348, None)),
                None,
                P,
                (MismatchVersionsUnknown, Unknown, None),
            ),
            (
                m(),
                Some(v(20348, None)),
                Some(v(17763, None)),
                P,
                (ImageOlderThanHost, Blocked, Some("matrix-ws2022")),
            ),
            (
                m(),
                Some(v(16299, None)),
                Some(v(14393, None)),
                None,
                (
                    ImageOlderThanHost,
                    Blocked,
                    Some("exact-build-before-ltsc2022"),
                ),
            ),
            (
                m(),
                Some(v(17763, None)),
                Some(v(20348, None)),
                P,
                (ImageNewerThanHost, Blocked, Some("matrix-ws2019")),
            ),
            (
                m(),
                Some(v(14393, Some(2248))),
                Some(v(14393, Some(1884))),
                P,
                (RevisionMismatch, Blocked, Some("ws2016-revision")),
            ),
            (
                m(),
                Some(v(17763, Some(5))),
                Some(v(17763, Some(5))),
                P,
                (VersionsMatch, Supported, Some("matrix-ws2019")),
            ),
            (
                m(),
                Some(v(26100, None)),
                Some(v(20348, None)),
                P,
                (RuntimeMatcherRefusal, Supported, Some("matrix-ws2025")),
            ),
        ];
        for (failure, host, image, iso, expected) in cases {
            assert_eq!(
                decide(failure, host, image, iso),
                expected,
                "{host:?} {image:?} {iso:?}"
            );
        }
    }

    #[test]
    fn the_wording_and_the_code_decide_before_the_versions() {
        let other = Failure {
            hcs_code: Some(0xC037_0106),
            ..mismatch()
        };
        let d = diagnose(&occ(other, Some(v(26100, None)), Some(v(17763, None)), P));
        assert_eq!(
            (d.kind, d.grounds),
            (
                FindingKind::OtherHcsError,
                Grounds::OtherCode { code: 0xC037_0106 }
            )
        );

        let sandbox = Failure {
            sandbox: true,
            ..mismatch()
        };
        let d = diagnose(&occ(sandbox, Some(v(17763, None)), None, P));
        assert_eq!(d.kind, FindingKind::SandboxImageMismatch);

        let wrong = Failure {
            kind: Some(FailureKind::WrongPlatform),
            ..mismatch()
        };
        assert_eq!(
            diagnose(&occ(wrong, None, None, None)).kind,
            FindingKind::WrongPlatform
        );

        let pull = Failure {
            kind: Some(FailureKind::ImageIncompatible),
            ..mismatch()
        };
        let d = diagnose(&occ(pull, Some(v(17134, None)), Some(v(17763, None)), None));
        assert_eq!(
            (d.kind, d.rule),
            (
                FindingKind::ImageNewerThanHost,
                Some(RuleId::HypervNewerImage)
            )
        );
    }

    #[test]
    fn manifest_errors_by_the_builds_they_name() {
        let manifest = || Failure {
            kind: Some(FailureKind::NoMatchingManifest),
            ..mismatch()
        };
        let d = diagnose(&occ(
            manifest(),
            Some(v(19044, None)),
            Some(v(20348, None)),
            None,
        ));
        assert_eq!(d.kind, FindingKind::ManifestNoMatch);
        assert!(matches!(d.grounds, Grounds::ManifestNewer { .. }));
        let d = diagnose(&occ(
            manifest(),
            Some(v(26200, None)),
            Some(v(20348, None)),
            None,
        ));
        assert_eq!(d.kind, FindingKind::RuntimeMatcherRefusal);
        let d = diagnose(&occ(manifest(), Some(v(19044, None)), None, None));
        assert_eq!(
            d.grounds,
            Grounds::ManifestUnknown {
                host: Some(v(19044, None))
            }
        );
    }
}
