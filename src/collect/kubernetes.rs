//! `wincompat collect kubernetes` / `kubectl wincompat`: the kubectl
//! commands that give the diagnosis its facts, planned from what earlier
//! commands returned. Nodes as JSON (nodeInfo, `windows-build` labels,
//! runtime), the pods (all, or a workload's, or named ones), events,
//! RuntimeClasses, then `describe` of the failing pods only.
//!
//! Read-only verbs only (`version`, `get`, `describe`). This module reads
//! kubectl's JSON with serde_json to plan the next command; it must not
//! know how failures are recognised nor which builds are compatible.

use super::{Keep, Session};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// At most this many failing pods are described.
const MAX_DESCRIBE: usize = 10;

/// kubectl's own selection flags, as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct KubeRequest {
    pub context: Option<String>,
    pub kubeconfig: Option<PathBuf>,
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    /// `pods`, `nodes`, `pod/NAME`, `deploy/NAME`, `ds/NAME`, `sts/NAME`,
    /// `rs/NAME`, or a bare pod name. Empty: every pod of the namespace.
    pub targets: Vec<String>,
}

/// What a target asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    AllPods,
    Nodes,
    Pod(String),
    /// A controller (`deployment`, `daemonset`…) and its name.
    Owner(&'static str, String),
}

fn target(spec: &str) -> Target {
    let (kind, name) = match spec.split_once('/') {
        Some((kind, name)) => (kind.to_ascii_lowercase(), name.to_owned()),
        None => {
            return match spec.to_ascii_lowercase().as_str() {
                "pods" | "pod" | "po" => Target::AllPods,
                "nodes" | "node" | "no" => Target::Nodes,
                _ => Target::Pod(spec.to_owned()),
            }
        }
    };
    match kind.as_str() {
        "pod" | "pods" | "po" => Target::Pod(name),
        "node" | "nodes" | "no" => Target::Nodes,
        "deploy" | "deployment" | "deployments" => Target::Owner("deployment", name),
        "ds" | "daemonset" | "daemonsets" => Target::Owner("daemonset", name),
        "sts" | "statefulset" | "statefulsets" => Target::Owner("statefulset", name),
        "rs" | "replicaset" | "replicasets" => Target::Owner("replicaset", name),
        "job" | "jobs" => Target::Owner("job", name),
        _ => Target::Pod(spec.to_owned()),
    }
}

fn words(ws: &[&str]) -> Vec<String> {
    ws.iter().map(|w| (*w).to_owned()).collect()
}

/// Run the plan.
pub fn collect(req: &KubeRequest, s: &mut Session) {
    let mut conn = Vec::new();
    if let Some(kubeconfig) = &req.kubeconfig {
        conn.push(format!("--kubeconfig={}", kubeconfig.display()));
    }
    if let Some(context) = &req.context {
        conn.push(format!("--context={context}"));
    }
    let scope: Vec<String> = if req.all_namespaces {
        words(&["-A"])
    } else if let Some(ns) = &req.namespace {
        vec!["-n".to_owned(), ns.clone()]
    } else {
        Vec::new()
    };

    // 1. Client and server versions; also tells whether the cluster answers.
    let ran = s.run(
        "kubectl",
        &conn,
        &words(&["version", "-o", "json"]),
        Keep::PlanOnly,
        "",
    );
    let version: Value = serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null);
    let (ok, reason) = (ran.ok(), ran.reason());
    let missing = s.client_missing();
    if let Some(v) = version
        .pointer("/clientVersion/gitVersion")
        .and_then(Value::as_str)
    {
        s.clients.push(super::save::ClientVersion {
            client: "kubectl".to_owned(),
            version: v.to_owned(),
        });
    }
    if let Some(v) = version
        .pointer("/serverVersion/gitVersion")
        .and_then(Value::as_str)
    {
        s.clients.push(super::save::ClientVersion {
            client: "kubernetes server".to_owned(),
            version: v.to_owned(),
        });
    }
    if missing {
        s.warnings.push(format!(
            "nothing collected: kubectl is not installed or not on PATH ({reason})"
        ));
        return;
    }
    if !ok && version.pointer("/serverVersion").is_none() {
        s.warnings.push(format!(
            "nothing collected: the cluster did not answer `kubectl version` ({reason})"
        ));
        return;
    }

    // 2. Nodes: builds, labels, runtime, images.
    // (Always: every diagnosis needs the node builds, whatever the targets.)
    let ran = s.run(
        "kubectl",
        &conn,
        &words(&["get", "nodes", "-o", "json"]),
        Keep::File,
        "node builds unknown",
    );
    let nodes: Value = serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null);
    for item in items(&nodes) {
        if let Some(name) = item.pointer("/metadata/name").and_then(Value::as_str) {
            s.known.nodes.push(name.to_owned());
        }
    }

    // 3. Pods: the targets' or all of the scope's.
    let targets: Vec<Target> = req.targets.iter().map(|t| target(t)).collect();
    let only_nodes = !targets.is_empty() && targets.iter().all(|t| *t == Target::Nodes);
    let mut pods: Vec<Value> = Vec::new();
    if !only_nodes {
        let want_all = targets.is_empty() || targets.contains(&Target::AllPods);
        if want_all {
            let mut w = words(&["get", "pods"]);
            w.extend(scope.iter().cloned());
            w.extend(words(&["-o", "json"]));
            let ran = s.run(
                "kubectl",
                &conn,
                &w,
                Keep::File,
                "pods unknown (images, nodes, container states)",
            );
            pods.extend(items(
                &serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null),
            ));
        }
        for t in targets.iter().filter(|_| !want_all) {
            match t {
                Target::Pod(name) => {
                    let mut w = words(&["get", "pod", name]);
                    w.extend(scope.iter().cloned());
                    w.extend(words(&["-o", "json"]));
                    let cost = format!("pod {name} unknown");
                    let ran = s.run("kubectl", &conn, &w, Keep::File, &cost);
                    pods.extend(items(
                        &serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null),
                    ));
                }
                Target::Owner(kind, name) => {
                    let mut w = vec!["get".to_owned(), format!("{kind}/{name}")];
                    w.extend(scope.iter().cloned());
                    w.extend(words(&["-o", "json"]));
                    let cost = format!("{kind} {name} unknown (its pods cannot be selected)");
                    let ran = s.run("kubectl", &conn, &w, Keep::File, &cost);
                    let owner: Value = serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null);
                    let Some(selector) = label_selector(&owner) else {
                        continue;
                    };
                    let mut w = words(&["get", "pods"]);
                    w.extend(scope.iter().cloned());
                    w.extend([
                        "-l".to_owned(),
                        selector,
                        "-o".to_owned(),
                        "json".to_owned(),
                    ]);
                    let cost = format!("pods of {kind} {name} unknown");
                    let ran = s.run("kubectl", &conn, &w, Keep::File, &cost);
                    pods.extend(items(
                        &serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null),
                    ));
                }
                Target::AllPods | Target::Nodes => {}
            }
        }
    }
    for pod in &pods {
        if let Some(name) = pod.pointer("/metadata/name").and_then(Value::as_str) {
            let ns = pod
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("");
            s.known.workloads.push(format!("{ns}/{name}"));
        }
        for status in container_statuses(pod) {
            if let Some(id) = status.get("containerID").and_then(Value::as_str) {
                let id = id.rsplit("://").next().unwrap_or(id);
                s.known.containers.push(id.to_owned());
            }
        }
    }

    // 4. Events: the failure messages (kubelet's `Failed`,
    // `FailedCreatePodSandBox` events, all of type Warning; `Normal` events
    // carry no fact the diagnosis uses and are most of a busy cluster's).
    let mut events = Vec::new();
    if !only_nodes {
        let mut w = words(&["get", "events"]);
        w.extend(scope.iter().cloned());
        w.extend(words(&["--field-selector", "type=Warning", "-o", "json"]));
        let ran = s.run(
            "kubectl",
            &conn,
            &w,
            Keep::File,
            "failure messages from events missing (only container states and `describe` show them)",
        );
        events = items(&serde_json::from_slice(&ran.stdout).unwrap_or(Value::Null));
    }

    // 5. RuntimeClasses: which handlers (Hyper-V isolation) the cluster offers.
    s.run(
        "kubectl",
        &conn,
        &words(&["get", "runtimeclasses", "-o", "json"]),
        Keep::File,
        "RuntimeClass handlers unknown (whether Hyper-V isolation is offered)",
    );

    // 6. describe of the failing pods only.
    let failing = failing_pods(&pods, &events);
    if failing.len() > MAX_DESCRIBE {
        s.warnings.push(format!(
            "{} failing pods: only the first {MAX_DESCRIBE} are described",
            failing.len()
        ));
    }
    for (ns, name) in failing.into_iter().take(MAX_DESCRIBE) {
        let mut w = words(&["describe", "pod", &name]);
        if !ns.is_empty() {
            w.extend(["-n".to_owned(), ns.clone()]);
        }
        let cost = format!("events of pod {name} not described");
        s.run("kubectl", &conn, &w, Keep::File, &cost);
    }
}

/// The items of a `List`, or the object itself.
fn items(v: &Value) -> Vec<Value> {
    match v.get("items").and_then(Value::as_array) {
        Some(items) => items.clone(),
        None if v.get("kind").is_some() => vec![v.clone()],
        None => Vec::new(),
    }
}

/// `app=web,tier=front` from `spec.selector.matchLabels` (Deployment,
/// DaemonSet, StatefulSet, ReplicaSet) or a Job's `spec.selector`.
fn label_selector(owner: &Value) -> Option<String> {
    let labels = owner
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)?;
    let parts: Vec<String> = labels
        .iter()
        .filter_map(|(k, v)| Some(format!("{k}={}", v.as_str()?)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(","))
}

fn container_statuses(pod: &Value) -> impl Iterator<Item = &Value> {
    ["/status/initContainerStatuses", "/status/containerStatuses"]
        .into_iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
}

/// Pods worth a `describe`, as (namespace, name), in the order listed: a
/// container waiting (other than while it is being created) or terminated
/// with a non-zero code now or last time, phase `Failed`, or a `Warning`
/// event about the pod.
fn failing_pods(pods: &[Value], events: &[Value]) -> Vec<(String, String)> {
    let warned: BTreeSet<(String, String)> = events
        .iter()
        .filter(|e| e.get("type").and_then(Value::as_str) == Some("Warning"))
        .filter(|e| {
            e.pointer("/involvedObject/kind")
                .or_else(|| e.pointer("/regarding/kind"))
                .and_then(Value::as_str)
                == Some("Pod")
        })
        .filter_map(|e| {
            let obj = e.get("involvedObject").or_else(|| e.get("regarding"))?;
            Some((
                obj.get("namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                obj.get("name").and_then(Value::as_str)?.to_owned(),
            ))
        })
        .collect();
    let mut out = Vec::new();
    for pod in pods {
        let Some(name) = pod.pointer("/metadata/name").and_then(Value::as_str) else {
            continue;
        };
        let ns = pod
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let failed_phase = pod.pointer("/status/phase").and_then(Value::as_str) == Some("Failed");
        let bad_container = container_statuses(pod).any(|c| {
            let waiting = c
                .pointer("/state/waiting/reason")
                .and_then(Value::as_str)
                .is_some_and(|r| r != "ContainerCreating" && r != "PodInitializing");
            let terminated = [
                "/state/terminated/exitCode",
                "/lastState/terminated/exitCode",
            ]
            .iter()
            .any(|p| {
                c.pointer(p)
                    .and_then(Value::as_i64)
                    .is_some_and(|code| code != 0)
            });
            waiting || terminated
        });
        if failed_phase || bad_container || warned.contains(&(ns.to_owned(), name.to_owned())) {
            out.push((ns.to_owned(), name.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_read_like_kubectl_resources() {
        assert_eq!(target("pods"), Target::AllPods);
        assert_eq!(target("nodes"), Target::Nodes);
        assert_eq!(target("web-0"), Target::Pod("web-0".to_owned()));
        assert_eq!(target("po/web-0"), Target::Pod("web-0".to_owned()));
        assert_eq!(
            target("deploy/web"),
            Target::Owner("deployment", "web".to_owned())
        );
        assert_eq!(
            target("ds/agent"),
            Target::Owner("daemonset", "agent".to_owned())
        );
    }

    #[test]
    fn selector_comes_from_match_labels() {
        let deploy = json!({"kind": "Deployment", "spec": {"selector": {"matchLabels": {"app": "web", "tier": "front"}}}});
        assert_eq!(
            label_selector(&deploy).as_deref(),
            Some("app=web,tier=front")
        );
    }

    #[test]
    fn failing_pods_are_waiting_crashed_or_warned_about() {
        let pods = vec![
            json!({"metadata": {"name": "ok", "namespace": "a"}, "status": {"phase": "Running",
                "containerStatuses": [{"state": {"running": {}}}]}}),
            json!({"metadata": {"name": "creating", "namespace": "a"}, "status": {"phase": "Pending",
                "containerStatuses": [{"state": {"waiting": {"reason": "ContainerCreating"}}}]}}),
            json!({"metadata": {"name": "crash", "namespace": "a"}, "status": {"phase": "Running",
                "containerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}),
            json!({"metadata": {"name": "sandbox", "namespace": "b"}, "status": {"phase": "Pending"}}),
        ];
        let events = vec![
            json!({"type": "Warning", "reason": "FailedCreatePodSandBox",
            "involvedObject": {"kind": "Pod", "name": "sandbox", "namespace": "b"}}),
        ];
        assert_eq!(
            failing_pods(&pods, &events),
            vec![
                ("a".to_owned(), "crash".to_owned()),
                ("b".to_owned(), "sandbox".to_owned())
            ]
        );
    }
}
