//! Property tests (issue 6): nothing lost, the same findings however the
//! text arrives, redaction holds, output is safe. Bounded case counts keep
//! `cargo test` fast; failures print the generated input.
//!
//! How "nothing lost" counts: every generated failure message must come back
//! as exactly one `Failure` record from `parse::parse_text` (the analysis
//! merges identical failures into one finding, so records are the exact
//! count), and the error findings' `occurrences` must add up to the same N
//! (each message names its own container, so none is merged as a repeat).

use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use wincompat::analyze::{analyze, GivenFacts};
use wincompat::input::{read_all, Source};
use wincompat::model::finding::{Report, Severity};
use wincompat::model::ParsedInput;
use wincompat::model::RecordData;
use wincompat::pipeline::parse_text;
use wincompat::report::{render, ReportFormat, TextStyle};

// ---------------------------------------------------------------------------
// Generators: the wordings the recogniser supports, at several escape depths
// ---------------------------------------------------------------------------

/// One failure message, before decoration.
#[derive(Debug, Clone)]
enum Wording {
    /// docker CLI legacy wording, optionally with its extra-info blob.
    Legacy { old_text: bool, blob: bool },
    /// containerd shim (kubelet event, ctr).
    Shim,
    /// `a Windows version 10.0.N-based image is incompatible with a 10.0.M host`.
    Incompatible { image: u32, host: u32 },
    /// `no matching manifest for windows/amd64 10.0.N in the manifest list entries`.
    Manifest { build: u32 },
    /// hcsshim `hcs::System::Start` wording with another code.
    Exited,
}

fn wording() -> impl Strategy<Value = Wording> {
    let build = prop::sample::select(vec![14393u32, 16299, 17134, 17763, 19041, 20348, 26100]);
    prop_oneof![
        (any::<bool>(), any::<bool>())
            .prop_map(|(old_text, blob)| Wording::Legacy { old_text, blob }),
        Just(Wording::Shim),
        (build.clone(), build.clone())
            .prop_map(|(image, host)| Wording::Incompatible { image, host }),
        build.prop_map(|build| Wording::Manifest { build }),
        Just(Wording::Exited),
    ]
}

/// How one message is dressed: escape depth (0 plain, 1 inside a logrus
/// `msg="…"`, 2 inside a JSON `message` inside `msg="…"`), a CI timestamp,
/// Markdown quoting, wrapping.
#[derive(Debug, Clone)]
struct Dress {
    depth: u8,
    timestamp: bool,
    quote: bool,
    wrap: Option<Wrap>,
}

/// Where line breaks are inserted into a message's line.
#[derive(Debug, Clone, Copy)]
enum Wrap {
    /// A console cuts every `width` characters, wherever they fall.
    Cut(usize),
    /// A terminal or pager wraps words at `width`; the space at each break
    /// is dropped, left at the end of the line or carried to the start of
    /// the next (`Space`).
    Words(usize, Space),
    /// One break at one character position (a log shipper's line limit, a
    /// paste): between two words, inside a number, a word or an escape.
    Once(prop::sample::Index, Space),
}

#[derive(Debug, Clone, Copy)]
enum Space {
    Dropped,
    AtEnd,
    AtStart,
}

fn wrap() -> impl Strategy<Value = Wrap> {
    let space = prop_oneof![
        Just(Space::Dropped),
        Just(Space::AtEnd),
        Just(Space::AtStart)
    ];
    prop_oneof![
        (80usize..200).prop_map(Wrap::Cut),
        (40usize..200, space.clone()).prop_map(|(w, s)| Wrap::Words(w, s)),
        (any::<prop::sample::Index>(), space).prop_map(|(i, s)| Wrap::Once(i, s)),
    ]
}

/// `line` broken as `w` says.
fn wrapped(line: &str, w: Wrap) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    // Break before each of these char positions; a break on a space
    // treats the space as `Space` says.
    let (cuts, space): (Vec<usize>, Space) = match w {
        Wrap::Cut(width) => (
            (1..)
                .map(|k| k * width)
                .take_while(|&c| c < chars.len())
                .collect(),
            Space::AtStart,
        ),
        Wrap::Words(width, space) => {
            let mut cuts = Vec::new();
            let mut from = 0;
            while chars.len() - from > width {
                // The last space within the width, or a hard cut.
                let at = (from + 1..=from + width)
                    .rev()
                    .find(|&i| chars.get(i) == Some(&' '))
                    .unwrap_or(from + width);
                cuts.push(at);
                from = at + usize::from(chars.get(at) == Some(&' '));
            }
            (cuts, space)
        }
        Wrap::Once(i, space) => (vec![1 + i.index(chars.len().max(2) - 1)], space),
    };
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut k = 0;
    let mut skip_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if cuts.get(k) == Some(&i) {
            k += 1;
            if c == ' ' {
                match space {
                    Space::Dropped => {
                        lines.push(std::mem::take(&mut cur));
                        skip_space = true;
                    }
                    Space::AtEnd => {
                        cur.push(' ');
                        lines.push(std::mem::take(&mut cur));
                        skip_space = true;
                    }
                    Space::AtStart => lines.push(std::mem::take(&mut cur)),
                }
            } else {
                lines.push(std::mem::take(&mut cur));
            }
        }
        if skip_space {
            skip_space = false;
            continue;
        }
        cur.push(c);
    }
    lines.push(cur);
    lines
}

fn dress(wrapping: bool) -> impl Strategy<Value = Dress> {
    (
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(wrap()),
    )
        .prop_map(move |(depth, timestamp, quote, wrap)| Dress {
            depth,
            timestamp,
            quote,
            // CI logs carry a timestamp on every line and are never wrapped
            // by a console; a wrapped capture has no per-line timestamp.
            wrap: if timestamp || !wrapping { None } else { wrap },
        })
}

fn message(w: &Wording, id: &str) -> String {
    match w {
        Wording::Legacy { old_text, blob } => {
            let text = if *old_text {
                "The operating system of the container does not match the operating system of the host."
            } else {
                "The container operating system does not match the host operating system."
            };
            let mut m = format!("Error response from daemon: container {id} encountered an error during CreateContainer: failure in a Windows system call: {text} (0xc0370101)");
            if *blob {
                m.push_str(&format!(
                    r#" extra info: {{"SystemType":"Container","Name":"{id}","Owner":"docker","LayerFolderPath":"C:\\ProgramData\\docker\\windowsfilter\\{id}","HvPartition":false}}."#
                ));
            }
            m
        }
        Wording::Shim => format!("Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {id}: The container operating system does not match the host operating system.: unknown"),
        Wording::Incompatible { image, host } => format!("{id}: Pulling from team/app\r\na Windows version 10.0.{image}-based image is incompatible with a 10.0.{host} host"),
        Wording::Manifest { build } => format!("{id}: Pulling from team/app\r\nno matching manifest for windows/amd64 10.0.{build} in the manifest list entries"),
        Wording::Exited => format!("Error: failed to start container \"{id}\": hcs::System::Start: The virtual machine or container exited unexpectedly. (0xc0370106)"),
    }
}

/// One level of JSON string escaping.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The message as lines of a log, dressed.
fn dressed(w: &Wording, id: &str, d: &Dress) -> Vec<String> {
    let raw = message(w, id);
    // Pull progress lines stay outside any escaping: they are their own lines.
    let (pre, body) = match raw.split_once("\r\n") {
        Some((pre, body)) => (Some(pre.to_owned()), body.to_owned()),
        None => (None, raw),
    };
    let body = match d.depth {
        0 => body,
        1 => format!("time=\"2024-05-01T10:22:33.000000000Z\" level=error msg=\"{}\"", esc(&body)),
        _ => format!(
            "time=\"2024-05-01T10:22:33.000000000Z\" level=error msg=\"Handler for POST /v1.41/containers/{id}/start returned error: {}\"",
            esc(&format!("{{\"message\":\"{}\"}}", esc(&body)))
        ),
    };
    let mut lines: Vec<String> = pre.into_iter().collect();
    match d.wrap {
        Some(w) => lines.extend(wrapped(&body, w)),
        None => lines.push(body),
    }
    lines
        .into_iter()
        .map(|l| {
            let l = if d.timestamp {
                format!("2024-05-01T10:22:33.1234567Z {l}")
            } else {
                l
            };
            if d.quote {
                format!("> {l}")
            } else {
                l
            }
        })
        .collect()
}

/// Log noise that holds no failure trigger.
fn noise_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("I0501 10:22:33.123456    4128 kubelet.go:2345] \"SyncLoop (PLEG): event for pod\" pod=\"shop/web-0\"".to_owned()),
        Just("Step 3/7 : RUN powershell -Command Install-WindowsFeature Web-Server".to_owned()),
        Just("time=\"2024-05-01T10:22:33Z\" level=info msg=\"Loading containers: done.\"".to_owned()),
        Just("##[section]Starting: Build image".to_owned()),
        Just(String::new()),
        Just("```".to_owned()),
        "[a-z]{1,12}( [a-z]{1,12}){0,8}",
    ]
}

/// A document: noise and N failures (each with its own container ID).
#[derive(Debug, Clone)]
struct Doc {
    /// Lines; `breaks[i]` is true where a file may be split before line i.
    lines: Vec<String>,
    breaks: Vec<bool>,
    n: usize,
    ending: u8,
}

fn document(max: usize, wrapping: bool) -> impl Strategy<Value = Doc> {
    (
        prop::collection::vec(
            (
                prop::collection::vec(noise_line(), 0..4),
                wording(),
                dress(wrapping),
                "[0-9a-f]{12}",
            ),
            1..=max,
        ),
        prop::collection::vec(noise_line(), 0..3),
        0u8..3,
        prop::sample::select(vec![14393u32, 16299, 17763, 20348]),
    )
        .prop_map(|(items, tail, ending, host)| {
            let mut lines = Vec::new();
            let mut breaks = Vec::new();
            let n = items.len();
            for (k, (noise, w, d, hex)) in items.into_iter().enumerate() {
                // One document comes from one host: every message that
                // states the host's build states the same one, and an
                // incompatible image is of another build.
                let w = match w {
                    Wording::Incompatible { image, .. } => Wording::Incompatible {
                        image: if image == host { 26100 } else { image },
                        host,
                    },
                    Wording::Manifest { .. } => Wording::Manifest { build: host },
                    other => other,
                };
                // A blank line between messages: a failure that runs into the
                // next one without any separator is a different property.
                lines.push(String::new());
                breaks.push(true);
                for l in noise {
                    lines.push(l);
                    breaks.push(false);
                }
                lines.push(String::new());
                breaks.push(false);
                let id = format!("{hex}{k:04x}");
                for l in dressed(&w, &id, &d) {
                    lines.push(l);
                    breaks.push(false);
                }
            }
            lines.push(String::new());
            breaks.push(true);
            lines.extend(tail);
            breaks.resize(lines.len(), false);
            Doc {
                lines,
                breaks,
                n,
                ending,
            }
        })
}

impl Doc {
    fn eol(&self, i: usize) -> &'static str {
        match self.ending {
            0 => "\n",
            1 => "\r\n",
            _ => ["\n", "\r\n", "\r\n", "\n"][i % 4],
        }
    }

    fn text(&self) -> String {
        self.lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l}{}", self.eol(i)))
            .collect()
    }

    /// The text split at the allowed break points into up to `parts` pieces.
    fn split(&self, parts: usize) -> Vec<String> {
        let points: Vec<usize> = (1..self.lines.len()).filter(|&i| self.breaks[i]).collect();
        let step = (points.len() / parts.max(1)).max(1);
        let cuts: Vec<usize> = points.iter().step_by(step).copied().collect();
        let mut out = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([self.lines.len()]) {
            if cut <= from {
                continue;
            }
            out.push(
                (from..cut)
                    .map(|i| format!("{}{}", self.lines[i], self.eol(i)))
                    .collect(),
            );
            from = cut;
        }
        out
    }
}

/// Failure records, counting those folded into a kept one (equal failures
/// of one context are folded as they are parsed: issue 15).
fn failures(parsed: &ParsedInput) -> usize {
    let folded: u64 = parsed.folds.values().map(|f| f.more).sum();
    parsed
        .records
        .iter()
        .filter(|r| matches!(r.data, RecordData::Failure(_)))
        .count()
        + usize::try_from(folded).unwrap_or(usize::MAX)
}

fn error_occurrences(report: &Report) -> u64 {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.occurrences)
        .sum()
}

/// Findings as comparable facts: one entry per occurrence, holding the
/// kind, error code and builds, without input names, lines or container
/// IDs. Per occurrence, because failures that name no workload, node or
/// image are grouped per input on purpose (`analyze::analyze`: nothing says
/// two such failures in two files concern the same container), so the same
/// occurrences may form one finding or several when the text is split.
fn facts(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| {
            let fact = format!(
                "{} {:?} {:?} {:?}",
                f.kind.as_str(),
                f.error_code,
                f.host.as_ref().map(|h| h.build),
                f.image_os.as_ref().map(|i| i.build),
            );
            std::iter::repeat_n(
                fact,
                usize::try_from(f.occurrences.min(1000)).unwrap_or(1000),
            )
        })
        .collect();
    out.sort();
    out
}

fn analyse_set(set: &wincompat::input::InputSet) -> Report {
    let parsed: Vec<ParsedInput> = set
        .inputs
        .iter()
        .map(|i| parse_text(&i.name, &i.text))
        .collect();
    analyze(&parsed, &GivenFacts::default())
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

fn read_files(dir: &Path, files: &[(&str, Vec<u8>)]) -> wincompat::input::InputSet {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).expect("write");
            Source::Path(p)
        })
        .collect();
    read_all(&sources)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// N failures in noise → exactly N failure records and N occurrences.
    #[test]
    fn nothing_lost(doc in document(6, false)) {
        check_nothing_lost(&doc)?;
    }

}

proptest! {
    // Many cases: before issue 15 the console-width wraps alone lost or
    // split a failure about once in 600 cases; with word wraps and single
    // breaks, the rules fixed then failed within the first ten cases.
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The same with console wrapping at random widths (80–200 columns),
    /// cutting anywhere: inside a trigger, a version, before the final `.`;
    /// with words wrapped at 40–200 columns; and with one break anywhere
    /// (issue 15: `a Windows version` / ` 10.0.26100-based image is
    /// incompatible with a 10.0.14393 host.` was lost).
    #[test]
    fn nothing_lost_when_console_wrapped(doc in document(6, true)) {
        check_nothing_lost(&doc)?;
        // The streamed path too: a wrap must not hide a failure from the
        // prefilter (every single break leaves an anchor intact).
        let text = doc.text();
        let opts = wincompat::input::stream::StreamOptions {
            buffer_size: 4096,
            search_thread: false,
            ..Default::default()
        };
        let streamed = wincompat::pipeline::parse_stream("mixed.log", &mut text.as_bytes(), &opts)
            .expect("reading from memory");
        prop_assert_eq!(failures(&streamed), doc.n, "streamed, text:\n{}", text);
    }
}

fn check_nothing_lost(doc: &Doc) -> Result<(), TestCaseError> {
    {
        let text = doc.text();
        let parsed = parse_text("mixed.log", &text);
        prop_assert_eq!(failures(&parsed), doc.n, "text:\n{}", text);
        let report = analyze(&[parsed], &GivenFacts::default());
        prop_assert_eq!(error_occurrences(&report), doc.n as u64, "text:\n{}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The same findings from one file, several files, their concatenation,
    /// gzip and UTF-16.
    #[test]
    fn same_findings_however_it_arrives(doc in document(4, false), parts in 2usize..4) {
        let text = doc.text();
        let dir = tempfile::tempdir().expect("tempdir");
        let one = analyse_set(&read_files(dir.path(), &[("one.log", text.clone().into_bytes())]));
        let expected = facts(&one);
        prop_assert_eq!(error_occurrences(&one), doc.n as u64, "text:\n{}", text);

        let pieces = doc.split(parts);
        prop_assert_eq!(pieces.concat(), text.clone());
        let named: Vec<(String, Vec<u8>)> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("part-{i}.log"), p.clone().into_bytes()))
            .collect();
        let refs: Vec<(&str, Vec<u8>)> = named.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let split = analyse_set(&read_files(dir.path(), &refs));
        prop_assert_eq!(facts(&split), expected.clone(), "split into {} parts", pieces.len());

        let concatenated = parse_text("<stdin>", &pieces.concat());
        prop_assert_eq!(facts(&analyze(&[concatenated], &GivenFacts::default())), expected.clone());

        let gz = analyse_set(&read_files(dir.path(), &[("one.log.gz", gzip(text.as_bytes()))]));
        prop_assert_eq!(facts(&gz), expected.clone(), "gzip");

        let wide = analyse_set(&read_files(dir.path(), &[("one-utf16.log", utf16le(&text))]));
        prop_assert_eq!(facts(&wide), expected, "UTF-16LE");
    }
}

/// The concatenation really arrives on stdin once, through the binary.
#[test]
fn stdin_concatenation_matches_files() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..3 {
        let doc = document(4, false)
            .new_tree(&mut runner)
            .expect("tree")
            .current();
        let pieces = doc.split(3);
        let dir = tempfile::tempdir().expect("tempdir");
        let mut args = vec!["--format".to_owned(), "json".to_owned()];
        for (i, p) in pieces.iter().enumerate() {
            let path = dir.path().join(format!("part-{i}.log"));
            std::fs::write(&path, p).expect("write");
            args.push(path.display().to_string());
        }
        let files = assert_cmd::Command::cargo_bin("wincompat")
            .expect("binary")
            .args(&args)
            .output()
            .expect("runs");
        let stdin = assert_cmd::Command::cargo_bin("wincompat")
            .expect("binary")
            .args(["--format", "json"])
            .write_stdin(pieces.concat())
            .output()
            .expect("runs");
        assert_eq!(files.status.code(), Some(1));
        assert_eq!(stdin.status.code(), Some(1));
        let a: Report = serde_json::from_slice(&files.stdout).expect("json");
        let b: Report = serde_json::from_slice(&stdin.stdout).expect("json");
        assert_eq!(facts(&a), facts(&b));
        assert_eq!(a.summary.occurrences, doc.n as u64);
    }
}

// ---------------------------------------------------------------------------
// Redaction holds
// ---------------------------------------------------------------------------

/// Identifiers a user would not want in a shared ticket.
#[derive(Debug, Clone)]
struct Secrets {
    node: String,
    pod: String,
    registry: String,
    ip: String,
    guid: String,
    user: String,
}

fn secrets() -> impl Strategy<Value = Secrets> {
    (
        "[a-z]{4,8}[0-9]{2,4}[a-z]{2,5}",
        "[a-z]{5,9}-[a-z]{4,6}",
        "[a-z]{6,10}",
        (1u8..255, 0u8..255, 0u8..255, 1u8..255),
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "[a-z]{6,10}",
    )
        .prop_map(|(node, pod, reg, (a, b, c, d), guid, user)| Secrets {
            node,
            pod,
            registry: format!("{reg}.azurecr.io"),
            ip: format!("{a}.{b}.{c}.{d}"),
            guid,
            user,
        })
}

fn realistic(s: &Secrets) -> String {
    format!(
        "Name:             {pod}-6f7d9c-x2kqp\n\
Namespace:        shop\n\
Node:             {node}/{ip}\n\
Containers:\n  \
web:\n    \
Image:          {registry}/shop/web:1.4-ltsc2019\n\
Events:\n  \
Type     Reason   Age                From     Message\n  \
----     ------   ----               ----     -------\n  \
Warning  Failed   12s (x4 over 58s)  kubelet  Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {pod}: The container operating system does not match the host operating system.: unknown\n\
\n\
NAME        STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n\
{node}   Ready    <none>   3d    v1.29.2   {ip}    <none>        Windows Server 2022 Datacenter   10.0.20348.2340  containerd://1.7.13\n\
\n\
docker: Error response from daemon: container 7be2c41d9a0f encountered an error during CreateContainer: failure in a Windows system call: The container operating system does not match the host operating system. (0xc0370101) extra info: {{\"SystemType\":\"Container\",\"Name\":\"7be2c41d9a0f\",\"VolumePath\":\"\\\\\\\\?\\\\Volume{{{guid}}}\",\"LayerFolderPath\":\"C:\\\\Users\\\\{user}\\\\docker\\\\windowsfilter\\\\7be2c41d9a0f\",\"HostName\":\"{node}\",\"HvPartition\":false}}.\n",
        pod = s.pod,
        node = s.node,
        ip = s.ip,
        registry = s.registry,
        guid = s.guid,
        user = s.user,
    )
}

fn all_formats(report: &Report) -> Vec<(&'static str, String)> {
    [
        (
            "text",
            ReportFormat::Text(TextStyle {
                color: false,
                ..TextStyle::plain(100)
            }),
        ),
        ("markdown", ReportFormat::Markdown),
        ("json", ReportFormat::Json),
    ]
    .into_iter()
    .map(|(name, format)| {
        let mut out = Vec::new();
        render(report, format, &mut out).expect("render");
        (name, String::from_utf8(out).expect("UTF-8"))
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn redaction_holds(s in secrets()) {
        let text = realistic(&s);
        let name = format!("C:\\Users\\{}\\case\\describe.txt", s.user);
        let parsed = parse_text(&name, &text);
        let mut report = analyze(&[parsed], &GivenFacts::default());
        // Not vacuous: without --redact the names are there.
        let plain = all_formats(&report);
        prop_assert!(plain.iter().all(|(_, o)| o.contains(&s.node)), "node not in plain output");
        wincompat::report::redact::redact(&mut report);
        for (format, out) in all_formats(&report) {
            for (what, secret) in [
                ("node", &s.node),
                ("pod", &s.pod),
                ("registry", &s.registry),
                ("ip", &s.ip),
                ("guid", &s.guid),
                ("user", &s.user),
            ] {
                prop_assert!(
                    !out.contains(secret.as_str()),
                    "{} {:?} leaked in {} output:\n{}", what, secret, format, out
                );
            }
            prop_assert!(out.contains("0xc0370101"), "{} lost the error code", format);
            prop_assert!(out.contains("20348"), "{} lost the host build", format);
            prop_assert!(out.contains("17763") || out.contains("ltsc2019"), "{} lost the image build", format);
        }
    }
}

// ---------------------------------------------------------------------------
// Output safety
// ---------------------------------------------------------------------------

fn hostile_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\u{1b}[2J\u{1b}]0;owned\u{7}".to_owned()),
        Just("\u{202e}gnp.exe".to_owned()),
        Just("a\u{200b}b\u{feff}".to_owned()),
        Just("|x|y|".to_owned()),
        Just("```\n# heading".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("\r\u{8}\u{7f}\u{9b}31m".to_owned()),
        "[a-z|`<>*_\\[\\]\u{1b}\u{7}]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn output_is_safe(frag in hostile_fragment(), frag2 in hostile_fragment()) {
        let pod = format!("web{frag}-0");
        let text = format!(
            "Name:         {pod}\nNamespace:    shop\nNode:         win{frag2}-7/10.1.2.3\nEvents:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n  Warning  Failed   12s   kubelet  Error: failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem {pod}{frag2}: The container operating system does not match the host operating system.: unknown\n"
        );
        let parsed = parse_text(&format!("in{frag}.txt"), &text);
        let report = analyze(&[parsed], &GivenFacts::default());
        for (format, out) in all_formats(&report) {
            // JSON is data: serde escapes control characters, and bidi or
            // zero-width characters are valid JSON string content.
            for c in out.chars().filter(|_| format != "json") {
                let allowed = c == '\n' || c == '\t' || !(c.is_control()
                    || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'));
                prop_assert!(allowed, "{:?} reached {} output:\n{}", c, format, out);
            }
            if format == "markdown" {
                // HTML inside code spans and fences is shown, not rendered.
                let prose = outside_code(&out);
                prop_assert!(!prose.contains("<script"), "raw HTML in Markdown:\n{}", out);
                prop_assert!(!prose.contains("<img"), "raw HTML in Markdown:\n{}", out);
                // Table rows keep their column count: unescaped pipes only
                // between cells, the same number on every row of a table.
                let mut table_pipes: Option<usize> = None;
                for line in out.lines() {
                    if !line.starts_with('|') {
                        table_pipes = None;
                        continue;
                    }
                    let pipes = unescaped_pipes(line);
                    match table_pipes {
                        None => table_pipes = Some(pipes),
                        Some(n) => prop_assert_eq!(n, pipes, "row breaks its table: {:?}\n{}", line, out),
                    }
                }
                prop_assert!(fences_balanced(&out), "unbalanced code fences:\n{}", out);
            }
            if format == "json" {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
            }
        }
    }

    /// JSON stays valid for any bytes, decoded as the binary decodes them.
    #[test]
    fn json_is_valid_for_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), wrap in any::<bool>()) {
        let mut input = Vec::new();
        if wrap {
            input.extend(b"Error: failed to create shim task: hcs::CreateComputeSystem ");
        }
        input.extend(&bytes);
        if wrap {
            input.extend(b": The container operating system does not match the host operating system.: unknown\n");
        }
        let Ok(decoded) = wincompat::input::decode::decode("bytes.bin", input) else {
            return Ok(());
        };
        let report = analyze(&[parse_text("bytes.bin", &decoded.text)], &GivenFacts::default());
        let mut out = Vec::new();
        render(&report, ReportFormat::Json, &mut out).expect("render");
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&out).is_ok());
    }
}

/// Count of pipes not escaped with a backslash.
fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            n += 1;
        }
    }
    n
}

/// Every fence that opens closes with the same length of backticks.
fn fences_balanced(md: &str) -> bool {
    let mut open: Option<usize> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let ticks = t.chars().take_while(|&c| c == '`').count();
        if ticks < 3 {
            continue;
        }
        match open {
            None => open = Some(ticks),
            Some(n) if ticks >= n && t.trim_end().chars().all(|c| c == '`') => open = None,
            Some(_) => {}
        }
    }
    open.is_none()
}

/// The Markdown text with fenced blocks and code spans removed.
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let ticks = t.chars().take_while(|&c| c == '`').count();
        match fence {
            Some(n) if ticks >= n => {
                fence = None;
                continue;
            }
            Some(_) => continue,
            None if ticks >= 3 => {
                fence = Some(ticks);
                continue;
            }
            None => {}
        }
        // Code spans: a run of N backticks up to the next run of exactly N.
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            if chars[k] == '`' {
                let n = chars[k..].iter().take_while(|&&c| c == '`').count();
                let mut j = k + n;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let m = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if m == n {
                            closed = Some(j + m);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => k = end,
                    None => {
                        out.extend(&chars[k..k + n]);
                        k += n;
                    }
                }
            } else {
                out.push(chars[k]);
                k += 1;
            }
        }
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A mapped input (scanned in place, issue 14) is cut into the same
    /// windows, with the same summary, as the same bytes read through a
    /// reader: for any document, line ends, buffer size and line cap, on
    /// one thread or two.
    #[test]
    fn mapped_and_read_scans_agree(
        doc in document(4, true),
        crlf in any::<bool>(),
        buffer in 2usize..700,
        max_line in prop::sample::select(vec![16usize, 300, 1 << 20]),
        two_threads in any::<bool>(),
    ) {
        use wincompat::input::stream::{self, Finder, StreamOptions};
        use wincompat::parse::prefilter;
        let mut text = doc.text();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let opts = StreamOptions {
            buffer_size: buffer,
            max_line_bytes: max_line,
            search_thread: two_threads,
            ..StreamOptions::default()
        };
        let finder = Finder { hits: &prefilter::hits, max_len: prefilter::max_literal_len() };
        let mut read = Vec::new();
        let read_summary = stream::scan(&mut text.as_bytes(), finder, &opts, &mut |w| read.push(w))
            .expect("reading from memory");
        let mut mapped = Vec::new();
        let mapped_summary =
            stream::scan_slice(text.as_bytes(), finder, &opts, &mut |_| {}, &mut |w| mapped.push(w));
        prop_assert_eq!(mapped_summary, read_summary);
        prop_assert_eq!(mapped, read);
    }
}
