//! The streaming path (large inputs: literal prefilter, windows of lines,
//! `parse::parse_window`) and the in-memory path (`pipeline::parse_text`
//! over the whole text) must report the same findings with the same occurrence
//! counts and the same failure records on the same data — including when
//! a failure line, a literal or a `\r\n` is split across read buffers
//! (tiny buffers here). This is the benchmark's correctness test; its
//! timing lives in `bench/run.sh`, never in a test.
//!
//! The texts are our own, in the shapes of dockerd/containerd/kubelet logs.

use wincompat::analyze::{self, GivenFacts};
use wincompat::input::stream::{self, StreamOptions};
use wincompat::model::ParsedInput;
use wincompat::model::{RecordData, SectionKind};
use wincompat::parse::prefilter;
use wincompat::pipeline;

/// Our own daemon/kubelet log: start-up facts, noise, failures of every
/// wording the benchmark corpus uses, a wrapped klog message, a multi-line
/// extra-info blob, repeated failures close together.
fn sample_log(line_end: &str) -> String {
    let mut lines: Vec<String> = vec![
        r#"time="2024-03-01T10:00:00.000000000Z" level=info msg="Starting up""#.to_owned(),
        r#"time="2024-03-01T10:00:00.100000000Z" level=info msg="Windows default isolation mode: process""#.to_owned(),
        r#"time="2024-03-01T10:00:01.000000000Z" level=info msg="Docker daemon" commit=5d6db84 graphdriver=windowsfilter version=24.0.7"#.to_owned(),
    ];
    // Blocks of one format, as concatenated node logs are.
    let noise = |i: usize| {
        if (i / 200) % 3 == 2 {
            format!(
                r#"I0301 10:{:02}:{:02}.{:06}    4312 kubelet_node_status.go:493] "Updating node status" node="akswin{:06}""#,
                (i / 60) % 60,
                i % 60,
                i,
                i % 7
            )
        } else {
            format!(
                r#"time="2024-03-01T10:{:02}:{:02}.{:09}Z" level=debug msg="Calling GET /v1.44/containers/{:012x}/json""#,
                (i / 60) % 60,
                i % 60,
                i,
                i * 7919
            )
        }
    };
    let failures = [
        r#"time="2024-03-01T11:00:00.000000000Z" level=error msg="Handler for POST /v1.44/containers/4f2a9c01d2e3/start returned error: hcs::CreateComputeSystem 4f2a9c01d2e3: The container operating system does not match the host operating system.\n(extra info: {\"SystemType\":\"Container\",\"Name\":\"4f2a9c01d2e3\",\"Owner\":\"docker\",\"IsDummy\":false,\"HvPartition\":false})""#,
        r#"E0301 11:05:00.123456    4312 remote_runtime.go:343] "StartContainer from runtime service failed" err="rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: hcs::CreateComputeSystem 9b8e7d6c5a41: The container operating system does not match the host operating system.: unknown" containerID="9b8e7d6c5a41""#,
        r#"time="2024-03-01T11:10:00.000000000Z" level=error msg="Handler for POST /v1.44/containers/create returned error: a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host""#,
        r#"time="2024-03-01T11:15:00.000000000Z" level=error msg="Handler for POST /v1.44/images/create returned error: no matching manifest for windows/amd64 10.0.20348 in the manifest list entries""#,
        r#"{"error":"rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: HCS::CreateComputeSystem 1c2d3e4f5a6b: The container operating system does not match the host operating system. (0xc0370101): unknown","level":"error","msg":"StartContainer for \"1c2d3e4f5a6b\" failed","time":"2024-03-01T11:20:00.000000000Z"}"#,
    ];
    let mut n = 0usize;
    for round in 0..3 {
        for (k, failure) in failures.iter().enumerate() {
            for _ in 0..(37 + 11 * k + round) {
                lines.push(noise(n));
                n += 1;
            }
            lines.push((*failure).to_owned());
            if k == 1 {
                // The same failure again two lines later (one window).
                lines.push(noise(n));
                lines.push((*failure).to_owned());
            }
        }
    }
    // A message that klog wrapped onto a second line, then the docker CLI
    // form with its extra-info blob over several lines.
    lines.push(
        r#"E0301 12:00:00.000000    4312 pod_workers.go:1298] "Error syncing pod" err="failed to "#
            .to_owned(),
    );
    lines.push(r#"create shim task: hcs::CreateComputeSystem 77aa: The container operating system does not match the host operating system.: unknown" pod="shop/web-0""#.to_owned());
    for _ in 0..100 {
        lines.push(noise(n));
        n += 1;
    }
    lines.push("docker: Error response from daemon: hcs::CreateComputeSystem 5e6f: The container operating system does not match the host operating system.".to_owned());
    lines.push("(extra info: {\"SystemType\":\"Container\",".to_owned());
    lines.push("\"Name\":\"5e6f\",\"Owner\":\"docker\"}).".to_owned());
    for _ in 0..20 {
        lines.push(noise(n));
        n += 1;
    }
    let mut text = lines.join(line_end);
    text.push_str(line_end);
    text
}

fn in_memory(name: &str, text: &str) -> ParsedInput {
    pipeline::parse_text(name, text)
}

fn streamed(name: &str, text: &str, opts: &StreamOptions) -> ParsedInput {
    let mut reader = text.as_bytes();
    pipeline::parse_stream(name, &mut reader, opts).expect("reading from memory")
}

fn failures(p: &ParsedInput) -> Vec<String> {
    p.records
        .iter()
        .filter(|r| matches!(r.data, RecordData::Failure(_)))
        .map(|r| serde_json::to_string(r).unwrap())
        .collect()
}

/// The failures kept, each with what was folded into it (see
/// `pipeline::fold`): both paths must keep and fold the same.
fn failures_and_folds(p: &ParsedInput) -> Vec<String> {
    p.records
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.data, RecordData::Failure(_)))
        .map(|(i, r)| {
            format!(
                "{} {:?}",
                serde_json::to_string(r).unwrap(),
                p.folds.get(&i)
            )
        })
        .collect()
}

/// Failure lines parsed: those kept and those folded into them.
fn failure_count(p: &ParsedInput) -> u64 {
    failures(p).len() as u64 + p.folds.values().map(|f| f.more).sum::<u64>()
}

fn findings(p: ParsedInput) -> serde_json::Value {
    let report = analyze::analyze(&[p], &GivenFacts::default());
    serde_json::to_value(&report.findings).unwrap()
}

fn options(buffer_size: usize) -> StreamOptions {
    StreamOptions {
        buffer_size,
        ..StreamOptions::default()
    }
}

#[test]
fn streaming_and_in_memory_agree_for_every_buffer_size() {
    let text = sample_log("\n");
    let whole = in_memory("dockerd.log", &text);
    let want_failures = failures_and_folds(&whole);
    assert_eq!(failure_count(&whole), 20, "{want_failures:#?}");
    let want = findings(whole);
    assert!(want.as_array().is_some_and(|f| !f.is_empty()));
    // 7 bytes splits every literal and line; 4096 splits some; 1 MiB none.
    for size in [2, 7, 61, 4096, 1 << 20] {
        let got = streamed("dockerd.log", &text, &options(size));
        assert_eq!(failures_and_folds(&got), want_failures, "buffer {size}");
        assert_eq!(findings(got), want, "buffer {size}");
    }
}

/// The search runs on a second thread for one input on its own and on the
/// reading thread in a folder (issue 14); both give the same windows.
#[test]
fn searching_on_a_second_thread_changes_nothing() {
    for end in ["\n", "\r\n"] {
        let text = sample_log(end);
        for size in [7, 509, 64 * 1024] {
            let one = StreamOptions {
                search_thread: false,
                ..options(size)
            };
            let two = StreamOptions {
                search_thread: true,
                ..options(size)
            };
            let a = streamed("dockerd.log", &text, &one);
            let b = streamed("dockerd.log", &text, &two);
            assert_eq!(a.records, b.records, "buffer {size}");
            assert_eq!(a.sections, b.sections, "buffer {size}");
        }
    }
}

#[test]
fn crlf_and_lone_cr_line_ends_number_lines_alike() {
    for end in ["\r\n", "\r"] {
        let text = sample_log(end);
        let whole = in_memory("ci.log", &text);
        let want_failures = failures_and_folds(&whole);
        assert_eq!(failure_count(&whole), 20);
        let want = findings(whole);
        for size in [2, 3, 64, 1 << 16] {
            let got = streamed("ci.log", &text, &options(size));
            assert_eq!(
                failures_and_folds(&got),
                want_failures,
                "end {end:?} buffer {size}"
            );
            assert_eq!(findings(got), want, "end {end:?} buffer {size}");
        }
    }
}

#[test]
fn occurrence_counts_match_on_a_repeating_failure() {
    // The same failure every other line for a while: windows merge, and are
    // cut at `max_window_bytes`; counts must not change.
    let text = sample_log("\n");
    let repeated: String = text
        .lines()
        .filter(|l| l.contains("StartContainer from runtime service failed"))
        .take(1)
        .flat_map(|l| {
            [
                l.to_owned(),
                "I0301 11:06:00.000000    4312 prober.go:107] \"Probe ok\"".to_owned(),
            ]
        })
        .cycle()
        .take(400)
        .collect::<Vec<_>>()
        .join("\n");
    let whole = in_memory("kubelet.log", &repeated);
    let want = findings(whole);
    let total: u64 = want
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["occurrences"].as_u64())
        .sum();
    assert_eq!(total, 200);
    let opts = StreamOptions {
        buffer_size: 97,
        ..StreamOptions::default()
    };
    assert_eq!(findings(streamed("kubelet.log", &repeated, &opts)), want);
}

#[test]
fn failure_past_the_cap_of_an_over_long_line_is_found_and_the_line_named() {
    // One 3 KiB line (cap 1 KiB here) with the failure near its end.
    let mut line =
        r#"time="2024-03-01T11:00:00.000000000Z" level=debug msg="form data: "#.to_owned();
    while line.len() < 2500 {
        line.push_str("SETTING=0123456789abcdef,");
    }
    line.push_str(" level=error msg=\"Handler for POST /v1.44/containers/4f2a/start returned error: hcs::CreateComputeSystem 4f2a: The container operating system does not match the host operating system.\"");
    let text = format!("first line\n{line}\nlast line\n");
    let opts = StreamOptions {
        buffer_size: 256,
        max_line_bytes: 1024,
        ..StreamOptions::default()
    };
    let got = streamed("big.log", &text, &opts);
    let fails = failures(&got);
    assert_eq!(fails.len(), 1, "{:?}", got.records);
    assert!(fails[0].contains("\"line\":2"), "{}", fails[0]);
    assert!(
        got.warnings
            .iter()
            // Under the input's name in the report: not repeated (issue 15).
            .any(|w| w.starts_with("line 2 longer than")),
        "{:?}",
        got.warnings
    );
}

#[test]
fn pipeline_reads_folders_in_order_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        let text = sample_log("\n");
        std::fs::write(dir.path().join(format!("node-{i}.log")), text).unwrap();
    }
    let sources = [wincompat::input::Source::Path(dir.path().to_path_buf())];
    // Stream everything (threshold 1 KiB) and hold everything: same result.
    let mut small = pipeline::PipelineOptions::default();
    small.open.stream_threshold = 1024;
    small.stream.buffer_size = 509;
    let a = pipeline::read_and_parse(&sources, &small, &|_| {});
    let b = pipeline::read_and_parse(&sources, &pipeline::PipelineOptions::default(), &|_| {});
    assert_eq!(a.streamed, 6);
    assert_eq!(b.streamed, 0);
    let names =
        |c: &pipeline::Collected| c.parsed.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert!(names(&a)[0].ends_with("node-0.log"));
    let report = |c: pipeline::Collected| {
        serde_json::to_value(analyze::analyze(&c.parsed, &GivenFacts::default()).findings).unwrap()
    };
    assert_eq!(report(a), report(b));
}

/// Formats that had no prefilter literal (Dockerfiles, docker command
/// lines, event logs) were skipped above the streaming threshold unless a
/// failure happened to be near; each scanner now declares the literals
/// that start its sections, and the prefilter is derived from them.
/// See: issue 10, "a new format is one parser plus one enum variant".
#[test]
fn formats_without_a_version_or_failure_line_are_streamed_too() {
    let noise = |from: usize| {
        (from..from + 300)
            .map(|i| {
                format!(
                    r#"time="2024-03-01T10:{:02}:{:02}.000000000Z" level=debug msg="Calling GET /v1.44/containers/{:012x}/json""#,
                    (i / 60) % 60,
                    i % 60,
                    i * 7919
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = [
        noise(0),
        std::fs::read_to_string("samples/docker-run/Dockerfile").unwrap(),
        noise(300),
        r"PS C:\> docker run --rm --isolation=process mcr.microsoft.com/windows/servercore:ltsc2019 cmd /c ver".to_owned(),
        noise(600),
        "TimeCreated  : 3/1/2024 10:22:33 AM\nProviderName : Microsoft-Windows-Hyper-V-Compute\nId           : 12345\nMessage      : The compute system was started.\n".to_owned(),
        noise(900),
    ]
    .join("\n");
    let want = in_memory("mixed.log", &text);
    let records = |p: &ParsedInput| {
        let mut k: Vec<String> = p
            .records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        k.sort();
        k
    };
    assert!(
        want.sections
            .iter()
            .any(|s| s.kind == SectionKind::Dockerfile)
            && want
                .sections
                .iter()
                .any(|s| s.kind == SectionKind::WinEventLog),
        "{:?}",
        want.sections
    );
    assert!(
        want.records
            .iter()
            .any(|r| matches!(r.data, RecordData::Invocation(_))),
        "{:?}",
        want.records
    );
    for size in [509, 64 * 1024] {
        let got = streamed("mixed.log", &text, &options(size));
        assert_eq!(records(&got), records(&want), "buffer {size}");
        for kind in [SectionKind::Dockerfile, SectionKind::WinEventLog] {
            assert!(
                got.sections.iter().any(|s| s.kind == kind),
                "buffer {size}: no {kind:?} section streamed: {:?}",
                got.sections
            );
        }
    }
}

/// Every window and the summary of a scan over bytes in memory
/// (`scan_slice`, a mapped file) and of a scan through a reader.
fn both_scans(
    text: &[u8],
    opts: &StreamOptions,
) -> [(Vec<stream::Window>, stream::StreamSummary); 2] {
    let finder = stream::Finder {
        hits: &prefilter::hits,
        max_len: prefilter::max_literal_len(),
    };
    let mut read = Vec::new();
    let summary = stream::scan(&mut &text[..], finder, opts, &mut |w| read.push(w))
        .expect("reading from memory");
    let mut mapped = Vec::new();
    let mut consumed = 0;
    let mapped_summary = stream::scan_slice(
        text,
        finder,
        opts,
        &mut |n| {
            assert!(n >= consumed, "consumed went back from {consumed} to {n}");
            assert!(n <= text.len());
            consumed = n;
        },
        &mut |w| mapped.push(w),
    );
    assert_eq!(consumed, text.len(), "the whole input is consumed");
    [(read, summary), (mapped, mapped_summary)]
}

/// A mapped input (issue 14: scanned in place, searched in two halves on
/// two threads) is cut into exactly the windows a read one is, with the
/// same line count and over-long lines: for every line ending, read and
/// block size (blocks are 16 reads, at most `max_line_bytes`), and with
/// lines longer than a block.
#[test]
fn mapped_and_read_scans_cut_the_same_windows() {
    let mut long = String::from("first line\n");
    for i in 0..40 {
        long.push_str(&"SETTING=0123456789abcdef,".repeat(i * 7));
        if i % 9 == 4 {
            long.push_str(" hcs::CreateComputeSystem 4f2a: The container operating system does not match the host operating system.");
        }
        long.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
    }
    let texts = [
        sample_log("\n"),
        sample_log("\r\n"),
        sample_log("\r"),
        long,
        "no line end at all, hcs:: at the end hcs::".to_owned(),
        String::new(),
    ];
    for text in &texts {
        for size in [3, 61, 509, 4096] {
            for max_line in [64, 1024, 1 << 20] {
                for search_thread in [false, true] {
                    let opts = StreamOptions {
                        buffer_size: size,
                        max_line_bytes: max_line,
                        search_thread,
                        ..StreamOptions::default()
                    };
                    let [read, mapped] = both_scans(text.as_bytes(), &opts);
                    let shape = |(ws, sum): &(Vec<stream::Window>, stream::StreamSummary)| {
                        let ws: Vec<_> = ws.iter().map(|w| (w.first_line, w.text.len())).collect();
                        format!("{ws:?} {sum:?}")
                    };
                    assert_eq!(
                        shape(&mapped),
                        shape(&read),
                        "buffer {size}, max line {max_line}, thread {search_thread}"
                    );
                    assert_eq!(
                        mapped,
                        read,
                        "buffer {size}, max line {max_line}, thread {search_thread}, text {:?}…",
                        &text[..text.len().min(60)]
                    );
                }
            }
        }
    }
}

/// The same findings from a mapped input as from the in-memory path, with
/// windows parsed on their own thread (one input) or here (a folder).
#[test]
fn mapped_input_reports_what_the_whole_text_does() {
    let text = sample_log("\n");
    let whole = in_memory("dockerd.log", &text);
    let want_failures = failures_and_folds(&whole);
    let want = findings(whole);
    for search_thread in [false, true] {
        let opts = StreamOptions {
            buffer_size: 509,
            search_thread,
            ..StreamOptions::default()
        };
        let got = pipeline::parse_slice("dockerd.log", text.as_bytes(), &opts, &mut |_| {});
        assert_eq!(
            failures_and_folds(&got),
            want_failures,
            "thread {search_thread}"
        );
        assert_eq!(findings(got), want, "thread {search_thread}");
    }
}

/// Large files are mapped only when they are UTF-8 text; UTF-16, gzip and
/// files with `map_files` off are read as before, with the same findings.
#[test]
fn files_are_mapped_or_read_with_the_same_findings() {
    let text = sample_log("\n");
    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let gz = {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap()
    };
    let bom: Vec<u8> = b"\xef\xbb\xbf"
        .iter()
        .copied()
        .chain(text.bytes())
        .collect();
    let report = |c: pipeline::Collected| {
        assert!(
            c.errors.is_empty() && c.skipped.is_empty(),
            "{:?} {:?}",
            c.errors,
            c.skipped
        );
        assert_eq!(c.streamed, 1);
        serde_json::to_value(analyze::analyze(&c.parsed, &GivenFacts::default()).findings).unwrap()
    };
    for (name, bytes) in [
        ("plain.log", text.as_bytes().to_vec()),
        ("bom.log", bom),
        ("utf16.log", utf16),
        ("log.gz", gz),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let want = findings(in_memory(&path.display().to_string(), &text));
        let sources = [wincompat::input::Source::Path(path)];
        for map_files in [true, false] {
            let mut opts = pipeline::PipelineOptions::default();
            opts.open.stream_threshold = 1024;
            opts.open.map_files = map_files;
            let got = report(pipeline::read_and_parse(&sources, &opts, &|_| {}));
            assert_eq!(got, want, "{name}, map_files {map_files}");
        }
    }
}

/// An over-long last line without a terminator that ends exactly where a
/// read does is still scanned (it was dropped: end of input is known only
/// after it was fed).
#[test]
fn an_over_long_last_line_ending_at_a_read_boundary_is_kept() {
    let text = format!("ab\nhcs::{}", "x".repeat(11));
    let opts = StreamOptions {
        buffer_size: 8,
        max_line_bytes: 8,
        search_thread: false,
        ..StreamOptions::default()
    };
    let [read, mapped] = both_scans(text.as_bytes(), &opts);
    assert_eq!(read.0.len(), 1, "{read:?}");
    assert_eq!(read.0[0].first_line, 1);
    assert_eq!(read.1.long_lines, [2]);
    assert_eq!(mapped, read);
}
