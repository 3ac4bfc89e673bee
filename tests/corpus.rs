//! Real pasted outputs (../shared/corpus, see its README) through
//! `parse_text`: nothing panics, every file the README marks with a failure
//! kind yields at least one `Failure` record, negatives (N01, N03) yield one
//! whose code is NOT 0xc0370101, and cheap per-file facts hold.
//!
//! The corpus is not part of this repository: when the folder is missing
//! the tests print a note and pass.

use std::path::{Path, PathBuf};
use wincompat::model::{Failure, FailureKind, RecordData, WindowsVersion};
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

fn top_level_cases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.len() > 4 && n.as_bytes().get(3) == Some(&b'-'))
        })
        .collect();
    files.sort();
    files
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

#[test]
fn every_top_level_case_yields_a_failure() {
    let Some(dir) = corpus_dir() else { return };
    let cases = top_level_cases(&dir);
    assert!(cases.len() >= 17, "{} cases", cases.len());
    for path in cases {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let failures = failures_of(&path);
        assert!(!failures.is_empty(), "{name}: no failure record");
        if name.starts_with('N') {
            assert!(
                failures.iter().all(|f| f.hcs_code != Some(IMAGE_MISMATCH)),
                "{name}: negative case read as 0xc0370101: {failures:#?}"
            );
        }
    }
}

#[test]
fn client_folders_files_with_errors_yield_failures() {
    let Some(dir) = corpus_dir() else { return };
    let expect = [
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            "kubectl-describe-pod-legacy-billing-66d9f8b7c4-8fwzt.txt",
            2,
        ),
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            "kubectl-describe-pod-legacy-billing-66d9f8b7c4-rkx5m.txt",
            2,
        ),
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            "kubectl-get-events-n-billing.txt",
            2,
        ),
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            "kubectl-get-pod-legacy-billing-66d9f8b7c4-rkx5m-o-yaml.txt",
            1,
        ),
        (
            "client-swarm-ws2025-ltsc2019-batch",
            "docker-service-ps-no-trunc-batch-worker.txt",
            18,
        ),
        (
            "client-swarm-ws2025-ltsc2019-batch",
            "docker-service-ps-batch-worker.txt",
            18,
        ),
    ];
    for (folder, name, count) in expect {
        let path = dir.join(folder).join(name);
        if !path.exists() {
            eprintln!("note: {} missing", path.display());
            continue;
        }
        let failures = failures_of(&path);
        assert_eq!(failures.len(), count, "{folder}/{name}: {failures:#?}");
        if !name.contains("service-ps-batch") {
            assert!(
                failures.iter().all(|f| f.hcs_code == Some(IMAGE_MISMATCH)),
                "{name}: {failures:#?}"
            );
        }
    }
    // Files without errors yield none.
    for (folder, name) in [
        (
            "client-swarm-ws2025-ltsc2019-batch",
            "docker-service-ps-api.txt",
        ),
        ("client-swarm-ws2025-ltsc2019-batch", "docker-info.txt"),
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            "kubectl-get-nodes-o-wide.txt",
        ),
    ] {
        let path = dir.join(folder).join(name);
        if path.exists() {
            assert!(failures_of(&path).is_empty(), "{name}");
        }
    }
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
                    "{name}:{}-{} kind={:?} code={:?} op={:?} ctr={:?} img={:?} host={:?} plat={:?} image={:?} sandbox={} trunc={} partial={:?} ts={:?} wrappers={:?}\n    msg={:?}\n    text={:?}",
                    r.line,
                    r.end_line,
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
