//! Shared helpers of the collect tests: the fake API servers (`kube`,
//! `docker`, on `http`), and a hermetic `wincompat` command: a temporary
//! HOME, KUBECONFIG and DOCKER_CONFIG, every other environment variable the
//! tool or the clients read removed (proxies, contexts, colours, CI).
//!
//! It knows how to start the binary and the clients' configuration files;
//! nothing of what wincompat reports.

#![allow(dead_code, reason = "each test binary uses a part of the helpers")]

pub mod docker;
pub mod http;
pub mod kube;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wincompat"))
}

/// A temporary home for one test.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A kubeconfig whose only context `fake` points at `http://127.0.0.1:PORT`.
    pub fn kubeconfig(&self, port: u16) -> PathBuf {
        let path = self.path().join("kubeconfig");
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: http://127.0.0.1:{port}\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\n    namespace: default\ncurrent-context: fake\nusers:\n- name: tester\n  user: {{}}\n"
        );
        std::fs::write(&path, text).expect("write kubeconfig");
        path
    }

    /// A command with a clean environment: PATH as given (or the test's
    /// own), HOME and the clients' config folders inside this home.
    pub fn command(&self, program: &Path, path_var: Option<&str>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env(
                "PATH",
                path_var.map_or_else(|| std::env::var("PATH").unwrap_or_default(), str::to_owned),
            )
            .env("HOME", self.path())
            .env("DOCKER_CONFIG", self.path().join(".docker"))
            .env("KUBECACHEDIR", self.path().join(".kube-cache"))
            .env("LANG", "C.UTF-8");
        cmd
    }

    /// `wincompat ARGS…` against the fake cluster on `port`.
    pub fn wincompat_kube(&self, port: u16, args: &[&str]) -> Output {
        let kubeconfig = self.kubeconfig(port);
        let mut cmd = self.command(&bin(), None);
        cmd.env("KUBECONFIG", kubeconfig).args(args);
        cmd.output().expect("run wincompat")
    }

    /// `wincompat ARGS…` against the fake daemon on `port`.
    pub fn wincompat_docker(&self, port: u16, args: &[&str]) -> Output {
        let mut cmd = self.command(&bin(), None);
        cmd.env("DOCKER_HOST", format!("tcp://127.0.0.1:{port}"))
            .args(args);
        cmd.output().expect("run wincompat")
    }
}

/// stdout and stderr, for assertion messages.
pub fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The JSON report of a run.
pub fn report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", show(out)))
}

/// `(kind, node, workload)` of every finding, sorted.
pub fn finding_keys(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut keys: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (s("kind"), s("node"), s("workload"))
        })
        .collect();
    keys.sort();
    keys
}

/// The file names of a folder, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
