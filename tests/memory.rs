//! Memory bounded by design (issue 15): what wincompat holds does not grow
//! with the number of failures, and archive limits hold on the path the
//! command line uses. Peak heap is measured with a counting global
//! allocator (peakmem-alloc, in this test binary only), so the bounds below
//! are bytes allocated and live at once, not RSS; `bench/memory.sh` measures RSS with
//! GNU time on a million lines and on the bombs.
//!
//! The tests take turns (`MEASURE`), so that tests running in parallel
//! threads do not add to each other's peaks.

use peakmem_alloc::{PeakMemAlloc, PeakMemAllocTrait, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use std::io::Write;
use std::sync::Mutex;
use wincompat::analyze::{analyze, GivenFacts};
use wincompat::input::stream::StreamOptions;
use wincompat::input::{OpenOptions, Source};
use wincompat::pipeline::{self, PipelineOptions};

// peakmem-alloc: the system allocator with a peak counter that can be
// reset (the crate forbids `unsafe`, so the counter is not ours).
#[global_allocator]
static GLOBAL: &PeakMemAlloc<System> = &INSTRUMENTED_SYSTEM;

static MEASURE: Mutex<()> = Mutex::new(());

/// Peak bytes allocated (above what was live) while `f` ran.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    GLOBAL.reset_peak_memory();
    let out = f();
    (out, GLOBAL.get_peak_memory())
}

const MIB: usize = 1024 * 1024;

/// `n` dockerd failure lines; each of its own container when `distinct`.
fn failure_lines(n: usize, distinct: bool) -> String {
    let mut text = String::new();
    for i in 0..n {
        let id = if distinct {
            format!("{:016x}{:016x}{:016x}{:016x}", i * 7 + 1, i, !i, i ^ 0x5a5a)
        } else {
            "5c3e9a1f7b20d4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4".to_owned()
        };
        text.push_str(&format!(
            "time=\"2024-02-12T14:31:{:02}.017355400+01:00\" level=error msg=\"Handler for POST /v1.39/containers/{id}/start returned error: container {id} encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)\"\n",
            i % 60
        ));
    }
    text
}

/// Stream `text` as a large input is streamed (small windows, so that the
/// test sees many), analyse it; the report's occurrence total and the peak.
fn stream_and_analyse(text: &str) -> (u64, usize, usize) {
    let opts = StreamOptions {
        max_window_bytes: 64 * 1024,
        ..StreamOptions::default()
    };
    let (report, peak) = peak_during(|| {
        let mut reader = text.as_bytes();
        let parsed = pipeline::parse_stream("dockerd.log", &mut reader, &opts).expect("in memory");
        analyze(&[parsed], &GivenFacts::default())
    });
    let evidence = report.findings.iter().map(|f| f.evidence.len()).sum();
    (report.summary.occurrences, evidence, peak)
}

/// See: issue 15 ("memory grows with the number of failures: about 2 KB
/// per failure line"). Eight times the failures, the same peak: what is
/// held is the counts, the first and last evidence, and the windows being
/// parsed, never every occurrence.
#[test]
fn peak_memory_does_not_grow_with_the_number_of_failures() {
    let _one = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    for distinct in [false, true] {
        let small = failure_lines(1_000, distinct);
        let large = failure_lines(8_000, distinct);
        let (count, _, small_peak) = stream_and_analyse(&small);
        assert_eq!(count, 1_000);
        let (count, evidence, large_peak) = stream_and_analyse(&large);
        assert_eq!(
            count, 8_000,
            "every failure line counted (distinct ids: {distinct})"
        );
        assert!(
            evidence <= 6,
            "the first and last three pieces of evidence, not {evidence}"
        );
        eprintln!(
            "distinct ids {distinct}: peak {small_peak} bytes (1,000 lines), {large_peak} (8,000)"
        );
        // 8,000 records would be about 16 MB: the bound leaves no room for them.
        assert!(
            large_peak < small_peak + 2 * MIB && large_peak < 8 * MIB,
            "distinct ids: {distinct}: peak {large_peak} bytes for 8,000 lines, {small_peak} for 1,000"
        );
    }
}

fn zip_file(dir: &std::path::Path, members: &[(&str, &[u8])]) -> std::path::PathBuf {
    let path = dir.join("node-logs.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    path
}

/// See: issue 15 ("the 1 GiB-per-archive cap is not enforced on the path
/// the CLI uses; a 7 MB zip reached 5.2 GB"). With the cap at 1 MiB, a
/// member of 12 MiB is cut at 1 MiB, the member after it is not read, one
/// note says so, and the memory held stays near the cap.
#[test]
fn a_zip_member_over_the_archive_byte_cap_is_cut_with_one_note() {
    let _one = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let noise = "time=\"2024-02-12T14:31:06Z\" level=info msg=\"health check passed\"\n";
    let mut log = String::new();
    let mut in_first_mib = 0u64;
    let fail = failure_lines(1, false);
    while log.len() < 12 * MIB {
        for _ in 0..99 {
            log.push_str(noise);
        }
        log.push_str(&fail);
        if log.len() <= MIB {
            in_first_mib += 1;
        }
    }
    let path = zip_file(
        dir.path(),
        &[
            ("a/dockerd.log", log.as_bytes()),
            ("b/other.log", fail.as_bytes()),
        ],
    );
    drop(log);
    let opts = PipelineOptions {
        open: OpenOptions {
            max_archive_bytes: MIB as u64,
            ..OpenOptions::default()
        },
        ..PipelineOptions::default()
    };
    let (collected, peak) =
        peak_during(|| pipeline::read_and_parse(&[Source::Path(path.clone())], &opts, &|_| {}));
    let notes: Vec<String> = collected
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.name, s.message))
        .collect();
    let name = path.display().to_string();
    assert_eq!(
        notes,
        [format!(
            "{name}: a/dockerd.log cut and 1 of 2 members not read: 1 MiB decompressed from this archive, the limit per archive"
        )]
    );
    let report = analyze(&collected.parsed, &GivenFacts::default());
    assert_eq!(report.summary.occurrences, in_first_mib);
    eprintln!("12 MiB member, 1 MiB cap: peak {peak} bytes");
    // The 8 MiB a member may be held whole, not its 12 MiB nor its records.
    assert!(peak < 12 * MIB, "peak {peak} bytes");
}

/// See: issue 15 ("a zip over the member cap prints one error per extra
/// member: 190,000 stderr lines for 200,000 empty members").
#[test]
fn a_zip_over_the_member_cap_gives_one_note() {
    let _one = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..30).map(|i| format!("logs/{i:03}.log")).collect();
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x\n"[..])).collect();
    let path = zip_file(dir.path(), &members);
    let opts = PipelineOptions {
        open: OpenOptions {
            max_zip_members: 10,
            ..OpenOptions::default()
        },
        ..PipelineOptions::default()
    };
    let collected = pipeline::read_and_parse(&[Source::Path(path.clone())], &opts, &|_| {});
    assert_eq!(collected.parsed.len(), 10);
    assert!(collected.errors.is_empty(), "{:?}", collected.errors);
    let notes: Vec<&str> = collected
        .skipped
        .iter()
        .map(|s| s.message.as_str())
        .collect();
    assert_eq!(notes, ["20 of 30 members not read: more than 10 members"]);
}

/// The same through the command line, with the real cap: one line on
/// stderr for 10,050 members.
#[test]
fn the_command_line_prints_one_line_for_a_zip_over_the_member_cap() {
    let _one = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..10_050).map(|i| format!("m/{i:05}")).collect();
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let path = zip_file(dir.path(), &members);
    let out = assert_cmd::Command::cargo_bin("wincompat")
        .unwrap()
        .env_remove("CI")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [format!(
            "wincompat: skipped {}: 50 of 10,050 members not read: more than 10,000 members",
            path.display()
        )],
    );
}

/// See: issue 15 ("the long-line warning repeats the input name").
#[test]
fn the_long_line_warning_names_its_input_once() {
    let _one = MEASURE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("longline.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&vec![b'x'; 2 * MIB]).unwrap();
    gz.write_all(b"\nhello\n").unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let out = assert_cmd::Command::cargo_bin("wincompat")
        .unwrap()
        .env_remove("CI")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .args(["--exit-zero", "--width", "400"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let name = path.display().to_string();
    assert!(
        stdout.contains(&format!("{name}: line 1 longer than 1 MiB")),
        "{stdout}"
    );
    assert!(!stdout.contains(&format!("{name}: {name}")), "{stdout}");
}
