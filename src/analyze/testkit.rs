//! Builders for the analysis steps' unit tests: records of our own making
//! (nodes, pods, failures, invocations) in inputs, without any parser.

use super::correlate::correlate;
use super::index::Index;
use super::occurrence::Occurrence;
use super::GivenFacts;
use crate::knowledge::hcs_codes::IMAGE_MISMATCH;
use crate::model::ParsedInput;
use crate::model::{
    Failure, FailureKind, HostFacts, ImageFacts, ImageOrigin, Invocation, Isolation, Record,
    RecordData, SectionKind, WindowsVersion, Workload, WorkloadKind,
};

pub(crate) fn v(build: u32, revision: Option<u32>) -> WindowsVersion {
    WindowsVersion::new(build, revision)
}

/// One input named `name` holding `records` (line numbers as given).
pub(crate) fn input(name: &str, records: Vec<Record>) -> ParsedInput {
    ParsedInput {
        name: name.to_owned(),
        sections: Vec::new(),
        records,
        warnings: Vec::new(),
        ..ParsedInput::default()
    }
}

pub(crate) fn at(line: usize, section: SectionKind, data: RecordData) -> Record {
    Record {
        line,
        end_line: line,
        section,
        data,
    }
}

/// A `kubectl describe node`-style Windows node of a known build.
pub(crate) fn node(line: usize, name: &str, version: WindowsVersion) -> Record {
    at(
        line,
        SectionKind::KubectlDescribeNode,
        RecordData::Host(HostFacts {
            name: Some(name.to_owned()),
            version: Some(version),
            os_type: Some("windows".to_owned()),
            ..HostFacts::default()
        }),
    )
}

/// A pod container on `node` running (or failing with) `image`: a
/// describe-pod block of five lines, so a failure two lines below its start
/// is inside it.
pub(crate) fn pod(line: usize, name: &str, node: &str, image: &str, running: bool) -> Record {
    let mut w = Workload::new(WorkloadKind::Pod, name);
    w.namespace = Some("default".to_owned());
    w.node = Some(node.to_owned());
    w.image = Some(image.to_owned());
    w.running = running;
    let mut r = at(
        line,
        SectionKind::KubectlDescribePod,
        RecordData::Workload(w),
    );
    r.end_line = line + 4;
    r
}

/// `docker image inspect`-style facts for `reference`.
pub(crate) fn inspected(line: usize, reference: &str, version: WindowsVersion) -> Record {
    at(
        line,
        SectionKind::DockerImageInspect,
        RecordData::Image(ImageFacts {
            origin: ImageOrigin::Inspect,
            reference: Some(reference.to_owned()),
            aliases: Vec::new(),
            os: Some("windows".to_owned()),
            os_version: Some(version),
            layers: Vec::new(),
            platforms: Vec::new(),
        }),
    )
}

/// A `docker run` command line.
pub(crate) fn docker_run(line: usize, image: &str, isolation: Option<Isolation>) -> Record {
    at(
        line,
        SectionKind::DockerCli,
        RecordData::Invocation(Invocation {
            command: "docker run".to_owned(),
            image: Some(image.to_owned()),
            isolation,
            name: None,
            text: format!("docker run {image}"),
        }),
    )
}

/// The HCS mismatch (0xc0370101) as a bare failure.
pub(crate) fn mismatch() -> Failure {
    Failure {
        kind: Some(FailureKind::Hcs),
        hcs_code: Some(IMAGE_MISMATCH),
        text: "The container operating system does not match the host operating system.".to_owned(),
        ..Failure::default()
    }
}

pub(crate) fn failing(line: usize, section: SectionKind, failure: Failure) -> Record {
    at(line, section, RecordData::Failure(failure))
}

/// Correlate the first failure of the first input that has one.
pub(crate) fn place<'a>(index: &Index<'a>, given: &GivenFacts) -> Occurrence<'a> {
    for (i, input) in index.inputs.iter().enumerate() {
        for record in &input.records {
            if let RecordData::Failure(f) = &record.data {
                return correlate(index, given, i, record, f);
            }
        }
    }
    panic!("no failure record in the test inputs");
}
