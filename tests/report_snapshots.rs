//! Whole reports for every bundled sample folder, in all three formats,
//! as reviewed insta snapshots. A change in a parser, the analysis or a
//! renderer that alters what a user sees shows up here for review
//! (`cargo insta review`); under CI insta fails instead of writing.

use std::path::PathBuf;
use wincompat::model::finding::Report;
use wincompat::report::{ReportFormat, TextStyle};

#[path = "support/sample_report.rs"]
mod sample_report;
use sample_report::rendered;

fn report_for(folder: &str) -> Report {
    sample_report::report_for(&PathBuf::from("samples").join(folder))
}

fn snapshot_all_formats(folder: &str) {
    let report = report_for(folder);
    let text = rendered(
        &report,
        ReportFormat::Text(TextStyle {
            color: false,
            ..TextStyle::plain(100)
        }),
    );
    insta::assert_snapshot!(format!("{folder}.text"), text);
    insta::assert_snapshot!(
        format!("{folder}.md"),
        rendered(&report, ReportFormat::Markdown)
    );
    insta::assert_snapshot!(
        format!("{folder}.json"),
        rendered(&report, ReportFormat::Json)
    );
}

/// The seed's `docker run` scenario, in our own words.
#[test]
fn docker_run() {
    snapshot_all_formats("docker-run");
}

/// The seed's Swarm scenario: `docker service ps` cut with `…`, then `--no-trunc`.
#[test]
fn swarm_iis() {
    snapshot_all_formats("swarm-iis");
}

/// The seed's Kubernetes scenario: a pod failing on one build, running on another.
#[test]
fn k8s_mixed_builds() {
    snapshot_all_formats("k8s-mixed-builds");
}

#[test]
fn k8s_sandbox() {
    snapshot_all_formats("k8s-sandbox");
}

#[test]
fn k8s_json() {
    snapshot_all_formats("k8s-json");
}

#[test]
fn logs_dockerd() {
    snapshot_all_formats("logs-dockerd");
}

#[test]
fn logs_kubelet() {
    snapshot_all_formats("logs-kubelet");
}

#[test]
fn logs_powershell_utf16() {
    snapshot_all_formats("logs-powershell-utf16");
}

#[test]
fn bundle_support() {
    snapshot_all_formats("bundle-support");
}

#[test]
fn wording() {
    snapshot_all_formats("wording");
}
