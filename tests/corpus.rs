//! Real pasted outputs (../shared/corpus, see its README) through
//! `parse_text`: nothing panics; every top-level file and every client
//! folder file has a row in `EXPECTED` saying what its records read
//! (failures, their causes and codes, the host and image versions, the
//! isolation, the failing image), checked all at once so that one unknown
//! file does not hide the others; no negative (`N…`) file has a failure
//! whose cause is a mismatch; and cheap per-file facts hold.
//!
//! The corpus is not part of this repository: when the folder is missing
//! the tests print a note and pass.

use std::path::{Path, PathBuf};
use wincompat::knowledge::tags;
use wincompat::model::{
    Failure, FailureKind, ImageRef, Isolation, RecordData, SectionKind, WindowsVersion,
};
use wincompat::pipeline::parse_text;

const IMAGE_MISMATCH: u32 = 0xC037_0101;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found; corpus tests skipped", dir.display());
        None
    }
}

fn read_lossy(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("readable corpus file");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The failure records of one file.
fn failures_of(path: &Path) -> Vec<Failure> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let parsed = parse_text(name, &read_lossy(path));
    parsed
        .records
        .into_iter()
        .filter_map(|r| match r.data {
            RecordData::Failure(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// The top-level file whose name starts with `prefix` (`"031-"`).
fn file(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no corpus file {prefix}*"))
}

#[test]
fn every_corpus_file_parses_without_panic() {
    let Some(dir) = corpus_dir() else { return };
    let mut n = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let _ = failures_of(&p);
                n += 1;
            }
        }
    }
    assert!(n >= 17, "only {n} files read");
}

/// What the records of one corpus file say, at record level: the facts an
/// analysis is built from.
#[derive(Debug, Clone, PartialEq)]
struct Read {
    /// Failure records.
    failures: usize,
    /// The causes of the failure records, sorted, each once.
    causes: Vec<&'static str>,
    /// The codes of the failure records, sorted, each once.
    codes: Vec<u32>,
    /// The first host version read, in line order (a failure's own host
    /// build, a `Host` record): for a paste with two headers, the first.
    host: Option<String>,
    /// The first image version read (a failure's own image build, an `Image`
    /// record).
    image: Option<String>,
    /// The first isolation read (a command line, a helper's statement, the
    /// extra info's `HvPartition`, a daemon's default).
    isolation: Option<Isolation>,
    /// The image of the first failure: named by the failure itself, else by
    /// the nearest invocation before it.
    image_ref: Option<String>,
}

fn read(path: &Path) -> Read {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let parsed = parse_text(name, &read_lossy(path));
    let mut failures = Vec::new();
    let mut host: Option<(usize, String)> = None;
    let mut image: Option<(usize, String)> = None;
    let mut isolation: Option<(usize, Isolation)> = None;
    let first_at = |slot: &mut Option<(usize, String)>, line: usize, v: Option<WindowsVersion>| {
        if let Some(v) = v {
            if slot.as_ref().is_none_or(|(l, _)| line < *l) {
                *slot = Some((line, v.to_string()));
            }
        }
    };
    let mut iso_at = |line: usize, iso: Option<Isolation>| {
        if let Some(iso) = iso {
            if isolation.is_none_or(|(l, _)| line < l) {
                isolation = Some((line, iso));
            }
        }
    };
    for r in &parsed.records {
        match &r.data {
            RecordData::Failure(f) => {
                first_at(&mut host, r.line, f.host_version);
                first_at(&mut image, r.line, f.image_version);
                let hv = f.hcs.as_ref().and_then(|h| h.hv_partition);
                iso_at(
                    r.line,
                    hv.map(|hv| {
                        if hv {
                            Isolation::Hyperv
                        } else {
                            Isolation::Process
                        }
                    }),
                );
                failures.push((r.line, f.clone()));
            }
            RecordData::Host(h) => {
                first_at(&mut host, r.line, h.version);
                iso_at(r.line, h.default_isolation);
            }
            RecordData::Image(i) => first_at(&mut image, r.line, i.os_version),
            RecordData::Invocation(inv) => iso_at(r.line, inv.isolation),
            _ => {}
        }
    }
    let image_ref = failures.first().and_then(|(line, f)| {
        f.image.clone().or_else(|| {
            parsed
                .records
                .iter()
                .filter(|r| r.line <= *line)
                .filter_map(|r| match &r.data {
                    RecordData::Invocation(inv) => inv.image.clone(),
                    _ => None,
                })
                .next_back()
        })
    });
    let mut causes: Vec<&'static str> = failures.iter().map(|(_, f)| f.cause.as_str()).collect();
    causes.sort_unstable();
    causes.dedup();
    let mut codes: Vec<u32> = failures.iter().filter_map(|(_, f)| f.hcs_code).collect();
    codes.sort_unstable();
    codes.dedup();
    Read {
        failures: failures.len(),
        causes,
        codes,
        host: host.map(|(_, v)| v),
        image: image.map(|(_, v)| v),
        isolation: isolation.map(|(_, i)| i),
        image_ref,
    }
}

const MM: &str = "mismatch";
const OTHER: &str = "other";
const CUT: &str = "cut";
const P: Option<Isolation> = Some(Isolation::Process);
const HV: Option<Isolation> = Some(Isolation::Hyperv);

/// One row per corpus file (top-level files by prefix, client folders by
/// `folder/file`), from ../shared/corpus/README.md. Versions are what the
/// TEXT states (prose-only facts in the README are not readable and are
/// `None` here).
#[rustfmt::skip]
#[allow(clippy::type_complexity, reason = "a table reads better as tuples")]
const EXPECTED: &[(&str, usize, &[&str], &[u32], Option<&str>, Option<&str>, Option<Isolation>, Option<&str>)] = &[
    // (file, failures, causes, codes, host, image, isolation, image of the first failure)
    ("001-", 1, &[MM], &[0xC0370101], None, None, P, Some("microsoft/nanoserver:1709")),
    ("003-", 1, &[MM], &[0xC0370101], None, None, None, None),
    ("006-", 1, &[MM], &[0xC0370101], None, None, P, None),
    // Four `docker service ps` cells cut before any message, then the --no-trunc row.
    ("007-", 5, &[CUT, MM], &[0xC0370101], None, None, P, None),
    ("008-", 2, &[MM], &[0xC0370101], Some("10.0.14393.1715"), None, P, None),
    ("009-", 1, &[MM], &[0xC0370101], None, None, None, Some("bcinsider.azurecr.io/bcsandbox:nl-ltsc2019")),
    ("011-", 1, &[MM], &[0xC0370101], None, None, None, None),
    // 014: the Helix job header names the image (`using docker image …`).
    ("014-", 1, &[MM], &[0xC0370101], None, None, None, Some("mcr.microsoft.com/dotnet-buildtools/prereqs:windowsservercore-2004-helix-amd64-20200904200251-272704c")),
    ("019-", 1, &[MM], &[0xC0370101], None, None, None, None),
    ("028-", 1, &[MM], &[0xC0370101], None, None, None, Some("mcr.microsoft.com/windows:10.0.19042.1889-amd64")),
    ("031-", 1, &[MM], &[], Some("10.0.17134"), Some("10.0.17763"), None, Some("dotnet/framework/aspnet:4.7.2-windowsservercore-ltsc2019")),
    ("038-", 2, &[MM], &[], Some("10.0.19043"), Some("10.0.20348"), None, Some("mcr.microsoft.com/windows/nanoserver:ltsc2022")),
    ("041-", 1, &[MM], &[], Some("10.0.17763"), None, None, None),
    ("047-", 1, &[MM], &[], Some("10.0.26200"), None, None, Some("mcr.microsoft.com/windows/server:ltsc2022")),
    ("049-", 1, &[OTHER], &[0xC0370106], None, None, None, None),
    // December 2026 additions. 101: the build in the message is the HOST's; ubuntu is Linux-only.
    ("101-", 1, &[MM], &[], Some("10.0.18363"), None, None, Some("library/ubuntu:latest")),
    ("102-", 1, &[MM], &[], Some("10.0.19044"), None, None, Some("mcr.microsoft.com/windows/nanoserver:ltsc2022")),
    // 103: the VM image reference (17763.1579, line 4) comes before the message's 17763.
    ("103-", 1, &[MM], &[], Some("10.0.17763.1579"), Some("10.0.18362"), None, None),
    ("104-", 1, &[MM], &[0xC0370101], None, None, None, None),
    // 105: a header and no error: no failure record; the FIRST header's pair and isolation.
    ("105-", 0, &[], &[], Some("10.0.17763.1554"), Some("10.0.17763.1518"), HV, None),
    // Negatives: never a mismatch. N01 stops before the message (prose has it).
    ("N01-", 1, &[CUT], &[], None, None, None, None),
    ("N03-", 1, &[OTHER], &[0x803B0002], None, None, None, None),
    ("N10-", 1, &[OTHER], &[0xC0351000], Some("10.0.14393.2608"), Some("10.0.14393.2608"), HV, Some("bcinsider.azurecr.io/bcsandbox:13.2.26607.0-base-ltsc2016")),
    // N11: the helper's own mismatch sentence is not a failure; the 0x5b4 timeout is.
    ("N11-", 1, &[OTHER], &[0x5B4], Some("10.0.17763.0"), Some("10.0.14393.2551"), HV, Some("microsoft/bcsandbox:latest")),
    ("N12-", 1, &[OTHER], &[0xC0370106], None, None, P, Some("mcr.microsoft.com/windows/servercore:ltsc2022")),
    // N13: the poster's template line `[Container ID]` and the real error.
    ("N13-", 2, &[OTHER], &[], None, None, None, None),
    ("N14-", 1, &[OTHER], &[], None, None, P, Some("mcr.microsoft.com/windows/servercore:10.0.19041.508")),
    ("N15-", 1, &[OTHER], &[0x3], None, None, None, Some("mcr.microsoft.com/businesscentral:10.0.20348.2322")),
    // Client folders: one row per file.
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-describe-node-gke-etl-cluster-win-pool-8a1f2c3d-x7k2.txt", 0, &[], &[], Some("10.0.20348.3207"), None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-describe-pod-etl-worker-59c8d7f6b-n4vxq.txt", 8, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-describe-pod-report-gen-7f4b9c6d5-w2hzs.txt", 6, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-get-events-n-etl.txt", 12, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-get-nodes-o-wide.txt", 0, &[], &[], Some("10.0.20348.3207"), None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-get-pod-report-gen-7f4b9c6d5-w2hzs-o-yaml.txt", 1, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-gke-ws2022-fullversion-and-kb-tags/kubectl-get-pods-n-etl-o-wide.txt", 0, &[], &[], None, None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-describe-node-win22-node-01.txt", 0, &[], &[], Some("10.0.20348.3453"), None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-describe-node-win25-node-01.txt", 0, &[], &[], Some("10.0.26100.3775"), None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-describe-pod-legacy-billing-66d9f8b7c4-8fwzt.txt", 2, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-describe-pod-legacy-billing-66d9f8b7c4-rkx5m.txt", 2, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-get-events-n-billing.txt", 2, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-get-nodes-o-wide.txt", 0, &[], &[], Some("10.0.20348.3453"), None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-get-pod-legacy-billing-66d9f8b7c4-rkx5m-o-yaml.txt", 1, &[MM], &[0xC0370101], None, None, None, None),
    ("client-k8s-ws2022-ws2025-aspnet-ltsc2019/kubectl-get-pods-n-billing-o-wide.txt", 0, &[], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-info.txt", 0, &[], &[], Some("10.0.26100.3476"), None, P, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-node-inspect-WS25-NODE01.txt", 0, &[], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-node-ls.txt", 0, &[], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-service-ls.txt", 0, &[], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-service-ps-api.txt", 0, &[], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-service-ps-batch-worker.txt", 18, &[CUT], &[], None, None, None, None),
    ("client-swarm-ws2025-ltsc2019-batch/docker-service-ps-no-trunc-batch-worker.txt", 18, &[MM], &[0xC0370101], None, None, None, None),
];

#[test]
fn every_corpus_file_has_its_records() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 40, "only {} files", files.len());
    // Every file is checked and every problem reported, not just the first.
    let mut problems = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let got = read(path);
        let row = EXPECTED.iter().find(|row| {
            if row.0.contains('/') {
                rel == row.0
            } else {
                rel.starts_with(row.0)
            }
        });
        if rel.starts_with('N') && got.causes.contains(&MM) {
            problems.push(format!(
                "{rel}: a negative case read as a mismatch: {got:?}"
            ));
        }
        let Some(&(_, failures, causes, codes, host, image, isolation, image_ref)) = row else {
            problems.push(format!("{rel}: no expectation; records say {got:?}"));
            continue;
        };
        let want = Read {
            failures,
            causes: causes.to_vec(),
            codes: codes.to_vec(),
            host: host.map(str::to_owned),
            image: image.map(str::to_owned),
            isolation,
            image_ref: image_ref.map(str::to_owned),
        };
        if got != want {
            problems.push(format!("{rel}:\n   want {want:?}\n    got {got:?}"));
        }
    }
    for row in EXPECTED {
        let found = files.iter().any(|p| {
            let rel = p
                .strip_prefix(&dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            if row.0.contains('/') {
                rel == row.0
            } else {
                rel.starts_with(row.0)
            }
        });
        if !found {
            eprintln!("note: corpus file {} missing", row.0);
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn per_file_facts() {
    let Some(dir) = corpus_dir() else { return };

    // 001: legacy wording, process isolation in the blob.
    let f = failures_of(&file(&dir, "001-"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].hcs_code, Some(IMAGE_MISMATCH));
    assert_eq!(f[0].operation.as_deref(), Some("CreateContainer"));
    assert_eq!(f[0].hcs.as_ref().and_then(|h| h.hv_partition), Some(false));
    assert!(!f[0].truncated);

    // 003: klog-wrapped sandbox failure, blob cut off.
    let f = failures_of(&file(&dir, "003-"));
    assert_eq!(f.len(), 1);
    assert!(f[0].sandbox);
    assert!(f[0].truncated);
    assert_eq!(f[0].timestamp.as_deref(), Some("E0530 11:42:13.374889"));
    assert!(f[0].hcs.as_ref().is_some_and(|h| h.partial));

    // 007: the truncated rows and the --no-trunc row.
    let f = failures_of(&file(&dir, "007-"));
    assert!(f.iter().any(|x| x.truncated && x.kind.is_none()));
    assert!(f
        .iter()
        .any(|x| x.hcs_code == Some(IMAGE_MISMATCH) && x.hcs.as_ref().is_some_and(|h| !h.partial)));

    // 008: Last State message and the event's {"message":"…"} are two
    // occurrences; both blobs are whole (the second escaped inside JSON).
    let f = failures_of(&file(&dir, "008-"));
    let mism: Vec<_> = f
        .iter()
        .filter(|x| x.hcs_code == Some(IMAGE_MISMATCH))
        .collect();
    assert_eq!(mism.len(), 2, "{f:#?}");
    assert!(mism.iter().all(|x| !x.truncated), "{mism:#?}");
    assert!(mism
        .iter()
        .all(|x| x.hcs.as_ref().and_then(|h| h.hv_partition) == Some(false)));
    assert_eq!(mism[1].container.as_deref(), Some("fabrikamfiberweb"));

    // 009: console-wrapped, single backslashes, CreateComputeSystem wording.
    let f = failures_of(&file(&dir, "009-"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].hcs_code, Some(IMAGE_MISMATCH));
    assert_eq!(f[0].operation.as_deref(), Some("CreateComputeSystem"));
    assert!(f[0].wrappers.iter().any(|w| w == "DockerDo"));
    assert!(f[0]
        .hcs
        .as_ref()
        .and_then(|h| h.volume_path.as_deref())
        .is_some_and(|v| v.contains("c424d7940ce4")));

    // 011: FailedCreatePodSandBox.
    let f = failures_of(&file(&dir, "011-"));
    assert_eq!(f.len(), 1);
    assert!(f[0].sandbox);

    // 014: Python docker SDK 500.
    let f = failures_of(&file(&dir, "014-"));
    assert!(f[0].wrappers.iter().any(|w| w == "HTTP 500"));
    assert!(f[0].timestamp.is_some());

    // 028: ctr.
    let f = failures_of(&file(&dir, "028-"));
    assert_eq!(f[0].container.as_deref(), Some("test"));

    // 031: image 17763 on host 17134.
    let f = failures_of(&file(&dir, "031-"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, Some(FailureKind::ImageIncompatible));
    assert_eq!(f[0].image_version, Some(WindowsVersion::new(17763, None)));
    assert_eq!(f[0].host_version, Some(WindowsVersion::new(17134, None)));

    // 038: two pulls, two wordings.
    let f = failures_of(&file(&dir, "038-"));
    let kinds: Vec<_> = f.iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(FailureKind::NoMatchingManifest),
            Some(FailureKind::ImageIncompatible)
        ]
    );
    assert!(f
        .iter()
        .all(|x| x.host_version == Some(WindowsVersion::new(19043, None))));

    // 041: manifest refusal for a Linux-only image (the lead decides wrong-platform).
    let f = failures_of(&file(&dir, "041-"));
    assert_eq!(f[0].kind, Some(FailureKind::NoMatchingManifest));
    assert_eq!(f[0].host_version, Some(WindowsVersion::new(17763, None)));

    // 047: Docker 29 wording.
    let f = failures_of(&file(&dir, "047-"));
    assert_eq!(f.len(), 1);
    assert!(f[0]
        .platform
        .as_deref()
        .is_some_and(|p| p.contains("26200")));
    assert_eq!(
        f[0].image.as_deref(),
        Some("mcr.microsoft.com/windows/server:ltsc2022")
    );

    // 049: 0xc0370106 from hcs::System::Start.
    let f = failures_of(&file(&dir, "049-"));
    assert_eq!(f[0].hcs_code, Some(0xC037_0106));
    assert_eq!(f[0].operation.as_deref(), Some("hcs::System::Start"));

    // 101 / 102: "no matching manifest for windows/amd64 10.0.N": the image
    // the failure names tells a Linux-only image (wrong platform) from a
    // Windows one (a version the host cannot run).
    let linux_only = |prefix: &str| {
        let f = failures_of(&file(&dir, prefix));
        let image = f[0].image.as_deref().expect("image named");
        tags::is_linux_only_image(&ImageRef::parse(image).expect("reference"))
    };
    assert!(linux_only("101-"));
    assert!(!linux_only("102-"));

    // 105: two BcContainerHelper headers, the current one first: two
    // sections, each with its host, image and isolation, in input order.
    let path = file(&dir, "105-");
    let parsed = parse_text("105", &read_lossy(&path));
    let headers: Vec<(usize, usize)> = parsed
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::PowerShell)
        .map(|s| (s.line, s.end_line))
        .collect();
    assert_eq!(headers.len(), 2, "{headers:?}");
    let in_header = |line: usize| headers.iter().position(|(a, b)| *a <= line && line <= *b);
    let mut per_header: Vec<(Option<usize>, String)> = Vec::new();
    for r in &parsed.records {
        let fact = match &r.data {
            RecordData::Host(h) => format!(
                "host {}",
                h.version.map(|v| v.to_string()).unwrap_or_default()
            ),
            RecordData::Image(i) => format!(
                "image {}",
                i.os_version.map(|v| v.to_string()).unwrap_or_default()
            ),
            RecordData::Invocation(i) => format!("isolation {:?}", i.isolation),
            _ => continue,
        };
        per_header.push((in_header(r.line), fact));
    }
    assert_eq!(
        per_header,
        [
            (Some(0), "image 10.0.17763.1518".to_owned()),
            (Some(0), "host 10.0.17763.1554".to_owned()),
            (Some(0), "isolation Some(Hyperv)".to_owned()),
            (Some(1), "image 10.0.17763.1339".to_owned()),
            (Some(1), "host 10.0.17763.1339".to_owned()),
            (Some(1), "isolation Some(Process)".to_owned()),
        ]
    );

    // N11: the helper's notice (line 13) is no failure; the timeout is.
    let path = file(&dir, "N11-");
    let parsed = parse_text("N11", &read_lossy(&path));
    let lines: Vec<usize> = parsed
        .records
        .iter()
        .filter(|r| matches!(r.data, RecordData::Failure(_)))
        .map(|r| r.line)
        .collect();
    assert_eq!(lines, [15]);

    // N03: look-alike inside docker inspect JSON.
    let f = failures_of(&file(&dir, "N03-"));
    assert_eq!(f[0].message.as_deref(), Some("The endpoint was not found."));
}

/// Prints every Failure record of every corpus file (line span, kind, code,
/// flags, text) for review:
/// `cargo test --test corpus dump -- --ignored --nocapture`.
#[test]
#[ignore = "review aid, prints only"]
fn dump() {
    let Some(dir) = corpus_dir() else { return };
    let mut stack = vec![dir];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let parsed = parse_text(name, &read_lossy(&p));
        for r in parsed.records {
            if let RecordData::Failure(f) = r.data {
                println!(
                    "{name}:{}-{} cause={} kind={:?} code={:?} op={:?} ctr={:?} img={:?} host={:?} plat={:?} image={:?} sandbox={} trunc={} partial={:?} ts={:?} wrappers={:?}\n    msg={:?}\n    text={:?}",
                    r.line,
                    r.end_line,
                    f.cause.as_str(),
                    f.kind,
                    f.hcs_code.map(|c| format!("{c:#x}")),
                    f.operation,
                    f.container,
                    f.image_version.map(|v| v.to_string()),
                    f.host_version.map(|v| v.to_string()),
                    f.platform,
                    f.image,
                    f.sandbox,
                    f.truncated,
                    f.hcs.as_ref().map(|h| h.partial),
                    f.timestamp,
                    f.wrappers,
                    f.message,
                    f.text,
                );
            }
        }
    }
}

/// Our own sample files (samples/wording/): each wording they show is read.
#[test]
fn wording_samples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/wording");

    let f = failures_of(&dir.join("powershell-console-wrapped-createcomputesystem.txt"));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].hcs_code, Some(IMAGE_MISMATCH));
    assert_eq!(f[0].operation.as_deref(), Some("CreateComputeSystem"));
    let hcs = f[0].hcs.as_ref().expect("extra info");
    assert!(!hcs.partial);
    assert_eq!(hcs.hv_partition, Some(false));
    assert_eq!(hcs.layers.len(), 2);
    assert_eq!(
        hcs.volume_path.as_deref(),
        Some(r"\\?\Volume{5d2c8e41-7a3b-4f19-b6d0-9e8c2a1f7b35}")
    );

    let f = failures_of(&dir.join("markdown-ticket-two-wordings.md"));
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].hcs_code, Some(IMAGE_MISMATCH));
    assert_eq!(f[1].kind, Some(FailureKind::NoMatchingManifest));
    assert_eq!(f[1].host_version, Some(WindowsVersion::new(20348, None)));
    assert_eq!(
        f[1].image.as_deref(),
        Some("contoso.azurecr.io/web/portal:3.1-ltsc2025")
    );

    let f = failures_of(&dir.join("docker-pull-image-incompatible.txt"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].image_version, Some(WindowsVersion::new(20348, None)));
    assert_eq!(f[0].host_version, Some(WindowsVersion::new(17763, None)));
    assert_eq!(
        f[0].image.as_deref(),
        Some("contoso.azurecr.io/tools/reporting:2.0-ltsc2022")
    );

    let f = failures_of(&dir.join("ecs-cannotpullcontainererror.txt"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, Some(FailureKind::ImageIncompatible));
    assert_eq!(f[0].wrappers, ["ECS CannotPullContainerError"]);
}
