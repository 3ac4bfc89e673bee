//! `--resolve-images` against a real CNCF distribution registry started by
//! each test on a free loopback port (issue 12, "Done when"): a custom
//! image's exact build, a manifest list per host, a Linux-only image, an
//! auth-protected image with and without credentials, an unreachable
//! registry, the cache under `--offline`, and no network by default.
//!
//! Hermetic: every run gets its own HOME, DOCKER_CONFIG and XDG_CACHE_HOME
//! and no proxy variables. Nothing beyond loopback is contacted. Tests that
//! need the registry binary skip with a message when it cannot be had.

mod registry_support;

use assert_cmd::Command;
use registry_support::{skip, Pushed, Registry};
use serde_json::Value;
use std::io::Write as _;
use std::path::Path;

/// The binary with every variable it (or ureq) reads set for this test.
fn wincompat(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary");
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
        "NO_COLOR",
        "COLUMNS",
        "DOCKER_CONFIG",
        "XDG_CACHE_HOME",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("DOCKER_CONFIG", home.join("docker"))
        .env("XDG_CACHE_HOME", home.join("cache"));
    cmd
}

/// Write an input file: `ver` on the host, then a failing command.
fn input(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write input");
    path
}

fn hcs_run(host_ver: &str, image: &str) -> String {
    format!(
        "PS C:\\> cmd /c ver\n\nMicrosoft Windows [Version {host_ver}]\n\nPS C:\\> docker run --rm {image}\ndocker: Error response from daemon: hcs::CreateComputeSystem 3c5f0a9e1b7d: The container operating system does not match the host operating system.\n"
    )
}

fn pull_no_match(image: &str, host_ver: &str) -> String {
    format!(
        "PS C:\\> docker pull {image}\nError response from daemon: no matching manifest for windows/amd64 {host_ver} in the manifest list entries\n"
    )
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run wincompat");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr,
    }
}

fn first_finding(json: &Value) -> &Value {
    &json["findings"][0]
}

/// A manifest list with the three current LTSC builds (and a Linux entry).
fn push_ltsc_list(reg: &Registry, repo: &str, oci: bool) -> (Pushed, [Pushed; 3]) {
    let a = reg.push_image(repo, None, "windows", Some("10.0.17763.5329"), oci);
    let b = reg.push_image(repo, None, "windows", Some("10.0.20348.2340"), oci);
    let c = reg.push_image(repo, None, "windows", Some("10.0.26100.1742"), oci);
    let l = reg.push_image(repo, None, "linux", None, oci);
    let list = reg.push_index(
        repo,
        "1.0",
        &[
            (a.clone(), "windows", Some("10.0.17763.5329")),
            (b.clone(), "windows", Some("10.0.20348.2340")),
            (c.clone(), "windows", Some("10.0.26100.1742")),
            (l, "linux", None),
        ],
        oci,
    );
    (list, [a, b, c])
}

#[test]
fn a_custom_images_exact_build_turns_versions_unknown_into_the_right_kind() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_custom_images_exact_build_turns_versions_unknown_into_the_right_kind");
    };
    let pushed = reg.push_image(
        "contoso/orders-api",
        Some("2.4.1"),
        "windows",
        Some("10.0.17763.5329"),
        false,
    );
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/contoso/orders-api:2.4.1", reg.addr);
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));

    let before = run(wincompat(home.path()).args(["--format", "json"]).arg(&file));
    assert_eq!(
        first_finding(&before.json)["kind"],
        "mismatch-versions-unknown"
    );

    let after = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    let f = first_finding(&after.json);
    assert_eq!(
        f["kind"], "image-older-than-host",
        "{f:#}\n{}",
        after.stderr
    );
    assert_eq!(f["image_os"]["from"], "registry");
    assert_eq!(f["image_os"]["version"], "10.0.17763.5329");
    assert_eq!(f["image_os"]["digest"], pushed.digest.as_str());
    assert_eq!(after.code, 1);
    assert!(after.stderr.is_empty(), "{}", after.stderr);
    // Loopback registries are never reached through a proxy (as Docker).
    let mut proxied = wincompat(home.path());
    proxied
        .env("HTTP_PROXY", "http://192.0.2.1:9")
        .env("HTTPS_PROXY", "http://192.0.2.1:9")
        .env("ALL_PROXY", "http://192.0.2.1:9");
    let fresh = tempfile::tempdir().unwrap();
    proxied.env("XDG_CACHE_HOME", fresh.path());
    let r = run(proxied
        .args([
            "--format",
            "json",
            "--resolve-images",
            "--registry-timeout",
            "3",
        ])
        .arg(&file));
    assert_eq!(
        first_finding(&r.json)["image_os"]["from"],
        "registry",
        "{}",
        r.stderr
    );
    // Text output says where the build came from.
    let text = wincompat(home.path())
        .args(["--resolve-images", "--color", "never"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("registry:"), "{text}");
}

#[test]
fn a_manifest_list_resolves_per_host() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_manifest_list_resolves_per_host");
    };
    let (list, _) = push_ltsc_list(&reg, "contoso/web", false);
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/contoso/web:1.0", reg.addr);
    for (host, pulls) in [
        ("10.0.17763.5329", "10.0.17763.5329"),
        ("10.0.20348.2340", "10.0.20348.2340"),
        ("10.0.26100.1742", "10.0.26100.1742"),
        // Windows 11 25H2: no 26200 entry; containerd takes the newest it accepts.
        ("10.0.26200.6584", "10.0.26100.1742"),
    ] {
        let r = run(wincompat(home.path()).args([
            "check",
            "--image",
            &image,
            "--resolve-images",
            "--host",
            host,
            "--format",
            "json",
        ]));
        assert_eq!(r.code, 0, "{host}: {:#}\n{}", r.json, r.stderr);
        let h = &r.json["hosts"][0];
        assert_eq!(h["containerd_pulls"], pulls, "{host}: {h:#}");
        assert_eq!(h["runs"], true, "{host}");
        assert_eq!(r.json["digest"], list.digest.as_str());
        let builds: Vec<u64> = r.json["windows_builds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["build"].as_u64().unwrap())
            .collect();
        assert_eq!(builds, [26100, 20348, 17763]);
        assert_eq!(r.json["other_platforms"][0], "linux/amd64");
    }
    // A WS2016 host runs none of them: exit 1, and Docker pulls nothing.
    let r = run(wincompat(home.path()).args([
        "check",
        "--image",
        &image,
        "--resolve-images",
        "--host",
        "10.0.14393.6614",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 1);
    assert_eq!(r.json["hosts"][0]["runs"], false);
    assert_eq!(r.json["hosts"][0]["docker_pulls"], Value::Null);

    // Node files instead of --host: one row per node.
    let nodes = input(
        home.path(),
        "nodes.txt",
        "NAME      STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION    CONTAINER-RUNTIME\nwin-a     Ready    <none>   9d    v1.29.2   10.0.0.4      <none>        Windows Server 2019 Datacenter   10.0.17763.5329   containerd://1.7.13\nwin-b     Ready    <none>   9d    v1.29.2   10.0.0.5      <none>        Windows Server 2016 Datacenter   10.0.14393.6614   containerd://1.7.13\n",
    );
    let r = run(wincompat(home.path())
        .args([
            "check",
            "--image",
            &image,
            "--resolve-images",
            "--format",
            "json",
        ])
        .arg(&nodes));
    let hosts = r.json["hosts"].as_array().unwrap();
    assert_eq!(hosts.len(), 2, "{:#}", r.json);
    assert_eq!(hosts[0]["runs"], true);
    assert_eq!(hosts[1]["runs"], false);
    assert_eq!(r.code, 1);

    // The same list by digest, as an OCI index this time.
    let (oci, _) = push_ltsc_list(&reg, "contoso/web-oci", true);
    let by_digest = format!("{}/contoso/web-oci@{}", reg.addr, oci.digest);
    let r = run(wincompat(home.path()).args([
        "check",
        "--image",
        &by_digest,
        "--resolve-images",
        "--host",
        "10.0.20348.1",
        "--format",
        "json",
    ]));
    assert_eq!(
        r.json["hosts"][0]["containerd_pulls"], "10.0.20348.2340",
        "{:#}",
        r.json
    );
    assert_eq!(r.json["kind"], "index");
}

#[test]
fn a_list_entry_without_os_version_is_read_from_its_config() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_list_entry_without_os_version_is_read_from_its_config");
    };
    let a = reg.push_image("old/list", None, "windows", Some("10.0.17763.5329"), false);
    let b = reg.push_image("old/list", None, "windows", Some("10.0.20348.2340"), false);
    // Platforms without os.version, as older tools wrote them.
    reg.push_index(
        "old/list",
        "1",
        &[(a, "windows", None), (b, "windows", None)],
        false,
    );
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/old/list:1", reg.addr);
    let r = run(wincompat(home.path()).args([
        "check",
        "--image",
        &image,
        "--resolve-images",
        "--host",
        "10.0.17763.1",
        "--format",
        "json",
    ]));
    let builds: Vec<&str> = r.json["windows_builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["version"].as_str().unwrap())
        .collect();
    assert_eq!(
        builds,
        ["10.0.20348.2340", "10.0.17763.5329"],
        "{}",
        r.stderr
    );
    assert_eq!(r.json["hosts"][0]["containerd_pulls"], "10.0.17763.5329");
}

#[test]
fn a_pull_failure_is_explained_by_the_lists_builds() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_pull_failure_is_explained_by_the_lists_builds");
    };
    let (list, _) = push_ltsc_list(&reg, "contoso/web", true);
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/contoso/web:1.0", reg.addr);
    let file = input(
        home.path(),
        "pull.txt",
        &pull_no_match(&image, "10.0.14393"),
    );
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    let f = first_finding(&r.json);
    assert_eq!(f["kind"], "manifest-no-match");
    let cause = f["root_cause"].as_str().unwrap();
    assert!(cause.contains(&list.digest), "{cause}");
    assert!(
        cause.contains("10.0.26100.1742") && cause.contains("10.0.17763.5329"),
        "{cause}"
    );
}

#[test]
fn a_linux_only_image_is_wrong_platform() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_linux_only_image_is_wrong_platform");
    };
    let amd = reg.push_image("tools/linux-only", None, "linux", None, false);
    reg.push_index("tools/linux-only", "1.0", &[(amd, "linux", None)], false);
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/tools/linux-only:1.0", reg.addr);
    let file = input(
        home.path(),
        "pull.txt",
        &pull_no_match(&image, "10.0.17763"),
    );
    let before = run(wincompat(home.path()).args(["--format", "json"]).arg(&file));
    assert_eq!(first_finding(&before.json)["kind"], "manifest-no-match");
    let after = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    let f = first_finding(&after.json);
    assert_eq!(f["kind"], "wrong-platform", "{f:#}");
    assert!(f["root_cause"].as_str().unwrap().contains("linux/amd64"));
}

#[test]
fn an_auth_protected_image_resolves_with_credentials_and_warns_without() {
    let Some(reg) = Registry::start(Some(("alice", "s3cret"))) else {
        return skip("an_auth_protected_image_resolves_with_credentials_and_warns_without");
    };
    reg.push_image(
        "private/app",
        Some("3"),
        "windows",
        Some("10.0.17763.5329"),
        true,
    );
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/private/app:3", reg.addr);
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));

    // No credentials: a clear warning; the analysis goes on.
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
    assert!(
        r.stderr.contains("requires authentication (401)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("docker login"), "{}", r.stderr);
    assert_eq!(r.code, 1);
    // The report says it too (JSON consumers do not read stderr).
    let registry_input = r.json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "registry (--resolve-images)")
        .expect("a registry entry in inputs");
    assert!(registry_input["warnings"][0]
        .as_str()
        .unwrap()
        .contains("(401)"));

    // Wrong password: the registry rejected them.
    let docker = home.path().join("docker");
    std::fs::create_dir_all(&docker).unwrap();
    let auths = |user: &str, pw: &str| {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pw}"));
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, reg.addr)
    };
    std::fs::write(docker.join("config.json"), auths("alice", "wrong")).unwrap();
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    assert!(
        r.stderr.contains("rejected the Docker credentials"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("wrong"), "a secret leaked: {}", r.stderr);

    // ~/.docker/config.json `auths`: resolved.
    std::fs::write(docker.join("config.json"), auths("alice", "s3cret")).unwrap();
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    let f = first_finding(&r.json);
    assert_eq!(f["kind"], "image-older-than-host", "{}", r.stderr);
    assert_eq!(f["image_os"]["from"], "registry");
}

#[test]
fn a_credential_helper_is_asked() {
    let Some(reg) = Registry::start(Some(("bob", "helper-pw"))) else {
        return skip("a_credential_helper_is_asked");
    };
    reg.push_image(
        "private/app",
        Some("3"),
        "windows",
        Some("10.0.20348.2340"),
        false,
    );
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-wctest");
    {
        let mut f = std::fs::File::create(&helper).unwrap();
        writeln!(f, "#!/bin/sh\nread server\nprintf '{{\"ServerURL\":\"%s\",\"Username\":\"bob\",\"Secret\":\"helper-pw\"}}' \"$server\"").unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let docker = home.path().join("docker");
    std::fs::create_dir_all(&docker).unwrap();
    std::fs::write(
        docker.join("config.json"),
        format!(r#"{{"credHelpers":{{"{}":"wctest"}}}}"#, reg.addr),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let image = format!("{}/private/app:3", reg.addr);
    let r = run(wincompat(home.path()).env("PATH", path).args([
        "check",
        "--image",
        &image,
        "--resolve-images",
        "--host",
        "10.0.20348.1",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json["kind"], "image");
    assert_eq!(r.json["hosts"][0]["runs_with"], "10.0.20348.2340");
}

#[test]
fn an_unreachable_registry_is_a_warning_not_a_failure() {
    let home = tempfile::tempdir().unwrap();
    let port = registry_support::free_port();
    let image = format!("127.0.0.1:{port}/contoso/orders-api:2.4.1");
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));
    let r = run(wincompat(home.path())
        .args([
            "--format",
            "json",
            "--resolve-images",
            "--registry-timeout",
            "3",
        ])
        .arg(&file));
    assert_eq!(r.code, 1, "the failure is still reported");
    assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
    assert!(r.stderr.contains("unreachable"), "{}", r.stderr);
    assert!(r.stderr.contains("the analysis goes on"), "{}", r.stderr);
    // `check` cannot answer without the registry: exit 2, and why.
    let out = wincompat(home.path())
        .args([
            "check",
            "--image",
            &image,
            "--resolve-images",
            "--host",
            "10.0.20348",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unreachable") && err.contains("without --resolve-images"),
        "{err}"
    );
}

#[test]
fn a_missing_tag_is_a_404_warning() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_missing_tag_is_a_404_warning");
    };
    reg.push_image(
        "contoso/orders-api",
        Some("2.4.1"),
        "windows",
        Some("10.0.17763.5329"),
        false,
    );
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/contoso/orders-api:9.9", reg.addr);
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&file));
    assert!(r.stderr.contains("(404)"), "{}", r.stderr);
    assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
}

#[test]
fn answers_are_cached_and_offline_uses_only_the_cache() {
    let home = tempfile::tempdir().unwrap();
    let file;
    {
        let Some(reg) = Registry::start(None) else {
            return skip("answers_are_cached_and_offline_uses_only_the_cache");
        };
        reg.push_image(
            "contoso/orders-api",
            Some("2.4.1"),
            "windows",
            Some("10.0.17763.5329"),
            false,
        );
        let image = format!("{}/contoso/orders-api:2.4.1", reg.addr);
        file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));
        // --offline before anything is cached: a warning, no request.
        let r = run(wincompat(home.path())
            .args(["--format", "json", "--resolve-images", "--offline"])
            .arg(&file));
        assert!(r.stderr.contains("--offline"), "{}", r.stderr);
        assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
        let r = run(wincompat(home.path())
            .args(["--format", "json", "--resolve-images"])
            .arg(&file));
        assert_eq!(first_finding(&r.json)["image_os"]["from"], "registry");
        // The registry stops here.
    }
    assert!(home.path().join("cache/wincompat/registry").is_dir());
    let r = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images", "--offline"])
        .arg(&file));
    let f = first_finding(&r.json);
    assert_eq!(f["kind"], "image-older-than-host", "{}", r.stderr);
    assert_eq!(f["image_os"]["from"], "registry");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

/// A listener on loopback that counts connections (and answers none).
fn counting_listener() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            c.fetch_add(1, Ordering::SeqCst);
            // Close at once: the client sees a dead registry.
            drop(stream);
        }
    });
    (port, count)
}

#[test]
fn default_runs_make_no_network_connection() {
    use std::sync::atomic::Ordering;
    let (port, count) = counting_listener();
    let home = tempfile::tempdir().unwrap();
    let image = format!("127.0.0.1:{port}/contoso/orders-api:2.4.1");
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));
    // An unroutable proxy too: any connection attempt through it would fail loudly.
    let mut cmd = wincompat(home.path());
    cmd.env("HTTPS_PROXY", "http://192.0.2.1:9")
        .env("HTTP_PROXY", "http://192.0.2.1:9");
    let r = run(cmd.args(["--format", "json"]).arg(&file));
    assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
    let r2 = run(wincompat(home.path()).args([
        "check",
        "--host",
        "10.0.20348",
        "--image",
        &image,
        "--format",
        "json",
    ]));
    assert!(r2.json.is_object());
    // --offline with --resolve-images makes none either.
    run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images", "--offline"])
        .arg(&file));
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        count.load(Ordering::SeqCst),
        0,
        "a default run connected to the registry"
    );
    assert!(
        !home.path().join("cache").exists(),
        "a default run wrote a cache"
    );

    // Control: the counter does see --resolve-images.
    run(wincompat(home.path())
        .args([
            "--format",
            "json",
            "--resolve-images",
            "--registry-timeout",
            "2",
        ])
        .arg(&file));
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(
        count.load(Ordering::SeqCst) > 0,
        "the counting registry saw nothing"
    );
}

/// (request line, Authorization header) of every request a fake registry saw.
type RequestLog = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// A fake token-authenticated registry (the flow of Docker Hub, MCR and
/// ACR, which the CNCF registry only offers with a separate token server):
/// `401 Bearer realm=…` → token from the realm with the user's Basic
/// credentials → the manifest and config with `Bearer <token>`.
/// Returns the port and the log of (request line, Authorization) seen.
fn fake_token_registry(config_json: Vec<u8>) -> (u16, RequestLog) {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let config_digest = registry_support::sha256(&config_json);
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": registry_support::DOCKER_MANIFEST,
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": config_json.len(), "digest": config_digest},
        "layers": [],
    }))
    .unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("authorization") {
                        auth = v.trim().to_owned();
                    }
                }
            }
            let request = request.trim().to_owned();
            log.lock().unwrap().push((request.clone(), auth.clone()));
            let path = request.split(' ').nth(1).unwrap_or_default().to_owned();
            let bearer = auth == "Bearer tok-123";
            let (status, ctype, body): (&str, &str, Vec<u8>) = if path.starts_with("/token") {
                if auth == registry_support::basic("carol", "pw") {
                    (
                        "200 OK",
                        "application/json",
                        br#"{"token":"tok-123"}"#.to_vec(),
                    )
                } else {
                    ("401 Unauthorized", "application/json", b"{}".to_vec())
                }
            } else if !bearer {
                ("401 Unauthorized", "application/json", b"{}".to_vec())
            } else if path == "/v2/team/app/manifests/1" {
                (
                    "200 OK",
                    registry_support::DOCKER_MANIFEST,
                    manifest.clone(),
                )
            } else if path == format!("/v2/team/app/blobs/{config_digest}") {
                ("200 OK", "application/octet-stream", config_json.clone())
            } else {
                ("404 Not Found", "application/json", b"{}".to_vec())
            };
            let challenge = if status.starts_with("401") && !path.starts_with("/token") {
                format!("WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"fake-registry\",scope=\"repository:team/app:pull\"\r\n")
            } else {
                String::new()
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{challenge}Connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (port, seen)
}

#[test]
fn a_bearer_token_is_fetched_from_the_challenges_realm() {
    let config =
        br#"{"architecture":"amd64","os":"windows","os.version":"10.0.26100.1742"}"#.to_vec();
    let (port, seen) = fake_token_registry(config);
    let home = tempfile::tempdir().unwrap();
    let docker = home.path().join("docker");
    std::fs::create_dir_all(&docker).unwrap();
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode("carol:pw");
    std::fs::write(
        docker.join("config.json"),
        format!(r#"{{"auths":{{"127.0.0.1:{port}":{{"auth":"{auth}"}}}}}}"#),
    )
    .unwrap();
    let image = format!("127.0.0.1:{port}/team/app:1");
    let r = run(wincompat(home.path()).args([
        "check",
        "--image",
        &image,
        "--resolve-images",
        "--host",
        "10.0.26100.2894",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{:#}\n{}", r.json, r.stderr);
    assert_eq!(r.json["hosts"][0]["runs_with"], "10.0.26100.1742");
    let seen = seen.lock().unwrap();
    let token = seen
        .iter()
        .find(|(req, _)| req.starts_with("GET /token"))
        .expect("a token request");
    assert!(
        token.0.contains("scope=repository%3Ateam%2Fapp%3Apull"),
        "{token:?}"
    );
    assert!(token.0.contains("service=fake-registry"), "{token:?}");
    // The password went to the token realm only, never to the registry API.
    assert!(seen
        .iter()
        .filter(|(req, _)| req.contains("/v2/"))
        .all(|(_, auth)| !auth.starts_with("Basic")));
}

#[test]
fn a_kubernetes_failure_takes_the_registrys_build_over_an_inference() {
    let Some(reg) = Registry::start(None) else {
        return skip("a_kubernetes_failure_takes_the_registrys_build_over_an_inference");
    };
    reg.push_image(
        "orders-web",
        Some("2.3.1"),
        "windows",
        Some("10.0.17763.5458"),
        false,
    );
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("k8s");
    std::fs::create_dir_all(&dir).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/k8s-mixed-builds");
    for entry in std::fs::read_dir(samples).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        std::fs::write(
            dir.join(entry.file_name()),
            text.replace("contosoregistry.azurecr.io", &reg.addr),
        )
        .unwrap();
    }
    let before = run(wincompat(home.path()).args(["--format", "json"]).arg(&dir));
    let failing = |json: &Value| {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["severity"] == "error")
            .cloned()
            .expect("an error finding")
    };
    let f = failing(&before.json);
    assert_eq!(f["image_os"]["from"], "inferred", "{f:#}");
    let after = run(wincompat(home.path())
        .args(["--format", "json", "--resolve-images"])
        .arg(&dir));
    let f = failing(&after.json);
    assert_eq!(
        f["kind"], "image-older-than-host",
        "{f:#}\n{}",
        after.stderr
    );
    assert_eq!(f["image_os"]["from"], "registry");
    assert_eq!(f["image_os"]["version"], "10.0.17763.5458");
}

#[test]
fn a_registry_that_never_answers_times_out_with_a_warning() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream); // accept, never answer
        }
    });
    let home = tempfile::tempdir().unwrap();
    let image = format!("127.0.0.1:{port}/contoso/orders-api:2.4.1");
    let file = input(home.path(), "run.txt", &hcs_run("10.0.20348.2340", &image));
    let started = std::time::Instant::now();
    let r = run(wincompat(home.path())
        .args([
            "--format",
            "json",
            "--resolve-images",
            "--registry-timeout",
            "1",
        ])
        .arg(&file));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("did not answer within 1 s"),
        "{}",
        r.stderr
    );
    assert_eq!(first_finding(&r.json)["kind"], "mismatch-versions-unknown");
}

/// `check --resolve-images --format json`, field by field: a renamed or
/// unexpected key fails here (the JSON contract).
mod check_json {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Answer {
        pub schema_version: u32,
        pub image: String,
        pub digest: String,
        pub kind: String,
        pub windows_builds: Vec<Build>,
        pub other_platforms: Vec<String>,
        pub isolation: String,
        pub hosts: Vec<Host>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Build {
        pub version: String,
        pub build: u32,
        pub release: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Host {
        pub name: String,
        pub version: String,
        pub release: Option<String>,
        pub containerd_pulls: Option<String>,
        pub docker_pulls: Option<String>,
        pub runs: bool,
        pub runs_with: Option<String>,
        pub verdict: String,
        pub rule: String,
        pub reason: String,
    }
}

#[test]
fn check_json_has_exactly_the_documented_fields() {
    let Some(reg) = Registry::start(None) else {
        return skip("check_json_has_exactly_the_documented_fields");
    };
    let (list, _) = push_ltsc_list(&reg, "contoso/web", false);
    let home = tempfile::tempdir().unwrap();
    let image = format!("{}/contoso/web:1.0", reg.addr);
    let out = wincompat(home.path())
        .args([
            "check",
            "--image",
            &image,
            "--resolve-images",
            "--host",
            "ltsc2022",
            "--isolation",
            "hyperv",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let answer: check_json::Answer = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(answer.schema_version, 1);
    assert_eq!(answer.image, image);
    assert_eq!(answer.digest, list.digest);
    assert_eq!(answer.kind, "index");
    assert_eq!(answer.isolation, "hyperv");
    assert_eq!(answer.windows_builds.len(), 3);
    let first = &answer.windows_builds[0];
    assert_eq!(
        (first.version.as_str(), first.build),
        ("10.0.26100.1742", 26100)
    );
    assert_eq!(first.release.as_deref(), Some("Windows Server 2025"));
    assert_eq!(answer.other_platforms, ["linux/amd64"]);
    let host = &answer.hosts[0];
    assert_eq!(host.name, "--host");
    assert!(host.runs, "{host:?}");
    assert_eq!(host.containerd_pulls.as_deref(), Some("10.0.20348.2340"));
    assert_eq!(host.docker_pulls.as_deref(), Some("10.0.20348.2340"));
    // Hyper-V runs the newest entry not newer than the host.
    assert_eq!(host.runs_with.as_deref(), Some("10.0.20348.2340"));
    assert_eq!(host.verdict, "supported");
    assert!(!host.rule.is_empty() && !host.reason.is_empty());
    assert!(host.release.is_some() && host.version.starts_with("10.0.20348"));
}
