//! `wincompat collect docker` and `wincompat collect swarm`: the docker CLI
//! commands that give the diagnosis its facts. Docker: `version`, `info`,
//! `ps -a --no-trunc`, `inspect` of the exited and never-started containers
//! and `image inspect` of their images. Swarm: `version`, `info`,
//! `node ls` + `node inspect`, `service ls`, `service ps --no-trunc` and
//! `service inspect` of the services.
//!
//! Read-only commands only. This module reads the docker CLI's JSON with
//! serde_json to plan the next command; it must not know how failures are
//! recognised nor which builds are compatible.

use super::{Keep, Session};
use serde_json::Value;

/// At most this many stopped containers are inspected (newest first, as
/// `docker ps` lists them).
const MAX_INSPECT: usize = 20;

/// Which daemon: `-H`/`--host` or `--context`, as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct DockerRequest {
    pub host: Option<String>,
    pub context: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SwarmRequest {
    pub daemon: DockerRequest,
    /// Services to look at; empty: every service.
    pub services: Vec<String>,
}

fn words(ws: &[&str]) -> Vec<String> {
    ws.iter().map(|w| (*w).to_owned()).collect()
}

fn connection(req: &DockerRequest) -> Vec<String> {
    let mut conn = Vec::new();
    if let Some(host) = &req.host {
        conn.push(format!("--host={host}"));
    }
    if let Some(context) = &req.context {
        conn.push(format!("--context={context}"));
    }
    conn
}

/// `docker version` and `docker info`; false when the daemon cannot be
/// reached at all (nothing else is tried then).
fn daemon(conn: &[String], s: &mut Session) -> bool {
    let ran = s.run("docker", conn, &words(&["version"]), Keep::File, "");
    let (ok, reason) = (ran.ok(), ran.reason());
    let text = String::from_utf8_lossy(&ran.stdout).into_owned();
    if let Some(v) = client_version(&text) {
        s.clients.push(super::save::ClientVersion {
            client: "docker".to_owned(),
            version: v,
        });
    }
    if let Some(v) = engine_version(&text) {
        s.clients.push(super::save::ClientVersion {
            client: "docker engine".to_owned(),
            version: v,
        });
    }
    if s.client_missing() {
        s.warnings.push(format!(
            "nothing collected: docker is not installed or not on PATH ({reason})"
        ));
        return false;
    }
    if !ok && !text.contains("Server:") {
        s.discard_last_file();
        s.warnings.push(format!(
            "nothing collected: the Docker daemon did not answer `docker version` ({reason})"
        ));
        return false;
    }
    s.run(
        "docker",
        conn,
        &words(&["info"]),
        Keep::File,
        "host build and default isolation unknown",
    );
    true
}

/// ` Version:  28.2.2` under `Client:` in `docker version`.
fn client_version(text: &str) -> Option<String> {
    let client = text.split("Server:").next()?;
    client
        .lines()
        .find_map(|l| l.trim().strip_prefix("Version:"))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `  Version:  26.1.3` under `Server:` / `Engine:` in `docker version`.
fn engine_version(text: &str) -> Option<String> {
    let (_, server) = text.split_once("Server:")?;
    server
        .lines()
        .find_map(|l| l.trim().strip_prefix("Version:"))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Non-empty lines of a `-q` listing.
fn ids(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Run the Docker plan.
pub fn collect_docker(req: &DockerRequest, s: &mut Session) {
    let conn = connection(req);
    if !daemon(&conn, s) {
        return;
    }
    s.run(
        "docker",
        &conn,
        &words(&["ps", "-a", "--no-trunc"]),
        Keep::File,
        "containers unknown",
    );
    let ran = s.run(
        "docker",
        &conn,
        &words(&[
            "ps",
            "-a",
            "-q",
            "--no-trunc",
            "--filter",
            "status=exited",
            "--filter",
            "status=created",
        ]),
        Keep::PlanOnly,
        "stopped containers not inspected (their errors and images unknown)",
    );
    let stopped = ids(&ran.stdout);
    if stopped.len() > MAX_INSPECT {
        s.warnings.push(format!(
            "{} stopped containers: only the newest {MAX_INSPECT} are inspected",
            stopped.len()
        ));
    }
    let stopped: Vec<String> = stopped.into_iter().take(MAX_INSPECT).collect();
    if stopped.is_empty() {
        return;
    }
    s.known.containers.extend(stopped.iter().cloned());
    let mut w = words(&["inspect", "--type", "container"]);
    w.extend(stopped.iter().cloned());
    let ran = s.run(
        "docker",
        &conn,
        &w,
        Keep::File,
        "stopped containers' errors and images unknown",
    );
    let inspected: Value = serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null);
    let mut images: Vec<String> = Vec::new();
    for c in inspected.as_array().into_iter().flatten() {
        if let Some(name) = c.get("Name").and_then(Value::as_str) {
            s.known
                .workloads
                .push(name.trim_start_matches('/').to_owned());
        }
        // Only containers that failed: a non-zero exit code or an error.
        let code = c
            .pointer("/State/ExitCode")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let error = c
            .pointer("/State/Error")
            .and_then(Value::as_str)
            .unwrap_or("");
        if code == 0 && error.is_empty() {
            continue;
        }
        if let Some(image) = c.pointer("/Config/Image").and_then(Value::as_str) {
            if !images.iter().any(|i| i == image) {
                images.push(image.to_owned());
            }
        }
    }
    for image in images {
        let cost = format!("build of image {image} unknown (not on this host?)");
        s.run(
            "docker",
            &conn,
            &["image".to_owned(), "inspect".to_owned(), image.clone()],
            Keep::File,
            &cost,
        );
    }
}

/// Run the Swarm plan.
pub fn collect_swarm(req: &SwarmRequest, s: &mut Session) {
    let conn = connection(&req.daemon);
    if !daemon(&conn, s) {
        return;
    }
    s.run(
        "docker",
        &conn,
        &words(&["node", "ls"]),
        Keep::File,
        "nodes unknown (is this a Swarm manager?)",
    );
    let ran = s.run(
        "docker",
        &conn,
        &words(&["node", "ls", "-q"]),
        Keep::PlanOnly,
        "",
    );
    let nodes = ids(&ran.stdout);
    if !nodes.is_empty() {
        let mut w = words(&["node", "inspect"]);
        w.extend(nodes.iter().cloned());
        let ran = s.run("docker", &conn, &w, Keep::File, "node builds unknown");
        let inspected: Value = serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null);
        for n in inspected.as_array().into_iter().flatten() {
            if let Some(name) = n.pointer("/Description/Hostname").and_then(Value::as_str) {
                s.known.nodes.push(name.to_owned());
            }
        }
    }
    let services = if req.services.is_empty() {
        s.run(
            "docker",
            &conn,
            &words(&["service", "ls"]),
            Keep::File,
            "services unknown",
        );
        let ran = s.run(
            "docker",
            &conn,
            &words(&["service", "ls", "--format", "{{.Name}}"]),
            Keep::PlanOnly,
            "",
        );
        ids(&ran.stdout)
    } else {
        req.services.clone()
    };
    s.known.workloads.extend(services.iter().cloned());
    if services.is_empty() {
        s.warnings
            .push("no services to look at: `docker service ls` listed none".to_owned());
        return;
    }
    let mut w = words(&["service", "ps", "--no-trunc"]);
    w.extend(services.iter().cloned());
    s.run(
        "docker",
        &conn,
        &w,
        Keep::File,
        "task errors unknown (which service fails on which node)",
    );
    let mut w = words(&["service", "inspect"]);
    w.extend(services.iter().cloned());
    s.run(
        "docker",
        &conn,
        &w,
        Keep::File,
        "service images, isolation and constraints unknown",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_version_is_read_under_client() {
        let text = "Client:\n Version:           28.2.2\n API version:       1.44\n\nServer:\n Engine:\n  Version:          24.0.7\n";
        assert_eq!(client_version(text).as_deref(), Some("28.2.2"));
        assert_eq!(engine_version(text).as_deref(), Some("24.0.7"));
        assert_eq!(engine_version("Client:\n Version: 28.2.2\n"), None);
    }

    #[test]
    fn ids_skip_blank_lines() {
        assert_eq!(
            ids(b"abc\n\n def \n"),
            vec!["abc".to_owned(), "def".to_owned()]
        );
    }
}
