//! Specification of the analysis, independent of any input format: typed
//! records in, findings out. Each test builds the records a parser would
//! produce for a scenario and states what the report must say.

use wincompat::analyze::{analyze, GivenFacts};
use wincompat::model::finding::{FindingKind, FixKind, Report, Verdict};
use wincompat::model::ParsedInput;
use wincompat::model::{
    Event, Failure, FailureCause, FailureKind, HcsInfo, HostFacts, Invocation, Isolation, Record,
    RecordData, SectionKind, WindowsVersion, Workload, WorkloadKind,
};

fn rec(line: usize, end_line: usize, section: SectionKind, data: RecordData) -> Record {
    Record {
        line,
        end_line,
        section,
        data,
    }
}

fn host(name: &str, build: u32, revision: Option<u32>) -> RecordData {
    RecordData::Host(HostFacts {
        name: Some(name.to_owned()),
        version: Some(WindowsVersion::new(build, revision)),
        version_text: Some(format!("10.0.{build}")),
        os_type: Some("windows".to_owned()),
        ..Default::default()
    })
}

fn mismatch(hv: Option<bool>) -> Failure {
    Failure {
        kind: Some(FailureKind::Hcs),
        cause: FailureCause::Mismatch,
        hcs_code: Some(0xC037_0101),
        message: Some("The operating system of the container does not match the operating system of the host.".to_owned()),
        operation: Some("CreateContainer".to_owned()),
        hcs: hv.map(|hv| HcsInfo {
            hv_partition: Some(hv),
            ..Default::default()
        }),
        text: "container abc encountered an error during CreateContainer: failure in a Windows system call: The operating system of the container does not match the operating system of the host. (0xc0370101)".to_owned(),
        ..Default::default()
    }
}

fn input(name: &str, records: Vec<Record>) -> ParsedInput {
    ParsedInput {
        name: name.to_owned(),
        records,
        ..Default::default()
    }
}

fn pod(name: &str, node: &str, image: &str, running: bool) -> Workload {
    let mut w = Workload::new(WorkloadKind::Pod, name);
    w.namespace = Some("plang".to_owned());
    w.container_name = Some("web".to_owned());
    w.node = Some(node.to_owned());
    w.image = Some(image.to_owned());
    w.running = running;
    w
}

fn only_error(report: &Report) -> &wincompat::model::finding::Finding {
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == wincompat::model::finding::Severity::Error)
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "expected one error finding, got {:#?}",
        report.findings
    );
    errors[0]
}

/// The seed's Kubernetes example: the pod fails on the 16299 node; the same
/// image runs on the 14393.1715 node, so the image is 14393-based.
#[test]
fn seed_kubernetes_scenario_infers_the_image_from_the_node_where_it_runs() {
    let describe = input(
        "describe.txt",
        vec![
            rec(
                1,
                30,
                SectionKind::KubectlDescribePod,
                RecordData::Workload(pod(
                    "fabrikamfiber.web-789699744-rqv6p",
                    "38519acs9011",
                    "patricklang/fabrikamfiber.web:latest",
                    false,
                )),
            ),
            rec(
                20,
                20,
                SectionKind::Text,
                RecordData::Failure(mismatch(Some(false))),
            ),
        ],
    );
    let nodes = input(
        "nodes.txt",
        vec![
            rec(
                1,
                10,
                SectionKind::KubectlDescribeNode,
                host("38519acs9010", 14393, Some(1715)),
            ),
            rec(
                12,
                20,
                SectionKind::KubectlDescribeNode,
                host("38519acs9011", 16299, Some(0)),
            ),
        ],
    );
    let pods = input(
        "pods.txt",
        vec![rec(
            2,
            2,
            SectionKind::KubectlGetPods,
            RecordData::Workload(pod(
                "fabrikamfiber.web-789699744-abcde",
                "38519acs9010",
                "patricklang/fabrikamfiber.web:latest",
                true,
            )),
        )],
    );
    let report = analyze(&[describe, nodes, pods], &GivenFacts::default());
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::ImageOlderThanHost);
    assert_eq!(
        f.workload.as_deref(),
        Some("plang/fabrikamfiber.web-789699744-rqv6p")
    );
    assert_eq!(f.node.as_deref(), Some("38519acs9011"));
    assert_eq!(f.isolation.as_str(), "process");
    assert_eq!(f.host.as_ref().map(|h| h.build), Some(16299));
    let image = f.image_os.as_ref().expect("image version inferred");
    assert_eq!((image.build, image.from.as_str()), (14393, "inferred"));
    assert_eq!(f.verdict, Verdict::Blocked);

    let fix = |k: FixKind| f.fixes.iter().find(|x| x.kind == k).expect("fix present");
    let rebuild = fix(FixKind::Rebuild);
    assert!(rebuild.applies);
    let moving = fix(FixKind::Move);
    assert!(moving.applies, "{moving:?}");
    assert!(
        moving
            .commands
            .iter()
            .any(|c| c.contains("38519acs9010") && c.contains("14393.1715")),
        "{moving:?}"
    );
    let hyperv = fix(FixKind::Hyperv);
    assert!(
        !hyperv.applies,
        "Kubernetes does not support Hyper-V isolation"
    );
    assert!(hyperv.why.contains("Kubernetes"));
}

#[test]
fn versions_from_an_incompatible_image_message_make_it_newer_than_host() {
    let failure = Failure {
        kind: Some(FailureKind::ImageIncompatible),
        cause: FailureCause::Mismatch,
        pull: true,
        image_version: Some(WindowsVersion::new(17763, None)),
        host_version: Some(WindowsVersion::new(17134, None)),
        text: "a Windows version 10.0.17763-based image is incompatible with a 10.0.17134 host"
            .to_owned(),
        ..Default::default()
    };
    let report = analyze(
        &[input(
            "pull.txt",
            vec![rec(2, 2, SectionKind::Text, RecordData::Failure(failure))],
        )],
        &GivenFacts::default(),
    );
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::ImageNewerThanHost);
    let hyperv = f.fixes.iter().find(|x| x.kind == FixKind::Hyperv).unwrap();
    assert!(!hyperv.applies);
    assert_eq!(f.evidence[0].line, 2);
}

#[test]
fn unknown_versions_ask_for_the_next_commands() {
    let report = analyze(
        &[input(
            "run.txt",
            vec![rec(
                1,
                1,
                SectionKind::Text,
                RecordData::Failure(mismatch(Some(false))),
            )],
        )],
        &GivenFacts::default(),
    );
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::MismatchVersionsUnknown);
    assert!(
        f.next_steps.iter().any(|s| s.contains("docker info")),
        "{:?}",
        f.next_steps
    );
    assert_eq!(f.fixes.len(), 3, "all three fixes in general form");
}

#[test]
fn flags_supply_missing_versions() {
    let mut inv = Invocation {
        command: "docker run".to_owned(),
        image: Some("mcr.microsoft.com/windows/nanoserver:1809".to_owned()),
        isolation: None,
        name: None,
        text: "docker run mcr.microsoft.com/windows/nanoserver:1809".to_owned(),
    };
    inv.isolation = Some(Isolation::Process);
    let report = analyze(
        &[input(
            "run.txt",
            vec![
                rec(1, 1, SectionKind::DockerCli, RecordData::Invocation(inv)),
                rec(2, 2, SectionKind::Text, RecordData::Failure(mismatch(None))),
            ],
        )],
        &GivenFacts {
            host: Some(WindowsVersion::new(20348, Some(2227))),
            ..Default::default()
        },
    );
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::ImageOlderThanHost);
    assert_eq!(
        f.host.as_ref().map(|h| h.from.as_str()),
        Some("flag --host")
    );
    assert_eq!(
        f.image_os.as_ref().map(|i| (i.build, i.from.as_str())),
        Some((17763, "tag"))
    );
    let hyperv = f.fixes.iter().find(|x| x.kind == FixKind::Hyperv).unwrap();
    assert!(hyperv.applies);
    assert!(hyperv.commands[0].contains("--isolation=hyperv"));
}

#[test]
fn event_counts_add_up_and_the_last_state_message_is_not_counted_twice() {
    let mut ev = Event {
        object: Some("web-0".to_owned()),
        reason: "Failed".to_owned(),
        count: 151,
        node: Some("n1".to_owned()),
        message: "Error: failed to start container".to_owned(),
        ..Default::default()
    };
    ev.namespace = Some("plang".to_owned());
    let mut p = pod(
        "web-0",
        "n1",
        "mcr.microsoft.com/windows/servercore:ltsc2019",
        false,
    );
    p.container_name = Some("web".to_owned());
    let records = vec![
        rec(
            1,
            10,
            SectionKind::KubectlDescribePod,
            RecordData::Workload(p),
        ),
        rec(
            5,
            5,
            SectionKind::Text,
            RecordData::Failure(mismatch(Some(false))),
        ),
        rec(
            20,
            20,
            SectionKind::KubectlDescribePod,
            RecordData::Event(ev),
        ),
        rec(
            20,
            20,
            SectionKind::Text,
            RecordData::Failure(mismatch(Some(false))),
        ),
        rec(
            30,
            40,
            SectionKind::KubectlDescribeNode,
            host("n1", 20348, Some(2340)),
        ),
    ];
    let report = analyze(&[input("d.txt", records)], &GivenFacts::default());
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::ImageOlderThanHost);
    assert_eq!(f.occurrences, 151);
    assert_eq!(f.evidence.len(), 2);
}

#[test]
fn another_hcs_code_is_never_a_version_mismatch() {
    let failure = Failure {
        kind: Some(FailureKind::Hcs),
        cause: FailureCause::Other,
        hcs_code: Some(0x32),
        message: Some("The request is not supported.".to_owned()),
        text: "failure in a Windows system call: The request is not supported. (0x32)".to_owned(),
        ..Default::default()
    };
    let report = analyze(
        &[input(
            "ps.txt",
            vec![rec(3, 3, SectionKind::Text, RecordData::Failure(failure))],
        )],
        &GivenFacts::default(),
    );
    let f = only_error(&report);
    assert_eq!(f.kind, FindingKind::OtherHcsError);
    assert_eq!(f.error_code.as_deref(), Some("0x32"));
    assert!(f.fixes.iter().all(|x| !x.applies));
}

#[test]
fn no_failure_means_an_empty_report() {
    let report = analyze(
        &[input(
            "nodes.txt",
            vec![rec(
                1,
                5,
                SectionKind::KubectlDescribeNode,
                host("n1", 17763, None),
            )],
        )],
        &GivenFacts::default(),
    );
    assert!(report.findings.is_empty());
    assert_eq!(report.nodes.len(), 1);
    assert_eq!(report.nodes[0].build, Some(17763));
}
