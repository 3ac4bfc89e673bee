//! A fake Docker Engine API (Windows daemon) for the real `docker` CLI,
//! reached with `DOCKER_HOST=tcp://127.0.0.1:PORT`: `/_ping`, `/vX/version`,
//! `/vX/info`, containers (list with the `status` filter, inspect), images
//! (inspect by reference), and Swarm nodes, services and tasks (with the
//! `id`/`name`/`service` filters the CLI sends).
//!
//! It knows the Engine API's shapes only, nothing of wincompat.

use super::http::{Reply, Request, Server};
use serde_json::{json, Value};
use std::sync::Arc;

/// API version the fake daemon speaks (Docker 26).
const API: &str = "1.45";

/// The objects of one scenario, in their inspect shapes.
#[derive(Default, Clone)]
pub struct Daemon {
    pub version: Value,
    pub info: Value,
    pub containers: Vec<Value>,
    pub images: Vec<Value>,
    pub nodes: Vec<Value>,
    pub services: Vec<Value>,
    pub tasks: Vec<Value>,
}

impl Daemon {
    pub fn start(self) -> Server {
        let daemon = Arc::new(self);
        Server::start(Arc::new(move |req: &Request| daemon.answer(req)))
    }

    fn answer(&self, req: &Request) -> Reply {
        let path = req.path.as_str();
        // `/v1.45/info` → `/info`
        let path = match path.strip_prefix("/v") {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                rest.find('/').map_or("/", |i| &rest[i..])
            }
            _ => path,
        };
        let reply = match path {
            "/_ping" => Reply::text(200, "OK"),
            "/version" => Reply::json(200, &self.version),
            "/info" => Reply::json(200, &self.info),
            "/containers/json" => self.container_list(req),
            "/nodes" => Reply::json(200, &Value::Array(self.nodes.clone())),
            "/services" => Reply::json(200, &Value::Array(self.filtered_services(req))),
            "/tasks" => Reply::json(200, &Value::Array(self.filtered_tasks(req))),
            _ => self.single(path),
        };
        reply
            .header("Api-Version", API)
            .header("OSType", "windows")
            .header("Docker-Experimental", "false")
            .header("Server", "Docker/26.1.3 (windows)")
    }

    fn single(&self, path: &str) -> Reply {
        if let Some(rest) = path.strip_prefix("/containers/") {
            let id = rest.trim_end_matches("/json");
            return found(
                self.containers.iter().find(|c| {
                    c["Id"].as_str().is_some_and(|i| i.starts_with(id))
                        || c["Name"].as_str() == Some(&format!("/{id}"))
                }),
                &format!("No such container: {id}"),
            );
        }
        if let Some(rest) = path.strip_prefix("/images/") {
            let name = rest.trim_end_matches("/json");
            return found(
                self.images.iter().find(|i| {
                    i["Id"] == name
                        || i["RepoTags"]
                            .as_array()
                            .is_some_and(|t| t.iter().any(|t| t == name))
                }),
                &format!("No such image: {name}"),
            );
        }
        if let Some(id) = path.strip_prefix("/nodes/") {
            return found(
                self.nodes
                    .iter()
                    .find(|n| n["ID"] == id || n["Description"]["Hostname"] == id),
                &format!("node {id} not found"),
            );
        }
        if let Some(id) = path.strip_prefix("/services/") {
            return found(
                self.services
                    .iter()
                    .find(|s| s["ID"] == id || s["Spec"]["Name"] == id),
                &format!("service {id} not found"),
            );
        }
        Reply::json(404, &json!({"message": format!("page not found: {path}")}))
    }

    /// `GET /containers/json?all=1&filters={"status":{"exited":true}}`.
    fn container_list(&self, req: &Request) -> Reply {
        let statuses = filter_keys(req, "status");
        let list: Vec<Value> = self
            .containers
            .iter()
            .filter(|c| {
                statuses.is_empty()
                    || c["State"]["Status"]
                        .as_str()
                        .is_some_and(|s| statuses.iter().any(|w| w == s))
            })
            .map(|c| {
                let code = c["State"]["ExitCode"].as_i64().unwrap_or(0);
                let status = match c["State"]["Status"].as_str() {
                    Some("running") => "Up 2 hours".to_owned(),
                    Some("created") => "Created".to_owned(),
                    _ => format!("Exited ({code}) 3 minutes ago"),
                };
                json!({"Id": c["Id"], "Names": [c["Name"]], "Image": c["Config"]["Image"],
                       "ImageID": c["Image"], "Command": "c:\\windows\\system32\\cmd.exe",
                       "Created": 1_796_500_000, "Ports": [], "Labels": {},
                       "State": c["State"]["Status"], "Status": status})
            })
            .collect();
        Reply::json(200, &Value::Array(list))
    }

    fn filtered_services(&self, req: &Request) -> Vec<Value> {
        let ids = filter_keys(req, "id");
        let names = filter_keys(req, "name");
        self.services
            .iter()
            .filter(|s| {
                (ids.is_empty()
                    || ids.iter().any(|i| {
                        s["ID"]
                            .as_str()
                            .is_some_and(|id| id.starts_with(i.as_str()))
                    }))
                    && (names.is_empty() || names.iter().any(|n| s["Spec"]["Name"] == n.as_str()))
            })
            .cloned()
            .collect()
    }

    fn filtered_tasks(&self, req: &Request) -> Vec<Value> {
        let services = filter_keys(req, "service");
        self.tasks
            .iter()
            .filter(|t| {
                services.is_empty()
                    || services.iter().any(|s| {
                        t["ServiceID"] == s.as_str()
                            || self.services.iter().any(|svc| {
                                svc["Spec"]["Name"] == s.as_str() && svc["ID"] == t["ServiceID"]
                            })
                    })
            })
            .cloned()
            .collect()
    }
}

fn found(v: Option<&Value>, missing: &str) -> Reply {
    match v {
        Some(v) => Reply::json(200, v),
        None => Reply::json(404, &json!({"message": missing})),
    }
}

/// The values of one key of the `filters` parameter
/// (`{"status":{"exited":true,"created":true}}` → `exited`, `created`).
fn filter_keys(req: &Request, key: &str) -> Vec<String> {
    let Some(filters) = req.param("filters") else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<Value>(filters) else {
        return Vec::new();
    };
    match &value[key] {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// Object builders: our own names, in the Engine API's shapes.
// ---------------------------------------------------------------------------

/// `GET /version` of a Windows daemon on `kernel` (e.g. `10.0 26100 (26100.1.amd64fre.ge_release.240331-1435)`).
pub fn version(kernel: &str) -> Value {
    json!({"Platform": {"Name": "Docker Engine - Community"}, "Version": "26.1.3",
           "ApiVersion": API, "MinAPIVersion": "1.24", "GitCommit": "8e96db1",
           "GoVersion": "go1.21.10", "Os": "windows", "Arch": "amd64",
           "KernelVersion": kernel, "BuildTime": "2024-05-16T08:34:42.000000000+00:00"})
}

/// `GET /info` of a Windows daemon.
pub fn info(name: &str, kernel: &str, os: &str, swarm: Option<(&str, bool)>) -> Value {
    let swarm = match swarm {
        Some((node_id, manager)) => json!({"NodeID": node_id, "NodeAddr": "10.20.0.11",
            "LocalNodeState": "active", "ControlAvailable": manager, "Nodes": 3, "Managers": 1}),
        None => json!({"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
            "ControlAvailable": false}),
    };
    json!({"ID": "8d1e2c4f-4b7a-4c3e-9f1a-0b2c3d4e5f60", "Containers": 2, "ContainersRunning": 1,
           "ContainersPaused": 0, "ContainersStopped": 1, "Images": 3, "Driver": "windowsfilter",
           "DockerRootDir": "C:\\ProgramData\\docker", "Plugins": {"Volume": ["local"],
           "Network": ["ics", "l2bridge", "nat", "null", "overlay", "transparent"], "Log": ["json-file"]},
           "KernelVersion": kernel, "OperatingSystem": os, "OSVersion": "", "OSType": "windows",
           "Architecture": "x86_64", "NCPU": 4, "MemTotal": 17_179_869_184u64, "Name": name,
           "ServerVersion": "26.1.3", "Isolation": "process", "Swarm": swarm})
}

/// A container in `docker inspect` shape; `error` = the daemon's start
/// error (State.Error), exit code 128.
pub fn container(name: &str, image: &str, error: Option<&str>) -> Value {
    let id = super::kube::hex_id(name);
    let state = match error {
        Some(e) => json!({"Status": "exited", "Running": false, "ExitCode": 128, "Error": e,
            "StartedAt": "0001-01-01T00:00:00Z", "FinishedAt": "0001-01-01T00:00:00Z"}),
        None => json!({"Status": "running", "Running": true, "ExitCode": 0, "Error": "",
            "StartedAt": "2026-11-30T07:00:00Z", "FinishedAt": "0001-01-01T00:00:00Z"}),
    };
    json!({"Id": id, "Created": "2026-11-30T07:00:00Z", "Path": "cmd.exe", "Args": [],
           "State": state, "Image": format!("sha256:{}", super::kube::hex_id(image)),
           "Name": format!("/{name}"), "Driver": "windowsfilter", "Platform": "windows",
           "HostConfig": {"Isolation": "process", "NetworkMode": "nat"},
           "Config": {"Hostname": &id[..12], "Image": image, "Cmd": ["cmd.exe"]}})
}

/// An image in `docker image inspect` shape with its OsVersion.
pub fn image(reference: &str, os_version: &str) -> Value {
    json!({"Id": format!("sha256:{}", super::kube::hex_id(reference)), "RepoTags": [reference],
           "RepoDigests": [], "Created": "2026-10-08T19:30:00Z", "Architecture": "amd64",
           "Os": "windows", "OsVersion": os_version, "Size": 2_147_483_648u64,
           "RootFS": {"Type": "layers", "Layers": []}})
}

/// A Swarm node (`docker node inspect` shape).
pub fn node(id: &str, hostname: &str, manager: bool) -> Value {
    let mut n = json!({"ID": id, "Version": {"Index": 31},
        "CreatedAt": "2026-10-30T06:58:18Z", "UpdatedAt": "2026-11-29T06:29:03Z",
        "Spec": {"Labels": {}, "Role": if manager {"manager"} else {"worker"}, "Availability": "active"},
        "Description": {"Hostname": hostname, "Platform": {"Architecture": "x86_64", "OS": "windows"},
            "Resources": {"NanoCPUs": 4_000_000_000u64, "MemoryBytes": 17_179_869_184u64},
            "Engine": {"EngineVersion": "26.1.3", "Plugins": [{"Type": "Network", "Name": "overlay"}]}},
        "Status": {"State": "ready", "Addr": "10.20.0.11"}});
    if manager {
        n["ManagerStatus"] =
            json!({"Leader": true, "Reachability": "reachable", "Addr": "10.20.0.11:2377"});
    }
    n
}

/// A replicated service.
pub fn service(id: &str, name: &str, image: &str) -> Value {
    json!({"ID": id, "Version": {"Index": 120}, "CreatedAt": "2026-11-29T06:00:00Z",
           "UpdatedAt": "2026-11-29T06:00:00Z",
           "Spec": {"Name": name, "Labels": {},
               "TaskTemplate": {"ContainerSpec": {"Image": image, "Isolation": "default"},
                   "Placement": {"Platforms": [{"Architecture": "amd64", "OS": "windows"}]},
                   "ForceUpdate": 0, "Runtime": "container"},
               "Mode": {"Replicated": {"Replicas": 1}}},
           "Endpoint": {"Spec": {}}})
}

/// A task of `service_id` on `node_id`; `error` = a failed task's error.
pub fn task(
    id: &str,
    service_id: &str,
    slot: u32,
    node_id: &str,
    image: &str,
    error: Option<&str>,
) -> Value {
    let status = match error {
        Some(e) => json!({"Timestamp": "2026-11-30T09:12:40Z", "State": "failed",
            "Message": "starting", "Err": e,
            "ContainerStatus": {"ContainerID": super::kube::hex_id(id), "ExitCode": 0}}),
        None => json!({"Timestamp": "2026-11-30T09:00:00Z", "State": "running",
            "Message": "started",
            "ContainerStatus": {"ContainerID": super::kube::hex_id(id), "PID": 4242, "ExitCode": 0}}),
    };
    json!({"ID": id, "Version": {"Index": 130}, "CreatedAt": "2026-11-30T09:12:30Z",
           "UpdatedAt": "2026-11-30T09:12:40Z", "Labels": {},
           "Spec": {"ContainerSpec": {"Image": image}, "ForceUpdate": 0},
           "ServiceID": service_id, "Slot": slot, "NodeID": node_id,
           "Status": status,
           "DesiredState": if error.is_some() {"shutdown"} else {"running"}})
}
