//! `wincompat collect kubernetes|docker|swarm` (and `kubectl wincompat`):
//! run the user's own `kubectl` or `docker` client, read-only, with
//! timeouts; save every command's output as a file named after the command
//! plus `manifest.json`; then analyse that folder through exactly the path
//! `wincompat DIR` takes, so a live run and a run on its saved folder give
//! the same findings by construction.
//!
//! The collectors (`kubernetes.rs`, `docker.rs`) decide which follow-up
//! commands to run from the JSON they already have (serde_json, in their own
//! code). This module must not know how findings are made: it hands the
//! folder to the analysis `app` gives it and returns the report for `app`
//! to render. Failures are partial:
//! each failed command is a warning that names it and what it cost the
//! diagnosis; only a run that collected nothing is an error.

pub mod docker;
pub mod kubernetes;
pub mod runner;
pub mod save;

use crate::model::finding::Report;
use crate::report;
use anyhow::Context;
use runner::{Ran, Status};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What to collect and how, resolved from the flags by `app`.
#[derive(Debug, Clone)]
pub struct Request {
    pub source: Source,
    /// Per command.
    pub timeout: Duration,
    /// Keep the collected files in this folder.
    pub save: Option<PathBuf>,
    /// Draw a spinner on stderr (stderr is a terminal and `CI` is unset).
    pub progress: bool,
}

#[derive(Debug, Clone)]
pub enum Source {
    Kubernetes(kubernetes::KubeRequest),
    Docker(docker::DockerRequest),
    Swarm(docker::SwarmRequest),
}

impl Source {
    fn name(&self) -> &'static str {
        match self {
            Source::Kubernetes(_) => "kubernetes",
            Source::Docker(_) => "docker",
            Source::Swarm(_) => "swarm",
        }
    }
}

/// Whether a command's stdout becomes a file of the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Evidence for the analysis: saved as `<command>.txt`.
    File,
    /// Only used to plan the next commands (`docker ps -q`): listed in the
    /// manifest, not saved.
    PlanOnly,
}

/// One command run during a collection.
#[derive(Debug)]
pub struct Step {
    pub ran: Ran,
    pub file: Option<String>,
    /// `program words…` without the connection flags: what the file is
    /// named after.
    pub name_words: Vec<String>,
}

/// The state of one collection: the commands run so far, their files, the
/// warnings, the spinner.
pub struct Session {
    timeout: Duration,
    spinner: Option<indicatif::ProgressBar>,
    names: save::Names,
    pub steps: Vec<Step>,
    pub files: Vec<(String, String)>,
    pub warnings: Vec<String>,
    pub clients: Vec<save::ClientVersion>,
    /// Names the collector saw (nodes, `ns/pod`s, services, container IDs),
    /// for `--redact` of the saved files.
    pub known: report::redact::KnownNames,
}

impl Session {
    fn new(timeout: Duration, progress: bool) -> Session {
        let spinner = progress.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Session {
            timeout,
            spinner,
            names: save::Names::default(),
            steps: Vec::new(),
            files: Vec::new(),
            warnings: Vec::new(),
            clients: Vec::new(),
            known: report::redact::KnownNames::default(),
        }
    }

    /// Run `program [connection…] words…`; the file is named after
    /// `program words…` (connection flags such as `--context` are not part
    /// of the name). When the command does not succeed, a warning names it
    /// and says what it costs: `cost` (e.g. "node builds unknown").
    pub fn run(
        &mut self,
        program: &str,
        connection: &[String],
        words: &[String],
        keep: Keep,
        cost: &str,
    ) -> &Ran {
        let mut argv = vec![program.to_owned()];
        argv.extend(connection.iter().cloned());
        argv.extend(words.iter().cloned());
        if let Some(bar) = &self.spinner {
            bar.set_message(format!("running {}", argv.join(" ")));
        }
        let ran = runner::run(&argv, self.timeout);
        let mut file = None;
        let mut name_words = vec![program.to_owned()];
        name_words.extend(words.iter().cloned());
        if keep == Keep::File && !ran.stdout.iter().all(u8::is_ascii_whitespace) {
            let name = self.names.claim(&save::file_stem(&name_words));
            self.files.push((
                name.clone(),
                String::from_utf8_lossy(&ran.stdout).into_owned(),
            ));
            file = Some(name);
        }
        if !ran.ok() && !cost.is_empty() {
            let partial = if file.is_some() {
                " (its partial output is kept)"
            } else {
                ""
            };
            self.warnings.push(format!(
                "{cost}: `{}` {}{partial}",
                ran.command_line(),
                failure_words(&ran)
            ));
        }
        self.steps.push(Step {
            ran,
            file,
            name_words,
        });
        &self.steps[self.steps.len() - 1].ran
    }

    /// Did the last command fail because the client is not installed?
    pub fn client_missing(&self) -> bool {
        self.steps
            .last()
            .is_some_and(|s| matches!(s.ran.status, Status::NotStarted(_)))
    }

    /// Drop the last command's file: its output says only that the client
    /// could not reach the server (`docker version` prints its `Client:`
    /// half then), which is no evidence.
    pub fn discard_last_file(&mut self) {
        if let Some(step) = self.steps.last_mut() {
            if let Some(name) = step.file.take() {
                self.files.retain(|(n, _)| *n != name);
            }
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.spinner.take() {
            bar.finish_and_clear();
        }
    }
}

/// `failed (exit status 1: Error from server (Forbidden): …)`.
fn failure_words(ran: &Ran) -> String {
    match &ran.status {
        Status::Ok => "succeeded".to_owned(),
        Status::TimedOut => format!("timed out ({})", ran.reason()),
        Status::NotStarted(why) => format!("could not run ({why})"),
        Status::Failed(_) => format!("failed ({})", ran.reason()),
    }
}

/// What a collection gathered.
pub struct Collected {
    pub files: Vec<(String, String)>,
    /// For each file, the command it is named after (`kubectl get pods -n
    /// shop -o json`, connection flags left out).
    pub file_commands: Vec<String>,
    pub manifest: save::Manifest,
    pub warnings: Vec<String>,
    pub known: report::redact::KnownNames,
}

/// Run the collector's commands.
pub fn gather(req: &Request) -> Collected {
    let started = SystemTime::now();
    let mut session = Session::new(req.timeout, req.progress);
    match &req.source {
        Source::Kubernetes(k) => kubernetes::collect(k, &mut session),
        Source::Docker(d) => docker::collect_docker(d, &mut session),
        Source::Swarm(s) => docker::collect_swarm(s, &mut session),
    }
    session.finish();
    let commands = session
        .steps
        .iter()
        .map(|s| save::CommandEntry {
            command: s.ran.command_line(),
            file: s.file.clone(),
            status: match s.ran.status {
                Status::Ok => "ok",
                Status::Failed(_) => "failed",
                Status::TimedOut => "timed-out",
                Status::NotStarted(_) => "not-started",
            },
            exit_code: s.ran.exit_code(),
            started: save::timestamp(s.ran.started),
            duration_ms: save::millis(s.ran.duration),
            error: (!s.ran.ok()).then(|| s.ran.reason()),
        })
        .collect();
    let manifest = save::Manifest {
        schema_version: 1,
        tool: save::ToolVersion {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        collector: req.source.name(),
        started: save::timestamp(started),
        finished: save::timestamp(SystemTime::now()),
        clients: session.clients.clone(),
        commands,
        warnings: session.warnings.clone(),
        redacted: false,
    };
    let file_commands = session
        .files
        .iter()
        .map(|(name, _)| {
            session
                .steps
                .iter()
                .find(|s| s.file.as_deref() == Some(name))
                .map(|s| s.name_words.join(" "))
                .unwrap_or_default()
        })
        .collect();
    Collected {
        file_commands,
        files: session.files,
        manifest,
        warnings: session.warnings,
        known: session.known,
    }
}

/// `wincompat collect …`: gather, save, analyse the folder, render.
/// `analysis` is the resolved report configuration (its sources are
/// replaced by the collected folder).
pub fn run(
    req: &Request,
    redact_saved: bool,
    analyse_folder: impl FnOnce(&Path) -> anyhow::Result<Report>,
) -> anyhow::Result<Report> {
    if let Some(dir) = &req.save {
        // Files of an earlier run would be analysed with this one's and
        // `wincompat DIR` would no longer be this run: refuse before running
        // anything.
        if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
            anyhow::bail!(
                "--save {}: the folder is not empty; give a new or empty folder",
                dir.display()
            );
        }
    }
    let collected = gather(req);
    // With --redact the warnings (which name pods, nodes and files) are
    // printed once redacted with the report's tokens, below.
    if !redact_saved {
        for warning in &collected.warnings {
            eprintln!("wincompat: warning: {warning}");
        }
    }
    if collected.files.is_empty() {
        if redact_saved {
            let mut warnings = collected.warnings.clone();
            report::redact::redact_lines(&collected.known, &[], &mut warnings);
            for warning in &warnings {
                eprintln!("wincompat: warning: {warning}");
            }
        }
        anyhow::bail!(
            "nothing could be collected (see the warnings above); run the commands yourself and pipe their output into wincompat"
        );
    }
    // The folder the analysis reads: the --save folder itself, unless the
    // saved files must be redacted first (then a private staging folder).
    let staging = match (&req.save, redact_saved) {
        (Some(dir), false) => Staging::Keep(dir.clone()),
        _ => Staging::Temp(temp_dir()?),
    };
    save::write_folder(staging.path(), &collected.files, &collected.manifest)
        .with_context(|| format!("cannot write {}", staging.path().display()))?;
    let mut report = analyse_folder(staging.path())?;
    if redact_saved {
        let (files, manifest) = redact(&mut report, &collected);
        for warning in &manifest.warnings {
            eprintln!("wincompat: warning: {warning}");
        }
        if let Some(dir) = &req.save {
            save::write_folder(dir, &files, &manifest)
                .with_context(|| format!("cannot write {}", dir.display()))?;
        }
    }
    drop(staging);
    if let Some(dir) = &req.save {
        eprintln!(
            "wincompat: saved {} files and {} to {}",
            collected.files.len(),
            save::MANIFEST,
            dir.display()
        );
    }
    Ok(report)
}

/// `--redact` of the report and of the files to save, with one token map:
/// the files' contents, their names (which name pods and namespaces: they
/// are rebuilt from the redacted commands) and the manifest.
fn redact(
    report: &mut crate::model::finding::Report,
    collected: &Collected,
) -> (Vec<(String, String)>, save::Manifest) {
    let n = collected.files.len();
    let mut manifest = collected.manifest.clone();
    manifest.redacted = true;
    // The manifest names files; their new names are known only after the
    // rewrite, so it carries placeholders until then.
    for entry in &mut manifest.commands {
        if let Some(file) = &entry.file {
            if let Some(i) = collected.files.iter().position(|(name, _)| name == file) {
                entry.file = Some(format!("@@FILE{i}@@"));
            }
        }
    }
    let mut texts: Vec<String> = collected.files.iter().map(|(_, t)| t.clone()).collect();
    texts.extend(collected.file_commands.iter().cloned());
    texts.extend(manifest.commands.iter().map(|c| c.command.clone()));
    texts.extend(
        manifest
            .commands
            .iter()
            .map(|c| c.error.clone().unwrap_or_default()),
    );
    texts.extend(manifest.warnings.iter().cloned());
    report::redact::redact_with_texts(report, &collected.known, &mut texts);
    let mut rest = texts.split_off(n);
    let contents = texts;
    let commands: Vec<String> = rest.drain(..n).collect();
    let m = manifest.commands.len();
    let lines: Vec<String> = rest.drain(..m).collect();
    let errors: Vec<String> = rest.drain(..m).collect();
    manifest.warnings = rest;
    let mut names = save::Names::default();
    let new_names: Vec<String> = commands
        .iter()
        .map(|c| {
            let words: Vec<String> = c.split(' ').map(str::to_owned).collect();
            names.claim(&save::file_stem(&words))
        })
        .collect();
    for ((entry, line), error) in manifest.commands.iter_mut().zip(lines).zip(errors) {
        entry.command = line;
        if entry.error.is_some() {
            entry.error = Some(error);
        }
        if let Some(file) = &entry.file {
            let i: Option<usize> = file
                .strip_prefix("@@FILE")
                .and_then(|f| f.strip_suffix("@@"))
                .and_then(|i| i.parse().ok());
            entry.file = i.and_then(|i| new_names.get(i).cloned());
        }
    }
    (new_names.into_iter().zip(contents).collect(), manifest)
}

/// The folder the analysis reads: the user's `--save` folder (kept), or a
/// private temporary one (removed when dropped).
enum Staging {
    Keep(PathBuf),
    Temp(PathBuf),
}

impl Staging {
    fn path(&self) -> &Path {
        match self {
            Staging::Keep(p) | Staging::Temp(p) => p,
        }
    }
}

/// A temporary staging folder is removed however the run ends.
impl Drop for Staging {
    fn drop(&mut self) {
        if let Staging::Temp(p) = self {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// A fresh folder under the system temp dir, readable by the user only
/// (the collected files name the cluster's nodes and pods).
fn temp_dir() -> anyhow::Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for n in 0..100u32 {
        let dir = base.join(format!(
            "wincompat-collect-{}-{nanos}-{n}",
            std::process::id()
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    anyhow::bail!("cannot create a temporary folder in {}", base.display())
}
