//! End-to-end tests of the knowledge commands (`check`, `matrix`,
//! `explain`): exit codes and the essential lines of their output.
//! Every command runs with the environment variables wincompat reads
//! removed, so the tests are hermetic.

use assert_cmd::Command;
use predicates::prelude::*;

fn wincompat() -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary");
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS");
    cmd
}

/// version-compatibility.md, "Windows Server 2016 Restrictions": host with
/// KB4051033 (14393.1914), image with KB4053579 (14393.1944).
#[test]
fn check_ws2016_revision_mismatch_is_blocked() {
    wincompat()
        .args([
            "check",
            "--host",
            "10.0 14393 (14393.1914.amd64fre.rs1_release_inmarket.171101-1800)",
            "--image",
            "mcr.microsoft.com/windows/servercore:10.0.14393.1944",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "verdict:   blocked (rule ws2016-revision)",
        ))
        .stdout(predicate::str::contains("10.0.14393.1914"))
        .stdout(predicate::str::contains("10.0.14393.1944"));
}

/// WS2025 host tab: `|Windows Server 2022|✅|✅|`.
#[test]
fn check_ws2025_host_runs_ltsc2022() {
    wincompat()
        .args([
            "check",
            "--host",
            "10.0.26100.1742",
            "--image",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "verdict:   supported (rule matrix-ws2025)",
        ))
        .stdout(predicate::str::contains("isolation: process"))
        .stdout(predicate::str::contains(
            "host Windows Server 2025 (tab windows-server-2025)",
        ))
        .stdout(predicate::str::contains("version-compatibility.md"));
}

/// Hyper-V never runs an image newer than the host.
#[test]
fn check_hyperv_newer_image_is_blocked() {
    wincompat()
        .args([
            "check",
            "--host",
            "10.0.17763.1577",
            "--image",
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "--isolation",
            "hyperv",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "verdict:   blocked (rule hyperv-newer-image)",
        ))
        .stdout(predicate::str::contains("image newer than host"));
}

#[test]
fn check_aspnet_ltsc2019_on_ws2022_json() {
    let output = wincompat()
        .args([
            "check",
            "--host",
            "10.0.20348.2227",
            "--image",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&output).expect("JSON");
    assert_eq!(v["verdict"], "blocked");
    assert_eq!(v["host"]["version"], "10.0.20348.2227");
    assert_eq!(v["host"]["build"], 20348);
    assert_eq!(v["host"]["revision"], 2227);
    assert_eq!(v["host"]["release"], "Windows Server 2022");
    assert_eq!(
        v["image"]["reference"],
        "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019"
    );
    assert_eq!(v["image"]["version"], "10.0.17763");
    assert_eq!(v["image"]["build"], 17763);
    assert!(v["image"]["revision"].is_null());
    assert_eq!(v["image"]["release"], "Windows Server 2019");
    assert_eq!(v["image"]["from"], "tag");
    assert_eq!(v["isolation"], "process");
    assert_eq!(v["rule"], "matrix-ws2022");
    assert!(v["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(v["sources"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(v["hyperv_alternative"]["verdict"], "supported");
}

#[test]
fn check_aspnet_ltsc2019_on_ws2022_text_recommends_ltsc2022() {
    wincompat()
        .args([
            "check",
            "--host",
            "10.0.20348.2227",
            "--image",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "rebuild on: mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022",
        ))
        .stdout(predicate::str::contains("Hyper-V isolation would run it"));
}

/// A multi-platform tag says nothing about the build: unknown, exit 0.
#[test]
fn check_multi_platform_tag_is_unknown() {
    wincompat()
        .args([
            "check",
            "--host",
            "ltsc2022",
            "--image",
            "mcr.microsoft.com/dotnet/framework/aspnet:4.8",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("verdict:   unknown"));
}

#[test]
fn check_bad_host_is_a_usage_error() {
    wincompat()
        .args(["check", "--host", "banana", "--image", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("banana"));
}

#[test]
fn matrix_prints_every_host_tab() {
    wincompat()
        .arg("matrix")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Host: Windows Server 2025"))
        .stdout(predicate::str::contains("Host: Windows 10"))
        .stdout(predicate::str::contains("Container base image OS version"))
        .stdout(predicate::str::contains("Sources:"))
        .stdout(predicate::str::contains("knowledge as of"));
}

#[test]
fn matrix_for_one_host_as_json() {
    let output = wincompat()
        .args(["matrix", "--host", "ltsc2019", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&output).expect("JSON");
    assert_eq!(doc["schema_version"], 1);
    let cells = doc["cells"].as_array().expect("list");
    assert_eq!(cells.len(), 8);
    for c in cells {
        for key in ["host", "image", "isolation", "verdict", "rule"] {
            assert!(!c[key].is_null(), "{key} in {c}");
        }
    }
}

#[test]
fn explain_image_mismatch() {
    wincompat()
        .args(["explain", "0xc0370101"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ERROR_VMCOMPUTE_IMAGE_MISMATCH"))
        .stdout(predicate::str::contains("HCS_E_IMAGE_MISMATCH"))
        .stdout(predicate::str::contains("0x80370101"))
        .stdout(predicate::str::contains(
            "The container operating system does not match the host operating system",
        ));
}

#[test]
fn explain_finding_code() {
    wincompat()
        .args(["explain", "WC101"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("WC101 image-older-than-host"));
}

#[test]
fn explain_unknown_code_is_a_usage_error() {
    wincompat()
        .args(["explain", "0xdeadbeef"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("try 0xc0370101 or WC101"));
}
