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
