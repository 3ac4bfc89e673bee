//! Typed records: what the parsers found in one input, each with the lines
//! it came from. Records state facts seen in the text; they never decide a
//! root cause (that is `analyze/`).

use super::{HcsInfo, HostKind, Isolation, WindowsVersion};
use serde::{Deserialize, Serialize};

/// Which kind of output a stretch of an input is. Detected from the text's
/// own signatures (header lines, `Name:` blocks, log line shapes), never from
/// file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    DockerServicePs,
    DockerServiceLs,
    DockerNodeLs,
    DockerNodeInspect,
    DockerInfo,
    DockerVersion,
    DockerImageInspect,
    DockerContainerInspect,
    DockerServiceInspect,
    DockerManifest,
    DockerCli,
    Dockerfile,
    KubectlDescribePod,
    KubectlDescribeNode,
    KubectlGetNodes,
    KubectlGetPods,
    KubectlGetEvents,
    KubeJson,
    KubeYaml,
    DaemonLog,
    Klog,
    CiLog,
    PowerShell,
    VersionQuery,
    WinEventLog,
    /// Text that matched no known format; still scanned for failures.
    Text,
}

impl SectionKind {
    /// The kebab-case name used in JSON and `records` output.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::DockerServicePs => "docker-service-ps",
            SectionKind::DockerServiceLs => "docker-service-ls",
            SectionKind::DockerNodeLs => "docker-node-ls",
            SectionKind::DockerNodeInspect => "docker-node-inspect",
            SectionKind::DockerInfo => "docker-info",
            SectionKind::DockerVersion => "docker-version",
            SectionKind::DockerImageInspect => "docker-image-inspect",
            SectionKind::DockerContainerInspect => "docker-container-inspect",
            SectionKind::DockerServiceInspect => "docker-service-inspect",
            SectionKind::DockerManifest => "docker-manifest",
            SectionKind::DockerCli => "docker-cli",
            SectionKind::Dockerfile => "dockerfile",
            SectionKind::KubectlDescribePod => "kubectl-describe-pod",
            SectionKind::KubectlDescribeNode => "kubectl-describe-node",
            SectionKind::KubectlGetNodes => "kubectl-get-nodes",
            SectionKind::KubectlGetPods => "kubectl-get-pods",
            SectionKind::KubectlGetEvents => "kubectl-get-events",
            SectionKind::KubeJson => "kube-json",
            SectionKind::KubeYaml => "kube-yaml",
            SectionKind::DaemonLog => "daemon-log",
            SectionKind::Klog => "klog",
            SectionKind::CiLog => "ci-log",
            SectionKind::PowerShell => "powershell",
            SectionKind::VersionQuery => "version-query",
            SectionKind::WinEventLog => "win-event-log",
            SectionKind::Text => "text",
        }
    }
}

impl SectionKind {
    /// How a report names the section a fact was read from (`host.from` in
    /// the JSON): the command that prints it, e.g. `kubectl describe node`.
    /// Kinds no version is read from are named by their JSON name.
    pub fn display_name(self) -> &'static str {
        match self {
            SectionKind::KubectlDescribeNode => "kubectl describe node",
            SectionKind::KubectlGetNodes => "kubectl get nodes",
            SectionKind::KubeJson => "kubectl -o json",
            SectionKind::KubeYaml => "kubectl -o yaml",
            SectionKind::DockerInfo => "docker info",
            SectionKind::DockerVersion => "docker version",
            SectionKind::DockerNodeInspect => "docker node inspect",
            SectionKind::DockerServiceInspect => "docker service inspect",
            SectionKind::DockerNodeLs => "docker node ls",
            SectionKind::VersionQuery => "version query (ver/systeminfo/BuildLabEx)",
            SectionKind::PowerShell => "PowerShell output",
            SectionKind::CiLog => "CI log",
            SectionKind::DaemonLog => "daemon log",
            SectionKind::Klog => "kubelet log",
            SectionKind::DockerServicePs
            | SectionKind::DockerServiceLs
            | SectionKind::DockerImageInspect
            | SectionKind::DockerContainerInspect
            | SectionKind::DockerManifest
            | SectionKind::DockerCli
            | SectionKind::Dockerfile
            | SectionKind::KubectlDescribePod
            | SectionKind::KubectlGetPods
            | SectionKind::KubectlGetEvents
            | SectionKind::WinEventLog
            | SectionKind::Text => self.as_str(),
        }
    }

    /// The orchestrator whose tool prints this kind of output: Kubernetes
    /// for `kubectl` and kubelet output, Swarm for the `docker service` and
    /// `docker node` commands (Swarm mode only), Docker for the other
    /// `docker` commands and Dockerfiles; `None` for output any of them may
    /// sit beside (daemon and CI logs, PowerShell, `ver`, event logs, text).
    pub fn orchestrator(self) -> Option<Orchestrator> {
        match self {
            SectionKind::KubectlDescribePod
            | SectionKind::KubectlDescribeNode
            | SectionKind::KubectlGetNodes
            | SectionKind::KubectlGetPods
            | SectionKind::KubectlGetEvents
            | SectionKind::KubeJson
            | SectionKind::KubeYaml
            | SectionKind::Klog => Some(Orchestrator::Kubernetes),
            SectionKind::DockerServicePs
            | SectionKind::DockerServiceLs
            | SectionKind::DockerNodeLs
            | SectionKind::DockerNodeInspect
            | SectionKind::DockerServiceInspect => Some(Orchestrator::Swarm),
            SectionKind::DockerInfo
            | SectionKind::DockerVersion
            | SectionKind::DockerImageInspect
            | SectionKind::DockerContainerInspect
            | SectionKind::DockerManifest
            | SectionKind::DockerCli
            | SectionKind::Dockerfile => Some(Orchestrator::Docker),
            SectionKind::DaemonLog
            | SectionKind::CiLog
            | SectionKind::PowerShell
            | SectionKind::VersionQuery
            | SectionKind::WinEventLog
            | SectionKind::Text => None,
        }
    }
}

/// Which scheduler ran (or would run) a container; decides the fix commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Orchestrator {
    Kubernetes,
    Swarm,
    /// Plain Docker (`docker run`, no scheduler).
    Docker,
}

/// A detected section: its kind and the 1-based lines it spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub line: usize,
    pub end_line: usize,
}

/// One fact found in an input, with where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// First line (1-based) of the text the record came from.
    pub line: usize,
    /// Last line (1-based, inclusive).
    pub end_line: usize,
    /// The section kind of the parser that produced it.
    pub section: SectionKind,
    #[serde(flatten)]
    pub data: RecordData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "records are built once per parsed line group and read in place; boxing the failure would touch every parser for a few hundred bytes"
)]
pub enum RecordData {
    Failure(Failure),
    Host(HostFacts),
    Workload(Workload),
    Event(Event),
    Image(ImageFacts),
    Invocation(Invocation),
    Truncated(Truncation),
}

/// Which family of wording a failure message used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// An HCS error (`0xc0370101` or another HCS code/message), any wording.
    Hcs,
    /// `a Windows version 10.0.N-based image is incompatible with a 10.0.M host`.
    ImageIncompatible,
    /// `no matching manifest for windows/amd64 10.0.N in the manifest list entries`
    /// and the newer `windows(10.0.N)/amd64` form.
    NoMatchingManifest,
    /// containerd/CRI `no match for platform in manifest: not found` with no
    /// `no matching manifest` prefix.
    NoMatchForPlatform,
    /// `image operating system "linux" cannot be used on this platform` and
    /// other Linux-image-on-Windows (or reverse) forms.
    WrongPlatform,
    /// `Windows client operating systems earlier than version 1809 can only run Hyper-V containers`.
    ClientNeedsHyperV,
}

/// What the failure's own text says caused it: the evidence, before any
/// claim. Decided by the parser from the code and the wording only (never
/// from versions printed elsewhere), so the analysis can tell a version
/// mismatch the text states from a look-alike or from a message that is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureCause {
    /// The code or wording states a host/image version mismatch:
    /// `0xc0370101` in any printed form (`(0xc0370101)`, `0x80370101`,
    /// decimal), "The container operating system does not match the host
    /// operating system", "The operating system of the container does not
    /// match the operating system of the host", `a Windows version
    /// 10.0.N-based image is incompatible with a 10.0.M host`, `no matching
    /// manifest for windows…`, `no match for platform in manifest` — also
    /// when the message is cut mid-word and the cut text is a prefix of one
    /// of those wordings (`The container operati…`).
    Mismatch,
    /// The code or wording states something else: another HCS code
    /// (`0xc0370106`, `0xc0370108`, `0x57`, `0x5b4`…), another message
    /// ("Access is denied", "context deadline exceeded", "No hypervisor is
    /// present", "attach namespace failed"…), a Linux-image-on-Windows
    /// refusal, or the pre-1809 client Hyper-V-only refusal.
    Other,
    /// The text stops before any message or code (`starting container
    /// failed: hcs…`, `hcsshim::CreateComputeSystem 0123…`): the text alone
    /// cannot say why it failed.
    #[default]
    Cut,
}

impl FailureCause {
    /// `mismatch` / `other` / `cut`, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCause::Mismatch => "mismatch",
            FailureCause::Other => "other",
            FailureCause::Cut => "cut",
        }
    }
}

/// A failure message as found in the text.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Failure {
    /// The wording family; `None` for a Swarm cell cut before any wording
    /// (`starting container failed: hc…`) and for a hosting platform's own
    /// version refusal (`operation` is then `platform`: Azure App Service's
    /// `Cannot run this Operating System/Version…`, ACI's
    /// `OsVersionNotSupported`).
    pub kind: Option<FailureKind>,
    /// What the failure text itself says caused it (see [`FailureCause`]).
    pub cause: FailureCause,
    /// The HCS code as a 32-bit value in its `0xC037xxxx` form, when the text
    /// printed one or the message text identifies it.
    pub hcs_code: Option<u32>,
    /// The Windows/HCS message, e.g. "The container operating system does
    /// not match the host operating system."
    pub message: Option<String>,
    /// The failing operation: `CreateContainer`, `hcs::CreateComputeSystem`,
    /// `hcsshim::System::Start`, `pull`…
    pub operation: Option<String>,
    /// The container ID or name the message names.
    pub container: Option<String>,
    /// Image build stated by the message (`10.0.N-based image`).
    pub image_version: Option<WindowsVersion>,
    /// Host build stated by the message (`with a 10.0.M host`,
    /// `no matching manifest for windows/amd64 10.0.M`).
    pub host_version: Option<WindowsVersion>,
    /// The platform string of a manifest error, e.g. `windows(10.0.26200)/amd64/v3`.
    pub platform: Option<String>,
    /// An image reference named by the message or its wrapper.
    pub image: Option<String>,
    /// The failure happened creating the pod sandbox (pause/infra container).
    pub sandbox: bool,
    /// The failure happened at pull time.
    pub pull: bool,
    /// Wrapping layers seen around the message, outermost first
    /// (`kubelet event`, `docker service task`, `HTTP 500`, `containerd shim`…).
    pub wrappers: Vec<String>,
    /// The parsed `extra info` document, when present.
    pub hcs: Option<HcsInfo>,
    /// The message was cut (`…` or the input ended) before it was complete.
    pub truncated: bool,
    /// Timestamp of the log line or event, as printed.
    pub timestamp: Option<String>,
    /// The message text, joined across wrapped lines and unescaped, without
    /// the extra-info blob (for evidence excerpts).
    pub text: String,
    /// Set by the parser when an HCS-shaped message printed no code and is
    /// none of the parser's own known messages: the text (before the extra
    /// info) whose wording may still identify the code. The pipeline asks
    /// the knowledge table and clears it, so it is `None` in everything
    /// `analyze` sees; never serialised.
    #[serde(skip)]
    pub unidentified_text: Option<Box<str>>,
    /// Set by the parser when `cause` is `Mismatch` only because the cut
    /// message is a prefix of a mismatch wording: the cut text. The
    /// pipeline makes the cause `Cut` when the text could also start
    /// another message of the HCS code table, and clears it; never
    /// serialised.
    #[serde(skip)]
    pub unconfirmed_cut: Option<Box<str>>,
}

/// Facts about a container host (a Kubernetes node, a Swarm node, a docker
/// daemon, or the machine a `ver` ran on).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct HostFacts {
    /// Node or host name; `None` when the output does not say (`ver`).
    pub name: Option<String>,
    pub version: Option<WindowsVersion>,
    /// The text the version was read from.
    pub version_text: Option<String>,
    /// Product/OS name (`Windows Server 2022 Datacenter`, `OS Image`).
    pub os_name: Option<String>,
    /// `windows` or `linux` when stated.
    pub os_type: Option<String>,
    pub kind: Option<HostKind>,
    /// Runtime and version (`containerd://1.7.0`, `docker://20.10.9`, `Server Version`).
    pub runtime: Option<String>,
    pub default_isolation: Option<Isolation>,
    pub labels: Vec<(String, String)>,
    pub addresses: Vec<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadKind {
    Pod,
    /// A Swarm task (a row of `docker service ps`).
    Task,
    /// A Swarm service (a row of `docker service ls`).
    Service,
    /// A plain container (`docker inspect`, `docker ps`).
    Container,
}

/// A pod container, Swarm task/service or container, as described by the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    pub kind: WorkloadKind,
    /// Pod, task, service or container name.
    pub name: String,
    pub namespace: Option<String>,
    /// For pods: the container within the pod.
    pub container_name: Option<String>,
    pub node: Option<String>,
    pub image: Option<String>,
    /// Image ID or digest (`docker-pullable://…@sha256:…`).
    pub image_id: Option<String>,
    pub container_id: Option<String>,
    /// State as printed (`Running`, `Waiting`, `Failed 24 seconds ago`).
    pub state: Option<String>,
    /// Reason (`CrashLoopBackOff`, `ContainerCannotRun`, `StartError`).
    pub reason: Option<String>,
    /// Error or last-state message text, as printed.
    pub error: Option<String>,
    pub exit_code: Option<i64>,
    pub restart_count: Option<u64>,
    pub node_selector: Vec<(String, String)>,
    pub runtime_class: Option<String>,
    pub isolation: Option<Isolation>,
    /// `docker service ls` REPLICAS, e.g. `0/1`.
    pub replicas: Option<String>,
    /// The workload is (or was last seen) running.
    pub running: bool,
}

impl Workload {
    /// An empty workload of the given kind and name, for parsers to fill.
    pub fn new(kind: WorkloadKind, name: impl Into<String>) -> Self {
        Workload {
            kind,
            name: name.into(),
            namespace: None,
            container_name: None,
            node: None,
            image: None,
            image_id: None,
            container_id: None,
            state: None,
            reason: None,
            error: None,
            exit_code: None,
            restart_count: None,
            node_selector: Vec::new(),
            runtime_class: None,
            isolation: None,
            replicas: None,
            running: false,
        }
    }
}

/// A Kubernetes event (from `describe` tables, `get events` or JSON).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Event {
    /// `pod/name` or the bare object name.
    pub object: Option<String>,
    pub namespace: Option<String>,
    pub event_type: Option<String>,
    pub reason: String,
    /// `kubelet, node` / `kubelet` as printed.
    pub source: Option<String>,
    /// The node named by the source, when it names one.
    pub node: Option<String>,
    /// How many times it happened (`x151`, Count column); at least 1.
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub message: String,
}

/// Where image facts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageOrigin {
    /// `docker image inspect`.
    Inspect,
    /// `docker manifest inspect` / `buildx imagetools inspect`.
    Manifest,
    /// A Dockerfile `FROM` or `Step N/M : FROM`.
    From,
}

/// One platform entry of a manifest list.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PlatformEntry {
    pub os: Option<String>,
    pub architecture: Option<String>,
    pub os_version: Option<WindowsVersion>,
    pub os_features: Vec<String>,
    pub digest: Option<String>,
}

/// Facts about an image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageFacts {
    pub origin: ImageOrigin,
    pub reference: Option<String>,
    /// Other names: RepoTags, RepoDigests, image ID.
    pub aliases: Vec<String>,
    pub os: Option<String>,
    pub os_version: Option<WindowsVersion>,
    /// Layer digests or IDs, to recognise the same image elsewhere.
    pub layers: Vec<String>,
    pub platforms: Vec<PlatformEntry>,
}

/// A command line the input shows being run (`docker run …`, `ctr run …`),
/// or the container-creating step a helper reports (BcContainerHelper's
/// header: one `New-BcContainer` invocation per header, with the image the
/// creating step used and the isolation the helper chose).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invocation {
    /// `docker run`, `docker pull`, `docker build`, `ctr run`, `docker service create`,
    /// `New-BcContainer`, `New-NavContainer`…
    pub command: String,
    pub image: Option<String>,
    pub isolation: Option<Isolation>,
    /// `--name` or service name, when given.
    pub name: Option<String>,
    pub text: String,
}

/// Output cut by the tool that printed it (`…` in `docker service ps`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truncation {
    /// What was cut, e.g. `docker service ps ERROR column`.
    pub what: String,
    /// The command that prints it whole.
    pub suggestion: String,
    /// The cut text as printed.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The orchestrator follows the tool that prints the output: every
    /// `kubectl-*`/`kube-*` kind and kubelet's `klog` is Kubernetes, the
    /// Swarm-mode commands are Swarm (see `SectionKind::orchestrator`).
    #[test]
    fn orchestrator_follows_the_printing_tool() {
        let kubernetes = [
            SectionKind::KubectlDescribePod,
            SectionKind::KubectlDescribeNode,
            SectionKind::KubectlGetNodes,
            SectionKind::KubectlGetPods,
            SectionKind::KubectlGetEvents,
            SectionKind::KubeJson,
            SectionKind::KubeYaml,
            SectionKind::Klog,
        ];
        for kind in kubernetes {
            assert!(
                kind.as_str().starts_with("kube") || kind == SectionKind::Klog,
                "{kind:?}"
            );
            assert_eq!(
                kind.orchestrator(),
                Some(Orchestrator::Kubernetes),
                "{kind:?}"
            );
        }
        for kind in [
            SectionKind::DockerServicePs,
            SectionKind::DockerServiceLs,
            SectionKind::DockerNodeLs,
            SectionKind::DockerNodeInspect,
        ] {
            assert_eq!(kind.orchestrator(), Some(Orchestrator::Swarm), "{kind:?}");
        }
        assert_eq!(
            SectionKind::DockerCli.orchestrator(),
            Some(Orchestrator::Docker)
        );
        assert_eq!(SectionKind::DaemonLog.orchestrator(), None);
        assert_eq!(
            SectionKind::KubectlDescribeNode.display_name(),
            "kubectl describe node"
        );
        assert_eq!(SectionKind::WinEventLog.display_name(), "win-event-log");
    }
}
