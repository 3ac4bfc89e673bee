//! The typed vocabulary of the analysis steps: where a version came from
//! (`VersionSource`), which orchestrator ran a container, and one failure
//! placed in its context (`Occurrence`). Correlation fills these; the
//! decision, the fixes and the wording read them. No prose is made here.

use crate::knowledge::platform_match::Engine;
use crate::model::finding::Evidence;
use crate::model::resolved::ResolvedImage;
use crate::model::{
    Failure, HostKind, Isolation, Record, SectionKind, WindowsVersion, WorkloadKind,
};

/// Which scheduler ran the failing container; decides the fix commands.
pub(crate) use crate::model::Orchestrator;

impl Orchestrator {
    /// Whether the orchestrator can run a Windows container with Hyper-V
    /// isolation: Kubernetes documents no support for it (containerd's
    /// `runhcs-wcow-hypervisor` handler is a caveat the fix text names).
    pub(crate) fn supports_hyperv(self) -> bool {
        self != Orchestrator::Kubernetes
    }
}

/// A version and the evidence it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sourced {
    pub version: WindowsVersion,
    /// Where it was learned.
    pub from: VersionSource,
    pub evidence: Option<Evidence>,
}

/// Where a version was learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VersionSource {
    /// The failure message states it (`a 10.0.17763-based image`).
    Message,
    /// A command-line flag: `--node`, `--host`, `--image-version`.
    Flag(&'static str),
    /// A host description of this kind (`kubectl describe node`, `docker info`).
    Section(SectionKind),
    /// `docker image inspect` of the named image.
    Inspect { of: String },
    /// A manifest of the named image.
    Manifest { of: String },
    /// An unnamed `Container OS Version` line (BcContainerHelper).
    ContainerOsVersion,
    /// The image tag's release token (`ltsc2019`, `10.0.17763.437`).
    Tag { token: String },
    /// A node's build, from a process-isolated image running there: the
    /// image's build exactly, or — from the LTSC floor on — at least it.
    RunningImage {
        workload: String,
        image: String,
        image_build: u32,
        lower_bound: bool,
    },
    /// The image's build, from the same image running process-isolated on
    /// another node whose build pins it.
    SameImageRuns {
        node: String,
        node_version: WindowsVersion,
    },
    /// The image's build, guessed from the only other Windows build of the
    /// cluster (the Microsoft page's Kubernetes example).
    OnlyOtherBuild {
        node: String,
        version: WindowsVersion,
    },
    /// The registry's manifest (`--resolve-images`): `entry` says which
    /// entry of `canonical@digest` was read and why.
    Registry {
        canonical: String,
        digest: String,
        entry: String,
    },
}

impl VersionSource {
    /// The version is a lower bound only ("or newer").
    pub(crate) fn is_lower_bound(&self) -> bool {
        matches!(
            self,
            VersionSource::RunningImage {
                lower_bound: true,
                ..
            }
        )
    }

    /// Only read from a tag or inferred: a registry's answer is better.
    pub(crate) fn is_weak(&self) -> bool {
        matches!(
            self,
            VersionSource::Tag { .. }
                | VersionSource::RunningImage { .. }
                | VersionSource::SameImageRuns { .. }
                | VersionSource::OnlyOtherBuild { .. }
        )
    }

    /// The JSON `image_os.from` value:
    /// `tag|inspect|manifest|message|inferred|flag|registry`.
    pub(crate) fn image_kind(&self) -> &'static str {
        match self {
            VersionSource::Message => "message",
            VersionSource::Flag(_) => "flag",
            VersionSource::Inspect { .. } | VersionSource::ContainerOsVersion => "inspect",
            VersionSource::Manifest { .. } => "manifest",
            VersionSource::Tag { .. } => "tag",
            VersionSource::Registry { .. } => "registry",
            VersionSource::Section(_)
            | VersionSource::RunningImage { .. }
            | VersionSource::SameImageRuns { .. }
            | VersionSource::OnlyOtherBuild { .. } => "inferred",
        }
    }
}

/// Why the isolation mode is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IsolationSource {
    /// `HvPartition` in the HCS extra info (true or false).
    HvPartition(bool),
    /// `--isolation=…` on the command line.
    CommandLine,
    /// The container's `HostConfig.Isolation`.
    HostConfig,
    /// The daemon's `Default Isolation` (docker info).
    DaemonDefault,
    /// Kubernetes runs Windows containers process-isolated.
    Kubernetes,
    /// Swarm tasks take the daemon default: process on Windows Server.
    SwarmDefault,
    /// Docker on Windows Server defaults to process isolation.
    ServerDefault,
}

impl IsolationSource {
    /// The input states the isolation for this container (not a default).
    pub(crate) fn is_stated(self) -> bool {
        matches!(
            self,
            IsolationSource::HvPartition(_)
                | IsolationSource::CommandLine
                | IsolationSource::HostConfig
                | IsolationSource::DaemonDefault
        )
    }
}

/// The registry's answer for one occurrence's image, and what it means for
/// the occurrence's host.
#[derive(Debug, Clone)]
pub(crate) struct RegistryUse {
    pub image: ResolvedImage,
    /// The matcher that was applied.
    pub engine: Engine,
    /// The host the entry was chosen for, when known.
    pub host: Option<WindowsVersion>,
    /// Index (into `image.entries`) of the entry that host pulls.
    pub picked: Option<usize>,
    /// `image_os` was taken from the registry (the finding carries the digest).
    pub used: bool,
}

/// One failure, placed in its context.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence<'a> {
    pub input: usize,
    pub record: &'a Record,
    pub failure: &'a Failure,
    pub orchestrator: Orchestrator,
    pub workload: Option<String>,
    pub workload_kind: Option<WorkloadKind>,
    /// The container within the pod, when the workload is a pod container.
    pub container_name: Option<String>,
    pub node: Option<String>,
    pub image: Option<String>,
    pub container_id: Option<String>,
    pub isolation: Option<(Isolation, IsolationSource)>,
    pub host: Option<Sourced>,
    pub host_kind: Option<HostKind>,
    pub image_os: Option<Sourced>,
    /// How many times this record stands for (an event's count).
    pub count: u64,
    /// The record is an event (its count already includes status snapshots).
    pub from_event: bool,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The registry's answer for the image (`--resolve-images`), see
    /// `registry_view` (issue 12).
    pub registry: Option<RegistryUse>,
}

impl Occurrence<'_> {
    pub(crate) fn host_version(&self) -> Option<WindowsVersion> {
        self.host.as_ref().map(|h| h.version)
    }

    pub(crate) fn image_version(&self) -> Option<WindowsVersion> {
        self.image_os.as_ref().map(|i| i.version)
    }

    pub(crate) fn isolation_mode(&self) -> Option<Isolation> {
        self.isolation.map(|(i, _)| i)
    }
}
