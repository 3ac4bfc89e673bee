//! `wincompat collect docker` and `wincompat collect swarm`, end to end:
//! the real `docker` CLI (installed on every machine of this project)
//! pointed with `DOCKER_HOST=tcp://127.0.0.1:PORT` at a fake Engine API of
//! our own. Scenarios of issue 11: a host with a failed container, a Swarm
//! of three nodes with one failing service, a daemon that does not answer.
//!
//! See: issue 11.

mod support;

use serde_json::Value;
use support::docker::{self, Daemon};
use support::{files, finding_keys, report, show, Home};

const WS2022_KERNEL: &str = "10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)";
const WS2025_KERNEL: &str = "10.0 26100 (26100.1.amd64fre.ge_release.240331-1435)";

fn key(kind: &str, node: &str, workload: &str) -> (String, String, String) {
    (kind.to_owned(), node.to_owned(), workload.to_owned())
}

fn hcs_error(seed: &str) -> String {
    format!(
        "hcs::CreateComputeSystem {}: The container operating system does not match the host operating system.",
        support::kube::hex_id(seed)
    )
}

/// A Windows Server 2022 host: `billing-api` (an image built on 17763)
/// failed to start, `web` runs.
fn host_daemon() -> Daemon {
    let old = "contoso.azurecr.io/billing/api:2.1";
    let new = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022";
    Daemon {
        version: docker::version(WS2022_KERNEL),
        info: docker::info(
            "WINBUILD-07",
            WS2022_KERNEL,
            "Windows Server 2022 Datacenter Version 2009 (OS Build 20348.2966)",
            None,
        ),
        containers: vec![
            docker::container("billing-api", old, Some(&hcs_error("billing-api"))),
            docker::container("web", new, None),
        ],
        images: vec![
            docker::image(old, "10.0.17763.6659"),
            docker::image(new, "10.0.20348.2966"),
        ],
        ..Daemon::default()
    }
}

/// Three Windows Server 2025 nodes; `batch-runner` (ltsc2019) fails on all
/// three, `portal` (ltsc2022, allowed on WS2025) runs on the manager. Only
/// the manager's build is in what a manager can show (its `docker info`);
/// `docker node inspect` carries no OS build.
fn swarm_daemon() -> Daemon {
    let old = "mcr.microsoft.com/windows/servercore:ltsc2019";
    let new = "mcr.microsoft.com/windows/servercore:ltsc2022";
    Daemon {
        version: docker::version(WS2025_KERNEL),
        info: docker::info(
            "SWARM-MGR-01",
            WS2025_KERNEL,
            "Windows Server 2025 Datacenter Version 24H2 (OS Build 26100.3476)",
            Some(("m1a2n3a4g5e6r7n8o9d0e1i2d", true)),
        ),
        nodes: vec![
            docker::node("m1a2n3a4g5e6r7n8o9d0e1i2d", "SWARM-MGR-01", true),
            docker::node("w1o2r3k4e5r6o7n8e9i0d1a2b", "SWARM-WRK-01", false),
            docker::node("w2o2r3k4e5r6t7w8o9i0d1a2b", "SWARM-WRK-02", false),
        ],
        services: vec![
            docker::service("s1b2a3t4c5h6r7u8n9n0e1r2s", "batch-runner", old),
            docker::service("p1o2r3t4a5l6s7e8r9v0i1c2e", "portal", new),
        ],
        tasks: vec![
            docker::task(
                "t0a2s3k4m5g6r7f8a9i0l1e2d",
                "s1b2a3t4c5h6r7u8n9n0e1r2s",
                1,
                "m1a2n3a4g5e6r7n8o9d0e1i2d",
                old,
                Some(&format!(
                    "starting container failed: {}",
                    hcs_error("task-0")
                )),
            ),
            docker::task(
                "t1a2s3k4o5n6e7f8a9i0l1e2d",
                "s1b2a3t4c5h6r7u8n9n0e1r2s",
                1,
                "w1o2r3k4e5r6o7n8e9i0d1a2b",
                old,
                Some(&format!(
                    "starting container failed: {}",
                    hcs_error("task-1")
                )),
            ),
            docker::task(
                "t2a2s3k4t5w6o7f8a9i0l1e2d",
                "s1b2a3t4c5h6r7u8n9n0e1r2s",
                1,
                "w2o2r3k4e5r6t7w8o9i0d1a2b",
                old,
                Some(&format!(
                    "starting container failed: {}",
                    hcs_error("task-2")
                )),
            ),
            docker::task(
                "t3p4o5r6t7a8l9r0u1n2n3i4n",
                "p1o2r3t4a5l6s7e8r9v0i1c2e",
                1,
                "m1a2n3a4g5e6r7n8o9d0e1i2d",
                new,
                None,
            ),
        ],
        ..Daemon::default()
    }
}

fn manifest_commands(dir: &std::path::Path) -> Vec<String> {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_docker_host_with_a_container_built_on_17763() {
    let server = host_daemon().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let out = home.wincompat_docker(
        server.port,
        &[
            "collect",
            "docker",
            "--format",
            "json",
            "--save",
            save.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report = report(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{}", show(&out));
    let f = &findings[0];
    assert_eq!(f["kind"], "image-older-than-host", "{}", show(&out));
    assert_eq!(f["host"]["build"], 20348, "{}", show(&out));
    assert_eq!(f["image_os"]["build"], 17763, "{}", show(&out));
    assert_eq!(f["image"], "contoso.azurecr.io/billing/api:2.1");

    // Only the failed container and its image are inspected.
    let billing = support::kube::hex_id("billing-api");
    assert_eq!(
        manifest_commands(&save),
        vec![
            "docker version".to_owned(),
            "docker info".to_owned(),
            "docker ps -a --no-trunc".to_owned(),
            "docker ps -a -q --no-trunc --filter status=exited --filter status=created".to_owned(),
            format!("docker inspect --type container {billing}"),
            "docker image inspect contoso.azurecr.io/billing/api:2.1".to_owned(),
        ]
    );
    assert!(files(&save)
        .contains(&"docker-image-inspect-contoso.azurecr.io-billing-api-2.1.txt".to_owned()));
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("GET ") || r.starts_with("HEAD ")),
        "{requests:#?}"
    );
}

#[test]
fn a_swarm_of_three_nodes_with_one_failing_service() {
    let server = swarm_daemon().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let out = home.wincompat_docker(
        server.port,
        &[
            "collect",
            "swarm",
            "--format",
            "json",
            "--save",
            save.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report = report(&out);
    let keys = finding_keys(&report);
    // The manager's build is known (docker info): a mismatch, 26100 host,
    // 17763 image. The workers' builds are not in anything a manager
    // prints, so the engine says so and names the next command (right: it
    // never guesses a build).
    assert_eq!(
        keys,
        vec![
            key("image-older-than-host", "SWARM-MGR-01", "batch-runner"),
            key("mismatch-versions-unknown", "SWARM-WRK-01", "batch-runner"),
            key("mismatch-versions-unknown", "SWARM-WRK-02", "batch-runner"),
        ],
        "{}",
        show(&out)
    );
    let manager = &report["findings"][0];
    assert_eq!(manager["host"]["build"], 26100, "{}", show(&out));
    assert_eq!(manager["image_os"]["build"], 17763, "{}", show(&out));
    assert_eq!(
        manifest_commands(&save),
        vec![
            "docker version",
            "docker info",
            "docker node ls",
            "docker node ls -q",
            "docker node inspect m1a2n3a4g5e6r7n8o9d0e1i2d w1o2r3k4e5r6o7n8e9i0d1a2b w2o2r3k4e5r6t7w8o9i0d1a2b",
            "docker service ls",
            "docker service ls --format '{{.Name}}'",
            "docker service ps --no-trunc batch-runner portal",
            "docker service inspect batch-runner portal",
        ]
    );
}

#[test]
fn the_saved_swarm_folder_gives_the_same_findings() {
    let server = swarm_daemon().start();
    let home = Home::new();
    let save = home.path().join("bundle");
    let save_arg = save.to_str().unwrap();
    let live = home.wincompat_docker(
        server.port,
        &[
            "collect",
            "swarm",
            "batch-runner",
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
    assert_eq!(live.status.code(), again.status.code(), "{}", show(&again));
    assert_eq!(report(&live)["findings"], report(&again)["findings"]);
    assert_eq!(finding_keys(&report(&live)).len(), 3, "{}", show(&live));
}

#[test]
fn a_daemon_that_does_not_answer_is_exit_2() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = Home::new();
    let out = home.wincompat_docker(port, &["collect", "docker", "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the Docker daemon did not answer `docker version`"),
        "{}",
        show(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_workers_own_docker_info_completes_the_swarm_diagnosis() {
    let manager = swarm_daemon().start();
    let worker = Daemon {
        version: docker::version(WS2025_KERNEL),
        info: docker::info(
            "SWARM-WRK-01",
            WS2025_KERNEL,
            "Windows Server 2025 Datacenter Version 24H2 (OS Build 26100.3476)",
            Some(("w1o2r3k4e5r6o7n8e9i0d1a2b", false)),
        ),
        ..Daemon::default()
    }
    .start();
    let home = Home::new();
    let (mgr, wrk) = (home.path().join("manager"), home.path().join("worker"));
    let out = home.wincompat_docker(
        manager.port,
        &[
            "collect",
            "swarm",
            "--save",
            mgr.to_str().unwrap(),
            "--exit-zero",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let out = home.wincompat_docker(
        worker.port,
        &[
            "collect",
            "docker",
            "--save",
            wrk.to_str().unwrap(),
            "--exit-zero",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let both = home
        .command(&support::bin(), None)
        .args([
            mgr.to_str().unwrap(),
            wrk.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        finding_keys(&report(&both)),
        vec![
            key("image-older-than-host", "SWARM-MGR-01", "batch-runner"),
            key("image-older-than-host", "SWARM-WRK-01", "batch-runner"),
            key("mismatch-versions-unknown", "SWARM-WRK-02", "batch-runner"),
        ],
        "{}",
        show(&both)
    );
}

#[test]
fn the_host_flag_reaches_docker() {
    let server = host_daemon().start();
    let home = Home::new();
    // No DOCKER_HOST in the environment: only the flag points at the daemon.
    let out = home
        .command(&support::bin(), None)
        .args([
            "collect",
            "docker",
            "--host",
            &format!("tcp://127.0.0.1:{}", server.port),
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(finding_keys(&report(&out)).len(), 1, "{}", show(&out));
}
