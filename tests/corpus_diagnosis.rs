//! Every file of `../shared/corpus` gets the diagnosis its README expects,
//! or a documented reason why not. Skips cleanly when the corpus is absent
//! (CI clones have it beside the project; a bare checkout does not).

#[path = "support/sample_report.rs"]
#[allow(dead_code, reason = "this test renders no report")]
mod sample_report;

use sample_report::report_for;
use std::path::{Path, PathBuf};
use wincompat::model::finding::{FindingKind, Report, Severity};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} does not exist", dir.display());
        None
    }
}

fn kinds(report: &Report) -> Vec<FindingKind> {
    let mut k: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
    k.sort();
    k.dedup();
    k
}

/// The mismatch kinds: a negative case must produce none of them.
const MISMATCH: [FindingKind; 9] = [
    FindingKind::ImageOlderThanHost,
    FindingKind::ImageNewerThanHost,
    FindingKind::RevisionMismatch,
    FindingKind::SandboxImageMismatch,
    FindingKind::ManifestNoMatch,
    FindingKind::RuntimeMatcherRefusal,
    FindingKind::VersionsMatch,
    FindingKind::MismatchVersionsUnknown,
    FindingKind::WrongPlatform,
];

/// (file prefix, kinds that must all be found). Where our answer differs
/// from the corpus README, the comment says why: the fact it relies on is
/// only in the prose, not in the pasted text.
const EXPECTED: &[(&str, &[FindingKind])] = &[
    // README: image-newer-than-host; the host build (16278, Insider) is only
    // in the issue title. From the text: image 16299 from the tag, host unknown.
    ("001-", &[FindingKind::MismatchVersionsUnknown]),
    ("003-", &[FindingKind::SandboxImageMismatch]),
    ("006-", &[FindingKind::MismatchVersionsUnknown]),
    (
        "007-",
        &[
            FindingKind::MismatchVersionsUnknown,
            FindingKind::TruncatedEvidence,
        ],
    ),
    (
        "008-",
        &[
            FindingKind::ImageOlderThanHost,
            FindingKind::MixedBuildNoSelector,
        ],
    ),
    // README: image-older-than-host on a Windows 10 host of unknown build;
    // "Windows 10" is only in the prose.
    ("009-", &[FindingKind::MismatchVersionsUnknown]),
    ("011-", &[FindingKind::SandboxImageMismatch]),
    // README: image-older-than-host; the WS2022 host is only implied by the
    // Helix queue name `windows.amd64.server2022.open`.
    ("014-", &[FindingKind::MismatchVersionsUnknown]),
    ("019-", &[FindingKind::MismatchVersionsUnknown]),
    ("028-", &[FindingKind::MismatchVersionsUnknown]),
    ("031-", &[FindingKind::ImageNewerThanHost]),
    (
        "038-",
        &[
            FindingKind::ManifestNoMatch,
            FindingKind::ImageNewerThanHost,
        ],
    ),
    // README: wrong-platform; the Linux-only image is not named in the text,
    // so the manifest error cannot be told apart from a Windows image built
    // for other builds (the root cause names both possibilities).
    ("041-", &[FindingKind::ManifestNoMatch]),
    ("047-", &[FindingKind::RuntimeMatcherRefusal]),
    ("049-", &[FindingKind::OtherHcsError]),
    // README: other-hcs-error ("The request is not supported."); the stored
    // file stops before that message, so only the cut is reported — and it
    // is never called a version mismatch.
    ("N01-", &[FindingKind::TruncatedEvidence]),
    ("N03-", &[FindingKind::OtherHcsError]),
    // Added in December 2026 (corpus README section of that name).
    ("101-", &[FindingKind::WrongPlatform]),
    ("102-", &[FindingKind::ManifestNoMatch]),
    ("103-", &[FindingKind::ImageNewerThanHost]),
    ("104-", &[FindingKind::SandboxImageMismatch]),
    // No failure at all: a revision difference the helper answered with
    // Hyper-V; checked below to give no error finding.
    ("105-", &[]),
    ("N10-", &[FindingKind::OtherHcsError]),
    ("N11-", &[FindingKind::OtherHcsError]),
    ("N12-", &[FindingKind::OtherHcsError]),
    ("N13-", &[FindingKind::OtherHcsError]),
    ("N14-", &[FindingKind::OtherHcsError]),
    ("N15-", &[FindingKind::OtherHcsError]),
    ("client-k8s-gke-", &[FindingKind::ImageOlderThanHost]),
    (
        "client-k8s-ws2022-",
        &[
            FindingKind::ImageOlderThanHost,
            FindingKind::MixedBuildNoSelector,
        ],
    ),
    (
        "client-swarm-",
        &[
            FindingKind::ImageOlderThanHost,
            FindingKind::TruncatedEvidence,
        ],
    ),
];

#[test]
fn every_corpus_case_gets_its_diagnosis() {
    let Some(dir) = corpus() else { return };
    let mut seen = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some((_, expected)) = EXPECTED.iter().find(|(prefix, _)| name.starts_with(prefix))
        else {
            panic!("corpus file {name} has no expectation here: add one");
        };
        let report = report_for(&path);
        let found = kinds(&report);
        for kind in *expected {
            assert!(
                found.contains(kind),
                "{name}: expected {kind:?}, found {found:?}"
            );
        }
        if name.starts_with("105-") {
            assert!(
                report
                    .findings
                    .iter()
                    .all(|f| f.severity != Severity::Error),
                "{name}: no failure in the text, yet {found:?}"
            );
        }
        if name.starts_with('N') {
            for kind in MISMATCH {
                assert!(
                    !found.contains(&kind),
                    "{name} is a negative case, yet {kind:?}"
                );
            }
        }
        seen += 1;
    }
    assert_eq!(seen, EXPECTED.len());
}

#[test]
fn seed_kubernetes_case_names_pod_nodes_versions_and_fixes() {
    let Some(dir) = corpus() else { return };
    let path = std::fs::read_dir(&dir)
        .expect("corpus readable")
        .map(|e| e.expect("entry").path())
        .find(|p| p.to_string_lossy().contains("008-"))
        .expect("008 present");
    let report = report_for(&path);
    let f = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::ImageOlderThanHost)
        .expect("image-older-than-host");
    assert_eq!(
        f.workload.as_deref(),
        Some("plang/fabrikamfiber.web-789699744-rqv6p")
    );
    assert_eq!(f.node.as_deref(), Some("38519acs9011"));
    assert_eq!(f.isolation.as_str(), "process");
    assert_eq!(f.host.as_ref().map(|h| h.build), Some(16299));
    assert_eq!(f.image_os.as_ref().map(|i| i.build), Some(14393));
    let text = serde_json::to_string(&f.fixes).expect("json");
    assert!(
        text.contains("38519acs9010"),
        "move to the 14393 node: {text}"
    );
    assert!(text.contains("1709"), "rebuild on a 1709 base: {text}");
    assert!(text.contains("Kubernetes does not support"), "{text}");
}

// See: issue 9 "One failure, one finding"; corpus folder
// client-k8s-gke-ws2022-fullversion-and-kb-tags (kubectl prints one Failed
// event per attempt, each with its own container id).
#[test]
fn one_finding_per_failing_pod_with_the_images_exact_build() {
    let Some(dir) = corpus() else { return };
    let report = report_for(&dir.join("client-k8s-gke-ws2022-fullversion-and-kb-tags"));
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for f in &errors {
        assert_eq!(f.kind, FindingKind::ImageOlderThanHost);
        assert_eq!(f.host.as_ref().map(|h| h.build), Some(20348));
        assert_eq!(f.isolation.as_str(), "process");
        let hyperv = f
            .fixes
            .iter()
            .find(|x| x.kind == wincompat::model::finding::FixKind::Hyperv)
            .expect("hyperv fix");
        assert!(!hyperv.applies, "Kubernetes: {hyperv:?}");
    }
    let etl = errors
        .iter()
        .find(|f| {
            f.workload
                .as_deref()
                .is_some_and(|w| w.contains("etl-worker"))
        })
        .expect("etl-worker");
    let image = etl.image_os.as_ref().expect("image build");
    assert_eq!((image.build, image.revision), (17763, Some(437)));
    let report_gen = errors
        .iter()
        .find(|f| {
            f.workload
                .as_deref()
                .is_some_and(|w| w.contains("report-gen"))
        })
        .expect("report-gen");
    let image = report_gen.image_os.as_ref().expect("image build");
    assert_eq!((image.build, image.revision), (17763, Some(973)));
}

#[test]
fn client_folders_are_diagnosed_per_node() {
    let Some(dir) = corpus() else { return };
    let k8s = report_for(&dir.join("client-k8s-ws2022-ws2025-aspnet-ltsc2019"));
    let mut nodes: Vec<&str> = k8s
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ImageOlderThanHost)
        .filter_map(|f| f.node.as_deref())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["win22-node-01", "win25-node-01"]);
    let rebuild = serde_json::to_string(&k8s.findings[0].fixes).expect("json");
    assert!(
        rebuild.contains("4.8-windowsservercore-ltsc2022"),
        "{rebuild}"
    );

    let swarm = report_for(&dir.join("client-swarm-ws2025-ltsc2019-batch"));
    let mut nodes: Vec<&str> = swarm
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ImageOlderThanHost)
        .filter_map(|f| f.node.as_deref())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["WS25-MGR01", "WS25-NODE01", "WS25-NODE02"]);
    let hyperv = swarm.findings[0]
        .fixes
        .iter()
        .find(|x| x.kind == wincompat::model::finding::FixKind::Hyperv)
        .expect("hyperv fix");
    assert!(
        hyperv.applies,
        "the hosts are newer than the image: {hyperv:?}"
    );
}
