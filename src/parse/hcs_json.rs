//! The HCS `extra info:` JSON document that hcsshim appends to
//! container-create errors, found and parsed at whatever escape depth the
//! surrounding output left it in (facts.md §4.1, §7).
//!
//! Shapes handled, each in its own named step:
//! - depth 0: `extra info: {"SystemType":"Container",…}` (docker CLI, hcsshim
//!   legacy `ContainerError`);
//! - depth 1: `{\"SystemType\":…}` inside a klog/logrus quoted string or a
//!   docker daemon `{"message":"…"}` body;
//! - depth 2: `{\\\"SystemType\\\":…}` inside a JSON `message` inside a log line;
//! - Markdown round trip: single backslashes (`"\\?\Volume{…}"`,
//!   `"C:\ProgramData\docker\…"`), which are invalid JSON escapes and are
//!   repaired by doubling;
//! - console wrapping (use [`join_wrapped`] first), trailing `.`, `)`,
//!   `})`, `}.`, and `…` truncation (salvaged key by key, `partial = true`).
//!
//! This module knows only the HCS document. It must not know which wording
//! carried it (that is `failure`), nor what isolation or version means.

use crate::model::{HcsInfo, HcsLayer};
use regex::Regex;
use std::sync::LazyLock;

/// Longest blob looked at; real documents are a few KiB.
const MAX_BLOB: usize = 1 << 20;

/// Parse the extra-info blob that starts somewhere in `text` (at or just after
/// `extra info:`), unescaping as needed. When the JSON cannot be repaired
/// (cut by `…`, by the end of the paste, or mangled), fields are salvaged
/// key by key and `partial` is set.
///
/// Matches, e.g.: `extra info: {"SystemType":"Container","Name":"3f…","HvPartition":false}.`
/// or `(extra info: {\"SystemType\":\"Container\",\"Name\":\"3f…\"})`.
pub fn parse_extra_info(text: &str) -> Option<HcsInfo> {
    let start = blob_start(text)?;
    let blob = cap(text.get(start..)?);
    let depth = escape_depth(blob);
    let mut unescaped = blob.to_owned();
    for _ in 0..depth {
        unescaped = unescape_once(&unescaped);
    }
    let (object, complete) = balanced_object(&unescaped);
    if complete {
        if let Ok(info) = serde_json::from_str::<HcsInfo>(object) {
            return Some(info);
        }
        // quirk_markdown_single_backslash: GitHub/Markdown ate one level of
        // backslashes (navcontainerhelper#518 shape): `"\\?\Volume{…}"`.
        let repaired = double_lone_backslashes(object);
        if let Ok(info) = serde_json::from_str::<HcsInfo>(&repaired) {
            return Some(info);
        }
    }
    salvage(object)
}

/// Join console-wrapped lines into one text: continuation lines lose a
/// leading timestamp, Markdown `> ` quote markers and indentation. A space
/// is inserted only where the break was at a word boundary (the previous
/// line ended in whitespace, or the next line was indented, as YAML folds);
/// a line cut at the console width mid-token (`…c424d7940` / `ce4}`) is
/// joined without one.
///
/// ```text
/// "VolumePath":"\\?\Volume{1510fdbc-cf11-44c9-8364-c424d7940
/// ce4}","IgnoreFlushesDuringBoot":true,…
/// ```
pub fn join_wrapped(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut prev_ended_ws = false;
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(line.trim_end());
            prev_ended_ws = line.ends_with(char::is_whitespace);
            continue;
        }
        let unquoted = strip_quote_markers(line);
        let untimed = strip_leading_timestamp(unquoted);
        let indented = untimed.starts_with(char::is_whitespace);
        let body = untimed.trim();
        if body.is_empty() {
            prev_ended_ws = true;
            continue;
        }
        if (prev_ended_ws || indented) && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(body);
        prev_ended_ws = line.ends_with(char::is_whitespace);
    }
    out
}

/// Strip Markdown quote markers (`> `, `>> `) from the start of a line.
fn strip_quote_markers(line: &str) -> &str {
    let mut s = line;
    for _ in 0..8 {
        let t = s.trim_start();
        match t.strip_prefix('>') {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                s = rest.strip_prefix(' ').unwrap_or(rest);
            }
            _ => break,
        }
    }
    s
}

static LEADING_TS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})? ?")
        .expect("static regex")
});

/// Remove a CI-style ISO timestamp prefix (GitHub Actions, Azure Pipelines
/// print one on every line, so wrapped continuations carry one too).
fn strip_leading_timestamp(line: &str) -> &str {
    match LEADING_TS.find(line) {
        Some(m) => line.get(m.end()..).unwrap_or(line),
        None => line,
    }
}

/// Byte offset of the `{` that opens the blob: the first `{` after
/// `extra info:` when present, else the first `{` in the text.
fn blob_start(text: &str) -> Option<usize> {
    let from = find_ci(text, "extra info:").map_or(0, |p| p + "extra info:".len());
    let rest = text.get(from..)?;
    rest.find('{').map(|p| from + p)
}

/// ASCII case-insensitive substring search.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    super::gated::find_ci(hay, needle)
}

/// The first `MAX_BLOB` bytes of `s`, cut on a char boundary.
fn cap(s: &str) -> &str {
    if s.len() <= MAX_BLOB {
        return s;
    }
    let mut end = MAX_BLOB;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// How many levels of string escaping wrap the blob, read from the
/// backslashes before its first quote: `{"` → 0, `{\"` → 1, `{\\\"` → 2.
fn escape_depth(blob: &str) -> usize {
    let Some(q) = blob.find('"') else {
        return 0;
    };
    let before = blob.get(..q).unwrap_or("");
    let n = before.bytes().rev().take_while(|&b| b == b'\\').count();
    // n = 2^depth - 1
    let mut depth = 0;
    while depth < 6 && (1usize << depth) - 1 < n {
        depth += 1;
    }
    depth
}

/// Undo one level of JSON string escaping; unknown escapes are kept as they
/// are (so a Windows path's `\P` survives).
pub(crate) fn unescape_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('"') => {
                out.push('"');
                chars.next();
            }
            Some('\\') => {
                out.push('\\');
                chars.next();
            }
            Some('/') => {
                out.push('/');
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('u') => {
                let mut look = chars.clone();
                look.next();
                let hex: String = look.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        chars = look;
                    }
                    _ => out.push('\\'),
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// The JSON object at the start of `s` (which begins with `{`), found by
/// string-aware brace matching. Returns the slice and whether it closed;
/// trailing `.`, `)`, `})`, `}.` are left outside.
fn balanced_object(s: &str) -> (&str, bool) {
    let mut depth: usize = 0;
    let mut in_str = false;
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (s.get(..=i).unwrap_or(s), true);
                }
            }
            _ => {}
        }
    }
    (s, false)
}

/// Double every backslash that does not escape a quote, turning the
/// single-backslash paths of a Markdown round trip back into valid JSON.
fn double_lone_backslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if chars.peek() == Some(&'"') {
                out.push('\\');
                out.push('"');
                chars.next();
            } else {
                out.push_str("\\\\");
            }
        } else {
            out.push(c);
        }
    }
    out
}

static KEY_STR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(SystemType|Name|Owner|HostName|LayerFolderPath|VolumePath)"\s*:\s*"((?:[^"\\]|\\.)*)""#)
        .expect("static regex")
});
static KEY_BOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(HvPartition|IgnoreFlushesDuringBoot|Servicing|AllowUnqualifiedDNSQuery)"\s*:\s*(true|false)"#)
        .expect("static regex")
});
static LAYER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\s*"ID"\s*:\s*"([^"\\]*)"\s*,\s*"Path"\s*:\s*"((?:[^"\\]|\\.)*)"\s*\}"#)
        .expect("static regex")
});

/// Read the known keys one by one from a blob that is not valid JSON
/// (typically cut by `…` or by the end of the paste). `None` when not a
/// single key could be read.
fn salvage(blob: &str) -> Option<HcsInfo> {
    let mut info = HcsInfo {
        partial: true,
        ..HcsInfo::default()
    };
    let mut found = false;
    // Only the object's top level names the container; layers nest one level.
    for cap in KEY_STR.captures_iter(blob) {
        let (Some(key), Some(val)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        let value = json_string_value(val.as_str());
        let slot = match key.as_str() {
            "SystemType" => &mut info.system_type,
            "Name" => &mut info.name,
            "Owner" => &mut info.owner,
            "HostName" => &mut info.host_name,
            "LayerFolderPath" => &mut info.layer_folder_path,
            _ => &mut info.volume_path,
        };
        if slot.is_none() {
            *slot = Some(value);
            found = true;
        }
    }
    for cap in KEY_BOOL.captures_iter(blob) {
        let (Some(key), Some(val)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        let value = val.as_str() == "true";
        let slot = match key.as_str() {
            "HvPartition" => &mut info.hv_partition,
            "IgnoreFlushesDuringBoot" => &mut info.ignore_flushes_during_boot,
            "Servicing" => &mut info.servicing,
            _ => &mut info.allow_unqualified_dns_query,
        };
        if slot.is_none() {
            *slot = Some(value);
            found = true;
        }
    }
    for cap in LAYER.captures_iter(blob) {
        let (Some(id), Some(path)) = (cap.get(1), cap.get(2)) else {
            continue;
        };
        info.layers.push(HcsLayer {
            id: id.as_str().to_owned(),
            path: json_string_value(path.as_str()),
        });
        found = true;
    }
    found.then_some(info)
}

/// The value of a JSON string body: decoded when it is valid JSON, else
/// (single-backslash Markdown form) taken as printed.
fn json_string_value(body: &str) -> String {
    serde_json::from_str::<String>(&format!("\"{body}\"")).unwrap_or_else(|_| {
        serde_json::from_str::<String>(&format!("\"{}\"", double_lone_backslashes(body)))
            .unwrap_or_else(|_| body.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = r#"extra info: {"SystemType":"Container","Name":"5e0c1d2a9b7f","Owner":"docker","VolumePath":"\\\\?\\Volume{0b7e6c52-1d3a-4c7e-9a0b-2f1e3d4c5b6a}","IgnoreFlushesDuringBoot":true,"LayerFolderPath":"C:\\ProgramData\\docker\\windowsfilter\\5e0c1d2a9b7f","Layers":[{"ID":"11111111-2222-5333-8444-555555555555","Path":"C:\\ProgramData\\docker\\windowsfilter\\aa01"}],"HostName":"5e0c1d2a9b7f","HvPartition":false,"EndpointList":["9d8c7b6a-0000-4000-8000-000000000001"],"ProcessorWeight":5,"AllowUnqualifiedDNSQuery":true}."#;

    #[test]
    fn depth_0_plain_with_trailing_dot() {
        let info = parse_extra_info(PLAIN).expect("parsed");
        assert_eq!(info.system_type.as_deref(), Some("Container"));
        assert_eq!(info.name.as_deref(), Some("5e0c1d2a9b7f"));
        assert_eq!(info.hv_partition, Some(false));
        assert_eq!(
            info.volume_path.as_deref(),
            Some(r"\\?\Volume{0b7e6c52-1d3a-4c7e-9a0b-2f1e3d4c5b6a}")
        );
        assert_eq!(info.layers.len(), 1);
        assert_eq!(
            info.layers[0].path,
            r"C:\ProgramData\docker\windowsfilter\aa01"
        );
        assert_eq!(
            info.other.get("ProcessorWeight"),
            Some(&serde_json::json!(5))
        );
        assert!(!info.partial);
    }

    #[test]
    fn depth_1_klog_quoted() {
        let text = r#"extra info: {\"SystemType\":\"Container\",\"Name\":\"c0ffee01\",\"LayerFolderPath\":\"C:\\\\ProgramData\\\\docker\\\\windowsfilter\\\\c0ffee01\",\"HvPartition\":true}""#;
        let info = parse_extra_info(text).expect("parsed");
        assert_eq!(info.name.as_deref(), Some("c0ffee01"));
        assert_eq!(info.hv_partition, Some(true));
        assert_eq!(
            info.layer_folder_path.as_deref(),
            Some(r"C:\ProgramData\docker\windowsfilter\c0ffee01")
        );
        assert!(!info.partial);
    }

    #[test]
    fn depth_2_json_message_in_log_line() {
        let text = r#"msg="{\"message\":\"… extra info: {\\\"SystemType\\\":\\\"Container\\\",\\\"Name\\\":\\\"web-7\\\",\\\"HvPartition\\\":false}\"}""#;
        let info = parse_extra_info(text).expect("parsed");
        assert_eq!(info.name.as_deref(), Some("web-7"));
        assert_eq!(info.hv_partition, Some(false));
    }

    #[test]
    fn markdown_single_backslashes_are_repaired() {
        let text = r#"(extra info: {"SystemType":"Container","Name":"ab12","VolumePath":"\\?\Volume{aaaa-bbbb}","LayerFolderPath":"C:\ProgramData\docker\windowsfilter\ab12","Layers":[{"ID":"0a0b","Path":"C:\ProgramData\docker\windowsfilter\ff00"}],"HvPartition":false})"#;
        let info = parse_extra_info(text).expect("parsed");
        assert!(!info.partial);
        assert_eq!(info.volume_path.as_deref(), Some(r"\\?\Volume{aaaa-bbbb}"));
        assert_eq!(
            info.layer_folder_path.as_deref(),
            Some(r"C:\ProgramData\docker\windowsfilter\ab12")
        );
        assert_eq!(
            info.layers[0].path,
            r"C:\ProgramData\docker\windowsfilter\ff00"
        );
    }

    #[test]
    fn trailing_punctuation_variants() {
        for tail in [".", ")", "})", "}.", ""] {
            let text = format!(r#"extra info: {{"Name":"x1","HvPartition":true}}{tail}"#);
            let info = parse_extra_info(&text).expect("parsed");
            assert_eq!(info.name.as_deref(), Some("x1"), "tail {tail:?}");
            assert_eq!(info.hv_partition, Some(true));
        }
    }

    #[test]
    fn wrapped_at_190_columns_splitting_guid_and_key() {
        // Our own console capture, wrapped mid-GUID and mid-key.
        let lines = [
            r#"(extra info: {"SystemType":"Container","Name":"d00d","Owner":"docker","VolumePath":"\\?\Volume{7c1e2f30-aa11-4b22-9c33-0d4e5f6a7"#,
            r#"b8c}","IgnoreFlushesDuringBoot":true,"Layers":[{"ID":"5f5f5f5f-0000-5111-a222-333333333333","Pa"#,
            r#"th":"C:\ProgramData\docker\windowsfilter\beef"}],"HostName":"d00d","HvPartition":false})"#,
        ];
        let joined = join_wrapped(&lines);
        assert!(joined.contains("0d4e5f6a7b8c}"));
        let info = parse_extra_info(&joined).expect("parsed");
        assert_eq!(
            info.volume_path.as_deref(),
            Some(r"\\?\Volume{7c1e2f30-aa11-4b22-9c33-0d4e5f6a7b8c}")
        );
        assert_eq!(
            info.layers[0].path,
            r"C:\ProgramData\docker\windowsfilter\beef"
        );
        assert_eq!(info.hv_partition, Some(false));
        assert!(!info.partial);
    }

    #[test]
    fn join_wrapped_strips_quotes_timestamps_and_folds_indented_lines() {
        let lines = [
            "message: 'failed to create shim task: hcs::CreateComputeSystem",
            "    0123abcd: The container",
            "> 2024-05-01T10:00:00.1234567Z operating system does not match the host operating system.'",
        ];
        assert_eq!(
            join_wrapped(&lines),
            "message: 'failed to create shim task: hcs::CreateComputeSystem 0123abcd: The containeroperating system does not match the host operating system.'"
        );
        let lines = ["failed to ", "\"CreatePodSandbox\""];
        assert_eq!(join_wrapped(&lines), "failed to \"CreatePodSandbox\"");
    }

    #[test]
    fn truncated_blob_is_salvaged_as_partial() {
        let text = r#"extra info: {"SystemType":"Container","Name":"feed42","Owner":"docker","LayerFolderPath":"C:\\ProgramData\\docker\\windowsfilter\\feed42","Layers":[{"ID":"1234","Path":"C:\\ProgramData\\docker\\windowsfilter\\0001"},{"ID":"5678","Path":"C:\\Prog…"#;
        let info = parse_extra_info(text).expect("salvaged");
        assert!(info.partial);
        assert_eq!(info.name.as_deref(), Some("feed42"));
        assert_eq!(info.owner.as_deref(), Some("docker"));
        assert_eq!(info.layers.len(), 1);
        assert_eq!(info.hv_partition, None);
    }

    #[test]
    fn truncated_depth_1_markdown_blob_is_salvaged() {
        let text = r#"{\"SystemType\":\"Container\",\"Name\":\"0a0b\",\"Owner\":\"docker\",\"IsDummy\":fals"#;
        let info = parse_extra_info(text).expect("salvaged");
        assert!(info.partial);
        assert_eq!(info.name.as_deref(), Some("0a0b"));
    }

    #[test]
    fn no_blob_is_none() {
        assert_eq!(parse_extra_info("extra info: "), None);
        assert_eq!(parse_extra_info("{not json at all"), None);
        assert_eq!(parse_extra_info(""), None);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "{",
            "{\\",
            "{\"",
            "\\\\\\\\\\{",
            "extra info: {\"a\":\"\\u12",
            "{é\\\"ü",
            "}}}{{{",
        ] {
            let _ = parse_extra_info(s);
        }
    }
}
