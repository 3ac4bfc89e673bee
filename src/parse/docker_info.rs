//! `docker info` and `docker version`: the indented `Key: value` blocks the
//! docker CLI prints, read into `HostFacts` for the daemon's host.
//!
//! A block is a run of `Key: value` lines (any indentation, `Client:` /
//! `Server:` headers, one blank line before `Server:`); it is `docker info`
//! when it has `Server Version:` (or `OSType:` with another daemon key) and
//! `docker version` when it has `API version:` and `OS/Arch:`. kubectl's
//! `System Info:` block shares some keys (`Kernel Version`, `Operating
//! System`) and is excluded by its own keys. This module must not know which
//! builds are compatible nor how reports look; version texts are read with
//! `model::version::parse_any`.

use super::doc::{Doc, Output};
use crate::model::version::parse_any;
use crate::model::{HostFacts, HostKind, Isolation, RecordData, SectionKind};
use nom::{
    bytes::complete::{take_while, take_while1},
    character::complete::{char, space0},
    combinator::rest,
    IResult, Parser,
};

/// Blocks longer than this are cut (a real `docker info` is ~60 lines).
const MAX_BLOCK_LINES: usize = 2_000;

/// One `Key: value` line of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyLine<'a> {
    /// 0-based line index in the doc.
    idx: usize,
    indent: usize,
    key: &'a str,
    value: &'a str,
}

/// ` Kernel Version: 10.0 17763 (17763.1.amd64fre.rs5_release.180914-1434)`
/// → indent 1, key `Kernel Version`, value `10.0 17763 (…)`. Keys are words
/// of letters, digits, blanks and `/ ( ) . -` (`OS/Arch`, `API version`).
fn key_line(i: &str) -> IResult<&str, (usize, &str, &str)> {
    let (i, indent) = space0(i)?;
    let (i, key) = take_while1(|c: char| {
        c.is_ascii_alphanumeric() || matches!(c, ' ' | '/' | '(' | ')' | '.' | '-' | '_')
    })
    .parse(i)?;
    let (i, _) = char(':').parse(i)?;
    let (i, _) = take_while(|c: char| c == ' ' || c == '\t').parse(i)?;
    let (i, value) = rest(i)?;
    Ok((i, (indent.len(), key.trim_end(), value.trim_end())))
}

fn parse_key_line(idx: usize, line: &str) -> Option<KeyLine<'_>> {
    let (_, (indent, key, value)) = key_line(line).ok()?;
    // `PS C:\> docker info` and `http://…` are not key lines.
    if value.starts_with(['\\', '/']) {
        return None;
    }
    // A key starts with a letter and is short; prose (`Note: …`) passes
    // this too, which is why blocks are classified by their keys.
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) || key.len() > 40 {
        return None;
    }
    Some(KeyLine {
        idx,
        indent,
        key,
        value,
    })
}

/// Keys only `docker info` prints.
const INFO_KEYS: &[&str] = &[
    "Server Version",
    "Storage Driver",
    "OSType",
    "Default Isolation",
    "Docker Root Dir",
    "Logging Driver",
];
/// Keys that mark kubectl's `System Info:` block, not docker's.
const KUBECTL_KEYS: &[&str] = &["Kubelet Version", "Container Runtime Version", "OS Image"];

/// Literals (lower case) of the version-bearing keys of `docker info`, for
/// the streaming prefilter (`super::prefilter`): `Kernel Version:` (as
/// `kernel`, shared with the Kubernetes parsers) and `Operating System:`.
pub const LITERALS: &[&str] = &["kernel", "operating system"];

/// Scan `doc` for `docker info` and `docker version` blocks.
pub fn scan(doc: &Doc, out: &mut Output) {
    let mut i = 0;
    while i < doc.lines.len() {
        let Some((start, end, keys)) = block_at(doc, i) else {
            i += 1;
            continue;
        };
        classify(doc, start, end, &keys, out);
        i = end.max(i) + 1;
    }
}

/// The block of key lines starting at 0-based `i`, as (first, last, keys).
fn block_at(doc: &Doc, i: usize) -> Option<(usize, usize, Vec<KeyLine<'_>>)> {
    let first = doc.lines.get(i)?;
    parse_key_line(i, first)?;
    let mut keys = Vec::new();
    let mut last = i;
    let mut j = i;
    while j < doc.lines.len() && j - i < MAX_BLOCK_LINES {
        let line = doc.lines.get(j).map_or("", String::as_str);
        if line.trim().is_empty() {
            // docker info / docker version: one blank line between the
            // Client: and Server: blocks.
            let next = doc.lines.get(j + 1).map_or("", String::as_str);
            if next.starts_with("Server:") {
                j += 1;
                continue;
            }
            break;
        }
        if let Some(k) = parse_key_line(j, line) {
            keys.push(k);
        } else if !line.starts_with(' ') {
            // Indented non-key lines are list items (`  127.0.0.0/8`).
            break;
        }
        last = j;
        j += 1;
    }
    Some((i, last, keys))
}

fn has(keys: &[KeyLine<'_>], key: &str) -> bool {
    keys.iter().any(|k| k.key == key)
}

fn classify(doc: &Doc, start: usize, end: usize, keys: &[KeyLine<'_>], out: &mut Output) {
    if KUBECTL_KEYS.iter().any(|k| has(keys, k)) {
        return;
    }
    let info_keys = INFO_KEYS.iter().filter(|k| has(keys, k)).count();
    if has(keys, "Server Version") || (has(keys, "OSType") && info_keys >= 2) {
        out.section(SectionKind::DockerInfo, start + 1, end + 1);
        let (line, host) = info_host(doc, keys);
        out.record(
            SectionKind::DockerInfo,
            line.unwrap_or(start) + 1,
            end + 1,
            RecordData::Host(host),
        );
    } else if has(keys, "API version") && has(keys, "OS/Arch") {
        out.section(SectionKind::DockerVersion, start + 1, end + 1);
        if let Some((line, host)) = version_host(keys) {
            out.record(
                SectionKind::DockerVersion,
                line + 1,
                end + 1,
                RecordData::Host(host),
            );
        }
    }
}

/// The keys of the `Server:` part (everything after a top-level `Server:`
/// line); the whole block when there is none (docker ≤ 17.x printed one
/// unindented block).
fn server_part<'k, 'a>(keys: &'k [KeyLine<'a>]) -> &'k [KeyLine<'a>] {
    match keys.iter().position(|k| k.indent == 0 && k.key == "Server") {
        Some(p) => keys.get(p + 1..).unwrap_or(&[]),
        None => keys,
    }
}

fn value<'a>(keys: &[KeyLine<'a>], key: &str) -> Option<KeyLine<'a>> {
    keys.iter()
        .find(|k| k.key == key && !k.value.is_empty())
        .cloned()
}

/// `docker info` → host facts, and the 0-based line the version came from.
///
/// ```text
/// Server Version: 24.0.7
/// Default Isolation: process
/// Kernel Version: 10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)
/// Operating System: Microsoft Windows Server Version 21H2 (OS Build 20348.2113)
/// OSType: windows
/// Name: WINSWARM-02
/// ```
fn info_host(doc: &Doc, all: &[KeyLine<'_>]) -> (Option<usize>, HostFacts) {
    let keys = server_part(all);
    let mut host = HostFacts {
        name: value(keys, "Name").map(|k| k.value.to_owned()),
        os_type: value(keys, "OSType").map(|k| k.value.to_ascii_lowercase()),
        runtime: value(keys, "Server Version").map(|k| format!("docker {}", k.value)),
        default_isolation: value(keys, "Default Isolation").and_then(|k| isolation(k.value)),
        ..HostFacts::default()
    };
    let os = value(keys, "Operating System");
    let kernel = value(keys, "Kernel Version");
    // The `(OS Build B.R)` of Operating System has the real revision; the
    // Kernel Version's BuildLabEx revision is the base build's (`.1`).
    let mut line = None;
    for k in [os.as_ref(), kernel.as_ref()].into_iter().flatten() {
        if let Ok(v) = parse_any(k.value) {
            host.version = Some(v);
            host.version_text = Some(k.value.to_owned());
            line = Some(k.idx);
            break;
        }
    }
    if let Some(os) = &os {
        let name = match os.value.rfind(" (OS Build") {
            Some(p) => os.value.get(..p).unwrap_or(os.value),
            None => os.value,
        };
        host.kind = host_kind(name);
        host.os_name = Some(name.trim().to_owned());
    }
    // Engine labels: `Labels:` followed by deeper-indented `key=value` lines.
    if let Some(labels) = keys
        .iter()
        .find(|k| k.key == "Labels" && k.value.is_empty())
    {
        for line in doc.lines.iter().skip(labels.idx + 1).take(MAX_BLOCK_LINES) {
            let indent = line.len() - line.trim_start().len();
            if indent <= labels.indent || line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.trim().split_once('=') {
                host.labels.push((k.to_owned(), v.to_owned()));
            }
        }
    }
    if let Some(addr) = value(keys, "Node Address") {
        host.addresses.push(addr.value.to_owned());
    }
    if value(keys, "Swarm").is_some_and(|k| k.value == "active") {
        if let Some(id) = value(keys, "NodeID") {
            host.labels
                .push(("swarm.node-id".to_owned(), id.value.to_owned()));
        }
    }
    (line, host)
}

/// `Microsoft Windows Server Version 21H2` → Server; `Windows 10 Pro`,
/// `Microsoft Windows Version 22H2` (moby ≥ 20.10 on a client SKU omits
/// "Server") → Client.
fn host_kind(os_name: &str) -> Option<HostKind> {
    if os_name.contains("Server") {
        Some(HostKind::Server)
    } else if os_name.contains("Windows 10")
        || os_name.contains("Windows 11")
        || os_name.starts_with("Microsoft Windows Version")
        || os_name.trim() == "Microsoft Windows"
    {
        Some(HostKind::Client)
    } else {
        None
    }
}

/// `process` / `hyperv` (docker prints them lowercase; `hyper-v` tolerated).
pub(crate) fn isolation(text: &str) -> Option<Isolation> {
    match text.trim().to_ascii_lowercase().as_str() {
        "process" => Some(Isolation::Process),
        "hyperv" | "hyper-v" => Some(Isolation::Hyperv),
        _ => None,
    }
}

/// `docker version` → the server's facts and the 0-based line of its
/// `Version:`; `None` when the output has no `Server:` part (daemon
/// unreachable).
///
/// ```text
/// Server: Docker Engine - Community
///  Engine:
///   Version:          24.0.7
///   API version:      1.43 (minimum version 1.24)
///   OS/Arch:          windows/amd64
/// ```
fn version_host(all: &[KeyLine<'_>]) -> Option<(usize, HostFacts)> {
    let p = all
        .iter()
        .position(|k| k.indent == 0 && k.key == "Server")?;
    let keys = all.get(p + 1..)?;
    // Docker ≥ 17.06 nests the engine under ` Engine:`; read that part
    // first so a containerd/runc component's `Version:` is not taken.
    let engine = match keys.iter().position(|k| k.key == "Engine") {
        Some(e) => {
            let indent = keys.get(e).map_or(0, |k| k.indent);
            let rest = keys.get(e + 1..).unwrap_or(&[]);
            let len = rest
                .iter()
                .position(|k| k.indent <= indent)
                .unwrap_or(rest.len());
            rest.get(..len).unwrap_or(rest)
        }
        None => keys,
    };
    let version = value(engine, "Version");
    let arch = value(engine, "OS/Arch");
    let host = HostFacts {
        os_type: arch
            .as_ref()
            .and_then(|a| a.value.split('/').next())
            .map(str::to_owned),
        runtime: version.as_ref().map(|v| format!("docker {}", v.value)),
        ..HostFacts::default()
    };
    let line = version
        .as_ref()
        .or(arch.as_ref())
        .map_or(all.get(p).map_or(0, |k| k.idx), |k| k.idx);
    Some((line, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WindowsVersion;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    fn hosts(out: &Output) -> Vec<(usize, &HostFacts)> {
        out.records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Host(h) => Some((r.line, h)),
                _ => None,
            })
            .collect()
    }

    const INFO_2022: &str = "PS C:\\> docker info
Client:
 Version:    24.0.7
 Context:    default
 Debug Mode: false

Server:
 Containers: 4
  Running: 0
 Server Version: 24.0.7
 Storage Driver: windowsfilter
 Swarm: active
  NodeID: z1x2c3v4b5n6m7q8w9e0r1t2y
  Is Manager: false
  Node Address: 10.20.0.12
 Default Isolation: process
 Kernel Version: 10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)
 Operating System: Microsoft Windows Server Version 21H2 (OS Build 20348.2113)
 OSType: windows
 Architecture: x86_64
 Name: WINSWARM-02
 Labels:
  site=dc1
 Insecure Registries:
  127.0.0.0/8
 Live Restore Enabled: false
 Product License: Community Engine

PS C:\\>";

    #[test]
    fn docker_info_windows_server_2022() {
        let out = run(INFO_2022);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::DockerInfo);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 27));
        let hs = hosts(&out);
        assert_eq!(hs.len(), 1);
        let (line, h) = hs[0];
        assert_eq!(line, 18, "points at the Operating System line");
        assert_eq!(h.name.as_deref(), Some("WINSWARM-02"));
        assert_eq!(h.version, Some(WindowsVersion::new(20348, Some(2113))));
        assert_eq!(
            h.os_name.as_deref(),
            Some("Microsoft Windows Server Version 21H2")
        );
        assert_eq!(h.os_type.as_deref(), Some("windows"));
        assert_eq!(h.kind, Some(HostKind::Server));
        assert_eq!(h.runtime.as_deref(), Some("docker 24.0.7"));
        assert_eq!(h.default_isolation, Some(Isolation::Process));
        assert_eq!(h.addresses, ["10.20.0.12"]);
        let labels: Vec<(&str, &str)> = h
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("site", "dc1"),
                ("swarm.node-id", "z1x2c3v4b5n6m7q8w9e0r1t2y")
            ]
        );
    }

    #[test]
    fn old_unindented_docker_info_uses_kernel_build() {
        let text = "Containers: 1\nImages: 2\nServer Version: 17.06.2-ee-6\nStorage Driver: windowsfilter\n\
Default Isolation: hyperv\nKernel Version: 10.0 14393 (14393.1.amd64fre.rs1_release.160715-1616)\n\
Operating System: Windows 10 Pro\nOSType: windows\nName: DEV-LAPTOP\n";
        let out = run(text);
        let hs = hosts(&out);
        assert_eq!(hs.len(), 1);
        let (line, h) = hs[0];
        assert_eq!(line, 6);
        assert_eq!(h.version, Some(WindowsVersion::new(14393, None)));
        assert_eq!(h.kind, Some(HostKind::Client));
        assert_eq!(h.default_isolation, Some(Isolation::Hyperv));
        assert_eq!(h.runtime.as_deref(), Some("docker 17.06.2-ee-6"));
        assert_eq!(h.name.as_deref(), Some("DEV-LAPTOP"));
    }

    #[test]
    fn client_sku_without_server_word() {
        assert_eq!(
            host_kind("Microsoft Windows Version 22H2"),
            Some(HostKind::Client)
        );
        assert_eq!(host_kind("Ubuntu 22.04.3 LTS"), None);
    }

    #[test]
    fn linux_docker_info_has_no_windows_version() {
        let text = "Server:\n Server Version: 24.0.7\n Kernel Version: 5.15.0-91-generic\n Operating System: Ubuntu 22.04.3 LTS\n OSType: linux\n Name: build-01\n";
        let hs = hosts(&run(text))
            .into_iter()
            .map(|(_, h)| h.clone())
            .collect::<Vec<_>>();
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].version, None);
        assert_eq!(hs[0].os_type.as_deref(), Some("linux"));
        assert_eq!(hs[0].kind, None);
    }

    #[test]
    fn kubectl_system_info_is_not_docker_info() {
        let text = "System Info:\n  Kernel Version:             10.0.17763.1577\n  OS Image:                   Windows Server 2019 Datacenter\n  Operating System:           windows\n  Container Runtime Version:  docker://19.3.14\n";
        let out = run(text);
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    const VERSION: &str = "Client: Docker Engine - Community
 Version:           24.0.7
 API version:       1.43
 OS/Arch:           windows/amd64

Server: Docker Engine - Community
 Engine:
  Version:          24.0.7
  API version:      1.43 (minimum version 1.24)
  OS/Arch:          windows/amd64
  Experimental:     false
 containerd:
  Version:          1.6.21
";

    #[test]
    fn docker_version_server_engine() {
        let out = run(VERSION);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::DockerVersion);
        assert_eq!(out.sections[0].end_line, 13);
        let hs = hosts(&out);
        assert_eq!(hs.len(), 1);
        let (line, h) = hs[0];
        assert_eq!(line, 8);
        assert_eq!(h.os_type.as_deref(), Some("windows"));
        assert_eq!(h.runtime.as_deref(), Some("docker 24.0.7"));
        assert_eq!(h.name, None);
    }

    #[test]
    fn docker_version_without_server_has_no_host() {
        let text = "Client:\n Version:      17.06.2-ee-6\n API version:  1.30\n OS/Arch:      windows/amd64\nerror during connect: …\n";
        let out = run(text);
        assert_eq!(out.sections.len(), 1);
        assert!(hosts(&out).is_empty());
    }

    #[test]
    fn prose_with_colons_is_ignored() {
        let out = run("Note: this is text\nAnother: line\n");
        assert!(out.sections.is_empty());
    }
}

#[cfg(test)]
mod corpus_tests {
    //! Real pasted outputs from `../shared/corpus` (skipped when absent).
    use super::*;
    use crate::model::WindowsVersion;

    fn corpus_hosts(name: &str) -> Option<Vec<HostFacts>> {
        let out = Output::scanning_corpus(scan, name)?;
        Some(
            out.records
                .into_iter()
                .filter_map(|r| match r.data {
                    RecordData::Host(h) => Some(h),
                    _ => None,
                })
                .collect(),
        )
    }

    // See: corpus client-swarm-ws2025-ltsc2019-batch/docker-info.txt.
    #[test]
    fn corpus_swarm_docker_info() {
        let Some(hs) = corpus_hosts("client-swarm-ws2025-ltsc2019-batch/docker-info.txt") else {
            return;
        };
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].name.as_deref(), Some("WS25-MGR01"));
        assert_eq!(hs[0].version, Some(WindowsVersion::new(26100, Some(3476))));
        assert_eq!(hs[0].kind, Some(HostKind::Server));
        assert_eq!(hs[0].runtime.as_deref(), Some("docker 27.5.1"));
    }

    // See: corpus 041 (docker-library/docker#204): `docker version`.
    #[test]
    fn corpus_041_docker_version() {
        let Some(hs) =
            corpus_hosts("041-docker-library-docker-204-linux-image-on-ws2019-17763.txt")
        else {
            return;
        };
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].os_type.as_deref(), Some("windows"));
        assert_eq!(hs[0].runtime.as_deref(), Some("docker 19.03.5"));
    }
}
