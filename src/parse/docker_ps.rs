//! Docker's aligned tables: `docker service ps` / `docker stack ps` (with and
//! without `--no-trunc`), `docker service ls`, `docker node ls` and
//! `docker ps -a`.
//!
//! Tables are found by their header line (never by file name). Column
//! starts come from the header's label positions (Go's `text/tabwriter`
//! pads cells with at least three spaces and counts runes, so positions are
//! counted in chars); rows are split on runs of two or more spaces and each
//! piece is given to the column it starts under, which tolerates the one- or
//! two-char shifts that pastes introduce. A failure message inside the ERROR
//! column is recorded as printed; recognising what it means is the failure
//! recogniser's job, not this module's. This module must not know which
//! builds are compatible nor how reports look.

use super::doc::{Doc, Output};
use crate::model::{HostFacts, RecordData, SectionKind, Truncation, Workload, WorkloadKind};
use nom::{
    branch::alt,
    bytes::complete::{tag, take_while_m_n},
    character::complete::{space0, space1},
    combinator::{eof, opt, recognize},
    sequence::terminated,
    IResult, Parser,
};

/// At most this many physical lines are joined into one wrapped row.
const MAX_WRAPPED_LINES: usize = 400;
/// At most this many blank lines may separate rows of one table (pastes
/// from the Microsoft docs break tables with blank lines; corpus 007).
const MAX_BLANKS_IN_TABLE: usize = 2;

/// Which table a header announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    ServicePs,
    ServiceLs,
    NodeLs,
    ContainerPs,
}

/// A table's header labels, in order; the first `required` must be present,
/// the rest are optional trailing columns that some versions omit.
struct TableSpec {
    kind: TableKind,
    labels: &'static [&'static str],
    required: usize,
}

#[rustfmt::skip]
const SPECS: &[TableSpec] = &[
    // `docker service ps` and `docker stack ps`; PORTS is empty and omitted
    // by some clients when no task publishes a host port.
    TableSpec { kind: TableKind::ServicePs, labels: &["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"], required: 7 },
    TableSpec { kind: TableKind::ServiceLs, labels: &["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"], required: 5 },
    // ENGINE VERSION appeared in Docker 18.x; older engines print 5 columns.
    TableSpec { kind: TableKind::NodeLs, labels: &["ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"], required: 5 },
    TableSpec { kind: TableKind::ContainerPs, labels: &["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"], required: 7 },
];

/// Literals (lower case) that start this module's tables, for the streaming
/// prefilter (`super::prefilter`): `CURRENT STATE`, which only the `docker
/// service ps` / `docker stack ps` header has (the tables whose rows carry
/// task errors). The other tables of this module are parsed in a streamed
/// input only near another hit: the prefilter's set is kept within 32
/// literals for speed (see `super::prefilter`).
pub const LITERALS: &[&str] = &["current state"];

/// Scan `doc` for Docker tables and record one workload or host per row.
pub fn scan(doc: &Doc, out: &mut Output) {
    let mut i = 0;
    while i < doc.lines.len() {
        let line = doc.lines.get(i).map_or("", String::as_str);
        let found = SPECS
            .iter()
            .find_map(|spec| match_header(line, spec).map(|cols| (spec.kind, cols)));
        match found {
            Some((kind, cols)) => {
                let next = read_table(doc, i, kind, &cols, out);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
}

/// A line with char-column access (tabwriter counts runes, not bytes).
struct Cols<'a> {
    text: &'a str,
    /// Byte offset of each char, plus `text.len()` at the end.
    offs: Vec<usize>,
}

impl<'a> Cols<'a> {
    fn new(text: &'a str) -> Self {
        let mut offs: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        offs.push(text.len());
        Cols { text, offs }
    }

    fn len(&self) -> usize {
        self.offs.len().saturating_sub(1)
    }

    /// Chars `a..b`, clamped to the line.
    fn slice(&self, a: usize, b: usize) -> &'a str {
        let n = self.len();
        let (a, b) = (a.min(n), b.min(n));
        if a >= b {
            return "";
        }
        match (self.offs.get(a), self.offs.get(b)) {
            (Some(&x), Some(&y)) => self.text.get(x..y).unwrap_or(""),
            _ => "",
        }
    }

    /// Pieces separated by two or more spaces or by a tab, as char ranges.
    fn segments(&self) -> Vec<(usize, usize)> {
        let chars: Vec<char> = self.text.chars().collect();
        let mut segs = Vec::new();
        let mut start: Option<usize> = None;
        let mut idx = 0;
        while idx < chars.len() {
            let c = chars.get(idx).copied().unwrap_or(' ');
            let gap = c == '\t'
                || (c == ' ' && chars.get(idx + 1).is_some_and(|n| *n == ' ' || *n == '\t'))
                || (c == ' ' && idx + 1 == chars.len());
            if gap {
                if let Some(s) = start.take() {
                    segs.push((s, idx));
                }
                // Skip the whole run of blanks.
                while idx < chars.len() && matches!(chars.get(idx), Some(' ' | '\t')) {
                    idx += 1;
                }
                continue;
            }
            if start.is_none() {
                start = Some(idx);
            }
            idx += 1;
        }
        if let Some(s) = start {
            segs.push((s, chars.len()));
        }
        segs
    }
}

/// A column: its header label and the char position it starts at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    label: &'static str,
    start: usize,
}

/// Match a header line such as
/// `ID   NAME   IMAGE   NODE   DESIRED STATE   CURRENT STATE   ERROR   PORTS`
/// against `spec`, returning the column starts.
fn match_header(line: &str, spec: &TableSpec) -> Option<Vec<Column>> {
    // quirk_quoted_header: a Markdown quote marker glued to the header
    // (`>ID   NAME …`, corpus N01) is not removed by `Doc`'s cleaning because
    // it could be a redirect; the rows below it carry no marker, so
    // dropping it also restores the alignment.
    let line = match line.strip_prefix('>') {
        Some(rest) if rest.starts_with("ID") || rest.starts_with("CONTAINER ID") => rest,
        _ => line,
    };
    let first = spec.labels.first()?;
    if !line.starts_with(first) {
        return None;
    }
    let cols = Cols::new(line);
    let segs = cols.segments();
    if segs.len() < spec.required || segs.len() > spec.labels.len() {
        return None;
    }
    let mut out = Vec::with_capacity(segs.len());
    for (&(a, b), label) in segs.iter().zip(spec.labels) {
        if cols.slice(a, b) != *label {
            return None;
        }
        out.push(Column { label, start: a });
    }
    Some(out)
}

/// A Swarm object ID at the start of a row: `y5blbdum70zo` (truncated) or
/// `y5blbdum70zoh1f6uhx5nxsfv` (`--no-trunc`), followed by blanks; for
/// `docker node ls` the current node's ID is followed by ` *`.
fn swarm_id(i: &str) -> IResult<&str, &str> {
    terminated(
        take_while_m_n(10, 25, |c: char| {
            c.is_ascii_lowercase() || c.is_ascii_digit()
        }),
        (opt((space1, tag("*"))), alt((space1, eof))),
    )
    .parse(i)
}

/// A container ID at the start of a `docker ps` row: 12 or 64 hex digits.
fn container_id(i: &str) -> IResult<&str, &str> {
    terminated(
        alt((
            recognize(take_while_m_n(64, 64, |c: char| c.is_ascii_hexdigit())),
            take_while_m_n(12, 12, |c: char| c.is_ascii_hexdigit()),
        )),
        alt((space1, eof)),
    )
    .parse(i)
}

/// The history marker of an earlier task in `docker service ps`: `\_ `.
fn history_marker(i: &str) -> IResult<&str, &str> {
    recognize((space0, tag("\\_"), space1)).parse(i)
}

fn is_row_start(kind: TableKind, line: &str) -> bool {
    match kind {
        TableKind::ContainerPs => container_id(line).is_ok(),
        _ => swarm_id(line).is_ok(),
    }
}

/// Lines that end a wrapped row even when its ERROR cell is still open:
/// a shell prompt or another table's header.
fn is_boundary(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty()
        || t.starts_with("$ ")
        || t.starts_with("PS ")
        || t.starts_with("ID ")
        || t.starts_with(">ID ")
        || t.starts_with("CONTAINER ID")
        || (t.contains(">docker ") && t.find('>').is_some_and(|p| p < 80))
}

/// One logical row: its text (wrapped lines joined) and its line span.
struct Row {
    line: usize,
    end_line: usize,
    cells: Vec<String>,
}

/// Read the rows under the header at 0-based index `h`; returns the index
/// after the table.
fn read_table(doc: &Doc, h: usize, kind: TableKind, cols: &[Column], out: &mut Output) -> usize {
    let mut rows = Vec::new();
    let mut i = h + 1;
    let mut last = h;
    while let Some(line) = doc.lines.get(i) {
        if line.trim().is_empty() {
            // quirk_blank_lines_in_table: tolerate a few blank lines when a
            // row follows (corpus 007).
            let resumes = (1..=MAX_BLANKS_IN_TABLE).find_map(|k| {
                let l = doc.lines.get(i + k)?;
                if l.trim().is_empty() {
                    None
                } else {
                    Some((k, is_row_start(kind, l)))
                }
            });
            match resumes {
                Some((k, true)) => {
                    i += k;
                    continue;
                }
                _ => break,
            }
        }
        if !is_row_start(kind, line) {
            break;
        }
        let (row, next) = read_row(doc, i, kind, cols);
        last = row.end_line.saturating_sub(1);
        rows.push(row);
        i = next;
    }
    let section = match kind {
        TableKind::ServicePs => SectionKind::DockerServicePs,
        TableKind::ServiceLs => SectionKind::DockerServiceLs,
        TableKind::NodeLs => SectionKind::DockerNodeLs,
        TableKind::ContainerPs => SectionKind::DockerCli,
    };
    // A header with no rows still tells the reader what was run.
    out.section(section, h + 1, last + 1);
    let stack = preceding_command(doc, h).filter(|c| c.contains("docker stack ps"));
    let mut truncated_services: Vec<String> = Vec::new();
    for row in rows {
        match kind {
            TableKind::ServicePs => {
                let w = service_ps_workload(&row.cells);
                if let Some(err) = w.error.as_deref().filter(|e| e.contains('…')) {
                    let service = w
                        .name
                        .rsplit_once('.')
                        .map_or(w.name.as_str(), |(s, _)| s)
                        .to_owned();
                    if !truncated_services.contains(&service) {
                        let suggestion = match stack.as_deref().and_then(last_word) {
                            Some(stack) => format!("docker stack ps --no-trunc {stack}"),
                            None => format!("docker service ps --no-trunc {service}"),
                        };
                        out.record(
                            section,
                            row.line,
                            row.end_line,
                            RecordData::Truncated(Truncation {
                                what: "docker service ps ERROR column".to_owned(),
                                suggestion,
                                text: err.to_owned(),
                            }),
                        );
                        truncated_services.push(service);
                    }
                }
                out.record(section, row.line, row.end_line, RecordData::Workload(w));
            }
            TableKind::ServiceLs => {
                let w = service_ls_workload(&row.cells);
                out.record(section, row.line, row.end_line, RecordData::Workload(w));
            }
            TableKind::NodeLs => {
                let host = node_ls_host(&row.cells);
                out.record(section, row.line, row.end_line, RecordData::Host(host));
            }
            TableKind::ContainerPs => {
                let w = container_ps_workload(&row.cells);
                out.record(section, row.line, row.end_line, RecordData::Workload(w));
            }
        }
    }
    last + 1
}

/// The command line just above a table (`C:\…>docker service ps x`,
/// `$ docker stack ps x`), when there is one.
fn preceding_command(doc: &Doc, h: usize) -> Option<String> {
    let prev = doc.lines.get(h.checked_sub(1)?)?;
    prev.contains("docker ").then(|| prev.trim().to_owned())
}

fn last_word(s: &str) -> Option<&str> {
    s.split_whitespace().last()
}

/// Cells of the row starting at 0-based `i`; returns the row and the index
/// after it (after any wrapped continuation lines).
fn read_row(doc: &Doc, i: usize, kind: TableKind, cols: &[Column]) -> (Row, usize) {
    let line = doc.lines.get(i).map_or("", String::as_str);
    let c = Cols::new(line);
    let mut cells = split_cells(&c, cols);
    let mut next = i + 1;
    if kind == TableKind::ServicePs {
        if let Some(err_col) = cols.iter().position(|col| col.label == "ERROR") {
            let (error, ports, mut open) = error_tail(&c, cols, err_col);
            let mut error = error;
            // quirk_wrapped_error: a terminal or PowerShell capture wraps a
            // `--no-trunc` row at its width (corpus 007, line 16→17); the
            // rest of the quoted ERROR cell is on the following lines.
            while open && next < doc.lines.len() && next - i <= MAX_WRAPPED_LINES {
                let Some(cont) = doc.lines.get(next) else {
                    break;
                };
                if is_boundary(cont) || is_row_start(kind, cont) {
                    break;
                }
                error.push_str(cont);
                next += 1;
                // Count braces only when the line could close the cell, so
                // long wrapped cells stay linear.
                open = !(cont.trim_end().ends_with('"') && quote_closed(&error));
            }
            let error = unquote(error.trim());
            if let Some(cell) = cells.get_mut(err_col) {
                *cell = error;
            }
            if let (Some(p), Some(cell)) = (ports, cells.get_mut(err_col + 1)) {
                *cell = p;
            }
        }
    }
    (
        Row {
            line: i + 1,
            end_line: next,
            cells,
        },
        next,
    )
}

/// Which column each blank-separated piece of a row belongs to: the column
/// whose header starts nearest to it, never left of the previous piece's
/// column. Nearest (rather than "starts under") tolerates rows pasted a few
/// chars left of their header, e.g. after a lost prompt char.
fn assign(c: &Cols<'_>, cols: &[Column]) -> Vec<((usize, usize), usize)> {
    let mut out = Vec::new();
    let mut min_idx = 0;
    for (a, b) in c.segments() {
        let mut best = min_idx;
        let mut best_d = usize::MAX;
        for (idx, col) in cols.iter().enumerate().skip(min_idx) {
            let d = col.start.abs_diff(a);
            // Ties go left: cells are left-aligned and grow to the right.
            if d < best_d {
                best = idx;
                best_d = d;
            }
        }
        min_idx = best;
        out.push(((a, b), best));
    }
    out
}

/// Give each blank-separated piece of a row to its column (see `assign`).
fn split_cells(c: &Cols<'_>, cols: &[Column]) -> Vec<String> {
    let mut spans: Vec<Option<(usize, usize)>> = vec![None; cols.len()];
    for ((a, b), idx) in assign(c, cols) {
        if let Some(span) = spans.get_mut(idx) {
            *span = Some(match *span {
                Some((x, _)) => (x, b),
                None => (a, b),
            });
        }
    }
    spans
        .into_iter()
        .map(|s| s.map_or_else(String::new, |(a, b)| c.slice(a, b).to_owned()))
        .collect()
}

/// The ERROR cell (from its first char to the end of the line, since the
/// quoted message may hold runs of blanks), any PORTS after its closing
/// quote, and whether the quote is still open.
fn error_tail(c: &Cols<'_>, cols: &[Column], err_col: usize) -> (String, Option<String>, bool) {
    let start = assign(c, cols)
        .into_iter()
        .find(|&(_, idx)| idx >= err_col)
        .map(|((a, _), _)| a);
    let Some(start) = start else {
        return (String::new(), None, false);
    };
    let tail = c.slice(start, c.len()).trim_end();
    if !tail.starts_with('"') {
        // Unquoted (empty or a plain word): the column split is right.
        let cells = split_cells(c, cols);
        let err = cells.get(err_col).cloned().unwrap_or_default();
        let ports = cells.get(err_col + 1).cloned().filter(|p| !p.is_empty());
        return (err, ports, false);
    }
    if quote_closed(tail) {
        return (tail.to_owned(), None, false);
    }
    // A closing quote followed by a PORTS cell: `"…"   *:80->80/tcp`.
    if let Some((err, ports)) = tail.rsplit_once("\"  ") {
        let ports = ports.trim();
        if !ports.is_empty() && !ports.contains(' ') && !ports.contains('"') {
            return (format!("{err}\""), Some(ports.to_owned()), false);
        }
    }
    (tail.to_owned(), None, true)
}

/// True when a quoted cell has its closing quote and its `extra info`
/// braces are balanced (a wrap can fall right after an inner `"`).
fn quote_closed(cell: &str) -> bool {
    let t = cell.trim_end();
    if t.len() < 2 || !t.ends_with('"') {
        return false;
    }
    let opens = t.bytes().filter(|&b| b == b'{').count();
    let closes = t.bytes().filter(|&b| b == b'}').count();
    opens <= closes
}

/// Remove the quotes docker puts around the ERROR cell (`"…"` → `…`); a
/// cell whose closing quote was lost (the paste ended) keeps its text.
fn unquote(cell: &str) -> String {
    let inner = cell.strip_prefix('"').unwrap_or(cell);
    let inner = if cell.len() >= 2 {
        inner.strip_suffix('"').unwrap_or(inner)
    } else {
        inner
    };
    inner.to_owned()
}

fn cell(cells: &[String], i: usize) -> Option<String> {
    cells
        .get(i)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A `docker service ps` row:
/// `y5blbdum70zo  \_ angry.1  img:tag  NODE-1  Shutdown  Failed 24 seconds ago  "starting container failed: co…"`.
fn service_ps_workload(cells: &[String]) -> Workload {
    let raw_name = cell(cells, 1).unwrap_or_default();
    let name = match history_marker(&raw_name) {
        Ok((rest, _)) => rest.trim().to_owned(),
        Err(_) => raw_name,
    };
    let mut w = Workload::new(WorkloadKind::Task, name);
    w.image = cell(cells, 2);
    w.node = cell(cells, 3);
    w.state = cell(cells, 5);
    w.error = cell(cells, 6);
    w.running = w.state.as_deref().is_some_and(|s| s.starts_with("Running"));
    w
}

/// A `docker service ls` row:
/// `xh6mwbdq2uil  intranet  replicated  0/1  contoso.azurecr.io/intranet-iis:1.4-ltsc2019`.
fn service_ls_workload(cells: &[String]) -> Workload {
    let mut w = Workload::new(WorkloadKind::Service, cell(cells, 1).unwrap_or_default());
    w.image = cell(cells, 4);
    w.replicas = cell(cells, 3);
    // `2/3` or `1/1 (max 1 per node)`: running when any replica is.
    w.running = w
        .replicas
        .as_deref()
        .and_then(|r| r.split('/').next())
        .and_then(|n| n.trim().parse::<u64>().ok())
        .is_some_and(|n| n > 0);
    w
}

/// A `docker node ls` row:
/// `t8sk2byb1o55arp36lb3lyag7 *   WS25-MGR01   Ready   Active   Leader   27.5.1`.
fn node_ls_host(cells: &[String]) -> HostFacts {
    HostFacts {
        name: cell(cells, 1),
        status: cell(cells, 2),
        runtime: cell(cells, 5).map(|v| format!("docker {v}")),
        ..HostFacts::default()
    }
}

/// A `docker ps -a` row:
/// `4f2a9c1d0b7e   img:tag   "cmd /c ver"   8 seconds ago   Created      web`.
fn container_ps_workload(cells: &[String]) -> Workload {
    let mut w = Workload::new(WorkloadKind::Container, cell(cells, 6).unwrap_or_default());
    w.container_id = cell(cells, 0);
    w.image = cell(cells, 1);
    w.state = cell(cells, 4);
    let status = w.state.as_deref().unwrap_or("");
    w.running = status.starts_with("Up");
    // `Exited (128) 5 seconds ago`.
    w.exit_code = status
        .strip_prefix("Exited (")
        .and_then(|r| r.split_once(')'))
        .and_then(|(n, _)| n.parse().ok());
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    const SERVICE_PS: &str = "\
PS C:\\> docker service ps intranet
ID             NAME             IMAGE                                          NODE          DESIRED STATE   CURRENT STATE            ERROR                              PORTS
r4k2m8q1x0vz   intranet.1       contoso.azurecr.io/intranet-iis:1.4-ltsc2019   WINSWARM-02   Ready           Ready 2 seconds ago
p9w3n7b5c2hd    \\_ intranet.1   contoso.azurecr.io/intranet-iis:1.4-ltsc2019   WINSWARM-02   Shutdown        Failed 20 seconds ago    \"starting container failed: co…\"

k1j8f6d4s3a2    \\_ intranet.1   contoso.azurecr.io/intranet-iis:1.4-ltsc2019   WINSWARM-02   Shutdown        Failed 41 seconds ago    \"starting container failed: co…\"
PS C:\\> docker node ls
";

    #[test]
    fn service_ps_rows_history_and_truncation() {
        let out = run(SERVICE_PS);
        assert_eq!(
            out.sections,
            vec![crate::model::Section {
                kind: SectionKind::DockerServicePs,
                line: 2,
                end_line: 6
            }]
        );
        let ws = out.workloads();
        assert_eq!(ws.len(), 3);
        let (r0, w0) = ws[0];
        assert_eq!(r0.line, 3);
        assert_eq!(w0.kind, WorkloadKind::Task);
        assert_eq!(w0.name, "intranet.1");
        assert_eq!(w0.node.as_deref(), Some("WINSWARM-02"));
        assert_eq!(w0.state.as_deref(), Some("Ready 2 seconds ago"));
        assert_eq!(w0.error, None);
        assert!(!w0.running);
        let (r1, w1) = ws[1];
        assert_eq!(r1.line, 4);
        assert_eq!(w1.name, "intranet.1");
        assert_eq!(
            w1.image.as_deref(),
            Some("contoso.azurecr.io/intranet-iis:1.4-ltsc2019")
        );
        assert_eq!(w1.state.as_deref(), Some("Failed 20 seconds ago"));
        assert_eq!(w1.error.as_deref(), Some("starting container failed: co…"));
        assert_eq!(ws[2].0.line, 6);
        let truncs: Vec<&Truncation> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Truncated(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(truncs.len(), 1, "one per service");
        assert_eq!(
            truncs[0].suggestion,
            "docker service ps --no-trunc intranet"
        );
        assert_eq!(truncs[0].text, "starting container failed: co…");
    }

    #[test]
    fn no_trunc_wide_columns_and_wrapped_error() {
        let pad = " ".repeat(120);
        let text = format!(
            "ID                          NAME                 IMAGE                                                   NODE          DESIRED STATE   CURRENT STATE           ERROR{pad}PORTS\n\
             p9w3n7b5c2hdq8e1m0t6y4u2i    \\_ intranet.1   contoso.azurecr.io/intranet-iis:1.4-ltsc2019@sha256:ab12   WINSWARM-02   Shutdown        Failed 20 seconds ago   \"starting container failed: container 7c1e encountered an error during CreateContainer: failure in a Windows system call: The op\n\
             erating system of the container does not match the operating system of the host. (0xc0370101) extra info: {{\"SystemType\":\"Container\",\"HvPartition\":false}}\"\n\
             \n\
             done\n"
        );
        let out = run(&text);
        let ws = out.workloads();
        assert_eq!(ws.len(), 1);
        let (r, w) = ws[0];
        assert_eq!((r.line, r.end_line), (2, 3));
        assert_eq!(
            w.image.as_deref(),
            Some("contoso.azurecr.io/intranet-iis:1.4-ltsc2019@sha256:ab12")
        );
        assert_eq!(
            w.error.as_deref(),
            Some(
                "starting container failed: container 7c1e encountered an error during CreateContainer: \
                 failure in a Windows system call: The operating system of the container does not match \
                 the operating system of the host. (0xc0370101) extra info: \
                 {\"SystemType\":\"Container\",\"HvPartition\":false}"
            )
        );
        assert!(!out
            .records
            .iter()
            .any(|r| matches!(r.data, RecordData::Truncated(_))));
    }

    #[test]
    fn stack_ps_quoted_header_and_cut_input() {
        let text = "> docker stack ps --no-trunc shop\n\
>ID                          NAME          IMAGE                      NODE        DESIRED STATE   CURRENT STATE          ERROR                        PORTS\n\
t0a1b2c3d4e5f6g7h8i9j0k1l    \\_ shop_web.1  example/shop:2.0          win-node-7  Shutdown        Failed 4 seconds ago   \"starting container failed: hcsshim::CreateComputeSystem 0a1b";
        let out = run(text);
        let ws = out.workloads();
        assert_eq!(ws.len(), 1);
        let w = ws[0].1;
        assert_eq!(w.name, "shop_web.1");
        assert_eq!(w.node.as_deref(), Some("win-node-7"));
        assert_eq!(
            w.error.as_deref(),
            Some("starting container failed: hcsshim::CreateComputeSystem 0a1b")
        );
    }

    #[test]
    fn stack_ps_truncation_suggests_stack_command() {
        let text = "$ docker stack ps shop\n\
ID             NAME             IMAGE             NODE      DESIRED STATE   CURRENT STATE           ERROR                              PORTS\n\
a1b2c3d4e5f6    \\_ shop_web.1   example/shop:2.0  win-7     Shutdown        Failed 4 seconds ago    \"starting container failed: hc…\"   \n";
        let out = run(text);
        let t = out.records.iter().find_map(|r| match &r.data {
            RecordData::Truncated(t) => Some(t),
            _ => None,
        });
        assert_eq!(
            t.map(|t| t.suggestion.as_str()),
            Some("docker stack ps --no-trunc shop")
        );
    }

    #[test]
    fn running_task_and_ports_after_quoted_error() {
        let text = "ID             NAME      IMAGE          NODE      DESIRED STATE   CURRENT STATE        ERROR          PORTS\n\
a1b2c3d4e5f6   api.1     example/api:1  node-1    Running         Running 3 days ago                  *:80->80/tcp\n\
b1b2c3d4e5f6   api.2     example/api:1  node-2    Shutdown        Failed 3 days ago    \"task: boom\"   *:81->80/tcp\n";
        let out = run(text);
        let ws = out.workloads();
        assert_eq!(ws.len(), 2);
        assert!(ws[0].1.running);
        assert_eq!(ws[0].1.error, None);
        assert_eq!(ws[1].1.error.as_deref(), Some("task: boom"));
        assert!(!ws[1].1.running);
    }

    #[test]
    fn service_ls_replicas() {
        let text = "ID             NAME       MODE         REPLICAS   IMAGE                                          PORTS\n\
x1y2z3w4v5u6   intranet   replicated   0/1        contoso.azurecr.io/intranet-iis:1.4-ltsc2019\n\
a9b8c7d6e5f4   api        replicated   3/3        example/api:1                                  *:80->8080/tcp\n";
        let out = run(text);
        let ws = out.workloads();
        assert_eq!(ws.len(), 2);
        let w = ws[0].1;
        assert_eq!(w.kind, WorkloadKind::Service);
        assert_eq!(w.name, "intranet");
        assert_eq!(w.replicas.as_deref(), Some("0/1"));
        assert_eq!(
            w.image.as_deref(),
            Some("contoso.azurecr.io/intranet-iis:1.4-ltsc2019")
        );
        assert!(!w.running);
        assert!(ws[1].1.running);
        assert_eq!(out.sections[0].kind, SectionKind::DockerServiceLs);
    }

    #[test]
    fn node_ls_hosts_with_self_marker() {
        let text = "ID                            HOSTNAME      STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n\
q1w2e3r4t5y6u7i8o9p0a1s2d *   WINSWARM-01   Ready     Active         Leader           24.0.7\n\
z1x2c3v4b5n6m7q8w9e0r1t2y     WINSWARM-02   Down      Active                          24.0.7\n";
        let out = run(text);
        let hosts: Vec<&HostFacts> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Host(h) => Some(h),
                _ => None,
            })
            .collect();
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[0].name.as_deref(), Some("WINSWARM-01"));
        assert_eq!(hosts[0].status.as_deref(), Some("Ready"));
        assert_eq!(hosts[0].runtime.as_deref(), Some("docker 24.0.7"));
        assert_eq!(hosts[1].name.as_deref(), Some("WINSWARM-02"));
        assert_eq!(hosts[1].status.as_deref(), Some("Down"));
        assert_eq!(out.sections[0].kind, SectionKind::DockerNodeLs);
    }

    #[test]
    fn docker_ps_a_rows() {
        let text = "CONTAINER ID   IMAGE                                          COMMAND        CREATED          STATUS                       PORTS     NAMES\n\
4f2a9c1d0b7e   mcr.microsoft.com/windows/servercore:ltsc2019  \"cmd /c ver\"   8 seconds ago    Created                                web\n\
9e8d7c6b5a4f   example/api:1                                  \"api.exe\"      2 hours ago      Exited (128) 2 hours ago               api\n\
1a2b3c4d5e6f   example/api:1                                  \"api.exe\"      2 hours ago      Up 2 hours                   80/tcp    api2\n";
        let out = run(text);
        let ws = out.workloads();
        assert_eq!(ws.len(), 3);
        let w = ws[0].1;
        assert_eq!(w.kind, WorkloadKind::Container);
        assert_eq!(w.name, "web");
        assert_eq!(w.container_id.as_deref(), Some("4f2a9c1d0b7e"));
        assert_eq!(
            w.image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert_eq!(w.state.as_deref(), Some("Created"));
        assert_eq!(ws[1].1.exit_code, Some(128));
        assert!(ws[2].1.running);
        assert_eq!(ws[2].1.name, "api2");
    }

    #[test]
    fn prose_mentioning_id_is_not_a_table() {
        let out = run("ID NAME IMAGE are the columns\nID   NAME\n");
        assert!(out.sections.is_empty());
        assert!(out.records.is_empty());
    }

    #[test]
    fn hostile_lines_do_not_panic() {
        let long = format!(
            "ID  NAME  IMAGE  NODE  DESIRED STATE  CURRENT STATE  ERROR\nabcdefghij12  x  \"{}\n",
            "é…\"{".repeat(5000)
        );
        let _ = run(&long);
        let _ = run("ID  NAME  IMAGE  NODE  DESIRED STATE  CURRENT STATE  ERROR\n\u{2026}\n\"");
        let _ = run("CONTAINER ID  IMAGE  COMMAND  CREATED  STATUS  PORTS  NAMES\n0123456789ab");
    }
}

#[cfg(test)]
mod corpus_tests {
    //! Real pasted outputs from `../shared/corpus` (skipped when absent).
    use super::*;

    fn corpus(name: &str) -> Option<Output> {
        Output::scanning_corpus(scan, name)
    }

    fn tasks(out: &Output) -> Vec<&Workload> {
        out.records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Workload(w) if w.kind == WorkloadKind::Task => Some(w),
                _ => None,
            })
            .collect()
    }

    fn truncations(out: &Output) -> Vec<&Truncation> {
        out.records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Truncated(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    // See: corpus 007 (Microsoft docs, Swarm section).
    #[test]
    fn corpus_007_service_ls_ps_and_no_trunc() {
        let Some(out) = corpus("007-vdoc-versioncompat-docker-service-ps-notrunc-swarm.txt") else {
            return;
        };
        let kinds: Vec<SectionKind> = out.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::DockerServiceLs,
                SectionKind::DockerServicePs,
                SectionKind::DockerServicePs
            ]
        );
        let tasks = tasks(&out);
        assert_eq!(tasks.len(), 7);
        assert!(tasks.iter().all(|t| t.name == "angry_liskov.1"));
        assert!(tasks
            .iter()
            .all(|t| t.node.as_deref() == Some("WIN-BSTMQDRQC2E")));
        let full = tasks[6].error.as_deref().unwrap_or("");
        assert!(full.starts_with("starting container failed: container e7b5d3adba7e"));
        assert!(full.contains("(0xc0370101) extra info: {\"SystemType\""));
        assert!(full.ends_with("\"AllowUnqualifiedDNSQuery\":true}"));
        let t = truncations(&out);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].suggestion, "docker service ps --no-trunc angry_liskov");
    }

    // See: corpus N01 (moby#42853): `>ID` header, input cut inside the error.
    #[test]
    fn corpus_n01_stack_ps_cut() {
        let Some(out) =
            corpus("N01-NEGATIVE-moby-42853-stack-ps-notrunc-request-not-supported.txt")
        else {
            return;
        };
        let tasks = tasks(&out);
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1].node.as_deref(), Some("swarm-win-1"));
        assert!(tasks[1].error.as_deref().is_some_and(
            |e| e.starts_with("starting container failed: hcsshim::CreateComputeSystem db52")
        ));
    }

    // See: corpus client-swarm-ws2025-ltsc2019-batch (docker CLI 28).
    #[test]
    fn corpus_swarm_batch_worker_tables() {
        let dir = "client-swarm-ws2025-ltsc2019-batch/";
        let Some(out) = corpus(&format!("{dir}docker-service-ps-no-trunc-batch-worker.txt")) else {
            return;
        };
        let all = tasks(&out);
        assert_eq!(all.len(), 20);
        let failed: Vec<_> = all.iter().filter(|t| t.error.is_some()).collect();
        assert_eq!(failed.len(), 18);
        assert!(failed.iter().all(|t| t
            .error
            .as_deref()
            .is_some_and(|e| e.ends_with("does not match the host operating system."))));
        let Some(out) = corpus(&format!("{dir}docker-service-ps-batch-worker.txt")) else {
            return;
        };
        assert_eq!(tasks_len(&out), 20);
        assert_eq!(truncations(&out).len(), 1);
        let Some(out) = corpus(&format!("{dir}docker-service-ps-api.txt")) else {
            return;
        };
        assert!(tasks(&out).iter().all(|t| t.running && t.error.is_none()));
        let Some(out) = corpus(&format!("{dir}docker-node-ls.txt")) else {
            return;
        };
        let names: Vec<_> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Host(h) => h.name.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["WS25-MGR01", "WS25-NODE01", "WS25-NODE02"]);
    }

    fn tasks_len(out: &Output) -> usize {
        tasks(out).len()
    }
}

#[cfg(test)]
mod sample_tests {
    //! Our own samples (`samples/swarm-iis`, `samples/docker-run`) read by
    //! the five Docker scanners together.
    use super::super::{docker_cli, docker_info, docker_inspect, dockerfile};
    use super::*;
    use crate::model::{ImageOrigin, Isolation, WindowsVersion};
    use std::path::Path;

    fn sample(name: &str) -> Output {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("sample exists");
        let doc = Doc::new(name, &text);
        let mut out = Output::default();
        for scan in [
            scan as fn(&Doc, &mut Output),
            docker_info::scan,
            docker_inspect::scan,
            docker_cli::scan,
            dockerfile::scan,
        ] {
            scan(&doc, &mut out);
        }
        out
    }

    fn data(out: &Output) -> Vec<&RecordData> {
        out.records.iter().map(|r| &r.data).collect()
    }

    #[test]
    fn swarm_iis_tables() {
        let out = sample("swarm-iis/docker-service-ls.txt");
        let d = data(&out);
        assert!(
            matches!(d[0], RecordData::Workload(w) if w.name == "intranet"
            && w.replicas.as_deref() == Some("0/1")
            && w.image.as_deref() == Some("contoso.azurecr.io/intranet-iis:1.4-ltsc2019"))
        );
        let out = sample("swarm-iis/docker-service-ps-intranet.txt");
        let truncs = d_count(&out, |r| matches!(r, RecordData::Truncated(_)));
        assert_eq!(truncs, 1);
        assert_eq!(d_count(&out, |r| matches!(r, RecordData::Workload(_))), 4);
        let out = sample("swarm-iis/docker-service-ps-no-trunc-intranet.txt");
        let errors: Vec<&str> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Workload(w) => w.error.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(errors.len(), 3);
        assert!(errors
            .iter()
            .all(|e| e.contains("(0xc0370101) extra info: {")
                && e.contains("\"HvPartition\":false")
                && e.ends_with("\"AllowUnqualifiedDNSQuery\":true}")));
        let out = sample("swarm-iis/docker-node-ls.txt");
        assert_eq!(d_count(&out, |r| matches!(r, RecordData::Host(_))), 3);
    }

    fn d_count(out: &Output, f: impl Fn(&RecordData) -> bool) -> usize {
        data(out).into_iter().filter(|r| f(r)).count()
    }

    #[test]
    fn swarm_iis_host_facts() {
        let out = sample("swarm-iis/docker-info-WINSWARM-02.txt");
        let hosts: Vec<&HostFacts> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Host(h) => Some(h),
                _ => None,
            })
            .collect();
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].name.as_deref(), Some("WINSWARM-02"));
        assert_eq!(
            hosts[0].version,
            Some(WindowsVersion::new(20348, Some(2113)))
        );
        assert_eq!(hosts[0].default_isolation, Some(Isolation::Process));
        let out = sample("swarm-iis/docker-node-inspect-WINSWARM-02.txt");
        assert!(
            matches!(data(&out)[..], [RecordData::Host(h)] if h.name.as_deref() == Some("WINSWARM-02"))
        );
    }

    #[test]
    fn docker_run_session() {
        let out = sample("docker-run/docker-run-servercore-ltsc2019.txt");
        let inv: Vec<&crate::model::Invocation> = out
            .records
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Invocation(i) => Some(i),
                _ => None,
            })
            .collect();
        assert_eq!(inv.len(), 1, "pull lines after the command add nothing");
        assert_eq!(
            inv[0].image.as_deref(),
            Some("mcr.microsoft.com/windows/servercore:ltsc2019")
        );
        assert!(out.records.iter().any(|r| matches!(&r.data,
            RecordData::Host(h) if h.runtime.as_deref() == Some("docker 24.0.7")
                && h.os_type.as_deref() == Some("windows"))));
        let out = sample("docker-run/docker-image-inspect-orders.txt");
        assert!(matches!(data(&out)[..], [RecordData::Image(i)]
            if i.os_version == Some(WindowsVersion::new(17763, Some(5329)))
            && i.reference.as_deref() == Some("contoso/orders:2.3")));
        let out = sample("docker-run/docker-manifest-inspect-runtime-4.8.txt");
        assert!(matches!(data(&out)[..], [RecordData::Image(i)]
            if i.origin == ImageOrigin::Manifest
            && i.reference.as_deref() == Some("mcr.microsoft.com/dotnet/framework/runtime:4.8")
            && i.platforms.len() == 2));
        let out = sample("docker-run/Dockerfile");
        assert!(matches!(data(&out)[..], [RecordData::Image(i)]
            if i.origin == ImageOrigin::From
            && i.reference.as_deref() == Some("mcr.microsoft.com/windows/servercore:ltsc2019")));
    }
}

#[cfg(test)]
mod corpus_smoke {
    //! Every corpus file through the five Docker scanners: no panic, and no
    //! Docker section in the Kubernetes-only client folder.
    use super::super::{docker_cli, docker_info, docker_inspect, dockerfile};
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, acc: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, acc);
            } else {
                acc.push(p);
            }
        }
    }

    #[test]
    fn all_corpus_files_scan_without_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut all = Vec::new();
        files(&root, &mut all);
        for p in all {
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let doc = Doc::new(p.display().to_string(), &text);
            let mut out = Output::default();
            scan(&doc, &mut out);
            docker_info::scan(&doc, &mut out);
            docker_inspect::scan(&doc, &mut out);
            docker_cli::scan(&doc, &mut out);
            dockerfile::scan(&doc, &mut out);
            if std::env::var_os("WC_DUMP").is_some() {
                eprintln!(
                    "{} {:?}",
                    p.display(),
                    out.sections
                        .iter()
                        .map(|s| (s.kind, s.line))
                        .collect::<Vec<_>>()
                );
            }
            if p.to_string_lossy().contains("client-k8s-") {
                assert!(
                    out.sections.is_empty(),
                    "{}: {:?}",
                    p.display(),
                    out.sections
                );
            }
        }
    }
}
