//! The three report formats and `--redact`, on reports built by hand.
//!
//! Each report below is our own text in the shapes users paste (names, IDs
//! and addresses are invented). Snapshots are reviewed by reading the
//! `.snap` files; the other tests state properties every output must keep.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use wincompat::model::finding::{
    Confidence, Evidence, Finding, FindingKind, Fix, FixKind, InputSummary, IsolationMode,
    NodeSummary, OsInfo, Report, RuleRef, SectionRef, Severity, SourceRef, Summary, ToolInfo,
    Verdict, SCHEMA_VERSION,
};
use wincompat::model::{HcsInfo, HcsLayer, Isolation, SectionKind};
use wincompat::report::redact::redact;
use wincompat::report::{render, ReportFormat, TextStyle};

const CONTAINER_ID: &str = "7be2c41d9a0f3e5b6c8d1a2f4e6b8c0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e";
const LAYER_GUID: &str = "5c1e9a7b-3d2f-4e6a-8b0c-1d3e5f7a9b2c";
const ENDPOINT_GUID: &str = "e4a8c2f6-0b1d-4c3e-9a5f-7b2d4e6a8c1f";
const POD_UID: &str = "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a";

fn tool() -> ToolInfo {
    ToolInfo {
        name: "wincompat".to_owned(),
        version: "0.1.0".to_owned(),
        knowledge_date: "2025-06-01".to_owned(),
    }
}

fn ev(input: &str, line: usize, excerpt: &str) -> Evidence {
    Evidence {
        input: input.to_owned(),
        line,
        excerpt: excerpt.to_owned(),
    }
}

fn fix(kind: FixKind, applies: bool, why: &str, commands: &[&str]) -> Fix {
    Fix {
        kind,
        applies,
        why: why.to_owned(),
        commands: commands.iter().map(|c| (*c).to_owned()).collect(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn blank_finding(kind: FindingKind) -> Finding {
    Finding {
        code: kind.code().to_owned(),
        kind,
        severity: kind.severity(),
        title: String::new(),
        error_code: None,
        occurrences: 1,
        first_seen: None,
        last_seen: None,
        workload: None,
        node: None,
        container_id: None,
        image: None,
        isolation: IsolationMode::Unknown,
        host: None,
        image_os: None,
        verdict: Verdict::Unknown,
        confidence: Confidence::Stated,
        root_cause: String::new(),
        rule: None,
        fixes: Vec::new(),
        next_steps: Vec::new(),
        evidence: Vec::new(),
        hcs: None,
    }
}

/// A seed-like Kubernetes case: a pod whose image was built on Windows
/// Server 2016 (14393) fails on a 1709 node (16299) and runs on a 2016 node.
fn kubernetes_report() -> Report {
    let pod_input = "case-4711/describe-pod.txt";
    let node_input = "case-4711/describe-nodes.txt";
    let mut other = Map::new();
    other.insert("ProcessorWeight".to_owned(), json!(5));
    other.insert(
        "HvRuntime".to_owned(),
        json!({ "ImagePath": "C:\\Users\\jdoe\\uvm\\image" }),
    );
    let hcs = HcsInfo {
        system_type: Some("Container".to_owned()),
        name: Some(CONTAINER_ID.to_owned()),
        owner: Some("docker".to_owned()),
        volume_path: Some(format!("\\\\?\\Volume{{{ENDPOINT_GUID}}}\\")),
        ignore_flushes_during_boot: Some(true),
        layer_folder_path: Some(format!(
            "C:\\ProgramData\\docker\\windowsfilter\\{CONTAINER_ID}"
        )),
        layers: vec![HcsLayer {
            id: LAYER_GUID.to_owned(),
            path: "C:\\ProgramData\\docker\\windowsfilter\\4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f"
                .to_owned(),
        }],
        host_name: Some("timesheet-api-6c9d7b8f4-q8w2z".to_owned()),
        mapped_directories: Some(json!([{
            "HostPath": format!("c:\\var\\lib\\kubelet\\pods\\{POD_UID}\\volumes\\kubernetes.io~secret\\default-token-k7x2m"),
            "ContainerPath": "c:\\var\\run\\secrets\\kubernetes.io\\serviceaccount",
            "ReadOnly": true
        }])),
        hv_partition: Some(false),
        endpoint_list: Some(json!([ENDPOINT_GUID])),
        network_shared_container_name: None,
        servicing: Some(false),
        allow_unqualified_dns_query: Some(true),
        other,
        partial: false,
    };
    let message = "Error response from daemon: container 7be2c41d9a0f3e5b6c8d1a2f4e6b8c0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)";
    let mut evidence = vec![
        ev(pod_input, 3, "Node:           winpool-a-0001/10.240.0.35"),
        ev(
            pod_input,
            41,
            &format!("Warning  Failed  4m (x12 over 9m)  kubelet, winpool-a-0001  {message}"),
        ),
        ev(pod_input, 44, &format!("{{\"message\":\"{message}\"}}")),
    ];
    for line in [52, 60, 68, 76] {
        evidence.push(ev(
            pod_input,
            line,
            "Warning  BackOff  kubelet, winpool-a-0001  Back-off restarting failed container",
        ));
    }
    let finding = Finding {
        code: "WC101".to_owned(),
        kind: FindingKind::ImageOlderThanHost,
        severity: Severity::Error,
        title: "timesheet-api cannot start on winpool-a-0001: image built for Windows Server 2016, node runs version 1709".to_owned(),
        error_code: Some("0xc0370101".to_owned()),
        occurrences: 12,
        first_seen: Some("9m".to_owned()),
        last_seen: Some("4m".to_owned()),
        workload: Some("payroll/timesheet-api-6c9d7b8f4-q8w2z".to_owned()),
        node: Some("winpool-a-0001".to_owned()),
        container_id: Some(CONTAINER_ID.to_owned()),
        image: Some("fabrikamcr.azurecr.io/payroll/timesheet-api:2.3".to_owned()),
        isolation: IsolationMode::Process,
        host: Some(OsInfo {
            version: "10.0.16299.15".to_owned(),
            build: 16299,
            revision: Some(15),
            release: Some("Windows Server, version 1709".to_owned()),
            from: "kubectl describe node".to_owned(),
            evidence: Some(ev(node_input, 17, "Kernel Version:   10.0.16299.15")),
            digest: None,
            lower_bound: false,
        }),
        image_os: Some(OsInfo {
            version: "10.0.14393".to_owned(),
            build: 14393,
            revision: None,
            release: Some("Windows Server 2016".to_owned()),
            from: "inferred".to_owned(),
            evidence: None,
            digest: None,
            lower_bound: false,
        }),
        verdict: Verdict::Blocked,
        confidence: Confidence::Stated,
        root_cause: "The image fabrikamcr.azurecr.io/payroll/timesheet-api:2.3 was built on Windows Server 2016 (10.0.14393); it runs on winpool-b-0002 (10.0.14393.1715) but process isolation on winpool-a-0001 needs the image's build to equal the host's 16299.".to_owned(),
        rule: Some(RuleRef {
            id: "exact-build-before-ltsc2022".to_owned(),
            statement: "Hosts before Windows Server 2022 run process-isolated images of exactly their own build.".to_owned(),
            source: "microsoft/hcsshim osversion/platform_compat_windows.go (CheckHostAndContainerCompat)".to_owned(),
        }),
        fixes: vec![
            fix(
                FixKind::Move,
                true,
                "winpool-b-0002 runs 10.0.14393.1715, the image's build; pin the pod to it.",
                &["kubectl -n payroll patch deployment timesheet-api --type merge -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\"winpool-b-0002\"}}}}}'"],
            ),
            fix(
                FixKind::Rebuild,
                true,
                "Rebuild on the 1709 base image to run on winpool-a-0001.",
                &[
                    "docker build --build-arg BASE=mcr.microsoft.com/windows/servercore:1709 -t fabrikamcr.azurecr.io/payroll/timesheet-api:2.3-1709 .",
                    "docker push fabrikamcr.azurecr.io/payroll/timesheet-api:2.3-1709",
                ],
            ),
            fix(
                FixKind::Hyperv,
                false,
                "Kubernetes on this runtime does not start Hyper-V isolated containers.",
                &[],
            ),
        ],
        next_steps: strings(&[
            "kubectl get nodes -L kubernetes.io/hostname -o wide",
            "kubectl -n payroll describe pod timesheet-api-6c9d7b8f4-q8w2z",
        ]),
        evidence,
        hcs: Some(hcs),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        inputs: vec![
            InputSummary {
                name: pod_input.to_owned(),
                sections: vec![SectionRef {
                    kind: SectionKind::KubectlDescribePod,
                    line: 1,
                }],
                warnings: Vec::new(),
            },
            InputSummary {
                name: node_input.to_owned(),
                sections: vec![
                    SectionRef {
                        kind: SectionKind::KubectlDescribeNode,
                        line: 1,
                    },
                    SectionRef {
                        kind: SectionKind::KubectlDescribeNode,
                        line: 48,
                    },
                ],
                warnings: Vec::new(),
            },
        ],
        nodes: vec![
            NodeSummary {
                name: "winpool-a-0001".to_owned(),
                os_version: Some("10.0.16299.15".to_owned()),
                build: Some(16299),
                revision: Some(15),
                release: Some("Windows Server, version 1709".to_owned()),
                os_name: Some("Windows Server Datacenter".to_owned()),
                runtime: Some("docker://17.6.2".to_owned()),
                default_isolation: Some(Isolation::Process),
                sources: vec![SourceRef {
                    input: node_input.to_owned(),
                    line: 17,
                }],
            },
            NodeSummary {
                name: "winpool-b-0002".to_owned(),
                os_version: Some("10.0.14393.1715".to_owned()),
                build: Some(14393),
                revision: Some(1715),
                release: Some("Windows Server 2016".to_owned()),
                os_name: Some("Windows Server 2016 Datacenter".to_owned()),
                runtime: Some("docker://17.6.2".to_owned()),
                default_isolation: Some(Isolation::Process),
                sources: vec![
                    SourceRef {
                        input: node_input.to_owned(),
                        line: 64,
                    },
                    SourceRef {
                        input: pod_input.to_owned(),
                        line: 3,
                    },
                ],
            },
        ],
        findings: vec![finding],
        summary: Summary {
            findings: 1,
            occurrences: 12,
        },
        redactions: Vec::new(),
    }
}

/// A Swarm service failing with the legacy wording, no builds in the text,
/// and the `docker service ps` table cut with `…`.
fn swarm_report() -> Report {
    let input = "swarm-ps.txt";
    let mut main = blank_finding(FindingKind::MismatchVersionsUnknown);
    main.title =
        "ledger-sync tasks fail with 0xc0370101; the builds are not in the input".to_owned();
    main.error_code = Some("0xc0370101".to_owned());
    main.occurrences = 4;
    main.workload = Some("ledger-sync.1".to_owned());
    main.node = Some("WIN-7QK2M4P9XZA".to_owned());
    main.image = Some("registry.fabrikam.local:5000/ops/ledger-sync:latest".to_owned());
    main.isolation = IsolationMode::Process;
    main.root_cause = "The container's Windows build differs from the host's, but neither build is printed. With process isolation they must be equal (10.0.17763 images on 10.0.17763 hosts).".to_owned();
    main.evidence = vec![ev(
        input,
        9,
        "q2w4e6r8t0y1u3i5o7p9a2s4d   ledger-sync.1   registry.fabrikam.local:5000/ops/ledger-sync:latest   WIN-7QK2M4P9XZA   Shutdown   Failed 2 minutes ago   \"starting container failed: container 9f1e3d5b7a9c…\"",
    )];
    main.fixes = vec![
        fix(
            FixKind::Rebuild,
            true,
            "Build the image on the base image matching the nodes' build, e.g. ltsc2019 for 17763 nodes.",
            &["docker build --build-arg BASE=mcr.microsoft.com/windows/servercore:ltsc2019 -t registry.fabrikam.local:5000/ops/ledger-sync:ltsc2019 ."],
        ),
        fix(
            FixKind::Hyperv,
            true,
            "When the host is newer than the image, Hyper-V isolation runs it; set it for the daemon on each node.",
            &["# C:\\ProgramData\\docker\\config\\daemon.json\n{ \"exec-opts\": [\"isolation=hyperv\"] }", "Restart-Service docker"],
        ),
        fix(
            FixKind::Move,
            true,
            "Label nodes by build and constrain the service to matching ones.",
            &[
                "docker node update --label-add os.build=17763 WIN-7QK2M4P9XZA",
                "docker service update --constraint-add node.labels.os.build==17763 ledger-sync",
            ],
        ),
    ];
    main.next_steps = strings(&[
        "Run `ver` or `docker info` on WIN-7QK2M4P9XZA (10.20.30.41, fd00:10:20::41) to read the host build.",
        "docker image inspect --format \"{{.OsVersion}}\" registry.fabrikam.local:5000/ops/ledger-sync:latest",
    ]);

    let mut cut = blank_finding(FindingKind::TruncatedEvidence);
    cut.title = "The ERROR column of docker service ps was cut".to_owned();
    cut.root_cause = "docker service ps shortens the ERROR column with …; the full message names the HCS code and sometimes both builds.".to_owned();
    cut.evidence = vec![ev(
        input,
        9,
        "\"starting container failed: container 9f1e3d5b7a9c…\"",
    )];
    cut.next_steps = strings(&["docker service ps --no-trunc ledger-sync"]);

    Report {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        inputs: vec![InputSummary {
            name: input.to_owned(),
            sections: vec![
                SectionRef {
                    kind: SectionKind::DockerServiceLs,
                    line: 1,
                },
                SectionRef {
                    kind: SectionKind::DockerServicePs,
                    line: 6,
                },
            ],
            warnings: strings(&["line 9: the ERROR column is truncated (…)"]),
        }],
        nodes: vec![NodeSummary {
            name: "WIN-7QK2M4P9XZA".to_owned(),
            os_version: None,
            build: None,
            revision: None,
            release: None,
            os_name: None,
            runtime: None,
            default_isolation: None,
            sources: vec![SourceRef {
                input: input.to_owned(),
                line: 9,
            }],
        }],
        findings: vec![main, cut],
        summary: Summary {
            findings: 2,
            occurrences: 5,
        },
        redactions: Vec::new(),
    }
}

/// Nothing found; the input could not be recognised.
fn empty_report() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        inputs: vec![InputSummary {
            name: "notes.txt".to_owned(),
            sections: vec![SectionRef {
                kind: SectionKind::Text,
                line: 1,
            }],
            warnings: strings(&[
                "no command output recognised; paste `kubectl describe pod` or `docker info` output",
            ]),
        }],
        nodes: Vec::new(),
        findings: Vec::new(),
        summary: Summary {
            findings: 0,
            occurrences: 0,
        },
        redactions: Vec::new(),
    }
}

/// An HCS failure that is not a version mismatch.
fn other_hcs_report() -> Report {
    let input = "inspect.json";
    let mut f = blank_finding(FindingKind::OtherHcsError);
    f.title = "Container failed with HCS error 0x80070032 (not an OS version mismatch)".to_owned();
    f.error_code = Some("0x80070032".to_owned());
    f.container_id =
        Some("2c4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f".to_owned());
    f.image = Some("mcr.microsoft.com/windows/nanoserver:ltsc2022".to_owned());
    f.isolation = IsolationMode::Process;
    f.verdict = Verdict::Supported;
    f.root_cause = "HCS refused the request (\"The request is not supported.\"); the image and host builds are not the cause.".to_owned();
    f.evidence = vec![ev(
        input,
        23,
        "\"Error\": \"hcsshim::CreateComputeSystem 2c4e6a8c0e2b: The request is not supported.\"",
    )];
    f.next_steps = strings(&[
        "Check that the Containers feature is enabled: Get-WindowsOptionalFeature -Online -FeatureName Containers",
    ]);
    f.hcs = Some(HcsInfo {
        system_type: Some("Container".to_owned()),
        name: f.container_id.clone(),
        hv_partition: Some(false),
        host_name: Some("2c4e6a8c0e2b".to_owned()),
        ..HcsInfo::default()
    });
    Report {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        inputs: vec![InputSummary {
            name: input.to_owned(),
            sections: vec![SectionRef {
                kind: SectionKind::DockerContainerInspect,
                line: 1,
            }],
            warnings: Vec::new(),
        }],
        nodes: Vec::new(),
        findings: vec![f],
        summary: Summary {
            findings: 1,
            occurrences: 1,
        },
        redactions: Vec::new(),
    }
}

const STYLE: TextStyle = TextStyle {
    color: false,
    ..TextStyle::plain(100)
};

fn rendered(report: &Report, format: ReportFormat) -> String {
    let mut out = Vec::new();
    render(report, format, &mut out).expect("render to memory");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// Text with `--explain` (everything the report holds), JSON, Markdown.
fn all_formats(report: &Report) -> [String; 3] {
    [
        rendered(report, ReportFormat::Text(EXPLAIN)),
        rendered(report, ReportFormat::Json),
        rendered(report, ReportFormat::Markdown),
    ]
}

const EXPLAIN: TextStyle = TextStyle {
    explain: true,
    ..TextStyle::plain(100)
};

fn cases() -> [(&'static str, Report); 4] {
    [
        ("kubernetes", kubernetes_report()),
        ("swarm", swarm_report()),
        ("empty", empty_report()),
        ("other_hcs", other_hcs_report()),
    ]
}

#[test]
fn snapshots_of_every_format() {
    for (name, report) in cases() {
        let [explain, json, markdown] = all_formats(&report);
        insta::assert_snapshot!(
            format!("{name}_text"),
            rendered(&report, ReportFormat::Text(STYLE))
        );
        insta::assert_snapshot!(format!("{name}_text_explain"), explain);
        insta::assert_snapshot!(format!("{name}_json"), json);
        insta::assert_snapshot!(format!("{name}_markdown"), markdown);
    }
}

#[test]
fn snapshot_of_redacted_kubernetes_markdown() {
    let mut report = kubernetes_report();
    redact(&mut report);
    insta::assert_snapshot!(
        "kubernetes_redacted_markdown",
        rendered(&report, ReportFormat::Markdown)
    );
}

#[test]
fn json_deserialises_back_into_the_same_report() {
    for (name, report) in cases() {
        let json = rendered(&report, ReportFormat::Json);
        let mut back: Report = serde_json::from_str(&json).expect("valid JSON report");
        // Known model issue (reported to the lead): `HcsInfo.partial` is
        // serialised as `"Partial"` but marked `skip_deserializing`, so the
        // flattened `other` map swallows it on the way back. Remove it here
        // until the model is fixed; everything else must round-trip exactly.
        for f in &mut back.findings {
            if let Some(hcs) = &mut f.hcs {
                hcs.other.remove("Partial");
            }
        }
        assert_eq!(back, report, "{name}");
    }
}

#[test]
fn json_top_level_keys_are_the_contract() {
    let json: Value = serde_json::from_str(&rendered(&kubernetes_report(), ReportFormat::Json))
        .expect("valid JSON");
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "findings",
            "inputs",
            "nodes",
            "schema_version",
            "summary",
            "tool"
        ]
    );
    assert_eq!(json["findings"][0]["kind"], "image-older-than-host");
    assert_eq!(json["findings"][0]["hcs"]["HvPartition"], false);
}

#[test]
fn text_starts_with_the_verdict_line() {
    let text = rendered(&kubernetes_report(), ReportFormat::Text(STYLE));
    assert!(text.starts_with(
        "✗ 1 failure: the container image's Windows build is older than the host's (1 workload on 1 node)\n"
    ));
    // Issue 13: nothing recognised is not "no failure".
    let text = rendered(&empty_report(), ReportFormat::Text(STYLE));
    assert!(
        text.starts_with("! Nothing recognised in 1 input (notes.txt): "),
        "{text}"
    );
    let mut read = empty_report();
    read.inputs[0].sections.push(SectionRef {
        kind: SectionKind::DockerInfo,
        line: 3,
    });
    let text = rendered(&read, ReportFormat::Text(STYLE));
    assert!(
        text.starts_with("✓ No container start failure found in 1 input (read: docker info)\n"),
        "{text}"
    );
}

#[test]
fn text_colours_only_when_asked() {
    let report = kubernetes_report();
    let plain = rendered(&report, ReportFormat::Text(STYLE));
    assert!(!plain.contains('\u{1b}'));
    let coloured = rendered(
        &report,
        ReportFormat::Text(TextStyle {
            color: true,
            ..TextStyle::plain(100)
        }),
    );
    assert!(coloured.starts_with("\u{1b}[1;31m✗ 1 failure"));
}

#[test]
fn text_lines_fit_the_width_except_commands() {
    let report = kubernetes_report();
    // Commands are printed whole so that they paste.
    let commands: Vec<&str> = report
        .findings
        .iter()
        .flat_map(|f| &f.fixes)
        .flat_map(|x| &x.commands)
        .flat_map(|c| c.lines())
        .map(str::trim)
        .collect();
    for style in [STYLE, EXPLAIN] {
        let text = rendered(&report, ReportFormat::Text(style));
        for line in text.lines() {
            if commands.contains(&line.trim()) {
                continue;
            }
            assert!(line.chars().count() <= 100, "too wide: {line}");
        }
    }
}

const IDENTIFIERS: &[&str] = &[
    "winpool-a-0001",
    "winpool-b-0002",
    "timesheet-api",
    "payroll",
    "fabrikamcr",
    "10.240.0.35",
    CONTAINER_ID,
    "7be2c41d9a0f",
    LAYER_GUID,
    ENDPOINT_GUID,
    POD_UID,
    "default-token-k7x2m",
    "jdoe",
    "case-4711",
    "ledger-sync",
    "WIN-7QK2M4P9XZA",
    "registry.fabrikam.local",
    "q2w4e6r8t0y1u3i5o7p9a2s4d",
    "10.20.30.41",
    "fd00:10:20::41",
    "swarm-ps",
    "2c4e6a8c0e2b",
    "inspect.json",
];

const KEPT: &[&str] = &[
    "14393.1715",
    "10.0.16299.15",
    "17763",
    "0xc0370101",
    "mcr.microsoft.com/windows/servercore:ltsc2019",
    "mcr.microsoft.com/windows/nanoserver:ltsc2022",
    "image-older-than-host",
    "Windows Server 2016",
];

#[test]
fn redaction_leaves_no_identifier_in_any_format() {
    let mut joined = String::new();
    for (name, mut report) in cases() {
        redact(&mut report);
        for out in all_formats(&report) {
            let lower = out.to_lowercase();
            for id in IDENTIFIERS {
                assert!(
                    !lower.contains(&id.to_lowercase()),
                    "{name}: {id} survived in\n{out}"
                );
            }
            joined.push_str(&out);
        }
    }
    for kept in KEPT {
        assert!(joined.contains(kept), "{kept} was redacted");
    }
}

#[test]
fn redaction_is_consistent_and_summarised() {
    let mut report = kubernetes_report();
    redact(&mut report);
    let f = &report.findings[0];
    assert_eq!(report.nodes[0].name, "node-1");
    assert_eq!(f.node.as_deref(), Some("node-1"));
    assert_eq!(f.workload.as_deref(), Some("ns-1/pod-1"));
    assert_eq!(f.container_id.as_deref(), Some("container-1"));
    assert_eq!(f.image.as_deref(), Some("registry-1/image-1:2.3"));
    assert_eq!(f.evidence[0].input, "input-1.txt");
    assert_eq!(f.evidence[0].excerpt, "Node:           node-1/ip-1");
    let hcs = f.hcs.as_ref().expect("hcs kept");
    assert_eq!(hcs.name.as_deref(), Some("container-1"));
    assert_eq!(hcs.host_name.as_deref(), Some("pod-1"));
    assert!(
        hcs.layers[0].id.starts_with("guid-"),
        "{}",
        hcs.layers[0].id
    );
    assert!(report.redactions.contains(&"2 node names".to_owned()));
    assert!(report
        .redactions
        .iter()
        .any(|r| r.ends_with("container IDs")));
}

#[test]
fn control_characters_are_neutralised_in_text_and_markdown() {
    let mut report = kubernetes_report();
    let hostile = "\u{1b}]0;t\u{7}\u{202e}ab\u{2066}\u{200b}\r";
    report.findings[0].evidence[0].excerpt = hostile.to_owned();
    report.findings[0].root_cause = format!("cause \u{1b}[2J {hostile} \u{9b}31m");
    report.nodes[0].name = format!("node{hostile}");
    for format in [ReportFormat::Text(STYLE), ReportFormat::Markdown] {
        let out = rendered(&report, format);
        for bad in [
            '\u{1b}', '\u{7}', '\u{202e}', '\u{2066}', '\u{200b}', '\r', '\u{9b}',
        ] {
            assert!(!out.contains(bad), "{bad:?} printed raw in {format:?}");
        }
        assert!(
            out.contains("u{1b}"),
            "escape not made visible in {format:?}"
        );
        assert!(
            out.contains("u{202e}"),
            "bidi override not made visible in {format:?}"
        );
    }
}

/// Pipes that split a GFM row: those not preceded by a backslash.
fn cell_separators(line: &str) -> usize {
    let mut n = 0;
    let mut prev = ' ';
    for c in line.chars() {
        if c == '|' && prev != '\\' {
            n += 1;
        }
        prev = c;
    }
    n
}

#[test]
fn a_pipe_in_a_workload_name_does_not_break_markdown_tables() {
    let mut report = kubernetes_report();
    report.findings[0].workload = Some("web|api `x|y`".to_owned());
    report.nodes[0].name = "node|one".to_owned();
    let md = rendered(&report, ReportFormat::Markdown);
    let mut tables = 0;
    let mut columns = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cell_separators(line);
            let expected = *columns.get_or_insert(n);
            assert_eq!(n, expected, "row breaks its table: {line}");
        } else {
            if columns.is_some() {
                tables += 1;
            }
            columns = None;
        }
    }
    assert!(
        tables >= 3,
        "expected findings, environment and versions tables"
    );
    assert!(md.contains("web\\|api"));
}

#[test]
fn markdown_fences_outgrow_backticks_in_commands() {
    let mut report = kubernetes_report();
    report.findings[0].fixes[0].commands = strings(&["echo ```danger```"]);
    let md = rendered(&report, ReportFormat::Markdown);
    assert!(md.contains("````sh\necho ```danger```\n````\n"));
}

fn finding_with(node: &str, pod: &str, registry: &str, ip: &str, guid: &str) -> Report {
    let mut report = kubernetes_report();
    report.nodes[0].name = node.to_owned();
    let f = &mut report.findings[0];
    f.node = Some(node.to_owned());
    f.workload = Some(pod.to_owned());
    f.image = Some(format!("{registry}/team/app:1.0-ltsc2019"));
    f.evidence.push(ev(
        "extra.txt",
        1,
        &format!("Warning Failed kubelet, {node}  pulled {registry}/team/app:1.0-ltsc2019 for {pod} at {ip} id {guid}"),
    ));
    f.fixes[0]
        .commands
        .push(format!("kubectl describe pod {pod} # on {node}"));
    f.next_steps.push(format!("ping {ip}"));
    if let Some(hcs) = &mut f.hcs {
        hcs.host_name = Some(node.to_uppercase());
        hcs.other.insert("Extra".to_owned(), json!([guid, ip]));
    }
    report
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_identifiers_never_survive_redaction(
        node in "[a-z]{3,7}-[a-z]{2,4}[0-9]{2,4}",
        pod in "[a-z]{4,8}-[a-z0-9]{5}",
        registry in "[a-z]{4,9}\\.(corp|example|intra)\\.(net|io|local)",
        ip in (1u8..=254, 0u8..=255, 0u8..=255, 1u8..=254),
        guid in any::<u128>(),
    ) {
        let ip = format!("{}.{}.{}.{}", ip.0, ip.1, ip.2, ip.3);
        let g = format!("{guid:032x}");
        let guid = format!(
            "{}-{}-{}-{}-{}",
            &g[..8], &g[8..12], &g[12..16], &g[16..20], &g[20..]
        );
        let mut report = finding_with(&node, &pod, &registry, &ip, &guid);
        redact(&mut report);
        for out in all_formats(&report) {
            let lower = out.to_lowercase();
            for id in [&node, &pod, &registry, &ip, &guid] {
                prop_assert!(!lower.contains(id.as_str()), "{} survived", id);
            }
            prop_assert!(out.contains("ltsc2019"));
        }
    }
}

/// The real client outputs in ../shared/corpus (see its README), when that
/// folder exists: `--redact` removes their cluster's names and addresses
/// from every format, while the same run without it shows them (so the
/// check is not vacuous).
#[test]
fn redaction_of_real_client_outputs() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let cases: [(&str, &[&str]); 2] = [
        (
            "client-k8s-ws2022-ws2025-aspnet-ltsc2019",
            &["win22-node-01", "win25-node-01", "legacy-billing"],
        ),
        (
            "client-swarm-ws2025-ltsc2019-batch",
            &["batch-worker", "ws25-node0"],
        ),
    ];
    for (folder, names) in cases {
        let dir = corpus.join(folder);
        if !dir.is_dir() {
            eprintln!("note: {} not found; skipped", dir.display());
            continue;
        }
        let run = |extra: &[&str]| -> String {
            let out = assert_cmd::Command::cargo_bin("wincompat")
                .expect("binary built")
                .env_remove("NO_COLOR")
                .env_remove("CLICOLOR_FORCE")
                .args(extra)
                .arg(&dir)
                .output()
                .expect("runs");
            String::from_utf8_lossy(&out.stdout).to_lowercase()
        };
        let plain = run(&["-f", "json"]);
        assert!(
            names.iter().any(|n| plain.contains(n)),
            "{folder}: names not in the unredacted report"
        );
        for format in ["text", "json", "markdown"] {
            // `--explain`: the text report with everything (the error code).
            let out = run(&["--redact", "--color", "never", "--explain", "-f", format]);
            assert!(out.contains("0xc0370101"), "{folder} {format}: code lost");
            for name in names {
                assert!(!out.contains(name), "{folder} {format}: {name} survived");
            }
        }
    }
}

const ESC: char = '\u{1b}';

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the inputs held, every format renders, JSON parses, and
    /// Markdown table rows keep their header's column count.
    #[test]
    fn arbitrary_text_never_breaks_a_format(
        workload in any::<String>(),
        node in any::<String>(),
        excerpt in any::<String>(),
        cause in any::<String>(),
        command in any::<String>(),
        width in 0u16..300,
    ) {
        let mut report = kubernetes_report();
        report.nodes[0].name = node.clone();
        let f = &mut report.findings[0];
        f.workload = Some(workload);
        f.node = Some(node);
        f.evidence[0].excerpt = excerpt;
        f.root_cause = cause;
        f.fixes[0].commands = vec![command];
        let text = rendered(&report, ReportFormat::Text(TextStyle { color: false, ..TextStyle::plain(width) }));
        prop_assert!(!text.contains(ESC), "raw ESC in text");
        let json = rendered(&report, ReportFormat::Json);
        prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
        let md = rendered(&report, ReportFormat::Markdown);
        prop_assert!(!md.contains(ESC), "raw ESC in markdown");
        let mut columns = None;
        for line in md.lines() {
            if line.starts_with('|') {
                let n = cell_separators(line);
                prop_assert_eq!(n, *columns.get_or_insert(n), "row: {}", line);
            } else {
                columns = None;
            }
        }
    }
}
