//! Command-line surface (clap derive types only) and the one function that
//! turns raw flags into the resolved `Config` the rest of the program uses.
//! No other module reads clap types or the environment.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  kubectl describe pod web-0 | wincompat
  wincompat support-bundle/ logs.zip
  docker service ps --no-trunc api | wincompat -o markdown > ticket.md
  wincompat -o sarif --output-file wincompat.sarif --fail-on warning logs/   (CI)
  wincompat --node win-01=10.0.17763.5122 kubectl-describe-pod.txt
  wincompat --resolve-images docker-run.txt      (read image builds from their registry)
  wincompat check --host 10.0.20348.2227 --image mcr.microsoft.com/windows/servercore:ltsc2019
  wincompat explain 0xc0370101

Exit status:
  0  nothing at or above the --fail-on level found (--fail-on never: always)
  1  a finding at or above the --fail-on level (default: an error finding)
  2  usage error, or no input could be read";

/// Find Windows container OS-version mismatches (HCS 0xc0370101) in pasted
/// output and logs, and say what to do about them.
///
/// Reads `docker service ps --no-trunc`, `kubectl describe pod/node`,
/// `docker info`, daemon/kubelet/CI logs and support bundles (folders, .zip,
/// .gz; UTF-8 or UTF-16). With no PATH and piped input it reads stdin.
#[derive(Debug, Parser)]
#[command(name = "wincompat", version, after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub analyze: AnalyzeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Will this image run on this host? A verdict with the rule and its source.
    #[command(after_help = "\
Examples:
  wincompat check --host 10.0.26100.1742 --image mcr.microsoft.com/windows/servercore:ltsc2022
  wincompat check --host \"10.0 14393 (14393.1914.amd64fre.rs1_release_inmarket.171101-1800)\" \\
      --image mcr.microsoft.com/windows/servercore:10.0.14393.1944
  wincompat check --host ltsc2019 --image ltsc2022 --isolation hyperv -o json
  wincompat check --image mcr.microsoft.com/windows/servercore:ltsc2022 nodes.txt   (per-node pre-flight)
  wincompat check --image web:1.0-ltsc2022 -o sarif --output-file check.sarif nodes.txt   (CI gate)
  wincompat check --image contoso.azurecr.io/web:1.0 --resolve-images --host 10.0.20348   (builds from the registry)

Exit status: 0 runs, 1 blocked (or, with --fail-on warning, a verdict
unknown; --fail-on never: always 0), 2 bad input.")]
    Check(CheckArgs),
    /// Print the compatibility matrix for one host or every host tab.
    #[command(after_help = "\
Examples:
  wincompat matrix
  wincompat matrix --host 10.0.20348
  wincompat matrix --host ltsc2025 -o json
  wincompat matrix -o markdown > matrix.md")]
    Matrix(MatrixArgs),
    /// Explain an HCS error code (0xc0370101, 0x80370101, decimal or name)
    /// or a wincompat finding code (WC101, image-older-than-host).
    #[command(after_help = "\
Examples:
  wincompat explain 0xc0370101
  wincompat explain HCS_E_IMAGE_MISMATCH
  wincompat explain -1070137087            (the signed form some tools print)
  wincompat explain image-older-than-host -o markdown

Exit status: 0 known, 2 unknown code.")]
    Explain(ExplainArgs),
    /// Run your own kubectl or docker (read-only), save what they print,
    /// and analyse it: the facts a pasted error lacks, fetched for you.
    #[command(after_help = COLLECT_AFTER_HELP)]
    Collect(CollectArgs),
    /// Debugging view: every parsed record as one JSON object per line.
    #[command(after_help = "\
Examples:
  wincompat records samples/k8s-sandbox/kubectl-describe-pod-iis-frontend-7c5f9d6b8-9hxrt.txt
  kubectl get events -A | wincompat records -")]
    Records(RecordsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  wincompat completions bash > /etc/bash_completion.d/wincompat"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    #[command(after_help = "Example:\n  wincompat man > wincompat.1")]
    Man,
}

const COLLECT_AFTER_HELP: &str = "\
Examples:
  wincompat collect kubernetes -n shop                 (all pods of a namespace)
  wincompat collect kubernetes --context prod -A --save bundle/
  wincompat collect kubernetes -n shop deploy/web      (one workload's pods)
  kubectl wincompat -n shop                            (the same, as a kubectl plugin)
  wincompat collect docker --save bundle/ --redact     (a Docker host; safe to share)
  wincompat collect swarm api web                      (Swarm services, from a manager)
  wincompat bundle/                                    (the saved folder, analysed again)

Only read-only commands are run (kubectl version/get/describe; docker
version/info/ps/inspect/node ls/service ls/ps/inspect), each with a timeout.
A command that fails (forbidden, timed out, not installed) is a warning that
names it and what it cost the diagnosis; the rest is analysed.

Exit status: as for the analysis (0 clean, 1 a finding at or above
--fail-on); 2 when nothing could be collected.";

/// `wincompat collect`: which client to run.
#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(subcommand)]
    pub from: CollectFrom,
}

#[derive(Debug, Subcommand)]
pub enum CollectFrom {
    /// Run kubectl: nodes, pods, events, RuntimeClasses as JSON, and
    /// `describe` of the failing pods.
    #[command(after_help = "\
Examples:
  wincompat collect kubernetes -n shop
  wincompat collect kubernetes --context prod --kubeconfig ~/.kube/prod -A
  wincompat collect kubernetes -n shop deploy/web pod/web-0 --save bundle/
  kubectl wincompat -n shop      (installed as kubectl-wincompat)")]
    Kubernetes(CollectKubernetesArgs),
    /// Run docker against one host: version, info, `ps -a --no-trunc`,
    /// `inspect` of the stopped containers and their images.
    #[command(after_help = "\
Examples:
  wincompat collect docker
  wincompat collect docker --host tcp://win-01:2376 --save bundle/
  wincompat collect docker --context win-build -o markdown > ticket.md")]
    Docker(CollectDockerArgs),
    /// Run docker against a Swarm manager: nodes (`node ls`, `node inspect`)
    /// and services (`service ps --no-trunc`, `service inspect`).
    #[command(after_help = "\
Examples:
  wincompat collect swarm                  (every service)
  wincompat collect swarm api web --save bundle/")]
    Swarm(CollectSwarmArgs),
}

#[derive(Debug, Args)]
pub struct CollectKubernetesArgs {
    /// kubectl context to use (default: the current context).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// kubeconfig file to use (default: kubectl's: $KUBECONFIG or ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// Namespace of the pods and events (default: the context's).
    #[arg(long, short = 'n', value_name = "NAME")]
    pub namespace: Option<String>,

    /// Pods and events of every namespace.
    #[arg(long, short = 'A', conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// What to look at: pods (default), nodes, pod/NAME, deploy/NAME,
    /// ds/NAME, sts/NAME, rs/NAME, job/NAME, or a pod name.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    #[command(flatten)]
    pub common: CollectCommonArgs,
}

#[derive(Debug, Args)]
pub struct CollectDaemonArgs {
    /// Docker daemon to talk to (docker's -H, e.g. tcp://win-01:2376).
    #[arg(long, short = 'H', value_name = "HOST", conflicts_with = "context")]
    pub host: Option<String>,

    /// docker context to use (default: docker's current context).
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
}

#[derive(Debug, Args)]
pub struct CollectDockerArgs {
    #[command(flatten)]
    pub daemon: CollectDaemonArgs,

    #[command(flatten)]
    pub common: CollectCommonArgs,
}

#[derive(Debug, Args)]
pub struct CollectSwarmArgs {
    #[command(flatten)]
    pub daemon: CollectDaemonArgs,

    /// Services to look at (default: every service).
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,

    #[command(flatten)]
    pub common: CollectCommonArgs,
}

/// What every collector shares: where to save, how long to wait, and the
/// report flags of the analysis.
#[derive(Debug, Args)]
pub struct CollectCommonArgs {
    /// Keep every command's output in DIR (one file per command, named after
    /// it, plus manifest.json); `wincompat DIR` analyses it again.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Give up on one command after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Report format of the analysis, `collect` and `check` (`-o`, as
/// kubectl's: the value is a format, never a file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable report with tables.
    Text,
    /// Machine-readable JSON (see README "JSON contract").
    Json,
    /// Markdown for a support ticket.
    Markdown,
    /// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (::error file=…,line=…::…).
    Github,
}

/// Format of `matrix` and `explain`, which have no findings to locate in
/// a file (so no SARIF or annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Human-readable text.
    Text,
    /// Machine-readable JSON with `schema_version`.
    Json,
    /// Markdown.
    Markdown,
}

/// The least severe finding that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on an error finding (a container that cannot start; check: a
    /// blocked verdict). The default.
    Error,
    /// Exit 1 on an error or a warning finding (a risk such as nodes of
    /// mixed builds without a selector; check: also an unknown verdict).
    Warning,
    /// Exit 1 on any finding, info included (e.g. truncated evidence).
    Info,
    /// Always exit 0 when the run worked (the old --exit-zero).
    Never,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationArg {
    /// Process isolation (shares the host kernel; the default on Windows Server).
    Process,
    /// Hyper-V isolation (a utility VM with the image's kernel).
    Hyperv,
}

/// How the analysis report is written: shared by the analysis and
/// `collect` (which analyses what it collected the same way).
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub output: OutputArgs,

    /// Replace node, pod, registry, IP, GUID and path names with stable
    /// tokens (node-1, pod-1…), keeping builds, tags and error codes; with
    /// `collect`, in its --save files too.
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub fail: FailArgs,

    /// Text width for tables (default: the terminal's, or 100 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,

    /// Text report: add each finding's rule and its source, the evidence
    /// lines, the fixes that do not apply and why, and the node table
    /// (Markdown and JSON always have them).
    #[arg(long, short = 'v', visible_alias = "verbose")]
    pub explain: bool,
}

/// `-o FORMAT`, `--output-file FILE` and `--color`: the same on every
/// command that writes a report of findings or verdicts.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format (as kubectl's -o: a format, never a file name; to
    /// write a file add --output-file).
    #[arg(
        long = "output",
        short = 'o',
        visible_alias = "format",
        short_alias = 'f',
        value_name = "FORMAT",
        value_enum,
        default_value_t = Format::Text
    )]
    pub format: Format,

    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// When to use colours in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `matrix` and `explain`: `-o text|json|markdown` and `--output-file`.
#[derive(Debug, Clone, Args)]
pub struct DocOutputArgs {
    /// Output format (as kubectl's -o; to write a file add --output-file).
    #[arg(
        long = "output",
        short = 'o',
        visible_alias = "format",
        short_alias = 'f',
        value_name = "FORMAT",
        value_enum,
        default_value_t = DocFormat::Text
    )]
    pub format: DocFormat,

    /// Write the output to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// The exit-status threshold.
#[derive(Debug, Clone, Args)]
pub struct FailArgs {
    /// Exit 1 when a finding of this severity or worse is found: error
    /// (default; a container that cannot start, check: blocked), warning
    /// (also risks, check: also unknown), info (any finding), never.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Exit 0 even when failures are found (the same as --fail-on never).
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
}

impl FailArgs {
    /// The threshold: `--fail-on`, `never` for `--exit-zero`, else `error`.
    pub fn level(&self) -> FailOn {
        match (self.fail_on, self.exit_zero) {
            (Some(level), _) => level,
            (None, true) => FailOn::Never,
            (None, false) => FailOn::Error,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, folders, .zip or .gz files to read; `-` for stdin. An archive
    /// yields at most 1 GiB decompressed and 10,000 members.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,

    /// A node's Windows version the input lacks, e.g. win-01=10.0.17763.
    #[arg(long = "node", value_name = "NAME=VERSION")]
    pub nodes: Vec<String>,

    /// The host's Windows version, for inputs that come from a single host.
    #[arg(long = "host", value_name = "VERSION")]
    pub host: Option<String>,

    /// An image's Windows version, e.g. myapp:1.2=10.0.17763.
    #[arg(long = "image-version", value_name = "IMAGE=VERSION")]
    pub image_versions: Vec<String>,

    /// Read large files instead of mapping them into memory. Mapping is
    /// faster; a file truncated while it is mapped (a log rotated in place,
    /// logrotate's copytruncate) ends wincompat with SIGBUS.
    #[arg(long)]
    pub no_mmap: bool,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Reading image builds from registries (issue 12). Off by default: without
/// `--resolve-images` wincompat makes no network connection.
#[derive(Debug, Clone, Default, Args)]
pub struct RegistryArgs {
    /// Read the Windows build of images the input does not state from their
    /// registry's manifest (network; uses your Docker credentials).
    #[arg(long, help_heading = "Registry")]
    pub resolve_images: bool,

    /// Never use the network, even with --resolve-images: answer from the
    /// cache only.
    #[arg(long, help_heading = "Registry")]
    pub offline: bool,

    /// Reach this registry over plain HTTP (loopback registries always are).
    #[arg(
        long = "insecure-registry",
        value_name = "HOST[:PORT]",
        help_heading = "Registry"
    )]
    pub insecure_registries: Vec<String>,

    /// Seconds to wait for each registry request.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10,
        help_heading = "Registry"
    )]
    pub registry_timeout: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Host version in any form (10.0.17763.1577, a kernel string, ltsc2022, Windows Server 2019).
    #[arg(long, value_name = "VERSION")]
    pub host: Option<String>,

    /// Image reference or version (mcr.microsoft.com/windows/servercore:ltsc2019, 10.0.17763).
    #[arg(long, value_name = "IMAGE-OR-VERSION")]
    pub image: String,

    /// Isolation mode to check.
    #[arg(long, value_enum, default_value_t = IsolationArg::Process)]
    pub isolation: IsolationArg,

    /// Treat the host as a client (Windows 10/11) or server SKU when the version alone cannot tell.
    #[arg(long, value_name = "KIND", value_parser = ["server", "client"])]
    pub host_kind: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub fail: FailArgs,

    /// Text width for tables (default: the terminal's, or 100 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,

    /// Node descriptions to check the image against, node by node (pre-flight).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Show only this host's tab (any version form or release name).
    #[arg(long, value_name = "VERSION")]
    pub host: Option<String>,

    #[command(flatten)]
    pub output: DocOutputArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code: 0xc0370101, 0x80370101, 3224830209, -1070137087, ERROR_VMCOMPUTE_IMAGE_MISMATCH, HCS_E_IMAGE_MISMATCH, WC101…
    #[arg(allow_negative_numbers = true)]
    pub code: String,

    #[command(flatten)]
    pub output: DocOutputArgs,
}

#[derive(Debug, Args)]
pub struct RecordsArgs {
    /// Files, folders, .zip or .gz files to read; `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Parse the process arguments. Installed as `kubectl-wincompat` (a
/// symlink or copy; kubectl runs it for `kubectl wincompat …`), the
/// arguments are those of `wincompat collect kubernetes`, whose flags are
/// kubectl's own (`--context`, `--kubeconfig`, `-n`, `-A`).
pub fn parse() -> Cli {
    let argv0 = std::env::args_os().next().unwrap_or_default();
    if !is_kubectl_plugin_name(argv0.as_ref()) {
        return Cli::parse();
    }
    let plugin = KubectlPlugin::parse();
    Cli {
        command: Some(Command::Collect(CollectArgs {
            from: CollectFrom::Kubernetes(plugin.collect),
        })),
        // Not read when a command is given; the defaults.
        analyze: Cli::parse_from(["wincompat"]).analyze,
    }
}

/// Find Windows container OS-version mismatches (HCS 0xc0370101) in the
/// cluster.
///
/// Runs your kubectl, read-only, for node builds, pods, events,
/// RuntimeClasses and `describe` of the failing pods, and analyses what it
/// printed. The `wincompat` binary, started as `kubectl-wincompat`.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-wincompat",
    bin_name = "kubectl wincompat",
    version,
    after_help = "\
Examples:
  kubectl wincompat -n shop
  kubectl wincompat --context prod -A --save bundle/
  kubectl wincompat -n shop deploy/web -o markdown > ticket.md

The same as `wincompat collect kubernetes`; `wincompat --help` for the rest.
Exit status: 0 clean, 1 failures found (see --fail-on), 2 nothing could be
collected."
)]
struct KubectlPlugin {
    #[command(flatten)]
    collect: CollectKubernetesArgs,
}

/// Was the binary started as `kubectl-wincompat` (`.exe` on Windows)?
pub fn is_kubectl_plugin_name(argv0: &std::path::Path) -> bool {
    argv0
        .file_stem()
        .is_some_and(|stem| stem.eq_ignore_ascii_case("kubectl-wincompat"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
        KubectlPlugin::command().debug_assert();
    }

    #[test]
    fn kubectl_plugin_name_is_recognised_by_file_stem() {
        use std::path::Path;
        assert!(is_kubectl_plugin_name(Path::new(
            "/usr/local/bin/kubectl-wincompat"
        )));
        assert!(is_kubectl_plugin_name(Path::new("kubectl-wincompat.exe")));
        assert!(!is_kubectl_plugin_name(Path::new("/usr/bin/wincompat")));
    }
}
