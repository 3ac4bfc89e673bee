//! A fake Kubernetes API server for the real `kubectl` (1.32): discovery
//! (`/version`, `/api`, `/apis`, `/api/v1`, the `apps` and `node.k8s.io`
//! groups), lists and single objects of nodes, pods, events, RuntimeClasses
//! and controllers, with label and field selectors as kubectl sends them
//! (`describe pod` asks for the pod's events by `involvedObject.*`), a 403
//! for forbidden resources and a slow resource for the timeout.
//!
//! Paths kubectl 1.32 requests (logged by `Server::requests`):
//! `GET /version`, `GET /api`, `GET /apis`, `GET /api/v1`,
//! `GET /api/v1/nodes?limit=500`, `GET /api/v1/namespaces/NS/pods?limit=500`
//! (`/api/v1/pods` with `-A`), `GET /api/v1/namespaces/NS/events?limit=500`,
//! `GET /apis/node.k8s.io/v1/runtimeclasses?limit=500`; `describe pod`:
//! `GET /api/v1/namespaces/NS/pods/NAME` then
//! `GET /api/v1/namespaces/NS/events?fieldSelector=involvedObject.name=…`
//! (and `involvedObject.namespace`, `involvedObject.uid`). The kubectl of
//! this project's machines (Google Cloud SDK's dispatcher build,
//! `v1.32.4-dispatcher`) also asks `GET /version?timeout=5s` before each
//! command.
//!
//! It knows the API's shapes only, nothing of wincompat.

use super::http::{Reply, Request, Server};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// The objects and behaviour of one scenario.
#[derive(Default, Clone)]
pub struct Cluster {
    pub nodes: Vec<Value>,
    pub pods: Vec<Value>,
    pub events: Vec<Value>,
    pub runtimeclasses: Vec<Value>,
    /// Deployments, DaemonSets… (kind set on each).
    pub controllers: Vec<Value>,
    /// Resources answered with 403 Forbidden (`events`, `nodes`).
    pub forbidden: Vec<&'static str>,
    /// Resources answered only after this delay.
    pub slow: Vec<(&'static str, Duration)>,
}

impl Cluster {
    pub fn start(self) -> Server {
        let cluster = Arc::new(self);
        Server::start(Arc::new(move |req: &Request| cluster.answer(req)))
    }

    fn answer(&self, req: &Request) -> Reply {
        let segs: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        match segs.as_slice() {
            ["version"] => Reply::json(
                200,
                &json!({"major": "1", "minor": "32", "gitVersion": "v1.32.4",
                        "goVersion": "go1.23.8", "platform": "linux/amd64"}),
            ),
            ["api"] => Reply::json(
                200,
                &json!({"kind": "APIVersions", "versions": ["v1"],
                        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}),
            ),
            ["apis"] => Reply::json(200, &api_groups()),
            ["api", "v1"] => Reply::json(
                200,
                &resource_list(
                    "v1",
                    &[
                        ("nodes", "Node", false, "no"),
                        ("pods", "Pod", true, "po"),
                        ("events", "Event", true, "ev"),
                        ("namespaces", "Namespace", false, "ns"),
                    ],
                ),
            ),
            ["apis", "apps", "v1"] => Reply::json(
                200,
                &resource_list(
                    "apps/v1",
                    &[
                        ("deployments", "Deployment", true, "deploy"),
                        ("daemonsets", "DaemonSet", true, "ds"),
                        ("replicasets", "ReplicaSet", true, "rs"),
                        ("statefulsets", "StatefulSet", true, "sts"),
                    ],
                ),
            ),
            ["apis", "node.k8s.io", "v1"] => Reply::json(
                200,
                &resource_list(
                    "node.k8s.io/v1",
                    &[("runtimeclasses", "RuntimeClass", false, "")],
                ),
            ),
            ["api", "v1", rest @ ..] => self.resource(req, "v1", rest),
            ["apis", group, "v1", rest @ ..] => {
                let gv = format!("{group}/v1");
                self.resource(req, &gv, rest)
            }
            _ => not_found(&req.path),
        }
    }

    /// `nodes`, `nodes/NAME`, `pods`, `namespaces/NS`, `namespaces/NS/pods[/NAME]`…
    fn resource(&self, req: &Request, group_version: &str, rest: &[&str]) -> Reply {
        let (ns, resource, name) = match rest {
            ["namespaces", ns] => return namespace(ns),
            ["namespaces", ns, resource] => (Some(*ns), *resource, None),
            ["namespaces", ns, resource, name] => (Some(*ns), *resource, Some(*name)),
            [resource] => (None, *resource, None),
            [resource, name] => (None, *resource, Some(*name)),
            _ => return not_found(&req.path),
        };
        let delay = self
            .slow
            .iter()
            .find(|(r, _)| *r == resource)
            .map(|(_, d)| *d)
            .unwrap_or_default();
        if self.forbidden.contains(&resource) {
            return forbidden(resource, ns).delayed(delay);
        }
        let (objects, kind): (Vec<&Value>, &str) = match resource {
            "nodes" => (self.nodes.iter().collect(), "Node"),
            "pods" => (self.pods.iter().collect(), "Pod"),
            "events" => (self.events.iter().collect(), "Event"),
            "runtimeclasses" => (self.runtimeclasses.iter().collect(), "RuntimeClass"),
            "deployments" | "daemonsets" | "replicasets" | "statefulsets" => {
                let kind = match resource {
                    "deployments" => "Deployment",
                    "daemonsets" => "DaemonSet",
                    "replicasets" => "ReplicaSet",
                    _ => "StatefulSet",
                };
                (
                    self.controllers
                        .iter()
                        .filter(|c| c["kind"] == kind)
                        .collect(),
                    kind,
                )
            }
            _ => return not_found(&req.path),
        };
        let in_ns: Vec<&Value> = objects
            .into_iter()
            .filter(|o| ns.is_none_or(|ns| o["metadata"]["namespace"] == ns))
            .collect();
        if let Some(name) = name {
            return match in_ns.iter().find(|o| o["metadata"]["name"] == name) {
                Some(o) => Reply::json(200, o),
                None => Reply::json(
                    404,
                    &status(404, "NotFound", &format!("{resource} \"{name}\" not found")),
                ),
            }
            .delayed(delay);
        }
        let selected: Vec<Value> = in_ns
            .into_iter()
            .filter(|o| matches_labels(o, req.param("labelSelector")))
            .filter(|o| matches_fields(o, req.param("fieldSelector")))
            .cloned()
            .collect();
        Reply::json(
            200,
            &json!({"kind": format!("{kind}List"), "apiVersion": group_version,
                    "metadata": {"resourceVersion": "4711"}, "items": selected}),
        )
        .delayed(delay)
    }
}

fn api_groups() -> Value {
    let group = |name: &str| {
        json!({"name": name,
               "versions": [{"groupVersion": format!("{name}/v1"), "version": "v1"}],
               "preferredVersion": {"groupVersion": format!("{name}/v1"), "version": "v1"}})
    };
    json!({"kind": "APIGroupList", "apiVersion": "v1",
           "groups": [group("apps"), group("node.k8s.io")]})
}

fn resource_list(group_version: &str, resources: &[(&str, &str, bool, &str)]) -> Value {
    let resources: Vec<Value> = resources
        .iter()
        .map(|(name, kind, namespaced, short)| {
            let mut r = json!({"name": name, "singularName": kind.to_ascii_lowercase(),
                               "namespaced": namespaced, "kind": kind,
                               "verbs": ["get", "list", "watch"]});
            if !short.is_empty() {
                r["shortNames"] = json!([short]);
            }
            r
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
           "resources": resources})
}

fn namespace(ns: &str) -> Reply {
    Reply::json(
        200,
        &json!({"kind": "Namespace", "apiVersion": "v1",
                "metadata": {"name": ns}, "status": {"phase": "Active"}}),
    )
}

fn status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "message": message, "reason": reason, "code": code})
}

fn not_found(path: &str) -> Reply {
    Reply::json(
        404,
        &status(
            404,
            "NotFound",
            &format!("the server could not find {path}"),
        ),
    )
}

fn forbidden(resource: &str, ns: Option<&str>) -> Reply {
    let scope = match ns {
        Some(ns) => format!(" in the namespace \"{ns}\""),
        None => " at the cluster scope".to_owned(),
    };
    Reply::json(
        403,
        &status(
            403,
            "Forbidden",
            &format!(
                "{resource} is forbidden: User \"dev-alice\" cannot list resource \"{resource}\" in API group \"\"{scope}"
            ),
        ),
    )
}

/// `app=web,tier=front` (equality only, as the collector sends it).
fn matches_labels(o: &Value, selector: Option<&str>) -> bool {
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return true;
    };
    selector.split(',').all(|term| match term.split_once('=') {
        Some((k, v)) => o["metadata"]["labels"][k] == v,
        None => false,
    })
}

/// `involvedObject.name=web-0,involvedObject.namespace=shop,…`.
fn matches_fields(o: &Value, selector: Option<&str>) -> bool {
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return true;
    };
    selector.split(',').all(|term| match term.split_once('=') {
        Some((path, v)) => {
            let mut cur = o;
            for part in path.split('.') {
                cur = &cur[part];
            }
            cur.is_null() || cur == v || v.is_empty()
        }
        None => true,
    })
}

// ---------------------------------------------------------------------------
// Object builders: our own names, in the shapes the API server returns.
// ---------------------------------------------------------------------------

/// A Windows node with its build in nodeInfo and the `windows-build` label.
pub fn windows_node(name: &str, kernel: &str, os_image: &str, runtime: &str) -> Value {
    let build: Vec<&str> = kernel.split('.').collect();
    let label = build.get(..3).map(|b| b.join(".")).unwrap_or_default();
    json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": uid(name),
            "labels": {"kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64",
                       "kubernetes.io/hostname": name, "node.kubernetes.io/windows-build": label}},
        "spec": {},
        "status": {
            "addresses": [{"type": "Hostname", "address": name}],
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                            "message": "kubelet is posting ready status"}],
            "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": runtime,
                "kernelVersion": kernel, "kubeProxyVersion": "v1.32.4", "kubeletVersion": "v1.32.4",
                "machineID": name, "operatingSystem": "windows", "osImage": os_image,
                "systemUUID": uid(&format!("sys-{name}"))}
        }
    })
}

/// A pod of one container on `node`; `failure` = a StartError message in
/// lastState and CrashLoopBackOff now, `None` = running.
pub fn pod(
    ns: &str,
    name: &str,
    app: &str,
    node: &str,
    image: &str,
    failure: Option<&str>,
) -> Value {
    let container_id = format!("containerd://{}", hex_id(name));
    let status = match failure {
        Some(message) => json!({
            "containerID": container_id, "image": image, "imageID": "", "name": app,
            "ready": false, "restartCount": 7, "started": false,
            "lastState": {"terminated": {"containerID": container_id, "exitCode": 128,
                "reason": "StartError", "message": message,
                "startedAt": "1970-01-01T00:00:00Z", "finishedAt": "2026-11-30T09:12:44Z"}},
            "state": {"waiting": {"reason": "CrashLoopBackOff",
                "message": format!("back-off 5m0s restarting failed container={app} pod={name}")}}
        }),
        None => json!({
            "containerID": container_id, "image": image, "imageID": "", "name": app,
            "ready": true, "restartCount": 0, "started": true,
            "lastState": {}, "state": {"running": {"startedAt": "2026-11-30T08:00:00Z"}}
        }),
    };
    let phase = "Running";
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "uid": uid(name),
            "labels": {"app": app},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "controller": true,
                "name": name.rsplitn(2, '-').last().unwrap_or(name), "uid": uid(&format!("rs-{app}"))}]},
        "spec": {"nodeName": node, "nodeSelector": {"kubernetes.io/os": "windows"},
            "containers": [{"name": app, "image": image, "imagePullPolicy": "IfNotPresent"}]},
        "status": {"phase": phase, "hostIP": "10.240.0.4", "podIP": "10.244.1.7",
            "startTime": "2026-11-30T08:00:00Z", "containerStatuses": [status]}
    })
}

/// A kubelet `Failed` event about a pod's container.
pub fn failed_event(
    ns: &str,
    pod: &str,
    app: &str,
    node: &str,
    message: &str,
    count: u32,
) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": format!("{pod}.18b3c0f1a2"), "namespace": ns},
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": pod, "namespace": ns,
            "uid": uid(pod), "fieldPath": format!("spec.containers{{{app}}}")},
        "reason": "Failed", "message": message, "type": "Warning", "count": count,
        "firstTimestamp": "2026-11-30T08:40:00Z", "lastTimestamp": "2026-11-30T09:12:44Z",
        "source": {"component": "kubelet", "host": node},
        "reportingComponent": "kubelet", "reportingInstance": node
    })
}

/// A Deployment selecting `app=APP`.
pub fn deployment(ns: &str, name: &str, app: &str, image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "uid": uid(&format!("deploy-{name}"))},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}},
                "spec": {"containers": [{"name": app, "image": image}]}}},
        "status": {"replicas": 2, "readyReplicas": 0}
    })
}

/// A RuntimeClass for containerd's Windows handlers.
pub fn runtime_class(name: &str, handler: &str) -> Value {
    json!({"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass",
           "metadata": {"name": name}, "handler": handler})
}

/// A stable 64-hex-digit ID derived from a name (our own, not a real one).
pub fn hex_id(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    while out.len() < 64 {
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out.truncate(64);
    out
}

/// A UID in the API server's GUID form, derived from a name.
pub fn uid(seed: &str) -> String {
    let h = hex_id(seed);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
