//! Windows event log output: `Get-WinEvent | Format-List` blocks
//! (`TimeCreated`/`ProviderName`/`Id`/`Message`), the `Get-WinEvent` and
//! `Get-EventLog` tables, `wevtutil qe /f:text` (`Event[0]:` blocks) and
//! CSV exports (Event Viewer's `Level,Date and Time,Source,Event ID,Task
//! Category` and `Export-Csv`'s `#TYPE …EventLogRecord`).
//!
//! Sections only: the failure text inside an event message is found by
//! `failure`. This module must not know what the messages mean.

use super::doc::{Doc, Output};
use super::powershell::list_blocks;
use crate::model::SectionKind;

const KIND: SectionKind = SectionKind::WinEventLog;

/// Literals (lower case) of the event log outputs, for the streaming
/// prefilter (`super::prefilter`): `ProviderName`, which `Get-WinEvent`
/// prints above each table (`   ProviderName: Microsoft-Windows-…`) and in
/// every `Format-List` block. Not `TimeCreated`: `time` starts every logrus
/// line (`time="…"`), and a literal whose first bytes are that common costs
/// the prefilter's SIMD search false candidates on every line.
pub const LITERALS: &[&str] = &["providername"];

/// Scan `doc` for event log output.
pub fn scan(doc: &Doc, out: &mut Output) {
    scan_format_list(doc, out);
    scan_tables(doc, out);
    scan_wevtutil(doc, out);
    scan_csv(doc, out);
}

/// `Get-WinEvent … | Format-List`: blocks with `TimeCreated` (or
/// `TimeGenerated` for `Get-EventLog | fl`) and `Message`, plus an `Id` /
/// `EventID` / `ProviderName` / `Source`.
fn scan_format_list(doc: &Doc, out: &mut Output) {
    for block in list_blocks(doc) {
        let time = block.get("TimeCreated").is_some() || block.get("TimeGenerated").is_some();
        let message = block.entries.iter().any(|(_, k, _)| k == "Message");
        let ident = ["Id", "EventID", "InstanceId", "ProviderName", "Source"]
            .iter()
            .any(|k| block.get(k).is_some());
        if time && message && ident {
            out.section(KIND, block.line, block.end_line);
        }
    }
}

/// Column headers of the event tables:
/// - `Get-WinEvent`: `TimeCreated   Id LevelDisplayName Message`
/// - `Get-EventLog`: `Index Time   EntryType   Source   InstanceID Message`
fn is_table_header(line: &str) -> bool {
    // Word by word, stopping at the first that differs: a log line is not
    // split whole (every line of every window is asked, issue 14).
    let is = |header: &[&str]| line.split_whitespace().eq(header.iter().copied());
    is(&["TimeCreated", "Id", "LevelDisplayName", "Message"])
        || is(&[
            "Index",
            "Time",
            "EntryType",
            "Source",
            "InstanceID",
            "Message",
        ])
}

fn scan_tables(doc: &Doc, out: &mut Output) {
    let mut n = 1;
    while n <= doc.len() {
        if !is_table_header(doc.line(n)) || !doc.line(n + 1).trim_start().starts_with("--") {
            n += 1;
            continue;
        }
        // `Get-WinEvent` prints `   ProviderName: X` and a blank line above
        // the header; include it.
        let start = if n > 2 && doc.line(n - 2).trim_start().starts_with("ProviderName:") {
            n - 2
        } else {
            n
        };
        let mut end = n + 1;
        while end < doc.len() && !doc.line(end + 1).trim().is_empty() {
            end += 1;
        }
        out.section(KIND, start, end);
        n = end + 1;
    }
}

/// `wevtutil qe Application /f:text`: `Event[0]:` then indented
/// `  Log Name: …`, `  Source: …`, `  Event ID: …`, `  Description:` lines.
fn scan_wevtutil(doc: &Doc, out: &mut Output) {
    let is_event_start = |l: &str| {
        l.trim()
            .strip_prefix("Event[")
            .and_then(|r| r.strip_suffix("]:"))
            .is_some_and(|num| !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut n = 1;
    while n <= doc.len() {
        if !is_event_start(doc.line(n)) {
            n += 1;
            continue;
        }
        let start = n;
        let mut end = n;
        let mut fields = 0;
        let mut m = n + 1;
        // The block runs to the next `Event[N]:` or the first line that is
        // neither indented nor blank-then-indented (descriptions have blank
        // lines inside).
        while m <= doc.len() && !is_event_start(doc.line(m)) {
            let line = doc.line(m);
            let indented = line.starts_with(' ') || line.starts_with('\t');
            if indented {
                let t = line.trim_start();
                if ["Log Name:", "Source:", "Event ID:", "Level:", "Date:"]
                    .iter()
                    .any(|k| t.starts_with(k))
                {
                    fields += 1;
                }
                end = m;
            } else if !line.trim().is_empty() {
                break;
            }
            m += 1;
        }
        if fields >= 2 {
            out.section(KIND, start, end);
        }
        n = m.max(n + 1);
    }
}

/// Event CSV headers: Event Viewer's "Save All Events As… CSV"
/// (`Level,Date and Time,Source,Event ID,Task Category`, quoted or not) and
/// PowerShell `Export-Csv` of `Get-WinEvent`/`Get-EventLog` objects
/// (`#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord`).
fn is_csv_header(line: &str) -> bool {
    // The trimmed line with its quotes left out starts with a header
    // (compared as it goes, not copied: every line is asked).
    let starts = |prefix: &str| {
        let mut unquoted = line.trim().chars().filter(|&c| c != '"');
        prefix.chars().all(|p| unquoted.next() == Some(p))
    };
    starts("Level,Date and Time,Source,Event ID")
        || starts("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord")
        || starts("#TYPE System.Diagnostics.EventLogEntry")
}

fn scan_csv(doc: &Doc, out: &mut Output) {
    let mut n = 1;
    while n <= doc.len() {
        if !is_csv_header(doc.line(n)) {
            n += 1;
            continue;
        }
        // Rows follow until a blank line outside quotes (messages are quoted
        // and may span lines, blank ones included).
        let start = n;
        let mut end = n;
        let mut in_quotes = false;
        let mut m = n + 1;
        while m <= doc.len() {
            let line = doc.line(m);
            if !in_quotes && line.trim().is_empty() {
                break;
            }
            // `""` is an escaped quote and leaves the parity unchanged.
            if line.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
                in_quotes = !in_quotes;
            }
            end = m;
            m += 1;
        }
        out.section(KIND, start, end);
        n = m.max(n + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> Vec<(usize, usize)> {
        let doc = Doc::new("t", text);
        let mut out = Output::default();
        scan(&doc, &mut out);
        out.sections.iter().map(|s| (s.line, s.end_line)).collect()
    }

    #[test]
    fn get_winevent_format_list_blocks() {
        let text = "PS C:\\> Get-WinEvent -LogName Microsoft-Windows-Hyper-V-Compute-Admin -MaxEvents 2 | Format-List\n\
\n\
TimeCreated  : 3/1/2024 10:22:33 AM\n\
ProviderName : Microsoft-Windows-Hyper-V-Compute\n\
Id           : 12032\n\
Message      : The container operating system does not match the host operating\n\
\x20              system. (0xC0370101)\n\
\n\
TimeCreated  : 3/1/2024 10:22:30 AM\n\
ProviderName : Microsoft-Windows-Hyper-V-Compute\n\
Id           : 12030\n\
Message      : Container started.\n";
        assert_eq!(sections(text), [(3, 7), (9, 12)]);
    }

    #[test]
    fn get_eventlog_table() {
        let text = "   Index Time          EntryType   Source                 InstanceID Message\n\
\x20  ----- ----          ---------   ------                 ---------- -------\n\
\x20  10231 Mar 01 10:22  Error       docker                          4 Handler for POST /v1.43/containers/...\n\
\x20  10230 Mar 01 10:22  Information docker                          4 API listen on //./pipe/docker_engine\n\
\n\
done\n";
        assert_eq!(sections(text), [(1, 4)]);
    }

    #[test]
    fn get_winevent_table_with_provider_heading() {
        let text = "\n   ProviderName: docker\n\nTimeCreated                      Id LevelDisplayName Message\n-----------                      -- ---------------- -------\n3/1/2024 10:22:33 AM              4 Error            Handler for POST\n";
        assert_eq!(sections(text), [(2, 6)]);
    }

    #[test]
    fn wevtutil_text_events() {
        let text = "Event[0]:\n  Log Name: Application\n  Source: docker\n  Date: 2024-03-01T10:22:33.123\n  Event ID: 4\n  Description: \nHandler failed\n";
        assert_eq!(sections(text), [(1, 6)]);
    }

    #[test]
    fn event_viewer_csv_with_multiline_message() {
        let text = "Level,Date and Time,Source,Event ID,Task Category\n\
Error,3/1/2024 10:22:33 AM,docker,4,None,\"Handler for POST failed:\n\
\n\
(extra info: {\"\"SystemType\"\":\"\"Container\"\"})\"\n\
Information,3/1/2024 10:20:00 AM,docker,4,None,API listen\n\
\n\
after\n";
        assert_eq!(sections(text), [(1, 5)]);
    }

    #[test]
    fn other_format_list_output_is_not_events() {
        assert!(
            sections("OsName    : Microsoft Windows Server 2019\nOsVersion : 10.0.17763\n")
                .is_empty()
        );
    }
}
