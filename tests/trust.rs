//! Right or silent (issue 9): specifications on text we write ourselves in
//! the shapes real tools print. Each test: fixture in, the findings a
//! careful reader would state out — and nothing the input does not support.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// The JSON report of `wincompat` over fixtures of tests/fixtures/trust.
fn report(files: &[&str]) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trust");
    let out = Command::cargo_bin("wincompat")
        .expect("binary")
        .args(["--format", "json", "--color", "never"])
        .args(files.iter().map(|f| dir.join(f)))
        .env_remove("NO_COLOR")
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .collect()
}

fn kinds(report: &Value) -> Vec<&str> {
    findings(report)
        .iter()
        .map(|f| f["kind"].as_str().unwrap_or(""))
        .collect()
}

// See: issue 9 "One failure, one finding": kubectl ≥ 1.20 prints one Failed
// event per attempt (each with a new container id) plus Last State.
#[test]
fn describe_pod_with_one_failed_event_per_attempt_is_one_finding() {
    let r = report(&["describe-pod-failed-per-attempt.txt"]);
    assert_eq!(kinds(&r), ["mismatch-versions-unknown"]);
    let f = findings(&r)[0];
    assert_eq!(f["workload"], "finance/ledger-7c9d8b6f5-q2w8e");
    assert_eq!(f["node"], "akswin22-vmss000003");
    // Three Failed events; the Last State message is the latest of them.
    assert_eq!(f["occurrences"], 3);
    assert_eq!(r["summary"]["findings"], 1);
}

fn fix<'a>(finding: &'a Value, kind: &str) -> &'a Value {
    finding["fixes"]
        .as_array()
        .expect("fixes")
        .iter()
        .find(|f| f["kind"] == kind)
        .expect("fix of that kind")
}

// See: issue 9 "Evidence before claim": containerd's attach-namespace error
// and a console-wrapped 0xc0370108 are not the mismatch.
#[test]
fn look_alikes_are_other_hcs_errors_never_a_mismatch() {
    for file in ["containerd-attach-namespace.txt", "wrapped-0xc0370108.txt"] {
        let r = report(&[file]);
        assert_eq!(kinds(&r), ["other-hcs-error"], "{file}");
        let f = findings(&r)[0];
        assert_ne!(f["error_code"], "0xc0370101", "{file}");
        for kind in ["rebuild", "hyperv", "move"] {
            assert_eq!(fix(f, kind)["applies"], false, "{file}: {kind}");
        }
    }
    let r = report(&["wrapped-0xc0370108.txt"]);
    assert_eq!(findings(&r)[0]["error_code"], "0xc0370108");
}

// See: issue 9 — a message cut mid-word counts when it is a prefix of a
// mismatch wording; one cut before any wording counts only when the input
// states both builds and the isolation, and is then marked inferred.
#[test]
fn cut_messages_count_only_on_the_evidence() {
    let r = report(&["cut-message-stated-versions.txt"]);
    assert_eq!(kinds(&r), ["image-older-than-host"]);
    assert_eq!(findings(&r)[0]["confidence"], "stated");
    // The answer of `docker image inspect --format '{{.OsVersion}}'`.
    assert_eq!(findings(&r)[0]["image_os"]["version"], "10.0.14393.6452");

    let r = report(&["cut-before-message-stated-versions.txt"]);
    assert_eq!(kinds(&r), ["image-older-than-host"]);
    let f = findings(&r)[0];
    assert_eq!(f["confidence"], "inferred");
    assert!(f["root_cause"]
        .as_str()
        .is_some_and(|t| t.starts_with("The error text is cut")));
}

// See: issue 9 "Inference both ways": a Linux-only image failing with "no
// matching manifest for windows/amd64 10.0.N" is wrong-platform; N is the
// host's build.
#[test]
fn a_linux_only_image_is_the_wrong_platform_not_a_build_mismatch() {
    let r = report(&["pull-linux-only-image.txt"]);
    assert_eq!(kinds(&r), ["wrong-platform"]);
    let f = findings(&r)[0];
    assert_eq!(f["host"]["build"], 20348);
    assert!(f["image_os"].is_null());
    assert_eq!(f["confidence"], "inferred");
    for kind in ["rebuild", "hyperv", "move"] {
        assert_eq!(fix(f, kind)["applies"], false, "{kind}");
    }
}

// See: issue 9 "Only true fixes": on Windows Server 2016 a host revision
// newer than the image's is fixed by Hyper-V isolation, and the update
// moves forward only (the image to the host's revision, never the host
// back to the image's).
#[test]
fn ws2016_revision_mismatch_offers_hyperv_and_forward_updates_only() {
    let r = report(&["ws2016-revision.txt"]);
    assert_eq!(kinds(&r), ["revision-mismatch"]);
    let f = findings(&r)[0];
    let hyperv = fix(f, "hyperv");
    assert_eq!(hyperv["applies"], true);
    let update = fix(f, "update");
    let why = update["why"].as_str().expect("why");
    assert!(why.contains("host's revision (10.0.14393.2248)"), "{why}");
    assert!(!why.contains("update the host to 10.0.14393.1884"), "{why}");
}
