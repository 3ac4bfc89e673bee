//! `kubectl get nodes|pods|events` tables (default, `-o wide`, `-A`,
//! `--show-labels`, `-L label`), found by their header lines anywhere in a
//! document. Cells are cut at the header's column offsets because some
//! cells hold spaces (`OS-IMAGE` `Windows Server 2022 Datacenter`,
//! `RESTARTS` `31 (2m ago)`, `LAST SEEN`) and some may be empty (old
//! `SUBOBJECT`).
//!
//! Nodes become `HostFacts`, pods `Workload`s (without a container name),
//! events `Event`s. This module states what the table says; compatibility
//! is `knowledge`'s business and failure messages are the failure
//! recogniser's.

use super::doc::{Doc, Output};
use super::kubectl_describe::{
    host_kind, host_version, label, node_of_source, repeat_suffix, Repeat, WINDOWS_BUILD_LABEL,
};
use crate::model::{Event, HostFacts, RecordData, SectionKind, Workload, WorkloadKind};
use nom::bytes::complete::take_till1;
use nom::character::complete::space1;
use nom::combinator::opt;
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// Longest table we follow, in rows.
const MAX_ROWS: usize = 100_000;

/// Literals (lower case) of the `kubectl get` tables, for the streaming
/// prefilter (`super::prefilter`): `KERNEL-VERSION` of `get nodes -o wide`,
/// as `kernel` (shared with the other parsers of a kernel version).
pub const LITERALS: &[&str] = &["kernel"];

/// Scan `doc` for `kubectl get` tables.
pub fn scan(doc: &Doc, out: &mut Output) {
    let mut n = 1;
    while n <= doc.len() {
        let line = doc.line(n);
        let Some((kind, cols)) = table_header(line) else {
            n += 1;
            continue;
        };
        let namespace = command_namespace(doc, n);
        let end = match kind {
            TableKind::Nodes => nodes(doc, n, &cols, out),
            TableKind::Pods => pods(doc, n, &cols, namespace.as_deref(), out),
            TableKind::Events => events(doc, n, &cols, namespace.as_deref(), out),
        };
        if end > n {
            let section = match kind {
                TableKind::Nodes => SectionKind::KubectlGetNodes,
                TableKind::Pods => SectionKind::KubectlGetPods,
                TableKind::Events => SectionKind::KubectlGetEvents,
            };
            out.section(section, n, end);
        }
        n = end.max(n) + 1;
    }
}

// ---------------------------------------------------------------------------
// Header and cells
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Nodes,
    Pods,
    Events,
}

/// A header column: its name and the character offset where its cells start.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    name: String,
    start: usize,
}

/// Split a header at runs of two or more spaces (kubectl's tabwriter pads
/// with at least three), keeping single-space names such as `LAST SEEN` and
/// `NOMINATED NODE`: `NAME   STATUS   ROLES` → NAME@0, STATUS@7, ROLES@16.
fn header_columns(line: &str) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    let mut spaces = usize::MAX; // "start of line" counts as a separator
    for (i, c) in line.chars().enumerate() {
        if c == ' ' {
            spaces = spaces.saturating_add(1);
            continue;
        }
        match cols.last_mut() {
            Some(col) if spaces < 2 => {
                if spaces == 1 {
                    col.name.push(' ');
                }
                col.name.push(c);
            }
            _ => cols.push(Column {
                name: c.to_string(),
                start: i,
            }),
        }
        spaces = 0;
    }
    cols
}

/// Which table a header line starts, and its columns:
/// - nodes: `NAME  STATUS  ROLES  AGE  VERSION [INTERNAL-IP … CONTAINER-RUNTIME] [LABELS] [-L columns]`
///   (kubectl ≤ 1.7 has no ROLES);
/// - pods: `[NAMESPACE]  NAME  READY  STATUS  RESTARTS  AGE [IP  NODE  NOMINATED NODE  READINESS GATES]`;
/// - events: `[NAMESPACE]  LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` (kubectl ≥ 1.14),
///   `-o wide` adds `SUBOBJECT SOURCE … FIRST SEEN COUNT NAME`; old
///   `LASTSEEN  FIRSTSEEN  COUNT  NAME  KIND  SUBOBJECT  TYPE  REASON  SOURCE  MESSAGE`.
fn table_header(line: &str) -> Option<(TableKind, Vec<Column>)> {
    let first = line.trim_start();
    if !(first.starts_with("NAME") || first.starts_with("LAST")) {
        return None;
    }
    let cols = header_columns(line);
    let upper = |c: &Column| {
        c.name
            .chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || " -_./()".contains(ch))
    };
    if cols.len() < 3 || !cols.iter().all(upper) {
        return None;
    }
    let has = |name: &str| cols.iter().any(|c| c.name == name);
    let kind = if has("READY") && has("STATUS") && has("RESTARTS") {
        TableKind::Pods
    } else if has("STATUS") && has("VERSION") && (has("AGE") || has("ROLES")) {
        TableKind::Nodes
    } else if (has("LAST SEEN") && has("TYPE") && has("REASON") && has("OBJECT"))
        || (has("LASTSEEN") && has("FIRSTSEEN") && has("COUNT") && has("KIND"))
    {
        TableKind::Events
    } else {
        return None;
    };
    Some((kind, cols))
}

/// The cells of a row, or `None` when the row does not line up with the
/// header (it starts at another indentation, or a cell boundary falls inside
/// a word).
///
/// Quirk `re-spaced row`: when a row does not line up (a paste that
/// collapsed or changed spacing) but splitting it at runs of 2+ spaces gives
/// at least as many pieces as there are columns, the pieces are used and
/// the last column takes the rest.
fn cells(line: &str, cols: &[Column]) -> Option<Vec<String>> {
    let first = cols.first()?;
    let offsets: Vec<usize> = line
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(line.len()))
        .collect();
    let nchars = offsets.len() - 1;
    let byte_at = |ch: usize| offsets.get(ch).copied().unwrap_or(line.len());
    let char_at = |ch: usize| {
        line.get(byte_at(ch)..)
            .and_then(|s| s.chars().next())
            .unwrap_or(' ')
    };
    let starts_right = first.start < nchars
        && char_at(first.start) != ' '
        && (first.start == 0 || char_at(first.start - 1) == ' ');
    let aligned = starts_right
        && cols
            .iter()
            .skip(1)
            .all(|c| c.start >= nchars || char_at(c.start - 1) == ' ');
    if aligned {
        let mut out = Vec::with_capacity(cols.len());
        for (i, c) in cols.iter().enumerate() {
            let end = cols.get(i + 1).map_or(line.len(), |n| byte_at(n.start));
            let cell = line.get(byte_at(c.start)..end).unwrap_or("");
            out.push(cell.trim().to_owned());
        }
        return Some(out);
    }
    if indent_chars(line) != first.start {
        return None;
    }
    let pieces: Vec<&str> = split_wide(line.trim());
    if pieces.len() < cols.len() {
        return None;
    }
    let mut out: Vec<String> = pieces
        .iter()
        .take(cols.len() - 1)
        .map(|s| (*s).to_owned())
        .collect();
    let rest_start = pieces.get(cols.len() - 1).copied().unwrap_or("");
    // The rest of the line from the last column's first piece on.
    let trimmed = line.trim();
    let pos = rest_start.as_ptr() as usize - trimmed.as_ptr() as usize;
    out.push(trimmed.get(pos..).unwrap_or("").trim().to_owned());
    Some(out)
}

fn indent_chars(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

/// Split at runs of two or more spaces.
fn split_wide(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b' ') && bytes.get(i + 1) == Some(&b' ') {
            if let Some(piece) = s.get(start..i) {
                if !piece.is_empty() {
                    out.push(piece);
                }
            }
            while bytes.get(i) == Some(&b' ') {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    if let Some(piece) = s.get(start..) {
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

/// A row as a lookup from column name to trimmed cell.
struct Row<'c> {
    cols: &'c [Column],
    cells: Vec<String>,
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        let i = self.cols.iter().position(|c| c.name == name)?;
        self.cells
            .get(i)
            .map(String::as_str)
            .filter(|v| !v.is_empty() && *v != "<none>" && *v != "<unknown>")
    }
}

/// `kubectl get pods -n shop` / `--namespace=shop` on the nearest non-blank
/// line above the table, when that line is the command.
fn command_namespace(doc: &Doc, header: usize) -> Option<String> {
    let above = (1..header)
        .rev()
        .take(3)
        .map(|n| doc.line(n))
        .find(|l| !l.trim().is_empty())?;
    if !above.contains("kubectl") {
        return None;
    }
    let mut words = above.split_whitespace();
    while let Some(w) = words.next() {
        if w == "-n" || w == "--namespace" {
            return words.next().map(str::to_owned);
        }
        if let Some(ns) = w
            .strip_prefix("--namespace=")
            .or_else(|| w.strip_prefix("-n="))
        {
            return Some(ns.to_owned());
        }
    }
    None
}

/// `pod/orders-web-1` → `orders-web-1` (`kubectl get pods,nodes` prefixes
/// names with the resource).
fn bare_name(name: &str) -> &str {
    name.split_once('/').map_or(name, |(_, n)| n)
}

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

/// Rows of a nodes table, e.g.
/// `akswin19np000000   Ready   agent   3d   v1.27.9   10.224.0.33   <none>   Windows Server 2019 Datacenter   10.0.17763.5458   containerd://1.6.21+azure`.
/// Returns the last line used.
fn nodes(doc: &Doc, header: usize, cols: &[Column], out: &mut Output) -> usize {
    let mut end = header;
    for n in (header + 1..=doc.len()).take(MAX_ROWS) {
        let Some(cells) = cells(doc.line(n), cols) else {
            break;
        };
        let row = Row { cols, cells };
        let Some(status) = row.get("STATUS").filter(|s| {
            s.starts_with("Ready") || s.starts_with("NotReady") || s.starts_with("Unknown")
        }) else {
            break;
        };
        let Some(name) = row.get("NAME").map(bare_name) else {
            break;
        };
        let mut labels: Vec<(String, String)> = row
            .get("LABELS")
            .map(|l| {
                l.split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        for (i, col) in cols.iter().enumerate() {
            if is_node_column(&col.name) {
                continue;
            }
            if let Some(v) = row.cells.get(i).filter(|v| !v.is_empty()) {
                labels.push((label_key(&col.name), v.clone()));
            }
        }
        let os_image = row.get("OS-IMAGE").map(str::to_owned);
        let (version, version_text) = host_version(
            row.get("KERNEL-VERSION"),
            os_image.as_deref(),
            label(&labels, WINDOWS_BUILD_LABEL).as_deref(),
        );
        let os_type = label(&labels, "kubernetes.io/os")
            .or_else(|| label(&labels, "beta.kubernetes.io/os"))
            .or_else(|| {
                os_image
                    .as_deref()
                    .filter(|i| i.starts_with("Windows") || i.starts_with("Microsoft Windows"))
                    .map(|_| "windows".to_owned())
            });
        let facts = HostFacts {
            name: Some(name.to_owned()),
            version,
            version_text,
            kind: os_image.as_deref().and_then(host_kind),
            os_name: os_image,
            os_type,
            runtime: row.get("CONTAINER-RUNTIME").map(str::to_owned),
            default_isolation: None,
            labels,
            addresses: ["INTERNAL-IP", "EXTERNAL-IP"]
                .iter()
                .filter_map(|c| row.get(c).map(str::to_owned))
                .collect(),
            status: Some(status.to_owned()),
        };
        out.record(SectionKind::KubectlGetNodes, n, n, RecordData::Host(facts));
        end = n;
    }
    end
}

fn is_node_column(name: &str) -> bool {
    matches!(
        name,
        "NAME"
            | "STATUS"
            | "ROLES"
            | "AGE"
            | "VERSION"
            | "INTERNAL-IP"
            | "EXTERNAL-IP"
            | "OS-IMAGE"
            | "KERNEL-VERSION"
            | "CONTAINER-RUNTIME"
            | "LABELS"
    )
}

/// `-L node.kubernetes.io/windows-build` prints the column `WINDOWS-BUILD`
/// (kubectl upper-cases the last path segment); map the well-known ones back
/// to their full keys, keep others lower-cased.
fn label_key(column: &str) -> String {
    match column {
        "WINDOWS-BUILD" => WINDOWS_BUILD_LABEL.to_owned(),
        "OS" => "kubernetes.io/os".to_owned(),
        "ARCH" => "kubernetes.io/arch".to_owned(),
        "OSBUILD" => "beta.kubernetes.io/osbuild".to_owned(),
        "INSTANCE-TYPE" => "node.kubernetes.io/instance-type".to_owned(),
        other => other.to_ascii_lowercase(),
    }
}

// ---------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------

/// Rows of a pods table, e.g.
/// `orders-web-5d9c7b8f6-x2kqp   0/1   CrashLoopBackOff   42 (2m ago)   18m   10.224.0.101   aksw22np000001   <none>   <none>`.
fn pods(
    doc: &Doc,
    header: usize,
    cols: &[Column],
    namespace: Option<&str>,
    out: &mut Output,
) -> usize {
    let mut end = header;
    for n in (header + 1..=doc.len()).take(MAX_ROWS) {
        let Some(cells) = cells(doc.line(n), cols) else {
            break;
        };
        let row = Row { cols, cells };
        let ready_ok = row.get("READY").is_some_and(|r| {
            r.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.chars().all(|c| c.is_ascii_digit())
                    && b.chars().all(|c| c.is_ascii_digit())
            })
        });
        let (Some(name), true) = (row.get("NAME"), ready_ok) else {
            break;
        };
        let mut w = Workload::new(WorkloadKind::Pod, bare_name(name));
        w.namespace = row
            .get("NAMESPACE")
            .map(str::to_owned)
            .or_else(|| namespace.map(str::to_owned));
        w.node = row.get("NODE").map(str::to_owned);
        let status = row.get("STATUS");
        w.state = status.map(str::to_owned);
        w.reason = status.filter(|s| !is_phase(s)).map(str::to_owned);
        w.running = status == Some("Running");
        // `31 (96s ago)` → 31
        w.restart_count = row
            .get("RESTARTS")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|r| r.parse().ok());
        out.record(SectionKind::KubectlGetPods, n, n, RecordData::Workload(w));
        end = n;
    }
    end
}

/// Pod phases and the plain states kubectl prints; anything else in STATUS
/// (`CrashLoopBackOff`, `ContainerCannotRun`, `ErrImagePull`, `Init:Error`)
/// is a reason.
fn is_phase(status: &str) -> bool {
    matches!(
        status,
        "Running" | "Pending" | "Succeeded" | "Failed" | "Completed" | "Unknown" | "Terminating"
    )
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/// `2m (x5 over 10m)` → (`2m`, Some((5, `10m`))).
fn last_seen(i: &str) -> IResult<&str, (&str, Repeat<'_>)> {
    (
        take_till1(|c: char| c.is_whitespace()),
        opt(preceded(space1, repeat_suffix)),
    )
        .parse(i)
}

/// Rows of an events table, e.g.
/// `2m   Warning   Failed   pod/orders-web-5d9c7b8f6-x2kqp   Error: failed to create containerd task: …`.
/// A line that does not line up as a row, or whose TYPE is not
/// `Normal`/`Warning`, continues the previous row's message (kubectl prints
/// a message's own newlines as they are).
fn events(
    doc: &Doc,
    header: usize,
    cols: &[Column],
    namespace: Option<&str>,
    out: &mut Output,
) -> usize {
    let mut end = header;
    let mut current: Option<(usize, usize, Event)> = None;
    for n in (header + 1..=doc.len()).take(MAX_ROWS) {
        let line = doc.line(n);
        if line.trim().is_empty() {
            break;
        }
        let row = cells(line, cols).map(|cells| Row { cols, cells });
        let is_row = row
            .as_ref()
            .and_then(|r| r.get("TYPE"))
            .is_some_and(|t| t == "Normal" || t == "Warning");
        match row {
            Some(row) if is_row => {
                if let Some((a, b, ev)) = current.take() {
                    out.record(SectionKind::KubectlGetEvents, a, b, RecordData::Event(ev));
                }
                current = Some((n, n, event_of(&row, namespace)));
            }
            _ => match current.as_mut() {
                Some(cur) if !line.trim_start().starts_with("$ ") => {
                    cur.1 = n;
                    cur.2.message.push('\n');
                    cur.2.message.push_str(line.trim_start());
                }
                _ => break,
            },
        }
        end = n;
    }
    if let Some((a, b, ev)) = current {
        out.record(SectionKind::KubectlGetEvents, a, b, RecordData::Event(ev));
    }
    end
}

fn event_of(row: &Row<'_>, namespace: Option<&str>) -> Event {
    let seen = row.get("LAST SEEN").or_else(|| row.get("LASTSEEN"));
    let (last, repeat) = seen
        .and_then(|s| last_seen(s).ok().map(|(_, v)| v))
        .map_or((seen, None), |(l, r)| (Some(l), r));
    let count = row
        .get("COUNT")
        .and_then(|c| c.parse::<u64>().ok())
        .or(repeat.map(|(c, _)| c))
        .unwrap_or(1)
        .max(1);
    let first = row
        .get("FIRST SEEN")
        .or_else(|| row.get("FIRSTSEEN"))
        .or(repeat.map(|(_, over)| over))
        .or(last);
    // Current tables name the object `pod/x`; old ones have NAME + KIND.
    let object = row.get("OBJECT").map(str::to_owned).or_else(|| {
        let name = row.get("NAME")?;
        Some(match row.get("KIND") {
            Some(kind) => format!("{}/{name}", kind.to_ascii_lowercase()),
            None => name.to_owned(),
        })
    });
    let source = row.get("SOURCE").map(str::to_owned);
    let node = source.as_deref().and_then(node_of_source).or_else(|| {
        object
            .as_deref()
            .and_then(|o| o.strip_prefix("node/"))
            .map(str::to_owned)
    });
    Event {
        object,
        namespace: row
            .get("NAMESPACE")
            .map(str::to_owned)
            .or_else(|| namespace.map(str::to_owned)),
        event_type: row.get("TYPE").map(str::to_owned),
        reason: row.get("REASON").unwrap_or_default().to_owned(),
        source,
        node,
        count,
        first_seen: first.map(str::to_owned),
        last_seen: last.map(str::to_owned),
        message: row.get("MESSAGE").unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HostKind, WindowsVersion};

    fn parse(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    fn workloads(out: &Output) -> Vec<&Workload> {
        out.records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Workload(w) => Some(w),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn header_columns_keep_single_space_names() {
        let cols = header_columns("NAME   READY   NOMINATED NODE   READINESS GATES");
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["NAME", "READY", "NOMINATED NODE", "READINESS GATES"]
        );
        assert_eq!(cols[1].start, 7);
    }

    const WIDE_NODES: &str = "\
$ kubectl get nodes -o wide
NAME                                STATUS   ROLES   AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION      CONTAINER-RUNTIME
aks-nodepool1-12345678-vmss000000   Ready    agent   9d    v1.27.9   10.224.0.4     <none>        Ubuntu 22.04.4 LTS               5.15.0-1057-azure   containerd://1.7.7-1
akswin19np000000                    Ready    agent   9d    v1.27.9   10.224.0.33    <none>        Windows Server 2019 Datacenter   10.0.17763.5458     containerd://1.6.21+azure
aksw22np000001                      Ready    agent   2d    v1.27.9   10.224.0.95    <none>        Windows Server 2022 Datacenter   10.0.20348.2340     containerd://1.6.21+azure

";

    #[test]
    fn wide_nodes_with_spaces_in_os_image() {
        let out = parse(WIDE_NODES);
        assert_eq!(out.sections.len(), 1);
        assert_eq!(out.sections[0].kind, SectionKind::KubectlGetNodes);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (2, 5));
        let hs = out.hosts();
        assert_eq!(hs.len(), 3);
        assert_eq!(hs[0].1.version, None);
        assert_eq!(hs[0].1.os_name.as_deref(), Some("Ubuntu 22.04.4 LTS"));
        let (rec, win) = hs[1];
        assert_eq!((rec.line, rec.end_line), (4, 4));
        assert_eq!(win.name.as_deref(), Some("akswin19np000000"));
        assert_eq!(win.version, Some(WindowsVersion::new(17763, Some(5458))));
        assert_eq!(win.version_text.as_deref(), Some("10.0.17763.5458"));
        assert_eq!(
            win.os_name.as_deref(),
            Some("Windows Server 2019 Datacenter")
        );
        assert_eq!(win.os_type.as_deref(), Some("windows"));
        assert_eq!(win.kind, Some(HostKind::Server));
        assert_eq!(win.runtime.as_deref(), Some("containerd://1.6.21+azure"));
        assert_eq!(win.addresses, vec!["10.224.0.33".to_owned()]);
        assert_eq!(win.status.as_deref(), Some("Ready"));
        assert_eq!(
            hs[2].1.version,
            Some(WindowsVersion::new(20348, Some(2340)))
        );
    }

    #[test]
    fn show_labels_and_label_columns() {
        let text = "\
NAME        STATUS                     AGE   VERSION   LABELS
winold-a    Ready,SchedulingDisabled   3d    v1.7.7    beta.kubernetes.io/os=windows,beta.kubernetes.io/osbuild=14393.1715
winold-b    Ready                      3d    v1.7.7    beta.kubernetes.io/os=windows,node.kubernetes.io/windows-build=10.0.16299

NAME      STATUS   ROLES    AGE   VERSION   WINDOWS-BUILD
win-c     Ready    <none>   5d    v1.29.2   10.0.20348
lin-d     Ready    <none>   5d    v1.29.2   
";
        let out = parse(text);
        assert_eq!(out.sections.len(), 2);
        let hs = out.hosts();
        assert_eq!(hs.len(), 4);
        assert_eq!(hs[0].1.status.as_deref(), Some("Ready,SchedulingDisabled"));
        assert_eq!(
            label(&hs[0].1.labels, "beta.kubernetes.io/osbuild").as_deref(),
            Some("14393.1715")
        );
        assert_eq!(hs[0].1.os_type.as_deref(), Some("windows"));
        assert_eq!(hs[0].1.version, None);
        assert_eq!(hs[1].1.version, Some(WindowsVersion::new(16299, None)));
        assert_eq!(hs[2].1.version, Some(WindowsVersion::new(20348, None)));
        assert_eq!(hs[2].1.version_text.as_deref(), Some("10.0.20348"));
        assert_eq!(hs[3].1.version, None);
        assert!(hs[3].1.labels.is_empty());
    }

    #[test]
    fn pods_wide_with_restart_age_and_command_namespace() {
        let text = "\
$ kubectl get pods -n shop -o wide
NAME                         READY   STATUS             RESTARTS       AGE   IP             NODE               NOMINATED NODE   READINESS GATES
orders-web-5d9c7b8f6-x2kqp   0/1     CrashLoopBackOff   42 (2m ago)    18m   10.224.0.101   aksw22np000001     <none>           <none>
orders-web-5d9c7b8f6-p7lmn   1/1     Running            0              2d    10.224.0.61    akswin19np000001   <none>           <none>
";
        let out = parse(text);
        assert_eq!(out.sections[0].kind, SectionKind::KubectlGetPods);
        let ws = workloads(&out);
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[0].name, "orders-web-5d9c7b8f6-x2kqp");
        assert_eq!(ws[0].namespace.as_deref(), Some("shop"));
        assert_eq!(ws[0].node.as_deref(), Some("aksw22np000001"));
        assert_eq!(ws[0].state.as_deref(), Some("CrashLoopBackOff"));
        assert_eq!(ws[0].reason.as_deref(), Some("CrashLoopBackOff"));
        assert_eq!(ws[0].restart_count, Some(42));
        assert_eq!(ws[0].container_name, None);
        assert!(!ws[0].running);
        assert!(ws[1].running);
        assert_eq!(ws[1].reason, None);
        assert_eq!(ws[1].node.as_deref(), Some("akswin19np000001"));
    }

    #[test]
    fn pods_all_namespaces() {
        let text = "\
NAMESPACE   NAME              READY   STATUS    RESTARTS   AGE
billing     invoice-api-7c9   1/1     Running   0          25h
shop        cart-55d-q2       0/1     ContainerCannotRun   3          5m
";
        // The second row is wider than the header's STATUS column: it does not
        // line up, and is read by the re-spaced-row quirk.
        let out = parse(text);
        let ws = workloads(&out);
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[0].namespace.as_deref(), Some("billing"));
        assert_eq!(ws[1].namespace.as_deref(), Some("shop"));
        assert_eq!(ws[1].reason.as_deref(), Some("ContainerCannotRun"));
        assert_eq!(ws[1].restart_count, Some(3));
    }

    #[test]
    fn events_all_namespaces_with_repeat_counts() {
        let text = "\
NAMESPACE   LAST SEEN             TYPE      REASON    OBJECT                           MESSAGE
shop        2m (x42 over 18m)     Warning   Failed    pod/orders-web-5d9c7b8f6-x2kqp   Error: failed to create containerd task: hcs::CreateComputeSystem 4be1: The container operating system does not match the host operating system.: unknown
shop        15s                   Normal    Pulled    pod/orders-web-5d9c7b8f6-x2kqp   Container image \"contosoregistry.azurecr.io/orders-web:2.3.1\" already present on machine
kube-system 3m                    Normal    Starting  node/aksw22np000001              Starting kubelet.
";
        let out = parse(text);
        assert_eq!(out.sections[0].kind, SectionKind::KubectlGetEvents);
        let evs = out.events();
        assert_eq!(evs.len(), 3);
        let (rec, e) = evs[0];
        assert_eq!((rec.line, rec.end_line), (2, 2));
        assert_eq!(e.namespace.as_deref(), Some("shop"));
        assert_eq!(e.object.as_deref(), Some("pod/orders-web-5d9c7b8f6-x2kqp"));
        assert_eq!(e.event_type.as_deref(), Some("Warning"));
        assert_eq!(e.reason, "Failed");
        assert_eq!(e.count, 42);
        assert_eq!(e.first_seen.as_deref(), Some("18m"));
        assert_eq!(e.last_seen.as_deref(), Some("2m"));
        assert!(e.message.contains("hcs::CreateComputeSystem"));
        assert_eq!(evs[1].1.count, 1);
        assert_eq!(evs[2].1.node.as_deref(), Some("aksw22np000001"));
    }

    #[test]
    fn old_events_with_empty_subobject_and_continuation() {
        let text = "\
$ kubectl get events --namespace=plant
LASTSEEN   FIRSTSEEN   COUNT     NAME       KIND      SUBOBJECT              TYPE      REASON    SOURCE              MESSAGE
2m         33m         11        web-0      Pod       spec.containers{web}   Warning   Failed    kubelet, winnode7   Error: CreateComputeSystem 77: The container operating system does not match the host operating system.
(extra info: {\"SystemType\":\"Container\"})
49m        49m         1         web-0      Pod                              Normal    Scheduled default-scheduler   Successfully assigned web-0 to winnode7
";
        let out = parse(text);
        let evs = out.events();
        assert_eq!(evs.len(), 2);
        let (rec, e) = evs[0];
        assert_eq!((rec.line, rec.end_line), (3, 4));
        assert_eq!(e.namespace.as_deref(), Some("plant"));
        assert_eq!(e.object.as_deref(), Some("pod/web-0"));
        assert_eq!(e.count, 11);
        assert_eq!(e.first_seen.as_deref(), Some("33m"));
        assert_eq!(e.last_seen.as_deref(), Some("2m"));
        assert_eq!(e.source.as_deref(), Some("kubelet, winnode7"));
        assert_eq!(e.node.as_deref(), Some("winnode7"));
        assert!(e.message.ends_with("{\"SystemType\":\"Container\"})"));
        assert_eq!(out.sections[0].end_line, 5);
    }

    #[test]
    fn not_a_kubectl_table() {
        let text = "ID             HOSTNAME   STATUS   AVAILABILITY   MANAGER STATUS   ENGINE VERSION\nabc            win1       Ready    Active         Leader           24.0.7\nNAME is the thing: Ready\n";
        let out = parse(text);
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "NAME   STATUS   AGE   VERSION\n",
            "NAME   STATUS   AGE   VERSION\né",
            "NAME   STATUS   AGE   VERSION\n   Ready",
            "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\nx   Warning   é   pod/é   \u{3000}\n\u{3000}",
            "NAME   READY   STATUS   RESTARTS\nα   1/1",
        ] {
            let _ = parse(text);
        }
    }
}
