//! `wincompat collect kubernetes` and `kubectl wincompat`, end to end: the
//! real `kubectl` (installed on every machine of this project) pointed by a
//! temporary kubeconfig at a fake API server of our own on 127.0.0.1.
//! Scenarios of issue 11: the Microsoft docs case, a WS2022 + WS2025 pool
//! with an ltsc2019 workload, forbidden events, a slow endpoint, no kubectl
//! on PATH, the kubectl plugin mechanism, and the saved folder giving the
//! same findings as the live run.
//!
//! See: issue 11.

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::kube::{self, Cluster};
use support::{files, finding_keys, report, show, Home};

const CREATE_CONTAINER_0XC0370101: &str = "Error: failed to start container \"fabrikam-web\": Error response from daemon: container 5f1c0a9e2b7d4c3a8e6f0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)";

fn hcs_create_compute_system(id_seed: &str) -> String {
    format!(
        "failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {}: The container operating system does not match the host operating system.: unknown",
        kube::hex_id(id_seed)
    )
}

/// The Microsoft docs case: nodes on 14393.1715 and 16299.0, a pod whose
/// image is built on 14393 runs on the first and fails on the second.
fn docs_cluster() -> Cluster {
    let image = "contoso/fabrikam.web:latest";
    Cluster {
        nodes: vec![
            kube::windows_node(
                "win-rs1-01",
                "10.0.14393.1715",
                "Windows Server 2016 Datacenter",
                "docker://17.6.2",
            ),
            kube::windows_node(
                "win-rs3-01",
                "10.0.16299.0",
                "Windows Server Datacenter",
                "docker://17.10.0",
            ),
        ],
        pods: vec![
            kube::pod(
                "fabrikam",
                "fabrikam-web-7d9c5b6f4-r2k8m",
                "fabrikam-web",
                "win-rs1-01",
                image,
                None,
            ),
            kube::pod(
                "fabrikam",
                "fabrikam-web-7d9c5b6f4-x4p9t",
                "fabrikam-web",
                "win-rs3-01",
                image,
                Some(CREATE_CONTAINER_0XC0370101),
            ),
        ],
        events: vec![kube::failed_event(
            "fabrikam",
            "fabrikam-web-7d9c5b6f4-x4p9t",
            "fabrikam-web",
            "win-rs3-01",
            CREATE_CONTAINER_0XC0370101,
            151,
        )],
        ..Cluster::default()
    }
}

/// A Windows Server 2022 + 2025 pool, deployment `ledger` on an ltsc2019
/// image failing on both, `invoice` on ltsc2022 running.
fn pool_cluster() -> Cluster {
    let old = "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019";
    let new = "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022";
    let fail_22 = hcs_create_compute_system("ledger-22");
    let fail_25 = hcs_create_compute_system("ledger-25");
    Cluster {
        nodes: vec![
            kube::windows_node(
                "ws22-pool-01",
                "10.0.20348.3453",
                "Windows Server 2022 Datacenter",
                "containerd://1.7.20",
            ),
            kube::windows_node(
                "ws25-pool-01",
                "10.0.26100.3775",
                "Windows Server 2025 Datacenter",
                "containerd://2.0.4",
            ),
        ],
        pods: vec![
            kube::pod(
                "finance",
                "ledger-5f8b7c9d6-h3k7w",
                "ledger",
                "ws22-pool-01",
                old,
                Some(&fail_22),
            ),
            kube::pod(
                "finance",
                "ledger-5f8b7c9d6-q9v2n",
                "ledger",
                "ws25-pool-01",
                old,
                Some(&fail_25),
            ),
            kube::pod(
                "finance",
                "invoice-6b7c8d9f5-t5m2x",
                "invoice",
                "ws22-pool-01",
                new,
                None,
            ),
        ],
        events: vec![
            kube::failed_event(
                "finance",
                "ledger-5f8b7c9d6-h3k7w",
                "ledger",
                "ws22-pool-01",
                &format!("Error: {fail_22}"),
                31,
            ),
            kube::failed_event(
                "finance",
                "ledger-5f8b7c9d6-q9v2n",
                "ledger",
                "ws25-pool-01",
                &format!("Error: {fail_25}"),
                29,
            ),
        ],
        runtimeclasses: vec![kube::runtime_class(
            "windows-process",
            "runhcs-wcow-process",
        )],
        controllers: vec![
            kube::deployment("finance", "ledger", "ledger", old),
            kube::deployment("finance", "invoice", "invoice", new),
        ],
        ..Cluster::default()
    }
}

fn key(kind: &str, node: &str, workload: &str) -> (String, String, String) {
    (kind.to_owned(), node.to_owned(), workload.to_owned())
}

/// What the engine finds in `pool_cluster`: the mismatch on each node, and
/// on each the warning that the pods select no build in a mixed pool.
fn pool_findings() -> Vec<(String, String, String)> {
    vec![
        key(
            "image-older-than-host",
            "ws22-pool-01",
            "finance/ledger-5f8b7c9d6-h3k7w",
        ),
        key(
            "image-older-than-host",
            "ws25-pool-01",
            "finance/ledger-5f8b7c9d6-q9v2n",
        ),
        key(
            "mixed-build-no-selector",
            "ws22-pool-01",
            "finance/ledger-5f8b7c9d6-h3k7w",
        ),
        key(
            "mixed-build-no-selector",
            "ws25-pool-01",
            "finance/ledger-5f8b7c9d6-q9v2n",
        ),
    ]
}

/// `2026-12-06T22:11:44Z`.
fn is_rfc3339(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    s.len() == 20
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn host_build(finding: &Value) -> Option<u64> {
    finding["host"]["build"].as_u64()
}

fn image_build(finding: &Value) -> Option<u64> {
    finding["image_os"]["build"].as_u64()
}

#[test]
fn docs_case_pod_built_on_14393_fails_on_the_16299_node() {
    let server = docs_cluster().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let out = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-n",
            "fabrikam",
            "--format",
            "json",
            "--save",
            save.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report = report(&out);
    let findings = report["findings"].as_array().expect("findings");
    // The mismatch, and the warning that the pod selects no build in a
    // cluster of two builds (both right: that is how it got onto 16299).
    assert_eq!(
        finding_keys(&report),
        vec![
            key(
                "image-older-than-host",
                "win-rs3-01",
                "fabrikam/fabrikam-web-7d9c5b6f4-x4p9t"
            ),
            key(
                "mixed-build-no-selector",
                "win-rs3-01",
                "fabrikam/fabrikam-web-7d9c5b6f4-x4p9t"
            ),
        ],
        "{}",
        show(&out)
    );
    let f = &findings[0];
    assert_eq!(f["kind"], "image-older-than-host", "{}", show(&out));
    assert_eq!(f["node"], "win-rs3-01");
    assert_eq!(f["workload"], "fabrikam/fabrikam-web-7d9c5b6f4-x4p9t");
    assert_eq!(host_build(f), Some(16299));
    assert_eq!(
        image_build(f),
        Some(14393),
        "image inferred from the node where it runs"
    );

    // One file per command, describe only of the failing pod.
    assert_eq!(
        files(&save),
        vec![
            "kubectl-describe-pod-fabrikam-web-7d9c5b6f4-x4p9t-n-fabrikam.txt",
            "kubectl-get-events-n-fabrikam-field-selector-type-Warning-o-json.txt",
            "kubectl-get-nodes-o-json.txt",
            "kubectl-get-pods-n-fabrikam-o-json.txt",
            "kubectl-get-runtimeclasses-o-json.txt",
            "manifest.json",
        ],
        "{}",
        show(&out)
    );
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(save.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["collector"], "kubernetes");
    assert_eq!(manifest["clients"][0]["client"], "kubectl");
    let commands: Vec<&str> = manifest["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        vec![
            "kubectl version -o json",
            "kubectl get nodes -o json",
            "kubectl get pods -n fabrikam -o json",
            "kubectl get events -n fabrikam --field-selector type=Warning -o json",
            "kubectl get runtimeclasses -o json",
            "kubectl describe pod fabrikam-web-7d9c5b6f4-x4p9t -n fabrikam",
        ]
    );
    assert!(manifest["commands"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["exit_code"] == 0 && c["duration_ms"].is_u64() && is_rfc3339(&c["started"])));
    assert!(is_rfc3339(&manifest["started"]) && is_rfc3339(&manifest["finished"]));
    assert_eq!(manifest["clients"][1]["client"], "kubernetes server");
    assert_eq!(manifest["clients"][1]["version"], "v1.32.4");
    assert_eq!(manifest["redacted"], false);

    // Read-only: kubectl only ever asked with GET.
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.starts_with("GET ")),
        "{requests:#?}"
    );
    for path in [
        "GET /api/v1/nodes?limit=500",
        "GET /api/v1/namespaces/fabrikam/pods?limit=500",
        "GET /api/v1/namespaces/fabrikam/events?fieldSelector=type%3DWarning&limit=500",
        "GET /apis/node.k8s.io/v1/runtimeclasses?limit=500",
        "GET /api/v1/namespaces/fabrikam/pods/fabrikam-web-7d9c5b6f4-x4p9t",
    ] {
        assert!(
            requests.iter().any(|r| r == path),
            "{path} not requested: {requests:#?}"
        );
    }
}

#[test]
fn ws2022_and_ws2025_pool_with_an_ltsc2019_deployment() {
    let server = pool_cluster().start();
    let home = Home::new();
    let out = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-n",
            "finance",
            "deploy/ledger",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report = report(&out);
    let keys = finding_keys(&report);
    assert_eq!(keys, pool_findings(), "{}", show(&out));
    for f in report["findings"].as_array().unwrap() {
        if f["kind"] == "image-older-than-host" {
            assert_eq!(image_build(f), Some(17763));
            assert_eq!(f["image_os"]["from"], "tag");
        }
    }
    // The deployment's pods were selected by its labels.
    assert!(
        server.requests().iter().any(
            |r| r.starts_with("GET /api/v1/namespaces/finance/pods?labelSelector=app%3Dledger")
        ),
        "{:#?}",
        server.requests()
    );
}

#[test]
fn forbidden_events_are_a_warning_and_the_rest_is_analysed() {
    let mut cluster = pool_cluster();
    cluster.forbidden = vec!["events"];
    let server = cluster.start();
    let home = Home::new();
    let out = home.wincompat_kube(
        server.port,
        &["collect", "kubernetes", "-n", "finance", "--format", "json"],
    );
    let err = stderr(&out);
    assert!(
        err.contains("failure messages from events missing")
            && err.contains(
                "`kubectl get events -n finance --field-selector type=Warning -o json` failed"
            )
            && err.contains("Forbidden"),
        "{}",
        show(&out)
    );
    // The pods' own statuses still carry the failure.
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(
        finding_keys(&report(&out)),
        pool_findings(),
        "{}",
        show(&out)
    );
}

#[test]
fn a_slow_endpoint_times_out_and_costs_only_its_facts() {
    let mut cluster = pool_cluster();
    cluster.slow = vec![("runtimeclasses", Duration::from_secs(8))];
    let server = cluster.start();
    let home = Home::new();
    let clock = Instant::now();
    let out = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-n",
            "finance",
            "--timeout",
            "1",
            "--format",
            "json",
        ],
    );
    assert!(
        clock.elapsed() < Duration::from_secs(7),
        "took {:?}",
        clock.elapsed()
    );
    let err = stderr(&out);
    assert!(
        err.contains("RuntimeClass handlers unknown") && err.contains("timed out"),
        "{}",
        show(&out)
    );
    assert_eq!(
        finding_keys(&report(&out)),
        pool_findings(),
        "{}",
        show(&out)
    );
}

#[test]
fn no_kubectl_on_path_is_exit_2_with_a_warning() {
    let home = Home::new();
    let empty = home.path().join("empty-bin");
    std::fs::create_dir(&empty).unwrap();
    let out = home
        .command(&support::bin(), Some(empty.to_str().unwrap()))
        .args(["collect", "kubernetes", "-n", "shop"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = stderr(&out);
    assert!(
        err.contains("`kubectl` not found on PATH"),
        "{}",
        show(&out)
    );
    assert!(err.contains("nothing could be collected"), "{}", show(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn kubectl_wincompat_runs_through_kubectls_plugin_mechanism() {
    let server = pool_cluster().start();
    let home = Home::new();
    let plugins = home.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::os::unix::fs::symlink(support::bin(), plugins.join("kubectl-wincompat")).unwrap();
    let path = format!(
        "{}:{}",
        plugins.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let kubeconfig = home.kubeconfig(server.port);
    let out = home
        .command(std::path::Path::new("kubectl"), Some(&path))
        .env("KUBECONFIG", &kubeconfig)
        .args(["wincompat", "-n", "finance", "--format", "json"])
        .output()
        .expect("run kubectl");
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let direct = home.wincompat_kube(
        server.port,
        &["collect", "kubernetes", "-n", "finance", "--format", "json"],
    );
    assert_eq!(finding_keys(&report(&out)), finding_keys(&report(&direct)));
    assert_eq!(finding_keys(&report(&out)), pool_findings());
}

#[test]
fn the_saved_folder_gives_the_same_findings_as_the_live_run() {
    let server = pool_cluster().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let save_arg = save.to_str().unwrap();
    let live = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-A",
            "--save",
            save_arg,
            "--format",
            "json",
        ],
    );
    let again = home
        .command(&support::bin(), None)
        .args([save_arg, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        live.status.code(),
        again.status.code(),
        "{}\n{}",
        show(&live),
        show(&again)
    );
    let (live, again) = (report(&live), report(&again));
    assert_eq!(live["findings"], again["findings"]);
    assert_eq!(live["nodes"], again["nodes"]);
    assert_eq!(finding_keys(&live), pool_findings());
}

#[test]
fn redact_rewrites_the_saved_files_too() {
    let server = pool_cluster().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let out = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-n",
            "finance",
            "--redact",
            "--save",
            save.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let names = files(&save);
    assert_eq!(
        names,
        vec![
            "kubectl-describe-pod-pod-1-n-ns-1.txt",
            "kubectl-describe-pod-pod-2-n-ns-1.txt",
            "kubectl-get-events-n-ns-1-field-selector-type-Warning-o-json.txt",
            "kubectl-get-nodes-o-json.txt",
            "kubectl-get-pods-n-ns-1-o-json.txt",
            "kubectl-get-runtimeclasses-o-json.txt",
            "manifest.json",
        ],
        "file names are redacted too"
    );
    for name in names {
        let text = std::fs::read_to_string(save.join(&name)).unwrap();
        for secret in [
            "ws22-pool-01",
            "ws25-pool-01",
            "ledger-5f8b7c9d6-h3k7w",
            "invoice-6b7c8d9f5-t5m2x",
            "finance",
            "10.244.1.7",
        ] {
            assert!(!text.contains(secret), "{secret} left in {name}:\n{text}");
            assert!(!stdout.contains(secret), "{secret} left in the report");
        }
        // Builds and base images stay readable.
        if name == "kubectl-get-nodes-o-json.txt" {
            assert!(text.contains("10.0.20348.3453"), "{text}");
        }
    }
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(save.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["redacted"], true);
    let saved: Vec<&str> = manifest["commands"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["file"].as_str())
        .collect();
    assert!(
        saved.contains(&"kubectl-get-pods-n-ns-1-o-json.txt"),
        "{manifest:#}"
    );
    assert!(saved.iter().all(|f| save.join(f).is_file()), "{manifest:#}");
}

#[test]
fn an_unreachable_cluster_is_exit_2_naming_the_command() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = Home::new();
    let out = home.wincompat_kube(port, &["collect", "kubernetes", "--timeout", "10"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the cluster did not answer `kubectl version`"),
        "{}",
        show(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn quiet_when_piped_no_spinner_on_stderr() {
    let server = docs_cluster().start();
    let home = Home::new();
    let out = home.wincompat_kube(server.port, &["collect", "kubernetes", "-n", "fabrikam"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let err = stderr(&out);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(err.is_empty(), "nothing failed, nothing to say: {err:?}");
}

#[test]
fn as_kubectl_wincompat_the_help_names_the_plugin() {
    let home = Home::new();
    let plugins = home.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    let link = plugins.join("kubectl-wincompat");
    std::os::unix::fs::symlink(support::bin(), &link).unwrap();
    let out = home.command(&link, None).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Usage: kubectl wincompat [OPTIONS] [TARGET]..."),
        "{help}"
    );
    for flag in [
        "--context",
        "--kubeconfig",
        "--namespace",
        "--all-namespaces",
        "--save",
        "--redact",
    ] {
        assert!(help.contains(flag), "{flag} missing:\n{help}");
    }
}

#[test]
fn save_refuses_a_folder_that_is_not_empty() {
    let server = docs_cluster().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    std::fs::create_dir(&save).unwrap();
    std::fs::write(save.join("old.txt"), "an earlier run").unwrap();
    let out = home.wincompat_kube(
        server.port,
        &[
            "collect",
            "kubernetes",
            "-n",
            "fabrikam",
            "--save",
            save.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        stderr(&out).contains("the folder is not empty"),
        "{}",
        show(&out)
    );
    assert!(server.requests().is_empty(), "nothing was run");
    assert_eq!(files(&save), vec!["old.txt"]);
}

#[test]
fn on_a_terminal_a_spinner_names_the_running_command() {
    // util-linux `script` gives the run a pseudo-terminal; skip without it.
    let Some(script) = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .map(std::path::Path::new)
        .find(|p| p.exists())
    else {
        return;
    };
    let server = docs_cluster().start();
    let home = Home::new();
    let kubeconfig = home.kubeconfig(server.port);
    let command = format!(
        "{} collect kubernetes -n fabrikam --exit-zero > /dev/null",
        support::bin().display()
    );
    let out = home
        .command(script, None)
        .env("KUBECONFIG", &kubeconfig)
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(
        tty.contains("running kubectl get nodes -o json"),
        "{}",
        show(&out)
    );
    // Cleared at the end: the last thing drawn erases the line.
    assert!(tty.trim_end().ends_with("\u{1b}[2K"), "{tty:?}");
}

#[test]
fn without_save_the_staging_folder_is_removed() {
    let server = docs_cluster().start();
    let home = Home::new();
    let tmp = home.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = home
        .command(&support::bin(), None)
        .env("KUBECONFIG", home.kubeconfig(server.port))
        .env("TMPDIR", &tmp)
        .args(["collect", "kubernetes", "-n", "fabrikam", "--redact"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(files(&tmp).is_empty(), "{:?}", files(&tmp));
}

#[test]
fn forbidden_nodes_cost_the_host_builds() {
    let mut cluster = pool_cluster();
    cluster.forbidden = vec!["nodes"];
    let server = cluster.start();
    let home = Home::new();
    let out = home.wincompat_kube(
        server.port,
        &["collect", "kubernetes", "-n", "finance", "--format", "json"],
    );
    let err = stderr(&out);
    assert!(
        err.contains("node builds unknown: `kubectl get nodes -o json` failed")
            && err.contains("Forbidden"),
        "{}",
        show(&out)
    );
    // Without the nodes the builds are what the pods show: on ws22-pool-01
    // an ltsc2022 pod runs process-isolated, so that host is at least 20348
    // (the engine's inference, sound as a lower bound) and the ltsc2019
    // pod's failure there is a mismatch; ws25-pool-01's build is unknown,
    // which the engine says, naming the command to run.
    let report = report(&out);
    let keys: Vec<(String, String)> = finding_keys(&report)
        .into_iter()
        .map(|(kind, node, _)| (kind, node))
        .collect();
    assert_eq!(
        keys,
        vec![
            (
                "image-older-than-host".to_owned(),
                "ws22-pool-01".to_owned()
            ),
            (
                "mismatch-versions-unknown".to_owned(),
                "ws25-pool-01".to_owned()
            ),
        ],
        "{}",
        show(&out)
    );
    assert_eq!(report["findings"][0]["host"]["build"], 20348);
}

#[test]
fn kubeconfig_and_context_flags_reach_kubectl() {
    let server = docs_cluster().start();
    let home = Home::new();
    let kubeconfig = home.kubeconfig(server.port);
    // No KUBECONFIG in the environment: only the flags point at the server.
    let out = home
        .command(&support::bin(), None)
        .args(["collect", "kubernetes", "--kubeconfig"])
        .arg(&kubeconfig)
        .args(["--context", "fake", "-n", "fabrikam", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(finding_keys(&report(&out)).len(), 2, "{}", show(&out));
    let out = home
        .command(&support::bin(), None)
        .args(["collect", "kubernetes", "--kubeconfig"])
        .arg(&kubeconfig)
        .args(["--context", "no-such-context", "-n", "fabrikam"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(stderr(&out).contains("no-such-context"), "{}", show(&out));
}

#[test]
fn collect_help_teaches_with_examples_and_exit_codes() {
    let home = Home::new();
    for args in [
        &["collect", "--help"][..],
        &["collect", "kubernetes", "--help"],
        &["collect", "swarm", "--help"],
    ] {
        let out = home
            .command(&support::bin(), None)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", show(&out));
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Examples:"), "{args:?}:\n{help}");
    }
    let out = home
        .command(&support::bin(), None)
        .args(["collect", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("read-only") && help.contains("2 when nothing"),
        "{help}"
    );
}

#[test]
fn kubectls_o_json_is_the_json_format_as_in_kubectl() {
    let server = pool_cluster().start();
    let home = Home::new();
    let out = home
        .command(&support::bin(), None)
        .current_dir(home.path())
        .env("KUBECONFIG", home.kubeconfig(server.port))
        .args(["collect", "kubernetes", "-n", "finance", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(finding_keys(&report(&out)), pool_findings());
    assert!(!home.path().join("json").exists());
}
