//! dockerd and containerd logs: logrus text lines
//! (`time="…" level=error msg="…" key=value`), logrus JSON lines
//! (`{"level":"error","msg":"…","time":"…"}`) and the bracketed-timestamp
//! lines of the Windows service log (`[2024-03-01T10:22:33Z] …`).
//!
//! Each contiguous run becomes a `DaemonLog` section. Start-up lines that
//! describe the daemon (`msg="Docker daemon" … version=…`, `msg="starting
//! containerd" … version=…`, `Windows default isolation mode: process`, an
//! info line naming the Windows version) become one `HostFacts` per run.
//! Failure messages inside `msg="…"` are read by `failure`, not here. This
//! module must not know which build is which release.

use super::doc::{Doc, Output};
use crate::model::version::find_version;
use crate::model::{HostFacts, Isolation, RecordData, SectionKind};
use nom::bytes::complete::{tag, take_till, take_while1};
use nom::character::complete::char;
use nom::sequence::delimited;
use nom::{IResult, Parser};

const KIND: SectionKind = SectionKind::DaemonLog;

/// One parsed daemon log line: its level and message (unescaped for text
/// lines only as far as `\"`), and its `key=value` fields.
#[derive(Debug, Clone, PartialEq, Default)]
struct LogLine {
    level: String,
    msg: String,
    fields: Vec<(String, String)>,
}

impl LogLine {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `time="2024-03-01T10:22:33.123456789Z"`: the timestamp.
fn logrus_time(i: &str) -> IResult<&str, &str> {
    delimited(tag("time=\""), take_till(|c| c == '"'), char('"')).parse(i)
}

/// A logrus value: `"quoted with \"escapes\""` or a bare word.
fn logrus_value(i: &str) -> IResult<&str, String> {
    if let Some(rest) = i.strip_prefix('"') {
        // Scan to the closing quote, honouring backslash escapes; bounded
        // by the line, linear.
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((pos, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, '"')) => out.push('"'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                },
                '"' => return Ok((rest.get(pos + 1..).unwrap_or_default(), out)),
                _ => out.push(c),
            }
        }
        // Tolerance: a line cut mid-value (pasted log, `…` truncation) keeps
        // what is there.
        return Ok(("", out));
    }
    let (i, v) = take_while1(|c: char| !c.is_whitespace()).parse(i)?;
    Ok((i, v.to_owned()))
}

/// A logrus text line: `time="…" level=info msg="Docker daemon" commit=… version=…`.
///
/// Tolerance: a prefix before `time="` is allowed (journald's
/// `Mar 01 10:22:33 host dockerd[812]: `, Windows event messages), so the
/// line is searched for `time="` and parsed from there.
fn logrus_text(line: &str) -> Option<LogLine> {
    let start = memchr::memmem::find(line.as_bytes(), b"time=\"")?;
    let i = line.get(start..)?;
    let (mut i, _) = logrus_time(i).ok()?;
    let mut out = LogLine::default();
    let mut saw_level = false;
    // Fields are `key=value` separated by spaces; bounded by the line.
    loop {
        i = i.trim_start();
        if i.is_empty() {
            break;
        }
        let Ok((rest, key)) = take_while1::<_, &str, nom::error::Error<&str>>(|c: char| {
            // `graphdriver(s)=` is how dockerd 20.10 names the field.
            c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '(' | ')')
        })
        .parse(i) else {
            break;
        };
        let Some(rest) = rest.strip_prefix('=') else {
            break;
        };
        let Ok((rest, value)) = logrus_value(rest) else {
            break;
        };
        match key {
            "level" => {
                saw_level = true;
                out.level = value;
            }
            "msg" => out.msg = value,
            _ => out.fields.push((key.to_owned(), value)),
        }
        i = rest;
    }
    saw_level.then_some(out)
}

/// A logrus/containerd JSON line: `{"level":"error","msg":"…","time":"…"}`.
fn logrus_json(line: &str) -> Option<LogLine> {
    let t = line.trim();
    if !(t.starts_with('{') && t.ends_with('}') && t.contains("\"level\"")) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(t).ok()?;
    let obj = value.as_object()?;
    let level = obj.get("level")?.as_str()?.to_owned();
    let msg = obj
        .get("msg")
        .or_else(|| obj.get("message"))?
        .as_str()?
        .to_owned();
    let fields = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "level" | "msg" | "message"))
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            (k.clone(), v)
        })
        .collect();
    Some(LogLine { level, msg, fields })
}

/// `[2024-03-01T10:22:33Z] …` or `[2024-03-01T10:22:33.123456700+01:00] …`:
/// the dockerd service log as Windows writes it (`dockerd --log-file`
/// wrappers, `Get-EventLog` exports). Weak on its own, so the rest must
/// mention the daemon or a daemon keyword.
fn bracketed_line(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let inner = t.strip_prefix('[')?;
    let (stamp, rest) = inner.split_once(']')?;
    let b = stamp.as_bytes();
    let iso = b.len() >= 19
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b'T')
        && b.get(13) == Some(&b':')
        && b.iter().take(4).all(u8::is_ascii_digit);
    if !iso {
        return None;
    }
    const DAEMON_WORDS: &[&str] = &[
        "docker",
        "Docker",
        "containerd",
        "hcs",
        "HCS",
        "level=",
        "msg=",
        "graphdriver",
    ];
    DAEMON_WORDS
        .iter()
        .any(|w| rest.contains(w))
        .then_some(rest.trim())
}

/// Any daemon log line, parsed as far as its shape allows.
fn daemon_line(line: &str) -> Option<LogLine> {
    if let Some(l) = logrus_text(line).or_else(|| logrus_json(line)) {
        return Some(l);
    }
    bracketed_line(line).map(|rest| LogLine {
        msg: rest.to_owned(),
        ..LogLine::default()
    })
}

/// Literals (lower case) of the daemon start-up lines that carry host
/// facts, for the streaming prefilter (`super::prefilter`): `Docker
/// daemon`, `starting containerd`, `default isolation mode`, `Windows
/// version`. Other log lines are parsed only around a failure.
pub const LITERALS: &[&str] = &[
    "docker daemon",
    "starting containerd",
    "default isolation mode",
    "windows version",
];

/// Scan `doc` for daemon log runs.
pub fn scan(doc: &Doc, out: &mut Output) {
    scan_daemon_json(doc, out);
    // Wrapped pastes put the tail of a long `msg="…"` on the next lines.
    // Each line parsed once (it was parsed twice, to find the runs and to
    // read them: a fifth of the parse of a window of log lines).
    let lines: Vec<Option<LogLine>> = doc.lines.iter().map(|l| daemon_line(l)).collect();
    for (first, last) in doc.runs_at(|idx| lines.get(idx).is_some_and(Option::is_some), 3) {
        out.section(KIND, first, last);
        let mut facts = HostFacts::default();
        let mut span: Option<(usize, usize)> = None;
        for n in first..=last {
            let Some(Some(line)) = n.checked_sub(1).and_then(|i| lines.get(i)) else {
                continue;
            };
            if read_startup_facts(line, &mut facts) {
                span = Some(span.map_or((n, n), |(s, _)| (s, n)));
            }
        }
        if let Some((s, e)) = span {
            out.record(KIND, s, e, RecordData::Host(facts));
        }
    }
}

/// Start-up facts from one line; `true` when it gave any.
///
/// - dockerd: `msg="Docker daemon" commit=… graphdriver=windowsfilter version=24.0.7`
/// - containerd: `msg="starting containerd" revision=… version=v1.7.13`
/// - dockerd: `msg="Windows default isolation mode: process"`
/// - an info/debug line whose message names the host's Windows version or
///   kernel (`msg="Windows version 10.0.17763.5458"`,
///   `msg="kernel version" version="10.0 17763 (17763.1.amd64fre…)"`).
fn read_startup_facts(line: &LogLine, facts: &mut HostFacts) -> bool {
    let msg = line.msg.as_str();
    let mut found = false;
    if msg == "Docker daemon" || msg == "Daemon has completed initialization" {
        if let Some(v) = line.field("version") {
            facts.runtime = Some(format!("docker://{}", v.trim_start_matches('v')));
            found = true;
        }
        let driver = ["graphdriver", "graphdriver(s)", "storage-driver"]
            .iter()
            .find_map(|k| line.field(k));
        if driver == Some("windowsfilter") {
            facts.os_type = Some("windows".to_owned());
            found = true;
        }
    }
    if msg.starts_with("starting containerd") {
        if let Some(v) = line.field("version") {
            facts.runtime = Some(format!("containerd://{}", v.trim_start_matches('v')));
            found = true;
        }
    }
    if let Some(mode) = msg.strip_prefix("Windows default isolation mode: ") {
        facts.default_isolation = match mode.trim() {
            "process" => Some(Isolation::Process),
            "hyperv" => Some(Isolation::Hyperv),
            _ => None,
        };
        facts.os_type = Some("windows".to_owned());
        found |= facts.default_isolation.is_some();
    }
    let informational = matches!(line.level.as_str(), "info" | "debug" | "trace" | "");
    let lower = msg.to_ascii_lowercase();
    let describes_host = ["windows version", "kernel version", "os version", "operating system"]
        .iter()
        .any(|w| lower.contains(w))
        // Failure messages also say "Windows version" (`a Windows version
        // 10.0.17763-based image is incompatible with a 10.0.17134 host`).
        && !["image", "incompatible", "manifest", "error", "fail", "does not match"]
            .iter()
            .any(|w| lower.contains(w));
    if informational && describes_host {
        let candidates = std::iter::once(msg).chain(line.fields.iter().map(|(_, v)| v.as_str()));
        for text in candidates {
            if let Some((v, range)) = find_version(text) {
                facts.version = Some(v);
                facts.version_text = text.get(range).map(str::to_owned);
                facts.os_type = Some("windows".to_owned());
                found = true;
                break;
            }
        }
    }
    found
}

/// dockerd's `daemon.json` pasted into a ticket: `{ "exec-opts":
/// ["isolation=hyperv"] }` (facts.md §5.2, `C:\\ProgramData\\docker\\config\\daemon.json`)
/// states the daemon's default isolation, which a `HostFacts` carries (no
/// name, no version: the file says neither).
fn scan_daemon_json(doc: &Doc, out: &mut Output) {
    // JSON parsing is not free: only documents that mention the key.
    if !doc.lines.iter().any(|l| l.contains("\"exec-opts\"")) {
        return;
    }
    for block in doc.json_blocks() {
        let Some(opts) = block.value.get("exec-opts").and_then(|v| v.as_array()) else {
            continue;
        };
        let isolation = opts.iter().filter_map(|o| o.as_str()).find_map(|o| {
            let (key, value) = o.split_once('=')?;
            if !key.trim().eq_ignore_ascii_case("isolation") {
                return None;
            }
            match value.trim().to_ascii_lowercase().as_str() {
                "process" => Some(Isolation::Process),
                "hyperv" | "hyper-v" => Some(Isolation::Hyperv),
                _ => None,
            }
        });
        let Some(isolation) = isolation else {
            continue;
        };
        out.section(KIND, block.line, block.end_line);
        let facts = HostFacts {
            os_type: Some("windows".to_owned()),
            default_isolation: Some(isolation),
            ..HostFacts::default()
        };
        out.record(KIND, block.line, block.end_line, RecordData::Host(facts));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemon_json_exec_opts_isolation() {
        let out = Output::scanning(
            scan,
            "PS C:\\> type C:\\ProgramData\\docker\\config\\daemon.json\n{\n  \"exec-opts\": [\"isolation=hyperv\"],\n  \"debug\": false\n}\n",
        );
        let hs = out.hosts();
        assert_eq!(hs.len(), 1);
        assert_eq!((hs[0].0.line, hs[0].0.end_line), (2, 5));
        assert_eq!(hs[0].1.default_isolation, Some(Isolation::Hyperv));
        let out = Output::scanning(scan, "{\"exec-opts\": [\"native.cgroupdriver=systemd\"]}\n");
        assert!(out.hosts().is_empty());
    }
    use crate::model::WindowsVersion;

    fn run(text: &str) -> Output {
        Output::scanning(scan, text)
    }

    #[test]
    fn logrus_text_line_fields_and_escaped_msg() {
        let l = logrus_text(
            r#"time="2024-03-01T10:22:33.123456789Z" level=error msg="Handler for POST /v1.43/containers/9f1c/start returned error: hcs::CreateComputeSystem 9f1c: The container operating system does not match the host operating system.\n(extra info: {\"SystemType\":\"Container\"})" module=api"#,
        )
        .unwrap();
        assert_eq!(l.level, "error");
        assert!(l
            .msg
            .ends_with("(extra info: {\"SystemType\":\"Container\"})"));
        assert_eq!(l.field("module"), Some("api"));
    }

    #[test]
    fn journald_prefix_is_tolerated() {
        let l = logrus_text(r#"Mar 01 10:22:33 node-3 dockerd[812]: time="2024-03-01T10:22:33Z" level=info msg="API listen on //./pipe/docker_engine""#).unwrap();
        assert_eq!(l.msg, "API listen on //./pipe/docker_engine");
    }

    #[test]
    fn daemon_start_gives_runtime_isolation_and_version() {
        let out = run(concat!(
            "time=\"2024-03-01T10:20:01.000000000Z\" level=info msg=\"Starting up\"\n",
            "time=\"2024-03-01T10:20:01.100000000Z\" level=info msg=\"Windows default isolation mode: process\"\n",
            "time=\"2024-03-01T10:20:02.000000000Z\" level=info msg=\"Windows version 10.0.17763.5458\"\n",
            "time=\"2024-03-01T10:20:03.000000000Z\" level=info msg=\"Docker daemon\" commit=311b9ff graphdriver(s)=windowsfilter version=24.0.7\n",
            "time=\"2024-03-01T10:22:33.000000000Z\" level=error msg=\"a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host\"\n",
        ));
        assert_eq!(out.sections.len(), 1);
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 5));
        let RecordData::Host(h) = &out.records[0].data else {
            panic!("{:?}", out.records);
        };
        assert_eq!(out.records.len(), 1);
        assert_eq!(h.runtime.as_deref(), Some("docker://24.0.7"));
        assert_eq!(h.default_isolation, Some(Isolation::Process));
        assert_eq!(h.version, Some(WindowsVersion::new(17763, Some(5458))));
        assert_eq!((out.records[0].line, out.records[0].end_line), (2, 4));
    }

    #[test]
    fn json_lines_and_containerd_start() {
        let out = run(concat!(
            "{\"level\":\"info\",\"msg\":\"starting containerd\",\"revision\":\"64b8a81\",\"time\":\"2024-03-01T10:20:00Z\",\"version\":\"v1.7.13\"}\n",
            "{\"level\":\"error\",\"msg\":\"RunPodSandbox failed\",\"time\":\"2024-03-01T10:22:33Z\"}\n",
        ));
        assert_eq!(out.sections.len(), 1);
        let RecordData::Host(h) = &out.records[0].data else {
            panic!()
        };
        assert_eq!(h.runtime.as_deref(), Some("containerd://1.7.13"));
    }

    #[test]
    fn bracketed_lines_need_a_daemon_word() {
        let out =
            run("[2024-03-01T10:22:33Z] dockerd: starting\n[2024-03-01T10:22:34Z] unrelated\n");
        assert_eq!((out.sections[0].line, out.sections[0].end_line), (1, 1));
        assert!(run("[2024-03-01T10:22:33Z] build step 3 done\n")
            .sections
            .is_empty());
    }

    #[test]
    fn cut_line_does_not_panic() {
        assert!(
            logrus_text("time=\"2024-03-01T10:22:33Z\" level=error msg=\"cut here \\").is_some()
        );
        assert!(logrus_text("time=\"").is_none());
    }
}
