//! Command-line surface (clap derive types only) and the one function that
//! turns raw flags into the resolved `Config` the rest of the program uses.
//! No other module reads clap types or the environment.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  kubectl describe pod web-0 | wincompat
  wincompat support-bundle/ logs.zip
  docker service ps --no-trunc api | wincompat --format markdown > ticket.md
  wincompat --node win-01=10.0.17763.5122 kubectl-describe-pod.txt
  wincompat check --host 10.0.20348.2227 --image mcr.microsoft.com/windows/servercore:ltsc2019
  wincompat explain 0xc0370101

Exit status:
  0  no failure found (or --exit-zero)
  1  at least one failure finding (check: the combination is blocked)
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
  wincompat check --host ltsc2019 --image ltsc2022 --isolation hyperv --format json
  wincompat check --image mcr.microsoft.com/windows/servercore:ltsc2022 nodes.txt   (per-node pre-flight)

Exit status: 0 runs, 1 blocked, 2 bad input.")]
    Check(CheckArgs),
    /// Print the compatibility matrix for one host or every host tab.
    #[command(after_help = "\
Examples:
  wincompat matrix
  wincompat matrix --host 10.0.20348
  wincompat matrix --host ltsc2025 --format json")]
    Matrix(MatrixArgs),
    /// Explain an HCS error code (0xc0370101, 0x80370101, decimal or name)
    /// or a wincompat finding code (WC101, image-older-than-host).
    #[command(after_help = "\
Examples:
  wincompat explain 0xc0370101
  wincompat explain HCS_E_IMAGE_MISMATCH
  wincompat explain image-older-than-host

Exit status: 0 known, 2 unknown code.")]
    Explain(ExplainArgs),
    /// Debugging view: every parsed record as one JSON object per line.
    #[command(after_help = "\
Examples:
  wincompat records samples/kubectl-describe-pod.txt
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

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable report with tables.
    Text,
    /// Machine-readable JSON (see README "JSON contract").
    Json,
    /// Markdown for a support ticket.
    Markdown,
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

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files, folders, .zip or .gz files to read; `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to use colours in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Replace node, pod, registry, IP, GUID and path names with stable
    /// tokens (node-1, pod-1…), keeping builds, tags and error codes.
    #[arg(long)]
    pub redact: bool,

    /// Exit 0 even when failures are found.
    #[arg(long)]
    pub exit_zero: bool,

    /// A node's Windows version the input lacks, e.g. win-01=10.0.17763.
    #[arg(long = "node", value_name = "NAME=VERSION")]
    pub nodes: Vec<String>,

    /// The host's Windows version, for inputs that come from a single host.
    #[arg(long = "host", value_name = "VERSION")]
    pub host: Option<String>,

    /// An image's Windows version, e.g. myapp:1.2=10.0.17763.
    #[arg(long = "image-version", value_name = "IMAGE=VERSION")]
    pub image_versions: Vec<String>,

    /// Text width for tables (default: the terminal's, or 100 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,
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

    /// Output format (text, json or markdown).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Node descriptions to check the image against, node by node (pre-flight).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Show only this host's tab (any version form or release name).
    #[arg(long, value_name = "VERSION")]
    pub host: Option<String>,

    /// Output format (text or json).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code: 0xc0370101, 0x80370101, 3224830209, ERROR_VMCOMPUTE_IMAGE_MISMATCH, HCS_E_IMAGE_MISMATCH, WC101…
    pub code: String,

    /// Output format (text or json).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RecordsArgs {
    /// Files, folders, .zip or .gz files to read; `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Parse the process arguments.
pub fn parse() -> Cli {
    Cli::parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
