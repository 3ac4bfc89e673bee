//! JSON printed by `docker node inspect`, `docker image inspect`,
//! `docker inspect <container>`, `docker service inspect`,
//! `docker manifest inspect` and
//! `docker buildx imagetools inspect --raw`, read into host, image and
//! workload records.
//!
//! Each JSON value that starts a line (`Doc::json_blocks`, arrays or single
//! objects) is classified by its shape (which keys it has), never by a file
//! name. A container inspect that is cut or wrapped so that it is no longer
//! JSON (corpus N03) is read key by key from its lines instead. This module
//! must not know which builds are compatible nor how reports look; the HCS
//! `extra info` inside `State.Error` is left for the failure recogniser.

use super::doc::{Doc, JsonBlock, Output};
use super::gated::Gated;
use crate::model::version::parse_any;
use crate::model::{
    HostFacts, ImageFacts, ImageOrigin, Isolation, PlatformEntry, RecordData, SectionKind,
    Workload, WorkloadKind,
};
use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

/// How many lines above a JSON value are searched for the command that
/// printed it.
const COMMAND_LOOKBACK: usize = 4;
/// How many lines a loose (non-JSON) container inspect is read over.
const LOOSE_SPAN: usize = 400;

/// Literals (lower case) of the inspect documents, for the streaming
/// prefilter (`super::prefilter`): `OsVersion`, which image and node
/// inspects carry.
pub const LITERALS: &[&str] = &["osversion"];

/// Scan `doc` for docker inspect JSON.
pub fn scan(doc: &Doc, out: &mut Output) {
    let blocks = doc.json_blocks();
    for block in &blocks {
        scan_block(doc, block, out);
    }
    scan_loose_containers(doc, &blocks, out);
}

/// The objects of a block: the elements of a top-level array, or the value.
fn objects(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().filter(|v| v.is_object()).collect(),
        Value::Object(_) => vec![value],
        _ => Vec::new(),
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn owned_at(v: &Value, pointer: &str) -> Option<String> {
    str_at(v, pointer).map(str::to_owned)
}

/// What kind of inspect output an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Node,
    Image,
    Container,
    Service,
    Manifest,
}

fn shape(v: &Value) -> Option<Shape> {
    if v.pointer("/Description/Hostname").is_some() || v.pointer("/Description/Platform").is_some()
    {
        Some(Shape::Node)
    } else if v.get("State").is_some_and(Value::is_object)
        && (v.get("HostConfig").is_some() || v.get("Config").is_some())
    {
        Some(Shape::Container)
    } else if v.pointer("/Spec/TaskTemplate").is_some() && v.pointer("/Spec/Name").is_some() {
        Some(Shape::Service)
    } else if v.get("RepoTags").is_some() || (v.get("RootFS").is_some() && v.get("Os").is_some()) {
        Some(Shape::Image)
    } else if v.get("manifests").is_some_and(Value::is_array)
        || v.pointer("/Descriptor/platform").is_some()
    {
        Some(Shape::Manifest)
    } else {
        None
    }
}

/// 1-based line of the first line in `from..=to` (1-based) containing
/// `needle`, or `from`.
fn line_of(doc: &Doc, from: usize, to: usize, needle: &str) -> usize {
    (from..=to)
        .find(|&n| doc.line(n).contains(needle))
        .unwrap_or(from)
}

fn scan_block(doc: &Doc, block: &JsonBlock, out: &mut Output) {
    let objs = objects(&block.value);
    let mut kinds: Vec<SectionKind> = Vec::new();
    // Elements of an array are found in order: search from a cursor so that
    // each record points at its own element's line.
    let mut cursor = block.line;
    let mut manifest_entries: Vec<PlatformEntry> = Vec::new();
    for obj in &objs {
        let Some(shape) = shape(obj) else { continue };
        match shape {
            Shape::Node => {
                let line = line_of(doc, cursor, block.end_line, "\"Hostname\"");
                cursor = line;
                out.record(
                    SectionKind::DockerNodeInspect,
                    line,
                    block.end_line,
                    RecordData::Host(node_host(obj)),
                );
                kinds.push(SectionKind::DockerNodeInspect);
            }
            Shape::Image => {
                let line = line_of(doc, cursor, block.end_line, "\"Id\"");
                let facts = image_facts(obj);
                let vline = line_of(doc, line, block.end_line, "\"OsVersion\"");
                cursor = line + 1;
                out.record(
                    SectionKind::DockerImageInspect,
                    if facts.os_version.is_some() {
                        vline
                    } else {
                        line
                    },
                    block.end_line,
                    RecordData::Image(facts),
                );
                kinds.push(SectionKind::DockerImageInspect);
            }
            Shape::Container => {
                let line = line_of(doc, cursor, block.end_line, "\"Id\"");
                cursor = line + 1;
                let w = container_workload(obj);
                let eline = if w.error.is_some() {
                    line_of(doc, line, block.end_line, "\"Error\"")
                } else {
                    line
                };
                out.record(
                    SectionKind::DockerContainerInspect,
                    eline,
                    block.end_line,
                    RecordData::Workload(w),
                );
                kinds.push(SectionKind::DockerContainerInspect);
            }
            Shape::Service => {
                let line = line_of(doc, cursor, block.end_line, "\"ID\"");
                cursor = line + 1;
                out.record(
                    SectionKind::DockerServiceInspect,
                    line,
                    block.end_line,
                    RecordData::Workload(service_workload(obj)),
                );
                kinds.push(SectionKind::DockerServiceInspect);
            }
            Shape::Manifest => {
                if let Some(list) = obj.get("manifests").and_then(Value::as_array) {
                    manifest_entries.extend(list.iter().map(platform_entry));
                } else if let Some(desc) = obj.get("Descriptor") {
                    // quirk_manifest_verbose: `docker manifest inspect
                    // --verbose` prints an array of {Ref, Descriptor, …}.
                    manifest_entries.push(platform_entry(desc));
                }
                kinds.push(SectionKind::DockerManifest);
            }
        }
    }
    if kinds.contains(&SectionKind::DockerManifest) {
        let verbose_ref = objs
            .iter()
            .find_map(|o| str_at(o, "/Ref"))
            .map(|r| r.split('@').next().unwrap_or(r).to_owned());
        let reference = preceding_reference(doc, block.line).or(verbose_ref);
        out.record(
            SectionKind::DockerManifest,
            block.line,
            block.end_line,
            RecordData::Image(ImageFacts {
                origin: ImageOrigin::Manifest,
                reference,
                aliases: Vec::new(),
                os: None,
                os_version: None,
                layers: Vec::new(),
                platforms: manifest_entries,
            }),
        );
    }
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        out.section(kind, block.line, block.end_line);
    }
}

/// `docker node inspect` → host facts.
///
/// ```text
/// "Spec": { "Labels": { "OsVersion": "10.0.20348" } },
/// "Description": { "Hostname": "WINSWARM-02",
///   "Platform": { "Architecture": "x86_64", "OS": "windows" },
///   "Engine": { "EngineVersion": "24.0.7" } },
/// "Status": { "State": "ready", "Addr": "10.20.0.12" }
/// ```
fn node_host(v: &Value) -> HostFacts {
    let mut host = HostFacts {
        name: owned_at(v, "/Description/Hostname"),
        os_type: str_at(v, "/Description/Platform/OS").map(str::to_ascii_lowercase),
        runtime: str_at(v, "/Description/Engine/EngineVersion").map(|e| format!("docker {e}")),
        status: owned_at(v, "/Status/State"),
        ..HostFacts::default()
    };
    if let Some(addr) = owned_at(v, "/Status/Addr") {
        host.addresses.push(addr);
    }
    // Node labels (Spec.Labels, set by `docker node update --label-add`)
    // first, then engine labels (daemon.json `labels`).
    for pointer in ["/Spec/Labels", "/Description/Engine/Labels"] {
        if let Some(map) = v.pointer(pointer).and_then(Value::as_object) {
            for (k, val) in map {
                if let Some(s) = val.as_str() {
                    host.labels.push((k.clone(), s.to_owned()));
                }
            }
        }
    }
    // The Microsoft docs' remedy labels nodes with `OsVersion`; any label
    // whose value is a Windows version will do, OS-ish keys first.
    let mut candidates: Vec<&(String, String)> = host.labels.iter().collect();
    candidates.sort_by_key(|(k, _)| {
        let k = k.to_ascii_lowercase();
        !(k.contains("osversion") || k.contains("os.version") || k.contains("build"))
    });
    let found = candidates
        .into_iter()
        .find_map(|(_, val)| parse_any(val).ok().map(|ver| (ver, val.clone())));
    if let Some((ver, text)) = found {
        host.version = Some(ver);
        host.version_text = Some(text);
    }
    host
}

/// `docker image inspect` → image facts.
///
/// ```text
/// "Id": "sha256:5c1f…", "RepoTags": ["contoso/app:1.0"], "RepoDigests": […],
/// "Os": "windows", "OsVersion": "10.0.17763.5329", "Architecture": "amd64",
/// "RootFS": { "Type": "layers", "Layers": ["sha256:…"] }
/// ```
fn image_facts(v: &Value) -> ImageFacts {
    let strings = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let tags = strings("RepoTags");
    let digests = strings("RepoDigests");
    let reference = tags.first().cloned().or_else(|| digests.first().cloned());
    let mut aliases: Vec<String> = tags.into_iter().chain(digests).collect();
    if let Some(id) = owned_at(v, "/Id") {
        aliases.push(id);
    }
    let layers = v
        .pointer("/RootFS/Layers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    ImageFacts {
        origin: ImageOrigin::Inspect,
        reference,
        aliases,
        os: str_at(v, "/Os").map(str::to_ascii_lowercase),
        os_version: str_at(v, "/OsVersion").and_then(|s| parse_any(s).ok()),
        layers,
        platforms: Vec::new(),
    }
}

/// `process` / `hyperv`; `default` and empty mean "the daemon's default".
fn isolation(text: &str) -> Option<Isolation> {
    match text.trim().to_ascii_lowercase().as_str() {
        "process" => Some(Isolation::Process),
        "hyperv" | "hyper-v" => Some(Isolation::Hyperv),
        _ => None,
    }
}

/// `docker inspect <container>` → workload.
///
/// ```text
/// "Id": "7c1e…", "Name": "/web", "Image": "sha256:…",
/// "State": { "Status": "created", "Running": false, "ExitCode": 128,
///            "Error": "hcs::CreateComputeSystem 7c1e…: The container operating system …" },
/// "HostConfig": { "Isolation": "process" }, "Config": { "Image": "contoso/app:1.0" }
/// ```
fn container_workload(v: &Value) -> Workload {
    let id = owned_at(v, "/Id");
    let name = str_at(v, "/Name")
        .map(|n| n.trim_start_matches('/').to_owned())
        .or_else(|| id.clone())
        .unwrap_or_default();
    let mut w = Workload::new(WorkloadKind::Container, name);
    w.container_id = id;
    w.image = owned_at(v, "/Config/Image");
    w.image_id = owned_at(v, "/Image");
    w.state = owned_at(v, "/State/Status");
    w.error = owned_at(v, "/State/Error");
    w.exit_code = v.pointer("/State/ExitCode").and_then(Value::as_i64);
    w.running = v
        .pointer("/State/Running")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    w.isolation = str_at(v, "/HostConfig/Isolation").and_then(isolation);
    w
}

/// `docker service inspect` → the service, its image and isolation
/// (`default` is the daemon's, so left unknown).
///
/// ```text
/// "Spec": { "Name": "batch-runner",
///   "TaskTemplate": { "ContainerSpec": { "Image": "…servercore:ltsc2019@sha256:…",
///     "Isolation": "hyperv" } },
///   "Mode": { "Replicated": { "Replicas": 2 } } }
/// ```
fn service_workload(v: &Value) -> Workload {
    let mut w = Workload::new(
        WorkloadKind::Service,
        str_at(v, "/Spec/Name").unwrap_or_default(),
    );
    w.image = owned_at(v, "/Spec/TaskTemplate/ContainerSpec/Image");
    w.isolation = str_at(v, "/Spec/TaskTemplate/ContainerSpec/Isolation").and_then(isolation);
    w
}

/// One `manifests[]` entry (or a verbose `Descriptor`).
///
/// ```text
/// { "digest": "sha256:…", "platform": { "architecture": "amd64", "os": "windows",
///   "os.version": "10.0.17763.5329", "os.features": ["win32k"] } }
/// ```
fn platform_entry(m: &Value) -> PlatformEntry {
    PlatformEntry {
        os: owned_at(m, "/platform/os"),
        architecture: owned_at(m, "/platform/architecture"),
        os_version: m
            .get("platform")
            .and_then(|p| p.get("os.version"))
            .and_then(Value::as_str)
            .and_then(|s| parse_any(s).ok()),
        os_features: m
            .get("platform")
            .and_then(|p| p.get("os.features"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        digest: owned_at(m, "/digest"),
    }
}

fn manifest_command_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:docker\s+manifest\s+inspect|docker\s+buildx\s+imagetools\s+inspect|crane\s+manifest|regctl\s+manifest\s+get|skopeo\s+inspect)((?:\s+\S+)+)",
        )
        .expect("static regex")
    })
}

/// The image named by the command just above a manifest
/// (`$ docker manifest inspect mcr.microsoft.com/dotnet/framework/runtime:4.8`);
/// flags (`--verbose`, `--raw`, `--insecure`) are skipped.
fn preceding_reference(doc: &Doc, line: usize) -> Option<String> {
    let from = line.saturating_sub(COMMAND_LOOKBACK).max(1);
    (from..line).rev().find_map(|n| {
        let caps = manifest_command_re().captures(doc.line(n))?;
        let args = caps.get(1)?.as_str();
        args.split_whitespace()
            .find(|a| !a.starts_with('-'))
            .map(|a| {
                a.trim_matches(|c| c == '`' || c == '"' || c == '\'')
                    .to_owned()
            })
            .map(|a| a.strip_prefix("docker://").unwrap_or(&a).to_owned())
    })
}

fn loose_re() -> &'static Gated {
    static RE: Gated = Gated::new(&["\":"], || {
        Regex::new(r#"^[\s`]*"(Id|Name|Image|Status|Error|ExitCode|Isolation|Running)":\s*(.*)$"#)
            .expect("static regex")
    });
    &RE
}

/// quirk_loose_container_inspect: a `docker inspect` pasted inside
/// backticks, hard-wrapped inside strings and cut before its end (corpus
/// N03, sig-windows-tools#91) is not JSON; read its key lines instead. Only
/// lines outside parsed JSON blocks are considered, starting at an
/// `"Id": "<64 hex>"` line.
fn scan_loose_containers(doc: &Doc, blocks: &[JsonBlock], out: &mut Output) {
    let inside = |n: usize| blocks.iter().any(|b| b.line <= n && n <= b.end_line);
    let mut n = 1;
    while n <= doc.len() {
        let l = doc.line(n);
        let is_start = !inside(n)
            && loose_re()
                .captures(l)
                .is_some_and(|c| c.get(1).is_some_and(|k| k.as_str() == "Id"))
            && l.contains("\"Id\"");
        if !is_start {
            n += 1;
            continue;
        }
        let end = read_loose_container(doc, n, &inside, out);
        n = end + 1;
    }
}

/// Read one loose container inspect starting at 1-based `start`; returns
/// its last line.
fn read_loose_container(
    doc: &Doc,
    start: usize,
    inside: &dyn Fn(usize) -> bool,
    out: &mut Output,
) -> usize {
    let mut w = Workload::new(WorkloadKind::Container, "");
    let mut has_state = false;
    let mut error_line = None;
    let mut last = start;
    let mut n = start;
    let stop = (start + LOOSE_SPAN).min(doc.len());
    while n <= stop {
        if n > start && inside(n) {
            break;
        }
        let l = doc.line(n);
        if n > start && l.contains("\"Id\"") {
            break; // the next container of an array
        }
        last = n;
        if l.contains("\"State\"") {
            has_state = true;
        }
        let Some(c) = loose_re().captures(l) else {
            n += 1;
            continue;
        };
        let key = c.get(1).map_or("", |m| m.as_str());
        let raw = c.get(2).map_or("", |m| m.as_str());
        match key {
            "Error" => {
                // The string may continue over hard-wrapped lines.
                let mut text = raw.to_owned();
                while !string_closed(&text) && n < stop {
                    n += 1;
                    last = n;
                    text.push_str(doc.line(n));
                }
                let s = lenient_json_string(&text);
                if !s.is_empty() {
                    w.error = Some(s);
                    error_line = Some(start.max(last.min(n)));
                }
            }
            "ExitCode" => {
                w.exit_code = raw.trim_end_matches(',').trim().parse().ok();
            }
            "Running" => w.running = raw.trim_start().starts_with("true"),
            _ => {
                let s = lenient_json_string(raw);
                match key {
                    "Id" if w.container_id.is_none() => w.container_id = Some(s),
                    "Name" if w.name.is_empty() => w.name = s.trim_start_matches('/').to_owned(),
                    "Image" if w.image_id.is_none() => w.image_id = Some(s),
                    "Status" if w.state.is_none() => w.state = Some(s),
                    "Isolation" => w.isolation = isolation(&s),
                    _ => {}
                }
            }
        }
        n += 1;
    }
    if !has_state {
        return last;
    }
    if w.name.is_empty() {
        w.name = w.container_id.clone().unwrap_or_default();
    }
    out.section(SectionKind::DockerContainerInspect, start, last);
    let line = error_line
        .map(|_| line_of(doc, start, last, "\"Error\""))
        .unwrap_or(start);
    out.record(
        SectionKind::DockerContainerInspect,
        line,
        last,
        RecordData::Workload(w),
    );
    last
}

/// True when `text` (starting at a JSON string's opening quote) holds the
/// closing quote.
fn string_closed(text: &str) -> bool {
    let t = text.trim_start();
    let Some(body) = t.strip_prefix('"') else {
        return true;
    };
    let mut escaped = false;
    for c in body.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return true,
            _ => {}
        }
    }
    false
}

/// Decode a JSON string value that may be cut: `"a\nb",` → `a` newline `b`;
/// an unterminated `"abc\` → `abc`.
fn lenient_json_string(raw: &str) -> String {
    let t = raw.trim();
    let Some(body) = t.strip_prefix('"') else {
        return t.trim_end_matches(',').to_owned();
    };
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                }
                Some(other) => out.push(other),
                None => break,
            },
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WindowsVersion;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn service_inspect_gives_the_service_image_and_isolation() {
        let text = r#"[
    {
        "ID": "s1b2a3t4c5h6r7u8n9n0e1r2s",
        "Version": { "Index": 120 },
        "Spec": {
            "Name": "batch-runner",
            "TaskTemplate": {
                "ContainerSpec": {
                    "Image": "mcr.microsoft.com/windows/servercore:ltsc2019",
                    "Isolation": "hyperv"
                },
                "Runtime": "container"
            },
            "Mode": { "Replicated": { "Replicas": 1 } }
        }
    },
    {
        "ID": "p1o2r3t4a5l6s7e8r9v0i1c2e",
        "Spec": {
            "Name": "portal",
            "TaskTemplate": { "ContainerSpec": { "Image": "portal:2", "Isolation": "default" } }
        }
    }
]"#;
        let out = run(text);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::DockerServiceInspect);
        let ws: Vec<(&Workload, usize)> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Workload(w) => Some((w, r.line)),
                _ => None,
            })
            .collect();
        assert_eq!(ws.len(), 2);
        let (batch, line) = ws[0];
        assert_eq!(line, 3);
        assert_eq!(batch.kind, WorkloadKind::Service);
        assert_eq!(batch.name, "batch-runner");
        assert_eq!(
            batch.image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert_eq!(batch.isolation, Some(Isolation::Hyperv));
        let (portal, line) = ws[1];
        assert_eq!(line, 18);
        assert_eq!(portal.name, "portal");
        assert_eq!(portal.isolation, None, "`default` is the daemon's choice");
    }

    #[test]
    fn node_inspect_with_os_version_label() {
        let text = r#"PS C:\> docker node inspect WINSWARM-02
[
    {
        "ID": "z1x2c3v4b5n6m7q8w9e0r1t2y",
        "Spec": {
            "Labels": { "os": "windows", "OsVersion": "10.0.20348" },
            "Role": "worker"
        },
        "Description": {
            "Hostname": "WINSWARM-02",
            "Platform": { "Architecture": "x86_64", "OS": "windows" },
            "Engine": { "EngineVersion": "24.0.7" }
        },
        "Status": { "State": "ready", "Addr": "10.20.0.12" }
    }
]"#;
        let out = run(text);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::DockerNodeInspect);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 16));
        let r = &out.records[0];
        assert_eq!(r.line, 10);
        let RecordData::Host(h) = &r.data else {
            panic!("expected host")
        };
        assert_eq!(h.name.as_deref(), Some("WINSWARM-02"));
        assert_eq!(h.os_type.as_deref(), Some("windows"));
        assert_eq!(h.runtime.as_deref(), Some("docker 24.0.7"));
        assert_eq!(h.status.as_deref(), Some("ready"));
        assert_eq!(h.version, Some(WindowsVersion::new(20348, None)));
        assert_eq!(h.version_text.as_deref(), Some("10.0.20348"));
        assert_eq!(h.addresses, ["10.20.0.12"]);
        assert_eq!(h.labels.len(), 2);
    }

    #[test]
    fn image_inspect_single_object() {
        let text = r#"{
  "Id": "sha256:5c1f0a9e",
  "RepoTags": ["contoso/orders:2.3-ltsc2019"],
  "RepoDigests": ["contoso/orders@sha256:77aa"],
  "Architecture": "amd64",
  "Os": "windows",
  "OsVersion": "10.0.17763.5329",
  "RootFS": { "Type": "layers", "Layers": ["sha256:aa", "sha256:bb"] }
}"#;
        let out = run(text);
        assert_eq!(out.sections[0].kind, SectionKind::DockerImageInspect);
        let r = &out.records[0];
        assert_eq!(r.line, 7, "points at OsVersion");
        let RecordData::Image(i) = &r.data else {
            panic!("expected image")
        };
        assert_eq!(i.origin, ImageOrigin::Inspect);
        assert_eq!(i.reference.as_deref(), Some("contoso/orders:2.3-ltsc2019"));
        assert_eq!(
            i.aliases,
            [
                "contoso/orders:2.3-ltsc2019",
                "contoso/orders@sha256:77aa",
                "sha256:5c1f0a9e"
            ]
        );
        assert_eq!(i.os.as_deref(), Some("windows"));
        assert_eq!(i.os_version, Some(WindowsVersion::new(17763, Some(5329))));
        assert_eq!(i.layers, ["sha256:aa", "sha256:bb"]);
    }

    #[test]
    fn container_inspect_with_state_error() {
        let text = r#"[
    {
        "Id": "7c1e5a2b9d",
        "Name": "/web",
        "Image": "sha256:5c1f0a9e",
        "State": {
            "Status": "created",
            "Running": false,
            "ExitCode": 128,
            "Error": "hcs::CreateComputeSystem 7c1e5a2b9d: The container operating system does not match the host operating system."
        },
        "HostConfig": { "Isolation": "process" },
        "Config": { "Image": "contoso/orders:2.3-ltsc2019" },
        "Platform": "windows"
    }
]"#;
        let out = run(text);
        assert_eq!(out.sections[0].kind, SectionKind::DockerContainerInspect);
        let r = &out.records[0];
        assert_eq!(r.line, 10, "points at State.Error");
        let RecordData::Workload(w) = &r.data else {
            panic!("expected workload")
        };
        assert_eq!(w.kind, WorkloadKind::Container);
        assert_eq!(w.name, "web");
        assert_eq!(w.container_id.as_deref(), Some("7c1e5a2b9d"));
        assert_eq!(w.image.as_deref(), Some("contoso/orders:2.3-ltsc2019"));
        assert_eq!(w.image_id.as_deref(), Some("sha256:5c1f0a9e"));
        assert_eq!(w.state.as_deref(), Some("created"));
        assert_eq!(w.exit_code, Some(128));
        assert_eq!(w.isolation, Some(Isolation::Process));
        assert!(!w.running);
        assert_eq!(
            w.error.as_deref(),
            Some("hcs::CreateComputeSystem 7c1e5a2b9d: The container operating system does not match the host operating system.")
        );
    }

    #[test]
    fn manifest_list_with_reference_from_command() {
        let text = r#"$ docker manifest inspect --verbose=false mcr.microsoft.com/dotnet/framework/runtime:4.8
{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "manifests": [
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 1000,
         "digest": "sha256:1111",
         "platform": { "architecture": "amd64", "os": "windows", "os.version": "10.0.17763.5329" }
      },
      {
         "digest": "sha256:2222",
         "platform": { "architecture": "amd64", "os": "windows", "os.version": "10.0.14393.6614", "os.features": ["win32k"] }
      }
   ]
}"#;
        let out = run(text);
        assert_eq!(out.sections[0].kind, SectionKind::DockerManifest);
        let RecordData::Image(i) = &out.records[0].data else {
            panic!("expected image")
        };
        assert_eq!(i.origin, ImageOrigin::Manifest);
        assert_eq!(
            i.reference.as_deref(),
            Some("mcr.microsoft.com/dotnet/framework/runtime:4.8")
        );
        assert_eq!(i.platforms.len(), 2);
        assert_eq!(
            i.platforms[0].os_version,
            Some(WindowsVersion::new(17763, Some(5329)))
        );
        assert_eq!(i.platforms[1].os_features, ["win32k"]);
        assert_eq!(i.platforms[1].digest.as_deref(), Some("sha256:2222"));
        assert_eq!(i.platforms[0].os.as_deref(), Some("windows"));
    }

    #[test]
    fn oci_index_without_command_has_no_reference() {
        let text = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"sha256:3333","platform":{"architecture":"amd64","os":"linux"}}]}"#;
        let out = run(text);
        let RecordData::Image(i) = &out.records[0].data else {
            panic!("expected image")
        };
        assert_eq!(i.reference, None);
        assert_eq!(i.platforms[0].os.as_deref(), Some("linux"));
        assert_eq!(i.platforms[0].os_version, None);
    }

    #[test]
    fn loose_cut_container_inspect() {
        // Our own text in the shape of corpus N03: backtick-wrapped, a
        // hard-wrapped double-escaped Error string, cut before the end.
        let text = "`docker inspect 3f9a2c`\n` {\n        \"Id\": \"3f9a2c0000000000000000000000000000000000000000000000000000001234\",\n        \"State\": {\n            \"Status\": \"created\",\n            \"ExitCode\": 128,\n            \"Error\": \"hcsshim::CreateComputeSystem 3f9a2c: The endpoint was not found.\\n(extra info: {\\\"SystemType\\\":\\\"Container\\\",\\\"Na\nme\\\":\\\"3f9a2c\\\",\\\"Layers\\\":[{\\\"ID\\\":\\\"d63d";
        let out = run(text);
        assert_eq!(out.sections.len(), 1);
        let r = &out.records[0];
        assert_eq!(r.line, 7);
        let RecordData::Workload(w) = &r.data else {
            panic!("expected workload")
        };
        assert_eq!(w.state.as_deref(), Some("created"));
        assert_eq!(w.exit_code, Some(128));
        assert_eq!(
            w.error.as_deref(),
            Some("hcsshim::CreateComputeSystem 3f9a2c: The endpoint was not found.\n(extra info: {\"SystemType\":\"Container\",\"Name\":\"3f9a2c\",\"Layers\":[{\"ID\":\"d63d")
        );
    }

    #[test]
    fn unrelated_json_is_ignored() {
        let out = run("{\"a\": 1}\n[1, 2]\n");
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    #[test]
    fn lenient_strings() {
        assert_eq!(lenient_json_string(r#""a\"b","#), "a\"b");
        assert_eq!(lenient_json_string(r#""abc\"#), "abc");
        assert_eq!(lenient_json_string(r#""\u00e9\u12""#), "é");
        assert!(string_closed(r#""a\\""#));
        assert!(!string_closed(r#""a\""#));
    }
}

#[cfg(test)]
mod corpus_tests {
    //! Real pasted outputs from `../shared/corpus` (skipped when absent).
    use super::*;

    fn corpus(name: &str) -> Option<Output> {
        Output::scanning_corpus(scan, name)
    }

    // See: corpus N03 (sig-windows-tools#91).
    #[test]
    fn corpus_n03_loose_container_inspect() {
        let Some(out) = corpus(
            "N03-NEGATIVE-sig-windows-tools-91-docker-inspect-endpoint-not-found-double-escaped.txt",
        ) else {
            return;
        };
        let ws: Vec<&Workload> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Workload(w) => Some(w),
                _ => None,
            })
            .collect();
        assert_eq!(ws.len(), 1);
        assert_eq!(ws[0].exit_code, Some(128));
        let e = ws[0].error.as_deref().unwrap_or("");
        assert!(e.starts_with("hcsshim::CreateComputeSystem 00c1c9134ef7"));
        assert!(e.contains("The endpoint was not found.\n(extra info: {\"SystemType\""));
        assert!(e.contains("\"VolumePath\":"), "wrapped key rejoined: {e}");
    }

    // See: corpus client-swarm-ws2025-ltsc2019-batch/docker-node-inspect-WS25-NODE01.txt.
    #[test]
    fn corpus_swarm_node_inspect() {
        let Some(out) =
            corpus("client-swarm-ws2025-ltsc2019-batch/docker-node-inspect-WS25-NODE01.txt")
        else {
            return;
        };
        let RecordData::Host(h) = &out.records[0].data else {
            panic!("expected host")
        };
        assert_eq!(h.name.as_deref(), Some("WS25-NODE01"));
        assert_eq!(h.runtime.as_deref(), Some("docker 27.5.1"));
        assert_eq!(h.version, None, "no labels, no version");
    }
}
