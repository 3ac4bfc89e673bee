//! The output flags the ecosystem's way (issue 13, points 2 and 3):
//! kubectl's `-o FORMAT`, `--output-file`, `--fail-on`, SARIF 2.1.0 that
//! validates against the OASIS schema, GitHub Actions annotations, and
//! every subcommand's `--help` listing only what it supports.

use assert_cmd::Command;
use std::path::Path;

fn wincompat() -> Command {
    let mut cmd = Command::cargo_bin("wincompat").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CI");
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = wincompat().args(args).output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const SAMPLES: &[&str] = &[
    "samples/bundle-support",
    "samples/docker-run",
    "samples/k8s-json",
    "samples/k8s-mixed-builds",
    "samples/k8s-sandbox",
    "samples/logs-dockerd",
    "samples/logs-kubelet",
    "samples/logs-powershell-utf16",
    "samples/swarm-iis",
];

// ---- -o is a format, as in kubectl ------------------------------------

#[test]
fn dash_o_json_prints_json_and_writes_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/docker-run");
    let out = wincompat()
        .current_dir(dir.path())
        .arg("-o")
        .arg("json")
        .arg(&sample)
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("json").exists(), "no file named json");
}

#[test]
fn format_and_f_stay_aliases_of_output() {
    for flag in ["--format", "-f", "--output", "-o"] {
        let r = run(&[flag, "json", "samples/docker-run"]);
        assert!(
            r.stdout.starts_with("{\n  \"schema_version\": 1,"),
            "{flag}: {}",
            r.stdout
        );
    }
}

#[test]
fn an_unknown_format_is_a_usage_error_naming_the_accepted_ones() {
    let r = run(&["-o", "report.txt", "samples/docker-run"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("[possible values: text, json, markdown, sarif, github]"),
        "{}",
        r.stderr
    );
    let r = run(&["matrix", "-o", "sarif"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("[possible values: text, json, markdown]"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_file_takes_the_report_and_the_exit_status_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("wincompat.sarif");
    let out = wincompat()
        .args(["-o", "sarif", "--output-file"])
        .arg(&file)
        .arg("samples/docker-run")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("JSON");
    assert_eq!(doc["version"], "2.1.0");
    for cmd in [
        vec!["explain", "WC101", "-o", "json", "--output-file"],
        vec!["matrix", "-o", "markdown", "--output-file"],
        vec![
            "check",
            "--host",
            "ltsc2022",
            "--image",
            "ltsc2019",
            "--output-file",
        ],
    ] {
        let file = dir.path().join("out");
        let out = wincompat().args(&cmd).arg(&file).output().expect("runs");
        assert!(out.stdout.is_empty(), "{cmd:?}");
        assert!(
            !std::fs::read_to_string(&file).expect("written").is_empty(),
            "{cmd:?}"
        );
    }
    // A failed run leaves no file behind.
    let file = dir.path().join("none");
    let out = wincompat()
        .args([
            "check",
            "--host",
            "banana",
            "--image",
            "ltsc2019",
            "--output-file",
        ])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists());
}

// ---- every subcommand's help lists what it supports -------------------

#[test]
fn each_help_lists_only_the_flags_its_command_supports() {
    let help = |args: &[&str]| {
        let r = run(args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        r.stdout
    };
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["collect", "kubernetes", "--help"],
        &["collect", "docker", "--help"],
        &["collect", "swarm", "--help"],
    ] {
        let h = help(args);
        for flag in [
            "-o, --output <FORMAT>",
            "--output-file <FILE>",
            "--color",
            "--fail-on",
            "--exit-zero",
        ] {
            assert!(h.contains(flag), "{args:?} lacks {flag}:\n{h}");
        }
        assert!(
            h.contains("sarif") && h.contains("github"),
            "{args:?}:\n{h}"
        );
    }
    for args in [&["matrix", "--help"][..], &["explain", "--help"]] {
        let h = help(args);
        assert!(
            h.contains("-o, --output <FORMAT>") && h.contains("--output-file"),
            "{h}"
        );
        for absent in ["sarif", "github", "--color", "--fail-on", "--exit-zero"] {
            assert!(!h.contains(absent), "{args:?} offers {absent}:\n{h}");
        }
    }
    let h = help(&["records", "--help"]);
    for absent in ["--output", "--color", "--fail-on"] {
        assert!(!h.contains(absent), "records offers {absent}:\n{h}");
    }
    let r = run(&["records", "-o", "json", "samples/docker-run"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let r = run(&["explain", "WC101", "--color", "never"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

#[test]
fn every_sample_the_help_names_exists() {
    let mut texts = Vec::new();
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["matrix", "--help"],
        &["explain", "--help"],
        &["records", "--help"],
        &["collect", "--help"],
    ] {
        texts.push(run(args).stdout);
    }
    texts.push(std::fs::read_to_string("README.md").expect("README"));
    let mut named = 0;
    for text in &texts {
        for word in text.split(|c: char| c.is_whitespace() || "`()[]|\"'".contains(c)) {
            if let Some(p) = word.find("samples/") {
                let path = word[p..].trim_end_matches(['.', ',', ':', ';']);
                assert!(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).exists(),
                    "named but missing: {path}"
                );
                named += 1;
            }
        }
    }
    assert!(named > 3, "only {named} sample paths found");
}

// ---- explain takes the signed form without `--` ------------------------

#[test]
fn explain_accepts_a_negative_code_without_double_dash() {
    let r = run(&["explain", "-1070137087"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("0xc0370101"), "{}", r.stdout);
}

// ---- check, matrix and explain honour every format they list -----------

#[test]
fn check_matrix_and_explain_honour_markdown_and_json() {
    let r = run(&[
        "check", "--host", "ltsc2022", "--image", "ltsc2019", "-o", "markdown",
    ]);
    assert!(r.stdout.starts_with("# wincompat check"), "{}", r.stdout);
    let r = run(&["matrix", "--host", "ltsc2019", "-o", "markdown"]);
    assert!(
        r.stdout
            .starts_with("# Windows container compatibility matrix"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("|---|---|---|"), "{}", r.stdout);
    let r = run(&["explain", "0xc0370101", "-o", "markdown"]);
    assert!(r.stdout.starts_with("## `0xc0370101`"), "{}", r.stdout);
    for args in [
        &[
            "check", "--host", "ltsc2022", "--image", "ltsc2019", "-o", "json",
        ][..],
        &["explain", "0xc0370101", "-o", "json"],
        &["explain", "WC101", "-o", "json"],
        &["matrix", "-o", "json"],
    ] {
        let doc: serde_json::Value =
            serde_json::from_str(&run(args).stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(doc["schema_version"], 1, "{args:?}");
    }
}

// ---- --fail-on ----------------------------------------------------------

#[test]
fn fail_on_decides_the_exit_status() {
    // docker-run: one error finding.
    let code = |args: &[&str]| run(args).code;
    assert_eq!(code(&["samples/docker-run"]), Some(1));
    assert_eq!(code(&["--fail-on", "error", "samples/docker-run"]), Some(1));
    assert_eq!(code(&["--fail-on", "info", "samples/docker-run"]), Some(1));
    assert_eq!(code(&["--fail-on", "never", "samples/docker-run"]), Some(0));
    assert_eq!(code(&["--exit-zero", "samples/docker-run"]), Some(0));
    assert_eq!(
        code(&["--exit-zero", "--fail-on", "error", "samples/docker-run"]),
        Some(2),
        "the alias and the flag are exclusive"
    );
    // check: blocked is an error.
    let check = ["check", "--host", "ltsc2022", "--image", "ltsc2019"];
    assert_eq!(code(&check), Some(1));
    assert_eq!(
        code(&[&check[..], &["--fail-on", "never"]].concat()),
        Some(0)
    );
}

#[test]
fn fail_on_levels_compare_severities() {
    use wincompat::app::{exit_for, Exit};
    use wincompat::cli::FailOn;
    use wincompat::model::finding::Severity;
    let cases = [
        (None, FailOn::Info, Exit::Clean),
        (Some(Severity::Info), FailOn::Info, Exit::Found),
        (Some(Severity::Info), FailOn::Warning, Exit::Clean),
        (Some(Severity::Warning), FailOn::Warning, Exit::Found),
        (Some(Severity::Warning), FailOn::Error, Exit::Clean),
        (Some(Severity::Error), FailOn::Error, Exit::Found),
        (Some(Severity::Error), FailOn::Never, Exit::Clean),
    ];
    for (worst, level, want) in cases {
        assert_eq!(exit_for(worst, level), want, "{worst:?} {level:?}");
    }
}

// ---- SARIF 2.1.0 ---------------------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("vendored schema"),
    )
    .expect("schema is JSON");
    // The published schema's `language` patterns have a stray `]`
    // (`…-[a-zA-Z]{2}]?$`), a literal in ECMA-262 regexes that the strict
    // meta-schema check (format "regex") rejects. Escaping it keeps its
    // meaning; the file itself stays as published.
    fn escape_stray_bracket(v: &mut serde_json::Value, fixed: &mut usize) {
        const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "pattern" && value == STRAY {
                        *value =
                            serde_json::Value::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
                        *fixed += 1;
                    } else {
                        escape_stray_bracket(value, fixed);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    escape_stray_bracket(item, fixed);
                }
            }
            _ => {}
        }
    }
    let mut fixed = 0;
    escape_stray_bracket(&mut schema, &mut fixed);
    assert!(fixed >= 1, "the schema changed: review this workaround");
    // Formats are asserted (`uri`, `uri-reference`, `date-time`…).
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(
    validator: &jsonschema::Validator,
    label: &str,
    text: &str,
) -> serde_json::Value {
    let doc: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{label}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{label}: SARIF invalid:\n{}",
        errors.join("\n")
    );
    doc
}

#[test]
fn sarif_of_every_sample_validates_against_the_2_1_0_schema() {
    let validator = sarif_validator();
    let mut results = 0;
    for sample in SAMPLES {
        let r = run(&["-o", "sarif", sample]);
        let doc = assert_valid_sarif(&validator, sample, &r.stdout);
        assert_eq!(doc["version"], "2.1.0");
        let run0 = &doc["runs"][0];
        assert_eq!(run0["tool"]["driver"]["name"], "wincompat");
        let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
        for result in run0["results"].as_array().expect("results") {
            results += 1;
            let id = result["ruleId"].as_str().expect("ruleId");
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], id, "{sample}");
            assert!(
                ["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")),
                "{sample}: {result}"
            );
            let loc = &result["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(uri.starts_with(sample), "{sample}: {uri}");
            assert!(
                loc["region"]["startLine"].as_u64().unwrap_or(0) >= 1,
                "{result}"
            );
        }
    }
    assert!(results >= SAMPLES.len(), "only {results} results");
    // The validator does reject what the schema forbids.
    let r = run(&["-o", "sarif", "samples/docker-run"]);
    let mut doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    doc["runs"][0]["results"][0]["level"] = serde_json::Value::from("fatal");
    assert!(!validator.is_valid(&doc));
    doc["runs"][0]["results"][0]["level"] = serde_json::Value::from("error");
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::Value::from(0);
    assert!(!validator.is_valid(&doc));
}

#[test]
fn sarif_rules_carry_help_and_public_sources() {
    let r = run(&["-o", "sarif", "samples/docker-run"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let rule = &doc["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "WC101");
    assert_eq!(rule["name"], "image-older-than-host");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap_or("")
        .contains("What to do"));
    assert_eq!(
        rule["helpUri"],
        "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/version-compatibility"
    );
    assert!(!r.stdout.contains("facts.md"));
}

#[test]
fn check_sarif_locates_blocked_nodes_in_their_descriptions() {
    let validator = sarif_validator();
    let r = run(&[
        "check",
        "--image",
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "-o",
        "sarif",
        "samples/k8s-mixed-builds",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc = assert_valid_sarif(&validator, "check", &r.stdout);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert_eq!(result["level"], "error");
        assert_eq!(result["ruleId"], "matrix-ws2019");
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("samples/k8s-mixed-builds/"), "{uri}");
    }
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules[0]["help"]["text"]
        .as_str()
        .unwrap_or("")
        .contains("version-compatibility"));
    // One host, no input: valid SARIF without a location.
    let r = run(&[
        "check", "--host", "ltsc2022", "--image", "ltsc2019", "-o", "sarif",
    ]);
    assert_valid_sarif(&validator, "check --host", &r.stdout);
}

// ---- GitHub Actions annotations --------------------------------------------

/// One workflow command as the runner parses it: `::CMD PROPS::DATA` with
/// PROPS `k=v` pairs joined by `,` (values free of `,`, `:` and line
/// breaks), DATA free of line breaks.
fn parse_annotation(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, data) = rest.split_once("::").expect("two ::");
    let (cmd, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("k=v");
            assert!(!v.contains(':'), "unescaped ':' in {line}");
            (k.to_owned(), v.to_owned())
        })
        .collect();
    assert!(!data.contains('\n') && !data.contains('\r'));
    (cmd.to_owned(), props, data.to_owned())
}

#[test]
fn github_annotations_point_at_the_evidence_line() {
    let r = run(&["-o", "github", "samples/k8s-mixed-builds"]);
    assert_eq!(r.code, Some(1));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.len() >= 2, "{}", r.stdout);
    let mut commands = Vec::new();
    for line in &lines {
        let (cmd, props, data) = parse_annotation(line);
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["file", "line", "title"], "{line}");
        let file = &props[0].1;
        assert!(Path::new(file).exists(), "{file}");
        let n: usize = props[1].1.parse().expect("line number");
        let text = std::fs::read_to_string(file).expect("readable");
        assert!(n >= 1 && n <= text.lines().count(), "{line}");
        assert!(props[2].1.starts_with("WC"), "{line}");
        assert!(!data.is_empty());
        commands.push(cmd);
    }
    assert!(commands.contains(&"error".to_owned()), "{commands:?}");
    assert!(commands.contains(&"warning".to_owned()), "{commands:?}");
    // The fix's commands are on separate lines of the message (%0A).
    assert!(r.stdout.contains("%0A  kubectl "), "{}", r.stdout);
}

#[test]
fn github_annotations_of_stdin_name_no_file() {
    let out = wincompat()
        .args(["-o", "github", "-"])
        .write_stdin(
            std::fs::read("samples/docker-run/docker-run-servercore-ltsc2019.txt").expect("sample"),
        )
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("::error title=WC"), "{text}");
}
