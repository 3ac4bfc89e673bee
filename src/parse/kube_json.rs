//! Kubernetes objects printed by `kubectl get … -o json` or `-o yaml`:
//! single Pods, Nodes and Events, and `kind: List` (or `PodList`…) of them,
//! e.g. the output of `kubectl get pods,nodes,events -A -o json`.
//!
//! JSON comes from `Doc::json_blocks`; YAML documents are found by an
//! `apiVersion:` line at column 0 and parsed with serde_yaml_ng into a
//! `serde_json::Value`, so both go through the same mapping: Pod → one
//! `Workload` per container, Node → `HostFacts`, Event (core/v1 and
//! events.k8s.io/v1) → `Event`. Each record spans its object's lines (for a
//! List, its item's lines when they can be told apart cheaply, otherwise
//! the whole document), so that a failure found inside a message lands in
//! the record's span.
//!
//! This module knows the Kubernetes object shapes only; it does not judge
//! compatibility nor read failure messages.

use super::doc::{Doc, Output};
use super::kubectl_describe::{
    apply_states, host_kind, host_version, isolation_from_annotations, label, ready_status,
    StateInfo, WINDOWS_BUILD_LABEL,
};
use crate::model::{Event, HostFacts, RecordData, SectionKind, Workload, WorkloadKind};
use serde_json::Value;

/// Largest YAML document we hand to the YAML parser, in lines.
const MAX_YAML_LINES: usize = 100_000;

/// Literals (lower case) of Kubernetes node objects, for the streaming
/// prefilter (`super::prefilter`): `kernelVersion` (as `kernel`, shared
/// with the other parsers of a kernel version) and the
/// `node.kubernetes.io/windows-build` label.
pub const LITERALS: &[&str] = &["kernel", "windows-build"];

/// Scan `doc` for Kubernetes JSON and YAML objects.
pub fn scan(doc: &Doc, out: &mut Output) {
    for block in doc.json_blocks() {
        let items = objects(&block.value);
        if !items.iter().any(is_known_kind) {
            continue;
        }
        out.section(SectionKind::KubeJson, block.line, block.end_line);
        let spans = if is_list(&block.value) {
            json_item_spans(doc, block.line, block.end_line, items.len())
        } else {
            None
        };
        for (i, item) in items.iter().enumerate() {
            let span = spans
                .as_ref()
                .and_then(|s| s.get(i).copied())
                .unwrap_or((block.line, block.end_line));
            map_object(item, span, SectionKind::KubeJson, out);
        }
    }
    for (start, end) in yaml_documents(doc) {
        let text = (start..=end)
            .map(|n| doc.line(n))
            .collect::<Vec<_>>()
            .join("\n");
        let Ok(value) = serde_yaml_ng::from_str::<Value>(&text) else {
            continue;
        };
        let items = objects(&value);
        if !items.iter().any(is_known_kind) {
            continue;
        }
        out.section(SectionKind::KubeYaml, start, end);
        let spans = if is_list(&value) {
            yaml_item_spans(doc, start, end, items.len())
        } else {
            None
        };
        for (i, item) in items.iter().enumerate() {
            let span = spans
                .as_ref()
                .and_then(|s| s.get(i).copied())
                .unwrap_or((start, end));
            map_object(item, span, SectionKind::KubeYaml, out);
        }
    }
}

// ---------------------------------------------------------------------------
// Objects and lists
// ---------------------------------------------------------------------------

fn kind_of(v: &Value) -> &str {
    v.get("kind").and_then(Value::as_str).unwrap_or("")
}

fn is_known_kind(v: &Value) -> bool {
    matches!(kind_of(v), "Pod" | "Node" | "Event")
}

/// `kind: List`, `PodList`, `EventList`… with an `items` array.
fn is_list(v: &Value) -> bool {
    kind_of(v).ends_with("List") && v.get("items").is_some_and(Value::is_array)
}

/// The objects in a value: the items of a list (their `kind` filled from
/// the list's kind when the API server left it out, as it does for
/// `PodList` items), the elements of a bare array, or the value itself.
fn objects(v: &Value) -> Vec<Value> {
    if is_list(v) {
        let item_kind = kind_of(v).strip_suffix("List").unwrap_or("").to_owned();
        let Some(items) = v.get("items").and_then(Value::as_array) else {
            return Vec::new();
        };
        return items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                if kind_of(&item).is_empty() && !item_kind.is_empty() {
                    if let Some(obj) = item.as_object_mut() {
                        obj.insert("kind".to_owned(), Value::String(item_kind.clone()));
                    }
                }
                item
            })
            .collect();
    }
    if let Some(arr) = v.as_array() {
        return arr.clone();
    }
    vec![v.clone()]
}

/// Item spans of a pretty-printed JSON List: after the `"items": [` line,
/// each item opens with `{` and closes with `}` at the same indentation.
/// `None` unless exactly `count` items are found (compact JSON, odd layout).
fn json_item_spans(
    doc: &Doc,
    start: usize,
    end: usize,
    count: usize,
) -> Option<Vec<(usize, usize)>> {
    let items_line = (start..=end).find(|&n| doc.line(n).trim_start().starts_with("\"items\""))?;
    let first = doc.line(items_line + 1);
    let indent = first.len() - first.trim_start().len();
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for n in items_line + 1..=end {
        let line = doc.line(n);
        let this_indent = line.len() - line.trim_start().len();
        if this_indent != indent {
            continue;
        }
        let t = line.trim_start();
        if t.starts_with('{') {
            open = Some(n);
            if t.trim_end().trim_end_matches(',').ends_with('}') {
                spans.push((n, n));
                open = None;
            }
        } else if t.starts_with('}') {
            if let Some(s) = open.take() {
                spans.push((s, n));
            }
        } else if t.starts_with(']') {
            break;
        }
    }
    (spans.len() == count).then_some(spans)
}

/// Item spans of a YAML List as kubectl prints it: `items:` at column 0,
/// then each item starts with `- ` at column 0.
fn yaml_item_spans(
    doc: &Doc,
    start: usize,
    end: usize,
    count: usize,
) -> Option<Vec<(usize, usize)>> {
    let items_line = (start..=end).find(|&n| doc.line(n) == "items:")?;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for n in items_line + 1..=end {
        let line = doc.line(n);
        if line.starts_with("- ") || line == "-" {
            spans.push((n, n));
        } else if line.starts_with(' ') || line.is_empty() {
            if let Some(last) = spans.last_mut() {
                if !line.is_empty() {
                    last.1 = n;
                }
            }
        } else {
            break;
        }
    }
    (spans.len() == count).then_some(spans)
}

// ---------------------------------------------------------------------------
// YAML documents
// ---------------------------------------------------------------------------

/// A column-0 YAML mapping key as kubectl prints it: `metadata:`,
/// `kind: Pod` (one space after the colon; a describe line such as
/// `Name:           x` is not one).
fn is_yaml_top_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
        && (rest.is_empty() || (rest.starts_with(' ') && !rest.starts_with("  ")))
}

/// YAML documents that start with `apiVersion:` at column 0 and hold a
/// `kind:` line at column 0: their 1-based line spans. A document goes on
/// through indented lines, `- ` list lines and column-0 keys; `---` ends it;
/// a blank line ends it unless the next non-blank line is indented (inside a
/// block scalar).
fn yaml_documents(doc: &Doc) -> Vec<(usize, usize)> {
    let mut docs = Vec::new();
    let mut n = 1;
    while n <= doc.len() {
        if !doc.line(n).starts_with("apiVersion:") {
            n += 1;
            continue;
        }
        let start = n;
        let mut end = n;
        let mut has_kind = false;
        let mut j = n + 1;
        while j <= doc.len() && j - start < MAX_YAML_LINES {
            let line = doc.line(j);
            if line.is_empty() {
                let next = (j + 1..=doc.len()).find(|&m| !doc.line(m).is_empty());
                if next.is_some_and(|m| doc.line(m).starts_with(' ')) {
                    j += 1;
                    continue;
                }
                break;
            }
            if line.starts_with("---") || line.starts_with("...") {
                break;
            }
            if line.starts_with(' ') || line.starts_with("- ") || line == "-" {
                end = j;
            } else if is_yaml_top_key(line) {
                has_kind |= line.starts_with("kind:");
                end = j;
            } else {
                break;
            }
            j += 1;
        }
        if has_kind {
            docs.push((start, end));
        }
        n = end + 1;
    }
    docs
}

// ---------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn owned_at(v: &Value, path: &[&str]) -> Option<String> {
    str_at(v, path).map(str::to_owned)
}

fn int_at(v: &Value, path: &[&str]) -> Option<i64> {
    let mut cur = v;
    for key in path {
        cur = cur.get(*key)?;
    }
    cur.as_i64()
        .or_else(|| cur.as_str().and_then(|s| s.parse().ok()))
}

/// A string map (`labels`, `nodeSelector`) as pairs, in the order given.
fn pairs_at(v: &Value, path: &[&str]) -> Vec<(String, String)> {
    let mut cur = v;
    for key in path {
        match cur.get(*key) {
            Some(next) => cur = next,
            None => return Vec::new(),
        }
    }
    cur.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn map_object(v: &Value, span: (usize, usize), section: SectionKind, out: &mut Output) {
    let (line, end) = span;
    match kind_of(v) {
        "Pod" => {
            for w in pod(v) {
                out.record(section, line, end, RecordData::Workload(w));
            }
        }
        "Node" => {
            if let Some(h) = node(v) {
                out.record(section, line, end, RecordData::Host(h));
            }
        }
        "Event" => {
            if let Some(e) = event(v) {
                out.record(section, line, end, RecordData::Event(e));
            }
        }
        _ => {}
    }
}

/// `state: {waiting: {reason, message}}` / `{terminated: {reason, message, exitCode}}` / `{running: …}`.
fn state_info(v: Option<&Value>) -> StateInfo {
    let Some(obj) = v.and_then(Value::as_object) else {
        return StateInfo::default();
    };
    for (key, name) in [
        ("terminated", "Terminated"),
        ("waiting", "Waiting"),
        ("running", "Running"),
    ] {
        if let Some(s) = obj.get(key).filter(|s| !s.is_null()) {
            return StateInfo {
                state: Some(name.to_owned()),
                reason: owned_at(s, &["reason"]),
                message: owned_at(s, &["message"]),
                exit_code: int_at(s, &["exitCode"]),
            };
        }
    }
    StateInfo::default()
}

/// One workload per container of a Pod (init containers first), from
/// `status.containerStatuses[]` joined to `spec.containers[]` by name.
fn pod(v: &Value) -> Vec<Workload> {
    let Some(name) = str_at(v, &["metadata", "name"]) else {
        return Vec::new();
    };
    let annotations = pairs_at(v, &["metadata", "annotations"]);
    let isolation = isolation_from_annotations(
        annotations
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    let mut out = Vec::new();
    for (spec_key, status_key) in [
        ("initContainers", "initContainerStatuses"),
        ("containers", "containerStatuses"),
    ] {
        let specs: &[Value] = v
            .get("spec")
            .and_then(|s| s.get(spec_key))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let statuses: &[Value] = v
            .get("status")
            .and_then(|s| s.get(status_key))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let mut names: Vec<&str> = specs.iter().filter_map(|c| str_at(c, &["name"])).collect();
        for s in statuses {
            if let Some(n) = str_at(s, &["name"]) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        for cname in names {
            let spec = specs.iter().find(|c| str_at(c, &["name"]) == Some(cname));
            let status = statuses
                .iter()
                .find(|c| str_at(c, &["name"]) == Some(cname));
            let mut w = Workload::new(WorkloadKind::Pod, name);
            w.namespace = owned_at(v, &["metadata", "namespace"]);
            w.container_name = Some(cname.to_owned());
            w.node = owned_at(v, &["spec", "nodeName"]);
            w.node_selector = pairs_at(v, &["spec", "nodeSelector"]);
            w.runtime_class = owned_at(v, &["spec", "runtimeClassName"]);
            w.isolation = isolation;
            w.image = spec
                .and_then(|c| owned_at(c, &["image"]))
                .or_else(|| status.and_then(|c| owned_at(c, &["image"])));
            if let Some(s) = status {
                w.image_id = owned_at(s, &["imageID"]);
                w.container_id = owned_at(s, &["containerID"]);
                w.restart_count = int_at(s, &["restartCount"]).and_then(|c| u64::try_from(c).ok());
                apply_states(
                    &mut w,
                    &state_info(s.get("state")),
                    &state_info(s.get("lastState")),
                );
            }
            out.push(w);
        }
    }
    out
}

/// A Node: `status.nodeInfo` (kernelVersion `10.0.20348.2340`, osImage,
/// operatingSystem, containerRuntimeVersion), labels, addresses, Ready.
fn node(v: &Value) -> Option<HostFacts> {
    let name = owned_at(v, &["metadata", "name"])?;
    let labels = pairs_at(v, &["metadata", "labels"]);
    let info = |key: &str| owned_at(v, &["status", "nodeInfo", key]);
    let os_image = info("osImage");
    let (version, version_text) = host_version(
        info("kernelVersion").as_deref(),
        os_image.as_deref(),
        label(&labels, WINDOWS_BUILD_LABEL).as_deref(),
    );
    let status = v.get("status");
    let addresses = status
        .and_then(|s| s.get("addresses"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|x| str_at(x, &["type"]).is_some_and(|t| t.ends_with("IP")))
                .filter_map(|x| owned_at(x, &["address"]))
                .collect()
        })
        .unwrap_or_default();
    let ready = status
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .and_then(|c| c.iter().find(|x| str_at(x, &["type"]) == Some("Ready")))
        .and_then(|x| str_at(x, &["status"]))
        .and_then(ready_status);
    Some(HostFacts {
        name: Some(name),
        version,
        version_text,
        kind: os_image.as_deref().and_then(host_kind),
        os_name: os_image,
        os_type: info("operatingSystem").or_else(|| label(&labels, "kubernetes.io/os")),
        runtime: info("containerRuntimeVersion"),
        default_isolation: None,
        labels,
        addresses,
        status: ready,
    })
}

/// A core/v1 Event (`involvedObject`, `source`, `count`, `firstTimestamp`…)
/// or an events.k8s.io/v1 Event (`regarding`, `note`, `series.count`,
/// `reportingController`, `deprecated*`).
fn event(v: &Value) -> Option<Event> {
    let target = v.get("involvedObject").or_else(|| v.get("regarding"));
    let object = target.and_then(|t| {
        let name = str_at(t, &["name"])?;
        Some(match str_at(t, &["kind"]) {
            Some(kind) => format!("{}/{name}", kind.to_ascii_lowercase()),
            None => name.to_owned(),
        })
    });
    let source = owned_at(v, &["source", "component"])
        .or_else(|| owned_at(v, &["deprecatedSource", "component"]))
        .or_else(|| owned_at(v, &["reportingController"]))
        .or_else(|| owned_at(v, &["reportingComponent"]));
    let from_kubelet = source.as_deref().is_some_and(|s| s == "kubelet");
    let node = owned_at(v, &["source", "host"])
        .or_else(|| owned_at(v, &["deprecatedSource", "host"]))
        .or_else(|| {
            from_kubelet
                .then(|| owned_at(v, &["reportingInstance"]))
                .flatten()
        })
        .or_else(|| {
            object
                .as_deref()
                .and_then(|o| o.strip_prefix("node/"))
                .map(str::to_owned)
        });
    let count = int_at(v, &["count"])
        .or_else(|| int_at(v, &["series", "count"]))
        .or_else(|| int_at(v, &["deprecatedCount"]))
        .and_then(|c| u64::try_from(c).ok())
        .unwrap_or(1)
        .max(1);
    let message = owned_at(v, &["message"]).or_else(|| owned_at(v, &["note"]));
    let reason = owned_at(v, &["reason"]);
    if message.is_none() && reason.is_none() {
        return None;
    }
    Some(Event {
        object,
        namespace: target
            .and_then(|t| owned_at(t, &["namespace"]))
            .or_else(|| owned_at(v, &["metadata", "namespace"])),
        event_type: owned_at(v, &["type"]),
        reason: reason.unwrap_or_default(),
        source,
        node,
        count,
        first_seen: owned_at(v, &["firstTimestamp"])
            .or_else(|| owned_at(v, &["deprecatedFirstTimestamp"]))
            .or_else(|| owned_at(v, &["eventTime"])),
        last_seen: owned_at(v, &["lastTimestamp"])
            .or_else(|| owned_at(v, &["series", "lastObservedTime"]))
            .or_else(|| owned_at(v, &["deprecatedLastTimestamp"]))
            .or_else(|| owned_at(v, &["eventTime"])),
        message: message.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HostKind, WindowsVersion};

    fn parse(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    const JSON_LIST: &str = r#"$ kubectl get pods,nodes,events -n billing -o json
{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "ledger-7f9c-abcde",
                "namespace": "billing"
            },
            "spec": {
                "containers": [
                    {
                        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
                        "name": "ledger"
                    }
                ],
                "nodeName": "win25-pool-0",
                "nodeSelector": {
                    "kubernetes.io/os": "windows"
                },
                "runtimeClassName": "windows-2025"
            },
            "status": {
                "containerStatuses": [
                    {
                        "containerID": "containerd://c0ffee",
                        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
                        "imageID": "mcr.microsoft.com/dotnet/framework/aspnet@sha256:1234",
                        "lastState": {
                            "terminated": {
                                "exitCode": 128,
                                "message": "failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem c0ffee: The container operating system does not match the host operating system.: unknown",
                                "reason": "StartError"
                            }
                        },
                        "name": "ledger",
                        "restartCount": 7,
                        "state": {
                            "waiting": {
                                "message": "back-off 5m0s restarting failed container=ledger",
                                "reason": "CrashLoopBackOff"
                            }
                        }
                    }
                ]
            }
        },
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "labels": {
                    "kubernetes.io/os": "windows",
                    "node.kubernetes.io/windows-build": "10.0.26100"
                },
                "name": "win25-pool-0"
            },
            "status": {
                "addresses": [
                    { "address": "10.50.0.7", "type": "InternalIP" },
                    { "address": "win25-pool-0", "type": "Hostname" }
                ],
                "conditions": [
                    { "status": "True", "type": "Ready" }
                ],
                "nodeInfo": {
                    "containerRuntimeVersion": "containerd://1.7.20",
                    "kernelVersion": "10.0.26100.2894",
                    "operatingSystem": "windows",
                    "osImage": "Windows Server 2025 Datacenter"
                }
            }
        },
        {
            "apiVersion": "v1",
            "count": 9,
            "firstTimestamp": "2026-03-02T10:00:00Z",
            "involvedObject": { "kind": "Pod", "name": "ledger-7f9c-abcde", "namespace": "billing" },
            "kind": "Event",
            "lastTimestamp": "2026-03-02T10:20:00Z",
            "message": "Error: failed to create containerd task: hcs::CreateComputeSystem c0ffee: The container operating system does not match the host operating system.: unknown",
            "metadata": { "name": "ledger-7f9c-abcde.1", "namespace": "billing" },
            "reason": "Failed",
            "source": { "component": "kubelet", "host": "win25-pool-0" },
            "type": "Warning"
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
"#;

    #[test]
    fn json_list_of_pods_nodes_events() {
        let out = parse(JSON_LIST);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::KubeJson);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 94));

        let ws = out.workloads();
        assert_eq!(ws.len(), 1);
        let (rec, w) = ws[0];
        assert_eq!((rec.line, rec.end_line), (5, 49));
        assert_eq!(w.name, "ledger-7f9c-abcde");
        assert_eq!(w.namespace.as_deref(), Some("billing"));
        assert_eq!(w.container_name.as_deref(), Some("ledger"));
        assert_eq!(w.node.as_deref(), Some("win25-pool-0"));
        assert_eq!(
            w.image.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019")
        );
        assert_eq!(w.container_id.as_deref(), Some("containerd://c0ffee"));
        assert_eq!(w.state.as_deref(), Some("Waiting (CrashLoopBackOff)"));
        assert_eq!(w.reason.as_deref(), Some("StartError"));
        assert!(w
            .error
            .as_deref()
            .unwrap()
            .contains("hcs::CreateComputeSystem"));
        assert_eq!(w.exit_code, Some(128));
        assert_eq!(w.restart_count, Some(7));
        assert_eq!(
            w.node_selector,
            vec![("kubernetes.io/os".to_owned(), "windows".to_owned())]
        );
        assert_eq!(w.runtime_class.as_deref(), Some("windows-2025"));

        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        let (rec, h) = hs[0];
        assert_eq!((rec.line, rec.end_line), (50, 75));
        assert_eq!(h.name.as_deref(), Some("win25-pool-0"));
        assert_eq!(h.version, Some(WindowsVersion::new(26100, Some(2894))));
        assert_eq!(h.os_name.as_deref(), Some("Windows Server 2025 Datacenter"));
        assert_eq!(h.kind, Some(HostKind::Server));
        assert_eq!(h.runtime.as_deref(), Some("containerd://1.7.20"));
        assert_eq!(h.addresses, vec!["10.50.0.7".to_owned()]);
        assert_eq!(h.status.as_deref(), Some("Ready"));

        let evs = out.events();
        assert_eq!(evs.len(), 1);
        let (rec, e) = evs[0];
        assert_eq!((rec.line, rec.end_line), (76, 88));
        assert_eq!(e.object.as_deref(), Some("pod/ledger-7f9c-abcde"));
        assert_eq!(e.namespace.as_deref(), Some("billing"));
        assert_eq!(e.event_type.as_deref(), Some("Warning"));
        assert_eq!(e.reason, "Failed");
        assert_eq!(e.source.as_deref(), Some("kubelet"));
        assert_eq!(e.node.as_deref(), Some("win25-pool-0"));
        assert_eq!(e.count, 9);
        assert_eq!(e.first_seen.as_deref(), Some("2026-03-02T10:00:00Z"));
        assert_eq!(e.last_seen.as_deref(), Some("2026-03-02T10:20:00Z"));
    }

    #[test]
    fn events_k8s_io_v1_event() {
        let text = r#"{"apiVersion":"events.k8s.io/v1","kind":"Event","regarding":{"kind":"Pod","name":"p1","namespace":"ns"},"note":"Error: boom","reason":"Failed","type":"Warning","reportingController":"kubelet","reportingInstance":"win-n1","series":{"count":12,"lastObservedTime":"2026-01-01T00:00:00Z"},"eventTime":"2025-12-31T23:00:00Z"}"#;
        let out = parse(text);
        let evs = out.events();
        assert_eq!(evs.len(), 1);
        let e = evs[0].1;
        assert_eq!(e.object.as_deref(), Some("pod/p1"));
        assert_eq!(e.message, "Error: boom");
        assert_eq!(e.count, 12);
        assert_eq!(e.source.as_deref(), Some("kubelet"));
        assert_eq!(e.node.as_deref(), Some("win-n1"));
        assert_eq!(e.first_seen.as_deref(), Some("2025-12-31T23:00:00Z"));
        assert_eq!(e.last_seen.as_deref(), Some("2026-01-01T00:00:00Z"));
    }

    const YAML_NODE: &str = "\
$ kubectl get node win-k8s-node-07 -o yaml
apiVersion: v1
kind: Node
metadata:
  labels:
    kubernetes.io/os: windows
    node.kubernetes.io/windows-build: 10.0.17763
  name: win-k8s-node-07
status:
  addresses:
  - address: 192.168.40.17
    type: InternalIP
  conditions:
  - status: \"False\"
    type: Ready
  nodeInfo:
    containerRuntimeVersion: containerd://1.7.13
    kernelVersion: 10.0.17763.4974
    operatingSystem: windows
    osImage: Windows Server 2019 Standard

Name:             not-yaml
Namespace:        default
";

    #[test]
    fn yaml_node_document() {
        let out = parse(YAML_NODE);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::KubeYaml);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 20));
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        let h = hs[0].1;
        assert_eq!(h.name.as_deref(), Some("win-k8s-node-07"));
        assert_eq!(h.version, Some(WindowsVersion::new(17763, Some(4974))));
        assert_eq!(h.version_text.as_deref(), Some("10.0.17763.4974"));
        assert_eq!(h.status.as_deref(), Some("NotReady"));
        assert_eq!(h.os_type.as_deref(), Some("windows"));
        assert_eq!(h.addresses, vec!["192.168.40.17".to_owned()]);
    }

    #[test]
    fn yaml_list_and_multi_doc() {
        let text = "\
apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: a-1
    namespace: ns1
  spec:
    containers:
    - image: example/a:1
      name: a
    nodeName: n1
  status:
    containerStatuses:
    - name: a
      image: example/a:1
      restartCount: 0
      state:
        running:
          startedAt: \"2026-01-01T00:00:00Z\"
- apiVersion: v1
  kind: Pod
  metadata:
    name: b-1
    namespace: ns1
  spec:
    containers:
    - image: example/b:1
      name: b
kind: List
metadata:
  resourceVersion: \"\"
---
apiVersion: v1
kind: Event
involvedObject:
  kind: Pod
  name: b-1
  namespace: ns1
message: |
  Error: first line

  second paragraph
reason: Failed
type: Warning
";
        let out = parse(text);
        assert_eq!(out.sections.len(), 2);
        let ws = out.workloads();
        assert_eq!(ws.len(), 2);
        assert_eq!((ws[0].0.line, ws[0].0.end_line), (3, 20));
        assert!(ws[0].1.running);
        assert_eq!(ws[0].1.state.as_deref(), Some("Running"));
        assert_eq!((ws[1].0.line, ws[1].0.end_line), (21, 29));
        assert_eq!(ws[1].1.image.as_deref(), Some("example/b:1"));
        assert_eq!(ws[1].1.state, None);
        let evs = out.events();
        assert_eq!(evs.len(), 1);
        assert_eq!((evs[0].0.line, evs[0].0.end_line), (34, 45));
        assert_eq!(evs[0].1.message, "Error: first line\n\nsecond paragraph\n");
    }

    #[test]
    fn other_json_is_ignored() {
        let out = parse(
            "[{\"Id\": \"sha256:1\", \"Os\": \"windows\"}]\napiVersion: v1\nkind: ConfigMap\n",
        );
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "{\"kind\":\"List\",\"items\":[1,null,{\"kind\":\"Pod\"}]}",
            "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":[{\"name\":5,\"restartCount\":-1}]}}",
            "apiVersion: v1\nkind: Pod\nmetadata: [\n",
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: é\nstatus: 3\n",
        ] {
            let _ = parse(text);
        }
    }
}
