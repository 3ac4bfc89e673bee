//! Test helper: a real CNCF distribution registry (`docker-registry`, as
//! Debian packages it) started on a free loopback port with a temporary
//! storage folder, stopped when dropped; and pushes of our own
//! Windows-shaped content through its HTTP API (blobs, image configs with
//! `os: windows` and `os.version`, image manifests, manifest lists / OCI
//! indexes).
//!
//! Knows the distribution HTTP API only; nothing of wincompat's internals.

#![allow(dead_code, reason = "each test binary uses a subset of the helpers")]

use sha2::{Digest, Sha256};
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Where the registry binary is: `$WINCOMPAT_REGISTRY_BIN`, Debian's
/// `/usr/bin/docker-registry`, or `docker-registry` / `registry` on PATH.
pub fn registry_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WINCOMPAT_REGISTRY_BIN") {
        return Some(PathBuf::from(p));
    }
    let debian = Path::new("/usr/bin/docker-registry");
    if debian.is_file() {
        return Some(debian.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("docker-registry"), d.join("registry")])
        .find(|p| p.is_file())
}

/// Print why a test is skipped (visible with `--nocapture` and in CI logs).
pub fn skip(test: &str) {
    eprintln!(
        "SKIP {test}: no docker-registry binary (apt-get install docker-registry, or set WINCOMPAT_REGISTRY_BIN); .ci/run installs it"
    );
}

pub fn sha256(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    l.local_addr().expect("local addr").port()
}

/// A running registry; killed and its storage removed on drop.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub dir: tempfile::TempDir,
    auth: Option<(String, String)>,
    agent: ureq::Agent,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A pushed manifest: what an index entry needs.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub digest: String,
    pub size: usize,
    pub media_type: &'static str,
}

impl Registry {
    /// Start a registry, with htpasswd Basic auth when `auth` is given.
    /// `None` when the binary is missing (the caller skips).
    pub fn start(auth: Option<(&str, &str)>) -> Option<Registry> {
        let bin = registry_binary()?;
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temp dir");
            let port = free_port();
            let addr = format!("127.0.0.1:{port}");
            let storage = dir.path().join("storage");
            std::fs::create_dir_all(&storage).expect("storage dir");
            let mut config = format!(
                "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n",
                storage.display()
            );
            if let Some((user, password)) = auth {
                let hash = bcrypt::hash(password, 4).expect("bcrypt");
                let htpasswd = dir.path().join("htpasswd");
                std::fs::write(&htpasswd, format!("{user}:{hash}\n")).expect("htpasswd");
                config.push_str(&format!(
                    "auth:\n  htpasswd:\n    realm: wincompat-test\n    path: {}\n",
                    htpasswd.display()
                ));
            }
            let config_path = dir.path().join("config.yml");
            std::fs::write(&config_path, config).expect("config");
            let log = std::fs::File::create(dir.path().join("registry.log")).expect("log");
            let child = Command::new(&bin)
                .arg("serve")
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .env_remove("REGISTRY_HTTP_ADDR")
                .spawn()
                .expect("start docker-registry");
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .proxy(None)
                .build()
                .into();
            let mut reg = Registry {
                child,
                addr,
                dir,
                auth: auth.map(|(u, p)| (u.to_owned(), p.to_owned())),
                agent,
            };
            if reg.wait_ready() {
                return Some(reg);
            }
            // Port taken between our probe and its bind, or a slow start: retry.
        }
        panic!("docker-registry did not start on a loopback port (see registry.log)");
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok(resp) = self.agent.get(format!("http://{}/v2/", self.addr)).call() {
                if matches!(resp.status().as_u16(), 200 | 401) {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// The registry's log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    fn authorize(
        &self,
        req: ureq::RequestBuilder<ureq::typestate::WithBody>,
    ) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        match &self.auth {
            Some((u, p)) => req.header("Authorization", basic(u, p)),
            None => req,
        }
    }

    /// Upload a blob (POST then monolithic PUT); returns its digest.
    pub fn push_blob(&self, repo: &str, bytes: &[u8]) -> String {
        let digest = sha256(bytes);
        let url = format!("http://{}/v2/{repo}/blobs/uploads/", self.addr);
        let resp = self
            .authorize(self.agent.post(&url))
            .send_empty()
            .expect("start upload");
        assert_eq!(
            resp.status().as_u16(),
            202,
            "blob upload start: {}",
            self.log()
        );
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("upload location")
            .to_owned();
        let location = if location.starts_with("http") {
            location
        } else {
            format!("http://{}{location}", self.addr)
        };
        let sep = if location.contains('?') { '&' } else { '?' };
        let put = format!("{location}{sep}digest={digest}");
        let mut resp = self
            .authorize(self.agent.put(&put))
            .header("Content-Type", "application/octet-stream")
            .send(bytes)
            .expect("upload blob");
        let status = resp.status().as_u16();
        let mut body = String::new();
        let _ = resp.body_mut().as_reader().read_to_string(&mut body);
        assert_eq!(status, 201, "blob upload: {body} {}", self.log());
        digest
    }

    /// PUT a manifest under `reference` (a tag, or its digest).
    pub fn push_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &'static str,
        body: &[u8],
    ) -> Pushed {
        let url = format!("http://{}/v2/{repo}/manifests/{reference}", self.addr);
        let mut resp = self
            .authorize(self.agent.put(&url))
            .header("Content-Type", media_type)
            .send(body)
            .expect("push manifest");
        let status = resp.status().as_u16();
        let mut text = String::new();
        let _ = resp.body_mut().as_reader().read_to_string(&mut text);
        assert_eq!(status, 201, "manifest push {repo}:{reference}: {text}");
        Pushed {
            digest: sha256(body),
            size: body.len(),
            media_type,
        }
    }

    /// Push one image (config + one layer + manifest) for `os` with
    /// `os_version`, under `tag` (or only by digest when `tag` is None).
    pub fn push_image(
        &self,
        repo: &str,
        tag: Option<&str>,
        os: &str,
        os_version: Option<&str>,
        oci: bool,
    ) -> Pushed {
        let layer = format!("layer of {repo} {os} {os_version:?}").into_bytes();
        let layer_digest = self.push_blob(repo, &layer);
        let mut config = serde_json::json!({
            "architecture": "amd64",
            "os": os,
            "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
            "config": {"Cmd": ["cmd"]},
        });
        if let Some(v) = os_version {
            config["os.version"] = serde_json::json!(v);
        }
        let config = serde_json::to_vec(&config).expect("config json");
        let config_digest = self.push_blob(repo, &config);
        let (media_type, config_type, layer_type) = if oci {
            (
                OCI_MANIFEST,
                "application/vnd.oci.image.config.v1+json",
                "application/vnd.oci.image.layer.v1.tar+gzip",
            )
        } else {
            (
                DOCKER_MANIFEST,
                "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip",
            )
        };
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": media_type,
            "config": {"mediaType": config_type, "size": config.len(), "digest": config_digest},
            "layers": [{"mediaType": layer_type, "size": layer.len(), "digest": layer_digest}],
        }))
        .expect("manifest json");
        let digest = sha256(&manifest);
        self.push_manifest(repo, tag.unwrap_or(&digest), media_type, &manifest)
    }

    /// Push a manifest list (Docker) or index (OCI) over `entries`
    /// (`(pushed, os, os.version)`), under `tag`.
    pub fn push_index(
        &self,
        repo: &str,
        tag: &str,
        entries: &[(Pushed, &str, Option<&str>)],
        oci: bool,
    ) -> Pushed {
        let manifests: Vec<serde_json::Value> = entries
            .iter()
            .map(|(p, os, v)| {
                let mut platform = serde_json::json!({"architecture": "amd64", "os": os});
                if let Some(v) = v {
                    platform["os.version"] = serde_json::json!(v);
                }
                serde_json::json!({"mediaType": p.media_type, "size": p.size, "digest": p.digest, "platform": platform})
            })
            .collect();
        let media_type = if oci { OCI_INDEX } else { DOCKER_LIST };
        let body = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": media_type,
            "manifests": manifests,
        }))
        .expect("index json");
        self.push_manifest(repo, tag, media_type, &body)
    }
}

pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}
