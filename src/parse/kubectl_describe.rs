//! `kubectl describe pod` and `kubectl describe node` output: the indented
//! `Key:   value` blocks that start at `Name:`, their `Containers:` and
//! `System Info:` sub-blocks, and their `Events:` tables (old
//! `FirstSeen LastSeen Count …` and current `Type Reason Age From Message`).
//!
//! Each pod container becomes a `Workload`, each event row an `Event`, each
//! node a `HostFacts`. This module states what the text says; it does not
//! know which builds are compatible (`knowledge`) nor recognise failure
//! messages (the failure recogniser reads the same lines separately).
//!
//! A few small helpers shared by the other Kubernetes parsers
//! (`kubectl_get`, `kube_json`) live at the bottom of this file, so that the
//! three read states, event ages and node versions the same way.

use super::doc::{Doc, Output};
use crate::model::version::parse_any;
use crate::model::{
    Event, HostFacts, HostKind, Isolation, RecordData, SectionKind, WindowsVersion, Workload,
    WorkloadKind,
};
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till1, take_while, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{eof, map, opt, rest, verify};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

/// Longest describe block we follow, in lines (bounds the work on huge pastes).
const MAX_BLOCK_LINES: usize = 20_000;

/// Literals (lower case) of `kubectl describe` blocks, for the streaming
/// prefilter (`super::prefilter`): node `Kernel Version:`, as `kernel`
/// (shared with the other parsers of a kernel version).
pub const LITERALS: &[&str] = &["kernel"];

/// Scan `doc` for `kubectl describe pod|node` blocks and loose event rows.
pub fn scan(doc: &Doc, out: &mut Output) {
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut n = 1;
    while n <= doc.len() {
        let Some(block) = block_at(doc, n) else {
            n += 1;
            continue;
        };
        let entries = top_entries(doc, &block);
        if is_pod(&entries) {
            out.section(SectionKind::KubectlDescribePod, block.start, block.end);
            describe_pod(doc, &entries, out);
            covered.push((block.start, block.end));
        } else if is_node(&entries) {
            out.section(SectionKind::KubectlDescribeNode, block.start, block.end);
            describe_node(doc, &block, &entries, out);
            covered.push((block.start, block.end));
        }
        n = block.end + 1;
    }
    scan_loose_events(doc, &covered, out);
}

// ---------------------------------------------------------------------------
// Line grammar
// ---------------------------------------------------------------------------

/// One `Key:   value` line, with its indentation in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyValue<'a> {
    indent: usize,
    key: &'a str,
    /// Trimmed; empty for a section head such as `Containers:`.
    value: &'a str,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ' ' || c == '-' || c == '_'
}

/// A describe key: `Name`, `Container ID`, `Node-Selectors`,
/// `Runtime Class Name`, a container name such as `orders-web`. At most
/// four words, so that prose ending in a colon is not taken for a key.
fn describe_key(i: &str) -> IResult<&str, &str> {
    verify(take_while1(is_key_char), |k: &str| {
        k.starts_with(|c: char| c.is_ascii_alphabetic())
            && !k.ends_with(' ')
            && k.len() <= 40
            && k.split(' ').count() <= 4
    })
    .parse(i)
}

/// `    Restart Count:  31` → indent 4, key `Restart Count`, value `31`;
/// `Containers:` → value "".
fn key_value(line: &str) -> IResult<&str, KeyValue<'_>> {
    let (i, spaces) = take_while(|c| c == ' ').parse(line)?;
    let (i, key) = describe_key(i)?;
    let (i, _) = char(':').parse(i)?;
    let (i, value) = alt((map(eof, |_| ""), preceded(space1, rest))).parse(i)?;
    Ok((
        i,
        KeyValue {
            indent: spaces.len(),
            key,
            value: value.trim(),
        },
    ))
}

fn kv(line: &str) -> Option<KeyValue<'_>> {
    key_value(line).ok().map(|(_, kv)| kv)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `$ kubectl …`, `PS C:\> kubectl …`: a shell prompt ends any block.
fn is_prompt(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("$ ") || t.starts_with("# ") || t.starts_with("PS ") || t.starts_with("C:\\")
}

// ---------------------------------------------------------------------------
// Blocks and top-level entries
// ---------------------------------------------------------------------------

/// A `Name:` block: 1-based inclusive lines and the indentation of its keys.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    base: usize,
}

/// The block that starts at line `n` when it is a `Name:   something` line.
///
/// The block goes on through deeper-indented lines, `Key:` lines at the base
/// indentation, and:
/// - quirk `elision`: lines that are just `...` (users shorten describe
///   output that way, corpus 008);
/// - quirk `raw continuation`: a message with newlines (hcsshim appends
///   `\n(extra info: …)`) is printed by kubectl from column 0; such lines are
///   kept while they follow a `Message:` line or an event row without a
///   blank line in between.
fn block_at(doc: &Doc, n: usize) -> Option<Block> {
    let first = kv(doc.line(n))?;
    if first.key != "Name" || first.value.is_empty() {
        return None;
    }
    let base = first.indent;
    let mut end = n;
    let mut in_events = false;
    let mut message_context = false;
    let mut j = n + 1;
    while j <= doc.len() && j - n < MAX_BLOCK_LINES {
        let line = doc.line(j);
        if line.trim().is_empty() {
            message_context = false;
            j += 1;
            continue;
        }
        if is_prompt(line) {
            break;
        }
        let indent = indent_of(line);
        let parsed = kv(line);
        if indent <= base {
            match &parsed {
                Some(k) if k.indent == base && k.key == "Name" => break,
                Some(k) if k.indent == base && (!message_context || is_top_key(k.key)) => {
                    in_events = k.key == "Events" && k.value.is_empty();
                    message_context = false;
                }
                _ if line.trim() == "..." => {}
                _ if message_context => {}
                _ => break,
            }
        } else if in_events {
            message_context = true;
        } else if let Some(k) = &parsed {
            if k.key == "Message" {
                message_context = true;
            } else if message_context && is_state_sub_key(k.key) {
                message_context = false;
            }
        }
        end = j;
        j += 1;
    }
    Some(Block {
        start: n,
        end,
        base,
    })
}

/// Top-level keys of `kubectl describe pod|node` (all kubectl versions seen);
/// used to tell a real key from a column-0 continuation of a message.
fn is_top_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "Name",
        "Namespace",
        "Priority",
        "Priority Class Name",
        "Service Account",
        "Node",
        "Start Time",
        "Labels",
        "Annotations",
        "Status",
        "Reason",
        "Message",
        "IP",
        "IPs",
        "Created By",
        "Controlled By",
        "Init Containers",
        "Containers",
        "Conditions",
        "Volumes",
        "QoS Class",
        "Node-Selectors",
        "Tolerations",
        "Events",
        "Runtime Class Name",
        "Roles",
        "Role",
        "CreationTimestamp",
        "Taints",
        "Unschedulable",
        "Lease",
        "Addresses",
        "Capacity",
        "Allocatable",
        "System Info",
        "PodCIDR",
        "PodCIDRs",
        "ProviderID",
        "Non-terminated Pods",
        "Allocated resources",
        "Nominated Node Name",
        "Topology Spread Constraints",
    ];
    KEYS.contains(&key)
}

/// Keys under `State:` / `Last State:`.
fn is_state_sub_key(key: &str) -> bool {
    matches!(
        key,
        "Reason" | "Message" | "Exit Code" | "Signal" | "Started" | "Finished"
    )
}

/// A base-indentation key with its value and the lines below it.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    value: String,
    /// Lines (1-based) after `line` up to the next top-level key, blank
    /// lines included.
    body: Vec<usize>,
}

fn top_entries(doc: &Doc, block: &Block) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for n in block.start..=block.end {
        let line = doc.line(n);
        let top = kv(line).filter(|k| {
            k.indent == block.base && (is_top_key(k.key) || indent_of(line) == block.base)
        });
        let in_message = entries.last().is_some_and(|e| continues(doc, e));
        match (top, entries.last_mut()) {
            (Some(k), last) if last.is_none() || is_top_key(k.key) || !in_message => {
                entries.push(Entry {
                    key: k.key.to_owned(),
                    value: k.value.to_owned(),
                    body: Vec::new(),
                });
            }
            (_, Some(last)) => last.body.push(n),
            (_, None) => {}
        }
    }
    entries
}

/// Whether the last entry is inside a message that column-0 lines continue
/// (an `Events:` table or a container `Message:`), see `block_at`.
fn continues(doc: &Doc, e: &Entry) -> bool {
    if e.key == "Events" {
        return true;
    }
    e.body
        .iter()
        .rev()
        .find_map(|&n| kv(doc.line(n)))
        .is_some_and(|k| k.key == "Message")
}

fn entry<'e>(entries: &'e [Entry], key: &str) -> Option<&'e Entry> {
    entries.iter().find(|e| e.key == key)
}

fn value_of(entries: &[Entry], key: &str) -> Option<String> {
    entry(entries, key)
        .map(|e| e.value.clone())
        .filter(|v| !v.is_empty() && v != "<none>" && v != "<unset>")
}

/// A value that continues on the following indented lines, one item a line:
/// `Labels:  app=x` / `         tier=web` → [`app=x`, `tier=web`].
fn multi_values(doc: &Doc, e: &Entry) -> Vec<String> {
    let mut items = Vec::new();
    if !e.value.is_empty() && e.value != "<none>" {
        items.push(e.value.clone());
    }
    for &n in &e.body {
        let t = doc.line(n).trim();
        if !t.is_empty() && t != "..." {
            items.push(t.to_owned());
        }
    }
    items
}

fn split_pairs(items: &[String]) -> Vec<(String, String)> {
    items
        .iter()
        .filter_map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

fn is_pod(entries: &[Entry]) -> bool {
    let sectioned = |k: &str| entry(entries, k).is_some_and(|e| e.value.is_empty());
    entry(entries, "Namespace").is_some()
        && (sectioned("Containers")
            || sectioned("Init Containers")
            || entry(entries, "Node").is_some())
        && entry(entries, "System Info").is_none()
}

fn is_node(entries: &[Entry]) -> bool {
    entry(entries, "Namespace").is_none()
        && (entry(entries, "System Info").is_some()
            || (entry(entries, "Labels").is_some()
                && (entry(entries, "Roles").is_some() || entry(entries, "Role").is_some())))
}

// ---------------------------------------------------------------------------
// describe pod
// ---------------------------------------------------------------------------

/// What the pod says about all its containers.
struct PodInfo {
    name: String,
    namespace: Option<String>,
    node: Option<String>,
    node_selector: Vec<(String, String)>,
    runtime_class: Option<String>,
    isolation: Option<Isolation>,
}

fn describe_pod(doc: &Doc, entries: &[Entry], out: &mut Output) {
    let Some(name) = value_of(entries, "Name") else {
        return;
    };
    let annotations = entry(entries, "Annotations")
        .map(|e| multi_values(doc, e))
        .unwrap_or_default();
    let pod = PodInfo {
        name,
        namespace: value_of(entries, "Namespace"),
        // `38519acs9011/10.240.0.6` → `38519acs9011`
        node: value_of(entries, "Node")
            .and_then(|v| v.split('/').next().map(str::to_owned))
            .filter(|v| !v.is_empty()),
        node_selector: entry(entries, "Node-Selectors")
            .map(|e| split_pairs(&multi_values(doc, e)))
            .unwrap_or_default(),
        runtime_class: value_of(entries, "Runtime Class Name"),
        isolation: isolation_from_annotations(annotations.iter().map(String::as_str)),
    };
    for key in ["Init Containers", "Containers"] {
        if let Some(e) = entry(entries, key) {
            for (line, end, w) in containers(doc, &e.body, &pod) {
                out.record(
                    SectionKind::KubectlDescribePod,
                    line,
                    end,
                    RecordData::Workload(w),
                );
            }
        }
    }
    if let Some(e) = entry(entries, "Events") {
        let object = EventObject {
            name: pod.name.clone(),
            namespace: pod.namespace.clone(),
            node: pod.node.clone(),
        };
        for (line, end, ev) in events_table(doc, &e.body, &object) {
            out.record(
                SectionKind::KubectlDescribePod,
                line,
                end,
                RecordData::Event(ev),
            );
        }
    }
}

/// `experimental.windows.kubernetes.io/isolation-type=hyperv` (Kubernetes
/// 1.10–1.19 alpha Hyper-V pods; `: hyperv` in YAML/describe-annotation form).
pub(crate) fn isolation_from_annotations<'a>(
    items: impl Iterator<Item = &'a str>,
) -> Option<Isolation> {
    for item in items {
        if let Some(rest) = item
            .trim()
            .strip_prefix("experimental.windows.kubernetes.io/isolation-type")
        {
            let v = rest.trim_start_matches(['=', ':', ' ']).trim();
            if v.eq_ignore_ascii_case("hyperv") {
                return Some(Isolation::Hyperv);
            }
            if v.eq_ignore_ascii_case("process") {
                return Some(Isolation::Process);
            }
        }
    }
    None
}

/// A container state (`State:` or `Last State:`) and its sub-keys.
#[derive(Debug, Default, Clone)]
pub(crate) struct StateInfo {
    /// `Waiting`, `Running`, `Terminated`.
    pub(crate) state: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) exit_code: Option<i64>,
}

/// Fill the state fields of `w` from the current and last state.
///
/// Convention (shared by describe, JSON and YAML): `state` is the current
/// state with its reason in parentheses, e.g. `Waiting (CrashLoopBackOff)`;
/// `reason`, `error` and `exit_code` come from the current state when it is
/// `Terminated`, otherwise from the last terminated state, falling back to
/// the current state's reason/message. So a crash-looping container shows
/// `state: Waiting (CrashLoopBackOff)` and `reason: StartError` (or
/// `ContainerCannotRun`) with the start error as `error`.
pub(crate) fn apply_states(w: &mut Workload, current: &StateInfo, last: &StateInfo) {
    w.state = current.state.as_ref().map(|s| match &current.reason {
        Some(r) => format!("{s} ({r})"),
        None => s.clone(),
    });
    w.running = current
        .state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("running"));
    let terminated_now = current
        .state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("terminated"));
    if terminated_now || last.state.is_none() {
        w.reason = current.reason.clone();
        w.error = current.message.clone();
        w.exit_code = current.exit_code;
    } else {
        w.reason = last.reason.clone().or_else(|| current.reason.clone());
        w.error = last.message.clone().or_else(|| current.message.clone());
        w.exit_code = last.exit_code;
    }
}

/// The containers of a `Containers:` body:
///
/// ```text
///   orders-web:
///     Container ID:   containerd://4be1…
///     Image:          contosoregistry.azurecr.io/orders-web:2.3.1
///     State:          Waiting
///       Reason:       CrashLoopBackOff
///     Last State:     Terminated
///       Reason:       StartError
///       Message:      failed to create containerd task: …
///       Exit Code:    128
///     Restart Count:  42
/// ```
///
/// Returns each container's first and last line and its workload.
fn containers(doc: &Doc, body: &[usize], pod: &PodInfo) -> Vec<(usize, usize, Workload)> {
    let Some(ci) = body
        .iter()
        .map(|&n| doc.line(n))
        .find(|l| !l.trim().is_empty())
        .map(indent_of)
    else {
        return Vec::new();
    };
    // Group the body into containers: a `name:` line at indent `ci` starts one.
    let mut groups: Vec<(usize, String, Vec<usize>)> = Vec::new();
    for &n in body {
        let line = doc.line(n);
        match kv(line) {
            Some(k) if k.indent == ci && k.value.is_empty() => {
                groups.push((n, k.key.to_owned(), Vec::new()));
            }
            _ => {
                if let Some(g) = groups.last_mut() {
                    g.2.push(n);
                }
            }
        }
    }
    groups
        .into_iter()
        .map(|(line, name, lines)| {
            let mut w = Workload::new(WorkloadKind::Pod, pod.name.clone());
            w.namespace = pod.namespace.clone();
            w.container_name = Some(name);
            w.node = pod.node.clone();
            w.node_selector = pod.node_selector.clone();
            w.runtime_class = pod.runtime_class.clone();
            w.isolation = pod.isolation;
            let end = container_props(doc, &lines, &mut w).unwrap_or(line);
            (line, end, w)
        })
        .collect()
}

/// Read a container's properties into `w`; returns its last non-blank line.
fn container_props(doc: &Doc, lines: &[usize], w: &mut Workload) -> Option<usize> {
    let pi = lines
        .iter()
        .find_map(|&n| kv(doc.line(n)))
        .map(|k| k.indent)?;
    let mut current = StateInfo::default();
    let mut last = StateInfo::default();
    let mut parent = String::new();
    let mut in_message = false;
    let mut end = None;
    for &n in lines {
        let line = doc.line(n);
        if line.trim().is_empty() {
            in_message = false;
            continue;
        }
        end = Some(n);
        let parsed = kv(line);
        let target = match parent.as_str() {
            "State" => Some(&mut current),
            "Last State" => Some(&mut last),
            _ => None,
        };
        match parsed {
            Some(k) if k.indent == pi => {
                in_message = false;
                parent = k.key.to_owned();
                let v = non_empty(k.value);
                match k.key {
                    "Container ID" => w.container_id = v,
                    "Image" => w.image = v,
                    "Image ID" => w.image_id = v,
                    "State" => current.state = v,
                    "Last State" => last.state = v,
                    "Restart Count" => w.restart_count = k.value.parse().ok(),
                    _ => {}
                }
            }
            Some(k) if k.indent > pi && is_state_sub_key(k.key) && target.is_some() => {
                in_message = k.key == "Message";
                if let Some(s) = target {
                    let v = non_empty(k.value);
                    match k.key {
                        "Reason" => s.reason = v,
                        "Message" => s.message = v,
                        "Exit Code" => s.exit_code = k.value.parse().ok(),
                        _ => {}
                    }
                }
            }
            // Quirk `raw continuation`: the rest of a multi-line or wrapped message.
            _ if in_message => {
                if let Some(s) = target {
                    let m = s.message.get_or_insert_with(String::new);
                    m.push('\n');
                    m.push_str(line.trim_start());
                }
            }
            _ => {}
        }
    }
    apply_states(w, &current, &last);
    end
}

fn non_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty() && v != "<none>").then(|| v.to_owned())
}

// ---------------------------------------------------------------------------
// Events tables
// ---------------------------------------------------------------------------

/// The object an `Events:` table belongs to.
struct EventObject {
    name: String,
    namespace: Option<String>,
    node: Option<String>,
}

/// One parsed event row, before continuation lines are added.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row<'a> {
    event_type: &'a str,
    reason: &'a str,
    source: &'a str,
    count: u64,
    first_seen: Option<&'a str>,
    last_seen: Option<&'a str>,
    message: &'a str,
}

fn token(i: &str) -> IResult<&str, &str> {
    take_till1(|c: char| c.is_whitespace()).parse(i)
}

fn event_type(i: &str) -> IResult<&str, &str> {
    alt((tag("Normal"), tag("Warning"))).parse(i)
}

/// `(x151 over 33m)` → (151, `33m`).
pub(crate) fn repeat_suffix(i: &str) -> IResult<&str, (u64, &str)> {
    let (i, (count, over)) = delimited(
        tag("(x"),
        (
            map(digit1, |d: &str| d.parse::<u64>().unwrap_or(u64::MAX)),
            preceded(tag(" over "), take_till1(|c| c == ')' || c == ' ')),
        ),
        char(')'),
    )
    .parse(i)?;
    Ok((i, (count, over)))
}

/// A `(xN over T)` suffix, read: the count and the `over` age.
pub(crate) type Repeat<'a> = Option<(u64, &'a str)>;

/// `Age` column: `96s`, `<invalid>`, `2m10s (x42 over 18m)`.
fn age(i: &str) -> IResult<&str, (&str, Repeat<'_>)> {
    (token, opt(preceded(space1, repeat_suffix))).parse(i)
}

/// `From` column: `kubelet`, `default-scheduler`, `kubelet, aksw22np000001`.
fn source(i: &str) -> IResult<&str, &str> {
    let (rest1, first) = token(i)?;
    if first.ends_with(',') {
        if let Ok((rest2, _)) = (space1::<&str, nom::error::Error<&str>>, token).parse(rest1) {
            let used = i.len() - rest2.len();
            return Ok((rest2, i.get(..used).unwrap_or(first)));
        }
    }
    Ok((rest1, first))
}

/// Current row (kubectl ≥ 1.9):
/// `  Warning  Failed  95s (x23 over 112m)  kubelet  Error: failed to …`
fn new_row(line: &str) -> IResult<&str, Row<'_>> {
    let (i, _) = space0.parse(line)?;
    let (i, event_type) = event_type(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, reason) = token(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, (last, repeat)) = age(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, source) = source(i)?;
    let (i, _) = space0.parse(i)?;
    let (count, first) = repeat.map_or((1, last), |(c, over)| (c.max(1), over));
    Ok((
        "",
        Row {
            event_type,
            reason,
            source,
            count,
            first_seen: Some(first),
            last_seen: Some(last),
            message: i.trim_end(),
        },
    ))
}

/// Old row (kubectl ≤ 1.8), SubObjectPath may be empty:
/// `  33m  2m  11  kubelet, 38519acs9011  spec.containers{web}  Warning  Failed  Error: …`
fn old_row(line: &str) -> IResult<&str, Row<'_>> {
    let (i, _) = space0.parse(line)?;
    let (i, first) = token(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, last) = token(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, count) = digit1(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, source) = source(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, _sub) = opt((
        verify(token, |t: &str| t != "Normal" && t != "Warning"),
        space1,
    ))
    .parse(i)?;
    let (i, event_type) = event_type(i)?;
    let (i, _) = space1.parse(i)?;
    let (i, reason) = token(i)?;
    let (i, _) = space0.parse(i)?;
    Ok((
        "",
        Row {
            event_type,
            reason,
            source,
            count: count.parse::<u64>().unwrap_or(1).max(1),
            first_seen: Some(first),
            last_seen: Some(last),
            message: i.trim_end(),
        },
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableFormat {
    /// `FirstSeen LastSeen Count From SubObjectPath Type Reason Message`
    Old,
    /// `Type Reason Age From Message`
    Current,
    /// No header line seen: try both row shapes.
    Unknown,
}

fn table_format(line: &str) -> Option<TableFormat> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.starts_with(&["FirstSeen", "LastSeen", "Count"]) {
        Some(TableFormat::Old)
    } else if words.starts_with(&["Type", "Reason", "Age", "From"]) {
        Some(TableFormat::Current)
    } else {
        None
    }
}

fn row(line: &str, format: TableFormat) -> Option<Row<'_>> {
    let parse_new = || new_row(line).ok().map(|(_, r)| r);
    let parse_old = || old_row(line).ok().map(|(_, r)| r);
    match format {
        TableFormat::Current => parse_new(),
        TableFormat::Old => parse_old(),
        TableFormat::Unknown => parse_new().or_else(parse_old),
    }
}

/// `kubelet, node` → `node`.
pub(crate) fn node_of_source(source: &str) -> Option<String> {
    source
        .split_once(',')
        .map(|(_, n)| n.trim().to_owned())
        .filter(|n| !n.is_empty())
}

/// Event rows of an `Events:` body; a line that is not a row continues the
/// previous row's message (joined with `\n`, as kubectl printed it).
fn events_table(doc: &Doc, body: &[usize], object: &EventObject) -> Vec<(usize, usize, Event)> {
    let mut format = TableFormat::Unknown;
    let mut events: Vec<(usize, usize, Event)> = Vec::new();
    for &n in body {
        let line = doc.line(n);
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(f) = table_format(line) {
            format = f;
            continue;
        }
        if t.chars().all(|c| c == '-' || c == ' ') {
            continue;
        }
        if let Some(r) = row(line, format) {
            let node = node_of_source(r.source).or_else(|| {
                r.source
                    .starts_with("kubelet")
                    .then(|| object.node.clone())
                    .flatten()
            });
            events.push((
                n,
                n,
                Event {
                    object: Some(object.name.clone()),
                    namespace: object.namespace.clone(),
                    event_type: Some(r.event_type.to_owned()),
                    reason: r.reason.to_owned(),
                    source: Some(r.source.to_owned()),
                    node,
                    count: r.count,
                    first_seen: r.first_seen.map(str::to_owned),
                    last_seen: r.last_seen.map(str::to_owned),
                    message: r.message.to_owned(),
                },
            ));
        } else if let Some(last) = events.last_mut() {
            last.1 = n;
            last.2.message.push('\n');
            last.2.message.push_str(line.trim_start());
        }
    }
    events
}

/// Quirk `headerless events` (corpus 011): event rows pasted without the
/// describe block or the table header, e.g.
/// `  Warning  FailedCreatePodSandBox  21s (x4 over 26s)  kubelet, win-node  Failed create pod sandbox: …`.
/// Only rows whose source is the kubelet or scheduler are taken, so that
/// other tables are not mistaken for events. The object is unknown.
fn scan_loose_events(doc: &Doc, covered: &[(usize, usize)], out: &mut Output) {
    let inside = |n: usize| covered.iter().any(|&(a, b)| a <= n && n <= b);
    let object = EventObject {
        name: String::new(),
        namespace: None,
        node: None,
    };
    let mut n = 1;
    while n <= doc.len() {
        let is_loose_row = |m: usize| {
            !inside(m)
                && new_row(doc.line(m)).is_ok_and(|(_, r)| {
                    r.source.starts_with("kubelet") || r.source == "default-scheduler"
                })
        };
        if !is_loose_row(n) {
            n += 1;
            continue;
        }
        let start = n;
        let mut end = n;
        let mut m = n + 1;
        while m <= doc.len()
            && !inside(m)
            && !doc.line(m).trim().is_empty()
            && !is_prompt(doc.line(m))
        {
            end = m;
            m += 1;
        }
        let body: Vec<usize> = (start..=end).collect();
        out.section(SectionKind::KubectlDescribePod, start, end);
        for (line, last, mut ev) in events_table(doc, &body, &object) {
            ev.object = None;
            out.record(
                SectionKind::KubectlDescribePod,
                line,
                last,
                RecordData::Event(ev),
            );
        }
        n = end + 1;
    }
}

// ---------------------------------------------------------------------------
// describe node
// ---------------------------------------------------------------------------

fn describe_node(doc: &Doc, block: &Block, entries: &[Entry], out: &mut Output) {
    let Some(name) = value_of(entries, "Name") else {
        return;
    };
    let labels = entry(entries, "Labels")
        .map(|e| split_pairs(&multi_values(doc, e)))
        .unwrap_or_default();
    let sub = |key: &str| -> Vec<(String, String)> {
        entry(entries, key)
            .map(|e| {
                e.body
                    .iter()
                    .filter_map(|&n| kv(doc.line(n)))
                    .map(|k| (k.key.to_owned(), k.value.to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let info = sub("System Info");
    let info_value = |key: &str| {
        info.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let addresses = sub("Addresses")
        .into_iter()
        .filter(|(k, v)| k.ends_with("IP") && !v.is_empty())
        .map(|(_, v)| v)
        .collect();
    let status = entry(entries, "Conditions").and_then(|e| {
        e.body.iter().find_map(|&n| {
            let mut words = doc.line(n).split_whitespace();
            (words.next() == Some("Ready"))
                .then(|| words.next())
                .flatten()
                .and_then(ready_status)
        })
    });
    let kernel = info_value("Kernel Version");
    let os_image = info_value("OS Image");
    let build_label = label(&labels, WINDOWS_BUILD_LABEL);
    let (version, version_text) = host_version(
        kernel.as_deref(),
        os_image.as_deref(),
        build_label.as_deref(),
    );
    let facts = HostFacts {
        name: Some(name.clone()),
        version,
        version_text,
        kind: os_image.as_deref().and_then(host_kind),
        os_name: os_image,
        os_type: info_value("Operating System")
            .or_else(|| label(&labels, "kubernetes.io/os"))
            .or_else(|| label(&labels, "beta.kubernetes.io/os")),
        runtime: info_value("Container Runtime Version"),
        default_isolation: None,
        labels,
        addresses,
        status,
    };
    out.record(
        SectionKind::KubectlDescribeNode,
        block.start,
        block.end,
        RecordData::Host(facts),
    );
    if let Some(e) = entry(entries, "Events") {
        let object = EventObject {
            name: name.clone(),
            namespace: None,
            node: Some(name),
        };
        for (line, end, ev) in events_table(doc, &e.body, &object) {
            out.record(
                SectionKind::KubectlDescribeNode,
                line,
                end,
                RecordData::Event(ev),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers shared with kubectl_get and kube_json
// ---------------------------------------------------------------------------

/// The label kubelet sets on Windows nodes (`10.0.17763`, no revision).
pub(crate) const WINDOWS_BUILD_LABEL: &str = "node.kubernetes.io/windows-build";

pub(crate) fn label(labels: &[(String, String)], key: &str) -> Option<String> {
    labels
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// The Ready condition's status → `Ready` / `NotReady` / `Unknown`.
pub(crate) fn ready_status(status: &str) -> Option<String> {
    match status {
        "True" => Some("Ready".to_owned()),
        "False" => Some("NotReady".to_owned()),
        "Unknown" => Some("Unknown".to_owned()),
        _ => None,
    }
}

/// Server or client SKU from an OS image / product name:
/// `Windows Server 2022 Datacenter` → Server, `Windows 10 Enterprise` → Client.
pub(crate) fn host_kind(os_image: &str) -> Option<HostKind> {
    if os_image.contains("Server") {
        Some(HostKind::Server)
    } else if os_image.contains("Windows 10") || os_image.contains("Windows 11") {
        Some(HostKind::Client)
    } else {
        None
    }
}

/// A node's version from, in order of preference:
/// - the kernel version: `10.0.17763.1397` (kubelet winstats), or the older
///   docker-info shape `10.0 14393 (14393.1715.amd64fre.rs1_release_inmarket.170906-1810)`
///   (Kubernetes 1.7 era, corpus 008; the revision is read from the
///   build-lab string only when its build matches);
/// - the OS image when it carries a version, `Microsoft Windows [Version 10.0.14393]`
///   (Kubernetes 1.9 alpha, `cmd /c ver`), used when it adds a revision the
///   kernel version lacks;
/// - the `node.kubernetes.io/windows-build` label `10.0.17763` (build only).
///
/// Returns the version and the text it was read from.
pub(crate) fn host_version(
    kernel: Option<&str>,
    os_image: Option<&str>,
    build_label: Option<&str>,
) -> (Option<WindowsVersion>, Option<String>) {
    // Linux kernels (`6.8.0-57-generic`) are never read as Windows versions.
    let from_kernel = kernel
        .filter(|k| k.trim_start().starts_with("10."))
        .and_then(|k| kernel_version(k).map(|v| (v, k.to_owned())));
    let from_image = os_image.and_then(|t| {
        let inner = t.split_once("[Version ")?.1.split(']').next()?;
        parse_any(inner).ok().map(|v| (v, t.to_owned()))
    });
    let chosen = match (from_kernel, from_image) {
        (Some(k), Some(i)) if k.0.revision.is_none() && i.0.revision.is_some() => Some(i),
        (Some(k), _) => Some(k),
        (None, Some(i)) => Some(i),
        (None, None) => build_label.and_then(|l| {
            parse_any(l)
                .ok()
                .map(|v| (v.without_revision(), l.to_owned()))
        }),
    };
    match chosen {
        Some((v, t)) => (Some(v), Some(t)),
        None => (None, None),
    }
}

/// `10.0.20348.3453` or `10.0 14393 (14393.1715.amd64fre…)`.
fn kernel_version(text: &str) -> Option<WindowsVersion> {
    let text = text.trim();
    if let Ok(v) = parse_any(text) {
        return Some(v);
    }
    docker_kernel(text).ok().map(|(_, v)| v)
}

/// Quirk `docker-info kernel` (Kubernetes 1.7 with dockershim printed the
/// docker daemon's kernel string): `10.0 14393 (14393.1715.amd64fre.…)`.
fn docker_kernel(i: &str) -> IResult<&str, WindowsVersion> {
    let (i, (_, _, build)) = (tag("10.0"), space1, digit1).parse(i)?;
    let build: u32 = build.parse().unwrap_or(0);
    let (i, lab) = opt(preceded(
        space1,
        preceded(char('('), (digit1, char('.'), digit1)),
    ))
    .parse(i)?;
    let revision = lab
        .filter(|(b, _, _)| b.parse::<u32>().ok() == Some(build))
        .and_then(|(_, _, r)| r.parse().ok());
    Ok((i, WindowsVersion::new(build, revision)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn key_value_line_grammar() {
        assert_eq!(
            kv("    Restart Count:  31"),
            Some(KeyValue {
                indent: 4,
                key: "Restart Count",
                value: "31"
            })
        );
        assert_eq!(kv("Containers:").map(|k| k.value), Some(""));
        assert_eq!(kv("                os=windows:NoSchedule"), None);
        assert_eq!(kv("(extra info: {\"SystemType\":\"Container\"})"), None);
        assert_eq!(kv("node.alpha.kubernetes.io/ttl: 0"), None);
        assert_eq!(kv("Output for our example is as follows:"), None);
    }

    const TWO_PODS: &str = "\
$ kubectl describe pods -n shop
Name:             orders-web-5d9c7b8f6-x2kqp
Namespace:        shop
Node:             aksw22np000001/10.224.0.95
Labels:           app=orders-web
                  pod-template-hash=5d9c7b8f6
Status:           Running
Containers:
  orders-web:
    Container ID:   containerd://4be1c0de9f0a7d61e2a1c7f3b9e0d5a6c8b7f1e2d3c4b5a6978877665544aa01
    Image:          contosoregistry.azurecr.io/orders-web:2.3.1
    Image ID:       contosoregistry.azurecr.io/orders-web@sha256:7f1e2d3c4b5a69788776655443322110ffeeddccbbaa99887766554433221100
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       StartError
      Message:      failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem 4be1c0de9f0a: The container operating system does not match the host operating system.: unknown
      Exit Code:    128
    Ready:          False
    Restart Count:  42
Node-Selectors:   kubernetes.io/os=windows
                  node.kubernetes.io/windows-build=10.0.20348
Tolerations:      os=windows:NoSchedule
Runtime Class Name:  windows-2022
Events:
  Type     Reason   Age                 From     Message
  ----     ------   ----                ----     -------
  Normal   Pulled   2m (x43 over 18m)   kubelet  Container image \"contosoregistry.azurecr.io/orders-web:2.3.1\" already present on machine
  Warning  Failed   2m (x42 over 18m)   kubelet  Error: failed to create containerd task: hcs::CreateComputeSystem 4be1c0de9f0a: The container operating system does not match the host operating system.: unknown
  Warning  BackOff  15s (x151 over 33m)  kubelet  Back-off restarting failed container orders-web in pod orders-web-5d9c7b8f6-x2kqp_shop(0d9e)


Name:             orders-web-5d9c7b8f6-p7lmn
Namespace:        shop
Node:             akswin19np000001/10.224.0.60
Status:           Running
Containers:
  orders-web:
    Container ID:   containerd://77aa
    Image:          contosoregistry.azurecr.io/orders-web:2.3.1
    State:          Running
      Started:      Mon, 04 Mar 2024 09:12:00 +0000
    Ready:          True
    Restart Count:  0
  sidecar:
    Image:          contosoregistry.azurecr.io/log-shipper:1.0
    State:          Running
    Restart Count:  0
Node-Selectors:   <none>
Events:           <none>
";

    #[test]
    fn several_pods_in_one_describe_output() {
        let out = parse(TWO_PODS);
        assert_eq!(out.sections.len(), 2);
        assert_eq!(out.sections[0].kind, SectionKind::KubectlDescribePod);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 30));
        assert_eq!(out.sections[1].line, 33);
        let ws = out.workloads();
        assert_eq!(ws.len(), 3);
        let (rec, w) = ws[0];
        assert_eq!((rec.line, rec.end_line), (9, 20));
        assert_eq!(w.name, "orders-web-5d9c7b8f6-x2kqp");
        assert_eq!(w.namespace.as_deref(), Some("shop"));
        assert_eq!(w.container_name.as_deref(), Some("orders-web"));
        assert_eq!(w.node.as_deref(), Some("aksw22np000001"));
        assert_eq!(
            w.image.as_deref(),
            Some("contosoregistry.azurecr.io/orders-web:2.3.1")
        );
        assert!(w
            .container_id
            .as_deref()
            .unwrap()
            .starts_with("containerd://4be1"));
        assert_eq!(w.state.as_deref(), Some("Waiting (CrashLoopBackOff)"));
        assert_eq!(w.reason.as_deref(), Some("StartError"));
        assert!(w
            .error
            .as_deref()
            .unwrap()
            .contains("hcs::CreateComputeSystem"));
        assert_eq!(w.exit_code, Some(128));
        assert_eq!(w.restart_count, Some(42));
        assert!(!w.running);
        assert_eq!(
            w.node_selector,
            vec![
                ("kubernetes.io/os".to_owned(), "windows".to_owned()),
                (
                    "node.kubernetes.io/windows-build".to_owned(),
                    "10.0.20348".to_owned()
                )
            ]
        );
        assert_eq!(w.runtime_class.as_deref(), Some("windows-2022"));

        let (_, second) = ws[1];
        assert_eq!(second.node.as_deref(), Some("akswin19np000001"));
        assert!(second.running);
        assert_eq!(second.state.as_deref(), Some("Running"));
        assert_eq!(second.reason, None);
        assert!(second.node_selector.is_empty());
        assert_eq!(ws[2].1.container_name.as_deref(), Some("sidecar"));
    }

    #[test]
    fn current_event_table_with_repeat_counts() {
        let out = parse(TWO_PODS);
        let evs = out.events();
        assert_eq!(evs.len(), 3);
        let (rec, failed) = evs[1];
        assert_eq!((rec.line, rec.end_line), (29, 29));
        assert_eq!(failed.object.as_deref(), Some("orders-web-5d9c7b8f6-x2kqp"));
        assert_eq!(failed.namespace.as_deref(), Some("shop"));
        assert_eq!(failed.event_type.as_deref(), Some("Warning"));
        assert_eq!(failed.reason, "Failed");
        assert_eq!(failed.source.as_deref(), Some("kubelet"));
        assert_eq!(failed.node.as_deref(), Some("aksw22np000001"));
        assert_eq!(failed.count, 42);
        assert_eq!(failed.first_seen.as_deref(), Some("18m"));
        assert_eq!(failed.last_seen.as_deref(), Some("2m"));
        assert!(failed
            .message
            .starts_with("Error: failed to create containerd task"));
        assert_eq!(evs[2].1.count, 151);
        assert_eq!(evs[2].1.first_seen.as_deref(), Some("33m"));
    }

    const OLD_POD: &str = "\
Name:           web-0
Namespace:      legacy
Node:           winnode7/10.1.0.7
Status:         Running
Containers:
  web:
    Container ID:       docker://aa11
    Image:              example/web:1709
    State:              Waiting
      Reason:           CrashLoopBackOff
    Last State:         Terminated
      Reason:           ContainerCannotRun
      Message:          container aa11 encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)
extra info: {\"SystemType\":\"Container\",\"HvPartition\":false}
      Exit Code:        128
    Ready:              False
    Restart Count:      10
Node-Selectors: beta.kubernetes.io/os=windows
Tolerations:    <none>
Events:
  FirstSeen     LastSeen        Count   From                    SubObjectPath           Type            Reason          Message
  ---------     --------        -----   ----                    -------------           --------        ------          -------
  49m           49m             1       default-scheduler                               Normal          Scheduled       Successfully assigned web-0 to winnode7
  33m           2m              11      kubelet, winnode7       spec.containers{web}    Warning         Failed          Error: failed to start container \"web\": Error response from daemon
  32m           11s             139     kubelet, winnode7       spec.containers{web}    Warning         BackOff         Back-off restarting failed container

$ kubectl get node
";

    #[test]
    fn old_event_table_and_raw_message_continuation() {
        let out = parse(OLD_POD);
        assert_eq!(out.sections.len(), 1);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 25));
        let ws = out.workloads();
        assert_eq!(ws.len(), 1);
        let (rec, w) = ws[0];
        assert_eq!((rec.line, rec.end_line), (6, 17));
        assert_eq!(w.reason.as_deref(), Some("ContainerCannotRun"));
        assert!(w
            .error
            .as_deref()
            .unwrap()
            .ends_with("\"HvPartition\":false}"));
        assert_eq!(w.exit_code, Some(128));
        assert_eq!(w.restart_count, Some(10));
        let evs = out.events();
        assert_eq!(evs.len(), 3);
        assert_eq!(evs[0].1.source.as_deref(), Some("default-scheduler"));
        assert_eq!(evs[0].1.node, None);
        let failed = evs[1].1;
        assert_eq!(failed.reason, "Failed");
        assert_eq!(failed.count, 11);
        assert_eq!(failed.first_seen.as_deref(), Some("33m"));
        assert_eq!(failed.last_seen.as_deref(), Some("2m"));
        assert_eq!(failed.source.as_deref(), Some("kubelet, winnode7"));
        assert_eq!(failed.node.as_deref(), Some("winnode7"));
        assert!(failed
            .message
            .starts_with("Error: failed to start container"));
        assert_eq!(evs[2].1.count, 139);
    }

    #[test]
    fn event_message_continues_on_following_lines() {
        let text = "\
Name:         api-1
Namespace:    default
Node:         win-a/10.0.0.4
Containers:
  api:
    Image:      example/api:1
    State:      Waiting
      Reason:   ContainerCreating
Events:
  Type     Reason                  Age                From     Message
  ----     ------                  ----               ----     -------
  Warning  FailedCreatePodSandBox  3s (x4 over 40s)   kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = hcs::CreateComputeSystem 55aa: The container operating system does not match the host operating system.
(extra info: {\"SystemType\":\"Container\",\"Name\":\"55aa\"})
  Normal   SandboxChanged          2s (x5 over 40s)   kubelet  Pod sandbox changed, it will be killed and re-created.
";
        let out = parse(text);
        let evs = out.events();
        assert_eq!(evs.len(), 2);
        assert_eq!((evs[0].0.line, evs[0].0.end_line), (12, 13));
        assert!(evs[0].1.message.ends_with("\"Name\":\"55aa\"})"));
        assert_eq!(evs[0].1.node.as_deref(), Some("win-a"));
        assert_eq!(evs[1].1.reason, "SandboxChanged");
        let ws = out.workloads();
        assert_eq!(
            ws[0].1.state.as_deref(),
            Some("Waiting (ContainerCreating)")
        );
        assert_eq!(ws[0].1.reason.as_deref(), Some("ContainerCreating"));
    }

    #[test]
    fn headerless_event_rows() {
        let text = "Normal   SandboxChanged          22s (x12 over 41s)  kubelet, win-node-9  Pod sandbox changed, it will be killed and re-created.\n  Warning  FailedCreatePodSandBox  21s (x4 over 26s)   kubelet, win-node-9  (combined from similar events): Failed create pod sandbox: CreateComputeSystem 9f: The container operating system does not match the host operating system.\n(extra info: {\"SystemType\":\"Container\"})\n";
        let out = parse(text);
        assert_eq!(out.sections.len(), 1);
        let evs = out.events();
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].1.count, 12);
        assert_eq!(evs[1].1.reason, "FailedCreatePodSandBox");
        assert_eq!(evs[1].1.node.as_deref(), Some("win-node-9"));
        assert_eq!((evs[1].0.line, evs[1].0.end_line), (2, 3));
        assert_eq!(evs[1].1.object, None);
    }

    const NODE: &str = "\
Name:               akswin19np000000
Roles:              agent
Labels:             beta.kubernetes.io/os=windows
                    kubernetes.io/os=windows
                    node.kubernetes.io/instance-type=Standard_D4s_v3
                    node.kubernetes.io/windows-build=10.0.17763
Annotations:        node.alpha.kubernetes.io/ttl: 0
Taints:             <none>
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  Ready            True    Mon, 04 Mar 2024 09:00:00 +0000   Sun, 03 Mar 2024 08:00:00 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  Hostname:    akswin19np000000
  InternalIP:  10.224.0.33
System Info:
  Machine ID:                 akswin19np000000
  Kernel Version:             10.0.17763.5458
  OS Image:                   Windows Server 2019 Datacenter
  Operating System:           windows
  Architecture:               amd64
  Container Runtime Version:  containerd://1.6.21+azure
  Kubelet Version:            v1.27.9
Events:              <none>
";

    #[test]
    fn describe_node_system_info_and_labels() {
        let out = parse(NODE);
        assert_eq!(out.sections[0].kind, SectionKind::KubectlDescribeNode);
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        let (rec, h) = hs[0];
        assert_eq!((rec.line, rec.end_line), (1, 24));
        assert_eq!(h.name.as_deref(), Some("akswin19np000000"));
        assert_eq!(h.version, Some(WindowsVersion::new(17763, Some(5458))));
        assert_eq!(h.version_text.as_deref(), Some("10.0.17763.5458"));
        assert_eq!(h.os_name.as_deref(), Some("Windows Server 2019 Datacenter"));
        assert_eq!(h.os_type.as_deref(), Some("windows"));
        assert_eq!(h.kind, Some(HostKind::Server));
        assert_eq!(h.runtime.as_deref(), Some("containerd://1.6.21+azure"));
        assert_eq!(h.labels.len(), 4);
        assert_eq!(
            label(&h.labels, WINDOWS_BUILD_LABEL).as_deref(),
            Some("10.0.17763")
        );
        assert_eq!(h.addresses, vec!["10.224.0.33".to_owned()]);
        assert_eq!(h.status.as_deref(), Some("Ready"));
    }

    #[test]
    fn old_node_kernel_form_with_elision() {
        let text = "\
$ kubectl describe node winold1

Name:                   winold1
Role:
Labels:                 beta.kubernetes.io/os=windows
Taints:                 <none>

...

System Info:
 Machine ID:                    winold1
 Kernel Version:                10.0 14393 (14393.1770.amd64fre.rs1_release_inmarket.170906-1810)
 OS Image:
 Operating System:              windows
 ...
";
        let out = parse(text);
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!(
            hs[0].1.version,
            Some(WindowsVersion::new(14393, Some(1770)))
        );
        assert_eq!(hs[0].1.os_name, None);
        assert_eq!(hs[0].1.kind, None);
    }

    #[test]
    fn node_version_fallbacks() {
        assert_eq!(
            host_version(None, None, Some("10.0.20348")).0,
            Some(WindowsVersion::new(20348, None))
        );
        assert_eq!(
            host_version(
                Some("10.0.14393"),
                Some("Microsoft Windows [Version 10.0.14393.2068]"),
                None
            )
            .0,
            Some(WindowsVersion::new(14393, Some(2068)))
        );
        assert_eq!(
            host_version(
                Some("10.0 19042 (19041.1.amd64fre.vb_release.191206-1406)"),
                None,
                None
            )
            .0,
            Some(WindowsVersion::new(19042, None))
        );
        assert_eq!(host_version(Some("6.8.0-57-generic"), None, None).0, None);
    }

    #[test]
    fn not_docker_info() {
        let text = "Name: WIN-HOST\nContainers: 3\nKernel Version: 10.0 17763 (17763.1.amd64fre.rs5_release.180914-1434)\nOperating System: Windows Server 2019 Datacenter\n";
        let out = parse(text);
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "Name:",
            "Name: x\nNamespace:\nContainers:\n  c:\n",
            "Name: x\nNamespace: y\nContainers:\n\u{3000}é:\n    State: ",
            "Name: x\nNamespace: y\nEvents:\n  Warning  Failed  1s (x99999999999999999999999 over 1s)  kubelet  m",
        ] {
            let _ = parse(text);
        }
    }
}
