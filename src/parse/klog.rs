//! klog/glog lines, as kubelet, kube-proxy and containerd's CRI plugin print
//! them on Windows nodes:
//! `E1009 20:27:08.123456    1234 kuberuntime_sandbox.go:72] "Failed to create sandbox for pod" err="…" pod="default/web-0"`
//! (structured, klog v2) and the older free-text form
//! `E0530 11:42:13.374889  204644 pod_workers.go:186] Error syncing pod …`.
//!
//! Each run of klog lines is a `Klog` section. Lines that state node facts
//! (the glog file header `Running on machine: NODE`, `"Attempting to
//! register node" node="NODE"`, `"Container runtime initialized"
//! containerRuntime="containerd" version="v1.7.13"`, a `kernelVersion=` or
//! `"Windows version"` key) become one `HostFacts` per run. Failure messages
//! inside lines are read by `failure`, not here; this module must not know
//! which build is which release.

use super::doc::{Doc, Output};
use crate::model::version::find_version;
use crate::model::{HostFacts, RecordData, SectionKind};
use nom::bytes::complete::{take_till1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of, space1};
use nom::combinator::recognize;
use nom::{IResult, Parser};

const KIND: SectionKind = SectionKind::Klog;

/// The klog header of one line: severity, `MMDD hh:mm:ss.uuuuuu`, thread
/// id, `file.go:123`, then `] `. Returns (severity, source, message).
///
/// Tolerance: leading spaces are allowed (pastes indented in Markdown), and
/// the microseconds may be missing (some log shippers cut them).
fn klog_header(i: &str) -> IResult<&str, (char, &str)> {
    let digits = |n| take_while_m_n(n, n, |c: char| c.is_ascii_digit());
    let (i, _) = nom::character::complete::space0(i)?;
    let (i, severity) = one_of("IWEF")(i)?;
    let (i, _) = (digits(4), space1).parse(i)?;
    let (i, _) = recognize((
        digits(2),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
        nom::combinator::opt((char('.'), digit1)),
    ))
    .parse(i)?;
    let (i, _) = (space1, digit1, space1).parse(i)?;
    let (i, source) = take_till1(|c: char| c == ']' || c.is_whitespace())(i)?;
    if !source.contains(':') {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Char,
        )));
    }
    let (i, _) = char(']')(i)?;
    Ok((i.trim_start(), (severity, source)))
}

/// The glog file header lines that precede klog lines in `kubelet.log`:
/// `Log file created at: 2024/03/01 10:20:00`, `Running on machine: NODE`,
/// `Binary: Built with gc go1.21.7 for windows/amd64`,
/// `Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg`.
fn glog_file_header(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    [
        "Log file created at:",
        "Running on machine:",
        "Binary: Built with",
        "Log line format:",
    ]
    .iter()
    .find_map(|p| t.strip_prefix(p).map(|rest| (*p, rest.trim())))
}

/// The value of structured key `key` in a klog message: `node="win-07"`,
/// `kernelVersion="10.0.20348.2340"`, `version=v1.7.13`.
fn kv<'a>(msg: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("{key}=");
    let mut search = 0;
    // Bounded: each iteration moves past one occurrence.
    while let Some(pos) = msg.get(search..)?.find(&needle) {
        let at = search + pos;
        let before_ok = at == 0
            || msg
                .get(..at)
                .and_then(|b| b.chars().last())
                .is_some_and(|c| c == ' ' || c == '{' || c == ',');
        let value = msg.get(at + needle.len()..)?;
        if before_ok {
            return Some(match value.strip_prefix('"') {
                Some(v) => v.split('"').next().unwrap_or(v),
                None => value.split([' ', ',', '}']).next().unwrap_or(value),
            });
        }
        search = at + needle.len();
    }
    None
}

/// Literals (lower case) of the kubelet lines that carry node facts, for
/// the streaming prefilter (`super::prefilter`): `Running on machine:`,
/// `Attempting to register node`, `Container runtime initialized` (as
/// `runtime initialized`: `cont…` starts a word on nearly every
/// dockerd/containerd log line, which costs the prefilter's SIMD search
/// false candidates), `kernelVersion=` (as `kernel`), `"Windows version"`.
/// Other lines are parsed only around a failure.
pub const LITERALS: &[&str] = &[
    "running on machine:",
    "attempting to register node",
    "runtime initialized",
    "kernel",
    "windows version",
];

/// Scan `doc` for klog runs.
pub fn scan(doc: &Doc, out: &mut Output) {
    let is_klog = |l: &str| klog_header(l).is_ok() || glog_file_header(l).is_some();
    // Multi-line values (`err=<` … `>`) and wrapped pastes continue a line
    // on the following ones.
    for (first, last) in doc.runs(is_klog, 8) {
        // A glog header without any klog line is not a klog section.
        if !(first..=last).any(|n| klog_header(doc.line(n)).is_ok()) {
            continue;
        }
        out.section(KIND, first, last);
        let mut facts = HostFacts::default();
        let mut span: Option<(usize, usize)> = None;
        for n in first..=last {
            let line = doc.line(n);
            let found = if let Some((prefix, rest)) = glog_file_header(line) {
                match prefix {
                    "Running on machine:" if !rest.is_empty() => {
                        facts.name = Some(rest.to_owned());
                        true
                    }
                    "Binary: Built with" if rest.contains("windows/") => {
                        facts.os_type = Some("windows".to_owned());
                        true
                    }
                    _ => false,
                }
            } else if let Ok((msg, _)) = klog_header(line) {
                node_facts(msg, &mut facts)
            } else {
                false
            };
            if found {
                span = Some(span.map_or((n, n), |(s, _)| (s, n)));
            }
        }
        if let Some((s, e)) = span {
            out.record(KIND, s, e, RecordData::Host(facts));
        }
    }
}

/// Node facts from one klog message; `true` when it gave any.
fn node_facts(msg: &str, facts: &mut HostFacts) -> bool {
    let mut found = false;
    if msg.starts_with("\"Attempting to register node\"")
        || msg.starts_with("\"Successfully registered node\"")
        || msg.starts_with("\"Node info\"")
    {
        if let Some(node) = kv(msg, "node") {
            facts.name = Some(node.to_owned());
            found = true;
        }
    }
    if msg.starts_with("\"Container runtime initialized\"") {
        if let (Some(rt), Some(v)) = (kv(msg, "containerRuntime"), kv(msg, "version")) {
            facts.runtime = Some(format!("{rt}://{}", v.trim_start_matches('v')));
            found = true;
        }
    }
    let version_text = kv(msg, "kernelVersion").or_else(|| {
        msg.starts_with("\"Windows version\"")
            .then(|| msg.get("\"Windows version\"".len()..))
            .flatten()
    });
    if let Some(text) = version_text {
        if let Some((v, range)) = find_version(text) {
            facts.version = Some(v);
            facts.version_text = text.get(range).map(str::to_owned);
            facts.os_type = Some("windows".to_owned());
            found = true;
        }
    }
    // dockershim kubelets (≤ 1.23) log the whole `docker info` at start:
    // `"Docker Info" dockerInfo=&{… OperatingSystem:Windows Server 2022
    // Datacenter Version 21H2 (OS Build 20348.2322) OSType:windows Name:NODE}`.
    if msg.starts_with("\"Docker Info\"") {
        if let Some(os) = msg.split_once("OperatingSystem:").map(|(_, r)| r) {
            if let Some((v, range)) = find_version(os) {
                facts.version = Some(v);
                facts.version_text = os.get(range).map(str::to_owned);
                facts.os_type = Some("windows".to_owned());
                found = true;
            }
        }
        if let Some(name) = msg.split_once(" Name:").map(|(_, r)| r) {
            let name = name.split([' ', '}']).next().unwrap_or_default();
            if !name.is_empty() {
                facts.name = Some(name.to_owned());
                found = true;
            }
        }
    }
    if let Some(os) = kv(msg, "osImage") {
        facts.os_name = Some(os.to_owned());
        found = true;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WindowsVersion;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn structured_klog_header() {
        let (msg, (sev, src)) = klog_header(
            "E1009 20:27:08.123456    4120 kuberuntime_sandbox.go:72] \"Failed to create sandbox for pod\" err=\"x\" pod=\"default/web-0\"",
        )
        .unwrap();
        assert_eq!(sev, 'E');
        assert_eq!(src, "kuberuntime_sandbox.go:72");
        assert!(msg.starts_with("\"Failed to create sandbox"));
        assert_eq!(kv(msg, "pod"), Some("default/web-0"));
    }

    #[test]
    fn unstructured_klog_and_its_continuations_are_one_section() {
        let out = run(concat!(
            "I0530 11:42:10.000001  204644 kubelet.go:1800] SyncLoop (ADD, \"api\"): \"web-1_default(aa)\"\n",
            "E0530 11:42:13.374889  204644 pod_workers.go:186] Error syncing pod aa (\"web-1_default(aa)\"), skipping: failed to\n",
            "\"CreatePodSandbox\" for \"web-1_default(aa)\" with CreatePodSandboxError:\n",
            "The operating system of the container does not match the operating system of the host. (0xc0370101)\n",
            "\n",
            "unrelated prose\n",
        ));
        assert_eq!(out.sections.len(), 1);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 2));
        assert!(out.records.is_empty());
    }

    #[test]
    fn node_facts_from_glog_header_and_registration() {
        let out = run(concat!(
            "Log file created at: 2024/03/01 10:20:00\n",
            "Running on machine: win-k8s-node-99\n",
            "Binary: Built with gc go1.21.7 for windows/amd64\n",
            "Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\n",
            "I0301 10:20:01.000100    5512 kuberuntime_manager.go:258] \"Container runtime initialized\" containerRuntime=\"containerd\" version=\"v1.7.13\" apiVersion=\"v1\"\n",
            "I0301 10:20:02.000200    5512 kubelet_node_status.go:73] \"Attempting to register node\" node=\"win-k8s-node-99\"\n",
            "I0301 10:20:02.000300    5512 server.go:100] \"Node info\" kernelVersion=\"10.0.20348.2340\" osImage=\"Windows Server 2022 Datacenter\"\n",
        ));
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 7));
        let RecordData::Host(h) = &out.records[0].data else {
            panic!()
        };
        assert_eq!(h.name.as_deref(), Some("win-k8s-node-99"));
        assert_eq!(h.runtime.as_deref(), Some("containerd://1.7.13"));
        assert_eq!(h.version, Some(WindowsVersion::new(20348, Some(2340))));
        assert_eq!(h.os_name.as_deref(), Some("Windows Server 2022 Datacenter"));
    }

    #[test]
    fn dockershim_docker_info_line() {
        let out = run("I0301 09:14:02.611450    4388 docker_service.go:264] \"Docker Info\" dockerInfo=&{ID:QX4T Driver:windowsfilter KernelVersion:10.0 20348 (20348.1.amd64fre.fe_release.210507-1500) OperatingSystem:Windows Server 2022 Datacenter Version 21H2 (OS Build 20348.2322) OSType:windows Name:win-node-3}\n");
        let RecordData::Host(h) = &out.records[0].data else {
            panic!()
        };
        assert_eq!(h.version, Some(WindowsVersion::new(20348, Some(2322))));
        assert_eq!(h.name.as_deref(), Some("win-node-3"));
    }

    #[test]
    fn look_alikes_are_not_klog() {
        assert!(klog_header("E1009 is an error code").is_err());
        assert!(klog_header("I0301 10:20:01.000100    5512 nosource] x").is_err());
        assert!(run("Log file created at: 2024/03/01\n").sections.is_empty());
    }
}
