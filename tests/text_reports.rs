//! The text report as issue 13 asks for it: concise by default (the answer
//! on the first screen), everything with `--explain`, plain ASCII where the
//! terminal needs it, and public sources only in every format.
//!
//! One snapshot per sample file per mode (`concise@…`, `explain@…`), each
//! sample analysed on its own at 100 columns; review with `cargo insta
//! review`.

use std::path::{Path, PathBuf};
use wincompat::analyze::{analyze, GivenFacts};
use wincompat::model::finding::Report;
use wincompat::pipeline::parse_text;
use wincompat::report::terminal::Charset;
use wincompat::report::{ReportFormat, TextStyle};

#[path = "support/sample_report.rs"]
mod sample_report;
use sample_report::{rendered, report_for};

fn text(report: &Report, explain: bool, charset: Charset) -> String {
    rendered(
        report,
        ReportFormat::Text(TextStyle {
            explain,
            charset,
            ..TextStyle::plain(100)
        }),
    )
}

/// `samples/<folder>/<file>` for a path under the samples folder.
fn relative(path: &Path) -> PathBuf {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let samples = samples.canonicalize().unwrap_or(samples);
    PathBuf::from("samples").join(path.strip_prefix(&samples).expect("under samples/"))
}

/// Every sample file and folder, as relative paths.
fn every_sample() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for folder in std::fs::read_dir("samples").expect("samples/") {
        let folder = folder.expect("entry").path();
        if !folder.is_dir() {
            continue;
        }
        all.push(folder.clone());
        for file in std::fs::read_dir(&folder).expect("folder") {
            all.push(file.expect("entry").path());
        }
    }
    all.sort();
    all
}

#[test]
fn concise_and_explain_text_of_every_sample_file() {
    insta::glob!("../samples", "*/*", |path| {
        let name = relative(path);
        let report = report_for(&name);
        insta::with_settings!({
            description => format!("wincompat --width 100 {}", name.display()),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("concise", text(&report, false, Charset::Unicode));
        });
        insta::with_settings!({
            description => format!("wincompat --width 100 --explain {}", name.display()),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("explain", text(&report, true, Charset::Unicode));
        });
    });
}

/// Issue 13: "the seed's Kubernetes case shows its root cause and the first
/// fix within 25 lines of 100 columns". Our sample of that case is
/// `k8s-mixed-builds/` (a pod failing on one build, the same image running
/// on another).
#[test]
fn seed_kubernetes_case_answers_within_25_lines() {
    let report = report_for(Path::new("samples/k8s-mixed-builds"));
    let text = text(&report, false, Charset::Unicode);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().all(|l| !l.contains("Nodes")), "{text}");
    let cause = lines
        .iter()
        .position(|l| l.contains("The image is built on Windows Server 2019"))
        .expect("root cause");
    let fix = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Fix: "))
        .expect("first fix");
    let command = lines[fix + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with("docker build "))
        .map(|i| fix + 1 + i)
        .expect("its commands");
    assert!(cause < fix, "{text}");
    // Line numbers count from 1.
    assert!(
        command < 25,
        "first fix command on line {}:\n{text}",
        command + 1
    );
    // Every table and paragraph line fits (commands are printed whole).
    for line in &lines[..fix] {
        assert!(line.chars().count() <= 100, "{line:?}");
    }
}

/// The concise report leaves out what `--explain` adds.
#[test]
fn explain_adds_rule_evidence_other_fixes_and_nodes() {
    let report = report_for(Path::new("samples/k8s-mixed-builds"));
    let concise = text(&report, false, Charset::Unicode);
    let explain = text(&report, true, Charset::Unicode);
    for only_explain in [
        "Rule matrix-ws2022",
        "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility",
        "Evidence:",
        "Does not apply here:",
        "Nodes",
    ] {
        assert!(!concise.contains(only_explain), "{only_explain}");
        assert!(explain.contains(only_explain), "{only_explain}");
    }
    assert!(concise.contains("--explain adds"));
}

/// No sentence of a finding says what another already said (issue 13:
/// the rule stated twice; "left support" then "out of support").
#[test]
fn no_finding_repeats_a_sentence() {
    for sample in every_sample() {
        let report = report_for(&sample);
        for f in &report.findings {
            let mut texts = vec![f.root_cause.as_str()];
            texts.extend(f.fixes.iter().map(|x| x.why.as_str()));
            for t in texts {
                assert!(
                    !(t.contains("left support") && t.contains("out of support")),
                    "{}: {t}",
                    sample.display()
                );
                assert!(!t.contains("Rule `"), "{}: {t}", sample.display());
            }
            // No sentence twice within a finding (root cause and fixes;
            // fixes that share one reason are shown once with it).
            let mut seen = std::collections::BTreeSet::new();
            let mut whys: Vec<&str> = f.fixes.iter().map(|x| x.why.as_str()).collect();
            whys.sort_unstable();
            whys.dedup();
            for t in std::iter::once(f.root_cause.as_str()).chain(whys) {
                for sentence in wincompat::report::words::sentences(t) {
                    assert!(
                        seen.insert(sentence.to_owned()),
                        "{}: {sentence:?} twice",
                        sample.display()
                    );
                }
            }
            if let Some(rule) = &f.rule {
                assert!(
                    !f.root_cause.contains(&rule.statement),
                    "{}: the rule is stated in the root cause too",
                    sample.display()
                );
            }
        }
    }
}

/// Issue 13, point 6: no report cites `facts.md`, in any format or mode.
#[test]
fn no_report_cites_facts_md() {
    for sample in every_sample() {
        let report = report_for(&sample);
        for (what, out) in [
            ("text", text(&report, false, Charset::Unicode)),
            ("explain", text(&report, true, Charset::Unicode)),
            ("json", rendered(&report, ReportFormat::Json)),
            ("markdown", rendered(&report, ReportFormat::Markdown)),
        ] {
            assert!(
                !out.contains("facts.md"),
                "{what} of {} cites facts.md",
                sample.display()
            );
        }
    }
}

/// Issue 13, point 5: the ASCII charset prints nothing but ASCII, in both
/// modes, for every sample (tables with `+-|`, `OK`/`x`, `...`).
#[test]
fn ascii_charset_prints_only_ascii() {
    for sample in every_sample() {
        let report = report_for(&sample);
        for explain in [false, true] {
            let out = text(&report, explain, Charset::Ascii);
            let bad: Vec<char> = out.chars().filter(|c| !c.is_ascii()).collect();
            assert!(bad.is_empty(), "{}: {bad:?}", sample.display());
        }
    }
    let report = report_for(Path::new("samples/k8s-mixed-builds"));
    let out = text(&report, true, Charset::Ascii);
    assert!(out.starts_with("x 1 failure"), "{out}");
    assert!(out.contains("+-------+"), "{out}");
    assert!(out.contains("OK Rebuild on a matching base image"), "{out}");
}

/// Issue 13: klog prefixes are not times; `E0301 09:14:06.871520` reads as
/// `03-01 09:14:06` (klog prints no year, so none is invented).
#[test]
fn klog_times_read_as_times() {
    let report = report_for(Path::new("samples/logs-kubelet"));
    let out = text(&report, true, Charset::Unicode);
    // Two stamps a microsecond apart read as one time.
    assert!(out.contains("Seen: 4 times, at 03-01 09:14:06"), "{out}");
    assert!(!out.contains("E0301"), "{out}");
    let md = rendered(&report, ReportFormat::Markdown);
    assert!(md.contains("at 03-01 09:14:06"), "{md}");
}

/// Issue 13: input with nothing recognised says so instead of "no failure".
#[test]
fn nothing_recognised_says_what_was_read() {
    let parsed = vec![parse_text(
        "notes.txt",
        "We restarted the cluster on Monday.\nIt still does not work.\n",
    )];
    let report = analyze(&parsed, &GivenFacts::default());
    let out = text(&report, false, Charset::Unicode);
    assert!(
        out.starts_with("! Nothing recognised in 1 input (notes.txt)"),
        "{out}"
    );
    assert!(!out.contains("No container start failure found"), "{out}");
}

/// The binary with none of the variables the terminal decision reads.
fn wincompat() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("wincompat").expect("binary");
    for var in [
        "NO_COLOR", "TERM", "LC_ALL", "LC_CTYPE", "LANG", "COLUMNS", "CI",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Issue 13, point 5, end to end: each of `TERM=dumb`, `NO_COLOR` and a
/// "C" locale gives plain ASCII; `--color always` still colours.
#[test]
fn plain_terminals_get_plain_ascii_end_to_end() {
    for (var, value) in [
        ("TERM", "dumb"),
        ("NO_COLOR", "1"),
        ("LANG", "C"),
        ("LC_ALL", "POSIX"),
    ] {
        let out = wincompat()
            .env(var, value)
            .args(["--explain", "samples/k8s-mixed-builds"])
            .output()
            .expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.is_ascii(), "{var}={value}: {text}");
        assert!(text.starts_with("x 1 failure"), "{var}={value}: {text}");
        assert!(!text.contains('\u{1b}'), "{var}={value}");
    }
    let out = wincompat()
        .env("TERM", "dumb")
        .args(["--color", "always", "samples/k8s-mixed-builds"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains('\u{1b}'), "{text}");
    // A UTF-8 locale keeps Unicode.
    let out = wincompat()
        .env("LANG", "en_US.UTF-8")
        .args(["samples/k8s-mixed-builds"])
        .output()
        .expect("runs");
    assert!(String::from_utf8(out.stdout)
        .expect("utf-8")
        .starts_with("✗ 1 failure"));
}

/// `-v` and `--verbose` are `--explain`.
#[test]
fn verbose_is_explain() {
    for flag in ["--explain", "-v", "--verbose"] {
        let out = wincompat()
            .args([flag, "samples/k8s-mixed-builds"])
            .output()
            .expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("Does not apply here:"), "{flag}: {text}");
        assert!(text.contains("\nNodes\n"), "{flag}");
    }
}

/// Every line of every sample's text report fits 100 columns, except the
/// commands, which are printed whole so that they paste, and words longer
/// than a line (issue 13: tables and paragraphs wrap at word boundaries).
#[test]
fn every_line_fits_the_width_except_commands() {
    for sample in every_sample() {
        let report = report_for(&sample);
        let commands: Vec<String> = report
            .findings
            .iter()
            .flat_map(|f| {
                f.fixes
                    .iter()
                    .flat_map(|x| x.commands.iter())
                    .chain(f.next_steps.iter())
            })
            .flat_map(|c| c.lines().map(|l| l.trim().to_owned()))
            .collect();
        for explain in [false, true] {
            for line in text(&report, explain, Charset::Unicode).lines() {
                // Commands, and single words longer than a line (URLs),
                // are kept whole.
                if commands.iter().any(|c| c == line.trim())
                    || !line.trim().contains(char::is_whitespace)
                {
                    continue;
                }
                assert!(
                    line.chars().count() <= 100,
                    "{} (explain {explain}): {line}",
                    sample.display()
                );
            }
        }
    }
}

/// Issue 13: "left support on …" is said once, and the concise report
/// keeps it under the fix it qualifies (a rebuild onto a release out of
/// support). Our own `ver` + `docker run` text on a 1709 host.
#[test]
fn a_fix_onto_a_release_out_of_support_says_so_once() {
    let input = "C:\\> ver\n\nMicrosoft Windows [Version 10.0.16299.15]\n\n\
C:\\> docker run mcr.microsoft.com/windows/nanoserver:sac2016 cmd\n\
docker: Error response from daemon: container 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101) extra info: {\"SystemType\":\"Container\",\"Name\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"HvPartition\":false}.\n";
    let report = analyze(&[parse_text("run.txt", input)], &GivenFacts::default());
    let rebuild = &report.findings[0].fixes[0];
    assert_eq!(rebuild.why.matches("support").count(), 2, "{}", rebuild.why); // "left support", "supported host"
    assert!(!rebuild.why.contains("out of support"), "{}", rebuild.why);
    let concise = text(&report, false, Charset::Unicode);
    let lines: Vec<&str> = concise.lines().collect();
    let fix = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Fix: "))
        .expect("fix");
    assert!(
        lines[fix + 1].contains("The 1709 image left support on 2019-04-09"),
        "{concise}"
    );
    // The source of the date is for --explain.
    assert!(!concise.contains("base-image-lifecycle"), "{concise}");
    assert!(text(&report, true, Charset::Unicode).contains("base-image-lifecycle.md"));
}
