//! Turns the parsed command line into a resolved `Config` once, runs the
//! requested command, and says which exit code the run deserves.

use crate::cli::{self, Cli, ColorChoice, Command, DocFormat, FailOn, Format, IsolationArg};
use crate::commands::{self, Outcome};
use crate::input::{self, Source};
use crate::model::finding::{FindingKind, Severity};
use crate::model::{HostKind, Isolation};
use crate::report::sarif::RuleDoc;
use crate::report::{self, ReportFormat, TextStyle};
use crate::{analyze, knowledge, pipeline};
use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// The exit code contract (README "Exit status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: nothing wrong found.
    Clean,
    /// 1: failures found / combination blocked.
    Found,
    /// 2: usage error or nothing readable.
    Error,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Found => 1,
            Exit::Error => 2,
        }
    }
}

/// Everything the analysis run needs, resolved from flags and environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub sources: Vec<Source>,
    pub format: ReportFormat,
    /// `--output-file`: where to write the report (stdout when `None`).
    pub output_file: Option<PathBuf>,
    pub redact: bool,
    /// `--fail-on` (`--exit-zero` is `never`).
    pub fail_on: FailOn,
    pub given: analyze::GivenFacts,
    /// `--resolve-images`: how to reach registries (`None`: never).
    pub registry: Option<crate::registry::Options>,
    /// Map large regular files rather than read them (`--no-mmap` turns
    /// it off).
    pub map_files: bool,
}

/// Run the parsed command line; errors are printed by `main`.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        None => {
            let config = resolve(&cli.analyze)?;
            run_analysis(&config)
        }
        // A version or release name (`--image 10.0.17763`) names no registry
        // image: the plain check answers it.
        Some(Command::Check(args))
            if args.registry.resolve_images
                && knowledge::releases::parse_version_or_release(&args.image).is_err() =>
        {
            run_check_registry(&args)
        }
        Some(Command::Check(args)) => {
            let req = commands::check::CheckRequest {
                host: args.host.clone(),
                image: args.image.clone(),
                isolation: isolation(args.isolation),
                host_kind: args.host_kind.as_deref().map(|k| {
                    if k == "client" {
                        HostKind::Client
                    } else {
                        HostKind::Server
                    }
                }),
                // PATHs only: `check` without them answers for `--host`,
                // it does not read stdin.
                sources: if args.paths.is_empty() {
                    Vec::new()
                } else {
                    sources_for(&args.paths)
                },
                format: report_format(
                    args.output.format,
                    args.output.color,
                    args.width,
                    args.output.output_file.is_some(),
                ),
                rules: compat_rule_docs(),
            };
            let worst = write_to(args.output.output_file.as_deref(), |w| {
                commands::check::run(&req, w)
            })?;
            Ok(exit_for(worst, args.fail.level()))
        }
        Some(Command::Matrix(args)) => write_to(args.output.output_file.as_deref(), |w| {
            commands::matrix::run(args.host.as_deref(), doc_format(args.output.format), w)
        })
        .map(outcome_exit),
        Some(Command::Explain(args)) => write_to(args.output.output_file.as_deref(), |w| {
            commands::explain::run(&args.code, doc_format(args.output.format), w)
        })
        .map(outcome_exit),
        Some(Command::Records(args)) => run_records(&sources_for(&args.paths)),
        Some(Command::Collect(args)) => {
            let (request, config) = resolve_collect(&args)?;
            // The collected folder is analysed exactly as `wincompat DIR`.
            let report = crate::collect::run(&request, config.redact, |dir| {
                let mut folder = config.clone();
                folder.sources = vec![Source::Path(dir.to_path_buf())];
                folder.redact = false;
                analyse(&folder)
            })?;
            finish(&config, &report)
        }
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "wincompat", &mut std::io::stdout());
            Ok(Exit::Clean)
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(Exit::Clean)
        }
    }
}

/// Run `write` on stdout (buffered), or into memory and then
/// `--output-file`'s file: a run that fails (a bad `--host`, nothing
/// readable) leaves no empty or partial file behind.
fn write_to<T>(
    file: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match file {
        Some(path) => {
            let mut buf = Vec::new();
            let value = write(&mut buf)?;
            std::fs::write(path, buf)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(value)
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let value = write(&mut w)?;
            w.flush()?;
            Ok(value)
        }
    }
}

/// The exit status for the worst severity found under `--fail-on`:
/// `error` fails on errors, `warning` on warnings too, `info` on any
/// finding, `never` never.
pub fn exit_for(worst: Option<Severity>, fail_on: FailOn) -> Exit {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return Exit::Clean,
    };
    // Severity orders Error < Warning < Info (most severe first).
    match worst {
        Some(s) if s <= threshold => Exit::Found,
        _ => Exit::Clean,
    }
}

/// SARIF rule docs for every finding code: title, explanation and public
/// sources from `knowledge`.
pub fn finding_rule_docs() -> Vec<RuleDoc> {
    FindingKind::ALL
        .into_iter()
        .map(|kind| RuleDoc {
            id: kind.code().to_owned(),
            name: kind.as_str().to_owned(),
            title: knowledge::diagnoses::title(kind).to_owned(),
            help: knowledge::diagnoses::explain(kind).to_owned(),
            sources: knowledge::diagnoses::sources(kind)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            severity: kind.severity(),
        })
        .collect()
}

/// SARIF rule docs for `check`'s compatibility rules: the rule's
/// statement and its public source.
pub fn compat_rule_docs() -> Vec<RuleDoc> {
    knowledge::rules::RuleId::ALL
        .into_iter()
        .map(|rule| RuleDoc {
            id: rule.as_str().to_owned(),
            name: rule.as_str().to_owned(),
            title: rule.statement().to_owned(),
            help: rule.statement().to_owned(),
            sources: vec![rule.source().to_owned()],
            severity: Severity::Error,
        })
        .collect()
}

fn doc_format(format: DocFormat) -> commands::DocFormat {
    match format {
        DocFormat::Text => commands::DocFormat::Text,
        DocFormat::Json => commands::DocFormat::Json,
        DocFormat::Markdown => commands::DocFormat::Markdown,
    }
}

fn outcome_exit(outcome: Outcome) -> Exit {
    match outcome {
        Outcome::Ok => Exit::Clean,
        Outcome::Problem => Exit::Found,
    }
}

fn isolation(arg: IsolationArg) -> Isolation {
    match arg {
        IsolationArg::Process => Isolation::Process,
        IsolationArg::Hyperv => Isolation::Hyperv,
    }
}

/// Paths as given; with none, stdin when it is not a terminal.
fn sources_for(paths: &[PathBuf]) -> Vec<Source> {
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            Vec::new()
        } else {
            vec![Source::Stdin]
        }
    } else {
        paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Source::Stdin
                } else {
                    Source::Path(p.clone())
                }
            })
            .collect()
    }
}

/// Resolve the analysis flags into a `Config` (the only place that reads
/// `NO_COLOR` and asks whether stdout is a terminal).
pub fn resolve(args: &cli::AnalyzeArgs) -> anyhow::Result<Config> {
    let sources = sources_for(&args.paths);
    if sources.is_empty() {
        anyhow::bail!(
            "no input: give files or folders to read, or pipe output into wincompat (try `wincompat --help`)"
        );
    }
    let r = &args.report;
    let mut format = report_format(
        r.output.format,
        r.output.color,
        r.width,
        r.output.output_file.is_some(),
    );
    if let ReportFormat::Text(style) = &mut format {
        style.explain = r.explain;
    }
    let mut given = analyze::GivenFacts::default();
    for spec in &args.nodes {
        let (name, version) = spec
            .split_once('=')
            .with_context(|| format!("--node {spec:?}: expected NAME=VERSION"))?;
        let version = knowledge::releases::parse_version_or_release(version)
            .with_context(|| format!("--node {spec:?}: cannot read the version"))?;
        given.nodes.push((name.trim().to_owned(), version));
    }
    if let Some(host) = &args.host {
        given.host = Some(
            knowledge::releases::parse_version_or_release(host)
                .with_context(|| format!("--host {host:?}: cannot read the version"))?,
        );
    }
    for spec in &args.image_versions {
        let (image, version) = spec
            .rsplit_once('=')
            .with_context(|| format!("--image-version {spec:?}: expected IMAGE=VERSION"))?;
        let version = knowledge::releases::parse_version_or_release(version)
            .with_context(|| format!("--image-version {spec:?}: cannot read the version"))?;
        given.images.push((image.trim().to_owned(), version));
    }
    Ok(Config {
        sources,
        format,
        output_file: r.output.output_file.clone(),
        redact: r.redact,
        fail_on: r.fail.level(),
        given,
        registry: registry_options(&args.registry),
        map_files: !args.no_mmap,
    })
}

/// Registry access for `--resolve-images` (`None` without it): the only
/// place that reads `XDG_CACHE_HOME`, `HOME` and `DOCKER_CONFIG`.
pub fn registry_options(args: &cli::RegistryArgs) -> Option<crate::registry::Options> {
    if !args.resolve_images {
        return None;
    }
    let env_path = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = env_path("HOME");
    Some(crate::registry::Options {
        offline: args.offline,
        insecure: args.insecure_registries.clone(),
        timeout: std::time::Duration::from_secs(args.registry_timeout.max(1)),
        cache_root: env_path("XDG_CACHE_HOME").or_else(|| home.as_ref().map(|h| h.join(".cache"))),
        docker_config: env_path("DOCKER_CONFIG")
            .or_else(|| home.as_ref().map(|h| h.join(".docker"))),
        tag_ttl: crate::registry::TAG_TTL,
    })
}

/// `check --image REF --resolve-images [--host V | PATH…]`.
fn run_check_registry(args: &cli::CheckArgs) -> anyhow::Result<Exit> {
    let format = match args.output.format {
        Format::Text => commands::DocFormat::Text,
        Format::Json => commands::DocFormat::Json,
        Format::Markdown => commands::DocFormat::Markdown,
        Format::Sarif | Format::Github => anyhow::bail!(
            "-o {} is not available with --resolve-images (its answer names registry entries, not lines of an input); use -o text, json or markdown",
            if args.output.format == Format::Sarif { "sarif" } else { "github" }
        ),
    };
    let opts = registry_options(&args.registry).context("--resolve-images")?;
    let mut hosts = Vec::new();
    let kind = args.host_kind.as_deref().map(|k| {
        if k == "client" {
            HostKind::Client
        } else {
            HostKind::Server
        }
    });
    if let Some(host) = &args.host {
        let version = knowledge::releases::parse_version_or_release(host)
            .with_context(|| format!("--host {host:?}: cannot read the version"))?;
        hosts.push(commands::check_registry::HostSpec {
            name: "--host".to_owned(),
            version,
            kind,
        });
    }
    if !args.paths.is_empty() {
        let set = read_inputs(&sources_for(&args.paths), true);
        for err in &set.errors {
            eprintln!("wincompat: {}: {}", err.name, err.message);
        }
        for (name, version, kind) in analyze::windows_nodes(&set.parsed) {
            hosts.push(commands::check_registry::HostSpec {
                name,
                version,
                kind,
            });
        }
    }
    if hosts.is_empty() {
        anyhow::bail!(
            "give --host VERSION or node descriptions (PATH…) to check the image against"
        );
    }
    let resolution = crate::registry::resolve(std::slice::from_ref(&args.image), &opts);
    let Some(image) = resolution.images.first() else {
        let why = resolution.warnings.join("; ");
        anyhow::bail!(
            "{why} (without --resolve-images, check reads the build from the tag, or give --image VERSION)"
        );
    };
    for w in &resolution.warnings {
        eprintln!("wincompat: registry: {w}");
    }
    let outcome = write_to(args.output.output_file.as_deref(), |w| {
        commands::check_registry::run(image, &hosts, isolation(args.isolation), format, w)
    })?;
    let worst = (outcome == Outcome::Problem).then_some(Severity::Error);
    Ok(exit_for(worst, args.fail.level()))
}

/// The report format with, for text, the colour, charset and width
/// decision: colour when `--color always`, or `auto` and stdout is a
/// terminal and neither `NO_COLOR` nor `TERM=dumb` is set; plain ASCII
/// for `NO_COLOR`, `TERM=dumb` or a non-UTF-8 locale
/// (`report::terminal`); width as given, else the terminal's, else
/// 100. Output to a file (`to_file`) is never a terminal.
fn report_format(
    format: Format,
    color: ColorChoice,
    width: Option<u16>,
    to_file: bool,
) -> ReportFormat {
    let stdout_tty = !to_file && std::io::stdout().is_terminal();
    let forced = match color {
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
        ColorChoice::Auto => None,
    };
    let terminal = term_env().decide(forced, stdout_tty);
    let width = width.unwrap_or_else(|| {
        if stdout_tty {
            terminal_width().unwrap_or(100)
        } else {
            100
        }
    });
    match format {
        Format::Text => ReportFormat::Text(TextStyle {
            color: terminal.color,
            charset: terminal.charset,
            ..TextStyle::plain(width)
        }),
        Format::Json => ReportFormat::Json,
        Format::Markdown => ReportFormat::Markdown,
        Format::Sarif => ReportFormat::Sarif,
        Format::Github => ReportFormat::Github,
    }
}

/// The variables `report::terminal` decides colour and charset from
/// (`TERM`, `NO_COLOR`, the locale), read once here.
fn term_env() -> report::terminal::TermEnv {
    let var = |name: &str| std::env::var(name).ok();
    report::terminal::TermEnv {
        term: var("TERM"),
        no_color: var("NO_COLOR"),
        lc_all: var("LC_ALL"),
        lc_ctype: var("LC_CTYPE"),
        lang: var("LANG"),
    }
}

/// The terminal's width (comfy-table asks the terminal when stdout is one),
/// else `COLUMNS` as the shell exports it.
fn terminal_width() -> Option<u16> {
    comfy_table::Table::new()
        .width()
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .map(|w| w.clamp(60, 400))
}

/// Read, parse and analyse every input, then render the report. With
/// `--redact`, the warnings for stderr go through the report's token map
/// (issue 15: `skipped NAME` named the input), so they are printed after
/// the analysis rather than while reading.
pub fn run_analysis(config: &Config) -> anyhow::Result<Exit> {
    let mut notices = Vec::new();
    let analysed = analyse_noting(config, &mut notices);
    let analysed = match analysed {
        Ok(mut report) => {
            if config.redact {
                report::redact::redact_with_texts(
                    &mut report,
                    &report::redact::KnownNames::default(),
                    &mut notices,
                );
            }
            Ok(report)
        }
        Err((err, names)) => {
            if config.redact {
                report::redact::redact_lines(&Default::default(), &names, &mut notices);
            }
            Err(err)
        }
    };
    for notice in &notices {
        eprintln!("wincompat: {notice}");
    }
    finish(config, &analysed?)
}

/// Read, parse and analyse every input (not redacted: the caller decides);
/// warnings go to stderr as they come.
pub fn analyse(config: &Config) -> anyhow::Result<crate::model::finding::Report> {
    let mut notices = Vec::new();
    let analysed = analyse_noting(config, &mut notices);
    for notice in &notices {
        eprintln!("wincompat: {notice}");
    }
    analysed.map_err(|(err, _)| err)
}

/// [`analyse`], with the lines for stderr (without the `wincompat: `
/// prefix) added to `notices`; on failure, also the names of the inputs
/// that could not be read (what the notices name).
fn analyse_noting(
    config: &Config,
    notices: &mut Vec<String>,
) -> Result<crate::model::finding::Report, (anyhow::Error, Vec<String>)> {
    let set = read_inputs(&config.sources, config.map_files);
    for err in set.errors.iter() {
        notices.push(format!("{}: {}", err.name, err.message));
    }
    for skip in set.skipped.iter() {
        notices.push(format!("skipped {}: {}", skip.name, skip.message));
    }
    if set.parsed.is_empty() {
        let names = set.errors.iter().map(|e| e.name.clone());
        let names = names.chain(set.skipped.iter().map(|s| s.name.clone()));
        return Err((anyhow::anyhow!("nothing could be read"), names.collect()));
    }
    let mut parsed = set.parsed;
    for err in &set.errors {
        parsed.push(crate::model::ParsedInput {
            name: err.name.clone(),
            warnings: vec![format!("could not be read: {}", err.message)],
            ..Default::default()
        });
    }
    for skip in &set.skipped {
        parsed.push(crate::model::ParsedInput {
            name: skip.name.clone(),
            warnings: vec![format!("skipped: {}", skip.message)],
            ..Default::default()
        });
    }
    let mut given = config.given.clone();
    if let Some(opts) = &config.registry {
        let wanted = analyze::images_to_resolve(&parsed, &given);
        let resolution = crate::registry::resolve(&wanted, opts);
        for w in &resolution.warnings {
            notices.push(format!("registry: {w}; the analysis goes on without it"));
        }
        // In the report too, the way unreadable inputs are: one entry whose
        // warnings say what the registries refused.
        if !resolution.warnings.is_empty() {
            parsed.push(crate::model::ParsedInput {
                name: "registry (--resolve-images)".to_owned(),
                warnings: resolution.warnings.clone(),
                ..Default::default()
            });
        }
        given.registry_images = resolution.images;
    }
    Ok(analyze::analyze(&parsed, &given))
}

/// Render `report` where the config says and turn it into the exit code.
pub fn finish(config: &Config, report: &crate::model::finding::Report) -> anyhow::Result<Exit> {
    let worst = report.findings.iter().map(|f| f.severity).min();
    let rules = if config.format == ReportFormat::Sarif {
        finding_rule_docs()
    } else {
        Vec::new()
    };
    write_to(config.output_file.as_deref(), |w| {
        report::render_with_rules(report, config.format, &rules, w)?;
        Ok(())
    })?;
    Ok(exit_for(worst, config.fail_on))
}

/// `wincompat records`: one JSON object per record.
fn run_records(sources: &[Source]) -> anyhow::Result<Exit> {
    if sources.is_empty() {
        anyhow::bail!("no input: give files or folders to read, or pipe output in");
    }
    let set = read_inputs(sources, true);
    for err in &set.errors {
        eprintln!("wincompat: {}: {}", err.name, err.message);
    }
    if set.parsed.is_empty() {
        anyhow::bail!("nothing could be read");
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for parsed in &set.parsed {
        for section in &parsed.sections {
            let line = serde_json::json!({"input": parsed.name, "section": section});
            writeln!(w, "{line}")?;
        }
        for record in &parsed.records {
            let line = serde_json::json!({"input": parsed.name, "record": record});
            writeln!(w, "{line}")?;
        }
        for warning in &parsed.warnings {
            let line = serde_json::json!({"input": parsed.name, "warning": warning});
            writeln!(w, "{line}")?;
        }
    }
    w.flush()?;
    Ok(Exit::Clean)
}

/// Inputs larger than this (all files together) get a progress bar.
const PROGRESS_MIN_BYTES: u64 = 64 * 1024 * 1024;

/// Read and parse the sources (in parallel over files, large inputs
/// streamed; see `pipeline`), with a progress bar on stderr when it is
/// a terminal, the input is large and `CI` is unset. `map_files`: large
/// regular files are mapped rather than read (`input::mapped`).
pub fn read_inputs(sources: &[Source], map_files: bool) -> pipeline::Collected {
    let plan = input::plan(sources);
    let total: u64 = plan
        .iter()
        .filter_map(|p| match p {
            input::Planned::File { path, .. } => std::fs::metadata(path).ok(),
            _ => None,
        })
        .map(|m| m.len())
        .sum();
    let show = total > PROGRESS_MIN_BYTES
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none();
    let mut opts = pipeline::PipelineOptions::default();
    opts.open.map_files = map_files;
    if !show {
        return pipeline::read_plan(&plan, &opts, &|_| {});
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bytes}/{total_bytes} {wide_bar} {binary_bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    let collected = pipeline::read_plan(&plan, &opts, &|n| bar.inc(n));
    bar.finish_and_clear();
    collected
}

/// Resolve `wincompat collect …` (and `kubectl wincompat …`) into what to
/// collect and the report configuration of the analysis that follows.
fn resolve_collect(args: &cli::CollectArgs) -> anyhow::Result<(crate::collect::Request, Config)> {
    use crate::collect::{docker, kubernetes, Source as From};
    use cli::CollectFrom;
    let (source, common) = match &args.from {
        CollectFrom::Kubernetes(k) => (
            From::Kubernetes(kubernetes::KubeRequest {
                context: k.context.clone(),
                kubeconfig: k.kubeconfig.clone(),
                namespace: k.namespace.clone(),
                all_namespaces: k.all_namespaces,
                targets: k.targets.clone(),
            }),
            &k.common,
        ),
        CollectFrom::Docker(d) => (
            From::Docker(docker::DockerRequest {
                host: d.daemon.host.clone(),
                context: d.daemon.context.clone(),
            }),
            &d.common,
        ),
        CollectFrom::Swarm(s) => (
            From::Swarm(docker::SwarmRequest {
                daemon: docker::DockerRequest {
                    host: s.daemon.host.clone(),
                    context: s.daemon.context.clone(),
                },
                services: s.services.clone(),
            }),
            &s.common,
        ),
    };
    // The analysis flags start from their defaults (parsed, so a flag added
    // to AnalyzeArgs later needs no change here); the folder to read
    // replaces the placeholder source once it is collected.
    let mut analysis = <Cli as clap::Parser>::try_parse_from(["wincompat", "."])?.analyze;
    analysis.report = common.report.clone();
    analysis.registry = common.registry.clone();
    let config = resolve(&analysis)?;
    let request = crate::collect::Request {
        source,
        timeout: std::time::Duration::from_secs(common.timeout.max(1)),
        save: common.save.clone(),
        progress: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
    };
    Ok((request, config))
}
